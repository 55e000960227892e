//! Wi-Fi access-point identifiers (BSSIDs, the access point's MAC address).
//!
//! Sources write the same BSSID as `AA:BB:CC:DD:EE:FF`, `aa-bb-cc-dd-ee-ff`, `aabb.ccdd.eeff`
//! or `AABBCCDDEEFF`. [`normalize_bssid`] keeps the hexadecimal digits, lower-cased, so every
//! spelling compares equal, and refuses what cannot identify one access point: anything but
//! 12 digits, the all-zero address (a placeholder) and the broadcast address.
//!
//! ```
//! use muster_normalize::mac::normalize_bssid;
//!
//! assert_eq!(normalize_bssid("AA:BB:CC:00:11:22").as_deref(), Some("aabbcc001122"));
//! assert_eq!(normalize_bssid("aabb.cc00.1122"), normalize_bssid("AA-BB-CC-00-11-22"));
//! assert_eq!(normalize_bssid("00:00:00:00:00:00"), None);
//! assert_eq!(normalize_bssid("ff:ff:ff:ff:ff:ff"), None);
//! assert_eq!(normalize_bssid("aa:bb:cc"), None);
//! ```

/// The 12 lower-case hexadecimal digits of a BSSID, with every other character dropped;
/// `None` when there are not exactly 12, or for the all-zero and broadcast addresses.
pub fn normalize_bssid(s: &str) -> Option<String> {
    let mut out = String::with_capacity(12);
    for c in s.chars().filter(char::is_ascii_hexdigit) {
        if out.len() == 12 {
            return None;
        }
        out.push(c.to_ascii_lowercase());
    }
    let placeholder = out.bytes().all(|b| b == b'0') || out.bytes().all(|b| b == b'f');
    (out.len() == 12 && !placeholder).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What the detections computed in SQL before:
    /// `lower(regexp_replace(s, '[^0-9A-Fa-f]', '', 'g'))`, kept when 12 long and not a
    /// placeholder.
    fn reference(s: &str) -> Option<String> {
        let hex: String = s
            .chars()
            .filter(char::is_ascii_hexdigit)
            .collect::<String>()
            .to_lowercase();
        (hex.len() == 12 && hex != "000000000000" && hex != "ffffffffffff").then_some(hex)
    }

    #[test]
    fn spellings_of_one_access_point_agree() {
        let ap = Some("0a1b2c3d4e5f");
        // (input, expected): spellings of one address; too short, too long, a placeholder
        for (s, want) in [
            ("0A:1B:2C:3D:4E:5F", ap),
            ("0a-1b-2c-3d-4e-5f", ap),
            ("0a1b.2c3d.4e5f", ap),
            (" 0A1B2C3D4E5F ", ap),
            ("", None),
            ("0a:1b:2c:3d:4e", None),
            ("0a:1b:2c:3d:4e:5f:60", None),
            ("FF-FF-FF-FF-FF-FF", None),
        ] {
            assert_eq!(normalize_bssid(s).as_deref(), want, "{s}");
        }
    }

    proptest! {
        #[test]
        fn matches_the_sql_it_replaces(s in "\\PC{0,40}") {
            prop_assert_eq!(normalize_bssid(&s), reference(&s));
        }

        #[test]
        fn mac_like_strings_normalise_and_are_stable(
            bytes in proptest::collection::vec(any::<u8>(), 6),
            sep in prop::sample::select(vec![":", "-", "", " "]),
        ) {
            let s = bytes.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(sep);
            let n = normalize_bssid(&s);
            prop_assert_eq!(&n, &reference(&s));
            if let Some(n) = n {
                prop_assert_eq!(normalize_bssid(&n), Some(n.clone()));
            }
        }
    }
}
