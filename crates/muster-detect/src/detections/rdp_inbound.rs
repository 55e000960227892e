//! RDP-INBOUND: remote-desktop sessions reaching a company device from the internet.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use crate::rows::{col, rfc3339};
use crate::{
    DetectConfig, DetectError, Detection, DetectionMeta, Engine, Family, Link, Severity, Signal,
};

/// RDP-INBOUND.
pub struct RdpInbound;

/// A remote-control listener port on the controlled host, with the tool names that approve it
/// (matched against the approved-RMM list, lowercase).
struct Listener {
    lo: i64,
    hi: i64,
    tool: &'static str,
    approved_by: &'static [&'static str],
    /// Remote Desktop itself (stronger than the other listeners).
    rdp: bool,
}

/// Listener ports from the tools' own documentation. LOLRMM's `ports` are the tools' server-side
/// ports (443 for 121 of 319 tools), not listeners on the controlled machine, so they are not
/// used here.
const LISTENERS: &[Listener] = &[
    Listener {
        lo: 3389,
        hi: 3389,
        tool: "Remote Desktop (RDP)",
        approved_by: &[
            "rdp",
            "remote desktop",
            "microsoft remote desktop",
            "mstsc.exe",
            "mstsc.exe (microsoft remote desktop connection)",
        ],
        rdp: true,
    },
    Listener {
        lo: 5900,
        hi: 5903,
        tool: "VNC",
        approved_by: &["vnc", "realvnc", "tightvnc", "ultravnc", "tigervnc"],
        rdp: false,
    },
    Listener {
        lo: 5938,
        hi: 5938,
        tool: "TeamViewer (direct)",
        approved_by: &["teamviewer"],
        rdp: false,
    },
    Listener {
        lo: 7070,
        hi: 7070,
        tool: "AnyDesk (direct)",
        approved_by: &["anydesk"],
        rdp: false,
    },
    Listener {
        lo: 21118,
        hi: 21118,
        tool: "RustDesk (direct IP)",
        approved_by: &["rustdesk"],
        rdp: false,
    },
];

/// A flow counts as a session, not a probe, when it lasts this long (seconds) ...
const SESSION_MIN_SECONDS: f64 = 60.0;
/// ... or moves this many bytes (both directions).
const SESSION_MIN_BYTES: i64 = 100_000;

/// RDP sessions on two or more days (the cap).
const LR_RDP_REPEATED: f64 = 30.0;
/// RDP sessions on one day.
const LR_RDP: f64 = 15.0;
/// Another remote-control listener, on two or more days.
const LR_OTHER_REPEATED: f64 = 15.0;
/// Another remote-control listener, one day.
const LR_OTHER: f64 = 8.0;

static META: DetectionMeta = DetectionMeta {
    id: "RDP-INBOUND",
    title: "Inbound remote desktop from the internet",
    family: Family::RemoteControl,
    severity: Severity::Medium,
    likelihood_ratio: LR_RDP_REPEATED,
    lr_rationale: "A company laptop accepting remote-desktop sessions from a public, non-corporate \
        address means someone port-forwarded the home router to it, which a remote employee has \
        little reason to do (IT support arrives through the corporate VPN or an approved RMM) \
        and a farm does to let workers in. We put it on under 1 in 500 legitimate laptops \
        against a minority (~1 in 10) of farm laptops: LR 15 for RDP sessions on one day, 30 on \
        two or more days (a habit, not a one-off). Other remote-control listeners (VNC, \
        TeamViewer/AnyDesk/RustDesk direct connections) are also used on LANs and by hobbyists: \
        8, and 15 on two or more days. Moderate on purpose: it corroborates RMM-SOFTWARE and KVM \
        findings in the same family rather than flagging alone. Not fitted to data.",
    tables: &["network"],
    what: "Finds inbound flows to a company device on remote-control listener ports (RDP 3389; \
        VNC 5900-5903; TeamViewer 5938, AnyDesk 7070 and RustDesk 21118 direct connections) from \
        public addresses (IANA special-purpose ranges excluded: private LAN, CGNAT, loopback, \
        link-local) that are not the company's own egress (offices, VPN concentrators, ZTNA), \
        keeps session-sized flows (at least 60 s or 100 kB; flows without either measure are \
        kept), drops tools on the approved-RMM list, and reports each device with the ports, \
        sources and days.",
    why: "The 2022 and 2024 FBI/State/Treasury advisories and DOJ laptop-farm cases describe \
        facilitators making company laptops reachable for workers abroad; beside RMM software \
        and IP-KVMs, plain RDP or VNC through a port-forward on the facilitator's router is \
        the low-tech way in.",
    data: "network (time, device_id, src_ip, dst_port, direction, bytes_in, bytes_out, \
        duration_s), devices (person_id); corporate_egress.txt; approved_rmm.txt.",
    false_positives: "IT support and jump hosts connecting from the corporate egress or VPN \
        concentrators (list them in corporate_egress.txt); anything from private, CGNAT or \
        link-local addresses (home LAN, VPN pools); approved tools (approved_rmm.txt entries \
        `RDP`, `VNC`, `TeamViewer`, `AnyDesk`, `RustDesk`, or their LOLRMM names); internet \
        scanners probing an exposed port (short, small flows are dropped). An employee reaching \
        their own laptop from a personal device outside home through a port-forward still \
        matches: a policy violation worth a question, not proof.",
    references: &[
        "FBI/State/Treasury advisory on DPRK IT workers, 16 May 2022",
        "FBI PSA I-051624-PSA, May 2024",
        "US DOJ, coordinated actions against DPRK IT-worker laptop farms, 30 Jun 2025",
        "Microsoft, AnyDesk, TeamViewer, RustDesk and RFC 6143 (VNC) documentation of listener ports",
    ],
};

fn listener(port: i64) -> Option<&'static Listener> {
    LISTENERS.iter().find(|l| (l.lo..=l.hi).contains(&port))
}

#[derive(Default)]
struct Acc {
    person: String,
    /// tool -> sources
    tools: BTreeMap<&'static str, BTreeSet<String>>,
    rdp_days: BTreeSet<String>,
    other_days: BTreeSet<String>,
    sessions: i64,
    t0: Option<i64>,
    t1: Option<i64>,
}

impl Detection for RdpInbound {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn run(&self, engine: &Engine, cfg: &DetectConfig) -> Result<Vec<Signal>, DetectError> {
        let ports: Vec<String> = LISTENERS
            .iter()
            .flat_map(|l| l.lo..=l.hi)
            .map(|p| p.to_string())
            .collect();
        let sql = format!(
            "WITH f AS (
               SELECT device_id, trim(src_ip) AS src_ip, CAST(dst_port AS BIGINT) AS port,
                      CAST(date_trunc('day', time) AS VARCHAR) AS day, time
               FROM network
               WHERE lower(trim(direction)) = 'inbound' AND device_id IS NOT NULL
                 AND src_ip IS NOT NULL AND CAST(dst_port AS BIGINT) IN ({ports})
                 AND (duration_s IS NULL AND bytes_in IS NULL AND bytes_out IS NULL
                      OR coalesce(duration_s, 0) >= {secs}
                      OR coalesce(bytes_in, 0) + coalesce(bytes_out, 0) >= {bytes})
             ),
             g AS (
               SELECT device_id, src_ip, port, day, count(*) AS n, min(time) AS t0, max(time) AS t1
               FROM f GROUP BY device_id, src_ip, port, day
             )
             SELECT d.person_id, g.* FROM g LEFT JOIN devices d ON g.device_id = d.device_id
             WHERE ip_class(g.src_ip) = 'public'
             ORDER BY g.device_id, g.port, g.src_ip, g.day",
            ports = ports.join(", "),
            secs = SESSION_MIN_SECONDS,
            bytes = SESSION_MIN_BYTES,
        );
        let approved = cfg.approved_rmm_names();
        let mut by: BTreeMap<String, Acc> = BTreeMap::new();
        for b in engine.sql(&sql)? {
            let (p, d, src, port, day, n) = (
                col(&b, "person_id")?,
                col(&b, "device_id")?,
                col(&b, "src_ip")?,
                col(&b, "port")?,
                col(&b, "day")?,
                col(&b, "n")?,
            );
            let (t0, t1) = (col(&b, "t0")?, col(&b, "t1")?);
            for i in 0..b.num_rows() {
                let (Some(dev), Some(src), Some(l), Some(day)) = (
                    d.str(i),
                    src.str(i),
                    port.int(i).and_then(listener),
                    day.str(i),
                ) else {
                    continue;
                };
                if cfg.is_corporate(src) || l.approved_by.iter().any(|a| approved.contains(*a)) {
                    continue;
                }
                let acc = by.entry(dev.to_string()).or_default();
                if acc.person.is_empty() {
                    acc.person = p.str(i).unwrap_or("").to_string();
                }
                acc.tools.entry(l.tool).or_default().insert(src.to_string());
                let day = day.get(..10).unwrap_or(day).to_string();
                if l.rdp {
                    acc.rdp_days.insert(day);
                } else {
                    acc.other_days.insert(day);
                }
                acc.sessions += n.int(i).unwrap_or(0);
                acc.t0 = match (acc.t0, t0.ts(i)) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                acc.t1 = acc.t1.max(t1.ts(i));
            }
        }
        Ok(by
            .into_iter()
            .map(|(device, acc)| {
                let lr = match (acc.rdp_days.len(), acc.other_days.len()) {
                    (r, _) if r >= 2 => LR_RDP_REPEATED,
                    (1, _) => LR_RDP,
                    (_, o) if o >= 2 => LR_OTHER_REPEATED,
                    _ => LR_OTHER,
                };
                let days: BTreeSet<&String> = acc.rdp_days.iter().chain(&acc.other_days).collect();
                let sources: BTreeSet<&String> = acc.tools.values().flatten().collect();
                Signal {
                    reason: format!(
                        "inbound {} from {} public non-corporate {} on {} {} to device {device}",
                        acc.tools.keys().copied().collect::<Vec<_>>().join(" and "),
                        sources.len(),
                        if sources.len() == 1 {
                            "address"
                        } else {
                            "addresses"
                        },
                        days.len(),
                        if days.len() == 1 { "day" } else { "days" },
                    ),
                    person_id: acc.person,
                    device_id: Some(device.clone()),
                    detection: META.id,
                    family: META.family,
                    severity: META.severity,
                    likelihood_ratio: lr,
                    first_seen: acc.t0.map(rfc3339),
                    last_seen: acc.t1.map(rfc3339),
                    evidence: json!({
                        "device_id": device,
                        "listeners": acc.tools,
                        "days": days,
                        "session_flows": acc.sessions,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listener_ports() {
        assert!(listener(3389).is_some_and(|l| l.rdp));
        assert_eq!(listener(5901).map(|l| l.tool), Some("VNC"));
        assert!(listener(443).is_none());
        assert!(listener(22).is_none());
    }
}
