//! Detections as files a team can write: a TOML file with the same documentation sections as the
//! built-in detections, a SQL body over the contract tables and muster's functions, and example
//! rows that `muster rules test` runs.
//!
//! ```toml
//! id = "ACME-ADMIN-NIGHT"              # upper case, digits, dashes; unique
//! title = "Admin console use at night"
//! family = "network"                   # farm | remote_control | network | identity | money
//! severity = "low"                     # low | medium | high | critical
//! likelihood_ratio = 3.0               # cap for every signal of the rule (> 0)
//! lr_rationale = "Why this strength."
//! tables = ["signins"]                 # the rule runs only when one of them has rows
//! what = "..."
//! why = "..."
//! data = "..."
//! false_positives = "..."
//! references = ["..."]
//! sql = """
//! SELECT person_id, 'admin console at night' AS reason, min(time) AS first_seen,
//!        max(time) AS last_seen, ip AS link_value, 'ip' AS link_kind
//! FROM signin_ev WHERE app = 'admin' AND hour(time) < 5 GROUP BY person_id, ip
//! """
//!
//! [[example]]
//! name = "positive_night_admin"
//! fires_for = ["p1"]
//! silent_for = ["p2"]
//! [example.tables]
//! people = """
//! person_id,record_type,full_name,work_email
//! p1,employee,Ann Example,p1@corp.example
//! p2,employee,Bo Example,p2@corp.example
//! """
//! ```
//!
//! Instead of `sql`, a rule may name a built-in Rust analyser: `analyser = "TZ-MISMATCH"` runs it
//! and reports its signals under the rule's id, family and severity, each capped at the rule's
//! likelihood ratio (to re-weigh or re-document a built-in for one workforce; run the scan with
//! `--skip TZ-MISMATCH` so the evidence is not counted twice).
//!
//! The SQL returns one row per signal: `person_id` (or `device_id` for a device nobody is
//! assigned to) and `reason` are required; `first_seen`, `last_seen`, `likelihood_ratio` (capped
//! at the rule's), `evidence` (JSON text or any text), `evidence_<key>` columns (each becomes
//! `<key>` in the evidence object; lists become arrays), `device_id`, and a link as `link_kind`
//! and `link_value` (a ring edge unless `link_ring_edge` is false) are optional. Tables and
//! views are those of the built-in detections (`people`, `signins`, ..., `signin_ev`,
//! `person_home`, `account_map`).
//!
//! Built-in detections whose logic is one query use the same format: their files live in
//! `crates/muster-detect/rules/`, are compiled in, and appear in [`crate::catalogue`] like the
//! Rust analysers.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::json;

use crate::rows::{col, rfc3339};
use crate::{
    DetectConfig, DetectError, Detection, DetectionMeta, Engine, Family, Link, Severity, Signal,
};

/// One example of a rule: tables as CSV text and the people it must (not) fire for.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// Name, e.g. `positive_night_admin`.
    pub name: String,
    /// People the rule must fire for.
    #[serde(default)]
    pub fires_for: Vec<String>,
    /// People it must stay silent for.
    #[serde(default)]
    pub silent_for: Vec<String>,
    /// Contract tables as CSV text (`people` is required).
    pub tables: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    id: String,
    title: String,
    family: String,
    severity: String,
    likelihood_ratio: f64,
    lr_rationale: String,
    tables: Vec<String>,
    what: String,
    why: String,
    data: String,
    false_positives: String,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    sql: Option<String>,
    #[serde(default)]
    analyser: Option<String>,
    #[serde(default, rename = "example")]
    examples: Vec<Example>,
}

/// What a rule runs.
#[derive(Debug)]
enum Body {
    /// A query; one row per signal.
    Sql(String),
    /// A built-in Rust analyser, by detection id: its signals under the rule's id, family and
    /// severity, capped at the rule's likelihood ratio.
    Analyser(&'static str),
}

/// A detection loaded from a rule file.
#[derive(Debug)]
pub struct SqlRule {
    meta: &'static DetectionMeta,
    body: Body,
    /// Its examples.
    pub examples: Vec<Example>,
    /// The file it came from.
    pub path: PathBuf,
}

/// A rule file that could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RuleError {
    /// The file.
    pub file: String,
    /// Line (1-based; 0 when the problem is not at one place).
    pub line: usize,
    /// Column (1-based; 0 when unknown).
    pub column: usize,
    /// What is wrong and what to do.
    pub message: String,
}

impl std::fmt::Display for RuleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line > 0 {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        } else {
            write!(f, "{}: {}", self.file, self.message)
        }
    }
}

/// Rules loaded from a folder, and the files that failed (the others still run).
#[derive(Debug, Default)]
pub struct RuleSet {
    /// Loaded rules, by file name order.
    pub rules: Vec<SqlRule>,
    /// Files that failed to load.
    pub errors: Vec<RuleError>,
}

/// Loads every `*.toml` rule file in `dir` (not recursive).
pub fn load_dir(dir: &Path) -> RuleSet {
    let mut set = RuleSet::default();
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            set.errors.push(RuleError {
                file: dir.display().to_string(),
                line: 0,
                column: 0,
                message: format!("cannot read the rules folder: {e}"),
            });
            return set;
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("toml"))
        })
        .collect();
    files.sort();
    for f in files {
        match load_file(&f) {
            Ok(r) => {
                let id = r.meta.id;
                if crate::find(id).is_some() || set.rules.iter().any(|x| x.meta.id == id) {
                    set.errors.push(RuleError {
                        file: f.display().to_string(),
                        line: 1,
                        column: 1,
                        message: format!("id {id} is already taken: give the rule its own id"),
                    });
                } else {
                    set.rules.push(r);
                }
            }
            Err(e) => set.errors.push(e),
        }
    }
    set
}

/// Loads one rule file.
pub fn load_file(path: &Path) -> Result<SqlRule, RuleError> {
    let text = std::fs::read_to_string(path).map_err(|e| RuleError {
        file: path.display().to_string(),
        line: 0,
        column: 0,
        message: format!("cannot read: {e}"),
    })?;
    load_str(&text, path)
}

/// Loads one rule from its text; `path` names it in errors.
pub fn load_str(text: &str, path: &Path) -> Result<SqlRule, RuleError> {
    let file = path.display().to_string();
    let err = |line: usize, column: usize, message: String| RuleError {
        file: file.clone(),
        line,
        column,
        message,
    };
    let rf: RuleFile = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
        err(line, column, e.message().to_string())
    })?;
    let at = |key: &str| {
        text.lines()
            .position(|l| l.trim_start().starts_with(key))
            .map_or((0, 0), |i| (i + 1, 1))
    };
    let bad = |key: &str, message: String| {
        let (l, c) = at(key);
        err(l, c, message)
    };
    if rf.id.is_empty()
        || !rf
            .id
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(bad(
            "id",
            format!(
                "id {:?}: use upper-case letters, digits and dashes (e.g. ACME-NIGHT-ADMIN)",
                rf.id
            ),
        ));
    }
    let family = match rf.family.as_str() {
        "farm" => Family::Farm,
        "remote_control" => Family::RemoteControl,
        "network" => Family::Network,
        "identity" => Family::Identity,
        "money" => Family::Money,
        other => {
            return Err(bad(
                "family",
                format!("family {other:?}: one of farm, remote_control, network, identity, money"),
            ));
        }
    };
    let severity = match rf.severity.as_str() {
        "low" => Severity::Low,
        "medium" => Severity::Medium,
        "high" => Severity::High,
        "critical" => Severity::Critical,
        other => {
            return Err(bad(
                "severity",
                format!("severity {other:?}: one of low, medium, high, critical"),
            ));
        }
    };
    if !(rf.likelihood_ratio.is_finite()
        && rf.likelihood_ratio > 0.0
        && rf.likelihood_ratio <= 10_000.0)
    {
        return Err(bad(
            "likelihood_ratio",
            format!(
                "likelihood_ratio {}: a number above 0 and at most 10000 (1 means no evidence)",
                rf.likelihood_ratio
            ),
        ));
    }
    for t in &rf.tables {
        if !muster_contract::TABLES.iter().any(|x| x.name == t) {
            return Err(bad(
                "tables",
                format!("tables: {t:?} is not a contract table"),
            ));
        }
    }
    if rf.tables.is_empty() {
        return Err(bad(
            "tables",
            "tables: name at least one contract table".into(),
        ));
    }
    let body = match (rf.sql, rf.analyser) {
        (Some(sql), None) if !sql.trim().is_empty() => Body::Sql(sql),
        (Some(_), None) => return Err(bad("sql", "sql is empty".into())),
        (None, Some(a)) => {
            let Some(d) = crate::analysers()
                .into_iter()
                .find(|d| d.meta().id.eq_ignore_ascii_case(a.trim()))
            else {
                return Err(bad(
                    "analyser",
                    format!(
                        "analyser {a:?} is not a built-in Rust analyser (`muster rules list` shows the ids)"
                    ),
                ));
            };
            Body::Analyser(d.meta().id)
        }
        (Some(_), Some(_)) => {
            return Err(bad(
                "analyser",
                "give either sql or analyser, not both".into(),
            ));
        }
        (None, None) => {
            return Err(err(
                0,
                0,
                "the rule needs a body: sql = \"SELECT ...\" or analyser = \"BUILT-IN-ID\"".into(),
            ));
        }
    };
    for ex in &rf.examples {
        if !ex.tables.contains_key("people") {
            return Err(bad(
                "[[example]]",
                format!("example {:?} has no people table", ex.name),
            ));
        }
    }
    // Rule metadata lives for the whole process (rules are loaded once per run), so it is
    // leaked to give it the same `'static` lifetime as the built-in detections' metadata.
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let tables: Vec<&'static str> = rf.tables.into_iter().map(leak).collect();
    let references: Vec<&'static str> = rf.references.into_iter().map(leak).collect();
    let meta = Box::leak(Box::new(DetectionMeta {
        id: leak(rf.id),
        title: leak(rf.title),
        family,
        severity,
        likelihood_ratio: rf.likelihood_ratio,
        lr_rationale: leak(rf.lr_rationale),
        tables: Box::leak(tables.into_boxed_slice()),
        what: leak(rf.what),
        why: leak(rf.why),
        data: leak(rf.data),
        false_positives: leak(rf.false_positives),
        references: Box::leak(references.into_boxed_slice()),
    }));
    Ok(SqlRule {
        meta,
        body,
        examples: rf.examples,
        path: path.to_path_buf(),
    })
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rfind('\n')
        .map_or(before.len(), |i| before.len() - i - 1)
        + 1;
    (line, column)
}

impl Detection for SqlRule {
    fn meta(&self) -> &'static DetectionMeta {
        self.meta
    }

    fn run(&self, engine: &Engine, cfg: &DetectConfig) -> Result<Vec<Signal>, DetectError> {
        let meta = self.meta;
        let sql = match &self.body {
            Body::Sql(sql) => sql,
            Body::Analyser(id) => {
                let Some(d) = crate::analysers().into_iter().find(|d| d.meta().id == *id) else {
                    return Err(DetectError::Internal(format!("analyser {id} is gone")));
                };
                return Ok(d
                    .run(engine, cfg)?
                    .into_iter()
                    .map(|mut s| {
                        s.detection = meta.id;
                        s.family = meta.family;
                        s.severity = meta.severity;
                        s.likelihood_ratio = s.likelihood_ratio.min(meta.likelihood_ratio);
                        s
                    })
                    .collect());
            }
        };
        let mut out = Vec::new();
        for b in engine.sql(sql)? {
            let names: Vec<String> = b
                .schema()
                .fields()
                .iter()
                .map(|f| f.name().to_ascii_lowercase())
                .collect();
            let has = |n: &str| names.iter().any(|x| x == n);
            if !has("reason") || !(has("person_id") || has("device_id")) {
                return Err(DetectError::Internal(format!(
                    "rule {} ({}): the SQL must return `reason` and `person_id` or `device_id`; it returned {}",
                    meta.id,
                    self.path.display(),
                    names.join(", ")
                )));
            }
            let opt = |n: &str| if has(n) { col(&b, n).ok() } else { None };
            let person = opt("person_id");
            let device = opt("device_id");
            let reason = col(&b, "reason")?;
            let (t0, t1) = (opt("first_seen"), opt("last_seen"));
            let lr = opt("likelihood_ratio");
            let evidence = opt("evidence");
            // each evidence_<key> column converted to JSON once per batch, not per cell
            let mut extra: Vec<(String, Vec<serde_json::Value>)> = names
                .iter()
                .zip(b.columns())
                .filter_map(|(n, c)| {
                    n.strip_prefix("evidence_")
                        .filter(|k| !k.is_empty())
                        .map(|k| (k.to_string(), json_column(c)))
                })
                .collect();
            let (lk, lv) = (opt("link_kind"), opt("link_value"));
            let ring_edge = opt("link_ring_edge");
            for i in 0..b.num_rows() {
                let person_id = person
                    .as_ref()
                    .and_then(|c| c.str(i))
                    .unwrap_or("")
                    .to_string();
                let device_id = device.as_ref().and_then(|c| c.str(i)).map(str::to_string);
                if person_id.is_empty() && device_id.is_none() {
                    continue;
                }
                let time = |c: &Option<crate::rows::Col>| {
                    c.as_ref().and_then(|c| {
                        c.ts(i)
                            .map(rfc3339)
                            .or_else(|| c.str(i).map(str::to_string))
                    })
                };
                let row_lr = lr
                    .as_ref()
                    .and_then(|c| c.float(i).or_else(|| c.int(i).map(|x| x as f64)))
                    .filter(|x| x.is_finite() && *x > 0.0)
                    .map_or(meta.likelihood_ratio, |x| x.min(meta.likelihood_ratio));
                let mut evidence = match evidence.as_ref().and_then(|c| c.str(i)) {
                    Some(t) => serde_json::from_str(t).unwrap_or_else(|_| json!(t)),
                    None => json!({}),
                };
                if !extra.is_empty() {
                    if !evidence.is_object() {
                        evidence = json!({ "evidence": evidence });
                    }
                    if let Some(obj) = evidence.as_object_mut() {
                        for (k, values) in &mut extra {
                            let v = values.get_mut(i).map(std::mem::take).unwrap_or_default();
                            obj.insert(k.clone(), v);
                        }
                    }
                }
                let links = match (
                    lk.as_ref().and_then(|c| c.str(i)),
                    lv.as_ref().and_then(|c| c.str(i)),
                ) {
                    (Some(k), Some(v)) if !v.is_empty() => vec![Link {
                        kind: link_kind(k),
                        value: v.to_string(),
                        ring_edge: ring_edge.as_ref().and_then(|c| c.bool(i)).unwrap_or(true),
                        share: None,
                    }],
                    _ => Vec::new(),
                };
                out.push(Signal {
                    person_id,
                    device_id,
                    detection: meta.id,
                    family: meta.family,
                    severity: meta.severity,
                    likelihood_ratio: row_lr,
                    first_seen: time(&t0),
                    last_seen: time(&t1),
                    reason: reason.str(i).unwrap_or(meta.title).to_string(),
                    evidence,
                    links,
                });
            }
        }
        Ok(out)
    }
}

/// A column as JSON values, one per row: text, numbers, booleans, timestamps (RFC 3339) and
/// lists of them (nulls are null).
fn json_column(arr: &datafusion::arrow::array::ArrayRef) -> Vec<serde_json::Value> {
    use datafusion::arrow::array::{Array, AsArray};
    use datafusion::arrow::datatypes::DataType;
    use serde_json::Value;
    let list = |i: usize, inner: datafusion::arrow::array::ArrayRef| {
        if arr.is_null(i) {
            Value::Null
        } else {
            Value::Array(json_column(&inner))
        }
    };
    match arr.data_type() {
        DataType::List(_) => {
            let l = arr.as_list::<i32>();
            (0..l.len()).map(|i| list(i, l.value(i))).collect()
        }
        DataType::LargeList(_) => {
            let l = arr.as_list::<i64>();
            (0..l.len()).map(|i| list(i, l.value(i))).collect()
        }
        _ => {
            let batch = datafusion::arrow::array::RecordBatch::try_from_iter([("v", arr.clone())]);
            let Ok(c) = batch
                .map_err(|e| e.to_string())
                .and_then(|b| col(&b, "v").map_err(|e| e.to_string()))
            else {
                return vec![Value::Null; arr.len()];
            };
            (0..arr.len())
                .map(|i| {
                    if arr.is_null(i) {
                        Value::Null
                    } else if let Some(t) = c.ts(i) {
                        json!(rfc3339(t))
                    } else if let Some(b) = c.bool(i) {
                        json!(b)
                    } else if let crate::rows::Col::Int(_) = c {
                        json!(c.int(i))
                    } else if let Some(f) = c.float(i) {
                        json!(f)
                    } else {
                        json!(c.str(i))
                    }
                })
                .collect()
        }
    }
}

/// The built-in detections written as rule files (`crates/muster-detect/rules/`).
const BUILTIN: &[(&str, &str)] = &[(
    "KVM-HARDWARE.toml",
    include_str!("../rules/KVM-HARDWARE.toml"),
)];

/// The built-in rule files, loaded once. A file that fails to load (a build defect, caught by
/// the meta-tests) is left out rather than stopping a scan.
pub fn builtin() -> &'static [SqlRule] {
    static RULES: std::sync::OnceLock<Vec<SqlRule>> = std::sync::OnceLock::new();
    RULES.get_or_init(|| {
        BUILTIN
            .iter()
            .filter_map(|(name, text)| {
                load_str(text, &Path::new("builtin").join(name))
                    .map_err(|e| tracing::error!("built-in rule not loaded: {e}"))
                    .ok()
            })
            .collect()
    })
}

/// The number of built-in rule files compiled in (for the meta-tests).
pub fn builtin_files() -> usize {
    BUILTIN.len()
}

/// A built-in rule as a catalogue entry.
pub(crate) struct Builtin(pub(crate) &'static SqlRule);

impl Detection for Builtin {
    fn meta(&self) -> &'static DetectionMeta {
        self.0.meta
    }

    fn run(&self, engine: &Engine, cfg: &DetectConfig) -> Result<Vec<Signal>, DetectError> {
        self.0.run(engine, cfg)
    }
}

/// Link kinds are a closed vocabulary (`Link::kind` is static): known kinds keep their name,
/// anything else is `other`.
fn link_kind(k: &str) -> &'static str {
    const KINDS: &[&str] = &[
        "ip",
        "device",
        "address",
        "phone",
        "email",
        "bank_account",
        "wifi",
        "mfa_device",
        "crypto",
        "referral",
        "domain",
    ];
    KINDS
        .iter()
        .find(|x| x.eq_ignore_ascii_case(k.trim()))
        .copied()
        .unwrap_or("other")
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"id = "T-1"
title = "t"
family = "network"
severity = "low"
likelihood_ratio = 2.0
lr_rationale = "r"
tables = ["signins"]
what = "w"
why = "y"
data = "d"
false_positives = "f"
sql = "SELECT person_id, 'x' AS reason FROM signin_ev"
"#;

    fn load(text: &str) -> Result<SqlRule, RuleError> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.toml");
        std::fs::write(&p, text).unwrap();
        load_file(&p)
    }

    #[test]
    fn loads_and_reports_where_a_rule_is_wrong() {
        let r = load(GOOD).unwrap();
        assert_eq!(r.meta().id, "T-1");
        let e = load(&GOOD.replace("\"network\"", "\"weather\"")).unwrap_err();
        assert_eq!((e.line, e.column), (3, 1), "{e}");
        assert!(e.message.contains("weather"), "{e}");
        let e = load(&GOOD.replace("2.0", "-1.0")).unwrap_err();
        assert_eq!(e.line, 5, "{e}");
        let e = load(&GOOD.replace("[\"signins\"]", "[\"sign_ins\"]")).unwrap_err();
        assert_eq!(e.line, 7, "{e}");
        let e = load(&GOOD.replace("likelihood_ratio = 2.0", "likelihood_ratio = \"high\""))
            .unwrap_err();
        assert_eq!(e.line, 5, "{e}");
        let e = load("id = \"T-2\"\n").unwrap_err();
        assert!(e.message.contains("missing field"), "{e}");
        let e = load(&GOOD.replace("T-1", "t one")).unwrap_err();
        assert_eq!(e.line, 1, "{e}");
    }

    #[test]
    fn a_rule_can_name_a_built_in_analyser() {
        let text = GOOD.replace(
            "sql = \"SELECT person_id, 'x' AS reason FROM signin_ev\"",
            "analyser = \"tz-mismatch\"",
        );
        let r = load(&text).unwrap();
        assert!(
            matches!(r.body, Body::Analyser("TZ-MISMATCH")),
            "{:?}",
            r.body
        );
        let e = load(&text.replace("tz-mismatch", "NO-SUCH")).unwrap_err();
        assert!(e.message.contains("NO-SUCH") && e.line > 0, "{e}");
        // SQL rule files are not analysers
        let e = load(&text.replace("tz-mismatch", "KVM-HARDWARE")).unwrap_err();
        assert!(e.message.contains("not a built-in Rust analyser"), "{e}");
        let both = format!("{GOOD}analyser = \"TZ-MISMATCH\"\n");
        assert!(load(&both).unwrap_err().message.contains("not both"));
        let none = GOOD.replace(
            "sql = \"SELECT person_id, 'x' AS reason FROM signin_ev\"\n",
            "",
        );
        assert!(load(&none).unwrap_err().message.contains("needs a body"));
    }

    #[test]
    fn builtin_rule_files_load_with_positive_and_negative_examples() {
        let rules = builtin();
        assert_eq!(
            rules.len(),
            builtin_files(),
            "a built-in rule file failed to load"
        );
        for r in rules {
            assert!(
                r.examples.iter().any(|e| !e.fires_for.is_empty()),
                "{}: no positive example",
                r.meta().id
            );
            assert!(
                r.examples
                    .iter()
                    .any(|e| e.fires_for.is_empty() && !e.silent_for.is_empty()),
                "{}: no negative example",
                r.meta().id
            );
            assert!(crate::find(r.meta().id).is_some(), "{}", r.meta().id);
        }
    }

    #[test]
    fn builtin_ids_are_taken() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.toml"), GOOD.replace("T-1", "FARM-IP")).unwrap();
        std::fs::write(dir.path().join("b.toml"), GOOD).unwrap();
        std::fs::write(
            dir.path().join("c.toml"),
            GOOD.replace("T-1", "KVM-HARDWARE"),
        )
        .unwrap();
        let set = load_dir(dir.path());
        assert_eq!(set.rules.len(), 1);
        assert_eq!(set.errors.len(), 2);
        assert!(set.errors[0].message.contains("FARM-IP"));
        assert!(set.errors[1].message.contains("KVM-HARDWARE"));
    }
}
