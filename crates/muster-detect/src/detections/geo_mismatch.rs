//! GEO-MISMATCH: a person is, day after day, far from the home they claim or in another country;
//! or their laptop is persistently somewhere else than where their account signs in.
//!
//! Per person, each located observation ([`super::geo`]) is *away* when its country differs from
//! the claimed country, or when its point lies at least [`AWAY_KM`] plus its own error radius
//! from the claimed home's ZIP centroid (from the device's ship-to ZIP when the record has no US
//! ZIP). A UTC day is away when most of that day's observation hours are away. A *split* day has
//! both a Wi-Fi / presence position of the person's laptop and a sign-in located elsewhere (in
//! another country, or at least [`AWAY_KM`] plus both error radii apart).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use super::geo::{self, Obs, Via, km, km_mi, label};
use crate::rows::rfc3339;
use crate::{
    DetectConfig, DetectError, Detection, DetectionMeta, Engine, Family, Link, Severity, Signal,
};

/// GEO-MISMATCH.
pub struct GeoMismatch;

/// Distance from the claimed home beyond which a point is away, km (plus the point's error).
const AWAY_KM: f64 = 300.0;
/// Least away days (or split days) to fire.
const MIN_DAYS: usize = 10;
/// Least share of the person's located days that are away (or split): most of them.
const MIN_SHARE: f64 = 0.6;
/// Share at which the signal is at full strength.
const FULL_SHARE: f64 = 0.8;
/// Least calendar span from the first to the last away day, days (longer than a business trip).
const MIN_SPAN_DAYS: i64 = 21;
/// Full-strength ratios: elsewhere in the claimed country; in another country; laptop and
/// sign-ins apart.
const LR_DOMESTIC: f64 = 4.0;
const LR_ABROAD: f64 = 8.0;
const LR_SPLIT: f64 = 15.0;

static META: DetectionMeta = DetectionMeta {
    id: "GEO-MISMATCH",
    title: "Persistently far from the claimed home, or the laptop never where the account signs in",
    family: Family::Network,
    severity: Severity::Medium,
    likelihood_ratio: LR_SPLIT,
    lr_rationale: "Most remote employees work from the home on their HR record on most days; the \
        innocent ways to be elsewhere most of the time are a move HR was not told about, a long \
        stay with family, a 'work from anywhere' arrangement, or a long assignment. Those are a \
        few per cent of a remote workforce at any time, and mostly within the country. Persistently \
        elsewhere in the claimed country: 4 (moves and long stays are the commonest look-alike, \
        and city-level IP geolocation is sometimes wrong by hundreds of km for a whole ISP). In \
        another country on most working days: 8 (country-level geolocation is right for the \
        vast majority of addresses, and working abroad long-term without telling the employer \
        is rarer and usually breaches policy; but it exists). The laptop's own position \
        (Wi-Fi / presence) persistently in one place and the account's sign-ins in another: 15 \
        (a mover or a long-stay worker has laptop and sign-ins together; a household that shares \
        an account does not sign in hundreds of km away; what fits is a laptop kept in one \
        place and the account used elsewhere, the laptop-farm pattern). Each is scaled linearly \
        by the share of located days that are away, full at 80%. Family network: fusion caps it \
        with NET-ANON, TZ-MISMATCH, GEO-TRAVEL and NET-SHIFT.",
    tables: &["signins", "device_presence"],
    what: "Locates every successful sign-in (the source's city-level geolocation; else the \
        user's .mmdb; else only the address's registry country) and every device check-in (Wi-Fi \
        / GPS position with its accuracy; else its public address) of each person, leaving out \
        company egress, VPN / hosting / Tor / known-bad exits, and city-level points of mobile \
        carriers. A located observation is away when it is in another country than the claimed \
        one, or at least 300 km plus its error radius (100 km for IP geolocation) from the \
        claimed home's ZIP centroid (the device's ship-to ZIP when the home has none) and from \
        where the source's own geolocation names the claimed city and state (a sign-in \
        geolocated in the claimed city is home). Fires when \
        at least 10 days, and at least 60% of the person's located days, are away, and the away \
        days span at least 21 days; or when on at least 10 days, and 60% of the days with both, \
        the laptop's position and the account's sign-ins are in different countries or 300 km \
        plus both error radii apart. Evidence: days away of days located, the typical place and \
        its distance from home and from the ship-to address (km and miles), sources, countries \
        and addresses.",
    why: "DPRK IT workers claim US homes but work from China, Russia or elsewhere, and their \
        company laptops sit in a facilitator's laptop farm, often in another state. HYPR (Nov \
        2024) stopped a fraudulent contractor at onboarding partly because the new hire's IP \
        location was 301 miles from the claimed home address; Mandiant found two employees' \
        laptops on one Nevada address, neither living in Nevada. The FBI's guidance asks \
        employers to check that sign-ins and devices are where the employee claims to live.",
    data: "people (postal_code, country: the claimed home; the US ZIP centroid from the embedded \
        Census / GeoNames data); devices (person_id, ship_to_postal_code); signins (src_ip, \
        geo_lat, geo_lon, geo_city, geo_region, geo_country, outcome) mapped to people; \
        device_presence (lat, lon, accuracy_m, public_ip) through devices.person_id. Uses \
        ip_anon_kind, ip_country, ip_asn and ip_as_org, and the user's .mmdb when configured. No \
        name, language or country of education.",
    false_positives: "Travellers and conference-goers: a trip is a minority of located days and \
        shorter than 21 days (persistence is required). Corporate VPN / ZTNA egress \
        (corporate_egress.txt) and commercial VPN / hosting exits are not locations (NET-ANON \
        covers them). Mobile carriers and carrier CGNAT geolocate to the carrier's hub: their \
        city-level point is ignored, only the country counts (carriers route through their home \
        country, roaming included). IP geolocation error: city-level databases are often off by \
        tens and sometimes by hundreds of km, so a point counts as away only 300 km plus 100 km \
        beyond the home (249 miles); coordinates without a city or region are treated as \
        country-level guesses. People who moved without updating HR are the main look-alike: an \
        address change is not in the data, so a consistent new place still fires, at the low \
        domestic ratio (4); check the address with HR. Digital nomads and long assignments \
        abroad with the employer's consent: check with HR. A laptop left at home while the \
        person travels gives split days only during the trip.",
    references: &[
        "HYPR, 'HYPR unmasks a fake IT worker', blog.hypr.com, Nov 2024 (IP location 301 miles from the claimed home)",
        "Mandiant, 'Staying a Step Ahead: Mitigating the DPRK IT Worker Threat', Sep 2024",
        "FBI PSA I-051624-PSA, May 2024; FBI PSA I-012325-PSA, Jan 2025",
        "FBI/State/Treasury, 'Guidance on the DPRK Information Technology Workers', May 2022",
        "Poese et al., 'IP Geolocation Databases: Unreliable?', ACM SIGCOMM CCR 41(2), 2011",
        "MaxMind, GeoIP2 City accuracy (accuracy_radius), https://www.maxmind.com/en/geoip-accuracy-comparison",
    ],
};

/// Where one observation is relative to the claimed home.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Status {
    /// In another country.
    Abroad,
    /// In the claimed country, far from home: distance km.
    Far(f64),
    /// Near home, or in the claimed country without a point.
    Home,
}

fn status(
    o: &Obs,
    p: &geo::Person,
    reference: Option<(f64, f64)>,
    anchor: Option<(f64, f64)>,
) -> Option<Status> {
    if let Some(c) = &o.country
        && *c != p.country
    {
        return Some(Status::Abroad);
    }
    if geo::in_claimed_city(o, p) {
        return Some(Status::Home);
    }
    match (o.point, reference) {
        (Some((a, lo, err)), Some(h)) => {
            let d = km((a, lo), h);
            let near_anchor = anchor.is_some_and(|x| km((a, lo), x) < AWAY_KM + err);
            Some(if d >= AWAY_KM + err && !near_anchor {
                Status::Far(d)
            } else {
                Status::Home
            })
        }
        _ if o.country.is_some() => Some(Status::Home),
        _ => None,
    }
}

/// Whether a laptop position and a sign-in are apart.
fn apart(wifi: &Obs, signin: &Obs) -> bool {
    if let (Some(a), Some(b)) = (&wifi.country, &signin.country)
        && a != b
    {
        return true;
    }
    match (wifi.point, signin.point) {
        (Some((a, o, e1)), Some((b, p, e2))) => km((a, o), (b, p)) >= AWAY_KM + e1 + e2,
        _ => false,
    }
}

impl Detection for GeoMismatch {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn run(&self, engine: &Engine, cfg: &DetectConfig) -> Result<Vec<Signal>, DetectError> {
        let ips = geo::ip_facts(engine, cfg)?;
        let mut out = Vec::new();
        geo::for_each_slice(engine, cfg, &ips, true, |people| {
            out.extend(people.iter().filter_map(|(pid, p)| judge(cfg, pid, p)));
            Ok(())
        })?;
        out.sort_by(|a, b| a.person_id.cmp(&b.person_id));
        Ok(out)
    }
}

fn judge(cfg: &DetectConfig, pid: &str, p: &geo::Person) -> Option<Signal> {
    let home = p.home.as_ref().map(|(_, a, o)| (*a, *o));
    let ship = p.ship.first().map(|(_, _, a, o)| (*a, *o));
    let reference = home.or(ship);
    // Where the source itself places the person in the claimed city: a second reference, for
    // ZIP codes whose centroid is far from where people live (large rural ZCTAs in Alaska).
    let anchored: Vec<(f64, f64)> = p
        .obs
        .iter()
        .filter(|o| o.via == Via::Signin && geo::in_claimed_city(o, p))
        .filter_map(|o| o.point.map(|(a, lo, _)| (a, lo)))
        .collect();
    let anchor = median(&anchored.iter().map(|x| x.0).collect::<Vec<_>>())
        .zip(median(&anchored.iter().map(|x| x.1).collect::<Vec<_>>()));
    // Per day: away and located observation-hours; split and both days.
    let mut days: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    let mut away: Vec<(&Obs, Status)> = Vec::new();
    for o in &p.obs {
        let Some(st) = status(o, p, reference, anchor) else {
            continue;
        };
        let e = days.entry(geo::day(o.t0)).or_default();
        e.1 += o.hours;
        if st != Status::Home {
            e.0 += o.hours;
            away.push((o, st));
        }
    }
    let away_days: BTreeSet<i64> = days
        .iter()
        .filter(|(_, (a, n))| 2 * a > *n)
        .map(|(d, _)| *d)
        .collect();
    let located = days.len();
    let share = away_days.len() as f64 / located.max(1) as f64;
    let span = match (away_days.first(), away_days.last()) {
        (Some(a), Some(b)) => b - a + 1,
        _ => 0,
    };
    let home_fires = away_days.len() >= MIN_DAYS && share >= MIN_SHARE && span >= MIN_SPAN_DAYS;

    let (split_days, both_days, split_pairs) = split(p);
    let split_share = split_days.len() as f64 / both_days.max(1) as f64;
    let split_fires = split_days.len() >= MIN_DAYS && split_share >= MIN_SHARE;
    if !home_fires && !split_fires {
        return None;
    }

    let abroad = away
        .iter()
        .filter(|(o, s)| *s == Status::Abroad && away_days.contains(&geo::day(o.t0)))
        .count();
    let far = away
        .iter()
        .filter(|(o, _)| away_days.contains(&geo::day(o.t0)))
        .count();
    let scale = |s: f64| (s / FULL_SHARE).min(1.0);
    let mut lr: f64 = 1.0;
    let mut kinds = Vec::new();
    if home_fires {
        let top = if 2 * abroad >= far {
            kinds.push("abroad");
            LR_ABROAD
        } else {
            kinds.push("far_from_home");
            LR_DOMESTIC
        };
        lr = lr.max(1.0 + (top - 1.0) * scale(share));
    }
    if split_fires {
        kinds.push("laptop_apart_from_signins");
        lr = lr.max(1.0 + (LR_SPLIT - 1.0) * scale(split_share));
    }

    // The typical away place: the commonest label among away observations on away days.
    let mut places: BTreeMap<String, (i64, Vec<f64>)> = BTreeMap::new();
    let mut by_via: BTreeMap<&str, i64> = BTreeMap::new();
    let mut countries: BTreeMap<String, i64> = BTreeMap::new();
    let mut ips: BTreeSet<String> = BTreeSet::new();
    let (mut t0, mut t1) = (i64::MAX, i64::MIN);
    for (o, st) in away
        .iter()
        .filter(|(o, _)| away_days.contains(&geo::day(o.t0)))
    {
        let e = places.entry(label(o)).or_default();
        e.0 += o.n;
        if let Status::Far(d) = st {
            e.1.push(*d);
        } else if let (Some((a, lo, _)), Some(h)) = (o.point, reference) {
            e.1.push(km((a, lo), h));
        }
        *by_via.entry(o.via.name()).or_default() += o.n;
        if let Some(c) = &o.country {
            *countries.entry(c.clone()).or_default() += o.n;
        }
        if let Some(ip) = &o.ip
            && ips.len() < 20
        {
            ips.insert(ip.clone());
        }
        t0 = t0.min(o.t0);
        t1 = t1.max(o.t1);
    }
    let typical = places.iter().max_by_key(|(_, (n, _))| *n);
    let typical_km = typical.and_then(|(_, (_, ds))| median(ds));
    let typical_obs = typical.and_then(|(name, _)| away.iter().find(|(o, _)| &label(o) == name));
    let from_ship: Vec<serde_json::Value> = p
        .ship
        .iter()
        .filter_map(|(dev, zip, a, o)| {
            let (x, y, _) = typical_obs?.0.point?;
            Some(json!({"device_id": dev, "ship_to_zip": zip, "distance": km_mi(km((x, y), (*a, *o)))}))
        })
        .collect();
    let mut evidence = json!({
        "claimed_country": p.country,
        "claimed_home_zip": p.home.as_ref().map(|(z, _, _)| z.clone()),
        "located_days": located,
        "away_days": away_days.len(),
        "away_share": (share * 1000.0).round() / 1000.0,
        "away_span_days": span,
        "typical_place": typical.map(|(n, _)| n.clone()),
        "typical_place_near": typical_obs
            .and_then(|(o, _)| o.point)
            .and_then(|(a, lo, _)| geo::near_zip(cfg, (a, lo))),
        "typical_distance_from_home": typical_km.map(km_mi),
        "distance_from_ship_to": from_ship,
        "away_by_source": by_via,
        "away_countries": countries,
        "away_ips": ips,
        "kinds": kinds,
    });
    // Where each kind of source typically puts the person (all located observations, not
    // only away ones): the report draws sign-ins and the company laptop apart.
    if let Some(h) = reference {
        let mut by_source: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        for o in &p.obs {
            if let Some((a, lo, _)) = o.point {
                let k = if o.via == Via::Signin {
                    "signins"
                } else {
                    "company_laptop"
                };
                by_source.entry(k).or_default().push(km((a, lo), h));
            }
        }
        let medians: serde_json::Map<String, serde_json::Value> = by_source
            .iter()
            .filter_map(|(k, v)| Some((k.to_string(), km_mi(median(v)?))))
            .collect();
        evidence["median_distance_from_home"] = serde_json::Value::Object(medians);
    }
    if split_fires || !split_days.is_empty() {
        evidence["split_days"] = json!(split_days.len());
        evidence["days_with_laptop_position_and_signins"] = json!(both_days);
        evidence["split_examples"] = json!(split_pairs);
    }
    if t0 > t1 {
        // Only split evidence: take its days.
        t0 = split_days.first().map_or(0, |d| d * geo::DAY_US);
        t1 = split_days.last().map_or(0, |d| (d + 1) * geo::DAY_US - 1);
    }
    let reason = reason(
        &kinds,
        &evidence,
        away_days.len(),
        located,
        split_days.len(),
        both_days,
    );
    let links = evidence["away_ips"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str())
        .take(10)
        .map(|ip| Link {
            kind: "ip",
            value: ip.to_string(),
            ring_edge: false,
            share: None,
        })
        .collect();
    Some(Signal {
        person_id: pid.to_string(),
        device_id: None,
        detection: META.id,
        family: META.family,
        severity: if split_fires || lr >= LR_ABROAD {
            Severity::Medium
        } else {
            Severity::Low
        },
        likelihood_ratio: lr,
        first_seen: Some(rfc3339(t0)),
        last_seen: Some(rfc3339(t1)),
        reason,
        evidence,
        links,
    })
}

fn reason(
    kinds: &[&str],
    ev: &serde_json::Value,
    away: usize,
    located: usize,
    split: usize,
    both: usize,
) -> String {
    let mut parts = Vec::new();
    if kinds.contains(&"abroad") || kinds.contains(&"far_from_home") {
        let place = match (
            ev["typical_place"].as_str(),
            ev["typical_place_near"].as_str(),
        ) {
            (Some(p), Some(near)) => format!("{p}, near {near}"),
            (Some(p), None) => p.to_string(),
            _ => "elsewhere".to_string(),
        };
        let dist = match ev["typical_distance_from_home"].as_object() {
            Some(d) => format!(
                " ({:.0} km / {:.0} miles from the claimed home)",
                d["km"].as_f64().unwrap_or_default(),
                d["miles"].as_f64().unwrap_or_default()
            ),
            None => String::new(),
        };
        parts.push(format!(
            "away from the claimed home on {away} of {located} located days, typically {place}{dist}"
        ));
    }
    if kinds.contains(&"laptop_apart_from_signins") {
        parts.push(format!(
            "the laptop's position and the account's sign-ins were far apart on {split} of {both} days with both"
        ));
    }
    let mut s = parts.join("; ");
    if let Some(c) = s.get(..1) {
        s = c.to_uppercase() + &s[1..];
    }
    s
}

/// Days on which a Wi-Fi / presence position of the person's laptop and a sign-in are apart,
/// days with both, and up to five examples.
fn split(p: &geo::Person) -> (Vec<i64>, usize, Vec<serde_json::Value>) {
    let mut by_day: BTreeMap<i64, (Vec<&Obs>, Vec<&Obs>)> = BTreeMap::new();
    for o in &p.obs {
        let e = by_day.entry(geo::day(o.t0)).or_default();
        match o.via {
            Via::Wifi => e.0.push(o),
            Via::Signin if o.point.is_some() || o.country.is_some() => e.1.push(o),
            _ => {}
        }
    }
    let mut days = Vec::new();
    let mut both = 0;
    let mut examples = Vec::new();
    for (d, (w, s)) in by_day {
        if w.is_empty() || s.is_empty() {
            continue;
        }
        both += 1;
        // Apart when most sign-ins of the day are apart from every laptop position that day.
        let apart_n = s
            .iter()
            .filter(|si| w.iter().all(|wi| apart(wi, si)))
            .count();
        if 2 * apart_n > s.len() {
            days.push(d);
            if examples.len() < 5
                && let Some(si) = s.iter().find(|si| w.iter().all(|wi| apart(wi, si)))
            {
                let wi = w[0];
                let dist = match (wi.point, si.point) {
                    (Some((a, o, _)), Some((b, q, _))) => Some(km_mi(km((a, o), (b, q)))),
                    _ => None,
                };
                examples.push(json!({
                    "day": rfc3339(d * geo::DAY_US).get(..10).unwrap_or_default(),
                    "laptop": {"device_id": wi.device, "place": label(wi), "ip": wi.ip},
                    "signin": {"place": label(si), "ip": si.ip},
                    "distance": dist,
                }));
            }
        }
    }
    (days, both, examples)
}

fn median(v: &[f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    Some(s[s.len() / 2])
}
