//! Telephone-number normalisation to E.164, without a metadata library.
//!
//! The rules are deliberately small and predictable:
//!
//! - formatting is stripped: spaces, dots, dashes, slashes, parentheses and a leading `tel:`;
//! - an extension is dropped: `x123`, `ext 123`, `ext. 123`, `extension 123`, `#123`,
//!   `;ext=123` (RFC 3966) or `,123` (dial pause). Any other letter makes the input invalid
//!   (vanity numbers such as `1-800-FLOWERS` are not translated);
//! - `+` or `00` in front means international: the digits are kept as given (country code
//!   first) and must be 8 to 15 digits long and not start with `0`. With a NANP default region
//!   `011` (the NANP international prefix) is accepted too. Numbers with country code `1` are
//!   checked with the NANP rules below;
//! - with default region `US` or `CA` (NANP), 10 digits become `+1XXXXXXXXXX` and 11 digits
//!   starting with `1` become `+1…`; the area code and the exchange must not start with `0` or
//!   `1`;
//! - any other default region accepts only international-prefixed numbers.
//!
//! ```
//! use muster_normalize::phone::{nanp_area_code, normalize_phone};
//!
//! let e164 = normalize_phone("(415) 555-2671 ext. 12", "US");
//! assert_eq!(e164.as_deref(), Some("+14155552671"));
//! assert_eq!(nanp_area_code("+14155552671"), Some("415"));
//! assert_eq!(normalize_phone("020 7946 0958", "GB"), None); // national format, non-NANP region
//! assert_eq!(normalize_phone("+44 20 7946 0958", "GB").as_deref(), Some("+442079460958"));
//! ```

/// Fewest digits (country code included) accepted for an international number.
const MIN_INTERNATIONAL_DIGITS: usize = 8;
/// Most digits allowed by E.164.
const MAX_INTERNATIONAL_DIGITS: usize = 15;

/// Normalises a telephone number to E.164 (`+` followed by digits), or returns `None` when it
/// cannot be a valid number under the rules in the [module documentation](self).
///
/// `default_region` is an ISO 3166 alpha-2 code (case-insensitive) used for numbers written
/// without an international prefix; only `US` and `CA` (the North American Numbering Plan) have
/// a national format here. The output is idempotent whatever the region.
///
/// ```
/// use muster_normalize::phone::normalize_phone;
///
/// for input in ["415.555.2671", "+1 (415) 555-2671", "1-415-555-2671", "tel:+14155552671"] {
///     assert_eq!(normalize_phone(input, "US").as_deref(), Some("+14155552671"));
/// }
/// assert_eq!(normalize_phone("(015) 555-2671", "US"), None); // area code starts with 0
/// assert_eq!(normalize_phone("555-2671", "US"), None); // too short
/// ```
pub fn normalize_phone(input: &str, default_region: &str) -> Option<String> {
    let trimmed = input.trim();
    let trimmed = strip_prefix_ignore_case(trimmed, "tel:").unwrap_or(trimmed);
    let number = strip_extension(trimmed)?;

    let mut digits = String::with_capacity(number.len());
    let mut plus = false;
    for c in number.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if !plus && digits.is_empty() => plus = true,
            ' ' | '\t' | '.' | '-' | '(' | ')' | '/' | '\u{a0}' | '\u{2010}'..='\u{2015}' => {}
            _ => return None,
        }
    }

    let nanp_region = is_nanp_region(default_region);
    let international = if plus {
        Some(digits.as_str())
    } else if let Some(rest) = digits.strip_prefix("00") {
        Some(rest)
    } else if nanp_region {
        digits.strip_prefix("011")
    } else {
        None
    };

    match international {
        Some(intl) => normalize_international(intl),
        None if nanp_region => {
            let national = match digits.len() {
                10 => digits.as_str(),
                11 => digits.strip_prefix('1')?,
                _ => return None,
            };
            nanp_e164(national)
        }
        None => None,
    }
}

/// The three-digit NANP area code of an E.164 number starting with `+1`, or `None` when the
/// input is not a well-formed `+1` number with 10 national digits.
///
/// The input is expected to be the output of [`normalize_phone`]; it is not re-normalised.
///
/// ```
/// use muster_normalize::phone::nanp_area_code;
///
/// assert_eq!(nanp_area_code("+12025550143"), Some("202"));
/// assert_eq!(nanp_area_code("+442079460958"), None);
/// assert_eq!(nanp_area_code("(202) 555-0143"), None);
/// ```
pub fn nanp_area_code(e164: &str) -> Option<&str> {
    let national = e164.strip_prefix("+1")?;
    if national.len() == 10 && national.bytes().all(|b| b.is_ascii_digit()) {
        national.get(..3)
    } else {
        None
    }
}

fn is_nanp_region(region: &str) -> bool {
    let region = region.trim();
    region.eq_ignore_ascii_case("US") || region.eq_ignore_ascii_case("CA")
}

/// `intl` is the digit string after the international prefix, country code first.
fn normalize_international(intl: &str) -> Option<String> {
    if !(MIN_INTERNATIONAL_DIGITS..=MAX_INTERNATIONAL_DIGITS).contains(&intl.len())
        || intl.starts_with('0')
    {
        return None;
    }
    match intl.strip_prefix('1') {
        Some(national) => nanp_e164(national),
        None => Some(format!("+{intl}")),
    }
}

/// `national` must be the 10 NANP digits: NPA (area code), NXX (exchange), line number.
fn nanp_e164(national: &str) -> Option<String> {
    let bytes = national.as_bytes();
    if bytes.len() != 10 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let valid_lead = |b: u8| (b'2'..=b'9').contains(&b);
    if !valid_lead(bytes[0]) || !valid_lead(bytes[3]) {
        return None;
    }
    Some(format!("+1{national}"))
}

/// Returns the part before an extension, or `None` when trailing text is not an extension.
fn strip_extension(s: &str) -> Option<&str> {
    let Some(pos) = s.find(|c: char| c.is_alphabetic() || matches!(c, '#' | ';' | ',')) else {
        return Some(s);
    };
    let (head, tail) = s.split_at(pos);
    let lower = tail.to_ascii_lowercase();
    let after_marker = [";ext=", "extension", "ext", "x", "#", ","]
        .iter()
        .find_map(|marker| lower.strip_prefix(marker))?;
    let rest = after_marker.trim_start_matches([' ', '.', ':', '=', '-', ',']);
    let digits_end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    if digits_end == 0 || !rest[digits_end..].trim().is_empty() {
        return None;
    }
    Some(head)
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        s.get(prefix.len()..)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn us(s: &str) -> Option<String> {
        normalize_phone(s, "US")
    }

    #[test]
    fn nanp_ten_and_eleven_digits() {
        assert_eq!(us("2025550143").as_deref(), Some("+12025550143"));
        assert_eq!(us("12025550143").as_deref(), Some("+12025550143"));
        assert_eq!(
            normalize_phone("6135550123", "ca").as_deref(),
            Some("+16135550123")
        );
        assert_eq!(us("22025550143"), None); // 11 digits not starting with 1
        assert_eq!(us("202555014"), None);
        assert_eq!(us("202555014312"), None);
    }

    #[test]
    fn formatting_is_stripped() {
        for s in [
            "(202) 555-0143",
            "202.555.0143",
            "202 555 0143",
            "202/555-0143",
            "+1 202-555-0143",
            "+1 (202) 555 0143",
            "1 (202) 555-0143",
            "tel:+1-202-555-0143",
            "TEL:202-555-0143",
            "  202–555–0143  ",
        ] {
            assert_eq!(us(s).as_deref(), Some("+12025550143"), "{s:?}");
        }
    }

    #[test]
    fn extensions_are_dropped() {
        for s in [
            "202-555-0143 x123",
            "202-555-0143x123",
            "202-555-0143 ext 123",
            "202-555-0143 ext. 123",
            "202-555-0143 EXT:123",
            "202-555-0143 extension 9",
            "202-555-0143 #77",
            "tel:+1-202-555-0143;ext=1234",
            "202-555-0143,,55",
        ] {
            assert_eq!(us(s).as_deref(), Some("+12025550143"), "{s:?}");
        }
    }

    #[test]
    fn letters_other_than_extensions_reject() {
        assert_eq!(us("1-800-FLOWERS"), None);
        assert_eq!(us("202-555-0143 ext"), None);
        assert_eq!(us("202-555-0143 call me"), None);
        assert_eq!(us("tel:+1-202-555-0143;phone-context=example.com"), None);
    }

    #[test]
    fn nanp_validity() {
        assert_eq!(us("(012) 555-0143"), None);
        assert_eq!(us("(102) 555-0143"), None);
        assert_eq!(us("(202) 055-0143"), None);
        assert_eq!(us("(202) 155-0143"), None);
        assert_eq!(us("+1 102 555 0143"), None);
        assert_eq!(us("+1 202 555 014"), None);
    }

    #[test]
    fn international_prefixes() {
        // `00` always means international, even where it could be read as a national number.
        assert_eq!(us("(002) 555-0143").as_deref(), Some("+25550143"));
        assert_eq!(us("+44 20 7946 0958").as_deref(), Some("+442079460958"));
        assert_eq!(us("0044 20 7946 0958").as_deref(), Some("+442079460958"));
        assert_eq!(us("011 44 20 7946 0958").as_deref(), Some("+442079460958"));
        assert_eq!(normalize_phone("011 44 20 7946 0958", "GB"), None);
        assert_eq!(
            normalize_phone("+86 138 0013 8000", "CN").as_deref(),
            Some("+8613800138000")
        );
        assert_eq!(
            normalize_phone("+850 2 381 4410", "KP").as_deref(),
            Some("+85023814410")
        );
    }

    #[test]
    fn international_length_limits() {
        assert_eq!(us("+1234567"), None); // 7 digits
        assert_eq!(us("+49123456").as_deref(), Some("+49123456")); // 8 digits
        assert_eq!(us("+491234567890123").as_deref(), Some("+491234567890123")); // 15
        assert_eq!(us("+4912345678901234"), None); // 16
        assert_eq!(us("+0123456789"), None); // country code cannot start with 0
    }

    #[test]
    fn other_regions_need_a_prefix() {
        assert_eq!(normalize_phone("2025550143", "GB"), None);
        assert_eq!(normalize_phone("2025550143", ""), None);
        assert_eq!(
            normalize_phone("+1 202 555 0143", "GB").as_deref(),
            Some("+12025550143")
        );
    }

    #[test]
    fn plus_must_lead() {
        assert_eq!(us("202+5550143"), None);
        assert_eq!(us("++12025550143"), None);
        assert_eq!(us("(+1) 202 555 0143").as_deref(), Some("+12025550143"));
    }

    #[test]
    fn garbage_is_none() {
        for s in [
            "",
            "   ",
            "+",
            "tel:",
            "()",
            "x123",
            "１２０２５５５０１４３",
        ] {
            assert_eq!(us(s), None, "{s:?}");
        }
    }

    #[test]
    fn area_code() {
        assert_eq!(nanp_area_code("+12025550143"), Some("202"));
        assert_eq!(nanp_area_code("+1202555014"), None);
        assert_eq!(nanp_area_code("+1202555014a"), None);
        assert_eq!(nanp_area_code("+85023814410"), None);
        assert_eq!(nanp_area_code(""), None);
    }

    fn nanp_number() -> impl Strategy<Value = (String, String, String)> {
        ("[2-9][0-9]{2}", "[2-9][0-9]{2}", "[0-9]{4}")
    }

    proptest! {
        #[test]
        fn never_panics(s in any::<String>(), region in "[A-Za-z]{0,3}") {
            let _ = normalize_phone(&s, &region);
            let _ = nanp_area_code(&s);
        }

        #[test]
        fn idempotent(s in "[0-9 +().x#-]{0,20}", region in prop_oneof![Just("US"), Just("GB"), Just("CA")]) {
            if let Some(once) = normalize_phone(&s, region) {
                prop_assert_eq!(normalize_phone(&once, region), Some(once.clone()));
                prop_assert_eq!(normalize_phone(&once, "ZZ"), Some(once.clone()));
            }
        }

        #[test]
        fn formatted_variants_agree(
            (npa, nxx, line) in nanp_number(),
            sep1 in prop_oneof![Just(""), Just(" "), Just("-"), Just("."), Just(" - ")],
            sep2 in prop_oneof![Just(""), Just(" "), Just("-"), Just(".")],
            parens in any::<bool>(),
            prefix in prop_oneof![Just(""), Just("1"), Just("1 "), Just("1-"), Just("+1"), Just("+1 "), Just("001 "), Just("tel:+1-")],
            ext in prop_oneof![Just(String::new()), "( x| ext\\.? | #)[0-9]{1,5}"],
        ) {
            let area = if parens { format!("({npa})") } else { npa.clone() };
            let formatted = format!("{prefix}{area}{sep1}{nxx}{sep2}{line}{ext}");
            let expected = format!("+1{npa}{nxx}{line}");
            prop_assert_eq!(normalize_phone(&formatted, "US"), Some(expected.clone()));
            prop_assert_eq!(nanp_area_code(&expected), Some(npa.as_str()));
        }
    }
}
