//! Where people are seen from: the located observations shared by GEO-MISMATCH, GEO-TRAVEL and
//! NET-SHIFT.
//!
//! Each person's successful sign-ins are reduced in SQL to one row per (hour, address, location
//! as the source gave it), and their devices' check-ins to one row per (day, address, position to
//! about 1 km), then located in Rust:
//!
//! - a sign-in's own geolocation (`geo_lat`/`geo_lon` with a city or region: the identity
//!   provider's IP geolocation, city-level) with [`IP_ERR_KM`]; coordinates without a city or a
//!   region are treated as country-level only (many databases put an address they cannot place
//!   at its country's centroid);
//! - else the address in the user's `.mmdb` (`[data] mmdb`), with its accuracy radius when it
//!   gives one (at least [`IP_ERR_KM`]); a radius of [`COUNTRY_LEVEL_KM`] or more is country-level;
//! - a presence row's `lat`/`lon` (Wi-Fi or GPS positioning) with its `accuracy_m`
//!   ([`WIFI_ERR_KM`] when not given).
//!
//! Addresses on the company's egress list and addresses tagged VPN, hosting, Tor, DPRK or
//! known-bad are not locations of the person (NET-ANON covers them): their IP geolocation and
//! country are dropped. Mobile-carrier addresses ([`is_mobile`]) keep their country (carriers route
//! through their home country, roaming included) but not their city-level point, which is the
//! carrier's hub.

use std::collections::BTreeMap;
use std::net::IpAddr;

use crate::rows::col;
use crate::{DetectConfig, DetectError, Engine};

/// City-level IP geolocation error allowed per point, km. Commercial databases place most
/// residential broadband addresses within tens of km of the user but a sizeable minority
/// (regional ISPs, addresses registered at a head office) 100 km or more away; country-level is
/// right for the vast majority of addresses.
pub(crate) const IP_ERR_KM: f64 = 100.0;
/// A database accuracy radius at or above this is a country-level guess, not a place.
pub(crate) const COUNTRY_LEVEL_KM: f64 = 500.0;
/// Error of a Wi-Fi / GPS position whose accuracy the source did not give, km.
pub(crate) const WIFI_ERR_KM: f64 = 10.0;
/// Kilometres per statute mile.
pub(crate) const KM_PER_MILE: f64 = 1.609_344;
/// Microseconds per hour.
pub(crate) const HOUR_US: i64 = 3_600_000_000;
/// Microseconds per day.
pub(crate) const DAY_US: i64 = 24 * HOUR_US;

/// Autonomous systems of mobile carriers whose names do not say so (the rest are recognised by
/// name, see [`is_mobile`]): AT&T Mobility (20057), Verizon Wireless space announced by Verizon
/// Business (6167), Cellco Partnership (22394), Sprint PCS (10507), SK Telecom (9644),
/// Reliance Jio (55836).
const MOBILE_ASNS: &[i64] = &[20057, 6167, 22394, 10507, 9644, 55836];

/// How an observation was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Via {
    /// A sign-in (identity provider).
    Signin,
    /// A device check-in located by its public address.
    PresenceIp,
    /// A device check-in with Wi-Fi / GPS positioning.
    Wifi,
}

impl Via {
    /// Name used in evidence.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Via::Signin => "signin",
            Via::PresenceIp => "device_presence_ip",
            Via::Wifi => "wifi_positioning",
        }
    }
}

/// One located observation (one hour of one source at one address and place).
#[derive(Debug, Clone)]
pub(crate) struct Obs {
    /// First and last time in the hour, UTC microseconds.
    pub t0: i64,
    /// See `t0`.
    pub t1: i64,
    /// Events folded into it.
    pub n: i64,
    /// Distinct hours it covers (1 for a sign-in group).
    pub hours: i64,
    /// Source kind.
    pub via: Via,
    /// Public address, when known.
    pub ip: Option<String>,
    /// Company device, when known.
    pub device: Option<String>,
    /// Point and its error radius (km), when located at city level or better.
    pub point: Option<(f64, f64, f64)>,
    /// Country (ISO alpha-2, upper case), when known.
    pub country: Option<String>,
    /// Place as the source named it (`city, region, country`), for evidence.
    pub place: Option<String>,
}

/// What is known about one address.
#[derive(Debug, Clone, Default)]
pub(crate) struct IpFacts {
    /// `dprk`, `known_bad`, `tor`, `vpn`, `hosting` or none.
    pub anon: Option<String>,
    /// On the company's egress list.
    pub corporate: bool,
    /// A mobile carrier's address.
    pub mobile: bool,
    /// Registry country.
    pub country: Option<String>,
    /// Announcing AS.
    pub asn: Option<i64>,
}

impl IpFacts {
    /// Whether the address says nothing about where the person is.
    pub(crate) fn excluded(&self) -> bool {
        self.anon.is_some() || self.corporate
    }
}

/// A person's claimed places and observations.
#[derive(Debug, Clone, Default)]
pub(crate) struct Person {
    /// Claimed home ZIP and its centroid.
    pub home: Option<(String, f64, f64)>,
    /// Claimed country (upper case; US when the record leaves it empty).
    pub country: String,
    /// Claimed city (lower case) and state (USPS code when known, else as written, lower case).
    pub city: Option<(String, String)>,
    /// Hire time, UTC microseconds.
    pub hired: Option<i64>,
    /// Ship-to ZIP centroids of the person's devices: (device, zip, lat, lon).
    pub ship: Vec<(String, String, f64, f64)>,
    /// Company devices assigned to the person, with `managed` as recorded.
    pub devices: BTreeMap<String, Option<bool>>,
    /// Observations, sorted by time.
    pub obs: Vec<Obs>,
}

/// Whether an address belongs to a mobile carrier: AS name with wireless / mobile / mobility /
/// cellular / cellco, or one of [`MOBILE_ASNS`].
pub(crate) fn is_mobile(asn: Option<i64>, org: Option<&str>) -> bool {
    if asn.is_some_and(|a| MOBILE_ASNS.contains(&a)) {
        return true;
    }
    let org = org.unwrap_or_default().to_ascii_lowercase();
    ["wireless", "mobile", "mobility", "cellular", "cellco"]
        .iter()
        .any(|w| org.contains(w))
}

/// Great-circle distance in km.
pub(crate) fn km(a: (f64, f64), b: (f64, f64)) -> f64 {
    muster_intel::haversine_km(a.0, a.1, b.0, b.1)
}

/// Kilometres and miles, rounded, for evidence.
pub(crate) fn km_mi(km: f64) -> serde_json::Value {
    serde_json::json!({"km": km.round(), "miles": (km / KM_PER_MILE).round()})
}

/// The UTC day number of a time.
pub(crate) fn day(t: i64) -> i64 {
    t.div_euclid(DAY_US)
}

/// Facts about every address in sign-ins and presence.
pub(crate) fn ip_facts(
    engine: &Engine,
    cfg: &DetectConfig,
) -> Result<BTreeMap<String, IpFacts>, DetectError> {
    let mut out = BTreeMap::new();
    for b in engine.sql(
        "SELECT ip, ip_anon_kind(ip) AS kind, ip_country(ip) AS country, ip_asn(ip) AS asn,
                ip_as_org(ip) AS org
         FROM (SELECT DISTINCT src_ip AS ip FROM signins WHERE src_ip IS NOT NULL
               UNION SELECT DISTINCT public_ip AS ip FROM device_presence WHERE public_ip IS NOT NULL)",
    )? {
        let (ip, kind, country) = (col(&b, "ip")?, col(&b, "kind")?, col(&b, "country")?);
        let (asn, org) = (col(&b, "asn")?, col(&b, "org")?);
        for i in 0..b.num_rows() {
            let Some(addr) = ip.str(i) else { continue };
            out.insert(
                addr.to_string(),
                IpFacts {
                    anon: kind.str(i).map(str::to_string),
                    corporate: cfg.is_corporate(addr),
                    mobile: is_mobile(asn.int(i), org.str(i)),
                    country: country.str(i).map(str::to_ascii_uppercase),
                    asn: asn.int(i),
                },
            );
        }
    }
    Ok(out)
}

/// The tables [`people`] reads per person, whose size sets the number of slices: sign-ins,
/// and device check-ins when it reads them.
pub(crate) const OBS_TABLES: [&str; 2] = ["signins", "device_presence"];

/// Memory per event row of [`OBS_TABLES`] in one slice (see [`Engine::person_slices`]),
/// estimated from an RSS trace at 100,000 people with 2 GiB: each of GEO-MISMATCH's 4 slices
/// (about 16 M event rows) rose by about 2.5 GB, of which the engine's pool held at most about
/// 1 GB, so roughly 100 bytes per row of Rust state, doubled for the aggregation. NET-SHIFT
/// uses it too (its sign-in groups rose by about 2.1 GB for 15.5 M rows).
pub(crate) const OBS_BYTES_PER_ROW: u64 = 200;

/// Calls `each` with every person with observations and their claimed places, one slice of
/// people at a time ([`Engine::person_slices`] over [`OBS_TABLES`]), so that only one slice's
/// observations are held at once. `ips` from [`ip_facts`]; device check-ins only when
/// `presence`.
pub(crate) fn for_each_slice(
    engine: &Engine,
    cfg: &DetectConfig,
    ips: &BTreeMap<String, IpFacts>,
    presence: bool,
    mut each: impl FnMut(&BTreeMap<String, Person>) -> Result<(), DetectError>,
) -> Result<(), DetectError> {
    let tables = if presence {
        &OBS_TABLES[..]
    } else {
        &OBS_TABLES[..1]
    };
    let n = engine.person_slices(tables, OBS_BYTES_PER_ROW);
    if n > 1 {
        // read and joined once, not once per slice (GEO-MISMATCH at 100,000 people: 25
        // slices, each re-joining 15 M sign-ins and 50 M check-ins)
        engine.stage_sliced(&rows_table("signin", n), SIGNIN_ROWS, "person_id", n)?;
        if presence {
            engine.stage_sliced(&rows_table("presence", n), PRESENCE_ROWS, "person_id", n)?;
        }
    }
    for k in 0..n {
        each(&people(engine, cfg, ips, presence, (k, n))?)?;
    }
    Ok(())
}

/// Successful sign-ins with their person ([`for_each_slice`] reads them per slice).
const SIGNIN_ROWS: &str = "SELECT coalesce(s.person_id, m.person_id) AS person_id, s.src_ip,
        s.geo_lat, s.geo_lon, s.geo_country, s.geo_city, s.geo_region, s.device_id, s.time
    FROM signins s LEFT JOIN account_map m ON lower(trim(s.account)) = m.account
    WHERE coalesce(lower(s.outcome), 'success') = 'success'";

/// Check-ins of assigned devices with the device's user.
const PRESENCE_ROWS: &str = "SELECT d.person_id, p.device_id, p.public_ip, p.lat, p.lon,
        p.accuracy_m, p.time
    FROM devices d JOIN device_presence p ON p.device_id = d.device_id
    WHERE d.person_id IS NOT NULL";

/// The staged table of `what` rows in `n` slices.
fn rows_table(what: &str, n: u64) -> String {
    format!("geo_{what}_rows_{n}")
}

/// The rows of `sql` ([`SIGNIN_ROWS`], [`PRESENCE_ROWS`]) of slice `k` of `n`: the staged
/// slice when there are several, else the query itself.
fn slice_rows(what: &str, sql: &str, (k, n): (u64, u64)) -> String {
    if n > 1 {
        format!(
            "(SELECT * FROM {} WHERE slice_k = {k})",
            rows_table(what, n)
        )
    } else {
        format!("({sql})")
    }
}

/// Every person of slice `k` of `n` (`slice`) with observations, with their claimed places.
fn people(
    engine: &Engine,
    cfg: &DetectConfig,
    ips: &BTreeMap<String, IpFacts>,
    presence: bool,
    slice: (u64, u64),
) -> Result<BTreeMap<String, Person>, DetectError> {
    let mut out: BTreeMap<String, Person> = BTreeMap::new();
    let zips = cfg.intel.zips();
    let only = |col: &str| super::slice_filter(col, slice.0, slice.1);
    for b in engine.sql(&format!(
        "SELECT person_id, postal_code, upper(coalesce(nullif(trim(country), ''), 'US')) AS country,
                hired_at, city, region FROM people WHERE {}",
        only("person_id")
    ))? {
        let (p, z, c, h) = (
            col(&b, "person_id")?,
            col(&b, "postal_code")?,
            col(&b, "country")?,
            col(&b, "hired_at")?,
        );
        let (city, region) = (col(&b, "city")?, col(&b, "region")?);
        for i in 0..b.num_rows() {
            let Some(pid) = p.str(i) else { continue };
            let country = c.str(i).unwrap_or("US").to_string();
            let home = z
                .str(i)
                .filter(|_| country == "US")
                .and_then(|z| zips.lookup(z))
                .map(|info| (info.zip.clone(), info.lat, info.lon));
            out.insert(
                pid.to_string(),
                Person {
                    home,
                    country,
                    city: match (city.str(i), region.str(i)) {
                        (Some(c), Some(r)) if !c.trim().is_empty() => {
                            Some((c.trim().to_lowercase(), state_key(r)))
                        }
                        _ => None,
                    },
                    hired: h.ts(i),
                    ..Person::default()
                },
            );
        }
    }
    for b in engine.sql(&format!(
        "SELECT device_id, person_id, managed, ship_to_postal_code AS zip FROM devices
         WHERE person_id IS NOT NULL AND {}",
        only("person_id")
    ))? {
        let (d, p, m, z) = (
            col(&b, "device_id")?,
            col(&b, "person_id")?,
            col(&b, "managed")?,
            col(&b, "zip")?,
        );
        for i in 0..b.num_rows() {
            let (Some(dev), Some(pid)) = (d.str(i), p.str(i)) else {
                continue;
            };
            let Some(person) = out.get_mut(pid) else {
                continue;
            };
            person.devices.insert(dev.to_string(), m.bool(i));
            if let Some(info) = z.str(i).and_then(|z| zips.lookup(z)) {
                person
                    .ship
                    .push((dev.to_string(), info.zip.clone(), info.lat, info.lon));
            }
        }
    }
    // Sign-ins, one row per person, hour, address and source geolocation.
    engine.sql_for_each(
        &format!(
            "SELECT s.person_id, s.src_ip AS ip,
                s.geo_lat AS lat, s.geo_lon AS lon, upper(s.geo_country) AS country,
                concat_ws(', ', s.geo_city, s.geo_region) AS place, s.device_id,
                min(s.time) AS t0, max(s.time) AS t1, count(*) AS n
         FROM {} s
         WHERE s.person_id IS NOT NULL
         GROUP BY s.person_id, date_trunc('hour', s.time), s.src_ip,
                  s.geo_lat, s.geo_lon, upper(s.geo_country),
                  concat_ws(', ', s.geo_city, s.geo_region), s.device_id",
            slice_rows("signin", SIGNIN_ROWS, slice)
        ),
        |b| read_obs(b, Via::Signin, cfg, ips, &mut out),
    )?;
    // Device check-ins, one row per device, day, address and position (to about 1 km); `hours`
    // counts the distinct hours, so a chatty agent weighs as much as a sign-in per hour.
    let presence_sql = format!(
        "SELECT p.person_id, p.device_id, p.public_ip AS ip, round(p.lat, 2) AS lat,
                round(p.lon, 2) AS lon, max(p.accuracy_m) AS accuracy_m,
                min(p.time) AS t0, max(p.time) AS t1, count(*) AS n,
                count(DISTINCT date_trunc('hour', p.time)) AS hours
         FROM {} p
         GROUP BY p.person_id, p.device_id, date_trunc('day', p.time), p.public_ip,
                  round(p.lat, 2), round(p.lon, 2)",
        slice_rows("presence", PRESENCE_ROWS, slice)
    );
    if presence {
        engine.sql_for_each(&presence_sql, |b| {
            read_obs(b, Via::PresenceIp, cfg, ips, &mut out)
        })?;
    }
    for p in out.values_mut() {
        // Ties broken by source, address, device and place: observations at the same time
        // arrive in the order of the query's batches, which differs with the number of slices
        // and partitions, and evidence must not.
        p.obs.sort_by(|a, b| {
            (a.t0, a.t1, a.via, &a.ip, &a.device, &a.place, &a.country)
                .cmp(&(b.t0, b.t1, b.via, &b.ip, &b.device, &b.place, &b.country))
        });
    }
    out.retain(|_, p| !p.obs.is_empty());
    Ok(out)
}

fn read_obs(
    b: &datafusion::arrow::array::RecordBatch,
    via: Via,
    cfg: &DetectConfig,
    ips: &BTreeMap<String, IpFacts>,
    out: &mut BTreeMap<String, Person>,
) -> Result<(), DetectError> {
    let has = |c: &str| b.schema().column_with_name(c).is_some();
    let (p, ip, dev) = (col(b, "person_id")?, col(b, "ip")?, col(b, "device_id")?);
    let (lat, lon) = (col(b, "lat")?, col(b, "lon")?);
    let (t0, t1, n) = (col(b, "t0")?, col(b, "t1")?, col(b, "n")?);
    let country = if has("country") {
        Some(col(b, "country")?)
    } else {
        None
    };
    let place = if has("place") {
        Some(col(b, "place")?)
    } else {
        None
    };
    let acc = if has("accuracy_m") {
        Some(col(b, "accuracy_m")?)
    } else {
        None
    };
    let hours = if has("hours") {
        Some(col(b, "hours")?)
    } else {
        None
    };
    let none = IpFacts::default();
    for i in 0..b.num_rows() {
        let Some(person) = p.str(i).and_then(|p| out.get_mut(p)) else {
            continue;
        };
        let (Some(t0), Some(t1)) = (t0.ts(i), t1.ts(i)) else {
            continue;
        };
        let addr = ip.str(i);
        let facts = addr.and_then(|a| ips.get(a)).unwrap_or(&none);
        let src = match (lat.float(i), lon.float(i)) {
            (Some(a), Some(o)) if a.abs() <= 90.0 && o.abs() <= 180.0 => Some((a, o)),
            _ => None,
        };
        let mut o = Obs {
            t0,
            t1,
            n: n.int(i).unwrap_or(1),
            hours: hours.as_ref().and_then(|h| h.int(i)).unwrap_or(1).max(1),
            via,
            ip: addr.map(str::to_string),
            device: dev.str(i).map(str::to_string),
            point: None,
            country: None,
            place: place
                .as_ref()
                .and_then(|c| c.str(i))
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        };
        if via == Via::PresenceIp
            && let Some((a, lo)) = src
        {
            // Wi-Fi / GPS positioning: physical, independent of the address.
            let err = acc
                .as_ref()
                .and_then(|c| c.float(i))
                .filter(|m| m.is_finite() && *m >= 0.0)
                .map_or(WIFI_ERR_KM, |m| (m / 1000.0).max(0.1));
            if err < COUNTRY_LEVEL_KM {
                o.via = Via::Wifi;
                o.point = Some((a, lo, err.max(0.1)));
            }
        }
        if !facts.excluded() {
            let src_country = country
                .as_ref()
                .and_then(|c| c.str(i))
                .filter(|c| c.len() == 2)
                .map(str::to_string);
            if o.point.is_none() && !facts.mobile {
                let city_level = o.place.is_some();
                o.point = match (via, src) {
                    (Via::Signin, Some((a, lo))) if city_level => Some((a, lo, IP_ERR_KM)),
                    _ => addr.and_then(|a| mmdb_point(cfg, a, &mut o.place)),
                };
            }
            // A Wi-Fi position is physical: the country of its check-in address (perhaps a
            // tunnel) does not move it.
            if o.via != Via::Wifi {
                o.country = src_country
                    .or_else(|| addr.and_then(|a| mmdb_country(cfg, a)))
                    .or_else(|| facts.country.clone());
            }
        } else if o.via != Via::Wifi {
            // An anonymising or company exit: not where the person is.
            continue;
        }
        if o.point.is_none() && o.country.is_none() {
            continue;
        }
        person.obs.push(o);
    }
    Ok(())
}

fn mmdb_point(cfg: &DetectConfig, ip: &str, place: &mut Option<String>) -> Option<(f64, f64, f64)> {
    let addr: IpAddr = muster_normalize::normalize_ip(ip)?;
    let g = cfg.intel.mmdb()?.lookup(addr)?;
    let err = g.accuracy_km.map_or(IP_ERR_KM, f64::from).max(IP_ERR_KM);
    if err >= COUNTRY_LEVEL_KM || g.city.is_none() {
        return None;
    }
    if place.is_none() {
        let parts: Vec<&str> = [g.city.as_deref(), g.region.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        *place = Some(parts.join(", "));
    }
    Some((g.lat, g.lon, err))
}

fn mmdb_country(cfg: &DetectConfig, ip: &str) -> Option<String> {
    let addr: IpAddr = muster_normalize::normalize_ip(ip)?;
    cfg.intel
        .mmdb()?
        .lookup(addr)?
        .country
        .map(|c| c.to_ascii_uppercase())
}

/// A state or region as a comparison key: the USPS code when it is a US state, else the text in
/// lower case.
fn state_key(region: &str) -> String {
    muster_intel::geo::state_code(region)
        .map(str::to_string)
        .unwrap_or_else(|| region.trim().to_lowercase())
}

/// Whether the source named the claimed city and state for this observation.
pub(crate) fn in_claimed_city(o: &Obs, p: &Person) -> bool {
    let (Some((city, region)), Some(place)) = (&p.city, &o.place) else {
        return false;
    };
    match place.rsplit_once(", ") {
        Some((c, r)) => c.trim().to_lowercase() == *city && state_key(r) == *region,
        None => false,
    }
}

/// The nearest US ZIP to a point within 50 km, as `place, ST zip (n km)`: a readable name for a
/// Wi-Fi position in evidence. A linear scan: call it for reported places only.
pub(crate) fn near_zip(cfg: &DetectConfig, point: (f64, f64)) -> Option<String> {
    let (d, z) = cfg
        .intel
        .zips()
        .iter()
        .map(|z| (km(point, (z.lat, z.lon)), z))
        .min_by(|a, b| a.0.total_cmp(&b.0))?;
    (d <= 50.0).then(|| format!("{}, {} {} ({d:.0} km)", z.place, z.state, z.zip))
}

/// Label of an observation's place for evidence: the source's place name with its country, else
/// rounded coordinates, else the country.
pub(crate) fn label(o: &Obs) -> String {
    let c = o.country.as_deref().unwrap_or("");
    match (&o.place, o.point) {
        (Some(p), _) if c.is_empty() => p.clone(),
        (Some(p), _) => format!("{p}, {c}"),
        (None, Some((a, lo, _))) if c.is_empty() => format!("{a:.1},{lo:.1}"),
        (None, Some((a, lo, _))) => format!("{a:.1},{lo:.1} ({c})"),
        (None, None) => c.to_string(),
    }
}
