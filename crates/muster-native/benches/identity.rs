//! Throughput of the identity readers (Okta, Entra, Google Workspace) on ~20k-record NDJSON
//! files built from the test samples. Reports MB/s (criterion throughput) and prints records/s.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use muster_native::record::{Loc, Outcome};
use muster_native::source::{Input, Source};
use muster_native::sources::{entra::Entra, google_workspace::GoogleWorkspace, okta::Okta};

const RECORDS: usize = 20_000;

/// Sample records (one JSON object each) a synthetic file is made from.
fn templates(file: &str) -> Vec<serde_json::Value> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/samples")
        .join(file);
    let text = std::fs::read_to_string(&p).unwrap();
    if file.ends_with(".ndjson") {
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    } else {
        match serde_json::from_str(&text).unwrap() {
            serde_json::Value::Array(a) => a,
            v => vec![v],
        }
    }
}

/// Writes RECORDS lines cycling through the templates, each with its own address and time so
/// nothing is trivially repeated.
fn build(dir: &Path, name: &str, files: &[&str], ip_path: &[&str]) -> PathBuf {
    let mut ts: Vec<serde_json::Value> = files.iter().flat_map(|f| templates(f)).collect();
    ts.retain(|t| t.is_object());
    let p = dir.join(name);
    let mut out = std::io::BufWriter::new(std::fs::File::create(&p).unwrap());
    for i in 0..RECORDS {
        let mut v = ts[i % ts.len()].clone();
        let mut cur = &mut v;
        for k in &ip_path[..ip_path.len() - 1] {
            cur = &mut cur[*k];
        }
        if cur.is_object() {
            cur[ip_path[ip_path.len() - 1]] =
                format!("198.51.{}.{}", (i / 250) % 250, i % 250).into();
        }
        serde_json::to_writer(&mut out, &v).unwrap();
        out.write_all(b"\n").unwrap();
    }
    out.flush().unwrap();
    p
}

fn count(source: &dyn Source, path: &Path) -> (u64, u64) {
    let input = Input::new(path).unwrap();
    let (mut n, mut mapped) = (0u64, 0u64);
    let mut sink = |_: Loc, o: Outcome| {
        n += 1;
        if matches!(o, Outcome::Rows(_)) {
            mapped += 1;
        }
        Ok(())
    };
    source.read(&input, &mut sink).unwrap();
    (n, mapped)
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, &dyn Source, PathBuf)> = vec![
        (
            "okta",
            &Okta,
            build(
                dir.path(),
                "okta.ndjson",
                &[
                    "okta/panther_okta_systemlog_tests.ndjson",
                    "okta/synthetic_okta_api_drift.json",
                ],
                &["client", "ipAddress"],
            ),
        ),
        (
            "entra",
            &Entra,
            build(
                dir.path(),
                "entra.ndjson",
                &[
                    "entra_signin/panther_azure_signin_tests.ndjson",
                    "entra_signin/msgraph_beta_signin_get_example.json",
                    "entra_signin/synthetic_signinlogs_la.ndjson",
                ],
                &["properties", "ipAddress"],
            ),
        ),
        (
            "google_workspace",
            &GoogleWorkspace,
            build(
                dir.path(),
                "gws.ndjson",
                &[
                    "google_workspace/azure_sentinel_GWorkspace_ReportsAPI_login_CL.json",
                    "google_workspace/synthetic_gworkspace_la_flat.ndjson",
                ],
                &["ipAddress"],
            ),
        ),
    ];
    let mut g = c.benchmark_group("identity");
    g.sample_size(10);
    for (name, source, path) in &cases {
        let bytes = std::fs::metadata(path).unwrap().len();
        let t = Instant::now();
        let (n, mapped) = count(*source, path);
        let secs = t.elapsed().as_secs_f64();
        println!(
            "{name}: {n} records ({mapped} mapped), {:.1} MB, single pass {:.0} records/s, {:.1} MB/s",
            bytes as f64 / 1e6,
            n as f64 / secs,
            bytes as f64 / 1e6 / secs
        );
        g.throughput(Throughput::Bytes(bytes));
        g.bench_function(*name, |b| b.iter(|| count(*source, path)));
        // Floor: the shared JSON record splitter and parser alone, no mapping.
        g.bench_function(format!("{name}_parse_only"), |b| {
            b.iter(|| {
                let input = Input::new(path).unwrap();
                let mut sink = |_: Loc, _: Outcome| Ok(());
                muster_native::json::for_each_record(&input, &[], &mut sink, &mut |_| {
                    Outcome::Skip("parse only".into())
                })
                .unwrap()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
