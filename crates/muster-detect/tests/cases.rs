//! Behaviour tests as data: every folder `tests/cases/<DETECTION>/<case>/` holds contract tables
//! and an `expect.json` naming the people the detection must fire for and must stay silent for.
//! Meta-tests check every detection has documentation and at least one positive and one negative
//! case. Regenerate the fixtures with `python3 tests/cases/make_fixtures.py`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use muster_detect::{DetectConfig, Engine};

#[derive(serde::Deserialize)]
struct Expect {
    detection: String,
    kind: String,
    fires_for: Vec<String>,
    silent_for: Vec<String>,
    /// Devices nobody is assigned to that must get a device-level signal.
    #[serde(default)]
    fires_for_devices: Vec<String>,
    /// Lowest likelihood ratio a person's strongest signal must reach (strength rules).
    #[serde(default)]
    min_lr: BTreeMap<String, f64>,
    /// Highest likelihood ratio a person's strongest signal may carry (the look-alike of a
    /// strength rule: fires, but only at the base ratio).
    #[serde(default)]
    max_lr: BTreeMap<String, f64>,
    /// People who must carry a ring-edge link (joined into rings through the shared thing).
    #[serde(default)]
    ring_edge_for: Vec<String>,
    /// People who fire but must not be joined into a ring (a victim, a weak link).
    #[serde(default)]
    no_ring_edge_for: Vec<String>,
}

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases")
}

fn all_cases() -> Vec<(PathBuf, Expect)> {
    let mut out = Vec::new();
    let mut dets: Vec<_> = std::fs::read_dir(cases_dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dets.sort();
    for d in dets {
        let mut cases: Vec<_> = std::fs::read_dir(&d)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .collect();
        cases.sort();
        for c in cases {
            let e: Expect =
                serde_json::from_str(&std::fs::read_to_string(c.join("expect.json")).unwrap())
                    .unwrap();
            out.push((c, e));
        }
    }
    out
}

fn config_for(case: &Path) -> DetectConfig {
    let mut cfg = DetectConfig::default();
    if let Ok(t) = std::fs::read_to_string(case.join("corporate_egress.txt")) {
        cfg.corporate_egress = Some(muster_intel::IpList::parse(&t, "corporate_egress").unwrap());
    }
    if let Ok(t) = std::fs::read_to_string(case.join("approved_rmm.txt")) {
        cfg.approved_rmm = t
            .lines()
            .map(|l| l.split('#').next().unwrap().trim().to_string())
            .filter(|l| !l.is_empty())
            .collect();
    }
    if let Ok(t) = std::fs::read_to_string(case.join("office_addresses.txt")) {
        cfg.office_addresses = t
            .lines()
            .map(|l| l.split('#').next().unwrap().trim().to_string())
            .filter(|l| !l.is_empty())
            .collect();
    }
    if let Ok(t) = std::fs::read_to_string(case.join("known_bad.txt")) {
        let list = muster_intel::IpList::parse(&t, "known_bad.txt").unwrap();
        let tag = muster_intel::TagList {
            tag: "known_bad".into(),
            source: "case fixture".into(),
            list,
        };
        cfg.intel = muster_intel::Intel::load(&Default::default(), &[tag]).unwrap();
    }
    cfg
}

/// Runs one detection over a case's tables; `slice_rows` forces the per-person detections to
/// work in slices of people (as on large inputs). Also returns the case's sign-in rows.
fn signals_for(
    case: &Path,
    detection: &str,
    slice_rows: Option<u64>,
) -> (Vec<muster_detect::Signal>, u64) {
    let tmp = tempfile::tempdir().unwrap();
    let rejects = muster_ingest::RejectLog::create(&tmp.path().join("rejected.ndjson")).unwrap();
    let stage = tmp.path().join("stage");
    let report = muster_ingest::ingest_dir(case, &stage, &rejects, &|_| {}).unwrap();
    assert_eq!(
        report.total_rejected(),
        0,
        "fixture {} has rejected rows",
        case.display()
    );
    let rows = report.accepted_rows();
    let cfg = config_for(case);
    let mut engine = Engine::open(&stage, &rows, &cfg.intel).unwrap();
    if let Some(n) = slice_rows {
        engine.set_slice_rows(n);
    }
    let det =
        muster_detect::find(detection).unwrap_or_else(|| panic!("unknown detection {detection}"));
    // Sign-in rows: every sliced detection reads them (some read other event tables too).
    let signins = rows.get("signins").copied().unwrap_or(0);
    if slice_rows.is_some() {
        assert!(
            engine.person_slices(&["signins"], 1) >= 2,
            "{}: the sliced run has one slice",
            case.display()
        );
    }
    (det.run(&engine, &cfg).unwrap(), signins)
}

fn run_case(case: &Path, detection: &str) -> BTreeMap<String, f64> {
    let det =
        muster_detect::find(detection).unwrap_or_else(|| panic!("unknown detection {detection}"));
    signals_for(case, detection, None)
        .0
        .into_iter()
        .map(|s| {
            assert_eq!(s.detection, det.meta().id);
            assert!(
                s.likelihood_ratio > 1.0,
                "signals must carry evidence (LR > 1)"
            );
            assert!(!s.reason.is_empty());
            let who = if s.person_id.is_empty() {
                format!("device:{}", s.device_id.unwrap_or_default())
            } else {
                s.person_id
            };
            (who, s.likelihood_ratio)
        })
        .fold(BTreeMap::new(), |mut m, (who, lr)| {
            let e = m.entry(who).or_insert(lr);
            *e = e.max(lr);
            m
        })
}

#[test]
fn every_case_behaves() {
    let mut failures = Vec::new();
    for (case, e) in all_cases() {
        let fired = run_case(&case, &e.detection);
        for p in &e.fires_for {
            if !fired.contains_key(p) {
                failures.push(format!(
                    "{}: expected {} to fire for {p}",
                    case.display(),
                    e.detection
                ));
            }
        }
        for d in &e.fires_for_devices {
            if !fired.contains_key(&format!("device:{d}")) {
                failures.push(format!(
                    "{}: expected a device-level {} signal for {d}",
                    case.display(),
                    e.detection
                ));
            }
        }
        for (p, min) in &e.min_lr {
            let got = fired.get(p).copied().unwrap_or(0.0);
            if got < *min {
                failures.push(format!(
                    "{}: {} LR for {p} is {got}, expected at least {min}",
                    case.display(),
                    e.detection
                ));
            }
        }
        for (p, max) in &e.max_lr {
            match fired.get(p) {
                Some(got) if got > max => failures.push(format!(
                    "{}: {} LR for {p} is {got}, expected at most {max}",
                    case.display(),
                    e.detection
                )),
                Some(_) => {}
                None => failures.push(format!(
                    "{}: expected {} to fire for {p} (at most LR {max})",
                    case.display(),
                    e.detection
                )),
            }
        }
        if !(e.ring_edge_for.is_empty() && e.no_ring_edge_for.is_empty()) {
            let edged: BTreeSet<String> = signals_for(&case, &e.detection, None)
                .0
                .into_iter()
                .filter(|s| s.links.iter().any(|l| l.ring_edge))
                .map(|s| s.person_id)
                .collect();
            for p in e.ring_edge_for.iter().filter(|p| !edged.contains(*p)) {
                failures.push(format!("{}: expected a ring edge for {p}", case.display()));
            }
            for p in e.no_ring_edge_for.iter().filter(|p| edged.contains(*p)) {
                failures.push(format!("{}: expected no ring edge for {p}", case.display()));
            }
        }
        for p in &e.silent_for {
            if fired.contains_key(p) {
                failures.push(format!(
                    "{}: expected {} silent for {p}",
                    case.display(),
                    e.detection
                ));
            }
        }
        if e.kind == "positive" {
            assert!(
                !e.fires_for.is_empty(),
                "{}: a positive case must name who it fires for",
                case.display()
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// KVM-HARDWARE is a built-in rule file: its evidence columns become a JSON object with arrays,
/// and its device link is not a ring edge (`link_ring_edge = false`).
#[test]
fn rule_file_evidence_columns_and_links() {
    let case = cases_dir().join("KVM-HARDWARE/positive_pikvm_default_ids");
    let (signals, _) = signals_for(&case, "KVM-HARDWARE", None);
    let h1 = signals
        .iter()
        .find(|s| s.person_id == "h1")
        .expect("a signal for h1");
    assert_eq!(h1.evidence["device_id"], "d-h1");
    let matches = h1.evidence["matches"]
        .as_array()
        .expect("matches is a list");
    assert_eq!(matches.len(), 1, "{}", h1.evidence);
    assert!(h1.reason.starts_with("IP-KVM hardware on device d-h1: "));
    assert!(
        h1.evidence["hardware"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
    );
    assert_eq!(h1.links.len(), 1);
    assert!(!h1.links[0].ring_edge && h1.links[0].kind == "device");
    assert!(h1.first_seen.as_deref() == Some("2026-03-02T00:00:00Z"));
    let spare = signals
        .iter()
        .find(|s| s.device_id.as_deref() == Some("spare-laptop-7"))
        .expect("a device-level signal");
    assert!(spare.person_id.is_empty());
}

/// A rule file naming a built-in analyser reports its signals under the rule's id, capped at the
/// rule's likelihood ratio.
#[test]
fn rule_file_can_reuse_a_built_in_analyser() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("acme.toml");
    std::fs::write(
        &file,
        r#"id = "ACME-WIFI"
title = "Shared access point (our weights)"
family = "farm"
severity = "medium"
likelihood_ratio = 20.0
lr_rationale = "Our workforce has many flat-shares with stale HR records."
tables = ["device_presence"]
what = "FARM-WIFI's analysis."
why = "As FARM-WIFI."
data = "As FARM-WIFI."
false_positives = "As FARM-WIFI, plus flat-shares."
analyser = "FARM-WIFI"
"#,
    )
    .unwrap();
    let rule = muster_detect::rules::load_file(&file).unwrap();
    let case = cases_dir().join("FARM-WIFI/positive_three_identities_one_access_point");
    let tmp = tempfile::tempdir().unwrap();
    let rejects = muster_ingest::RejectLog::create(&tmp.path().join("r.ndjson")).unwrap();
    let stage = tmp.path().join("stage");
    let report = muster_ingest::ingest_dir(&case, &stage, &rejects, &|_| {}).unwrap();
    let cfg = config_for(&case);
    let engine = Engine::open(&stage, &report.accepted_rows(), &cfg.intel).unwrap();
    let signals = muster_detect::Detection::run(&rule, &engine, &cfg).unwrap();
    assert_eq!(signals.len(), 3, "{signals:?}");
    for s in &signals {
        assert_eq!(s.detection, "ACME-WIFI");
        assert_eq!(s.severity, muster_detect::Severity::Medium);
        assert!(
            (s.likelihood_ratio - 20.0).abs() < 1e-9,
            "{}",
            s.likelihood_ratio
        );
    }
}

/// The detections that keep per-person state run in slices of people on large inputs; three
/// slices must give exactly the signals of one.
#[test]
fn sliced_runs_match_whole_runs() {
    let mut checked = 0;
    for (case, e) in all_cases() {
        if !["TZ-MISMATCH", "GEO-MISMATCH", "GEO-TRAVEL", "NET-SHIFT"]
            .contains(&e.detection.as_str())
        {
            continue;
        }
        let (whole, rows) = signals_for(&case, &e.detection, None);
        // About three slices of the sign-ins (more for those that read other tables too)
        let (sliced, _) = signals_for(&case, &e.detection, Some(rows.div_ceil(3).max(1)));
        let json = |v: &[muster_detect::Signal]| serde_json::to_string(v).unwrap();
        assert_eq!(json(&whole), json(&sliced), "{}", case.display());
        checked += usize::from(!whole.is_empty());
    }
    assert!(checked >= 3, "too few cases with signals: {checked}");
}

#[test]
fn every_detection_is_documented_and_has_positive_and_negative_cases() {
    let cases = all_cases();
    for d in muster_detect::catalogue() {
        let m = d.meta();
        for (name, text) in [
            ("what", m.what),
            ("why", m.why),
            ("data", m.data),
            ("false positives", m.false_positives),
            ("lr rationale", m.lr_rationale),
        ] {
            assert!(text.len() > 40, "{}: section {name} is too thin", m.id);
        }
        assert!(!m.references.is_empty(), "{}: no references", m.id);
        assert!(m.likelihood_ratio > 1.0, "{}: LR must exceed 1", m.id);
        let kinds: BTreeSet<&str> = cases
            .iter()
            .filter(|(_, e)| e.detection == m.id)
            .map(|(_, e)| e.kind.as_str())
            .collect();
        assert!(kinds.contains("positive"), "{} has no positive case", m.id);
        assert!(kinds.contains("negative"), "{} has no negative case", m.id);
    }
}

#[test]
fn ids_are_unique_and_stable_in_shape() {
    let mut seen = BTreeSet::new();
    for d in muster_detect::catalogue() {
        let id = d.meta().id;
        assert!(seen.insert(id), "duplicate id {id}");
        assert!(
            id.chars().all(|c| c.is_ascii_uppercase() || c == '-'),
            "{id}"
        );
    }
}

/// `docs/detections/<ID>.md` is generated from each detection's metadata; this keeps it current.
/// Run with `UPDATE_DOCS=1` to rewrite the files.
#[test]
fn detection_docs_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/detections");
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    let mut index = String::from(
        "# Detection catalogue\n\nGenerated from the detections' metadata (`muster rules show ID` prints the same). Each detection: what it does, why, the data it needs, its legitimate look-alikes, its likelihood ratio and references.\n\n| id | family | LR | title |\n|---|---|---|---|\n",
    );
    for d in muster_detect::catalogue() {
        let m = d.meta();
        index.push_str(&format!(
            "| [{id}]({id}.md) | {} | {} | {} |\n",
            m.family.name(),
            m.likelihood_ratio,
            m.title,
            id = m.id
        ));
        let path = dir.join(format!("{}.md", m.id));
        let want = m.markdown();
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &want).unwrap();
        } else {
            let have = std::fs::read_to_string(&path).unwrap_or_default();
            assert_eq!(
                have,
                want,
                "{} is stale: run UPDATE_DOCS=1 cargo test -p muster-detect --test cases",
                path.display()
            );
        }
    }
    let path = dir.join("README.md");
    if update {
        std::fs::write(&path, &index).unwrap();
    } else {
        assert_eq!(
            std::fs::read_to_string(&path).unwrap_or_default(),
            index,
            "docs/detections/README.md is stale"
        );
    }
}

/// The cases of `tests/functions.txt`: (line, SQL, expected text).
fn function_cases() -> Vec<(usize, String, String)> {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/functions.txt"))
            .unwrap();
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end()))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .collect();
    assert!(
        lines.len().is_multiple_of(2),
        "functions.txt: a query without expected value"
    );
    lines
        .chunks(2)
        .map(|c| (c[0].0, c[0].1.to_string(), c[1].1.to_string()))
        .collect()
}

#[test]
fn sql_functions_behave_as_written_in_functions_txt() {
    let tmp = tempfile::tempdir().unwrap();
    let engine = Engine::open(
        tmp.path(),
        &BTreeMap::new(),
        muster_intel::Intel::embedded(),
    )
    .unwrap();
    let mut failures = Vec::new();
    for (line, sql, want) in function_cases() {
        let got = match engine.sql(&sql) {
            Ok(batches) => {
                let b = &batches[0];
                let col = b.column(0);
                if col.is_null(0) {
                    "NULL".to_string()
                } else {
                    datafusion::arrow::util::display::array_value_to_string(col, 0).unwrap()
                }
            }
            Err(e) => format!("error: {e}"),
        };
        if got != want {
            failures.push(format!(
                "functions.txt:{line}: {sql}\n  want {want}\n  got  {got}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_sql_function_is_documented_and_tested() {
    let cases = function_cases();
    let mut md = String::from(
        "# SQL functions\n\nGenerated from `muster_detect::udf::docs()`; behaviour cases in \
         `crates/muster-detect/tests/functions.txt`. Every function is registered in the scan \
         session (and on Ballista executors) and is available to user-written detection SQL. \
         Reference data comes from the run's configuration: the embedded copies, or newer files \
         named in `muster.toml` `[data]`, plus the `[[lists.ip_tags]]` lists.\n\n\
         | function | returns | what it does |\n|---|---|---|\n",
    );
    for d in muster_detect::udf::docs() {
        assert!(
            cases
                .iter()
                .any(|(_, sql, _)| sql.contains(&format!("{}(", d.name))),
            "{} has no case in tests/functions.txt",
            d.name
        );
        assert!(
            cases
                .iter()
                .any(|(_, sql, want)| sql.contains(&format!("{}(", d.name)) && want == "NULL"),
            "{} has no NULL case in tests/functions.txt",
            d.name
        );
        md.push_str(&format!("| `{}` | {} | {} |\n", d.call, d.returns, d.about));
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/sql-functions.md");
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &md).unwrap();
    } else {
        assert_eq!(
            std::fs::read_to_string(&path).unwrap_or_default(),
            md,
            "docs/sql-functions.md is stale: run UPDATE_DOCS=1 cargo test -p muster-detect --test cases"
        );
    }
}

/// ID-REFERRAL's after-fusion hop: referees of a flagged referrer get LR 10 linked to the
/// referrer; referees of someone not flagged get nothing.
#[test]
fn referral_hop_reaches_referees_of_flagged_people_only() {
    let case = cases_dir().join("ID-REFERRAL/positive_group_through_one_referrer");
    let dir = tempfile::tempdir().unwrap();
    let rejects = muster_ingest::RejectLog::create(&dir.path().join("rejected.ndjson")).unwrap();
    let stage = dir.path().join("stage");
    let report = muster_ingest::ingest_dir(&case, &stage, &rejects, &|_| {}).unwrap();
    let cfg = config_for(&case);
    let engine = Engine::open(&stage, &report.accepted_rows(), &cfg.intel).unwrap();
    let flagged: BTreeMap<String, f64> = [("e2".to_string(), 0.93)].into();
    let hop =
        muster_detect::detections::id_referral::referred_by_flagged(&engine, &flagged).unwrap();
    assert_eq!(hop.len(), 1, "{hop:?}");
    assert_eq!(hop[0].person_id, "x1");
    assert_eq!(hop[0].likelihood_ratio, 10.0);
    assert!(
        hop[0]
            .links
            .iter()
            .any(|l| l.kind == "referrer" && l.value == "e2" && l.ring_edge)
    );
    let none =
        muster_detect::detections::id_referral::referred_by_flagged(&engine, &BTreeMap::new())
            .unwrap();
    assert!(none.is_empty());
}

/// GEO-MISMATCH tells where sign-ins and the company laptop typically are, apart, so the report
/// can draw both against the claimed home.
#[test]
fn geo_mismatch_evidence_places_signins_and_laptop_apart() {
    let case = cases_dir().join("GEO-MISMATCH/positive_laptop_never_where_account_signs_in");
    let (signals, _) = signals_for(&case, "GEO-MISMATCH", None);
    let f1 = signals
        .iter()
        .find(|s| s.person_id == "f1")
        .expect("a signal for f1");
    let m = &f1.evidence["median_distance_from_home"];
    let signins = m["signins"]["km"].as_f64().expect("sign-ins located");
    let laptop = m["company_laptop"]["km"].as_f64().expect("laptop located");
    assert!(
        (signins - laptop).abs() >= 300.0,
        "sign-ins {signins} km and laptop {laptop} km from home should be far apart: {m}"
    );
}
