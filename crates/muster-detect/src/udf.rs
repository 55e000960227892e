//! muster's scalar functions for SQL. Every function is pure and depends only on its arguments
//! and on reference data compiled into the binary, so the same registration works on every
//! Ballista executor (functions travel by name).

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use datafusion::arrow::array::builder::NullBufferBuilder;
use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanBuilder, Float64Builder, Int64Builder, ListBuilder,
    StringBuilder, StructArray,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Fields, TimeUnit, TimestampMicrosecondType};
use datafusion::common::{DataFusionError, Result};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};
use datafusion::prelude::SessionContext;
use muster_intel::Intel;

type StrFn = fn(&Intel, &[Option<&str>]) -> Option<String>;
type ValFn = fn(&Intel, &[Option<&str>]) -> Val;

/// What a row function returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Ret {
    Str,
    Int,
    Float,
    Bool,
    StrList,
    Point,
}

impl Ret {
    fn data_type(self) -> DataType {
        match self {
            Ret::Str => DataType::Utf8,
            Ret::Int => DataType::Int64,
            Ret::Float => DataType::Float64,
            Ret::Bool => DataType::Boolean,
            Ret::StrList => DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true))),
            Ret::Point => DataType::Struct(point_fields()),
        }
    }
}

/// One row's result.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    Null,
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    List(Vec<String>),
    /// Latitude, longitude.
    Point(f64, f64),
}

fn point_fields() -> Fields {
    Fields::from(vec![
        Field::new("lat", DataType::Float64, true),
        Field::new("lon", DataType::Float64, true),
    ])
}

#[derive(Debug, Clone, Copy)]
enum RowFn {
    Str(StrFn),
    Val(ValFn),
}

/// Documentation of one SQL function (docs/sql-functions.md is generated from these).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FunctionDoc {
    /// Function name.
    pub name: &'static str,
    /// Call shape, e.g. `ip_asn(ip)`.
    pub call: &'static str,
    /// SQL return type.
    pub returns: &'static str,
    /// What it does, and null behaviour.
    pub about: &'static str,
}

/// A function of string arguments (each argument is cast to text) returning one of [`Ret`];
/// reference data comes from the run's [`Intel`] (embedded copies, or the user's newer files).
#[derive(Debug)]
struct IntelUdf {
    name: &'static str,
    signature: Signature,
    ret: Ret,
    intel: Intel,
    f: RowFn,
}

impl PartialEq for IntelUdf {
    fn eq(&self, o: &Self) -> bool {
        self.name == o.name
    }
}
impl Eq for IntelUdf {}
impl Hash for IntelUdf {
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

/// Appends row results to the builder of the return type.
enum Out {
    Str(StringBuilder),
    Int(Int64Builder),
    Float(Float64Builder),
    Bool(BooleanBuilder),
    List(ListBuilder<StringBuilder>),
    Point(Float64Builder, Float64Builder, NullBufferBuilder),
}

impl Out {
    fn new(ret: Ret, rows: usize) -> Out {
        match ret {
            Ret::Str => Out::Str(StringBuilder::with_capacity(rows, rows * 8)),
            Ret::Int => Out::Int(Int64Builder::with_capacity(rows)),
            Ret::Float => Out::Float(Float64Builder::with_capacity(rows)),
            Ret::Bool => Out::Bool(BooleanBuilder::with_capacity(rows)),
            Ret::StrList => Out::List(ListBuilder::new(StringBuilder::new())),
            Ret::Point => Out::Point(
                Float64Builder::with_capacity(rows),
                Float64Builder::with_capacity(rows),
                NullBufferBuilder::new(rows),
            ),
        }
    }

    fn push(&mut self, v: Val) {
        match (self, v) {
            (Out::Str(b), Val::Str(s)) => b.append_value(s),
            (Out::Int(b), Val::Int(i)) => b.append_value(i),
            (Out::Float(b), Val::Float(x)) if x.is_finite() => b.append_value(x),
            (Out::Bool(b), Val::Bool(x)) => b.append_value(x),
            (Out::List(b), Val::List(items)) => {
                for i in items {
                    b.values().append_value(i);
                }
                b.append(true);
            }
            (Out::Point(la, lo, n), Val::Point(a, b)) => {
                la.append_value(a);
                lo.append_value(b);
                n.append_non_null();
            }
            (Out::Point(la, lo, n), _) => {
                la.append_null();
                lo.append_null();
                n.append_null();
            }
            (Out::Str(b), _) => b.append_null(),
            (Out::Int(b), _) => b.append_null(),
            (Out::Float(b), _) => b.append_null(),
            (Out::Bool(b), _) => b.append_null(),
            (Out::List(b), _) => b.append(false),
        }
    }

    fn finish(self) -> ArrayRef {
        match self {
            Out::Str(mut b) => Arc::new(b.finish()),
            Out::Int(mut b) => Arc::new(b.finish()),
            Out::Float(mut b) => Arc::new(b.finish()),
            Out::Bool(mut b) => Arc::new(b.finish()),
            Out::List(mut b) => Arc::new(b.finish()),
            Out::Point(mut la, mut lo, mut n) => Arc::new(StructArray::new(
                point_fields(),
                vec![Arc::new(la.finish()) as ArrayRef, Arc::new(lo.finish())],
                n.finish(),
            )),
        }
    }
}

impl ScalarUDFImpl for IntelUdf {
    fn name(&self) -> &str {
        self.name
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(self.ret.data_type())
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let arrays = as_strings(&args.args, rows)?;
        let strs: Vec<_> = arrays.iter().map(|a| a.as_string::<i32>()).collect();
        let mut out = Out::new(self.ret, rows);
        let mut buf: Vec<Option<&str>> = Vec::with_capacity(strs.len());
        for i in 0..rows {
            buf.clear();
            buf.extend(
                strs.iter()
                    .map(|a| if a.is_null(i) { None } else { Some(a.value(i)) }),
            );
            let v = match self.f {
                RowFn::Str(f) => f(&self.intel, &buf).map_or(Val::Null, Val::Str),
                RowFn::Val(f) => f(&self.intel, &buf),
            };
            out.push(v);
        }
        Ok(ColumnarValue::Array(out.finish()))
    }
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
    let tags = intel.ip().tags(ip);
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

fn claimed_zone(intel: &Intel, a: &[Option<&str>]) -> Option<String> {
    let g = |i: usize| a.get(i).copied().flatten();
    crate::tz::claimed_zone(intel, g(0), g(1), g(2), g(3))
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

fn bssid_key(_: &Intel, a: &[Option<&str>]) -> Option<String> {
    muster_normalize::normalize_bssid(first(a)?)
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
    building_of(&address(a)?)
}

/// The SQL function `building_key` for an address given as text: the normalised line 1 and the
/// ZIP (or city and region); `None` when line 1 is missing or a placeholder.
pub fn building_key_of(
    line1: &str,
    line2: Option<&str>,
    city: &str,
    region: &str,
    postal_code: &str,
) -> Option<String> {
    building_of(&address(&[
        Some(line1),
        line2,
        Some(city),
        Some(region),
        Some(postal_code),
    ])?)
}

fn building_of(addr: &muster_normalize::UsAddress) -> Option<String> {
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
fn usb_vendor(intel: &Intel, a: &[Option<&str>]) -> Option<String> {
    let vid = muster_intel::kvm::parse_hex_u16(first(a)?)?;
    intel.usb().vendor(vid).map(str::to_string)
}

fn usb_gadget(_: &Intel, a: &[Option<&str>]) -> Val {
    let g = |i: usize| {
        a.get(i)
            .copied()
            .flatten()
            .and_then(muster_intel::kvm::parse_hex_u16)
    };
    match (g(0), g(1)) {
        (Some(v), Some(p)) => Val::Bool(muster_intel::usb::is_gadget_id(v, p)),
        _ => Val::Null,
    }
}

fn usb_kvm_shape(_: &Intel, a: &[Option<&str>]) -> Val {
    match first(a).map(muster_intel::usb::InterfaceSet::parse) {
        Some(Ok(set)) => Val::Bool(set.kvm_composite()),
        _ => Val::Null,
    }
}

fn edid_capture(_: &Intel, a: &[Option<&str>]) -> Option<String> {
    let g = |i: usize| a.get(i).copied().flatten();
    muster_intel::usb::capture_edid(g(0), g(1)).map(str::to_string)
}

fn ip_asn(intel: &Intel, a: &[Option<&str>]) -> Val {
    first(a)
        .and_then(muster_normalize::normalize_ip)
        .and_then(|ip| intel.ip().asn(ip))
        .map_or(Val::Null, |(n, _)| Val::Int(i64::from(n)))
}

fn ip_as_org(intel: &Intel, a: &[Option<&str>]) -> Option<String> {
    let ip = muster_normalize::normalize_ip(first(a)?)?;
    let (_, org) = intel.ip().asn(ip)?;
    (!org.is_empty()).then(|| org.to_string())
}

fn ip_country(intel: &Intel, a: &[Option<&str>]) -> Option<String> {
    let ip = muster_normalize::normalize_ip(first(a)?)?;
    intel.ip().country(ip).map(str::to_string)
}

fn ip_city(intel: &Intel, a: &[Option<&str>]) -> Option<String> {
    let ip = muster_normalize::normalize_ip(first(a)?)?;
    let g = intel.mmdb()?.lookup(ip)?;
    let parts: Vec<&str> = [g.city.as_deref(), g.region.as_deref(), g.country.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn ip_tags(intel: &Intel, a: &[Option<&str>]) -> Val {
    let Some(ip) = first(a).and_then(muster_normalize::normalize_ip) else {
        return Val::Null;
    };
    let mut tags: Vec<String> = intel
        .ip()
        .tags(ip)
        .tag_names()
        .into_iter()
        .map(str::to_string)
        .collect();
    for t in intel.user_tags(ip) {
        if !tags.contains(&t.tag) {
            tags.push(t.tag.clone());
        }
    }
    Val::List(tags)
}

fn zip_zone(intel: &Intel, a: &[Option<&str>]) -> Option<String> {
    intel.zips().lookup(first(a)?)?.zone.map(str::to_string)
}

fn zip_state(intel: &Intel, a: &[Option<&str>]) -> Option<String> {
    let z = intel.zips().lookup(first(a)?)?;
    (!z.state.is_empty()).then(|| z.state.clone())
}

fn zip_point(intel: &Intel, a: &[Option<&str>]) -> Val {
    match first(a).and_then(|z| intel.zips().lookup(z)) {
        Some(z) => Val::Point(z.lat, z.lon),
        None => Val::Null,
    }
}

fn geo_km(_: &Intel, a: &[Option<&str>]) -> Val {
    let f = |i: usize| {
        a.get(i)
            .copied()
            .flatten()
            .and_then(|s| s.trim().parse::<f64>().ok())
    };
    match (f(0), f(1), f(2), f(3)) {
        (Some(la1), Some(lo1), Some(la2), Some(lo2))
            if la1.abs() <= 90.0
                && la2.abs() <= 90.0
                && lo1.abs() <= 180.0
                && lo2.abs() <= 180.0 =>
        {
            Val::Float(muster_intel::haversine_km(la1, lo1, la2, lo2))
        }
        _ => Val::Null,
    }
}

/// FNV-1a (64-bit) of a key: stable across runs, platforms and executors, unlike the std hasher.
pub(crate) fn stable_hash(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn slice_of(_: &Intel, a: &[Option<&str>]) -> Val {
    let n = a
        .get(1)
        .copied()
        .flatten()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|n| *n > 0);
    match (first(a), n) {
        (Some(key), Some(n)) => Val::Int((stable_hash(key) % n) as i64),
        _ => Val::Null,
    }
}

fn phone_zone(intel: &Intel, a: &[Option<&str>]) -> Option<String> {
    let code = intel.area_codes().lookup_number(first(a)?)?;
    // An area code spanning zones: the state's main zone when it is one of them.
    let main = code.state.as_deref().and_then(muster_intel::state_zone);
    match main {
        Some(m) if code.zones.iter().any(|z| z == m) => Some(m.to_string()),
        _ => code.zones.first().cloned(),
    }
}

fn phone_region(intel: &Intel, a: &[Option<&str>]) -> Option<String> {
    let code = intel.area_codes().lookup_number(first(a)?)?;
    code.state.clone().or_else(|| Some(code.region.clone()))
}

fn email_disposable(intel: &Intel, a: &[Option<&str>]) -> Val {
    match first(a).map(str::trim).filter(|e| e.contains('.')) {
        Some(e) => Val::Bool(intel.disposable().is_disposable(e)),
        None => Val::Null,
    }
}

/// The best OFAC hit for a crypto address, an email or a name, as one line an analyst reads.
fn sanctions_hit(intel: &Intel, a: &[Option<&str>]) -> Option<String> {
    let v = first(a)?.trim();
    if v.is_empty() {
        return None;
    }
    let s = intel.sanctions();
    let hits = if v.contains('@') {
        s.match_email(v)
    } else if v.len() >= 25 && v.chars().all(|c| c.is_ascii_alphanumeric()) {
        s.match_crypto(v)
    } else {
        s.match_name(v)
    };
    let h = hits.into_iter().next()?;
    Some(format!(
        "SDN {} {} ({} {:?}, score {:.2}; {})",
        h.ent_num,
        h.entry_name,
        h.kind.as_str(),
        h.matched_name,
        h.score,
        h.programs.join(" ")
    ))
}

fn strongest(m: &[muster_intel::KvmMatch]) -> Option<String> {
    m.iter()
        .find(|m| m.strength == muster_intel::Strength::Strong)
        .map(|m| format!("{} ({}={})", m.product, m.field, m.value))
}

/// One function of the catalogue.
struct Def {
    doc: FunctionDoc,
    arity: usize,
    ret: Ret,
    f: RowFn,
}

const fn def(
    name: &'static str,
    call: &'static str,
    returns: &'static str,
    about: &'static str,
    arity: usize,
    ret: Ret,
    f: RowFn,
) -> Def {
    Def {
        doc: FunctionDoc {
            name,
            call,
            returns,
            about,
        },
        arity,
        ret,
        f,
    }
}

const LOCAL_HOUR_DOC: FunctionDoc = FunctionDoc {
    name: "local_hour",
    call: "local_hour(ts, zone)",
    returns: "bigint",
    about: "Hour of day (0-23) of a UTC timestamp in an IANA time zone; null when the zone is null \
        or unknown.",
};

/// The catalogue of row functions (all but `local_hour`).
fn defs() -> Vec<Def> {
    use RowFn::{Str as S, Val as V};
    vec![
        def(
            "ip_anon_kind",
            "ip_anon_kind(ip)",
            "text",
            "The anonymising kind of an address: `dprk`, `known_bad` (a user list with that tag), \
             `tor`, `vpn` or `hosting`, strongest first; null for anything else or an unparsable \
             address.",
            1,
            Ret::Str,
            S(ip_anon_kind),
        ),
        def(
            "ip_tags",
            "ip_tags(ip)",
            "list<text>",
            "Every tag of an address: the built-in `vpn`, `hosting`, `tor`, `dprk` and the tags \
             of the user's [[lists.ip_tags]] lists. Empty list when none; null for an unparsable \
             address.",
            1,
            Ret::StrList,
            V(ip_tags),
        ),
        def(
            "ip_asn",
            "ip_asn(ip)",
            "bigint",
            "AS number announcing the address (ip-location-db, RouteViews / DB-IP / NRO data, or \
             the user's newer files); null when unannounced or unparsable.",
            1,
            Ret::Int,
            V(ip_asn),
        ),
        def(
            "ip_as_org",
            "ip_as_org(ip)",
            "text",
            "Organisation of the announcing AS.",
            1,
            Ret::Str,
            S(ip_as_org),
        ),
        def(
            "ip_country",
            "ip_country(ip)",
            "text",
            "Registry country (ISO 3166 alpha-2) of the address block. A `KP` here alone is not \
             DPRK evidence (small self-declared geofeed ranges); `dprk` in ip_tags is.",
            1,
            Ret::Str,
            S(ip_country),
        ),
        def(
            "ip_city",
            "ip_city(ip)",
            "text",
            "`city, region, country` from the user's `.mmdb` (`[data] mmdb`); null without one.",
            1,
            Ret::Str,
            S(ip_city),
        ),
        def(
            "zip_point",
            "zip_point(zip)",
            "struct<lat: double, lon: double>",
            "Centroid of a US ZIP code (Census ZCTA internal point, else GeoNames); accepts \
             ZIP+4 and lost leading zeros. `zip_point(z)['lat']`.",
            1,
            Ret::Point,
            V(zip_point),
        ),
        def(
            "zip_zone",
            "zip_zone(zip)",
            "text",
            "IANA time zone of a US ZIP code (county-level in split states).",
            1,
            Ret::Str,
            S(zip_zone),
        ),
        def(
            "zip_state",
            "zip_state(zip)",
            "text",
            "USPS state code of a US ZIP code.",
            1,
            Ret::Str,
            S(zip_state),
        ),
        def(
            "geo_km",
            "geo_km(lat1, lon1, lat2, lon2)",
            "double",
            "Great-circle distance in km (haversine, mean Earth radius 6371.0088 km); null for \
             missing or out-of-range coordinates.",
            4,
            Ret::Float,
            V(geo_km),
        ),
        def(
            "slice_of",
            "slice_of(key, n)",
            "bigint",
            "Which of `n` slices a key (a person id) falls in, 0 to n-1: FNV-1a of its bytes \
             modulo n, the same on every run and executor. Detections that hold per-person state \
             run once per slice of people to bound memory. Null when the key is null or n is not \
             a positive integer.",
            2,
            Ret::Int,
            V(slice_of),
        ),
        def(
            "phone_zone",
            "phone_zone(phone)",
            "text",
            "IANA time zone of a NANP number's area code (the state's main zone when the area \
             code spans zones); null for toll-free and non-geographic codes and non-NANP numbers.",
            1,
            Ret::Str,
            S(phone_zone),
        ),
        def(
            "phone_region",
            "phone_region(phone)",
            "text",
            "State or province of a NANP number's area code (else its country code). Area codes \
             follow numbers when people move, so a mismatch with the home state is weak alone.",
            1,
            Ret::Str,
            S(phone_region),
        ),
        def(
            "email_disposable",
            "email_disposable(email_or_domain)",
            "boolean",
            "Whether the mailbox is at a disposable-email provider (the domain or a subdomain of \
             one listed); null when there is no domain.",
            1,
            Ret::Bool,
            V(email_disposable),
        ),
        def(
            "sanctions_hit",
            "sanctions_hit(name_or_email_or_crypto_address)",
            "text",
            "The best OFAC SDN match: exact for emails and digital-currency addresses, fuzzy for \
             names (token order, transliteration variants, score >= 0.88). Compares only with \
             listed names; never scores a name for its origin.",
            1,
            Ret::Str,
            S(sanctions_hit),
        ),
        def(
            "ip_class",
            "ip_class(ip)",
            "text",
            "Address class from the IANA special-purpose registries: `public`, `private`, \
             `cgnat`, `loopback`, `link_local`, `documentation`, `multicast`, ...",
            1,
            Ret::Str,
            S(ip_class),
        ),
        def(
            "claimed_zone",
            "claimed_zone(claimed_timezone, region, country, postal_code)",
            "text",
            "The IANA zone a person claims: the explicit zone when valid, else the zone of the US \
             ZIP code's county (when it agrees with the state), else the state's majority zone; \
             null when unknown.",
            4,
            Ret::Str,
            S(claimed_zone),
        ),
        def(
            "norm_phone",
            "norm_phone(phone, country)",
            "text",
            "E.164 form of a phone number (default region US when the country is not a 2-letter \
             code); null when it cannot be a valid number.",
            2,
            Ret::Str,
            S(norm_phone),
        ),
        def(
            "norm_email",
            "norm_email(email)",
            "text",
            "Canonical mailbox: lowercase, Gmail dots and +tags removed.",
            1,
            Ret::Str,
            S(norm_email),
        ),
        def(
            "bssid_key",
            "bssid_key(bssid)",
            "text",
            "The 12 lower-case hex digits of a Wi-Fi BSSID in any spelling (`AA:BB:..`, \
             `aabb.ccdd..`); null unless there are exactly 12, and for the all-zero and broadcast \
             addresses.",
            1,
            Ret::Str,
            S(bssid_key),
        ),
        def(
            "name_key",
            "name_key(name)",
            "text",
            "Name key independent of case, diacritics and token order.",
            1,
            Ret::Str,
            S(name_key),
        ),
        def(
            "addr_key",
            "addr_key(line1, line2, city, region, postal_code)",
            "text",
            "USPS-normalised address key including the unit; null for placeholders (`N/A`).",
            5,
            Ret::Str,
            S(addr_key),
        ),
        def(
            "building_key",
            "building_key(line1, line2, city, region, postal_code)",
            "text",
            "The street address without the unit (one building).",
            5,
            Ret::Str,
            S(building_key),
        ),
        def(
            "rmm_process",
            "rmm_process(name, path)",
            "text",
            "LOLRMM tool of a process by path, else by name (case, separators and version \
             suffixes ignored).",
            2,
            Ret::Str,
            S(rmm_process),
        ),
        def(
            "rmm_software",
            "rmm_software(name, publisher)",
            "text",
            "LOLRMM tool of an installed-software entry.",
            2,
            Ret::Str,
            S(rmm_software),
        ),
        def(
            "rmm_domain",
            "rmm_domain(domain)",
            "text",
            "LOLRMM tool whose domain patterns (exact, wildcard, regex) match a host name.",
            1,
            Ret::Str,
            S(rmm_domain),
        ),
        def(
            "kvm_usb",
            "kvm_usb(vendor_id, product_id, vendor_name, product_name, serial)",
            "text",
            "IP-KVM product of a USB device from a strong identifier (`PiKVM (manufacturer=PiKVM)`); \
             weak, generic ids give null.",
            5,
            Ret::Str,
            S(kvm_usb),
        ),
        def(
            "kvm_edid",
            "kvm_edid(maker, product_code, monitor_name, serial)",
            "text",
            "IP-KVM product of a display's EDID from a strong identifier.",
            4,
            Ret::Str,
            S(kvm_edid),
        ),
        def(
            "usb_vendor",
            "usb_vendor(vendor_id)",
            "text",
            "Vendor name of a USB vendor id from usb.ids.",
            1,
            Ret::Str,
            S(usb_vendor),
        ),
        def(
            "usb_gadget",
            "usb_gadget(vendor_id, product_id)",
            "boolean",
            "Whether the id is a Linux USB gadget (vendor 1d6b, not a root hub): a Linux computer \
             playing a USB device. Null for unparsable ids.",
            2,
            Ret::Bool,
            V(usb_gadget),
        ),
        def(
            "usb_kvm_shape",
            "usb_kvm_shape(interfaces)",
            "boolean",
            "Whether one device's interfaces (`03:01:01;03:00:00;08:06:50`) combine a keyboard, a \
             pointer and mass storage, the shape of an IP-KVM. Null when unparsable.",
            1,
            Ret::Bool,
            V(usb_kvm_shape),
        ),
        def(
            "edid_capture",
            "edid_capture(maker, monitor_name)",
            "text",
            "Why a display EDID is an HDMI capture chip (maker LNX, `*H2C` names), or null.",
            2,
            Ret::Str,
            S(edid_capture),
        ),
    ]
}

/// Documentation of every SQL function muster registers, sorted by name.
pub fn docs() -> Vec<FunctionDoc> {
    let mut d: Vec<FunctionDoc> = defs().into_iter().map(|d| d.doc).collect();
    d.push(LOCAL_HOUR_DOC);
    d.sort_by_key(|d| d.name);
    d
}

/// Every muster UDF. Register them with [`register`]; Ballista executors must register the same
/// (built from the same configuration, so user data files match).
pub fn all(intel: &Intel) -> Vec<ScalarUDF> {
    let mut v: Vec<ScalarUDF> = defs()
        .into_iter()
        .map(|d| {
            ScalarUDF::from(IntelUdf {
                name: d.doc.name,
                signature: Signature::any(d.arity, Volatility::Immutable),
                ret: d.ret,
                intel: intel.clone(),
                f: d.f,
            })
        })
        .collect();
    v.push(ScalarUDF::from(LocalHour {
        signature: Signature::any(2, Volatility::Immutable),
    }));
    v
}

/// Registers every muster UDF on a session.
pub fn register(ctx: &SessionContext, intel: &Intel) {
    for f in all(intel) {
        ctx.register_udf(f);
    }
}
