//! ID-RESUME: near-duplicate resumes (MinHash + LSH over word shingles) and near-identical
//! photo hashes under different identities.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::json;

use super::person_rec::{self, PersonRec, components};
use crate::{
    DetectConfig, DetectError, Detection, DetectionMeta, Engine, Family, Link, Severity, Signal,
};

/// ID-RESUME.
pub struct IdResume;

/// Words per shingle.
const SHINGLE_WORDS: usize = 5;
/// MinHash functions: `BANDS` bands of `ROWS` rows.
const ROWS: usize = 3;
const BANDS: usize = 42;
/// Jaccard similarity of two resumes' distinctive shingles at which they are near-duplicates.
const JACCARD: f64 = 0.5;
/// Distinctive shingles a resume needs to be compared, and a pair needs in common.
const MIN_SHINGLES: usize = 30;
/// Most bits two 64-bit perceptual photo hashes may differ in to be the same photo.
const PHOTO_MAX_BITS: u32 = 4;
/// An LSH bucket larger than this is a template or a default, not a copy: skipped.
const MAX_BUCKET: usize = 200;
const LR_RESUME: f64 = 10.0;
const LR_PHOTO: f64 = 10.0;

static META: DetectionMeta = DetectionMeta {
    id: "ID-RESUME",
    title: "Near-duplicate resume or photo under different identities",
    family: Family::Identity,
    severity: Severity::Medium,
    likelihood_ratio: 20.0,
    lr_rationale: "Two honest applicants' resumes share few five-word sequences once \
        boilerplate is removed (two resumes written for the same role overlap in skills \
        words, not in running text), so half their distinctive sequences in common means one \
        was copied from the other or both from a third; the innocent copies are agency \
        templates (removed, and same-agency pairs halved) and bootcamp or resume-builder \
        sample text (frequent shingles removed): LR 10. A photo whose perceptual hash is \
        within 4 of 64 bits of another identity's is the same image; default avatars and \
        blank images are removed by frequency and by bit count: LR 10. Either doubled (20) \
        when three or more identities share the resume or photo: a template of a ring.",
    tables: &["people"],
    what: "Resumes (`people.resume_text`): normalised (ASCII, lowercase, punctuation removed), \
        the person's own name words dropped, cut into five-word shingles. Shingles in at least \
        the infrastructure threshold of resumes (max(25, 2% of the workforce)) are \
        boilerplate, and shingles in at least half (and three) of one staffing agency's \
        resumes are that agency's template: both are removed. Resumes with at least 30 \
        distinctive shingles get a MinHash signature (126 hash functions), banded for LSH (42 \
        bands of 3 rows: pairs at Jaccard 0.5 become candidates with 99.6% probability), and \
        candidates are verified on the exact shingle sets: Jaccard >= 0.5 with at least 30 \
        shingles in common. Photos (`people.photo_hash`, 64-bit perceptual hash in hex): \
        candidate pairs from 5 bands of 13 bits (pigeonhole: any pair within 4 bits shares a \
        band), kept at Hamming distance <= 4. Pairs that are one person (the same claimed \
        identity: compatible names and dates of birth; or a shared personal email or phone \
        under names with a word in common) are dropped.",
    why: "The FBI (PSA I-012325, Jan 2025) asks employers to 'cross-check HR systems for other \
        applicants with the same resume content'; SpyCloud and Okta found DPRK IT-worker \
        personas built from copies of real developers' resumes with a new name and photo, and \
        facilitators reuse one polished resume across the identities they run; the same \
        profile photo (or an AI-edited copy) recurs across personas.",
    data: "people (resume_text, photo_hash, full_name, date_of_birth, email, phone, \
        staffing_agency).",
    false_positives: "A staffing agency's shared template (header, footer, section titles): \
        removed as that agency's template, and a pair from one agency counts half (LR 5). \
        Common resume phrases and builder samples: removed by frequency. The same person \
        applying twice or rehired (same name and date of birth, or a shared email or phone \
        under a related name, e.g. a married name): one person, silent. Short resumes (fewer than 30 distinctive shingles) are not \
        compared. Default avatars and placeholder photo hashes: hashes shared by the \
        infrastructure threshold of people, and hashes with 4 or fewer (or 60 or more) bits \
        set, are ignored. Limitation: a ring copying one resume more times than the \
        boilerplate threshold, or to more than half of one agency's candidates, hides in the \
        boilerplate.",
    references: &[
        "FBI PSA I-012325-PSA, 'North Korean IT Workers Conducting Data Extortion', Jan 2025",
        "SpyCloud Labs, 'North Korean IT workers: how they build fake identities', 2025",
        "A. Broder, 'On the resemblance and containment of documents', 1997 (MinHash)",
        "J. Leskovec, A. Rajaraman, J. Ullman, 'Mining of Massive Datasets', ch. 3 (LSH banding)",
    ],
};

/// FNV-1a 64: a stable hash (the same across runs and Rust versions).
fn fnv(bytes: &[u8], mut h: u64) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The distinct five-word shingles of a resume (hashed, sorted), the person's name words removed.
fn shingles(text: &str, own_name: &BTreeSet<String>) -> Vec<u64> {
    let norm = muster_normalize::name::normalize_name(text);
    let words: Vec<&str> = norm
        .split(' ')
        .filter(|w| !w.is_empty() && !own_name.contains(*w))
        .collect();
    let mut out: Vec<u64> = words
        .windows(SHINGLE_WORDS)
        .map(|w| {
            w.iter().fold(0xcbf2_9ce4_8422_2325, |h, word| {
                fnv(b" ", fnv(word.as_bytes(), h))
            })
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn minhash(set: &[u64]) -> Vec<u64> {
    (0..ROWS * BANDS)
        .map(|i| {
            let salt = splitmix(i as u64);
            set.iter()
                .map(|&s| splitmix(s ^ salt))
                .min()
                .unwrap_or(u64::MAX)
        })
        .collect()
}

/// |a ∩ b| and Jaccard of two sorted sets.
fn jaccard(a: &[u64], b: &[u64]) -> (usize, f64) {
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - common;
    (
        common,
        if union == 0 {
            0.0
        } else {
            common as f64 / union as f64
        },
    )
}

/// Candidate pairs `(i, j)`, `i < j`, from items sharing a bucket key, sorted and distinct.
/// A flat vector sorted once: a pair found in many bands costs one slot per band, not a tree
/// node, which matters when a large workforce fills many buckets.
fn candidates(keys: impl Iterator<Item = (u64, usize)>) -> Vec<(usize, usize)> {
    let mut buckets: HashMap<u64, Vec<usize>> = HashMap::new();
    for (k, i) in keys {
        buckets.entry(k).or_default().push(i);
    }
    let mut out = Vec::new();
    for v in buckets
        .values()
        .filter(|v| v.len() >= 2 && v.len() <= MAX_BUCKET)
    {
        for (x, &a) in v.iter().enumerate() {
            for &b in &v[x + 1..] {
                out.push((a.min(b), a.max(b)));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// A near-duplicate pair: the other record's index and the similarity shown to analysts.
struct Pair {
    a: usize,
    b: usize,
    similarity: f64,
    shared: usize,
    same_agency: bool,
}

fn resume_pairs(recs: &[PersonRec], infra: usize) -> Vec<Pair> {
    let sets: Vec<Vec<u64>> = recs
        .iter()
        .map(|r| match r.extra.first().cloned().flatten() {
            Some(t) => shingles(&t, &r.tokens),
            None => Vec::new(),
        })
        .collect();
    let mut df: HashMap<u64, usize> = HashMap::new();
    let mut agency_df: HashMap<(&str, u64), usize> = HashMap::new();
    let mut agency_n: HashMap<&str, usize> = HashMap::new();
    for (r, s) in recs.iter().zip(&sets) {
        for &h in s {
            *df.entry(h).or_default() += 1;
            if let Some(a) = r.agency.as_deref() {
                *agency_df.entry((a, h)).or_default() += 1;
            }
        }
        if let Some(a) = r.agency.as_deref().filter(|_| !s.is_empty()) {
            *agency_n.entry(a).or_default() += 1;
        }
    }
    let distinctive: Vec<Vec<u64>> = recs
        .iter()
        .zip(&sets)
        .map(|(r, s)| {
            let template_at = r
                .agency
                .as_deref()
                .map(|a| (agency_n.get(a).copied().unwrap_or(0).div_ceil(2)).max(3));
            s.iter()
                .copied()
                .filter(|h| df.get(h).copied().unwrap_or(0) < infra)
                .filter(|h| match (r.agency.as_deref(), template_at) {
                    (Some(a), Some(t)) => agency_df.get(&(a, *h)).copied().unwrap_or(0) < t,
                    _ => true,
                })
                .collect()
        })
        .collect();
    let sigs: Vec<Option<Vec<u64>>> = distinctive
        .iter()
        .map(|s| (s.len() >= MIN_SHINGLES).then(|| minhash(s)))
        .collect();
    let keys = sigs.iter().enumerate().flat_map(|(i, sig)| {
        sig.iter().flat_map(move |sig| {
            sig.chunks(ROWS).enumerate().map(move |(band, rows)| {
                let k = rows
                    .iter()
                    .fold(splitmix(band as u64), |h, &v| splitmix(h ^ v));
                (k, i)
            })
        })
    });
    candidates(keys)
        .into_iter()
        .filter_map(|(a, b)| {
            let (shared, j) = jaccard(&distinctive[a], &distinctive[b]);
            (j >= JACCARD && shared >= MIN_SHINGLES).then(|| Pair {
                a,
                b,
                similarity: j,
                shared,
                same_agency: recs[a].agency.is_some() && recs[a].agency == recs[b].agency,
            })
        })
        .collect()
}

fn photo_hash(s: &str) -> Option<u64> {
    let t = s.trim();
    let t = t.strip_prefix("0x").unwrap_or(t);
    let h = u64::from_str_radix(t, 16).ok().filter(|_| t.len() == 16)?;
    let bits = h.count_ones();
    (bits > 4 && bits < 60).then_some(h)
}

fn photo_pairs(recs: &[PersonRec], infra: usize) -> Vec<Pair> {
    let hashes: Vec<Option<u64>> = recs
        .iter()
        .map(|r| {
            r.extra
                .get(1)
                .cloned()
                .flatten()
                .and_then(|s| photo_hash(&s))
        })
        .collect();
    let mut count: HashMap<u64, usize> = HashMap::new();
    for h in hashes.iter().flatten() {
        *count.entry(*h).or_default() += 1;
    }
    let usable: Vec<Option<u64>> = hashes
        .iter()
        .map(|h| h.filter(|h| count.get(h).copied().unwrap_or(0) < infra))
        .collect();
    let keys = usable.iter().enumerate().flat_map(|(i, h)| {
        h.iter().flat_map(move |h| {
            // PHOTO_MAX_BITS + 1 bands of 13 bits (the last 12): two hashes within
            // PHOTO_MAX_BITS differ in at most that many bands, so one band is equal.
            (0..u64::from(PHOTO_MAX_BITS) + 1)
                .map(move |band| ((band << 16) | ((h >> (band * 13)) & 0x1fff), i))
        })
    });
    candidates(keys)
        .into_iter()
        .filter_map(|(a, b)| {
            let (x, y) = (usable[a]?, usable[b]?);
            let d = (x ^ y).count_ones();
            (d <= PHOTO_MAX_BITS).then(|| Pair {
                a,
                b,
                similarity: 1.0 - f64::from(d) / 64.0,
                shared: d as usize,
                same_agency: false,
            })
        })
        .collect()
}

impl Detection for IdResume {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn run(&self, engine: &Engine, cfg: &DetectConfig) -> Result<Vec<Signal>, DetectError> {
        let infra = crate::infra_threshold(engine, cfg).max(3) as usize;
        let recs = person_rec::load(
            engine,
            &["resume_text", "photo_hash"],
            "resume_text IS NOT NULL OR photo_hash IS NOT NULL",
        )?;
        // One person: the same claimed identity, or a shared contact under a related name.
        // A shared contact under an unrelated name is two identities (the shared contact is
        // ID-REUSE's evidence; the copied resume or photo is this one's).
        let one_person = |p: &Pair| {
            let (a, b) = (&recs[p.a], &recs[p.b]);
            a.same_claim(b) || a.same_person_by_contact(b)
        };
        let mut out = Vec::new();
        for (kind, pairs) in [
            ("resume", resume_pairs(&recs, infra)),
            ("photo", photo_pairs(&recs, infra)),
        ] {
            let pairs: Vec<Pair> = pairs.into_iter().filter(|p| !one_person(p)).collect();
            out.extend(signals(kind, &recs, &pairs));
        }
        Ok(out)
    }
}

fn signals(kind: &'static str, recs: &[PersonRec], pairs: &[Pair]) -> Vec<Signal> {
    let mut partners: BTreeMap<usize, Vec<&Pair>> = BTreeMap::new();
    for p in pairs {
        partners.entry(p.a).or_default().push(p);
        partners.entry(p.b).or_default().push(p);
    }
    // Ring keys: connected groups of copies.
    let nodes: Vec<usize> = partners.keys().copied().collect();
    let edges: BTreeSet<(usize, usize)> = pairs.iter().map(|p| (p.a, p.b)).collect();
    let groups = components(nodes.len(), |x, y| {
        edges.contains(&(nodes[x].min(nodes[y]), nodes[x].max(nodes[y])))
    });
    let mut group_of: HashMap<usize, (usize, usize)> = HashMap::new();
    for (g, members) in groups.iter().enumerate() {
        for &m in members {
            group_of.insert(nodes[m], (g + 1, members.len()));
        }
    }
    let base = if kind == "resume" {
        LR_RESUME
    } else {
        LR_PHOTO
    };
    partners
        .into_iter()
        .map(|(i, ps)| {
            let r = &recs[i];
            let (g, size) = group_of.get(&i).copied().unwrap_or((0, 2));
            let all_same_agency = ps.iter().all(|p| p.same_agency);
            let mut lr = base * if size >= 3 { 2.0 } else { 1.0 };
            if all_same_agency {
                lr /= 2.0;
            }
            let others: Vec<serde_json::Value> = ps
                .iter()
                .map(|p| {
                    let o = if p.a == i { p.b } else { p.a };
                    if kind == "resume" {
                        json!({ "person_id": recs[o].person_id, "jaccard": (p.similarity * 100.0).round() / 100.0,
                                "shared_shingles": p.shared, "same_agency": p.same_agency })
                    } else {
                        json!({ "person_id": recs[o].person_id, "hamming_bits": p.shared })
                    }
                })
                .collect();
            let names: Vec<&str> = ps
                .iter()
                .map(|p| recs[if p.a == i { p.b } else { p.a }].person_id.as_str())
                .collect();
            Signal {
                person_id: r.person_id.clone(),
                device_id: None,
                detection: META.id,
                family: META.family,
                severity: if size >= 3 { Severity::High } else { META.severity },
                likelihood_ratio: lr,
                first_seen: r.applied_at.or(r.hired_at).map(crate::rows::rfc3339),
                last_seen: None,
                reason: format!(
                    "{} is a near-duplicate of {} under a different identity ({} identities share it{})",
                    if kind == "resume" { "resume" } else { "profile photo" },
                    names.join(", "),
                    size,
                    if all_same_agency { "; same staffing agency" } else { "" }
                ),
                evidence: json!({ "kind": kind, "similar_to": others, "identities": size }),
                links: vec![Link { kind, value: format!("{kind}-group#{g}"), ring_edge: true, share: None }],
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shingles_ignore_case_punctuation_and_own_name() {
        let name: BTreeSet<String> = ["ann".to_string(), "lee".to_string()].into();
        let a = shingles("Ann Lee. Built data pipelines in Rust, at scale!", &name);
        let b = shingles("built DATA pipelines in rust at scale", &BTreeSet::new());
        assert_eq!(a, b);
        assert_eq!(a.len(), 3);
    }

    #[test]
    fn minhash_estimates_jaccard() {
        let a: Vec<u64> = (0..400).collect();
        let b: Vec<u64> = (100..500).collect(); // Jaccard 300/500 = 0.6
        let (sa, sb) = (minhash(&a), minhash(&b));
        let agree = sa.iter().zip(&sb).filter(|(x, y)| x == y).count() as f64 / sa.len() as f64;
        assert!((agree - 0.6).abs() < 0.15, "{agree}");
        assert_eq!(jaccard(&a, &b), (300, 0.6));
    }

    #[test]
    fn photo_bands_find_every_pair_within_the_distance() {
        let base = 0xc3a5_f00f_1e2d_3c4b_u64;
        // Flip 4 bits spread over the word: still one equal band.
        let near = base ^ (1 << 3) ^ (1 << 20) ^ (1 << 40) ^ (1 << 60);
        let far = base ^ 0x0101_0101_0101_0101;
        let rec = |h: u64| PersonRec {
            extra: vec![None, Some(format!("{h:016x}"))],
            ..Default::default()
        };
        let recs = vec![rec(base), rec(near), rec(far)];
        let pairs = photo_pairs(&recs, 25);
        let found: Vec<(usize, usize)> = pairs.iter().map(|p| (p.a, p.b)).collect();
        assert_eq!(found, vec![(0, 1)]);
    }

    #[test]
    fn photo_hashes() {
        assert_eq!(photo_hash("0000000000000000"), None);
        assert_eq!(photo_hash("ffffffffffffffff"), None);
        assert_eq!(photo_hash("c3a5f00f1e2d3c4b"), Some(0xc3a5_f00f_1e2d_3c4b));
        assert_eq!(photo_hash("c3a5f00f"), None);
    }
}
