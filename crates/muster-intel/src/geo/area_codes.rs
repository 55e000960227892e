//! North American Numbering Plan area codes -> country, state/province, time zones.

use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

use crate::error::{IntelError, LineError, Result};
use crate::util::{read_all_maybe_gz, read_path};

use super::zones::{state_code, state_name};

/// One geographic NANP area code (NPA).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaCode {
    /// The three-digit area code.
    pub npa: u16,
    /// ISO 3166-1 alpha-2 code of the country or territory (`US`, `CA`, `JM`, `PR`, ...).
    pub region: String,
    /// State or province name (`"California"`, `"Ontario"`, `"Nova Scotia/Prince Edward
    /// Island"`); `None` when unknown (most Caribbean members: see `region`).
    pub geo: Option<String>,
    /// USPS state or Canadian province code when the NPA lies in one (`"CA"`, `"ON"`).
    pub state: Option<String>,
    /// City when the source names one (`"San Antonio"` for 210), else `None`.
    pub place: Option<String>,
    /// IANA time zones the NPA spans, sorted as in the source (`["America/Adak",
    /// "America/Anchorage"]` for 907); may be empty when unknown.
    pub zones: Vec<String>,
}

/// Area-code table (`npa,region,geo_en,timezones[,...]` CSV; libphonenumber-derived, see
/// `data/geo/SOURCE.txt`).
///
/// Only geographic NPAs are listed. Toll-free (800, 833, 844, 855, 866, 877, 888), premium
/// (900), personal-communication (5XX), carrier and government (700, 710), Canadian
/// non-geographic (600, 622) codes and N11 service codes are not tied to a place and give
/// `None`; [`AreaCodes::non_geographic_reason`] says why.
///
/// Data corrections applied on load, both facts of NANPA assignment: four NPAs whose state
/// is blank in the source get it (203 Connecticut, 713 Texas, 718 New York, 905 Ontario),
/// and 208 (Idaho), whose zone list is blank, gets `America/Boise|America/Los_Angeles`.
/// City-level names (`"San Antonio, TX"`) are split into `place` and `geo`, and
/// `"Washington State"`, `"Washington D.C."`, `"British Colombia"` are normalised.
#[derive(Debug, Clone, Default)]
pub struct AreaCodes {
    /// Indexed by NPA (0..1000).
    table: Vec<Option<AreaCode>>,
    count: usize,
    load_error: Option<String>,
}

const GEO_FILL: &[(u16, &str)] = &[
    (203, "Connecticut"),
    (713, "Texas"),
    (718, "New York"),
    (905, "Ontario"),
];
const ZONE_FILL: &[(u16, &str)] = &[(208, "America/Boise|America/Los_Angeles")];

const PROVINCES: &[(&str, &str)] = &[
    ("AB", "Alberta"),
    ("BC", "British Columbia"),
    ("MB", "Manitoba"),
    ("NB", "New Brunswick"),
    ("NL", "Newfoundland and Labrador"),
    ("NS", "Nova Scotia"),
    ("NT", "Northwest Territories"),
    ("NU", "Nunavut"),
    ("ON", "Ontario"),
    ("PE", "Prince Edward Island"),
    ("QC", "Quebec"),
    ("SK", "Saskatchewan"),
    ("YT", "Yukon"),
];

fn province(s: &str) -> Option<(&'static str, &'static str)> {
    let t = s.trim();
    PROVINCES
        .iter()
        .find(|(c, n)| c.eq_ignore_ascii_case(t) || n.eq_ignore_ascii_case(t))
        .map(|(c, n)| (*c, *n))
}

/// Normalises the source's `geo_en` into (geo name, state/province code, place).
fn normalise_geo(region: &str, raw: &str) -> (Option<String>, Option<String>, Option<String>) {
    let raw = raw.trim();
    if raw.is_empty() {
        return (None, None, None);
    }
    let fixed = match raw {
        "Washington State" => "Washington",
        "Washington D.C." => "District of Columbia",
        "British Colombia" => "British Columbia",
        other => other,
    };
    let (place, area) = match fixed.rsplit_once(',') {
        Some((p, a)) => (Some(p.trim().to_string()), a.trim()),
        None => (None, fixed),
    };
    let resolved = match region {
        "US" => state_code(area).and_then(|c| Some((c, state_name(c)?))),
        "CA" => province(area),
        _ => None,
    };
    match resolved {
        Some((code, name)) => (Some(name.to_string()), Some(code.to_string()), place),
        None => (Some(fixed.to_string()), None, None),
    }
}

/// A plausible IANA zone name (`Area/Location[/Sub]`, ASCII letters, digits, `_+-`).
fn valid_zone(z: &str) -> bool {
    z.contains('/')
        && !z.starts_with('/')
        && !z.ends_with('/')
        && z.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'+' | b'-'))
}

impl AreaCodes {
    /// The embedded table, parsed once per process. Never panics: a parse failure yields an
    /// empty table and [`AreaCodes::load_error`].
    pub fn embedded() -> &'static AreaCodes {
        static EMBEDDED: OnceLock<AreaCodes> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            const CSV: &[u8] = include_bytes!("../../../../data/geo/nanp_area_codes.csv");
            Self::from_bytes(CSV, "embedded:data/geo/nanp_area_codes.csv").unwrap_or_else(|e| {
                AreaCodes {
                    load_error: Some(e.to_string()),
                    ..AreaCodes::default()
                }
            })
        })
    }

    /// Loads an `npa,region,geo_en,timezones` CSV file (plain or gzip; header required,
    /// `geo`/`zones` accepted as column names, extra columns ignored).
    pub fn from_path(path: &Path) -> Result<AreaCodes> {
        Self::from_bytes(&read_path(path)?, &path.display().to_string())
    }

    /// Same as [`AreaCodes::from_path`] from a reader.
    pub fn from_reader(reader: impl Read, label: &str) -> Result<AreaCodes> {
        Self::from_bytes(&read_all_maybe_gz(reader, label)?, label)
    }

    fn from_bytes(bytes: &[u8], label: &str) -> Result<AreaCodes> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(bytes);
        let headers = rdr
            .headers()
            .map_err(|e| IntelError::csv(label, &e))?
            .clone();
        let col = |names: &[&str]| {
            headers
                .iter()
                .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
        };
        let (Some(cn), Some(cr)) = (col(&["npa", "area_code"]), col(&["region", "country"])) else {
            return Err(IntelError::csv_at(
                label,
                1,
                "expected header with npa, region, geo_en, timezones columns",
            ));
        };
        let cg = col(&["geo_en", "geo", "state"]);
        let cz = col(&["timezones", "zones", "timezone"]);
        let mut out = AreaCodes {
            table: vec![None; 1000],
            ..AreaCodes::default()
        };
        let mut errors = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| IntelError::csv(label, &e))?;
            let line = rec.position().map(|p| p.line() as usize).unwrap_or(0);
            let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("");
            let text = || rec.iter().collect::<Vec<_>>().join(",");
            let raw_npa = get(Some(cn));
            let npa = match raw_npa.parse::<u16>() {
                Ok(n) if raw_npa.len() == 3 && (200..1000).contains(&n) => n,
                _ => {
                    errors.push(LineError::new(
                        label,
                        line,
                        &text(),
                        format!("invalid area code {raw_npa:?} (three digits, 200-999)"),
                    ));
                    continue;
                }
            };
            let region = get(Some(cr)).to_ascii_uppercase();
            if region.len() != 2 || !region.bytes().all(|b| b.is_ascii_alphabetic()) {
                errors.push(LineError::new(
                    label,
                    line,
                    &text(),
                    format!("invalid ISO region {region:?}"),
                ));
                continue;
            }
            let mut raw_geo = get(cg).to_string();
            if raw_geo.is_empty()
                && let Some((_, g)) = GEO_FILL.iter().find(|(n, _)| *n == npa)
            {
                raw_geo = g.to_string();
            }
            let mut raw_zones = get(cz).to_string();
            if raw_zones.is_empty()
                && let Some((_, z)) = ZONE_FILL.iter().find(|(n, _)| *n == npa)
            {
                raw_zones = z.to_string();
            }
            let zones: Vec<String> = raw_zones
                .split('|')
                .map(str::trim)
                .filter(|z| !z.is_empty())
                .map(str::to_string)
                .collect();
            if let Some(bad) = zones.iter().find(|z| !valid_zone(z)) {
                errors.push(LineError::new(
                    label,
                    line,
                    &text(),
                    format!("invalid time zone {bad:?}"),
                ));
                continue;
            }
            let (geo, state, place) = normalise_geo(&region, &raw_geo);
            let Some(slot) = out.table.get_mut(npa as usize) else {
                continue;
            };
            if slot.is_some() {
                errors.push(LineError::new(
                    label,
                    line,
                    &text(),
                    format!("duplicate area code {npa}"),
                ));
                continue;
            }
            *slot = Some(AreaCode {
                npa,
                region,
                geo,
                state,
                place,
                zones,
            });
            out.count += 1;
        }
        if !errors.is_empty() {
            return Err(IntelError::InvalidLines {
                file: label.to_string(),
                errors,
            });
        }
        Ok(out)
    }

    /// Looks up a geographic area code given as text (`"415"`, `" 415 "`, `"(415)"`).
    pub fn lookup(&self, npa: &str) -> Option<&AreaCode> {
        let t = npa.trim();
        let t = t
            .strip_prefix('(')
            .and_then(|x| x.strip_suffix(')'))
            .unwrap_or(t)
            .trim();
        if t.len() != 3 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        self.lookup_npa(t.parse().ok()?)
    }

    /// Looks up a geographic area code.
    pub fn lookup_npa(&self, npa: u16) -> Option<&AreaCode> {
        self.table.get(usize::from(npa))?.as_ref()
    }

    /// Looks up the area code of a NANP telephone number: E.164 (`"+14155550123"`), national
    /// (`"(415) 555-0123"`, `"415.555.0123"`), with trunk prefix `1` or international prefix
    /// `011`/`00` followed by `1`. Spaces, dots, dashes, parentheses and a trailing extension
    /// (`x12`, `ext. 12`) are ignored. Numbers of other countries, and numbers that do not
    /// have ten NANP digits, give `None`.
    pub fn lookup_number(&self, number: &str) -> Option<&AreaCode> {
        self.lookup_npa(nanp_npa(number)?)
    }

    /// Why an area code has no geographic entry, for codes that are not geographic by
    /// design; `None` for geographic or unassigned codes.
    pub fn non_geographic_reason(npa: u16) -> Option<&'static str> {
        Some(match npa {
            800 | 833 | 844 | 855 | 866 | 877 | 888 => "toll-free (not tied to a location)",
            880..=889 => "reserved for toll-free expansion",
            900 => "premium-rate service",
            500 | 521..=533 | 544 | 566 | 577 | 588 => {
                "personal communications service (follow-me number, not tied to a location)"
            }
            600 | 622 => "Canadian non-geographic service",
            700 => "interexchange carrier services",
            710 => "US government (GETS)",
            456 => "inbound international carrier services",
            211 | 311 | 411 | 511 | 611 | 711 | 811 | 911 => "N11 service code, not an area code",
            555 => "not an area code (555 is a directory-assistance exchange)",
            _ => return None,
        })
    }

    /// Number of area codes.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// All area codes, by NPA.
    pub fn iter(&self) -> impl Iterator<Item = &AreaCode> {
        self.table.iter().flatten()
    }

    /// Why the embedded data failed to load, if it did.
    pub fn load_error(&self) -> Option<&str> {
        self.load_error.as_deref()
    }
}

/// The NPA of a NANP number, or `None` when `number` is not one.
fn nanp_npa(number: &str) -> Option<u16> {
    let lower = number.trim().to_ascii_lowercase();
    let main = match lower.find(['x', 'e', ';', '#']) {
        Some(i) => &lower[..i],
        None => &lower,
    };
    let mut digits = String::with_capacity(16);
    let mut plus = false;
    for (i, c) in main.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => plus = true,
            ' ' | '-' | '.' | '(' | ')' | '/' | '\u{a0}' => {}
            _ => return None,
        }
    }
    let national = if plus {
        digits.strip_prefix('1')?
    } else if let Some(rest) = digits
        .strip_prefix("011")
        .or_else(|| digits.strip_prefix("00"))
    {
        rest.strip_prefix('1')?
    } else if digits.len() == 11 {
        digits.strip_prefix('1')?
    } else {
        &digits
    };
    let b = national.as_bytes();
    // NXX-NXX-XXXX: area code and exchange start with 2-9.
    if b.len() != 10 || !(b'2'..=b'9').contains(&b[0]) || !(b'2'..=b'9').contains(&b[3]) {
        return None;
    }
    national[..3].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(nanp_npa("+1 415 555 0123"), Some(415));
        assert_eq!(nanp_npa("+14155550123"), Some(415));
        assert_eq!(nanp_npa("(415) 555-0123"), Some(415));
        assert_eq!(nanp_npa("1-415-555-0123"), Some(415));
        assert_eq!(nanp_npa("011 1 415 555 0123"), Some(415));
        assert_eq!(nanp_npa("415.555.0123 ext. 12"), Some(415));
        assert_eq!(nanp_npa("415-555-0123x9"), Some(415));
        assert_eq!(nanp_npa("+44 20 7946 0958"), None);
        assert_eq!(nanp_npa("+1 115 555 0123"), None);
        assert_eq!(nanp_npa("+1 415 155 0123"), None);
        assert_eq!(nanp_npa("555-0123"), None);
        assert_eq!(nanp_npa("+"), None);
        assert_eq!(nanp_npa("4155550123a"), None);
    }

    #[test]
    fn geo_normalisation() {
        assert_eq!(
            normalise_geo("US", "San Antonio, TX"),
            (
                Some("Texas".into()),
                Some("TX".into()),
                Some("San Antonio".into())
            )
        );
        assert_eq!(
            normalise_geo("US", "Washington State").1.as_deref(),
            Some("WA")
        );
        assert_eq!(
            normalise_geo("CA", "Toronto, ON").0.as_deref(),
            Some("Ontario")
        );
        assert_eq!(
            normalise_geo("CA", "Nova Scotia/Prince Edward Island"),
            (Some("Nova Scotia/Prince Edward Island".into()), None, None)
        );
    }

    #[test]
    fn bad_rows() {
        let csv = "npa,region,geo_en,timezones\n415,US,California,America/Los_Angeles\n\
                   41,US,x,America/Chicago\n212,US,New York,Not a zone\n415,US,California,\n";
        let err = AreaCodes::from_reader(csv.as_bytes(), "a.csv").unwrap_err();
        let lines: Vec<usize> = err.line_errors().iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 4, 5]);
    }
}
