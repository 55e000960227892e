//! IP-KVM identifier matching.

use muster_intel::kvm::{KvmCatalogue, Strength};

fn kvm() -> &'static KvmCatalogue {
    KvmCatalogue::embedded()
}

#[test]
fn catalogue_loads() {
    assert_eq!(kvm().load_error(), None);
    assert_eq!(kvm().len(), 106);
}

#[test]
fn pikvm_usb_is_strong_with_strings_weak_by_id_alone() {
    let hits = kvm().match_usb(
        "1d6b",
        "0104",
        Some("PiKVM"),
        Some("PiKVM Composite Device"),
        Some("CAFEBABE"),
    );
    assert!(hits.iter().any(|m| m.product == "PiKVM"
        && m.field == "manufacturer"
        && m.strength == Strength::Strong));
    assert!(
        hits.iter()
            .any(|m| m.product == "PiKVM" && m.field == "serial" && m.value == "CAFEBABE")
    );
    assert!(
        hits.iter()
            .any(|m| m.field == "product" && m.value == "PiKVM Composite Device")
    );
    // The id is shared by PiKVM, TinyPilot, JetKVM and every Linux composite gadget: weak.
    let ids: Vec<_> = hits.iter().filter(|m| m.field == "vid:pid").collect();
    assert!(ids.len() >= 4);
    assert!(
        ids.iter()
            .all(|m| m.strength == Strength::Weak && m.value == "1d6b:0104")
    );

    // Any case, 0x prefix, no zero padding.
    let hits = kvm().match_usb("0x1D6B", "0x104", Some("pikvm"), None, None);
    assert!(
        hits.iter()
            .any(|m| m.product == "PiKVM" && m.strength == Strength::Strong)
    );
    let hits = kvm().match_usb("1D6B", "104", None, None, None);
    assert!(!hits.is_empty() && hits.iter().all(|m| m.strength == Strength::Weak));
}

#[test]
fn usb_negatives() {
    assert!(
        kvm()
            .match_usb("046d", "c52b", Some("Logitech"), Some("USB Receiver"), None)
            .is_empty()
    );
    assert!(
        kvm()
            .match_usb(
                "046d",
                "c52b",
                Some("Logitech"),
                Some("USB Receiver"),
                Some("1234")
            )
            .is_empty()
    );
    assert!(kvm().match_usb("", "", None, None, None).is_empty());
    assert!(
        kvm()
            .match_usb("zzzz", "12345", Some(""), Some("  "), None)
            .is_empty()
    );
    // Strings compare exactly, not by substring.
    assert!(
        kvm()
            .match_usb("046d", "c52b", Some("Not PiKVM"), None, None)
            .is_empty()
    );
}

#[test]
fn usb_strength_rules() {
    let strongest = |v: &str, p: &str| {
        kvm()
            .match_usb(v, p, None, None, None)
            .into_iter()
            .map(|m| m.strength)
            .max()
    };
    assert_eq!(strongest("1209", "eda2"), Some(Strength::Strong)); // PiKVM Pico HID
    assert_eq!(strongest("3346", "1009"), Some(Strength::Strong)); // NanoKVM
    assert_eq!(strongest("38eb", "0104"), Some(Strength::Strong)); // GL.iNet Comet
    assert_eq!(strongest("38eb", "1234"), Some(Strength::Strong)); // GL.iNet vendor id
    assert_eq!(strongest("1a86", "e129"), Some(Strength::Weak)); // CH9329, unverified
    assert_eq!(strongest("345f", "2130"), Some(Strength::Weak)); // MS2130, unverified
    assert_eq!(strongest("534d", "2109"), Some(Strength::Weak)); // MS2109 capture
    assert_eq!(strongest("1a86", "7523"), Some(Strength::Weak)); // CH340, controller side
    assert_eq!(strongest("413c", "0000"), Some(Strength::Weak)); // Dell DRAC (BMC)
    assert_eq!(strongest("03f0", "1027"), Some(Strength::Weak)); // HP iLO (BMC)
    assert_eq!(strongest("0624", "0249"), Some(Strength::Weak)); // Avocent
    assert_eq!(strongest("2e8a", "000a"), Some(Strength::Weak)); // any RP2040
    assert_eq!(strongest("1d6b", "0106"), Some(Strength::Weak)); // BliKVM gadget id
    assert_eq!(strongest("0557", "2419"), Some(Strength::Strong)); // ATEN IP-KVM
    let tp = kvm().match_usb(
        "1d6b",
        "0104",
        Some("tinypilot"),
        Some("Multifunction USB Device"),
        Some("6b65796d696d6570690"),
    );
    assert!(tp.iter().any(|m| m.product == "TinyPilot"
        && m.field == "manufacturer"
        && m.strength == Strength::Strong));
    assert!(
        tp.iter()
            .any(|m| m.field == "product" && m.strength == Strength::Weak)
    );
    assert!(
        tp.iter()
            .any(|m| m.field == "serial" && m.strength == Strength::Strong)
    );
    let nano = kvm().match_usb(
        "3346",
        "1009",
        Some("sipeed"),
        Some("NanoKVM"),
        Some("0123456789ABCDEF"),
    );
    assert!(
        nano.iter()
            .any(|m| m.field == "serial" && m.strength == Strength::Weak)
    );
    assert!(
        nano.iter()
            .any(|m| m.field == "product" && m.strength == Strength::Strong)
    );
}

#[test]
fn edid_matches() {
    let hits = kvm().match_edid(
        Some("LNX"),
        Some("0x7771"),
        Some("PiKVM V3"),
        Some("CAFEBABE"),
    );
    assert!(
        hits.iter()
            .any(|m| m.product == "PiKVM" && m.field == "mfg" && m.strength == Strength::Strong)
    );
    assert!(
        hits.iter()
            .any(|m| m.product == "PiKVM" && m.field == "product_code" && m.value == "0x7771")
    );
    assert!(
        hits.iter()
            .any(|m| m.product == "PiKVM" && m.field == "monitor_name")
    );
    assert!(
        hits.iter()
            .any(|m| m.product.starts_with("GL.iNet") && m.field == "monitor_name")
    );
    assert!(
        hits.iter()
            .any(|m| m.field == "serial_string" && m.strength == Strength::Strong)
    );

    let hits = kvm().match_edid(Some("lnx"), None, Some("pikvm"), None);
    assert!(!hits.is_empty() && hits.iter().all(|m| m.strength == Strength::Strong));

    // Product code without the matching maker says nothing.
    assert!(
        kvm()
            .match_edid(Some("DEL"), Some("7770"), Some("DELL U2720Q"), None)
            .is_empty()
    );
    // A real Dell monitor.
    assert!(
        kvm()
            .match_edid(
                Some("DEL"),
                Some("0xA0B1"),
                Some("DELL P2419H"),
                Some("ABC123")
            )
            .is_empty()
    );
    assert!(kvm().match_edid(None, None, None, None).is_empty());

    // TinyPilot: TSB alone is weak, TSB + its product code strong.
    let hits = kvm().match_edid(Some("TSB"), Some("9876"), Some("TinyPilot"), None);
    assert!(
        hits.iter()
            .any(|m| m.field == "mfg" && m.strength == Strength::Weak)
    );
    assert!(hits.iter().any(|m| m.product == "TinyPilot"
        && m.field == "product_code"
        && m.strength == Strength::Strong));
    assert!(hits.iter().any(|m| m.product == "TinyPilot"
        && m.field == "monitor_name"
        && m.strength == Strength::Strong));
}

#[test]
fn edid_combinations() {
    // NanoKVM's legacy EDID impersonates a Philips 342E2; only the full set or the copied serial is telling.
    let full = kvm().match_edid(
        Some("PHL"),
        Some("0xC233"),
        Some("PHL 342E2"),
        Some("UK02143047718"),
    );
    assert!(
        full.iter()
            .any(|m| m.field == "edid" && m.strength == Strength::Strong)
    );
    let serial_only = kvm().match_edid(
        Some("PHL"),
        Some("0xC234"),
        Some("PHL 342E2"),
        Some("UK02143047718"),
    );
    assert!(
        serial_only
            .iter()
            .any(|m| m.field == "serial_string" && m.strength == Strength::Strong)
    );
    assert!(
        kvm()
            .match_edid(
                Some("PHL"),
                Some("0xC233"),
                Some("PHL 342E2"),
                Some("UK0000")
            )
            .is_empty()
    );
    // BliKVM: the capture chip name alone is telling.
    let b = kvm().match_edid(Some("TSB"), Some("0x8888"), Some("Toshiba-H2C"), None);
    assert!(b.iter().any(|m| m.product == "BliKVM" && m.field == "edid"));
    let b = kvm().match_edid(None, None, Some("Toshiba-H2C"), None);
    assert!(b.iter().any(|m| m.product == "BliKVM"
        && m.field == "monitor_name"
        && m.strength == Strength::Strong));
}

#[test]
fn hostnames_and_domains() {
    let h = kvm().match_hostname("PiKVM");
    assert!(
        h.iter()
            .any(|m| m.product == "PiKVM" && m.strength == Strength::Strong)
    );
    let h = kvm().match_hostname("pikvm.local");
    assert!(h.iter().any(|m| m.field == "mdns"));
    assert!(
        kvm()
            .match_hostname("tinypilot.home.arpa")
            .iter()
            .any(|m| m.product == "TinyPilot")
    );
    assert!(
        kvm()
            .match_hostname("jetkvm-0a1b2c3d")
            .iter()
            .any(|m| m.product == "JetKVM")
    );
    let kvm_star = kvm().match_hostname("kvm-a1b2c3");
    assert!(kvm_star.iter().all(|m| m.strength == Strength::Weak) && !kvm_star.is_empty());
    for h in ["laptop-123", "desktop-pikvm", "kvm", "", "."] {
        assert!(kvm().match_hostname(h).is_empty(), "{h}");
    }
    assert!(
        kvm()
            .match_domain("api.jetkvm.com")
            .iter()
            .any(|m| m.strength == Strength::Strong)
    );
    assert!(
        kvm()
            .match_domain("eu.api.jetkvm.com")
            .iter()
            .any(|m| m.product == "JetKVM")
    );
    assert!(
        kvm()
            .match_domain("cdn.sipeed.com")
            .iter()
            .all(|m| m.strength == Strength::Weak)
    );
    assert!(kvm().match_domain("jetkvm.com.evil.example").is_empty());
    assert!(kvm().match_domain("xapi.jetkvm.com").is_empty());
    assert!(
        kvm()
            .match_process("kvmd")
            .iter()
            .any(|m| m.product == "PiKVM")
    );
    assert!(kvm().match_process("explorer.exe").is_empty());
}
