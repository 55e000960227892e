//! `indicators.stix.json`: a STIX 2.1 bundle of indicators worth sharing with an ISAC.
//!
//! What goes in, and only for people the scan flagged (or rings holding one):
//! - infrastructure, always: IP addresses that are ring hubs or shared things of such a ring,
//!   anonymising exits a flagged person signed in from, and remote-access domains a flagged
//!   person's machine reached;
//! - personal identifiers, only with `muster scan --stix-personal`: e-mail addresses and phone
//!   numbers shared across identities (ID-REUSE) and crypto addresses (PAY-SHARED,
//!   PAY-PROVIDER). Bank accounts never go in.
//!
//! Every observable is a STIX Cyber-observable Object (deterministic id, STIX 2.1 section 2.9)
//! with an `indicator` whose pattern matches it and whose description says why it is there. Phone
//! numbers and crypto addresses have no SCO in STIX 2.1, so they are new SCOs (`phone-number`,
//! `cryptocurrency-wallet`) defined by extension-definition objects in the same bundle (section
//! 7.3). A `grouping` (context `suspicious-activity`) holds everything; the indicators and the
//! grouping carry the TLP:AMBER marking, since the data comes from one company's systems.
//! Identifiers of SDOs are derived from the scan (UUID version 4 layout over a SHA-1 name hash), so
//! the same scan gives the same bytes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::{Value, json};
use uuid::Uuid;

use crate::{OutputError, ScanResults};

/// STIX 2.1 namespace for deterministic SCO ids (STIX 2.1 section 2.9).
const STIX_NS: Uuid = Uuid::from_u128(0x00abedb4_aa42_466c_9c01_fed23315a9b7);
/// TLP:AMBER, one of the STIX 2.1 predefined marking definitions (section 7.2.1.4).
const TLP_AMBER: &str = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82";
/// The muster identity every SDO is created by.
const IDENTITY: &str = "identity--6e0e2a8c-5c3f-4d0b-9a55-4a1e0f2d7c11";
const EXT_PHONE: &str = "extension-definition--3b1f6f0e-8d7c-4c55-b0a2-1d9e6a4f2c01";
const EXT_WALLET: &str = "extension-definition--3b1f6f0e-8d7c-4c55-b0a2-1d9e6a4f2c02";
/// When muster's identity and extension definitions were first written (fixed, so reruns match).
const DEFINED: &str = "2026-12-07T00:00:00.000Z";

/// A UUID in version-4 layout derived from `name`: STIX asks for version 4 ids on SDOs, and a
/// derived one keeps outputs reproducible.
fn derived_v4(name: &str) -> Uuid {
    let mut b = *Uuid::new_v5(&STIX_NS, name.as_bytes()).as_bytes();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    Uuid::from_bytes(b)
}

/// One observable: STIX type, value, and why it is shared.
struct Observable {
    kind: &'static str,
    value: String,
    why: BTreeSet<String>,
}

fn sco(o: &Observable) -> Value {
    let name = json!({ "value": o.value }).to_string();
    // Standard SCOs: version 5 over the id-contributing property (section 2.9). The two new SCOs
    // are not known to STIX tooling as observables, which then asks for version 4: same name
    // hash, version-4 layout.
    let id = match o.kind {
        "phone-number" | "cryptocurrency-wallet" => derived_v4(&name),
        _ => Uuid::new_v5(&STIX_NS, name.as_bytes()),
    };
    let mut v = json!({
        "type": o.kind, "spec_version": "2.1", "id": format!("{}--{id}", o.kind), "value": o.value,
    });
    let ext = match o.kind {
        "phone-number" => Some(EXT_PHONE),
        "cryptocurrency-wallet" => Some(EXT_WALLET),
        _ => None,
    };
    if let Some(ext) = ext {
        v["extensions"] = json!({ ext: { "extension_type": "new-sco" } });
    }
    v
}

fn extension_definition(id: &str, name: &str, what: &str, version: &str) -> Value {
    json!({
        "type": "extension-definition", "spec_version": "2.1", "id": id,
        "created_by_ref": IDENTITY, "created": DEFINED, "modified": DEFINED,
        "name": name,
        "description": what,
        "schema": format!("https://github.com/muster-dev/muster/blob/v{version}/docs/stix.md"),
        "version": "1.0.0",
        "extension_types": ["new-sco"],
    })
}

/// Whether a raw identifier is well-formed enough to share: an e-mail address with one `@` and
/// a dotted domain, a phone number of digits (leading `+` allowed), a crypto address of letters
/// and digits. Anything else is left out rather than shared malformed.
fn shareable(kind: &str, v: &str) -> bool {
    match kind {
        "email-addr" => v.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '@' | '.' | '_' | '-' | '+'))
                && v.matches('@').count() == 1
        }),
        "phone-number" => {
            let d = v.strip_prefix('+').unwrap_or(v);
            (7..=15).contains(&d.len()) && d.chars().all(|c| c.is_ascii_digit())
        }
        _ => (20..=100).contains(&v.len()) && v.chars().all(|c| c.is_ascii_alphanumeric()),
    }
}

fn pattern_value(v: &str) -> String {
    v.replace('\\', "\\\\").replace('\'', "\\'")
}

/// Collects the observables of a scan.
fn observables(r: &ScanResults<'_>) -> BTreeMap<(&'static str, String), BTreeSet<String>> {
    let flagged: BTreeSet<&str> = r
        .scores
        .iter()
        .filter(|s| s.flagged)
        .map(|s| s.person_id.as_str())
        .collect();
    let mut out: BTreeMap<(&'static str, String), BTreeSet<String>> = BTreeMap::new();
    let mut add = |kind: &'static str, value: &str, why: String| {
        out.entry((kind, value.to_string()))
            .or_default()
            .insert(why);
    };
    let ip_kind = |ip: &str| {
        if ip.contains(':') {
            "ipv6-addr"
        } else {
            "ipv4-addr"
        }
    };
    // Only the infrastructure of rings with a flagged member: a ring of weak evidence stays in.
    for ring in r.rings.iter().filter(|ring| {
        ring.members
            .iter()
            .any(|m| m.kind == "person" && flagged.contains(m.id.as_str()))
    }) {
        for m in ring.members.iter().filter(|m| m.kind == "ip") {
            let why = format!(
                "{} of ring {} ({} people)",
                if m.role == "hub" { "hub" } else { "shared IP" },
                ring.ring_id,
                ring.people
            );
            add(ip_kind(&m.id), &m.id, why);
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
            for ip in map.keys() {
                add(
                    ip_kind(ip),
                    ip,
                    "anonymising exit a flagged person signed in from".into(),
                );
            }
        }
        if s.detection == "RMM-SOFTWARE"
            && let Some(tools) = s.evidence.get("tools").and_then(Value::as_object)
        {
            for (tool, seen) in tools.iter().filter_map(|(t, v)| Some((t, v.as_array()?))) {
                for d in seen
                    .iter()
                    .filter_map(Value::as_str)
                    .filter_map(|x| x.strip_prefix("network: "))
                {
                    add(
                        "domain-name",
                        d,
                        format!("{tool} remote access reached by a flagged person"),
                    );
                }
            }
        }
        if r.share_personal {
            for l in &s.links {
                let Some(raw) = l.share.as_deref() else {
                    continue;
                };
                let kind = match l.kind {
                    "email" => "email-addr",
                    "phone" => "phone-number",
                    "crypto" => "cryptocurrency-wallet",
                    _ => continue,
                };
                if !shareable(kind, raw) {
                    continue;
                }
                add(
                    kind,
                    raw,
                    format!("{} of a flagged person ({})", l.kind, s.detection),
                );
            }
        }
    }
    out
}

/// Writes the bundle.
pub fn write_stix(path: &Path, r: &ScanResults<'_>) -> Result<(), OutputError> {
    let found: Vec<Observable> = observables(r)
        .into_iter()
        .map(|((kind, value), why)| Observable { kind, value, why })
        .collect();
    let created = stix_time(r.started_at);
    let mut objects: Vec<Value> = vec![json!({
        "type": "identity", "spec_version": "2.1", "id": IDENTITY,
        "created": DEFINED, "modified": DEFINED,
        "name": "muster", "identity_class": "system",
        "description": "muster: finds remote IT-worker schemes from HR, identity, endpoint, network and payroll data",
    })];
    if found.iter().any(|o| o.kind == "phone-number") {
        objects.push(extension_definition(
            EXT_PHONE,
            "phone-number",
            "A telephone number in E.164 form (value).",
            r.version,
        ));
    }
    if found.iter().any(|o| o.kind == "cryptocurrency-wallet") {
        objects.push(extension_definition(
            EXT_WALLET,
            "cryptocurrency-wallet",
            "A cryptocurrency address (value) that received pay.",
            r.version,
        ));
    }
    let mut refs: Vec<String> = Vec::new();
    for o in &found {
        let obs = sco(o);
        let sco_id = obs["id"].as_str().unwrap_or_default().to_string();
        let indicator_id = format!(
            "indicator--{}",
            derived_v4(&format!("{}|{sco_id}", r.started_at))
        );
        let why: Vec<&str> = o.why.iter().map(String::as_str).collect();
        objects.push(json!({
            "type": "indicator", "spec_version": "2.1", "id": indicator_id,
            "created_by_ref": IDENTITY, "created": created, "modified": created,
            "name": format!("{} {}", o.kind, o.value),
            "description": why.join("; "),
            "indicator_types": ["anomalous-activity"],
            "pattern": format!("[{}:value = '{}']", o.kind, pattern_value(&o.value)),
            "pattern_type": "stix",
            "valid_from": created,
            "object_marking_refs": [TLP_AMBER],
        }));
        refs.push(indicator_id);
        refs.push(sco_id);
        objects.push(obs);
    }
    if !refs.is_empty() {
        objects.push(json!({
            "type": "grouping", "spec_version": "2.1",
            "id": format!("grouping--{}", derived_v4(&format!("grouping|{}", r.started_at))),
            "created_by_ref": IDENTITY, "created": created, "modified": created,
            "name": format!("muster scan {}", r.started_at),
            "context": "suspicious-activity",
            "object_refs": refs,
            "object_marking_refs": [TLP_AMBER],
        }));
    }
    let bundle_id = derived_v4(&format!("muster-bundle:{}", r.started_at));
    let bundle =
        json!({ "type": "bundle", "id": format!("bundle--{bundle_id}"), "objects": objects });
    crate::write_json(path, &bundle)
}

/// STIX timestamps are RFC 3339 in UTC with a `Z`; a start time that does not parse falls back
/// to the fixed definition time (the bundle stays valid).
fn stix_time(started_at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(started_at)
        .map(|t| {
            t.with_timezone(&chrono::Utc)
                .format("%Y-%m-%dT%H:%M:%S%.3fZ")
                .to_string()
        })
        .unwrap_or_else(|_| DEFINED.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_escape_quotes_and_backslashes() {
        assert_eq!(pattern_value(r"a'b\c"), r"a\'b\\c");
    }

    #[test]
    fn only_well_formed_identifiers_are_shared() {
        assert!(shareable("email-addr", "j.doe+x@mail.example.com"));
        assert!(!shareable("email-addr", "jo'e@example.com"));
        assert!(!shareable("email-addr", "a@b@example.com"));
        assert!(!shareable("email-addr", "nobody@localhost"));
        assert!(shareable("phone-number", "+12025550147"));
        assert!(!shareable("phone-number", "+1 202 555"));
        assert!(shareable(
            "cryptocurrency-wallet",
            "0x12ab34cd56ef7890aa12ab34cd56ef7890aa12ab"
        ));
        assert!(!shareable("cryptocurrency-wallet", "0x12"));
    }

    #[test]
    fn derived_ids_have_the_version_4_layout_and_are_stable() {
        let a = derived_v4("x");
        assert_eq!(a.get_version_num(), 4);
        assert_eq!(a, derived_v4("x"));
        assert_ne!(a, derived_v4("y"));
    }
}
