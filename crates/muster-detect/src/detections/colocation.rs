//! Shared by FARM-IP and FARM-WIFI: pairs of people whose devices spent nights at one place (a
//! residential IP, a Wi-Fi access point), folded into per-person, per-place accumulators.

use std::collections::{BTreeMap, BTreeSet};

use crate::rows::col;
use crate::{DetectConfig, DetectError, Engine};

/// The user tag (`[[lists.ip_tags]]`) that marks a user's own carrier-grade NAT ranges.
pub(crate) const MOBILE_CARRIER_TAG: &str = "mobile_carrier";

/// The mobile carrier behind `ip` (AS number and name, or the user tag's source) when the
/// address is carrier-grade NAT: a mobile carrier's AS (`data/ip/mobile_carrier_asns.csv` plus
/// `[data] mobile_asns`) or a user range tagged `mobile_carrier`. Such an address is shared by
/// many unrelated subscribers, so sharing it is no evidence of sharing a home.
pub(crate) fn carrier_nat(cfg: &DetectConfig, ip: &str) -> Option<String> {
    let addr = muster_normalize::normalize_ip(ip)?;
    if let Some((asn, name)) = cfg.intel.mobile_carrier(addr) {
        return Some(format!("AS{asn} {name}"));
    }
    cfg.intel
        .user_tags(addr)
        .find(|t| t.tag == MOBILE_CARRIER_TAG)
        .map(|t| t.source.clone())
}

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

/// Stages the co-location steps over a staged daily table (`daily`: one row per `key`, person
/// and day with `night`, `t0`, `t1`) and returns the query for the pairs: places seen by at
/// least two and fewer than `infra` people that pass `place_filter` (SQL over `key`, `TRUE` for
/// none); each person's home-like places (at least `farm_min_nights` nights there, and at least
/// half of all their nights); daytime venues (seen by at least `farm_venue_min_people` people,
/// most of whom have a home-like place of their own elsewhere: an office or coworking space
/// where a few laptops stay overnight), left out; and the pairs of people sharing a home-like
/// place on at least `farm_min_shared_days` days, with both claimed homes. Rows as
/// [`fold_pairs`] reads them.
///
/// Each step that later steps read more than once is staged (`{daily}_places`, `_cand`,
/// `_nights`, `_homes`, `_at_cand`) rather than written as a CTE: DataFusion plans a CTE again
/// at every reference, so as one query the daily table was read and aggregated about twenty
/// times at once, and hash joins built on its full size. Measured at 100,000 people (FARM-WIFI,
/// BENCHMARKS.md): peak RSS 4,128 MiB as one query under a 2 GiB `--memory-limit`, 2,071 MiB
/// staged.
pub(crate) fn stage_pairs(
    engine: &Engine,
    daily: &str,
    key: &str,
    place_filter: &str,
    infra: i64,
    t: &crate::config::Thresholds,
) -> Result<String, DetectError> {
    let (nights, days, venue) = (
        t.farm_min_nights,
        t.farm_min_shared_days,
        t.farm_venue_min_people,
    );
    let (places, cand, all_nights, homes, at_cand) = (
        format!("{daily}_places"),
        format!("{daily}_cand"),
        format!("{daily}_nights"),
        format!("{daily}_homes"),
        format!("{daily}_at_cand"),
    );
    // places that pass the filter, with their people (the filter is over the key alone, so it
    // runs once per place, after the grouping)
    engine.stage_query(
        &places,
        &format!(
            "SELECT {key}, people FROM (
               SELECT {key}, count(DISTINCT person_id) AS people FROM {daily} GROUP BY {key}
             ) WHERE ({place_filter})"
        ),
    )?;
    engine.stage_query(
        &cand,
        &format!("SELECT {key}, people FROM {places} WHERE people >= 2 AND people < {infra}"),
    )?;
    engine.stage_query(
        &all_nights,
        &format!(
            "SELECT person_id, count(DISTINCT day) AS nights FROM {daily}
             WHERE night = 1 GROUP BY person_id"
        ),
    )?;
    engine.stage_query(
        &homes,
        &format!(
            "SELECT f.{key}, f.person_id
             FROM {daily} f JOIN {places} o ON f.{key} = o.{key}
             JOIN {all_nights} a ON f.person_id = a.person_id
             GROUP BY f.{key}, f.person_id, a.nights
             HAVING sum(f.night) >= {nights} AND 2 * sum(f.night) >= a.nights"
        ),
    )?;
    engine.stage_query(
        &at_cand,
        &format!("SELECT f.* FROM {daily} f JOIN {cand} c ON f.{key} = c.{key}"),
    )?;
    Ok(format!(
        "WITH homelike AS (SELECT h.{key}, h.person_id FROM {homes} h JOIN {cand} c ON h.{key} = c.{key}),
         seen AS (SELECT DISTINCT {key}, person_id FROM {at_cand}),
         away AS (
           SELECT s.{key}, count(DISTINCT s.person_id) AS away
           FROM seen s JOIN {homes} h ON s.person_id = h.person_id AND s.{key} <> h.{key}
           GROUP BY s.{key}
         ),
         venues AS (
           SELECT c.{key} FROM {cand} c JOIN away w ON c.{key} = w.{key}
           WHERE c.people >= {venue} AND 2 * w.away > c.people
         ),
         home_ok AS (
           SELECT h.{key}, h.person_id FROM homelike h
           LEFT JOIN venues v ON h.{key} = v.{key} WHERE v.{key} IS NULL
         ),
         pairs AS (
           SELECT a.{key}, a.person_id AS pa, b.person_id AS pb, count(*) AS shared_days,
                  min(least(a.t0, b.t0)) AS t0, max(greatest(a.t1, b.t1)) AS t1
           FROM {at_cand} a
           JOIN {at_cand} b ON a.{key} = b.{key} AND a.day = b.day AND a.person_id < b.person_id
           JOIN home_ok ha ON ha.{key} = a.{key} AND ha.person_id = a.person_id
           JOIN home_ok hb ON hb.{key} = b.{key} AND hb.person_id = b.person_id
           GROUP BY a.{key}, a.person_id, b.person_id
           HAVING count(*) >= {days}
         )
         SELECT p.{key}, p.pa, p.pb, p.shared_days, p.t0, p.t1, ha.building AS home_a, hb.building AS home_b
         FROM pairs p
         JOIN person_home ha ON ha.person_id = p.pa
         JOIN person_home hb ON hb.person_id = p.pb
         ORDER BY p.{key}, p.pa, p.pb"
    ))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_carrier_addresses_are_carrier_nat() {
        let list = muster_intel::IpList::parse("198.51.100.0/24\n", "mine.txt").unwrap();
        let tag = muster_intel::TagList {
            tag: MOBILE_CARRIER_TAG.into(),
            source: "our regional carrier".into(),
            list,
        };
        let cfg = DetectConfig {
            intel: muster_intel::Intel::load(&Default::default(), &[tag]).unwrap(),
            ..Default::default()
        };
        assert_eq!(
            carrier_nat(&cfg, "172.58.10.20").as_deref(),
            Some("AS21928 T-Mobile USA")
        );
        assert_eq!(
            carrier_nat(&cfg, "198.51.100.7").as_deref(),
            Some("our regional carrier")
        );
        // Comcast residential cable, and text that is no address.
        assert_eq!(carrier_nat(&cfg, "73.50.60.70"), None);
        assert_eq!(carrier_nat(&cfg, "not an ip"), None);
    }
}
