//! Golden, sniffing and robustness tests of the endpoint and network readers (osquery, Windows
//! events, Zeek conn.log) on the samples in `tests/samples/`.

use std::path::{Path, PathBuf};

use muster_native::sources::{osquery::OSQUERY, windows::WINDOWS, zeek::ZEEK_CONN};
use muster_native::testing::render;
use muster_native::{Loc, Outcome, Source};

fn sample(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/samples")
        .join(rel)
}

fn golden(name: &str, source: &dyn Source, rel: &str) {
    // File-level errors name the file: keep the snapshot independent of the clone's location.
    let text = render(source, &sample(rel)).unwrap_or_else(|e| {
        let dir = sample("").display().to_string();
        format!("error: {e}\n").replace(&dir, "samples/")
    });
    insta::assert_snapshot!(name, text);
}

#[test]
fn golden_osquery() {
    for (name, rel) in [
        (
            "osquery_docs_added",
            "osquery/osquery_docs_added_example.json",
        ),
        (
            "osquery_docs_removed",
            "osquery/osquery_docs_removed_example.json",
        ),
        (
            "osquery_docs_snapshot",
            "osquery/osquery_docs_snapshot_example.json",
        ),
        (
            "osquery_docs_batch",
            "osquery/osquery_docs_batch_example.json",
        ),
        (
            "osquery_panther",
            "osquery/panther_osquery_differential_tests.ndjson",
        ),
        ("osquery_usb", "osquery/synthetic_usb_devices.ndjson"),
        (
            "osquery_wifi_programs",
            "osquery/synthetic_wifi_programs.ndjson",
        ),
    ] {
        golden(name, &OSQUERY, rel);
    }
}

#[test]
fn golden_windows() {
    for (name, rel) in [
        (
            "windows_otrf_rdp",
            "windows/otrf_rdp_interactive_taskmanager_lsass_dump_SUBSET_4624_sysmon1_3.ndjson",
        ),
        (
            "windows_panther",
            "windows/panther_windows_eventlogs_tests.ndjson",
        ),
        (
            "windows_msdocs_6416_xml",
            "windows/msdocs_event_6416_example.xml",
        ),
        (
            "windows_nxlog_usb_rdp",
            "windows/synthetic_nxlog_usb_rdp.ndjson",
        ),
        ("windows_evtx_dump", "windows/synthetic_evtx_dump.json"),
        ("windows_events_xml", "windows/synthetic_events.xml"),
        ("windows_binary_evtx", "windows/synthetic_header_only.evtx"),
        (
            "windows_binary_evtx_events",
            "windows/synthetic_events.evtx",
        ),
        (
            "windows_zip",
            "windows/otrf_cmd_bitsadmin_download_psh_script.zip",
        ),
    ] {
        golden(name, &WINDOWS, rel);
    }
}

#[test]
fn golden_zeek() {
    for (name, rel) in [
        ("zeek_docs_json", "zeek/zeek_docs_conn_example.ndjson"),
        (
            "zeek_otrf_apt29_flat_json",
            "zeek/otrf_apt29_day1_SCRANTON_conn.ndjson",
        ),
        (
            "zeek_otrf_lsass_tsv",
            "zeek/otrf_lsass_campaign02_conn.tsv.log",
        ),
        (
            "zeek_btest_ssh_tsv",
            "zeek/zeek_btest_ssh_basic_conn_masked_ts.tsv.log",
        ),
        (
            "zeek_btest_teredo_tsv",
            "zeek/zeek_btest_teredo_conn_masked_ts.tsv.log",
        ),
        ("zeek_drift_json", "zeek/synthetic_conn_drift.ndjson"),
        ("zeek_by_name_tsv", "zeek/synthetic_conn_by_name.tsv.log"),
    ] {
        golden(name, &ZEEK_CONN, rel);
    }
}

/// Every data sample is claimed by the right reader, and nothing else is claimed at all.
#[test]
fn sniffing_picks_the_right_reader() {
    let expect = |dir: &str, file: &str| -> Option<&'static str> {
        if file.ends_with(".txt") || file.ends_with(".zip") {
            return None;
        }
        Some(match dir {
            "osquery" => "osquery",
            "windows" => "windows",
            "zeek" => "zeek-conn",
            _ => return None,
        })
    };
    let mut checked = 0;
    for dir in ["osquery", "windows", "zeek"] {
        let mut files: Vec<_> = std::fs::read_dir(sample(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for path in files {
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            let got = muster_native::convert::sniff(&path).map(|f| f.source.name());
            match expect(dir, &file) {
                Some(want) => assert_eq!(got.ok(), Some(want), "{dir}/{file}"),
                None => assert!(got.is_err(), "{dir}/{file} claimed by {got:?}"),
            }
            checked += 1;
        }
    }
    assert!(checked >= 25, "{checked}");
    // Each reader alone: no reader claims another's samples.
    for (src, own) in [
        (&OSQUERY as &dyn Source, "osquery"),
        (&WINDOWS, "windows"),
        (&ZEEK_CONN, "zeek"),
    ] {
        for dir in ["osquery", "windows", "zeek"] {
            for e in std::fs::read_dir(sample(dir)).unwrap() {
                let path = e.unwrap().path();
                let head = std::fs::read(&path).unwrap();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                let s = muster_native::Sample {
                    file_name: &name,
                    head: &head[..head.len().min(64 * 1024)],
                    tail: &[],
                };
                if dir != own {
                    assert_eq!(src.sniff(&s), None, "{} claims {dir}/{name}", src.name());
                }
            }
        }
    }
}

/// The staged tables are valid contract rows: nothing the readers map is rejected by the
/// contract's own validation (types, required columns).
#[test]
fn staged_rows_pass_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let rejects = muster_ingest::RejectLog::create(&dir.path().join("rejects.jsonl")).unwrap();
    let mut conv = muster_native::convert::Converter::new(&dir.path().join("stage"), &rejects);
    for rel in [
        "osquery/osquery_docs_batch_example.json",
        "osquery/synthetic_usb_devices.ndjson",
        "osquery/synthetic_wifi_programs.ndjson",
        "windows/otrf_rdp_interactive_taskmanager_lsass_dump_SUBSET_4624_sysmon1_3.ndjson",
        "windows/synthetic_nxlog_usb_rdp.ndjson",
        "windows/synthetic_evtx_dump.json",
        "windows/synthetic_events.xml",
        "zeek/otrf_lsass_campaign02_conn.tsv.log",
        "zeek/otrf_apt29_day1_SCRANTON_conn.ndjson",
        "zeek/synthetic_conn_drift.ndjson",
    ] {
        let f = muster_native::convert::sniff(&sample(rel)).unwrap();
        conv.add(&f).unwrap();
    }
    let report = conv.finish().unwrap();
    for t in &report.tables {
        assert_eq!(t.rejected, 0, "table {} rejected rows: {:?}", t.table, t);
        assert!(t.accepted > 0, "{}", t.table);
    }
    let names: Vec<_> = report.tables.iter().map(|t| t.table.as_str()).collect();
    for want in [
        "device_presence",
        "network",
        "peripherals",
        "processes",
        "software",
    ] {
        assert!(names.contains(&want), "{names:?}");
    }
}

fn run(source: &dyn Source, bytes: &[u8], ext: &str) -> (Vec<(Loc, Outcome)>, bool) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(format!("x.{ext}"));
    std::fs::write(&p, bytes).unwrap();
    let input = muster_native::Input::new(&p).unwrap();
    let mut got = Vec::new();
    let mut sink = |loc: Loc, o: Outcome| {
        got.push((loc, o));
        Ok(())
    };
    let ok = source.read(&input, &mut sink).is_ok();
    (got, ok)
}

fn ndjson_lines(bytes: &[u8]) -> usize {
    bytes
        .split(|&b| b == b'\n')
        .filter(|l| !l.trim_ascii().is_empty())
        .count()
}

fn first_line_is_object(bytes: &[u8]) -> bool {
    bytes
        .split(|&b| b == b'\n')
        .find(|l| !l.trim_ascii().is_empty())
        .is_some_and(|l| {
            matches!(
                serde_json::from_slice::<serde_json::Value>(l.trim_ascii()),
                Ok(serde_json::Value::Object(_))
            )
        })
}

fn damaged(base: &[u8], cut: usize, flips: &[(usize, u8)]) -> Vec<u8> {
    let mut b = base[..cut.min(base.len())].to_vec();
    for (i, x) in flips {
        if !b.is_empty() {
            let n = b.len();
            b[i % n] ^= x;
        }
    }
    b
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    #[test]
    fn osquery_damaged_input_is_accounted_for(cut in 0usize..6000, flips in proptest::collection::vec((0usize..6000, 1u8..=255), 0..4)) {
        let base = std::fs::read(sample("osquery/synthetic_wifi_programs.ndjson")).unwrap();
        let b = damaged(&base, cut, &flips);
        let (got, ok) = run(&OSQUERY, &b, "json");
        proptest::prop_assert!(ok);
        if first_line_is_object(&b) {
            proptest::prop_assert_eq!(got.len(), ndjson_lines(&b));
        }
    }

    #[test]
    fn windows_damaged_input_is_accounted_for(cut in 0usize..12000, flips in proptest::collection::vec((0usize..12000, 1u8..=255), 0..4)) {
        let base = std::fs::read(sample("windows/synthetic_nxlog_usb_rdp.ndjson")).unwrap();
        let b = damaged(&base, cut, &flips);
        let (got, ok) = run(&WINDOWS, &b, "json");
        proptest::prop_assert!(ok);
        if first_line_is_object(&b) {
            proptest::prop_assert_eq!(got.len(), ndjson_lines(&b));
        }
    }

    #[test]
    fn windows_damaged_xml_and_evtx_dump_never_panic(cut in 0usize..6000, flips in proptest::collection::vec((0usize..6000, 1u8..=255), 0..4), which in 0usize..2) {
        let f = ["windows/synthetic_events.xml", "windows/synthetic_evtx_dump.json"][which];
        let base = std::fs::read(sample(f)).unwrap();
        let b = damaged(&base, cut, &flips);
        let (got, ok) = run(&WINDOWS, &b, "txt");
        proptest::prop_assert!(ok);
        // Every event that got through intact is counted once; damage costs at most the rest.
        proptest::prop_assert!(got.len() <= 5, "{}", got.len());
        for (i, (loc, _)) in got.iter().enumerate() {
            proptest::prop_assert_eq!(*loc, Loc::Record(i as u64 + 1));
        }
    }

    #[test]
    fn windows_damaged_binary_evtx_never_panics(cut in 4096usize..70000, flips in proptest::collection::vec((4096usize..8192, 1u8..=255), 0..6)) {
        let base = std::fs::read(sample("windows/synthetic_events.evtx")).unwrap();
        let b = damaged(&base, cut, &flips);
        // A file-level error (the chunk is unreadable) or per-record outcomes; never a panic.
        let _ = run(&WINDOWS, &b, "evtx");
    }

    #[test]
    fn zeek_tsv_damaged_input_is_accounted_for(cut in 0usize..14000, flips in proptest::collection::vec((0usize..14000, 1u8..=255), 0..4)) {
        let base = std::fs::read(sample("zeek/otrf_lsass_campaign02_conn.tsv.log")).unwrap();
        let b = damaged(&base, cut, &flips);
        let (got, ok) = run(&ZEEK_CONN, &b, "log");
        proptest::prop_assert!(ok);
        if !b.trim_ascii_start().starts_with(b"{") && !b.trim_ascii_start().starts_with(b"[") {
            // Every non-empty line that is not a header is one record.
            let data = b
                .split(|&c| c == b'\n')
                .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
                .filter(|l| !l.is_empty() && !l.starts_with(b"#"))
                .count();
            proptest::prop_assert_eq!(got.len(), data);
        }
    }

    #[test]
    fn zeek_json_damaged_input_is_accounted_for(cut in 0usize..65000, flips in proptest::collection::vec((0usize..65000, 1u8..=255), 0..4)) {
        let base = std::fs::read(sample("zeek/otrf_apt29_day1_SCRANTON_conn.ndjson")).unwrap();
        let b = damaged(&base, cut, &flips);
        let (got, ok) = run(&ZEEK_CONN, &b, "json");
        proptest::prop_assert!(ok);
        if first_line_is_object(&b) {
            proptest::prop_assert_eq!(got.len(), ndjson_lines(&b));
        }
    }
}
