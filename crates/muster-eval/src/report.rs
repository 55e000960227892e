//! The evaluation report and its terminal rendering.

use std::fmt::Write as _;

use serde::Serialize;

/// Everything [`evaluate`](crate::evaluate) measured. Serialises to JSON with the field names
/// shown here; rates that are undefined (0/0) are `null`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalReport {
    /// Who was in the truth and in the scores.
    pub people: PeopleCounts,
    /// Which schemes the covered metrics count, and where that came from.
    pub coverage: Coverage,
    /// `flagged` against `label = fraud`, over every truth person.
    pub overall: Classification,
    /// Like `overall`, but fraud people with no covered scheme are left out entirely.
    pub covered: Classification,
    /// Ranking quality of `probability`.
    pub ranking: Ranking,
    /// Recall per fraud scheme, sorted by scheme name.
    pub schemes: Vec<SchemeRecall>,
    /// False-positive rate per hard-negative group, sorted by group name.
    pub hard_negatives: Vec<GroupRate>,
    /// False-positive rate over every legit person.
    pub legit_fpr: GroupRate,
    /// Ring purity and recall.
    pub rings: RingReport,
    /// Calibration of `probability` by decile.
    pub calibration: Calibration,
    /// Things worth knowing that are not errors (unknown detection ids, missing rings file, …).
    pub warnings: Vec<String>,
}

/// How many people were evaluated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeopleCounts {
    /// Rows in `TRUTH/people.csv`.
    pub truth: usize,
    /// Truth people labelled `fraud`.
    pub fraud: usize,
    /// Truth people labelled `legit`.
    pub legit: usize,
    /// Rows in `OUT/scores.csv`.
    pub scored: usize,
    /// Truth people without a score row; they count as not flagged, with probability 0.
    pub missing_from_scores: usize,
    /// Score rows whose person is not in the truth; they are left out of every metric.
    pub extra_in_scores: usize,
    /// Up to 10 missing person ids, sorted.
    pub missing_examples: Vec<String>,
    /// Up to 10 extra person ids, sorted.
    pub extra_examples: Vec<String>,
}

/// Where the covered schemes came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CoverageSource {
    /// [`EvalOptions::covered_schemes`](crate::EvalOptions::covered_schemes).
    Options,
    /// `OUT/run.json` `detections_run`, through [`DETECTION_SCHEMES`](crate::DETECTION_SCHEMES).
    RunJson,
    /// Neither was available: every scheme counts.
    AllSchemes,
}

/// The covered-scheme set used by the `covered` metrics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    /// Where the set came from.
    pub source: CoverageSource,
    /// `detections_run` from `run.json`, when present.
    pub detections_run: Option<Vec<String>>,
    /// Detection ids in `detections_run` that are not in the scheme table.
    pub unknown_detections: Vec<String>,
    /// The covered schemes, sorted; `None` means every scheme.
    pub covered_schemes: Option<Vec<String>>,
    /// Fraud people left out of the covered metrics (no covered scheme).
    pub fraud_excluded: usize,
}

/// A confusion matrix with precision, recall and F1 (`None` when 0/0).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classification {
    /// Fraud people flagged.
    pub true_positives: usize,
    /// Legit people flagged.
    pub false_positives: usize,
    /// Fraud people not flagged.
    pub false_negatives: usize,
    /// Legit people not flagged.
    pub true_negatives: usize,
    /// TP / (TP + FP).
    pub precision: Option<f64>,
    /// TP / (TP + FN).
    pub recall: Option<f64>,
    /// Harmonic mean of precision and recall.
    pub f1: Option<f64>,
}

/// Ranking metrics over every truth person (missing ones at probability 0).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranking {
    /// ROC AUC (Mann-Whitney, ties count one half); `None` unless both classes are present.
    pub roc_auc: Option<f64>,
    /// Average precision (tied probabilities enter together); `None` without fraud people.
    pub average_precision: Option<f64>,
}

/// Recall for one fraud scheme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchemeRecall {
    /// Scheme name as in the truth (lowercased).
    pub scheme: String,
    /// Whether the scheme is in the covered set.
    pub covered: bool,
    /// Fraud people with this scheme.
    pub fraud_people: usize,
    /// Of those, how many were flagged.
    pub flagged: usize,
    /// flagged / fraud_people.
    pub recall: Option<f64>,
}

/// A false-positive rate over a set of legit people.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupRate {
    /// Group name (`all` for the overall legit rate).
    pub group: String,
    /// Legit people in the group.
    pub legit_members: usize,
    /// Of those, how many were flagged.
    pub flagged: usize,
    /// flagged / legit_members.
    pub fpr: Option<f64>,
}

/// Where predicted rings were read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RingSource {
    /// `OUT/rings.csv`, `member_kind = person` rows.
    RingsCsv,
    /// `OUT/rings.csv` was absent: the `ring_id` column of `OUT/scores.csv`.
    ScoresRingId,
}

/// Ring metrics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RingReport {
    /// Where the predicted rings came from.
    pub source: RingSource,
    /// Predicted rings with at least one person member.
    pub predicted_rings: usize,
    /// Person memberships in predicted rings.
    pub predicted_members: usize,
    /// Member-weighted mean purity of the predicted rings.
    pub mean_purity: Option<f64>,
    /// Distinct truth ring ids among fraud people.
    pub truth_rings: usize,
    /// Fraud people with a truth ring id.
    pub truth_ring_members: usize,
    /// Truth-ring members found in a predicted ring together with another member of their ring.
    pub truth_ring_members_recovered: usize,
    /// recovered / truth_ring_members.
    pub truth_ring_recall: Option<f64>,
    /// Per predicted ring, sorted by ring id.
    pub predicted: Vec<PredictedRing>,
}

/// Purity of one predicted ring.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PredictedRing {
    /// The predicted ring id.
    pub ring_id: String,
    /// Distinct person members.
    pub members: usize,
    /// The truth ring most common among the members (ties: smallest id); `None` if no member
    /// is in a truth ring.
    pub majority_truth_ring: Option<String>,
    /// Members belonging to that truth ring.
    pub majority_members: usize,
    /// majority_members / members.
    pub purity: f64,
}

/// Calibration table and summary scores, over scored truth people only.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    /// Ten bins `[0, 0.1)`, …, `[0.9, 1.0]`.
    pub bins: Vec<CalibrationBin>,
    /// Count-weighted mean of |mean predicted − observed fraud rate|.
    pub expected_calibration_error: Option<f64>,
    /// Mean squared error of probability against the 0/1 label.
    pub brier_score: Option<f64>,
}

/// One calibration bin.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibrationBin {
    /// Lower bound (inclusive).
    pub lower: f64,
    /// Upper bound (exclusive, except for the last bin).
    pub upper: f64,
    /// People in the bin.
    pub count: usize,
    /// Fraud people in the bin.
    pub fraud: usize,
    /// Mean probability in the bin.
    pub mean_predicted: Option<f64>,
    /// fraud / count.
    pub observed_fraud_rate: Option<f64>,
}

fn num(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.3}"))
}

impl EvalReport {
    /// A short aligned table for terminals.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), muster_eval::EvalError> {
    /// use std::path::Path;
    /// let report = muster_eval::evaluate(
    ///     Path::new("muster-demo-truth"),
    ///     Path::new("muster-demo/out"),
    ///     &muster_eval::EvalOptions::default(),
    /// )?;
    /// print!("{}", report.to_text());
    /// # Ok(())
    /// # }
    /// ```
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let p = &self.people;
        let _ = writeln!(
            out,
            "people: {} in truth ({} fraud, {} legit), {} scored, {} missing, {} extra",
            p.truth, p.fraud, p.legit, p.scored, p.missing_from_scores, p.extra_in_scores
        );
        let covered = match &self.coverage.covered_schemes {
            None => "all schemes".to_owned(),
            Some(list) if list.is_empty() => "no schemes".to_owned(),
            Some(list) => list.join(", "),
        };
        let source = match self.coverage.source {
            CoverageSource::Options => "from options",
            CoverageSource::RunJson => "from run.json detections_run",
            CoverageSource::AllSchemes => "no detection list given",
        };
        let _ = writeln!(
            out,
            "covered: {covered} ({source}; {} fraud excluded)",
            self.coverage.fraud_excluded
        );
        out.push('\n');

        let _ = writeln!(
            out,
            "{:<20} {:>9} {:>9} {:>9} {:>5} {:>5} {:>5} {:>6}",
            "metric", "precision", "recall", "f1", "tp", "fp", "fn", "tn"
        );
        for (name, c) in [("overall", &self.overall), ("covered", &self.covered)] {
            let _ = writeln!(
                out,
                "{:<20} {:>9} {:>9} {:>9} {:>5} {:>5} {:>5} {:>6}",
                name,
                num(c.precision),
                num(c.recall),
                num(c.f1),
                c.true_positives,
                c.false_positives,
                c.false_negatives,
                c.true_negatives
            );
        }
        out.push('\n');
        let r = &self.rings;
        let rows = [
            ("roc auc", num(self.ranking.roc_auc), String::new()),
            (
                "average precision",
                num(self.ranking.average_precision),
                String::new(),
            ),
            (
                "legit fpr",
                num(self.legit_fpr.fpr),
                format!(
                    "{} / {}",
                    self.legit_fpr.flagged, self.legit_fpr.legit_members
                ),
            ),
            (
                "ring purity",
                num(r.mean_purity),
                format!(
                    "{} rings, {} members",
                    r.predicted_rings, r.predicted_members
                ),
            ),
            (
                "truth ring recall",
                num(r.truth_ring_recall),
                format!(
                    "{} / {} members, {} rings",
                    r.truth_ring_members_recovered, r.truth_ring_members, r.truth_rings
                ),
            ),
            (
                "calibration error",
                num(self.calibration.expected_calibration_error),
                format!("brier {}", num(self.calibration.brier_score)),
            ),
        ];
        for (name, value, detail) in rows {
            let line = format!("{name:<20} {value:>9}  {detail}");
            let _ = writeln!(out, "{}", line.trim_end());
        }

        if !self.schemes.is_empty() {
            out.push('\n');
            let _ = writeln!(
                out,
                "{:<24} {:>7} {:>7} {:>7} {:>9}",
                "scheme", "covered", "fraud", "flagged", "recall"
            );
            for s in &self.schemes {
                let _ = writeln!(
                    out,
                    "{:<24} {:>7} {:>7} {:>7} {:>9}",
                    s.scheme,
                    if s.covered { "yes" } else { "no" },
                    s.fraud_people,
                    s.flagged,
                    num(s.recall)
                );
            }
        }
        if !self.hard_negatives.is_empty() {
            out.push('\n');
            let _ = writeln!(
                out,
                "{:<24} {:>7} {:>7} {:>9}",
                "hard negatives", "legit", "flagged", "fpr"
            );
            for g in &self.hard_negatives {
                let _ = writeln!(
                    out,
                    "{:<24} {:>7} {:>7} {:>9}",
                    g.group,
                    g.legit_members,
                    g.flagged,
                    num(g.fpr)
                );
            }
        }
        out.push('\n');
        let _ = writeln!(
            out,
            "{:<24} {:>7} {:>9} {:>9}",
            "probability", "count", "mean", "observed"
        );
        for b in &self.calibration.bins {
            let label = format!("{:.1}-{:.1}", b.lower, b.upper);
            let _ = writeln!(
                out,
                "{:<24} {:>7} {:>9} {:>9}",
                label,
                b.count,
                num(b.mean_predicted),
                num(b.observed_fraud_rate)
            );
        }
        for warning in &self.warnings {
            let _ = writeln!(out, "warning: {warning}");
        }
        out
    }
}
