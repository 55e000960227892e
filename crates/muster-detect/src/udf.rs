//! muster's scalar functions for SQL. Every function is pure and depends only on its arguments
//! and on reference data compiled into the binary, so the same registration works on every
//! Ballista executor (functions travel by name).

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int64Builder, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, TimeUnit, TimestampMicrosecondType};
use datafusion::common::{DataFusionError, Result};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use datafusion::prelude::SessionContext;
use muster_intel::Intel;

type StrFn = fn(&Intel, &[Option<&str>]) -> Option<String>;

/// A function of string arguments returning a string; reference data comes from the run's
/// [`Intel`] (embedded copies, or the user's newer files named in `muster.toml`).
#[derive(Debug)]
struct StrUdf {
    name: &'static str,
    signature: Signature,
    intel: Intel,
    f: StrFn,
}

impl PartialEq for StrUdf {
    fn eq(&self, o: &Self) -> bool {
        self.name == o.name
    }
}
impl Eq for StrUdf {}
impl Hash for StrUdf {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.name.hash(h);
    }
}

fn as_strings(args: &[ColumnarValue], rows: usize) -> Result<Vec<ArrayRef>> {
    args.iter()
        .map(|a| {
            let arr = a.to_array(rows)?;
            Ok(cast(&arr, &DataType::Utf8)?)
        })
        .collect()
}

impl ScalarUDFImpl for StrUdf {
    fn name(&self) -> &str {
        self.name
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let arrays = as_strings(&args.args, rows)?;
        let strs: Vec<_> = arrays.iter().map(|a| a.as_string::<i32>()).collect();
        let mut out = StringBuilder::with_capacity(rows, rows * 8);
        let mut buf: Vec<Option<&str>> = Vec::with_capacity(strs.len());
        for i in 0..rows {
            buf.clear();
            buf.extend(
                strs.iter()
                    .map(|a| if a.is_null(i) { None } else { Some(a.value(i)) }),
            );
            match (self.f)(&self.intel, &buf) {
                Some(s) => out.append_value(s),
                None => out.append_null(),
            }
        }
        Ok(ColumnarValue::Array(Arc::new(out.finish())))
    }
}

fn str_udf(intel: &Intel, name: &'static str, arity: usize, f: StrFn) -> ScalarUDF {
    ScalarUDF::from(StrUdf {
        name,
        signature: Signature::uniform(arity, vec![DataType::Utf8], Volatility::Immutable),
        intel: intel.clone(),
        f,
    })
}

/// `local_hour(ts, zone)`: hour of day (0-23) of a UTC timestamp in an IANA zone; null when the
/// zone is null or unknown.
#[derive(Debug, PartialEq, Eq, Hash)]
struct LocalHour {
    signature: Signature,
}

impl ScalarUDFImpl for LocalHour {
    fn name(&self) -> &str {
        "local_hour"
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int64)
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        use chrono::{TimeZone, Timelike};
        let rows = args.number_rows;
        let [ts, zone] = args.args.as_slice() else {
            return Err(DataFusionError::Plan(
                "local_hour(ts, zone) takes two arguments".into(),
            ));
        };
        let ts = cast(
            &ts.to_array(rows)?,
            &DataType::Timestamp(TimeUnit::Microsecond, None),
        )?;
        let ts = ts.as_primitive::<TimestampMicrosecondType>();
        let zone = cast(&zone.to_array(rows)?, &DataType::Utf8)?;
        let zone = zone.as_string::<i32>();
        let mut out = Int64Builder::with_capacity(rows);
        let mut cache: Option<(String, chrono_tz::Tz)> = None;
        for i in 0..rows {
            if ts.is_null(i) || zone.is_null(i) {
                out.append_null();
                continue;
            }
            let z = zone.value(i);
            let tz = match &cache {
                Some((name, tz)) if name == z => *tz,
                _ => match z.parse::<chrono_tz::Tz>() {
                    Ok(tz) => {
                        cache = Some((z.to_string(), tz));
                        tz
                    }
                    Err(_) => {
                        out.append_null();
                        continue;
                    }
                },
            };
            match chrono::DateTime::from_timestamp_micros(ts.value(i)) {
                Some(dt) => {
                    out.append_value(i64::from(tz.from_utc_datetime(&dt.naive_utc()).hour()))
                }
                None => out.append_null(),
            }
        }
        Ok(ColumnarValue::Array(Arc::new(out.finish())))
    }
}

fn first<'a>(a: &[Option<&'a str>]) -> Option<&'a str> {
    a.first().copied().flatten()
}

/// The user tag that marks addresses from published threat intelligence (e.g. the VPN exits
/// Mandiant and LevelBlue attributed to DPRK IT workers) as anonymising infrastructure.
pub const KNOWN_BAD: &str = "known_bad";

fn ip_anon_kind(intel: &Intel, a: &[Option<&str>]) -> Option<String> {
    let ip = muster_normalize::normalize_ip(first(a)?)?;
    let tags = intel.ip().lookup(ip);
    let kind = if tags.dprk.is_some() {
        "dprk"
    } else if intel.user_tags(ip).any(|t| t.tag == KNOWN_BAD) {
        KNOWN_BAD
    } else if tags.tor {
        "tor"
    } else if tags.vpn {
        "vpn"
    } else if tags.hosting {
        "hosting"
    } else {
        return None;
    };
    Some(kind.to_string())
}

fn ip_class(_: &Intel, a: &[Option<&str>]) -> Option<String> {
    let ip = muster_normalize::normalize_ip(first(a)?)?;
    Some(muster_normalize::ip_class(ip).as_str().to_string())
}

fn claimed_zone(_: &Intel, a: &[Option<&str>]) -> Option<String> {
    let g = |i: usize| a.get(i).copied().flatten();
    crate::tz::claimed_zone(g(0), g(1), g(2))
}

fn norm_phone(_: &Intel, a: &[Option<&str>]) -> Option<String> {
    let region = a
        .get(1)
        .copied()
        .flatten()
        .map(str::trim)
        .filter(|r| r.len() == 2)
        .unwrap_or("US");
    muster_normalize::normalize_phone(first(a)?, &region.to_ascii_uppercase())
}

fn norm_email(_: &Intel, a: &[Option<&str>]) -> Option<String> {
    muster_normalize::normalize_email(first(a)?)
}

fn name_key(_: &Intel, a: &[Option<&str>]) -> Option<String> {
    let k = muster_normalize::name_key(first(a)?);
    (!k.is_empty()).then_some(k)
}

/// The address arguments `(line1, line2, city, region, postal_code)` normalised (USPS), or
/// `None` when line 1 is missing or a placeholder.
fn address(a: &[Option<&str>]) -> Option<muster_normalize::UsAddress> {
    let g = |i: usize| a.get(i).copied().flatten();
    let line1 = g(0).filter(|l| !is_placeholder(l))?;
    Some(muster_normalize::normalize_us_address(
        line1,
        g(1),
        g(2).unwrap_or(""),
        g(3).unwrap_or(""),
        g(4).unwrap_or(""),
    ))
}

fn addr_key(_: &Intel, a: &[Option<&str>]) -> Option<String> {
    let k = address(a)?.key();
    (!k.trim_matches('|').is_empty()).then_some(k)
}

/// The street address without its unit (apartment, suite): one building.
fn building_key(_: &Intel, a: &[Option<&str>]) -> Option<String> {
    let addr = address(a)?;
    let place = match &addr.zip5 {
        Some(z) => z.clone(),
        None => format!("{}|{}", addr.city, addr.region),
    };
    (!addr.line1.is_empty()).then(|| format!("{}|{place}", addr.line1))
}

/// Text that stands for "no value" in HR exports; must never make two people look alike.
pub fn is_placeholder(s: &str) -> bool {
    const P: &[&str] = &[
        "",
        "n/a",
        "na",
        "none",
        "null",
        "-",
        "--",
        "unknown",
        "tbd",
        "not provided",
        ".",
    ];
    let t = s.trim().to_ascii_lowercase();
    P.contains(&t.as_str())
}

fn rmm_process(intel: &Intel, a: &[Option<&str>]) -> Option<String> {
    let cat = intel.rmm();
    let g = |i: usize| a.get(i).copied().flatten();
    g(1).and_then(|p| cat.match_process(p))
        .or_else(|| g(0).and_then(|n| cat.match_process(n)))
        .map(|m| m.tool)
}

fn rmm_software(intel: &Intel, a: &[Option<&str>]) -> Option<String> {
    let g = |i: usize| a.get(i).copied().flatten();
    intel.rmm().match_software(g(0)?, g(1)).map(|m| m.tool)
}

fn rmm_domain(intel: &Intel, a: &[Option<&str>]) -> Option<String> {
    intel.rmm().match_domain(first(a)?).map(|m| m.tool)
}

fn kvm_usb(intel: &Intel, a: &[Option<&str>]) -> Option<String> {
    let g = |i: usize| a.get(i).copied().flatten();
    let matches = intel.kvm().match_usb(g(0)?, g(1)?, g(2), g(3), g(4));
    strongest(&matches)
}

fn kvm_edid(intel: &Intel, a: &[Option<&str>]) -> Option<String> {
    let g = |i: usize| a.get(i).copied().flatten();
    let matches = intel.kvm().match_edid(g(0), g(1), g(2), g(3));
    strongest(&matches)
}

/// The product of the first strong match (weak, generic ids are left to structural detections).
fn strongest(m: &[muster_intel::KvmMatch]) -> Option<String> {
    m.iter()
        .find(|m| m.strength == muster_intel::Strength::Strong)
        .map(|m| format!("{} ({}={})", m.product, m.field, m.value))
}

/// Every muster UDF. Register them with [`register`]; Ballista executors must register the same.
pub fn all(intel: &Intel) -> Vec<ScalarUDF> {
    vec![
        str_udf(intel, "ip_anon_kind", 1, ip_anon_kind),
        str_udf(intel, "ip_class", 1, ip_class),
        str_udf(intel, "claimed_zone", 3, claimed_zone),
        str_udf(intel, "norm_phone", 2, norm_phone),
        str_udf(intel, "norm_email", 1, norm_email),
        str_udf(intel, "name_key", 1, name_key),
        str_udf(intel, "addr_key", 5, addr_key),
        str_udf(intel, "building_key", 5, building_key),
        str_udf(intel, "rmm_process", 2, rmm_process),
        str_udf(intel, "rmm_software", 2, rmm_software),
        str_udf(intel, "rmm_domain", 1, rmm_domain),
        str_udf(intel, "kvm_usb", 5, kvm_usb),
        str_udf(intel, "kvm_edid", 4, kvm_edid),
        ScalarUDF::from(LocalHour {
            signature: Signature::any(2, Volatility::Immutable),
        }),
    ]
}

/// Registers every muster UDF on a session.
pub fn register(ctx: &SessionContext, intel: &Intel) {
    for f in all(intel) {
        ctx.register_udf(f);
    }
}
