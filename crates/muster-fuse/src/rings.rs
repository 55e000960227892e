//! Rings: people joined by shared infrastructure (the ring-edge links of their signals).
//!
//! People and shared things (IPs, phones, emails, bank accounts) form a bipartite graph; a ring is
//! a connected component with at least two people. Detections only emit ring edges for things
//! that passed their own legitimacy filters (households, agencies, corporate egress and
//! high-fan-out infrastructure are already removed), so components do not swallow office IPs.
//! The hub is the shared thing linking the most ring members. Pairs whose members carry little
//! evidence (two colleagues sharing one stale email) are not reported as rings.

use std::collections::{BTreeMap, BTreeSet};

use muster_detect::Signal;
use serde::Serialize;

use crate::PersonScore;

/// A member of a ring.
#[derive(Debug, Clone, Serialize)]
pub struct RingMember {
    /// `person`, `ip`, `phone`, `email`, `bank_account`, `device`...
    pub kind: String,
    /// Identifier (masked for sensitive kinds).
    pub id: String,
    /// `member` for people, `hub` for the most-shared thing, `shared` for other shared things.
    pub role: &'static str,
}

/// A ring.
#[derive(Debug, Clone, Serialize)]
pub struct Ring {
    /// `R0001`, ... ranked by evidence.
    pub ring_id: String,
    /// Members.
    pub members: Vec<RingMember>,
    /// Number of people.
    pub people: usize,
    /// The hub, `kind:id`.
    pub hub: String,
    /// Sum of the members' probabilities (ranking).
    pub evidence: f64,
}

struct Dsu(Vec<usize>);

impl Dsu {
    fn find(&mut self, x: usize) -> usize {
        let mut r = x;
        while self.0[r] != r {
            r = self.0[r];
        }
        let mut c = x;
        while self.0[c] != r {
            let n = self.0[c];
            self.0[c] = r;
            c = n;
        }
        r
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[ra.max(rb)] = ra.min(rb);
        }
    }
}

/// A two-person component is reported only if a member reaches this probability (medium tier).
pub const RING_MIN_PROBABILITY: f64 = 0.2;

/// People of a component and the shared things (kind, value, people sharing it).
type Component<'a> = (BTreeSet<&'a str>, Vec<(&'a str, &'a str, usize)>);

/// Builds rings from signals' ring-edge links; ranks them by the members' probabilities.
pub fn build_rings(signals: &[Signal], scores: &[PersonScore]) -> Vec<Ring> {
    let known: BTreeSet<&str> = scores.iter().map(|s| s.person_id.as_str()).collect();
    let mut things: BTreeMap<(&str, &str), BTreeSet<&str>> = BTreeMap::new();
    for s in signals
        .iter()
        .filter(|s| known.contains(s.person_id.as_str()))
    {
        for l in s.links.iter().filter(|l| l.ring_edge) {
            things
                .entry((l.kind, l.value.as_str()))
                .or_default()
                .insert(s.person_id.as_str());
        }
    }
    things.retain(|_, p| p.len() >= 2);
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for people in things.values() {
        for p in people {
            let n = index.len();
            index.entry(p).or_insert(n);
        }
    }
    let mut dsu = Dsu((0..index.len()).collect());
    for people in things.values() {
        let mut it = people.iter();
        if let Some(first) = it.next() {
            for p in it {
                dsu.union(index[first], index[p]);
            }
        }
    }
    let prob: BTreeMap<&str, f64> = scores
        .iter()
        .map(|s| (s.person_id.as_str(), s.probability))
        .collect();
    let mut comps: BTreeMap<usize, Component<'_>> = BTreeMap::new();
    for (p, &i) in &index {
        let root = dsu.find(i);
        comps.entry(root).or_default().0.insert(p);
    }
    for ((kind, value), people) in &things {
        if let Some(p) = people.iter().next() {
            let root = dsu.find(index[p]);
            if let Some(c) = comps.get_mut(&root) {
                c.1.push((kind, value, people.len()));
            }
        }
    }
    let mut rings: Vec<Ring> = comps
        .into_values()
        .filter(|(people, _)| {
            // A ring is reported when it holds evidence: three or more people sharing
            // unexplained infrastructure, or at least one member at medium tier or above.
            people.len() >= 3
                || people
                    .iter()
                    .any(|p| prob.get(p).copied().unwrap_or(0.0) >= RING_MIN_PROBABILITY)
        })
        .map(|(people, mut shared)| {
            shared.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)).then(a.1.cmp(b.1)));
            let hub = shared
                .first()
                .map(|(k, v, _)| format!("{k}:{v}"))
                .unwrap_or_default();
            let mut members: Vec<RingMember> = people
                .iter()
                .map(|p| RingMember {
                    kind: "person".into(),
                    id: p.to_string(),
                    role: "member",
                })
                .collect();
            for (i, (k, v, _)) in shared.iter().enumerate() {
                members.push(RingMember {
                    kind: k.to_string(),
                    id: v.to_string(),
                    role: if i == 0 { "hub" } else { "shared" },
                });
            }
            let evidence = people
                .iter()
                .map(|p| prob.get(p).copied().unwrap_or(0.0))
                .sum();
            Ring {
                ring_id: String::new(),
                people: people.len(),
                members,
                hub,
                evidence,
            }
        })
        .collect();
    rings.sort_by(|a, b| b.evidence.total_cmp(&a.evidence).then(a.hub.cmp(&b.hub)));
    for (i, r) in rings.iter_mut().enumerate() {
        r.ring_id = format!("R{:04}", i + 1);
    }
    rings
}
