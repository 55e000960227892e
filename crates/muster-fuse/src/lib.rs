//! Fusion: from detection signals to a probability per person, a tier, ranked reasons and rings.
//!
//! The model is naive Bayes over families with caps: every signal carries a likelihood ratio
//! (LR) documented by its detection. Within one detection only the strongest signal of a person
//! counts; within one family the strongest detection counts in full and the others at half
//! weight (they are correlated: five flavours of one fact must not count five times), and the
//! family total is capped. The prior odds come from a public base rate (Pindrop 2026: 1 in 343
//! applicants linked to North Korea) and are configurable.
//!
//! ```
//! use muster_fuse::{fuse, FuseConfig};
//! let people = vec!["a".to_string(), "b".to_string()];
//! let (scores, rings) = fuse(&people, &[], &FuseConfig::default());
//! assert_eq!(scores.len(), 2);
//! assert!(scores.iter().all(|s| !s.flagged && s.tier == "none"));
//! assert!(rings.is_empty());
//! ```

mod calibration;
pub mod community;
mod rings;

use std::collections::BTreeMap;

use muster_detect::{Family, Signal};
use serde::Serialize;

pub use calibration::Calibration;
pub use rings::{RING_MIN_PROBABILITY, Ring, RingMember, SPLIT_MODULARITY, build_rings};

/// Fusion parameters.
#[derive(Debug, Clone)]
pub struct FuseConfig {
    /// Prior probability that a person is part of a scheme. Default 1/343 (Pindrop, 2026).
    pub prior: f64,
    /// Probability at or above which a person is flagged.
    pub flag_threshold: f64,
    /// Maximum LR one family can contribute.
    pub family_cap: fn(Family) -> f64,
    /// Weight of a family's second and further detections (correlated evidence).
    pub secondary_weight: f64,
    /// A fitted map from the fused probability to a calibrated one (see [`Calibration`]);
    /// flags, tiers and scores use the calibrated probability.
    pub calibration: Option<Calibration>,
}

/// Default family caps: one family can move the odds by at most this factor. Network allows more
/// because direct DPRK address space is near-proof on its own.
pub fn default_family_cap(f: Family) -> f64 {
    match f {
        Family::Farm => 2000.0,
        Family::RemoteControl => 1000.0,
        Family::Network => 2000.0,
        Family::Identity => 300.0,
        Family::Money => 300.0,
    }
}

impl Default for FuseConfig {
    fn default() -> Self {
        Self {
            prior: 1.0 / 343.0,
            flag_threshold: 0.5,
            family_cap: default_family_cap,
            secondary_weight: 0.5,
            calibration: None,
        }
    }
}

/// One reason in a person's score.
#[derive(Debug, Clone, Serialize)]
pub struct Reason {
    /// Detection id.
    pub detection: String,
    /// Family.
    pub family: Family,
    /// LR counted after the family rules.
    pub counted_lr: f64,
    /// Plain-words reason.
    pub text: String,
}

/// The fused result for one person.
#[derive(Debug, Clone, Serialize)]
pub struct PersonScore {
    /// Person.
    pub person_id: String,
    /// Probability of being part of a scheme, 0-1 (calibrated when a calibration is set).
    pub probability: f64,
    /// The probability the evidence gives before any calibration (equal to `probability`
    /// without one); breaks ties in the ranking.
    pub fused_probability: f64,
    /// Score 0-100 (probability in per cent, rounded down, so 50 means at least 0.5).
    pub score: u8,
    /// `critical`, `high`, `medium`, `low`, `none`.
    pub tier: &'static str,
    /// Probability at or above the flag threshold.
    pub flagged: bool,
    /// Ring, if the person is in one.
    pub ring_id: Option<String>,
    /// Reasons, strongest first.
    pub reasons: Vec<Reason>,
}

impl PersonScore {
    /// Detection ids of the reasons, strongest first, each once (`scores.csv` top_reasons).
    pub fn detection_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = Vec::new();
        for r in &self.reasons {
            if !ids.contains(&r.detection.as_str()) {
                ids.push(&r.detection);
            }
        }
        ids
    }
}

/// Tier of a probability.
pub fn tier(p: f64) -> &'static str {
    if p >= 0.9 {
        "critical"
    } else if p >= 0.5 {
        "high"
    } else if p >= 0.2 {
        "medium"
    } else if p >= 0.05 {
        "low"
    } else {
        "none"
    }
}

/// Fuses signals into scores (one per person in `people`, same order, then ranked) and rings.
pub fn fuse(
    people: &[String],
    signals: &[Signal],
    cfg: &FuseConfig,
) -> (Vec<PersonScore>, Vec<Ring>) {
    // person -> detection -> strongest signal
    let mut best: BTreeMap<&str, BTreeMap<&str, &Signal>> = BTreeMap::new();
    for s in signals {
        let e = best
            .entry(s.person_id.as_str())
            .or_default()
            .entry(s.detection)
            .or_insert(s);
        if s.likelihood_ratio > e.likelihood_ratio {
            *e = s;
        }
    }
    let prior = cfg.prior.clamp(1e-9, 1.0 - 1e-9);
    let prior_logit = (prior / (1.0 - prior)).ln();
    let mut scores: Vec<PersonScore> = people
        .iter()
        .map(|p| {
            let mut reasons = Vec::new();
            let mut total = prior_logit;
            if let Some(dets) = best.get(p.as_str()) {
                let mut by_family: BTreeMap<Family, Vec<&Signal>> = BTreeMap::new();
                for s in dets.values() {
                    by_family.entry(s.family).or_default().push(s);
                }
                for (family, mut sigs) in by_family {
                    sigs.sort_by(|a, b| {
                        b.likelihood_ratio
                            .total_cmp(&a.likelihood_ratio)
                            .then(a.detection.cmp(b.detection))
                    });
                    let cap = (cfg.family_cap)(family).max(1.0).ln();
                    let mut fam = 0.0f64;
                    for (i, s) in sigs.iter().enumerate() {
                        let l = s.likelihood_ratio.max(1e-6).ln();
                        let w = if i == 0 || l < 0.0 {
                            1.0
                        } else {
                            cfg.secondary_weight
                        };
                        let before = fam;
                        fam = (fam + w * l).min(cap);
                        reasons.push(Reason {
                            detection: s.detection.to_string(),
                            family,
                            counted_lr: (fam - before).exp(),
                            text: s.reason.clone(),
                        });
                    }
                    total += fam;
                }
            }
            reasons.sort_by(|a, b| {
                b.counted_lr
                    .total_cmp(&a.counted_lr)
                    .then(a.detection.cmp(&b.detection))
            });
            let fused = 1.0 / (1.0 + (-total).exp());
            let probability = cfg.calibration.as_ref().map_or(fused, |c| c.apply(fused));
            PersonScore {
                person_id: p.clone(),
                probability,
                fused_probability: fused,
                score: (probability * 100.0).floor().clamp(0.0, 100.0) as u8,
                tier: tier(probability),
                flagged: probability >= cfg.flag_threshold,
                ring_id: None,
                reasons,
            }
        })
        .collect();
    let rings = build_rings(signals, &scores);
    let mut ring_of: BTreeMap<&str, &str> = BTreeMap::new();
    for r in &rings {
        for m in r.members.iter().filter(|m| m.kind == "person") {
            ring_of.insert(m.id.as_str(), r.ring_id.as_str());
        }
    }
    for s in &mut scores {
        s.ring_id = ring_of.get(s.person_id.as_str()).map(|r| r.to_string());
    }
    scores.sort_by(|a, b| {
        b.probability
            .total_cmp(&a.probability)
            .then(b.fused_probability.total_cmp(&a.fused_probability))
            .then(a.person_id.cmp(&b.person_id))
    });
    (scores, rings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use muster_detect::{Link, Severity};

    fn sig(
        p: &str,
        det: &'static str,
        fam: Family,
        lr: f64,
        link: Option<(&'static str, &str)>,
    ) -> Signal {
        Signal {
            person_id: p.into(),
            device_id: None,
            detection: det,
            family: fam,
            severity: Severity::Medium,
            likelihood_ratio: lr,
            first_seen: None,
            last_seen: None,
            reason: format!("{det} fired"),
            evidence: serde_json::json!({}),
            links: link
                .map(|(k, v)| {
                    vec![Link {
                        kind: k,
                        value: v.into(),
                        ring_edge: true,
                        share: None,
                    }]
                })
                .unwrap_or_default(),
        }
    }

    #[test]
    fn independent_families_multiply() {
        let people = vec!["a".to_string()];
        let s = vec![
            sig("a", "FARM-IP", Family::Farm, 60.0, None),
            sig("a", "RMM-SOFTWARE", Family::RemoteControl, 10.0, None),
        ];
        let (scores, _) = fuse(&people, &s, &FuseConfig::default());
        let odds = 600.0 / 342.0;
        assert!((scores[0].probability - odds / (1.0 + odds)).abs() < 1e-9);
        assert!(scores[0].flagged);
        assert_eq!(scores[0].reasons[0].detection, "FARM-IP");
    }

    #[test]
    fn one_family_is_damped_and_capped() {
        let people = vec!["a".to_string()];
        let s = vec![
            sig("a", "RMM-SOFTWARE", Family::RemoteControl, 25.0, None),
            sig("a", "KVM-HARDWARE", Family::RemoteControl, 400.0, None),
        ];
        let (scores, _) = fuse(&people, &s, &FuseConfig::default());
        // 400 * sqrt(25) = 2000, capped at 1000.
        let odds = 1000.0 / 342.0;
        assert!((scores[0].probability - odds / (1.0 + odds)).abs() < 1e-9);
    }

    #[test]
    fn repeated_signals_of_one_detection_count_once() {
        let people = vec!["a".to_string()];
        let s = vec![
            sig("a", "NET-ANON", Family::Network, 12.0, None),
            sig("a", "NET-ANON", Family::Network, 12.0, None),
        ];
        let (scores, _) = fuse(&people, &s, &FuseConfig::default());
        let odds = 12.0 / 342.0;
        assert!((scores[0].probability - odds / (1.0 + odds)).abs() < 1e-9);
        assert!(!scores[0].flagged);
    }

    #[test]
    fn weak_pairs_are_not_rings() {
        let people: Vec<String> = ["a", "b"].iter().map(|s| s.to_string()).collect();
        let s = vec![
            sig(
                "a",
                "ID-REUSE",
                Family::Identity,
                15.0,
                Some(("email", "x")),
            ),
            sig(
                "b",
                "ID-REUSE",
                Family::Identity,
                15.0,
                Some(("email", "x")),
            ),
        ];
        let (_, rings) = fuse(&people, &s, &FuseConfig::default());
        assert!(rings.is_empty());
    }

    #[test]
    fn rings_join_people_through_shared_links() {
        let people: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
        let s = vec![
            sig("a", "FARM-IP", Family::Farm, 60.0, Some(("ip", "1.2.3.4"))),
            sig("b", "FARM-IP", Family::Farm, 60.0, Some(("ip", "1.2.3.4"))),
            sig(
                "b",
                "ID-REUSE",
                Family::Identity,
                40.0,
                Some(("bank_account", "***1")),
            ),
            sig(
                "c",
                "ID-REUSE",
                Family::Identity,
                40.0,
                Some(("bank_account", "***1")),
            ),
        ];
        let (scores, rings) = fuse(&people, &s, &FuseConfig::default());
        assert_eq!(rings.len(), 1);
        let members: Vec<&str> = rings[0]
            .members
            .iter()
            .filter(|m| m.kind == "person")
            .map(|m| m.id.as_str())
            .collect();
        assert_eq!(members, vec!["a", "b", "c"]);
        assert!(
            scores
                .iter()
                .find(|s| s.person_id == "d")
                .unwrap()
                .ring_id
                .is_none()
        );
    }

    fn ring_people(r: &Ring) -> Vec<&str> {
        r.members
            .iter()
            .filter(|m| m.kind == "person")
            .map(|m| m.id.as_str())
            .collect()
    }

    #[test]
    fn two_rings_joined_by_one_stray_thing_come_out_apart() {
        // Ring one shares a Wi-Fi and an IP; ring two a bank account and a recipient; one member
        // of each also shares a phone: one connected group, two communities.
        let mut s = Vec::new();
        for p in ["a1", "a2", "a3", "a4"] {
            s.push(sig(
                p,
                "FARM-WIFI",
                Family::Farm,
                60.0,
                Some(("wifi", "w1")),
            ));
            s.push(sig(
                p,
                "FARM-IP",
                Family::Farm,
                60.0,
                Some(("ip", "1.1.1.1")),
            ));
        }
        for p in ["b1", "b2", "b3", "b4"] {
            s.push(sig(
                p,
                "PAY-SHARED",
                Family::Money,
                40.0,
                Some(("bank_account", "***9")),
            ));
            s.push(sig(
                p,
                "FARM-SHIP",
                Family::Farm,
                40.0,
                Some(("recipient", "r")),
            ));
        }
        for p in ["a4", "b1"] {
            s.push(sig(
                p,
                "ID-REUSE",
                Family::Identity,
                15.0,
                Some(("phone", "+1555")),
            ));
        }
        let people: Vec<String> = s.iter().map(|x| x.person_id.clone()).collect();
        let (_, rings) = fuse(&people, &s, &FuseConfig::default());
        assert_eq!(rings.len(), 2, "{rings:?}");
        let mut groups: Vec<Vec<&str>> = rings.iter().map(ring_people).collect();
        groups.sort();
        assert_eq!(
            groups,
            vec![vec!["a1", "a2", "a3", "a4"], vec!["b1", "b2", "b3", "b4"]]
        );
        // the stray phone links one person on each side: it is nobody's shared thing
        assert!(
            rings
                .iter()
                .all(|r| r.members.iter().all(|m| m.kind != "phone"))
        );
    }

    #[test]
    fn a_chain_of_shared_things_stays_one_ring() {
        // a-b share an IP, b-c a bank account, c-d a recipient: weak structure, one ring.
        let s = vec![
            sig("a", "FARM-IP", Family::Farm, 60.0, Some(("ip", "1.2.3.4"))),
            sig("b", "FARM-IP", Family::Farm, 60.0, Some(("ip", "1.2.3.4"))),
            sig(
                "b",
                "PAY-SHARED",
                Family::Money,
                40.0,
                Some(("bank_account", "***1")),
            ),
            sig(
                "c",
                "PAY-SHARED",
                Family::Money,
                40.0,
                Some(("bank_account", "***1")),
            ),
            sig(
                "c",
                "FARM-SHIP",
                Family::Farm,
                40.0,
                Some(("recipient", "r")),
            ),
            sig(
                "d",
                "FARM-SHIP",
                Family::Farm,
                40.0,
                Some(("recipient", "r")),
            ),
        ];
        let people: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
        let (_, rings) = fuse(&people, &s, &FuseConfig::default());
        assert_eq!(rings.len(), 1);
        assert_eq!(ring_people(&rings[0]), vec!["a", "b", "c", "d"]);
    }

    #[test]
    fn a_referral_joins_the_referrer_into_the_ring_as_its_hub() {
        let s = vec![
            sig("a", "FARM-IP", Family::Farm, 400.0, None),
            sig(
                "b",
                "ID-REFERRAL",
                Family::Identity,
                10.0,
                Some(("referrer", "a")),
            ),
            sig(
                "c",
                "ID-REFERRAL",
                Family::Identity,
                10.0,
                Some(("referrer", "a")),
            ),
            // a referrer who is not a scanned person joins nobody
            sig(
                "d",
                "ID-REFERRAL",
                Family::Identity,
                10.0,
                Some(("referrer", "zz")),
            ),
        ];
        let people: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
        let (_, rings) = fuse(&people, &s, &FuseConfig::default());
        assert_eq!(rings.len(), 1);
        assert_eq!(ring_people(&rings[0]), vec!["a", "b", "c"]);
        assert_eq!(rings[0].hub, "referrer:a");
    }
}
