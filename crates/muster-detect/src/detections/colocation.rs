//! Shared by FARM-IP and FARM-WIFI: pairs of people whose devices spent nights at one place (a
//! residential IP, a Wi-Fi access point), folded into per-person, per-place accumulators.

use std::collections::{BTreeMap, BTreeSet};

use crate::rows::col;
use crate::{DetectError, Engine};

/// What one person shares at one place.
#[derive(Default)]
pub(crate) struct CoLocation {
    /// People claiming other homes who were there with them.
    pub others: BTreeSet<String>,
    /// People claiming the same home (a household: not evidence).
    pub households: BTreeSet<String>,
    /// Most days shared with any one of `others`.
    pub days: i64,
    /// First and last shared time (UTC microseconds).
    pub t0: Option<i64>,
    /// See `t0`.
    pub t1: Option<i64>,
}

/// Runs `sql`, which returns one row per pair of people at a place (`place_col`, `pa`, `pb`,
/// `shared_days`, `t0`, `t1`, `home_a`, `home_b`), and folds it per (person, place). Places for
/// which `skip` is true (e.g. the company's own egress) are left out.
pub(crate) fn fold_pairs(
    engine: &Engine,
    sql: &str,
    place_col: &str,
    skip: &dyn Fn(&str) -> bool,
) -> Result<BTreeMap<(String, String), CoLocation>, DetectError> {
    let mut by: BTreeMap<(String, String), CoLocation> = BTreeMap::new();
    for b in engine.sql(sql)? {
        let (place, pa, pb) = (col(&b, place_col)?, col(&b, "pa")?, col(&b, "pb")?);
        let (days, t0, t1) = (col(&b, "shared_days")?, col(&b, "t0")?, col(&b, "t1")?);
        let (ha, hb) = (col(&b, "home_a")?, col(&b, "home_b")?);
        for i in 0..b.num_rows() {
            let (Some(place), Some(a), Some(bp)) = (place.str(i), pa.str(i), pb.str(i)) else {
                continue;
            };
            if skip(place) {
                continue;
            }
            let same_home = matches!((ha.str(i), hb.str(i)), (Some(x), Some(y)) if x == y);
            for (me, other) in [(a, bp), (bp, a)] {
                let acc = by.entry((me.to_string(), place.to_string())).or_default();
                if same_home {
                    acc.households.insert(other.to_string());
                    continue;
                }
                acc.others.insert(other.to_string());
                acc.days = acc.days.max(days.int(i).unwrap_or(0));
                acc.t0 = match (acc.t0, t0.ts(i)) {
                    (Some(x), Some(y)) => Some(x.min(y)),
                    (x, y) => x.or(y),
                };
                acc.t1 = acc.t1.max(t1.ts(i));
            }
        }
    }
    Ok(by)
}
