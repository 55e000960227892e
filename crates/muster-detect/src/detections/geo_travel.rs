//! GEO-TRAVEL: impossible travel between consecutive located observations of one person, and one
//! person seen from several countries, back and forth, within a day.
//!
//! Hops. Located sign-ins ([`super::geo`]; hourly groups per address and place) are taken in
//! time order (device check-ins are left to GEO-MISMATCH: a laptop left at home while its owner
//! travels is not a person in two places). A hop between consecutive observations at different addresses is impossible when the
//! distance minus both error radii (100 km per IP geolocation) is at least [`MIN_HOP_KM`] and
//! exceeds [`MAX_KMH`] times the time between them (the last time of the first group to the first
//! time of the second; zero when the groups overlap). A hop between an IPv4 and an IPv6 address
//! announced by the same AS is one dual-stack connection and is skipped.
//!
//! Countries. Within any 24 hours, observations from at least three countries where a country
//! recurs after another one (A, B, A): an itinerary with layovers visits each country once.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use super::geo::{self, IpFacts, Obs, Via, km, km_mi, label};
use crate::rows::rfc3339;
use crate::{
    DetectConfig, DetectError, Detection, DetectionMeta, Engine, Family, Link, Severity, Signal,
};

/// GEO-TRAVEL.
pub struct GeoTravel;

/// Fastest plausible travel, km/h (airliner cruise is 850-950 km/h; gate to gate is slower).
const MAX_KMH: f64 = 1000.0;
/// Least distance beyond both error radii for a hop to count, km.
const MIN_HOP_KM: f64 = 300.0;
/// Least distinct days with impossible hops to fire (one hop can be a geolocation error).
const MIN_HOP_DAYS: usize = 2;
/// Days after hire in which hops weigh more (Microsoft, Apr 2026), and days before hire that
/// count too (accounts are activated for onboarding before the start date).
const NEW_HIRE_DAYS: i64 = 90;
const PRE_HIRE_DAYS: i64 = 14;
/// Full-strength ratios.
const LR_DOMESTIC: f64 = 3.0;
const LR_CROSS_BORDER: f64 = 8.0;
const LR_COUNTRIES: f64 = 4.0;
/// Weight of hops in the first 90 days after hire, and the ratio's cap.
const NEW_HIRE_FACTOR: f64 = 1.5;
const LR_CAP: f64 = 12.0;

static META: DetectionMeta = DetectionMeta {
    id: "GEO-TRAVEL",
    title: "Impossible travel, or several countries within a day",
    family: Family::Network,
    severity: Severity::Medium,
    likelihood_ratio: LR_CAP,
    lr_rationale: "Impossible-travel alerts in identity products are mostly benign, and the \
        benign causes are known: VPN and corporate egress (removed here), mobile carriers \
        geolocated to their hub (their city-level points are removed), dual-stack addresses \
        geolocated apart (skipped), and city-level geolocation error (100 km allowed per point, \
        and 300 km beyond that required). What is left is rare for an honest employee, but a \
        single hop can still be one mis-geolocated ISP, so at least two days with impossible hops \
        are required. Hops within one country: 3 (a second ISP whose block is geolocated in \
        another city is the residual look-alike). Hops between countries: 8 (country-level \
        geolocation is reliable; two countries an ocean apart within hours means two people or \
        a relay: the pattern of a worker abroad using an account whose laptop sits in the US). \
        Several countries back and forth within 24 hours: 4 (2022 advisory). Microsoft (Apr \
        2026) singles out impossible travel in the first 90 days after hire: the ratio is \
        multiplied by 1.5 when most hops fall in that window (counted from 14 days before \
        hired_at, when accounts are activated for onboarding). Capped at 12. Family network: \
        fusion caps it with the other location detections.",
    tables: &["signins"],
    what: "Locates each person's successful sign-ins (as GEO-MISMATCH does, \
        leaving out company egress, VPN / hosting / Tor / known-bad exits and the city-level \
        points of mobile carriers), orders them in time and measures each hop between different \
        addresses: distance minus both error radii (100 km per IP geolocation, the stated \
        accuracy for Wi-Fi), over the time between them. A hop is impossible when that distance \
        is at least 300 km and faster than 1000 km/h; an IPv4 / IPv6 pair of the same AS is one \
        dual-stack connection. Fires with impossible hops on at least 2 days, or when within 24 \
        hours the person is seen in at least 3 countries with a return to one of them. Evidence: \
        each hop's times, addresses, places, distance (km and miles), hours and implied speed, \
        the countries, and how many hops fall in the first 90 days after hired_at.",
    why: "A DPRK IT worker abroad uses an identity whose laptop sits in a US laptop farm: the \
        account signs in from the farm and from the worker's own location, or from relays in \
        several countries, hours apart. The 2022 FBI/State/Treasury advisory lists 'one account \
        logged in from multiple countries in a short period' as a red flag; Microsoft (2026) \
        names impossible travel early in employment as a sign of a fraudulent hire.",
    data: "signins (time, src_ip, geo_lat, geo_lon, geo_city, geo_region, geo_country, outcome) \
        mapped to people through accounts or work email; people.hired_at for the new-hire window. Uses ip_anon_kind, \
        ip_country, ip_asn and ip_as_org, and the user's .mmdb when configured.",
    false_positives: "Corporate VPN / ZTNA hops (corporate_egress.txt) and commercial VPN or \
        hosting exits (tagged lists) are dropped before hops are measured; a company exit that \
        is not listed can still create hops: list it. Mobile carriers: only their country counts. \
        Real flights: below 1000 km/h after the error allowance (New York to London in 7 hours \
        is 800 km/h). Dual-stack: an IPv4 and an IPv6 address of the same AS are one place. \
        Geolocation error: 100 km per point plus 300 km are allowed, and a single hop day does not \
        fire. A layover itinerary (US, Germany, India in one day) visits each country once and \
        does not count as back and forth. Residual look-alikes: an employee with two ISPs one \
        of which is geolocated far away, and shared accounts (a team login) used from several \
        offices; check the addresses.",
    references: &[
        "FBI/State/Treasury, 'Guidance on the DPRK Information Technology Workers', May 2022",
        "Microsoft Threat Intelligence, 'Jasper Sleet: North Korean remote IT workers', Jun 2025, and guidance on new-hire sign-in risk, Apr 2026",
        "Microsoft Entra ID Protection, 'Atypical travel' and 'Impossible travel' risk detections (documentation)",
        "Poese et al., 'IP Geolocation Databases: Unreliable?', ACM SIGCOMM CCR 41(2), 2011",
    ],
};

impl Detection for GeoTravel {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn run(&self, engine: &Engine, cfg: &DetectConfig) -> Result<Vec<Signal>, DetectError> {
        let ips = geo::ip_facts(engine, cfg)?;
        let mut out = Vec::new();
        geo::for_each_slice(engine, cfg, &ips, false, |people| {
            out.extend(people.iter().filter_map(|(pid, p)| judge(pid, p, &ips)));
            Ok(())
        })?;
        out.sort_by(|a, b| a.person_id.cmp(&b.person_id));
        Ok(out)
    }
}

/// One impossible hop.
struct Hop<'a> {
    a: &'a Obs,
    b: &'a Obs,
    km: f64,
    hours: f64,
    cross_border: bool,
}

/// Whether two addresses are one dual-stack connection (IPv4 and IPv6 of one AS).
fn dual_stack(a: &Obs, b: &Obs, ips: &BTreeMap<String, IpFacts>) -> bool {
    let (Some(x), Some(y)) = (&a.ip, &b.ip) else {
        return false;
    };
    let v6 = |s: &str| s.contains(':');
    let asn = |s: &String| ips.get(s).and_then(|f| f.asn);
    v6(x) != v6(y) && asn(x).is_some() && asn(x) == asn(y)
}

fn hops<'a>(obs: &'a [Obs], ips: &BTreeMap<String, IpFacts>) -> Vec<Hop<'a>> {
    let located: Vec<&Obs> = obs
        .iter()
        .filter(|o| o.via == Via::Signin && o.point.is_some())
        .collect();
    let mut out = Vec::new();
    for w in located.windows(2) {
        let (a, b) = (w[0], w[1]);
        if a.ip.is_some() && a.ip == b.ip || dual_stack(a, b, ips) {
            continue;
        }
        let (Some((x, y, e1)), Some((u, v, e2))) = (a.point, b.point) else {
            continue;
        };
        let d = km((x, y), (u, v));
        let eff = d - e1 - e2;
        let hours = (b.t0 - a.t1).max(0) as f64 / geo::HOUR_US as f64;
        if eff >= MIN_HOP_KM && eff > MAX_KMH * hours {
            let cross_border = matches!((&a.country, &b.country), (Some(c), Some(e)) if c != e);
            out.push(Hop {
                a,
                b,
                km: d,
                hours,
                cross_border,
            });
        }
    }
    out
}

/// Windows of 24 hours with at least three countries and a country that recurs after another:
/// (start, end, country sequence).
fn country_windows(obs: &[Obs]) -> Vec<(i64, i64, Vec<String>)> {
    let seq: Vec<(i64, &str)> = obs
        .iter()
        .filter(|o| o.via == Via::Signin)
        .filter_map(|o| o.country.as_deref().map(|c| (o.t0, c)))
        .collect();
    let mut out: Vec<(i64, i64, Vec<String>)> = Vec::new();
    let mut i = 0;
    while i < seq.len() {
        let end = seq[i].0 + geo::DAY_US;
        let mut runs: Vec<&str> = Vec::new();
        let mut last = seq[i].0;
        for (t, c) in seq[i..].iter().take_while(|(t, _)| *t <= end) {
            if runs.last() != Some(c) {
                runs.push(c);
            }
            last = *t;
        }
        let distinct: BTreeSet<&str> = runs.iter().copied().collect();
        if distinct.len() >= 3 && runs.len() > distinct.len() {
            out.push((seq[i].0, last, runs.iter().map(|s| s.to_string()).collect()));
            // Next window starts after this one.
            while i < seq.len() && seq[i].0 <= last {
                i += 1;
            }
            continue;
        }
        i += 1;
    }
    out
}

fn judge(pid: &str, p: &geo::Person, ips: &BTreeMap<String, IpFacts>) -> Option<Signal> {
    let hops = hops(&p.obs, ips);
    let hop_days: BTreeSet<i64> = hops.iter().map(|h| geo::day(h.b.t0)).collect();
    let windows = country_windows(&p.obs);
    let hop_fires = hop_days.len() >= MIN_HOP_DAYS;
    if !hop_fires && windows.is_empty() {
        return None;
    }
    let cross = hops.iter().filter(|h| h.cross_border).count();
    let new_hire = |t: i64| {
        p.hired.is_some_and(|h| {
            t >= h - PRE_HIRE_DAYS * geo::DAY_US && t < h + NEW_HIRE_DAYS * geo::DAY_US
        })
    };
    let early = hops.iter().filter(|h| new_hire(h.b.t0)).count();
    let mut lr: f64 = 1.0;
    if hop_fires {
        lr = if 2 * cross >= hops.len() {
            LR_CROSS_BORDER
        } else {
            LR_DOMESTIC
        };
        if 2 * early > hops.len() {
            lr *= NEW_HIRE_FACTOR;
        }
    }
    if !windows.is_empty() {
        lr = lr.max(LR_COUNTRIES);
    }
    let lr = lr.min(LR_CAP);
    let hop_ev: Vec<serde_json::Value> = hops
        .iter()
        .take(10)
        .map(|h| {
            let kmh = if h.hours > 0.0 {
                json!(((h.km - err(h.a) - err(h.b)) / h.hours).round())
            } else {
                json!("simultaneous")
            };
            json!({
                "from": {"time": rfc3339(h.a.t1), "ip": h.a.ip, "place": label(h.a), "source": h.a.via.name()},
                "to": {"time": rfc3339(h.b.t0), "ip": h.b.ip, "place": label(h.b), "source": h.b.via.name()},
                "distance": km_mi(h.km),
                "error_allowance_km": (err(h.a) + err(h.b)).round(),
                "hours": (h.hours * 100.0).round() / 100.0,
                "implied_kmh_after_allowance": kmh,
                "cross_border": h.cross_border,
            })
        })
        .collect();
    // The same two places again and again (a laptop in one place, the account used in another).
    let mut routes: BTreeMap<String, usize> = BTreeMap::new();
    for h in &hops {
        let (x, y) = (label(h.a), label(h.b));
        let key = if x <= y {
            format!("{x} <> {y}")
        } else {
            format!("{y} <> {x}")
        };
        *routes.entry(key).or_default() += 1;
    }
    let countries: BTreeSet<String> = hops
        .iter()
        .flat_map(|h| [h.a.country.clone(), h.b.country.clone()])
        .flatten()
        .chain(windows.iter().flat_map(|w| w.2.iter().cloned()))
        .collect();
    let win_ev: Vec<serde_json::Value> = windows
        .iter()
        .take(5)
        .map(|(a, b, seq)| json!({"from": rfc3339(*a), "to": rfc3339(*b), "countries_in_order": seq}))
        .collect();
    let evidence = json!({
        "impossible_hops": hops.len(),
        "hop_days": hop_days.len(),
        "cross_border_hops": cross,
        "hops_in_first_90_days_after_hire": early,
        "hired_at": p.hired.map(rfc3339),
        "hops": hop_ev,
        "hops_by_route": routes,
        "multi_country_windows": windows.len(),
        "windows": win_ev,
        "countries": countries,
    });
    let t0 = hops
        .iter()
        .map(|h| h.a.t1)
        .chain(windows.iter().map(|w| w.0))
        .min()?;
    let t1 = hops
        .iter()
        .map(|h| h.b.t0)
        .chain(windows.iter().map(|w| w.1))
        .max()?;
    let mut parts = Vec::new();
    if hop_fires {
        let first = &hops[0];
        parts.push(format!(
            "{} impossible hops on {} days ({} across borders{}), e.g. {} to {}: {:.0} km / {:.0} miles in {:.1} h",
            hops.len(),
            hop_days.len(),
            cross,
            if early > 0 {
                format!(", {early} in the first 90 days after hire")
            } else {
                String::new()
            },
            label(first.a),
            label(first.b),
            first.km,
            first.km / geo::KM_PER_MILE,
            first.hours
        ));
    }
    if let Some((_, _, seq)) = windows.first() {
        parts.push(format!(
            "{} windows of 24 h with several countries back and forth, e.g. {}",
            windows.len(),
            seq.join(" > ")
        ));
    }
    let links = hops
        .iter()
        .flat_map(|h| [h.a.ip.clone(), h.b.ip.clone()])
        .flatten()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .take(10)
        .map(|ip| Link {
            kind: "ip",
            value: ip,
            ring_edge: false,
            share: None,
        })
        .collect();
    Some(Signal {
        person_id: pid.to_string(),
        device_id: None,
        detection: META.id,
        family: META.family,
        severity: if lr >= LR_CROSS_BORDER {
            Severity::Medium
        } else {
            Severity::Low
        },
        likelihood_ratio: lr,
        first_seen: Some(rfc3339(t0)),
        last_seen: Some(rfc3339(t1)),
        reason: parts.join("; "),
        evidence,
        links,
    })
}

fn err(o: &Obs) -> f64 {
    o.point.map_or(0.0, |(_, _, e)| e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(hour: i64, ip: &str, country: &str, point: Option<(f64, f64)>) -> Obs {
        Obs {
            t0: hour * geo::HOUR_US,
            t1: hour * geo::HOUR_US,
            n: 1,
            hours: 1,
            via: Via::Signin,
            ip: Some(ip.into()),
            device: None,
            point: point.map(|(a, b)| (a, b, geo::IP_ERR_KM)),
            country: Some(country.into()),
            place: None,
        }
    }

    #[test]
    fn back_and_forth_counts_and_an_itinerary_does_not() {
        let trip = [
            obs(0, "a", "US", None),
            obs(10, "b", "DE", None),
            obs(20, "c", "IN", None),
        ];
        assert!(country_windows(&trip).is_empty());
        let relay = [
            obs(0, "a", "US", None),
            obs(2, "b", "KR", None),
            obs(5, "c", "CN", None),
            obs(9, "b", "KR", None),
        ];
        let w = country_windows(&relay);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].2, ["US", "KR", "CN", "KR"]);
        // Two countries back and forth are not enough (a border commuter).
        let border = [
            obs(0, "a", "US", None),
            obs(2, "b", "CA", None),
            obs(4, "a", "US", None),
        ];
        assert!(country_windows(&border).is_empty());
    }

    #[test]
    fn hops_allow_for_error_speed_and_dual_stack() {
        let ips = BTreeMap::from([
            (
                "73.1.2.3".to_string(),
                IpFacts {
                    asn: Some(7922),
                    ..IpFacts::default()
                },
            ),
            (
                "2601::1".to_string(),
                IpFacts {
                    asn: Some(7922),
                    ..IpFacts::default()
                },
            ),
        ]);
        let austin = Some((30.27, -97.74));
        let seattle = Some((47.61, -122.33));
        let dallas = Some((32.78, -96.80));
        // Austin to Seattle (2,700 km) in one hour: impossible; in five hours: a flight.
        let fast = [
            obs(0, "73.1.2.3", "US", austin),
            obs(1, "9.9.9.9", "US", seattle),
        ];
        assert_eq!(hops(&fast, &ips).len(), 1);
        let flight = [
            obs(0, "73.1.2.3", "US", austin),
            obs(5, "9.9.9.9", "US", seattle),
        ];
        assert!(hops(&flight, &ips).is_empty());
        // Austin to Dallas (290 km) at once: within the geolocation error.
        let near = [
            obs(0, "73.1.2.3", "US", austin),
            obs(0, "9.9.9.9", "US", dallas),
        ];
        assert!(hops(&near, &ips).is_empty());
        // IPv4 and IPv6 of one AS: one connection, however far apart they are geolocated.
        let dual = [
            obs(0, "73.1.2.3", "US", austin),
            obs(0, "2601::1", "US", seattle),
        ];
        assert!(hops(&dual, &ips).is_empty());
    }

    #[test]
    fn mobile_carriers_by_name_or_number() {
        assert!(geo::is_mobile(Some(21928), Some("T-Mobile USA, Inc.")));
        assert!(geo::is_mobile(Some(20057), Some("AT&T Enterprises, LLC")));
        assert!(!geo::is_mobile(
            Some(7922),
            Some("Comcast Cable Communications, LLC")
        ));
        assert!(!geo::is_mobile(None, None));
    }
}
