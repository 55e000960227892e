//! ID-STOLEN: one national id (SSN) claimed by different identities, one identity used by
//! different people at the same time, or an SSN that can never have been issued.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use muster_normalize::ssn::{InvalidSsn, SsnError, parse_ssn};
use serde_json::json;

use super::person_rec::{self, PersonRec, components, one_typo_apart};
use crate::{
    DetectConfig, DetectError, Detection, DetectionMeta, Engine, Family, Link, Severity, Signal,
};

/// ID-STOLEN.
pub struct IdStolen;

/// One national id under two or more different claimed identities.
const LR_SHARED: f64 = 40.0;
/// One claimed identity (name, date of birth, national id) used at the same time by records
/// with no personal email or phone in common.
const LR_CONCURRENT: f64 = 15.0;
/// The earlier of two concurrent users of one identity (possibly its real owner).
const LR_EARLIER: f64 = 5.0;
/// One claimed identity reappearing, within `SEQUENTIAL_DAYS` of its last use, with no email
/// or phone in common with the earlier record (on the later record only).
const LR_SEQUENTIAL: f64 = 4.0;
const SEQUENTIAL_DAYS: i64 = 3 * 365;
/// An SSN that can never have been issued.
const LR_INVALID: f64 = 10.0;
/// Days an application counts as "current" when comparing it with another record.
const APPLICANT_DAYS: i64 = 90;

static META: DetectionMeta = DetectionMeta {
    id: "ID-STOLEN",
    title: "Stolen or fabricated identity: one national id, several identities",
    family: Family::Identity,
    severity: Severity::High,
    likelihood_ratio: 80.0,
    lr_rationale: "The SSA issues each SSN to one person, so two different names or dates of birth \
        on one number have no innocent explanation beyond data-entry errors (a mistyped SSN that \
        happens to equal a colleague's: about one in 10^5 per mistyped record in a company of \
        10,000; mistypes of the person's own number are recognised and excluded) and HR test \
        records (placeholders, excluded): LR 40, 80 when three or more identities share the \
        number (the Chapman and Didenko cases reused each stolen identity at several \
        companies). One identity used at the same time by records that share no personal email \
        or phone: a real person does not apply twice within three months, or hold two \
        concurrent records, with a completely different email and phone: LR 15 for the record \
        that appeared later (the new claimant), 5 for the earlier one (often the identity's \
        real owner, who should be told). Used again later, within three years, with no email \
        or phone in common: people keep their mobile numbers and personal mailboxes for years \
        (number portability), so a rehire or re-application that changed both is a small \
        minority (we estimate one in five to ten), while an impostor always brings their own: \
        LR 4, on the later record only. An SSN that can never have been issued \
        (area 000, 666 or 900-999 outside the ITIN ranges, group 00, serial 0000): most \
        facilitated identities use real stolen numbers, so this is rarer among schemes than \
        shared numbers, while honest records almost never carry one once placeholders and \
        keying errors of the person's own number are excluded: LR 10.",
    tables: &["people"],
    what: "Reads `people.national_id` (digits and letters only; 7-8 digit US numbers \
        written without separators are left-padded, as spreadsheets drop leading zeros), treats \
        HR placeholders as missing (all digits equal, 123456789, 987654321, the SSA's published \
        sample numbers, and any value on at least the infrastructure threshold of records), \
        and reports: (1) a number claimed by two or more different identities: records are \
        first joined into one person when they share a personal email or phone under a \
        related name (a word in common) or the same date of birth, then persons \
        are one claimed identity when their names are compatible (one's name tokens contain \
        the other's, initials ignored, or, with the same date of birth, a token in common: \
        married names, nicknames) and their dates of birth compatible (equal, missing, or one \
        typo apart); (2) one claimed identity used by persons with no email or phone in common \
        whose records are active at the same time (employment periods overlapping, or \
        applications within 90 days), or by a new person within three years after the earlier \
        record ended (each person needs an email or phone and a time on record); (3) for US records (country empty or US), an SSN that \
        parses but breaks the SSA's never-issued rules (muster-normalize `parse_ssn`). Numbers \
        are masked in every output (last four digits).",
    why: "North Korean IT workers are placed under stolen US identities: the Chapman facilitation \
        used 68 stolen identities at 309 companies, the Didenko case up to 871 proxy identities, \
        and the 2022 FBI/State/Treasury advisory lists stolen or borrowed SSNs. Within one \
        company or a consortium of companies, the same stolen identity reappears under new \
        contact details or next to the victim's own record. Fabricated numbers that break the \
        SSA rules appear when no real identity was at hand (2022 advisory: 'fraudulent \
        identification documents').",
    data: "people (national_id, full_name, date_of_birth, email, phone, country, applied_at, \
        hired_at, terminated_at).",
    false_positives: "The same person re-applying or rehired (same number, name and date of \
        birth, and a shared email or phone): one person, silent; with both email and phone \
        changed, silent after three years and LR 4 before (the residual cost of rehires). The \
        real owner of a stolen identity is flagged at LR 5 next to the impostor when both are \
        active at once: the evidence names both records, but the record seen first (the \
        presumed owner) is not joined into the impostors' ring through the number. A \
        married name or a date of birth typed with one wrong digit or day and month swapped: \
        the same claimed identity. A mistyped number: when the person's other records (same \
        name and date of birth, or a shared email or phone under a related name) carry a \
        number one keystroke away (one digit, \
        or two adjacent digits swapped), the mistyped number is not evidence, neither as a \
        shared nor as an invalid number. Placeholders HR systems use for a missing SSN \
        (000-00-0000, 999-99-9999, 123-45-6789, ...) are missing values. Valid ITINs (area \
        9xx with an ITIN group) are taxpayer numbers, not fabricated SSNs. Records outside the \
        US (country given and not US) are not checked against SSA rules (a Canadian SIN also \
        has nine digits). What cannot be inferred: whether an SSN was issued before the claimed \
        birth. Before June 2011 area numbers were assigned per state and groups in a fixed \
        order, so the SSA's historical high-group lists could bound an issue date, but muster \
        does not embed them, and since randomisation (25 June 2011) any unused area may be \
        issued at any time; the check is not made.",
    references: &[
        "FBI/State/Treasury, 'Guidance on the Democratic People's Republic of Korea Information Technology Workers', May 2022",
        "US DOJ, 'Arizona woman sentenced for laptop farm' (Chapman), Jul 2025: 68 stolen identities, 309 companies",
        "US DOJ, Didenko indictment, May 2024: up to 871 proxy identities",
        "Social Security Administration, 'Social Security Number Randomization' (2011) and POMS RM 10201.070 (never-issued numbers)",
        "IRS, ITIN number ranges (area 9xx, group 50-65, 70-88, 90-92, 94-99)",
    ],
};

/// What a record's national id is.
#[derive(Debug, Clone, PartialEq)]
enum IdState {
    /// A number that can be compared (the key: digits, or letters and digits for non-US ids).
    Usable {
        key: String,
        invalid: Option<InvalidSsn>,
    },
    /// Missing, a placeholder, or not an identifier.
    Missing,
}

fn is_us(country: Option<&str>) -> bool {
    matches!(
        country,
        None | Some("US" | "USA" | "UNITED STATES" | "UNITED STATES OF AMERICA")
    )
}

/// Whether a value HR systems put in place of a missing number.
fn is_placeholder_id(key: &str) -> bool {
    let b = key.as_bytes();
    let all_same = b.iter().all(|c| Some(c) == b.first());
    all_same
        || [
            "123456789",
            "987654321",
            "012345678",
            "0123456789",
            "1234567890",
        ]
        .contains(&key)
        || matches!(
            parse_ssn(key),
            Err(SsnError::Invalid(InvalidSsn::Advertising))
        )
}

/// Whether a 9xx number is shaped like an IRS ITIN (group 50-65, 70-88, 90-92, 94-99).
fn is_itin(digits: &str) -> bool {
    let group: u16 = digits.get(3..5).and_then(|g| g.parse().ok()).unwrap_or(0);
    digits.starts_with('9') && matches!(group, 50..=65 | 70..=88 | 90..=92 | 94..=99)
}

fn classify(raw: &str, country: Option<&str>) -> IdState {
    let mut key: String = raw
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let us = is_us(country);
    let bare_digits = raw.trim().bytes().all(|b| b.is_ascii_digit());
    if us && bare_digits && (7..9).contains(&key.len()) {
        key = format!("{key:0>9}");
    }
    if key.len() < 6 || is_placeholder_id(&key) {
        return IdState::Missing;
    }
    let invalid = if us && key.len() == 9 && key.bytes().all(|b| b.is_ascii_digit()) {
        match parse_ssn(&key) {
            Err(SsnError::Invalid(r)) if !is_itin(&key) => Some(r),
            _ => None,
        }
    } else {
        None
    };
    IdState::Usable { key, invalid }
}

fn shown(key: &str) -> String {
    super::mask(key, 4)
}

fn rule_text(r: InvalidSsn) -> &'static str {
    match r {
        InvalidSsn::AreaZero => "area 000 is never issued",
        InvalidSsn::Area666 => "area 666 is never issued",
        InvalidSsn::Area900s => "area 900-999 is never issued as an SSN (and this is no ITIN)",
        InvalidSsn::GroupZero => "group 00 is never issued",
        InvalidSsn::SerialZero => "serial 0000 is never issued",
        InvalidSsn::Advertising => "a published sample number",
    }
}

/// Records by personal email, phone and claimed identity, to recognise a person's mistyped
/// number among their other records.
#[derive(Default)]
struct KeysBy<'a> {
    recs: Vec<(&'a PersonRec, &'a str)>,
    email: HashMap<&'a str, Vec<usize>>,
    phone: HashMap<&'a str, Vec<usize>>,
    claim: HashMap<String, Vec<usize>>,
}

fn claim_key(r: &PersonRec) -> String {
    let t: Vec<&str> = r.tokens.iter().map(String::as_str).collect();
    format!("{}|{}", t.join(" "), r.dob.as_deref().unwrap_or(""))
}

impl<'a> KeysBy<'a> {
    fn add(&mut self, r: &'a PersonRec, key: &'a str) {
        let i = self.recs.len();
        self.recs.push((r, key));
        if let Some(e) = &r.email {
            self.email.entry(e.as_str()).or_default().push(i);
        }
        if let Some(p) = &r.phone {
            self.phone.entry(p.as_str()).or_default().push(i);
        }
        self.claim.entry(claim_key(r)).or_default().push(i);
    }

    /// Whether another record of the same person as `r` (same claimed identity, or a shared
    /// contact under a related name) carries a number one keying error away from `key`: then
    /// `key` on `r` is a typo of that number. A facilitator's phone on identities with
    /// sequential numbers does not count: the names are unrelated.
    fn typo_of_own(&self, r: &PersonRec, key: &str) -> bool {
        let lists = [
            r.email.as_deref().and_then(|e| self.email.get(e)),
            r.phone.as_deref().and_then(|p| self.phone.get(p)),
            self.claim.get(&claim_key(r)),
        ];
        lists.into_iter().flatten().flatten().any(|&j| {
            let (o, k) = self.recs[j];
            one_typo_apart(k, key) && (r.same_claim(o) || r.same_person_by_contact(o))
        })
    }
}

fn overlap(a: Option<(i64, i64)>, b: Option<(i64, i64)>) -> bool {
    match (a, b) {
        (Some((s1, e1)), Some((s2, e2))) => s1 <= e2 && s2 <= e1,
        _ => false,
    }
}

impl Detection for IdStolen {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn run(&self, engine: &Engine, cfg: &DetectConfig) -> Result<Vec<Signal>, DetectError> {
        let infra = crate::infra_threshold(engine, cfg).max(2) as usize;
        let recs = person_rec::load(engine, &["national_id"], "national_id IS NOT NULL")?;
        let mut keyed: Vec<(&PersonRec, String, Option<InvalidSsn>)> = Vec::new();
        for r in &recs {
            let raw = r.extra.first().cloned().flatten().unwrap_or_default();
            if let IdState::Usable { key, invalid } = classify(&raw, r.country.as_deref()) {
                keyed.push((r, key, invalid));
            }
        }
        let mut by_key: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        let mut keys_by = KeysBy::default();
        for (i, (r, key, _)) in keyed.iter().enumerate() {
            by_key.entry(key.as_str()).or_default().push(i);
            keys_by.add(r, key.as_str());
        }
        let mut out = Vec::new();
        let mut seq = 0u32;
        for (key, idx) in &by_key {
            if idx.len() < 2 || idx.len() >= infra {
                continue; // unique, or a placeholder convention of this HR system
            }
            let members: Vec<&PersonRec> = idx.iter().map(|&i| keyed[i].0).collect();
            seq += 1;
            let link = Link {
                kind: "national_id",
                value: format!("{}#{seq}", shown(key)),
                ring_edge: true,
                share: None,
            };
            out.extend(shared_signals(key, &members, &keys_by, &link));
        }
        for (r, key, invalid) in &keyed {
            let Some(rule) = invalid else { continue };
            if keys_by.typo_of_own(r, key)
                || by_key.get(key.as_str()).is_some_and(|v| v.len() >= infra)
            {
                continue;
            }
            out.push(signal(
                r,
                LR_INVALID,
                Severity::Medium,
                format!("SSN {} can never have been issued: {}", shown(key), rule_text(*rule)),
                json!({ "kind": "invalid_ssn", "national_id": shown(key), "rule": rule_text(*rule) }),
                Vec::new(),
            ));
        }
        Ok(out)
    }
}

/// Signals for the records that share one national id.
fn shared_signals(key: &str, members: &[&PersonRec], keys_by: &KeysBy, link: &Link) -> Vec<Signal> {
    // One person: records sharing a personal email or phone under a related name or birth date.
    let persons = components(members.len(), |a, b| {
        members[a].same_person_by_contact(members[b])
    });
    if persons.len() < 2 {
        return Vec::new();
    }
    // One claimed identity: persons with compatible names and dates of birth.
    let claims = components(persons.len(), |a, b| {
        persons[a].iter().any(|&i| {
            persons[b]
                .iter()
                .any(|&j| members[i].same_claim(members[j]))
        })
    });
    // A claim whose number is a keying error of its own other number is not evidence.
    let claims: Vec<Vec<usize>> = claims
        .into_iter()
        .filter(|c| {
            !c.iter()
                .flat_map(|&p| &persons[p])
                .any(|&i| keys_by.typo_of_own(members[i], key))
        })
        .collect();
    let mut hits: BTreeMap<usize, (f64, &'static str)> = BTreeMap::new();
    if claims.len() >= 2 {
        let lr = if claims.len() >= 3 {
            2.0 * LR_SHARED
        } else {
            LR_SHARED
        };
        for &i in claims.iter().flatten().flat_map(|&p| &persons[p]) {
            hits.insert(i, (lr, "shared_by_identities"));
        }
    }
    let mut hit = |i: usize, lr: f64, kind: &'static str| {
        let e = hits.entry(i).or_insert((lr, kind));
        if lr > e.0 {
            *e = (lr, kind);
        }
    };
    let span = |p: usize| -> Option<(i64, i64)> {
        let ps: Vec<(i64, i64)> = persons[p]
            .iter()
            .filter_map(|&i| members[i].period(APPLICANT_DAYS))
            .collect();
        let has_contact = persons[p]
            .iter()
            .any(|&i| members[i].email.is_some() || members[i].phone.is_some());
        let start = ps.iter().map(|x| x.0).min()?;
        let end = ps.iter().map(|x| x.1).max()?;
        has_contact.then_some((start, end))
    };
    for c in &claims {
        for (x, &pa) in c.iter().enumerate() {
            for &pb in &c[x + 1..] {
                let (Some(sa), Some(sb)) = (span(pa), span(pb)) else {
                    continue;
                };
                let concurrent = persons[pa].iter().any(|&i| {
                    persons[pb].iter().any(|&j| {
                        overlap(
                            members[i].period(APPLICANT_DAYS),
                            members[j].period(APPLICANT_DAYS),
                        )
                    })
                });
                // The person who appeared later is the new claimant of an existing identity.
                let ((early, se), (late, sl)) = if sa.0 <= sb.0 {
                    ((pa, sa), (pb, sb))
                } else {
                    ((pb, sb), (pa, sa))
                };
                if concurrent {
                    for &i in &persons[late] {
                        hit(i, LR_CONCURRENT, "identity_used_concurrently");
                    }
                    for &i in &persons[early] {
                        hit(i, LR_EARLIER, "identity_used_concurrently");
                    }
                } else if sl.0.saturating_sub(se.1) <= SEQUENTIAL_DAYS * person_rec::DAY_US {
                    for &i in &persons[late] {
                        hit(i, LR_SEQUENTIAL, "identity_reused_later");
                    }
                }
            }
        }
    }
    // The claimant seen first (strictly) is presumed the identity's real owner: a victim, not a member of
    // the ring, so their link to the number is evidence but not a ring edge. Later claimants
    // of one number are still joined through it.
    // With a tie for first (records loaded the same day) nobody is presumed the owner.
    let mut starts: Vec<(i64, usize)> = claims
        .iter()
        .flatten()
        .filter_map(|&p| span(p).map(|s| (s.0, p)))
        .collect();
    starts.sort_unstable();
    let owner: BTreeSet<usize> = match starts.as_slice() {
        [(t0, p), rest @ ..] if rest.first().is_none_or(|(t1, _)| t1 > t0) => {
            persons[*p].iter().copied().collect()
        }
        _ => BTreeSet::new(),
    };
    let ids: Vec<&str> = members.iter().map(|m| m.person_id.as_str()).collect();
    hits.into_iter()
        .map(|(i, (lr, kind))| {
            let m = members[i];
            let others: Vec<&str> = ids.iter().copied().filter(|p| *p != m.person_id).collect();
            let reason = if kind == "identity_reused_later" {
                format!(
                    "the identity behind national id {} was used before by another record ({}), which shares no email or phone with this one",
                    shown(key),
                    others.join(", ")
                )
            } else if kind == "shared_by_identities" {
                format!(
                    "national id {} is also claimed under a different name or date of birth ({} identities, other records: {})",
                    shown(key),
                    claims.len(),
                    others.join(", ")
                )
            } else {
                format!(
                    "the identity behind national id {} is in use at the same time by records with a different email and phone ({})",
                    shown(key),
                    others.join(", ")
                )
            };
            signal(
                m,
                lr,
                if lr >= LR_SHARED { Severity::High } else { Severity::Medium },
                reason,
                json!({
                    "kind": kind,
                    "national_id": shown(key),
                    "identities": claims.len(),
                    "records": ids.len(),
                    "shared_with": others,
                }),
                vec![Link {
                    ring_edge: link.ring_edge && !owner.contains(&i),
                    ..link.clone()
                }],
            )
        })
        .collect()
}

fn signal(
    r: &PersonRec,
    lr: f64,
    severity: Severity,
    reason: String,
    evidence: serde_json::Value,
    links: Vec<Link>,
) -> Signal {
    let times = [r.applied_at, r.hired_at].into_iter().flatten();
    Signal {
        person_id: r.person_id.clone(),
        device_id: None,
        detection: META.id,
        family: META.family,
        severity,
        likelihood_ratio: lr,
        first_seen: times.clone().min().map(crate::rows::rfc3339),
        last_seen: times.max().map(crate::rows::rfc3339),
        reason,
        evidence,
        links,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(raw: &str, c: Option<&str>) -> IdState {
        classify(raw, c)
    }

    #[test]
    fn classification() {
        assert_eq!(key("123-45-6789", None), IdState::Missing);
        assert_eq!(key("999-99-9999", None), IdState::Missing);
        assert_eq!(key("000000000", None), IdState::Missing);
        assert_eq!(key("n/a", None), IdState::Missing);
        assert_eq!(
            key("536-22-8726", Some("US")),
            IdState::Usable {
                key: "536228726".into(),
                invalid: None
            }
        );
        // Spreadsheet-dropped leading zero.
        assert_eq!(
            key("78123456", None),
            IdState::Usable {
                key: "078123456".into(),
                invalid: None
            }
        );
        assert_eq!(
            key("666-12-3456", None),
            IdState::Usable {
                key: "666123456".into(),
                invalid: Some(InvalidSsn::Area666)
            }
        );
        assert_eq!(
            key("536-00-8726", None),
            IdState::Usable {
                key: "536008726".into(),
                invalid: Some(InvalidSsn::GroupZero)
            }
        );
        // An ITIN is not a fabricated SSN; a 9xx non-ITIN is.
        assert_eq!(
            key("912-70-1234", None),
            IdState::Usable {
                key: "912701234".into(),
                invalid: None
            }
        );
        assert_eq!(
            key("912-20-1234", None),
            IdState::Usable {
                key: "912201234".into(),
                invalid: Some(InvalidSsn::Area900s)
            }
        );
        // A Canadian SIN starting with 9 is not checked against SSA rules.
        assert_eq!(
            key("912 201 234", Some("CA")),
            IdState::Usable {
                key: "912201234".into(),
                invalid: None
            }
        );
    }

    #[test]
    fn masking_keeps_four() {
        assert_eq!(shown("536228726"), "*****8726");
    }
}
