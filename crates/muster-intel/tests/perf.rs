//! Lookup throughput (ignored by default; run with
//! `cargo test -p muster-intel --release --test perf -- --ignored --nocapture`).

use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Instant;

use muster_intel::ip::IpIntel;

/// Deterministic pseudo-random addresses (xorshift), half IPv4, a quarter of them inside listed ranges.
fn addresses(n: usize) -> Vec<IpAddr> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.push(if i % 2 == 0 {
            IpAddr::V4(Ipv4Addr::from(x as u32))
        } else if i % 4 == 1 {
            IpAddr::V6(Ipv6Addr::from(((0x2001_0ac8u128) << 96) | u128::from(x)))
        } else {
            IpAddr::V6(Ipv6Addr::from((u128::from(x) << 64) | u128::from(x)))
        });
    }
    out
}

#[test]
#[ignore]
fn lookups_per_second() {
    let intel = IpIntel::embedded();
    let addrs = addresses(1 << 20);
    let start = Instant::now();
    let mut hits = 0usize;
    let rounds = 5;
    for _ in 0..rounds {
        for a in &addrs {
            if !black_box(intel.lookup(black_box(*a))).is_empty() {
                hits += 1;
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let rate = (addrs.len() * rounds) as f64 / secs;
    println!("{:.1} M lookups/s ({hits} hits)", rate / 1e6);
    if !cfg!(debug_assertions) {
        assert!(rate >= 5e6, "only {:.1} M lookups/s", rate / 1e6);
    }
}

#[test]
#[ignore]
fn info_lookups_per_second() {
    let intel = IpIntel::embedded();
    let addrs = addresses(1 << 20);
    let _ = intel.info(addrs[0]); // parse the ASN and country databases first
    let start = Instant::now();
    let mut hits = 0usize;
    let rounds = 5;
    for _ in 0..rounds {
        for a in &addrs {
            let info = black_box(intel.info(black_box(*a)));
            hits += usize::from(info.asn.is_some() && info.country.is_some());
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let rate = (addrs.len() * rounds) as f64 / secs;
    println!(
        "info(): {:.1} M lookups/s ({hits} with ASN and country)",
        rate / 1e6
    );
    if !cfg!(debug_assertions) {
        assert!(rate >= 5e6, "only {:.1} M info() lookups/s", rate / 1e6);
    }
}

#[test]
#[ignore]
fn load_and_match_timings() {
    use muster_intel::kvm::KvmCatalogue;
    use muster_intel::rmm::RmmCatalogue;
    let t = Instant::now();
    let _ = IpIntel::embedded();
    println!("IpIntel::embedded() first call: {:?}", t.elapsed());
    let t = Instant::now();
    let cat = RmmCatalogue::embedded();
    println!("RmmCatalogue::embedded() first call: {:?}", t.elapsed());
    let t = Instant::now();
    let _ = KvmCatalogue::embedded();
    println!("KvmCatalogue::embedded() first call: {:?}", t.elapsed());
    println!("ip: {:?}", IpIntel::embedded().stats());
    println!("rmm: {:?}", cat.stats());
    println!("kvm rows: {}", KvmCatalogue::embedded().len());
    let inputs = [
        r"C:\Program Files\Google\Chrome\Application\chrome.exe",
        "AnyDesk-8.0.9.exe",
        "svchost.exe",
        r"C:\Users\bob\AppData\Local\Microsoft\Teams\current\Teams.exe",
    ];
    let n = 20_000;
    let t = Instant::now();
    for _ in 0..n {
        for i in &inputs {
            black_box(cat.match_process(black_box(i)));
        }
    }
    let per = t.elapsed().as_secs_f64() / (n * inputs.len()) as f64;
    println!("match_process: {:.2} us/call", per * 1e6);
    let t = Instant::now();
    for _ in 0..n {
        black_box(cat.match_domain(black_box("outlook.office365.com")));
        black_box(cat.match_software(
            black_box("Microsoft Visual C++ 2015-2022 Redistributable"),
            None,
        ));
    }
    let per = t.elapsed().as_secs_f64() / (2 * n) as f64;
    println!("match_domain/match_software: {:.2} us/call", per * 1e6);
}
