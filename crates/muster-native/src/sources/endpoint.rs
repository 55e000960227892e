//! Helpers shared by the endpoint and network readers (osquery, Windows events, Zeek).

use std::net::IpAddr;

/// The last component of a Windows or POSIX path (`C:\Windows\System32\cmd.exe` -> `cmd.exe`).
pub(crate) fn basename(path: &str) -> &str {
    path.rsplit(['\\', '/']).next().unwrap_or(path)
}

/// Whether text is an IP address that is routable on the internet (not private, loopback,
/// link-local, CGNAT, unspecified, multicast or documentation space is still counted public:
/// documentation ranges are used by synthetic fixtures).
pub(crate) fn is_public_ip(s: &str) -> bool {
    match s.trim().parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => {
            let o = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || (o[0] == 100 && (64..128).contains(&o[1])))
        }
        Ok(IpAddr::V6(v6)) => {
            let seg = v6.segments();
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_ip(&v4.to_string());
            }
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (seg[0] & 0xfe00) == 0xfc00
                || (seg[0] & 0xffc0) == 0xfe80)
        }
        Err(_) => false,
    }
}

/// An IP address as text, or `None` for `-`, `LOCAL`, `Unknown` and other non-addresses.
/// IPv4-mapped IPv6 (`::ffff:198.51.100.7`) becomes plain IPv4.
pub(crate) fn ip(s: &str) -> Option<String> {
    match s.trim().parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) => Some(match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => v6.to_string(),
        }),
        Ok(IpAddr::V4(v4)) => Some(v4.to_string()),
        Err(_) => None,
    }
}

/// A USB class, subclass or protocol code as two lowercase hex digits. One or two characters
/// are read as hex (`09`, `e`, `ef`: Linux sysfs and Windows `Class_03`); three decimal digits
/// (macOS IOKit writes `239`) are read as decimal; `0x` prefixes are dropped.
pub(crate) fn usb_code(s: &str) -> Option<String> {
    let t = s.trim();
    let t = t
        .strip_prefix("0x")
        .or_else(|| t.strip_prefix("0X"))
        .unwrap_or(t);
    let n = if t.len() <= 2 {
        u8::from_str_radix(t, 16).ok()?
    } else if t.len() == 3 && t.bytes().all(|b| b.is_ascii_digit()) {
        t.parse::<u8>().ok()?
    } else {
        return None;
    };
    Some(format!("{n:02x}"))
}

/// A USB vendor/product pair and what else a Windows device instance id or hardware id list
/// says: `USB\VID_046D&PID_C52B\5&2A0C2F0&0&2` -> (`046d`, `c52b`, serial when the instance part
/// looks like a device serial, i.e. has no `&`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct UsbId {
    pub vendor: String,
    pub product: String,
    pub serial: Option<String>,
}

/// A USB vendor or product id as 4 lowercase hex digits (`0x1D6B` -> `1d6b`); other text as is
/// (the contract's validation then rejects the row with the value).
pub(crate) fn hex_id(s: &str) -> String {
    let t = s.trim();
    let t = t
        .strip_prefix("0x")
        .or_else(|| t.strip_prefix("0X"))
        .unwrap_or(t);
    if !t.is_empty() && t.len() <= 4 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
        format!("{:0>4}", t.to_ascii_lowercase())
    } else {
        s.to_string()
    }
}

/// Finds `VID_xxxx` and `PID_xxxx` in a Windows device id (case-insensitive).
pub(crate) fn usb_id(device_id: &str) -> Option<UsbId> {
    let up = device_id.to_ascii_uppercase();
    let grab = |tag: &str| -> Option<String> {
        let i = up.find(tag)? + tag.len();
        let hex: String = up[i..]
            .chars()
            .take_while(char::is_ascii_hexdigit)
            .take(4)
            .collect();
        (hex.len() == 4).then(|| hex.to_ascii_lowercase())
    };
    let vendor = grab("VID_")?;
    let product = grab("PID_")?;
    // The instance part: after the second backslash of the first id (`USB\VID..\<instance>`).
    let first = device_id.split_whitespace().next().unwrap_or(device_id);
    let serial = first
        .splitn(3, '\\')
        .nth(2)
        .map(str::trim)
        .filter(|s| !s.is_empty() && !s.contains('&') && !s.contains('\\'))
        .map(str::to_string);
    Some(UsbId {
        vendor,
        product,
        serial,
    })
}

/// The interface triples in a Windows compatible-id list (`USB\Class_03&SubClass_01&Prot_01`),
/// `;`-joined and de-duplicated in order.
pub(crate) fn usb_interfaces(compatible_ids: &str) -> Option<String> {
    let mut out: Vec<String> = Vec::new();
    for id in compatible_ids.split([' ', ';', ',', '\n', '\r', '\t']) {
        let up = id.to_ascii_uppercase();
        // `DevClass_` is the device's class, not an interface's.
        if up.contains("DEVCLASS_") {
            continue;
        }
        let field = |tag: &str| -> Option<String> {
            let i = up.find(tag)? + tag.len();
            let hex: String = up[i..]
                .chars()
                .take_while(char::is_ascii_hexdigit)
                .take(2)
                .collect();
            usb_code(&hex)
        };
        if let (Some(c), Some(s), Some(p)) = (field("CLASS_"), field("SUBCLASS_"), field("PROT_")) {
            if c == "00" {
                continue; // class defined per interface: not itself an interface
            }
            let t = format!("{c}:{s}:{p}");
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    (!out.is_empty()).then(|| out.join(";"))
}

/// osquery's `calendarTime` (`Tue Sep 30 17:37:30 2014`, `Mon May  2 22:27:32 2016 UTC`, always
/// UTC) or any timestamp the contract's parser reads; UTC microseconds.
pub(crate) fn calendar_time(s: &str) -> Result<i64, String> {
    let collapsed = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let t = collapsed.strip_suffix(" UTC").unwrap_or(&collapsed);
    match chrono::NaiveDateTime::parse_from_str(t, "%a %b %d %H:%M:%S %Y") {
        Ok(n) => Ok(n.and_utc().timestamp_micros()),
        Err(_) => muster_ingest::time::parse_ts(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(basename(r"C:\Windows\System32\cmd.exe"), "cmd.exe");
        assert_eq!(basename("/usr/bin/ssh"), "ssh");
        assert_eq!(basename("ssh"), "ssh");
        assert!(is_public_ip("203.0.113.9"));
        assert!(!is_public_ip("10.1.2.3"));
        assert!(!is_public_ip("100.64.0.1"));
        assert!(!is_public_ip("fe80::1"));
        assert!(!is_public_ip("-"));
        assert_eq!(ip("::ffff:198.51.100.7").as_deref(), Some("198.51.100.7"));
        assert_eq!(ip("LOCAL"), None);
        assert_eq!(usb_code("9").as_deref(), Some("09"));
        assert_eq!(usb_code("EF").as_deref(), Some("ef"));
        assert_eq!(usb_code("239").as_deref(), Some("ef"));
        assert_eq!(usb_code("0x03").as_deref(), Some("03"));
        assert_eq!(usb_code("zz"), None);
        let u = usb_id(r"USB\VID_1D6B&PID_0104\CAFEBABE").unwrap();
        assert_eq!(
            (u.vendor.as_str(), u.product.as_str(), u.serial.as_deref()),
            ("1d6b", "0104", Some("CAFEBABE"))
        );
        let u = usb_id(r"HID\VID_046D&PID_C52B&MI_00\7&1a2b&0&0000").unwrap();
        assert_eq!(u.serial, None);
        assert_eq!(usb_id(r"SCSI\Disk&Ven_Seagate"), None);
        assert_eq!(
            usb_interfaces(r"USB\DevClass_00&SubClass_00&Prot_00 USB\COMPOSITE"),
            None
        );
        assert_eq!(usb_id("USB\\VID_12"), None);
        assert_eq!(
            usb_interfaces(
                r"USB\Class_03&SubClass_01&Prot_01 USB\Class_03&SubClass_01 USB\Class_03"
            )
            .as_deref(),
            Some("03:01:01")
        );
        assert_eq!(
            calendar_time("Mon May  2 22:27:32 2016 UTC"),
            Ok(1_462_228_052_000_000)
        );
        assert_eq!(
            calendar_time("Tue Sep 30 17:37:30 2014"),
            Ok(1_412_098_650_000_000)
        );
        assert!(calendar_time("2020-04-10 23:26:11.000000000").is_ok());
        assert!(calendar_time("soon").is_err());
    }
}
