//! First-use parse time of every embedded dataset. Run in release:
//! `cargo run -p muster-intel --release --example cold_start`.

use std::time::Instant;

use muster_intel::ip::{AsnDb, CountryDb, IpIntel};
use muster_intel::kvm::KvmCatalogue;
use muster_intel::rmm::RmmCatalogue;

fn time<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let out = f();
    println!("{name:<44} {:>8.1} ms", t.elapsed().as_secs_f64() * 1e3);
    out
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let files: [(&str, &[u8]); 4] = [
        (
            "asn-ipv4.csv.gz",
            include_bytes!("../../../data/ip/asn-ipv4.csv.gz"),
        ),
        (
            "asn-ipv6.csv.gz",
            include_bytes!("../../../data/ip/asn-ipv6.csv.gz"),
        ),
        (
            "geo-whois-asn-country-ipv4.csv.gz",
            include_bytes!("../../../data/ip/geo-whois-asn-country-ipv4.csv.gz"),
        ),
        (
            "geo-whois-asn-country-ipv6.csv.gz",
            include_bytes!("../../../data/ip/geo-whois-asn-country-ipv6.csv.gz"),
        ),
    ];
    println!("-- one file at a time, single thread --");
    for (name, bytes) in &files[..2] {
        let db = time(&format!("AsnDb::parse({name})"), || {
            AsnDb::parse(bytes, name)
        })?;
        println!("{:>44} {:?} ranges", "", db.len());
    }
    for (name, bytes) in &files[2..] {
        let db = time(&format!("CountryDb::parse({name})"), || {
            CountryDb::parse(bytes, name)
        })?;
        println!("{:>44} {:?} ranges", "", db.len());
    }
    println!("-- first use of the embedded data (as the tool sees it) --");
    let total = Instant::now();
    time("IpIntel::embedded() (tag lists)", IpIntel::embedded);
    time("AsnDb::embedded() (v4 + v6, 2 threads)", AsnDb::embedded);
    time(
        "CountryDb::embedded() (v4 + v6, 2 threads)",
        CountryDb::embedded,
    );
    time("RmmCatalogue::embedded()", RmmCatalogue::embedded);
    time("KvmCatalogue::embedded()", KvmCatalogue::embedded);
    time("UsbIds::embedded()", muster_intel::usb::UsbIds::embedded);
    time("Sanctions::embedded()", muster_intel::Sanctions::embedded);
    time("Zips::embedded()", muster_intel::Zips::embedded);
    time("AreaCodes::embedded()", muster_intel::AreaCodes::embedded);
    time(
        "DisposableDomains::embedded()",
        muster_intel::DisposableDomains::embedded,
    );
    println!(
        "{:<44} {:>8.1} ms",
        "total",
        total.elapsed().as_secs_f64() * 1e3
    );
    let info = IpIntel::embedded().info("175.45.176.1".parse()?);
    println!("175.45.176.1 -> {info:?}");
    Ok(())
}
