//! FARM-MFA: one MFA device satisfies sign-ins for several people.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use crate::rows::{col, rfc3339};
use crate::{
    DetectConfig, DetectError, Detection, DetectionMeta, Engine, Family, Link, Severity, Signal,
};

/// FARM-MFA.
pub struct FarmMfa;

/// Likelihood ratio when the authenticator is shared by exactly two people.
const LR_TWO: f64 = 60.0;

static META: DetectionMeta = DetectionMeta {
    id: "FARM-MFA",
    title: "One MFA device approves sign-ins of several people",
    family: Family::Farm,
    severity: Severity::High,
    likelihood_ratio: 200.0,
    lr_rationale: "A personal authenticator (phone app, security key) registered to and used by two \
        employees is against every company's policy and rare in practice: the usual innocent \
        stories are a shared admin or lab token (excluded when every sharer is IT staff) and a \
        couple sharing a phone (excluded by a shared claimed home); we estimate 1 in 2,000 \
        employees at most, against a large share of facilitated identities whose operator \
        approves every prompt on one phone (Microsoft, Dec 2025): LR 60. Three or more identities \
        behind one authenticator has no common innocent story: LR 200.",
    tables: &["signins"],
    what: "Takes successful sign-ins that name the MFA device that satisfied them \
        (`signins.mfa_device_id`), resolves each account to a person (`signins.person_id`, else \
        the account map), and groups the people by MFA device. A device used for at least two \
        people who do not claim the same home gives LR 60 per person, three or more LR 200; the \
        MFA device is a ring edge. Several accounts of one person (accounts table, work and \
        personal email) are one person; accounts that map to nobody are not counted.",
    why: "Microsoft Threat Intelligence (Dec 2025) saw North Korean remote IT workers' identities \
        satisfied by the same MFA device: the operator behind several identities approves all of \
        their prompts from one phone. A facilitator or a team lead running several identities does \
        the same.",
    data: "signins (account, person_id, mfa_device_id, outcome, time); accounts and people emails \
        (account map); people (claimed home address, department).",
    false_positives: "One person with several accounts (admin and user accounts, several IdPs): \
        merged through the account map. Couples sharing one phone (same claimed home: excluded). \
        Shared hardware tokens of help-desk and IT administrators, break-glass and lab \
        accounts: excluded when every person sharing the device works in IT, help desk, service \
        desk or security (by department), and any device used by at least the infrastructure \
        threshold of people (max(25, 2% of the workforce)) is a shared token or a placeholder \
        value, not a personal authenticator. Values that name an MFA method rather than a device \
        (`sms`, `push`, `totp`, `voice`, `email`, `fido2`...) and placeholders are ignored.",
    references: &[
        "Microsoft Threat Intelligence, 'Jasper Sleet: North Korean remote IT workers' evolving tactics', Jun 2025",
        "Microsoft Threat Intelligence, DPRK remote IT worker detections (shared MFA devices), Dec 2025",
        "FBI PSA I-012325-PSA, Jan 2025",
    ],
};

/// Values that name an MFA method or a vendor default rather than one device.
fn is_method_name(v: &str) -> bool {
    const M: &[&str] = &[
        "sms",
        "push",
        "totp",
        "otp",
        "voice",
        "call",
        "phone",
        "email",
        "fido",
        "fido2",
        "webauthn",
        "u2f",
        "password",
        "mfa",
        "default",
        "oath",
        "hotp",
        "authenticator",
        "okta verify",
        "microsoft authenticator",
    ];
    let t = v.trim().to_ascii_lowercase();
    crate::udf::is_placeholder(&t) || M.contains(&t.as_str()) || t.chars().all(|c| c == '0')
}

/// Whether a department is IT support, where shared admin tokens are normal.
fn is_it_department(d: &str) -> bool {
    let d = d.trim().to_ascii_lowercase();
    d == "it"
        || d.starts_with("it ")
        || d.ends_with(" it")
        || [
            "information technology",
            "help desk",
            "helpdesk",
            "service desk",
            "security",
        ]
        .iter()
        .any(|k| d.contains(k))
}

impl Detection for FarmMfa {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn run(&self, engine: &Engine, cfg: &DetectConfig) -> Result<Vec<Signal>, DetectError> {
        let infra = crate::infra_threshold(engine, cfg);
        // One row per (MFA device, person); staged because both steps below read it.
        engine.stage_query(
            "mfa_people",
            "WITH ev AS (
               SELECT trim(s.mfa_device_id) AS mfa, coalesce(s.person_id, m.person_id) AS person_id,
                      s.time
               FROM signins s LEFT JOIN account_map m ON lower(trim(s.account)) = m.account
               WHERE s.mfa_device_id IS NOT NULL
                 AND coalesce(lower(s.outcome), 'success') = 'success'
             )
             SELECT mfa, person_id, count(*) AS n, min(time) AS t0, max(time) AS t1
             FROM ev WHERE person_id IS NOT NULL GROUP BY mfa, person_id",
        )?;
        let sql = "WITH multi AS (
               SELECT mfa, count(*) AS sharers FROM mfa_people GROUP BY mfa HAVING count(*) >= 2
             )
             SELECT g.mfa, g.person_id, g.n, g.t0, g.t1, m.sharers, h.home, p.department
             FROM mfa_people g JOIN multi m ON g.mfa = m.mfa
             JOIN person_home h ON h.person_id = g.person_id
             JOIN people p ON p.person_id = g.person_id
             ORDER BY g.mfa, g.person_id";
        struct Member {
            person: String,
            home: Option<String>,
            it: bool,
            n: i64,
            t0: Option<i64>,
            t1: Option<i64>,
        }
        let mut groups: BTreeMap<String, Vec<Member>> = BTreeMap::new();
        for b in engine.sql(sql)? {
            let (mfa, pid, n, t0, t1) = (
                col(&b, "mfa")?,
                col(&b, "person_id")?,
                col(&b, "n")?,
                col(&b, "t0")?,
                col(&b, "t1")?,
            );
            let (people, home, dept) = (
                col(&b, "sharers")?,
                col(&b, "home")?,
                col(&b, "department")?,
            );
            for i in 0..b.num_rows() {
                let (Some(mfa), Some(pid)) = (mfa.str(i), pid.str(i)) else {
                    continue;
                };
                if is_method_name(mfa) || people.int(i).unwrap_or(0) >= infra {
                    continue;
                }
                groups.entry(mfa.to_string()).or_default().push(Member {
                    person: pid.to_string(),
                    home: home.str(i).map(str::to_string),
                    it: dept.str(i).is_some_and(is_it_department),
                    n: n.int(i).unwrap_or(0),
                    t0: t0.ts(i),
                    t1: t1.ts(i),
                });
            }
        }
        let mut out = Vec::new();
        for (seq, (mfa, members)) in groups.into_iter().enumerate() {
            if members.iter().all(|m| m.it) {
                continue; // a shared admin / help-desk token
            }
            // households: people claiming one home count once
            let units: BTreeSet<String> = members
                .iter()
                .map(|m| match &m.home {
                    Some(h) => format!("home:{h}"),
                    None => format!("person:{}", m.person),
                })
                .collect();
            let k = units.len();
            if k < 2 {
                continue;
            }
            let lr = if k >= 3 {
                META.likelihood_ratio
            } else {
                LR_TWO
            };
            let shown = super::mask(&mfa, 4);
            let key = format!("{shown}#{}", seq + 1);
            for m in &members {
                let others: Vec<&str> = members
                    .iter()
                    .filter(|o| o.person != m.person)
                    .map(|o| o.person.as_str())
                    .collect();
                out.push(Signal {
                    person_id: m.person.clone(),
                    device_id: None,
                    detection: META.id,
                    family: META.family,
                    severity: META.severity,
                    likelihood_ratio: lr,
                    first_seen: m.t0.map(rfc3339),
                    last_seen: m.t1.map(rfc3339),
                    reason: format!(
                        "MFA device {shown} approved {} of this person's sign-ins and also sign-ins of {} other {} with different homes",
                        m.n,
                        others.len(),
                        if others.len() == 1 { "person" } else { "people" }
                    ),
                    evidence: json!({
                        "mfa_device": shown,
                        "signins": m.n,
                        "shared_with": others,
                        "identities": k,
                    }),
                    links: vec![Link {
                        kind: "mfa_device",
                        value: key.clone(),
                        ring_edge: true,
                        share: None,
                    }],
                });
            }
        }
        Ok(out)
    }
}
