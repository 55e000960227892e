//! The Fellegi–Sunter model: m and u probabilities per comparison level, estimated without
//! labels.
//!
//! * **u** (how often different people agree) comes from random record pairs, which are almost
//!   all pairs of different people, and stays fixed.
//! * **m** (how often one person's records agree) and the share of matches among each blocking
//!   rule's pairs are fitted by expectation–maximisation over the candidate pairs' comparison
//!   vectors, grouped by distinct vector (a few thousand patterns, whatever the number of
//!   pairs), under the usual conditional-independence assumption.
//! * A pair's match weight is `log2(λ/(1-λ)) + Σ log2(m/u)`, plus a term-frequency adjustment for
//!   exact agreement on names, places and extra attributes: agreeing on a rare value is stronger
//!   evidence than agreeing on a common one (`log2(P(agree)/P(value))`, bounded to ±8 bits).

use std::collections::HashMap;

use crate::compare::{Comparison, Gamma, level_of};
use crate::record::{NONE, Table};

/// A trained model.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Model {
    pub comparisons: Vec<Comparison>,
    /// `m[c][l]`, level 0 unused (always 1).
    pub m: Vec<Vec<f64>>,
    /// `u[c][l]`, level 0 unused (always 1).
    pub u: Vec<Vec<f64>>,
    /// Probability that two random records are one person.
    pub lambda: f64,
    /// Share of matches among the candidate pairs of each applied blocking rule.
    pub rule_lambdas: Vec<f64>,
    pub em_iterations: u32,
    pub em_converged: bool,
    /// Candidate pairs the model was fitted on.
    pub training_pairs: u64,
    /// Distinct comparison vectors among them.
    pub training_patterns: usize,
    /// Random pairs used for the starting u.
    pub u_sample_pairs: u64,
}

/// Bound of the term-frequency adjustment, in bits.
const TF_BOUND: f64 = 8.0;
/// Pseudo-count added to every level in the M step, so no probability is ever exactly 0.
const SMOOTHING: f64 = 0.5;

/// A model's weights, precomputed for scoring many pairs.
pub(crate) struct Scorer<'m> {
    model: &'m Model,
    prior: f64,
    /// `bits[i][l] = log2(m/u)`.
    bits: Vec<Vec<f64>>,
    tf: Vec<bool>,
    /// Most a comparison can add to the weight, whatever its level (0 for "no evidence"
    /// included; the term-frequency adjustment at its bound).
    most_any: Vec<f64>,
    /// Most it can add when both values are present and differ (levels 2 and up).
    most_differ: Vec<f64>,
}

impl<'m> Scorer<'m> {
    pub fn new(model: &'m Model) -> Self {
        let bits: Vec<Vec<f64>> = (0..model.comparisons.len())
            .map(|i| {
                (0..model.m[i].len())
                    .map(|l| model.level_weight(i, l))
                    .collect()
            })
            .collect();
        let tf: Vec<bool> = model
            .comparisons
            .iter()
            .map(|c| c.term_frequency())
            .collect();
        let most = |from: usize| -> Vec<f64> {
            bits.iter()
                .zip(&tf)
                .map(|(b, &tf)| {
                    b.iter()
                        .enumerate()
                        .skip(from)
                        .map(|(l, &w)| if l == 1 && tf { w + TF_BOUND } else { w })
                        .fold(0.0, f64::max)
                })
                .collect()
        };
        Scorer {
            model,
            prior: (model.lambda / (1.0 - model.lambda)).log2(),
            most_any: most(1),
            most_differ: most(2),
            bits,
            tf,
        }
    }

    /// What level `l` of comparison `i` adds to record `a`'s pair weight (as in
    /// [`Scorer::weight`]).
    pub fn contribution(&self, t: &Table, i: usize, l: usize, a: usize) -> f64 {
        if l == 0 {
            return 0.0;
        }
        let mut w = self.bits[i][l];
        if l == 1 && self.tf[i] {
            w += tf_bits(t, self.model.comparisons[i], a).clamp(-TF_BOUND, TF_BOUND);
        }
        w
    }

    /// The most comparison `i` can add while its level is unknown: names may take any level,
    /// the others are known to hold two different values (levels 2 and up).
    pub fn most(&self, i: usize) -> f64 {
        match self.model.comparisons[i] {
            Comparison::GivenName | Comparison::FamilyName => self.most_any[i],
            _ => self.most_differ[i],
        }
    }

    /// The comparisons, in comparison-vector order.
    pub fn comparisons(&self) -> &[Comparison] {
        &self.model.comparisons
    }

    /// Match weight of comparison vector `g` (log2 Bayes factor, prior included), with the
    /// term-frequency adjustment for the value of record `a` on exact agreements.
    pub fn weight(&self, t: &Table, g: Gamma, a: usize) -> f64 {
        let mut w = self.prior;
        for (i, bits) in self.bits.iter().enumerate() {
            let l = level_of(g, i);
            if l == 0 {
                continue;
            }
            w += bits[l];
            if l == 1 && self.tf[i] {
                w += tf_bits(t, self.model.comparisons[i], a).clamp(-TF_BOUND, TF_BOUND);
            }
        }
        w
    }
}

impl Model {
    /// `log2(m/u)` of one level, for explanations.
    pub fn level_weight(&self, c: usize, l: usize) -> f64 {
        if l == 0 {
            return 0.0;
        }
        (self.m[c][l] / self.u[c][l]).log2()
    }
}

/// `log2` of the term-frequency factor of record `a`'s value (both records hold it: exact).
fn tf_bits(t: &Table, c: Comparison, a: usize) -> f64 {
    let col = match c {
        Comparison::GivenName => &t.given,
        Comparison::FamilyName => &t.family,
        Comparison::City => &t.city,
        Comparison::PostalCode => &t.postal,
        Comparison::Street => &t.street,
        Comparison::Attr(k) => match t.attrs.get(k as usize) {
            Some(c) => c,
            None => return 0.0,
        },
        _ => return 0.0,
    };
    let s = col.get(a);
    if s == NONE {
        return 0.0;
    }
    col.dict.tf_factor(s).log2()
}

/// Probability of a match from a weight.
pub fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}

/// Starting u from comparison vectors of random pairs.
pub(crate) fn u_from_sample(cmps: &[Comparison], sample: &[Gamma]) -> Vec<Vec<f64>> {
    cmps.iter()
        .enumerate()
        .map(|(i, c)| {
            let n = c.n_levels();
            let mut counts = vec![0f64; n];
            for &g in sample {
                counts[level_of(g, i)] += 1.0;
            }
            normalise(&counts, SMOOTHING)
        })
        .collect()
}

/// Starting m: most of one person's pairs agree exactly, fewer at each weaker level.
fn m_start(c: Comparison) -> Vec<f64> {
    let n = c.n_levels();
    let mut v = vec![0f64; n];
    let mut p = 0.9;
    for (l, slot) in v.iter_mut().enumerate().skip(1) {
        *slot = if l + 1 == n { 0.02 } else { p };
        p *= 0.3;
    }
    normalise(&v, 0.0)
}

fn normalise(counts: &[f64], smoothing: f64) -> Vec<f64> {
    let n = counts.len();
    let total: f64 = counts[1..].iter().sum::<f64>() + smoothing * (n - 1) as f64;
    let mut out = vec![1.0; n];
    for l in 1..n {
        out[l] = if total > 0.0 {
            (counts[l] + smoothing) / total
        } else {
            1.0 / (n - 1) as f64
        };
    }
    out
}

/// Fewer candidate pairs than this cannot estimate a model; the documented prior is used.
pub(crate) const MIN_TRAINING_PAIRS: u64 = 1000;

/// Default parameters for data too small to estimate from (a handful of records, an index
/// built before any data arrived). u is the chance that two different US residents agree at
/// each level, from population statistics (given names: Σp² ≈ 0.005 over SSA name
/// frequencies; surnames ≈ 0.002 over Census 2010 surnames; dates of birth about 1 in 20,000
/// across working ages; contact identifiers and accounts about one in a million); m is the
/// starting m of EM. λ is 1 in 10,000 (a small file of applicants).
pub(crate) fn prior(cmps: &[Comparison]) -> Model {
    let u_levels = |c: Comparison| -> Vec<f64> {
        let agree: &[f64] = match c {
            Comparison::GivenName => &[0.005, 0.002, 0.03],
            Comparison::FamilyName => &[0.002, 0.002, 0.02],
            Comparison::DateOfBirth => &[5e-5, 5e-4, 0.02],
            Comparison::NationalId => &[1e-7, 1e-5],
            Comparison::Email => &[1e-6, 1e-4],
            Comparison::Phone => &[1e-6, 1e-5],
            Comparison::Street => &[1e-4, 1e-3],
            Comparison::City => &[0.01],
            Comparison::PostalCode => &[0.001, 0.01],
            Comparison::BankAccount => &[1e-6],
            Comparison::Attr(_) => &[0.1],
        };
        let mut v = vec![1.0];
        v.extend_from_slice(agree);
        v.push(1.0 - agree.iter().sum::<f64>());
        v
    };
    Model {
        comparisons: cmps.to_vec(),
        m: cmps.iter().map(|&c| m_start(c)).collect(),
        u: cmps.iter().map(|&c| u_levels(c)).collect(),
        lambda: 1e-4,
        rule_lambdas: Vec::new(),
        em_iterations: 0,
        em_converged: false,
        training_pairs: 0,
        training_patterns: 0,
        u_sample_pairs: 0,
    }
}

fn ln_table(p: &[Vec<f64>]) -> Vec<Vec<f64>> {
    p.iter()
        .map(|v| v.iter().map(|x| x.ln()).collect())
        .collect()
}

/// P(match | comparison vector `g`) under a rule with match share `lambda`, judged only on the
/// comparisons outside the rule's `mask`.
fn posterior(g: Gamma, mask: u16, lambda: f64, ln_m: &[Vec<f64>], ln_u: &[Vec<f64>]) -> f64 {
    let (mut lm, mut lu) = (lambda.ln(), (1.0 - lambda).ln());
    for (i, (mi, ui)) in ln_m.iter().zip(ln_u).enumerate() {
        let l = level_of(g, i);
        if l != 0 && mask & (1 << i) == 0 {
            lm += mi[l];
            lu += ui[l];
        }
    }
    1.0 / (1.0 + (lu - lm).exp())
}

/// Options of the EM fit.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EmOptions {
    pub max_iterations: u32,
    pub tolerance: f64,
}

/// Candidate-pair comparison vectors for training, grouped by the rule that generated them.
pub(crate) struct Training {
    /// `(rule, gamma) -> count`.
    pub counts: HashMap<(u16, Gamma), u64, foldhash::fast::RandomState>,
    /// Per rule: bit `i` set when comparison `i` is a key of the rule (so every pair the rule
    /// generates agrees on it, and it says nothing about which pairs match).
    pub masks: Vec<u16>,
    /// Number of records (for λ over all pairs).
    pub records: u64,
    /// `(rule, gamma) -> count` over the sampled pairs that are the rule's own candidates (no
    /// earlier rule generated them), for the expected number of matches.
    pub candidates: HashMap<(u16, Gamma), u64, foldhash::fast::RandomState>,
    /// Per rule, how many real pairs one sampled pair stands for.
    pub candidate_factors: Vec<f64>,
}

/// Fits m and the match share by expectation–maximisation, u fixed at its random-pair
/// estimate (different people are the overwhelming majority of random pairs, so that estimate
/// needs no labels and cannot drift).
///
/// Each candidate pair is judged only on the comparisons its blocking rule did not force to
/// agree, and each rule has its own match share λ_k (pairs with the same name are more often
/// matches than pairs with the same postcode). Without that, EM on blocked pairs finds the
/// blocking itself: "agrees on the date of birth" becomes a class (the failure of a plain EM
/// seen on historical_50k). The model's λ, the chance that two random records are one
/// person, is the expected number of matches among the real candidate pairs (each sampled
/// candidate's posterior under the rule that generated it, times the rule's sampling factor)
/// over all `n(n-1)/2` pairs.
pub(crate) fn fit(
    cmps: &[Comparison],
    training: &Training,
    u: Vec<Vec<f64>>,
    sample_pairs: u64,
    opt: EmOptions,
) -> Model {
    let mut patterns: Vec<(u16, Gamma, f64)> = training
        .counts
        .iter()
        .map(|(&(k, g), &c)| (k, g, c as f64))
        .collect();
    patterns.sort_unstable_by_key(|p| (p.0, p.1));
    let total: f64 = patterns.iter().map(|p| p.2).sum();
    let n = training.records as f64;
    let all_pairs = (n * (n - 1.0) / 2.0).max(1.0);
    if (total as u64) < MIN_TRAINING_PAIRS {
        let mut m = prior(cmps);
        m.training_pairs = total as u64;
        m.training_patterns = patterns.len();
        m.u_sample_pairs = sample_pairs;
        return m;
    }
    let n_rules = training.masks.len();
    let mut per_rule = vec![0f64; n_rules];
    for p in &patterns {
        per_rule[p.0 as usize] += p.2;
    }
    let mut m: Vec<Vec<f64>> = cmps.iter().map(|&c| m_start(c)).collect();
    let mut lambda_k = vec![0.3f64; n_rules];
    let mut iterations = 0;
    let mut converged = false;
    for it in 0..opt.max_iterations {
        iterations = it + 1;
        let mut sm: Vec<Vec<f64>> = cmps.iter().map(|c| vec![0.0; c.n_levels()]).collect();
        let mut matched = vec![0f64; n_rules];
        let ln_m: Vec<Vec<f64>> = m
            .iter()
            .map(|v| v.iter().map(|x| x.ln()).collect())
            .collect();
        let ln_u: Vec<Vec<f64>> = u
            .iter()
            .map(|v| v.iter().map(|x| x.ln()).collect())
            .collect();
        for &(k, g, cnt) in &patterns {
            let k = k as usize;
            let mask = training.masks[k];
            let w = posterior(g, mask, lambda_k[k], &ln_m, &ln_u);
            matched[k] += w * cnt;
            for (i, s) in sm.iter_mut().enumerate() {
                if mask & (1 << i) == 0 {
                    s[level_of(g, i)] += w * cnt;
                }
            }
        }
        let new_lambda: Vec<f64> = (0..n_rules)
            .map(|k| {
                if per_rule[k] > 0.0 {
                    (matched[k] / per_rule[k]).clamp(1e-9, 1.0 - 1e-9)
                } else {
                    lambda_k[k]
                }
            })
            .collect();
        // a comparison never seen outside its own rules keeps its starting m
        let new_m: Vec<Vec<f64>> = sm
            .iter()
            .zip(&m)
            .map(|(s, old)| {
                if s[1..].iter().sum::<f64>() > 0.0 {
                    normalise(s, SMOOTHING)
                } else {
                    old.clone()
                }
            })
            .collect();
        let mut delta = 0f64;
        for k in 0..n_rules {
            delta = delta.max((new_lambda[k] - lambda_k[k]).abs());
        }
        for i in 0..cmps.len() {
            for l in 1..new_m[i].len() {
                delta = delta.max((new_m[i][l] - m[i][l]).abs());
            }
        }
        lambda_k = new_lambda;
        m = new_m;
        if delta < opt.tolerance {
            converged = true;
            break;
        }
    }
    // expected matches among the real candidates: each candidate's posterior under its rule
    let (ln_m, ln_u) = (ln_table(&m), ln_table(&u));
    let mut expected_matches = 0.0;
    // summed in a fixed order (a hash map's order changes between runs, and with it the last
    // bits of λ, every weight, and the order of equally weighted links in links.csv)
    let mut candidates: Vec<(&(u16, Gamma), &u64)> = training.candidates.iter().collect();
    candidates.sort_unstable_by_key(|(key, _)| **key);
    for (&(k, g), &cnt) in candidates {
        let k = k as usize;
        let (Some(&mask), Some(&lam)) = (training.masks.get(k), lambda_k.get(k)) else {
            continue;
        };
        let factor = training.candidate_factors.get(k).copied().unwrap_or(1.0);
        expected_matches += factor * cnt as f64 * posterior(g, mask, lam, &ln_m, &ln_u);
    }
    let lambda = (expected_matches / all_pairs).clamp(1e-12, 0.5);
    Model {
        comparisons: cmps.to_vec(),
        m,
        u,
        lambda,
        rule_lambdas: lambda_k,
        em_iterations: iterations,
        em_converged: converged,
        training_pairs: total as u64,
        training_patterns: patterns.len(),
        u_sample_pairs: sample_pairs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// EM recovers m and λ from a two-class mixture it was not told about, ignoring the
    /// comparison the blocking rule forced to agree.
    #[test]
    fn em_recovers_a_known_mixture() {
        let cmps = [
            Comparison::City,
            Comparison::BankAccount,
            Comparison::Attr(0),
            Comparison::Attr(1),
        ];
        // true: matches agree on each with p=0.9, non-matches with p=0.1; λ = 0.2.
        // Comparison 3 is the blocking key: every pair agrees on it.
        let mut counts: HashMap<(u16, Gamma), u64, foldhash::fast::RandomState> =
            HashMap::default();
        let n = 100_000f64;
        for mask in 0u32..8 {
            let mut pm = 0.2;
            let mut pu = 0.8;
            let mut g: Gamma = 1 << 12;
            for i in 0..3 {
                let agree = mask & (1 << i) != 0;
                pm *= if agree { 0.9 } else { 0.1 };
                pu *= if agree { 0.1 } else { 0.9 };
                g |= (if agree { 1u64 } else { 2u64 }) << (4 * i);
            }
            counts.insert((0, g), ((pm + pu) * n).round() as u64);
        }
        let u = vec![vec![1.0, 0.1, 0.9]; 4];
        let model = fit(
            &cmps,
            &Training {
                counts: counts.clone(),
                masks: vec![0b1000],
                records: 1000,
                candidates: counts,
                candidate_factors: vec![1.0],
            },
            u,
            0,
            EmOptions {
                max_iterations: 500,
                tolerance: 1e-9,
            },
        );
        assert!(
            (model.rule_lambdas[0] - 0.2).abs() < 0.02,
            "{:?}",
            model.rule_lambdas
        );
        for i in 0..3 {
            assert!((model.m[i][1] - 0.9).abs() < 0.03, "{:?}", model.m);
        }
        // the blocked comparison keeps its starting m (never observed outside its rule)
        assert!((model.m[3][1] - m_start(Comparison::Attr(1))[1]).abs() < 1e-12);
        // λ over all pairs: 20,000 expected matches among 499,500 pairs
        assert!((model.lambda - 20_000.0 / 499_500.0).abs() < 0.005);
    }

    #[test]
    fn probability_is_logistic_in_bits() {
        assert!((probability(0.0) - 0.5).abs() < 1e-12);
        assert!((probability(10.0) - 1024.0 / 1025.0).abs() < 1e-9);
    }
}
