//! `indicators.stix.json`: a STIX 2.1 bundle of observables worth sharing with an ISAC.
//!
//! Only infrastructure goes in by default: IP addresses that are ring hubs or anonymising exits
//! used by flagged people, and remote-access domains. Personal data (phones, emails, bank
//! accounts) is never shared by default.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::{Value, json};
use uuid::Uuid;

use crate::{OutputError, ScanResults};

/// STIX 2.1 namespace for deterministic SCO ids (STIX 2.1 section 2.9).
const STIX_NS: Uuid = Uuid::from_u128(0x00abedb4_aa42_466c_9c01_fed23315a9b7);

fn sco(kind: &str, value: &str) -> Value {
    let id = Uuid::new_v5(&STIX_NS, json!({ "value": value }).to_string().as_bytes());
    json!({ "type": kind, "spec_version": "2.1", "id": format!("{kind}--{id}"), "value": value })
}

/// Writes the bundle.
pub fn write_stix(path: &Path, r: &ScanResults<'_>) -> Result<(), OutputError> {
    let flagged: BTreeSet<&str> = r
        .scores
        .iter()
        .filter(|s| s.flagged)
        .map(|s| s.person_id.as_str())
        .collect();
    let mut ips: BTreeSet<String> = BTreeSet::new();
    let mut domains: BTreeSet<String> = BTreeSet::new();
    // Only the infrastructure of rings with a flagged member: a ring of weak evidence stays in.
    for ring in r.rings.iter().filter(|ring| {
        ring.members
            .iter()
            .any(|m| m.kind == "person" && flagged.contains(m.id.as_str()))
    }) {
        for m in ring.members.iter().filter(|m| m.kind == "ip") {
            ips.insert(m.id.clone());
        }
    }
    for s in r
        .signals
        .iter()
        .filter(|s| flagged.contains(s.person_id.as_str()))
    {
        if s.detection == "NET-ANON"
            && let Some(map) = s.evidence.get("ips").and_then(Value::as_object)
        {
            ips.extend(map.keys().cloned());
        }
        if s.detection == "RMM-SOFTWARE"
            && let Some(tools) = s.evidence.get("tools").and_then(Value::as_object)
        {
            for seen in tools
                .values()
                .filter_map(Value::as_array)
                .flatten()
                .filter_map(Value::as_str)
            {
                if let Some(d) = seen.strip_prefix("network: ") {
                    domains.insert(d.to_string());
                }
            }
        }
    }
    let mut objects: Vec<Value> = Vec::new();
    for ip in &ips {
        let kind = if ip.contains(':') {
            "ipv6-addr"
        } else {
            "ipv4-addr"
        };
        objects.push(sco(kind, ip));
    }
    for d in &domains {
        objects.push(sco("domain-name", d));
    }
    let bundle_id = Uuid::new_v5(
        &STIX_NS,
        format!("muster-bundle:{}", r.started_at).as_bytes(),
    );
    let bundle =
        json!({ "type": "bundle", "id": format!("bundle--{bundle_id}"), "objects": objects });
    crate::write_json(path, &bundle)
}
