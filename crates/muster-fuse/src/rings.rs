//! Rings: people joined by shared infrastructure (the ring-edge links of their signals).
//!
//! People and shared things (IPs, phones, emails, bank accounts) form a bipartite graph; a ring is
//! a community of at least two people in it (connected groups split by Louvain when the split is
//! real, see [`build_rings`]). Detections only emit ring edges for things
//! that passed their own legitimacy filters (households, agencies, corporate egress and
//! high-fan-out infrastructure are already removed), so components do not swallow office IPs.
//! The hub is the shared thing linking the most ring members. Pairs whose members carry little
//! evidence (two colleagues sharing one stale email) are not reported as rings.

use std::collections::{BTreeMap, BTreeSet};

use muster_detect::Signal;
use serde::Serialize;

use crate::PersonScore;
use crate::community;

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

/// A two-person ring is reported only if a member reaches this probability (medium tier).
pub const RING_MIN_PROBABILITY: f64 = 0.2;

/// A connected group is split into its Louvain communities only when their modularity reaches
/// this value, the level Newman and Girvan (2004) give for real community structure. Below it
/// (a chain of people each sharing one thing with the next, one tight group) the group stays one
/// ring.
pub const SPLIT_MODULARITY: f64 = 0.3;

/// Things shared by more people than this are linked as a circulant graph (each person to the
/// next [`LATTICE_NEIGHBOURS`] in order, both ways) instead of every pair, so the work stays
/// linear; each person still gets the same total weight from the thing.
const PROJECT_MAX: usize = 64;
const LATTICE_NEIGHBOURS: usize = 8;

/// People of a community and the shared things inside it (kind, value, members sharing it).
type Component<'a> = (BTreeSet<&'a str>, Vec<(&'a str, &'a str, usize)>);

/// A shared thing: kind, value and the people (indices) sharing it.
type Thing<'a> = (&'a str, &'a str, Vec<usize>);

/// Person-to-person edges of a group: every thing shared by `n` people gives each of them a total
/// weight of 1, spread over the others (1/(n-1) per pair; resource allocation). Two people
/// sharing three things weigh 3; thirty people behind one office address weigh 1/29 per pair,
/// so a widely shared thing cannot outweigh a few specific ones.
fn projection(things: &[&Thing<'_>], local: &BTreeMap<usize, usize>) -> Vec<(usize, usize, f64)> {
    let mut edges = Vec::new();
    for (_, _, people) in things {
        let ids: Vec<usize> = people
            .iter()
            .filter_map(|p| local.get(p).copied())
            .collect();
        let n = ids.len();
        if n < 2 {
            continue;
        }
        if n <= PROJECT_MAX {
            let w = 1.0 / (n - 1) as f64;
            for (i, &a) in ids.iter().enumerate() {
                for &b in &ids[i + 1..] {
                    edges.push((a, b, w));
                }
            }
        } else {
            let w = 1.0 / (2 * LATTICE_NEIGHBOURS) as f64;
            for i in 0..n {
                for k in 1..=LATTICE_NEIGHBOURS {
                    edges.push((ids[i], ids[(i + k) % n], w));
                }
            }
        }
    }
    edges
}

/// Splits one connected group of people (global indices) into communities when the split shows
/// real structure; otherwise returns the group whole.
fn communities(group: &[usize], things: &[&Thing<'_>]) -> Vec<Vec<usize>> {
    // Three people cannot form two communities of two or more.
    if group.len() < 4 {
        return vec![group.to_vec()];
    }
    let local: BTreeMap<usize, usize> = group.iter().enumerate().map(|(i, &p)| (p, i)).collect();
    let edges = projection(things, &local);
    let part = community::louvain(group.len(), &edges);
    if part.count < 2 || part.modularity < SPLIT_MODULARITY {
        return vec![group.to_vec()];
    }
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); part.count];
    for (i, &p) in group.iter().enumerate() {
        out[part.community[i]].push(p);
    }
    out
}

/// Builds rings from signals' ring-edge links; ranks them by the members' probabilities.
///
/// People and shared things form a graph; each connected group is split into Louvain
/// communities when its modularity reaches [`SPLIT_MODULARITY`], so two rings that share one
/// stray thing, or a ring and a crowd behind a widely shared address, come out apart. The hub of
/// a ring is the thing shared by most of its members.
pub fn build_rings(signals: &[Signal], scores: &[PersonScore]) -> Vec<Ring> {
    let known: BTreeSet<&str> = scores.iter().map(|s| s.person_id.as_str()).collect();
    let mut by_thing: BTreeMap<(&str, &str), BTreeSet<&str>> = BTreeMap::new();
    for s in signals
        .iter()
        .filter(|s| known.contains(s.person_id.as_str()))
    {
        for l in s.links.iter().filter(|l| l.ring_edge) {
            let people = by_thing.entry((l.kind, l.value.as_str())).or_default();
            people.insert(s.person_id.as_str());
            // a referral joins the referrer too: the link's value is a person
            if l.kind == "referrer"
                && let Some(p) = known.get(l.value.as_str())
            {
                people.insert(p);
            }
        }
    }
    by_thing.retain(|_, p| p.len() >= 2);
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for people in by_thing.values() {
        for p in people {
            let n = index.len();
            index.entry(p).or_insert(n);
        }
    }
    let names: Vec<&str> = {
        let mut v = vec![""; index.len()];
        for (p, &i) in &index {
            v[i] = p;
        }
        v
    };
    let things: Vec<Thing<'_>> = by_thing
        .iter()
        .map(|((k, v), people)| (*k, *v, people.iter().map(|p| index[p]).collect()))
        .collect();
    let mut dsu = Dsu((0..index.len()).collect());
    for (_, _, people) in &things {
        for &p in people.iter().skip(1) {
            dsu.union(people[0], p);
        }
    }
    let mut groups: BTreeMap<usize, (Vec<usize>, Vec<&Thing<'_>>)> = BTreeMap::new();
    for i in 0..index.len() {
        groups.entry(dsu.find(i)).or_default().0.push(i);
    }
    for t in &things {
        if let Some(g) = groups.get_mut(&dsu.find(t.2[0])) {
            g.1.push(t);
        }
    }
    let prob: BTreeMap<&str, f64> = scores
        .iter()
        .map(|s| (s.person_id.as_str(), s.probability))
        .collect();
    let mut comps: Vec<Component<'_>> = Vec::new();
    for (group, group_things) in groups.values() {
        for members in communities(group, group_things) {
            let inside: BTreeSet<usize> = members.iter().copied().collect();
            let shared = group_things
                .iter()
                .map(|(k, v, people)| {
                    (*k, *v, people.iter().filter(|p| inside.contains(p)).count())
                })
                .filter(|t| t.2 >= 2)
                .collect();
            comps.push((members.iter().map(|&i| names[i]).collect(), shared));
        }
    }
    let mut rings: Vec<Ring> = comps
        .into_iter()
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
