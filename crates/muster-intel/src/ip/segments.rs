//! Sorted, non-overlapping inclusive address ranges with one value each, plus a 65,536-bucket
//! index on the top 16 address bits so that a lookup is a short binary search.
//!
//! Used by the ASN, country and user-tag tables. Input rows may be unsorted and may overlap
//! (ip-location-db's country files nest small geofeed ranges inside wider ones): the most
//! specific row wins, i.e. among the rows containing an address the one with the greatest
//! start, then the smallest end, then the last in input order. Adjacent rows with equal values
//! are merged.

use std::fmt::Debug;

/// An address as an unsigned integer (`u32` for IPv4, `u128` for IPv6).
pub(crate) trait Key: Copy + Ord + Debug + Default {
    /// The largest address of the family.
    const MAX: Self;
    /// The top 16 bits, as a bucket number.
    fn bucket(self) -> usize;
    /// `self + 1`, or `None` at the top of the space.
    fn succ(self) -> Option<Self>;
    /// `self - 1`, or `None` at zero.
    fn pred(self) -> Option<Self>;
}

impl Key for u32 {
    const MAX: Self = u32::MAX;
    #[inline]
    fn bucket(self) -> usize {
        (self >> 16) as usize
    }
    #[inline]
    fn succ(self) -> Option<Self> {
        self.checked_add(1)
    }
    #[inline]
    fn pred(self) -> Option<Self> {
        self.checked_sub(1)
    }
}

impl Key for u128 {
    const MAX: Self = u128::MAX;
    #[inline]
    fn bucket(self) -> usize {
        (self >> 112) as usize
    }
    #[inline]
    fn succ(self) -> Option<Self> {
        self.checked_add(1)
    }
    #[inline]
    fn pred(self) -> Option<Self> {
        self.checked_sub(1)
    }
}

const BUCKETS: usize = 1 << 16;

/// Tables smaller than this are searched without a bucket index.
const MIN_INDEXED: usize = 256;

/// The bucket index of sorted `starts`: entry `b` is the number of starts whose bucket
/// (top 16 bits) is `< b`; `BUCKETS + 1` entries, or none for a small table.
pub(crate) fn bucket_index<K: Key>(starts: &[K]) -> Vec<u32> {
    if starts.len() < MIN_INDEXED || u32::try_from(starts.len()).is_err() {
        return Vec::new();
    }
    let mut index = Vec::with_capacity(BUCKETS + 1);
    let mut i = 0usize;
    for b in 0..=BUCKETS {
        while starts.get(i).is_some_and(|s| s.bucket() < b) {
            i += 1;
        }
        index.push(u32::try_from(i).unwrap_or(u32::MAX)); // fits: checked above
    }
    index
}

/// Position of the last start `<= x` in sorted `starts`, using `index` from [`bucket_index`].
#[inline]
pub(crate) fn last_start_at_or_before<K: Key>(starts: &[K], index: &[u32], x: K) -> Option<usize> {
    if index.is_empty() {
        return starts.partition_point(|&s| s <= x).checked_sub(1);
    }
    let b = x.bucket();
    let (Some(&lo), Some(&hi)) = (index.get(b), index.get(b + 1)) else {
        return None;
    };
    let (lo, hi) = (lo as usize, hi as usize);
    let i = lo + starts.get(lo..hi)?.partition_point(|&s| s <= x);
    i.checked_sub(1)
}

/// Output rows, merging a row into the previous one when adjacent with an equal value.
struct Out<K, V> {
    starts: Vec<K>,
    ends: Vec<K>,
    vals: Vec<V>,
}

impl<K: Key, V: PartialEq> Out<K, V> {
    fn push(&mut self, start: K, end: K, val: V) {
        if let Some(last_end) = self.ends.last_mut()
            && last_end.succ() == Some(start)
            && self.vals.last() == Some(&val)
        {
            *last_end = end;
            return;
        }
        self.starts.push(start);
        self.ends.push(end);
        self.vals.push(val);
    }
}

/// Sorted non-overlapping inclusive ranges `starts[i]..=ends[i]` with value `vals[i]`.
#[derive(Debug, Clone, Default)]
pub(crate) struct SegTable<K, V> {
    starts: Vec<K>,
    ends: Vec<K>,
    vals: Vec<V>,
    /// `index[b]` = number of starts whose bucket is `< b`; `BUCKETS + 1` entries (empty for
    /// small tables).
    index: Vec<u32>,
}

impl<K: Key, V: Clone + PartialEq> SegTable<K, V> {
    /// Builds the table from `(start, end, value)` rows (see the module docs for overlaps).
    /// Rows with `start > end` are dropped.
    pub(crate) fn build(mut rows: Vec<(K, K, V)>) -> Self {
        rows.retain(|r| r.0 <= r.1);
        // Start ascending, then end descending: the row pushed last among those containing a
        // point is the most specific one.
        let order = |a: &(K, K, V), b: &(K, K, V)| a.0.cmp(&b.0).then(b.1.cmp(&a.1));
        if !rows.is_sorted_by(|a, b| order(a, b).is_le()) {
            rows.sort_by(order);
        }
        let mut out = Out {
            starts: Vec::with_capacity(rows.len()),
            ends: Vec::with_capacity(rows.len()),
            vals: Vec::with_capacity(rows.len()),
        };
        // Rows containing the next position to emit; the top is the winner once rows that
        // ended before that position are popped.
        let mut stack: Vec<(K, V)> = Vec::new();
        // Next position to emit; `None` once the top of the space has been emitted.
        let mut pos: Option<K> = Some(K::default());
        for (start, end, val) in rows {
            // Emit everything before `start` from the stack.
            while let (Some(p), Some((top_end, top_val))) = (pos, stack.last()) {
                if p >= start {
                    break;
                }
                if *top_end < p {
                    stack.pop();
                    continue;
                }
                let seg_end = match start.pred() {
                    Some(before) => (*top_end).min(before),
                    None => break,
                };
                out.push(p, seg_end, top_val.clone());
                pos = seg_end.succ();
            }
            if pos.is_some_and(|p| p < start) {
                pos = Some(start);
            }
            stack.push((end, val));
        }
        while let (Some(p), Some((top_end, top_val))) = (pos, stack.pop()) {
            if top_end < p {
                continue;
            }
            out.push(p, top_end, top_val);
            pos = top_end.succ();
        }
        let Out {
            mut starts,
            mut ends,
            mut vals,
        } = out;
        starts.shrink_to_fit();
        ends.shrink_to_fit();
        vals.shrink_to_fit();
        let index = bucket_index(&starts);
        SegTable {
            starts,
            ends,
            vals,
            index,
        }
    }

    /// The value of the range containing `x`.
    #[inline]
    pub(crate) fn get(&self, x: K) -> Option<&V> {
        let j = last_start_at_or_before(&self.starts, &self.index, x)?;
        if x <= *self.ends.get(j)? {
            self.vals.get(j)
        } else {
            None
        }
    }

    /// Number of ranges.
    pub(crate) fn len(&self) -> usize {
        self.starts.len()
    }

    /// The ranges, in order.
    #[cfg(test)]
    pub(crate) fn rows(&self) -> impl Iterator<Item = (K, K, &V)> + '_ {
        self.starts
            .iter()
            .zip(&self.ends)
            .zip(&self.vals)
            .map(|((s, e), v)| (*s, *e, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Linear scan: the containing row with the greatest start, then smallest end, then the
    /// last in input order.
    fn naive<K: Key, V: Clone>(rows: &[(K, K, V)], x: K) -> Option<V> {
        rows.iter()
            .enumerate()
            .filter(|(_, r)| r.0 <= x && x <= r.1)
            .max_by(|(i, a), (j, b)| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(i.cmp(j)))
            .map(|(_, r)| r.2.clone())
    }

    #[test]
    fn overlaps_and_merges() {
        let t = SegTable::build(vec![
            (10u32, 20u32, 1u8),
            (15, 30, 2),
            (12, 14, 3),
            (31, 40, 2),
            (0, u32::MAX, 9),
        ]);
        assert_eq!(t.get(5), Some(&9));
        assert_eq!(t.get(10), Some(&1));
        assert_eq!(t.get(12), Some(&3));
        assert_eq!(t.get(15), Some(&2));
        assert_eq!(t.get(31), Some(&2));
        assert_eq!(t.get(41), Some(&9));
        assert_eq!(t.get(u32::MAX), Some(&9));
        let t = SegTable::build(vec![(10u32, 20u32, 1u8), (15, 30, 2), (31, 40, 2)]);
        assert_eq!(t.rows().count(), 2);
        assert_eq!(t.get(14), Some(&1));
        assert_eq!(t.get(21), Some(&2));
        assert_eq!(t.get(41), None);
        assert_eq!(t.get(9), None);
        let empty: SegTable<u128, u8> = SegTable::build(Vec::new());
        assert_eq!(empty.get(7), None);
    }

    fn v4_rows() -> impl Strategy<Value = Vec<(u32, u32, u8)>> {
        // Addresses concentrated on a few buckets so that ranges overlap and cross buckets.
        let addr = prop_oneof![
            any::<u32>(),
            (0u32..4, any::<u16>()).prop_map(|(hi, lo)| (hi << 16) | u32::from(lo)),
            Just(0u32),
            Just(u32::MAX),
        ];
        proptest::collection::vec((addr.clone(), addr, 0u8..4), 0..40)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn v4_agrees_with_linear_scan(rows in v4_rows(), probes in proptest::collection::vec(any::<u32>(), 32)) {
            let t = SegTable::build(rows.clone());
            let mut probes = probes;
            for r in &rows {
                probes.extend([r.0, r.1, r.0.wrapping_sub(1), r.1.wrapping_add(1)]);
            }
            for x in probes {
                prop_assert_eq!(t.get(x).copied(), naive(&rows, x), "x = {}", x);
            }
        }

        #[test]
        fn v6_agrees_with_linear_scan(
            rows in proptest::collection::vec((0u128..1 << 114, 0u128..1 << 114, 0u8..3), 0..30),
            probes in proptest::collection::vec(0u128..1 << 114, 32),
        ) {
            let t = SegTable::build(rows.clone());
            let mut probes = probes;
            for r in &rows {
                probes.extend([r.0, r.1, r.1.saturating_add(1)]);
            }
            for x in probes {
                prop_assert_eq!(t.get(x).copied(), naive(&rows, x));
            }
        }
    }
}
