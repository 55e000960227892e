//! USB facts: vendor and product names from the USB ID repository (`usb.ids`), interface
//! class triples, and the structural facts the KVM-STRUCTURE detection needs when an IP-KVM
//! hides behind borrowed ids.
//!
//! An IP-KVM (PiKVM, TinyPilot, JetKVM, NanoKVM, ...) is a small Linux computer that plays a
//! keyboard, a mouse and often a virtual CD/flash drive to the laptop over one USB cable. The ids
//! are configurable, and public guides rewrite them to Logitech or Dell keyboards, but the
//! *shape* stays:
//!
//! * the Linux USB gadget vendor `1d6b` (Linux Foundation) on a device that is not a root hub
//!   ([`is_gadget_id`]): the `1d6b:0001`-`0003` root hubs are on every Linux machine and are
//!   excluded;
//! * one composite device exposing a boot keyboard, a pointer and mass storage together
//!   ([`InterfaceSet::kvm_composite`]): keyboards do not carry flash drives, and flash drives do
//!   not type; PiKVM's default gadget is exactly `03:01:01` (keyboard) + `03:00:00` (absolute
//!   pointer) + `08:06:50` (storage, "Optical Drive"/"Flash Drive").
//!
//! ```
//! use muster_intel::usb::{InterfaceSet, UsbIds, is_gadget_id};
//!
//! let ids = UsbIds::embedded();
//! assert_eq!(ids.vendor(0x046d), Some("Logitech, Inc."));
//! assert_eq!(ids.product(0x1d6b, 0x0104), Some("Multifunction Composite Gadget"));
//! assert!(is_gadget_id(0x1d6b, 0x0104));
//! assert!(!is_gadget_id(0x1d6b, 0x0002)); // a root hub
//!
//! let set = InterfaceSet::parse("03:01:01;03:00:00;08:06:50")?;
//! assert!(set.kvm_composite());
//! let yubikey = InterfaceSet::parse("03:01:01;0b:00:00;03:00:00")?;
//! assert!(!yubikey.kvm_composite());
//! # Ok::<(), muster_intel::usb::InterfaceError>(())
//! ```

use std::collections::HashMap;
use std::fmt;
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

use crate::error::{IntelError, LineError, Result};
use crate::util::{read_all_maybe_gz, read_path, utf8_lossy};

const EMBEDDED_USB_IDS: &[u8] = include_bytes!("../../../data/kvm/usb.ids.gz");

/// The Linux Foundation's USB vendor id, used by Linux USB gadgets (configfs, g_multi, ...).
pub const LINUX_GADGET_VENDOR: u16 = 0x1d6b;

/// Whether `vid:pid` is a Linux USB *gadget* id: vendor `1d6b` except the root hubs
/// (`0001`-`0003`), which every Linux host reports for its own controllers.
pub fn is_gadget_id(vid: u16, pid: u16) -> bool {
    vid == LINUX_GADGET_VENDOR && !(0x0001..=0x0003).contains(&pid)
}

/// Vendor and product names of the USB ID repository.
#[derive(Debug, Default)]
pub struct UsbIds {
    vendors: HashMap<u16, Box<str>>,
    products: HashMap<(u16, u16), Box<str>>,
}

impl UsbIds {
    /// The embedded `data/kvm/usb.ids.gz`, parsed once per process. An unreadable embedded
    /// file (impossible for a correct build) gives an empty table.
    pub fn embedded() -> &'static UsbIds {
        static IDS: OnceLock<UsbIds> = OnceLock::new();
        IDS.get_or_init(|| {
            UsbIds::from_reader(EMBEDDED_USB_IDS, "data/kvm/usb.ids.gz").unwrap_or_default()
        })
    }

    /// Reads a `usb.ids` file (plain or gzip), e.g. a newer `/usr/share/misc/usb.ids`.
    pub fn from_path(path: &Path) -> Result<UsbIds> {
        let raw = read_path(path)?;
        UsbIds::from_reader(raw.as_slice(), &path.display().to_string())
    }

    /// Reads `usb.ids` text (plain or gzip). Vendor lines are `VVVV  Name`, product lines
    /// `\tPPPP  Name`; interface lines and the class tables after the vendor list are skipped.
    /// A file without a single vendor line is an error.
    pub fn from_reader(reader: impl Read, label: &str) -> Result<UsbIds> {
        let bytes = read_all_maybe_gz(reader, label)?;
        let text = utf8_lossy(&bytes);
        let mut ids = UsbIds::default();
        let mut vendor: Option<u16> = None;
        let mut bad = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(rest) = line.strip_prefix('\t') {
                if rest.starts_with('\t') {
                    continue; // interface of a product
                }
                let Some(v) = vendor else { continue };
                match split_id(rest) {
                    Some((pid, name)) => {
                        ids.products.insert((v, pid), name.into());
                    }
                    None => bad.push(LineError::new(label, i + 1, line, "bad product line")),
                }
                continue;
            }
            match split_id(line) {
                Some((vid, name)) => {
                    vendor = Some(vid);
                    ids.vendors.insert(vid, name.into());
                }
                // The class, HID usage and language tables follow the vendors ("C 00  ...").
                None if line
                    .split_whitespace()
                    .next()
                    .is_some_and(|t| t.chars().all(|c| c.is_ascii_uppercase())) =>
                {
                    break;
                }
                None => bad.push(LineError::new(label, i + 1, line, "bad vendor line")),
            }
        }
        if !bad.is_empty() && !ids.vendors.is_empty() {
            return Err(IntelError::InvalidLines {
                file: label.to_string(),
                errors: bad,
            });
        }
        if ids.vendors.is_empty() {
            let errors = if bad.is_empty() {
                vec![LineError::new(
                    label,
                    1,
                    "",
                    "no vendor lines: not a usb.ids file",
                )]
            } else {
                bad
            };
            return Err(IntelError::InvalidLines {
                file: label.to_string(),
                errors,
            });
        }
        Ok(ids)
    }

    /// Vendor name of `vid`.
    pub fn vendor(&self, vid: u16) -> Option<&str> {
        self.vendors.get(&vid).map(|s| &**s)
    }

    /// Product name of `vid:pid`.
    pub fn product(&self, vid: u16, pid: u16) -> Option<&str> {
        self.products.get(&(vid, pid)).map(|s| &**s)
    }

    /// Number of vendors known.
    pub fn vendor_count(&self) -> usize {
        self.vendors.len()
    }
}

/// `"046d  Logitech, Inc."` -> `(0x046d, "Logitech, Inc.")`.
fn split_id(line: &str) -> Option<(u16, &str)> {
    let (id, name) = line.split_once(char::is_whitespace)?;
    if id.len() != 4 {
        return None;
    }
    let id = u16::from_str_radix(id, 16).ok()?;
    Some((id, name.trim()))
}

/// One USB interface as `class:subclass:protocol` (hex).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UsbInterface {
    /// Interface class (`03` HID, `08` mass storage, `0e` video, ...).
    pub class: u8,
    /// Subclass (`01` = HID boot interface).
    pub subclass: u8,
    /// Protocol (`01` keyboard, `02` mouse for HID boot interfaces).
    pub protocol: u8,
}

/// A malformed `interfaces` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterfaceError {
    /// The triple that failed.
    pub value: String,
}

impl fmt::Display for InterfaceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "bad USB interface {:?}: expected class:subclass:protocol in hex, e.g. 03:01:01",
            self.value
        )
    }
}

impl std::error::Error for InterfaceError {}

impl UsbInterface {
    /// Parses `03:01:01` (also `0x03:0x01:0x01`, `3:1:1`, `03/01/01`).
    pub fn parse(s: &str) -> std::result::Result<UsbInterface, InterfaceError> {
        let err = || InterfaceError {
            value: s.to_string(),
        };
        let mut parts = s.trim().split([':', '/', '.']).map(|p| {
            let p = p.trim();
            let p = p
                .strip_prefix("0x")
                .or_else(|| p.strip_prefix("0X"))
                .unwrap_or(p);
            if p.is_empty() || p.len() > 2 {
                None
            } else {
                u8::from_str_radix(p, 16).ok()
            }
        });
        let (Some(Some(class)), Some(Some(subclass)), Some(Some(protocol)), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(err());
        };
        Ok(UsbInterface {
            class,
            subclass,
            protocol,
        })
    }

    /// HID boot keyboard (`03:01:01`).
    pub fn is_keyboard(&self) -> bool {
        self.class == 0x03 && self.subclass == 0x01 && self.protocol == 0x01
    }

    /// A HID pointer: a boot mouse (`03:01:02`) or a non-boot HID interface (`03:00:00`), which
    /// is how absolute pointers (tablets, KVM "absolute mouse") are exposed.
    pub fn is_pointer(&self) -> bool {
        self.class == 0x03
            && ((self.subclass == 0x01 && self.protocol == 0x02) || self.subclass == 0x00)
    }

    /// Mass storage (class `08`).
    pub fn is_storage(&self) -> bool {
        self.class == 0x08
    }
}

impl fmt::Display for UsbInterface {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02x}:{:02x}:{:02x}",
            self.class, self.subclass, self.protocol
        )
    }
}

/// The interfaces one USB device exposes, summarised.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InterfaceSet {
    /// Every interface, in order.
    pub interfaces: Vec<UsbInterface>,
}

impl InterfaceSet {
    /// Parses the contract's `interfaces` column: `;`-separated triples (`,` and spaces also
    /// accepted). An empty value is an empty set.
    pub fn parse(s: &str) -> std::result::Result<InterfaceSet, InterfaceError> {
        let interfaces = s
            .split([';', ',', ' '])
            .filter(|p| !p.trim().is_empty())
            .map(UsbInterface::parse)
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(InterfaceSet { interfaces })
    }

    /// Has a boot keyboard.
    pub fn keyboard(&self) -> bool {
        self.interfaces.iter().any(UsbInterface::is_keyboard)
    }

    /// Has a pointer (boot mouse or non-boot HID).
    pub fn pointer(&self) -> bool {
        self.interfaces.iter().any(UsbInterface::is_pointer)
    }

    /// Has mass storage.
    pub fn storage(&self) -> bool {
        self.interfaces.iter().any(UsbInterface::is_storage)
    }

    /// The IP-KVM shape: keyboard + pointer + mass storage in one device. Ordinary keyboards,
    /// mice, receivers (Logitech Unifying: keyboard + mouse + HID), docks (which enumerate their
    /// keyboard and card reader as separate devices behind a hub) and security keys (keyboard +
    /// CCID + FIDO HID) do not have it.
    pub fn kvm_composite(&self) -> bool {
        self.keyboard() && self.pointer() && self.storage()
    }
}

/// EDID facts about HDMI *capture* chips: a "monitor" with these identities is a capture device
/// (the laptop's screen going into a KVM), not a display. Returns the reason when the EDID maker
/// or monitor name is one.
///
/// * maker `LNX`: the Linux kernel's default EDID, loaded by HDMI-to-CSI bridges on PiKVM and
///   its clones; no real monitor vendor uses the PNP id.
/// * monitor name `Toshiba-H2C`: the Toshiba TC358743 HDMI-to-CSI-2 bridge (BliKVM, PiKVM
///   builds); Toshiba (`TSB`) monitors do not report it.
pub fn capture_edid(maker: Option<&str>, monitor_name: Option<&str>) -> Option<&'static str> {
    if maker.is_some_and(|m| m.trim().eq_ignore_ascii_case("LNX")) {
        return Some(
            "EDID maker LNX: the Linux kernel's default EDID, used by HDMI capture bridges",
        );
    }
    if monitor_name.is_some_and(|n| n.to_ascii_lowercase().contains("h2c")) {
        return Some("monitor name *H2C: Toshiba TC358743 HDMI-to-CSI capture bridge");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn embedded_names() {
        let strict = UsbIds::from_reader(EMBEDDED_USB_IDS, "embedded").unwrap();
        assert!(strict.vendor_count() > 3000);
        let ids = UsbIds::embedded();
        assert_eq!(ids.vendor(0x1d6b), Some("Linux Foundation"));
        assert_eq!(ids.product(0x1d6b, 0x0002), Some("2.0 root hub"));
        assert_eq!(ids.vendor(0xffff), None);
    }

    #[test]
    fn garbage_is_an_error_naming_the_file() {
        let e = UsbIds::from_reader(&b"\x00\x01binary\xff"[..], "x.ids").unwrap_err();
        assert!(e.to_string().contains("x.ids"), "{e}");
        let e = UsbIds::from_reader(&b"\x1f\x8b\x08\x00trunc"[..], "y.ids.gz").unwrap_err();
        assert!(e.to_string().contains("y.ids.gz"), "{e}");
    }

    #[test]
    fn gadget_ids() {
        assert!(is_gadget_id(0x1d6b, 0x0104));
        assert!(is_gadget_id(0x1d6b, 0x0101));
        for hub in 1..=3 {
            assert!(!is_gadget_id(0x1d6b, hub));
        }
        assert!(!is_gadget_id(0x046d, 0x0104));
    }

    #[test]
    fn interface_shapes() {
        let kvm = InterfaceSet::parse("03:01:01;03:00:00;08:06:50").unwrap();
        assert!(kvm.kvm_composite());
        let kvm_rel = InterfaceSet::parse("0x03:0x01:0x01, 03:01:02, 08:06:50").unwrap();
        assert!(kvm_rel.kvm_composite());
        let unifying = InterfaceSet::parse("03:01:01;03:01:02;03:00:00").unwrap();
        assert!(!unifying.kvm_composite());
        let flash = InterfaceSet::parse("08:06:50").unwrap();
        assert!(!flash.kvm_composite());
        assert!(InterfaceSet::parse("").unwrap().interfaces.is_empty());
        assert!(InterfaceSet::parse("03:01").is_err());
        assert!(InterfaceSet::parse("03:01:01:01").is_err());
        assert!(InterfaceSet::parse("zz:01:01").is_err());
        assert!(InterfaceSet::parse("100:01:01").is_err());
    }

    #[test]
    fn capture_edids() {
        assert!(capture_edid(Some("LNX"), None).is_some());
        assert!(capture_edid(Some("TSB"), Some("Toshiba-H2C")).is_some());
        assert!(capture_edid(Some("DEL"), Some("DELL U2720Q")).is_none());
        assert!(capture_edid(Some("TSB"), Some("TOSHIBA-TV")).is_none());
    }

    proptest! {
        #[test]
        fn interface_parse_never_panics(s in "\\PC{0,40}") {
            let _ = InterfaceSet::parse(&s);
        }

        #[test]
        fn interface_roundtrip(c: u8, sc: u8, p: u8) {
            let i = UsbInterface { class: c, subclass: sc, protocol: p };
            prop_assert_eq!(UsbInterface::parse(&i.to_string()), Ok(i));
        }

        #[test]
        fn usb_ids_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = UsbIds::from_reader(bytes.as_slice(), "fuzz");
        }
    }
}
