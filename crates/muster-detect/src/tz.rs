//! Claimed time zone of a person: the `claimed_timezone` column, or derived from the home
//! address (US state or country) when it is missing.

/// IANA zone for a US state or territory code (majority zone for split states).
pub fn us_state_zone(state: &str) -> Option<&'static str> {
    let code = muster_normalize::normalize_region(state);
    let s = code.as_str();
    Some(match s {
        "CT" | "DE" | "DC" | "FL" | "GA" | "ME" | "MD" | "MA" | "NH" | "NJ" | "NY" | "NC"
        | "OH" | "PA" | "RI" | "SC" | "VT" | "VA" | "WV" | "MI" | "IN" | "KY" => "America/New_York",
        "AL" | "AR" | "IL" | "IA" | "KS" | "LA" | "MN" | "MS" | "MO" | "NE" | "ND" | "OK"
        | "SD" | "TN" | "TX" | "WI" => "America/Chicago",
        "CO" | "ID" | "MT" | "NM" | "UT" | "WY" => "America/Denver",
        "AZ" => "America/Phoenix",
        "CA" | "NV" | "OR" | "WA" => "America/Los_Angeles",
        "AK" => "America/Anchorage",
        "HI" => "Pacific/Honolulu",
        "PR" | "VI" => "America/Puerto_Rico",
        "GU" | "MP" => "Pacific/Guam",
        _ => return None,
    })
}

/// The zone a person claims: explicit zone if it parses, else from the US state (code or name).
/// `None` when neither is known: detections then make no local-time judgement rather than
/// assume UTC.
pub fn claimed_zone(
    claimed: Option<&str>,
    region: Option<&str>,
    country: Option<&str>,
) -> Option<String> {
    if let Some(z) = claimed
        .map(str::trim)
        .filter(|z| z.parse::<chrono_tz::Tz>().is_ok())
    {
        return Some(z.to_string());
    }
    let us = country.is_none_or(|c| c.trim().is_empty() || c.trim().eq_ignore_ascii_case("US"));
    if us && let Some(z) = region.and_then(us_state_zone) {
        return Some(z.to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones() {
        assert_eq!(
            claimed_zone(Some("Asia/Seoul"), Some("TX"), None).as_deref(),
            Some("Asia/Seoul")
        );
        assert_eq!(
            claimed_zone(Some("Mars/Base"), Some("tx"), Some("US")).as_deref(),
            Some("America/Chicago")
        );
        assert_eq!(
            claimed_zone(None, Some("California"), None).as_deref(),
            Some("America/Los_Angeles")
        );
        assert_eq!(claimed_zone(None, Some("Bavaria"), Some("DE")), None);
        assert_eq!(claimed_zone(None, None, None), None);
    }
}
