//! Golden, sniffing and robustness tests of the Greenhouse, NACHA and OCSF readers.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use muster_native::sources::{greenhouse::Greenhouse, nacha::Nacha, ocsf::Ocsf};
use muster_native::{Input, Loc, Outcome, Sample, Source, testing::render};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/samples")
}

fn golden(source: &dyn Source, dir: &str, file: &str) {
    let p = samples().join(dir).join(file);
    let text = render(source, &p).unwrap_or_else(|e| panic!("{file}: {e}"));
    let name = format!("{dir}__{}", file.replace(['.', '-'], "_"));
    insta::assert_snapshot!(name, text);
}

// ---------------------------------------------------------------- golden: Greenhouse

#[test]
fn greenhouse_samples() {
    for f in [
        "candidates__01_the_candidate_object.json",
        "candidates__02_get_list_candidates.json",
        "applications__01_the_application_object.json",
        "candidate_events__02_candidate_hired.json",
        "employee_events__01_employee_updated_employee_updated.json",
        "synthetic_webhooks.ndjson",
    ] {
        golden(&Greenhouse, "greenhouse", f);
    }
}

// ---------------------------------------------------------------- golden: NACHA

#[test]
fn nacha_samples() {
    for f in [
        "examples_testdata_ppd-credit.ach",
        "test_testdata_ppd-debit.ach",
        "test_testdata_ppd-mixedDebitCredit.ach",
        "test_testdata_ppd-debit-fixedLength.ach",
        "test_testdata_extended-ascii.ach",
        "test_testdata_20110729A-invalid.ach",
        "synthetic_payroll.ach",
    ] {
        golden(&Nacha, "nacha", f);
    }
}

#[test]
fn nacha_fixed_length_equals_lines() {
    // The same file with its records run together (no line breaks) reads the same.
    let src =
        std::fs::read_to_string(samples().join("nacha/test_testdata_ppd-mixedDebitCredit.ach"))
            .unwrap();
    let joined: String = src.lines().map(|l| format!("{l:<94}")).collect();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("fixed.ach");
    std::fs::write(&p, &joined).unwrap();
    let a = render(
        &Nacha,
        &samples().join("nacha/test_testdata_ppd-mixedDebitCredit.ach"),
    )
    .unwrap();
    let b = render(&Nacha, &p).unwrap();
    let strip = |s: &str| -> Vec<String> {
        s.lines()
            .map(|l| l.split_once(' ').map_or(l, |x| x.1).to_string())
            .collect()
    };
    assert_eq!(strip(&a), strip(&b));
    assert!(b.starts_with("R1 skip: file header"));
}

#[test]
fn nacha_latin1_bytes_do_not_stop_the_file() {
    let src = std::fs::read(samples().join("nacha/test_testdata_extended-ascii.ach")).unwrap();
    // Re-encode the one non-ASCII character as a single Latin-1 byte: the file is no longer UTF-8.
    let text = String::from_utf8(src).unwrap();
    let latin1: Vec<u8> = text
        .chars()
        .map(|c| {
            if (c as u32) < 256 {
                c as u32 as u8
            } else {
                0xfc
            }
        })
        .collect();
    assert!(std::str::from_utf8(&latin1).is_err());
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("latin1.ach");
    std::fs::write(&p, &latin1).unwrap();
    let out = render(&Nacha, &p).unwrap();
    assert!(
        out.contains("account_holder_name=\"Distracted Au\u{fc}tin\""),
        "{out}"
    );
    assert!(
        out.ends_with("records=18 mapped=6 skipped=12 rejected=0\n"),
        "{out}"
    );
}

#[test]
fn nacha_rejections_never_show_accounts() {
    let out = render(&Nacha, &samples().join("nacha/synthetic_payroll.ach")).unwrap();
    for line in out.lines().filter(|l| l.contains("reject:")) {
        for secret in ["000123456789", "011000016", "000777000111", "000222333444"] {
            assert!(!line.contains(secret), "{line}");
        }
    }
    assert!(out.contains("…0016 fails the ABA check digit"), "{out}");
}

// ---------------------------------------------------------------- golden: OCSF

#[test]
fn ocsf_samples() {
    for f in [
        "synthetic_events.ndjson",
        "synthetic_array.json",
        "security_lake_like.parquet",
    ] {
        golden(&Ocsf, "ocsf", f);
    }
}

/// Writes `security_lake_like.parquet` from the NDJSON next to it (nested structs inferred).
fn write_parquet(ndjson: &Path, out: &Path) {
    use arrow::json::ReaderBuilder;
    use arrow::json::reader::infer_json_schema;
    use std::io::BufReader;
    let f = std::fs::File::open(ndjson).unwrap();
    let (schema, _) = infer_json_schema(BufReader::new(f), None).unwrap();
    let schema = Arc::new(schema);
    let f = std::fs::File::open(ndjson).unwrap();
    let reader = ReaderBuilder::new(schema.clone())
        .build(BufReader::new(f))
        .unwrap();
    let file = std::fs::File::create(out).unwrap();
    let mut w = parquet::arrow::ArrowWriter::try_new(file, schema, None).unwrap();
    for b in reader {
        w.write(&b.unwrap()).unwrap();
    }
    w.close().unwrap();
}

#[test]
fn parquet_fixture_is_reproducible() {
    let src = samples().join("ocsf/security_lake_like.ndjson");
    let committed = samples().join("ocsf/security_lake_like.parquet");
    if std::env::var_os("MUSTER_REGEN").is_some() {
        write_parquet(&src, &committed);
    }
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("x.parquet");
    write_parquet(&src, &fresh);
    let a = render(&Ocsf, &committed).unwrap();
    let b = render(&Ocsf, &fresh).unwrap();
    assert_eq!(a, b);
    // The same events as JSON map to the same rows.
    let j = render(&Ocsf, &src).unwrap();
    let rows = |s: &str| -> Vec<String> {
        s.lines()
            .map(|l| l.split_once(' ').map_or(l, |x| x.1).to_string())
            .collect()
    };
    assert_eq!(rows(&a), rows(&j));
}

// ---------------------------------------------------------------- sniffing

fn readers() -> Vec<&'static dyn Source> {
    muster_native::registry().to_vec()
}

fn winner(path: &Path) -> Option<&'static str> {
    let head = Input::new(path).and_then(|i| i.head()).ok()?;
    let name = path.file_name()?.to_string_lossy().into_owned();
    let s = Sample {
        file_name: &name,
        head: &head,
        tail: &[],
    };
    readers()
        .into_iter()
        .filter_map(|r| r.sniff(&s).map(|c| (c, r.name())))
        .filter(|(c, _)| *c > 0)
        .max_by_key(|(c, _)| *c)
        .map(|(_, n)| n)
}

fn sample_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(sample_files(&p));
        } else {
            let n = p.file_name().unwrap().to_string_lossy().to_string();
            if !(n.starts_with("SOURCE")
                || n.starts_with("LICENSE")
                || n.ends_with(".snap")
                || n.ends_with(".manifest.txt")
                || n.ends_with(".md"))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn check_sniff(root: &Path) {
    let mine = ["greenhouse", "nacha", "ocsf"];
    for p in sample_files(root) {
        let folder = p
            .strip_prefix(root)
            .unwrap()
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .to_string();
        let got = winner(&p);
        let expect = match folder.as_str() {
            "greenhouse" | "hr_ats" => Some("greenhouse"),
            "nacha" | "payroll_nacha" => Some("nacha"),
            // (The shared samples' `ocsf` folder holds the schema, not events.)
            "ocsf" if !p.to_string_lossy().contains("schema-") => Some("ocsf"),
            _ => None,
        };
        match expect {
            Some(e) => assert_eq!(got, Some(e), "{}", p.display()),
            None => assert!(
                !got.is_some_and(|g| mine.contains(&g)),
                "{} claimed by {got:?}",
                p.display()
            ),
        }
    }
}

#[test]
fn sniff_picks_the_right_reader() {
    check_sniff(&samples());
    // Other formats' samples (a local folder, e.g. /work/shared/samples) must not be claimed.
    if let Some(extra) = std::env::var_os("MUSTER_EXTRA_SAMPLES") {
        check_sniff(Path::new(&extra));
    }
}

// ---------------------------------------------------------------- robustness

fn read_all(source: &dyn Source, bytes: &[u8], ext: &str) -> (u64, Result<(), String>) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(format!("x.{ext}"));
    std::fs::write(&p, bytes).unwrap();
    let input = Input::new(&p).unwrap();
    let mut n = 0u64;
    let mut sink = |_: Loc, o: Outcome| {
        if let Outcome::Reject { reason, .. } = &o {
            assert!(!reason.is_empty());
        }
        n += 1;
        Ok(())
    };
    let r = source.read(&input, &mut sink).map_err(|e| e.to_string());
    (n, r)
}

fn mutate(src: &[u8], cut: usize, flips: &[(usize, u8)]) -> Vec<u8> {
    let mut b = src[..cut.min(src.len())].to_vec();
    for (i, v) in flips {
        if !b.is_empty() {
            let i = i % b.len();
            b[i] = *v;
        }
    }
    b
}

/// Non-blank records that are not all-`9` padding (line mode).
fn nacha_records(b: &[u8]) -> u64 {
    b.split(|&c| c == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .filter(|l| {
            let t = l.trim_ascii();
            let padding = t.len() >= 10 && t.iter().all(|&c| c == b'9');
            !t.is_empty() && !padding
        })
        .count() as u64
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    #[test]
    fn nacha_mutations_are_all_accounted_for(
        cut in 0usize..2000,
        flips in proptest::collection::vec((0usize..2000, 0u8..=255), 0..6),
    ) {
        let src = std::fs::read(samples().join("nacha/test_testdata_extended-ascii.ach")).unwrap();
        let flips: Vec<(usize, u8)> = flips.into_iter().filter(|(_, v)| *v != b'\n' && *v != b'\r').collect();
        let b = mutate(&src, cut, &flips);
        let (n, r) = read_all(&Nacha, &b, "ach");
        proptest::prop_assert!(r.is_ok(), "{r:?}");
        let lines = b.split(|&c| c == b'\n').filter(|l| !l.trim_ascii().is_empty()).count();
        if lines > 1 {
            proptest::prop_assert_eq!(n, nacha_records(&b));
        }
    }

    #[test]
    fn nacha_fixed_length_mutations(
        cut in 0usize..480,
        flips in proptest::collection::vec((0usize..480, 0u8..=255), 0..6),
    ) {
        let src = std::fs::read(samples().join("nacha/test_testdata_ppd-debit-fixedLength.ach")).unwrap();
        let flips: Vec<(usize, u8)> = flips.into_iter().filter(|(_, v)| *v != b'\n').collect();
        let (_, r) = read_all(&Nacha, &mutate(&src, cut, &flips), "ach");
        proptest::prop_assert!(r.is_ok(), "{r:?}");
    }

    #[test]
    fn greenhouse_mutations_never_panic_and_count(
        which in 0usize..3,
        cut in 0usize..8000,
        flips in proptest::collection::vec((0usize..8000, 0u8..=255), 0..6),
    ) {
        let f = ["synthetic_webhooks.ndjson", "candidates__02_get_list_candidates.json", "candidate_events__02_candidate_hired.json"][which];
        let src = std::fs::read(samples().join("greenhouse").join(f)).unwrap();
        let b = mutate(&src, cut, &flips);
        let (n, r) = read_all(&Greenhouse, &b, "json");
        proptest::prop_assert!(r.is_ok(), "{r:?}");
        // As many outcomes as the JSON layer sees records.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("y.json");
        std::fs::write(&p, &b).unwrap();
        let mut m = 0u64;
        let mut sink = |_: Loc, _: Outcome| { m += 1; Ok(()) };
        muster_native::json::for_each_record(&Input::new(&p).unwrap(), muster_native::sources::greenhouse::WRAPPERS, &mut sink, &mut |_| Outcome::Skip("x".into())).unwrap();
        proptest::prop_assert_eq!(n, m);
    }

    #[test]
    fn ocsf_mutations_never_panic(
        which in 0usize..2,
        cut in 0usize..9000,
        flips in proptest::collection::vec((0usize..9000, 0u8..=255), 0..6),
    ) {
        let f = ["synthetic_events.ndjson", "synthetic_array.json"][which];
        let src = std::fs::read(samples().join("ocsf").join(f)).unwrap();
        let (_, r) = read_all(&Ocsf, &mutate(&src, cut, &flips), "json");
        proptest::prop_assert!(r.is_ok(), "{r:?}");
    }

    #[test]
    fn ocsf_parquet_mutations_never_panic(
        cut in 0usize..20000,
        flips in proptest::collection::vec((0usize..20000, 0u8..=255), 0..4),
    ) {
        let src = std::fs::read(samples().join("ocsf/security_lake_like.parquet")).unwrap();
        let (_, _r) = read_all(&Ocsf, &mutate(&src, cut, &flips), "parquet");
        // A damaged footer is a file-level error; a damaged page a rejection. Neither panics.
    }
}
