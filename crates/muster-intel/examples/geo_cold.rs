//! Cold parse time of each embedded geography dataset, then lookup throughput:
//! `cargo run -p muster-intel --release --example geo_cold`.

use std::hint::black_box;
use std::time::Instant;

use muster_intel::geo::{AreaCodes, DisposableDomains, Zips};

fn timed<T>(name: &str, f: impl FnOnce() -> T) -> (T, f64) {
    let start = Instant::now();
    let out = f();
    let ms = start.elapsed().as_secs_f64() * 1e3;
    println!("{name:<20} {ms:8.1} ms");
    (out, ms)
}

fn per_second(name: &str, n: usize, mut f: impl FnMut(usize) -> bool) {
    let start = Instant::now();
    let hits = (0..n).filter(|&i| f(i)).count();
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{name:<20} {:8.1} M lookups/s ({hits} hits of {n})",
        n as f64 / secs / 1e6
    );
}

fn main() {
    let (zips, a) = timed("zips (geonames+zcta)", Zips::embedded);
    let (codes, b) = timed("area codes", AreaCodes::embedded);
    let (disposable, c) = timed("disposable domains", DisposableDomains::embedded);
    println!("{:<20} {:8.1} ms", "total", a + b + c);
    println!(
        "{} ZIPs, {} area codes, {} disposable domains",
        zips.len(),
        codes.len(),
        disposable.len()
    );

    let n = 2_000_000;
    let zip_inputs: Vec<String> = (0..4096)
        .map(|i| format!("{:05}", (i * 24_413) % 100_000))
        .collect();
    per_second("zip lookup", n, |i| {
        zips.lookup(black_box(&zip_inputs[i % zip_inputs.len()]))
            .is_some()
    });
    let numbers: Vec<String> = (0..4096)
        .map(|i| format!("+1{}555{:04}", 200 + (i * 7) % 800, i))
        .collect();
    per_second("area code (E.164)", n, |i| {
        codes
            .lookup_number(black_box(&numbers[i % numbers.len()]))
            .is_some()
    });
    let emails: Vec<String> = (0..4096)
        .map(|i| match i % 3 {
            0 => format!("user{i}@mailinator.com"),
            1 => format!("user{i}@mail.sub{i}.example.org"),
            _ => format!("user{i}@gmail.com"),
        })
        .collect();
    per_second("is_disposable", n, |i| {
        disposable.is_disposable(black_box(&emails[i % emails.len()]))
    });
}
