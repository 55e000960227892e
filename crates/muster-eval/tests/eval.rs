//! End-to-end tests of `evaluate` on small fixture folders with hand-computed expectations.

use std::path::Path;

use muster_eval::{CoverageSource, EvalError, EvalOptions, EvalReport, RingSource, evaluate};
use tempfile::TempDir;

const TRUTH: &str = "\
person_id,label,schemes,ring_id,hard_negative_group,role
p1,fraud,laptop_farm;rmm,R1,,worker
p2,fraud,laptop_farm,R1,,worker
p3,fraud,shared_bank,R2,,worker
p4,fraud,kvm_default,R2,,facilitator
p5,fraud,offshore_hours,,,worker
p6,legit,,,household,
p7,legit,,,household,
p8,legit,,,coworking,
p9,legit,,,,
p10,legit,,,,
";

const SCORES: &str = "\
person_id,score,probability,tier,flagged,ring_id,top_reasons
p1,95,0.95,critical,true,X1,FARM-IP;RMM-SOFTWARE
p2,80,0.80,high,true,X1,FARM-IP
p3,55,0.55,medium,false,,PAY-SHARED
p4,70,0.70,high,true,X2,KVM-HARDWARE
p5,20,0.20,low,false,,
p6,70,0.70,high,true,X2,FARM-IP
p7,30,0.30,low,false,,
p8,10,0.10,none,false,,
p9,5,0.05,none,false,,
p10,55,0.55,medium,false,,
";

const RINGS: &str = "\
ring_id,member_kind,member_id,role
X1,person,p1,member
X1,person,p2,member
X1,ip,203.0.113.5,hub
X2,person,p4,member
X2,person,p6,member
X2,address,123 MAIN ST||89109,hub
X3,person,p3,member
";

struct Fixture {
    truth: TempDir,
    out: TempDir,
}

impl Fixture {
    fn new(truth: &str, scores: Option<&str>, rings: Option<&str>, run_json: Option<&str>) -> Self {
        let fixture = Self {
            truth: tempfile::tempdir().expect("tempdir"),
            out: tempfile::tempdir().expect("tempdir"),
        };
        write(fixture.truth.path(), "people.csv", truth);
        if let Some(scores) = scores {
            write(fixture.out.path(), "scores.csv", scores);
        }
        if let Some(rings) = rings {
            write(fixture.out.path(), "rings.csv", rings);
        }
        if let Some(run) = run_json {
            write(fixture.out.path(), "run.json", run);
        }
        fixture
    }

    fn standard() -> Self {
        Self::new(TRUTH, Some(SCORES), Some(RINGS), None)
    }

    fn eval(&self, opts: &EvalOptions) -> Result<EvalReport, EvalError> {
        evaluate(self.truth.path(), self.out.path(), opts)
    }

    fn eval_ok(&self) -> EvalReport {
        self.eval(&EvalOptions::default())
            .expect("evaluation succeeds")
    }
}

fn write(dir: &Path, name: &str, content: &str) {
    std::fs::write(dir.join(name), content).expect("write fixture");
}

#[track_caller]
fn approx(actual: Option<f64>, expected: f64) {
    let a = actual.expect("value is defined");
    assert!((a - expected).abs() < 1e-9, "expected {expected}, got {a}");
}

#[test]
fn people_counts() {
    let r = Fixture::standard().eval_ok();
    assert_eq!((r.people.truth, r.people.fraud, r.people.legit), (10, 5, 5));
    assert_eq!(
        (
            r.people.scored,
            r.people.missing_from_scores,
            r.people.extra_in_scores
        ),
        (10, 0, 0)
    );
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn overall_precision_recall_f1() {
    let r = Fixture::standard().eval_ok();
    let c = &r.overall;
    // Flagged p1 p2 p4 (fraud) and p6 (legit); missed p3 p5.
    assert_eq!(
        (
            c.true_positives,
            c.false_positives,
            c.false_negatives,
            c.true_negatives
        ),
        (3, 1, 2, 4)
    );
    approx(c.precision, 0.75);
    approx(c.recall, 0.6);
    approx(c.f1, 2.0 / 3.0);
}

#[test]
fn without_run_json_every_scheme_is_covered() {
    let r = Fixture::standard().eval_ok();
    assert_eq!(r.coverage.source, CoverageSource::AllSchemes);
    assert_eq!(r.coverage.covered_schemes, None);
    assert_eq!(r.coverage.fraud_excluded, 0);
    assert_eq!(r.covered, r.overall);
    assert!(r.schemes.iter().all(|s| s.covered));
}

#[test]
fn covered_metrics_from_run_json_exclude_uncovered_fraud() {
    let run = r#"{"version":"0.1.0","detections_run":["FARM-IP","RMM-SOFTWARE","PAY-SHARED"],"detections_skipped":["KVM-HARDWARE"]}"#;
    let r = Fixture::new(TRUTH, Some(SCORES), Some(RINGS), Some(run)).eval_ok();
    assert_eq!(r.coverage.source, CoverageSource::RunJson);
    assert_eq!(
        r.coverage.covered_schemes,
        Some(vec![
            "laptop_farm".to_owned(),
            "rmm".to_owned(),
            "shared_bank".to_owned()
        ])
    );
    // p4 (kvm_default, flagged) and p5 (offshore_hours, not flagged) are excluded: neither a
    // true positive nor a false negative.
    assert_eq!(r.coverage.fraud_excluded, 2);
    let c = &r.covered;
    assert_eq!(
        (
            c.true_positives,
            c.false_positives,
            c.false_negatives,
            c.true_negatives
        ),
        (2, 1, 1, 4)
    );
    approx(c.precision, 2.0 / 3.0);
    approx(c.recall, 2.0 / 3.0);
    approx(c.f1, 2.0 / 3.0);
    // The overall numbers do not change.
    assert_eq!(r.overall.true_positives, 3);
    assert_eq!(r.overall.false_negatives, 2);
    let covered: Vec<&str> = r
        .schemes
        .iter()
        .filter(|s| s.covered)
        .map(|s| s.scheme.as_str())
        .collect();
    assert_eq!(covered, ["laptop_farm", "rmm", "shared_bank"]);
}

#[test]
fn covered_schemes_option_overrides_run_json() {
    let run = r#"{"detections_run":["FARM-IP"]}"#;
    let fixture = Fixture::new(TRUTH, Some(SCORES), Some(RINGS), Some(run));
    let opts = EvalOptions {
        covered_schemes: Some(vec![" KVM_default ".to_owned()]),
    };
    let r = fixture.eval(&opts).expect("evaluation succeeds");
    assert_eq!(r.coverage.source, CoverageSource::Options);
    assert_eq!(
        r.coverage.covered_schemes,
        Some(vec!["kvm_default".to_owned()])
    );
    assert_eq!(r.coverage.detections_run, Some(vec!["FARM-IP".to_owned()]));
    // Only p4 is a covered positive (flagged); p6 is still a false positive.
    assert_eq!(r.coverage.fraud_excluded, 4);
    let c = &r.covered;
    assert_eq!(
        (
            c.true_positives,
            c.false_positives,
            c.false_negatives,
            c.true_negatives
        ),
        (1, 1, 0, 4)
    );
    approx(c.precision, 0.5);
    approx(c.recall, 1.0);
    approx(c.f1, 2.0 / 3.0);
}

#[test]
fn empty_detections_run_covers_nothing_and_unknown_ids_warn() {
    let run = r#"{"detections_run":["GEO-MISMATCH", {"id": "NOT-A-DETECTION"}]}"#;
    let r = Fixture::new(TRUTH, Some(SCORES), Some(RINGS), Some(run)).eval_ok();
    assert_eq!(r.coverage.covered_schemes, Some(vec![]));
    assert_eq!(
        r.coverage.unknown_detections,
        ["GEO-MISMATCH", "NOT-A-DETECTION"]
    );
    assert_eq!(r.coverage.fraud_excluded, 5);
    assert_eq!(r.covered.true_positives + r.covered.false_negatives, 0);
    assert_eq!(r.covered.false_positives, 1);
    assert_eq!(r.covered.precision, Some(0.0));
    assert_eq!(r.covered.recall, None);
    assert_eq!(r.covered.f1, None);
    assert!(r.warnings.iter().any(|w| w.contains("NOT-A-DETECTION")));
}

#[test]
fn run_json_without_detections_run_means_all_schemes() {
    let r = Fixture::new(TRUTH, Some(SCORES), Some(RINGS), Some(r#"{"version":"x"}"#)).eval_ok();
    assert_eq!(r.coverage.source, CoverageSource::AllSchemes);
    assert_eq!(r.coverage.detections_run, None);
}

#[test]
fn roc_auc_with_ties() {
    let r = Fixture::standard().eval_ok();
    // Positive probabilities .95 .80 .70 .55 .20, negatives .70 .30 .10 .05 .55.
    // Pairs won: 5 + 5 + (4 + ½ tie with p6) + (3 + ½ tie with p10) + 2 = 20 of 25.
    approx(r.ranking.roc_auc, 0.8);
}

#[test]
fn average_precision_groups_ties() {
    let r = Fixture::standard().eval_ok();
    // Thresholds .95 (P) .80 (P) .70 (P+N) .55 (P+N) .30 (N) .20 (P):
    // 0.2*1 + 0.2*1 + 0.2*3/4 + 0.2*4/6 + 0 + 0.2*5/8 = 97/120.
    approx(r.ranking.average_precision, 97.0 / 120.0);
}

#[test]
fn per_scheme_recall() {
    let r = Fixture::standard().eval_ok();
    let rows: Vec<(&str, usize, usize)> = r
        .schemes
        .iter()
        .map(|s| (s.scheme.as_str(), s.fraud_people, s.flagged))
        .collect();
    assert_eq!(
        rows,
        [
            ("kvm_default", 1, 1),
            ("laptop_farm", 2, 2),
            ("offshore_hours", 1, 0),
            ("rmm", 1, 1),
            ("shared_bank", 1, 0),
        ]
    );
    approx(r.schemes[1].recall, 1.0);
    approx(r.schemes[2].recall, 0.0);
}

#[test]
fn hard_negative_false_positive_rates() {
    let r = Fixture::standard().eval_ok();
    let rows: Vec<(&str, usize, usize)> = r
        .hard_negatives
        .iter()
        .map(|g| (g.group.as_str(), g.legit_members, g.flagged))
        .collect();
    assert_eq!(rows, [("coworking", 1, 0), ("household", 2, 1)]);
    approx(r.hard_negatives[0].fpr, 0.0);
    approx(r.hard_negatives[1].fpr, 0.5);
    assert_eq!((r.legit_fpr.legit_members, r.legit_fpr.flagged), (5, 1));
    approx(r.legit_fpr.fpr, 0.2);
}

#[test]
fn ring_purity_and_recall() {
    let r = Fixture::standard().eval_ok();
    let rings = &r.rings;
    assert_eq!(rings.source, RingSource::RingsCsv);
    // X1 {p1, p2} all R1: purity 1. X2 {p4 (R2), p6 (legit)}: 1/2. X3 {p3 (R2)}: 1.
    assert_eq!((rings.predicted_rings, rings.predicted_members), (3, 5));
    let purities: Vec<(&str, usize, Option<&str>, f64)> = rings
        .predicted
        .iter()
        .map(|p| {
            (
                p.ring_id.as_str(),
                p.members,
                p.majority_truth_ring.as_deref(),
                p.purity,
            )
        })
        .collect();
    assert_eq!(
        purities,
        [
            ("X1", 2, Some("R1"), 1.0),
            ("X2", 2, Some("R2"), 0.5),
            ("X3", 1, Some("R2"), 1.0)
        ]
    );
    // Member-weighted: (2 + 1 + 1) / 5.
    approx(rings.mean_purity, 0.8);
    // Truth rings R1 {p1, p2} and R2 {p3, p4}. Only R1's members share a predicted ring.
    assert_eq!(
        (
            rings.truth_rings,
            rings.truth_ring_members,
            rings.truth_ring_members_recovered
        ),
        (2, 4, 2)
    );
    approx(rings.truth_ring_recall, 0.5);
}

#[test]
fn ring_purity_counts_unknown_members_and_ties_pick_smallest_id() {
    let rings = "ring_id,member_kind,member_id,role\n\
                 Y,person,p1,m\nY,person,p3,m\nY,person,ghost,m\nY,PERSON,p1,m\nZ,device,d1,m\n";
    let r = Fixture::new(TRUTH, Some(SCORES), Some(rings), None).eval_ok();
    // Y = {p1 (R1), p3 (R2), ghost (not in truth)}; the duplicate row for p1 counts once.
    // Z has no person member and is not a ring here.
    assert_eq!(r.rings.predicted_rings, 1);
    let y = &r.rings.predicted[0];
    assert_eq!(
        (
            y.members,
            y.majority_truth_ring.as_deref(),
            y.majority_members
        ),
        (3, Some("R1"), 1)
    );
    approx(r.rings.mean_purity, 1.0 / 3.0);
    assert_eq!(r.rings.truth_ring_members_recovered, 0);
    approx(r.rings.truth_ring_recall, 0.0);
}

#[test]
fn rings_fall_back_to_scores_ring_id() {
    let r = Fixture::new(TRUTH, Some(SCORES), None, None).eval_ok();
    assert_eq!(r.rings.source, RingSource::ScoresRingId);
    // scores.csv ring_id: X1 {p1, p2}, X2 {p4, p6}.
    assert_eq!((r.rings.predicted_rings, r.rings.predicted_members), (2, 4));
    approx(r.rings.mean_purity, 3.0 / 4.0);
    assert!(r.warnings.iter().any(|w| w.contains("rings.csv")));
}

#[test]
fn calibration_by_decile() {
    let r = Fixture::standard().eval_ok();
    let bins = &r.calibration.bins;
    assert_eq!(bins.len(), 10);
    let counts: Vec<usize> = bins.iter().map(|b| b.count).collect();
    assert_eq!(counts, [1, 1, 1, 1, 0, 2, 0, 2, 1, 1]);
    // Bin 5 = {p3 fraud .55, p10 legit .55}; bin 7 = {p4 fraud .70, p6 legit .70}.
    approx(bins[5].mean_predicted, 0.55);
    approx(bins[5].observed_fraud_rate, 0.5);
    approx(bins[7].observed_fraud_rate, 0.5);
    approx(bins[2].observed_fraud_rate, 1.0); // p5 at .20 is fraud
    assert_eq!(bins[4].mean_predicted, None);
    assert_eq!(bins[4].observed_fraud_rate, None);
    // ECE = (.05 + .10 + .80 + .30 + 2*.05 + 2*.20 + .20 + .05) / 10.
    approx(r.calibration.expected_calibration_error, 0.2);
    approx(r.calibration.brier_score, 0.187);
}

#[test]
fn missing_and_extra_people() {
    // p5 (fraud) and p9 (legit) have no score; zz1 is flagged but not in the truth.
    let scores: String = SCORES
        .lines()
        .filter(|l| !l.starts_with("p5,") && !l.starts_with("p9,"))
        .chain(["zz1,99,0.99,critical,true,,FARM-IP"])
        .map(|l| format!("{l}\n"))
        .collect();
    let r = Fixture::new(TRUTH, Some(&scores), Some(RINGS), None).eval_ok();
    assert_eq!(
        (
            r.people.scored,
            r.people.missing_from_scores,
            r.people.extra_in_scores
        ),
        (9, 2, 1)
    );
    assert_eq!(r.people.missing_examples, ["p5", "p9"]);
    assert_eq!(r.people.extra_examples, ["zz1"]);
    // Missing people count as not flagged; zz1 is not a false positive.
    let c = &r.overall;
    assert_eq!(
        (
            c.true_positives,
            c.false_positives,
            c.false_negatives,
            c.true_negatives
        ),
        (3, 1, 2, 4)
    );
    // Missing people rank at probability 0: p5 (0) now ties p9 (0): 5 + 5 + 4.5 + 3.5 + 0.5.
    approx(r.ranking.roc_auc, 18.5 / 25.0);
    // Calibration only uses the 8 scored truth people.
    assert_eq!(r.calibration.bins.iter().map(|b| b.count).sum::<usize>(), 8);
    assert!(r.warnings.iter().any(|w| w.contains("not in the truth")));
}

#[test]
fn header_case_whitespace_and_bool_spellings() {
    let truth = "Person_ID , LABEL,Schemes,Ring_Id,Hard_Negative_Group\n a , Fraud , Laptop_Farm ; , R1 , \n b,legit,,,Night_Shift\n";
    let scores = "PERSON_ID,PROBABILITY,FLAGGED\na,1,YES\nb,0,no\n";
    let r = Fixture::new(truth, Some(scores), None, None).eval_ok();
    assert_eq!(r.overall.true_positives, 1);
    assert_eq!(r.overall.true_negatives, 1);
    assert_eq!(r.schemes[0].scheme, "laptop_farm");
    assert_eq!(r.hard_negatives[0].group, "Night_Shift");
    approx(r.ranking.roc_auc, 1.0);
    assert_eq!(r.rings.predicted_rings, 0);
    assert_eq!(r.rings.truth_ring_members, 1);
    approx(r.rings.truth_ring_recall, 0.0);
}

#[test]
fn single_class_truth_has_undefined_auc() {
    let truth =
        "person_id,label,schemes,ring_id,hard_negative_group,role\na,legit,,,,\nb,legit,,,,\n";
    let scores = "person_id,score,probability,tier,flagged,ring_id,top_reasons\na,1,0.1,none,false,,\nb,90,0.9,high,true,,\n";
    let r = Fixture::new(
        truth,
        Some(scores),
        Some("ring_id,member_kind,member_id,role\n"),
        None,
    )
    .eval_ok();
    assert_eq!(r.ranking.roc_auc, None);
    assert_eq!(r.ranking.average_precision, None);
    assert_eq!(r.overall.recall, None);
    assert_eq!(r.overall.precision, Some(0.0));
    assert_eq!(r.rings.mean_purity, None);
    assert_eq!(r.rings.truth_ring_recall, None);
}

#[test]
fn json_serialisation() {
    let r = Fixture::standard().eval_ok();
    let json = serde_json::to_value(&r).expect("serialises");
    assert_eq!(json["overall"]["true_positives"], 3);
    assert_eq!(json["coverage"]["source"], "all_schemes");
    assert_eq!(json["rings"]["source"], "rings_csv");
    assert!(json["calibration"]["bins"][4]["mean_predicted"].is_null());
    assert_eq!(json["hard_negatives"][1]["group"], "household");
    assert!((json["ranking"]["roc_auc"].as_f64().expect("number") - 0.8).abs() < 1e-9);
}

#[test]
fn text_table() {
    let text = Fixture::standard().eval_ok().to_text();
    assert!(
        text.contains("people: 10 in truth (5 fraud, 5 legit), 10 scored, 0 missing, 0 extra"),
        "{text}"
    );
    let overall = text
        .lines()
        .find(|l| l.starts_with("overall"))
        .expect("overall row");
    assert_eq!(
        overall.split_whitespace().collect::<Vec<_>>(),
        ["overall", "0.750", "0.600", "0.667", "3", "1", "2", "4"]
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("roc auc") && l.contains("0.800")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("household") && l.contains("0.500")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("0.4-0.5") && l.contains("n/a")),
        "{text}"
    );
    assert!(
        text.lines().all(|l| l == l.trim_end()),
        "no trailing spaces"
    );
}

// ----------------------------------------------------------------------------------------
// Errors
// ----------------------------------------------------------------------------------------

fn error_of(
    truth: &str,
    scores: Option<&str>,
    rings: Option<&str>,
    run: Option<&str>,
) -> EvalError {
    match Fixture::new(truth, scores, rings, run).eval(&EvalOptions::default()) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    }
}

#[test]
fn missing_scores_file() {
    let err = error_of(TRUTH, None, None, None);
    assert!(
        matches!(&err, EvalError::MissingFile { path } if path.ends_with("scores.csv")),
        "{err}"
    );
    assert!(err.to_string().contains("scores.csv"));
}

#[test]
fn missing_column() {
    let scores = "person_id,score,tier,flagged\np1,1,none,false\n";
    let err = error_of(TRUTH, Some(scores), None, None);
    assert!(
        matches!(
            err,
            EvalError::MissingColumn {
                column: "probability",
                ..
            }
        ),
        "{err}"
    );
    let message = err.to_string();
    assert!(
        message.contains("scores.csv") && message.contains("`probability`"),
        "{message}"
    );

    let truth = "person_id,schemes,ring_id,hard_negative_group\np1,,,\n";
    let err = error_of(truth, Some(SCORES), None, None);
    assert!(
        matches!(
            err,
            EvalError::MissingColumn {
                column: "label",
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("people.csv"));

    let err = error_of(TRUTH, Some(SCORES), Some("ring_id,member_id\nX,p1\n"), None);
    assert!(
        matches!(
            err,
            EvalError::MissingColumn {
                column: "member_kind",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn bad_numbers_name_file_line_and_column() {
    let scores = "person_id,score,probability,tier,flagged,ring_id,top_reasons\n\
                  p1,95,0.95,critical,true,,\n\
                  p2,80,high,high,true,,\n";
    let err = error_of(TRUTH, Some(scores), None, None);
    match &err {
        EvalError::BadValue {
            path,
            line,
            column,
            value,
            problem,
        } => {
            assert!(path.ends_with("scores.csv"));
            assert_eq!(
                (*line, *column, value.as_str(), *problem),
                (3, "probability", "high", "not a number")
            );
        }
        other => panic!("unexpected {other}"),
    }
    let message = err.to_string();
    assert!(
        message.contains("scores.csv:3") && message.contains("probability"),
        "{message}"
    );

    let out_of_range = "person_id,probability,flagged\np1,1.5,true\n";
    let err = error_of(TRUTH, Some(out_of_range), None, None);
    assert!(
        matches!(
            err,
            EvalError::BadValue {
                line: 2,
                column: "probability",
                problem: "out of range",
                ..
            }
        ),
        "{err}"
    );

    let bad_score = "person_id,score,probability,flagged\np1,120,0.5,true\n";
    let err = error_of(TRUTH, Some(bad_score), None, None);
    assert!(
        matches!(
            err,
            EvalError::BadValue {
                column: "score",
                ..
            }
        ),
        "{err}"
    );

    let bad_flag = "person_id,probability,flagged\np1,0.5,maybe\n";
    let err = error_of(TRUTH, Some(bad_flag), None, None);
    assert!(
        matches!(
            err,
            EvalError::BadValue {
                column: "flagged",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn bad_truth_values() {
    let truth = "person_id,label,schemes,ring_id,hard_negative_group,role\np1,fraud,,,,\np2,suspicious,,,,\n";
    let err = error_of(truth, Some(SCORES), None, None);
    assert!(
        matches!(
            err,
            EvalError::BadValue {
                line: 3,
                column: "label",
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("people.csv:3"));

    let truth = "person_id,label,schemes,ring_id,hard_negative_group,role\n,fraud,,,,\n";
    let err = error_of(truth, Some(SCORES), None, None);
    assert!(
        matches!(
            err,
            EvalError::BadValue {
                column: "person_id",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn duplicate_people() {
    let scores = "person_id,probability,flagged\np1,0.5,true\np2,0.5,false\np1,0.1,false\n";
    let err = error_of(TRUTH, Some(scores), None, None);
    match &err {
        EvalError::DuplicatePerson {
            line,
            first_line,
            person_id,
            ..
        } => {
            assert_eq!((*line, *first_line, person_id.as_str()), (4, 2, "p1"));
        }
        other => panic!("unexpected {other}"),
    }
}

#[test]
fn ragged_csv_row() {
    let scores = "person_id,probability,flagged\np1,0.5,true\np2,0.5\n";
    let err = error_of(TRUTH, Some(scores), None, None);
    assert!(matches!(err, EvalError::Csv { line: Some(3), .. }), "{err}");
    assert!(err.to_string().contains("scores.csv:3"), "{err}");
}

#[test]
fn bad_run_json() {
    let err = error_of(TRUTH, Some(SCORES), Some(RINGS), Some("{not json"));
    assert!(matches!(err, EvalError::Json { .. }), "{err}");
    assert!(err.to_string().contains("run.json"));
    let err = error_of(
        TRUTH,
        Some(SCORES),
        Some(RINGS),
        Some(r#"{"detections_run":"FARM-IP"}"#),
    );
    assert!(matches!(err, EvalError::BadRunJson { .. }), "{err}");
    let err = error_of(
        TRUTH,
        Some(SCORES),
        Some(RINGS),
        Some(r#"{"detections_run":[1,2]}"#),
    );
    assert!(matches!(err, EvalError::BadRunJson { .. }), "{err}");
}
