//! A cell read from any input format, and its coercion to a contract type.

use std::borrow::Cow;

use muster_contract::ColumnType;

/// One value as read from an input file, before coercion.
#[derive(Debug, Clone, Copy)]
pub enum Cell<'a> {
    /// Missing or empty.
    Null,
    /// Text.
    Str(&'a str),
    /// Bytes that are not valid UTF-8.
    Bytes(&'a [u8]),
    /// Integer.
    Int(i64),
    /// Float.
    Float(f64),
    /// Boolean.
    Bool(bool),
    /// Timestamp, UTC microseconds.
    TsMicros(i64),
    /// Date, days since 1970-01-01.
    Date(i32),
}

/// A coerced value, ready for an Arrow builder.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// Null.
    Null,
    /// Text (also ip and hex columns, canonicalised).
    Str(Cow<'a, str>),
    /// UTC microseconds.
    Ts(i64),
    /// Days since epoch.
    Date(i32),
    /// Boolean.
    Bool(bool),
    /// Float.
    Float(f64),
    /// Integer.
    Int(i64),
}

/// Why a cell could not be coerced.
pub type Reason = String;

/// Tokens treated as null in typed (non-text) columns, as exports often write them.
const NULL_TOKENS: &[&str] = &["null", "none", "n/a", "na", "nan", "nat", "-"];

fn is_null_token(s: &str) -> bool {
    NULL_TOKENS.iter().any(|t| s.eq_ignore_ascii_case(t))
}

/// Coerces a cell to a contract type.
///
/// ```
/// use muster_ingest::{coerce, Cell, Value};
/// use muster_contract::ColumnType;
/// assert_eq!(coerce(Cell::Str(" YES "), ColumnType::Bool), Ok(Value::Bool(true)));
/// assert_eq!(coerce(Cell::Str("0x1D6B"), ColumnType::Hex(4)), Ok(Value::Str("1d6b".into())));
/// assert!(coerce(Cell::Str("maybe"), ColumnType::Bool).is_err());
/// ```
pub fn coerce(cell: Cell<'_>, ty: ColumnType) -> Result<Value<'_>, Reason> {
    match cell {
        Cell::Null => Ok(Value::Null),
        Cell::Bytes(_) => Err("not valid UTF-8 text".into()),
        Cell::Str(raw) => {
            let s = raw.trim();
            if s.is_empty() {
                return Ok(Value::Null);
            }
            if !matches!(ty, ColumnType::Str) && is_null_token(s) {
                return Ok(Value::Null);
            }
            coerce_str(s, raw, ty)
        }
        Cell::Int(i) => match ty {
            ColumnType::Str => Ok(Value::Str(i.to_string().into())),
            ColumnType::Int => Ok(Value::Int(i)),
            ColumnType::Float | ColumnType::Decimal => Ok(Value::Float(i as f64)),
            ColumnType::Ts => crate::time::epoch_to_micros(i as f64).map(Value::Ts),
            ColumnType::Bool => match i {
                0 => Ok(Value::Bool(false)),
                1 => Ok(Value::Bool(true)),
                _ => Err(format!("integer {i} is not a boolean (expected 0 or 1)")),
            },
            // A hex id written as a JSON/Parquet number lost its leading zeros, not its base:
            // 104 means 0x0104 (`1d6b:0104`), so its digits are read as hex.
            ColumnType::Hex(w) if i >= 0 => parse_hex(&i.to_string(), w),
            ColumnType::Hex(w) => hex_from_int(i, w),
            ColumnType::Date | ColumnType::Ip => Err(format!("number {i} is not a {}", ty.name())),
        },
        Cell::Float(f) => match ty {
            ColumnType::Str => Ok(Value::Str(f.to_string().into())),
            ColumnType::Float | ColumnType::Decimal => Ok(Value::Float(f)),
            ColumnType::Int if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(Value::Int(f as i64)),
            ColumnType::Ts => crate::time::epoch_to_micros(f).map(Value::Ts),
            _ => Err(format!("number {f} is not a {}", ty.name())),
        },
        Cell::Bool(b) => match ty {
            ColumnType::Bool => Ok(Value::Bool(b)),
            ColumnType::Str => Ok(Value::Str(b.to_string().into())),
            _ => Err(format!("boolean {b} is not a {}", ty.name())),
        },
        Cell::TsMicros(t) => match ty {
            ColumnType::Ts => Ok(Value::Ts(t)),
            ColumnType::Date => Ok(Value::Date(t.div_euclid(86_400_000_000) as i32)),
            ColumnType::Str => Ok(Value::Str(crate::time::format_micros(t).into())),
            _ => Err(format!("timestamp is not a {}", ty.name())),
        },
        Cell::Date(d) => match ty {
            ColumnType::Date => Ok(Value::Date(d)),
            ColumnType::Ts => i64::from(d)
                .checked_mul(86_400_000_000)
                .map(Value::Ts)
                .ok_or_else(|| "date out of range".to_string()),
            ColumnType::Str => Ok(Value::Str(crate::time::format_date(d).into())),
            _ => Err(format!("date is not a {}", ty.name())),
        },
    }
}

fn coerce_str<'a>(s: &'a str, raw: &'a str, ty: ColumnType) -> Result<Value<'a>, Reason> {
    match ty {
        ColumnType::Str => Ok(Value::Str(Cow::Borrowed(raw.trim()))),
        ColumnType::Ts => crate::time::parse_ts(s).map(Value::Ts),
        ColumnType::Date => crate::time::parse_date(s).map(Value::Date),
        ColumnType::Ip => muster_normalize::canonical_ip(s)
            .map(|v| Value::Str(Cow::Owned(v)))
            .ok_or_else(|| "not an IPv4 or IPv6 address".to_string()),
        ColumnType::Bool => parse_bool(s)
            .map(Value::Bool)
            .ok_or_else(|| "not a boolean (true/false/1/0/yes/no)".to_string()),
        ColumnType::Float | ColumnType::Decimal => {
            let cleaned = s.replace(',', "");
            let cleaned = cleaned.trim_start_matches('$');
            match cleaned.parse::<f64>() {
                Ok(f) if f.is_finite() => Ok(Value::Float(f)),
                _ => Err("not a number".into()),
            }
        }
        ColumnType::Int => match s.parse::<i64>() {
            Ok(i) => Ok(Value::Int(i)),
            Err(_) => match s.parse::<f64>() {
                Ok(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(Value::Int(f as i64)),
                _ => Err("not an integer".into()),
            },
        },
        ColumnType::Hex(w) => parse_hex(s, w),
    }
}

/// Parses the contract's booleans: true/false/1/0/yes/no/t/f/y/n, case-insensitive.
pub fn parse_bool(s: &str) -> Option<bool> {
    const T: &[&str] = &["true", "1", "yes", "y", "t"];
    const F: &[&str] = &["false", "0", "no", "n", "f"];
    if T.iter().any(|t| s.eq_ignore_ascii_case(t)) {
        Some(true)
    } else if F.iter().any(|t| s.eq_ignore_ascii_case(t)) {
        Some(false)
    } else {
        None
    }
}

fn parse_hex(s: &str, width: u8) -> Result<Value<'static>, Reason> {
    let digits = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .unwrap_or(s);
    let w = usize::from(width);
    if digits.is_empty() || digits.len() > w || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("not a hex id of at most {w} digits"));
    }
    Ok(Value::Str(
        format!("{:0>w$}", digits.to_ascii_lowercase()).into(),
    ))
}

fn hex_from_int(i: i64, width: u8) -> Result<Value<'static>, Reason> {
    let w = usize::from(width);
    let max = 16i64.saturating_pow(u32::from(width));
    if !(0..max).contains(&i) {
        return Err(format!("integer {i} out of range for a {w}-digit hex id"));
    }
    Ok(Value::Str(format!("{i:0w$x}").into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_null_tokens() {
        assert_eq!(
            coerce(Cell::Str("NULL"), ColumnType::Float),
            Ok(Value::Null)
        );
        assert_eq!(
            coerce(Cell::Str("null"), ColumnType::Str),
            Ok(Value::Str("null".into()))
        );
    }

    #[test]
    fn hex_ids() {
        assert_eq!(
            coerce(Cell::Str("38EB"), ColumnType::Hex(4)),
            Ok(Value::Str("38eb".into()))
        );
        assert_eq!(
            coerce(Cell::Str("b"), ColumnType::Hex(4)),
            Ok(Value::Str("000b".into()))
        );
        assert_eq!(
            coerce(Cell::Int(104), ColumnType::Hex(4)),
            Ok(Value::Str("0104".into()))
        );
        assert!(coerce(Cell::Int(-1), ColumnType::Hex(4)).is_err());
        assert!(coerce(Cell::Str("12345"), ColumnType::Hex(4)).is_err());
        assert!(coerce(Cell::Str("zz"), ColumnType::Hex(4)).is_err());
    }

    #[test]
    fn numbers() {
        assert_eq!(
            coerce(Cell::Str("1,234.5"), ColumnType::Decimal),
            Ok(Value::Float(1234.5))
        );
        assert_eq!(
            coerce(Cell::Str("42.0"), ColumnType::Int),
            Ok(Value::Int(42))
        );
        assert!(coerce(Cell::Str("4x"), ColumnType::Int).is_err());
        assert!(coerce(Cell::Str("inf"), ColumnType::Float).is_err());
    }

    #[test]
    fn ips_are_canonical() {
        assert_eq!(
            coerce(Cell::Str(" ::ffff:10.0.0.1 "), ColumnType::Ip),
            Ok(Value::Str("10.0.0.1".into()))
        );
        assert!(coerce(Cell::Str("999.1.1.1"), ColumnType::Ip).is_err());
    }
}
