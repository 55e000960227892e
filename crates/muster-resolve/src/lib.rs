//! Entity resolution for people records: which HR, applicant and payroll records are one real
//! person, and which identifiers are shared by several people.
//!
//! The pipeline, in order:
//!
//! 1. **Normalise** ([`Record`] → an interned column table): names (diacritics, order,
//!    suffixes, nickname groups), dates of birth in any common form, E.164 phones, normalised
//!    emails (Gmail dots and `+tags`), USPS-standardised addresses, national id digits.
//! 2. **Hubs** ([`hubs`]): an identifier held by clearly different identities is shared, so
//!    agreeing on it is no evidence of being one person; it is reported as a ring signal.
//! 3. **Blocking** ([`blocking`]): candidate pairs are the union of equality rules, each pair
//!    generated once, with a cost budget per rule.
//! 4. **Comparison** ([`compare`]): a level per attribute (exact, close, different, missing),
//!    with Jaro–Winkler, Damerau–Levenshtein, date typos, nicknames and initials.
//! 5. **Model** ([`model`]): Fellegi–Sunter m and u estimated without labels (u from random
//!    pairs, then EM over the candidates), term-frequency adjusted.
//! 6. **Clustering** ([`cluster`]): strongest links first, never joining clusters across a
//!    cannot-link (two identity anchors that clash), so links do not chain.
//!
//! ```
//! use muster_resolve::{Record, Settings, resolve};
//!
//! let rec = |id: &str, name: &str, dob: &str, phone: &str| Record {
//!     id: id.into(),
//!     full_name: Some(name.into()),
//!     date_of_birth: Some(dob.into()),
//!     phone: Some(phone.into()),
//!     ..Record::default()
//! };
//! let records = vec![
//!     rec("a1", "Maria Gonzalez", "1990-04-12", "(415) 555-0101"),
//!     rec("a2", "María González", "04/12/1990", "+1 415 555 0101"),
//!     rec("b1", "Kevin Park", "1988-11-30", "212-555-0199"),
//!     // three identities behind one phone: a hub, not one person
//!     rec("r1", "Alex Turner", "1993-02-03", "702-555-0123"),
//!     rec("r2", "Sam Rivera", "1991-06-21", "702 555 0123"),
//!     rec("r3", "Jordan Lee", "1989-09-09", "7025550123"),
//! ];
//! let res = resolve(&records, &Settings::default())?;
//! assert_eq!(res.cluster_id(0), res.cluster_id(1));
//! assert_ne!(res.cluster_id(0), res.cluster_id(2));
//! assert_ne!(res.cluster_id(3), res.cluster_id(4));
//! assert_eq!(res.hubs.len(), 1);
//! assert_eq!(res.rings.len(), 1);
//! # Ok::<(), muster_resolve::ResolveError>(())
//! ```

mod arena;
pub mod blocking;
pub mod cluster;
pub mod compare;
pub mod hubs;
pub mod incremental;
pub mod input;
pub mod model;
pub mod output;
pub mod record;
pub mod strings;

use std::collections::HashMap;
use std::time::Instant;

pub use blocking::{KeyPart, Rule, RuleReport};
pub use compare::Comparison;
pub use hubs::{Hub, HubKind};
pub use incremental::{Addition, Index, Match};
pub use model::Model;
pub use record::{FieldIssues, Record};

use compare::{Gamma, level_of};
use record::Table;

/// Errors of resolution.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error("record {index} has an empty id: every record needs a unique id")]
    EmptyId { index: usize },
    #[error("record id {id:?} appears twice (records {first} and {second}); ids must be unique")]
    DuplicateId {
        id: String,
        first: usize,
        second: usize,
    },
    #[error("invalid setting {name}: {reason}")]
    Setting { name: &'static str, reason: String },
    #[error(transparent)]
    Input(#[from] input::InputError),
    #[error("internal error: {0}; please report it")]
    Internal(String),
}

/// How resolution runs. `Settings::default()` is the documented default recipe.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Settings {
    /// Records are one person when their match probability reaches this (0.95).
    pub threshold: f64,
    /// Pairs below this probability are also cannot-links (0 = only clashing identity
    /// anchors are).
    pub cannot_link_below: f64,
    /// Blocks larger than this are skipped (1,000 records).
    pub max_block: usize,
    /// Pairs a blocking rule may generate before it is dropped (default
    /// `max(1,000,000, 12 × records)`).
    pub pair_budget: Option<u64>,
    /// An identifier held by this many clearly different identities is a hub (2).
    pub hub_min_identities: usize,
    /// A national id held by this many clearly different identities is a placeholder, not an
    /// identity (5).
    pub national_id_placeholder_identities: usize,
    /// Blocking rules; `None` = [`blocking::default_rules`].
    pub rules: Option<Vec<Rule>>,
    /// Names of the extra attributes in [`Record::attrs`].
    pub attr_names: Vec<String>,
    /// Random pairs sampled for u (500,000).
    pub u_sample_pairs: u64,
    pub max_em_iterations: u32,
    /// Seed of the random pair sample.
    pub seed: u64,
    /// Worker threads (0 = all cores).
    pub threads: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            threshold: 0.95,
            cannot_link_below: 0.0,
            max_block: 1000,
            pair_budget: None,
            hub_min_identities: 2,
            national_id_placeholder_identities: 5,
            rules: None,
            attr_names: Vec::new(),
            u_sample_pairs: 500_000,
            max_em_iterations: 200,
            seed: 0x5eed,
            threads: 0,
        }
    }
}

impl Settings {
    fn validate(&self) -> Result<(), ResolveError> {
        let bad = |name, reason: &str| {
            Err(ResolveError::Setting {
                name,
                reason: reason.to_string(),
            })
        };
        if !(self.threshold > 0.0 && self.threshold < 1.0) {
            return bad("threshold", "must be between 0 and 1 (exclusive)");
        }
        if !(0.0..1.0).contains(&self.cannot_link_below) || self.cannot_link_below >= self.threshold
        {
            return bad("cannot_link_below", "must be in [0, threshold)");
        }
        if self.max_block < 2 {
            return bad("max_block", "must be at least 2");
        }
        if self.hub_min_identities < 2 {
            return bad("hub_min_identities", "must be at least 2");
        }
        Ok(())
    }

    fn threads(&self) -> usize {
        if self.threads > 0 {
            self.threads
        } else {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        }
    }
}

/// Counts and timings of one resolution.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Stats {
    pub records: usize,
    pub candidate_pairs: u64,
    /// Pairs at or above the threshold.
    pub links: u64,
    /// Pairs whose identity anchors clash (or below the cannot-link probability).
    pub cannot_links: u64,
    /// Joins refused because a cannot-link crossed them.
    pub refused_merges: u64,
    pub clusters: usize,
    /// Clusters of two or more records.
    pub multi_record_clusters: usize,
    pub largest_cluster: usize,
    pub hubs: usize,
    pub rings: usize,
    pub field_issues: FieldIssues,
    pub blocking: Vec<RuleReport>,
    /// Seconds per stage.
    pub seconds: Vec<(String, f64)>,
}

/// A linked pair at or above the threshold.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Link {
    pub a: u32,
    pub b: u32,
    pub probability: f64,
}

/// Records that share hubs, across different clusters: a candidate ring.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Ring {
    /// `ring-N`, numbered by first record.
    pub id: String,
    /// Record indices, ascending.
    pub records: Vec<u32>,
    /// Distinct clusters (people) in it.
    pub people: usize,
    /// Indices into [`Resolution::hubs`].
    pub hubs: Vec<usize>,
}

/// The result of [`resolve`].
#[derive(Debug, Clone)]
pub struct Resolution {
    /// Record ids, in input order.
    pub ids: Vec<String>,
    /// Cluster number per record (dense; cluster `k`'s id is `cluster_ids[k]`).
    pub cluster_of: Vec<u32>,
    /// Stable cluster ids: the id of each cluster's first record.
    pub cluster_ids: Vec<String>,
    pub links: Vec<Link>,
    pub hubs: Vec<Hub>,
    pub rings: Vec<Ring>,
    pub model: Model,
    pub stats: Stats,
}

impl Resolution {
    /// The cluster id of record `i` (input order).
    pub fn cluster_id(&self, i: usize) -> &str {
        self.cluster_of
            .get(i)
            .and_then(|&c| self.cluster_ids.get(c as usize))
            .map_or("", String::as_str)
    }
}

/// Positions of the identity anchors in a comparison list, for the veto.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Anchors {
    given: Option<usize>,
    family: Option<usize>,
    dob: Option<usize>,
    nid: Option<usize>,
}

impl Anchors {
    pub fn of(cmps: &[Comparison]) -> Self {
        let pos = |c| cmps.iter().position(|x| *x == c);
        Anchors {
            given: pos(Comparison::GivenName),
            family: pos(Comparison::FamilyName),
            dob: pos(Comparison::DateOfBirth),
            nid: pos(Comparison::NationalId),
        }
    }

    /// The identity anchors say two people (see [`anchors_clash`]). Such records are never
    /// one person, whatever contact details they share.
    pub fn veto(&self, g: Gamma) -> bool {
        let lvl = |p: Option<usize>| p.map_or(0, |i| level_of(g, i));
        anchors_clash(
            lvl(self.given),
            lvl(self.family),
            lvl(self.dob),
            lvl(self.nid),
        )
    }
}

/// Whether identity anchors clash, from the comparison levels of the given name, family name
/// (both read the better way round), date of birth and national id. They clash when
///
/// * the name is completely different (both given and family names different: not a typo, a
///   nickname, an initial, a double name or the two fields swapped), unless the date of birth
///   (equal or one keying error) or the national id (equal) agrees;
/// * or the dates of birth are more than a year apart and not one keying error, together with
///   a different given name, a different family name or a different national id, unless the
///   national id is equal;
///
/// A national id one digit apart is not an agreeing anchor: that is a typo, but it is also what
/// consecutive numbers look like (twins, fabricated identities). One clash alone is never
/// enough: a married name, a new nickname, a mistyped date or a miskeyed number each happen to
/// one person. Twins (one family name, birth date, home and phone; other given names) and a
/// father and son with one name and no dates or national ids are left to the model: a record
/// whose given name was replaced looks the same as a twin's, so no rule can tell them apart.
pub(crate) fn anchors_clash(given: usize, family: usize, dob: usize, nid: usize) -> bool {
    let nid_equal = nid == 1;
    let dob_agrees = matches!(dob, 1 | 2);
    let name_given = given == 4;
    let name_family = family == 4;
    let dob_clash = dob == 4;
    (name_given && name_family && !dob_agrees && !nid_equal)
        || (dob_clash && (name_given || name_family || nid == 3) && !nid_equal)
}

/// SplitMix64, for a reproducible random pair sample.
pub(crate) struct SplitMix(pub u64);

impl SplitMix {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }
}

/// Records normalised per batch (in parallel) before interning.
const BATCH: usize = 1 << 16;

/// Builds a resolution from records pushed one at a time (for example straight from a file
/// reader), so the caller never holds all records: batches of 65,536 go to a worker thread that
/// normalises them on every core and interns them while the caller reads on, and only the
/// normalised table is kept.
pub struct Builder {
    settings: Settings,
    seen: HashMap<Box<str>, usize, foldhash::fast::RandomState>,
    pending: Vec<Record>,
    /// Records added by [`Builder::push_unique`].
    unchecked: usize,
    sender: Option<std::sync::mpsc::SyncSender<Vec<Record>>>,
    /// Emptied batches from the worker, for reuse.
    returned: std::sync::mpsc::Receiver<Vec<Record>>,
    worker: Option<std::thread::JoinHandle<Result<Table, ResolveError>>>,
}

impl Builder {
    pub fn new(settings: Settings) -> Result<Self, ResolveError> {
        Self::with_capacity(settings, 0)
    }

    /// A builder that expects about `records` records (for example estimated from a file's
    /// size): after the first batch, the columns and the identifier dictionaries the input
    /// has are sized once instead of growing by doubling. A wrong estimate costs only memory
    /// or regrowth, never a wrong result.
    pub fn with_capacity(settings: Settings, records: usize) -> Result<Self, ResolveError> {
        settings.validate()?;
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Record>>(2);
        // emptied batches go back to the reader, so a long read reuses a few buffers
        let (give_back, returned) = std::sync::mpsc::sync_channel::<Vec<Record>>(4);
        let mut table = Table::new(settings.attr_names.len());
        let threads = settings.threads();
        let expected = records;
        let worker = std::thread::Builder::new()
            .name("muster-resolve-normalise".into())
            .spawn(move || -> Result<Table, ResolveError> {
                let mut bufs = Vec::new();
                let mut sized = false;
                for batch in receiver {
                    push_all(&mut table, &batch, threads, &mut bufs)?;
                    if !sized {
                        // sized from the first batch: which identifiers the input has, and
                        // how nearly unique each is
                        table.reserve(expected.saturating_sub(table.len()));
                        sized = true;
                    }
                    // the reader empties it: its strings are freed by the thread that
                    // allocated them, the allocator's fast path (when the channel is full,
                    // the reader is done or ahead and this batch is simply freed here)
                    let _ = give_back.try_send(batch);
                }
                Ok(table)
            })
            .map_err(|e| ResolveError::Internal(format!("cannot start a thread: {e}")))?;
        Ok(Builder {
            settings,
            seen: HashMap::default(),
            unchecked: 0,
            pending: Vec::with_capacity(BATCH),
            sender: Some(sender),
            returned,
            worker: Some(worker),
        })
    }

    /// Records pushed so far.
    pub fn len(&self) -> usize {
        self.seen.len() + self.unchecked
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds a record; its id must be non-empty and new.
    pub fn push(&mut self, r: Record) -> Result<(), ResolveError> {
        let index = self.len();
        if r.id.trim().is_empty() {
            return Err(ResolveError::EmptyId { index });
        }
        if let Some(&first) = self.seen.get(r.id.as_str()) {
            return Err(ResolveError::DuplicateId {
                id: r.id,
                first,
                second: index,
            });
        }
        self.seen.insert(r.id.as_str().into(), index);
        self.pending.push(r);
        if self.pending.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    /// Adds a record whose id the caller already knows to be non-empty and unique (for
    /// example one from [`input::for_each_record`], which rejects empty and repeated ids);
    /// saves keeping a second set of every id. A repeated id here is not detected.
    pub fn push_unique(&mut self, r: Record) -> Result<(), ResolveError> {
        self.unchecked += 1;
        self.pending.push(r);
        if self.pending.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), ResolveError> {
        let next = match self.returned.try_recv() {
            Ok(mut used) => {
                used.clear();
                used
            }
            Err(_) => Vec::with_capacity(BATCH),
        };
        let batch = std::mem::replace(&mut self.pending, next);
        if batch.is_empty() {
            return Ok(());
        }
        match &self.sender {
            Some(s) => s
                .send(batch)
                .map_err(|_| ResolveError::Internal("the normalisation thread stopped".into())),
            None => Err(ResolveError::Internal("the builder is finished".into())),
        }
    }

    fn into_table(mut self) -> Result<(Table, Settings), ResolveError> {
        self.flush()?;
        drop(self.sender.take());
        let waited = Instant::now();
        let table = match self.worker.take() {
            Some(w) => w
                .join()
                .map_err(|_| ResolveError::Internal("the normalisation thread failed".into()))??,
            None => return Err(ResolveError::Internal("the builder is finished".into())),
        };
        let mut table = table;
        table.waited_seconds = waited.elapsed().as_secs_f64();
        Ok((table, self.settings))
    }

    /// Resolves everything pushed.
    pub fn finish(self) -> Result<Resolution, ResolveError> {
        let (t, settings) = self.into_table()?;
        run(t, &settings).map(|(res, _)| res)
    }

    /// Resolves everything pushed and keeps an [`Index`] for new records.
    pub fn finish_index(self) -> Result<(Index, Resolution), ResolveError> {
        let (t, settings) = self.into_table()?;
        let (res, state) = run(t, &settings)?;
        Ok((Index::from_state(state, settings), res))
    }
}

/// Normalises `records` on `threads` threads and appends them to `t` in order. `bufs` holds
/// the threads' output between calls, so a stream of batches reuses one set of buffers
/// instead of asking the allocator (and the kernel) for fresh pages per batch.
pub(crate) fn push_all(
    t: &mut Table,
    records: &[Record],
    threads: usize,
    bufs: &mut Vec<Vec<record::Norm>>,
) -> Result<(), ResolveError> {
    let n_attrs = t.attrs.len();
    let started = Instant::now();
    for batch in records.chunks(BATCH) {
        let chunk = batch.len().div_ceil(threads.max(1)).max(1);
        let parts = batch.len().div_ceil(chunk);
        if bufs.len() < parts {
            bufs.resize_with(parts, Vec::new);
        }
        std::thread::scope(|s| {
            let handles: Vec<_> = batch
                .chunks(chunk)
                .zip(bufs.iter_mut())
                .map(|(part, out)| {
                    s.spawn(move || {
                        out.clear();
                        out.extend(part.iter().map(|r| record::normalize(r, n_attrs)));
                    })
                })
                .collect();
            handles
                .into_iter()
                .try_for_each(|h| h.join().map_err(|_| thread_failed("normalisation")))
        })?;
        let ids = batch.iter().map(|r| r.id.as_str().into());
        t.push_batch(ids, bufs.get(..parts).unwrap_or_default());
    }
    t.normalise_seconds += started.elapsed().as_secs_f64();
    Ok(())
}

fn thread_failed(what: &str) -> ResolveError {
    ResolveError::Internal(format!("a {what} thread failed"))
}

/// Checks ids (non-empty, unique) and builds the table.
pub(crate) fn build_table(records: &[Record], settings: &Settings) -> Result<Table, ResolveError> {
    let mut seen: HashMap<&str, usize, foldhash::fast::RandomState> = HashMap::default();
    for (i, r) in records.iter().enumerate() {
        if r.id.trim().is_empty() {
            return Err(ResolveError::EmptyId { index: i });
        }
        if let Some(&first) = seen.get(r.id.as_str()) {
            return Err(ResolveError::DuplicateId {
                id: r.id.clone(),
                first,
                second: i,
            });
        }
        seen.insert(r.id.as_str(), i);
    }
    let mut t = Table::new(settings.attr_names.len());
    push_all(&mut t, records, settings.threads(), &mut Vec::new())?;
    Ok(t)
}

/// Comparison vectors of random pairs (all pairs when there are few), on `threads` threads.
pub(crate) fn random_sample(
    t: &Table,
    hubs: &[u8],
    cmps: &[Comparison],
    want: u64,
    seed: u64,
    threads: usize,
) -> Result<Vec<Gamma>, ResolveError> {
    let n = t.len() as u64;
    let all = n * n.saturating_sub(1) / 2;
    if all <= want {
        let mut out = Vec::with_capacity(all as usize);
        for a in 0..n as usize {
            for b in a + 1..n as usize {
                out.push(compare::gamma(t, hubs, cmps, a, b));
            }
        }
        return Ok(out);
    }
    // a fixed number of chunks, each with its own seed, shared out between the threads: the
    // sample is the same whatever the number of cores
    const CHUNKS: u64 = 16;
    let per = want.div_ceil(CHUNKS);
    let threads = threads.clamp(1, CHUNKS as usize);
    let parts: Vec<Vec<Vec<Gamma>>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|th| {
                s.spawn(move || {
                    (0..CHUNKS)
                        .filter(|c| *c as usize % threads == th)
                        .map(|c| {
                            let mut rng = SplitMix(seed ^ (c + 1).wrapping_mul(0x9e37_79b9));
                            let mut out = Vec::with_capacity(per as usize);
                            while (out.len() as u64) < per {
                                let a = rng.below(n) as usize;
                                let b = rng.below(n) as usize;
                                if a != b {
                                    out.push(compare::gamma(t, hubs, cmps, a.min(b), a.max(b)));
                                }
                            }
                            out
                        })
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().map_err(|_| thread_failed("sampling")))
            .collect::<Result<Vec<_>, _>>()
    })?;
    Ok(parts.into_iter().flatten().flatten().collect())
}

/// Training pairs taken per blocking rule (a deterministic sample when a rule has more).
const TRAINING_PAIRS_PER_RULE: u64 = 25_000;

/// Comparison-vector counts for EM, keyed by rule.
pub(crate) type PatternCounts = HashMap<(u16, Gamma), u64, foldhash::fast::RandomState>;

/// Calls `f(state, a, b)` for every pair in the blocks of applied rule `k`, on `threads`
/// threads (blocks shared out by their pairs), each thread with its own state.
fn each_pair<S: Send>(
    blocks: &blocking::Blocks,
    k: usize,
    threads: usize,
    init: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, usize, usize) + Sync,
) -> Result<Vec<S>, ResolveError> {
    let Some(members) = blocks.members.get(k) else {
        return Ok(Vec::new());
    };
    let per_thread = members.pairs().div_ceil(threads.max(1) as u64).max(1);
    let mut ranges = Vec::new();
    let (mut lo, mut acc) = (0usize, 0u64);
    for b in 0..members.len() {
        let n = members.block(b).len() as u64;
        acc += n * (n - 1) / 2;
        if acc >= per_thread {
            ranges.push(lo..b + 1);
            lo = b + 1;
            acc = 0;
        }
    }
    if lo < members.len() {
        ranges.push(lo..members.len());
    }
    let (init, f) = (&init, &f);
    std::thread::scope(|s| {
        let handles: Vec<_> = ranges
            .into_iter()
            .map(|range| {
                s.spawn(move || {
                    let mut state = init();
                    for m in members.blocks(range) {
                        for i in 0..m.len() {
                            for j in i + 1..m.len() {
                                let (a, b) = (m[i] as usize, m[j] as usize);
                                f(&mut state, a, b);
                            }
                        }
                    }
                    state
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().map_err(|_| thread_failed("comparison")))
            .collect()
    })
}

/// The training sample: per rule, a hash sample of all its pairs (those earlier rules took
/// included: a rule's pairs without them would never agree on the earlier rules' keys, and EM
/// would learn that one person's records never share a name), and of those the ones that are
/// the rule's own candidates, with each rule's sampling factor.
fn training_sample(
    t: &Table,
    hubs: &[u8],
    cmps: &[Comparison],
    blocks: &blocking::Blocks,
    threads: usize,
) -> Result<(PatternCounts, PatternCounts, Vec<f64>), ResolveError> {
    let mut all: PatternCounts = HashMap::default();
    let mut own: PatternCounts = HashMap::default();
    let mut factors = Vec::new();
    for k in 0..blocks.members.len() {
        let every = blocks.members[k]
            .pairs()
            .div_ceil(TRAINING_PAIRS_PER_RULE)
            .max(1);
        factors.push(every as f64);
        let parts = each_pair(
            blocks,
            k,
            threads,
            || (PatternCounts::default(), PatternCounts::default()),
            |(all, own), a, b| {
                if every > 1 && !pair_hash(a, b).is_multiple_of(every) {
                    return;
                }
                let g = compare::gamma(t, hubs, cmps, a, b);
                *all.entry((k as u16, g)).or_insert(0) += 1;
                if !blocks.earlier(k, a, b) {
                    *own.entry((k as u16, g)).or_insert(0) += 1;
                }
            },
        )?;
        for (a, o) in parts {
            for (key, c) in a {
                *all.entry(key).or_insert(0) += c;
            }
            for (key, c) in o {
                *own.entry(key).or_insert(0) += c;
            }
        }
    }
    Ok((all, own, factors))
}

/// What scoring the candidates keeps: links and cannot-links.
#[derive(Default)]
struct Scored {
    edges: Vec<(f64, u32, u32)>,
    cannot: Vec<(u32, u32)>,
    pairs: u64,
}

/// Compares and scores every candidate pair (each under the first rule that generates it)
/// without keeping the pairs: only links and cannot-links are kept.
#[allow(clippy::too_many_arguments)]
fn score_candidates(
    t: &Table,
    hubs: &[u8],
    blocks: &blocking::Blocks,
    scorer: &model::Scorer<'_>,
    anchors: Anchors,
    (link_w, cannot_w): (f64, f64),
    threads: usize,
) -> Result<(Scored, Vec<u64>), ResolveError> {
    let cmps = scorer.comparisons();
    let mut out = Scored::default();
    let mut per_rule = Vec::new();
    for k in 0..blocks.members.len() {
        let parts = each_pair(blocks, k, threads, Scored::default, |s, a, b| {
            if blocks.earlier(k, a, b) {
                return;
            }
            s.pairs += 1;
            let (a32, b32) = (a as u32, b as u32);
            if cannot_w == f64::NEG_INFINITY {
                // only the veto and links matter: strings are read only when they can change
                // either (same outcome as the full comparison below)
                match judge(t, hubs, scorer, &anchors, link_w, a, b) {
                    Verdict::Cannot => s.cannot.push((a32, b32)),
                    Verdict::Link(w) => s.edges.push((w, a32, b32)),
                    Verdict::Neither => {}
                }
                return;
            }
            let g = compare::gamma(t, hubs, cmps, a, b);
            if anchors.veto(g) {
                s.cannot.push((a32, b32));
                return;
            }
            let w = scorer.weight(t, g, a);
            if w >= link_w {
                s.edges.push((w, a32, b32));
            } else if w < cannot_w {
                s.cannot.push((a32, b32));
            }
        })?;
        let mut n = 0;
        for p in parts {
            n += p.pairs;
            out.edges.extend(p.edges);
            out.cannot.extend(p.cannot);
        }
        out.pairs += n;
        per_rule.push(n);
    }
    Ok((out, per_rule))
}

/// What the candidate pass does with one pair.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Verdict {
    /// The identity anchors clash: a cannot-link.
    Cannot,
    /// A link of this weight.
    Link(f64),
    /// Neither: kept out of the clustering.
    Neither,
}

/// Room for rounding between the bound and the weight summed in another order.
const BOUND_SLACK: f64 = 1e-6;

/// The verdict on pair `(a, b)`, the same as comparing every attribute and scoring the
/// vector, with the fuzzy (string) comparisons done only when their levels can change it:
/// the veto needs names and the national id only when neither the national id nor the date
/// of birth agrees, and the other fuzzy levels are read only when the weight, with each of
/// them at its most favourable level, could still reach `link_w`.
fn judge(
    t: &Table,
    hubs: &[u8],
    scorer: &model::Scorer<'_>,
    anchors: &Anchors,
    link_w: f64,
    a: usize,
    b: usize,
) -> Verdict {
    let cmps = scorer.comparisons();
    let hub = hubs.get(a).copied().unwrap_or(0) & hubs.get(b).copied().unwrap_or(0);
    let mut g: Gamma = 0;
    let mut pending = 0u32;
    for (i, &c) in cmps.iter().enumerate() {
        match compare::cheap_level(t, c, hub, a, b) {
            Some(l) => g |= (l as u64) << (4 * i),
            None => pending |= 1 << i,
        }
    }
    // the level of pending comparison `i` (names are read together)
    let mut names = None;
    let mut fuzzy = |c: Comparison| match c {
        Comparison::GivenName => names.get_or_insert_with(|| compare::name_levels(t, a, b)).0,
        Comparison::FamilyName => names.get_or_insert_with(|| compare::name_levels(t, a, b)).1,
        // both values present and different: never level 1, so no hub masking
        _ => compare::level(t, c, a, b),
    };
    let known = |g: Gamma, p: Option<usize>| p.map_or(0, |i| level_of(g, i));
    let nid_equal = anchors
        .nid
        .is_some_and(|i| pending & (1 << i) == 0 && level_of(g, i) == 1);
    if !nid_equal && !matches!(known(g, anchors.dob), 1 | 2) {
        // the veto may apply: it needs the names and the national id
        for i in [anchors.given, anchors.family, anchors.nid]
            .into_iter()
            .flatten()
        {
            if pending & (1 << i) != 0 {
                g |= (fuzzy(cmps[i]) as u64) << (4 * i);
                pending &= !(1 << i);
            }
        }
        if anchors.veto(g) {
            return Verdict::Cannot;
        }
    }
    if pending != 0 {
        // the weight so far (pending levels count 0) and the most the pending ones can add;
        // the fuzzy comparisons with the most to add are read first, and reading stops as
        // soon as the pair cannot reach a link
        let mut w = scorer.weight(t, g, a);
        let mut order = [(0.0f64, 0usize); compare::MAX_COMPARISONS];
        let mut n = 0;
        for i in (0..cmps.len()).filter(|i| pending & (1 << i) != 0) {
            if let Some(slot) = order.get_mut(n) {
                *slot = (scorer.most(i), i);
                n += 1;
            }
        }
        let order = order.get_mut(..n).unwrap_or_default();
        let mut room: f64 = order.iter().map(|(m, _)| m).sum();
        order.sort_unstable_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        for &mut (most, i) in order {
            if w + room + BOUND_SLACK < link_w {
                return Verdict::Neither;
            }
            let l = fuzzy(cmps[i]);
            g |= (l as u64) << (4 * i);
            w += scorer.contribution(t, i, l, a);
            room -= most;
        }
    }
    let w = scorer.weight(t, g, a);
    if w >= link_w {
        Verdict::Link(w)
    } else {
        Verdict::Neither
    }
}

fn pair_hash(a: usize, b: usize) -> u64 {
    let mut r = SplitMix(((a as u64) << 32) ^ b as u64);
    r.next()
}

/// Groups clusters that share hubs into rings.
pub(crate) fn rings(cluster_of: &[u32], hubs: &[Hub]) -> Vec<Ring> {
    let n_clusters = cluster_of
        .iter()
        .map(|&c| c as usize + 1)
        .max()
        .unwrap_or(0);
    let mut uf = cluster::Clusters::new(n_clusters);
    // a national id typed for many identities is a placeholder, not shared infrastructure
    for h in hubs.iter().filter(|h| h.kind != HubKind::NationalId) {
        let mut it = h.records.iter().map(|&r| cluster_of[r as usize] as usize);
        if let Some(first) = it.next() {
            for c in it {
                uf.link(first, c);
            }
        }
    }
    // records and hubs per root cluster, only for clusters touched by a hub
    let mut ring_of_root = vec![u32::MAX; n_clusters];
    let mut acc: Vec<(Vec<u32>, Vec<usize>)> = Vec::new();
    for (k, h) in hubs.iter().enumerate() {
        if h.kind == HubKind::NationalId {
            continue;
        }
        if let Some(&r) = h.records.first() {
            let root = uf.find(cluster_of[r as usize] as usize);
            if ring_of_root[root] == u32::MAX {
                ring_of_root[root] = acc.len() as u32;
                acc.push((Vec::new(), Vec::new()));
            }
            acc[ring_of_root[root] as usize].1.push(k);
        }
    }
    for (r, &c) in cluster_of.iter().enumerate() {
        let root = uf.find(c as usize);
        if let Some(slot) = acc.get_mut(ring_of_root[root] as usize) {
            slot.0.push(r as u32);
        }
    }
    let mut out: Vec<Ring> = acc
        .into_iter()
        .filter_map(|(records, hub_ids)| {
            let mut people: Vec<u32> = records.iter().map(|&r| cluster_of[r as usize]).collect();
            people.sort_unstable();
            people.dedup();
            (people.len() >= 2).then(|| Ring {
                id: String::new(),
                records,
                people: people.len(),
                hubs: hub_ids,
            })
        })
        .collect();
    out.sort_by_key(|r| r.records.first().copied());
    for (i, r) in out.iter_mut().enumerate() {
        r.id = format!("ring-{}", i + 1);
    }
    out
}

/// Resolves `records`: clusters of one person, hubs and rings.
pub fn resolve(records: &[Record], settings: &Settings) -> Result<Resolution, ResolveError> {
    settings.validate()?;
    let t = build_table(records, settings)?;
    run(t, settings).map(|(res, _)| res)
}

/// What an [`Index`] keeps of a batch run.
pub(crate) struct State {
    pub table: Table,
    pub hub_flags: Vec<u8>,
    pub model: Model,
    pub clusters: cluster::Clusters,
    pub rules: Vec<Rule>,
}

pub(crate) fn run(mut t: Table, settings: &Settings) -> Result<(Resolution, State), ResolveError> {
    settings.validate()?;
    t.build_rows();
    let mut stats = Stats::default();
    let mut clock = Instant::now();
    let mut lap = |stats: &mut Stats, name: &str| {
        stats
            .seconds
            .push((name.to_string(), clock.elapsed().as_secs_f64()));
        clock = Instant::now();
    };

    stats.records = t.len();
    stats.field_issues = t.issues.clone();
    // normalising ran while the records were read: its own time, and how long the end of the
    // reading waited for it
    stats
        .seconds
        .push(("normalise (alongside reading)".into(), t.normalise_seconds));
    stats.seconds.push((
        "wait for normalisation after reading".into(),
        t.waited_seconds,
    ));
    lap(&mut stats, "rows");

    let (hub_flags, hub_list) = hubs::find(
        &t,
        settings.hub_min_identities,
        settings.national_id_placeholder_identities,
    );
    lap(&mut stats, "hubs");

    let cmps = compare::active(&t);
    let rules = settings
        .rules
        .clone()
        .unwrap_or_else(|| blocking::default_rules(settings.attr_names.len()));
    let budget = settings
        .pair_budget
        .unwrap_or_else(|| (12 * t.len() as u64).max(1_000_000));
    let threads = settings.threads();
    let blocks = blocking::assign(&t, &hub_flags, &rules, settings.max_block, budget, threads);
    let (counts, own, factors) = training_sample(&t, &hub_flags, &cmps, &blocks, threads)?;
    lap(&mut stats, "blocking and training sample");

    let sample = random_sample(
        &t,
        &hub_flags,
        &cmps,
        settings.u_sample_pairs,
        settings.seed,
        threads,
    )?;
    let u0 = model::u_from_sample(&cmps, &sample);
    let training = model::Training {
        counts,
        candidates: own,
        candidate_factors: factors,
        masks: blocks
            .rules
            .iter()
            .map(|r| blocking::comparison_mask(r, &cmps))
            .collect(),
        records: t.len() as u64,
    };
    let model = model::fit(
        &cmps,
        &training,
        u0,
        sample.len() as u64,
        model::EmOptions {
            max_iterations: settings.max_em_iterations,
            tolerance: 1e-6,
        },
    );
    drop(sample);
    drop(training);
    lap(&mut stats, "model");

    let anchors = Anchors::of(&cmps);
    let link_w = (settings.threshold / (1.0 - settings.threshold)).log2();
    let cannot_w = if settings.cannot_link_below > 0.0 {
        (settings.cannot_link_below / (1.0 - settings.cannot_link_below)).log2()
    } else {
        f64::NEG_INFINITY
    };
    let scorer = model::Scorer::new(&model);
    let (scored_out, per_rule) = score_candidates(
        &t,
        &hub_flags,
        &blocks,
        &scorer,
        anchors,
        (link_w, cannot_w),
        threads,
    )?;
    drop(scorer);
    let mut reports = blocks.reports.clone();
    let mut applied = per_rule.into_iter();
    for r in reports.iter_mut().filter(|r| r.applied) {
        r.new_pairs = applied.next().unwrap_or(0);
    }
    stats.blocking = reports;
    stats.candidate_pairs = scored_out.pairs;
    let Scored {
        mut edges, cannot, ..
    } = scored_out;
    lap(&mut stats, "comparison and scoring");

    let mut uf = cluster::Clusters::new(t.len());
    // a cannot-link matters only between records that each have a link: a record without one
    // stays alone whatever it cannot join (this keeps the lists small at scale)
    let mut linked = vec![false; t.len()];
    for &(_, a, b) in &edges {
        linked[a as usize] = true;
        linked[b as usize] = true;
    }
    stats.cannot_links = cannot.len() as u64;
    for (a, b) in cannot {
        if linked[a as usize] && linked[b as usize] {
            uf.cannot_link(a as usize, b as usize);
        }
    }
    edges.sort_unstable_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    stats.links = edges.len() as u64;
    for &(_, a, b) in &edges {
        uf.link(a as usize, b as usize);
    }
    stats.refused_merges = uf.refused;
    let cluster_of = uf.labels();
    lap(&mut stats, "clustering");

    let n_clusters = cluster_of
        .iter()
        .map(|&c| c as usize + 1)
        .max()
        .unwrap_or(0);
    let mut cluster_ids = vec![String::new(); n_clusters];
    let mut sizes = vec![0usize; n_clusters];
    for (r, &c) in cluster_of.iter().enumerate() {
        if sizes[c as usize] == 0 {
            cluster_ids[c as usize] = t.ids[r].to_string();
        }
        sizes[c as usize] += 1;
    }
    let ring_list = rings(&cluster_of, &hub_list);
    stats.clusters = n_clusters;
    stats.multi_record_clusters = sizes.iter().filter(|&&s| s >= 2).count();
    stats.largest_cluster = sizes.iter().copied().max().unwrap_or(0);
    stats.hubs = hub_list.len();
    stats.rings = ring_list.len();
    lap(&mut stats, "rings");

    let stats_rules = stats.blocking.clone();
    let res = Resolution {
        ids: t.ids.iter().map(|s| s.to_string()).collect(),
        cluster_of,
        cluster_ids,
        links: edges
            .iter()
            .map(|&(w, a, b)| Link {
                a,
                b,
                probability: model::probability(w),
            })
            .collect(),
        hubs: hub_list,
        rings: ring_list,
        model: model.clone(),
        stats,
    };
    let state = State {
        table: t,
        hub_flags,
        model,
        clusters: uf,
        rules: rules
            .iter()
            .zip(&stats_rules)
            .filter(|(_, r)| !r.over_budget)
            .map(|(rule, _)| rule.clone())
            .collect(),
    };
    Ok((res, state))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: &str, given: &str, family: &str, dob: &str) -> Record {
        Record {
            id: id.into(),
            given_name: Some(given.into()),
            family_name: Some(family.into()),
            date_of_birth: Some(dob.into()),
            ..Record::default()
        }
    }

    /// The first 500 records of fake_1000 with identifiers added: typos, shared values (hubs)
    /// and placeholders, so every comparison takes every level.
    fn identifier_records() -> Result<Vec<Record>, ResolveError> {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fake_1000.csv");
        let map = input::parse_columns(
            "record_id=person_id,first_name=given_name,surname=family_name,dob=date_of_birth",
        )?;
        let mut records = input::read_people(&path, &map)?.records;
        records.truncate(500);
        for (i, r) in records.iter_mut().enumerate() {
            let person = i / 2;
            let mut nid = format!("{:09}", 100_000_007 + person * 7_919);
            if i % 7 == 0 {
                nid.replace_range(8..9, if nid.ends_with('1') { "2" } else { "1" });
            }
            r.national_id = (i % 11 != 0).then_some(nid);
            r.phone = Some(if i % 40 == 0 {
                "702 555 0123".to_string()
            } else {
                format!(
                    "212 555 {:04}",
                    (person * 37 + usize::from(i % 9 == 0)) % 10_000
                )
            });
            r.address_line1 = Some(format!(
                "{} Main {}",
                10 + person % 90,
                if i % 5 == 0 { "St" } else { "Street" }
            ));
            r.postal_code = Some(format!("{:05}", 10_000 + (person % 60) * 13));
            r.city = Some(["Springfield", "Portland", "Salem"][person % 3].to_string());
            r.bank_account = (i % 3 != 0).then(|| format!("ACCT{:06}", person % 150));
        }
        Ok(records)
    }

    /// Links are written strongest first, equally strong ones in record order; that order
    /// and every weight must not change from one run to the next.
    #[test]
    fn the_model_is_the_same_in_every_run() -> Result<(), ResolveError> {
        let records = identifier_records()?;
        let first = resolve(&records, &Settings::default())?;
        let probs = |r: &Resolution| -> Vec<(u32, u32, u64)> {
            r.links
                .iter()
                .map(|l| (l.a, l.b, l.probability.to_bits()))
                .collect()
        };
        for _ in 0..4 {
            let again = resolve(&records, &Settings::default())?;
            assert_eq!(again.model.lambda.to_bits(), first.model.lambda.to_bits());
            assert_eq!(probs(&again), probs(&first));
        }
        assert!(first.links.len() > 100, "links: {}", first.links.len());
        Ok(())
    }

    /// The candidate pass reads fuzzy comparisons only when they can change the outcome; its
    /// verdicts must be those of comparing everything, for every pair and threshold.
    #[test]
    fn judge_agrees_with_the_full_comparison() -> Result<(), ResolveError> {
        let records = identifier_records()?;
        let settings = Settings::default();
        let res = resolve(&records, &settings)?;
        let mut t = build_table(&records, &settings)?;
        t.build_rows();
        let (hub_flags, _) = hubs::find(
            &t,
            settings.hub_min_identities,
            settings.national_id_placeholder_identities,
        );
        let scorer = model::Scorer::new(&res.model);
        let cmps = scorer.comparisons();
        assert!(cmps.len() >= 9, "every comparison is active: {cmps:?}");
        let anchors = Anchors::of(cmps);
        let mut seen = [0u64; 3];
        for p in [0.5f64, 0.95, 0.999_999] {
            let link_w = (p / (1.0 - p)).log2();
            for a in 0..t.len() {
                for b in a + 1..t.len() {
                    let g = compare::gamma(&t, &hub_flags, cmps, a, b);
                    let full = if anchors.veto(g) {
                        Verdict::Cannot
                    } else {
                        let w = scorer.weight(&t, g, a);
                        if w >= link_w {
                            Verdict::Link(w)
                        } else {
                            Verdict::Neither
                        }
                    };
                    let quick = judge(&t, &hub_flags, &scorer, &anchors, link_w, a, b);
                    assert_eq!(quick, full, "pair ({a}, {b}) at threshold {p}");
                    seen[match full {
                        Verdict::Cannot => 0,
                        Verdict::Link(_) => 1,
                        Verdict::Neither => 2,
                    }] += 1;
                }
            }
        }
        assert!(
            seen.iter().all(|&n| n > 100),
            "every verdict occurs often: {seen:?}"
        );
        Ok(())
    }

    #[test]
    fn ids_must_be_unique_and_present() {
        let r = vec![rec("a", "A", "B", "1990-01-01"), rec("a", "C", "D", "")];
        assert!(matches!(
            resolve(&r, &Settings::default()),
            Err(ResolveError::DuplicateId { .. })
        ));
        let r = vec![rec(" ", "A", "B", "1990-01-01")];
        assert!(matches!(
            resolve(&r, &Settings::default()),
            Err(ResolveError::EmptyId { index: 0 })
        ));
    }

    #[test]
    fn bad_settings_are_refused() {
        let s = Settings {
            threshold: 1.5,
            ..Settings::default()
        };
        assert!(resolve(&[], &s).is_err());
    }

    #[test]
    fn empty_input_resolves_to_nothing() -> Result<(), ResolveError> {
        let res = resolve(&[], &Settings::default())?;
        assert!(res.cluster_of.is_empty());
        assert_eq!(res.stats.clusters, 0);
        Ok(())
    }

    #[test]
    fn veto_needs_clashing_anchors() {
        let cmps = [
            Comparison::GivenName,
            Comparison::FamilyName,
            Comparison::DateOfBirth,
            Comparison::NationalId,
        ];
        let a = Anchors::of(&cmps);
        let g = |given: u64, family: u64, dob: u64, nid: u64| {
            given | family << 4 | dob << 8 | nid << 12
        };
        assert!(a.veto(g(4, 4, 0, 0))); // a completely different name, nothing agrees
        assert!(!a.veto(g(4, 1, 1, 1))); // only the given name differs, one national id
        assert!(!a.veto(g(4, 1, 1, 2))); // twins with consecutive national ids: the model
        assert!(!a.veto(g(4, 1, 1, 0))); // twins without national ids: left to the model
        assert!(!a.veto(g(1, 4, 1, 0))); // married name
        assert!(a.veto(g(4, 1, 4, 0))); // given name and date of birth
        assert!(a.veto(g(1, 1, 4, 3))); // date of birth and national id (same name)
        assert!(!a.veto(g(1, 1, 4, 0))); // same name, dob apart, no national id
        assert!(!a.veto(g(1, 1, 1, 3))); // a miskeyed national id
        assert!(!a.veto(g(0, 0, 4, 0)));
        assert!(!a.veto(g(4, 4, 4, 1))); // one national id: one claimed identity
        assert!(!a.veto(g(4, 4, 1, 0))); // other names, one birth date: left to the model
        assert!(a.veto(g(4, 4, 0, 2))); // other names, consecutive national ids
        assert!(!a.veto(g(4, 3, 1, 2))); // given name replaced, family name mistyped
    }
}
