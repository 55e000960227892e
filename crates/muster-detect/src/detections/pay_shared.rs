//! PAY-SHARED: one bank account or crypto address receives pay for several people.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use super::payroll::{self, HolderMatch};
use crate::rows::{col, rfc3339};
use crate::{
    DetectConfig, DetectError, Detection, DetectionMeta, Engine, Family, Link, Severity, Signal,
};

/// PAY-SHARED.
pub struct PayShared;

/// Likelihood ratio when the account is shared by exactly two households.
const LR_TWO: f64 = 50.0;

static META: DetectionMeta = DetectionMeta {
    id: "PAY-SHARED",
    title: "One bank account or crypto address receives pay for several people",
    family: Family::Money,
    severity: Severity::High,
    likelihood_ratio: 150.0,
    lr_rationale: "Base rate: a worker's pay goes to an account in their own name or a joint \
        account of their household; two workers with different claimed homes, who are not one \
        person and not contractors of one agency, paid into the same account happens through \
        undisclosed couples living apart, a parent's account or a keying error: we assume at most \
        1 in 2,000 workers (0.05%). Facilitated identities are paid into accounts the facilitator \
        controls (Chapman: pay for 68 identities deposited to her accounts; Knoot; DOJ June 2025 \
        actions), so a sizeable share of them show it, we assume 10% or more: LR 50 for two \
        households (taken below the 200 the ratio gives, since the innocent stories are hard to \
        count). Three or more households behind one account have no common innocent story: LR \
        150. This is the only detection that counts a shared pay account (ID-REUSE counts phones \
        and emails), so the fact is counted once.",
    tables: &["payroll"],
    what: "Normalises every payroll row's destination (routing + account number with \
        punctuation removed, or the crypto address), drops placeholders (`000000000`, \
        `123456789`, `PENDING`, `N/A`, shorter than 4 characters), groups the people paid or set \
        up to be paid to each destination, and merges into one unit the records of one real person \
        (same normalised name and date of birth), people who claim the same home (a household), \
        contractors of one staffing agency, and the holders of a joint account whose holder name \
        names each of them. A destination with two units gives LR 50 to each person, three or \
        more LR 150. The masked account is a ring edge.",
    why: "One account collecting several salaries is the money trail of a laptop farm: facilitators \
        receive the pay of the identities they host and forward it abroad (US v. Chapman, 2024-25: \
        $17.1M through 68 identities; US v. Knoot, 2024; DOJ coordinated actions, June 2025). The \
        FBI advises cross-checking payment details across employees (PSA I-012325-PSA, Jan 2025).",
    data: "payroll (bank_routing, bank_account, crypto_address, method, account_holder_name, event, \
        time); people (claimed home address, name, date of birth, staffing_agency) through \
        person_home.",
    false_positives: "Spouses or partners who both work at the company and share a joint account: \
        same claimed home, or a holder name that names each of them (`Jordan & Casey Lee`): one \
        unit. A staffing agency paid on behalf of its contractors (the account is the agency's, \
        often a company holder name): people with the same `staffing_agency` are one unit. \
        Payroll placeholders entered while the real account is pending (`000000000`, \
        `123456789`, `PENDING`, `N/A`): ignored; so is a default account that new hires are \
        parked on (set up for at least the infrastructure threshold of people, max(25, 2% of \
        the workforce), and never paid while the table records payments to others). Paper checks (`method = check`): their bank \
        columns are not a destination. One person with several HR records (re-hire, applicant \
        later hired): same normalised name and date of birth count once. Otherwise not exempted: a large \
        number of sharers, since one account paid for many people is exactly the facilitator's \
        (an agency is exempted by its staffing_agency, not by size).",
    references: &[
        "US DOJ, 'Arizona woman sentenced for laptop farm that generated over $17 million for North Korea' (Chapman), Jul 2025",
        "US DOJ, 'Justice Department disrupts North Korean remote IT worker schemes' (Knoot), Aug 2024",
        "US DOJ, coordinated nationwide actions against DPRK remote IT worker schemes, 30 Jun 2025",
        "FBI PSA I-012325-PSA, Jan 2025",
    ],
};

struct Member {
    person: String,
    identity: String,
    home: Option<String>,
    agency: Option<String>,
    full_name: Option<String>,
    holders: BTreeSet<String>,
    rows: i64,
    payments: i64,
    t0: Option<i64>,
    t1: Option<i64>,
}

/// Union-find root with path halving.
fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn join(parent: &mut [usize], i: usize, j: usize) {
    let (ri, rj) = (root(parent, i), root(parent, j));
    parent[ri] = rj;
}

/// Units behind one destination: members joined by one identity, one home, one agency, or a
/// joint holder name that names both. Linear in the members (an account can be shared by many).
fn units(members: &[Member]) -> usize {
    let n = members.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let mut first: BTreeMap<(u8, &str), usize> = BTreeMap::new();
    for (i, m) in members.iter().enumerate() {
        let keys = [
            Some((0u8, m.identity.as_str())),
            m.home.as_deref().map(|h| (1u8, h)),
            m.agency.as_deref().map(|a| (2u8, a)),
        ];
        for k in keys.into_iter().flatten() {
            match first.get(&k) {
                Some(&j) => join(&mut parent, i, j),
                None => {
                    first.insert(k, i);
                }
            }
        }
    }
    // A joint account has a few holders; members named by every holder name are one unit.
    let holders: BTreeSet<&str> = members
        .iter()
        .flat_map(|m| m.holders.iter().map(String::as_str))
        .collect();
    if (1..=4).contains(&holders.len()) {
        let named: Vec<usize> = (0..n)
            .filter(|&i| {
                holders.iter().all(|h| {
                    payroll::holder_match(Some(h), members[i].full_name.as_deref(), None, None)
                        == HolderMatch::Worker
                })
            })
            .collect();
        for w in named.windows(2) {
            join(&mut parent, w[0], w[1]);
        }
    }
    (0..n)
        .map(|i| root(&mut parent, i))
        .collect::<BTreeSet<_>>()
        .len()
}

impl Detection for PayShared {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn run(&self, engine: &Engine, cfg: &DetectConfig) -> Result<Vec<Signal>, DetectError> {
        let infra = crate::infra_threshold(engine, cfg).max(2) as usize;
        // One row per (destination, person); staged because the next query reads it twice.
        engine.stage_query(
            "pay_dest_people",
            &format!(
                "WITH d AS ({sql})
                 SELECT kind, dest, person_id, count(*) AS n,
                        sum(CASE WHEN event = 'payment' THEN 1 ELSE 0 END) AS payments,
                        min(time) AS t0, max(time) AS t1,
                        min(holder) AS holder_a, max(holder) AS holder_b
                 FROM d WHERE kind IS NOT NULL AND dest IS NOT NULL AND person_id IS NOT NULL
                 GROUP BY kind, dest, person_id",
                sql = payroll::DEST_SQL
            ),
        )?;
        let sql = "WITH g AS (
               SELECT kind, dest FROM pay_dest_people GROUP BY kind, dest HAVING count(*) >= 2
             )
             SELECT x.kind, x.dest, x.person_id, x.n, x.payments, x.t0, x.t1, x.holder_a, x.holder_b,
                    h.home, h.staffing_agency, h.full_name, name_key(h.full_name) AS nk,
                    CAST(h.date_of_birth AS VARCHAR) AS dob
             FROM pay_dest_people x JOIN g ON x.kind = g.kind AND x.dest = g.dest
             LEFT JOIN person_home h ON x.person_id = h.person_id
             ORDER BY x.kind, x.dest, x.person_id";
        let mut groups: BTreeMap<(String, String), Vec<Member>> = BTreeMap::new();
        for b in engine.sql(sql)? {
            let (kind, dest, pid) = (col(&b, "kind")?, col(&b, "dest")?, col(&b, "person_id")?);
            let (n, pays, t0, t1) = (
                col(&b, "n")?,
                col(&b, "payments")?,
                col(&b, "t0")?,
                col(&b, "t1")?,
            );
            let (ha, hb, home, ag) = (
                col(&b, "holder_a")?,
                col(&b, "holder_b")?,
                col(&b, "home")?,
                col(&b, "staffing_agency")?,
            );
            let (full, nk, dob) = (col(&b, "full_name")?, col(&b, "nk")?, col(&b, "dob")?);
            for i in 0..b.num_rows() {
                let (Some(kind), Some(dest), Some(p)) = (kind.str(i), dest.str(i), pid.str(i))
                else {
                    continue;
                };
                if payroll::is_placeholder_dest(kind, dest) {
                    continue;
                }
                let identity = match nk.str(i) {
                    Some(n) => format!("{n}|{}", dob.str(i).unwrap_or("")),
                    None => format!("person:{p}"),
                };
                let holders = [ha.str(i), hb.str(i)]
                    .into_iter()
                    .flatten()
                    .filter(|h| !crate::udf::is_placeholder(h))
                    .map(str::to_string)
                    .collect();
                groups
                    .entry((kind.to_string(), dest.to_string()))
                    .or_default()
                    .push(Member {
                        person: p.to_string(),
                        identity,
                        home: home.str(i).map(str::to_string),
                        agency: ag
                            .str(i)
                            .map(|s| s.trim().to_ascii_lowercase())
                            .filter(|s| !crate::udf::is_placeholder(s)),
                        full_name: full.str(i).map(str::to_string),
                        holders,
                        rows: n.int(i).unwrap_or(0),
                        payments: pays.int(i).unwrap_or(0),
                        t0: t0.ts(i),
                        t1: t1.ts(i),
                    });
            }
        }
        // Whether the table records payments at all (else set-ups are all there is to go by).
        let paid_table = groups.values().flatten().any(|m| m.payments > 0)
            || engine
                .sql("SELECT 1 AS x FROM payroll WHERE lower(trim(event)) = 'payment' LIMIT 1")?
                .iter()
                .any(|b| b.num_rows() > 0);
        let mut out = Vec::new();
        let mut seq = 0usize;
        for ((kind, dest), members) in groups {
            let k = units(&members);
            if k < 2 {
                continue;
            }
            // A default account new hires are parked on until they give theirs: set up for at
            // least the infrastructure threshold of people and never paid, while others are.
            if paid_table && k >= infra && members.iter().all(|m| m.payments == 0) {
                continue;
            }
            let lr = if k >= 3 {
                META.likelihood_ratio
            } else {
                LR_TWO
            };
            let shown = payroll::shown_dest(&kind, &dest);
            // An opaque ring key: the masked value plus a sequence number (never a hash of the
            // raw account, which could be brute-forced back).
            seq += 1;
            let key = format!("{shown}#{seq}");
            let holder_names: Vec<&str> = members
                .iter()
                .flat_map(|m| m.holders.iter().map(String::as_str))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let business = holder_names.iter().any(|h| payroll::is_business(h));
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
                        "pay {} {shown}, which also pays {} other {} ({k} independent payees: not one household, agency or joint account)",
                        if m.payments > 0 { "deposited to" } else { "set up to go to" },
                        others.len(),
                        if others.len() == 1 { "person" } else { "people" },
                    ),
                    evidence: json!({
                        "destination": shown,
                        "kind": kind,
                        "shared_with": others,
                        "independent_payees": k,
                        "payroll_rows": m.rows,
                        "payments": m.payments,
                        "account_holder_names": holder_names,
                        "holder_is_business": business,
                    }),
                    links: vec![Link {
                        kind: if kind == "crypto" { "crypto" } else { "bank_account" },
                        value: key.clone(),
                        ring_edge: true,
                        // only a crypto address is an indicator worth sharing; bank accounts
                        // stay private even when asked
                        share: (kind == "crypto").then(|| dest.clone()),
                    }],
                });
            }
        }
        Ok(out)
    }
}
