//! NET-ANON: sign-ins from VPN, hosting, Tor or DPRK address space.

use std::collections::BTreeMap;

use serde_json::json;

use crate::rows::{col, rfc3339};
use crate::{
    DetectConfig, DetectError, Detection, DetectionMeta, Engine, Family, Link, Severity, Signal,
};

/// NET-ANON.
pub struct NetAnon;

static META: DetectionMeta = DetectionMeta {
    id: "NET-ANON",
    title: "Sign-ins through anonymising networks",
    family: Family::Network,
    severity: Severity::Medium,
    likelihood_ratio: 12.0,
    lr_rationale: "Most employees sign in from home ISPs, offices and mobile carriers. Working through \
        commercial VPN or datacenter exits most of the time is uncommon (a few per cent of a \
        workforce at most) and is the most cited trait of DPRK IT workers (Astrill VPN). Full \
        strength 12 when at least half of the person's sign-ins use such exits, scaled down \
        linearly below that, so an occasional consumer-VPN user adds little. Tor: 20. DPRK \
        address space (AS131279, 175.45.176.0/22): 1000, near-certain on its own. Addresses on \
        the company's `known_bad` lists (muster.toml [[lists.ip_tags]], e.g. VPN exits that \
        Mandiant or LevelBlue attributed to DPRK IT workers): 20 like Tor, not more, because such \
        exits are shared commercial VPN nodes that ordinary customers use too.",
    tables: &["signins"],
    what: "Tags every successful sign-in's source IP with the built-in lists (VPN, hosting, Tor, \
        DPRK), the company's own known_bad lists, and the identity provider's own anonymous flag, and scores each person by the share \
        of their sign-ins that came through such networks (VPN and hosting from 3 sign-ins and 5%).",
    why: "Mandiant, Secureworks, LevelBlue and Microsoft all report DPRK IT workers connecting \
        through Astrill VPN and other VPS/VPN exits to hide their location; direct connections \
        from DPRK space occur when they slip.",
    data: "signins (src_ip, outcome, is_anonymous) mapped to people via accounts or work_email.",
    false_positives: "Corporate VPN / ZTNA exits hosted in clouds (corporate_egress.txt; and any \
        hosting exit, or exit the identity provider flags, used by at least max(25, 2% of the \
        workforce) people is treated as the company's own infrastructure). Commercial VPN exits \
        are never exempted by popularity: many strangers share them, including rings; a company \
        that runs its VPN through a commercial provider must list its exits in \
        corporate_egress.txt. Privacy-minded employees using a consumer VPN now and then (scaled by \
        share). Travellers in hotels (residential / business ranges, not tagged).",
    references: &[
        "Mandiant, 'Staying a Step Ahead: Mitigating the DPRK IT Worker Threat', Sep 2024",
        "Microsoft Threat Intelligence, 'Jasper Sleet: North Korean remote IT workers', Jun 2025",
        "FBI/State/Treasury advisory on DPRK IT workers, May 2022",
        "X4BNet lists_vpn; Tor Project Onionoo; APNIC allocation of 175.45.176.0/22 to AS131279",
    ],
};

impl Detection for NetAnon {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn run(&self, engine: &Engine, cfg: &DetectConfig) -> Result<Vec<Signal>, DetectError> {
        let infra = crate::infra_threshold(engine, cfg);
        let sql = format!(
            "WITH s AS (
               SELECT person_id, ip, time, coalesce(is_anonymous, false) AS flagged
               FROM signin_ev WHERE person_id IS NOT NULL AND outcome = 'success'
             ),
             ips AS (
               SELECT ip, ip_anon_kind(ip) AS kind, count(DISTINCT person_id) AS people FROM s GROUP BY ip
             )
             SELECT s.person_id,
                    CASE WHEN i.kind IS NOT NULL THEN i.kind ELSE 'idp_flag' END AS kind,
                    s.ip, count(*) AS n, min(s.time) AS t0, max(s.time) AS t1
             FROM ips i JOIN s ON s.ip = i.ip
             WHERE (i.kind IN ('dprk', 'known_bad', 'tor', 'vpn') OR (i.people < {infra} AND (i.kind IS NOT NULL OR s.flagged)))
             GROUP BY s.person_id, i.kind, s.ip
             ORDER BY s.person_id, s.ip"
        );
        struct Acc {
            total: i64,
            anon: i64,
            kinds: BTreeMap<String, i64>,
            ips: BTreeMap<String, String>,
            t0: Option<i64>,
            t1: Option<i64>,
        }
        // Sign-ins per person, queried apart: joining these totals back in the same plan made
        // DataFusion 55 drop every row (a UDF predicate across the join); see BENCHMARKS.md.
        let mut totals: BTreeMap<String, i64> = BTreeMap::new();
        for b in engine.sql(
            "SELECT person_id, count(*) AS total FROM signin_ev
             WHERE person_id IS NOT NULL AND outcome = 'success' GROUP BY person_id",
        )? {
            let (p, t) = (col(&b, "person_id")?, col(&b, "total")?);
            for i in 0..b.num_rows() {
                if let (Some(p), Some(t)) = (p.str(i), t.int(i)) {
                    totals.insert(p.to_string(), t);
                }
            }
        }
        let mut by: BTreeMap<String, Acc> = BTreeMap::new();
        for b in engine.sql(&sql)? {
            let (p, kind, ip) = (col(&b, "person_id")?, col(&b, "kind")?, col(&b, "ip")?);
            let (n, t0, t1) = (col(&b, "n")?, col(&b, "t0")?, col(&b, "t1")?);
            for i in 0..b.num_rows() {
                let (Some(p), Some(kind), Some(ip)) = (p.str(i), kind.str(i), ip.str(i)) else {
                    continue;
                };
                if cfg.is_corporate(ip) {
                    continue;
                }
                let acc = by.entry(p.to_string()).or_insert(Acc {
                    total: totals.get(p).copied().unwrap_or(0),
                    anon: 0,
                    kinds: BTreeMap::new(),
                    ips: BTreeMap::new(),
                    t0: None,
                    t1: None,
                });
                let n = n.int(i).unwrap_or(0);
                acc.anon += n;
                *acc.kinds.entry(kind.to_string()).or_default() += n;
                acc.ips.insert(ip.to_string(), kind.to_string());
                acc.t0 = match (acc.t0, t0.ts(i)) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                acc.t1 = acc.t1.max(t1.ts(i));
            }
        }
        let full = cfg.thresholds.anon_full_share.max(0.01);
        let mut out = Vec::new();
        for (person, acc) in by {
            let share = if acc.total > 0 {
                acc.anon as f64 / acc.total as f64
            } else {
                0.0
            };
            let dprk = acc.kinds.contains_key("dprk");
            let tor = acc.kinds.contains_key("tor");
            let known_bad = acc.kinds.contains_key(crate::udf::KNOWN_BAD);
            let lr = if dprk {
                1000.0
            } else {
                let scale = (share / full).min(1.0);
                let top = if tor || known_bad {
                    20.0
                } else {
                    META.likelihood_ratio
                };
                1.0 + (top - 1.0) * scale
            };
            // A stray VPN sign-in or two is not evidence: commercial VPN and hosting exits count
            // from three sign-ins and 5% of the person's sign-ins (Tor, DPRK and the user's
            // known_bad lists always count).
            if !dprk && !tor && !known_bad && (acc.anon < 3 || share < 0.05) {
                continue;
            }
            let severity = if dprk {
                Severity::Critical
            } else if share >= full {
                Severity::Medium
            } else {
                Severity::Low
            };
            let kinds: Vec<String> = acc.kinds.keys().cloned().collect();
            let links = acc
                .ips
                .keys()
                .take(20)
                .map(|ip| Link {
                    kind: "ip",
                    value: ip.clone(),
                    ring_edge: false,
                    share: None,
                })
                .collect();
            let mut evidence = json!({
                "anonymous_signins": acc.anon,
                "total_signins": acc.total,
                "share": (share * 1000.0).round() / 1000.0,
                "by_kind": acc.kinds,
                "ips": acc.ips,
            });
            if known_bad {
                evidence["known_bad_sources"] = json!(known_bad_sources(cfg, acc.ips.iter()));
            }
            out.push(Signal {
                person_id: person,
                device_id: None,
                detection: META.id,
                family: META.family,
                severity,
                likelihood_ratio: lr,
                first_seen: acc.t0.map(rfc3339),
                last_seen: acc.t1.map(rfc3339),
                reason: format!(
                    "{} of {} sign-ins ({:.0}%) came through {}",
                    acc.anon,
                    acc.total,
                    share * 100.0,
                    kinds
                        .iter()
                        .map(|k| kind_phrase(k))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                evidence,
                links,
            });
        }
        Ok(out)
    }
}

/// For each known_bad address, the user lists (source) that name it.
fn known_bad_sources<'a>(
    cfg: &DetectConfig,
    ips: impl Iterator<Item = (&'a String, &'a String)>,
) -> BTreeMap<String, Vec<String>> {
    ips.filter(|(_, kind)| kind.as_str() == crate::udf::KNOWN_BAD)
        .filter_map(|(ip, _)| {
            let addr = muster_normalize::normalize_ip(ip)?;
            let sources = cfg
                .intel
                .user_tags(addr)
                .filter(|t| t.tag == crate::udf::KNOWN_BAD)
                .map(|t| t.source.clone())
                .collect();
            Some((ip.clone(), sources))
        })
        .collect()
}

/// Plain words for an exit kind, for reasons an analyst reads.
fn kind_phrase(kind: &str) -> &'static str {
    match kind {
        "dprk" => "DPRK address space (AS131279)",
        "tor" => "Tor exits",
        "known_bad" => "addresses on the company's known-bad lists",
        "vpn" => "commercial VPN exits",
        "hosting" => "hosting / datacenter exits",
        _ => "exits the identity provider flagged as anonymous",
    }
}
