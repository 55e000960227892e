//! Calibration of fused probabilities against labelled outcomes.
//!
//! Naive Bayes over documented likelihood ratios ranks people well but its probabilities are
//! only as good as the ratios' independence and the prior: correlated weak signals make it
//! over-confident, conservative ratios under-confident. A team with labelled history (past
//! investigations, or `muster synth` truth for a benchmark) fits a monotone map from the fused
//! probability to the observed rate once, with isotonic regression (pool adjacent violators),
//! and scans with it (`[fusion] calibration = "calibration.json"`). The map never reverses the
//! ranking of people (scores keep the fused probability to break the ties it makes), only
//! changes what their probabilities mean. It is fitted with one prior and is
//! valid only with that prior.
//!
//! ```
//! use muster_fuse::Calibration;
//! // raw probabilities that over-state the risk of the low ones
//! let points: Vec<(f64, bool)> = (0..1000)
//!     .map(|i| (i as f64 / 1000.0, i >= 900))
//!     .collect();
//! let c = Calibration::fit(&points, 0.03, "example");
//! assert!(c.apply(0.5) < 0.01);
//! assert!(c.apply(0.95) > 0.99);
//! assert!(c.apply(0.2) <= c.apply(0.6));
//! ```

use serde::{Deserialize, Serialize};

/// People behind each knot at least: a rate from 100 people has a standard error of at most
/// 0.05, half the 0.1 tolerance a calibration is judged by.
pub const MIN_BLOCK: f64 = 100.0;

/// A monotone map from fused probability to calibrated probability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// The prior the fused probabilities were computed with; the map is valid only with it.
    pub fitted_prior: f64,
    /// What it was fitted on (free text: a scan folder, a date).
    pub fitted_on: String,
    /// People in the fit, and how many were positive.
    pub people: usize,
    /// See `people`.
    pub positives: usize,
    /// Knots `(upper edge, calibrated probability)`, both non-decreasing: a fused probability
    /// maps to the rate of the first knot whose edge is at or above it (the last knot's rate
    /// beyond the last edge).
    pub knots: Vec<(f64, f64)>,
}

impl Calibration {
    /// Fits the map to `(fused probability, outcome)` pairs by isotonic regression, with every
    /// knot pooling at least [`MIN_BLOCK`] people. Each block's rate is smoothed as
    /// `(positives + 0.5) / (people + 1)` so a block never maps to exactly 0 or 1.
    pub fn fit(points: &[(f64, bool)], fitted_prior: f64, fitted_on: &str) -> Calibration {
        let mut v: Vec<(f64, bool)> = points
            .iter()
            .filter(|(p, _)| p.is_finite())
            .map(|(p, y)| (p.clamp(0.0, 1.0), *y))
            .collect();
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
        // blocks: (sum of p, positives, count), and each block's highest p
        let mut blocks: Vec<(f64, f64, f64)> = Vec::new();
        let mut edges: Vec<f64> = Vec::new();
        for (p, y) in &v {
            blocks.push((*p, if *y { 1.0 } else { 0.0 }, 1.0));
            edges.push(*p);
            while blocks.len() >= 2 {
                let n = blocks.len();
                let (a, b) = (blocks[n - 2], blocks[n - 1]);
                // merge while the earlier block's rate is not below the later one's (equal
                // rates pool, so blocks are as large as the data allows before smoothing), or
                // the two hold the same fused probability (ties must map to one value)
                let same_x = (a.0 / a.2 - b.0 / b.2).abs() < 1e-12;
                if a.1 / a.2 >= b.1 / b.2 || same_x {
                    blocks.truncate(n - 2);
                    blocks.push((a.0 + b.0, a.1 + b.1, a.2 + b.2));
                    let top = edges[n - 1];
                    edges.truncate(n - 2);
                    edges.push(top);
                } else {
                    break;
                }
            }
        }
        // Every knot stands for at least MIN_BLOCK people: isotonic regression follows a sparse
        // middle too closely, and a rate from a handful of people is mostly noise. Consecutive
        // blocks of a non-decreasing sequence pool into non-decreasing rates. Each block keeps
        // its highest fused probability as its upper edge.
        let mut pooled: Vec<(f64, f64, f64)> = Vec::new(); // (upper edge, positives, count)
        let mut acc = (0.0, 0.0, 0.0);
        for (i, b) in blocks.iter().enumerate() {
            acc = (edges[i], acc.1 + b.1, acc.2 + b.2);
            if acc.2 >= MIN_BLOCK {
                pooled.push(acc);
                acc = (0.0, 0.0, 0.0);
            }
        }
        if acc.2 > 0.0 {
            match pooled.last_mut() {
                Some(last) => *last = (acc.0, last.1 + acc.1, last.2 + acc.2),
                None => pooled.push(acc),
            }
        }
        let mut knots: Vec<(f64, f64)> = Vec::with_capacity(pooled.len());
        let mut floor = 0.0f64;
        for (edge, pos, n) in pooled {
            let y = ((pos + 0.5) / (n + 1.0)).max(floor);
            floor = y;
            knots.push((edge, y));
        }
        Calibration {
            fitted_prior,
            fitted_on: fitted_on.to_string(),
            people: v.len(),
            positives: v.iter().filter(|(_, y)| *y).count(),
            knots,
        }
    }

    /// The calibrated probability of a fused probability: the rate of the block it falls in (a
    /// step function, as isotonic regression fits it; above the last edge, the last rate).
    pub fn apply(&self, p: f64) -> f64 {
        self.knots
            .iter()
            .find(|(edge, _)| p <= *edge)
            .or(self.knots.last())
            .map_or(p, |k| k.1)
    }

    /// Why the map cannot be used, if it cannot: knots out of order or out of [0, 1].
    pub fn check(&self) -> Result<(), String> {
        if self.knots.is_empty() {
            return Err("the calibration has no knots".into());
        }
        let mut last = (f64::NEG_INFINITY, f64::NEG_INFINITY);
        for (i, (x, y)) in self.knots.iter().enumerate() {
            if !(0.0..=1.0).contains(x) || !(0.0..=1.0).contains(y) {
                return Err(format!("knot {i} ({x}, {y}) is outside [0, 1]"));
            }
            if *x < last.0 || *y < last.1 {
                return Err(format!(
                    "knot {i} ({x}, {y}) is not in non-decreasing order"
                ));
            }
            last = (*x, *y);
        }
        if !(self.fitted_prior > 0.0 && self.fitted_prior < 1.0) {
            return Err(format!(
                "fitted_prior {} is not in (0, 1)",
                self.fitted_prior
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn pools_violators_into_blocks_of_at_least_min_block() {
        // 100 negatives with a positive among them, then 100 positives
        let mut pts: Vec<(f64, bool)> = (0..100).map(|i| (0.1 + i as f64 * 0.001, false)).collect();
        pts.push((0.15, true));
        pts.extend((0..100).map(|i| (0.8 + i as f64 * 0.001, true)));
        let c = Calibration::fit(&pts, 0.03, "t");
        assert!(c.check().is_ok());
        assert_eq!((c.people, c.positives), (201, 101));
        assert_eq!(c.knots.len(), 2, "{:?}", c.knots);
        assert!(c.knots[0].1 < 0.1 && c.knots[1].1 > 0.9, "{:?}", c.knots);
        assert_eq!(c.apply(0.0), c.knots[0].1);
        assert_eq!(c.apply(0.5), c.knots[1].1);
        assert_eq!(c.apply(1.0), c.knots[1].1);
    }

    #[test]
    fn small_fits_pool_into_one_knot() {
        let pts = [(0.1, false), (0.2, true), (0.9, true)];
        let c = Calibration::fit(&pts, 0.03, "t");
        assert_eq!(c.knots.len(), 1);
        assert!((c.apply(0.5) - (2.5 / 4.0)).abs() < 1e-12);
        assert!((c.apply(0.99) - (2.5 / 4.0)).abs() < 1e-12);
    }

    #[test]
    fn ties_map_to_one_value() {
        // 150 people at 0.5 whose labels alternate, then 150 positives at 0.7
        let mut pts: Vec<(f64, bool)> = (0..150).map(|i| (0.5, i % 2 == 0)).collect();
        pts.extend((0..150).map(|_| (0.7, true)));
        let c = Calibration::fit(&pts, 0.03, "t");
        assert_eq!(c.knots.len(), 2, "{:?}", c.knots);
        assert!(c.knots.windows(2).all(|w| w[0].0 < w[1].0), "{:?}", c.knots);
        assert!((c.apply(0.5) - 75.5 / 151.0).abs() < 1e-12);
    }

    proptest! {
        #[test]
        fn fitted_maps_are_monotone_and_in_range(
            pts in proptest::collection::vec((0.0f64..=1.0, any::<bool>()), 1..300),
            probes in proptest::collection::vec(0.0f64..=1.0, 1..50),
        ) {
            let c = Calibration::fit(&pts, 0.1, "p");
            prop_assert!(c.check().is_ok(), "{:?}", c.check());
            let mut probes = probes;
            probes.sort_by(|a, b| a.total_cmp(b));
            let mut last = 0.0;
            for p in probes {
                let y = c.apply(p);
                prop_assert!((0.0..=1.0).contains(&y));
                prop_assert!(y + 1e-12 >= last);
                last = y;
            }
        }
    }
}
