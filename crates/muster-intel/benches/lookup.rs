//! Lookup benchmarks: `cargo bench -p muster-intel`.

use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use muster_intel::ip::IpIntel;
use muster_intel::rmm::RmmCatalogue;

fn addresses(n: usize) -> Vec<IpAddr> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..n)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            if i % 2 == 0 {
                IpAddr::V4(Ipv4Addr::from(x as u32))
            } else {
                IpAddr::V6(Ipv6Addr::from(((0x2001_0ac8u128) << 96) | u128::from(x)))
            }
        })
        .collect()
}

fn ip_lookup(c: &mut Criterion) {
    let intel = IpIntel::embedded();
    let addrs = addresses(4096);
    let mut g = c.benchmark_group("ip");
    g.throughput(Throughput::Elements(addrs.len() as u64));
    g.bench_function("lookup_4096_mixed", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for a in &addrs {
                n += usize::from(!intel.lookup(black_box(*a)).is_empty());
            }
            n
        })
    });
    // First use parses the ASN and country databases; keep it out of the measurement.
    let _ = intel.info(IpAddr::V4(Ipv4Addr::new(8, 8, 8, 8)));
    g.bench_function("info_4096_mixed", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for a in &addrs {
                let info = intel.info(black_box(*a));
                n += usize::from(info.asn.is_some()) + usize::from(info.country.is_some());
            }
            n
        })
    });
    g.bench_function("asn_4096_mixed", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for a in &addrs {
                n += usize::from(intel.asn(black_box(*a)).is_some());
            }
            n
        })
    });
    g.bench_function("country_4096_mixed", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for a in &addrs {
                n += usize::from(intel.country(black_box(*a)).is_some());
            }
            n
        })
    });
    g.finish();
}

fn rmm_match(c: &mut Criterion) {
    let cat = RmmCatalogue::embedded();
    let mut g = c.benchmark_group("rmm");
    g.bench_function("match_process_path_miss", |b| {
        b.iter(|| {
            cat.match_process(black_box(
                r"C:\Program Files\Google\Chrome\Application\chrome.exe",
            ))
        })
    });
    g.bench_function("match_process_hit", |b| {
        b.iter(|| cat.match_process(black_box("AnyDesk-8.0.9.exe")))
    });
    g.bench_function("match_domain_miss", |b| {
        b.iter(|| cat.match_domain(black_box("outlook.office365.com")))
    });
    g.bench_function("match_software_miss", |b| {
        b.iter(|| {
            cat.match_software(
                black_box("Microsoft Visual C++ 2015-2022 Redistributable"),
                None,
            )
        })
    });
    g.finish();
}

criterion_group!(benches, ip_lookup, rmm_match);
criterion_main!(benches);
