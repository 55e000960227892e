//! Comparisons: for each attribute, the agreement level of a pair of records.
//!
//! Level 0 is "no evidence" (a value missing on either side, or a shared identifier that is a
//! hub, see [`crate::hubs`]); level 1 is the strongest agreement and the last level is
//! "different". The levels are Fellegi–Sunter comparison vectors: the model learns how likely
//! each level is among pairs of one person (m) and among pairs of different people (u).

use crate::strings::{jaro_winkler_min, within_one_edit};

use crate::record::{
    F_ATTR0, F_BANK, F_CANON, F_CITY, F_DOB, F_EMAIL, F_FAMILY, F_GIVEN, F_NID, F_PHONE, F_POSTAL,
    F_STREET, NONE, Table,
};

/// An attribute compared between two records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    GivenName,
    FamilyName,
    DateOfBirth,
    NationalId,
    Email,
    Phone,
    Street,
    City,
    PostalCode,
    BankAccount,
    /// An extra exact-match attribute, by position in `Settings::attr_names`.
    Attr(u8),
}

/// At most this many comparisons (4 bits each in a `u64` comparison vector).
pub(crate) const MAX_COMPARISONS: usize = 16;

impl Comparison {
    /// Labels of levels 1.. (level 0, no evidence, is implicit).
    pub fn levels(self) -> &'static [&'static str] {
        match self {
            Comparison::GivenName => &[
                "exact",
                "nickname or Jaro-Winkler >= 0.92",
                "Jaro-Winkler >= 0.80 or initial",
                "different",
            ],
            Comparison::FamilyName => &[
                "exact",
                "Jaro-Winkler >= 0.92 or one name contains the other",
                "Jaro-Winkler >= 0.80",
                "different",
            ],
            Comparison::DateOfBirth => &[
                "exact",
                "one digit or transposition apart, or day and month swapped",
                "within a year",
                "different",
            ],
            Comparison::NationalId => &["exact", "one digit or transposition apart", "different"],
            Comparison::Email => &[
                "exact (normalised)",
                "same mailbox name, or mailbox names Jaro-Winkler >= 0.88 at one domain (one typo allowed)",
                "different",
            ],
            Comparison::Phone => &[
                "exact (E.164)",
                "same last seven digits or one digit apart",
                "different",
            ],
            Comparison::Street => &[
                "exact (USPS-standardised)",
                "same house number, Jaro-Winkler >= 0.88",
                "different",
            ],
            Comparison::City => &["exact", "different"],
            Comparison::PostalCode => &["exact", "same first three characters", "different"],
            Comparison::BankAccount => &["exact", "different"],
            Comparison::Attr(_) => &["exact", "different"],
        }
    }

    /// Number of levels including level 0.
    pub fn n_levels(self) -> usize {
        self.levels().len() + 1
    }

    /// Whether exact agreement is weighted by how rare the value is.
    pub fn term_frequency(self) -> bool {
        matches!(
            self,
            Comparison::GivenName
                | Comparison::FamilyName
                | Comparison::City
                | Comparison::PostalCode
                | Comparison::Street
                | Comparison::Attr(_)
        )
    }

    /// A short stable name.
    pub fn name(self) -> String {
        match self {
            Comparison::Attr(k) => format!("attr{k}"),
            other => serde_json::to_value(other)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
        }
    }

    /// Whether this comparison's column has any value in `t`.
    pub(crate) fn present(self, t: &Table) -> bool {
        match self {
            Comparison::GivenName => t.given.present(),
            Comparison::FamilyName => t.family.present(),
            Comparison::DateOfBirth => t.dob.iter().any(|&d| d != 0),
            Comparison::NationalId => t.nid.present(),
            Comparison::Email => t.email.present(),
            Comparison::Phone => t.phone.present(),
            Comparison::Street => t.street.present(),
            Comparison::City => t.city.present(),
            Comparison::PostalCode => t.postal.present(),
            Comparison::BankAccount => t.bank.present(),
            Comparison::Attr(k) => t.attrs.get(k as usize).is_some_and(|c| c.present()),
        }
    }
}

/// The comparisons that apply to a table: every attribute with at least one value.
pub(crate) fn active(t: &Table) -> Vec<Comparison> {
    let mut out: Vec<Comparison> = [
        Comparison::GivenName,
        Comparison::FamilyName,
        Comparison::DateOfBirth,
        Comparison::NationalId,
        Comparison::Email,
        Comparison::Phone,
        Comparison::Street,
        Comparison::City,
        Comparison::PostalCode,
        Comparison::BankAccount,
    ]
    .into_iter()
    .filter(|c| c.present(t))
    .collect();
    for k in 0..t.attrs.len().min(MAX_COMPARISONS - out.len()) {
        let c = Comparison::Attr(k as u8);
        if c.present(t) {
            out.push(c);
        }
    }
    out
}

/// Bits of the hub flags (see [`crate::hubs`]).
pub(crate) mod hub_bit {
    pub const NATIONAL_ID: u8 = 1;
    pub const EMAIL: u8 = 2;
    pub const PHONE: u8 = 4;
    pub const STREET: u8 = 8;
    pub const BANK: u8 = 16;
}

/// A packed comparison vector: 4 bits per comparison, in the order of the model's list.
pub(crate) type Gamma = u64;

#[inline]
pub(crate) fn level_of(g: Gamma, i: usize) -> usize {
    ((g >> (4 * i)) & 0xF) as usize
}

/// Compares records `a` and `b` on every comparison in `cmps`. `hubs[r]` are the record's hub
/// flags: an exact agreement on a hub identifier is no evidence (level 0).
pub(crate) fn gamma(t: &Table, hubs: &[u8], cmps: &[Comparison], a: usize, b: usize) -> Gamma {
    let mut g: Gamma = 0;
    let names = name_levels(t, a, b);
    let hub = hubs.get(a).copied().unwrap_or(0) & hubs.get(b).copied().unwrap_or(0);
    for (i, &c) in cmps.iter().enumerate() {
        let lvl = match c {
            Comparison::GivenName => names.0,
            Comparison::FamilyName => names.1,
            _ => level(t, c, a, b),
        };
        let lvl = if lvl == 1 && hub_masked(c, hub) {
            0
        } else {
            lvl
        };
        g |= (lvl as u64) << (4 * i);
    }
    g
}

/// The level of comparison `c` when no string has to be read: `Some(level)` (hub masking
/// applied) for a missing value, equal symbols, dates of birth and exact-only attributes;
/// `None` when both values are present and different, so a fuzzy comparison decides (always
/// for names, which [`name_levels`] reads together). Such a level is never 1 except for names
/// read crosswise.
#[inline]
pub(crate) fn cheap_level(t: &Table, c: Comparison, hub: u8, a: usize, b: usize) -> Option<usize> {
    let f = match c {
        Comparison::GivenName | Comparison::FamilyName => return None,
        Comparison::DateOfBirth
        | Comparison::City
        | Comparison::BankAccount
        | Comparison::Attr(_) => {
            let l = level(t, c, a, b);
            return Some(if l == 1 && hub_masked(c, hub) { 0 } else { l });
        }
        Comparison::NationalId => F_NID,
        Comparison::Email => F_EMAIL,
        Comparison::Phone => F_PHONE,
        Comparison::Street => F_STREET,
        Comparison::PostalCode => F_POSTAL,
    };
    let (x, y) = (t.sym(a, f), t.sym(b, f));
    if x == NONE || y == NONE {
        Some(0)
    } else if x == y {
        Some(if hub_masked(c, hub) { 0 } else { 1 })
    } else {
        None
    }
}

fn hub_masked(c: Comparison, hub: u8) -> bool {
    let bit = match c {
        Comparison::NationalId => hub_bit::NATIONAL_ID,
        Comparison::Email => hub_bit::EMAIL,
        Comparison::Phone => hub_bit::PHONE,
        Comparison::Street => hub_bit::STREET,
        Comparison::BankAccount => hub_bit::BANK,
        _ => 0,
    };
    hub & bit != 0
}

/// Given- and family-name levels, reading the names the other way round on one record when
/// that agrees better (names entered in the wrong fields, `Family, Given` read as
/// `Given Family`): the pair is compared as written, and crosswise (given against family),
/// and the orientation with the stronger agreement wins; a crosswise exact pair counts as
/// exact.
pub(crate) fn name_levels(t: &Table, a: usize, b: usize) -> (usize, usize) {
    let (ga, fa, gb, fb) = (
        t.sym(a, F_GIVEN),
        t.sym(a, F_FAMILY),
        t.sym(b, F_GIVEN),
        t.sym(b, F_FAMILY),
    );
    let direct = (
        if ga == NONE || gb == NONE {
            0
        } else {
            level(t, Comparison::GivenName, a, b)
        },
        if fa == NONE || fb == NONE {
            0
        } else {
            level(t, Comparison::FamilyName, a, b)
        },
    );
    // only two clearly weak direct levels can be beaten by reading the names crosswise
    if ga == NONE || fa == NONE || gb == NONE || fb == NONE || direct.0.min(direct.1) < 3 {
        return direct;
    }
    let (sga, sfa, sgb, sfb) = (
        t.given.dict.str(ga),
        t.family.dict.str(fa),
        t.given.dict.str(gb),
        t.family.dict.str(fb),
    );
    if sga == sfa || sgb == sfb {
        return direct;
    }
    let cross = (text_level(sga, sfb), text_level(sgb, sfa));
    // rank: exact 1 .. different 4; lower sum is stronger agreement
    if cross.0 + cross.1 < direct.0 + direct.1 {
        cross
    } else {
        direct
    }
}

/// The name level of two strings: 1 equal, 2 Jaro–Winkler >= 0.92, 3 >= 0.80, 4 different (for
/// given and family names, and names read crosswise).
fn text_level(x: &str, y: &str) -> usize {
    if x == y {
        return 1;
    }
    let jw = jaro_winkler_min(x, y, 0.80);
    if jw >= 0.92 {
        2
    } else if jw >= 0.80 {
        3
    } else {
        4
    }
}

/// The level (0 = no evidence) of one comparison.
pub(crate) fn level(t: &Table, c: Comparison, a: usize, b: usize) -> usize {
    match c {
        Comparison::GivenName => {
            let (x, y) = (t.sym(a, F_GIVEN), t.sym(b, F_GIVEN));
            if x == NONE || y == NONE {
                return 0;
            }
            if x == y {
                return 1;
            }
            if t.sym(a, F_CANON) == t.sym(b, F_CANON) {
                return 2;
            }
            let (sx, sy) = (t.given.dict.str(x), t.given.dict.str(y));
            match text_level(sx, sy) {
                4 if initial_of(sx, sy) => 3,
                l => l,
            }
        }
        Comparison::FamilyName => {
            let (x, y) = (t.sym(a, F_FAMILY), t.sym(b, F_FAMILY));
            if x == NONE || y == NONE {
                return 0;
            }
            if x == y {
                return 1;
            }
            let (sx, sy) = (t.family.dict.str(x), t.family.dict.str(y));
            match text_level(sx, sy) {
                3 | 4 if token_contained(sx, sy) => 2,
                l => l,
            }
        }
        Comparison::DateOfBirth => {
            let (x, y) = (t.sym(a, F_DOB), t.sym(b, F_DOB));
            if x == 0 || y == 0 {
                0
            } else if x == y {
                1
            } else if dob_typo(x, y) {
                2
            } else if days_apart(x, y) <= 366 {
                3
            } else {
                4
            }
        }
        Comparison::NationalId => edit_levels(t, F_NID, a, b, |x, y| {
            x.len() == y.len() && within_one_edit(x, y)
        }),
        Comparison::Email => edit_levels(t, F_EMAIL, a, b, |x, y| {
            let (lx, dx) = x.split_once('@').unwrap_or((x, ""));
            let (ly, dy) = y.split_once('@').unwrap_or((y, ""));
            (lx == ly && lx.len() >= 4)
                || (within_one_edit(dx, dy) && jaro_winkler_min(lx, ly, 0.88) >= 0.88)
        }),
        Comparison::Phone => edit_levels(t, F_PHONE, a, b, |x, y| {
            let (tx, ty) = (
                &x.as_bytes()[x.len().saturating_sub(7)..],
                &y.as_bytes()[y.len().saturating_sub(7)..],
            );
            tx == ty || (x.len() == y.len() && within_one_edit(x, y))
        }),
        Comparison::Street => edit_levels(t, F_STREET, a, b, |x, y| {
            let hx = x.split(' ').next().unwrap_or("");
            let hy = y.split(' ').next().unwrap_or("");
            hx == hy && jaro_winkler_min(x, y, 0.88) >= 0.88
        }),
        Comparison::City => exact_levels(t, F_CITY, a, b),
        Comparison::PostalCode => edit_levels(t, F_POSTAL, a, b, |x, y| {
            x.len() >= 4 && y.len() >= 4 && x.get(..3) == y.get(..3)
        }),
        Comparison::BankAccount => exact_levels(t, F_BANK, a, b),
        Comparison::Attr(k) => exact_levels(t, F_ATTR0 + k as usize, a, b),
    }
}

fn exact_levels(t: &Table, f: usize, a: usize, b: usize) -> usize {
    let (x, y) = (t.sym(a, f), t.sym(b, f));
    if x == NONE || y == NONE {
        0
    } else if x == y {
        1
    } else {
        2
    }
}

fn edit_levels(
    t: &Table,
    f: usize,
    a: usize,
    b: usize,
    close: impl Fn(&str, &str) -> bool,
) -> usize {
    let (x, y) = (t.sym(a, f), t.sym(b, f));
    let Some(col) = t.column(f) else {
        return 0;
    };
    if x == NONE || y == NONE {
        0
    } else if x == y {
        1
    } else if close(col.dict.str(x), col.dict.str(y)) {
        2
    } else {
        3
    }
}

/// One name is the initial of the other (`j` / `john`).
fn initial_of(x: &str, y: &str) -> bool {
    (x.len() == 1 || y.len() == 1) && x.as_bytes().first() == y.as_bytes().first()
}

/// Every token of the shorter family name is in the longer one (hyphenated or double names).
fn token_contained(x: &str, y: &str) -> bool {
    let (short, long) = if x.len() <= y.len() { (x, y) } else { (y, x) };
    let lt: Vec<&str> = long.split(' ').collect();
    lt.len() > 1 && short.split(' ').all(|t| lt.contains(&t))
}

/// Dates one keying error apart: one digit changed, two adjacent digits transposed, or day and
/// month swapped.
pub(crate) fn dob_typo(x: u32, y: u32) -> bool {
    let (dx, dy) = (digits8(x), digits8(y));
    let diff: Vec<usize> = (0..8).filter(|&i| dx[i] != dy[i]).collect();
    let transposed = diff.len() == 2
        && diff[1] == diff[0] + 1
        && dx[diff[0]] == dy[diff[1]]
        && dx[diff[1]] == dy[diff[0]];
    let swapped =
        x / 10000 == y / 10000 && (x % 100 == y / 100 % 100) && (x / 100 % 100 == y % 100);
    diff.len() == 1 || transposed || swapped
}

fn digits8(v: u32) -> [u8; 8] {
    let mut out = [0u8; 8];
    let mut v = v;
    for i in (0..8).rev() {
        out[i] = (v % 10) as u8;
        v /= 10;
    }
    out
}

/// Approximate days between two `yyyymmdd` dates (30.44-day months; exact enough for "within a
/// year").
fn days_apart(x: u32, y: u32) -> u32 {
    let days = |v: u32| -> f64 {
        f64::from(v / 10000) * 365.25 + f64::from(v / 100 % 100) * 30.44 + f64::from(v % 100)
    };
    (days(x) - days(y)).abs() as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Record;

    fn table(rs: &[Record]) -> Table {
        let mut t = Table::new(0);
        for r in rs {
            t.push(r);
        }
        t
    }

    fn rec(given: &str, family: &str, dob: &str) -> Record {
        Record {
            id: format!("{given}{family}{dob}"),
            given_name: Some(given.into()),
            family_name: Some(family.into()),
            date_of_birth: Some(dob.into()),
            ..Record::default()
        }
    }

    #[test]
    fn levels_of_names() {
        let t = table(&[
            rec("William", "Smith", "1980-01-02"),
            rec("Bill", "Smith", "1980-01-02"),
            rec("Wiliam", "Smyth", "1980-01-20"),
            rec("Xavier", "Jones", "1975-02-01"),
            rec("Smith", "William", "1980-01-02"),
        ]);
        assert_eq!(level(&t, Comparison::GivenName, 0, 1), 2);
        assert_eq!(level(&t, Comparison::GivenName, 0, 2), 2);
        assert_eq!(level(&t, Comparison::FamilyName, 0, 2), 3); // smith/smyth: JW 0.89
        assert_eq!(level(&t, Comparison::GivenName, 0, 3), 4);
        assert_eq!(level(&t, Comparison::DateOfBirth, 0, 2), 2);
        assert_eq!(level(&t, Comparison::DateOfBirth, 0, 3), 4);
        assert_eq!(super::name_levels(&t, 0, 4), (1, 1));
    }

    #[test]
    fn dob_typos() {
        assert!(dob_typo(19800102, 19800120)); // transposition
        assert!(dob_typo(19800102, 19800201)); // day/month swap
        assert!(dob_typo(19800102, 19810102)); // one digit
        assert!(!dob_typo(19800102, 19850607));
    }

    #[test]
    fn gamma_packs_and_hubs_mask_exact_only() {
        let mut a = rec("Ann", "Lee", "1990-05-05");
        a.phone = Some("415 555 0101".into());
        let mut b = rec("Ann", "Lee", "1990-05-05");
        b.phone = Some("(415) 555-0101".into());
        let t = table(&[a, b]);
        let cmps = active(&t);
        let g = gamma(&t, &[0, 0], &cmps, 0, 1);
        let pi = cmps
            .iter()
            .position(|c| *c == Comparison::Phone)
            .unwrap_or(0);
        assert_eq!(level_of(g, pi), 1);
        let g = gamma(&t, &[hub_bit::PHONE, hub_bit::PHONE], &cmps, 0, 1);
        assert_eq!(level_of(g, pi), 0);
        assert_eq!(level_of(g, 0), 1);
    }
}
