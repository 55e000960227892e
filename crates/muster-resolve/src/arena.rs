//! Strings stored end to end in one buffer, and a set of them.
//!
//! Reading a million records interns a few million distinct values (ids, national ids, emails,
//! streets). One heap allocation per value made the allocator and the kernel's page zeroing a
//! fifth of the read; an arena appends to one growing buffer instead and keeps the values
//! next to each other.

use std::hash::BuildHasher;

/// Strings appended to one buffer; the `i`-th is `get(i)`.
#[derive(Debug, Default, Clone)]
pub(crate) struct StrArena {
    bytes: String,
    /// End offset of each string in `bytes`.
    ends: Vec<usize>,
}

impl StrArena {
    /// Appends `s`; returns its index.
    pub fn push(&mut self, s: &str) -> usize {
        self.bytes.push_str(s);
        self.ends.push(self.bytes.len());
        self.ends.len() - 1
    }

    /// The `i`-th string ("" when out of range).
    #[inline]
    pub fn get(&self, i: usize) -> &str {
        let Some(&end) = self.ends.get(i) else {
            return "";
        };
        let start = match i {
            0 => 0,
            _ => self.ends.get(i - 1).copied().unwrap_or(0),
        };
        // ends are char boundaries: each is the length of `bytes` after a whole `&str`
        self.bytes.get(start..end).unwrap_or("")
    }

    /// Bytes of all strings.
    pub fn bytes(&self) -> usize {
        self.bytes.len()
    }

    /// Room for `n` more strings of about `avg` bytes.
    pub fn reserve(&mut self, n: usize, avg: usize) {
        self.ends.reserve(n);
        self.bytes.reserve(n.saturating_mul(avg));
    }
}

/// Distinct strings, each with a value (e.g. the line it was first seen on).
#[derive(Debug, Default, Clone)]
pub(crate) struct StrMap<V> {
    table: hashbrown::HashTable<u32>,
    hasher: foldhash::fast::FixedState,
    keys: StrArena,
    values: Vec<V>,
}

impl<V: Copy> StrMap<V> {
    /// A map sized for about `n` keys of about `avg` bytes.
    pub fn with_capacity(n: usize, avg: usize) -> Self {
        let mut keys = StrArena::default();
        keys.reserve(n, avg);
        StrMap {
            table: hashbrown::HashTable::with_capacity(n),
            hasher: foldhash::fast::FixedState::default(),
            keys,
            values: Vec::with_capacity(n),
        }
    }

    /// The value of `key` if it is present; otherwise inserts `value` and returns `None`.
    pub fn get_or_insert(&mut self, key: &str, value: V) -> Option<V> {
        let hash = self.hasher.hash_one(key);
        let keys = &self.keys;
        if let Some(&i) = self.table.find(hash, |&i| keys.get(i as usize) == key) {
            return self.values.get(i as usize).copied();
        }
        let i = self.keys.push(key) as u32;
        self.values.push(value);
        let (keys, hasher) = (&self.keys, &self.hasher);
        self.table
            .insert_unique(hash, i, |&j| hasher.hash_one(keys.get(j as usize)));
        None
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.values.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn arena_returns_what_was_pushed(v in proptest::collection::vec(".{0,8}", 0..40)) {
            let mut a = StrArena::default();
            for (i, s) in v.iter().enumerate() {
                prop_assert_eq!(a.push(s), i);
            }
            for (i, s) in v.iter().enumerate() {
                prop_assert_eq!(a.get(i), s.as_str());
            }
            prop_assert_eq!(a.get(v.len()), "");
        }

        #[test]
        fn map_keeps_the_first_value(v in proptest::collection::vec("[a-c]{0,3}", 0..60)) {
            let mut m = StrMap::with_capacity(4, 2);
            let mut first = std::collections::HashMap::new();
            for (i, s) in v.iter().enumerate() {
                let got = m.get_or_insert(s, i);
                prop_assert_eq!(got, first.get(s).copied());
                first.entry(s.clone()).or_insert(i);
            }
            prop_assert_eq!(m.len(), first.len());
        }
    }
}
