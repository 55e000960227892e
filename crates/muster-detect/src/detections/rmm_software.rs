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
/// "Within days of the first login": 3 days, in microseconds.
const EARLY_LOGIN_MICROS: i64 = 3 * 86_400_000_000;
/// A first sign-in counts as the user's first login only within 30 days of the hire date or
/// the device's in-service date.
const FIRST_LOGIN_WINDOW_MICROS: i64 = 30 * 86_400_000_000;
/// LR with one strengthening fact (two tools, early install, scripted fixed-PIN setup).
const LR_STRONGER: f64 = 25.0;
/// LR with two or more of them.
const LR_STRONGEST: f64 = 60.0;
/// The catalogue name of Chrome Remote Desktop (scripted headless setup: `remoting_start_host`).
const CRD: &str = "Chrome Remote Desktop";
/// `seen_in` of a scripted Chrome Remote Desktop setup with a fixed PIN.
const SCRIPTED: &str = "scripted setup";

static META: DetectionMeta = DetectionMeta {
    id: "RMM-SOFTWARE",
    title: "Unapproved remote-access tool on a company device",
    family: Family::RemoteControl,
    severity: Severity::Medium,
    likelihood_ratio: 10.0,
    lr_rationale: "Remote-access tools outside the company's approved set appear on a small share of \
        legitimate laptops (personal use, vendor support sessions), but on most farm laptops, which \
        are driven remotely by design: 10 for one tool. Three facts make the farm story much \
        likelier, because each has few innocent explanations: two or more different tools on one \
        device (a facilitator keeps a fallback when one is blocked; an employee or a vendor uses \
        one); the tool first seen within 14 days of the device's delivery (or issue or \
        shipping) date, or within 3 days of the first sign-in of the device or its user (the \
        laptop is set up for remote use from the first day, before any support need can arise; \
        the first sign-in counts only when it is within 30 days of the hire or in-service date, \
        so a data window that starts mid-tenure is not mistaken for a first login); Chrome \
        Remote Desktop set up by script with a fixed PIN (`remoting_start_host --pin=`: the \
        headless, unattended setup, which grants standing access to whoever knows the PIN, \
        rather than the interactive support-session flow). One of them: 25; two or more: 60. \
        Fusion caps the remote-control family, so this does not multiply with RDP-INBOUND or \
        the KVM detections.",
    tables: &["processes", "software", "network"],
    what: "Matches process names and paths, installed software and network domains against the \
        LOLRMM catalogue (319 tools: AnyDesk, TeamViewer, Chrome Remote Desktop, RustDesk, \
        ScreenConnect, Splashtop, ...), and process command lines against the scripted \
        Chrome Remote Desktop setup (`remoting_start_host` with `--pin`; the PIN is never \
        reported), removes tools on the approved list, and reports each device with the tools, \
        where they were seen and when, the device's in-service date and its first sign-in.",
    why: "Facilitators install remote-control software on company laptops so workers abroad can \
        use them (FBI PSA May 2024; DOJ indictments name AnyDesk, TeamViewer, Chrome Remote \
        Desktop, RustDesk).",
    data: "processes (name, path, cmdline), software (name, publisher, first_seen/last_seen), \
        network (domain), devices (person_id, delivered_at/issued_at/shipped_at), signins \
        (first successful sign-in of the device, else of the person), people (hired_at).",
    false_positives: "The company's own RMM (approved_rmm.txt or `approved_rmm` in muster.toml, by \
        LOLRMM tool name, product alias or binary name, each resolved to the catalogue's tool, so \
        'ScreenConnect' approves ConnectWise Control). IT staff and help desks (approve their tool). Generic \
        executable names (setup.exe, agent.exe) never match on their own. Two approved tools are \
        not 'two tools'; a scripted Chrome Remote Desktop setup is not evidence when Chrome \
        Remote Desktop is approved (IT's own headless deployment). A tool installed months \
        after the first login keeps the base ratio.",
    references: &[
        "LOLRMM catalogue, magicsword-io/LOLRMM",
        "FBI PSA I-051624-PSA, May 2024",
        "US DOJ indictments of laptop-farm facilitators (2024-2025)",
        "Google, Chrome Remote Desktop headless setup ('Set up via SSH': remoting_start_host --code --redirect-url --name --pin)",
    ],
};

impl Detection for RmmSoftware {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn run(&self, engine: &Engine, cfg: &DetectConfig) -> Result<Vec<Signal>, DetectError> {
        let crd = cfg
            .intel
            .rmm()
            .tool(CRD)
            .map_or(CRD.to_string(), |t| t.name.replace('\'', "''"));
        // The catalogue lookups run once per distinct name, path or domain, staged, not once
        // per event row: a filter on a lookup's result would otherwise be pushed below the
        // DISTINCT (the functions are pure) and run on every row (measured at 100k people:
        // 30 s of compute over 18.8 M process rows for 224 k distinct pairs). Staged tables
        // also carry row counts, so the joins below build their hash tables on the small
        // lookup side, not on the event table (784 MB for the network table before).
        engine.stage_query(
            "rmm_pn",
            "SELECT name, coalesce(path, '') AS path, rmm_process(name, path) AS tool
             FROM (SELECT DISTINCT name, path FROM processes)",
        )?;
        engine.stage_query(
            "rmm_sn",
            "SELECT name, coalesce(publisher, '') AS publisher, rmm_software(name, publisher) AS tool
             FROM (SELECT DISTINCT name, publisher FROM software)",
        )?;
        engine.stage_query(
            "rmm_dn",
            "SELECT domain, rmm_domain(domain) AS tool
             FROM (SELECT DISTINCT domain FROM network WHERE domain IS NOT NULL)",
        )?;
        let sql = "WITH pn AS (SELECT * FROM rmm_pn WHERE tool IS NOT NULL),
             sn AS (SELECT * FROM rmm_sn WHERE tool IS NOT NULL),
             dn AS (SELECT * FROM rmm_dn WHERE tool IS NOT NULL),
             hits AS (
               SELECT p.device_id, pn.tool, 'process' AS seen_in, CASE WHEN pn.path = '' THEN p.name ELSE pn.path END AS artefact,
                      p.time AS t0, p.time AS t1
               FROM pn JOIN processes p ON p.name = pn.name AND coalesce(p.path, '') = pn.path
               UNION ALL
               SELECT s.device_id, sn.tool, 'software', s.name, s.first_seen, coalesce(s.last_seen, s.first_seen)
               FROM sn JOIN software s ON s.name = sn.name AND coalesce(s.publisher, '') = sn.publisher
               UNION ALL
               SELECT n.device_id, dn.tool, 'network', n.domain, n.time AS t0, n.time AS t1
               FROM dn JOIN network n ON n.domain = dn.domain
               WHERE n.device_id IS NOT NULL
               UNION ALL
               SELECT x.device_id, '{CRD}', '{SCRIPTED}', 'remoting_start_host --pin=(withheld)',
                      x.time AS t0, x.time AS t1
               FROM processes x
               WHERE lower(x.cmdline) LIKE '%remoting_start_host%' AND lower(x.cmdline) LIKE '%-pin%'
             ),
             dev_login AS (
               SELECT device_id, min(time) AS t FROM signin_ev
               WHERE outcome = 'success' AND device_id IS NOT NULL GROUP BY device_id
             ),
             person_login AS (
               SELECT person_id, min(time) AS t FROM signin_ev
               WHERE outcome = 'success' AND person_id IS NOT NULL GROUP BY person_id
             ),
             grouped AS (
               SELECT d.person_id, h.device_id, h.tool, h.seen_in, h.artefact, count(*) AS n,
                      min(h.t0) AS t0, max(h.t1) AS t1,
                      min(coalesce(d.delivered_at, d.issued_at, d.shipped_at)) AS in_service
               FROM hits h LEFT JOIN devices d ON h.device_id = d.device_id
               GROUP BY d.person_id, h.device_id, h.tool, h.seen_in, h.artefact
             )
             SELECT g.*, coalesce(dl.t, pl.t) AS first_login, p.hired_at
             FROM grouped g
             LEFT JOIN dev_login dl ON g.device_id = dl.device_id
             LEFT JOIN person_login pl ON g.person_id = pl.person_id
             LEFT JOIN people p ON g.person_id = p.person_id
             ORDER BY g.person_id, g.device_id, g.tool, g.seen_in, g.artefact"
            .replace("{CRD}", &crd)
            .replace("{SCRIPTED}", SCRIPTED);
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
            first_login: Option<i64>,
            hired: Option<i64>,
            scripted_pin: bool,
        }
        let mut by: BTreeMap<String, Acc> = BTreeMap::new();
        for b in engine.sql(&sql)? {
            let (p, d, tool, seen, art) = (
                col(&b, "person_id")?,
                col(&b, "device_id")?,
                col(&b, "tool")?,
                col(&b, "seen_in")?,
                col(&b, "artefact")?,
            );
            let (t0, t1) = (col(&b, "t0")?, col(&b, "t1")?);
            let svc = col(&b, "in_service")?;
            let (login, hired) = (col(&b, "first_login")?, col(&b, "hired_at")?);
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
                acc.first_login = acc.first_login.or(login.ts(i));
                acc.hired = acc.hired.or(hired.ts(i));
                acc.scripted_pin |= seen == SCRIPTED;
            }
        }
        Ok(by
            .into_iter()
            .map(|(device, acc)| {
                let names: Vec<&String> = acc.tools.keys().collect();
                let multi = acc.tools.len() >= 2;
                // Installed within two weeks of the device going into service: set up for
                // remote use from the start (the farm pattern), not picked up later for support.
                let early_service = match (acc.in_service, acc.t0) {
                    (Some(s), Some(t)) => t >= s && t - s <= EARLY_INSTALL_MICROS,
                    _ => false,
                };
                let login = first_login(acc.first_login, acc.hired, acc.in_service);
                let early_login = match (login, acc.t0) {
                    (Some(l), Some(t)) => t >= l && t - l <= EARLY_LOGIN_MICROS,
                    _ => false,
                };
                let early = early_service || early_login;
                let mut stronger = Vec::new();
                if multi {
                    stronger.push("two or more different tools");
                }
                if early_service {
                    stronger.push("first seen within 14 days of the device going into service");
                }
                if early_login {
                    stronger.push("first seen within 3 days of the first sign-in");
                }
                if acc.scripted_pin {
                    stronger.push("Chrome Remote Desktop set up by script with a fixed PIN");
                }
                let factors =
                    usize::from(multi) + usize::from(early) + usize::from(acc.scripted_pin);
                let lr = match factors {
                    0 => META.likelihood_ratio,
                    1 => LR_STRONGER,
                    _ => LR_STRONGEST,
                };
                let mut reason = format!(
                    "unapproved remote-access {} {} on device {device}",
                    if names.len() == 1 { "tool" } else { "tools" },
                    names
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(" and ")
                );
                if !stronger.is_empty() {
                    reason.push_str(&format!(" ({})", stronger.join("; ")));
                }
                Signal {
                    reason,
                    person_id: acc.person,
                    device_id: Some(device.clone()),
                    detection: META.id,
                    family: META.family,
                    severity: if factors > 0 {
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
                        "installed_within_14_days_of_service": early_service,
                        "first_sign_in": login.map(rfc3339),
                        "installed_within_3_days_of_first_sign_in": early_login,
                        "scripted_crd_fixed_pin": acc.scripted_pin,
                        "stronger_because": stronger,
                    }),
                    links: vec![Link {
                        kind: "device",
                        value: device,
                        ring_edge: false,
                        share: None,
                    }],
                }
            })
            .collect())
    }
}

/// The first sign-in of the device (or its user) when it is the start of the user's tenure:
/// within [`FIRST_LOGIN_WINDOW_MICROS`] after the hire date or the device's in-service date
/// (and not before either by more than that). A data window that starts mid-tenure has a
/// "first" sign-in that is not the first login; it is not used.
fn first_login(login: Option<i64>, hired: Option<i64>, in_service: Option<i64>) -> Option<i64> {
    let login = login?;
    let near = |anchor: Option<i64>| {
        anchor.is_some_and(|a| (login - a).abs() <= FIRST_LOGIN_WINDOW_MICROS)
    };
    (near(hired) || near(in_service)).then_some(login)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_login_needs_an_anchor_near_it() {
        let day = 86_400_000_000;
        assert_eq!(
            first_login(Some(10 * day), Some(9 * day), None),
            Some(10 * day)
        );
        assert_eq!(
            first_login(Some(10 * day), None, Some(8 * day)),
            Some(10 * day)
        );
        // The data starts months after the hire: not the first login.
        assert_eq!(first_login(Some(200 * day), Some(9 * day), None), None);
        assert_eq!(first_login(Some(10 * day), None, None), None);
        assert_eq!(first_login(None, Some(9 * day), None), None);
    }
}
