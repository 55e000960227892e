//! KVM-STRUCTURE: IP-KVM hardware whose ids were rewritten, found by its structure.
//!
//! Cues, per company device:
//!
//! * **gadget keyboard** (strong): a Linux USB gadget id (vendor `1d6b`, not a root hub) that
//!   types: a boot-keyboard interface `03:01:01`, or a manufacturer string naming a keyboard
//!   brand (a Linux board calling itself "Logitech");
//! * **KVM shape** (strong): one composite USB device with keyboard + pointer + mass storage,
//!   whatever its ids;
//! * **capture EDID, LNX** (strong): a "monitor" with the Linux kernel's default EDID maker;
//! * **capture EDID, by name** (medium): a "monitor" named after an HDMI capture chip (Toshiba
//!   TC358743 `*H2C`, MacroSilicon MS2109 `MACROSILICON`);
//! * **borrowed brand** (corroborating only): the manufacturer string names a keyboard/mouse
//!   brand that is not the registered vendor of the id (usb.ids); counts only on a peripheral
//!   that already has a strong USB cue.
//!
//! Devices on which KVM-HARDWARE already matched a default identity are skipped: the same box
//! must not count twice in the RemoteControl family.

use std::collections::{BTreeMap, BTreeSet};

use muster_intel::usb::InterfaceSet;
use serde_json::json;

use crate::rows::{col, rfc3339};
use crate::{
    DetectConfig, DetectError, Detection, DetectionMeta, Engine, Family, Link, Severity, Signal,
};

/// KVM-STRUCTURE.
pub struct KvmStructure;

/// Two or more independent cues on one device: as specific as a default identity.
const LR_MULTI: f64 = 400.0;
/// One strong cue plus a borrowed keyboard brand on the same peripheral.
const LR_STRONG_BRAND: f64 = 200.0;
/// One strong cue.
const LR_STRONG: f64 = 100.0;
/// One medium cue (a capture chip's monitor name).
const LR_MEDIUM: f64 = 30.0;

/// Keyboard and mouse brands that spoofing guides and KVM configs borrow. A manufacturer string
/// naming one of them on an id registered to someone else is an impersonation cue.
const KEYBOARD_BRANDS: &[&str] = &[
    "logitech",
    "dell",
    "hp",
    "hewlett",
    "microsoft",
    "lenovo",
    "apple",
    "razer",
    "corsair",
    "cherry",
];

static META: DetectionMeta = DetectionMeta {
    id: "KVM-STRUCTURE",
    title: "IP-KVM attached to a company device (structure, spoofed ids)",
    family: Family::RemoteControl,
    severity: Severity::High,
    likelihood_ratio: LR_MULTI,
    lr_rationale: "Per device, from its cues. Two or more independent cues (e.g. the KVM USB shape \
        and a capture-chip EDID, or a Linux gadget keyboard with the KVM shape): 400, the same as \
        KVM-HARDWARE, because the conjunction is as specific as a default identity. One strong cue \
        (Linux gadget typing as a keyboard; keyboard + pointer + mass storage in one device; an \
        LNX capture EDID): 100, since each has rare legitimate carriers (HID-gadget hobby \
        projects, odd driver-CD receivers, capture appliances) we put near 1 in 2,000 laptops \
        against a sizeable share of farm laptops; enough to flag only with other evidence \
        (posterior ~0.23 alone at the default prior). A strong USB cue whose manufacturer string \
        borrows a keyboard brand not registered to the id: 200 (deliberate impersonation). One \
        medium cue (a monitor named after a capture chip, *H2C or MACROSILICON, with an ordinary \
        maker code): 30, as streamers and lecture-capture setups feed laptops into capture \
        cards. Not fitted to data.",
    tables: &["peripherals", "displays"],
    what: "Looks at the structure of USB peripherals and monitors rather than their names: a \
        Linux USB gadget (vendor 1d6b, not a root hub) presenting a boot keyboard; one composite \
        device exposing keyboard + pointer + mass storage (the PiKVM/TinyPilot/NanoKVM gadget \
        shape) whatever ids it claims; a monitor whose EDID is an HDMI capture bridge (maker LNX; \
        names *H2C, MACROSILICON); a manufacturer string borrowing a keyboard brand that usb.ids \
        does not register for the vendor id (corroborating only). Cues are combined per device \
        and reported per device with the person it is assigned to (unassigned devices get a \
        device-level signal). Devices KVM-HARDWARE already matches by a default identity are \
        skipped so the same box does not count twice: its catalogue already lists the LNX maker \
        and the Toshiba-H2C name, so the display cues here add the variants it does not list \
        (renamed *H2C EDIDs, MACROSILICON) and the USB cues add spoofed ids.",
    why: "Public IP-KVM guides and configs rewrite USB ids to Logitech, Dell or HP keyboards and \
        rename the EDID, so name matching (KVM-HARDWARE) misses careful facilitators; the \
        hardware still behaves as a Linux board playing keyboard, mouse and virtual drive, and \
        its HDMI input still reports a capture chip to the laptop (DOJ June 2025 laptop-farm \
        actions seized KVM switches).",
    data: "peripherals (vendor_id, product_id, vendor_name, interfaces), displays \
        (edid_manufacturer, monitor_name), devices (person_id). Without `interfaces` only the \
        gadget-with-borrowed-brand and display cues work.",
    false_positives: "Developers' Raspberry Pi gadgets: serial/network gadgets (CDC ACM/ECM, no \
        keyboard) do not match; a developer building a HID keyboard gadget does (LR 100 alone, \
        not enough to flag) and muster has no approved-hardware list yet, so this is a known false \
        positive to clear by review. YubiKeys and security keys (keyboard + CCID + FIDO HID, no \
        storage), Logitech Unifying receivers (keyboard + mouse + HID), docks and monitors with \
        hubs (their keyboard, card reader and storage enumerate as separate devices behind a \
        hub), USB flash drives (storage only) and ordinary monitors do not match. USB capture \
        cards plugged into the laptop (USB video class, e.g. MacroSilicon 534d:2109) are not \
        cues: only a capture chip appearing as the laptop's *monitor* is. A laptop whose HDMI \
        feeds a capture card for streaming or lecture recording gives the medium cue (LR 30). \
        Manufacturer strings are often vague (\"Generic\"), so a mismatch alone is never a \
        signal. Not implemented: 'a monitor on a laptop that never shows its own panel' (closed-lid \
        docking is too common for the data to tell apart cheaply).",
    references: &[
        "US DOJ, coordinated actions against DPRK IT-worker laptop farms, 30 Jun 2025",
        "pikvm/kvmd and tiny-pilot/tinypilot USB gadget configuration (configurable vendor/product ids, keyboard + absolute mouse + mass storage functions)",
        "Linux kernel USB gadget configfs documentation; USB ID repository (usb.ids)",
        "Toshiba TC358743 HDMI-to-CSI-2 bridge; MacroSilicon MS2109 capture chip",
    ],
};

/// A borrowed keyboard brand: the first brand of [`KEYBOARD_BRANDS`] named in the manufacturer
/// string that the registered vendor name of the id does not contain.
fn borrowed_brand(reported: Option<&str>, registered: Option<&str>) -> Option<&'static str> {
    let tokens = |s: &str| -> BTreeSet<String> {
        s.to_ascii_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect()
    };
    let rep = tokens(reported?);
    let reg = registered.map(tokens).unwrap_or_default();
    KEYBOARD_BRANDS
        .iter()
        .find(|b| rep.contains(**b) && !reg.contains(**b))
        .copied()
}

/// Cues found on one device.
#[derive(Default)]
struct Cues {
    person: String,
    gadget_keyboard: bool,
    shape: bool,
    brand_on_strong: bool,
    capture_lnx: bool,
    capture_name: bool,
    known_default: bool,
    seen: BTreeSet<String>,
    t0: Option<i64>,
    t1: Option<i64>,
}

impl Cues {
    fn time(&mut self, t0: Option<i64>, t1: Option<i64>) {
        self.t0 = match (self.t0, t0) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.t1 = self.t1.max(t1);
    }

    /// LR and the cue names.
    fn score(&self) -> (f64, Vec<&'static str>) {
        let mut names = Vec::new();
        if self.gadget_keyboard {
            names.push("linux_gadget_keyboard");
        }
        if self.shape {
            names.push("keyboard_pointer_storage_composite");
        }
        if self.capture_lnx {
            names.push("capture_edid_lnx");
        }
        if self.capture_name {
            names.push("capture_chip_monitor_name");
        }
        let strong = [self.gadget_keyboard, self.shape, self.capture_lnx]
            .iter()
            .filter(|b| **b)
            .count();
        let lr = if names.len() >= 2 {
            LR_MULTI
        } else if strong == 1 && self.brand_on_strong {
            LR_STRONG_BRAND
        } else if strong == 1 {
            LR_STRONG
        } else if self.capture_name {
            LR_MEDIUM
        } else {
            0.0
        };
        if self.brand_on_strong {
            names.push("borrowed_keyboard_brand");
        }
        (lr, names)
    }
}

fn merge_person(acc: &mut Cues, p: Option<&str>) {
    if acc.person.is_empty()
        && let Some(p) = p
    {
        acc.person = p.to_string();
    }
}

impl Detection for KvmStructure {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn run(&self, engine: &Engine, _cfg: &DetectConfig) -> Result<Vec<Signal>, DetectError> {
        let mut by: BTreeMap<String, Cues> = BTreeMap::new();

        let usb_sql = "WITH u AS (
               SELECT device_id, vendor_id, product_id, vendor_name, product_name, serial,
                      coalesce(interfaces, '') AS interfaces, min(time) AS t0, max(time) AS t1
               FROM peripherals
               GROUP BY device_id, vendor_id, product_id, vendor_name, product_name, serial, interfaces
             ),
             x AS (
               SELECT device_id, vendor_id, product_id, vendor_name, product_name, interfaces, t0, t1,
                      kvm_usb(vendor_id, product_id, vendor_name, product_name, serial) AS known,
                      coalesce(usb_gadget(vendor_id, product_id), false) AS gadget,
                      coalesce(usb_kvm_shape(interfaces), false) AS shape,
                      usb_vendor(vendor_id) AS registered
               FROM u
             )
             SELECT d.person_id, x.* FROM x LEFT JOIN devices d ON x.device_id = d.device_id
             WHERE x.known IS NOT NULL OR x.gadget OR x.shape
             ORDER BY x.device_id, x.vendor_id, x.product_id, x.vendor_name, x.interfaces";
        for b in engine.sql(usb_sql)? {
            let (p, d, known) = (
                col(&b, "person_id")?,
                col(&b, "device_id")?,
                col(&b, "known")?,
            );
            let (vid, pid, vname, pname) = (
                col(&b, "vendor_id")?,
                col(&b, "product_id")?,
                col(&b, "vendor_name")?,
                col(&b, "product_name")?,
            );
            let (ifs, gadget, shape, reg) = (
                col(&b, "interfaces")?,
                col(&b, "gadget")?,
                col(&b, "shape")?,
                col(&b, "registered")?,
            );
            let (t0, t1) = (col(&b, "t0")?, col(&b, "t1")?);
            for i in 0..b.num_rows() {
                let Some(dev) = d.str(i) else { continue };
                let acc = by.entry(dev.to_string()).or_default();
                merge_person(acc, p.str(i));
                if known.str(i).is_some() {
                    acc.known_default = true;
                    continue;
                }
                let keyboard = ifs
                    .str(i)
                    .and_then(|s| InterfaceSet::parse(s).ok())
                    .is_some_and(|s| s.keyboard());
                let brand = borrowed_brand(vname.str(i), reg.str(i));
                let is_gadget = gadget.bool(i) == Some(true);
                let gk = is_gadget && (keyboard || brand.is_some());
                let sh = shape.bool(i) == Some(true);
                if !(gk || sh) {
                    continue;
                }
                acc.gadget_keyboard |= gk;
                acc.shape |= sh;
                acc.brand_on_strong |= brand.is_some();
                acc.seen.insert(format!(
                    "usb {}:{} {} / {} [{}]{}",
                    vid.str(i).unwrap_or(""),
                    pid.str(i).unwrap_or(""),
                    vname.str(i).unwrap_or(""),
                    pname.str(i).unwrap_or(""),
                    ifs.str(i).unwrap_or(""),
                    match (brand, reg.str(i)) {
                        (Some(b), Some(r)) => format!(" (names {b}, id registered to {r})"),
                        (Some(b), None) => format!(" (names {b}, id not registered)"),
                        _ => String::new(),
                    }
                ));
                acc.time(t0.ts(i), t1.ts(i));
            }
        }

        let edid_sql = "WITH e AS (
               SELECT device_id, edid_manufacturer, edid_product_code, monitor_name, serial,
                      min(time) AS t0, max(time) AS t1
               FROM displays
               GROUP BY device_id, edid_manufacturer, edid_product_code, monitor_name, serial
             ),
             x AS (
               SELECT device_id, edid_manufacturer, monitor_name, t0, t1,
                      kvm_edid(edid_manufacturer, edid_product_code, monitor_name, serial) AS known,
                      edid_capture(edid_manufacturer, monitor_name) AS capture,
                      upper(trim(coalesce(edid_manufacturer, ''))) = 'LNX' AS lnx,
                      lower(coalesce(monitor_name, '')) LIKE '%macrosilicon%' AS macrosilicon
               FROM e
             )
             SELECT d.person_id, x.* FROM x LEFT JOIN devices d ON x.device_id = d.device_id
             WHERE x.known IS NOT NULL OR x.capture IS NOT NULL OR x.macrosilicon
             ORDER BY x.device_id, x.edid_manufacturer, x.monitor_name";
        for b in engine.sql(edid_sql)? {
            let (p, d, known) = (
                col(&b, "person_id")?,
                col(&b, "device_id")?,
                col(&b, "known")?,
            );
            let (maker, name, capture) = (
                col(&b, "edid_manufacturer")?,
                col(&b, "monitor_name")?,
                col(&b, "capture")?,
            );
            let (lnx, ms) = (col(&b, "lnx")?, col(&b, "macrosilicon")?);
            let (t0, t1) = (col(&b, "t0")?, col(&b, "t1")?);
            for i in 0..b.num_rows() {
                let Some(dev) = d.str(i) else { continue };
                let acc = by.entry(dev.to_string()).or_default();
                merge_person(acc, p.str(i));
                if known.str(i).is_some() {
                    acc.known_default = true;
                    continue;
                }
                let why = match capture.str(i) {
                    Some(w) => w.to_string(),
                    None if ms.bool(i) == Some(true) => {
                        "monitor name MACROSILICON: MacroSilicon MS2109 HDMI capture chip".into()
                    }
                    None => continue,
                };
                if lnx.bool(i) == Some(true) {
                    acc.capture_lnx = true;
                } else {
                    acc.capture_name = true;
                }
                acc.seen.insert(format!(
                    "display {} {} ({why})",
                    maker.str(i).unwrap_or(""),
                    name.str(i).unwrap_or("")
                ));
                acc.time(t0.ts(i), t1.ts(i));
            }
        }

        Ok(by
            .into_iter()
            .filter(|(_, acc)| !acc.known_default)
            .filter_map(|(device, acc)| {
                let (lr, cues) = acc.score();
                if lr <= 1.0 {
                    return None;
                }
                Some(Signal {
                    reason: format!(
                        "IP-KVM structure on device {device} ({}): {}",
                        cues.join(", "),
                        acc.seen.iter().cloned().collect::<Vec<_>>().join("; ")
                    ),
                    person_id: acc.person,
                    device_id: Some(device.clone()),
                    detection: META.id,
                    family: META.family,
                    severity: if lr >= LR_STRONG {
                        Severity::High
                    } else {
                        Severity::Medium
                    },
                    likelihood_ratio: lr,
                    first_seen: acc.t0.map(rfc3339),
                    last_seen: acc.t1.map(rfc3339),
                    evidence: json!({ "device_id": device, "cues": cues, "hardware": acc.seen }),
                    links: vec![Link {
                        kind: "device",
                        value: device,
                        ring_edge: false,
                        share: None,
                    }],
                })
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brands() {
        assert_eq!(
            borrowed_brand(Some("Logitech"), Some("Linux Foundation")),
            Some("logitech")
        );
        assert_eq!(
            borrowed_brand(Some("Logitech"), Some("Logitech, Inc.")),
            None
        );
        assert_eq!(borrowed_brand(Some("HP"), Some("HP, Inc")), None);
        assert_eq!(borrowed_brand(Some("Generic"), Some("Realtek")), None);
        assert_eq!(
            borrowed_brand(Some("Raspberry Pi"), Some("Linux Foundation")),
            None
        );
        assert_eq!(borrowed_brand(None, Some("Linux Foundation")), None);
        assert_eq!(borrowed_brand(Some("Dell"), None), Some("dell"));
    }

    #[test]
    fn scores() {
        let one = Cues {
            shape: true,
            ..Default::default()
        };
        assert_eq!(one.score().0, LR_STRONG);
        let two = Cues {
            shape: true,
            capture_name: true,
            ..Default::default()
        };
        assert_eq!(two.score().0, LR_MULTI);
        let med = Cues {
            capture_name: true,
            ..Default::default()
        };
        assert_eq!(med.score().0, LR_MEDIUM);
        let brand = Cues {
            gadget_keyboard: true,
            brand_on_strong: true,
            ..Default::default()
        };
        assert_eq!(brand.score().0, LR_STRONG_BRAND);
        assert_eq!(Cues::default().score().0, 0.0);
    }
}
