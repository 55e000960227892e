//! `findings.ocsf.ndjson` checked against the OCSF 1.8.0 schema (a copy of the schema's files
//! that Detection Finding needs is in `tests/ocsf-schema-1.8.0/`, Apache-2.0, see SOURCE.txt):
//! the class's required attributes, every attribute known to the class or object, JSON types
//! from the dictionary's types, enum values, arrays where the dictionary says so, and the uid
//! arithmetic (class_uid = category * 1000 + class, type_uid = class_uid * 100 + activity_id).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use muster_detect::{Family, Link, Severity, Signal};
use serde_json::{Map, Value, json};

fn schema_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ocsf-schema-1.8.0")
}

fn load(rel: &str) -> Value {
    let p = schema_dir().join(rel);
    serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap()
}

struct Schema {
    dict: Map<String, Value>,
    types: Map<String, Value>,
}

impl Schema {
    fn new() -> Self {
        let d = load("dictionary.json");
        Self {
            dict: d["attributes"].as_object().unwrap().clone(),
            types: d["types"]["attributes"].as_object().unwrap().clone(),
        }
    }

    /// The primitive a dictionary type resolves to (`string_t`, `integer_t`, `long_t`,
    /// `float_t`, `boolean_t`, `json_t`), or the object name.
    fn base(&self, t: &str) -> String {
        let mut t = t.to_string();
        for _ in 0..8 {
            match self.types.get(&t).and_then(|x| x["type"].as_str()) {
                Some(next) if next != t => t = next.to_string(),
                _ => break,
            }
        }
        t
    }

    /// Attribute definitions of a class chain or object: dictionary entries overlaid with the
    /// files' own (later files win), `$include`s skipped.
    fn attrs(&self, files: &[&str]) -> Map<String, Value> {
        let mut out = Map::new();
        for f in files {
            let v = load(f);
            for (k, a) in v["attributes"].as_object().unwrap() {
                if k.starts_with('$') {
                    continue;
                }
                let mut merged = self.dict.get(k).cloned().unwrap_or_else(|| json!({}));
                let entry = out.get(k).cloned().unwrap_or_else(|| json!({}));
                for src in [&entry, a] {
                    if let Some(o) = src.as_object() {
                        for (kk, vv) in o {
                            merged[kk] = vv.clone();
                        }
                    }
                }
                out.insert(k.clone(), merged);
            }
        }
        out
    }

    fn check_object(
        &self,
        path: &str,
        value: &Value,
        defs: &Map<String, Value>,
        errors: &mut Vec<String>,
    ) {
        let Some(obj) = value.as_object() else {
            errors.push(format!("{path}: expected an object"));
            return;
        };
        for (k, def) in defs {
            if def["requirement"] == "required" && obj.get(k).is_none_or(Value::is_null) {
                errors.push(format!("{path}.{k}: required attribute missing"));
            }
        }
        for (k, v) in obj {
            let Some(def) = defs.get(k) else {
                errors.push(format!(
                    "{path}.{k}: not an attribute of this class or object"
                ));
                continue;
            };
            self.check_value(&format!("{path}.{k}"), v, def, errors);
        }
    }

    fn check_value(&self, path: &str, v: &Value, def: &Value, errors: &mut Vec<String>) {
        if v.is_null() {
            return;
        }
        if def["is_array"] == true {
            match v.as_array() {
                Some(items) => {
                    let mut one = def.clone();
                    one["is_array"] = json!(false);
                    for (i, item) in items.iter().enumerate() {
                        self.check_value(&format!("{path}[{i}]"), item, &one, errors);
                    }
                }
                None => errors.push(format!("{path}: expected an array")),
            }
            return;
        }
        let t = def["type"].as_str().unwrap_or("");
        let ok = match self.base(t).as_str() {
            "string_t" => v.is_string(),
            "integer_t" | "long_t" => v.is_i64() || v.is_u64(),
            "float_t" => v.is_number(),
            "boolean_t" => v.is_boolean(),
            "json_t" => true,
            object => {
                let file = format!("objects/{object}.json");
                if schema_dir().join(&file).exists() {
                    let defs = self.attrs(&[file.as_str()]);
                    self.check_object(path, v, &defs, errors);
                }
                v.is_object()
            }
        };
        if !ok {
            errors.push(format!("{path}: {v} is not of type {t}"));
        }
        // The base event's enums for these hold only a placeholder: the schema's compiler fills
        // them from the category and class files, which the uid arithmetic checks instead.
        let compiled = ["category_uid", "class_uid", "type_uid"]
            .iter()
            .any(|k| path.ends_with(&format!(".{k}")));
        if let Some(e) = def["enum"].as_object().filter(|_| !compiled) {
            let key = match v {
                Value::Number(n) => n.to_string(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            if !e.contains_key(&key) {
                errors.push(format!("{path}: {key} is not in the enum ({:?})", e.keys()));
            }
        }
    }
}

fn signal(person: &str, det: &'static str, family: Family, lr: f64, link: Option<&str>) -> Signal {
    Signal {
        person_id: person.into(),
        device_id: Some(format!("d-{person}")),
        detection: det,
        family,
        severity: Severity::High,
        likelihood_ratio: lr,
        first_seen: Some("2026-03-02T01:00:00Z".into()),
        last_seen: Some("2026-03-11T23:00:00Z".into()),
        reason: format!("{det} fired for {person}"),
        evidence: json!({"ip": "73.12.34.56", "days": 10}),
        links: link
            .map(|v| {
                vec![Link {
                    kind: "ip",
                    value: v.into(),
                    ring_edge: true,
                    share: None,
                }]
            })
            .into_iter()
            .flatten()
            .collect(),
    }
}

#[test]
fn findings_conform_to_the_ocsf_1_8_detection_finding_class() {
    assert_eq!(load("version.json")["version"], "1.8.0");
    let people: Vec<String> = ["p1", "p2", "p3", "p4"].map(String::from).to_vec();
    let signals = vec![
        signal("p1", "FARM-IP", Family::Farm, 400.0, Some("73.12.34.56")),
        signal("p2", "FARM-IP", Family::Farm, 400.0, Some("73.12.34.56")),
        signal("p2", "NET-ANON", Family::Network, 1000.0, None),
        signal("p3", "KVM-HARDWARE", Family::RemoteControl, 400.0, None),
        signal("p4", "ID-CONTACT", Family::Identity, 2.0, None),
    ];
    let (scores, rings) = muster_fuse::fuse(&people, &signals, &muster_fuse::FuseConfig::default());
    let dir = tempfile::tempdir().unwrap();
    let results = muster_output::ScanResults {
        scores: &scores,
        signals: &signals,
        rings: &rings,
        runs: &[],
        started_at: "2026-03-12T10:00:00Z",
        version: "0.1.0",
        share_personal: false,
    };
    muster_output::write_all(dir.path(), &results).unwrap();
    let text = std::fs::read_to_string(dir.path().join("findings.ocsf.ndjson")).unwrap();
    let findings: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(findings.len(), 3, "one finding per flagged person");

    let schema = Schema::new();
    let class = schema.attrs(&[
        "events/base_event.json",
        "events/findings/finding.json",
        "events/findings/detection_finding.json",
    ]);
    let category = load("categories.json")["attributes"]["findings"]["uid"]
        .as_i64()
        .unwrap();
    let class_uid = category * 1000
        + load("events/findings/detection_finding.json")["uid"]
            .as_i64()
            .unwrap();
    let mut errors = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        schema.check_object(&format!("finding[{i}]"), f, &class, &mut errors);
        assert_eq!(f["category_uid"], category);
        assert_eq!(f["class_uid"], class_uid);
        let activity = f["activity_id"].as_i64().unwrap();
        assert_eq!(f["type_uid"], class_uid * 100 + activity);
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

/// The checker itself finds what is wrong (a missing required attribute, a wrong type, an
/// unknown enum value, an attribute the class does not have).
#[test]
fn the_checker_rejects_bad_findings() {
    let schema = Schema::new();
    let class = schema.attrs(&[
        "events/base_event.json",
        "events/findings/finding.json",
        "events/findings/detection_finding.json",
    ]);
    let bad = json!({
        "activity_id": 1, "category_uid": 2, "class_uid": 2004, "type_uid": 200401,
        "severity_id": 42, "time": "yesterday", "no_such_attribute": 1,
        "metadata": {"product": {"name": "muster"}},
        "finding_info": {"title": "x"}
    });
    let mut errors = Vec::new();
    schema.check_object("f", &bad, &class, &mut errors);
    let all = errors.join("\n");
    for expected in [
        "f.severity_id: 42 is not in the enum",
        "f.time: \"yesterday\" is not of type timestamp_t",
        "f.no_such_attribute: not an attribute",
        "f.metadata.version: required attribute missing",
        "f.finding_info.uid: required attribute missing",
    ] {
        assert!(all.contains(expected), "missing {expected:?} in:\n{all}");
    }
}

/// STIX 2.1: personal identifiers only with `share_personal`, every reference resolves, SDO ids
/// are version-4 UUIDs, and the OASIS validator (when `STIX_VALIDATOR` names it, as `.ci/run`
/// does) accepts both bundles.
#[test]
fn stix_bundle_shares_personal_identifiers_only_when_asked() {
    let shared =
        |p: &str, det: &'static str, fam: Family, kind: &'static str, masked: &str, raw: &str| {
            let mut s = signal(p, det, fam, 400.0, None);
            s.links = vec![Link {
                kind,
                value: masked.into(),
                ring_edge: kind != "crypto" || det == "PAY-SHARED",
                share: Some(raw.into()),
            }];
            s
        };
    let people: Vec<String> = ["p1", "p2", "p3"].map(String::from).to_vec();
    let mut signals = vec![
        signal("p1", "FARM-IP", Family::Farm, 400.0, Some("73.12.34.56")),
        signal("p2", "FARM-IP", Family::Farm, 400.0, Some("73.12.34.56")),
        shared(
            "p1",
            "ID-REUSE",
            Family::Identity,
            "phone",
            "***0147#1",
            "+12025550147",
        ),
        shared(
            "p2",
            "ID-REUSE",
            Family::Identity,
            "phone",
            "***0147#1",
            "+12025550147",
        ),
        shared(
            "p1",
            "ID-REUSE",
            Family::Identity,
            "email",
            "j***@x#1",
            "joe@example.com",
        ),
        shared(
            "p2",
            "PAY-PROVIDER",
            Family::Money,
            "crypto",
            "crypto address 0x12ab***",
            "0x12ab34cd56ef7890aa12ab34cd56ef7890aa12ab",
        ),
        // a bank account is never shared, even with a raw value attached
        shared(
            "p1",
            "PAY-SHARED",
            Family::Money,
            "bank_account",
            "account ***1234#1",
            "021000021:991234",
        ),
        // p3 is not flagged: nothing of theirs goes in
        shared(
            "p3",
            "ID-REUSE",
            Family::Identity,
            "phone",
            "***9999#2",
            "+12025559999",
        ),
    ];
    signals[7].likelihood_ratio = 1.5;
    let (scores, rings) = muster_fuse::fuse(&people, &signals, &muster_fuse::FuseConfig::default());
    let write = |share_personal: bool| -> (tempfile::TempDir, Value) {
        let dir = tempfile::tempdir().unwrap();
        let r = muster_output::ScanResults {
            scores: &scores,
            signals: &signals,
            rings: &rings,
            runs: &[],
            started_at: "2026-03-12T10:00:00Z",
            version: "0.1.0",
            share_personal,
        };
        let path = dir.path().join("indicators.stix.json");
        muster_output::write_stix(&path, &r).unwrap();
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        (dir, v)
    };
    let values = |b: &Value, ty: &str| -> Vec<String> {
        b["objects"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["type"] == ty)
            .map(|o| o["value"].as_str().unwrap().to_string())
            .collect()
    };
    let (dir_a, plain) = write(false);
    let (dir_b, personal) = write(true);
    assert_eq!(values(&plain, "ipv4-addr"), vec!["73.12.34.56"]);
    let count = |b: &Value, ty: &str| {
        b["objects"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["type"] == ty)
            .count()
    };
    for ty in [
        "email-addr",
        "phone-number",
        "cryptocurrency-wallet",
        "extension-definition",
    ] {
        assert_eq!(
            count(&plain, ty),
            0,
            "{ty} in the bundle without --stix-personal"
        );
    }
    assert_eq!(
        count(&personal, "extension-definition"),
        2,
        "one per new SCO type used"
    );
    assert_eq!(values(&personal, "phone-number"), vec!["+12025550147"]);
    assert_eq!(values(&personal, "email-addr"), vec!["joe@example.com"]);
    assert_eq!(
        values(&personal, "cryptocurrency-wallet"),
        vec!["0x12ab34cd56ef7890aa12ab34cd56ef7890aa12ab"]
    );
    let text = personal.to_string();
    assert!(
        !text.contains("991234") && !text.contains("+12025559999"),
        "bank account or unflagged person shared"
    );
    for bundle in [&plain, &personal] {
        let objects = bundle["objects"].as_array().unwrap();
        let ids: BTreeSet<&str> = objects.iter().map(|o| o["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), objects.len(), "duplicate ids");
        for o in objects {
            let id = o["id"].as_str().unwrap();
            let (ty, uuid) = id.split_once("--").unwrap();
            assert_eq!(ty, o["type"].as_str().unwrap());
            let u = uuid::Uuid::parse_str(uuid).unwrap();
            let sco = [
                "ipv4-addr",
                "ipv6-addr",
                "domain-name",
                "email-addr",
                "phone-number",
                "cryptocurrency-wallet",
            ];
            assert_eq!(
                u.get_version_num(),
                if sco[..4].contains(&ty) { 5 } else { 4 },
                "{id}"
            );
            for key in ["created_by_ref"] {
                if let Some(r) = o[key].as_str() {
                    assert!(ids.contains(r), "{id}: {key} {r} dangling");
                }
            }
            for r in o["object_refs"].as_array().into_iter().flatten() {
                assert!(ids.contains(r.as_str().unwrap()), "{id}: {r} dangling");
            }
            if let Some(ext) = o["extensions"].as_object() {
                for k in ext.keys() {
                    assert!(
                        ids.contains(k.as_str()),
                        "{id}: extension {k} not defined in the bundle"
                    );
                }
            }
            if ty == "indicator" {
                let p = o["pattern"].as_str().unwrap();
                assert!(p.starts_with('[') && p.ends_with("']"), "{p}");
            }
        }
    }
    if let Ok(validator) = std::env::var("STIX_VALIDATOR") {
        for dir in [&dir_a, &dir_b] {
            let out = std::process::Command::new(&validator)
                .arg("--strict")
                .arg(dir.path().join("indicators.stix.json"))
                .output()
                .unwrap();
            let said = String::from_utf8_lossy(&out.stdout);
            assert!(out.status.success() && !said.contains("[X]"), "{said}");
        }
    }
}
