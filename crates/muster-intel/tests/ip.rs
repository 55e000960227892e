//! IP tagging and user lists.

use std::net::IpAddr;

use muster_intel::IntelError;
use muster_intel::ip::{Confidence, IpIntel, IpIntelBuilder, IpList, IpSource};

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

#[test]
fn embedded_loads_everything_cleanly() {
    let intel = IpIntel::embedded();
    let stats = intel.stats();
    assert!(stats.skipped.is_empty(), "{:?}", stats.skipped);
    let count = |s: IpSource| stats.entries.iter().find(|(x, _)| *x == s).unwrap().1;
    assert_eq!(count(IpSource::X4bnetVpn), 10_862 + 498);
    assert_eq!(count(IpSource::X4bnetDatacenter), 42_566 + 8_752);
    assert_eq!(count(IpSource::IpcatDatacenters), 3_429);
    assert_eq!(count(IpSource::TorExits), 5_933);
    assert_eq!(count(IpSource::DprkRanges), 3);
    assert!(stats.v4_segments > 10_000 && stats.v6_segments > 1_000);
}

#[test]
fn tor_exit_from_the_file() {
    let t = IpIntel::embedded().lookup(ip("185.220.101.33"));
    assert!(t.tor);
    assert!(t.sources.contains(IpSource::TorExits));
    assert!(t.tag_names().contains(&"tor"));
    // IPv6 relay address from the same file.
    assert!(IpIntel::embedded().lookup(ip("2620:7:6003::141")).tor);
    // The neighbour is not a relay.
    assert!(!IpIntel::embedded().lookup(ip("2620:7:6004::141")).tor);
}

#[test]
fn dprk_ranges_with_confidence() {
    let intel = IpIntel::embedded();
    for a in ["175.45.176.0", "175.45.177.42", "175.45.179.255"] {
        let t = intel.lookup(ip(a));
        assert_eq!(t.dprk, Some(Confidence::High), "{a}");
        assert_eq!(t.tag_names(), ["dprk"]);
        assert_eq!(t.sources.names(), ["dprk-ranges"]);
    }
    assert_eq!(intel.lookup(ip("175.45.180.0")).dprk, None);
    assert_eq!(intel.lookup(ip("175.45.175.255")).dprk, None);
    assert_eq!(
        intel.lookup(ip("210.52.109.7")).dprk,
        Some(Confidence::Medium)
    );
    assert_eq!(intel.lookup(ip("77.94.35.1")).dprk, Some(Confidence::Low));
    // IPv4-mapped IPv6 is looked up as IPv4.
    assert_eq!(
        intel.lookup(ip("::ffff:175.45.176.9")).dprk,
        Some(Confidence::High)
    );
}

#[test]
fn public_resolver_and_residential_are_not_anonymous() {
    let intel = IpIntel::embedded();
    for a in ["8.8.8.8", "73.162.10.20", "73.0.0.1", "98.207.1.1"] {
        let t = intel.lookup(ip(a));
        assert!(!t.vpn && !t.tor && t.dprk.is_none(), "{a}: {t:?}");
    }
    // Comcast residential space is not hosting either.
    let t = intel.lookup(ip("73.162.10.20"));
    assert!(t.is_empty());
    assert!(t.tag_names().is_empty());
    assert!(t.sources.is_empty());
}

#[test]
fn vpn_is_also_hosting_and_keeps_both_sources() {
    // 2.26.157.0/24 is the first entry of X4BNet's VPN list (and in its datacenter superset).
    let t = IpIntel::embedded().lookup(ip("2.26.157.10"));
    assert!(t.vpn);
    assert!(t.tag_names().starts_with(&["vpn"]));
    assert!(t.sources.contains(IpSource::X4bnetVpn));
    if t.hosting {
        assert_eq!(t.tag_names(), ["vpn", "hosting"]);
    }
}

#[test]
fn ipv6_lookups() {
    let intel = IpIntel::embedded();
    // 2001:ac8::/32 is in the X4BNet IPv6 VPN list.
    assert!(intel.lookup(ip("2001:ac8:1234::1")).vpn);
    // 2001:310::/32 is the first datacenter IPv6 entry.
    assert!(intel.lookup(ip("2001:310::1")).hosting);
    // Documentation prefix: nothing.
    assert!(intel.lookup(ip("2001:db8::1")).is_empty());
    assert!(intel.lookup(ip("::1")).is_empty());
}

#[test]
fn ipcat_ranges_are_hosting() {
    let t = IpIntel::embedded().lookup(ip("3.0.0.1")); // Amazon AWS in ipcat
    assert!(t.hosting);
    assert!(t.sources.contains(IpSource::IpcatDatacenters));
}

#[test]
fn overlapping_user_sources_keep_all_tags() {
    let intel = IpIntelBuilder::new()
        .add_reader(
            IpSource::X4bnetDatacenter,
            "10.0.0.0/8\n".as_bytes(),
            "dc.txt",
        )
        .unwrap()
        .add_reader(IpSource::X4bnetVpn, "10.1.0.0/16\n".as_bytes(), "vpn.txt")
        .unwrap()
        .add_reader(
            IpSource::TorExits,
            "fingerprint, ipaddr, port\nX, 10.1.2.3, 1\n".as_bytes(),
            "tor.csv",
        )
        .unwrap()
        .build();
    assert_eq!(
        intel.lookup(ip("10.1.2.3")).tag_names(),
        ["vpn", "hosting", "tor"]
    );
    assert_eq!(intel.lookup(ip("10.1.2.4")).tag_names(), ["vpn", "hosting"]);
    assert_eq!(intel.lookup(ip("10.2.0.0")).tag_names(), ["hosting"]);
    assert!(intel.lookup(ip("11.0.0.0")).is_empty());
}

#[test]
fn builder_reads_files_and_gzip() {
    use std::io::Write;
    let dir = std::env::temp_dir().join(format!("muster-intel-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let plain = dir.join("vpn.txt");
    std::fs::write(&plain, "192.0.2.0/24\n").unwrap();
    let gz = dir.join("dc.txt.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(b"198.51.100.0/24\n").unwrap();
    std::fs::write(&gz, enc.finish().unwrap()).unwrap();
    let intel = IpIntelBuilder::new()
        .add_path(IpSource::X4bnetVpn, &plain)
        .unwrap()
        .add_path(IpSource::X4bnetDatacenter, &gz)
        .unwrap()
        .build();
    assert!(intel.lookup(ip("192.0.2.1")).vpn);
    assert!(intel.lookup(ip("198.51.100.1")).hosting);
    let missing = IpIntelBuilder::new().add_path(IpSource::TorExits, &dir.join("nope.csv"));
    assert!(matches!(missing, Err(IntelError::Io { .. })));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn ip_list_parsing_and_membership() {
    let text = "\
# corporate egress
203.0.113.0/24      # HQ
198.51.100.7

2001:db8:abcd::/48
192.0.2.10 - 192.0.2.20
";
    let list = IpList::parse(text, "corporate_egress.txt").unwrap();
    assert_eq!(list.len(), 4);
    assert!(list.contains(ip("203.0.113.255")));
    assert!(list.contains(ip("198.51.100.7")));
    assert!(!list.contains(ip("198.51.100.8")));
    assert!(list.contains(ip("2001:db8:abcd:1::5")));
    assert!(!list.contains(ip("2001:db8:abce::5")));
    assert!(list.contains(ip("192.0.2.15")));
    assert!(!list.contains(ip("192.0.2.21")));
    assert!(list.contains(ip("::ffff:203.0.113.1")));
    assert!(
        IpList::parse("# only comments\n\n", "x")
            .unwrap()
            .is_empty()
    );

    let merged = IpList::parse("10.0.0.0/25\n10.0.0.128/25\n::1\n", "x").unwrap();
    let ranges: Vec<_> = merged.ranges().collect();
    assert_eq!(
        ranges,
        [(ip("10.0.0.0"), ip("10.0.0.255")), (ip("::1"), ip("::1"))]
    );
}

#[test]
fn ip_list_errors_report_line_numbers() {
    let text = "10.0.0.0/8\n\n# fine\nnot-an-ip\n10.0.0.0/33\n2001:db8::/129\n1.2.3.4\n5.6.7.8 - 1.1.1.1\n";
    let err = IpList::parse(text, "known_bad.txt").unwrap_err();
    let lines: Vec<usize> = err.line_errors().iter().map(|e| e.line).collect();
    assert_eq!(lines, [4, 5, 6, 8]);
    let msg = err.to_string();
    assert!(msg.contains("known_bad.txt"), "{msg}");
    assert!(msg.contains("line 4"), "{msg}");
    assert_eq!(
        err.line_errors()[0].to_string(),
        "known_bad.txt:4: invalid IP address or range \"not-an-ip\" (\"not-an-ip\")"
    );

    let (list, errors) = IpList::parse_lenient(text, "known_bad.txt");
    assert_eq!(errors.len(), 4);
    assert_eq!(list.len(), 2);
    assert!(list.contains(ip("1.2.3.4")));
}

#[test]
fn ip_list_from_path() {
    let dir = std::env::temp_dir().join(format!("muster-intel-list-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("corporate_egress.txt");
    std::fs::write(&p, "203.0.113.0/24\nbogus\n").unwrap();
    let err = IpList::from_path(&p).unwrap_err();
    assert_eq!(err.line_errors()[0].line, 2);
    assert!(err.line_errors()[0].file.ends_with("corporate_egress.txt"));
    std::fs::remove_dir_all(&dir).ok();
}
