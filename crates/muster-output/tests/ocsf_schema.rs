//! `findings.ocsf.ndjson` checked against the OCSF 1.8.0 schema (a copy of the schema's files
//! that Detection Finding needs is in `tests/ocsf-schema-1.8.0/`, Apache-2.0, see SOURCE.txt):
//! the class's required attributes, every attribute known to the class or object, JSON types
//! from the dictionary's types, enum values, arrays where the dictionary says so, and the uid
//! arithmetic (class_uid = category * 1000 + class, type_uid = class_uid * 100 + activity_id).

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
