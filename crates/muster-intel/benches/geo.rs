//! Geography lookups: `cargo bench -p muster-intel --bench geo`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use muster_intel::geo::{AreaCodes, DisposableDomains, Zips, haversine_km};

/// Deterministic mix of ZIP-like inputs (xorshift): plain, ZIP+4, lost leading zero.
fn zip_inputs(n: usize) -> Vec<String> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..n)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let z = x % 100_000;
            match i % 3 {
                0 => format!("{z:05}"),
                1 => format!("{z:05}-{:04}", x % 10_000),
                _ => format!("{z}"),
            }
        })
        .collect()
}

fn geo(c: &mut Criterion) {
    let zips = Zips::embedded();
    let codes = AreaCodes::embedded();
    let disposable = DisposableDomains::embedded();
    let inputs = zip_inputs(4096);
    let numbers: Vec<String> = (0..4096)
        .map(|i| format!("+1 ({}) 555-{:04}", 200 + (i * 7) % 800, i))
        .collect();
    let emails: Vec<String> = (0..4096)
        .map(|i| match i % 4 {
            0 => format!("user{i}@mailinator.com"),
            1 => format!("user{i}@sub{i}.example.org"),
            2 => format!("user{i}@gmail.com"),
            _ => format!("a.b.c.d{i}.dynv6.net"),
        })
        .collect();

    let mut g = c.benchmark_group("geo");
    g.throughput(Throughput::Elements(4096));
    g.bench_function("zip_lookup_4096", |b| {
        b.iter(|| {
            inputs
                .iter()
                .filter(|s| zips.lookup(black_box(s)).is_some())
                .count()
        })
    });
    g.bench_function("area_code_number_4096", |b| {
        b.iter(|| {
            numbers
                .iter()
                .filter(|s| codes.lookup_number(black_box(s)).is_some())
                .count()
        })
    });
    g.bench_function("is_disposable_4096", |b| {
        b.iter(|| {
            emails
                .iter()
                .filter(|s| disposable.is_disposable(black_box(s)))
                .count()
        })
    });
    g.bench_function("haversine_4096", |b| {
        b.iter(|| {
            (0..4096)
                .map(|i| {
                    let f = f64::from(i);
                    haversine_km(
                        black_box(f * 0.01),
                        -122.0,
                        40.0,
                        black_box(-74.0 + f * 0.001),
                    )
                })
                .sum::<f64>()
        })
    });
    g.finish();
}

criterion_group!(benches, geo);
criterion_main!(benches);
