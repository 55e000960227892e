//! Everything muster knows about one value, for analysts (`muster intel lookup VALUE`) and the
//! screening API.
//!
//! The value's kind is recognised from its shape, and a value may have several readings
//! (`AnyDesk` is a tool name and could be a person's name): every reading that applies is
//! looked up.
//!
//! ```
//! use muster_intel::{Intel, lookup::lookup};
//!
//! let l = lookup(Intel::embedded(), "175.45.176.1");
//! assert!(l.kinds.contains(&"ip"));
//! assert!(l.facts.iter().any(|f| f.key == "tag" && f.value == "dprk"));
//! let l = lookup(Intel::embedded(), "AnyDesk.exe");
//! assert!(l.facts.iter().any(|f| f.dataset == "rmm" && f.value == "AnyDesk"));
//! ```

use std::net::IpAddr;

use serde::Serialize;

use crate::Intel;
use crate::usb::is_gadget_id;

/// One thing known about the value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    /// The dataset that says it (`ip-tags`, `asn`, `rmm`, `kvm`, `usb-ids`, `sanctions`, ...).
    pub dataset: &'static str,
    /// What is said (`tag`, `asn`, `tool`, `product`, ...).
    pub key: &'static str,
    /// The value said.
    pub value: String,
    /// Supporting detail (matched pattern, strength, source, score).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The result of a lookup.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lookup {
    /// The value as given.
    pub value: String,
    /// The readings tried: `ip`, `usb`, `email`, `phone`, `zip`, `crypto`, `process`, `domain`,
    /// `name`.
    pub kinds: Vec<&'static str>,
    /// What was found; empty when nothing is known.
    pub facts: Vec<Fact>,
}

fn fact(dataset: &'static str, key: &'static str, value: impl Into<String>) -> Fact {
    Fact {
        dataset,
        key,
        value: value.into(),
        detail: None,
    }
}

fn with(mut f: Fact, detail: impl Into<String>) -> Fact {
    f.detail = Some(detail.into());
    f
}

/// Looks `value` up in every dataset of `intel` that can say something about its kind.
pub fn lookup(intel: &Intel, value: &str) -> Lookup {
    let v = value.trim();
    let mut out = Lookup {
        value: value.to_string(),
        kinds: Vec::new(),
        facts: Vec::new(),
    };
    if v.is_empty() {
        return out;
    }
    if let Ok(ip) = v.parse::<IpAddr>() {
        out.kinds.push("ip");
        ip_facts(intel, ip, &mut out.facts);
        return out;
    }
    if let Some((vid, pid)) = parse_vid_pid(v) {
        out.kinds.push("usb");
        usb_facts(intel, vid, pid, &mut out.facts);
        return out;
    }
    let looks_path = v.contains('\\') || v.contains('/');
    let lower = v.to_ascii_lowercase();
    if looks_path
        || [".exe", ".app", ".dmg", ".msi"]
            .iter()
            .any(|e| lower.ends_with(e))
    {
        out.kinds.push("process");
        if let Some(m) = intel.rmm().match_process(v) {
            out.facts.push(with(
                fact("rmm", "tool", m.tool),
                format!("{} {}", m.matched_on.as_str(), m.pattern),
            ));
        }
        for m in intel.kvm().match_process(file_name(v)) {
            out.facts.push(with(
                fact("kvm", "product", m.product),
                format!("process {} ({})", m.value, m.strength),
            ));
        }
        return out;
    }
    if !v.contains(char::is_whitespace) && v.contains('.') && !v.contains('@') {
        out.kinds.push("domain");
        if let Some(m) = intel.rmm().match_domain(v) {
            out.facts.push(with(
                fact("rmm", "tool", m.tool),
                format!("domain {}", m.pattern),
            ));
        }
        for m in intel.kvm().match_domain(v) {
            out.facts.push(with(
                fact("kvm", "product", m.product),
                format!("domain {} ({})", m.value, m.strength),
            ));
        }
        return out;
    }
    // A tool or product name.
    out.kinds.push("name");
    if let Some(t) = intel.rmm().tool(v) {
        out.facts.push(with(
            fact("rmm", "tool", t.name.clone()),
            format!(
                "{} · {} executables, {} domains · {}",
                t.category,
                t.executables.len(),
                t.domains.len(),
                t.website
            ),
        ));
    } else if let Some(m) = intel.rmm().match_software(v, None) {
        out.facts.push(with(
            fact("rmm", "tool", m.tool),
            format!("{} {}", m.matched_on.as_str(), m.pattern),
        ));
    }
    out
}

fn file_name(v: &str) -> &str {
    v.rsplit(['\\', '/']).next().unwrap_or(v)
}

/// `1d6b:0104`, `0x1D6B:0x0104`, `1d6b/0104`.
fn parse_vid_pid(v: &str) -> Option<(u16, u16)> {
    let (a, b) = v.split_once([':', '/'])?;
    let h = |s: &str| {
        let s = s.trim();
        let s = s
            .strip_prefix("0x")
            .or_else(|| s.strip_prefix("0X"))
            .unwrap_or(s);
        if s.len() == 4 {
            u16::from_str_radix(s, 16).ok()
        } else {
            None
        }
    };
    Some((h(a)?, h(b)?))
}

fn ip_facts(intel: &Intel, ip: IpAddr, facts: &mut Vec<Fact>) {
    let tags = intel.ip().lookup(ip);
    for t in tags.tag_names() {
        let detail = match (t, tags.dprk) {
            ("dprk", Some(c)) => format!("confidence {c}"),
            _ => tags.sources.names().join(", "),
        };
        facts.push(with(fact("ip-tags", "tag", t), detail));
    }
    for t in intel.user_tags(ip) {
        facts.push(with(
            fact("user-list", "tag", t.tag.clone()),
            t.source.clone(),
        ));
    }
}

fn usb_facts(intel: &Intel, vid: u16, pid: u16, facts: &mut Vec<Fact>) {
    if let Some(v) = intel.usb().vendor(vid) {
        facts.push(fact("usb-ids", "vendor", v));
    }
    if let Some(p) = intel.usb().product(vid, pid) {
        facts.push(fact("usb-ids", "product", p));
    }
    if is_gadget_id(vid, pid) {
        facts.push(with(
            fact("usb", "structure", "linux-usb-gadget"),
            "vendor 1d6b (Linux Foundation) on a device that is not a root hub: a Linux computer \
             playing a USB device, as IP-KVMs do",
        ));
    }
    let (v, p) = (format!("{vid:04x}"), format!("{pid:04x}"));
    for m in intel.kvm().match_usb(&v, &p, None, None, None) {
        facts.push(with(
            fact("kvm", "product", m.product),
            format!("{} {} ({})", m.field, m.value, m.strength),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(l: &Lookup, dataset: &str) -> Vec<String> {
        l.facts
            .iter()
            .filter(|f| f.dataset == dataset)
            .map(|f| f.value.clone())
            .collect()
    }

    #[test]
    fn readings() {
        let i = Intel::embedded();
        let l = lookup(i, "1d6b:0104");
        assert_eq!(l.kinds, vec!["usb"]);
        assert!(values(&l, "kvm").contains(&"PiKVM".to_string()));
        assert!(values(&l, "usb").contains(&"linux-usb-gadget".to_string()));
        let l = lookup(
            i,
            r"C:\Program Files (x86)\Google\Chrome Remote Desktop\CurrentVersion\remoting_host.exe",
        );
        assert_eq!(values(&l, "rmm"), vec!["Chrome Remote Desktop"]);
        let l = lookup(i, "relay.anydesk.com");
        assert_eq!(l.kinds, vec!["domain"]);
        assert_eq!(values(&l, "rmm"), vec!["AnyDesk"]);
        let l = lookup(i, "TeamViewer");
        assert_eq!(values(&l, "rmm"), vec!["TeamViewer"]);
        assert!(lookup(i, "notepad.exe").facts.is_empty());
        assert!(
            lookup(i, "73.162.10.20")
                .facts
                .iter()
                .all(|f| f.key != "tag")
        );
        assert!(lookup(i, "").kinds.is_empty());
    }
}
