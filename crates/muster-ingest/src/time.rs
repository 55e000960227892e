//! Timestamp and date parsing for the contract's `ts` and `date` types.
//!
//! Accepted `ts` forms: RFC 3339 / ISO 8601 with `T` or a space, any fraction up to nanoseconds,
//! `Z` or a numeric offset (`+02:00`, `+0200`, `+02`); naive forms (no offset) are UTC; a bare
//! date is midnight UTC; epoch seconds, milliseconds, microseconds or nanoseconds (told apart by
//! magnitude), integer or fractional.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

const MICROS_PER_DAY: i64 = 86_400_000_000;

/// Parses a contract timestamp to UTC microseconds.
///
/// ```
/// use muster_ingest::time::parse_ts;
/// let a = parse_ts("2026-01-05T10:00:00Z").unwrap();
/// assert_eq!(parse_ts("2026-01-05 12:00:00+02:00").unwrap(), a);
/// assert_eq!(parse_ts("2026-01-05T10:00:00").unwrap(), a);
/// assert_eq!(parse_ts("1767607200").unwrap(), a);
/// assert_eq!(parse_ts("1767607200000").unwrap(), a);
/// assert!(parse_ts("yesterday").is_err());
/// ```
pub fn parse_ts(s: &str) -> Result<i64, String> {
    let s = s.trim();
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    let is_number = !unsigned.is_empty()
        && unsigned.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && unsigned.bytes().filter(|&b| b == b'.').count() <= 1;
    if is_number {
        let f: f64 = s.parse().map_err(|_| "not a timestamp".to_string())?;
        return epoch_to_micros(f);
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return checked_micros(dt.with_timezone(&Utc));
    }
    let normalised = normalise_iso(s);
    if let Ok(dt) = DateTime::parse_from_rfc3339(&normalised) {
        return checked_micros(dt.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, fmt) {
            return checked_micros(Utc.from_utc_datetime(&n));
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(i64::from(days(d)) * MICROS_PER_DAY);
    }
    Err("not a timestamp (expected RFC 3339, e.g. 2026-01-05T10:00:00Z, or epoch seconds/milliseconds)".into())
}

/// Makes `2026-01-05 10:00:00+0200`, `...+02`, `...T10:00:00.1234567 Z` acceptable to RFC 3339.
fn normalise_iso(s: &str) -> String {
    // Only the separator between date and time becomes `T`; later spaces precede offsets.
    let mut out = match (s.get(..10), s.get(10..11), s.get(11..)) {
        (Some(date), Some(" "), Some(rest)) => format!("{date}T{rest}"),
        _ => s.to_string(),
    };
    for suffix in [" UTC", " GMT", "UTC", "GMT"] {
        if let Some(stripped) = out.strip_suffix(suffix) {
            out = format!("{stripped}Z");
            break;
        }
    }
    out = out.replace(" Z", "Z").replace(" +", "+").replace(" -", "-");
    if out.ends_with('z') {
        out.pop();
        out.push('Z');
    }
    // Offset without colon (+0200) or hours only (+02).
    if let Some(pos) = out.rfind(['+', '-'])
        && pos > 10
    {
        let off = &out[pos + 1..];
        if off.len() == 4 && off.bytes().all(|b| b.is_ascii_digit()) {
            out = format!("{}{}:{}", &out[..=pos], &off[..2], &off[2..]);
        } else if off.len() == 2 && off.bytes().all(|b| b.is_ascii_digit()) {
            out = format!("{}:00", out);
        }
    }
    out
}

fn checked_micros(dt: DateTime<Utc>) -> Result<i64, String> {
    let micros = dt.timestamp_micros();
    if !(-(MICROS_PER_DAY * 365 * 200)..MICROS_PER_DAY * 365 * 300).contains(&micros) {
        return Err("timestamp out of range (before 1770 or after 2270)".into());
    }
    Ok(micros)
}

/// Epoch number to UTC microseconds. Magnitude decides the unit: below 1e11 seconds, below 1e14
/// milliseconds, below 1e17 microseconds, otherwise nanoseconds.
pub fn epoch_to_micros(v: f64) -> Result<i64, String> {
    if !v.is_finite() {
        return Err("not a finite number".into());
    }
    let a = v.abs();
    let micros = if a < 1e11 {
        v * 1e6
    } else if a < 1e14 {
        v * 1e3
    } else if a < 1e17 {
        v
    } else {
        v / 1e3
    };
    if micros.abs() > 9.0e18 {
        return Err("epoch value out of range".into());
    }
    Ok(micros.round() as i64)
}

/// Parses `YYYY-MM-DD` (also `YYYY/MM/DD`, or a timestamp whose date part is used).
pub fn parse_date(s: &str) -> Result<i32, String> {
    let s = s.trim();
    for fmt in ["%Y-%m-%d", "%Y/%m/%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, fmt) {
            return Ok(days(d));
        }
    }
    if s.len() > 10
        && let Ok(t) = parse_ts(s)
    {
        return Ok(t.div_euclid(MICROS_PER_DAY) as i32);
    }
    Err("not a date (expected YYYY-MM-DD)".into())
}

fn days(d: NaiveDate) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    (d - epoch).num_days() as i32
}

/// Formats UTC microseconds as RFC 3339.
pub fn format_micros(t: i64) -> String {
    DateTime::<Utc>::from_timestamp_micros(t)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
        .unwrap_or_default()
}

/// Formats days since epoch as `YYYY-MM-DD`.
pub fn format_date(d: i32) -> String {
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|e| e.checked_add_signed(chrono::Duration::days(i64::from(d))))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_agree() {
        let a = parse_ts("2026-01-05T10:00:00Z").unwrap();
        for s in [
            "2026-01-05T10:00:00.000Z",
            "2026-01-05T10:00:00.0000000Z",
            "2026-01-05T11:00:00+01:00",
            "2026-01-05T11:00:00+0100",
            "2026-01-05T11:00:00+01",
            "2026-01-05T05:00:00 -05:00",
            "2026-01-05 10:00:00 UTC",
            "2026-01-05 10:00:00",
            "2026-01-05 10:00",
            "1767607200",
            "1767607200.0",
            "1767607200000",
            "1767607200000000",
        ] {
            assert_eq!(parse_ts(s), Ok(a), "{s}");
        }
        assert_eq!(parse_ts("2026-01-05"), Ok(a - 10 * 3_600_000_000));
    }

    #[test]
    fn rejects() {
        for s in ["", "abc", "2026-13-01", "2026-01-05T25:00:00Z", "12:00"] {
            assert!(parse_ts(s).is_err(), "{s}");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-02"), Ok(1));
        assert_eq!(parse_date("1970/01/02"), Ok(1));
        assert!(parse_date("02/01/1970").is_err());
        assert_eq!(format_date(1), "1970-01-02");
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = parse_ts(&s);
            let _ = parse_date(&s);
        }

        #[test]
        fn roundtrip(secs in 0i64..4_000_000_000) {
            let t = secs * 1_000_000;
            proptest::prop_assert_eq!(parse_ts(&format_micros(t)), Ok(t));
        }
    }
}
