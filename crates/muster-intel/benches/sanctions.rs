//! Sanctions matching benchmarks: `cargo bench -p muster-intel --bench sanctions`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use muster_intel::sanctions::Sanctions;

const FIRST: &[&str] = &[
    "John",
    "Maria",
    "Wei",
    "Ahmed",
    "Olga",
    "Carlos",
    "Priya",
    "Jong Un",
    "Yong Chol",
    "Anna",
    "Michael",
    "Fatima",
    "Sergei",
    "Li",
    "Hyun",
    "David",
    "Ivan",
    "Mohammed",
    "Sarah",
    "Kenji",
];
const LAST: &[&str] = &[
    "Smith", "Garcia", "Kim", "Ivanov", "Chen", "Pak", "Nguyen", "Hassan", "Muller", "Lee",
    "Brown", "Rossi", "Choe", "Patel", "Kowalski", "Ri", "Johnson", "Tanaka", "Lopez", "Han",
];

/// A deterministic mix of ordinary two/three-token names, some listed names and variants.
fn queries(n: usize) -> Vec<String> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let listed = [
        "Korea Mining Development Trading Corp",
        "Gim Chong Un",
        "Lazarus Group",
        "Jang Yong Son",
    ];
    (0..n)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            if i % 50 == 0 {
                listed[(x as usize / 7) % listed.len()].to_string()
            } else {
                let f = FIRST[(x as usize) % FIRST.len()];
                let l = LAST[(x as usize / FIRST.len()) % LAST.len()];
                format!("{f} {l}")
            }
        })
        .collect()
}

fn name_matching(c: &mut Criterion) {
    let s = Sanctions::embedded();
    let qs = queries(2048);
    let mut g = c.benchmark_group("sanctions");
    g.throughput(Throughput::Elements(qs.len() as u64));
    g.bench_function("match_name", |b| {
        b.iter(|| {
            let mut n = 0;
            for q in &qs {
                n += s.match_name(black_box(q)).len();
            }
            n
        })
    });
    g.finish();
}

fn other_matching(c: &mut Criterion) {
    let s = Sanctions::embedded();
    c.bench_function("sanctions/match_crypto", |b| {
        b.iter(|| s.match_crypto(black_box("0x098B716B8Aaf21512996dC57EB0615e2383E2f96")))
    });
    c.bench_function("sanctions/match_domain", |b| {
        b.iter(|| s.match_domain(black_box("https://mail.silibank.net.kp/x")))
    });
}

/// Cold load: gunzip + parse the SDN CSV, build the indices, add the embedded address lists
/// (what `Sanctions::embedded()` does once per process).
fn cold_load(c: &mut Criterion) {
    let gz = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/sanctions/sdn.csv.gz"
    ))
    .unwrap_or_default();
    let mut g = c.benchmark_group("sanctions");
    g.sample_size(10);
    g.bench_function("cold_load", |b| {
        b.iter(|| {
            Sanctions::from_sdn_csv_reader(black_box(gz.as_slice()), "sdn.csv.gz").map(|s| s.len())
        })
    });
    g.finish();
}

criterion_group!(benches, name_matching, other_matching, cold_load);
criterion_main!(benches);
