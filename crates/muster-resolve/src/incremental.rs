//! Incremental resolution: new records resolve against existing clusters, and cluster ids stay
//! stable.
//!
//! [`Index::build`] runs a batch resolution and keeps what later records need: the normalised
//! table, the trained model (frozen: a single new record cannot re-estimate it), the blocking
//! index of every applied rule and the clusters with their cannot-links. [`Index::add`] then
//! normalises one record, gathers its candidates from the blocks, scores them, and joins the
//! clusters it links to under the same no-chaining rule as the batch.
//!
//! A cluster's id is the id of its first record, so it never changes while the cluster grows.
//! When a new record joins two existing clusters into one, the older id survives and the
//! other is reported in [`Addition::merged`].
//!
//! ```
//! use muster_resolve::{Index, Record, Settings};
//!
//! let rec = |id: &str, name: &str, dob: &str, email: &str| Record {
//!     id: id.into(),
//!     full_name: Some(name.into()),
//!     date_of_birth: Some(dob.into()),
//!     email: Some(email.into()),
//!     ..Record::default()
//! };
//! let (mut index, _) = Index::build(
//!     &[
//!         rec("p1", "Dana Whitfield", "1987-03-14", "dana.whitfield@example.com"),
//!         rec("p2", "Omar Haddad", "1979-10-02", "omar.h@example.org"),
//!     ],
//!     Settings::default(),
//! )?;
//! let add = index.add(&rec("p3", "Dana Whitfeld", "1987-03-14", "dana.whitfield@example.com"))?;
//! assert_eq!(add.cluster_id, "p1");
//! assert_eq!(index.cluster_id("p3"), Some("p1"));
//! # Ok::<(), muster_resolve::ResolveError>(())
//! ```

use std::collections::{HashMap, HashSet};

use crate::blocking::Rule;
use crate::cluster::Clusters;
use crate::compare;
use crate::hubs::{self, HubKind};
use crate::model::{Model, probability};
use crate::record::{Record, Table};
use crate::{Anchors, Resolution, ResolveError, Settings};

/// A resolution that accepts new records.
#[derive(Clone)]
pub struct Index {
    settings: Settings,
    table: Table,
    hub_flags: Vec<u8>,
    model: Model,
    anchors: Anchors,
    rules: Vec<Rule>,
    blocks: Vec<HashMap<u64, Vec<u32>, foldhash::fast::RandomState>>,
    clusters: Clusters,
    by_id: HashMap<Box<str>, u32, foldhash::fast::RandomState>,
    hasher: foldhash::fast::FixedState,
    /// Every known hub value, so a new record holding one is flagged even when the value's
    /// block is too large to compare against.
    hub_values: HashSet<(u8, u32, u32), foldhash::fast::RandomState>,
}

/// A record the index matched against.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Match {
    pub id: String,
    pub cluster_id: String,
    pub probability: f64,
}

/// The outcome of [`Index::add`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Addition {
    /// The cluster the record now belongs to (its own id when it matched nobody).
    pub cluster_id: String,
    /// Records at or above the threshold, strongest first.
    pub matches: Vec<Match>,
    /// Cluster ids that no longer exist because this record joined them to an older one.
    pub merged: Vec<String>,
    /// Candidates it was compared with.
    pub compared: usize,
    /// Shared identifiers (hubs) the record holds: kind and masked value.
    pub hubs: Vec<(HubKind, String)>,
    /// Records of clearly different identities that share those identifiers.
    pub shared_with: Vec<String>,
}

impl Index {
    /// Resolves `records` in batch and keeps the state for [`Index::add`].
    pub fn build(
        records: &[Record],
        settings: Settings,
    ) -> Result<(Index, Resolution), ResolveError> {
        settings.validate()?;
        let t = crate::build_table(records, &settings)?;
        let (res, state) = crate::run(t, &settings)?;
        Ok((Index::from_state(state, settings), res))
    }

    pub(crate) fn from_state(state: crate::State, settings: Settings) -> Index {
        let hasher = crate::blocking::key_hasher();
        let mut blocks: Vec<HashMap<u64, Vec<u32>, foldhash::fast::RandomState>> =
            vec![HashMap::default(); state.rules.len()];
        for r in 0..state.table.len() {
            for (k, rule) in state.rules.iter().enumerate() {
                if let Some(key) = rule.key(&state.table, r, &hasher) {
                    blocks[k].entry(key).or_default().push(r as u32);
                }
            }
        }
        let by_id = state
            .table
            .ids
            .iter()
            .enumerate()
            .map(|(i, s)| (s.clone(), i as u32))
            .collect();
        let anchors = Anchors::of(&state.model.comparisons);
        let mut hub_values = HashSet::default();
        for (r, &f) in state.hub_flags.iter().enumerate() {
            for kind in HubKind::ALL {
                if f & kind.bit() != 0
                    && let Some((x, y)) = hubs::key(&state.table, kind, r)
                {
                    hub_values.insert((kind.bit(), x, y));
                }
            }
        }
        Index {
            hub_values,
            settings,
            table: state.table,
            hub_flags: state.hub_flags,
            model: state.model,
            anchors,
            rules: state.rules,
            blocks,
            clusters: state.clusters,
            by_id,
            hasher,
        }
    }

    /// Records in the index.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    pub fn is_empty(&self) -> bool {
        self.table.len() == 0
    }

    /// The current cluster id of a record.
    pub fn cluster_id(&mut self, id: &str) -> Option<&str> {
        let &i = self.by_id.get(id)?;
        let first = self.clusters.first_of(i as usize);
        self.table.ids.get(first).map(|s| &**s)
    }

    /// The model the index scores with.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Adds one record and resolves it against everything already known.
    pub fn add(&mut self, record: &Record) -> Result<Addition, ResolveError> {
        if record.id.trim().is_empty() {
            return Err(ResolveError::EmptyId {
                index: self.table.len(),
            });
        }
        if let Some(&first) = self.by_id.get(record.id.as_str()) {
            return Err(ResolveError::DuplicateId {
                id: record.id.clone(),
                first: first as usize,
                second: self.table.len(),
            });
        }
        let idx = self.table.push(record);
        self.table.build_rows();
        self.clusters.push();
        let mut flags = 0u8;
        for kind in HubKind::ALL {
            if let Some((x, y)) = hubs::key(&self.table, kind, idx)
                && self.hub_values.contains(&(kind.bit(), x, y))
            {
                flags |= kind.bit();
            }
        }
        self.hub_flags.push(flags);
        self.by_id.insert(record.id.as_str().into(), idx as u32);

        // candidates from every rule's block (oversized blocks are skipped, as in batch)
        let mut keys = Vec::with_capacity(self.rules.len());
        let mut candidates: Vec<u32> = Vec::new();
        for (k, rule) in self.rules.iter().enumerate() {
            let key = rule.key(&self.table, idx, &self.hasher);
            if let Some(key) = key
                && let Some(m) = self.blocks[k].get(&key)
                && m.len() < self.settings.max_block
            {
                candidates.extend_from_slice(m);
            }
            keys.push(key);
        }
        candidates.sort_unstable();
        candidates.dedup();

        // hubs: identifiers of the new record held by clearly different identities
        let mut shared_with = Vec::new();
        let mut hub_list = Vec::new();
        for kind in HubKind::ALL {
            let holders: Vec<u32> = candidates
                .iter()
                .copied()
                .filter(|&c| {
                    let v = hubs::key(&self.table, kind, idx);
                    v.is_some() && v == hubs::key(&self.table, kind, c as usize)
                })
                .collect();
            if holders.is_empty() {
                // a known hub whose block is too large to compare against
                if self.hub_flags[idx] & kind.bit() != 0 {
                    hub_list.push((kind, hubs::value_of(&self.table, kind, idx)));
                }
                continue;
            }
            let mut all = holders.clone();
            all.push(idx as u32);
            let need = match kind {
                HubKind::NationalId => self.settings.national_id_placeholder_identities,
                _ => self.settings.hub_min_identities,
            };
            if hubs::identities(&self.table, kind, &all, 16) >= need.max(2) {
                for &h in &all {
                    self.hub_flags[h as usize] |= kind.bit();
                }
                if let Some((x, y)) = hubs::key(&self.table, kind, idx) {
                    self.hub_values.insert((kind.bit(), x, y));
                }
                hub_list.push((kind, hubs::value_of(&self.table, kind, idx)));
                for &h in &holders {
                    if hubs::clearly_different(
                        &self.table,
                        h as usize,
                        idx,
                        kind == HubKind::NationalId,
                    ) {
                        shared_with.push(self.table.ids[h as usize].to_string());
                    }
                }
            }
        }
        shared_with.sort();
        shared_with.dedup();

        let link_w = (self.settings.threshold / (1.0 - self.settings.threshold)).log2();
        let cannot_w = if self.settings.cannot_link_below > 0.0 {
            let c = self.settings.cannot_link_below;
            (c / (1.0 - c)).log2()
        } else {
            f64::NEG_INFINITY
        };
        let mut links: Vec<(f64, u32)> = Vec::new();
        let scorer = crate::model::Scorer::new(&self.model);
        for &c in &candidates {
            let g = compare::gamma(
                &self.table,
                &self.hub_flags,
                &self.model.comparisons,
                c as usize,
                idx,
            );
            if self.anchors.veto(g) {
                self.clusters.cannot_link(c as usize, idx);
                continue;
            }
            let w = scorer.weight(&self.table, g, c as usize);
            if w >= link_w {
                links.push((w, c));
            } else if w < cannot_w {
                self.clusters.cannot_link(c as usize, idx);
            }
        }
        links.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut merged = Vec::new();
        let mut matches = Vec::new();
        for &(w, c) in &links {
            let before_self = self.clusters.first_of(idx);
            let before_other = self.clusters.first_of(c as usize);
            if self.clusters.link(c as usize, idx) {
                let after = self.clusters.first_of(idx);
                for old in [before_self, before_other] {
                    if old != after && old != idx {
                        merged.push(self.table.ids[old].to_string());
                    }
                }
                matches.push((w, c));
            }
        }
        merged.sort();
        merged.dedup();
        for (k, key) in keys.into_iter().enumerate() {
            if let Some(key) = key {
                self.blocks[k].entry(key).or_default().push(idx as u32);
            }
        }
        let first = self.clusters.first_of(idx);
        let cluster_id = self.table.ids[first].to_string();
        let matches = matches
            .into_iter()
            .map(|(w, c)| Match {
                id: self.table.ids[c as usize].to_string(),
                cluster_id: cluster_id.clone(),
                probability: probability(w),
            })
            .collect();
        Ok(Addition {
            cluster_id,
            matches,
            merged,
            compared: candidates.len(),
            hubs: hub_list,
            shared_with,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: &str, name: &str, dob: &str, phone: &str) -> Record {
        Record {
            id: id.into(),
            full_name: Some(name.into()),
            date_of_birth: Some(dob.into()),
            phone: Some(phone.into()),
            ..Record::default()
        }
    }

    fn base() -> Vec<Record> {
        vec![
            rec("a1", "Maria Gonzalez", "1990-04-12", "4155550101"),
            rec("b1", "Kevin Park", "1988-11-30", "2125550199"),
            rec("c1", "Lena Novak", "1992-01-05", "3125550123"),
            rec("c2", "Lena Novak", "1992-01-05", "3125550123"),
        ]
    }

    #[test]
    fn ids_are_stable_and_merges_keep_the_older_id() -> Result<(), ResolveError> {
        let (mut ix, res) = Index::build(&base(), Settings::default())?;
        assert_eq!(res.cluster_id(2), "c1");
        assert_eq!(res.cluster_id(3), "c1");
        let add = ix.add(&rec("a2", "Maria Gonzales", "1990-04-12", "415-555-0101"))?;
        assert_eq!(add.cluster_id, "a1");
        assert_eq!(add.matches.len(), 1);
        assert!(add.merged.is_empty());
        let add = ix.add(&rec("n1", "Nobody Known", "1970-07-07", "9995550000"))?;
        assert_eq!(add.cluster_id, "n1");
        assert!(add.matches.is_empty());
        assert_eq!(ix.cluster_id("c2"), Some("c1"));
        assert_eq!(ix.cluster_id("a1"), Some("a1"));
        assert!(ix.add(&rec("a1", "Again", "", "")).is_err());
        Ok(())
    }

    #[test]
    fn shared_phone_under_new_identities_is_a_hub_not_a_match() -> Result<(), ResolveError> {
        let (mut ix, _) = Index::build(&base(), Settings::default())?;
        let add = ix.add(&rec("r1", "Alex Turner", "1993-02-03", "4155550101"))?;
        assert_eq!(add.cluster_id, "r1");
        assert!(add.matches.is_empty());
        assert_eq!(add.hubs.len(), 1);
        assert_eq!(add.shared_with, vec!["a1".to_string()]);
        Ok(())
    }

    /// A small synthetic population: people with one or two records, the second with a typo.
    fn population(n: usize) -> Vec<Record> {
        const GIVEN: [&str; 12] = [
            "maria", "kevin", "lena", "omar", "ruth", "james", "aiko", "pedro", "fatima", "john",
            "chloe", "ivan",
        ];
        const FAMILY: [&str; 10] = [
            "gonzalez", "park", "novak", "haddad", "okafor", "smith", "tanaka", "silva", "khan",
            "brown",
        ];
        let mut out = Vec::new();
        for i in 0..n {
            let g = GIVEN[i % GIVEN.len()];
            let f = FAMILY[(i / GIVEN.len()) % FAMILY.len()];
            let dob = format!("19{:02}-{:02}-{:02}", 50 + i % 50, 1 + i % 12, 1 + i % 28);
            let phone = format!("415555{:04}", i);
            out.push(rec(&format!("p{i}"), &format!("{g} {f}"), &dob, &phone));
            if i % 3 == 0 {
                let typo = format!("{}{} {f}", &g[..g.len() - 1], "e");
                out.push(rec(&format!("q{i}"), &typo, &dob, &phone));
            }
        }
        out
    }

    /// Adding records one by one gives the same clusters as one batch over all of them.
    #[test]
    fn incremental_agrees_with_batch() -> Result<(), ResolveError> {
        let all = population(300);
        let batch = crate::resolve(&all, &Settings::default())?;
        let split = all.len() * 2 / 3;
        let (mut ix, _) = Index::build(&all[..split], Settings::default())?;
        for r in &all[split..] {
            ix.add(r)?;
        }
        let mut differ = 0;
        for (i, r) in all.iter().enumerate() {
            if ix.cluster_id(&r.id) != Some(batch.cluster_id(i)) {
                differ += 1;
            }
        }
        assert_eq!(differ, 0);
        // and the batch found the duplicates
        assert_eq!(batch.stats.multi_record_clusters, 100);
        Ok(())
    }
}
