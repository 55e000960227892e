//! IP-address parsing, canonical text and classification.
//!
//! Log sources write addresses in many ways: with a port (`203.0.113.7:443`,
//! `[2001:db8::1]:443`), in brackets, with an IPv6 zone (`fe80::1%eth0`), or as an IPv4-mapped
//! IPv6 address (`::ffff:203.0.113.7`). [`normalize_ip`] accepts all of these and returns the
//! address itself; IPv4-mapped addresses become plain IPv4 so that both spellings join.
//! IPv4 with leading zeros (`010.0.0.1`) is rejected: it is ambiguous (octal in some parsers).
//!
//! ```
//! use muster_normalize::ip::{canonical_ip, ip_class, normalize_ip, IpClass};
//!
//! assert_eq!(canonical_ip("[::FFFF:203.0.113.7]:443").as_deref(), Some("203.0.113.7"));
//! assert_eq!(canonical_ip("2001:DB8:0:0::1").as_deref(), Some("2001:db8::1"));
//! let ip = normalize_ip("100.72.1.9:51000").ok_or("unparsed")?;
//! assert_eq!(ip_class(ip), IpClass::Cgnat);
//! # Ok::<(), &'static str>(())
//! ```

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// What kind of network an address belongs to (IANA special-purpose registries).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IpClass {
    /// Globally routable unicast: the only class that says something about where a person is.
    Public,
    /// RFC 1918 (`10/8`, `172.16/12`, `192.168/16`) or IPv6 unique-local `fc00::/7`.
    Private,
    /// `127/8` or `::1`.
    Loopback,
    /// `169.254/16` or `fe80::/10`.
    LinkLocal,
    /// Carrier-grade NAT shared space `100.64.0.0/10` (RFC 6598).
    Cgnat,
    /// Documentation ranges: `192.0.2/24`, `198.51.100/24`, `203.0.113/24`, `2001:db8::/32`,
    /// `3fff::/20`.
    Documentation,
    /// `224/4` or `ff00::/8`.
    Multicast,
    /// `0.0.0.0` or `::`.
    Unspecified,
    /// Everything else that is not globally routable unicast: `0/8`, `192.0.0/24`,
    /// `198.18/15`, `240/4` (including broadcast), and IPv6 outside `2000::/3` that is not
    /// covered above (for example deprecated site-local `fec0::/10` or discard `100::/64`).
    Reserved,
}

impl IpClass {
    /// A short lowercase name, stable for use in output files.
    ///
    /// ```
    /// use muster_normalize::ip::IpClass;
    /// assert_eq!(IpClass::LinkLocal.as_str(), "link_local");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            IpClass::Public => "public",
            IpClass::Private => "private",
            IpClass::Loopback => "loopback",
            IpClass::LinkLocal => "link_local",
            IpClass::Cgnat => "cgnat",
            IpClass::Documentation => "documentation",
            IpClass::Multicast => "multicast",
            IpClass::Unspecified => "unspecified",
            IpClass::Reserved => "reserved",
        }
    }
}

/// Parses an IP address as found in logs, or returns `None`.
///
/// Accepted decorations: surrounding whitespace, surrounding brackets, an IPv4 `:port` suffix,
/// `[v6]:port`, an IPv6 zone id (`%eth0`, `%12`). IPv4-mapped IPv6 (`::ffff:a.b.c.d`) is
/// returned as IPv4.
///
/// ```
/// use muster_normalize::ip::normalize_ip;
/// use std::net::{IpAddr, Ipv4Addr};
///
/// let v4 = IpAddr::V4(Ipv4Addr::new(198, 51, 100, 4));
/// assert_eq!(normalize_ip(" 198.51.100.4:8080 "), Some(v4));
/// assert_eq!(normalize_ip("::ffff:198.51.100.4"), Some(v4));
/// assert!(normalize_ip("fe80::1%eth0").is_some());
/// assert_eq!(normalize_ip("198.51.100.256"), None);
/// ```
pub fn normalize_ip(input: &str) -> Option<IpAddr> {
    let s = input.trim();
    if s.is_empty() {
        return None;
    }
    let addr_text = if let Some(rest) = s.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        if !after.is_empty() && !is_port_suffix(after) {
            return None;
        }
        inside
    } else if let Some((host, port)) = s.split_once(':')
        && !port.contains(':')
        && host.contains('.')
    {
        // Exactly one colon and a dotted host: IPv4 with a port.
        if !is_port_suffix(&s[host.len()..]) {
            return None;
        }
        host
    } else {
        s
    };
    let addr_text = match addr_text.split_once('%') {
        Some((addr, zone)) if addr.contains(':') && !zone.is_empty() && !zone.contains('%') => addr,
        Some(_) => return None,
        None => addr_text,
    };
    match addr_text.parse::<IpAddr>().ok()? {
        IpAddr::V6(v6) => Some(match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(v6),
        }),
        v4 => Some(v4),
    }
}

/// The canonical text of [`normalize_ip`]: dotted quad for IPv4, RFC 5952 for IPv6 (lowercase,
/// longest zero run compressed).
///
/// ```
/// use muster_normalize::ip::canonical_ip;
///
/// assert_eq!(canonical_ip("2001:0DB8:0000:0000:0000:0000:0000:0001").as_deref(), Some("2001:db8::1"));
/// assert_eq!(canonical_ip("[2001:db8::1]:443").as_deref(), Some("2001:db8::1"));
/// assert_eq!(canonical_ip("not an ip"), None);
/// ```
pub fn canonical_ip(input: &str) -> Option<String> {
    normalize_ip(input).map(|ip| ip.to_string())
}

/// Classifies an address; see [`IpClass`] for the ranges. IPv4-mapped IPv6 addresses are
/// classified as the IPv4 address they carry.
///
/// ```
/// use muster_normalize::ip::{ip_class, IpClass};
/// use std::net::{IpAddr, Ipv4Addr};
///
/// assert_eq!(ip_class(IpAddr::V4(Ipv4Addr::new(8, 8, 8, 8))), IpClass::Public);
/// assert_eq!(ip_class(IpAddr::V4(Ipv4Addr::new(172, 20, 0, 1))), IpClass::Private);
/// ```
pub fn ip_class(ip: IpAddr) -> IpClass {
    match ip {
        IpAddr::V4(v4) => v4_class(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4_class(v4),
            None => v6_class(v6),
        },
    }
}

fn is_port_suffix(s: &str) -> bool {
    s.strip_prefix(':').is_some_and(|port| {
        !port.is_empty()
            && port.len() <= 5
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u16>().is_ok()
    })
}

fn in_v4(ip: Ipv4Addr, net: [u8; 4], prefix: u32) -> bool {
    let mask = if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - prefix)
    };
    (u32::from(ip) & mask) == (u32::from(Ipv4Addr::from(net)) & mask)
}

fn v4_class(ip: Ipv4Addr) -> IpClass {
    if ip.is_unspecified() {
        IpClass::Unspecified
    } else if ip.is_loopback() {
        IpClass::Loopback
    } else if ip.is_private() {
        IpClass::Private
    } else if ip.is_link_local() {
        IpClass::LinkLocal
    } else if in_v4(ip, [100, 64, 0, 0], 10) {
        IpClass::Cgnat
    } else if ip.is_documentation() {
        IpClass::Documentation
    } else if ip.is_multicast() {
        IpClass::Multicast
    } else if in_v4(ip, [0, 0, 0, 0], 8)
        || in_v4(ip, [192, 0, 0, 0], 24)
        || in_v4(ip, [198, 18, 0, 0], 15)
        || in_v4(ip, [240, 0, 0, 0], 4)
    {
        IpClass::Reserved
    } else {
        IpClass::Public
    }
}

fn in_v6(ip: Ipv6Addr, net: [u16; 8], prefix: u32) -> bool {
    let mask = if prefix == 0 {
        0
    } else {
        u128::MAX << (128 - prefix)
    };
    (u128::from(ip) & mask) == (u128::from(Ipv6Addr::from(net)) & mask)
}

fn v6_class(ip: Ipv6Addr) -> IpClass {
    if ip.is_unspecified() {
        IpClass::Unspecified
    } else if ip.is_loopback() {
        IpClass::Loopback
    } else if ip.is_multicast() {
        IpClass::Multicast
    } else if in_v6(ip, [0xfe80, 0, 0, 0, 0, 0, 0, 0], 10) {
        IpClass::LinkLocal
    } else if in_v6(ip, [0xfc00, 0, 0, 0, 0, 0, 0, 0], 7) {
        IpClass::Private
    } else if in_v6(ip, [0x2001, 0x0db8, 0, 0, 0, 0, 0, 0], 32)
        || in_v6(ip, [0x3fff, 0, 0, 0, 0, 0, 0, 0], 20)
    {
        IpClass::Documentation
    } else if in_v6(ip, [0x2000, 0, 0, 0, 0, 0, 0, 0], 3) {
        IpClass::Public
    } else {
        IpClass::Reserved
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn v4(a: u8, b: u8, c: u8, d: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(a, b, c, d))
    }

    fn class(s: &str) -> Option<IpClass> {
        normalize_ip(s).map(ip_class)
    }

    #[test]
    fn plain_and_decorated_ipv4() {
        assert_eq!(normalize_ip("203.0.113.7"), Some(v4(203, 0, 113, 7)));
        assert_eq!(normalize_ip("  203.0.113.7\n"), Some(v4(203, 0, 113, 7)));
        assert_eq!(normalize_ip("203.0.113.7:443"), Some(v4(203, 0, 113, 7)));
        assert_eq!(normalize_ip("[203.0.113.7]"), Some(v4(203, 0, 113, 7)));
        assert_eq!(
            normalize_ip("[203.0.113.7]:65535"),
            Some(v4(203, 0, 113, 7))
        );
    }

    #[test]
    fn bad_ports_and_garbage() {
        for s in [
            "",
            "   ",
            "203.0.113.7:",
            "203.0.113.7:65536",
            "203.0.113.7:http",
            "203.0.113.7:+1",
            "[2001:db8::1]:",
            "[2001:db8::1]x",
            "[2001:db8::1",
            "203.0.113",
            "203.0.113.7.1",
            "010.0.0.1",
            "example.com",
            "203.0.113.7%eth0",
            "fe80::1%",
            "fe80::1%a%b",
        ] {
            assert_eq!(normalize_ip(s), None, "{s:?}");
        }
    }

    #[test]
    fn ipv6_forms() {
        assert_eq!(canonical_ip("2001:DB8::1").as_deref(), Some("2001:db8::1"));
        assert_eq!(
            canonical_ip("[2001:db8::1]").as_deref(),
            Some("2001:db8::1")
        );
        assert_eq!(
            canonical_ip("[2001:db8::1]:8443").as_deref(),
            Some("2001:db8::1")
        );
        assert_eq!(canonical_ip("fe80::1%eth0").as_deref(), Some("fe80::1"));
        assert_eq!(canonical_ip("[fe80::1%25]:22").as_deref(), Some("fe80::1"));
        assert_eq!(
            canonical_ip("2001:db8:0:0:1:0:0:1").as_deref(),
            Some("2001:db8::1:0:0:1")
        );
        // An unbracketed IPv6 address is never mistaken for host:port.
        assert_eq!(
            canonical_ip("2001:db8::443").as_deref(),
            Some("2001:db8::443")
        );
    }

    #[test]
    fn ipv4_mapped_becomes_ipv4() {
        assert_eq!(normalize_ip("::ffff:192.0.2.1"), Some(v4(192, 0, 2, 1)));
        assert_eq!(normalize_ip("::FFFF:c000:0201"), Some(v4(192, 0, 2, 1)));
        assert_eq!(
            normalize_ip("[::ffff:192.0.2.1]:80"),
            Some(v4(192, 0, 2, 1))
        );
        // IPv4-compatible (deprecated) and ::1 are not remapped.
        assert_eq!(canonical_ip("::1").as_deref(), Some("::1"));
        assert_eq!(canonical_ip("::192.0.2.1").as_deref(), Some("::c000:201"));
    }

    #[test]
    fn ipv4_classes() {
        assert_eq!(class("8.8.8.8"), Some(IpClass::Public));
        assert_eq!(class("10.1.2.3"), Some(IpClass::Private));
        assert_eq!(class("172.16.0.1"), Some(IpClass::Private));
        assert_eq!(class("172.31.255.255"), Some(IpClass::Private));
        assert_eq!(class("172.32.0.1"), Some(IpClass::Public));
        assert_eq!(class("192.168.1.1"), Some(IpClass::Private));
        assert_eq!(class("127.0.0.1"), Some(IpClass::Loopback));
        assert_eq!(class("169.254.10.1"), Some(IpClass::LinkLocal));
        assert_eq!(class("100.64.0.1"), Some(IpClass::Cgnat));
        assert_eq!(class("100.127.255.255"), Some(IpClass::Cgnat));
        assert_eq!(class("100.128.0.1"), Some(IpClass::Public));
        assert_eq!(class("100.63.255.255"), Some(IpClass::Public));
        assert_eq!(class("192.0.2.5"), Some(IpClass::Documentation));
        assert_eq!(class("198.51.100.5"), Some(IpClass::Documentation));
        assert_eq!(class("203.0.113.5"), Some(IpClass::Documentation));
        assert_eq!(class("224.0.0.251"), Some(IpClass::Multicast));
        assert_eq!(class("0.0.0.0"), Some(IpClass::Unspecified));
        assert_eq!(class("0.1.2.3"), Some(IpClass::Reserved));
        assert_eq!(class("192.0.0.8"), Some(IpClass::Reserved));
        assert_eq!(class("198.18.0.1"), Some(IpClass::Reserved));
        assert_eq!(class("240.0.0.1"), Some(IpClass::Reserved));
        assert_eq!(class("255.255.255.255"), Some(IpClass::Reserved));
        assert_eq!(class("175.45.176.1"), Some(IpClass::Public));
    }

    #[test]
    fn ipv6_classes() {
        assert_eq!(class("2606:4700::1111"), Some(IpClass::Public));
        assert_eq!(class("::"), Some(IpClass::Unspecified));
        assert_eq!(class("::1"), Some(IpClass::Loopback));
        assert_eq!(class("fe80::1%eth0"), Some(IpClass::LinkLocal));
        assert_eq!(class("fc00::1"), Some(IpClass::Private));
        assert_eq!(class("fd12:3456::1"), Some(IpClass::Private));
        assert_eq!(class("ff02::1"), Some(IpClass::Multicast));
        assert_eq!(class("2001:db8::1"), Some(IpClass::Documentation));
        assert_eq!(class("3fff:0fff::1"), Some(IpClass::Documentation));
        assert_eq!(class("fec0::1"), Some(IpClass::Reserved));
        assert_eq!(class("100::1"), Some(IpClass::Reserved));
        assert_eq!(class("::ffff:10.0.0.1"), Some(IpClass::Private));
        let mapped = IpAddr::V6(Ipv4Addr::new(100, 64, 1, 1).to_ipv6_mapped());
        assert_eq!(ip_class(mapped), IpClass::Cgnat);
    }

    #[test]
    fn class_names() {
        assert_eq!(IpClass::Public.as_str(), "public");
        assert_eq!(IpClass::Cgnat.as_str(), "cgnat");
    }

    proptest! {
        #[test]
        fn never_panics(s in any::<String>()) {
            let _ = normalize_ip(&s);
            let _ = canonical_ip(&s);
        }

        #[test]
        fn canonical_is_idempotent(s in any::<String>()) {
            if let Some(c) = canonical_ip(&s) {
                prop_assert_eq!(canonical_ip(&c), Some(c.clone()));
            }
        }

        #[test]
        fn any_address_roundtrips(bits in any::<u128>(), v4bits in any::<u32>()) {
            let v6 = IpAddr::V6(Ipv6Addr::from(bits));
            let c6 = canonical_ip(&v6.to_string());
            prop_assert!(c6.is_some());
            if let Some(c) = c6 {
                prop_assert_eq!(canonical_ip(&c), Some(c.clone()));
                prop_assert_eq!(canonical_ip(&format!("[{c}]:443")), Some(c.clone()));
            }
            let v4 = IpAddr::V4(Ipv4Addr::from(v4bits));
            prop_assert_eq!(normalize_ip(&v4.to_string()), Some(v4));
            prop_assert_eq!(normalize_ip(&format!("{v4}:8080")), Some(v4));
        }

        #[test]
        fn mapped_equals_plain(v4bits in any::<u32>(), upper in any::<bool>(), port in proptest::option::of(any::<u16>())) {
            let v4 = Ipv4Addr::from(v4bits);
            let prefix = if upper { "::FFFF:" } else { "::ffff:" };
            let mapped = match port {
                Some(p) => format!("[{prefix}{v4}]:{p}"),
                None => format!("{prefix}{v4}"),
            };
            prop_assert_eq!(normalize_ip(&mapped), Some(IpAddr::V4(v4)));
            prop_assert_eq!(canonical_ip(&mapped), canonical_ip(&v4.to_string()));
            prop_assert_eq!(ip_class(IpAddr::V6(v4.to_ipv6_mapped())), ip_class(IpAddr::V4(v4)));
        }
    }
}
