//! US Social Security number parsing and validity rules.
//!
//! An [`Ssn`] never shows its digits by accident: [`Debug`](std::fmt::Debug) and
//! [`Display`](std::fmt::Display) print the masked form `***-**-1234`, and errors never carry
//! the input. Call [`Ssn::digits`] when the raw value is really needed (for example to hash it).
//!
//! Numbers that can never have been issued are rejected with [`SsnError::Invalid`]: area `000`,
//! `666` or `900`–`999`, group `00`, serial `0000`, and the well-known advertising or sample
//! numbers `078-05-1120`, `219-09-9999` and `123-45-6789`. Since randomisation (June 2011) any
//! other area may be issued, so no issuance-date table is used.
//!
//! ```
//! use muster_normalize::ssn::{parse_ssn, InvalidSsn, SsnError};
//!
//! let ssn = parse_ssn(" 536-22-8726 ")?;
//! assert_eq!(ssn.masked(), "***-**-8726");
//! assert_eq!(format!("{ssn:?}"), "Ssn(***-**-8726)");
//! assert_eq!(parse_ssn("666-12-3456"), Err(SsnError::Invalid(InvalidSsn::Area666)));
//! # Ok::<(), SsnError>(())
//! ```

use std::fmt;

/// A syntactically well-formed SSN that passes the SSA "never issued" rules.
///
/// Stored as nine ASCII digits. `Debug` and `Display` print only the masked form.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ssn([u8; 9]);

/// Why a string is not an SSN at all (its layout), as opposed to an impossible number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SsnFormatProblem {
    /// Not 9 digits once the accepted separators are removed.
    #[error("expected 9 digits, found {0}")]
    WrongLength(usize),
    /// A character other than an ASCII digit, or a separator in the wrong place.
    #[error("only digits are allowed, laid out as NNN-NN-NNNN, NNN NN NNNN or NNNNNNNNN")]
    NonDigit,
}

/// Why a well-formed nine-digit number can never be a valid SSN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvalidSsn {
    /// Area number `000`.
    #[error("area number 000 is never issued")]
    AreaZero,
    /// Area number `666`.
    #[error("area number 666 is never issued")]
    Area666,
    /// Area numbers `900`–`999` (used for ITINs, never for SSNs).
    #[error("area numbers 900-999 are never issued as SSNs")]
    Area900s,
    /// Group number `00`.
    #[error("group number 00 is never issued")]
    GroupZero,
    /// Serial number `0000`.
    #[error("serial number 0000 is never issued")]
    SerialZero,
    /// A number published in advertising or as a sample (`078-05-1120`, `219-09-9999`,
    /// `123-45-6789`).
    #[error("a well-known advertising or sample number")]
    Advertising,
}

/// Error from [`parse_ssn`]. It never contains the input, which is sensitive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SsnError {
    /// The text is not laid out as an SSN.
    #[error("not an SSN: {0}")]
    Format(SsnFormatProblem),
    /// The number is well-formed but can never have been issued.
    #[error("invalid SSN: {0}")]
    Invalid(InvalidSsn),
}

/// Published advertising / sample numbers, as 9-digit strings.
const SAMPLE_NUMBERS: [&[u8; 9]; 3] = [b"078051120", b"219099999", b"123456789"];

/// Parses a US SSN written as `123-45-6789`, `123 45 6789` or `123456789` (surrounding
/// whitespace allowed) and checks the SSA rules listed in the [module documentation](self).
///
/// ```
/// use muster_normalize::ssn::{parse_ssn, InvalidSsn, SsnError, SsnFormatProblem};
///
/// assert_eq!(parse_ssn("536228726")?.digits(), "536228726");
/// assert_eq!(parse_ssn("536 22 8726")?.area(), 536);
/// assert_eq!(parse_ssn("123-45-6789"), Err(SsnError::Invalid(InvalidSsn::Advertising)));
/// assert_eq!(parse_ssn("53622872"), Err(SsnError::Format(SsnFormatProblem::WrongLength(8))));
/// # Ok::<(), SsnError>(())
/// ```
pub fn parse_ssn(input: &str) -> Result<Ssn, SsnError> {
    let s = input.trim();
    let bytes = s.as_bytes();
    let mut digits = [0u8; 9];
    match bytes.len() {
        9 => {
            if !bytes.iter().all(u8::is_ascii_digit) {
                return Err(SsnError::Format(SsnFormatProblem::NonDigit));
            }
            digits.copy_from_slice(bytes);
        }
        11 => {
            let sep = bytes[3];
            let separated = (sep == b'-' || sep == b' ') && bytes[6] == sep;
            let mut n = 0;
            for (i, &b) in bytes.iter().enumerate() {
                if i == 3 || i == 6 {
                    continue;
                }
                if !b.is_ascii_digit() || !separated {
                    return Err(SsnError::Format(SsnFormatProblem::NonDigit));
                }
                digits[n] = b;
                n += 1;
            }
        }
        _ => {
            let count = s.chars().filter(char::is_ascii_digit).count();
            let only_digits_and_seps = s
                .chars()
                .all(|c| c.is_ascii_digit() || c == '-' || c == ' ');
            return Err(SsnError::Format(if only_digits_and_seps {
                SsnFormatProblem::WrongLength(count)
            } else {
                SsnFormatProblem::NonDigit
            }));
        }
    }
    let ssn = Ssn(digits);
    ssn.check().map(|()| ssn).map_err(SsnError::Invalid)
}

impl Ssn {
    /// The nine digits, without separators. Sensitive: prefer [`Ssn::masked`] for display.
    ///
    /// ```
    /// # use muster_normalize::ssn::parse_ssn;
    /// assert_eq!(parse_ssn("536-22-8726").map(|s| s.digits()), Ok("536228726".to_owned()));
    /// ```
    pub fn digits(&self) -> String {
        self.0.iter().map(|&b| char::from(b)).collect()
    }

    /// The masked form `***-**-NNNN` showing only the serial number.
    ///
    /// ```
    /// # use muster_normalize::ssn::parse_ssn;
    /// assert_eq!(parse_ssn("536228726").map(|s| s.masked()), Ok("***-**-8726".to_owned()));
    /// ```
    pub fn masked(&self) -> String {
        let serial: String = self.0[5..].iter().map(|&b| char::from(b)).collect();
        format!("***-**-{serial}")
    }

    /// The area number (first three digits), `1`–`899` except `666`.
    ///
    /// ```
    /// # use muster_normalize::ssn::parse_ssn;
    /// assert_eq!(parse_ssn("078-12-3456").map(|s| s.area()), Ok(78));
    /// ```
    pub fn area(&self) -> u16 {
        number(&self.0[..3])
    }

    /// The group number (middle two digits), `1`–`99`.
    ///
    /// ```
    /// # use muster_normalize::ssn::parse_ssn;
    /// assert_eq!(parse_ssn("536-22-8726").map(|s| s.group()), Ok(22));
    /// ```
    pub fn group(&self) -> u16 {
        number(&self.0[3..5])
    }

    /// The serial number (last four digits), `1`–`9999`.
    ///
    /// ```
    /// # use muster_normalize::ssn::parse_ssn;
    /// assert_eq!(parse_ssn("536-22-0726").map(|s| s.serial()), Ok(726));
    /// ```
    pub fn serial(&self) -> u16 {
        number(&self.0[5..])
    }

    fn check(&self) -> Result<(), InvalidSsn> {
        let area = self.area();
        if area == 0 {
            return Err(InvalidSsn::AreaZero);
        }
        if area == 666 {
            return Err(InvalidSsn::Area666);
        }
        if area >= 900 {
            return Err(InvalidSsn::Area900s);
        }
        if self.group() == 0 {
            return Err(InvalidSsn::GroupZero);
        }
        if self.serial() == 0 {
            return Err(InvalidSsn::SerialZero);
        }
        if SAMPLE_NUMBERS.iter().any(|sample| **sample == self.0) {
            return Err(InvalidSsn::Advertising);
        }
        Ok(())
    }
}

fn number(ascii_digits: &[u8]) -> u16 {
    ascii_digits
        .iter()
        .fold(0u16, |acc, &b| acc * 10 + u16::from(b - b'0'))
}

impl fmt::Debug for Ssn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ssn({})", self.masked())
    }
}

impl fmt::Display for Ssn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fmt_err(p: SsnFormatProblem) -> Result<Ssn, SsnError> {
        Err(SsnError::Format(p))
    }

    fn invalid(r: InvalidSsn) -> Result<Ssn, SsnError> {
        Err(SsnError::Invalid(r))
    }

    #[test]
    fn accepted_layouts() -> Result<(), SsnError> {
        for s in [
            "536-22-8726",
            "536 22 8726",
            "536228726",
            "  536-22-8726\t",
            "\n536228726 ",
        ] {
            assert_eq!(parse_ssn(s)?.digits(), "536228726", "{s:?}");
        }
        Ok(())
    }

    #[test]
    fn layout_errors() {
        assert_eq!(parse_ssn(""), fmt_err(SsnFormatProblem::WrongLength(0)));
        assert_eq!(
            parse_ssn("53622872"),
            fmt_err(SsnFormatProblem::WrongLength(8))
        );
        assert_eq!(
            parse_ssn("5362287261"),
            fmt_err(SsnFormatProblem::WrongLength(10))
        );
        assert_eq!(
            parse_ssn("536-22-872"),
            fmt_err(SsnFormatProblem::WrongLength(8))
        );
        assert_eq!(parse_ssn("53a228726"), fmt_err(SsnFormatProblem::NonDigit));
        assert_eq!(
            parse_ssn("536-22 8726"),
            fmt_err(SsnFormatProblem::NonDigit)
        );
        assert_eq!(
            parse_ssn("5362-2-8726"),
            fmt_err(SsnFormatProblem::NonDigit)
        );
        assert_eq!(
            parse_ssn("536.22.8726"),
            fmt_err(SsnFormatProblem::NonDigit)
        );
        assert_eq!(
            parse_ssn("５３６２２８７２６"),
            fmt_err(SsnFormatProblem::NonDigit)
        );
    }

    #[test]
    fn never_issued_rules() {
        assert_eq!(parse_ssn("000-12-3456"), invalid(InvalidSsn::AreaZero));
        assert_eq!(parse_ssn("666-12-3456"), invalid(InvalidSsn::Area666));
        assert_eq!(parse_ssn("900-12-3456"), invalid(InvalidSsn::Area900s));
        assert_eq!(parse_ssn("999-12-3456"), invalid(InvalidSsn::Area900s));
        assert_eq!(parse_ssn("536-00-8726"), invalid(InvalidSsn::GroupZero));
        assert_eq!(parse_ssn("536-22-0000"), invalid(InvalidSsn::SerialZero));
        assert_eq!(parse_ssn("078-05-1120"), invalid(InvalidSsn::Advertising));
        assert_eq!(parse_ssn("219 09 9999"), invalid(InvalidSsn::Advertising));
        assert_eq!(parse_ssn("123456789"), invalid(InvalidSsn::Advertising));
    }

    #[test]
    fn boundaries_that_are_valid() {
        assert!(parse_ssn("001-01-0001").is_ok());
        assert!(parse_ssn("665-99-9999").is_ok());
        assert!(parse_ssn("667-01-0001").is_ok());
        assert!(parse_ssn("899-99-9999").is_ok());
        assert!(parse_ssn("078-05-1121").is_ok());
    }

    #[test]
    fn parts_and_masking() -> Result<(), SsnError> {
        let ssn = parse_ssn("078-12-0345")?;
        assert_eq!(ssn.area(), 78);
        assert_eq!(ssn.group(), 12);
        assert_eq!(ssn.serial(), 345);
        assert_eq!(ssn.masked(), "***-**-0345");
        Ok(())
    }

    #[test]
    fn debug_and_display_never_show_digits() -> Result<(), SsnError> {
        let ssn = parse_ssn("536-22-8726")?;
        let debug = format!("{ssn:?}");
        let pretty = format!("{ssn:#?}");
        let display = ssn.to_string();
        for shown in [&debug, &pretty, &display] {
            assert!(!shown.contains("536"), "{shown}");
            assert!(!shown.contains("22-"), "{shown}");
            assert!(shown.contains("***-**-8726"), "{shown}");
        }
        let wrapped = format!("{:?}", Some(ssn));
        assert!(!wrapped.contains("536228726"));
        Ok(())
    }

    #[test]
    fn errors_do_not_echo_input() {
        let err = parse_ssn("666-12-3456")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("666"), "{err}"); // the rule, not the input
        assert!(!err.contains("3456"), "{err}");
        let err = parse_ssn("12a-45-6789")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(!err.contains("6789"), "{err}");
    }

    proptest! {
        #[test]
        fn never_panics(s in any::<String>()) {
            let _ = parse_ssn(&s);
        }

        #[test]
        fn layouts_agree_and_roundtrip(area in 1u16..900, group in 1u16..100, serial in 1u16..10000) {
            prop_assume!(area != 666);
            let plain = format!("{area:03}{group:02}{serial:04}");
            prop_assume!(!SAMPLE_NUMBERS.iter().any(|s| s.as_slice() == plain.as_bytes()));
            let dashed = format!("{area:03}-{group:02}-{serial:04}");
            let spaced = format!(" {area:03} {group:02} {serial:04} ");
            let a = parse_ssn(&plain);
            prop_assert!(a.is_ok());
            prop_assert_eq!(parse_ssn(&dashed), a);
            prop_assert_eq!(parse_ssn(&spaced), a);
            if let Ok(ssn) = a {
                prop_assert_eq!(ssn.area(), area);
                prop_assert_eq!(ssn.group(), group);
                prop_assert_eq!(ssn.serial(), serial);
                // Idempotent: parsing the digits again gives the same value.
                prop_assert_eq!(parse_ssn(&ssn.digits()), Ok(ssn));
                prop_assert_eq!(ssn.masked(), format!("***-**-{serial:04}"));
            }
        }
    }
}
