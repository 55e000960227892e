//! Mobile (cellular) carriers by AS number: their subscribers share public addresses through
//! carrier-grade NAT, so an address of theirs says nothing about who lives together.
//!
//! The embedded list is `data/ip/mobile_carrier_asns.csv` (major US carriers, sources in the
//! file); `[data] mobile_asns` adds a user's own list in the same format. Format: CSV with a
//! header naming `asn` and `carrier` (other columns ignored), `#` comments; an AS number may be
//! written `21928` or `AS21928`.
//!
//! ```
//! use muster_intel::MobileCarriers;
//!
//! let m = MobileCarriers::embedded();
//! assert_eq!(m.carrier(21928), Some("T-Mobile USA"));
//! assert_eq!(m.carrier(7922), None); // Comcast: wireline
//! ```

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use crate::error::{IntelError, LineError, Result};
use crate::util::{read_path, utf8_lossy};

const EMBEDDED: &str = include_str!("../../../../data/ip/mobile_carrier_asns.csv");

/// AS number -> mobile carrier name.
#[derive(Debug, Clone, Default)]
pub struct MobileCarriers {
    by_asn: BTreeMap<u32, String>,
}

impl MobileCarriers {
    /// The embedded list (parsed once).
    pub fn embedded() -> &'static MobileCarriers {
        static LIST: OnceLock<MobileCarriers> = OnceLock::new();
        LIST.get_or_init(|| {
            MobileCarriers::parse(EMBEDDED, "embedded:data/ip/mobile_carrier_asns.csv")
                .unwrap_or_default()
        })
    }

    /// Parses a list strictly: every bad line is reported (file and line).
    pub fn parse(text: &str, label: &str) -> Result<MobileCarriers> {
        let mut by_asn = BTreeMap::new();
        let mut errors = Vec::new();
        let mut cols: Option<(usize, usize)> = None;
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line
                .split(',')
                .map(|f| f.trim().trim_matches('"'))
                .collect();
            let Some((a, c)) = cols else {
                let find = |name: &str| fields.iter().position(|f| f.eq_ignore_ascii_case(name));
                match (find("asn"), find("carrier")) {
                    (Some(a), Some(c)) => cols = Some((a, c)),
                    _ => errors.push(LineError::new(
                        label,
                        i + 1,
                        raw,
                        "header must name the columns asn and carrier",
                    )),
                }
                continue;
            };
            let asn = fields.get(a).map(|f| {
                f.strip_prefix("AS")
                    .or_else(|| f.strip_prefix("as"))
                    .unwrap_or(f)
            });
            match (asn.and_then(|s| s.parse::<u32>().ok()), fields.get(c)) {
                (Some(n), Some(name)) if !name.is_empty() => {
                    by_asn.insert(n, name.to_string());
                }
                _ => errors.push(LineError::new(
                    label,
                    i + 1,
                    raw,
                    "expected an AS number and a carrier name",
                )),
            }
        }
        if !errors.is_empty() {
            return Err(IntelError::InvalidLines {
                file: label.to_string(),
                errors,
            });
        }
        Ok(MobileCarriers { by_asn })
    }

    /// Reads and strictly parses a list file.
    pub fn from_path(path: &Path) -> Result<MobileCarriers> {
        let bytes = read_path(path)?;
        MobileCarriers::parse(&utf8_lossy(&bytes), &path.display().to_string())
    }

    /// `self` with every entry of `other` added (its names win for a shared AS number).
    pub fn extended(mut self, other: MobileCarriers) -> MobileCarriers {
        self.by_asn.extend(other.by_asn);
        self
    }

    /// The carrier of AS `asn`, when it is a mobile carrier.
    pub fn carrier(&self, asn: u32) -> Option<&str> {
        self.by_asn.get(&asn).map(String::as_str)
    }

    /// Number of AS numbers in the list.
    pub fn len(&self) -> usize {
        self.by_asn.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.by_asn.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_list_parses_and_names_the_major_us_carriers() {
        let m = MobileCarriers::embedded();
        assert!(m.len() >= 5);
        for asn in [21928, 22394, 6167, 20057] {
            assert!(m.carrier(asn).is_some(), "AS{asn}");
        }
        // Wireline AT&T and Comcast are residential ISPs, not mobile carriers.
        assert_eq!(m.carrier(7018), None);
        assert_eq!(m.carrier(7922), None);
    }

    #[test]
    fn user_list_extends_and_bad_lines_are_reported() {
        let user = MobileCarriers::parse("asn,carrier\nAS311\tx,\n", "u.csv");
        let Err(IntelError::InvalidLines { errors, .. }) = user else {
            panic!("expected invalid lines");
        };
        assert_eq!(errors[0].line, 2);
        let user =
            MobileCarriers::parse("# mine\ncarrier,asn\nUS Cellular,AS6430\n", "u.csv").unwrap();
        let all = MobileCarriers::embedded().clone().extended(user);
        assert_eq!(all.carrier(6430), Some("US Cellular"));
        assert!(all.carrier(21928).is_some());
        assert!(MobileCarriers::parse("asn,name\n1,x\n", "h.csv").is_err());
    }

    #[test]
    fn data_setting_adds_to_the_embedded_list() {
        let path = std::env::temp_dir().join(format!("muster-mobile-{}.csv", std::process::id()));
        std::fs::write(&path, "asn,carrier\n7922,Test carrier\n").unwrap();
        let mut paths = crate::DataPaths::default();
        assert!(paths.set("mobile_asns", path.clone()));
        let intel = crate::Intel::load(&paths, &[]);
        let _ = std::fs::remove_file(&path);
        let intel = intel.unwrap();
        let ip = "73.50.60.70".parse().unwrap();
        assert_eq!(intel.mobile_carrier(ip), Some((7922, "Test carrier")));
        let tmo = "172.58.10.20".parse().unwrap();
        assert_eq!(intel.mobile_carrier(tmo), Some((21928, "T-Mobile USA")));
        assert!(
            intel
                .datasets()
                .iter()
                .any(|d| d.name == "mobile-asns" && d.origin != "embedded")
        );
        assert_eq!(crate::Intel::embedded().mobile_carrier(ip), None);
    }
}
