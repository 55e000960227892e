//! Hot paths of entity resolution: string similarity, a whole resolution of febrl3 (5,000
//! records), and resolving one new record against an index.
//!
//! `cargo bench -p muster-resolve --bench resolve`

use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use muster_resolve::input::{parse_columns, read_people};
use muster_resolve::strings::{jaro_winkler, jaro_winkler_min};
use muster_resolve::{Index, Record, Settings, resolve};

fn febrl3() -> (Vec<Record>, Settings) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/febrl3.csv");
    let map = parse_columns(
        "record_id=person_id,surname=family_name,street_number=address_line1,address_1=address_line1,\
         address_2=address_line2,suburb=city,postcode=postal_code,state=region,soc_sec_id=national_id",
    )
    .unwrap_or_default();
    let loaded = read_people(&path, &map).unwrap_or_default();
    let settings = Settings {
        attr_names: loaded.attr_names.clone(),
        threads: 1,
        ..Settings::default()
    };
    (loaded.records, settings)
}

fn bench(c: &mut Criterion) {
    c.bench_function("jaro_winkler names", |b| {
        b.iter(|| {
            jaro_winkler(
                std::hint::black_box("katherine"),
                std::hint::black_box("kathryn"),
            )
        })
    });
    c.bench_function("jaro_winkler_min rejects", |b| {
        b.iter(|| {
            jaro_winkler_min(
                std::hint::black_box("maria.gonzalez90@gmail.com"),
                std::hint::black_box("kpark88@outlook.com"),
                0.9,
            )
        })
    });
    let (records, settings) = febrl3();
    let mut g = c.benchmark_group("resolve");
    g.sample_size(10);
    g.bench_function("febrl3 5,000 records, 1 thread", |b| {
        b.iter(|| resolve(&records, &settings).map(|r| r.stats.clusters))
    });
    g.finish();
    // an index of the first 4,500 records; each iteration adds one of the last 500 to a fresh
    // copy (the copy is made outside the timed part)
    if let Ok((index, _)) = Index::build(&records[..4500], settings.clone()) {
        let mut k = 0usize;
        c.bench_function("Index::add one record (4,500 known)", |b| {
            b.iter_batched(
                || {
                    k += 1;
                    (index.clone(), records[4500 + k % 500].clone())
                },
                // the index is returned so that dropping it is not timed
                |(mut ix, r)| {
                    let n = ix.add(&r).map(|a| a.compared);
                    (ix, n)
                },
                criterion::BatchSize::LargeInput,
            )
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
