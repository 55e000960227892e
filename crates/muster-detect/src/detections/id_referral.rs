//! ID-REFERRAL: referral chains whose referrer is flagged, and workers who arrive in a group
//! through one referrer.

use std::collections::BTreeMap;

use serde_json::json;

use crate::rows::{col, rfc3339};
use crate::{
    DetectConfig, DetectError, Detection, DetectionMeta, Engine, Family, Link, Severity, Signal,
};

/// ID-REFERRAL.
pub struct IdReferral;

/// Referees of one referrer arriving within this many days form a group.
const GROUP_DAYS: i64 = 90;
/// People (referees) a group needs.
const GROUP_MIN: usize = 3;
const LR_GROUP: f64 = 3.0;
/// A person referred by someone the scan flagged (applied after fusion, one hop).
pub const LR_FLAGGED_REFERRER: f64 = 10.0;
const DAY_US: i64 = 86_400_000_000;

static META: DetectionMeta = DetectionMeta {
    id: "ID-REFERRAL",
    title: "Referred by a flagged person, or one of a group brought in by one referrer",
    family: Family::Identity,
    severity: Severity::Medium,
    likelihood_ratio: LR_FLAGGED_REFERRER,
    lr_rationale: "Referred by a person this scan flags: honest employees are rarely referred \
        by a scheme's worker (about 6% of hires come through a referral and a small fraction \
        of a percent of staff are flagged, so well under 1 in 1,000 honest people), while \
        facilitated workers bring in the next identity of their ring through the referral \
        programme (the 2024-2025 DOJ cases describe workers recommending associates for \
        open roles): LR 10, one hop only, so a flagged person cannot cascade through a \
        referral tree, and a referrer flagged by mistake costs their referees one moderate \
        signal, not a flag on its own. Three or more people referred by one person within 90 \
        days with no staffing agency in common: honest referral bonuses produce this rarely \
        (most employees who refer, refer one person a year), rings arrive this way: LR 3, on \
        the referees and the referrer.",
    tables: &["people"],
    what: "Reads `people.referrer_id` (the person_id of whoever referred the person; referrers \
        not in the people table are ignored) and the arrival time (`applied_at`, else \
        `hired_at`). (1) Group: a referrer whose referees include three or more arriving within \
        90 days of each other, unless all of them share a `staffing_agency` (an agency placing \
        its own people): one signal per referee and one for the referrer, all linked to the \
        referrer (a ring edge: the referrer becomes the ring's named hub). (2) After fusion, \
        each person whose referrer is flagged gets a signal linked to the referrer, and the \
        person's score is fused again; it is not fed back to the referrer.",
    why: "The 2022 FBI/State/Treasury advisory and DOJ facilitator cases describe DPRK IT \
        workers recommending associates for jobs at the companies that hired them, so one \
        placed identity brings in the next. Referral programmes with bonuses are the channel \
        for that inside a company.",
    data: "people (person_id, referrer_id, applied_at, hired_at, staffing_agency).",
    false_positives: "Employees who refer several friends at once during a hiring push (LR 3, \
        weak on its own); recruiters or agencies entered as the referrer (all referees from one \
        staffing agency: silent); a referrer flagged by mistake (one hop, LR 10, within the \
        identity family cap). A referral alone, from someone not flagged, is never evidence.",
    references: &[
        "FBI/State/Treasury, 'Guidance on the DPRK Information Technology Workers', May 2022",
        "US DOJ, 'Justice Department Announces Coordinated, Nationwide Actions to Combat North Korean Remote Information Technology Workers', 30 June 2025",
    ],
};

/// One referral: referee, referrer, arrival (microseconds), staffing agency.
struct Referral {
    referee: String,
    referrer: String,
    arrived: Option<i64>,
    agency: Option<String>,
}

fn referrals(engine: &Engine) -> Result<Vec<Referral>, DetectError> {
    let batches = engine.sql(
        "SELECT p.person_id, trim(p.referrer_id) AS referrer,
                coalesce(p.applied_at, p.hired_at) AS arrived,
                lower(trim(p.staffing_agency)) AS agency
         FROM people p JOIN people r ON trim(p.referrer_id) = r.person_id
         WHERE p.referrer_id IS NOT NULL AND trim(p.referrer_id) <> p.person_id
         ORDER BY referrer, arrived, p.person_id",
    )?;
    let mut out = Vec::new();
    for b in &batches {
        let (p, r, t, a) = (
            col(b, "person_id")?,
            col(b, "referrer")?,
            col(b, "arrived")?,
            col(b, "agency")?,
        );
        for i in 0..b.num_rows() {
            let (Some(referee), Some(referrer)) = (p.str(i), r.str(i)) else {
                continue;
            };
            out.push(Referral {
                referee: referee.to_string(),
                referrer: referrer.to_string(),
                arrived: t.ts(i),
                agency: a.str(i).filter(|s| !s.is_empty()).map(str::to_string),
            });
        }
    }
    Ok(out)
}

fn link(referrer: &str) -> Link {
    Link {
        kind: "referrer",
        value: referrer.to_string(),
        ring_edge: true,
        share: None,
    }
}

impl Detection for IdReferral {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn run(&self, engine: &Engine, _cfg: &DetectConfig) -> Result<Vec<Signal>, DetectError> {
        let mut by_referrer: BTreeMap<&str, Vec<&Referral>> = BTreeMap::new();
        let all = referrals(engine)?;
        for r in &all {
            by_referrer.entry(&r.referrer).or_default().push(r);
        }
        let mut out = Vec::new();
        for (referrer, list) in by_referrer {
            // the largest set of referees arriving within GROUP_DAYS of the first of them
            let timed: Vec<&&Referral> = list.iter().filter(|r| r.arrived.is_some()).collect();
            let mut best: &[&&Referral] = &[];
            for start in 0..timed.len() {
                let t0 = timed[start].arrived.unwrap_or(0);
                let end = timed[start..]
                    .iter()
                    .take_while(|r| r.arrived.unwrap_or(0) - t0 <= GROUP_DAYS * DAY_US)
                    .count();
                if end > best.len() {
                    best = &timed[start..start + end];
                }
            }
            if best.len() < GROUP_MIN {
                continue;
            }
            let agency = best[0].agency.as_deref();
            if agency.is_some() && best.iter().all(|r| r.agency.as_deref() == agency) {
                continue; // an agency placing its own people
            }
            let referees: Vec<&str> = best.iter().map(|r| r.referee.as_str()).collect();
            let t0 = best.first().and_then(|r| r.arrived);
            let t1 = best.last().and_then(|r| r.arrived);
            let evidence = json!({
                "kind": "group_arrival", "referrer": referrer, "referees": referees,
                "days": t0.zip(t1).map(|(a, b)| (b - a) / DAY_US),
            });
            for who in referees.iter().copied().chain([referrer]) {
                let reason = if who == referrer {
                    format!(
                        "referred {} people who arrived within {GROUP_DAYS} days ({})",
                        referees.len(),
                        referees.join(", ")
                    )
                } else {
                    format!(
                        "one of {} people referred by {referrer} within {GROUP_DAYS} days",
                        referees.len()
                    )
                };
                out.push(Signal {
                    person_id: who.to_string(),
                    device_id: None,
                    detection: META.id,
                    family: META.family,
                    severity: Severity::Low,
                    likelihood_ratio: LR_GROUP,
                    first_seen: t0.map(rfc3339),
                    last_seen: t1.map(rfc3339),
                    reason,
                    evidence: evidence.clone(),
                    links: vec![link(referrer)],
                });
            }
        }
        Ok(out)
    }
}

/// The after-fusion hop: a signal for each person referred by someone in `flagged` (person id
/// -> probability). Referees who are themselves flagged get it too (it adds to their evidence
/// and joins them to the referrer's ring). Not fed back: the caller fuses once more and stops.
pub fn referred_by_flagged(
    engine: &Engine,
    flagged: &BTreeMap<String, f64>,
) -> Result<Vec<Signal>, DetectError> {
    Ok(referrals(engine)?
        .into_iter()
        .filter_map(|r| {
            let p = *flagged.get(&r.referrer)?;
            Some(Signal {
                person_id: r.referee.clone(),
                device_id: None,
                detection: META.id,
                family: META.family,
                severity: META.severity,
                likelihood_ratio: LR_FLAGGED_REFERRER,
                first_seen: r.arrived.map(rfc3339),
                last_seen: None,
                reason: format!(
                    "referred by {}, whom this scan flags (probability {p:.2})",
                    r.referrer
                ),
                evidence: json!({
                    "kind": "referred_by_flagged", "referrer": r.referrer,
                    "referrer_probability": p,
                }),
                links: vec![link(&r.referrer)],
            })
        })
        .collect())
}
