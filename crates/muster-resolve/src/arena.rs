//! Strings stored end to end in one buffer, and a set of them.
//!
//! Reading a million records interns a few million distinct values (ids, national ids, emails,
//! streets). One heap allocation per value made the allocator and the kernel's page zeroing a
//! fifth of the read; an arena appends to one growing buffer instead and keeps the values
//! next to each other.
//!
//! Each string has a 16-byte view (as Arrow's string views and Umbra's strings): its length
//! and, for a string of at most 12 bytes, the string itself; a longer one keeps its first 4
//! bytes and its offset in the shared buffer. Interning and comparing read a random value
//! many millions of times, and each read is a cache miss: a short value (a name, a phone
//! number, a national id, a postcode) now costs one miss, where a table of end offsets and a
//! buffer cost two, and two different values of equal length are told apart by their first
//! bytes without reading the buffer.

use std::hash::BuildHasher;

/// Bytes held in the view itself.
const INLINE: usize = 12;

/// One string: `len`, then the bytes (at most [`INLINE`]) or the first 4 bytes and the
/// offset in [`StrArena::bytes`] (little-endian `u64`).
#[derive(Debug, Default, Clone, Copy)]
struct View {
    len: u32,
    data: [u8; INLINE],
}

impl View {
    fn offset(&self) -> usize {
        let mut o = [0u8; 8];
        o.copy_from_slice(&self.data[4..12]);
        usize::try_from(u64::from_le_bytes(o)).unwrap_or(usize::MAX)
    }
}

/// Strings appended to one buffer; the `i`-th is `get(i)`.
#[derive(Debug, Default, Clone)]
pub(crate) struct StrArena {
    /// The strings longer than [`INLINE`] bytes, end to end.
    bytes: String,
    views: Vec<View>,
}

impl StrArena {
    /// Appends `s`; returns its index. A string longer than 4 GiB is cut to its first 4 GiB
    /// (at a character boundary): no field of a people record comes near that.
    pub fn push(&mut self, s: &str) -> usize {
        let mut cut = s.len().min(u32::MAX as usize);
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        let s = s.get(..cut).unwrap_or("");
        let mut v = View {
            len: cut as u32,
            data: [0; INLINE],
        };
        if cut <= INLINE {
            v.data[..cut].copy_from_slice(s.as_bytes());
        } else {
            v.data[..4].copy_from_slice(&s.as_bytes()[..4]);
            v.data[4..].copy_from_slice(&(self.bytes.len() as u64).to_le_bytes());
            self.bytes.push_str(s);
        }
        self.views.push(v);
        self.views.len() - 1
    }

    /// The `i`-th string ("" when out of range).
    #[inline]
    pub fn get(&self, i: usize) -> &str {
        let Some(v) = self.views.get(i) else {
            return "";
        };
        let len = v.len as usize;
        if len <= INLINE {
            let bytes = v.data.get(..len).unwrap_or_default();
            // SAFETY: `push` is the only writer of a view. For `len <= INLINE` it copies all
            // `len` bytes of a `&str` (cut at a character boundary) into `data[..len]`, so they
            // are valid UTF-8. Checking them again here cost 3% of a 1M-record resolution.
            unsafe { std::str::from_utf8_unchecked(bytes) }
        } else {
            let start = v.offset();
            self.bytes
                .get(start..start.saturating_add(len))
                .unwrap_or("")
        }
    }

    /// Whether the `i`-th string is `s`, reading the buffer only when the length and the
    /// first bytes agree.
    #[inline]
    pub fn is(&self, i: usize, s: &str) -> bool {
        let Some(v) = self.views.get(i) else {
            return false;
        };
        let (len, b) = (v.len as usize, s.as_bytes());
        if len != b.len() {
            return false;
        }
        if len <= INLINE {
            // `push` zero-fills the rest of `data`: one fixed-size comparison, no call
            let mut padded = [0u8; INLINE];
            padded[..len].copy_from_slice(b);
            return v.data == padded;
        }
        if v.data.get(..4) != b.get(..4) {
            return false;
        }
        let start = v.offset();
        self.bytes.as_bytes().get(start..start.saturating_add(len)) == Some(b)
    }

    /// Bytes in the shared buffer (the strings longer than [`INLINE`]).
    pub fn bytes(&self) -> usize {
        self.bytes.len()
    }

    /// Room for `n` more strings that add about `avg` bytes each to the shared buffer (0 for
    /// strings of at most [`INLINE`] bytes).
    pub fn reserve(&mut self, n: usize, avg: usize) {
        self.views.reserve(n);
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
        if let Some(&i) = self.table.find(hash, |&i| keys.is(i as usize, key)) {
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
        fn arena_returns_what_was_pushed(v in proptest::collection::vec(".{0,20}", 0..40)) {
            let mut a = StrArena::default();
            for (i, s) in v.iter().enumerate() {
                prop_assert_eq!(a.push(s), i);
            }
            for (i, s) in v.iter().enumerate() {
                prop_assert_eq!(a.get(i), s.as_str());
            }
            prop_assert_eq!(a.get(v.len()), "");
            let bytes: usize = v.iter().map(String::len).filter(|&l| l > INLINE).sum();
            prop_assert_eq!(a.bytes(), bytes);
        }

        // short (inline) and long strings, equal lengths and shared first bytes: `is` must
        // agree with comparing the strings
        #[test]
        fn is_agrees_with_equality(
            v in proptest::collection::vec("(abcd|abce)?[ab]{0,14}", 1..30),
            probe in "(abcd|abce)?[ab]{0,14}",
        ) {
            let mut a = StrArena::default();
            for s in &v {
                a.push(s);
            }
            for (i, s) in v.iter().enumerate() {
                prop_assert!(a.is(i, s));
                prop_assert_eq!(a.is(i, &probe), s == &probe);
            }
            prop_assert!(!a.is(v.len(), &probe));
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
