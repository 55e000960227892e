//! Hot paths of ingestion: timestamp parsing and a whole CSV table through validation and
//! staging. Run: `cargo bench -p muster-ingest`.

use std::fmt::Write as _;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn timestamps(c: &mut Criterion) {
    let forms = [
        "2026-01-05T10:00:00Z",
        "2026-01-05 12:00:00+02:00",
        "1767607200",
        "2026-01-05T10:00:00.1234567Z",
    ];
    let mut g = c.benchmark_group("parse_ts");
    g.throughput(Throughput::Elements(forms.len() as u64));
    g.bench_function("mixed forms", |b| {
        b.iter(|| {
            for f in forms {
                std::hint::black_box(muster_ingest::time::parse_ts(std::hint::black_box(f)).ok());
            }
        })
    });
    g.finish();
}

fn csv_table(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    std::fs::create_dir(&input).expect("mkdir");
    std::fs::write(
        input.join("people.csv"),
        "person_id,record_type,full_name\np1,employee,A\n",
    )
    .expect("write");
    let rows = 100_000u64;
    let mut s = String::from("time,account,src_ip,outcome,app,device_id,is_anonymous\n");
    for i in 0..rows {
        let _ = writeln!(
            s,
            "2026-01-{:02}T{:02}:{:02}:00Z,user{}@corp.example,73.{}.{}.{},success,Okta,WKS-{},false",
            1 + i % 28,
            i % 24,
            i % 60,
            i % 5000,
            i % 250,
            (i / 250) % 250,
            i % 200,
            i % 5000
        );
    }
    std::fs::write(input.join("signins.csv"), s).expect("write");
    let mut g = c.benchmark_group("ingest");
    g.sample_size(10);
    g.throughput(Throughput::Elements(rows));
    g.bench_function("signins.csv 100k rows", |b| {
        b.iter(|| {
            let out = dir.path().join("stage");
            let rejects =
                muster_ingest::RejectLog::create(&dir.path().join("rejected.ndjson")).expect("log");
            let r = muster_ingest::ingest_dir(&input, &out, &rejects, &|_| {}).expect("ingest");
            assert_eq!(r.table("signins").map(|t| t.accepted), Some(rows));
        })
    });
    g.finish();
}

criterion_group!(benches, timestamps, csv_table);
criterion_main!(benches);
