//! User tag lists: any number of [`IpList`]s, each with a tag name and a source label, merged
//! into one segment table whose ranges carry the set of tags covering them.

use std::collections::HashMap;
use std::fmt;

use super::list::IpList;
use super::segments::{Key, SegTable};

/// A tag from a user-supplied address list, e.g. tag `known_bad` with source
/// `Mandiant 2025 DPRK IT worker VPN exits`, or tag `corporate_egress` with source `config`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserTag {
    /// The tag name (e.g. `known_bad`).
    pub tag: String,
    /// Where the list came from (free text shown to analysts).
    pub source: String,
}

impl fmt::Display for UserTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.tag, self.source)
    }
}

/// The merged user tag lists.
#[derive(Debug, Clone, Default)]
pub(crate) struct UserTags {
    tags: Vec<UserTag>,
    /// Sets of indices into `tags`, deduplicated.
    sets: Vec<Box<[u32]>>,
    v4: SegTable<u32, u32>,
    v6: SegTable<u128, u32>,
}

impl UserTags {
    /// Merges `lists`. Lists with the same tag and source are united.
    pub(crate) fn build(lists: &[(UserTag, IpList)]) -> UserTags {
        let mut tags: Vec<UserTag> = Vec::new();
        let mut v4_lists: Vec<(u32, Vec<(u32, u32)>)> = Vec::new();
        let mut v6_lists: Vec<(u32, Vec<(u128, u128)>)> = Vec::new();
        for (tag, list) in lists {
            let id = match tags.iter().position(|t| t == tag) {
                Some(i) => i,
                None => {
                    tags.push(tag.clone());
                    tags.len() - 1
                }
            };
            let id = u32::try_from(id).unwrap_or(u32::MAX);
            let tables = list.tables();
            v4_lists.push((id, tables.v4.segments().collect()));
            v6_lists.push((id, tables.v6.segments().collect()));
        }
        let mut sets = SetInterner::default();
        let v4 = SegTable::build(sweep(&v4_lists, tags.len(), &mut sets));
        let v6 = SegTable::build(sweep(&v6_lists, tags.len(), &mut sets));
        UserTags {
            tags,
            sets: sets.sets,
            v4,
            v6,
        }
    }

    /// Whether there is no user list.
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.tags.is_empty()
    }

    /// The tags covering an IPv4 address (as `u32`).
    #[inline]
    pub(crate) fn get_v4(&self, x: u32) -> impl Iterator<Item = &UserTag> {
        self.resolve(self.v4.get(x))
    }

    /// The tags covering an IPv6 address (as `u128`).
    #[inline]
    pub(crate) fn get_v6(&self, x: u128) -> impl Iterator<Item = &UserTag> {
        self.resolve(self.v6.get(x))
    }

    fn resolve(&self, set: Option<&u32>) -> impl Iterator<Item = &UserTag> {
        let ids: &[u32] = set
            .and_then(|s| self.sets.get(*s as usize))
            .map_or(&[], |s| &**s);
        ids.iter().filter_map(|i| self.tags.get(*i as usize))
    }

    /// Every distinct user tag, in insertion order.
    pub(crate) fn tags(&self) -> &[UserTag] {
        &self.tags
    }
}

#[derive(Default)]
struct SetInterner {
    sets: Vec<Box<[u32]>>,
    ids: HashMap<Box<[u32]>, u32>,
}

impl SetInterner {
    fn intern(&mut self, set: &[u32]) -> u32 {
        if let Some(&id) = self.ids.get(set) {
            return id;
        }
        let id = u32::try_from(self.sets.len()).unwrap_or(u32::MAX);
        self.sets.push(set.into());
        self.ids.insert(set.into(), id);
        id
    }
}

/// Sweeps the lists' ranges into non-overlapping `(start, end, set id)` rows.
fn sweep<K: Key>(
    lists: &[(u32, Vec<(K, K)>)],
    n_tags: usize,
    sets: &mut SetInterner,
) -> Vec<(K, K, u32)> {
    // Events: (position, +1 opens / -1 closes, tag id). A range [s, e] closes at e + 1.
    let mut events: Vec<(K, i8, u32)> = Vec::new();
    for (id, ranges) in lists {
        for &(s, e) in ranges {
            events.push((s, 1, *id));
            if let Some(after) = e.succ() {
                events.push((after, -1, *id));
            }
        }
    }
    events.sort_unstable();
    let mut counts = vec![0i64; n_tags];
    let mut active: Vec<u32> = Vec::new();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&(pos, _, _)) = events.get(i) {
        while let Some(&(p, delta, id)) = events.get(i) {
            if p != pos {
                break;
            }
            if let Some(c) = counts.get_mut(id as usize) {
                let before = *c;
                *c += i64::from(delta);
                if before <= 0 && *c > 0 {
                    if let Err(at) = active.binary_search(&id) {
                        active.insert(at, id);
                    }
                } else if before > 0
                    && *c <= 0
                    && let Ok(at) = active.binary_search(&id)
                {
                    active.remove(at);
                }
            }
            i += 1;
        }
        if active.is_empty() {
            continue;
        }
        let end = match events.get(i) {
            Some(&(next, _, _)) => next.pred().unwrap_or(next),
            None => K::MAX,
        };
        out.push((pos, end, sets.intern(&active)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_tags_overlap() {
        let a = IpList::parse("10.0.0.0/8\n2001:db8::/32\n", "a.txt").unwrap();
        let b = IpList::parse("10.1.0.0/16\n255.255.255.255\n", "b.txt").unwrap();
        let c = IpList::parse("10.1.2.3\n", "c.txt").unwrap();
        let t = |tag: &str, source: &str| UserTag {
            tag: tag.into(),
            source: source.into(),
        };
        let u = UserTags::build(&[
            (t("known_bad", "m"), a),
            (t("egress", "config"), b),
            (t("known_bad", "m"), c),
        ]);
        let names = |x: u32| -> Vec<String> { u.get_v4(x).map(|t| t.tag.clone()).collect() };
        assert_eq!(names(0x0a00_0001), ["known_bad"]);
        assert_eq!(names(0x0a01_0203), ["known_bad", "egress"]);
        assert_eq!(names(0x0b00_0000), Vec::<String>::new());
        assert_eq!(names(u32::MAX), ["egress"]);
        assert_eq!(u.tags().len(), 2);
        assert_eq!(u.get_v6(0x2001_0db8u128 << 96).count(), 1);
    }
}
