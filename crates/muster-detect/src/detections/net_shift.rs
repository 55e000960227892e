//! NET-SHIFT: a new hire's sign-ins come first from abroad (or through VPN / hosting exits), then
//! abruptly from the claimed country on a device the company does not manage, right after hire.
//!
//! Per person, successful sign-ins (company egress left out) are ordered in time and each is
//! *baseline-like* or *domestic* in one of two modes ([`Mode`]): abroad (another country than
//! the claimed one, then the claimed country, anonymising exits included as located) or
//! anonymising (VPN / hosting / Tor / known-bad / DPRK exits, then ordinary addresses in the
//! claimed country). The split point that best separates a baseline-like prefix from a domestic
//! suffix is found in one pass; it is a shift
//! when both sides are long and clean enough, the gap between them is short (abrupt), the shift
//! falls in the window around the hire date, and the domestic sign-ins are mostly on unmanaged
//! devices.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use super::geo::{self, DAY_US};
use crate::rows::{col, rfc3339};
use crate::{
    DetectConfig, DetectError, Detection, DetectionMeta, Engine, Family, Link, Severity, Signal,
};

/// NET-SHIFT.
pub struct NetShift;

/// Least sign-ins and distinct days on each side of the shift.
const MIN_SIDE: usize = 5;
const MIN_SIDE_DAYS: usize = 2;
/// Least share of each side that fits it (baseline-like before, domestic after).
const MIN_CLEAN: f64 = 0.8;
/// Longest gap between the last baseline sign-in and the first domestic one, days ("abrupt": a
/// weekend and a day).
const MAX_GAP_DAYS: i64 = 4;
/// The shift must start between this many days before hire and `AFTER_HIRE_DAYS` after it.
const BEFORE_HIRE_DAYS: i64 = 14;
const AFTER_HIRE_DAYS: i64 = 30;
/// Least share of domestic sign-ins on unmanaged devices.
const MIN_UNMANAGED: f64 = 0.6;
/// Full-strength ratios: baseline abroad; baseline through anonymising exits only; and the
/// ratio when the scan's sign-ins carry no device ids (the device condition cannot be checked).
const LR_ABROAD: f64 = 6.0;
const LR_ANON: f64 = 4.0;
const LR_NO_DEVICE_DATA: f64 = 2.5;

static META: DetectionMeta = DetectionMeta {
    id: "NET-SHIFT",
    title: "Sign-ins shift abruptly from abroad to the claimed country on an unmanaged device at hire",
    family: Family::Network,
    severity: Severity::Medium,
    likelihood_ratio: LR_ABROAD,
    lr_rationale: "The legitimate story that produces the same pattern is an international hire \
        who relocates to the claimed country for the job and works from a personal computer \
        in the first weeks; relocating hires are a small minority of new remote hires, and most \
        receive the company laptop before or at start, so their domestic sign-ins are on a \
        managed device (which this detection requires to be absent). Baseline abroad then \
        domestic on unmanaged devices within 4 days, in the month after hire: 6. Baseline only \
        through VPN / hosting exits (privacy-minded people who stop using a VPN at work exist, \
        and NET-ANON already counts the VPN use): 4. When the scan's sign-ins carry no device ids \
        the device condition cannot be checked: 2.5. Each scaled by how clean the two sides \
        are: half strength when the less clean side is 80% of its kind (the floor), full at \
        100%. 'Abrupt' is at most 4 days (a weekend and a day) between the last baseline and \
        the first domestic sign-in: a worker who stops using foreign infrastructure the working \
        day the account is activated, not a move with a transition (a relocation usually has \
        days of travel and settling in between, or a mixed week). 'Right after hire' is from 14 days before hired_at (accounts are often \
        activated a week or two before the start date) to 30 days after (the onboarding month, \
        when the company laptop arrives at the claimed address or a laptop farm); LevelBlue's \
        worker was caught ten days after hire. Family network: fusion caps it with NET-ANON, \
        GEO-MISMATCH, GEO-TRAVEL and TZ-MISMATCH.",
    tables: &["signins"],
    what: "Orders each person's successful sign-ins (company egress left out) and marks each as \
        baseline-like or domestic, in two modes: (a) abroad then home: a country other than the \
        claimed one (the source's geolocation, else the address's registry country; a VPN exit \
        counts where it is), then the claimed country (a VPN exit located there included, as \
        in LevelBlue's case); (b) anonymising then home: VPN / hosting / Tor / known-bad / DPRK \
        exits, then ordinary addresses in the claimed country. Finds the split that best separates a \
        baseline-like prefix from a domestic suffix and fires when: each side has at least 5 \
        sign-ins on 2 days and is at least 80% of its kind; the first domestic sign-in follows \
        the last baseline one within 4 days (abrupt); the shift starts between 14 days before \
        and 30 days after hired_at; and at least 60% of the domestic sign-ins are on no managed \
        company device (signins.device_id empty, unknown, or a device with managed = false). \
        Evidence: both sides' countries, addresses, days and counts, the gap, the days from \
        hire, and the unmanaged share.",
    why: "LevelBlue SpiderLabs (Mar 2026, a hire of Aug 2025): a new hire whose Entra ID \
        sign-ins had a baseline in China signed in, when the account was activated, from a \
        Dallas address on an unmanaged device (an Astrill VPN exit), later from Los Angeles; \
        the worker was identified and terminated ten days after hire. DPRK IT workers apply and onboard from abroad, then appear in the claimed country \
        through a laptop farm, a residential proxy or a US VPN exit once the job starts.",
    data: "signins (time, src_ip, geo_country, device_id, outcome) mapped to people; devices \
        (device_id, managed); people (country: the claimed country, US when empty; hired_at). \
        Uses ip_anon_kind and ip_country. Only the claimed country and the addresses are used: \
        no name, language or country of education.",
    false_positives: "People who relocate for the job: they usually receive a managed laptop \
        at start, so their domestic sign-ins are on a managed device; a relocation weeks before \
        or after the start, or a gradual one, is outside the window or not abrupt. New hires who \
        start on a personal device during onboarding: without a foreign or anonymising baseline \
        there is no shift. A trip abroad just before the start date (a holiday between jobs) \
        followed by work on a personal device remains a look-alike: check the device. \
        Corporate VPN / ZTNA exits (corporate_egress.txt) are left out entirely.",
    references: &[
        "LevelBlue SpiderLabs, 'How LevelBlue OTX and Cybereason XDR Detected a North Korea-Linked Remote IT Worker', Mar 2026",
        "CSO Online, 'Behavioral XDR and threat intel nab North Korean fake IT worker within 10 days of hire', 2026",
        "Microsoft Threat Intelligence, 'Jasper Sleet: North Korean remote IT workers', Jun 2025",
        "FBI/State/Treasury, 'Guidance on the DPRK Information Technology Workers', May 2022",
    ],
};

/// One group of sign-ins (person, day, address, source country, device).
#[derive(Debug, Clone)]
struct Ev {
    t0: i64,
    t1: i64,
    n: i64,
    ip: String,
    country: Option<String>,
    anon: Option<String>,
    unmanaged: bool,
}

/// What the baseline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Abroad (any address outside the claimed country, anonymising or not), then any address
    /// in the claimed country (LevelBlue: China, then a Dallas VPN exit).
    Abroad,
    /// Anonymising exits in any country, then ordinary addresses in the claimed country.
    Anon,
}

impl Ev {
    fn baseline(&self, home: &str, mode: Mode) -> bool {
        let foreign = self.country.as_deref().is_some_and(|c| c != home);
        match mode {
            Mode::Abroad => foreign,
            Mode::Anon => self.anon.is_some(),
        }
    }
    fn domestic(&self, home: &str, mode: Mode) -> bool {
        let here = self.country.as_deref() == Some(home);
        match mode {
            Mode::Abroad => here,
            Mode::Anon => here && self.anon.is_none(),
        }
    }
}

impl Detection for NetShift {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn run(&self, engine: &Engine, cfg: &DetectConfig) -> Result<Vec<Signal>, DetectError> {
        let ips = geo::ip_facts(engine, cfg)?;
        let mut people: BTreeMap<String, (String, Option<i64>)> = BTreeMap::new();
        for b in engine.sql(
            "SELECT person_id, upper(coalesce(nullif(trim(country), ''), 'US')) AS country, hired_at
             FROM people WHERE hired_at IS NOT NULL",
        )? {
            let (p, c, h) = (
                col(&b, "person_id")?,
                col(&b, "country")?,
                col(&b, "hired_at")?,
            );
            for i in 0..b.num_rows() {
                if let (Some(p), Some(c)) = (p.str(i), c.str(i)) {
                    people.insert(p.to_string(), (c.to_string(), h.ts(i)));
                }
            }
        }
        let mut managed: BTreeSet<String> = BTreeSet::new();
        for b in engine.sql("SELECT device_id FROM devices WHERE coalesce(managed, true)")? {
            let d = col(&b, "device_id")?;
            managed.extend((0..b.num_rows()).filter_map(|i| d.str(i).map(str::to_string)));
        }
        // One slice of people at a time (a query and its groups per person), so the sign-in
        // groups of everyone are never held at once. `device_data` is whether any sign-in has
        // a device, across all slices, so it is found first.
        let device_data = !engine
            .sql(
                "SELECT 1 FROM signins WHERE device_id IS NOT NULL AND src_ip IS NOT NULL
                   AND coalesce(lower(outcome), 'success') = 'success' LIMIT 1",
            )?
            .iter()
            .all(|b| b.num_rows() == 0);
        let slices = engine.person_slices(&["signins"], geo::OBS_BYTES_PER_ROW);
        let mut out = Vec::new();
        for k in 0..slices {
            let evs = events(engine, &people, &managed, &ips, (k, slices))?;
            for (pid, mut ev) in evs {
                let Some((home, Some(hired))) = people.get(&pid) else {
                    continue;
                };
                ev.sort_by_key(|e| (e.t0, e.t1));
                if let Some(s) = judge(&pid, home, *hired, &ev, device_data, Mode::Abroad)
                    .or_else(|| judge(&pid, home, *hired, &ev, device_data, Mode::Anon))
                {
                    out.push(s);
                }
            }
        }
        out.sort_by(|a, b| a.person_id.cmp(&b.person_id));
        Ok(out)
    }
}

/// The sign-in groups (person, hour, address, source country, device) of slice `k` of `n` of
/// the people in `people`, per person, without the company's own egress addresses.
fn events(
    engine: &Engine,
    people: &BTreeMap<String, (String, Option<i64>)>,
    managed: &BTreeSet<String>,
    ips: &BTreeMap<String, geo::IpFacts>,
    (k, n): (u64, u64),
) -> Result<BTreeMap<String, Vec<Ev>>, DetectError> {
    let mut evs: BTreeMap<String, Vec<Ev>> = BTreeMap::new();
    let sql = format!(
        "SELECT coalesce(s.person_id, m.person_id) AS person_id, s.src_ip AS ip,
                upper(s.geo_country) AS country, s.device_id,
                min(s.time) AS t0, max(s.time) AS t1, count(*) AS n
         FROM signins s LEFT JOIN account_map m ON lower(trim(s.account)) = m.account
         WHERE coalesce(lower(s.outcome), 'success') = 'success' AND s.src_ip IS NOT NULL
               AND {}
         GROUP BY coalesce(s.person_id, m.person_id), date_trunc('hour', s.time), s.src_ip,
                  upper(s.geo_country), s.device_id",
        super::slice_filter("coalesce(s.person_id, m.person_id)", k, n)
    );
    engine.sql_for_each(&sql, |b| {
        let (p, ip, c, d) = (
            col(b, "person_id")?,
            col(b, "ip")?,
            col(b, "country")?,
            col(b, "device_id")?,
        );
        let (t0, t1, n) = (col(b, "t0")?, col(b, "t1")?, col(b, "n")?);
        for i in 0..b.num_rows() {
            let dev = d.str(i);
            let (Some(p), Some(ip), Some(t0), Some(t1)) = (p.str(i), ip.str(i), t0.ts(i), t1.ts(i))
            else {
                continue;
            };
            if !people.contains_key(p) {
                continue;
            }
            let facts = ips.get(ip);
            if facts.is_some_and(|f| f.corporate) {
                continue;
            }
            let anon = facts.and_then(|f| f.anon.clone());
            let country = c
                .str(i)
                .filter(|c| c.len() == 2 && anon.is_none())
                .map(str::to_string)
                .or_else(|| facts.and_then(|f| f.country.clone()));
            let ev = Ev {
                t0,
                t1,
                n: n.int(i).unwrap_or(1),
                ip: ip.to_string(),
                country,
                anon,
                unmanaged: !dev.is_some_and(|d| managed.contains(d)),
            };
            // a person's key is allocated once, not once per sign-in group
            match evs.get_mut(p) {
                Some(list) => list.push(ev),
                None => {
                    evs.insert(p.to_string(), vec![ev]);
                }
            }
        }
        Ok(())
    })?;
    Ok(evs)
}

/// The split index maximising baseline-like sign-ins before it plus domestic ones after it.
fn best_split(ev: &[Ev], home: &str, mode: Mode) -> usize {
    let total_dom: i64 = ev
        .iter()
        .filter(|e| e.domestic(home, mode))
        .map(|e| e.n)
        .sum();
    let (mut base, mut dom_before) = (0i64, 0i64);
    let (mut best, mut best_k) = (total_dom, 0);
    for (k, e) in ev.iter().enumerate() {
        if e.baseline(home, mode) {
            base += e.n;
        }
        if e.domestic(home, mode) {
            dom_before += e.n;
        }
        let score = base + total_dom - dom_before;
        if score > best {
            best = score;
            best_k = k + 1;
        }
    }
    best_k
}

struct Side {
    n: i64,
    fit: i64,
    days: BTreeSet<i64>,
    countries: BTreeMap<String, i64>,
    ips: BTreeSet<String>,
}

fn side(ev: &[Ev], fits: impl Fn(&Ev) -> bool) -> Side {
    let mut s = Side {
        n: 0,
        fit: 0,
        days: BTreeSet::new(),
        countries: BTreeMap::new(),
        ips: BTreeSet::new(),
    };
    for e in ev {
        s.n += e.n;
        s.days.insert(geo::day(e.t0));
        if fits(e) {
            s.fit += e.n;
        }
        let c = match (&e.anon, &e.country) {
            (Some(k), _) => format!("{k} exit"),
            (None, Some(c)) => c.clone(),
            (None, None) => "unknown".into(),
        };
        *s.countries.entry(c).or_default() += e.n;
        if s.ips.len() < 10 {
            s.ips.insert(e.ip.clone());
        }
    }
    s
}

fn judge(
    pid: &str,
    home: &str,
    hired: i64,
    ev: &[Ev],
    device_data: bool,
    mode: Mode,
) -> Option<Signal> {
    let k = best_split(ev, home, mode);
    if k == 0 || k == ev.len() {
        return None;
    }
    let (before, after) = ev.split_at(k);
    let b = side(before, |e| e.baseline(home, mode));
    let a = side(after, |e| e.domestic(home, mode));
    let clean = |s: &Side| s.fit as f64 / s.n.max(1) as f64;
    let (bc, ac) = (clean(&b), clean(&a));
    if b.n < MIN_SIDE as i64
        || a.n < MIN_SIDE as i64
        || b.days.len() < MIN_SIDE_DAYS
        || a.days.len() < MIN_SIDE_DAYS
        || bc < MIN_CLEAN
        || ac < MIN_CLEAN
    {
        return None;
    }
    let last_base = before.iter().rev().find(|e| e.baseline(home, mode))?;
    let first_dom = after.iter().find(|e| e.domestic(home, mode))?;
    let gap_days = (first_dom.t0 - last_base.t1) as f64 / DAY_US as f64;
    if gap_days > MAX_GAP_DAYS as f64 {
        return None;
    }
    let from_hire = (first_dom.t0 - hired) as f64 / DAY_US as f64;
    if from_hire < -(BEFORE_HIRE_DAYS as f64) || from_hire > AFTER_HIRE_DAYS as f64 {
        return None;
    }
    let dom: Vec<&Ev> = after.iter().filter(|e| e.domestic(home, mode)).collect();
    let dom_n: i64 = dom.iter().map(|e| e.n).sum();
    let unmanaged_n: i64 = dom.iter().filter(|e| e.unmanaged).map(|e| e.n).sum();
    let unmanaged = unmanaged_n as f64 / dom_n.max(1) as f64;
    if device_data && unmanaged < MIN_UNMANAGED {
        return None;
    }
    let top = match (device_data, mode) {
        (false, _) => LR_NO_DEVICE_DATA,
        (true, Mode::Abroad) => LR_ABROAD,
        (true, Mode::Anon) => LR_ANON,
    };
    // Scaled by the cleaner-than-chance share of the less clean side: 1 at 60%, half strength at
    // the 80% floor, full at 100%.
    let strength = ((bc.min(ac) - 0.6) / 0.4).clamp(0.0, 1.0);
    let lr = 1.0 + (top - 1.0) * strength;
    let summary = |s: &Side| {
        json!({
            "signins": s.n,
            "days": s.days.len(),
            "share_of_kind": (clean(s) * 1000.0).round() / 1000.0,
            "by_country_or_exit": s.countries,
            "ips": s.ips,
        })
    };
    let base_desc: Vec<String> = b.countries.keys().cloned().collect();
    let reason = format!(
        "Sign-ins moved from {} ({} sign-ins on {} days) to addresses in {} ({} sign-ins, {:.0}% on unmanaged devices) within {:.1} days, {:.0} days {} hire",
        base_desc.join(", "),
        b.n,
        b.days.len(),
        home,
        a.n,
        unmanaged * 100.0,
        gap_days.max(0.0),
        from_hire.abs(),
        if from_hire < 0.0 { "before" } else { "after" }
    );
    let evidence = json!({
        "baseline_kind": match mode { Mode::Abroad => "abroad", Mode::Anon => "anonymising_exits" },
        "claimed_country": home,
        "hired_at": rfc3339(hired),
        "baseline": summary(&b),
        "after_shift": summary(&a),
        "last_baseline_signin": {"time": rfc3339(last_base.t1), "ip": last_base.ip, "country": last_base.country, "exit": last_base.anon},
        "first_domestic_signin": {"time": rfc3339(first_dom.t0), "ip": first_dom.ip, "unmanaged_device": first_dom.unmanaged},
        "gap_days": (gap_days.max(0.0) * 10.0).round() / 10.0,
        "days_from_hire": (from_hire * 10.0).round() / 10.0,
        "unmanaged_share_after": if device_data { json!((unmanaged * 1000.0).round() / 1000.0) } else { json!("unknown: no sign-in in the scan carries a device id") },
    });
    let links = b
        .ips
        .iter()
        .chain(a.ips.iter())
        .take(10)
        .map(|ip| Link {
            kind: "ip",
            value: ip.clone(),
            ring_edge: false,
            share: None,
        })
        .collect();
    Some(Signal {
        person_id: pid.to_string(),
        device_id: None,
        detection: META.id,
        family: META.family,
        severity: if lr >= LR_ANON {
            Severity::Medium
        } else {
            Severity::Low
        },
        likelihood_ratio: lr,
        first_seen: before.first().map(|e| rfc3339(e.t0)),
        last_seen: after.last().map(|e| rfc3339(e.t1)),
        reason,
        evidence,
        links,
    })
}
