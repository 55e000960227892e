//! PAY-PROVIDER: pay to payout services or crypto instead of a bank account in the worker's name,
//! or to an account held by someone else.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use super::payroll::{self, HolderMatch};
use crate::rows::{col, rfc3339};
use crate::{
    DetectConfig, DetectError, Detection, DetectionMeta, Engine, Family, Link, Severity, Signal,
};

/// PAY-PROVIDER.
pub struct PayProvider;

static META: DetectionMeta = DetectionMeta {
    id: "PAY-PROVIDER",
    title: "Pay to payout services, crypto, or an account in another name",
    family: Family::Money,
    severity: Severity::Medium,
    likelihood_ratio: 40.0,
    lr_rationale: "Base rates assumed for W-2 employees claiming a US home: about 95% of US \
        employees are paid by direct deposit to a bank account (American Payroll Association, \
        Getting Paid In America surveys), the rest by paper check or paycard; pay to a payout \
        service or e-money wallet (Payoneer, Wise, PayPal) we put at 0.5% at most, to a crypto \
        address or a PRC payment platform at 0.1% at most. DPRK workers route pay through payment \
        platforms, PRC-based accounts and cryptocurrency (FBI/State/Treasury May 2022 red flags), \
        though most facilitated pay lands in US bank accounts; we assume 5% or more use such \
        channels: LR 8 for a payout service, 20 for crypto or a PRC-linked platform. An account \
        held in another person's or a company's name: payroll systems record the holder as the \
        employee enters it, and joint accounts, initials, middle names and changed family names are \
        recognised, so a residual mismatch (a relative's account, a typo) we put at 2% of W-2 \
        employees against 20% or more of facilitated identities (pay to facilitator-held accounts, \
        DOJ cases): LR 10; the family name alone matching (a relative's account): 3. Contractors \
        are routinely paid through payout platforms and to their own company: a payout service is \
        2 for a US contractor and no evidence for one abroad; crypto 5 (US) or 2 (abroad); a PRC \
        platform 8 (US) or 3 (abroad, none when the contractor claims to live in China or Hong \
        Kong, where those platforms are the local norm); a company holder no evidence; another \
        person's name 3. Channel and name multiply, capped at 40.",
    tables: &["payroll"],
    what: "For every destination a person is paid or set up to be paid to, classifies the channel \
        (a bank account; a payout service, PRC-linked payment platform or crypto exchange named in \
        `data/pay/payout_providers.csv` or `method = payout_provider`; a crypto address or `method \
        = crypto`) and compares the account holder name with the worker's name \
        (muster-normalize name tokens: case, diacritics, punctuation and order ignored; middle \
        names and initials tolerated; a joint account naming the worker is the worker's). The \
        strength depends on employment type and claimed country from `people` (`record_type` \
        employee or contractor, `country`): strong for W-2 employees claiming a US home, weak for \
        contractors. The person's strongest destination is reported.",
    why: "The FBI/State/Treasury advisory (May 2022) lists frequent transfers through payment \
        platforms, often to PRC-based bank accounts, and requests for payment in cryptocurrency \
        as red flags of DPRK IT workers; Secureworks (Oct 2024) saw fake workers change payment \
        services frequently; in the DOJ laptop-farm cases pay for stolen identities went to \
        accounts held by facilitators and shell companies. Pay in another person's name is the \
        point where a stolen identity and the money part ways.",
    data: "payroll (method, provider, bank_routing, bank_account, crypto_address, \
        account_holder_name, event, time); people (record_type, country, full_name, given_name, \
        family_name, staffing_agency); data/pay/payout_providers.csv.",
    false_positives: "Contractors abroad legitimately paid through Wise or Payoneer (no evidence) \
        and contractors paid to their own company (a company holder name is no evidence for a \
        contractor, nor for anyone whose record names a staffing_agency, which is paid on their \
        behalf). A married or otherwise changed family name: the given name matches and the \
        family name differs: no evidence. Joint accounts that include the worker's name, holder \
        names with initials, middle names, diacritics or another token order (`GARCÍA, José M.`): \
        the worker's own. Paper checks and paycards are not payout services. A missing or \
        placeholder holder name is not compared.",
    references: &[
        "FBI/State/Treasury, 'Guidance on the DPRK Information Technology Workers', 16 May 2022",
        "Secureworks CTU, 'Fake IT workers' / Nickel Tapestry, Oct 2024",
        "US DOJ, Chapman laptop-farm case (pay to facilitator-controlled accounts), 2024-2025",
        "American Payroll Association, Getting Paid In America survey (direct deposit share)",
    ],
};

/// How pay reaches the destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Channel {
    Bank,
    Payout,
    Prc,
    Crypto,
}

impl Channel {
    fn name(self) -> &'static str {
        match self {
            Channel::Bank => "bank account",
            Channel::Payout => "payout service",
            Channel::Prc => "PRC-linked payment platform",
            Channel::Crypto => "crypto",
        }
    }
}

struct Worker {
    contractor: bool,
    /// Comes through a staffing agency (pay to the agency's company account is normal).
    agency: bool,
    us: bool,
    country: String,
    full: Option<String>,
    given: Option<String>,
    family: Option<String>,
}

impl Worker {
    fn class(&self) -> &'static str {
        match (self.contractor, self.us) {
            (false, true) => "W-2 employee claiming a US home",
            (false, false) => "employee claiming a home outside the US",
            (true, true) => "contractor in the US",
            (true, false) => "contractor abroad",
        }
    }
}

fn channel_lr(ch: Channel, w: &Worker) -> f64 {
    let china = matches!(w.country.as_str(), "CN" | "HK");
    match (ch, w.contractor, w.us) {
        (Channel::Bank, ..) => 1.0,
        (Channel::Payout, false, true) => 8.0,
        (Channel::Payout, false, false) => 2.0,
        (Channel::Payout, true, true) => 2.0,
        (Channel::Payout, true, false) => 1.0,
        (Channel::Prc | Channel::Crypto, false, true) => 20.0,
        (Channel::Prc | Channel::Crypto, false, false) => 4.0,
        (Channel::Prc, true, true) => 8.0,
        (Channel::Prc, true, false) if china => 1.0,
        (Channel::Prc, true, false) => 3.0,
        (Channel::Crypto, true, true) => 5.0,
        (Channel::Crypto, true, false) => 2.0,
    }
}

fn name_lr(m: HolderMatch, w: &Worker) -> f64 {
    if m == HolderMatch::Business && w.agency {
        return 1.0;
    }
    match (m, w.contractor) {
        (HolderMatch::Worker | HolderMatch::GivenOnly | HolderMatch::Unknown, _) => 1.0,
        (HolderMatch::FamilyOnly, false) => 3.0,
        (HolderMatch::FamilyOnly, true) => 1.0,
        (HolderMatch::Business | HolderMatch::Other, false) => 10.0,
        (HolderMatch::Business, true) => 1.0,
        (HolderMatch::Other, true) => 3.0,
    }
}

fn holder_phrase(m: HolderMatch) -> Option<&'static str> {
    match m {
        HolderMatch::Other => Some("held in another person's name"),
        HolderMatch::Business => Some("held in a company's name"),
        HolderMatch::FamilyOnly => Some("held by someone with the worker's family name only"),
        _ => None,
    }
}

fn is_us(country: &str) -> bool {
    matches!(
        country,
        "" | "US" | "USA" | "UNITED STATES" | "UNITED STATES OF AMERICA"
    )
}

impl Detection for PayProvider {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn run(&self, engine: &Engine, _cfg: &DetectConfig) -> Result<Vec<Signal>, DetectError> {
        let mut workers: BTreeMap<String, Worker> = BTreeMap::new();
        for b in engine.sql(
            "SELECT person_id, record_type, country, full_name, given_name, family_name, staffing_agency
             FROM people",
        )? {
            let (p, rt, c) = (
                col(&b, "person_id")?,
                col(&b, "record_type")?,
                col(&b, "country")?,
            );
            let (full, given, family, agency) = (
                col(&b, "full_name")?,
                col(&b, "given_name")?,
                col(&b, "family_name")?,
                col(&b, "staffing_agency")?,
            );
            for i in 0..b.num_rows() {
                let Some(p) = p.str(i) else { continue };
                let country = c.str(i).unwrap_or("").trim().to_ascii_uppercase();
                workers.insert(
                    p.to_string(),
                    Worker {
                        contractor: rt
                            .str(i)
                            .is_some_and(|r| r.trim().eq_ignore_ascii_case("contractor")),
                        agency: agency.str(i).is_some_and(|a| !crate::udf::is_placeholder(a)),
                        us: is_us(&country),
                        country,
                        full: full.str(i).map(str::to_string),
                        given: given.str(i).map(str::to_string),
                        family: family.str(i).map(str::to_string),
                    },
                );
            }
        }
        let sql = format!(
            "WITH d AS ({sql})
             SELECT person_id, kind, dest, method, provider, holder, count(*) AS n,
                    sum(CASE WHEN event = 'payment' THEN 1 ELSE 0 END) AS payments,
                    min(time) AS t0, max(time) AS t1
             FROM d WHERE person_id IS NOT NULL
             GROUP BY person_id, kind, dest, method, provider, holder
             ORDER BY person_id, t0",
            sql = payroll::DEST_SQL
        );
        struct Hit {
            lr: f64,
            t0: Option<i64>,
            t1: Option<i64>,
            evidence: serde_json::Value,
            reason: String,
        }
        let mut best: BTreeMap<String, (Hit, Vec<serde_json::Value>, BTreeSet<String>)> =
            BTreeMap::new();
        for b in engine.sql(&sql)? {
            let (pid, kind, dest, method) = (
                col(&b, "person_id")?,
                col(&b, "kind")?,
                col(&b, "dest")?,
                col(&b, "method")?,
            );
            let (provider, holder, n, pays, t0, t1) = (
                col(&b, "provider")?,
                col(&b, "holder")?,
                col(&b, "n")?,
                col(&b, "payments")?,
                col(&b, "t0")?,
                col(&b, "t1")?,
            );
            for i in 0..b.num_rows() {
                let Some(p) = pid.str(i) else { continue };
                let Some(w) = workers.get(p) else { continue };
                let method = method.str(i).unwrap_or("");
                let listed = provider.str(i).and_then(payroll::match_provider);
                let crypto = kind.str(i) == Some("crypto") || method == "crypto";
                let ch = if crypto || listed.is_some_and(|l| l.kind == "crypto_exchange") {
                    Channel::Crypto
                } else if listed.is_some_and(|l| l.kind == "prc_payment") {
                    Channel::Prc
                } else if listed.is_some() || method == "payout_provider" {
                    Channel::Payout
                } else {
                    Channel::Bank
                };
                let hm = payroll::holder_match(
                    holder.str(i),
                    w.full.as_deref(),
                    w.given.as_deref(),
                    w.family.as_deref(),
                );
                let lr = (channel_lr(ch, w) * name_lr(hm, w)).min(META.likelihood_ratio);
                if lr <= 1.0 {
                    continue;
                }
                let shown = match (kind.str(i), dest.str(i)) {
                    (Some(k), Some(d)) => payroll::shown_dest(k, d),
                    _ => String::new(),
                };
                let provider_name = listed
                    .map(|l| l.name.clone())
                    .or_else(|| provider.str(i).map(str::to_string));
                let evidence = json!({
                    "channel": ch.name(),
                    "method": method,
                    "provider": provider_name,
                    "destination": shown,
                    "account_holder_name": holder.str(i),
                    "holder_matches_worker": format!("{hm:?}").to_ascii_lowercase(),
                    "worker": w.class(),
                    "payroll_rows": n.int(i).unwrap_or(0),
                    "payments": pays.int(i).unwrap_or(0),
                    "likelihood_ratio": lr,
                });
                let via = match (ch, &provider_name) {
                    (Channel::Bank, _) => "a bank account".to_string(),
                    (_, Some(name)) => format!("{} ({})", name, ch.name()),
                    (_, None) => ch.name().to_string(),
                };
                let reason = match holder_phrase(hm) {
                    Some(h) => format!("pay to {via} {h}; {}", w.class()),
                    None => format!("pay to {via}; {}", w.class()),
                };
                let hit = Hit {
                    lr,
                    t0: t0.ts(i),
                    t1: t1.ts(i),
                    evidence: evidence.clone(),
                    reason,
                };
                // a crypto address is an indicator to share (only when the user asks, raw)
                let wallet = matches!(ch, Channel::Crypto)
                    .then(|| dest.str(i))
                    .flatten()
                    .map(str::to_string);
                match best.get_mut(p) {
                    Some(entry) => {
                        entry.1.push(evidence);
                        entry.2.extend(wallet);
                        if hit.lr > entry.0.lr {
                            entry.0 = hit;
                        }
                    }
                    None => {
                        best.insert(
                            p.to_string(),
                            (hit, vec![evidence], wallet.into_iter().collect()),
                        );
                    }
                }
            }
        }
        Ok(best
            .into_iter()
            .map(|(person, (hit, all, wallets))| Signal {
                person_id: person,
                device_id: None,
                detection: META.id,
                family: META.family,
                severity: if hit.lr >= 20.0 {
                    Severity::High
                } else if hit.lr >= 5.0 {
                    Severity::Medium
                } else {
                    Severity::Low
                },
                likelihood_ratio: hit.lr,
                first_seen: hit.t0.map(rfc3339),
                last_seen: hit.t1.map(rfc3339),
                reason: hit.reason,
                evidence: json!({
                    "strongest": hit.evidence,
                    "destinations": all.into_iter().take(10).collect::<Vec<_>>(),
                }),
                links: wallets
                    .into_iter()
                    .map(|w| Link {
                        kind: "crypto",
                        value: format!("crypto address {}", super::mask(&w, 6)),
                        ring_edge: false,
                        share: Some(w),
                    })
                    .collect(),
            })
            .collect())
    }
}
