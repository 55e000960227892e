//! SANCTIONS: people, contact details and pay addresses on the OFAC SDN list.

use std::collections::BTreeMap;

use muster_intel::sanctions::{EntryKind, HitKind, Sanctions, SanctionsHit};
use serde_json::json;

use super::person_rec::{self, PersonRec};
use crate::rows::col;
use crate::{
    DetectConfig, DetectError, Detection, DetectionMeta, Engine, Family, Link, Severity, Signal,
};

/// SANCTIONS.
pub struct SanctionsDetection;

/// A listed email or digital-currency address, exactly.
const LR_EXACT: f64 = 500.0;
/// An email domain or website host that is a listed website or a listed email's own domain.
const LR_DOMAIN: f64 = 100.0;
/// A listed individual's name and full date of birth.
const LR_NAME_DOB: f64 = 200.0;
/// A listed individual's name and a date of birth within the listed year (or range).
const LR_NAME_YEAR: f64 = 30.0;
/// A name alone (no date of birth on either side): common names collide.
const LR_NAME_ONLY: f64 = 3.0;
/// A fuzzy name alone (transliteration variant, score below 0.97).
const LR_NAME_FUZZY: f64 = 2.0;
/// Entries outside the DPRK and CYBER programmes are sanctions hits all the same, but weaker
/// evidence of a North Korean IT-worker scheme.
const OTHER_PROGRAMME: f64 = 0.1;

static META: DetectionMeta = DetectionMeta {
    id: "SANCTIONS",
    title: "Name, email, website or pay address on the OFAC SDN list",
    family: Family::Identity,
    severity: Severity::Critical,
    likelihood_ratio: LR_EXACT,
    lr_rationale: "An exact listed email or digital-currency address has no innocent look-alike \
        (OFAC lists them because the designated person or front company used them): LR 500. \
        An email domain or portfolio host that is a listed website or the domain of a listed \
        non-webmail email: LR 100 (95% for a subdomain). Names collide: screening vendors \
        report that nearly all raw name alerts are false, so a name alone is LR 3 (exact, \
        score >= 0.97) or 2 (transliteration variant), never enough on its own. A listed \
        individual's name with the person's full date of birth equal to a listed one: a chance \
        collision needs the same name and the same day among ~20,000 birth dates, LR 200; \
        with only the listed year (or range, or 'circa' +-1 year) matching, LR 30. A date of \
        birth that contradicts every listed one clears a name hit. Entries outside the DPRK \
        and CYBER programmes count a tenth (a sanctions problem for compliance, hardly evidence \
        of this scheme: a common name born in a listed terrorist's year is no IT worker); hits \
        below LR 1.5 are dropped.",
    tables: &["people", "payroll"],
    what: "Screens each person's full name (against listed individuals' names and strong \
        aliases; weak aliases only exactly), personal email (exact; then its domain), and \
        portfolio website host, and each payroll digital-currency address (exact) and account \
        holder name (name rules), against the OFAC SDN list muster embeds (or the newer list \
        configured in `[data] sdn`, with the per-currency address lists). Names use \
        muster-intel's matcher (transliteration, token order, romanisation variants, score \
        >= 0.88) and are then checked against the entry's listed dates of birth.",
    why: "Treasury has designated DPRK IT-worker front companies, their officers and \
        facilitators with the emails, websites and digital-currency addresses they used \
        (e.g. Volasys Silver Star and its chief executive, Sep 2018; Chinyong Information \
        Technology Cooperation Company, May 2023; Kimsuky's websites and emails), and the 2022 \
        advisory tells employers to screen applicants and payees against the SDN list; paying \
        a listed person is itself a violation.",
    data: "people (full_name, date_of_birth, email, portfolio_url), payroll (crypto_address, \
        account_holder_name); the SDN list and OFAC's digital-currency address lists. Listed \
        dates of birth come from the legacy CSV's remarks (the embedded list, or `[data] sdn` \
        pointing at an sdn.csv); muster reads `sdn_advanced.xml` without dates of birth, so \
        with it name hits stay at the name-only ratio.",
    false_positives: "Common names that share tokens with a listed name: the matcher needs every \
        token of a listed name (a shared surname or given name alone never matches), a name \
        alone stays weak (LR 2-3), and a date of birth that contradicts the listed ones clears \
        the hit. Only individuals are screened for people's names. Webmail domains (gmail.com, \
        ...) are never domain hits, nor are listed websites with a path (`host/page`: the host \
        is someone else's, e.g. a university), nor academic hosts (.edu, .ac.*), so a school \
        never counts (the fairness rule on education). The matcher only compares with listed \
        names; it never scores a name for its origin.",
    references: &[
        "US Treasury OFAC, Specially Designated Nationals list (sdn.csv / sdn_advanced.xml) and digital currency address lists",
        "US Treasury OFAC designations of DPRK IT-worker front companies: Volasys Silver Star (Sep 2018), Chinyong Information Technology Cooperation Company (May 2023)",
        "FBI/State/Treasury, 'Guidance on the DPRK Information Technology Workers', May 2022 (screen against the SDN list)",
        "OFAC, 'Framework for OFAC Compliance Commitments' (name screening and false positives), May 2019",
    ],
};

/// How a person's date of birth relates to an entry's listed ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DobCheck {
    /// Equal to a listed full date.
    Exact,
    /// Within a listed year, month, range or circa year.
    Year,
    /// Every listed date excludes it.
    Contradicts,
    /// Nothing to compare.
    Unknown,
}

impl DobCheck {
    fn as_str(self) -> &'static str {
        match self {
            DobCheck::Exact => "exact",
            DobCheck::Year => "year",
            DobCheck::Contradicts => "contradicts",
            DobCheck::Unknown => "unknown",
        }
    }
}

/// A listed date as (year, month, day); month and day 0 when not given.
fn parse_listed(s: &str) -> Option<(i32, u32, u32)> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let parts: Vec<&str> = s.split_whitespace().collect();
    let month = |m: &str| {
        let m = m.to_ascii_lowercase();
        MONTHS
            .iter()
            .position(|x| m.starts_with(x))
            .map(|i| i as u32 + 1)
    };
    match parts.as_slice() {
        [y] => Some((y.parse().ok()?, 0, 0)),
        [m, y] => Some((y.parse().ok()?, month(m)?, 0)),
        [d, m, y] => Some((y.parse().ok()?, month(m)?, d.parse().ok()?)),
        _ => None,
    }
}

fn dob_check(listed: &[String], dob: Option<&str>) -> DobCheck {
    let Some(dob) = dob.and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()) else {
        return DobCheck::Unknown;
    };
    use chrono::Datelike;
    let me = (dob.year(), dob.month(), dob.day());
    let mut compared = false;
    let mut best = DobCheck::Contradicts;
    for item in listed {
        let t = item.trim();
        let (circa, t) = match t.strip_prefix("circa ") {
            Some(rest) => (1, rest),
            None => (0, t),
        };
        let (a, b) = match t.split_once(" to ") {
            Some((a, b)) => (parse_listed(a), parse_listed(b)),
            None => (parse_listed(t), parse_listed(t)),
        };
        let (Some(a), Some(b)) = (a, b) else { continue };
        compared = true;
        if circa == 0 && a == b && a.2 != 0 && a == me {
            return DobCheck::Exact;
        }
        let lo = (a.0 - circa, if a.1 == 0 { 1 } else { a.1 }, 0);
        let hi = (b.0 + circa, if b.1 == 0 { 12 } else { b.1 }, 31);
        let within = (lo.0, lo.1, lo.2) <= me && me <= (hi.0, hi.1, hi.2);
        // A full listed date that is not the person's is a contradiction, not a year match.
        if within && !(a == b && a.2 != 0) {
            best = DobCheck::Year;
        }
    }
    if compared { best } else { DobCheck::Unknown }
}

/// Whether a domain hit may count: a listed email's own domain, or a listed website without a
/// path, on a host that is not academic.
fn domain_hit_counts(h: &SanctionsHit) -> bool {
    let listed = h.matched_name.trim().to_ascii_lowercase();
    let host_part = listed.split_once("://").map_or(listed.as_str(), |(_, r)| r);
    let has_path = host_part
        .split_once('/')
        .is_some_and(|(_, rest)| !rest.trim_matches('/').is_empty() && rest != "index.html");
    let host = host_part
        .rsplit_once('@')
        .map_or(host_part, |(_, d)| d)
        .split('/')
        .next()
        .unwrap_or("");
    let academic = host.ends_with(".edu")
        || host.contains(".edu.")
        || host.contains(".ac.")
        || host.contains("univ");
    matches!(h.kind, HitKind::Email | HitKind::Website) && !has_path && !academic
}

fn relevance(h: &SanctionsHit) -> f64 {
    let relevant = h.ent_num == 0
        || h.dprk_related
        || h.programs
            .iter()
            .any(|p| p.to_ascii_uppercase().starts_with("CYBER"));
    if relevant { 1.0 } else { OTHER_PROGRAMME }
}

/// One screening result for a person.
struct Found {
    lr: f64,
    field: &'static str,
    hit: SanctionsHit,
    dob: Option<DobCheck>,
}

fn name_hits(s: &Sanctions, name: &str, dob: Option<&str>, individuals_only: bool) -> Vec<Found> {
    s.match_name(name)
        .into_iter()
        .filter_map(|h| {
            let entry = s.entry(h.ent_num)?;
            if individuals_only && entry.kind != EntryKind::Individual {
                return None;
            }
            let check = dob_check(&entry.dates_of_birth, dob);
            let lr = match check {
                DobCheck::Contradicts => return None,
                DobCheck::Exact => LR_NAME_DOB,
                DobCheck::Year => LR_NAME_YEAR,
                DobCheck::Unknown if h.score >= 0.97 => LR_NAME_ONLY,
                DobCheck::Unknown => LR_NAME_FUZZY,
            };
            Some(Found {
                lr,
                field: "full_name",
                hit: h,
                dob: Some(check),
            })
        })
        .collect()
}

fn exact(field: &'static str, hits: Vec<SanctionsHit>) -> impl Iterator<Item = Found> {
    hits.into_iter().map(move |hit| Found {
        lr: LR_EXACT,
        field,
        hit,
        dob: None,
    })
}

fn domains(field: &'static str, hits: Vec<SanctionsHit>) -> impl Iterator<Item = Found> {
    hits.into_iter()
        .filter(domain_hit_counts)
        .map(move |hit| Found {
            lr: LR_DOMAIN * hit.score,
            field,
            hit,
            dob: None,
        })
}

fn screen_person(s: &Sanctions, r: &PersonRec) -> Vec<Found> {
    let mut out = name_hits(s, &r.full_name, r.dob.as_deref(), true);
    let raw_email = r.extra.first().cloned().flatten();
    if let Some(e) = raw_email.as_deref() {
        let mut hits = s.match_email(e);
        if hits.is_empty()
            && let Some(n) = r.email.as_deref()
        {
            hits = s.match_email(n);
        }
        if hits.is_empty() {
            out.extend(domains("email", s.match_domain(e)));
        } else {
            out.extend(exact("email", hits));
        }
    }
    if let Some(url) = r.extra.get(1).cloned().flatten() {
        out.extend(domains("portfolio_url", s.match_domain(&url)));
    }
    out
}

impl Detection for SanctionsDetection {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn run(&self, engine: &Engine, cfg: &DetectConfig) -> Result<Vec<Signal>, DetectError> {
        let s = cfg.intel.sanctions();
        let mut found: BTreeMap<String, Vec<Found>> = BTreeMap::new();
        for r in person_rec::load(engine, &["email", "portfolio_url"], "TRUE")? {
            let f = screen_person(s, &r);
            if !f.is_empty() {
                found.entry(r.person_id.clone()).or_default().extend(f);
            }
        }
        let pay = engine.sql(
            "SELECT DISTINCT person_id, crypto_address, account_holder_name FROM payroll
             WHERE crypto_address IS NOT NULL OR account_holder_name IS NOT NULL
             ORDER BY person_id",
        )?;
        for b in pay {
            let (p, addr, holder) = (
                col(&b, "person_id")?,
                col(&b, "crypto_address")?,
                col(&b, "account_holder_name")?,
            );
            for i in 0..b.num_rows() {
                let Some(p) = p.str(i) else { continue };
                let mut f: Vec<Found> = Vec::new();
                if let Some(a) = addr.str(i) {
                    f.extend(exact("payroll.crypto_address", s.match_crypto(a)));
                }
                if let Some(h) = holder.str(i) {
                    f.extend(name_hits(s, h, None, false).into_iter().map(|mut x| {
                        x.field = "payroll.account_holder_name";
                        x
                    }));
                }
                if !f.is_empty() {
                    found.entry(p.to_string()).or_default().extend(f);
                }
            }
        }
        let mut out = Vec::new();
        for (person, list) in found {
            // The strongest result per (entry, field).
            let mut best: BTreeMap<(u32, &'static str, String), Found> = BTreeMap::new();
            for f in list {
                let k = (f.hit.ent_num, f.field, f.hit.matched_name.clone());
                if best.get(&k).is_none_or(|b| f.lr > b.lr) {
                    best.insert(k, f);
                }
            }
            for f in best.into_values() {
                let lr = f.lr * relevance(&f.hit);
                if lr < 1.5 {
                    continue;
                }
                out.push(signal(&person, lr, &f));
            }
        }
        Ok(out)
    }
}

fn signal(person: &str, lr: f64, f: &Found) -> Signal {
    let h = &f.hit;
    let what = match (h.kind, f.dob) {
        (HitKind::Name, Some(DobCheck::Exact)) => "name and date of birth".to_string(),
        (HitKind::Name, Some(DobCheck::Year)) => "name and year of birth".to_string(),
        (HitKind::Name, _) => "name only (no date of birth to compare)".to_string(),
        (HitKind::Crypto, _) => "digital-currency address".to_string(),
        (k, _) if f.lr < LR_EXACT => format!("{} domain", k.as_str()),
        (k, _) => k.as_str().to_string(),
    };
    let exact_value = matches!(h.kind, HitKind::Crypto)
        || (matches!(h.kind, HitKind::Email | HitKind::Website) && f.lr >= LR_DOMAIN * 0.95);
    let links = if exact_value {
        vec![Link {
            kind: "sdn_entry",
            value: format!("SDN {}", h.ent_num),
            ring_edge: true,
            share: None,
        }]
    } else {
        Vec::new()
    };
    Signal {
        person_id: person.to_string(),
        device_id: None,
        detection: META.id,
        family: META.family,
        severity: if lr >= 100.0 {
            Severity::Critical
        } else if lr >= 20.0 {
            Severity::High
        } else {
            Severity::Low
        },
        likelihood_ratio: lr,
        first_seen: None,
        last_seen: None,
        reason: format!(
            "{} matches SDN entry {} {} ({}; {}): {what}",
            f.field.replace('_', " "),
            h.ent_num,
            h.entry_name,
            h.matched_name,
            if h.programs.is_empty() {
                "OFAC address list".to_string()
            } else {
                h.programs.join(" ")
            },
        ),
        evidence: json!({
            "field": f.field,
            "match": h.kind.as_str(),
            "sdn_ent_num": h.ent_num,
            "sdn_name": h.entry_name,
            "listed_value": h.matched_name,
            "score": (h.score * 100.0).round() / 100.0,
            "programs": h.programs,
            "dprk_related": h.dprk_related,
            "currency": h.currency,
            "date_of_birth_check": f.dob.map(DobCheck::as_str),
        }),
        links,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn dates_of_birth() {
        let d = Some("1962-02-18");
        assert_eq!(dob_check(&l(&["18 Feb 1962"]), d), DobCheck::Exact);
        assert_eq!(dob_check(&l(&["1962"]), d), DobCheck::Year);
        assert_eq!(dob_check(&l(&["Feb 1962"]), d), DobCheck::Year);
        assert_eq!(dob_check(&l(&["circa 1961"]), d), DobCheck::Year);
        assert_eq!(dob_check(&l(&["1960 to 1963"]), d), DobCheck::Year);
        assert_eq!(dob_check(&l(&["19 Feb 1962"]), d), DobCheck::Contradicts);
        assert_eq!(
            dob_check(&l(&["circa 1947", "circa 1946"]), d),
            DobCheck::Contradicts
        );
        assert_eq!(dob_check(&l(&["1990", "18 Feb 1962"]), d), DobCheck::Exact);
        assert_eq!(dob_check(&[], d), DobCheck::Unknown);
        assert_eq!(dob_check(&l(&["1962"]), None), DobCheck::Unknown);
    }

    #[test]
    fn embedded_list_screening() {
        let s = Sanctions::embedded();
        let who = |name: &str, dob: Option<&str>| {
            name_hits(s, name, dob, true)
                .iter()
                .map(|f| f.lr)
                .fold(0.0f64, f64::max)
        };
        assert_eq!(who("Kim Yong Chol", Some("1962-02-18")), LR_NAME_DOB);
        assert_eq!(who("Yong Chol Kim", Some("1990-05-01")), 0.0);
        assert_eq!(who("Kim Lee", Some("1990-05-01")), 0.0);
        assert!(who("Kim Yong Chol", None) <= LR_NAME_ONLY);
    }
}
