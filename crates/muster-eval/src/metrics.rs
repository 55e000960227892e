//! Pure metric computations, independent of files.

use std::cmp::Ordering;

use crate::report::{CalibrationBin, Classification};

/// `num / den`, or `None` when `den` is zero.
pub(crate) fn ratio(num: usize, den: usize) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

/// Precision, recall and F1 from a confusion matrix. Undefined values (0/0) are `None`; F1 is
/// `None` when precision or recall is undefined and 0 when both are 0.
pub(crate) fn classification(tp: usize, fp: usize, fn_: usize, tn: usize) -> Classification {
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + fn_);
    let f1 = match (precision, recall) {
        (Some(p), Some(r)) if p + r > 0.0 => Some(2.0 * p * r / (p + r)),
        (Some(_), Some(_)) => Some(0.0),
        _ => None,
    };
    Classification {
        true_positives: tp,
        false_positives: fp,
        false_negatives: fn_,
        true_negatives: tn,
        precision,
        recall,
        f1,
    }
}

/// ROC AUC as the Mann-Whitney U statistic: the probability that a random positive scores
/// above a random negative, ties counting one half (average ranks). `None` without both
/// classes.
pub(crate) fn roc_auc(scored: &[(f64, bool)]) -> Option<f64> {
    let positives = scored.iter().filter(|(_, y)| *y).count();
    let negatives = scored.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    let mut sorted: Vec<(f64, bool)> = scored.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut positive_rank_sum = 0.0;
    let mut start = 0;
    while start < sorted.len() {
        let value = sorted[start].0;
        let end = start
            + sorted[start..]
                .iter()
                .take_while(|(v, _)| v.total_cmp(&value) == Ordering::Equal)
                .count();
        // Ranks start+1 ..= end share their average.
        let average_rank = (start + 1 + end) as f64 / 2.0;
        let tied_positives = sorted[start..end].iter().filter(|(_, y)| *y).count();
        positive_rank_sum += average_rank * tied_positives as f64;
        start = end;
    }
    let n1 = positives as f64;
    let u = positive_rank_sum - n1 * (n1 + 1.0) / 2.0;
    Some(u / (n1 * negatives as f64))
}

/// Average precision: Σ (Rₖ − Rₖ₋₁) · Pₖ over the distinct score thresholds, highest first,
/// tied scores entering together (as scikit-learn computes it). `None` without positives.
pub(crate) fn average_precision(scored: &[(f64, bool)]) -> Option<f64> {
    let positives = scored.iter().filter(|(_, y)| *y).count();
    if positives == 0 {
        return None;
    }
    let mut sorted: Vec<(f64, bool)> = scored.to_vec();
    sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut tp, mut fp) = (0usize, 0usize);
    let mut previous_recall = 0.0;
    let mut ap = 0.0;
    let mut start = 0;
    while start < sorted.len() {
        let value = sorted[start].0;
        let group = sorted[start..]
            .iter()
            .take_while(|(v, _)| v.total_cmp(&value) == Ordering::Equal);
        for (_, y) in group {
            if *y {
                tp += 1;
            } else {
                fp += 1;
            }
        }
        start = tp + fp;
        let recall = tp as f64 / positives as f64;
        let precision = tp as f64 / (tp + fp) as f64;
        ap += (recall - previous_recall) * precision;
        previous_recall = recall;
    }
    Some(ap)
}

/// Number of calibration bins (deciles).
pub(crate) const CALIBRATION_BINS: usize = 10;

/// Decile of a probability in [0, 1]: `[0, 0.1)` is 0, …, `[0.9, 1.0]` is 9. A tiny tolerance
/// keeps values such as `0.3` (stored as 0.29999…) in the decile a person expects.
pub(crate) fn decile(probability: f64) -> usize {
    let index = (probability * CALIBRATION_BINS as f64 + 1e-9).floor();
    if index <= 0.0 {
        0
    } else {
        (index as usize).min(CALIBRATION_BINS - 1)
    }
}

/// Calibration by probability decile, the expected calibration error (count-weighted mean of
/// |mean predicted − observed|) and the Brier score.
pub(crate) fn calibration(
    scored: &[(f64, bool)],
) -> (Vec<CalibrationBin>, Option<f64>, Option<f64>) {
    let mut counts = [0usize; CALIBRATION_BINS];
    let mut sums = [0.0f64; CALIBRATION_BINS];
    let mut frauds = [0usize; CALIBRATION_BINS];
    for &(p, y) in scored {
        let bin = decile(p);
        counts[bin] += 1;
        sums[bin] += p;
        frauds[bin] += usize::from(y);
    }
    let bins: Vec<CalibrationBin> = (0..CALIBRATION_BINS)
        .map(|i| CalibrationBin {
            lower: i as f64 / CALIBRATION_BINS as f64,
            upper: (i + 1) as f64 / CALIBRATION_BINS as f64,
            count: counts[i],
            fraud: frauds[i],
            mean_predicted: (counts[i] > 0).then(|| sums[i] / counts[i] as f64),
            observed_fraud_rate: ratio(frauds[i], counts[i]),
        })
        .collect();
    let total = scored.len();
    let ece = (total > 0).then(|| {
        bins.iter()
            .filter_map(|b| {
                Some(b.count as f64 * (b.mean_predicted? - b.observed_fraud_rate?).abs())
            })
            .sum::<f64>()
            / total as f64
    });
    let brier = (total > 0).then(|| {
        scored
            .iter()
            .map(|&(p, y)| (p - f64::from(u8::from(y))).powi(2))
            .sum::<f64>()
            / total as f64
    });
    (bins, ece, brier)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-12)
    }

    #[test]
    fn classification_values() {
        let c = classification(3, 1, 2, 4);
        assert!(close(c.precision, 0.75));
        assert!(close(c.recall, 0.6));
        assert!(close(c.f1, 2.0 / 3.0));
        let none = classification(0, 0, 0, 5);
        assert_eq!((none.precision, none.recall, none.f1), (None, None, None));
        let zero = classification(0, 2, 3, 0);
        assert_eq!(
            (zero.precision, zero.recall, zero.f1),
            (Some(0.0), Some(0.0), Some(0.0))
        );
        let no_flags = classification(0, 0, 4, 1);
        assert_eq!(
            (no_flags.precision, no_flags.recall, no_flags.f1),
            (None, Some(0.0), None)
        );
    }

    #[test]
    fn auc_perfect_inverse_and_ties() {
        let perfect = [(0.9, true), (0.8, true), (0.2, false), (0.1, false)];
        assert!(close(roc_auc(&perfect), 1.0));
        let inverse = [(0.1, true), (0.9, false)];
        assert!(close(roc_auc(&inverse), 0.0));
        let all_tied = [(0.5, true), (0.5, false), (0.5, true), (0.5, false)];
        assert!(close(roc_auc(&all_tied), 0.5));
        // pos {0.8, 0.5}, neg {0.5, 0.2}: pairs 1 + 1 + 0.5 + 1 = 3.5 of 4.
        let some_ties = [(0.8, true), (0.5, true), (0.5, false), (0.2, false)];
        assert!(close(roc_auc(&some_ties), 0.875));
        assert_eq!(roc_auc(&[(0.3, true)]), None);
        assert_eq!(roc_auc(&[(0.3, false)]), None);
        assert_eq!(roc_auc(&[]), None);
    }

    #[test]
    fn auc_is_order_independent() {
        let a = [
            (0.7, true),
            (0.7, false),
            (0.1, false),
            (0.9, true),
            (0.3, true),
        ];
        let mut b = a;
        b.reverse();
        assert_eq!(roc_auc(&a), roc_auc(&b));
    }

    #[test]
    fn average_precision_values() {
        let perfect = [(0.9, true), (0.1, false)];
        assert!(close(average_precision(&perfect), 1.0));
        // Ranking N, P: precision at the only positive is 1/2.
        let inverted = [(0.9, false), (0.1, true)];
        assert!(close(average_precision(&inverted), 0.5));
        // A tie between a positive and a negative counts both at once: 1 * 1/2.
        let tied = [(0.5, true), (0.5, false)];
        assert!(close(average_precision(&tied), 0.5));
        // P, N, P: 1/2 * 1 + 1/2 * 2/3.
        let mixed = [(0.9, true), (0.5, false), (0.2, true)];
        assert!(close(average_precision(&mixed), 0.5 + 1.0 / 3.0));
        assert_eq!(average_precision(&[(0.5, false)]), None);
    }

    #[test]
    fn deciles() {
        assert_eq!(decile(0.0), 0);
        assert_eq!(decile(0.05), 0);
        assert_eq!(decile(0.1), 1);
        assert_eq!(decile(0.3), 3);
        assert_eq!(decile(0.7), 7);
        assert_eq!(decile(0.999), 9);
        assert_eq!(decile(1.0), 9);
        // 0.7 - 0.4 is 0.29999999999999993 in binary floating point.
        assert_eq!(decile(0.7 - 0.4), 3);
        assert_eq!(decile(0.1 + 0.2), 3);
    }

    #[test]
    fn calibration_table() {
        let scored = [(0.05, false), (0.15, true), (0.12, false), (0.95, true)];
        let (bins, ece, brier) = calibration(&scored);
        assert_eq!(bins.len(), 10);
        assert_eq!(bins[0].count, 1);
        assert_eq!(bins[1].count, 2);
        assert_eq!(bins[1].fraud, 1);
        assert!(close(bins[1].mean_predicted, 0.135));
        assert!(close(bins[1].observed_fraud_rate, 0.5));
        assert_eq!(bins[5].count, 0);
        assert_eq!(bins[5].mean_predicted, None);
        assert!(close(bins[9].observed_fraud_rate, 1.0));
        // ECE = (1*0.05 + 2*0.365 + 1*0.05) / 4
        assert!(close(ece, (0.05 + 2.0 * 0.365 + 0.05) / 4.0));
        // Brier = (0.0025 + 0.7225 + 0.0144 + 0.0025) / 4
        assert!(close(brier, (0.0025 + 0.7225 + 0.0144 + 0.0025) / 4.0));
        let (empty, ece, brier) = calibration(&[]);
        assert!(empty.iter().all(|b| b.count == 0));
        assert_eq!((ece, brier), (None, None));
    }
}
