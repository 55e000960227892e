//! Okta, Entra and Google Workspace readers: golden renderings of every sample, sniffing, type
//! drift, and robustness against truncated and corrupted input.

use std::path::{Path, PathBuf};

use muster_native::record::{Loc, Outcome, V};
use muster_native::source::{Input, SAMPLE_BYTES, Sample, Source};
use muster_native::sources::{entra::Entra, google_workspace::GoogleWorkspace, okta::Okta};
use muster_native::testing::render;

fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/samples")
}

/// (directory, reader) pairs.
fn readers() -> Vec<(&'static str, &'static dyn Source)> {
    vec![
        ("okta", &Okta as &dyn Source),
        ("entra_signin", &Entra),
        ("google_workspace", &GoogleWorkspace),
    ]
}

/// Data files of a sample directory (notes, manifests and licences excluded), sorted.
fn data_files(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(samples_dir().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().to_string();
            n.ends_with(".json") || n.ends_with(".ndjson")
        })
        .collect();
    v.sort();
    v
}

fn outcomes(source: &dyn Source, path: &Path) -> Vec<(Loc, Outcome)> {
    let input = Input::new(path).unwrap();
    let mut got = Vec::new();
    let mut sink = |loc: Loc, o: Outcome| {
        got.push((loc, o));
        Ok(())
    };
    source.read(&input, &mut sink).unwrap();
    got
}

#[test]
fn golden() {
    for (dir, source) in readers() {
        for path in data_files(dir) {
            let text = render(source, &path).unwrap();
            let name = format!("{dir}__{}", path.file_name().unwrap().to_string_lossy());
            insta::assert_snapshot!(name, text);
        }
    }
}

#[test]
fn sniffing_picks_the_right_reader() {
    for (dir, want) in readers() {
        for path in data_files(dir) {
            let bytes = std::fs::read(&path).unwrap();
            let head = &bytes[..bytes.len().min(SAMPLE_BYTES)];
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let sample = Sample {
                file_name: &name,
                head,
                tail: &[],
            };
            let mut scores: Vec<(u8, &str)> = readers()
                .iter()
                .filter_map(|(_, s)| s.sniff(&sample).map(|c| (c, s.name())))
                .collect();
            scores.sort_by_key(|b| std::cmp::Reverse(b.0));
            assert!(!scores.is_empty(), "{name}: nobody claims it");
            assert_eq!(scores[0].1, want.name(), "{name}: {scores:?}");
            if scores.len() > 1 {
                assert!(scores[0].0 > scores[1].0, "{name}: tie {scores:?}");
            }
            // The framework's registry agrees.
            let picked = muster_native::convert::sniff(&path).unwrap();
            assert_eq!(picked.source.name(), want.name(), "{name}");
        }
    }
    // Unrelated JSON is not claimed.
    let other = br#"{"ts": 1, "id.orig_h": "192.0.2.1", "proto": "tcp"}"#;
    for (_, s) in readers() {
        let sample = Sample {
            file_name: "x.json",
            head: other,
            tail: &[],
        };
        assert_eq!(s.sniff(&sample), None, "{}", s.name());
    }
}

fn row_of(o: &[(Loc, Outcome)], i: usize) -> &muster_native::Row {
    match &o[i].1 {
        Outcome::Rows(r) => &r[0],
        other => panic!("record {i}: {other:?}"),
    }
}

fn reason(o: &[(Loc, Outcome)], i: usize) -> String {
    match &o[i].1 {
        Outcome::Reject { reason, .. } => reason.clone(),
        Outcome::Skip(r) => r.to_string(),
        other => panic!("record {i}: {other:?}"),
    }
}

#[test]
fn okta_drift() {
    let o = outcomes(
        &Okta,
        &samples_dir().join("okta/synthetic_okta_api_drift.json"),
    );
    assert_eq!(o.len(), 8);
    let r = row_of(&o, 0);
    assert_eq!(r.table.name, "signins");
    assert_eq!(r.get("geo_country"), Some(&V::Str("VN".into())));
    assert_eq!(r.get("asn"), Some(&V::Int(64505)));
    assert_eq!(r.get("is_anonymous"), Some(&V::Bool(false)));
    assert_eq!(r.get("geo_lat"), Some(&V::Float(21.03)));
    assert_eq!(r.get("geo_region"), None); // "null" string
    assert_eq!(r.get("as_org"), None);
    assert_eq!(r.get("session_id"), None); // "unknown"
    assert_eq!(r.get("user_agent"), None); // "UNKNOWN"
    assert_eq!(r.get("src_ip"), Some(&V::Str("2001:db8::10".into())));
    assert_eq!(r.get("time"), Some(&V::TsMicros(1_767_859_200_123_456)));
    // Duplicate key: the last wins; epoch float time.
    let r = row_of(&o, 1);
    assert_eq!(
        r.get("account"),
        Some(&V::Str("eve.moss2@example.com".into()))
    );
    assert_eq!(r.get("time"), Some(&V::TsMicros(1_767_859_200_250_000)));
    // Impossible date: rejected with the field and value.
    let why = reason(&o, 2);
    assert!(matches!(o[2].1, Outcome::Reject { .. }));
    assert!(
        why.contains("published") && why.contains("2017-09-31"),
        "{why}"
    );
    assert!(reason(&o, 3).contains("no actor"));
    assert!(reason(&o, 4).contains("no actor"));
    assert_eq!(row_of(&o, 5).table.name, "activity");
    assert!(reason(&o, 6).contains("eventType"));
    let r = row_of(&o, 7);
    assert_eq!(r.get("outcome"), Some(&V::Str("unknown".into())));
    assert_eq!(r.get("mfa_device_id"), Some(&V::Str("pfd9".into())));
}

#[test]
fn okta_shared_mfa_device_is_visible() {
    let o = outcomes(
        &Okta,
        &samples_dir().join("okta/synthetic_eventbridge.ndjson"),
    );
    let mfa: Vec<(String, String)> = o
        .iter()
        .filter_map(|(_, out)| match out {
            Outcome::Rows(rows) => {
                rows.iter()
                    .find_map(|r| match (r.get("account"), r.get("mfa_device_id")) {
                        (Some(V::Str(a)), Some(V::Str(m))) => Some((a.clone(), m.clone())),
                        _ => None,
                    })
            }
            _ => None,
        })
        .collect();
    let accounts: std::collections::BTreeSet<_> = mfa
        .iter()
        .filter(|(_, m)| m == "guo1sharedphone")
        .map(|(a, _)| a.as_str())
        .collect();
    assert_eq!(accounts.len(), 2, "{mfa:?}");
    // ipChain fallback when client.ipAddress is the string "null".
    assert_eq!(
        row_of(&o, 1).get("src_ip"),
        Some(&V::Str("203.0.113.7".into()))
    );
    assert!(reason(&o, 4).contains("SystemPrincipal"));
    assert!(reason(&o, 5).contains("detail"));
}

#[test]
fn entra_drift() {
    let o = outcomes(
        &Entra,
        &samples_dir().join("entra_signin/synthetic_signinlogs_la.ndjson"),
    );
    assert_eq!(o.len(), 5);
    let r = row_of(&o, 0);
    assert_eq!(r.get("geo_city"), Some(&V::Str("Toronto".into())));
    assert_eq!(r.get("asn"), Some(&V::Int(64511)));
    assert_eq!(r.get("outcome"), Some(&V::Str("success".into())));
    assert_eq!(r.get("device_id"), None); // empty deviceId
    assert_eq!(r.get("time"), Some(&V::TsMicros(1_768_302_001_234_567)));
    let r = row_of(&o, 1);
    assert_eq!(r.get("outcome"), Some(&V::Str("failure".into())));
    assert_eq!(r.get("geo_country"), Some(&V::Str("CA".into())));
    assert_eq!(r.get("is_anonymous"), Some(&V::Bool(true)));
    assert_eq!(r.get("geo_city"), None);
    // "null" IP: kept as activity, duplicate key: last wins.
    let r = row_of(&o, 2);
    assert_eq!(r.table.name, "activity");
    assert_eq!(
        r.get("account"),
        Some(&V::Str("ivy.chen2@example.com".into()))
    );
    assert!(matches!(o[3].1, Outcome::Reject { .. }));
    assert!(reason(&o, 3).contains("2026-13-01"));
    assert!(reason(&o, 4).contains("not a person"));
}

#[test]
fn entra_graph_page_with_trailing_comma() {
    let o = outcomes(
        &Entra,
        &samples_dir()
            .join("entra_signin/msgraph_v1_signin_list_response_INVALID_trailing_comma.json"),
    );
    assert_eq!(o.len(), 1);
    let why = reason(&o, 0);
    assert!(why.contains("trailing comma"), "{why}");

    // In a page with several sign-ins only the broken one is lost.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("page.json");
    let good = r#"{"createdDateTime":"2026-01-01T00:00:00Z","userPrincipalName":"a@example.com","ipAddress":"192.0.2.1","status":{"errorCode":0}}"#;
    let bad = r#"{"createdDateTime":"2026-01-01T00:00:00Z","userPrincipalName":"b@example.com","ipAddress":"192.0.2.2","appliedConditionalAccessPolicies":[{"id":"x"},]}"#;
    std::fs::write(
        &p,
        format!("{{\"@odata.context\": \"x\", \"value\": [{good},\n{bad},\n{good}]}}"),
    )
    .unwrap();
    let o = outcomes(&Entra, &p);
    assert_eq!(o.len(), 3);
    assert_eq!(row_of(&o, 0).table.name, "signins");
    assert!(reason(&o, 1).contains("trailing comma"));
    assert_eq!(row_of(&o, 2).table.name, "signins");
}

#[test]
fn google_workspace_events() {
    let o = outcomes(
        &GoogleWorkspace,
        &samples_dir().join("google_workspace/synthetic_reports_items.json"),
    );
    assert_eq!(o.len(), 6);
    match &o[0].1 {
        Outcome::Rows(rows) => {
            assert_eq!(rows.len(), 2);
            assert_eq!(rows[0].get("outcome"), Some(&V::Str("challenge".into())));
            assert_eq!(rows[1].get("outcome"), Some(&V::Str("success".into())));
            assert_eq!(rows[1].get("asn"), Some(&V::Int(64520)));
            assert_eq!(rows[1].get("geo_region"), Some(&V::Str("JP-13".into())));
        }
        other => panic!("{other:?}"),
    }
    assert!(reason(&o, 4).contains("no actor"));
    assert!(reason(&o, 5).contains("2026-01-32"));
}

/// Records in a sample, counted independently of the readers (NDJSON lines, array or wrapper
/// elements).
fn expected_records(path: &Path) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    if path.extension().unwrap() == "ndjson" {
        return text.lines().filter(|l| !l.trim().is_empty()).count();
    }
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(serde_json::Value::Array(a)) => a.len(),
        Ok(serde_json::Value::Object(o)) => ["records", "value", "items"]
            .iter()
            .find_map(|k| o.get(*k).and_then(|v| v.as_array()).map(Vec::len))
            .unwrap_or(1),
        _ => 1, // the invalid Graph page holds one (broken) sign-in
    }
}

#[test]
fn every_record_reaches_the_sink_once() {
    for (dir, source) in readers() {
        for path in data_files(dir) {
            let o = outcomes(source, &path);
            assert_eq!(o.len(), expected_records(&path), "{}", path.display());
        }
    }
}

fn corpus() -> Vec<(Vec<u8>, usize)> {
    let mut v = Vec::new();
    for (i, (dir, _)) in readers().iter().enumerate() {
        for p in data_files(dir) {
            v.push((std::fs::read(p).unwrap(), i));
        }
    }
    v
}

fn run_mutated(bytes: &[u8], reader: usize) -> Result<usize, String> {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.json");
    std::fs::write(&p, bytes).unwrap();
    let input = Input::new(&p).unwrap();
    let mut n = 0usize;
    let mut sink = |_: Loc, _: Outcome| {
        n += 1;
        Ok(())
    };
    let source = readers()[reader].1;
    source.read(&input, &mut sink).map_err(|e| e.to_string())?;
    Ok(n)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    #[test]
    fn truncated_and_corrupted_inputs_never_panic(
        pick in 0usize..64,
        cut in 0.0f64..1.0,
        flips in proptest::collection::vec((0.0f64..1.0, proptest::prelude::any::<u8>()), 0..8),
        reader_shift in 0usize..3,
    ) {
        let corpus = corpus();
        let (bytes, own) = &corpus[pick % corpus.len()];
        let mut b = bytes.clone();
        b.truncate(((b.len() as f64) * cut) as usize);
        for (at, byte) in flips {
            if !b.is_empty() {
                let i = ((b.len() as f64) * at) as usize % b.len();
                b[i] = byte;
            }
        }
        // The sample's own reader, and (as when named wrongly with --source) another one.
        for r in [*own, (*own + reader_shift) % 3] {
            let got = run_mutated(&b, r);
            proptest::prop_assert!(got.is_ok(), "{got:?}");
        }
    }
}
