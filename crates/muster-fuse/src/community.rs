//! Community detection on a weighted, undirected graph: the Louvain method.
//!
//! Blondel, Guillaume, Lambiotte and Lefebvre, "Fast unfolding of communities in large
//! networks", J. Stat. Mech. (2008) P10008. Each pass moves single nodes to the neighbouring
//! community with the largest modularity gain until no move helps, then folds every community
//! into one node and repeats on the smaller graph. Modularity (Newman and Girvan 2004) compares
//! the weight inside communities with what random rewiring that keeps every node's degree would
//! put there; Newman and Girvan note that values above about 0.3 indicate real structure.
//!
//! The result is deterministic: nodes are visited in index order and ties keep a node where it
//! is, or else go to the lowest community number.
//!
//! ```
//! use muster_fuse::community::louvain;
//! // two triangles joined by one edge
//! let e = [(0, 1, 1.0), (1, 2, 1.0), (0, 2, 1.0), (3, 4, 1.0), (4, 5, 1.0), (3, 5, 1.0), (2, 3, 1.0)];
//! let p = louvain(6, &e);
//! assert_eq!(p.community[0], p.community[2]);
//! assert_ne!(p.community[2], p.community[3]);
//! assert!(p.modularity > 0.3);
//! ```

/// A partition of the nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct Partition {
    /// Community number per node, dense from 0 in order of first appearance.
    pub community: Vec<usize>,
    /// Number of communities.
    pub count: usize,
    /// Modularity of the partition on the input graph.
    pub modularity: f64,
}

/// One level's graph: adjacency without self-loops, plus each node's internal weight.
struct Level {
    adj: Vec<Vec<(usize, f64)>>,
    /// Weight of the edges folded inside the node (each edge once).
    inner: Vec<f64>,
}

impl Level {
    fn degree(&self, i: usize) -> f64 {
        self.adj[i].iter().map(|e| e.1).sum::<f64>() + 2.0 * self.inner[i]
    }
}

/// Builds the first level; self-loops and non-positive or non-finite weights are ignored, and
/// repeated edges add up. Edges naming a node `>= n` are ignored.
fn first_level(n: usize, edges: &[(usize, usize, f64)]) -> Level {
    let mut adj: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for &(a, b, w) in edges {
        if a == b || a >= n || b >= n || !(w.is_finite() && w > 0.0) {
            continue;
        }
        adj[a].push((b, w));
        adj[b].push((a, w));
    }
    for list in &mut adj {
        list.sort_by_key(|e| e.0);
        list.dedup_by(|next, kept| {
            if next.0 == kept.0 {
                kept.1 += next.1;
                true
            } else {
                false
            }
        });
    }
    Level {
        adj,
        inner: vec![0.0; n],
    }
}

/// Local moving phase: returns the community of every node of the level and whether any moved.
fn local_moving(g: &Level, m2: f64) -> (Vec<usize>, bool) {
    let n = g.adj.len();
    let deg: Vec<f64> = (0..n).map(|i| g.degree(i)).collect();
    let mut comm: Vec<usize> = (0..n).collect();
    let mut tot = deg.clone();
    let mut weight_to = vec![0.0_f64; n];
    let mut touched: Vec<usize> = Vec::new();
    let mut moved_any = false;
    // Bounded passes: each pass that moves a node raises modularity, so this always ends;
    // the bound only guards against float noise.
    for _ in 0..64 {
        let mut moved = false;
        for i in 0..n {
            let own = comm[i];
            for &(j, w) in &g.adj[i] {
                let c = comm[j];
                if weight_to[c] == 0.0 {
                    touched.push(c);
                }
                weight_to[c] += w;
            }
            tot[own] -= deg[i];
            let gain = |c: usize, k_in: f64| k_in - tot[c] * deg[i] / m2;
            let mut best = own;
            let mut best_gain = gain(own, weight_to[own]);
            touched.sort_unstable();
            for &c in &touched {
                let g_c = gain(c, weight_to[c]);
                if g_c > best_gain + 1e-12 {
                    best = c;
                    best_gain = g_c;
                }
            }
            for &c in &touched {
                weight_to[c] = 0.0;
            }
            touched.clear();
            tot[best] += deg[i];
            if best != own {
                comm[i] = best;
                moved = true;
                moved_any = true;
            }
        }
        if !moved {
            break;
        }
    }
    (comm, moved_any)
}

/// Renumbers communities densely in order of first appearance; returns the count.
fn renumber(comm: &mut [usize]) -> usize {
    let mut map: Vec<usize> = vec![usize::MAX; comm.len()];
    let mut next = 0;
    for c in comm.iter_mut() {
        if map[*c] == usize::MAX {
            map[*c] = next;
            next += 1;
        }
        *c = map[*c];
    }
    next
}

/// Folds each community of `g` into one node.
fn aggregate(g: &Level, comm: &[usize], count: usize) -> Level {
    let mut inner = vec![0.0; count];
    let mut edges: Vec<(usize, usize, f64)> = Vec::new();
    for (i, list) in g.adj.iter().enumerate() {
        inner[comm[i]] += g.inner[i];
        for &(j, w) in list.iter().filter(|e| e.0 > i) {
            let (a, b) = (comm[i], comm[j]);
            if a == b {
                inner[a] += w;
            } else {
                edges.push((a, b, w));
            }
        }
    }
    let mut next = first_level(count, &edges);
    next.inner = inner;
    next
}

/// Modularity of `community` on the graph given by `edges` over `n` nodes (the same edge rules
/// as [`louvain`]). 0 for a graph without edges.
pub fn modularity(n: usize, edges: &[(usize, usize, f64)], community: &[usize]) -> f64 {
    let g = first_level(n, edges);
    let m2: f64 = (0..n).map(|i| g.degree(i)).sum();
    if m2 <= 0.0 || community.len() != n {
        return 0.0;
    }
    let k = community.iter().copied().max().map_or(0, |m| m + 1);
    let mut inside = vec![0.0; k];
    let mut tot = vec![0.0; k];
    for (i, list) in g.adj.iter().enumerate() {
        tot[community[i]] += g.degree(i);
        for &(j, w) in list {
            if community[j] == community[i] {
                inside[community[i]] += w;
            }
        }
    }
    inside
        .iter()
        .zip(&tot)
        .map(|(l, d)| l / m2 - (d / m2) * (d / m2))
        .sum()
}

/// Louvain communities of the graph with `n` nodes and weighted `edges` `(a, b, weight)`.
/// Isolated nodes get a community each.
pub fn louvain(n: usize, edges: &[(usize, usize, f64)]) -> Partition {
    let mut level = first_level(n, edges);
    let m2: f64 = (0..n).map(|i| level.degree(i)).sum();
    let mut community: Vec<usize> = (0..n).collect();
    if m2 > 0.0 {
        // At most one level per halving of the node count; stops when nothing moves.
        for _ in 0..64 {
            let (mut comm, moved) = local_moving(&level, m2);
            if !moved {
                break;
            }
            let count = renumber(&mut comm);
            for c in community.iter_mut() {
                *c = comm[*c];
            }
            level = aggregate(&level, &comm, count);
        }
    }
    let count = renumber(&mut community);
    let modularity = modularity(n, edges, &community);
    Partition {
        community,
        count,
        modularity,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn clique(nodes: std::ops::Range<usize>, w: f64, out: &mut Vec<(usize, usize, f64)>) {
        for a in nodes.clone() {
            for b in nodes.clone().filter(|&b| b > a) {
                out.push((a, b, w));
            }
        }
    }

    #[test]
    fn two_cliques_with_a_bridge_split() {
        let mut e = Vec::new();
        clique(0..5, 1.0, &mut e);
        clique(5..10, 1.0, &mut e);
        e.push((4, 5, 1.0));
        let p = louvain(10, &e);
        assert_eq!(p.count, 2);
        assert!((0..5).all(|i| p.community[i] == p.community[0]));
        assert!((5..10).all(|i| p.community[i] == p.community[5]));
        assert!(p.modularity > 0.4, "{}", p.modularity);
    }

    #[test]
    fn a_path_has_weak_structure() {
        // A chain of four people: any split scores below the 0.3 that marks real structure.
        let e = [(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0)];
        let p = louvain(4, &e);
        assert!(p.modularity < 0.3, "{}", p.modularity);
    }

    #[test]
    fn a_weakly_weighted_hub_does_not_swallow_a_tight_group() {
        // 30 people behind one shared thing (weight 1/29 per pair) and a group of four sharing
        // three things (weight 3 per pair); person 0 is in both.
        let mut e = Vec::new();
        clique(0..30, 1.0 / 29.0, &mut e);
        let ring = [0, 30, 31, 32];
        for (i, &a) in ring.iter().enumerate() {
            for &b in &ring[i + 1..] {
                e.push((a, b, 3.0));
            }
        }
        let p = louvain(33, &e);
        assert!(p.modularity >= 0.3, "{}", p.modularity);
        assert!(ring.iter().all(|&i| p.community[i] == p.community[30]));
        assert!((1..30).all(|i| p.community[i] != p.community[30]));
    }

    #[test]
    fn empty_and_edgeless_graphs() {
        assert_eq!(louvain(0, &[]).count, 0);
        let p = louvain(3, &[(0, 0, 1.0), (1, 2, f64::NAN), (1, 7, 1.0)]);
        assert_eq!(p.count, 3);
        assert_eq!(p.modularity, 0.0);
    }

    proptest! {
        #[test]
        fn partitions_are_valid_and_never_worse_than_singletons(
            n in 1usize..24,
            raw in proptest::collection::vec((0usize..24, 0usize..24, 0.01f64..5.0), 0..80),
        ) {
            let e: Vec<_> = raw.into_iter().filter(|e| e.0 < n && e.1 < n).collect();
            let p = louvain(n, &e);
            prop_assert_eq!(p.community.len(), n);
            prop_assert!(p.community.iter().all(|&c| c < p.count));
            let singletons: Vec<usize> = (0..n).collect();
            prop_assert!(p.modularity + 1e-9 >= modularity(n, &e, &singletons));
            prop_assert!((p.modularity - modularity(n, &e, &p.community)).abs() < 1e-9);
            prop_assert!(p.modularity <= 1.0);
            // deterministic
            prop_assert_eq!(louvain(n, &e), p);
        }
    }
}
