//! The command line end to end: exit codes, outputs, and golden snapshots.

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
    ] {
        assert!(out.join(f).is_file(), "missing {f}");
    }
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
        .map(|o| o["value"].as_str().unwrap())
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
