//! Input records and their normalised, interned form (a column table).
//!
//! Every comparable value is normalised once (muster-normalize's rules, the same ones the
//! detections use) and interned per column, so that equality is an integer comparison and the
//! frequency of each value (for term-frequency adjustment and hub detection) is a counter.

use muster_normalize::address::normalize_us_address;
use muster_normalize::email::normalize_email;
use muster_normalize::name::name_tokens;
use muster_normalize::phone::normalize_phone;

/// One people record, as text. Resolution reads only these fields; everything is optional
/// except the id.
///
/// Field names follow the contract's `people` table; `bank_account` and `attrs` are
/// resolution's own extensions (a payroll account, and extra exact-match attributes such as an
/// occupation or a birth place).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// The record's key (`people.person_id`); unique within one resolution.
    pub id: String,
    /// The name as written; used when `given_name` / `family_name` are missing.
    pub full_name: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// `YYYY-MM-DD`, `YYYYMMDD`, `YYYY/MM/DD`, `MM/DD/YYYY` or `DD.MM.YYYY` (a time part is ignored).
    pub date_of_birth: Option<String>,
    /// National id (e.g. a US SSN) in any formatting; compared as digits and never output.
    pub national_id: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address_line1: Option<String>,
    pub address_line2: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    /// ISO 3166 alpha-2; the default region for phone numbers (US when missing).
    pub country: Option<String>,
    /// A payroll account number or a stable token of it.
    pub bank_account: Option<String>,
    /// Extra attributes compared for exact equality (with term-frequency adjustment), in the
    /// order of [`crate::Settings::attr_names`].
    pub attrs: Vec<Option<String>>,
}

/// Interned value: an index into a column's dictionary.
pub(crate) type Sym = u32;
/// The null value of a [`Sym`] column.
pub(crate) const NONE: Sym = u32::MAX;

/// A dictionary of one column's distinct values, with how many records hold each. Each value
/// is stored once; the hash table holds indices into it.
#[derive(Debug, Default, Clone)]
pub(crate) struct Dict {
    table: hashbrown::HashTable<Sym>,
    hasher: foldhash::fast::FixedState,
    strs: crate::arena::StrArena,
    pub counts: Vec<u32>,
    /// Records with a non-null value.
    pub nonnull: u64,
    /// Sum over values of count², for the probability that two random records agree.
    pub sum_sq: f64,
}

impl Dict {
    /// The symbol of `s`, counting one more record that holds it.
    pub fn intern(&mut self, s: &str) -> Sym {
        let id = self.insert(s);
        self.add(id);
        id
    }

    /// The symbol of `s`, added (with a count of 0) when new.
    fn insert(&mut self, s: &str) -> Sym {
        use std::hash::BuildHasher;
        let hash = self.hasher.hash_one(s);
        let strs = &self.strs;
        if let Some(&id) = self.table.find(hash, |&id| strs.is(id as usize, s)) {
            return id;
        }
        let id = self.strs.push(s) as Sym;
        self.counts.push(0);
        let (strs, hasher) = (&self.strs, &self.hasher);
        self.table
            .insert_unique(hash, id, |&i| hasher.hash_one(strs.get(i as usize)));
        id
    }

    /// Counts one more record holding value `id` (already interned).
    fn add(&mut self, id: Sym) {
        if let Some(c) = self.counts.get_mut(id as usize) {
            self.sum_sq += f64::from(2 * *c + 1);
            *c += 1;
            self.nonnull += 1;
        }
    }

    pub fn str(&self, s: Sym) -> &str {
        self.strs.get(s as usize)
    }

    /// Bytes the distinct values longer than 12 bytes take in the shared buffer (shorter ones
    /// live in their views): what sizing the buffer needs to know.
    pub fn bytes(&self) -> usize {
        self.strs.bytes()
    }

    /// Room for `n` more distinct values of about `avg` bytes, so a dictionary that grows to
    /// millions of values is not rehashed (every value read again) at each doubling.
    pub fn reserve(&mut self, n: usize, avg: usize) {
        let (strs, hasher) = (&self.strs, &self.hasher);
        self.table.reserve(n, |&i| {
            std::hash::BuildHasher::hash_one(hasher, strs.get(i as usize))
        });
        self.strs.reserve(n, avg);
        self.counts.reserve(n);
    }

    pub fn count(&self, s: Sym) -> u32 {
        self.counts.get(s as usize).copied().unwrap_or(0)
    }

    /// Relative term-frequency factor of value `s`: P(two random records agree) / P(a random
    /// record has `s`), i.e. how much rarer than average an agreement on `s` is.
    pub fn tf_factor(&self, s: Sym) -> f64 {
        let n = self.nonnull as f64;
        let c = f64::from(self.count(s).max(1));
        if n <= 0.0 {
            return 1.0;
        }
        (self.sum_sq / (n * n)) / (c / n)
    }
}

/// One column of interned values.
#[derive(Debug, Default, Clone)]
pub(crate) struct Column {
    pub ids: Vec<Sym>,
    pub dict: Dict,
}

impl Column {
    fn push(&mut self, v: Option<&str>) {
        let id = match v {
            Some(s) if !s.is_empty() => self.dict.intern(s),
            _ => NONE,
        };
        self.ids.push(id);
    }

    /// Appends value `id`, already in the dictionary (`NONE` for null).
    fn push_sym(&mut self, id: Sym) {
        if id != NONE {
            self.dict.add(id);
        }
        self.ids.push(id);
    }

    #[inline]
    pub fn get(&self, r: usize) -> Sym {
        self.ids.get(r).copied().unwrap_or(NONE)
    }

    #[inline]
    pub fn str(&self, r: usize) -> Option<&str> {
        let s = self.get(r);
        (s != NONE).then(|| self.dict.str(s))
    }

    pub fn present(&self) -> bool {
        self.dict.nonnull > 0
    }
}

/// Counts of values that could not be read (the record is kept; the field is treated as null).
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldIssues {
    pub date_of_birth_unreadable: u64,
    pub email_unreadable: u64,
    pub phone_unreadable: u64,
    /// National ids that are placeholders (one digit repeated, `123456789`) or partial (fewer
    /// than six digits, e.g. the last four of an SSN).
    pub national_id_placeholder: u64,
}

/// Records in column form, normalised and interned.
#[derive(Debug, Default, Clone)]
pub(crate) struct Table {
    pub ids: Vec<Box<str>>,
    /// First given-name token.
    pub given: Column,
    /// Nickname group of the first given-name token (e.g. `bill` -> `william`), or the token.
    pub given_canon: Column,
    /// The `given_canon` symbol of each `given` symbol seen so far (`NONE` = not yet).
    canon_of_given: Vec<Sym>,
    /// Family name, all tokens.
    pub family: Column,
    /// Date of birth as `yyyymmdd`, 0 when unknown.
    pub dob: Vec<u32>,
    pub nid: Column,
    pub email: Column,
    pub phone: Column,
    /// Primary address line, USPS-standardised.
    pub street: Column,
    pub city: Column,
    pub postal: Column,
    pub bank: Column,
    pub attrs: Vec<Column>,
    pub issues: FieldIssues,
    /// Every record's symbols in one cache line (row-major copy of the columns), so comparing
    /// two random records costs two memory reads, not twenty. Built by [`Table::build_rows`].
    pub rows: Vec<Row>,
    /// Seconds spent normalising and interning (for the statistics).
    pub normalise_seconds: f64,
    /// Seconds the end of reading waited for normalisation.
    pub waited_seconds: f64,
}

/// One record's symbols, in the order of the `F_*` constants (date of birth as `yyyymmdd`).
#[derive(Debug, Clone, Copy, Default)]
#[repr(C, align(64))]
pub(crate) struct Row(pub [u32; 16]);

pub(crate) const F_GIVEN: usize = 0;
pub(crate) const F_CANON: usize = 1;
pub(crate) const F_FAMILY: usize = 2;
pub(crate) const F_DOB: usize = 3;
pub(crate) const F_NID: usize = 4;
pub(crate) const F_EMAIL: usize = 5;
pub(crate) const F_PHONE: usize = 6;
pub(crate) const F_STREET: usize = 7;
pub(crate) const F_CITY: usize = 8;
pub(crate) const F_POSTAL: usize = 9;
pub(crate) const F_BANK: usize = 10;
/// Attributes 0..5 follow; later ones are read from their columns.
pub(crate) const F_ATTR0: usize = 11;
const ROW_ATTRS: usize = 5;

impl Table {
    pub fn new(n_attrs: usize) -> Self {
        Table {
            attrs: vec![Column::default(); n_attrs],
            ..Table::default()
        }
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Room for `n` more records: the symbol columns, and the dictionaries of the identifiers
    /// (national id, email, phone, street, bank account), each sized by its share of distinct
    /// values among the records already pushed (call it after a first batch). An identifier
    /// that is nearly one value per record gets room for `n` values; a column the input does
    /// not have gets none. Names, cities and postcodes repeat and keep growing on demand.
    pub fn reserve(&mut self, n: usize) {
        let seen = self.len().max(1) as f64;
        self.ids.reserve(n);
        self.dob.reserve(n);
        for c in [
            &mut self.given,
            &mut self.given_canon,
            &mut self.family,
            &mut self.city,
            &mut self.postal,
        ]
        .into_iter()
        .chain(self.attrs.iter_mut())
        {
            c.ids.reserve(n);
        }
        for c in [
            &mut self.nid,
            &mut self.email,
            &mut self.phone,
            &mut self.street,
            &mut self.bank,
        ] {
            c.ids.reserve(n);
            let distinct = c.dict.counts.len();
            if distinct > 0 {
                let share = distinct as f64 / seen;
                let bytes = c.dict.bytes() / distinct;
                c.dict.reserve((n as f64 * share).ceil() as usize, bytes);
            }
        }
    }

    /// Symbol `f` (an `F_*` constant, or `F_ATTR0 + k`) of record `r`; the date of birth as
    /// `yyyymmdd` (0 = unknown).
    #[inline]
    pub fn sym(&self, r: usize, f: usize) -> Sym {
        if f < F_ATTR0 + ROW_ATTRS
            && let Some(row) = self.rows.get(r)
        {
            return row.0[f];
        }
        self.col_sym(r, f)
    }

    fn col_sym(&self, r: usize, f: usize) -> Sym {
        match f {
            F_GIVEN => self.given.get(r),
            F_CANON => self.given_canon.get(r),
            F_FAMILY => self.family.get(r),
            F_DOB => self.dob.get(r).copied().unwrap_or(0),
            F_NID => self.nid.get(r),
            F_EMAIL => self.email.get(r),
            F_PHONE => self.phone.get(r),
            F_STREET => self.street.get(r),
            F_CITY => self.city.get(r),
            F_POSTAL => self.postal.get(r),
            F_BANK => self.bank.get(r),
            _ => self.attrs.get(f - F_ATTR0).map_or(NONE, |c| c.get(r)),
        }
    }

    /// The column of symbol `f` (not for the date of birth).
    pub fn column(&self, f: usize) -> Option<&Column> {
        Some(match f {
            F_GIVEN => &self.given,
            F_CANON => &self.given_canon,
            F_FAMILY => &self.family,
            F_NID => &self.nid,
            F_EMAIL => &self.email,
            F_PHONE => &self.phone,
            F_STREET => &self.street,
            F_CITY => &self.city,
            F_POSTAL => &self.postal,
            F_BANK => &self.bank,
            F_DOB => return None,
            _ => return self.attrs.get(f - F_ATTR0),
        })
    }

    /// Brings the row-major copy up to date with the columns.
    pub fn build_rows(&mut self) {
        let n = self.len();
        self.rows.reserve(n.saturating_sub(self.rows.len()));
        for r in self.rows.len()..n {
            let mut row = Row([NONE; 16]);
            for (f, slot) in row.0.iter_mut().enumerate().take(F_ATTR0 + ROW_ATTRS) {
                *slot = self.col_sym(r, f);
            }
            self.rows.push(row);
        }
    }

    /// Normalises and appends one record; returns its index.
    pub fn push(&mut self, r: &Record) -> usize {
        let n = normalize(r, self.attrs.len());
        self.push_norm(r.id.as_str().into(), n)
    }

    /// Appends a batch of normalised records (`parts` in order, their ids in `ids`). The
    /// columns are interned in two groups, on two threads for a large batch and inline for a
    /// small one (one record added to an index).
    pub fn push_batch(&mut self, ids: impl IntoIterator<Item = Box<str>>, parts: &[Vec<Norm>]) {
        let Table {
            ids: t_ids,
            given,
            given_canon,
            canon_of_given,
            family,
            dob,
            nid,
            email,
            phone,
            street,
            city,
            postal,
            bank,
            attrs,
            issues,
            rows: _,
            normalise_seconds: _,
            waited_seconds: _,
        } = self;
        let norms = || parts.iter().flatten();
        let n_norms: usize = parts.iter().map(Vec::len).sum();
        let mut names = move || {
            for n in norms() {
                given.push(n.given.as_deref());
                // the nickname group is looked up once per distinct given name, not per
                // record: given symbols are numbered in order of first sight, so a new one
                // is the next index of `canon_of_given`
                let g = given.ids.last().map_or(NONE, |&g| g) as usize;
                if let Some(name) = n.given.as_deref()
                    && g == canon_of_given.len()
                {
                    canon_of_given.push(given_canon.dict.insert(nickname_group(name)));
                }
                given_canon.push_sym(canon_of_given.get(g).map_or(NONE, |&c| c));
                family.push(n.family.as_deref());
                nid.push(n.nid.as_deref());
                email.push(n.email.as_deref());
            }
        };
        let mut places = move || {
            for n in norms() {
                phone.push(n.phone.as_deref());
                street.push(n.street.as_deref());
                city.push(n.city.as_deref());
                postal.push(n.postal.as_deref());
                bank.push(n.bank.as_deref());
                for (k, col) in attrs.iter_mut().enumerate() {
                    col.push(n.attrs.get(k).and_then(|v| v.as_deref()));
                }
            }
        };
        if n_norms >= 1024 {
            std::thread::scope(|s| {
                s.spawn(names);
                s.spawn(places);
            });
        } else {
            names();
            places();
        }
        for n in norms() {
            dob.push(n.dob);
            issues.add(n.issues);
        }
        t_ids.extend(ids);
    }

    /// Appends one normalised record; returns its index.
    pub fn push_norm(&mut self, id: Box<str>, n: Norm) -> usize {
        let idx = self.ids.len();
        self.push_batch([id], &[vec![n]]);
        idx
    }
}

impl FieldIssues {
    fn add(&mut self, flags: u8) {
        self.date_of_birth_unreadable += u64::from(flags & ISSUE_DOB != 0);
        self.email_unreadable += u64::from(flags & ISSUE_EMAIL != 0);
        self.phone_unreadable += u64::from(flags & ISSUE_PHONE != 0);
        self.national_id_placeholder += u64::from(flags & ISSUE_NID != 0);
    }
}

const ISSUE_DOB: u8 = 1;
const ISSUE_EMAIL: u8 = 2;
const ISSUE_PHONE: u8 = 4;
const ISSUE_NID: u8 = 8;

/// One record's normalised values, before interning (computed in parallel).
#[derive(Debug, Clone, Default)]
pub(crate) struct Norm {
    given: Option<String>,
    family: Option<String>,
    dob: u32,
    nid: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    street: Option<String>,
    city: Option<String>,
    postal: Option<String>,
    bank: Option<String>,
    attrs: Vec<Option<String>>,
    issues: u8,
}

/// Normalises one record (pure; no shared state).
pub(crate) fn normalize(r: &Record, n_attrs: usize) -> Norm {
    let mut issues = 0u8;
    let (given, family) = split_name(r);
    let dob = match opt(&r.date_of_birth) {
        Some(s) => parse_dob(s).unwrap_or_else(|| {
            issues |= ISSUE_DOB;
            0
        }),
        None => 0,
    };
    let nid = opt(&r.national_id).and_then(|s| {
        let d = national_id_digits(s);
        if d.is_none() {
            issues |= ISSUE_NID;
        }
        d
    });
    let email = opt(&r.email).and_then(|s| {
        let e = normalize_email(s);
        if e.is_none() {
            issues |= ISSUE_EMAIL;
        }
        e
    });
    let region = opt(&r.country)
        .filter(|c| c.len() == 2)
        .map(str::to_ascii_uppercase)
        .unwrap_or_else(|| "US".to_string());
    let phone = opt(&r.phone).and_then(|s| {
        let p = normalize_phone(s, &region).or_else(|| {
            let digits: String = s.chars().filter(char::is_ascii_digit).collect();
            (digits.len() >= 7).then_some(digits)
        });
        if p.is_none() {
            issues |= ISSUE_PHONE;
        }
        p
    });
    let has_address = [
        &r.address_line1,
        &r.address_line2,
        &r.city,
        &r.region,
        &r.postal_code,
    ]
    .iter()
    .any(|v| opt(v).is_some());
    let (street, city, postal) = if has_address {
        let a = normalize_us_address(
            opt(&r.address_line1).unwrap_or(""),
            opt(&r.address_line2),
            opt(&r.city).unwrap_or(""),
            opt(&r.region).unwrap_or(""),
            opt(&r.postal_code).unwrap_or(""),
        );
        let postal = a.zip5.clone().or_else(|| {
            opt(&r.postal_code).map(|p| {
                p.chars()
                    .filter(char::is_ascii_alphanumeric)
                    .map(|c| c.to_ascii_uppercase())
                    .collect()
            })
        });
        (
            Some(a.line1).filter(|s| !s.is_empty()),
            Some(a.city).filter(|s| !s.is_empty()),
            postal.filter(|s: &String| !s.is_empty()),
        )
    } else {
        (None, None, None)
    };
    let bank = opt(&r.bank_account)
        .map(|s| {
            s.chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_uppercase())
                .collect::<String>()
        })
        .filter(|s| s.len() >= 4);
    let attrs = (0..n_attrs)
        .map(|k| {
            r.attrs
                .get(k)
                .and_then(|v| opt(v))
                .map(|s| name_tokens(s).join(" "))
                .filter(|s| !s.is_empty())
        })
        .collect();
    Norm {
        given,
        family,
        dob,
        nid,
        email,
        phone,
        street,
        city,
        postal,
        bank,
        attrs,
        issues,
    }
}

fn opt(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Generational suffixes, dropped from names before comparison.
const SUFFIXES: [&str; 7] = ["jr", "sr", "ii", "iii", "iv", "junior", "senior"];

/// The first given-name token and the family name (all its tokens), from the split fields
/// or, when they are missing, from `full_name` (`Family, Given` or `Given ... Family`).
fn split_name(r: &Record) -> (Option<String>, Option<String>) {
    let clean = |s: &str| -> Vec<String> {
        name_tokens(s)
            .into_iter()
            .filter(|t| !SUFFIXES.contains(&t.as_str()))
            .collect()
    };
    let mut given = opt(&r.given_name).and_then(|g| clean(g).into_iter().next());
    let mut family = opt(&r.family_name)
        .map(|f| clean(f).join(" "))
        .filter(|f| !f.is_empty());
    if (given.is_none() || family.is_none())
        && let Some(full) = opt(&r.full_name)
    {
        let (g, f) = match full.split_once(',') {
            Some((last, first)) => (clean(first).into_iter().next(), Some(clean(last).join(" "))),
            None => {
                let t = clean(full);
                let fam_tokens: Vec<&String> = match &family {
                    Some(f) => {
                        let ft: Vec<&str> = f.split(' ').collect();
                        t.iter().filter(|x| ft.contains(&x.as_str())).collect()
                    }
                    None => Vec::new(),
                };
                let g = t
                    .iter()
                    .find(|x| !fam_tokens.contains(x))
                    .cloned()
                    .or_else(|| t.first().cloned());
                let f = if t.len() >= 2 {
                    t.last().cloned()
                } else {
                    None
                };
                (g, f)
            }
        };
        given = given.or(g);
        family = family.or(f.filter(|f| !f.is_empty()));
    }
    (given, family)
}

/// Parses a date of birth into `yyyymmdd`; `None` when it is not a plausible date.
pub(crate) fn parse_dob(s: &str) -> Option<u32> {
    let s = s.trim();
    let s = s.split(['T', ' ']).next().unwrap_or(s);
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    let num = |p: &str| -> Option<u32> {
        if p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse().ok()
    };
    let (y, m, d) = match parts.as_slice() {
        [one] if one.len() == 8 && one.bytes().all(|b| b.is_ascii_digit()) => {
            let v: u32 = one.parse().ok()?;
            (v / 10000, v / 100 % 100, v % 100)
        }
        [a, b, c] if a.len() == 4 => (num(a)?, num(b)?, num(c)?),
        [a, b, c] if c.len() == 4 => {
            let (a, b, y) = (num(a)?, num(b)?, num(c)?);
            // `.` separates day.month.year (European); `/` is month/day/year unless the
            // first number cannot be a month.
            if s.contains('.') || a > 12 {
                (y, b, a)
            } else {
                (y, a, b)
            }
        }
        _ => return None,
    };
    if !(1..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some(y * 10000 + m * 100 + d)
}

/// Digits of a national id, or `None` for placeholders and partial numbers: fewer than 6
/// digits (an ATS's "last four" of an SSN collides by chance across strangers and is not an
/// identity anchor), one digit repeated, `123456789`.
fn national_id_digits(s: &str) -> Option<String> {
    let d: String = s.chars().filter(char::is_ascii_digit).collect();
    if d.len() < 6 {
        return None;
    }
    let first = d.as_bytes()[0];
    if d.bytes().all(|b| b == first) || d == "123456789" || d == "012345678" {
        return None;
    }
    Some(d)
}

/// Common English given-name variants (diminutives and short forms), grouped under one name.
/// Only used to say that two given names may be the same person's; never as evidence of
/// anything else. Short forms shared by two groups (Pat, Sam, Alex, Chris, Jon, Terry, ...)
/// and names that stand on their own (Liam, Sandra, Kim, Tina, ...) are left out.
const NICKNAMES: &[(&str, &[&str])] = &[
    ("william", &["bill", "billy", "will", "willy"]),
    ("robert", &["bob", "bobby", "rob", "robbie"]),
    ("richard", &["rick", "ricky", "dick", "rich", "richie"]),
    ("james", &["jim", "jimmy", "jamie"]),
    ("john", &["jack", "johnny"]),
    ("joseph", &["joe", "joey"]),
    ("michael", &["mike", "mikey", "mick"]),
    ("thomas", &["tom", "tommy"]),
    ("charles", &["charlie", "chuck", "chas"]),
    ("christopher", &["topher"]),
    ("daniel", &["dan", "danny"]),
    ("matthew", &["matt", "matty"]),
    ("anthony", &["tony"]),
    ("andrew", &["andy", "drew"]),
    ("joshua", &["josh"]),
    ("david", &["dave", "davey"]),
    ("steven", &["steve", "stephen"]),
    ("edward", &["ed", "eddie", "ned"]),
    ("benjamin", &["ben", "benny"]),
    ("samuel", &["sammie"]),
    ("nicholas", &["nick", "nicky"]),
    ("jonathan", &["jonny"]),
    ("timothy", &["tim", "timmy"]),
    ("gregory", &["greg"]),
    ("patrick", &["paddy"]),
    ("peter", &["pete"]),
    ("ronald", &["ron", "ronnie"]),
    ("donald", &["don", "donnie"]),
    ("kenneth", &["ken", "kenny"]),
    ("lawrence", &["larry"]),
    ("raymond", &["ray"]),
    ("frederick", &["fred", "freddie"]),
    ("henry", &["hank"]),
    ("zachary", &["zach", "zack"]),
    ("elizabeth", &["liz", "lizzie", "eliza", "betty", "libby"]),
    ("katherine", &["kate", "katie", "catherine", "kathryn"]),
    ("margaret", &["maggie", "meg", "peggy", "marge"]),
    ("jennifer", &["jen", "jenny"]),
    ("jessica", &["jess", "jessie"]),
    ("patricia", &["patty", "trish"]),
    ("susan", &["sue", "suzy"]),
    ("deborah", &["deb", "debbie"]),
    ("rebecca", &["becky", "becca"]),
    ("victoria", &["vicky", "tori"]),
    ("christina", &["christine"]),
    ("samantha", &["sammi"]),
    ("alexandra", &["alexa"]),
    ("abigail", &["abby"]),
    ("kimberly", &["kimmy"]),
    ("pamela", &["pam"]),
    ("cynthia", &["cindy"]),
    ("stephanie", &["steph"]),
    ("amanda", &["mandy"]),
    ("dorothy", &["dot", "dottie"]),
    ("barbara", &["barb", "barbie"]),
    ("judith", &["judy"]),
    ("theresa", &["tess", "teresa"]),
];

/// The group name of a given-name token (the token itself when it has no group).
pub(crate) fn nickname_group(token: &str) -> &str {
    for (full, short) in NICKNAMES {
        if *full == token || short.contains(&token) {
            return full;
        }
    }
    token
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn dob_forms() {
        assert_eq!(parse_dob("1971-06-24"), Some(19710624));
        assert_eq!(parse_dob("19710624"), Some(19710624));
        assert_eq!(parse_dob("06/24/1971"), Some(19710624));
        assert_eq!(parse_dob("24/06/1971"), Some(19710624));
        assert_eq!(parse_dob("24.06.1971"), Some(19710624));
        assert_eq!(parse_dob("1971-06-24T00:00:00Z"), Some(19710624));
        assert_eq!(parse_dob("1971-13-24"), None);
        assert_eq!(parse_dob("not a date"), None);
        assert_eq!(parse_dob(""), None);
    }

    #[test]
    fn names_from_full_name() {
        let r = Record {
            full_name: Some("García, José Luis".into()),
            ..Record::default()
        };
        assert_eq!(split_name(&r), (Some("jose".into()), Some("garcia".into())));
        let r = Record {
            full_name: Some("Robert James Smith Jr.".into()),
            ..Record::default()
        };
        assert_eq!(
            split_name(&r),
            (Some("robert".into()), Some("smith".into()))
        );
        let r = Record {
            given_name: Some("Mary-Ann".into()),
            family_name: Some("O'Brien".into()),
            ..Record::default()
        };
        assert_eq!(
            split_name(&r),
            (Some("mary".into()), Some("o brien".into()))
        );
    }

    #[test]
    fn placeholders_are_null() {
        let mut t = Table::new(0);
        for nid in ["000-00-0000", "123-45-6789", "6789", "123-45-6780"] {
            t.push(&Record {
                id: nid.into(),
                national_id: Some(nid.into()),
                ..Record::default()
            });
        }
        assert_eq!(t.nid.str(0), None);
        assert_eq!(t.nid.str(1), None);
        assert_eq!(t.nid.str(2), None);
        assert_eq!(t.nid.str(3), Some("123456780"));
        assert_eq!(t.issues.national_id_placeholder, 3);
    }

    #[test]
    fn only_identifiers_the_input_has_are_sized() {
        let mut t = Table::new(0);
        for i in 0..200 {
            t.push(&Record {
                id: i.to_string(),
                national_id: Some(format!("{:09}", 100_000_000 + i)),
                phone: Some(format!("212 555 {:04}", i % 20)),
                ..Record::default()
            });
        }
        t.reserve(10_000);
        // unique national ids: room for about every new record; a phone shared by ten
        // records each: about a tenth; no email or bank account: nothing
        assert!(t.nid.dict.table.capacity() >= 10_000);
        let phones = t.phone.dict.table.capacity();
        assert!((1_000..5_000).contains(&phones), "{phones}");
        assert_eq!(t.email.dict.table.capacity(), 0);
        assert_eq!(t.bank.dict.table.capacity(), 0);
        assert!(t.ids.capacity() >= 10_200);
    }

    #[test]
    fn nickname_groups_are_the_same_when_looked_up_once_per_name() {
        let mut t = Table::new(0);
        let names = [
            "Bill", "William", "bill", "Jon", "Bill", "Zed", "", "Billy", "Zed",
        ];
        for (i, g) in names.iter().enumerate() {
            let r = Record {
                id: i.to_string(),
                given_name: Some((*g).to_string()).filter(|g| !g.is_empty()),
                family_name: Some("Doe".into()),
                ..Record::default()
            };
            t.push(&r);
        }
        for (i, g) in names.iter().enumerate() {
            let want = (!g.is_empty()).then(|| nickname_group(&g.to_lowercase()).to_string());
            assert_eq!(
                t.given_canon.str(i).map(str::to_string),
                want,
                "record {i} ({g})"
            );
        }
        let william = t.given_canon.get(0);
        assert_eq!(t.given_canon.dict.count(william), 5);
        assert_eq!(t.given_canon.dict.count(t.given_canon.get(5)), 2);
        assert_eq!(t.given_canon.dict.nonnull, 8);
    }

    #[test]
    fn tf_factor_rare_above_common() {
        let mut d = Dict::default();
        for _ in 0..98 {
            d.intern("smith");
        }
        let rare = d.intern("zylstra");
        d.intern("zylstra");
        let common = d.intern("smith");
        assert!(d.tf_factor(rare) > 1.0);
        assert!(d.tf_factor(common) < 1.0);
    }

    proptest! {
        #[test]
        fn any_record_pushes(id in ".{0,12}", name in ".{0,30}", dob in ".{0,14}", phone in ".{0,20}",
                             email in ".{0,30}", nid in ".{0,14}", addr in ".{0,40}") {
            let mut t = Table::new(1);
            t.push(&Record {
                id, full_name: Some(name), date_of_birth: Some(dob), phone: Some(phone),
                email: Some(email), national_id: Some(nid), address_line1: Some(addr),
                attrs: vec![Some("x".into())], ..Record::default()
            });
            prop_assert_eq!(t.len(), 1);
            prop_assert_eq!(t.dob.len(), 1);
        }

        #[test]
        fn dob_roundtrip(y in 1900u32..2030, m in 1u32..=12, d in 1u32..=28) {
            let iso = format!("{y:04}-{m:02}-{d:02}");
            let us = format!("{m:02}/{d:02}/{y:04}");
            prop_assert_eq!(parse_dob(&iso), Some(y * 10000 + m * 100 + d));
            prop_assert_eq!(parse_dob(&us), Some(y * 10000 + m * 100 + d));
        }
    }
}
