//! The command line end to end: exit codes, outputs, and golden snapshots.

mod serve;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The binary, isolated from any data installed on this machine by `muster intel update`.
fn muster() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_muster"));
    c.env("MUSTER_DATA_DIR", "/nonexistent/muster-test-data");
    c
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn rules_list_is_stable() {
    let out = muster().args(["rules", "list"]).output().unwrap();
    assert!(out.status.success());
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}

#[test]
fn rules_show_prints_every_doc_section() {
    let out = muster()
        .args(["rules", "show", "farm-ip"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for section in [
        "## What it does",
        "## Why",
        "## Data",
        "## False positives",
        "## Likelihood ratio",
        "## References",
    ] {
        assert!(text.contains(section), "missing {section}");
    }
    let bad = muster().args(["rules", "show", "NOPE"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn scan_writes_every_output_and_exits_1_when_someone_is_flagged() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let res = muster()
        .args(["scan"])
        .arg(fixture("farm"))
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .output()
        .unwrap();
    assert_eq!(
        res.status.code(),
        Some(1),
        "stderr: {}",
        String::from_utf8_lossy(&res.stderr)
    );
    for f in [
        "scores.csv",
        "signals.ndjson",
        "findings.ocsf.ndjson",
        "rings.csv",
        "report.html",
        "run.json",
        "rejected.ndjson",
        "indicators.stix.json",
        "clusters.csv",
    ] {
        assert!(out.join(f).is_file(), "missing {f}");
    }
    // entity resolution: one clusters.csv row per people record, counted in run.json
    let clusters = std::fs::read_to_string(out.join("clusters.csv")).unwrap();
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("run.json")).unwrap()).unwrap();
    assert_eq!(
        clusters.lines().count() - 1,
        run["resolution"]["records"].as_u64().unwrap() as usize
    );
    assert_eq!(run["resolution"]["records"], run["people"]);
    assert!(
        !out.join("stage").exists(),
        "staged personal data must be removed"
    );
    let scores = std::fs::read_to_string(out.join("scores.csv")).unwrap();
    insta::assert_snapshot!("farm_scores", scores);
    let rings = std::fs::read_to_string(out.join("rings.csv")).unwrap();
    insta::assert_snapshot!("farm_rings", rings);

    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    for t in run["inputs"].as_array().unwrap() {
        assert_eq!(
            t["read"],
            t["accepted"].as_u64().unwrap() + t["rejected"].as_u64().unwrap()
        );
    }
    assert_eq!(run["attribution"]["signins"], 4);
    assert_eq!(
        run["attribution"]["signins_unattributed"], 1,
        "the stranger's sign-in matches nobody"
    );
    let ran: Vec<&str> = run["detections_run"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(ran.contains(&"FARM-IP") && ran.contains(&"RMM-SOFTWARE") && ran.contains(&"NET-ANON"));
    let skipped: Vec<&str> = run["detections"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["ran"] == false)
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert!(
        skipped.contains(&"KVM-HARDWARE"),
        "no peripherals or displays: KVM must be reported as skipped"
    );

    let findings = std::fs::read_to_string(out.join("findings.ocsf.ndjson")).unwrap();
    let flagged = scores.lines().filter(|l| l.contains(",true,")).count();
    assert_eq!(findings.lines().count(), flagged);
    for line in findings.lines() {
        let f: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(f["class_uid"], 2004);
        assert_eq!(f["type_uid"], 200401);
        assert!(
            f["finding_info"]["uid"].is_string() && f["metadata"]["product"]["name"] == "muster"
        );
        assert!(!f["evidences"].as_array().unwrap().is_empty());
    }
    let stix: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("indicators.stix.json")).unwrap())
            .unwrap();
    assert_eq!(stix["type"], "bundle");
    let values: Vec<&str> = stix["objects"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["value"].as_str())
        .collect();
    assert!(
        values.contains(&"73.12.34.56"),
        "the farm IP is shared: {values:?}"
    );
    insta::assert_snapshot!(
        "farm_signals",
        std::fs::read_to_string(out.join("signals.ndjson")).unwrap()
    );
    // Findings carry the scan time: pin it, then the rest must match the golden file.
    let pinned: Vec<String> = findings
        .lines()
        .map(|l| {
            let mut f: serde_json::Value = serde_json::from_str(l).unwrap();
            f["time"] = 0.into();
            f["metadata"]["uid"] = "pinned".into();
            f["finding_info"]["created_time"] = 0.into();
            serde_json::to_string_pretty(&f).unwrap()
        })
        .collect();
    insta::assert_snapshot!("farm_findings", pinned.join("\n"));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    for id in [
        "id=\"summary\"",
        "id=\"people\"",
        "id=\"rings\"",
        "id=\"evidence\"",
        "<svg",
    ] {
        assert!(html.contains(id), "report lacks {id}");
    }
    assert!(
        !html.contains("<script"),
        "report must work without scripts"
    );
}

#[test]
fn nobody_flagged_exits_0_and_json_summary_parses() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(
        input.join("people.csv"),
        "person_id,record_type,full_name\np1,employee,Ann Example\n",
    )
    .unwrap();
    let res = muster()
        .arg("scan")
        .arg(&input)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(
        res.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&res.stdout).unwrap();
    assert_eq!(v["people"], 1);
    assert_eq!(v["flagged"], 0);
}

#[test]
fn bad_input_exits_2_naming_the_column() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("people.csv"), "person_id,full_name\np1,Ann\n").unwrap();
    let res = muster()
        .arg("scan")
        .arg(&input)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(2));
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(
        err.contains("record_type") && err.contains("people.csv"),
        "{err}"
    );

    let res = muster()
        .arg("scan")
        .arg(tmp.path().join("missing"))
        .arg("--out")
        .arg(tmp.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(2));
    let res = muster().args(["scan"]).output().unwrap();
    assert_eq!(res.status.code(), Some(2), "usage errors exit 2");
}

#[test]
fn example_config_is_valid_and_used() {
    let tmp = tempfile::tempdir().unwrap();
    let example = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../muster.example.toml");
    let out = tmp.path().join("out");
    let res = muster()
        .arg("scan")
        .arg(fixture("farm"))
        .arg("--out")
        .arg(&out)
        .arg("--config")
        .arg(&example)
        .arg("--quiet")
        .output()
        .unwrap();
    assert_eq!(
        res.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    let tags = run["config"]["ip_tags"].to_string();
    assert!(tags.contains("known_bad"), "{run}");
}

#[test]
fn bad_cidr_in_a_tag_list_exits_2_naming_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("bad.txt"),
        "# list\n203.0.113.0/24\n10.0.0.0/40\n",
    )
    .unwrap();
    std::fs::write(
        tmp.path().join("muster.toml"),
        "[[lists.ip_tags]]\ntag = \"known_bad\"\nsource = \"test\"\npath = \"bad.txt\"\n",
    )
    .unwrap();
    let res = muster()
        .arg("scan")
        .arg(fixture("farm"))
        .arg("--out")
        .arg(tmp.path().join("out"))
        .arg("--config")
        .arg(tmp.path().join("muster.toml"))
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(2));
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(
        err.contains("bad.txt") && err.contains("line 3") && !err.contains("panicked"),
        "{err}"
    );
}

#[test]
fn intel_lookup_update_and_status() {
    let tmp = tempfile::tempdir().unwrap();
    let out = muster()
        .args(["intel", "lookup", "175.45.176.1"])
        .output()
        .unwrap();
    assert!(out.status.success());
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout), @r"
    175.45.176.1  (read as: ip)
      asn         asn: AS131279  (Star Joint Venture Co. Ltd.)
      ip-country  country: KP
      ip-tags     tag: dprk  (confidence high)
    ");
    let out = muster()
        .args(["intel", "lookup", "--json", "AnyDesk.exe"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["facts"][0]["value"], "AnyDesk");

    // A bad file is refused with its name and line, and nothing is installed.
    let data = tmp.path().join("data");
    std::fs::write(tmp.path().join("bad.txt"), "203.0.113.0/33\n").unwrap();
    let out = muster()
        .env("MUSTER_DATA_DIR", &data)
        .args(["intel", "update", "--vpn"])
        .arg(tmp.path().join("bad.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.txt") && err.contains("line 1"), "{err}");
    assert!(!data.join("installed.toml").exists());

    // A good one is installed and used by later runs.
    std::fs::write(tmp.path().join("vpn.txt"), "203.0.113.0/24\n").unwrap();
    let out = muster()
        .env("MUSTER_DATA_DIR", &data)
        .args(["intel", "update", "--vpn"])
        .arg(tmp.path().join("vpn.txt"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = muster()
        .env("MUSTER_DATA_DIR", &data)
        .args(["intel", "lookup", "203.0.113.5"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("tag: vpn"));
    let out = muster()
        .env("MUSTER_DATA_DIR", &data)
        .args(["intel", "status", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ip = v
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "ip-tags")
        .unwrap();
    assert!(
        ip["origin"]
            .as_str()
            .unwrap()
            .ends_with("files/vpn-vpn.txt"),
        "{v}"
    );
}

/// Detections whose intermediate tables come out empty (no sign-in maps to a person) still run.
#[test]
fn signins_that_match_nobody_scan_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(
        input.join("people.csv"),
        "person_id,record_type,full_name\np1,employee,Ann Example\n",
    )
    .unwrap();
    std::fs::write(
        input.join("signins.csv"),
        "time,account,src_ip,outcome\n2026-03-02T01:00:00Z,nobody@elsewhere.example,24.9.9.9,success\n",
    )
    .unwrap();
    let res = muster()
        .arg("scan")
        .arg(&input)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .arg("--quiet")
        .output()
        .unwrap();
    assert_eq!(
        res.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
}

/// A folder of native exports with no hints (Okta + Entra + osquery + Zeek + Greenhouse + NACHA)
/// scans in one call: each file is recognised by content, and run.json's counts add up.
#[test]
fn mixed_native_folder_scans_in_one_call() {
    let samples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../muster-native/tests/samples");
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let files = [
        ("okta", "panther_okta_systemlog_tests.ndjson", "a.json"),
        ("entra_signin", "synthetic_signinlogs_la.ndjson", "b.json"),
        ("osquery", "synthetic_usb_devices.ndjson", "c.log"),
        ("zeek", "otrf_lsass_campaign02_conn.tsv.log", "d.log"),
        (
            "greenhouse",
            "candidates__02_get_list_candidates.json",
            "e.json",
        ),
        ("greenhouse", "synthetic_webhooks.ndjson", "f.json"),
        ("nacha", "synthetic_payroll.ach", "g.txt"),
    ];
    // Neutral names: the format must come from the content.
    for (dir, name, to) in files {
        std::fs::copy(samples.join(dir).join(name), input.join(to)).unwrap();
    }
    let out = tmp.path().join("out");
    let res = muster()
        .arg("scan")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .output()
        .unwrap();
    assert!(
        matches!(res.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    let by_file: std::collections::BTreeMap<String, String> = run["native"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let name = f["file"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string();
            (name, f["source"].as_str().unwrap().to_string())
        })
        .collect();
    let want: std::collections::BTreeMap<String, String> = [
        ("a.json", "okta"),
        ("b.json", "entra"),
        ("c.log", "osquery"),
        ("d.log", "zeek-conn"),
        ("e.json", "greenhouse"),
        ("f.json", "greenhouse"),
        ("g.txt", "nacha"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(by_file, want);
    for f in run["native"]["files"].as_array().unwrap() {
        let n = |k: &str| f[k].as_u64().unwrap();
        assert_eq!(
            n("records"),
            n("mapped") + n("skipped") + n("rejected"),
            "{f}"
        );
    }
    let tables: std::collections::BTreeMap<String, u64> = run["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            assert_eq!(
                t["read"],
                t["accepted"].as_u64().unwrap() + t["rejected"].as_u64().unwrap()
            );
            (
                t["table"].as_str().unwrap().to_string(),
                t["accepted"].as_u64().unwrap(),
            )
        })
        .collect();
    for t in [
        "people",
        "signins",
        "activity",
        "peripherals",
        "network",
        "payroll",
    ] {
        assert!(tables.get(t).copied().unwrap_or(0) > 0, "{t}: {tables:?}");
    }
    assert!(run["native"]["unrecognised"].as_array().unwrap().is_empty());
}

/// `muster ingest` builds contract tables once (Parquet or CSV) that `muster scan` then reads.
#[test]
fn ingest_writes_contract_tables_that_scan_reads() {
    let samples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../muster-native/tests/samples");
    let tmp = tempfile::tempdir().unwrap();
    for format in ["parquet", "csv"] {
        let lake = tmp.path().join(format!("lake-{format}"));
        let res = muster()
            .arg("ingest")
            .arg(samples.join("greenhouse"))
            .arg(samples.join("okta/synthetic_okta_cl.json"))
            .arg("--out")
            .arg(&lake)
            .args(["--format", format, "--quiet"])
            .arg("--source")
            .arg(format!(
                "nacha={}",
                samples.join("nacha/synthetic_payroll.ach").display()
            ))
            .output()
            .unwrap();
        assert!(
            res.status.success(),
            "{}",
            String::from_utf8_lossy(&res.stderr)
        );
        for t in ["people", "signins", "payroll"] {
            assert!(lake.join(format!("{t}.{format}")).is_file(), "{t}.{format}");
        }
        let summary: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(lake.join("ingest.json")).unwrap())
                .unwrap();
        assert!(summary["files"].as_array().unwrap().len() >= 7);
        // muster resolve reads the people table in either format, and the lake folder itself
        let res = muster()
            .arg("resolve")
            .arg(&lake)
            .arg("--out")
            .arg(tmp.path().join(format!("clusters-{format}.csv")))
            .arg("--json")
            .output()
            .unwrap();
        assert!(
            res.status.success(),
            "resolve {format}: {}",
            String::from_utf8_lossy(&res.stderr)
        );
        let r: serde_json::Value = serde_json::from_slice(&res.stdout).unwrap();
        assert!(r["accepted"].as_u64().unwrap() > 0, "{r}");
        assert_eq!(
            r["read"].as_u64().unwrap(),
            r["accepted"].as_u64().unwrap() + r["rejected"].as_u64().unwrap()
        );
        let res = muster()
            .arg("scan")
            .arg(&lake)
            .arg("--out")
            .arg(tmp.path().join(format!("out-{format}")))
            .arg("--quiet")
            .output()
            .unwrap();
        assert!(
            matches!(res.status.code(), Some(0 | 1)),
            "{}",
            String::from_utf8_lossy(&res.stderr)
        );
        let run: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(tmp.path().join(format!("out-{format}/run.json"))).unwrap(),
        )
        .unwrap();
        let payroll = run["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["table"] == "payroll")
            .unwrap();
        assert_eq!(payroll["rejected"], 0, "{payroll}");
        assert!(payroll["accepted"].as_u64().unwrap() > 0);
    }
    // A file no reader knows is an error when named explicitly.
    std::fs::write(tmp.path().join("notes.txt"), "hello\n").unwrap();
    let res = muster()
        .arg("ingest")
        .arg(tmp.path().join("notes.txt"))
        .arg("--out")
        .arg(tmp.path().join("x"))
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&res.stderr).contains("notes.txt"));
}

/// A team's own rules: the shipped example passes its examples; in a scan a malformed rule is
/// reported with file and line while the good ones run and produce signals.
#[test]
fn user_rules_test_and_scan() {
    let repo_rules = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    let res = muster()
        .args(["rules", "test"])
        .arg(&repo_rules)
        .output()
        .unwrap();
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stdout)
    );

    let tmp = tempfile::tempdir().unwrap();
    let rules = tmp.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::copy(
        repo_rules.join("ID-DISPOSABLE-EMAIL.toml"),
        rules.join("a.toml"),
    )
    .unwrap();
    std::fs::write(
        rules.join("b.toml"),
        "id = \"BROKEN\"\ntitle = \"x\"\nfamily = \"weather\"\n",
    )
    .unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(
        input.join("people.csv"),
        "person_id,record_type,full_name,email\np1,applicant,Ann Example,ann@mailinator.com\np2,applicant,Bo Example,bo@example.org\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let res = muster()
        .arg("scan")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .arg("--rules")
        .arg(&rules)
        .arg("--quiet")
        .output()
        .unwrap();
    assert_eq!(
        res.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    let errs = run["rule_errors"].to_string();
    assert!(errs.contains("b.toml"), "{errs}");
    assert!(
        run["detections_run"]
            .to_string()
            .contains("ID-DISPOSABLE-EMAIL")
    );
    let signals = std::fs::read_to_string(out.join("signals.ndjson")).unwrap();
    assert!(signals.contains("\"person_id\":\"p1\"") && signals.contains("ID-DISPOSABLE-EMAIL"));
    assert!(!signals.contains("\"person_id\":\"p2\""));

    let res = muster()
        .args(["rules", "test"])
        .arg(&rules)
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(2));
    let text = String::from_utf8_lossy(&res.stdout);
    assert!(
        text.contains("b.toml") && text.contains("ok    ID-DISPOSABLE-EMAIL"),
        "{text}"
    );
}

/// Scans the farm fixture into `out`, with a config file when given.
fn scan_farm(out: &Path, config: Option<&Path>) -> std::process::Output {
    let mut c = muster();
    c.arg("scan")
        .arg(fixture("farm"))
        .arg("--out")
        .arg(out)
        .arg("--quiet");
    if let Some(cfg) = config {
        c.arg("--config").arg(cfg);
    }
    c.output().unwrap()
}

/// `muster explain` tells one person's story from a finished scan; an unknown id exits 2 and
/// names people who exist.
#[test]
fn explain_tells_a_flagged_persons_story() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let res = scan_farm(&out, None);
    assert!(res.status.code().is_some_and(|c| c <= 1));
    let scores = std::fs::read_to_string(out.join("scores.csv")).unwrap();
    let top = scores
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .to_string();
    let res = muster().args(["explain", &top]).arg(&out).output().unwrap();
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let text = String::from_utf8_lossy(&res.stdout).to_string();
    insta::assert_snapshot!("explain_top_person", text);
    assert!(
        text.contains("evidence, strongest first") && text.contains("timeline:"),
        "{text}"
    );

    let res = muster()
        .args(["explain", &top, "--json"])
        .arg(&out)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&res.stdout).unwrap();
    assert_eq!(v["person_id"], top.as_str());
    assert_eq!(v["rank"], 1);
    assert!(v["evidence"].as_array().is_some_and(|e| !e.is_empty()));

    let res = muster()
        .args(["explain", "nobody"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(2));
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(err.contains("nobody") && err.contains(&top), "{err}");
}

/// `muster eval --fit-calibration` fits a map on one labelled scan; a scan with `[fusion]
/// calibration` uses it (same ranking, calibrated probabilities) and refuses another prior.
#[test]
fn calibration_is_fitted_and_used() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert!(scan_farm(&out, None).status.code().is_some_and(|c| c <= 1));
    let scores = std::fs::read_to_string(out.join("scores.csv")).unwrap();
    // truth: the two highest-scored people are fraud, everyone else legitimate
    let mut truth = String::from("person_id,label,schemes,ring_id,hard_negative_group,role\n");
    for (i, line) in scores.lines().skip(1).enumerate() {
        let id = line.split(',').next().unwrap();
        let label = if i < 2 { "fraud" } else { "legit" };
        truth.push_str(&format!("{id},{label},,,,\n"));
    }
    let truth_dir = tmp.path().join("truth");
    std::fs::create_dir(&truth_dir).unwrap();
    std::fs::write(truth_dir.join("people.csv"), truth).unwrap();
    let cal = tmp.path().join("cal.json");
    let res = muster()
        .args(["eval", "--truth"])
        .arg(&truth_dir)
        .arg(&out)
        .arg("--fit-calibration")
        .arg(&cal)
        .output()
        .unwrap();
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let c: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cal).unwrap()).unwrap();
    assert_eq!(c["positives"], 2);
    assert!(c["knots"].as_array().is_some_and(|k| !k.is_empty()));

    let cfg = tmp.path().join("muster.toml");
    let prior = 1.0 / 343.0;
    std::fs::write(
        &cfg,
        format!("[fusion]\nprior = {prior}\ncalibration = \"cal.json\"\n"),
    )
    .unwrap();
    let out2 = tmp.path().join("out2");
    let res = scan_farm(&out2, Some(&cfg));
    assert!(
        res.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out2.join("run.json")).unwrap()).unwrap();
    assert!(run["fusion"]["calibration"].is_string());
    let order = |text: &str| -> Vec<String> {
        text.lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap().to_string())
            .collect()
    };
    let scores2 = std::fs::read_to_string(out2.join("scores.csv")).unwrap();
    assert_eq!(
        order(&scores),
        order(&scores2),
        "calibration must not reorder people"
    );
    assert_ne!(scores, scores2);
    // a calibrated scan cannot be fitted again
    let res = muster()
        .args(["eval", "--truth"])
        .arg(&truth_dir)
        .arg(&out2)
        .arg("--fit-calibration")
        .arg(tmp.path().join("again.json"))
        .output()
        .unwrap();
    assert!(!res.status.success());
    // another prior is refused with what to do
    std::fs::write(&cfg, "[fusion]\nprior = 0.03\ncalibration = \"cal.json\"\n").unwrap();
    let res = scan_farm(&tmp.path().join("out3"), Some(&cfg));
    assert_eq!(res.status.code(), Some(2));
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(
        err.contains("fitted with prior") && err.contains("refit"),
        "{err}"
    );
}

/// Without a folder, `muster rules test` runs the built-in rule files' examples.
#[test]
fn builtin_rule_files_pass_their_examples() {
    let cwd = tempfile::tempdir().unwrap();
    let res = muster()
        .current_dir(cwd.path())
        .args(["rules", "test"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&res.stdout);
    assert!(res.status.success(), "{text}");
    assert!(
        text.contains("ok    KVM-HARDWARE / positive_pikvm_usb_and_edid")
            && text.contains("ok    KVM-HARDWARE / negative_developer_usb_gadget"),
        "{text}"
    );
}

/// The same scan planned single-partitioned and with many partitions gives the same results
/// (DataFusion 55 dropped rows in some multi-partition joins; the detections avoid those plans).
#[test]
fn results_do_not_depend_on_partitioning() {
    let tmp = tempfile::tempdir().unwrap();
    let one = farm_outputs(
        &tmp.path().join("out-1"),
        &[],
        &[("MUSTER_TARGET_PARTITIONS", "1")],
    );
    let four = farm_outputs(
        &tmp.path().join("out-4"),
        &[],
        &[("MUSTER_TARGET_PARTITIONS", "4")],
    );
    assert_eq!(one.0, four.0);
}

/// Scans the farm fixture into `out` with extra arguments and environment, expects exit 1,
/// and returns (scores.csv, signals.ndjson, rings.csv) and run.json.
fn farm_outputs(
    out: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> ((String, String, String), serde_json::Value) {
    scan_outputs(fixture("farm").as_os_str(), out, args, env)
}

/// [`farm_outputs`] of any input (a folder or a URL).
fn scan_outputs(
    input: &std::ffi::OsStr,
    out: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> ((String, String, String), serde_json::Value) {
    let res = muster()
        .envs(env.iter().copied())
        .arg("scan")
        .arg(input)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        res.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let read = |f: &str| std::fs::read_to_string(out.join(f)).unwrap();
    let run = serde_json::from_str(&read("run.json")).unwrap();
    (
        (
            read("scores.csv"),
            read("signals.ndjson"),
            read("rings.csv"),
        ),
        run,
    )
}

#[test]
fn only_and_skip_choose_the_detections_that_run() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let res = muster()
        .arg("scan")
        .arg(fixture("farm"))
        .arg("--out")
        .arg(&out)
        .args([
            "--only",
            "farm-ip,FARM-WIFI",
            "--skip",
            "FARM-WIFI",
            "--quiet",
        ])
        .output()
        .unwrap();
    assert!(
        res.status.code().unwrap() <= 1,
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap();
    let runs = run["detections"].as_array().unwrap();
    let ran: Vec<&str> = runs
        .iter()
        .filter(|d| d["ran"] == true)
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ran, ["FARM-IP"]);
    let wifi = runs.iter().find(|d| d["id"] == "FARM-WIFI").unwrap();
    assert_eq!(wifi["skipped_because"], "left out with --skip");
    let tz = runs.iter().find(|d| d["id"] == "TZ-MISMATCH").unwrap();
    assert_eq!(tz["skipped_because"], "not selected with --only");
    let signals = std::fs::read_to_string(out.join("signals.ndjson")).unwrap();
    assert!(
        signals.lines().all(|l| l.contains("\"FARM-IP\"")),
        "{signals}"
    );

    // An id that names no detection is a usage error before any input is read.
    let res = muster()
        .arg("scan")
        .arg(fixture("farm"))
        .arg("--out")
        .arg(tmp.path().join("out2"))
        .args(["--only", "FARM-IPP", "--quiet"])
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(2));
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(
        err.contains("FARM-IPP") && err.contains("rules list"),
        "{err}"
    );
}

#[test]
fn resolve_writes_clusters_rings_and_rejections() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("res/clusters.csv");
    let res = muster()
        .arg("resolve")
        .arg(fixture("resolve"))
        .arg("--out")
        .arg(&out)
        .arg("--rings")
        .arg(tmp.path().join("res/rings.csv"))
        .arg("--model")
        .arg(tmp.path().join("res/model.json"))
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(
        res.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&res.stdout).unwrap();
    assert_eq!(summary["read"], 15);
    assert_eq!(summary["accepted"], 13);
    assert_eq!(summary["rejected"], 2);
    insta::assert_snapshot!("resolve_clusters", std::fs::read_to_string(&out).unwrap());
    insta::assert_snapshot!(
        "resolve_rings",
        std::fs::read_to_string(tmp.path().join("res/rings.csv")).unwrap()
    );
    let rejected =
        std::fs::read_to_string(tmp.path().join("res/clusters.rejected.ndjson")).unwrap();
    assert_eq!(rejected.lines().count(), 2);
    assert!(rejected.contains("\"line\":15") && rejected.contains("empty person_id"));
    assert!(rejected.contains("\"line\":16") && rejected.contains("repeats"));
    // no raw national id or bank account in any output
    for f in ["res/clusters.csv", "res/rings.csv", "res/model.json"] {
        let text = std::fs::read_to_string(tmp.path().join(f)).unwrap();
        assert!(
            !text.contains("521449012") && !text.contains("402-11-0001"),
            "{f}"
        );
    }
    let model: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("res/model.json")).unwrap()).unwrap();
    assert!(
        model["model"]["comparisons"]
            .as_array()
            .is_some_and(|c| c.len() >= 6)
    );
}

#[test]
fn resolve_maps_foreign_headers_and_reports_bad_usage() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("records.csv");
    std::fs::write(
        &input,
        "rid,first,last,born\n1,Ann,Lee,1990-01-02\n2,Ann,Lee,02/01/1990\n3,Bo,Kim,1970-05-05\n",
    )
    .unwrap();
    let out = tmp.path().join("c.csv");
    let res = muster()
        .arg("resolve")
        .arg(&input)
        .args([
            "--columns",
            "rid=person_id,first=given_name,last=family_name,born=date_of_birth",
        ])
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .output()
        .unwrap();
    assert_eq!(
        res.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().count(), 4);
    // an unknown destination, a missing source column, a missing id column: exit 2 with a reason
    for (cols, needle) in [
        ("rid=nowhere", "unknown destination"),
        ("nope=given_name", "no column \"nope\""),
        ("first=given_name", "person_id"),
    ] {
        let res = muster()
            .arg("resolve")
            .arg(&input)
            .args(["--columns", cols])
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(res.status.code(), Some(2), "{cols}");
        let err = String::from_utf8_lossy(&res.stderr);
        assert!(err.contains(needle), "{cols}: {err}");
    }
    let res = muster()
        .arg("resolve")
        .arg(tmp.path().join("missing.csv"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(2));
}

/// `--memory-limit` whose engine half is below what the farm fixture's queries hold without
/// one: the scan spills, the engine stays within its half and the scan finds the same people.
#[test]
fn memory_limit_spills_and_gives_the_same_results() {
    let tmp = tempfile::tempdir().unwrap();
    let limit: u64 = 8 << 20;
    let engine_budget = limit / 2;
    let (free, free_run) = farm_outputs(&tmp.path().join("free"), &[], &[]);
    let (limited, limited_run) = farm_outputs(
        &tmp.path().join("limited"),
        &["--memory-limit", "8MiB"],
        &[],
    );
    let peak = |run: &serde_json::Value| run["engine_memory_peak_bytes"].as_u64().unwrap();
    assert!(
        peak(&free_run) > engine_budget,
        "the fixture must not fit: peak {} without a limit",
        peak(&free_run)
    );
    assert!(
        peak(&limited_run) <= engine_budget,
        "peak {} over the engine's half of the limit {limit}",
        peak(&limited_run)
    );
    assert_eq!(limited_run["memory_limit"].as_u64(), Some(limit));
    assert_eq!(free, limited);

    // a budget nothing fits in: exit 2 with what to do, not an internal error
    let res = muster()
        .args(["scan", "--quiet", "--memory-limit", "64KiB", "--out"])
        .arg(tmp.path().join("tiny"))
        .arg(fixture("farm"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&res.stderr);
    assert_eq!(res.status.code(), Some(2), "{err}");
    assert!(err.contains("raise --memory-limit"), "{err}");
    let res = muster()
        .args(["scan", "--memory-limit", "lots", "--out"])
        .arg(tmp.path().join("bad"))
        .arg(fixture("farm"))
        .output()
        .unwrap();
    assert_eq!(res.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&res.stderr).contains("2GiB"));
}

/// `--profile-queries DIR`: one file per query, named after the detection that ran it, with
/// the SQL and the plan's metrics; the scan's results do not change.
#[test]
fn profile_queries_writes_each_plan_with_metrics() {
    let tmp = tempfile::tempdir().unwrap();
    let prof = tmp.path().join("prof");
    let (plain, _) = farm_outputs(&tmp.path().join("plain"), &[], &[]);
    let (profiled, _) = farm_outputs(
        &tmp.path().join("profiled"),
        &["--profile-queries", prof.to_str().unwrap()],
        &[],
    );
    assert_eq!(plain, profiled);
    let mut names: Vec<String> = std::fs::read_dir(&prof)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names[0].starts_with("001-"), "{names:?}");
    // a staged step of FARM-IP and RMM-SOFTWARE's main query are both there
    for id in ["FARM-IP", "RMM-SOFTWARE"] {
        let mine: Vec<&String> = names
            .iter()
            .filter(|n| n.ends_with(&format!("-{id}.txt")))
            .collect();
        assert!(!mine.is_empty(), "no profile of {id}: {names:?}");
    }
    let staged = names
        .iter()
        .map(|n| std::fs::read_to_string(prof.join(n)).unwrap())
        .find(|t| t.contains("\n-- step: stage farm_daily\n"))
        .expect("FARM-IP's staged step is profiled");
    assert!(staged.contains("DataSinkExec"), "{staged}");
    assert!(staged.contains("output_rows="), "{staged}");
    let rmm = std::fs::read_to_string(
        prof.join(
            names
                .iter()
                .rev()
                .find(|n| n.ends_with("-RMM-SOFTWARE.txt"))
                .unwrap(),
        ),
    )
    .unwrap();
    assert!(
        rmm.starts_with("-- phase: RMM-SOFTWARE\n-- step: query\n-- seconds: "),
        "{rmm}"
    );
    assert!(
        rmm.contains("HashJoinExec") && rmm.contains("elapsed_compute="),
        "{rmm}"
    );
}

/// Scans `url` (an object-store copy of the farm fixture plus a stale partition) with
/// `--since`, and checks the results equal a local scan and the stale partition was pruned.
fn scan_lake_copy(url: &str, env: &[(&str, String)]) {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    copy_dir(&fixture("farm"), &src);
    // an old partition of a native source: pruned by --since, never fetched
    let old = src.join("native/lake/eventDay=20200101");
    std::fs::create_dir_all(&old).unwrap();
    std::fs::write(old.join("part.json"), "not read\n").unwrap();
    muster_lake_put(&src, url, env);
    let remote = tmp.path().join("remote");
    let (local_outputs, _) = farm_outputs(&tmp.path().join("local"), &[], &[]);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (remote_outputs, run) = scan_outputs(
        std::ffi::OsStr::new(url),
        &remote,
        &["--since", "2021-01-01"],
        &env,
    );
    assert_eq!(local_outputs, remote_outputs);
    let fetched = &run["fetched"][0];
    assert_eq!(fetched["url"], url);
    assert_eq!(fetched["pruned_by_date"], 1);
    assert_eq!(fetched["fetched"], fetched["listed"].as_u64().unwrap() - 1);
    assert!(
        !remote.join("stage-fetch").exists(),
        "the fetched copy is removed"
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.path().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// Uploads with the same environment the scan gets (object_store reads it).
fn muster_lake_put(src: &Path, url: &str, env: &[(&str, String)]) {
    // The test binary runs tests on threads, so rather than setting this process's
    // environment, the variables go to a child run of this same test binary.
    if env.is_empty() {
        muster_lake::put_dir(src, url).unwrap();
        return;
    }
    let res = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "lake_put_helper",
            "--include-ignored",
            "--nocapture",
        ])
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .env("MUSTER_TEST_PUT_SRC", src)
        .env("MUSTER_TEST_PUT_URL", url)
        .output()
        .unwrap();
    assert!(
        res.status.success(),
        "{}{}",
        String::from_utf8_lossy(&res.stdout),
        String::from_utf8_lossy(&res.stderr)
    );
}

/// Runs only as the child of `muster_lake_put` (with its environment).
#[test]
#[ignore = "a helper run by the object-store tests"]
fn lake_put_helper() {
    let src = std::env::var_os("MUSTER_TEST_PUT_SRC").expect("run by muster_lake_put");
    let url = std::env::var("MUSTER_TEST_PUT_URL").expect("run by muster_lake_put");
    let (files, _) = muster_lake::put_dir(Path::new(&src), &url).unwrap();
    assert!(files > 0);
}

/// `muster scan file://...`: the object-store path (listing, pruning, fetching) on a folder.
#[test]
fn object_store_input_is_fetched_with_date_pruning() {
    let lake = tempfile::tempdir().unwrap();
    scan_lake_copy(&format!("file://{}/farm", lake.path().display()), &[]);
}

/// `muster scan s3://...` against a real S3-compatible server on loopback (moto_server,
/// installed from PyPI and started by `.ci/run`, which sets MUSTER_TEST_S3_ENDPOINT and
/// creates the bucket `muster-test`).
#[test]
#[ignore = "needs an S3 server: .ci/run starts one and runs this with --ignored"]
fn s3_input_from_a_real_server() {
    let endpoint = std::env::var("MUSTER_TEST_S3_ENDPOINT")
        .expect("MUSTER_TEST_S3_ENDPOINT (http://127.0.0.1:PORT of an S3 server)");
    let env = [
        ("AWS_ENDPOINT_URL", endpoint),
        ("AWS_ALLOW_HTTP", "true".to_string()),
        ("AWS_ACCESS_KEY_ID", "muster-test".to_string()),
        ("AWS_SECRET_ACCESS_KEY", "muster-test".to_string()),
        ("AWS_REGION", "us-east-1".to_string()),
    ];
    let prefix = format!("s3://muster-test/farm-{}", std::process::id());
    scan_lake_copy(&prefix, &env);
}

/// Ballista's standalone mode (scheduler and executor in the scanning process): the same plans
/// run distributed give the same scores, signals and rings as the embedded engine.
#[test]
fn standalone_cluster_gives_the_embedded_results() {
    let tmp = tempfile::tempdir().unwrap();
    let (embedded, _) = farm_outputs(&tmp.path().join("embedded"), &[], &[]);
    let (distributed, run) = farm_outputs(
        &tmp.path().join("standalone"),
        &["--cluster", "standalone"],
        &[],
    );
    assert_eq!(run["cluster"], "standalone");
    assert_eq!(embedded, distributed);
}

/// A real scheduler and two executor processes on loopback, started by `.ci/run`
/// (`MUSTER_TEST_CLUSTER=df://127.0.0.1:PORT`): outputs equal the embedded run's.
#[test]
#[ignore = "needs a Ballista cluster: .ci/run starts one and runs this with --ignored"]
fn loopback_cluster_gives_the_embedded_results() {
    let url = std::env::var("MUSTER_TEST_CLUSTER")
        .expect("MUSTER_TEST_CLUSTER=df://HOST:PORT of a running muster cluster scheduler");
    let tmp = tempfile::tempdir().unwrap();
    let (embedded, _) = farm_outputs(&tmp.path().join("embedded"), &[], &[]);
    let (distributed, run) = farm_outputs(&tmp.path().join("cluster"), &["--cluster", &url], &[]);
    assert_eq!(run["cluster"], url.as_str());
    assert_eq!(embedded, distributed);
    // a scheduler nobody listens on: exit 2 naming it, not a hang or a panic
    let res = muster()
        .args(["scan", "--quiet", "--cluster", "df://127.0.0.1:1", "--out"])
        .arg(tmp.path().join("nobody"))
        .arg(fixture("farm"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&res.stderr);
    assert_eq!(res.status.code(), Some(2), "{err}");
    assert!(err.contains("127.0.0.1:1"), "{err}");
}
