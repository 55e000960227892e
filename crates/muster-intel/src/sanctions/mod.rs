//! OFAC sanctions: the SDN list (names, aliases, emails, websites, digital-currency addresses)
//! and the per-currency lists of sanctioned digital-currency addresses.
//!
//! # Data
//!
//! [`Sanctions::embedded`] parses the embedded OFAC legacy `data/sanctions/sdn.csv.gz`
//! (snapshot 2024-05-03, see `data/sanctions/SOURCE.txt`) and the 17 embedded
//! `data/sanctions/crypto/sanctioned_addresses_<CUR>.txt` lists. Aliases (`a.k.a.`, `f.k.a.`,
//! `n.k.a.`), emails, websites, digital-currency addresses, nationalities and dates of birth
//! are taken from the Remarks column. The legacy CSV cuts Remarks at 1,000 characters (18
//! entries); the last, possibly cut, item of those is ignored. The legacy CSV does not mark
//! weak (low-quality) aliases, so its aliases are all treated as strong; `sdn_advanced.xml`
//! marks them (`LowQuality="true"`) and they go to [`SdnEntry::weak_aliases`], which are
//! matched only by exact (normalised) equality.
//!
//! `data/sanctions/dprk.csv` is not read: it is a derived subset of the same snapshot (same
//! names and remarks, row for row) whose selection rule (DPRK programmes, or remarks naming
//! North Korea) is what [`SdnEntry::dprk_related`] computes.
//!
//! Newer lists can be loaded with [`Sanctions::from_sdn_csv`] or
//! [`Sanctions::from_sdn_advanced_xml`]; both also index the embedded address lists, and
//! [`Sanctions::with_crypto_dir`] / [`Sanctions::with_crypto_list`] add newer ones.
//!
//! # Name matching
//!
//! Names are normalised (transliterated to ASCII, lowercased, apostrophes and dots removed,
//! other punctuation and hyphens split tokens: `Jong-Un` = `Jong Un`; legal forms and
//! connectives such as `CORP`, `CORPORATION`, `CO`, `LTD`, `LLC`, `OF`, `THE` are optional).
//! Two names are compared token by token, in any order: equal tokens score 1, tokens of one
//! Korean romanisation class (`Kim`/`Gim`, `Jong`/`Chong`/`Jung`, `Ri`/`Rhee`/`Lee`/`Yi`,
//! `Pak`/`Park`/`Bak`, `Choe`/`Choi`, `Kang`/`Gang`, `Sin`/`Shin`, `O`/`Oh`, `Son`/`Sohn`,
//! `Kwon`/`Gwon`, `Han`, `Yun`/`Yoon`, ...) 0.97, an initial against a token starting with that
//! letter 0.75, other tokens of four or more letters their Jaro-Winkler similarity when at
//! least 0.84; shorter tokens must be equal or in one class. Tokens are paired greedily, best
//! first, and the name score is `2 * sum / (query tokens + listed tokens)`, which penalises
//! extra and missing tokens. A token written as one word (`Jongun`) is also tried split into
//! listed tokens, and two query tokens are also tried joined when the join is a listed token.
//! A one-token name (query or listed) and a name of three letters or fewer only match when
//! equal after normalisation. Hits are kept from [`DEFAULT_MIN_SCORE`] (0.88) up; with it, a
//! three-token listed name needs all three tokens (possibly as variants), and `K. J. Un`
//! against `KIM Jong Un` (0.83) needs a lower threshold ([`Sanctions::match_name_min`]).
//!
//! Speed: listed names are indexed by a key per token (its romanisation class, the token
//! itself for short tokens, or a consonant skeleton) and a query is only compared with names
//! sharing a key.
//!
//! **Fairness.** This matcher only ever compares a name with names *on the list*. It has no
//! notion of how "Korean" a name looks, and it must not be used that way: the romanisation
//! classes only make listed names robust to spelling; a common surname alone never matches a
//! multi-token listed name, and `Kim Lee` against a listed `KIM Yong Chol` scores 0.4.
//!
//! ```
//! use muster_intel::sanctions::{HitKind, Sanctions};
//!
//! let s = Sanctions::embedded();
//! assert_eq!(s.load_error(), None);
//! let hits = s.match_name("Trading Corp. Korea Mining-Development");
//! assert_eq!(hits[0].ent_num, 9345);
//! assert_eq!(s.match_name("KOMID")[0].matched_name, "KOMID");
//! assert!(s.match_name("John Smith").is_empty());
//!
//! let hits = s.match_crypto("0x098b716b8aaf21512996dc57eb0615e2383e2f96");
//! assert_eq!((hits[0].kind, hits[0].entry_name.as_str()), (HitKind::Crypto, "LAZARUS GROUP"));
//! assert!(s.match_email("haejinsm@silibank.net.kp")[0].dprk_related);
//! ```

mod crypto;
mod names;
mod sdn_csv;
mod xml;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

use crate::error::{IntelError, Result};
use crate::util::{read_all_maybe_gz, read_path};

use names::NameIndex;

/// Default minimum score of [`Sanctions::match_name`].
pub const DEFAULT_MIN_SCORE: f64 = 0.88;

/// Score of a domain that is a subdomain of a listed website or email domain.
const SUBDOMAIN_SCORE: f64 = 0.95;

/// Free / webmail providers: listed emails at these domains do not make the domain a hit.
const FREE_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "yahoo.co.uk",
    "ymail.com",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "msn.com",
    "aol.com",
    "icloud.com",
    "me.com",
    "mail.ru",
    "bk.ru",
    "inbox.ru",
    "list.ru",
    "yandex.ru",
    "yandex.com",
    "ya.ru",
    "rambler.ru",
    "ukr.net",
    "qq.com",
    "163.com",
    "126.com",
    "sina.com",
    "protonmail.com",
    "proton.me",
    "tutanota.com",
    "tuta.io",
    "gmx.com",
    "gmx.de",
    "web.de",
    "zoho.com",
];

/// What an SDN entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    /// A person.
    Individual,
    /// A company, organisation or group (SDN_Type `-0-`).
    Entity,
    /// A ship.
    Vessel,
    /// An aircraft.
    Aircraft,
}

impl EntryKind {
    /// `"individual"`, `"entity"`, `"vessel"` or `"aircraft"`.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Individual => "individual",
            EntryKind::Entity => "entity",
            EntryKind::Vessel => "vessel",
            EntryKind::Aircraft => "aircraft",
        }
    }
}

impl fmt::Display for EntryKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One SDN entry.
#[derive(Debug, Clone, PartialEq)]
pub struct SdnEntry {
    /// OFAC's entry number (`ent_num`, the `FixedRef` of `sdn_advanced.xml`).
    pub ent_num: u32,
    /// Primary name as listed (individuals: `SURNAME, Given Names`).
    pub name: String,
    /// Individual, entity, vessel or aircraft.
    pub kind: EntryKind,
    /// Sanctions programmes (`DPRK2`, `NPWMD`, `CYBER2`, ...).
    pub programs: Vec<String>,
    /// Title (legacy CSV column; `None` from XML).
    pub title: Option<String>,
    /// Strong aliases: `a.k.a.`, `f.k.a.` and `n.k.a.` names.
    pub aliases: Vec<String>,
    /// Weak (low-quality) aliases, matched only by exact equality (from XML only).
    pub weak_aliases: Vec<String>,
    /// Email addresses.
    pub emails: Vec<String>,
    /// Websites as listed (`www.example.com`).
    pub websites: Vec<String>,
    /// Digital-currency addresses: (currency code such as `XBT` or `ETH`, address).
    pub crypto: Vec<(String, String)>,
    /// Nationalities and citizenships (`Korea, North`; CSV only).
    pub nationalities: Vec<String>,
    /// Dates of birth as written (`18 Feb 1962`, `1976`; CSV only).
    pub dates_of_birth: Vec<String>,
    /// A DPRK programme, or remarks naming North Korea / `Korea, North` / Pyongyang.
    pub dprk_related: bool,
    /// The Remarks field (CSV only).
    pub remarks: Option<String>,
}

/// What a [`SanctionsHit`] matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HitKind {
    /// A primary name or alias.
    Name,
    /// A listed email address (or, from [`Sanctions::match_domain`], its domain).
    Email,
    /// A listed website.
    Website,
    /// A listed digital-currency address.
    Crypto,
}

impl HitKind {
    /// `"name"`, `"email"`, `"website"` or `"crypto"`.
    pub fn as_str(self) -> &'static str {
        match self {
            HitKind::Name => "name",
            HitKind::Email => "email",
            HitKind::Website => "website",
            HitKind::Crypto => "crypto",
        }
    }
}

impl fmt::Display for HitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A match against the sanctions data.
#[derive(Debug, Clone, PartialEq)]
pub struct SanctionsHit {
    /// Entry number; `0` for an address found only in the per-currency address lists (its
    /// entry is not in the loaded SDN snapshot).
    pub ent_num: u32,
    /// Primary name of the entry (for list-only addresses: `OFAC digital currency address
    /// list`).
    pub entry_name: String,
    /// The listed value that matched: the alias or primary name, email, website or address.
    pub matched_name: String,
    /// 1.0 for exact matches; name similarity in `[0, 1]` for names.
    pub score: f64,
    /// Programmes of the entry.
    pub programs: Vec<String>,
    /// Whether the entry is DPRK-related.
    pub dprk_related: bool,
    /// What matched.
    pub kind: HitKind,
    /// Currency code for [`HitKind::Crypto`] hits.
    pub currency: Option<String>,
}

/// Counts describing a loaded catalogue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SanctionsStats {
    /// SDN entries.
    pub entries: usize,
    /// Entries that are individuals.
    pub individuals: usize,
    /// Entries that are entities.
    pub entities: usize,
    /// Entries that are vessels.
    pub vessels: usize,
    /// Entries that are aircraft.
    pub aircraft: usize,
    /// Strong aliases.
    pub aliases: usize,
    /// Weak aliases.
    pub weak_aliases: usize,
    /// Listed email addresses.
    pub emails: usize,
    /// Listed websites.
    pub websites: usize,
    /// Digital-currency addresses found in entries.
    pub entry_crypto_addresses: usize,
    /// Distinct addresses of the per-currency lists.
    pub list_crypto_addresses: usize,
    /// Of those, addresses that also appear in an entry.
    pub list_crypto_mapped: usize,
    /// DPRK-related entries.
    pub dprk_entries: usize,
    /// Names (primary + aliases) in the name index.
    pub indexed_names: usize,
    /// Remarks fields cut at the legacy CSV's 1,000-character limit.
    pub truncated_remarks: usize,
}

#[derive(Debug, Clone)]
struct CryptoRec {
    currency: String,
    address: String,
    entry: Option<u32>,
}

/// The SDN catalogue with its matchers. See the [module docs](self).
#[derive(Debug, Clone, Default)]
pub struct Sanctions {
    entries: Vec<SdnEntry>,
    names: NameIndex,
    emails: HashMap<String, Vec<u32>>,
    domains: HashMap<String, Vec<(u32, HitKind, String)>>,
    crypto: HashMap<String, Vec<CryptoRec>>,
    /// Keys of addresses read from per-currency lists.
    list_keys: HashSet<String>,
    truncated_remarks: usize,
    load_error: Option<String>,
}

/// Lowercase host of a domain, URL or email address, without scheme, user, port, path,
/// trailing dot and leading `www.`.
fn normalize_host(s: &str) -> Option<String> {
    let mut t = s.trim();
    if let Some((_, rest)) = t.split_once("://") {
        t = rest;
    }
    t = t.split(['/', '?', '#']).next().unwrap_or("");
    if let Some((_, host)) = t.rsplit_once('@') {
        t = host;
    }
    if let Some((host, port)) = t.rsplit_once(':')
        && port.bytes().all(|b| b.is_ascii_digit())
    {
        t = host;
    }
    let h = t.trim_end_matches('.').to_ascii_lowercase();
    let h = h.strip_prefix("www.").unwrap_or(&h);
    let valid = h.contains('.')
        && !h.starts_with('.')
        && h.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    valid.then(|| h.to_string())
}

fn normalize_email(s: &str) -> Option<String> {
    let t = s.trim();
    let t = t.strip_prefix("mailto:").unwrap_or(t);
    let t = t.trim_matches(['<', '>']).trim().to_lowercase();
    let (user, host) = t.rsplit_once('@')?;
    (!user.is_empty() && !host.is_empty()).then_some(t)
}

impl Sanctions {
    /// The catalogue from the embedded SDN snapshot and address lists, parsed once per
    /// process. Never panics: a parse failure yields an empty catalogue and
    /// [`Sanctions::load_error`].
    pub fn embedded() -> &'static Sanctions {
        static EMBEDDED: OnceLock<Sanctions> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            const SDN: &[u8] = include_bytes!("../../../../data/sanctions/sdn.csv.gz");
            let label = "embedded:data/sanctions/sdn.csv.gz";
            match read_all_maybe_gz(SDN, label).and_then(|b| Self::from_csv_bytes(&b, label)) {
                Ok(s) => s,
                Err(e) => Sanctions {
                    load_error: Some(e.to_string()),
                    ..Sanctions::default()
                },
            }
        })
    }

    /// Loads an OFAC legacy `sdn.csv` (plain or gzip) plus the embedded address lists.
    pub fn from_sdn_csv(path: impl AsRef<Path>) -> Result<Sanctions> {
        let path = path.as_ref();
        Self::from_csv_bytes(&read_path(path)?, &path.display().to_string())
    }

    /// Like [`Sanctions::from_sdn_csv`], from a reader; `label` names it in errors.
    pub fn from_sdn_csv_reader(reader: impl Read, label: &str) -> Result<Sanctions> {
        Self::from_csv_bytes(&read_all_maybe_gz(reader, label)?, label)
    }

    /// Loads an OFAC `sdn_advanced.xml` (plain or gzip) plus the embedded address lists.
    pub fn from_sdn_advanced_xml(path: impl AsRef<Path>) -> Result<Sanctions> {
        let path = path.as_ref();
        Self::from_xml_bytes(&read_path(path)?, &path.display().to_string())
    }

    /// Like [`Sanctions::from_sdn_advanced_xml`], from a reader; `label` names it in errors.
    pub fn from_sdn_advanced_xml_reader(reader: impl Read, label: &str) -> Result<Sanctions> {
        Self::from_xml_bytes(&read_all_maybe_gz(reader, label)?, label)
    }

    fn from_csv_bytes(bytes: &[u8], label: &str) -> Result<Sanctions> {
        let (entries, truncated) = sdn_csv::parse(bytes, label)?;
        let mut s = Self::build(entries);
        s.truncated_remarks = truncated;
        Ok(s.with_embedded_crypto_lists())
    }

    fn from_xml_bytes(bytes: &[u8], label: &str) -> Result<Sanctions> {
        Ok(Self::build(xml::parse(bytes, label)?).with_embedded_crypto_lists())
    }

    fn build(entries: Vec<SdnEntry>) -> Sanctions {
        let mut s = Sanctions {
            names: NameIndex::new(),
            ..Sanctions::default()
        };
        for (i, e) in entries.iter().enumerate() {
            let idx = i as u32;
            s.names.add(idx, &e.name, false);
            for a in &e.aliases {
                s.names.add(idx, a, false);
            }
            for a in &e.weak_aliases {
                s.names.add(idx, a, true);
            }
            for em in &e.emails {
                if let Some(n) = normalize_email(em) {
                    if let Some((_, dom)) = n.rsplit_once('@')
                        && !FREE_MAIL.contains(&dom)
                    {
                        s.domains.entry(dom.to_string()).or_default().push((
                            idx,
                            HitKind::Email,
                            em.clone(),
                        ));
                    }
                    s.emails.entry(n).or_default().push(idx);
                }
            }
            for w in &e.websites {
                if let Some(h) = normalize_host(w) {
                    s.domains
                        .entry(h)
                        .or_default()
                        .push((idx, HitKind::Website, w.clone()));
                }
            }
            for (cur, addr) in &e.crypto {
                if let Some(k) = crypto::normalize_address(addr) {
                    s.crypto.entry(k).or_default().push(CryptoRec {
                        currency: cur.clone(),
                        address: addr.clone(),
                        entry: Some(idx),
                    });
                }
            }
        }
        for v in s.emails.values_mut() {
            v.dedup();
        }
        s.entries = entries;
        s
    }

    fn add_list_addresses(&mut self, currency: &str, addrs: Vec<String>) {
        for a in addrs {
            let Some(k) = crypto::normalize_address(&a) else {
                continue;
            };
            self.list_keys.insert(k.clone());
            let recs = self.crypto.entry(k).or_default();
            if recs.is_empty() {
                recs.push(CryptoRec {
                    currency: currency.to_string(),
                    address: a,
                    entry: None,
                });
            }
        }
    }

    fn with_embedded_crypto_lists(mut self) -> Self {
        for (cur, bytes) in crypto::EMBEDDED_LISTS {
            let label = format!("embedded:data/sanctions/crypto/sanctioned_addresses_{cur}.txt");
            if let Ok(addrs) = crypto::parse_list(bytes, &label) {
                self.add_list_addresses(cur, addrs);
            }
        }
        self
    }

    /// Adds one address list (one address per line, `#` comments) for `currency`.
    pub fn with_crypto_list(
        mut self,
        currency: &str,
        reader: impl Read,
        label: &str,
    ) -> Result<Sanctions> {
        let bytes = read_all_maybe_gz(reader, label)?;
        let addrs = crypto::parse_list(&bytes, label)?;
        self.add_list_addresses(currency, addrs);
        Ok(self)
    }

    /// Adds every `sanctioned_addresses_<CUR>.txt` of a directory (the layout of
    /// `0xB10C/ofac-sanctioned-digital-currency-addresses`).
    pub fn with_crypto_dir(mut self, dir: impl AsRef<Path>) -> Result<Sanctions> {
        let dir = dir.as_ref();
        let label = dir.display().to_string();
        let rd = std::fs::read_dir(dir).map_err(|e| IntelError::io(&label, e))?;
        let mut files = Vec::new();
        for ent in rd {
            let ent = ent.map_err(|e| IntelError::io(&label, e))?;
            let name = ent.file_name().to_string_lossy().into_owned();
            if let Some(cur) = crypto::currency_of_file(&name) {
                files.push((cur.to_string(), ent.path()));
            }
        }
        files.sort();
        for (cur, path) in files {
            let bytes = read_path(&path)?;
            let addrs = crypto::parse_list(&bytes, &path.display().to_string())?;
            self.add_list_addresses(&cur, addrs);
        }
        Ok(self)
    }

    /// All entries, in file order.
    pub fn entries(&self) -> &[SdnEntry] {
        &self.entries
    }

    /// The entry with this entry number.
    pub fn entry(&self, ent_num: u32) -> Option<&SdnEntry> {
        self.entries.iter().find(|e| e.ent_num == ent_num)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Why the embedded data failed to load, if it did.
    pub fn load_error(&self) -> Option<&str> {
        self.load_error.as_deref()
    }

    /// Counts of entries, aliases, emails, websites and addresses.
    pub fn stats(&self) -> SanctionsStats {
        let mut st = SanctionsStats {
            entries: self.entries.len(),
            indexed_names: self.names.names.len(),
            truncated_remarks: self.truncated_remarks,
            ..SanctionsStats::default()
        };
        for e in &self.entries {
            match e.kind {
                EntryKind::Individual => st.individuals += 1,
                EntryKind::Entity => st.entities += 1,
                EntryKind::Vessel => st.vessels += 1,
                EntryKind::Aircraft => st.aircraft += 1,
            }
            st.aliases += e.aliases.len();
            st.weak_aliases += e.weak_aliases.len();
            st.emails += e.emails.len();
            st.websites += e.websites.len();
            st.entry_crypto_addresses += e.crypto.len();
            st.dprk_entries += usize::from(e.dprk_related);
        }
        st.list_crypto_addresses = self.list_keys.len();
        st.list_crypto_mapped = self
            .list_keys
            .iter()
            .filter(|k| {
                self.crypto
                    .get(*k)
                    .is_some_and(|r| r.iter().any(|r| r.entry.is_some()))
            })
            .count();
        st
    }

    fn hit(&self, idx: u32, kind: HitKind, matched: &str, score: f64) -> Option<SanctionsHit> {
        let e = self.entries.get(idx as usize)?;
        Some(SanctionsHit {
            ent_num: e.ent_num,
            entry_name: e.name.clone(),
            matched_name: matched.to_string(),
            score,
            programs: e.programs.clone(),
            dprk_related: e.dprk_related,
            kind,
            currency: None,
        })
    }

    /// Matches a person's or organisation's name against listed names and aliases, keeping
    /// hits scoring at least [`DEFAULT_MIN_SCORE`]; best first, one hit per entry.
    pub fn match_name(&self, name: &str) -> Vec<SanctionsHit> {
        self.match_name_min(name, DEFAULT_MIN_SCORE)
    }

    /// [`Sanctions::match_name`] with an explicit minimum score (clamped to `[0, 1]`; scores
    /// of 0 are never returned).
    pub fn match_name_min(&self, name: &str, min_score: f64) -> Vec<SanctionsHit> {
        let min = if min_score.is_nan() {
            DEFAULT_MIN_SCORE
        } else {
            min_score.clamp(0.0, 1.0)
        };
        let mut best: HashMap<u32, (f64, u32)> = HashMap::new();
        for (name_idx, score) in self.names.search(name, min) {
            let Some(n) = self.names.names.get(name_idx as usize) else {
                continue;
            };
            let e = best.entry(n.entry).or_insert((score, name_idx));
            if score > e.0 || (score == e.0 && name_idx < e.1) {
                *e = (score, name_idx);
            }
        }
        let mut hits: Vec<SanctionsHit> = best
            .into_iter()
            .filter_map(|(entry, (score, name_idx))| {
                let n = self.names.names.get(name_idx as usize)?;
                self.hit(entry, HitKind::Name, &n.display, score)
            })
            .collect();
        sort_hits(&mut hits);
        hits
    }

    /// Exact (case-insensitive) match of an email address against listed emails.
    pub fn match_email(&self, email: &str) -> Vec<SanctionsHit> {
        let Some(n) = normalize_email(email) else {
            return Vec::new();
        };
        let mut hits: Vec<SanctionsHit> = self
            .emails
            .get(&n)
            .into_iter()
            .flatten()
            .filter_map(|&idx| {
                let e = self.entries.get(idx as usize)?;
                let listed = e.emails.iter().find(|x| x.eq_ignore_ascii_case(&n))?;
                self.hit(idx, HitKind::Email, listed, 1.0)
            })
            .collect();
        sort_hits(&mut hits);
        hits
    }

    /// Matches a domain, URL or email address against listed website hosts and the domains of
    /// listed emails (scheme, path, port and a leading `www.` ignored). Equal hosts score 1.0,
    /// subdomains of a listed host 0.95. Domains of free-mail providers (`gmail.com`, ...) are
    /// never hits.
    pub fn match_domain(&self, domain_or_url: &str) -> Vec<SanctionsHit> {
        let Some(host) = normalize_host(domain_or_url) else {
            return Vec::new();
        };
        let mut hits = Vec::new();
        let mut suffix = host.as_str();
        let mut score = 1.0;
        loop {
            if let Some(list) = self.domains.get(suffix) {
                for (idx, kind, listed) in list {
                    if let Some(h) = self.hit(*idx, *kind, listed, score)
                        && !hits.contains(&h)
                    {
                        hits.push(h);
                    }
                }
            }
            match suffix.split_once('.') {
                Some((_, rest)) if rest.contains('.') => {
                    suffix = rest;
                    score = SUBDOMAIN_SCORE;
                }
                _ => break,
            }
        }
        sort_hits(&mut hits);
        hits
    }

    /// Exact match of a digital-currency address (case-insensitive for `0x` hex, bech32 and
    /// cashaddr addresses, case-sensitive for base58). Addresses in the per-currency lists that
    /// are not in any loaded entry give a hit with `ent_num` 0.
    pub fn match_crypto(&self, address: &str) -> Vec<SanctionsHit> {
        let Some(k) = crypto::normalize_address(address) else {
            return Vec::new();
        };
        let mut hits = Vec::new();
        for r in self.crypto.get(&k).into_iter().flatten() {
            let h = match r.entry {
                Some(idx) => self.hit(idx, HitKind::Crypto, &r.address, 1.0),
                None => Some(SanctionsHit {
                    ent_num: 0,
                    entry_name: "OFAC digital currency address list".to_string(),
                    matched_name: r.address.clone(),
                    score: 1.0,
                    programs: Vec::new(),
                    dprk_related: false,
                    kind: HitKind::Crypto,
                    currency: None,
                }),
            };
            if let Some(mut h) = h {
                h.currency = Some(r.currency.clone());
                if !hits.contains(&h) {
                    hits.push(h);
                }
            }
        }
        sort_hits(&mut hits);
        hits
    }
}

fn sort_hits(hits: &mut [SanctionsHit]) {
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.dprk_related.cmp(&a.dprk_related))
            .then(a.ent_num.cmp(&b.ent_num))
            .then_with(|| a.matched_name.cmp(&b.matched_name))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(
            normalize_host("https://WWW.Example.com:8080/a?b").as_deref(),
            Some("example.com")
        );
        assert_eq!(
            normalize_host("bob@mail.example.com").as_deref(),
            Some("mail.example.com")
        );
        assert_eq!(normalize_host("localhost"), None);
        assert_eq!(normalize_host(""), None);
        assert_eq!(
            normalize_email(" <Bob@Example.COM> ").as_deref(),
            Some("bob@example.com")
        );
    }
}
