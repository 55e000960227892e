//! Clustering that does not chain.
//!
//! Plain connected components over "probably the same person" links chain: A–B and B–C make
//! A, B and C one person even when A and C are obviously two people (a twin and her brother
//! through a shared home phone, one identity per stolen record through a facilitator's email).
//! Here links are added strongest first, and two clusters are joined only when no compared pair
//! across them is a *cannot-link*: a pair whose identity anchors clash (see
//! [`crate::anchors_clash`]) or whose match probability is below the cannot-link threshold.
//! Pairs that were never compared cannot be checked. The result is the greedy solution of
//! correlation clustering with hard negative constraints; it is deterministic (ties broken by
//! record order). Each join scans the smaller side's cannot-link list, and lists move to the
//! surviving root.

/// Union–find over records, each root carrying its cannot-link partners.
#[derive(Debug, Clone)]
pub(crate) struct Clusters {
    parent: Vec<u32>,
    size: Vec<u32>,
    /// Cannot-link partners (record indices) of every record in the root's cluster.
    cannot: Vec<Vec<u32>>,
    /// The first (lowest-index) record of each root's cluster: its stable id.
    first: Vec<u32>,
    /// Merges refused because of a cannot-link.
    pub refused: u64,
}

impl Clusters {
    pub fn new(n: usize) -> Self {
        Clusters {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
            cannot: vec![Vec::new(); n],
            first: (0..n as u32).collect(),
            refused: 0,
        }
    }

    /// Adds a record (for incremental use); returns its index.
    pub fn push(&mut self) -> usize {
        let i = self.parent.len();
        self.parent.push(i as u32);
        self.size.push(1);
        self.cannot.push(Vec::new());
        self.first.push(i as u32);
        i
    }

    /// The first record of `x`'s cluster.
    pub fn first_of(&mut self, x: usize) -> usize {
        let r = self.find(x);
        self.first[r] as usize
    }

    pub fn len(&self) -> usize {
        self.parent.len()
    }

    pub fn find(&mut self, x: usize) -> usize {
        let mut root = x;
        while self.parent[root] as usize != root {
            root = self.parent[root] as usize;
        }
        let mut cur = x;
        while self.parent[cur] as usize != root {
            let next = self.parent[cur] as usize;
            self.parent[cur] = root as u32;
            cur = next;
        }
        root
    }

    /// Records that `a` and `b` must never end in one cluster.
    pub fn cannot_link(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        self.cannot[ra].push(b as u32);
        self.cannot[rb].push(a as u32);
    }

    /// Joins the clusters of `a` and `b` unless a cannot-link forbids it; returns whether
    /// they are (now) one cluster.
    pub fn link(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return true;
        }
        let (small, large) = if self.cannot[ra].len() <= self.cannot[rb].len() {
            (ra, rb)
        } else {
            (rb, ra)
        };
        let partners = std::mem::take(&mut self.cannot[small]);
        let clash = partners.iter().any(|&p| self.find(p as usize) == large);
        self.cannot[small] = partners;
        if clash {
            self.refused += 1;
            return false;
        }
        let (child, root) = if self.size[ra] < self.size[rb] {
            (ra, rb)
        } else {
            (rb, ra)
        };
        self.parent[child] = root as u32;
        self.size[root] += self.size[child];
        self.first[root] = self.first[root].min(self.first[child]);
        let moved = std::mem::take(&mut self.cannot[child]);
        self.cannot[root].extend(moved);
        true
    }

    /// Cluster number per record (dense, numbered by each cluster's first record).
    pub fn labels(&mut self) -> Vec<u32> {
        let n = self.len();
        let mut label_of_root = vec![u32::MAX; n];
        let mut next = 0u32;
        let mut out = vec![0u32; n];
        for (r, slot) in out.iter_mut().enumerate() {
            let root = self.find(r);
            if label_of_root[root] == u32::MAX {
                label_of_root[root] = next;
                next += 1;
            }
            *slot = label_of_root[root];
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cannot_link_stops_chaining() {
        // 0-1 and 1-2 are strong links but 0 and 2 are different people.
        let mut c = Clusters::new(4);
        c.cannot_link(0, 2);
        assert!(c.link(0, 1));
        assert!(!c.link(1, 2));
        assert!(c.link(2, 3));
        let l = c.labels();
        assert_eq!(l, vec![0, 0, 1, 1]);
        assert_eq!(c.refused, 1);
    }

    #[test]
    fn cannot_links_follow_merges() {
        let mut c = Clusters::new(5);
        c.cannot_link(3, 4);
        assert!(c.link(0, 3));
        assert!(c.link(1, 4));
        // 0's cluster holds 3, 1's holds 4: joining them must fail from either side
        assert!(!c.link(0, 1));
        assert!(!c.link(4, 0));
        assert!(c.link(2, 0));
        assert_eq!(c.labels(), vec![0, 1, 0, 0, 1]);
    }
}
