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
//! let l = lookup(Intel::embedded(), "94105");
//! assert!(l.facts.iter().any(|f| f.value == "America/Los_Angeles"));
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
    if v.contains('@') && !v.contains(char::is_whitespace) {
        out.kinds.push("email");
        email_facts(intel, v, &mut out.facts);
        return out;
    }
    let digits_only = v.chars().all(|c| c.is_ascii_digit() || c == '-');
    if digits_only && matches!(v.len(), 5 | 10) && v.as_bytes().get(5).is_none_or(|b| *b == b'-') {
        out.kinds.push("zip");
        zip_facts(intel, v, &mut out.facts);
        return out;
    }
    if v.chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        && v.chars().filter(char::is_ascii_digit).count() >= 10
    {
        out.kinds.push("phone");
        phone_facts(intel, v, &mut out.facts);
        return out;
    }
    if v.len() >= 25 && v.chars().all(|c| c.is_ascii_alphanumeric()) {
        out.kinds.push("crypto");
        sanction_facts(intel.sanctions().match_crypto(v), &mut out.facts);
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
        if let Some(d) = intel.disposable().matching_domain(v) {
            out.facts.push(with(
                fact("disposable-domains", "disposable", d.to_string()),
                "throwaway mailbox provider",
            ));
        }
        sanction_facts(intel.sanctions().match_domain(v), &mut out.facts);
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
    sanction_facts(intel.sanctions().match_name(v), &mut out.facts);
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
    let info = intel.ip().info(ip);
    if let Some(asn) = info.asn {
        facts.push(with(
            fact("asn", "asn", format!("AS{asn}")),
            info.as_org.unwrap_or("").to_string(),
        ));
    }
    if let Some(asn) = info.asn
        && let Some(carrier) = intel.mobile_carriers().carrier(asn)
    {
        facts.push(with(
            fact("mobile-asns", "mobile_carrier", carrier),
            "carrier-grade NAT: shared by many subscribers, not a residence".to_string(),
        ));
    }
    if let Some(c) = info.country {
        let mut f = fact("ip-country", "country", c);
        if c == "KP" && info.tags.dprk.is_none() {
            f.detail = Some(
                "registry country only: small self-declared KP ranges are noise, not DPRK evidence"
                    .into(),
            );
        }
        facts.push(f);
    }
    if let Some(g) = intel.mmdb().and_then(|m| m.lookup(ip)) {
        let place: Vec<&str> = [g.city.as_deref(), g.region.as_deref(), g.country.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        facts.push(with(
            fact("mmdb", "location", place.join(", ")),
            format!(
                "{:.4}, {:.4}{}",
                g.lat,
                g.lon,
                g.accuracy_km
                    .map(|a| format!(" ±{a} km"))
                    .unwrap_or_default()
            ),
        ));
    }
    let tags = info.tags;
    for t in tags.tag_names() {
        let detail = match (t, tags.dprk) {
            ("dprk", Some(c)) => format!("confidence {c}"),
            _ => tags.sources.names().join(", "),
        };
        facts.push(with(fact("ip-tags", "tag", t), detail));
    }
    for t in info.user_tags {
        facts.push(with(
            fact("user-list", "tag", t.tag.clone()),
            t.source.clone(),
        ));
    }
}

fn sanction_facts(hits: Vec<crate::SanctionsHit>, facts: &mut Vec<Fact>) {
    for h in hits.into_iter().take(5) {
        let entry = if h.ent_num == 0 {
            h.entry_name.clone()
        } else {
            format!("SDN {} {}", h.ent_num, h.entry_name)
        };
        facts.push(with(
            fact("sanctions", h.kind.as_str(), entry),
            format!(
                "matched {:?}, score {:.2}, programs {}{}",
                h.matched_name,
                h.score,
                h.programs.join(" "),
                if h.dprk_related { ", DPRK-related" } else { "" }
            ),
        ));
    }
}

fn email_facts(intel: &Intel, v: &str, facts: &mut Vec<Fact>) {
    if let Some(d) = intel.disposable().matching_domain(v) {
        facts.push(with(
            fact("disposable-domains", "disposable", d.to_string()),
            "throwaway mailbox provider",
        ));
    }
    let mut hits = intel.sanctions().match_email(v);
    if hits.is_empty()
        && let Some((_, domain)) = v.rsplit_once('@')
    {
        hits = intel.sanctions().match_domain(domain);
    }
    sanction_facts(hits, facts);
}

fn zip_facts(intel: &Intel, v: &str, facts: &mut Vec<Fact>) {
    if let Some(z) = intel.zips().lookup(v) {
        let place = [z.place.as_str(), z.state.as_str()]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        facts.push(with(
            fact("zips", "place", place),
            format!(
                "{}{:.4}, {:.4}",
                z.county
                    .as_deref()
                    .map(|c| format!("county {c}; "))
                    .unwrap_or_default(),
                z.lat,
                z.lon
            ),
        ));
        if let Some(zone) = z.zone {
            facts.push(fact("zips", "time_zone", zone));
        }
    }
}

fn phone_facts(intel: &Intel, v: &str, facts: &mut Vec<Fact>) {
    let t = v.trim_start();
    if t.starts_with('+') && !t.starts_with("+1") {
        return; // not a NANP number: no area-code data
    }
    match intel.area_codes().lookup_number(v) {
        Some(a) => {
            let place = [
                a.place.as_deref(),
                a.state.as_deref(),
                Some(a.region.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
            facts.push(with(
                fact("area-codes", "area_code", a.npa.to_string()),
                place,
            ));
            for z in &a.zones {
                facts.push(fact("area-codes", "time_zone", z.clone()));
            }
        }
        None => {
            let digits: String = v.chars().filter(char::is_ascii_digit).collect();
            let national = digits
                .strip_prefix('1')
                .filter(|d| d.len() == 10)
                .unwrap_or(&digits);
            if let Some(npa) = national.get(..3).and_then(|n| n.parse::<u16>().ok())
                && let Some(reason) = crate::AreaCodes::non_geographic_reason(npa)
            {
                facts.push(with(
                    fact("area-codes", "non_geographic", npa.to_string()),
                    reason,
                ));
            }
        }
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
        let l = lookup(i, "175.45.176.1");
        assert!(values(&l, "asn").contains(&"AS131279".to_string()));
        let l = lookup(i, "172.58.10.20");
        assert_eq!(values(&l, "mobile-asns"), vec!["T-Mobile USA"]);
        assert!(values(&lookup(i, "73.162.10.20"), "mobile-asns").is_empty());
        let l = lookup(i, "bob@MAILINATOR.com");
        assert_eq!(l.kinds, vec!["email"]);
        assert_eq!(values(&l, "disposable-domains"), vec!["mailinator.com"]);
        let l = lookup(i, "94105");
        assert!(values(&l, "zips").contains(&"America/Los_Angeles".to_string()));
        let l = lookup(i, "+1 (415) 555-0132");
        assert_eq!(l.kinds, vec!["phone"]);
        assert!(values(&l, "area-codes").contains(&"America/Los_Angeles".to_string()));
        let l = lookup(i, "Trading Corporation Korea Mining Development");
        assert!(
            values(&l, "sanctions")
                .iter()
                .any(|v| v.contains("KOREA MINING")),
            "{l:?}"
        );
        assert!(values(&lookup(i, "Jane Q. Example"), "sanctions").is_empty());
    }
}
