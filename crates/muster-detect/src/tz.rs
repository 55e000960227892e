//! Claimed time zone of a person: the `claimed_timezone` column, or derived from the home
//! address when it is missing: the ZIP code's county (split states such as Texas, Florida,
//! Tennessee, Kentucky, Indiana follow county lines), else the state's majority zone.

use muster_intel::Intel;

/// The zone a person claims: explicit zone if it parses, else from the US ZIP code, else from
/// the US state (code or name). `None` when nothing is known: detections then make no
/// local-time judgement rather than assume UTC.
pub fn claimed_zone(
    intel: &Intel,
    claimed: Option<&str>,
    region: Option<&str>,
    country: Option<&str>,
    postal_code: Option<&str>,
) -> Option<String> {
    if let Some(z) = claimed
        .map(str::trim)
        .filter(|z| z.parse::<chrono_tz::Tz>().is_ok())
    {
        return Some(z.to_string());
    }
    let us = country.is_none_or(|c| {
        let c = c.trim();
        c.is_empty() || c.eq_ignore_ascii_case("US") || c.eq_ignore_ascii_case("USA")
    });
    if !us {
        return None;
    }
    // The ZIP's zone only when it agrees with the stated region (a typo in either must not
    // move someone across the country).
    if let Some(z) = postal_code.and_then(|p| intel.zips().lookup(p))
        && let Some(zone) = z.zone
        && region.is_none_or(|r| {
            r.trim().is_empty()
                || muster_intel::geo::state_code(r).is_none_or(|code| code == z.state)
        })
    {
        return Some(zone.to_string());
    }
    region
        .and_then(muster_intel::state_zone)
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones() {
        let i = Intel::embedded();
        let z = |c, r, n, p| claimed_zone(i, c, r, n, p);
        assert_eq!(
            z(Some("Asia/Seoul"), Some("TX"), None, None).as_deref(),
            Some("Asia/Seoul")
        );
        assert_eq!(
            z(Some("Mars/Base"), Some("tx"), Some("US"), None).as_deref(),
            Some("America/Chicago")
        );
        assert_eq!(
            z(None, Some("California"), None, None).as_deref(),
            Some("America/Los_Angeles")
        );
        // El Paso is on Mountain time although Texas is mostly Central.
        assert_eq!(
            z(None, Some("TX"), Some("US"), Some("79901")).as_deref(),
            Some("America/Denver")
        );
        // A ZIP that contradicts the state is not trusted over it.
        assert_eq!(
            z(None, Some("FL"), None, Some("79901")).as_deref(),
            Some("America/New_York")
        );
        assert_eq!(z(None, Some("Bavaria"), Some("DE"), None), None);
        assert_eq!(z(None, None, None, None), None);
    }
}
