//! FARM-IP: company devices of different people living at the same residential IP.

use serde_json::json;

use crate::rows::rfc3339;
use crate::{
    DetectConfig, DetectError, Detection, DetectionMeta, Engine, Family, Link, Severity, Signal,
};

/// FARM-IP.
pub struct FarmIp;

static META: DetectionMeta = DetectionMeta {
    id: "FARM-IP",
    title: "Devices of different people live at one residential IP",
    family: Family::Farm,
    severity: Severity::High,
    likelihood_ratio: 400.0,
    lr_rationale: "Two unrelated employees whose company laptops spend nights at the same residential \
        address for more than a week, while their records claim different homes, is rare in a \
        legitimate workforce and is the defining trait of a laptop farm. With one other person \
        the likeliest innocent story is an unreported partner or roommate whose HR address is \
        stale (perhaps 1 in 500 employees): LR 30. Three or more identities sleeping at one house \
        while claiming three different homes has no common innocent story (estimated under 1 in \
        10,000): LR 400, enough to flag on its own at the default prior.",
    tables: &["device_presence", "signins"],
    what: "Finds public IPs where company devices assigned to different people are seen on the same \
        days, for at least `farm_min_shared_days` days (default 7), where the IP is where each \
        device spends its nights: seen there at night (22:00-06:00 in its user's claimed time \
        zone) on at least `farm_min_nights` days and on at least half of all the nights the \
        device is seen anywhere, while the people's claimed home addresses differ. People whose \
        time zone is unknown are not judged.",
    why: "A facilitator hosts laptops shipped for several identities in one house and lets workers \
        abroad drive them (Chapman: 90+ laptops; DOJ June 2025: 29 farms in 16 states). Mandiant's \
        incident: two 'different' employees' laptops on one Nevada IP, neither living in Nevada.",
    data: "device_presence (public_ip, time) joined to devices.person_id; sign-ins that name a \
        company device_id; people addresses and claimed time zones.",
    false_positives: "Spouses and roommates (same claimed address: excluded), and neighbours in one \
        apartment building behind a building-wide NAT (same street address, any unit: excluded). Coworking spaces and \
        offices (daytime only: the night rule excludes them; a laptop left there overnight does not \
        count because an IP seen by at least `farm_venue_min_people` people (default 5), most of \
        whom spend their nights at a home-like place of their own elsewhere, is a daytime \
        venue; IPs with many people are treated as \
        infrastructure). Business trips and conferences (shorter than the shared-days minimum). \
        Corporate VPN/ZTNA egress (corporate_egress.txt, and any IP used by at least \
        max(25, 2% of people) people). Carrier CGNAT: the shared range 100.64.0.0/10 and private ranges are never \
        public; addresses of mobile carriers (AS21928 T-Mobile, AS22394/AS6167 Verizon \
        Wireless, AS20057 AT&T Mobility and the other ASNs in data/ip/mobile_carrier_asns.csv, \
        extended with `[data] mobile_asns`, or ranges tagged `mobile_carrier` in \
        `[[lists.ip_tags]]`) are shared by many unrelated subscribers, phones, hotspots and \
        fixed-wireless home internet alike, and are skipped (a farm on such a line is left to \
        FARM-WIFI, whose access point is physical). VPN/hosting exits belong to NET-ANON.",
    references: &[
        "US DOJ, 'Justice Department Announces Coordinated, Nationwide Actions to Combat North Korean Remote IT Workers', 30 Jun 2025",
        "US DOJ, Christina Chapman sentencing, Jul 2025",
        "Mandiant / Google Cloud, 'Staying a Step Ahead: Mitigating the DPRK IT Worker Threat', Sep 2024",
        "FBI PSA I-012325-PSA, Jan 2025",
    ],
};

impl Detection for FarmIp {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn run(&self, engine: &Engine, cfg: &DetectConfig) -> Result<Vec<Signal>, DetectError> {
        let t = &cfg.thresholds;
        let infra = crate::infra_threshold(engine, cfg);
        // One row per (ip, person, day): whether the device was there at night in its user's
        // claimed zone, and when. Staged once: every step below reads it.
        engine.stage_query(
            "farm_daily",
            "WITH evh AS (
               SELECT z.person_id, p.public_ip AS ip, p.time, local_hour(p.time, z.zone) AS lh
               FROM device_zone z JOIN device_presence p ON p.device_id = z.device_id
               WHERE p.public_ip IS NOT NULL
               UNION ALL
               SELECT s.person_id, s.ip, s.time, local_hour(s.time, h.zone)
               FROM person_home h JOIN signin_ev s ON s.person_id = h.person_id
               WHERE s.outcome = 'success'
                 AND s.device_id IN (SELECT device_id FROM devices)
             )
             SELECT ip, person_id, date_trunc('day', time) AS day,
                    max(CASE WHEN lh >= 22 OR lh < 6 THEN 1 ELSE 0 END) AS night,
                    min(time) AS t0, max(time) AS t1
             FROM evh GROUP BY ip, person_id, date_trunc('day', time)",
        )?;
        let sql = super::colocation::stage_pairs(
            engine,
            "farm_daily",
            "ip",
            "ip_class(ip) = 'public' AND ip_anon_kind(ip) IS NULL",
            infra,
            t,
        )?;
        let by = super::colocation::fold_pairs(engine, &sql, "ip", &|ip: &str| {
            cfg.is_corporate(ip) || super::colocation::carrier_nat(cfg, ip).is_some()
        })?;
        let mut out = Vec::new();
        for ((person, ip), acc) in by {
            if acc.others.is_empty() {
                continue;
            }
            let n = acc.others.len();
            let lr = if n >= 2 { META.likelihood_ratio } else { 30.0 };
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
                    "company device seen overnight at residential IP {ip} on {} days together with the devices of {n} other {} claiming other homes",
                    acc.days,
                    if n == 1 { "person" } else { "people" }
                ),
                evidence: json!({
                    "ip": ip,
                    "co_located_people": acc.others,
                    "same_household_people_ignored": acc.households,
                    "max_shared_days": acc.days,
                }),
                links: vec![Link { kind: "ip", value: ip, ring_edge: true, share: None }],
            });
        }
        Ok(out)
    }
}
