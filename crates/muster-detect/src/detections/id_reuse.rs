//! ID-REUSE: one phone or email claimed by different people (shared pay accounts are PAY-SHARED).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use crate::rows::col;
use crate::{
    DetectConfig, DetectError, Detection, DetectionMeta, Engine, Family, Link, Severity, Signal,
};

/// ID-REUSE.
pub struct IdReuse;

static META: DetectionMeta = DetectionMeta {
    id: "ID-REUSE",
    title: "Contact details shared by different people",
    family: Family::Identity,
    severity: Severity::Medium,
    likelihood_ratio: 15.0,
    lr_rationale: "Unrelated applicants and employees almost never share a personal email; shared \
        phones happen inside households and agencies, which are excluded. Phone 8, email 15, \
        doubled when three or more identities share the value. Identifiers are evidence of a \
        ring, never a reason to merge people. Shared pay accounts are counted by PAY-SHARED only, \
        so one account is not counted twice.",
    tables: &["people"],
    what: "Normalises personal phones (E.164) and personal emails (lowercase, Gmail dots and +tags \
        removed), groups people by each value, and reports every value claimed by two or more \
        different identities that neither share a home address nor come through the same \
        staffing agency or intermediary. Bank accounts and crypto addresses shared by several \
        people are PAY-SHARED's.",
    why: "Facilitators reuse contact details across the identities they run \
        (FBI PSA Jan 2025: 'cross-check HR systems for other applicants with the same resume \
        content and/or contact information'); the same contact details \
        behind several identities are the facilitator's.",
    data: "people (phone, email, names, date_of_birth, address, staffing_agency, source).",
    false_positives: "Households: families, couples and roommates share phones and addresses (same \
        claimed home: excluded). Recruiters and staffing agencies give their own contact details \
        for several candidates (same staffing_agency, or the same intermediary `source` such as \
        'recruiter': excluded). Two records of one real person (re-application, applicant \
        later hired: same normalised name and date of birth) count as one identity. A phone or email \
        shared by as many people as the infrastructure threshold is ignored (a switchboard, a \
        shared inbox).",
    references: &[
        "FBI PSA I-012325-PSA, 'North Korean IT Workers Conducting Data Extortion', Jan 2025",
        "FBI/State/Treasury advisory, May 2022",
    ],
};

fn lr_for(kind: &str) -> f64 {
    match kind {
        "phone" => 8.0,
        _ => 15.0,
    }
}

fn shown(kind: &str, v: &str) -> String {
    match kind {
        "email" => match v.split_once('@') {
            Some((local, domain)) => format!("{}***@{domain}", local.chars().next().unwrap_or('*')),
            None => super::mask(v, 3),
        },
        _ => super::mask(v, 4),
    }
}

impl Detection for IdReuse {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn run(&self, engine: &Engine, cfg: &DetectConfig) -> Result<Vec<Signal>, DetectError> {
        let infra = crate::infra_threshold(engine, cfg);
        let sql = format!(
            "WITH ids AS (
               SELECT person_id, 'phone' AS kind, norm_phone(phone, country) AS v FROM people WHERE phone IS NOT NULL
               UNION ALL
               SELECT person_id, 'email', norm_email(email) FROM people WHERE email IS NOT NULL
             ),
             d AS (SELECT DISTINCT kind, v, person_id FROM ids WHERE v IS NOT NULL),
             g AS (SELECT kind, v FROM d GROUP BY kind, v HAVING count(*) >= 2 AND count(*) < {infra})
             SELECT d.kind, d.v, d.person_id, h.home, h.staffing_agency, h.source, name_key(h.full_name) AS nk,
                    CAST(h.date_of_birth AS VARCHAR) AS dob
             FROM d JOIN g ON d.kind = g.kind AND d.v = g.v
             JOIN person_home h ON d.person_id = h.person_id
             ORDER BY d.kind, d.v, d.person_id"
        );
        struct Member {
            person: String,
            home: Option<String>,
            agency: Option<String>,
            intermediary: Option<String>,
            identity: String,
        }
        let mut groups: BTreeMap<(String, String), Vec<Member>> = BTreeMap::new();
        for b in engine.sql(&sql)? {
            let src = col(&b, "source")?;
            let (kind, v, p, home, ag, nk, dob) = (
                col(&b, "kind")?,
                col(&b, "v")?,
                col(&b, "person_id")?,
                col(&b, "home")?,
                col(&b, "staffing_agency")?,
                col(&b, "nk")?,
                col(&b, "dob")?,
            );
            for i in 0..b.num_rows() {
                let (Some(kind), Some(v), Some(p)) = (kind.str(i), v.str(i), p.str(i)) else {
                    continue;
                };
                let identity = match nk.str(i) {
                    Some(n) => format!("{n}|{}", dob.str(i).unwrap_or("")),
                    None => format!("person:{p}"),
                };
                groups
                    .entry((kind.to_string(), v.to_string()))
                    .or_default()
                    .push(Member {
                        person: p.to_string(),
                        home: home.str(i).map(str::to_string),
                        agency: ag
                            .str(i)
                            .map(|s| s.trim().to_ascii_lowercase())
                            .filter(|s| !crate::udf::is_placeholder(s)),
                        intermediary: src
                            .str(i)
                            .map(|s| s.trim().to_ascii_lowercase())
                            .filter(|s| is_intermediary(s)),
                        identity,
                    });
            }
        }
        let mut out = Vec::new();
        let mut seqs: BTreeMap<String, u32> = BTreeMap::new();
        for ((kind, v), members) in groups {
            let Some(first) = members.first() else {
                continue;
            };
            let identities: BTreeSet<&str> = members.iter().map(|m| m.identity.as_str()).collect();
            if identities.len() < 2 {
                continue; // one real person with several records
            }
            let one_home = members
                .iter()
                .all(|m| m.home.is_some() && m.home == first.home);
            let one_agency = members
                .iter()
                .all(|m| m.agency.is_some() && m.agency == first.agency);
            let one_intermediary = members
                .iter()
                .all(|m| m.intermediary.is_some() && m.intermediary == first.intermediary);
            if one_home || one_agency || one_intermediary {
                continue;
            }
            let n = identities.len();
            let lr = lr_for(&kind) * if n >= 3 { 2.0 } else { 1.0 };
            let masked = shown(&kind, &v);
            // An opaque key for ring building: the masked value plus a per-kind sequence number
            // (never a hash of the raw value, which could be brute-forced back).
            let seq = seqs.entry(kind.clone()).or_insert(0);
            *seq += 1;
            let key = format!("{masked}#{seq}");
            let kind_static: &'static str = if kind == "phone" { "phone" } else { "email" };
            let people: Vec<&str> = members.iter().map(|m| m.person.as_str()).collect();
            for m in &members {
                let others: Vec<&str> = people.iter().copied().filter(|p| *p != m.person).collect();
                out.push(Signal {
                    person_id: m.person.clone(),
                    device_id: None,
                    detection: META.id,
                    family: META.family,
                    severity: META.severity,
                    likelihood_ratio: lr,
                    first_seen: None,
                    last_seen: None,
                    reason: format!(
                        "{} {masked} is also claimed by {} other {} with different homes",
                        kind.replace('_', " "),
                        others.len(),
                        if others.len() == 1 { "person" } else { "people" }
                    ),
                    evidence: json!({ "kind": kind, "value": masked, "shared_with": others, "identities": n }),
                    links: vec![Link {
                        kind: kind_static,
                        value: key.clone(),
                        ring_edge: true,
                        share: Some(v.clone()),
                    }],
                });
            }
        }
        Ok(out)
    }
}

/// Whether a `people.source` value names an intermediary that legitimately gives its own
/// contact details for the people it submits (recruiter, agency, staffing firm, vendor).
fn is_intermediary(source: &str) -> bool {
    ["recruit", "agency", "staffing", "vendor"]
        .iter()
        .any(|k| source.contains(k))
}
