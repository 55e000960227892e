//! `findings.ocsf.ndjson`: one OCSF 1.x Detection Finding (class 2004) per flagged person.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use muster_detect::{Severity, Signal};
use serde_json::{Value, json};

use crate::{OutputError, ScanResults};

/// OCSF schema version the findings follow.
pub const OCSF_VERSION: &str = "1.8.0";

fn severity_id(p: f64) -> (u8, &'static str) {
    // OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical.
    match muster_fuse::tier(p) {
        "critical" => (5, "Critical"),
        "high" => (4, "High"),
        "medium" => (3, "Medium"),
        "low" => (2, "Low"),
        _ => (1, "Informational"),
    }
}

fn sev_name(s: Severity) -> &'static str {
    match s {
        Severity::Low => "Low",
        Severity::Medium => "Medium",
        Severity::High => "High",
        Severity::Critical => "Critical",
    }
}

fn epoch_ms(rfc: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(rfc)
        .ok()
        .map(|d| d.timestamp_millis())
}

/// Writes the findings of flagged people.
pub fn write_findings(path: &Path, r: &ScanResults<'_>) -> Result<(), OutputError> {
    let f = File::create(path).map_err(|e| OutputError::new(path, e))?;
    let mut w = BufWriter::new(f);
    let time = epoch_ms(r.started_at).unwrap_or_else(|| chrono::Utc::now().timestamp_millis());
    for s in r.scores.iter().filter(|s| s.flagged) {
        let signals: Vec<&Signal> = r
            .signals
            .iter()
            .filter(|x| x.person_id == s.person_id)
            .collect();
        let (sid, sname) = severity_id(s.probability);
        let evidences: Vec<Value> = signals
            .iter()
            .map(|x| {
                json!({
                    "name": x.detection,
                    "data": {
                        "detection": x.detection,
                        "family": x.family.name(),
                        "severity": sev_name(x.severity),
                        "likelihood_ratio": x.likelihood_ratio,
                        "reason": x.reason,
                        "first_seen": x.first_seen,
                        "last_seen": x.last_seen,
                        "evidence": x.evidence,
                    }
                })
            })
            .collect();
        let types: Vec<&str> = {
            let mut t: Vec<&str> = signals.iter().map(|x| x.detection).collect();
            t.sort_unstable();
            t.dedup();
            t
        };
        let first = signals
            .iter()
            .filter_map(|x| x.first_seen.as_deref())
            .filter_map(epoch_ms)
            .min();
        let last = signals
            .iter()
            .filter_map(|x| x.last_seen.as_deref().or(x.first_seen.as_deref()))
            .filter_map(epoch_ms)
            .max();
        let desc: Vec<&str> = s.reasons.iter().take(5).map(|x| x.text.as_str()).collect();
        let finding = json!({
            "activity_id": 1,
            "activity_name": "Create",
            "category_uid": 2,
            "category_name": "Findings",
            "class_uid": 2004,
            "class_name": "Detection Finding",
            "type_uid": 200401,
            "type_name": "Detection Finding: Create",
            "severity_id": sid,
            "severity": sname,
            "status_id": 1,
            "status": "New",
            "time": time,
            "confidence_score": s.score,
            "start_time": first,
            "end_time": last,
            "risk_score": s.score,
            "is_alert": true,
            "message": format!("Person {} shows signs of a North Korean IT-worker scheme ({}%)", s.person_id, s.score),
            "metadata": {
                "version": OCSF_VERSION,
                "product": { "name": "muster", "vendor_name": "muster", "version": r.version },
                "uid": format!("muster-{}-{}", s.person_id, time),
                "log_name": "muster",
            },
            "finding_info": {
                "uid": format!("muster:{}", s.person_id),
                "title": format!("Possible DPRK remote IT-worker scheme: {}", s.person_id),
                "desc": desc.join(" | "),
                "types": types,
                "created_time": time,
                "related_analytics": types.iter().map(|t| json!({"uid": t, "name": t, "type_id": 1, "type": "Rule"})).collect::<Vec<_>>(),
            },
            "resources": [ { "uid": s.person_id, "type": "person", "name": s.person_id } ],
            "evidences": evidences,
            "unmapped": { "ring_id": s.ring_id, "probability": s.probability, "tier": s.tier },
        });
        serde_json::to_writer(&mut w, &finding).map_err(|e| OutputError::new(path, e))?;
        w.write_all(b"\n").map_err(|e| OutputError::new(path, e))?;
    }
    w.flush().map_err(|e| OutputError::new(path, e))
}
