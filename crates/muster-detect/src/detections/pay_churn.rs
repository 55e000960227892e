//! PAY-CHURN: frequent changes of pay account, soon after hire, or made from anonymising networks.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use super::payroll;
use crate::rows::{col, rfc3339};
use crate::{
    DetectConfig, DetectError, Detection, DetectionMeta, Engine, Family, Severity, Signal,
};

/// PAY-CHURN.
pub struct PayChurn;

const DAY: i64 = 86_400_000_000; // microseconds
/// Changes within this time of an event's first change are one event (split deposit, a fix).
const SAME_EVENT: i64 = DAY;
/// Window in which changes are counted.
const WINDOW: i64 = 180 * DAY;
/// "Soon after hire".
const EARLY: i64 = 90 * DAY;
/// Half-width of the window in which many people moving to one routing number is a bank event.
const BANK_EVENT_HALF: i64 = DAY * 7 / 2;
/// Cap of the evidence unless the change came from DPRK address space.
const CAP: f64 = 60.0;

static META: DetectionMeta = DetectionMeta {
    id: "PAY-CHURN",
    title: "Pay account changed often, soon after hire, or from anonymising networks",
    family: Family::Money,
    severity: Severity::Medium,
    likelihood_ratio: CAP,
    lr_rationale: "Base rate assumed: a worker changes their direct deposit about once every ten \
        years (rate 0.1 a year: US surveys put switching of the primary checking account at a \
        few per cent a year, plus new accounts after a move or marriage). As a Poisson process, \
        two or more changes in 180 days after the initial set-up happen to about 0.1% of workers, \
        three or more to 0.002%. Facilitated identities change pay accounts often, especially in \
        the first weeks (Microsoft Apr 2026; Secureworks Oct 2024: workers frequently change \
        payment services); we assume at least 10% of them show two changes and 5% three. The \
        ratios that gives (about 80 and 2,500) are cut to 8 (two changes) and 20 (three or more) \
        because real payroll has innocent churn the model ignores (accounts closed after card \
        fraud, payroll-system migrations that re-key accounts); x1.5 when two of the changes fall \
        in the first 90 days after hire. A change (or the initial set-up) made from a commercial \
        VPN multiplies by 3, hosting by 2, Tor or the company's known_bad lists by 8 (a few per \
        cent of employees use a consumer VPN; Astrill-style exits are the most cited DPRK \
        trait): one set-up from a VPN alone is LR 3. Capped at 60; a change from DPRK address \
        space (AS131279) is 1000, near-certain.",
    tables: &["payroll"],
    what: "Orders each person's `account_change` rows (and the first payment to each destination, \
        for payment-only data such as NACHA files), merges changes within 24 hours into one \
        event (split deposits, a same-day fix), treats the first event as the initial set-up, and \
        counts later events that add a destination not in the previous one. Changes that are part \
        of a bank event are not counted: at least max(5, 0.25% of the people in payroll) people \
        moving to the same routing number within a week, or at least 3 people moving from one \
        routing number to the same new one within a week (a bank merger or conversion). Scores \
        the most changes in any 180-day window (2 or more), raised when two of them fall within 90 \
        days of hire, and multiplies by the worst anonymising network any change came from \
        (`ip_anon_kind(change_ip)`), except the company's own egress.",
    why: "Microsoft Threat Intelligence (Apr 2026) lists frequent changes of payroll accounts soon \
        after hire among the traits of North Korean remote IT workers; Secureworks (Oct 2024, \
        Nickel Tapestry) saw fake workers change payment services frequently; the FBI/State/ \
        Treasury advisory (May 2022) flags frequent transfers through payment platforms. Workers \
        move pay to new facilitator or payout accounts as accounts are frozen or a new \
        facilitator takes over, and they make the change from the VPN they work through.",
    data: "payroll (account_change rows and first payments to a destination: time, \
        bank_routing, bank_account, crypto_address, method, provider, change_ip); people \
        (hired_at); corporate_egress.txt.",
    false_positives: "The set-up at onboarding and one correction soon after (one change: not \
        evidence without a VPN). Split deposits and same-day edits (one event). Re-saving the same \
        account (no new destination). Pay that still goes to the old account for a cycle after a \
        change (payroll cut-off; only a payment to a destination never seen before counts). A \
        bank merger or conversion, when many employees move to the acquirer's routing number in \
        the same week (not counted). Changes made from the \
        corporate egress (corporate_egress.txt), and from any hosting address used for pay changes \
        by at least the infrastructure threshold of people (the company's own cloud VPN or HR \
        portal): never anonymising. Commercial VPN, Tor and DPRK exits are never exempted by \
        popularity. Ordinary life events (a move, a new bank) give one change, below the \
        threshold.",
    references: &[
        "Microsoft Threat Intelligence, North Korean remote IT workers: detection guidance, Apr 2026",
        "Secureworks CTU, 'Fake IT workers' / Nickel Tapestry, Oct 2024",
        "FBI/State/Treasury advisory on DPRK IT workers, 16 May 2022",
    ],
};

struct Row {
    t: i64,
    key: String,
    shown: String,
    routing: Option<String>,
    ip: Option<String>,
    anon: Option<String>,
    /// The first payment to this destination (not an account change).
    payment: bool,
}

/// One change event: rows within a day of each other.
struct Event {
    t: i64,
    keys: BTreeSet<String>,
    rows: Vec<usize>,
}

/// A counted or discounted change of one person.
struct Change {
    person: usize,
    t: i64,
    new_routings: BTreeSet<String>,
    old_routings: BTreeSet<String>,
}

fn strength(kind: &str) -> u8 {
    match kind {
        "dprk" => 5,
        "known_bad" => 4,
        "tor" => 3,
        "vpn" => 2,
        "hosting" => 1,
        _ => 0,
    }
}

fn anon_factor(kind: &str) -> f64 {
    match kind {
        "known_bad" | "tor" => 8.0,
        "vpn" => 3.0,
        "hosting" => 2.0,
        _ => 1.0,
    }
}

/// Distinct people among `changes` (sorted by time) within `BANK_EVENT_HALF` of `t`.
fn people_near(changes: &[(i64, usize)], t: i64) -> usize {
    let lo = changes.partition_point(|(ct, _)| *ct < t - BANK_EVENT_HALF);
    let hi = changes.partition_point(|(ct, _)| *ct <= t + BANK_EVENT_HALF);
    changes[lo..hi]
        .iter()
        .map(|(_, p)| *p)
        .collect::<BTreeSet<_>>()
        .len()
}

impl Detection for PayChurn {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn run(&self, engine: &Engine, cfg: &DetectConfig) -> Result<Vec<Signal>, DetectError> {
        let infra = crate::infra_threshold(engine, cfg).max(1) as usize;
        // Account changes, plus the first payment to each destination (payment-only data such
        // as NACHA files shows a change only there). Two subqueries, not one CTE read twice.
        let sql = format!(
            "SELECT person_id, time, kind, dest, method, provider, CAST(change_ip AS VARCHAR) AS ip,
                    ip_anon_kind(change_ip) AS anon, false AS payment
             FROM ({sql}) c
             WHERE event = 'account_change' AND person_id IS NOT NULL AND time IS NOT NULL
             UNION ALL
             SELECT person_id, min(time) AS time, kind, dest, method, provider,
                    CAST(NULL AS VARCHAR) AS ip, CAST(NULL AS VARCHAR) AS anon, true AS payment
             FROM ({sql}) p
             WHERE event = 'payment' AND person_id IS NOT NULL AND time IS NOT NULL
             GROUP BY person_id, kind, dest, method, provider",
            sql = payroll::DEST_SQL
        );
        let mut people: Vec<String> = Vec::new();
        let mut index: BTreeMap<String, usize> = BTreeMap::new();
        let mut rows: Vec<Vec<Row>> = Vec::new();
        for b in engine.sql(&sql)? {
            let (pid, t, kind, dest) = (
                col(&b, "person_id")?,
                col(&b, "time")?,
                col(&b, "kind")?,
                col(&b, "dest")?,
            );
            let (method, provider, ip, anon) = (
                col(&b, "method")?,
                col(&b, "provider")?,
                col(&b, "ip")?,
                col(&b, "anon")?,
            );
            let payment = col(&b, "payment")?;
            for i in 0..b.num_rows() {
                let (Some(p), Some(t)) = (pid.str(i), t.ts(i)) else {
                    continue;
                };
                let real = match (kind.str(i), dest.str(i)) {
                    (Some(k), Some(d)) if !payroll::is_placeholder_dest(k, d) => Some((k, d)),
                    _ => None,
                };
                let (key, shown, routing) = match real {
                    Some((k, d)) => (
                        format!("{k}:{d}"),
                        payroll::shown_dest(k, d),
                        payroll::routing_of(k, d).map(str::to_string),
                    ),
                    None => {
                        let m = method.str(i).unwrap_or("").trim().to_ascii_lowercase();
                        let pr = provider.str(i).unwrap_or("").trim().to_ascii_lowercase();
                        if (m.is_empty() && pr.is_empty()) || kind.str(i).is_some() {
                            continue; // a placeholder or an empty change names no destination
                        }
                        let k = format!("{m}:{pr}");
                        (k.clone(), k, None)
                    }
                };
                let pi = *index.entry(p.to_string()).or_insert_with(|| {
                    people.push(p.to_string());
                    rows.push(Vec::new());
                    people.len() - 1
                });
                if let Some(v) = rows.get_mut(pi) {
                    v.push(Row {
                        t,
                        key,
                        shown,
                        routing,
                        ip: ip.str(i).map(str::to_string),
                        anon: anon.str(i).map(str::to_string),
                        payment: payment.bool(i).unwrap_or(false),
                    });
                }
            }
        }
        let mut hired: BTreeMap<String, i64> = BTreeMap::new();
        for b in engine.sql("SELECT person_id, hired_at FROM people WHERE hired_at IS NOT NULL")? {
            let (p, h) = (col(&b, "person_id")?, col(&b, "hired_at")?);
            for i in 0..b.num_rows() {
                if let (Some(p), Some(h)) = (p.str(i), h.ts(i)) {
                    hired.insert(p.to_string(), h);
                }
            }
        }

        // Events and changes per person.
        let mut events: Vec<Vec<Event>> = Vec::with_capacity(rows.len());
        let mut changes: Vec<Change> = Vec::new();
        for (pi, rs) in rows.iter_mut().enumerate() {
            rs.sort_by_key(|r| (r.t, r.payment));
            // a payment counts only when it is the first sign of a destination: pay still going
            // to the old account for a cycle after a change (payroll cut-off) is not a change
            let mut seen: BTreeSet<String> = BTreeSet::new();
            rs.retain(|r| seen.insert(r.key.clone()) || !r.payment);
            let mut evs: Vec<Event> = Vec::new();
            for (ri, r) in rs.iter().enumerate() {
                match evs.last_mut() {
                    Some(e) if r.t - e.t <= SAME_EVENT => {
                        e.keys.insert(r.key.clone());
                        e.rows.push(ri);
                    }
                    _ => evs.push(Event {
                        t: r.t,
                        keys: BTreeSet::from([r.key.clone()]),
                        rows: vec![ri],
                    }),
                }
            }
            for w in evs.windows(2) {
                let (prev, cur) = (&w[0], &w[1]);
                if cur.keys.is_subset(&prev.keys) {
                    continue; // the same account saved again
                }
                let routings = |e: &Event, only_new: bool| -> BTreeSet<String> {
                    e.rows
                        .iter()
                        .map(|&ri| &rs[ri])
                        .filter(|r| !only_new || !prev.keys.contains(&r.key))
                        .filter_map(|r| r.routing.clone())
                        .collect()
                };
                changes.push(Change {
                    person: pi,
                    t: cur.t,
                    new_routings: routings(cur, true),
                    old_routings: routings(prev, false),
                });
            }
            events.push(evs);
        }

        // Bank events: many people moving to one routing number (or from one to another) in a week.
        let payroll_people = people.len();
        let many = 5usize.max((payroll_people as f64 * 0.0025).ceil() as usize);
        let mut to_routing: BTreeMap<&str, Vec<(i64, usize)>> = BTreeMap::new();
        let mut from_to: BTreeMap<(&str, &str), Vec<(i64, usize)>> = BTreeMap::new();
        for c in &changes {
            for r in &c.new_routings {
                to_routing.entry(r).or_default().push((c.t, c.person));
                for o in c.old_routings.iter().filter(|o| *o != r) {
                    from_to.entry((o, r)).or_default().push((c.t, c.person));
                }
            }
        }
        for v in to_routing.values_mut().chain(from_to.values_mut()) {
            v.sort_unstable();
        }
        let bank_event = |c: &Change| -> bool {
            !c.new_routings.is_empty()
                && c.new_routings.iter().all(|r| {
                    to_routing
                        .get(r.as_str())
                        .is_some_and(|v| people_near(v, c.t) >= many)
                        || c.old_routings.iter().any(|o| {
                            from_to
                                .get(&(o.as_str(), r.as_str()))
                                .is_some_and(|v| people_near(v, c.t) >= 3)
                        })
                })
        };
        let mut counted: Vec<Vec<(i64, bool)>> = vec![Vec::new(); people.len()];
        for c in &changes {
            counted[c.person].push((c.t, bank_event(c)));
        }

        // Hosting addresses many people change pay from are the company's own.
        let mut ip_people: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
        for (pi, rs) in rows.iter().enumerate() {
            for r in rs.iter().filter(|r| r.anon.as_deref() == Some("hosting")) {
                if let Some(ip) = &r.ip {
                    ip_people.entry(ip).or_default().insert(pi);
                }
            }
        }

        let mut out = Vec::new();
        for (pi, person) in people.iter().enumerate() {
            let rs = &rows[pi];
            let evs = &events[pi];
            let times: Vec<i64> = counted[pi]
                .iter()
                .filter(|(_, bank)| !bank)
                .map(|(t, _)| *t)
                .collect();
            let in_window = times
                .iter()
                .enumerate()
                .map(|(i, t)| times[i..].iter().take_while(|u| **u - t <= WINDOW).count())
                .max()
                .unwrap_or(0);
            let start = hired
                .get(person)
                .copied()
                .or_else(|| evs.first().map(|e| e.t))
                .unwrap_or(0);
            let early = times.iter().filter(|t| **t - start <= EARLY).count();
            // worst anonymising network behind any change of this person
            let mut anon: Option<(&str, &str)> = None;
            for r in rs {
                let (Some(ip), Some(kind)) = (r.ip.as_deref(), r.anon.as_deref()) else {
                    continue;
                };
                if cfg.is_corporate(ip)
                    || (kind == "hosting" && ip_people.get(ip).is_some_and(|s| s.len() >= infra))
                {
                    continue;
                }
                if anon.is_none_or(|(k, _)| strength(kind) > strength(k)) {
                    anon = Some((kind, ip));
                }
            }
            let mut churn = match in_window {
                0 | 1 => 1.0,
                2 => 8.0,
                _ => 20.0,
            };
            if in_window >= 2 && early >= 2 {
                churn *= 1.5;
            }
            let dprk = anon.is_some_and(|(k, _)| k == "dprk");
            let lr = if dprk {
                1000.0
            } else {
                (churn * anon.map_or(1.0, |(k, _)| anon_factor(k))).min(CAP)
            };
            if lr <= 1.0 {
                continue;
            }
            let severity = if dprk {
                Severity::Critical
            } else if lr >= 20.0 {
                Severity::High
            } else if lr >= 5.0 {
                Severity::Medium
            } else {
                Severity::Low
            };
            let bank_events = counted[pi].iter().filter(|(_, b)| *b).count();
            let history: Vec<serde_json::Value> = rs
                .iter()
                .take(30)
                .map(|r| {
                    json!({
                        "time": rfc3339(r.t),
                        "destination": r.shown,
                        "change_ip": r.ip,
                        "ip_kind": r.anon,
                        "event": if r.payment { "first payment to this destination" } else { "account_change" },
                        "corporate": r.ip.as_deref().is_some_and(|ip| cfg.is_corporate(ip)),
                    })
                })
                .collect();
            let mut parts = Vec::new();
            if in_window >= 2 {
                parts.push(format!(
                    "{in_window} pay-account changes within 180 days after the initial set-up{}",
                    if early >= 2 {
                        format!(" ({early} in the first 90 days after hire)")
                    } else {
                        String::new()
                    }
                ));
            }
            if let Some((kind, ip)) = anon {
                parts.push(format!("pay account set or changed from {ip} ({kind})"));
            }
            out.push(Signal {
                person_id: person.clone(),
                device_id: None,
                detection: META.id,
                family: META.family,
                severity,
                likelihood_ratio: lr,
                first_seen: rs.first().map(|r| rfc3339(r.t)),
                last_seen: rs.last().map(|r| rfc3339(r.t)),
                reason: parts.join("; "),
                evidence: json!({
                    "changes_in_180_days": in_window,
                    "changes_within_90_days_of_hire": early,
                    "change_events": evs.len(),
                    "bank_event_changes_ignored": bank_events,
                    "hired_at": hired.get(person).map(|h| rfc3339(*h)),
                    "anonymising_ip": anon.map(|(k, ip)| json!({"ip": ip, "kind": k})),
                    "history": history,
                }),
                links: anon
                    .map(|(_, ip)| crate::Link {
                        kind: "ip",
                        value: ip.to_string(),
                        ring_edge: false,
                        share: None,
                    })
                    .into_iter()
                    .collect(),
            });
        }
        Ok(out)
    }
}
