//! Evaluation of a scan against synthetic ground truth: precision, recall, F1, AUC, per-scheme
//! recall, false-positive rates, ring purity.
//!
//! `muster synth` writes a company and, next to it, `DIR-truth/people.csv` saying who is a
//! fraudulent worker, which schemes they use, which ring they belong to and which legit people
//! are deliberate traps (`hard_negative_group`: households, coworking spaces, night shifts…).
//! [`evaluate`] compares a scan's `OUT/scores.csv` and `OUT/rings.csv` with it.
//!
//! Conventions:
//! - a truth person missing from `scores.csv` counts as not flagged, with probability 0, so
//!   a scan cannot improve its numbers by leaving people out; people in `scores.csv` but not in
//!   the truth are counted and otherwise ignored;
//! - the `covered` metrics leave out fraud people none of whose schemes is covered by the
//!   detections that ran (see [`DETECTION_SCHEMES`]): they are neither false negatives nor
//!   false positives. `overall` keeps everyone;
//! - calibration uses only scored truth people; ranking metrics use every truth person.
//!
//! ```
//! use muster_eval::{evaluate, EvalOptions};
//!
//! let truth = tempfile::tempdir()?;
//! let out = tempfile::tempdir()?;
//! std::fs::write(
//!     truth.path().join("people.csv"),
//!     "person_id,label,schemes,ring_id,hard_negative_group,role\n\
//!      a,fraud,laptop_farm,R1,,worker\n\
//!      b,fraud,laptop_farm,R1,,worker\n\
//!      c,legit,,,household,\n\
//!      d,legit,,,household,\n",
//! )?;
//! std::fs::write(
//!     out.path().join("scores.csv"),
//!     "person_id,score,probability,tier,flagged,ring_id,top_reasons\n\
//!      a,90,0.9,critical,true,X,FARM-IP\n\
//!      b,60,0.6,medium,false,X,FARM-IP\n\
//!      c,70,0.7,high,true,,FARM-IP\n\
//!      d,10,0.1,none,false,,\n",
//! )?;
//! std::fs::write(
//!     out.path().join("rings.csv"),
//!     "ring_id,member_kind,member_id,role\nX,person,a,member\nX,person,b,member\nX,ip,198.51.100.7,hub\n",
//! )?;
//!
//! let report = evaluate(truth.path(), out.path(), &EvalOptions::default())?;
//! assert_eq!(report.overall.precision, Some(0.5));
//! assert_eq!(report.overall.recall, Some(0.5));
//! assert_eq!(report.ranking.roc_auc, Some(0.75));
//! assert_eq!(report.rings.mean_purity, Some(1.0));
//! assert_eq!(report.rings.truth_ring_recall, Some(1.0));
//! assert_eq!(report.hard_negatives[0].fpr, Some(0.5));
//! println!("{}", report.to_text());
//! println!("{}", serde_json::to_string_pretty(&report)?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

mod error;
mod input;
mod metrics;
mod report;
mod schemes;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

pub use error::EvalError;
pub use report::{
    Calibration, CalibrationBin, Classification, Coverage, CoverageSource, EvalReport, GroupRate,
    PeopleCounts, PredictedRing, Ranking, RingReport, RingSource, SchemeRecall,
};
pub use schemes::{DETECTION_SCHEMES, schemes_for_detection};

use input::{RingMember, ScoreRow, TruthPerson};

/// How many example ids [`PeopleCounts`] lists.
const EXAMPLE_IDS: usize = 10;

/// Options for [`evaluate`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvalOptions {
    /// The schemes the `covered` metrics count (case-insensitive). When `None`, they are
    /// derived from `OUT/run.json`'s `detections_run` through [`DETECTION_SCHEMES`]; when that
    /// is absent too, every scheme counts.
    pub covered_schemes: Option<Vec<String>>,
}

/// Evaluates the scan in `out_dir` against the truth in `truth_dir`.
///
/// Reads `truth_dir/people.csv` and `out_dir/scores.csv` (both required), `out_dir/rings.csv`
/// (when absent, the `ring_id` column of `scores.csv` is used and a warning is added) and
/// `out_dir/run.json` (optional). Column names are case-insensitive; cells are trimmed.
///
/// # Errors
///
/// [`EvalError`] naming the file (and line) for a missing file, a missing column, a bad value
/// (label not `fraud`/`legit`, probability not in [0, 1], score not in [0, 100], flagged not a
/// boolean, empty id), a duplicate person, malformed CSV, or a malformed `run.json`.
///
/// ```
/// use muster_eval::{evaluate, EvalError, EvalOptions};
///
/// let empty = tempfile::tempdir()?;
/// let err = evaluate(empty.path(), empty.path(), &EvalOptions::default());
/// assert!(matches!(err, Err(EvalError::MissingFile { .. })));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn evaluate(
    truth_dir: &Path,
    out_dir: &Path,
    opts: &EvalOptions,
) -> Result<EvalReport, EvalError> {
    let truth = input::read_truth(&truth_dir.join("people.csv"))?;
    let scores = input::read_scores(&out_dir.join("scores.csv"))?;
    let detections_run = input::read_detections_run(&out_dir.join("run.json"))?;
    let mut warnings = Vec::new();
    let rings_path = out_dir.join("rings.csv");
    let (ring_source, ring_members) = if rings_path.exists() {
        (RingSource::RingsCsv, input::read_rings(&rings_path)?)
    } else {
        warnings.push(
            "rings.csv not found: predicted rings taken from the ring_id column of scores.csv"
                .to_owned(),
        );
        let members = scores
            .iter()
            .filter_map(|s| {
                s.ring_id.as_ref().map(|ring_id| RingMember {
                    ring_id: ring_id.clone(),
                    person_id: s.person_id.clone(),
                })
            })
            .collect();
        (RingSource::ScoresRingId, members)
    };
    Ok(compute(
        &truth,
        &scores,
        &ring_members,
        ring_source,
        detections_run,
        opts,
        warnings,
    ))
}

/// Every scored truth person's `(probability, is fraud)`: the pairs a calibration is fitted to.
pub fn labelled_probabilities(
    truth_dir: &Path,
    out_dir: &Path,
) -> Result<Vec<(f64, bool)>, EvalError> {
    let truth = input::read_truth(&truth_dir.join("people.csv"))?;
    let scores = input::read_scores(&out_dir.join("scores.csv"))?;
    let by_id: std::collections::HashMap<&str, f64> = scores
        .iter()
        .map(|s| (s.person_id.as_str(), s.probability))
        .collect();
    Ok(truth
        .iter()
        .filter_map(|p| by_id.get(p.person_id.as_str()).map(|pr| (*pr, p.fraud)))
        .collect())
}

/// The covered-scheme set: `None` means every scheme.
struct CoveredSet(Option<BTreeSet<String>>);

impl CoveredSet {
    fn contains(&self, scheme: &str) -> bool {
        self.0.as_ref().is_none_or(|set| set.contains(scheme))
    }

    fn covers_person(&self, person: &TruthPerson) -> bool {
        self.0.is_none() || person.schemes.iter().any(|s| self.contains(s))
    }
}

fn coverage(
    opts: &EvalOptions,
    detections_run: Option<Vec<String>>,
    warnings: &mut Vec<String>,
) -> (CoveredSet, Coverage) {
    let mut unknown = Vec::new();
    let (source, set) = if let Some(list) = &opts.covered_schemes {
        let set = list
            .iter()
            .map(|s| s.trim().to_ascii_lowercase())
            .filter(|s| !s.is_empty())
            .collect();
        (CoverageSource::Options, Some(set))
    } else if let Some(ids) = &detections_run {
        let mut set = BTreeSet::new();
        for id in ids {
            match schemes_for_detection(id) {
                Some(schemes) => set.extend(schemes.iter().map(|s| (*s).to_owned())),
                None => {
                    if !unknown.contains(id) {
                        unknown.push(id.clone());
                    }
                }
            }
        }
        (CoverageSource::RunJson, Some(set))
    } else {
        (CoverageSource::AllSchemes, None)
    };
    if !unknown.is_empty() {
        warnings.push(format!(
            "run.json detections_run has ids with no scheme mapping (they cover no scheme): {}",
            unknown.join(", ")
        ));
    }
    let report = Coverage {
        source,
        detections_run,
        unknown_detections: unknown,
        covered_schemes: set
            .as_ref()
            .map(|s: &BTreeSet<String>| s.iter().cloned().collect()),
        fraud_excluded: 0,
    };
    (CoveredSet(set), report)
}

fn examples<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<String> {
    let sorted: BTreeSet<&str> = ids.collect();
    sorted
        .into_iter()
        .take(EXAMPLE_IDS)
        .map(str::to_owned)
        .collect()
}

fn compute(
    truth: &[TruthPerson],
    scores: &[ScoreRow],
    ring_members: &[RingMember],
    ring_source: RingSource,
    detections_run: Option<Vec<String>>,
    opts: &EvalOptions,
    mut warnings: Vec<String>,
) -> EvalReport {
    let by_id: HashMap<&str, &ScoreRow> =
        scores.iter().map(|s| (s.person_id.as_str(), s)).collect();
    let truth_ids: HashMap<&str, &TruthPerson> =
        truth.iter().map(|p| (p.person_id.as_str(), p)).collect();
    let flagged = |p: &TruthPerson| by_id.get(p.person_id.as_str()).is_some_and(|s| s.flagged);

    let missing: Vec<&str> = truth
        .iter()
        .map(|p| p.person_id.as_str())
        .filter(|id| !by_id.contains_key(id))
        .collect();
    let extra: Vec<&str> = scores
        .iter()
        .map(|s| s.person_id.as_str())
        .filter(|id| !truth_ids.contains_key(id))
        .collect();
    let fraud_count = truth.iter().filter(|p| p.fraud).count();
    let people = PeopleCounts {
        truth: truth.len(),
        fraud: fraud_count,
        legit: truth.len() - fraud_count,
        scored: scores.len(),
        missing_from_scores: missing.len(),
        extra_in_scores: extra.len(),
        missing_examples: examples(missing.iter().copied()),
        extra_examples: examples(extra.iter().copied()),
    };

    let (covered_set, mut coverage) = coverage(opts, detections_run, &mut warnings);

    // Confusion matrices.
    let (mut all, mut cov) = ([0usize; 4], [0usize; 4]); // tp, fp, fn, tn
    let mut excluded = 0;
    for person in truth {
        let cell = match (person.fraud, flagged(person)) {
            (true, true) => 0,
            (false, true) => 1,
            (true, false) => 2,
            (false, false) => 3,
        };
        all[cell] += 1;
        if person.fraud && !covered_set.covers_person(person) {
            excluded += 1;
        } else {
            cov[cell] += 1;
        }
    }
    coverage.fraud_excluded = excluded;

    // Ranking over every truth person; calibration over scored truth people.
    let ranked: Vec<(f64, bool)> = truth
        .iter()
        .map(|p| {
            (
                by_id
                    .get(p.person_id.as_str())
                    .map_or(0.0, |s| s.probability),
                p.fraud,
            )
        })
        .collect();
    let calibrated: Vec<(f64, bool)> = truth
        .iter()
        .filter_map(|p| {
            by_id
                .get(p.person_id.as_str())
                .map(|s| (s.probability, p.fraud))
        })
        .collect();
    let (bins, ece, brier) = metrics::calibration(&calibrated);

    // Per scheme.
    let mut scheme_counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for person in truth.iter().filter(|p| p.fraud) {
        let hit = flagged(person);
        for scheme in &person.schemes {
            let entry = scheme_counts.entry(scheme.as_str()).or_default();
            entry.0 += 1;
            entry.1 += usize::from(hit);
        }
    }
    let schemes = scheme_counts
        .into_iter()
        .map(|(scheme, (n, hit))| SchemeRecall {
            scheme: scheme.to_owned(),
            covered: covered_set.contains(scheme),
            fraud_people: n,
            flagged: hit,
            recall: metrics::ratio(hit, n),
        })
        .collect();

    // Hard negatives.
    let mut groups: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let (mut legit, mut legit_flagged) = (0, 0);
    for person in truth.iter().filter(|p| !p.fraud) {
        let hit = usize::from(flagged(person));
        legit += 1;
        legit_flagged += hit;
        if let Some(group) = &person.hard_negative_group {
            let entry = groups.entry(group.as_str()).or_default();
            entry.0 += 1;
            entry.1 += hit;
        }
    }
    let group_rate = |group: &str, n: usize, hit: usize| GroupRate {
        group: group.to_owned(),
        legit_members: n,
        flagged: hit,
        fpr: metrics::ratio(hit, n),
    };
    let hard_negatives = groups
        .into_iter()
        .map(|(g, (n, hit))| group_rate(g, n, hit))
        .collect();

    if people.extra_in_scores > 0 {
        warnings.push(format!(
            "{} scored people are not in the truth and were ignored",
            people.extra_in_scores
        ));
    }

    EvalReport {
        people,
        coverage,
        overall: metrics::classification(all[0], all[1], all[2], all[3]),
        covered: metrics::classification(cov[0], cov[1], cov[2], cov[3]),
        ranking: Ranking {
            roc_auc: metrics::roc_auc(&ranked),
            average_precision: metrics::average_precision(&ranked),
        },
        schemes,
        hard_negatives,
        legit_fpr: group_rate("all", legit, legit_flagged),
        rings: rings(truth, &truth_ids, ring_members, ring_source),
        calibration: Calibration {
            bins,
            expected_calibration_error: ece,
            brier_score: brier,
        },
        warnings,
    }
}

fn rings(
    truth: &[TruthPerson],
    truth_ids: &HashMap<&str, &TruthPerson>,
    ring_members: &[RingMember],
    source: RingSource,
) -> RingReport {
    let truth_ring = |person_id: &str| {
        truth_ids
            .get(person_id)
            .filter(|p| p.fraud)
            .and_then(|p| p.ring_id.as_deref())
    };
    let mut predicted_sets: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for member in ring_members {
        predicted_sets
            .entry(member.ring_id.as_str())
            .or_default()
            .insert(member.person_id.as_str());
    }

    let mut recovered: BTreeSet<&str> = BTreeSet::new();
    let mut predicted = Vec::with_capacity(predicted_sets.len());
    let (mut member_total, mut majority_total) = (0usize, 0usize);
    for (ring_id, members) in &predicted_sets {
        let mut by_truth: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for &person in members {
            if let Some(r) = truth_ring(person) {
                by_truth.entry(r).or_default().push(person);
            }
        }
        // The most common truth ring; on a tie the smallest id (it has the largest Reverse key).
        let majority = by_truth
            .iter()
            .max_by_key(|(id, people)| (people.len(), std::cmp::Reverse(*id)))
            .map(|(id, people)| ((*id).to_owned(), people.len()));
        for people in by_truth.values().filter(|people| people.len() >= 2) {
            recovered.extend(people.iter().copied());
        }
        let majority_members = majority.as_ref().map_or(0, |(_, n)| *n);
        member_total += members.len();
        majority_total += majority_members;
        predicted.push(PredictedRing {
            ring_id: (*ring_id).to_owned(),
            members: members.len(),
            majority_truth_ring: majority.map(|(id, _)| id),
            majority_members,
            purity: metrics::ratio(majority_members, members.len()).unwrap_or(0.0),
        });
    }

    let truth_members: Vec<&TruthPerson> = truth
        .iter()
        .filter(|p| p.fraud && p.ring_id.is_some())
        .collect();
    let truth_rings: BTreeSet<&str> = truth_members
        .iter()
        .filter_map(|p| p.ring_id.as_deref())
        .collect();
    RingReport {
        source,
        predicted_rings: predicted.len(),
        predicted_members: member_total,
        mean_purity: metrics::ratio(majority_total, member_total),
        truth_rings: truth_rings.len(),
        truth_ring_members: truth_members.len(),
        truth_ring_members_recovered: recovered.len(),
        truth_ring_recall: metrics::ratio(recovered.len(), truth_members.len()),
        predicted,
    }
}
