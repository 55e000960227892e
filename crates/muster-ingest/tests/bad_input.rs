//! Bad input never crashes and never vanishes: each case checks the rejection log and the counts.

use std::io::Write;

use muster_ingest::{IngestError, IngestReport, RejectLog, ingest_dir};

const HEAD: &str = "person_id,record_type,full_name,date_of_birth,hired_at\n";

struct Run {
    report: Result<IngestReport, IngestError>,
    rejects: Vec<serde_json::Value>,
    _dir: tempfile::TempDir,
}

fn run_with(files: &[(&str, &[u8])]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    for (name, bytes) in files {
        let p = input.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(p, bytes).unwrap();
    }
    let log = dir.path().join("rejected.ndjson");
    let rejects = RejectLog::create(&log).unwrap();
    let report = ingest_dir(&input, &dir.path().join("stage"), &rejects, &|_| {});
    drop(rejects);
    let rejects = std::fs::read_to_string(&log)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    Run {
        report,
        rejects,
        _dir: dir,
    }
}

fn counts(r: &IngestReport, t: &str) -> (u64, u64, u64) {
    let t = r.table(t).unwrap();
    assert_eq!(t.read, t.accepted + t.rejected, "counts must add up");
    (t.read, t.accepted, t.rejected)
}

#[test]
fn malformed_row_is_rejected_with_its_line() {
    let csv = format!(
        "{HEAD}p1,employee,Ann,1990-01-01,2026-01-01T00:00:00Z\np2,employee,\"Bob, Jr\"\np3,employee,Cy,1991-02-03,\n"
    );
    let r = run_with(&[("people.csv", csv.as_bytes())]);
    let report = r.report.unwrap();
    assert_eq!(counts(&report, "people"), (3, 2, 1));
    assert_eq!(r.rejects.len(), 1);
    assert_eq!(r.rejects[0]["line"], 3);
    assert!(r.rejects[0]["reason"].as_str().unwrap().contains("fields"));
    assert!(
        r.rejects[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("people.csv")
    );
}

#[test]
fn wrong_type_names_column_and_masks_sensitive_value() {
    let csv =
        format!("{HEAD}p1,employee,Ann,01/02/1990,2026-01-01\np2,employee,Bo,1990-01-01,soon\n");
    let r = run_with(&[("people.csv", csv.as_bytes())]);
    assert_eq!(counts(&r.report.unwrap(), "people"), (2, 0, 2));
    assert_eq!(r.rejects[0]["column"], "date_of_birth");
    assert_eq!(
        r.rejects[0]["value"], "***90",
        "date of birth is sensitive: masked"
    );
    assert_eq!(r.rejects[1]["column"], "hired_at");
    assert_eq!(r.rejects[1]["value"], "soon");
    assert!(
        r.rejects[1]["reason"]
            .as_str()
            .unwrap()
            .contains("timestamp")
    );
}

#[test]
fn missing_required_column_is_fatal_and_named() {
    let r = run_with(&[("people.csv", b"person_id,full_name\np1,Ann\n")]);
    let err = r.report.unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, IngestError::MissingColumn { .. }));
    assert!(
        msg.contains("record_type") && msg.contains("people.csv"),
        "{msg}"
    );
}

#[test]
fn empty_file_is_an_empty_table() {
    let r = run_with(&[("people.csv", b""), ("signins.csv", b"")]);
    let report = r.report.unwrap();
    assert_eq!(counts(&report, "people"), (0, 0, 0));
    assert_eq!(counts(&report, "signins"), (0, 0, 0));
}

#[test]
fn binary_garbage_never_panics() {
    let mut garbage = vec![0u8, 159, 146, 150, 255, 0, 1, 2];
    garbage.extend((0..4000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    // As a CSV: the header cannot name the required columns.
    let r = run_with(&[("people.csv", &garbage)]);
    assert!(matches!(r.report, Err(IngestError::MissingColumn { .. })));
    // As NDJSON and Parquet tables next to a valid people file: records rejected or file refused.
    let ok = format!("{HEAD}p1,employee,Ann,1990-01-01,\n");
    let r = run_with(&[("people.csv", ok.as_bytes()), ("signins.ndjson", &garbage)]);
    let report = r.report.unwrap();
    let (read, accepted, _) = counts(&report, "signins");
    assert_eq!(accepted, 0);
    assert!(read > 0);
    let r = run_with(&[("people.csv", ok.as_bytes()), ("signins.parquet", &garbage)]);
    assert!(matches!(r.report, Err(IngestError::Parquet { .. })));
}

#[test]
fn non_utf8_bytes_reject_the_record() {
    let mut csv = HEAD.as_bytes().to_vec();
    csv.extend_from_slice(b"p1,employee,Ann \xff\xfe,1990-01-01,\np2,employee,Bo,1990-01-01,\n");
    let r = run_with(&[("people.csv", &csv)]);
    assert_eq!(counts(&r.report.unwrap(), "people"), (2, 1, 1));
    assert_eq!(r.rejects[0]["column"], "full_name");
    assert!(r.rejects[0]["reason"].as_str().unwrap().contains("UTF-8"));
}

#[test]
fn required_value_missing_and_duplicates() {
    let csv = format!("{HEAD}p1,employee,Ann,,\n,employee,Nobody,,\np1,employee,Ann again,,\n");
    let r = run_with(&[("people.csv", csv.as_bytes())]);
    assert_eq!(counts(&r.report.unwrap(), "people"), (3, 1, 2));
    assert_eq!(r.rejects[0]["column"], "person_id");
    assert!(
        r.rejects[1]["reason"]
            .as_str()
            .unwrap()
            .contains("duplicate")
    );
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

#[test]
fn formats_compression_partitions_and_case_insensitive_headers() {
    let people = "PERSON_ID,Record_Type,Full_Name\np1,employee,Ann\np2,employee,Bo\n";
    let s1 = "{\"TIME\":\"2026-01-05T10:00:00Z\",\"Account\":\"a@x\",\"src_ip\":\"73.1.1.1\",\"is_anonymous\":\"FALSE\"}\n\n{\"time\":1767607200,\"account\":\"b@x\",\"src_ip\":\"::ffff:73.1.1.2\",\"asn\":\"7922\"}\n";
    let s2 = "time,account,src_ip\n2026-01-05 11:00:00+02:00,c@x,73.1.1.3\n";
    let zst = zstd::encode_all(s2.as_bytes(), 3).unwrap();
    let r = run_with(&[
        ("people.csv.gz", &gz(people.as_bytes())),
        ("signins/day=2026-01-05/a.ndjson", s1.as_bytes()),
        ("signins/day=2026-01-06/b.csv.zst", &zst),
        ("signins/_SUCCESS", b""),
    ]);
    let report = r.report.unwrap();
    assert_eq!(counts(&report, "people"), (2, 2, 0));
    assert_eq!(counts(&report, "signins"), (3, 3, 0), "{:?}", r.rejects);
    assert_eq!(report.table("signins").unwrap().files.len(), 2);
}

#[test]
fn hive_partition_values_fill_missing_columns() {
    let people = "person_id,record_type,full_name\np1,employee,Ann\n";
    // The device id lives only in the folder name; the source column wins when present.
    let presence = "time,public_ip\n2026-01-05T10:00:00Z,73.1.1.1\n";
    let presence2 = "time,device_id,public_ip\n2026-01-05T10:00:00Z,WKS-9,73.1.1.1\n";
    let r = run_with(&[
        ("people.csv", people.as_bytes()),
        (
            "device_presence/device_id=WKS-1/day=2026-01-05/a.csv",
            presence.as_bytes(),
        ),
        (
            "device_presence/device_id=WKS-2/b.csv",
            presence2.as_bytes(),
        ),
    ]);
    let report = r.report.unwrap();
    assert_eq!(
        counts(&report, "device_presence"),
        (2, 2, 0),
        "{:?}",
        r.rejects
    );
    // Without the partition the first file would be rejected (device_id is required).
    let r = run_with(&[
        ("people.csv", people.as_bytes()),
        ("device_presence/day=2026-01-05/a.csv", presence.as_bytes()),
    ]);
    assert!(matches!(r.report, Err(IngestError::MissingColumn { .. })));
}

#[test]
fn parquet_input_round_trips_through_staging() {
    // Stage a CSV, then feed the staged Parquet back in as input.
    let people = "person_id,record_type,full_name,hired_at\np1,employee,Ann,2026-01-05T10:00:00Z\n";
    let r = run_with(&[("people.csv", people.as_bytes())]);
    r.report.unwrap();
    let staged = r._dir.path().join("stage/people/part-0.parquet");
    let bytes = std::fs::read(&staged).unwrap();
    let r2 = run_with(&[("people.parquet", &bytes)]);
    assert_eq!(counts(&r2.report.unwrap(), "people"), (1, 1, 0));
}

#[test]
fn no_people_table_is_a_clear_error() {
    let r = run_with(&[("signins.csv", b"time,account,src_ip\n")]);
    let msg = r.report.unwrap_err().to_string();
    assert!(msg.contains("no `people` table"), "{msg}");
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn any_bytes_after_a_valid_header_add_up(body in proptest::collection::vec(any::<u8>(), 0..600)) {
            let mut csv = HEAD.as_bytes().to_vec();
            csv.extend_from_slice(&body);
            let r = run_with(&[("people.csv", &csv)]);
            let report = r.report.unwrap();
            let t = report.table("people").unwrap();
            prop_assert_eq!(t.read, t.accepted + t.rejected);
            prop_assert_eq!(r.rejects.len() as u64, t.rejected);
        }

        #[test]
        fn any_ndjson_lines_add_up(lines in proptest::collection::vec("[ -~]{0,80}", 0..20)) {
            let ok = format!("{HEAD}p1,employee,Ann,1990-01-01,\n");
            let body = lines.join("\n");
            let r = run_with(&[("people.csv", ok.as_bytes()), ("signins.ndjson", body.as_bytes())]);
            let report = r.report.unwrap();
            let t = report.table("signins").unwrap();
            prop_assert_eq!(t.read, t.accepted + t.rejected);
        }
    }
}
