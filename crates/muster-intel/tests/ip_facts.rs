//! ASN, country, tags and user tags on real facts from the embedded data; mmdb geolocation.

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;

use muster_intel::IntelError;
use muster_intel::ip::{
    AsnDb, Confidence, CountryDb, IpIntel, IpIntelBuilder, IpList, IpSource, MmdbGeo,
};

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// A fresh scratch directory under the target dir.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

#[test]
fn dprk_block_is_as131279_kp_and_dprk_high() {
    let info = IpIntel::embedded().info(ip("175.45.176.1"));
    assert_eq!(info.asn, Some(131_279));
    assert_eq!(info.country, Some("KP"));
    assert_eq!(info.tags.dprk, Some(Confidence::High));
    assert!(info.as_org.is_some_and(|o| o.contains("Star")), "{info:?}");
    // IPv4-mapped IPv6 is looked up as IPv4 everywhere.
    let mapped = IpIntel::embedded().info(ip("::ffff:175.45.176.1"));
    assert_eq!(mapped, info);
}

#[test]
fn google_dns_v4_and_v6() {
    let intel = IpIntel::embedded();
    let info = intel.info(ip("8.8.8.8"));
    assert_eq!(info.asn, Some(15169));
    assert_eq!(info.as_org, Some("Google LLC"));
    assert_eq!(info.country, Some("US"));
    assert_eq!(info.tags.dprk, None);
    assert!(info.user_tags.is_empty());
    assert_eq!(intel.asn(ip("8.8.8.8")), Some((15169, "Google LLC")));
    assert_eq!(intel.country(ip("8.8.8.8")), Some("US"));

    let info = intel.info(ip("2001:4860:4860::8888"));
    assert_eq!(info.asn, Some(15169));
    assert_eq!(info.tags.dprk, None);
    assert_eq!(intel.country(ip("2001:4860:4860::8888")), Some("US"));
}

#[test]
fn unannounced_addresses_have_no_asn() {
    let intel = IpIntel::embedded();
    for a in ["10.1.2.3", "192.168.1.1", "127.0.0.1", "::1", "fe80::1"] {
        let info = intel.info(ip(a));
        assert_eq!(info.asn, None, "{a}");
        assert_eq!(info.as_org, None, "{a}");
    }
}

#[test]
fn vpn_and_tor_from_the_embedded_lists() {
    let intel = IpIntel::embedded();
    // First line of data/ip/x4bnet/vpn-ipv4.txt: 2.26.157.0/24.
    let info = intel.info(ip("2.26.157.10"));
    assert!(info.tags.vpn, "{info:?}");
    assert!(info.tags.sources.contains(IpSource::X4bnetVpn));
    // data/ip/tor/latest.exits.csv: 204.8.96.141 and 2620:7:6003::141.
    assert!(intel.info(ip("204.8.96.141")).tags.tor);
    assert!(intel.info(ip("2620:7:6003::141")).tags.tor);
    assert!(!intel.info(ip("8.8.8.8")).tags.tor);
}

#[test]
fn kp_geofeed_ranges_are_country_only() {
    let intel = IpIntel::embedded();
    // Bogus self-declared geofeed ranges tagged KP in geo-whois-asn-country (see SOURCE.txt).
    for a in ["31.6.16.15", "102.129.128.7"] {
        let info = intel.info(ip(a));
        assert_eq!(info.country, Some("KP"), "{a}");
        assert_eq!(info.tags.dprk, None, "{a}: {info:?}");
        assert_ne!(info.asn, Some(131_279), "{a}");
    }
}

#[test]
fn dprk_is_derived_from_as131279_in_a_user_asn_file() {
    // A newer ASN file moves AS131279 to a range the DPRK list does not know.
    let dir = scratch("asn_dprk");
    let v4 = dir.join("asn-ipv4.csv.gz");
    let v6 = dir.join("asn-ipv6.csv");
    std::fs::write(
        &v4,
        gzip(b"198.51.100.0,198.51.100.255,131279,Star Joint Venture Co. Ltd.\n"),
    )
    .unwrap();
    std::fs::write(&v6, "2001:db8::,2001:db8::ffff,64500,\"Example, Inc.\"\n").unwrap();
    let intel = IpIntelBuilder::new()
        .add_embedded(IpSource::DprkRanges)
        .unwrap()
        .asn_from_paths(&v4, &v6)
        .unwrap()
        .build();
    let info = intel.info(ip("198.51.100.9"));
    assert_eq!(info.asn, Some(131_279));
    assert_eq!(info.tags.dprk, Some(Confidence::High));
    assert_eq!(info.country, None, "no country db configured");
    assert_eq!(
        intel.lookup(ip("198.51.100.9")).dprk,
        None,
        "lookup() is lists only"
    );
    assert_eq!(intel.asn(ip("2001:db8::5")), Some((64500, "Example, Inc.")));
    assert_eq!(
        intel.info(ip("175.45.176.1")).tags.dprk,
        Some(Confidence::High)
    );
}

#[test]
fn user_lists_tag_with_source() {
    let bad = IpList::parse("203.0.113.0/24\n2001:db8:bad::/48\n", "known_bad.txt").unwrap();
    let egress = IpList::parse("203.0.113.128/25\n", "egress.txt").unwrap();
    let intel = IpIntelBuilder::embedded()
        .add_user_list("known_bad", "Mandiant 2025 DPRK IT worker VPN exits", bad)
        .add_user_list("corporate_egress", "config", egress)
        .build();
    let info = intel.info(ip("203.0.113.5"));
    assert_eq!(info.user_tags.len(), 1);
    assert_eq!(info.user_tags[0].tag, "known_bad");
    assert_eq!(
        info.user_tags[0].source,
        "Mandiant 2025 DPRK IT worker VPN exits"
    );
    let both = intel.info(ip("203.0.113.200"));
    let tags: Vec<&str> = both.user_tags.iter().map(|t| t.tag.as_str()).collect();
    assert_eq!(tags, ["known_bad", "corporate_egress"]);
    assert!(both.has_user_tag("corporate_egress"));
    assert!(intel.info(ip("2001:db8:bad::1")).has_user_tag("known_bad"));
    assert!(intel.info(ip("198.51.100.1")).user_tags.is_empty());
    // The embedded data is still there.
    assert_eq!(intel.info(ip("8.8.8.8")).asn, Some(15169));
    assert_eq!(intel.user_tag_list().len(), 2);
}

#[test]
fn bad_cidr_in_user_list_reports_file_and_line() {
    let dir = scratch("user_list");
    let path = dir.join("known_bad.txt");
    std::fs::write(&path, "# exits\n203.0.113.0/24\n198.51.100.0/33\n").unwrap();
    let err = IpIntelBuilder::new()
        .add_user_list_path("known_bad", "Mandiant", &path)
        .unwrap_err();
    let e = &err.line_errors()[0];
    assert_eq!(e.line, 3);
    assert!(e.file.ends_with("known_bad.txt"));
    assert!(err.to_string().contains("known_bad.txt"), "{err}");
}

#[test]
fn corrupt_or_bad_asn_files_give_clear_errors() {
    let dir = scratch("asn_bad");
    let good = gzip(
        b"1.0.0.0,1.0.0.255,13335,\"Cloudflare, Inc.\"\n"
            .repeat(2000)
            .as_slice(),
    );
    let truncated = dir.join("asn-ipv4.csv.gz");
    std::fs::write(&truncated, &good[..good.len() / 2]).unwrap();
    let v6 = dir.join("asn-ipv6.csv");
    std::fs::write(&v6, "").unwrap();
    let err = IpIntelBuilder::new()
        .asn_from_paths(&truncated, &v6)
        .unwrap_err();
    assert!(matches!(err, IntelError::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("asn-ipv4.csv.gz"), "{err}");

    // Garbage after a gzip magic number.
    let garbage = dir.join("garbage.csv.gz");
    std::fs::write(&garbage, [0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]).unwrap();
    assert!(AsnDb::from_paths(&[&garbage]).is_err());
    assert!(CountryDb::from_paths(&[&garbage]).is_err());

    // Missing file.
    let err = AsnDb::from_paths(&[dir.join("nope.csv")]).unwrap_err();
    assert!(err.to_string().contains("nope.csv"), "{err}");

    // Bad lines: file and line number.
    let bad = dir.join("cc.csv");
    std::fs::write(&bad, "1.0.0.0,1.0.0.255,AU\n1.0.1.0,1.0.3.255\n").unwrap();
    let err = IpIntelBuilder::new()
        .country_from_paths(&bad, &v6)
        .unwrap_err();
    assert_eq!(err.line_errors()[0].line, 2);
    assert!(err.line_errors()[0].file.ends_with("cc.csv"));
}

#[test]
fn embedded_asn_and_country_load_cleanly() {
    let asn = AsnDb::embedded();
    assert!(
        asn.skipped().is_empty(),
        "{:?}",
        &asn.skipped()[..3.min(asn.skipped().len())]
    );
    let (v4, v6) = asn.len();
    assert!(v4 > 300_000 && v6 > 80_000, "{v4} {v6}");
    let cc = CountryDb::embedded();
    assert!(
        cc.skipped().is_empty(),
        "{:?}",
        &cc.skipped()[..3.min(cc.skipped().len())]
    );
    let (v4, v6) = cc.len();
    assert!(v4 > 100_000 && v6 > 50_000, "{v4} {v6}");
}

// ---- mmdb -------------------------------------------------------------------------------

/// MaxMind DB data-section encoding of the few types the test needs.
enum V {
    Str(&'static str),
    F64(f64),
    U16(u16),
    U32(u32),
    U64(u64),
    Map(Vec<(&'static str, V)>),
    Arr(Vec<V>),
}

fn ctrl(out: &mut Vec<u8>, ty: u8, size: usize) {
    assert!(size < 29);
    if ty <= 7 {
        out.push((ty << 5) | size as u8);
    } else {
        out.push(size as u8);
        out.push(ty - 7);
    }
}

fn enc(v: &V, out: &mut Vec<u8>) {
    match v {
        V::Str(s) => {
            ctrl(out, 2, s.len());
            out.extend_from_slice(s.as_bytes());
        }
        V::F64(x) => {
            ctrl(out, 3, 8);
            out.extend_from_slice(&x.to_be_bytes());
        }
        V::U16(x) => {
            ctrl(out, 5, 2);
            out.extend_from_slice(&x.to_be_bytes());
        }
        V::U32(x) => {
            ctrl(out, 6, 4);
            out.extend_from_slice(&x.to_be_bytes());
        }
        V::U64(x) => {
            ctrl(out, 9, 8);
            out.extend_from_slice(&x.to_be_bytes());
        }
        V::Map(kv) => {
            ctrl(out, 7, kv.len());
            for (k, v) in kv {
                enc(&V::Str(k), out);
                enc(v, out);
            }
        }
        V::Arr(items) => {
            ctrl(out, 11, items.len());
            for v in items {
                enc(v, out);
            }
        }
    }
}

/// A 24-bit-record IPv4 database holding one record for `prefix`/`len`.
fn tiny_mmdb(prefix: u32, len: usize, record: &V) -> Vec<u8> {
    let node_count = len as u32;
    let data_ptr = node_count + 16; // offset 0 in the data section
    let mut out = Vec::new();
    for depth in 0..len {
        let bit = (prefix >> (31 - depth)) & 1;
        let next = if depth + 1 == len {
            data_ptr
        } else {
            depth as u32 + 1
        };
        let (left, right) = if bit == 0 {
            (next, node_count)
        } else {
            (node_count, next)
        };
        out.extend_from_slice(&left.to_be_bytes()[1..]);
        out.extend_from_slice(&right.to_be_bytes()[1..]);
    }
    out.extend_from_slice(&[0u8; 16]);
    enc(record, &mut out);
    out.extend_from_slice(b"\xAB\xCD\xEFMaxMind.com");
    let meta = V::Map(vec![
        ("binary_format_major_version", V::U16(2)),
        ("binary_format_minor_version", V::U16(0)),
        ("build_epoch", V::U64(1_700_000_000)),
        ("database_type", V::Str("Test-City")),
        ("description", V::Map(vec![("en", V::Str("muster test"))])),
        ("ip_version", V::U16(4)),
        ("languages", V::Arr(vec![V::Str("en")])),
        ("node_count", V::U32(node_count)),
        ("record_size", V::U16(24)),
    ]);
    enc(&meta, &mut out);
    out
}

#[test]
fn mmdb_city_lookup() {
    let record = V::Map(vec![
        (
            "city",
            V::Map(vec![("names", V::Map(vec![("en", V::Str("Pyongyang"))]))]),
        ),
        ("country", V::Map(vec![("iso_code", V::Str("KP"))])),
        (
            "location",
            V::Map(vec![
                ("accuracy_radius", V::U16(50)),
                ("latitude", V::F64(39.0339)),
                ("longitude", V::F64(125.7543)),
            ]),
        ),
        (
            "subdivisions",
            V::Arr(vec![V::Map(vec![
                ("iso_code", V::Str("01")),
                ("names", V::Map(vec![("en", V::Str("Pyongyang"))])),
            ])]),
        ),
    ]);
    let dir = scratch("mmdb");
    let path = dir.join("city.mmdb");
    std::fs::write(&path, tiny_mmdb(0xAF2D_B000, 22, &record)).unwrap();
    let geo = MmdbGeo::open(&path).unwrap();
    assert_eq!(geo.database_type(), "Test-City");
    let g = geo.lookup(ip("175.45.176.1")).unwrap();
    assert_eq!(g.city.as_deref(), Some("Pyongyang"));
    assert_eq!(g.region.as_deref(), Some("Pyongyang"));
    assert_eq!(g.country.as_deref(), Some("KP"));
    assert!((g.lat - 39.0339).abs() < 1e-9 && (g.lon - 125.7543).abs() < 1e-9);
    assert_eq!(g.accuracy_km, Some(50));
    assert_eq!(geo.lookup(ip("175.45.180.1")), None);
    assert_eq!(geo.lookup(ip("8.8.8.8")), None);
    // IPv6 in an IPv4-only database: no panic, an error from try_lookup.
    assert_eq!(geo.lookup(ip("2001:db8::1")), None);
    assert!(geo.try_lookup(ip("2001:db8::1")).is_err());
}

#[test]
fn mmdb_missing_or_corrupt_file_is_a_clear_error() {
    let dir = scratch("mmdb_bad");
    let missing = dir.join("GeoLite2-City.mmdb");
    let err = MmdbGeo::open(&missing).unwrap_err();
    assert!(matches!(err, IntelError::Io { .. }));
    assert!(err.to_string().contains("GeoLite2-City.mmdb"), "{err}");

    let garbage = dir.join("garbage.mmdb");
    std::fs::write(&garbage, b"this is not a MaxMind database\n".repeat(10)).unwrap();
    let err = MmdbGeo::open(&garbage).unwrap_err();
    assert!(matches!(err, IntelError::Mmdb { .. }), "{err:?}");
    assert!(err.to_string().contains("garbage.mmdb"), "{err}");

    // A valid database cut short, and one with a corrupted tree.
    let rec = V::Map(vec![("country", V::Map(vec![("iso_code", V::Str("US"))]))]);
    let full = tiny_mmdb(0x0808_0800, 24, &rec);
    for cut in [0, 10, full.len() / 2, full.len() - 5] {
        assert!(
            MmdbGeo::from_bytes(full[..cut].to_vec(), "cut.mmdb").is_err(),
            "{cut}"
        );
    }
    let mut broken = full.clone();
    for b in broken.iter_mut().take(24 * 6) {
        *b = 0xff;
    }
    if let Ok(geo) = MmdbGeo::from_bytes(broken, "broken.mmdb") {
        assert_eq!(geo.lookup(ip("8.8.8.8")), None);
    }
    // A record without coordinates gives no CityGeo.
    let geo = MmdbGeo::from_bytes(full, "country-only.mmdb").unwrap();
    assert_eq!(geo.lookup(ip("8.8.8.8")), None);
    assert!(geo.try_lookup(ip("8.8.8.8")).unwrap().is_none());
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn info_is_total(v4 in any::<u32>(), v6 in any::<u128>()) {
            let intel = IpIntel::embedded();
            for a in [IpAddr::from(std::net::Ipv4Addr::from(v4)), IpAddr::from(std::net::Ipv6Addr::from(v6))] {
                let info = intel.info(a);
                prop_assert_eq!(info.asn, intel.asn(a).map(|x| x.0));
                prop_assert_eq!(info.country, intel.country(a));
                if info.tags.dprk.is_none() {
                    prop_assert_ne!(info.asn, Some(131_279));
                }
            }
        }

        /// User tags agree with each list's own membership test.
        #[test]
        fn user_tags_agree_with_lists(
            lists in proptest::collection::vec(
                proptest::collection::vec((0u32..4096, 20u8..=32), 0..6), 1..5),
            probes in proptest::collection::vec(0u32..4096, 40),
        ) {
            let mut builder = IpIntelBuilder::new();
            let mut parsed = Vec::new();
            for (i, cidrs) in lists.iter().enumerate() {
                let text: String = cidrs
                    .iter()
                    .map(|(a, p)| format!("{}/{p}\n", std::net::Ipv4Addr::from(0x0a00_0000 | a)))
                    .collect();
                let list = IpList::parse(&text, "l.txt").unwrap();
                parsed.push((format!("t{}", i % 3), list.clone()));
                builder = builder.add_user_list(&format!("t{}", i % 3), "src", list);
            }
            let intel = builder.build();
            for p in probes {
                let a = IpAddr::from(std::net::Ipv4Addr::from(0x0a00_0000 | p));
                let mut want: Vec<String> = parsed
                    .iter()
                    .filter(|(_, l)| l.contains(a))
                    .map(|(t, _)| t.clone())
                    .collect();
                want.sort();
                want.dedup();
                let mut got: Vec<String> = intel.info(a).user_tags.iter().map(|t| t.tag.clone()).collect();
                got.sort();
                prop_assert_eq!(got, want);
            }
        }
    }
}
