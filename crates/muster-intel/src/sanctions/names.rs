//! Name normalisation, the blocked token index and the name scorer (see the module docs of
//! [`crate::sanctions`] for the scoring rules).

use std::collections::HashMap;

/// Korean romanisation variants treated as the same token (McCune-Reischauer, Revised
/// Romanisation and common informal spellings). Only *listed* names and queries are compared
/// through these classes; nothing scores a name for its origin.
const KOREAN_CLASSES: &[&[&str]] = &[
    &["kim", "gim"],
    &["jong", "chong", "jung", "chung", "jeong", "cheong"],
    &["ri", "rhee", "lee", "yi", "li", "rhi"],
    &["pak", "park", "bak", "bahk"],
    &["choe", "choi", "chwe"],
    &["kang", "gang"],
    &["sin", "shin"],
    &["o", "oh"],
    &["son", "sohn"],
    &["kwon", "gwon"],
    &["han", "hahn"],
    &["yun", "yoon"],
    &["chol", "chul", "cheol"],
    &["ryong", "yong"],
    &["hyon", "hyun", "hyeon"],
    &["myong", "myung", "myeong"],
    &["kyong", "kyung", "gyong", "gyeong"],
    &["kwang", "gwang"],
    &["jang", "chang"],
    &["thae", "tae"],
    &["jon", "chon", "jeon"],
    &["sok", "seok"],
];

/// Legal-form words and connectives: optional on both sides (dropped unless a name consists of
/// nothing else), so `KOREA MINING DEVELOPMENT TRADING CORP` == `... CORPORATION`.
const OPTIONAL_TOKENS: &[&str] = &[
    "co",
    "company",
    "corp",
    "corporation",
    "ltd",
    "limited",
    "llc",
    "inc",
    "incorporated",
    "plc",
    "jsc",
    "ojsc",
    "pjsc",
    "cjsc",
    "oao",
    "zao",
    "ooo",
    "gmbh",
    "llp",
    "pte",
    "pty",
    "fze",
    "fzco",
    "the",
    "of",
    "and",
];

/// Score of two tokens in the same romanisation class.
const CLASS_SIM: f64 = 0.97;
/// Score of an initial (`K`) against a full token starting with that letter (`Kim`).
const INITIAL_SIM: f64 = 0.75;
/// Jaro-Winkler similarity below which two tokens do not match at all.
const TOKEN_JW_MIN: f64 = 0.84;
/// Tokens this short (or shorter) match only exactly or through a romanisation class.
const SHORT_TOKEN: usize = 3;
/// Names whose compact form (tokens joined) is this short need exact equality.
const SHORT_NAME: usize = 3;
/// Postings longer than this are skipped for blocking when the query has rarer tokens.
const POSTING_CAP: usize = 2500;
/// At most this many query alternatives (joined / split tokens) are scored.
const MAX_ALTERNATIVES: usize = 6;

/// Highest score a query of `n` tokens can reach against a name of `m` tokens.
fn dice_bound(n: usize, m: usize) -> f64 {
    if n + m == 0 {
        return 0.0;
    }
    2.0 * n.min(m) as f64 / (n + m) as f64
}

/// Splits a name into normalised tokens: transliterated to ASCII, lowercase, apostrophes and
/// dots removed (`Cho'ng` -> `chong`, `R.G.B.` -> `rgb`), every other non-alphanumeric
/// character separates tokens (`Jong-Un` -> `jong`, `un`). Optional legal-form words are
/// dropped unless nothing else is left.
pub(crate) fn tokenize(name: &str) -> Vec<String> {
    let owned;
    let ascii: &str = if name.is_ascii() {
        name
    } else {
        owned = deunicode::deunicode(name);
        &owned
    };
    let mut toks = Vec::new();
    let mut cur = String::new();
    for ch in ascii.chars() {
        if ch.is_ascii_alphanumeric() {
            cur.push(ch.to_ascii_lowercase());
        } else if matches!(ch, '\'' | '`' | '.') {
            // joins: apostrophes of McCune-Reischauer, dots of abbreviations
        } else if !cur.is_empty() {
            toks.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        toks.push(cur);
    }
    if toks.iter().any(|t| !OPTIONAL_TOKENS.contains(&t.as_str())) {
        toks.retain(|t| !OPTIONAL_TOKENS.contains(&t.as_str()));
    }
    toks
}

/// A consonant skeleton used as a blocking key for tokens outside the romanisation classes:
/// initial vowel -> `a`, later vowels / `h` / `w` / `y` dropped, `c q` -> `k`, `z` -> `s`,
/// repeated letters collapsed (`mohammed`, `muhammad` -> `mhmd`).
fn skeleton(tok: &str) -> String {
    let mut out = String::with_capacity(tok.len());
    let mut last = '\0';
    for (i, ch) in tok.chars().enumerate() {
        let c = match ch {
            'c' | 'q' => 'k',
            'z' => 's',
            c => c,
        };
        if i == 0 {
            let c = if "aeiouy".contains(c) { 'a' } else { c };
            out.push(c);
            last = c;
            continue;
        }
        if "aeiouyhw".contains(c) {
            last = '\0';
            continue;
        }
        if c != last {
            out.push(c);
        }
        last = c;
    }
    out
}

/// One indexed (listed) name.
#[derive(Debug, Clone)]
pub(crate) struct IndexedName {
    /// Index of the entry in the catalogue.
    pub(crate) entry: u32,
    /// The name as listed.
    pub(crate) display: String,
    /// Token ids.
    toks: Vec<u32>,
    /// Tokens joined without separators.
    compact: String,
    /// A low-quality (weak) alias: matched only by exact equality.
    pub(crate) weak: bool,
}

#[derive(Debug, Clone)]
struct TokInfo {
    text: String,
    class: Option<u16>,
    letters: Letters,
}

/// Letter counts of a token, for a cheap upper bound of its Jaro-Winkler similarity.
type Letters = [u8; 26];

fn letters(t: &str) -> Letters {
    let mut l = [0u8; 26];
    for b in t.bytes() {
        if b.is_ascii_lowercase() {
            let i = usize::from(b - b'a');
            l[i] = l[i].saturating_add(1);
        }
    }
    l
}

/// Upper bound of `strsim::jaro_winkler(a, b)` from the letters the two tokens share: Jaro
/// counts at most that many matches, and the Winkler prefix bonus needs an equal first letter.
fn jw_upper_bound(a: &str, la: &Letters, b: &str, lb: &Letters) -> f64 {
    let common: u32 = la.iter().zip(lb).map(|(x, y)| u32::from(*x.min(y))).sum();
    if common == 0 {
        return 0.0;
    }
    let m = f64::from(common);
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + 1.0) / 3.0;
    let jaro = jaro.min(1.0);
    if a.as_bytes().first() == b.as_bytes().first() {
        jaro + 0.4 * (1.0 - jaro)
    } else {
        jaro
    }
}

/// The name index: a vocabulary of listed tokens and postings from blocking keys to names.
#[derive(Debug, Clone, Default)]
pub(crate) struct NameIndex {
    vocab: HashMap<String, u32>,
    toks: Vec<TokInfo>,
    class_of: HashMap<&'static str, u16>,
    pub(crate) names: Vec<IndexedName>,
    /// Blocking key -> (name index, token count of the name).
    postings: HashMap<String, Vec<(u32, u16)>>,
}

/// A query token.
#[derive(Debug, Clone)]
struct QTok {
    text: String,
    id: Option<u32>,
    class: Option<u16>,
    letters: Letters,
}

fn class_map() -> HashMap<&'static str, u16> {
    let mut m = HashMap::new();
    for (i, class) in KOREAN_CLASSES.iter().enumerate() {
        for t in *class {
            m.insert(*t, i as u16);
        }
    }
    m
}

impl NameIndex {
    pub(crate) fn new() -> Self {
        NameIndex {
            class_of: class_map(),
            ..NameIndex::default()
        }
    }

    fn block_key(&self, text: &str, class: Option<u16>) -> String {
        match class {
            Some(c) => format!("c:{c}"),
            None if text.len() <= SHORT_TOKEN || text.bytes().any(|b| b.is_ascii_digit()) => {
                format!("x:{text}")
            }
            None => format!("s:{}", skeleton(text)),
        }
    }

    /// Adds a listed name of entry `entry`; names without tokens are ignored. Returns whether
    /// it was added.
    pub(crate) fn add(&mut self, entry: u32, display: &str, weak: bool) -> bool {
        let words = tokenize(display);
        if words.is_empty() {
            return false;
        }
        let compact: String = words.concat();
        // The same token multiset for the same entry is indexed once.
        let dup = self.names.iter().rev().take(64).any(|n| {
            n.entry == entry && n.compact.len() == compact.len() && {
                let mut a: Vec<&str> = n.toks.iter().map(|&t| self.tok_text(t)).collect();
                let mut b: Vec<&str> = words.iter().map(String::as_str).collect();
                a.sort_unstable();
                b.sort_unstable();
                a == b
            }
        });
        if dup {
            return false;
        }
        let mut ids = Vec::with_capacity(words.len());
        for w in &words {
            let id = match self.vocab.get(w.as_str()) {
                Some(&id) => id,
                None => {
                    let id = self.toks.len() as u32;
                    let class = self.class_of.get(w.as_str()).copied();
                    self.toks.push(TokInfo {
                        text: w.clone(),
                        class,
                        letters: letters(w),
                    });
                    self.vocab.insert(w.clone(), id);
                    id
                }
            };
            ids.push(id);
        }
        let name_idx = self.names.len() as u32;
        let mut keys: Vec<String> = ids
            .iter()
            .map(|&id| {
                let t = &self.toks[id as usize];
                self.block_key(&t.text, t.class)
            })
            .collect();
        keys.push(format!("k:{compact}"));
        keys.sort_unstable();
        keys.dedup();
        for k in keys {
            self.postings
                .entry(k)
                .or_default()
                .push((name_idx, ids.len().min(u16::MAX as usize) as u16));
        }
        self.names.push(IndexedName {
            entry,
            display: display.to_string(),
            toks: ids,
            compact,
            weak,
        });
        true
    }

    fn tok_text(&self, id: u32) -> &str {
        self.toks.get(id as usize).map_or("", |t| t.text.as_str())
    }

    fn qtok(&self, text: String) -> QTok {
        let id = self.vocab.get(text.as_str()).copied();
        let class = self.class_of.get(text.as_str()).copied();
        let letters = letters(&text);
        QTok {
            text,
            id,
            class,
            letters,
        }
    }

    /// Query alternatives: the tokens as given; unknown tokens split into two listed tokens
    /// (`jongun` -> `jong un`); two tokens joined when the join is a listed token (`jong un` ->
    /// `jongun`, tried in both orders so that the result does not depend on token order).
    fn alternatives(&self, words: &[String]) -> Vec<Vec<String>> {
        let mut alts = vec![words.to_vec()];
        let known = |s: &str| self.vocab.contains_key(s) || self.class_of.contains_key(s);
        let mut split_any = false;
        let mut split: Vec<String> = Vec::with_capacity(words.len() + 2);
        for w in words {
            let mut done = false;
            if w.len() >= 4 && !self.vocab.contains_key(w.as_str()) && w.is_ascii() {
                for i in 2..=w.len() - 2 {
                    let (a, b) = w.split_at(i);
                    if known(a) && known(b) {
                        split.push(a.to_string());
                        split.push(b.to_string());
                        done = true;
                        split_any = true;
                        break;
                    }
                }
            }
            if !done {
                split.push(w.clone());
            }
        }
        if split_any {
            alts.push(split);
        }
        if words.len() >= 2 && words.len() <= 8 {
            let mut joined = String::new();
            'outer: for i in 0..words.len() {
                for j in 0..words.len() {
                    if i == j {
                        continue;
                    }
                    joined.clear();
                    joined.push_str(&words[i]);
                    joined.push_str(&words[j]);
                    if self.vocab.contains_key(joined.as_str()) {
                        let mut alt: Vec<String> = words
                            .iter()
                            .enumerate()
                            .filter(|(k, _)| *k != i && *k != j)
                            .map(|(_, w)| w.clone())
                            .collect();
                        alt.push(joined.clone());
                        if !alts.contains(&alt) {
                            alts.push(alt);
                        }
                        if alts.len() >= MAX_ALTERNATIVES {
                            break 'outer;
                        }
                    }
                }
            }
        }
        alts
    }

    /// Best score per indexed name for `query`, keeping names scoring at least `min`.
    pub(crate) fn search(&self, query: &str, min: f64) -> Vec<(u32, f64)> {
        let words = tokenize(query);
        if words.is_empty() || self.names.is_empty() {
            return Vec::new();
        }
        let mut best: HashMap<u32, f64> = HashMap::new();
        let mut cands: Vec<u32> = Vec::new();
        let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
        for alt in self.alternatives(&words) {
            let q: Vec<QTok> = alt.into_iter().map(|t| self.qtok(t)).collect();
            let compact: String = q.iter().map(|t| t.text.as_str()).collect();
            let n = q.len();
            cands.clear();
            let lists: Vec<&Vec<(u32, u16)>> = q
                .iter()
                .filter_map(|t| self.postings.get(&self.block_key(&t.text, t.class)))
                .collect();
            // Frequent keys are skipped when rarer ones exist; otherwise the rarest are used.
            // Names whose token count alone keeps them under `min` are not scored.
            let smallest = lists.iter().map(|l| l.len()).min().unwrap_or(0);
            for l in &lists {
                if l.len() <= POSTING_CAP.max(smallest) {
                    cands.extend(
                        l.iter()
                            .filter(|&&(_, m)| dice_bound(n, usize::from(m)) >= min)
                            .map(|&(c, _)| c),
                    );
                }
            }
            if let Some(l) = self.postings.get(&format!("k:{compact}")) {
                cands.extend(l.iter().map(|&(c, _)| c));
            }
            cands.sort_unstable();
            cands.dedup();
            for &c in &cands {
                let Some(name) = self.names.get(c as usize) else {
                    continue;
                };
                let s = self.score(&q, &compact, name, min, &mut pairs);
                if s >= min && s > 0.0 {
                    let e = best.entry(c).or_insert(0.0);
                    if s > *e {
                        *e = s;
                    }
                }
            }
        }
        best.into_iter().collect()
    }

    fn sim(&self, q: &QTok, c: u32) -> f64 {
        if q.id == Some(c) {
            return 1.0;
        }
        let Some(ct) = self.toks.get(c as usize) else {
            return 0.0;
        };
        if q.class.is_some() && q.class == ct.class {
            return CLASS_SIM;
        }
        let (ql, cl) = (q.text.len(), ct.text.len());
        if ql == 1 || cl == 1 {
            let initial = if ql == 1 { &ct.text } else { &q.text };
            let letter = if ql == 1 { &q.text } else { &ct.text };
            return if ql != cl && initial.as_bytes().first() == letter.as_bytes().first() {
                INITIAL_SIM
            } else {
                0.0
            };
        }
        if ql <= SHORT_TOKEN || cl <= SHORT_TOKEN {
            return 0.0;
        }
        let digits = |s: &str| s.bytes().any(|b| b.is_ascii_digit());
        if digits(&q.text) || digits(&ct.text) {
            return 0.0;
        }
        if jw_upper_bound(&q.text, &q.letters, &ct.text, &ct.letters) < TOKEN_JW_MIN {
            return 0.0;
        }
        let jw = strsim::jaro_winkler(&q.text, &ct.text);
        if jw >= TOKEN_JW_MIN {
            jw.min(0.96)
        } else {
            0.0
        }
    }

    /// Dice-style score: `2 * sum(matched token similarities) / (|query| + |listed|)` over a
    /// greedy one-to-one assignment (best pairs first; ties broken by token text so that the
    /// result does not depend on token order).
    fn score(
        &self,
        q: &[QTok],
        q_compact: &str,
        c: &IndexedName,
        min: f64,
        pairs: &mut Vec<(f64, usize, usize)>,
    ) -> f64 {
        let (n, m) = (q.len(), c.toks.len());
        if q_compact == c.compact || (n <= 6 && concat_any_order(q, &c.compact)) {
            return 1.0;
        }
        if c.weak || n == 1 || m == 1 {
            return 0.0;
        }
        if q_compact.len() <= SHORT_NAME || c.compact.len() <= SHORT_NAME {
            return 0.0;
        }
        if dice_bound(n, m) < min {
            return 0.0;
        }
        pairs.clear();
        for (i, qt) in q.iter().enumerate() {
            for (j, &ct) in c.toks.iter().enumerate() {
                let s = self.sim(qt, ct);
                if s > 0.0 {
                    pairs.push((s, i, j));
                }
            }
        }
        pairs.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| q[a.1].text.cmp(&q[b.1].text))
                .then(a.2.cmp(&b.2))
        });
        let mut q_used = 0u128;
        let mut c_used = 0u128;
        let mut sum = 0.0;
        let mut full = false;
        for &(s, i, j) in pairs.iter() {
            let (qi, cj) = (1u128 << i.min(127), 1u128 << j.min(127));
            if q_used & qi != 0 || c_used & cj != 0 {
                continue;
            }
            q_used |= qi;
            c_used |= cj;
            sum += s;
            full |= s > INITIAL_SIM;
        }
        if !full {
            return 0.0;
        }
        (2.0 * sum / (n + m) as f64).clamp(0.0, 1.0)
    }
}

/// Whether `compact` is the query's tokens joined in some order (`jongun kim` vs the listed
/// `KIM, Jong Un` -> `kimjongun`), so that the exact-match shortcut does not depend on token
/// order.
fn concat_any_order(q: &[QTok], compact: &str) -> bool {
    fn go(q: &[QTok], used: u8, rest: &str) -> bool {
        if rest.is_empty() {
            return used.count_ones() as usize == q.len();
        }
        q.iter().enumerate().any(|(i, t)| {
            used & (1 << i) == 0
                && !t.text.is_empty()
                && rest
                    .strip_prefix(t.text.as_str())
                    .is_some_and(|r| go(q, used | (1 << i), r))
        })
    }
    q.len() <= 8 && go(q, 0, compact)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        assert_eq!(tokenize("KIM, Jong-Un"), ["kim", "jong", "un"]);
        assert_eq!(tokenize("YO'N, Cho'ng-Nam"), ["yon", "chong", "nam"]);
        assert_eq!(
            tokenize("Korea Mining Development Trading Corp."),
            ["korea", "mining", "development", "trading"]
        );
        assert_eq!(tokenize("R.G.B."), ["rgb"]);
        assert_eq!(tokenize("The Company"), ["the", "company"]);
        assert_eq!(tokenize("Kïm  Jöng"), ["kim", "jong"]);
        assert!(tokenize(" ,;- ").is_empty());
    }

    #[test]
    fn jw_bound_is_an_upper_bound() {
        let words = [
            "kim", "jong", "chong", "mohammed", "muhammad", "husain", "husayn", "abcd", "dcba",
            "aaaa", "korea", "koryo", "mining", "minning", "trading", "trade", "zzzz", "jongun",
        ];
        for a in words {
            for b in words {
                let jw = strsim::jaro_winkler(a, b);
                let ub = jw_upper_bound(a, &letters(a), b, &letters(b));
                assert!(ub + 1e-12 >= jw, "{a} {b}: {ub} < {jw}");
            }
        }
    }

    #[test]
    fn skeletons() {
        assert_eq!(skeleton("mohammed"), skeleton("muhammad"));
        assert_eq!(skeleton("husain"), skeleton("husayn"));
        assert_eq!(skeleton("usama"), skeleton("osama"));
    }

    #[test]
    fn scoring() {
        let mut ix = NameIndex::new();
        ix.add(0, "KIM, Jong Un", false);
        ix.add(1, "KOREA MINING DEVELOPMENT TRADING CORPORATION", false);
        ix.add(2, "PATTY", true);
        let best = |q: &str| {
            ix.search(q, 0.0)
                .into_iter()
                .map(|x| x.1)
                .fold(0.0, f64::max)
        };
        assert_eq!(best("Jong Un Kim"), 1.0);
        assert_eq!(best("Jongun Kim"), 1.0);
        assert!(best("Gim Chong Un") > 0.9);
        let initials = best("K. J. Un");
        assert!(initials > 0.7 && initials < 0.88, "{initials}");
        assert!(best("Kim Lee") < 0.5);
        assert_eq!(best("Kim"), 0.0);
        assert_eq!(best("trading corp korea mining development"), 1.0);
        assert_eq!(best("Patty"), 1.0);
        assert_eq!(best("Patti Smith"), 0.0);
    }
}
