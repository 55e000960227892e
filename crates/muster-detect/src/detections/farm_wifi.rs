//! FARM-WIFI: company devices of different people sleep on the same Wi-Fi access point.

use serde_json::json;

use crate::rows::rfc3339;
use crate::{
    DetectConfig, DetectError, Detection, DetectionMeta, Engine, Family, Link, Severity, Signal,
};

/// FARM-WIFI.
pub struct FarmWifi;

/// Likelihood ratio with one other person on the access point.
const LR_TWO: f64 = 40.0;

static META: DetectionMeta = DetectionMeta {
    id: "FARM-WIFI",
    title: "Devices of different people spend their nights on one Wi-Fi access point",
    family: Family::Farm,
    severity: Severity::High,
    likelihood_ratio: 400.0,
    lr_rationale: "The same reasoning as FARM-IP, on firmer ground: a BSSID is one physical access \
        point with a range of tens of metres, so there is no carrier NAT or building-wide \
        address to explain it away. With one other person the likeliest innocent story is an \
        unreported partner or roommate whose HR address is stale (perhaps 1 in 500 employees): \
        LR 40. Three or more identities whose laptops sleep on one access point for more than a \
        week while claiming three different homes: LR 400. Fusion caps the farm family, so \
        FARM-WIFI and FARM-IP on the same house do not multiply.",
    tables: &["device_presence"],
    what: "Normalises Wi-Fi BSSIDs (hex digits only, lowercase; all-zero, broadcast and \
        placeholder values dropped) of company devices' presence records and finds BSSIDs where \
        the devices of different people are seen on the same days, for at least \
        `farm_min_shared_days` days (default 7), where the access point is where each device \
        spends its nights: seen there at night (22:00-06:00 in its user's claimed time zone) on \
        at least `farm_min_nights` days and on at least half of the nights the device is seen on \
        any Wi-Fi, while the people claim different home buildings. The BSSID is a ring edge.",
    why: "A laptop farm is one house with many laptops on its Wi-Fi (DOJ June 2025: 29 farms, \
        ~200 computers). EDR and MDM agents report the connected BSSID, which identifies the \
        access point itself, unlike a public IP.",
    data: "device_presence (time, device_id, wifi_bssid) joined to devices.person_id; people \
        claimed home addresses and time zones.",
    false_positives: "Households: spouses and roommates claim the same home (same building, any \
        unit: excluded). Offices and coworking spaces: daytime only (the night rule); a \
        laptop left there overnight does not count either, because an access point seen by at \
        least `farm_venue_min_people` people (default 5), most of whom spend their nights at a \
        home-like place of their own elsewhere, is a daytime venue (a farm's laptops have no \
        other home); and any BSSID seen with at least \
        the infrastructure threshold of people (max(25, 2% of the workforce)) is \
        infrastructure. Hotel Wi-Fi on a shared business trip or a conference: \
        shorter than the shared-days minimum. People whose time zone is unknown are not judged.",
    references: &[
        "US DOJ, 'Justice Department Announces Coordinated, Nationwide Actions to Combat North Korean Remote IT Workers', 30 Jun 2025",
        "US DOJ, Christina Chapman sentencing, Jul 2025",
        "FBI PSA I-051624-PSA, May 2024",
    ],
};

impl Detection for FarmWifi {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn run(&self, engine: &Engine, cfg: &DetectConfig) -> Result<Vec<Signal>, DetectError> {
        let t = &cfg.thresholds;
        let infra = crate::infra_threshold(engine, cfg);
        engine.stage_query(
            "wifi_daily",
            "WITH ev AS (
               SELECT z.person_id, bssid_key(p.wifi_bssid) AS bssid, p.time, z.zone
               FROM device_zone z JOIN device_presence p ON p.device_id = z.device_id
               WHERE p.wifi_bssid IS NOT NULL
             ),
             evh AS (
               SELECT bssid, person_id, time, local_hour(time, zone) AS lh
               FROM ev WHERE bssid IS NOT NULL
             )
             SELECT bssid, person_id, date_trunc('day', time) AS day,
                    max(CASE WHEN lh >= 22 OR lh < 6 THEN 1 ELSE 0 END) AS night,
                    min(time) AS t0, max(time) AS t1
             FROM evh GROUP BY bssid, person_id, date_trunc('day', time)",
        )?;
        let sql = super::colocation::stage_pairs(engine, "wifi_daily", "bssid", "TRUE", infra, t)?;
        let by = super::colocation::fold_pairs(engine, &sql, "bssid", &|_: &str| false)?;
        let mut out = Vec::new();
        for ((person, ap), acc) in by {
            if acc.others.is_empty() {
                continue;
            }
            let n = acc.others.len();
            let lr = if n >= 2 {
                META.likelihood_ratio
            } else {
                LR_TWO
            };
            let shown = format_bssid(&ap);
            out.push(Signal {
                person_id: person,
                device_id: None,
                detection: META.id,
                family: META.family,
                severity: META.severity,
                likelihood_ratio: lr,
                first_seen: acc.t0.map(rfc3339),
                last_seen: acc.t1.map(rfc3339),
                reason: format!(
                    "company device spent nights on Wi-Fi access point {shown} on {} days together with the devices of {n} other {} claiming other homes",
                    acc.days,
                    if n == 1 { "person" } else { "people" }
                ),
                evidence: json!({
                    "bssid": shown,
                    "co_located_people": acc.others,
                    "same_household_people_ignored": acc.households,
                    "max_shared_days": acc.days,
                }),
                links: vec![Link { kind: "wifi", value: shown, ring_edge: true, share: None }],
            });
        }
        Ok(out)
    }
}

/// `aabbccddeeff` as `aa:bb:cc:dd:ee:ff`.
fn format_bssid(hex: &str) -> String {
    let b = hex.as_bytes();
    b.chunks(2)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(":")
}
