//! RMM-SOFTWARE: unapproved remote-access tools on company devices.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use crate::rows::{col, rfc3339};
use crate::{
    DetectConfig, DetectError, Detection, DetectionMeta, Engine, Family, Link, Severity, Signal,
};

/// RMM-SOFTWARE.
pub struct RmmSoftware;

/// "Soon after the device went into service": 14 days, in microseconds.
const EARLY_INSTALL_MICROS: i64 = 14 * 86_400_000_000;

static META: DetectionMeta = DetectionMeta {
    id: "RMM-SOFTWARE",
    title: "Unapproved remote-access tool on a company device",
    family: Family::RemoteControl,
    severity: Severity::Medium,
    likelihood_ratio: 10.0,
    lr_rationale: "Remote-access tools outside the company's approved set appear on a small share of \
        legitimate laptops (personal use, vendor support sessions), but on most farm laptops, which \
        are driven remotely by design. 10 for one tool; 25 when two or more different tools run on \
        one device (redundant remote control is a farm habit, rare otherwise) or when the tool was \
        first seen within 14 days of the device's delivery (or issue or shipping) date; 60 when \
        both.",
    tables: &["processes", "software", "network"],
    what: "Matches process names and paths, installed software and network domains against the \
        LOLRMM catalogue (319 tools: AnyDesk, TeamViewer, Chrome Remote Desktop, RustDesk, \
        ScreenConnect, Splashtop, ...), removes tools on the approved list, and reports each \
        device with the tools, where they were seen and when.",
    why: "Facilitators install remote-control software on company laptops so workers abroad can \
        use them (FBI PSA May 2024; DOJ indictments name AnyDesk, TeamViewer, Chrome Remote \
        Desktop, RustDesk).",
    data: "processes (name, path), software (name, publisher, first_seen/last_seen), network \
        (domain), devices (person_id).",
    false_positives: "The company's own RMM (approved_rmm.txt or `approved_rmm` in muster.toml, by \
        LOLRMM tool name, product alias or binary name, each resolved to the catalogue's tool, so \
        'ScreenConnect' approves ConnectWise Control). IT staff and help desks (approve their tool). Generic \
        executable names (setup.exe, agent.exe) never match on their own.",
    references: &[
        "LOLRMM catalogue, magicsword-io/LOLRMM",
        "FBI PSA I-051624-PSA, May 2024",
        "US DOJ indictments of laptop-farm facilitators (2024-2025)",
    ],
};

impl Detection for RmmSoftware {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn run(&self, engine: &Engine, cfg: &DetectConfig) -> Result<Vec<Signal>, DetectError> {
        let sql = "WITH pn AS (
               SELECT name, coalesce(path, '') AS path, rmm_process(name, path) AS tool
               FROM (SELECT DISTINCT name, path FROM processes)
             ),
             sn AS (
               SELECT name, coalesce(publisher, '') AS publisher, rmm_software(name, publisher) AS tool
               FROM (SELECT DISTINCT name, publisher FROM software)
             ),
             dn AS (
               SELECT domain, rmm_domain(domain) AS tool
               FROM (SELECT DISTINCT domain FROM network WHERE domain IS NOT NULL)
             ),
             hits AS (
               SELECT p.device_id, pn.tool, 'process' AS seen_in, CASE WHEN pn.path = '' THEN p.name ELSE pn.path END AS artefact,
                      p.time AS t0, p.time AS t1
               FROM processes p JOIN pn ON p.name = pn.name AND coalesce(p.path, '') = pn.path
               WHERE pn.tool IS NOT NULL
               UNION ALL
               SELECT s.device_id, sn.tool, 'software', s.name, s.first_seen, coalesce(s.last_seen, s.first_seen)
               FROM software s JOIN sn ON s.name = sn.name AND coalesce(s.publisher, '') = sn.publisher
               WHERE sn.tool IS NOT NULL
               UNION ALL
               SELECT n.device_id, dn.tool, 'network', n.domain, n.time AS t0, n.time AS t1
               FROM network n JOIN dn ON n.domain = dn.domain
               WHERE dn.tool IS NOT NULL AND n.device_id IS NOT NULL
             )
             SELECT d.person_id, h.device_id, h.tool, h.seen_in, h.artefact, count(*) AS n,
                    min(h.t0) AS t0, max(h.t1) AS t1,
                    min(coalesce(d.delivered_at, d.issued_at, d.shipped_at)) AS in_service
             FROM hits h LEFT JOIN devices d ON h.device_id = d.device_id
             GROUP BY d.person_id, h.device_id, h.tool, h.seen_in, h.artefact
             ORDER BY d.person_id, h.device_id, h.tool, h.seen_in, h.artefact";
        let approved = cfg.approved_rmm_names();
        let is_approved = |tool: &str, artefact: &str| {
            let file = artefact
                .rsplit(['\\', '/'])
                .next()
                .unwrap_or(artefact)
                .to_ascii_lowercase();
            approved.contains(&tool.to_ascii_lowercase()) || approved.contains(&file)
        };
        #[derive(Default)]
        struct Acc {
            person: String,
            tools: BTreeMap<String, BTreeSet<String>>,
            t0: Option<i64>,
            t1: Option<i64>,
            in_service: Option<i64>,
        }
        let mut by: BTreeMap<String, Acc> = BTreeMap::new();
        for b in engine.sql(sql)? {
            let (p, d, tool, seen, art) = (
                col(&b, "person_id")?,
                col(&b, "device_id")?,
                col(&b, "tool")?,
                col(&b, "seen_in")?,
                col(&b, "artefact")?,
            );
            let (t0, t1) = (col(&b, "t0")?, col(&b, "t1")?);
            let svc = col(&b, "in_service")?;
            for i in 0..b.num_rows() {
                // A device nobody is assigned to still gets a device-level signal.
                let p = p.str(i).unwrap_or("");
                let (Some(d), Some(tool), Some(seen), Some(art)) =
                    (d.str(i), tool.str(i), seen.str(i), art.str(i))
                else {
                    continue;
                };
                if is_approved(tool, art) {
                    continue;
                }
                let acc = by.entry(d.to_string()).or_default();
                acc.person = p.to_string();
                acc.tools
                    .entry(tool.to_string())
                    .or_default()
                    .insert(format!("{seen}: {art}"));
                acc.t0 = match (acc.t0, t0.ts(i)) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                acc.t1 = acc.t1.max(t1.ts(i));
                acc.in_service = acc.in_service.or(svc.ts(i));
            }
        }
        Ok(by
            .into_iter()
            .map(|(device, acc)| {
                let names: Vec<&String> = acc.tools.keys().collect();
                // Installed within two weeks of the device going into service: set up for
                // remote use from the start (the farm pattern), not picked up later for support.
                let early = match (acc.in_service, acc.t0) {
                    (Some(s), Some(t)) => t >= s && t - s <= EARLY_INSTALL_MICROS,
                    _ => false,
                };
                let lr = match (acc.tools.len() >= 2, early) {
                    (true, true) => 60.0,
                    (true, false) | (false, true) => 25.0,
                    (false, false) => META.likelihood_ratio,
                };
                Signal {
                    reason: format!(
                        "unapproved remote-access {} {} on device {device}",
                        if names.len() == 1 { "tool" } else { "tools" },
                        names
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(" and ")
                    ),
                    person_id: acc.person,
                    device_id: Some(device.clone()),
                    detection: META.id,
                    family: META.family,
                    severity: if acc.tools.len() >= 2 {
                        Severity::High
                    } else {
                        META.severity
                    },
                    likelihood_ratio: lr,
                    first_seen: acc.t0.map(rfc3339),
                    last_seen: acc.t1.map(rfc3339),
                    evidence: json!({
                        "device_id": device,
                        "tools": acc.tools,
                        "device_in_service": acc.in_service.map(rfc3339),
                        "installed_within_14_days_of_service": early,
                    }),
                    links: vec![Link {
                        kind: "device",
                        value: device,
                        ring_edge: false,
                    }],
                }
            })
            .collect())
    }
}
