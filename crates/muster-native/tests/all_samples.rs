//! Every sample file, through the whole registry: content sniffing picks the right reader with no
//! hint, and staging them all together accounts for every record (per file: records = mapped +
//! skipped + rejected; per table: read = accepted + rejected; every rejection is in the log).

use std::path::{Path, PathBuf};

use muster_native::convert::{Converter, sniff};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/samples")
}

/// The reader each sample folder's data files must be recognised as.
const EXPECTED: &[(&str, &str)] = &[
    ("okta", "okta"),
    ("entra_signin", "entra"),
    ("google_workspace", "google_workspace"),
    ("greenhouse", "greenhouse"),
    ("nacha", "nacha"),
    ("ocsf", "ocsf"),
    ("osquery", "osquery"),
    ("windows", "windows"),
    ("zeek", "zeek-conn"),
];

fn is_doc(name: &str) -> bool {
    name == "SOURCE.txt"
        || name == "SYNTHETIC.txt"
        || name.starts_with("LICENSE")
        || name.ends_with(".manifest.txt")
}

fn data_files() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for (folder, reader) in EXPECTED {
        let mut files: Vec<PathBuf> = std::fs::read_dir(samples().join(folder))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| !is_doc(p.file_name().unwrap().to_str().unwrap()))
            .collect();
        files.sort();
        assert!(!files.is_empty(), "no samples in {folder}");
        for f in files {
            out.push((reader.to_string(), f));
        }
    }
    out
}

#[test]
fn every_sample_is_recognised_by_content() {
    let mut wrong = Vec::new();
    for (reader, path) in data_files() {
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        match sniff(&path) {
            Ok(f) if f.source.name() == reader => {}
            // A zip archive is not a format muster reads: it must be reported, not guessed.
            Err(_) if name.ends_with(".zip") => {}
            Ok(f) => wrong.push(format!(
                "{name}: sniffed as {}, want {reader}",
                f.source.name()
            )),
            Err(e) => wrong.push(format!("{name}: {e}")),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn staging_every_sample_accounts_for_every_record() {
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("rejected.ndjson");
    let rejects = muster_ingest::RejectLog::create(&log).unwrap();
    let mut conv = Converter::new(&tmp.path().join("stage"), &rejects);
    for (_, path) in data_files() {
        if let Ok(f) = sniff(&path) {
            match conv.add(&f) {
                Ok(()) => {}
                // A truncated .evtx (128 bytes of a 4096-byte header) is unreadable as a whole:
                // a clear file-level error naming it, not a crash.
                Err(e) if path.ends_with("synthetic_header_only.evtx") => {
                    assert!(e.to_string().contains("synthetic_header_only.evtx"), "{e}");
                }
                Err(e) => panic!("{}: {e}", path.display()),
            }
        }
    }
    let report = conv.finish().unwrap();
    let mut rejected = 0;
    for f in &report.files {
        assert_eq!(f.records, f.mapped + f.skipped + f.rejected, "{f:?}");
        rejected += f.rejected;
    }
    for t in &report.tables {
        assert_eq!(t.read, t.accepted + t.rejected, "{t:?}");
        rejected += t.rejected;
    }
    let logged = std::fs::read_to_string(&log).unwrap().lines().count() as u64;
    assert_eq!(
        logged, rejected,
        "rejection log lines vs counted rejections"
    );
    // Every table the readers can produce from the samples is there.
    let tables: Vec<&str> = report.tables.iter().map(|t| t.table.as_str()).collect();
    for t in [
        "people",
        "signins",
        "activity",
        "processes",
        "software",
        "peripherals",
        "device_presence",
        "network",
        "payroll",
    ] {
        assert!(
            tables.contains(&t),
            "no {t} rows from the samples: {tables:?}"
        );
    }
    // Sensitive values never reach the rejection log in clear.
    let text = std::fs::read_to_string(&log).unwrap();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if v["column"] == "bank_account" || v["column"] == "national_id" {
            let shown = v["value"].as_str().unwrap_or("");
            assert!(
                shown.chars().filter(char::is_ascii_digit).count() <= 4,
                "{line}"
            );
        }
    }
}

/// A Parquet file far bigger than the sniffing head keeps its schema in the footer: the tail is
/// sniffed too, so no `--source` hint is needed.
#[test]
fn large_ocsf_parquet_is_recognised_from_its_footer() {
    use std::sync::Arc;

    use arrow::array::{ArrayRef, Int64Array, StringArray};
    use arrow::record_batch::RecordBatch;

    let n = 60_000i64;
    let cols: Vec<(&str, ArrayRef)> = vec![
        (
            "class_uid",
            Arc::new(Int64Array::from(vec![4001; n as usize])),
        ),
        (
            "category_uid",
            Arc::new(Int64Array::from(vec![4; n as usize])),
        ),
        (
            "time",
            Arc::new(Int64Array::from_iter_values(
                (0..n).map(|i| 1_767_607_200_000 + i * 7_919),
            )),
        ),
        (
            "message",
            Arc::new(StringArray::from_iter_values((0..n).map(|i| {
                format!("flow {} to {}", i * 104_729 % 999_983, i * 7_919 % 65_521)
            }))),
        ),
    ];
    let batch = RecordBatch::try_from_iter(cols).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("part-00000.parquet");
    let file = std::fs::File::create(&path).unwrap();
    let mut w = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() > 2 * 64 * 1024);
    let f = sniff(&path).unwrap();
    assert_eq!(f.source.name(), "ocsf");
}
