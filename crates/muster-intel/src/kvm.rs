//! IP-KVM identifiers: USB ids and strings, EDID fields, hostnames and domains of PiKVM,
//! TinyPilot, JetKVM, NanoKVM, GL.iNet Comet, BliKVM, capture sticks and BMC virtual devices.
//!
//! [`KvmCatalogue`] is built from `data/kvm/kvm_identifiers.csv` (columns
//! `product,kind,value,source`; facts extracted from the projects' sources, see
//! `data/kvm/SOURCE.txt`). Every match carries a [`Strength`]:
//!
//! * **Strong**: a USB vid:pid used only by a KVM product (`1209:eda2` PiKVM Pico HID,
//!   `3346:1009` NanoKVM, `38eb:*` GL.iNet GLKVM, ATEN / Raritan KVM dongles), or a distinctive
//!   string (manufacturer `PiKVM`, serial `CAFEBABE`, EDID monitor name `PiKVM`, EDID maker
//!   `LNX`, an EDID maker + product code pair of one KVM).
//! * **Weak**: identifiers that `SOURCE.txt` flags as generic or unverified:
//!   `1d6b:*` (Linux USB gadget ids, e.g. `1d6b:0104` Multifunction Composite Gadget, also used
//!   by non-KVM gadgets), `1a86:e129` (CH9329) and `345f:2130` (MS2130) from unverified lsusb
//!   notes, controller-side Openterface ids and HDMI capture chips (`534d:*`, `345f:*`,
//!   `1a86:*`), Raspberry Pi RP2040 ids (`2e8a:*`), Epiphan capture devices, BMC virtual
//!   keyboard/mouse ids (Dell DRAC, HP iLO, AMI, Lenovo, Cisco, Avocent: normal on servers,
//!   suspicious on a laptop), generic strings (`Multifunction USB Device`, `Flash Drive`,
//!   serial `0123456789ABCDEF`), EDID makers of real monitor vendors (`TSB`, `SPD`), the
//!   `kvm-*` hostname prefix and vendor update hosts shared with other products.
//!
//! ```
//! use muster_intel::kvm::{KvmCatalogue, Strength};
//!
//! let kvm = KvmCatalogue::embedded();
//! let hits = kvm.match_usb("0x1D6B", "104", Some("PiKVM"), None, Some("CAFEBABE"));
//! assert!(hits.iter().any(|m| m.product == "PiKVM" && m.strength == Strength::Strong));
//! assert!(kvm.match_usb("046d", "c52b", Some("Logitech"), Some("USB Receiver"), None).is_empty());
//! ```

use std::fmt;
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

use crate::error::{IntelError, LineError, Result};
use crate::util::{read_all_maybe_gz, read_path};

/// How much a KVM identifier says on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Strength {
    /// Generic, shared with non-KVM devices, or unverified: supporting evidence only.
    Weak,
    /// Specific to a KVM product.
    Strong,
}

impl Strength {
    /// `"strong"` or `"weak"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Strong => "strong",
            Strength::Weak => "weak",
        }
    }
}

impl fmt::Display for Strength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of the identifier table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KvmEntry {
    /// Product, e.g. `"PiKVM"`.
    pub product: String,
    /// `usb`, `edid`, `hostname`, `mdns`, `process` or `domain`.
    pub kind: String,
    /// The identifier as written (`1d6b:0104`, `manufacturer=PiKVM`, `mfg=LNX;product_code=0x7770`).
    pub value: String,
    /// Where the fact comes from (repository@commit:path:line or a reference).
    pub source: String,
}

/// A catalogue hit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KvmMatch {
    /// Product the identifier belongs to.
    pub product: String,
    /// Entry kind (`usb`, `edid`, `hostname`, `mdns`, `process`, `domain`).
    pub kind: String,
    /// Which field matched: `vid:pid`, `manufacturer`, `product`, `serial`, `msd_product`, ...,
    /// `mfg`, `product_code`, `monitor_name`, `serial_string`, `edid` (a whole combination),
    /// `hostname`, `mdns`, `process`, `domain`.
    pub field: String,
    /// The catalogue value that matched (e.g. `1d6b:0104`, `PiKVM`, `0x7770`).
    pub value: String,
    /// Source reference of the entry.
    pub source: String,
    /// How much the hit says on its own.
    pub strength: Strength,
}

/// USB vendor ids whose every product id is generic for our purpose (see module docs).
const WEAK_USB_VENDORS: &[(u16, &str)] = &[
    (
        0x1d6b,
        "Linux Foundation USB gadget ids: used by PiKVM/TinyPilot/JetKVM and by non-KVM gadgets",
    ),
    (0x2e8a, "Raspberry Pi RP2040: every Pico-based device"),
    (
        0x1a86,
        "QinHeng CH340/CH9329 serial/HID chips: generic cables; e129 unverified",
    ),
    (
        0x534d,
        "MacroSilicon HDMI capture chips: generic capture sticks (controller side)",
    ),
    (
        0x345f,
        "UltraSemi/MacroSilicon capture chips: generic; 2130 unverified",
    ),
    (
        0x5555,
        "Epiphan KVM2USB: capture device on the controlling machine",
    ),
    (0x0624, "Avocent virtual keyboard/mouse: BMC / server KVM"),
];

/// Individual USB ids that are weak (BMC virtual devices: normal on servers).
const WEAK_USB_IDS: &[(u16, u16, &str)] = &[
    (0x413c, 0x0000, "Dell DRAC virtual keyboard/mouse (BMC)"),
    (0x413c, 0x0001, "Dell DRAC virtual media (BMC)"),
    (0x03f0, 0x1027, "HP iLO virtual keyboard/mouse (BMC)"),
    (0x046b, 0xff10, "AMI BMC virtual keyboard/mouse"),
    (0x17ef, 0xb000, "Lenovo BMC virtual keyboard/mouse"),
    (
        0x17ef,
        0xb003,
        "Lenovo BMC virtual keyboard/mouse / mass storage",
    ),
    (0x05a6, 0x0a01, "Cisco BMC virtual keyboard/mouse"),
];

/// USB / EDID strings that are generic (lowercase).
const WEAK_STRINGS: &[&str] = &[
    "optical drive",
    "flash drive",
    "multifunction usb device",
    "usb emulation device",
    "0123456789abcdef",
    "sipeed",
];

/// EDID values that only count as part of their entry's full combination (lowercase key=value):
/// the NanoKVM legacy EDID impersonates a real Philips monitor.
const EDID_NEVER_ALONE: &[&str] = &["mfg=phl", "monitor_name=phl 342e2"];

/// EDID manufacturer ids of real display vendors (weak alone).
const WEAK_EDID_MFG: &[&str] = &["tsb", "spd"];

/// Hostname patterns that are common outside KVMs (e.g. hypervisor hosts named `kvm-01`).
const WEAK_HOSTNAMES: &[&str] = &["kvm-*"];

/// Vendor hosts also contacted by the vendor's non-KVM products.
const WEAK_DOMAINS: &[&str] = &["cdn.sipeed.com", "fw.gl-inet.com"];

#[derive(Debug, Clone)]
enum Cond {
    /// vid, pid (`None` = any product of the vendor).
    UsbId(u16, Option<u16>),
    /// key (manufacturer, product, serial, msd_product, ...), lowercase value.
    UsbString(String, String),
    /// EDID conditions (key, normalised value); all must match.
    Edid(Vec<(String, String)>),
    /// Lowercase hostname, possibly ending in `*` or containing `<...>` (prefix match).
    Hostname(String),
    /// Lowercase mDNS name.
    Mdns(String),
    /// Lowercase process name.
    Process(String),
    /// Lowercase domain (matches itself and subdomains).
    Domain(String),
}

#[derive(Debug, Clone)]
struct Rule {
    entry: usize,
    cond: Cond,
}

/// The IP-KVM identifier catalogue with matchers.
#[derive(Debug, Clone, Default)]
pub struct KvmCatalogue {
    entries: Vec<KvmEntry>,
    rules: Vec<Rule>,
    load_error: Option<String>,
}

/// Parses a hex id with or without `0x`, any case, up to 4 digits (zero-padded).
pub fn parse_hex_u16(s: &str) -> Option<u16> {
    let t = s.trim();
    let t = t
        .strip_prefix("0x")
        .or_else(|| t.strip_prefix("0X"))
        .unwrap_or(t);
    if t.is_empty() || t.len() > 4 {
        return None;
    }
    u16::from_str_radix(t, 16).ok()
}

fn norm_str(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Normalises an EDID value for comparison: product codes as hex numbers, the rest lowercase.
fn norm_edid(key: &str, value: &str) -> String {
    if key == "product_code"
        && let Some(v) = parse_hex_u16(value)
    {
        return format!("{v:04x}");
    }
    norm_str(value)
}

impl KvmCatalogue {
    /// The catalogue built from the embedded `kvm_identifiers.csv`, parsed once per process.
    /// Never panics: a parse failure yields an empty catalogue and [`KvmCatalogue::load_error`].
    pub fn embedded() -> &'static KvmCatalogue {
        static EMBEDDED: OnceLock<KvmCatalogue> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            const CSV: &[u8] = include_bytes!("../../../data/kvm/kvm_identifiers.csv");
            match Self::from_bytes(CSV, "embedded:data/kvm/kvm_identifiers.csv") {
                Ok(c) => c,
                Err(e) => KvmCatalogue {
                    load_error: Some(e.to_string()),
                    ..KvmCatalogue::default()
                },
            }
        })
    }

    /// Loads a `product,kind,value,source` CSV file (plain or gzip).
    pub fn from_path(path: &Path) -> Result<KvmCatalogue> {
        Self::from_bytes(&read_path(path)?, &path.display().to_string())
    }

    /// Loads a `product,kind,value,source` CSV from a reader (plain or gzip).
    pub fn from_reader(reader: impl Read, label: &str) -> Result<KvmCatalogue> {
        Self::from_bytes(&read_all_maybe_gz(reader, label)?, label)
    }

    fn from_bytes(bytes: &[u8], label: &str) -> Result<KvmCatalogue> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(bytes);
        let headers = rdr
            .headers()
            .map_err(|e| IntelError::csv(label, &e))?
            .clone();
        let col = |n: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(n));
        let (Some(cp), Some(ck), Some(cv)) = (col("product"), col("kind"), col("value")) else {
            return Err(IntelError::csv_at(
                label,
                1,
                "expected header with product, kind, value (and source) columns",
            ));
        };
        let cs = col("source");
        let mut cat = KvmCatalogue::default();
        let mut errors = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| IntelError::csv(label, &e))?;
            let line = rec.position().map(|p| p.line() as usize).unwrap_or(0);
            let get = |c: usize| rec.get(c).unwrap_or("").to_string();
            let entry = KvmEntry {
                product: get(cp),
                kind: get(ck).to_lowercase(),
                value: get(cv),
                source: cs.map(get).unwrap_or_default(),
            };
            if entry.product.is_empty() && entry.value.is_empty() {
                continue;
            }
            match parse_cond(&entry.kind, &entry.value) {
                Ok(cond) => {
                    cat.entries.push(entry);
                    cat.rules.push(Rule {
                        entry: cat.entries.len() - 1,
                        cond,
                    });
                }
                Err(reason) => {
                    let text = rec.iter().collect::<Vec<_>>().join(",");
                    errors.push(LineError::new(label, line, &text, reason));
                }
            }
        }
        if !errors.is_empty() {
            return Err(IntelError::InvalidLines {
                file: label.to_string(),
                errors,
            });
        }
        Ok(cat)
    }

    /// Number of identifier rows.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the catalogue is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// All rows, in file order.
    pub fn entries(&self) -> &[KvmEntry] {
        &self.entries
    }

    /// Why the embedded data failed to load, if it did.
    pub fn load_error(&self) -> Option<&str> {
        self.load_error.as_deref()
    }

    fn hit(&self, rule: &Rule, field: &str, value: String, strength: Strength) -> Option<KvmMatch> {
        let e = self.entries.get(rule.entry)?;
        Some(KvmMatch {
            product: e.product.clone(),
            kind: e.kind.clone(),
            field: field.to_string(),
            value,
            source: e.source.clone(),
            strength,
        })
    }

    /// Matches a USB device. Ids: hex, any case, with or without `0x`, zero-padding optional.
    /// Strings (manufacturer = `vendor_name`, product, serial) compare case-insensitively and
    /// exactly (after trimming). Mass-storage / audio / Bluetooth product strings of the
    /// catalogue are compared with `product_name`, `msd_vendor` with `vendor_name`.
    pub fn match_usb(
        &self,
        vendor_id: &str,
        product_id: &str,
        vendor_name: Option<&str>,
        product_name: Option<&str>,
        serial: Option<&str>,
    ) -> Vec<KvmMatch> {
        let vid = parse_hex_u16(vendor_id);
        let pid = parse_hex_u16(product_id);
        let vendor = vendor_name.map(norm_str).filter(|s| !s.is_empty());
        let product = product_name.map(norm_str).filter(|s| !s.is_empty());
        let serial = serial.map(norm_str).filter(|s| !s.is_empty());
        let mut out = Vec::new();
        for rule in &self.rules {
            match &rule.cond {
                Cond::UsbId(v, p) => {
                    let (Some(vid), Some(pid)) = (vid, pid) else {
                        continue;
                    };
                    if *v == vid && p.is_none_or(|p| p == pid) {
                        let value = match p {
                            Some(p) => format!("{v:04x}:{p:04x}"),
                            None => format!("{v:04x}:*"),
                        };
                        let strength = usb_id_strength(*v, *p, self.entries.get(rule.entry));
                        out.extend(self.hit(rule, "vid:pid", value, strength));
                    }
                }
                Cond::UsbString(key, want) => {
                    let got = match key.as_str() {
                        "manufacturer" | "msd_vendor" => vendor.as_ref(),
                        "serial" => serial.as_ref(),
                        _ => product.as_ref(),
                    };
                    if got == Some(want) {
                        let value = self
                            .entries
                            .get(rule.entry)
                            .and_then(|e| e.value.split_once('=').map(|x| x.1.to_string()))
                            .unwrap_or_else(|| want.clone());
                        let strength = if WEAK_STRINGS.contains(&want.as_str()) {
                            Strength::Weak
                        } else {
                            Strength::Strong
                        };
                        out.extend(self.hit(rule, key, value, strength));
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// Matches a display's EDID fields (maker PNP id, product code in hex, monitor name,
    /// serial string). Product codes count only together with the same product's maker;
    /// multi-field catalogue rows match as a whole (field `edid`), and their distinctive
    /// parts (serial string, monitor name) also match alone.
    pub fn match_edid(
        &self,
        manufacturer: Option<&str>,
        product_code: Option<&str>,
        monitor_name: Option<&str>,
        serial: Option<&str>,
    ) -> Vec<KvmMatch> {
        let input = |key: &str| -> Option<String> {
            let raw = match key {
                "mfg" => manufacturer,
                "product_code" => product_code,
                "monitor_name" => monitor_name,
                "serial_string" => serial,
                _ => None,
            }?;
            let n = norm_edid(key, raw);
            (!n.is_empty()).then_some(n)
        };
        let mut out = Vec::new();
        // Products whose EDID maker matched (for product-code pairing).
        let mfg_matched: Vec<&str> = self
            .rules
            .iter()
            .filter_map(|r| match &r.cond {
                Cond::Edid(conds)
                    if conds.iter().any(|(k, v)| {
                        k == "mfg"
                            && input("mfg").as_ref() == Some(v)
                            && !EDID_NEVER_ALONE.contains(&format!("mfg={v}").as_str())
                    }) =>
                {
                    self.entries.get(r.entry).map(|e| e.product.as_str())
                }
                _ => None,
            })
            .collect();
        for rule in &self.rules {
            let Cond::Edid(conds) = &rule.cond else {
                continue;
            };
            let Some(entry) = self.entries.get(rule.entry) else {
                continue;
            };
            let raw_parts: Vec<(&str, &str)> = entry
                .value
                .split(';')
                .filter_map(|p| p.split_once('='))
                .map(|(k, v)| (k.trim(), v.trim()))
                .collect();
            let raw_value = |key: &str| {
                raw_parts
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| v.to_string())
            };
            let matched: Vec<bool> = conds
                .iter()
                .map(|(k, v)| input(k).as_ref() == Some(v))
                .collect();
            if conds.len() > 1 && matched.iter().all(|&m| m) {
                out.extend(self.hit(rule, "edid", entry.value.clone(), Strength::Strong));
                continue;
            }
            for ((key, want), is_match) in conds.iter().zip(matched) {
                if !is_match || EDID_NEVER_ALONE.contains(&format!("{key}={want}").as_str()) {
                    continue;
                }
                let strength = match key.as_str() {
                    "mfg" if WEAK_EDID_MFG.contains(&want.as_str()) => Strength::Weak,
                    "product_code" => {
                        if !mfg_matched.contains(&entry.product.as_str()) {
                            continue;
                        }
                        Strength::Strong
                    }
                    _ if WEAK_STRINGS.contains(&want.as_str()) => Strength::Weak,
                    _ => Strength::Strong,
                };
                let value = raw_value(key).unwrap_or_else(|| want.clone());
                out.extend(self.hit(rule, key, value, strength));
            }
        }
        out
    }

    /// Matches a hostname or mDNS name (`pikvm`, `pikvm.local`, `tinypilot.lan`, `jetkvm-abc123`).
    /// Hostname entries compare with the first label; mDNS entries with the whole name.
    pub fn match_hostname(&self, h: &str) -> Vec<KvmMatch> {
        let full = h.trim().trim_end_matches('.').to_lowercase();
        if full.is_empty() {
            return Vec::new();
        }
        let first = full.split('.').next().unwrap_or(&full);
        let mut out = Vec::new();
        for rule in &self.rules {
            match &rule.cond {
                Cond::Hostname(pat) if hostname_matches(pat, first) => {
                    let strength = if WEAK_HOSTNAMES.contains(&pat.as_str()) {
                        Strength::Weak
                    } else {
                        Strength::Strong
                    };
                    out.extend(self.hit(rule, "hostname", pat.clone(), strength));
                }
                Cond::Mdns(name) if *name == full => {
                    out.extend(self.hit(rule, "mdns", name.clone(), Strength::Strong));
                }
                _ => {}
            }
        }
        out
    }

    /// Matches a domain contacted by a device (the entry itself or any subdomain of it).
    pub fn match_domain(&self, d: &str) -> Vec<KvmMatch> {
        let d = d.trim().trim_end_matches('.').to_lowercase();
        if d.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for rule in &self.rules {
            if let Cond::Domain(dom) = &rule.cond {
                let hit = d == *dom
                    || d.strip_suffix(dom.as_str())
                        .is_some_and(|prefix| prefix.ends_with('.'));
                if hit {
                    let strength = if WEAK_DOMAINS.contains(&dom.as_str()) {
                        Strength::Weak
                    } else {
                        Strength::Strong
                    };
                    out.extend(self.hit(rule, "domain", dom.clone(), strength));
                }
            }
        }
        out
    }

    /// Matches a process name of software that runs on the KVM device itself (`kvmd`,
    /// `ustreamer`, `NanoKVM-Server`); useful for network scans or device inventories.
    pub fn match_process(&self, name: &str) -> Vec<KvmMatch> {
        let lower = name.trim().to_lowercase().replace('\\', "/");
        let base = lower.rsplit('/').next().unwrap_or(&lower);
        let base = base.strip_suffix(".exe").unwrap_or(base);
        let mut out = Vec::new();
        for rule in &self.rules {
            if let Cond::Process(p) = &rule.cond
                && p == base
            {
                out.extend(self.hit(rule, "process", p.clone(), Strength::Strong));
            }
        }
        out
    }
}

fn usb_id_strength(vid: u16, pid: Option<u16>, entry: Option<&KvmEntry>) -> Strength {
    let weak_vendor = WEAK_USB_VENDORS.iter().any(|(v, _)| *v == vid);
    let weak_id = pid.is_some_and(|p| WEAK_USB_IDS.iter().any(|(v, q, _)| *v == vid && *q == p));
    let flagged = entry.is_some_and(|e| {
        let s = e.source.to_lowercase();
        s.contains("verify") || s.contains("controller side") || s.contains("seen by pikvm")
    });
    // A whole-vendor wildcard is only strong for a KVM-only vendor id (GL.iNet's 38eb).
    let wildcard_generic = pid.is_none() && vid != 0x38eb;
    if weak_vendor || weak_id || flagged || wildcard_generic {
        Strength::Weak
    } else {
        Strength::Strong
    }
}

/// `pat` is lowercase and may end in `*` or contain a `<placeholder>` (both: prefix match with
/// at least one more character).
fn hostname_matches(pat: &str, label: &str) -> bool {
    let prefix_end = pat.find(['*', '<']);
    match prefix_end {
        Some(i) => {
            let prefix = &pat[..i];
            label.len() > prefix.len() && label.starts_with(prefix)
        }
        None => pat == label,
    }
}

fn parse_cond(kind: &str, value: &str) -> Result<Cond, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err("empty value".to_string());
    }
    match kind {
        "usb" => {
            if let Some((key, val)) = v.split_once('=') {
                let key = key.trim().to_lowercase();
                if key.is_empty() || val.trim().is_empty() {
                    return Err(format!("invalid USB string entry {v:?}"));
                }
                return Ok(Cond::UsbString(key, norm_str(val)));
            }
            let (vid, pid) = v
                .split_once(':')
                .ok_or_else(|| format!("expected vid:pid or key=value, got {v:?}"))?;
            let vid = parse_hex_u16(vid).ok_or_else(|| format!("invalid vendor id in {v:?}"))?;
            let pid = match pid.trim() {
                "*" => None,
                p => Some(parse_hex_u16(p).ok_or_else(|| format!("invalid product id in {v:?}"))?),
            };
            Ok(Cond::UsbId(vid, pid))
        }
        "edid" => {
            let mut conds = Vec::new();
            for part in v.split(';') {
                let (k, val) = part
                    .split_once('=')
                    .ok_or_else(|| format!("expected key=value in EDID entry {v:?}"))?;
                let k = k.trim().to_lowercase();
                if !matches!(
                    k.as_str(),
                    "mfg" | "product_code" | "monitor_name" | "serial_string"
                ) {
                    return Err(format!("unknown EDID field {k:?}"));
                }
                conds.push((k.clone(), norm_edid(&k, val)));
            }
            Ok(Cond::Edid(conds))
        }
        "hostname" => Ok(Cond::Hostname(norm_str(v))),
        "mdns" => Ok(Cond::Mdns(norm_str(v).trim_end_matches('.').to_string())),
        "process" => Ok(Cond::Process(norm_str(v))),
        "domain" => Ok(Cond::Domain(norm_str(v).trim_end_matches('.').to_string())),
        other => Err(format!("unknown kind {other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_ids() {
        assert_eq!(parse_hex_u16("0x1D6B"), Some(0x1d6b));
        assert_eq!(parse_hex_u16("104"), Some(0x0104));
        assert_eq!(parse_hex_u16("12345"), None);
        assert_eq!(parse_hex_u16(""), None);
        assert_eq!(parse_hex_u16("zz"), None);
    }

    #[test]
    fn embedded_loads() {
        let k = KvmCatalogue::embedded();
        assert_eq!(k.load_error(), None);
        assert!(k.len() > 90);
    }

    #[test]
    fn bad_rows_have_line_numbers() {
        let csv = "product,kind,value,source\nA,usb,1d6b:0104,x\nB,usb,nothex,y\nC,weird,v,z\n";
        let err = KvmCatalogue::from_reader(csv.as_bytes(), "k.csv").unwrap_err();
        let lines: Vec<usize> = err.line_errors().iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 4]);
    }
}
