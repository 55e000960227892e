//! Field formats and the small corruptions people and systems make when they type or convert
//! them: keyboard typos, transpositions, date formats and date typos, phone and SSN formats,
//! street-suffix and unit abbreviations, ZIP+4 and lost leading zeros.

use chrono::{Datelike, NaiveDate};
use rand::Rng;

use crate::catalog::STREETS;
use crate::refdata::RefData;
use crate::rng::RngExt;
use crate::world::Phone;

/// QWERTY neighbours of each lowercase letter.
const KEYS: [&str; 26] = [
    "qwsz", "vghn", "xdfv", "serfcx", "wsdr", "drtgvc", "ftyhbv", "gyujnb", "ujko", "huikmn",
    "jiolm", "kop", "njk", "bhjm", "iklp", "ol", "wa", "edft", "awedxz", "rfgy", "yhji", "cfgb",
    "qase", "zsdc", "tghu", "asx",
];

/// Kinds of one-edit typo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Typo {
    Neighbour,
    Transpose,
    Drop,
    Double,
}

/// One typing error in a name-like string (letters only are touched; the first letter rarely).
pub(crate) fn typo<R: Rng + ?Sized>(r: &mut R, s: &str) -> String {
    let mut c: Vec<char> = s.chars().collect();
    let letters: Vec<usize> = c
        .iter()
        .enumerate()
        .filter(|(i, ch)| ch.is_ascii_alphabetic() && (*i > 0 || r.chance(0.08)))
        .map(|(i, _)| i)
        .collect();
    if letters.len() < 2 {
        return s.to_string();
    }
    let kind = match r.index(20) {
        0..=6 => Typo::Neighbour,
        7..=11 => Typo::Transpose,
        12..=16 => Typo::Drop,
        _ => Typo::Double,
    };
    let i = letters[r.index(letters.len())];
    match kind {
        Typo::Neighbour => {
            let lower = c[i].to_ascii_lowercase();
            let k = KEYS[usize::from(lower as u8 - b'a')];
            let n = k.as_bytes()[r.index(k.len())] as char;
            c[i] = if c[i].is_ascii_uppercase() {
                n.to_ascii_uppercase()
            } else {
                n
            };
        }
        Typo::Transpose => {
            let j = if i + 1 < c.len() && c[i + 1].is_ascii_alphabetic() {
                i + 1
            } else {
                i.saturating_sub(1)
            };
            if j != i && (i.min(j) > 0 || r.chance(0.1)) {
                // keep the capital at the front when swapping with the first letter
                let (a, b) = (c[i], c[j]);
                c[i] = b;
                c[j] = a;
                if i.min(j) == 0 {
                    c[0] = c[0].to_ascii_uppercase();
                    let k = i.max(j);
                    c[k] = c[k].to_ascii_lowercase();
                }
            } else {
                c.remove(i);
            }
        }
        Typo::Drop => {
            c.remove(i);
        }
        Typo::Double => {
            let ch = c[i].to_ascii_lowercase();
            c.insert(i + 1, ch);
        }
    }
    c.into_iter().collect()
}

/// Record-level letter case of free-text fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Case {
    AsIs,
    Upper,
    Lower,
}

pub(crate) fn cased(s: String, case: Case) -> String {
    match case {
        Case::AsIs => s,
        Case::Upper => s.to_uppercase(),
        Case::Lower => s.to_lowercase(),
    }
}

/// `YYYY-MM-DD` or `MM/DD/YYYY`.
pub(crate) fn fmt_date(d: NaiveDate, us: bool) -> String {
    if us {
        format!("{:02}/{:02}/{:04}", d.month(), d.day(), d.year())
    } else {
        format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
    }
}

/// Kinds of date-of-birth typo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DobTypo {
    Transpose,
    DayMonthSwap,
    OffByOne,
    Year,
}

/// A plausible typing error in a date of birth that still gives a valid date (`None` if the
/// drawn kind cannot apply to this date).
pub(crate) fn dob_typo<R: Rng + ?Sized>(r: &mut R, d: NaiveDate) -> Option<(NaiveDate, DobTypo)> {
    let (y, m, day) = (d.year(), d.month(), d.day());
    let kind = match r.index(10) {
        0..=2 => DobTypo::Transpose,
        3..=4 => DobTypo::DayMonthSwap,
        5..=7 => DobTypo::OffByOne,
        _ => DobTypo::Year,
    };
    let out = match kind {
        DobTypo::Transpose => {
            // swap the two digits of the day, of the month, or the last two of the year
            match r.index(3) {
                0 => NaiveDate::from_ymd_opt(y, m, (day % 10) * 10 + day / 10),
                1 => NaiveDate::from_ymd_opt(y, (m % 10) * 10 + m / 10, day),
                _ => {
                    let yy = y.rem_euclid(100);
                    NaiveDate::from_ymd_opt(y - yy + (yy % 10) * 10 + yy / 10, m, day)
                }
            }
        }
        DobTypo::DayMonthSwap => NaiveDate::from_ymd_opt(y, day, m),
        DobTypo::OffByOne => {
            if r.chance(0.5) {
                d.succ_opt()
            } else {
                d.pred_opt()
            }
        }
        DobTypo::Year => {
            let last = y.rem_euclid(10);
            let mut nl = if r.chance(0.6) {
                (last + if r.chance(0.5) { 1 } else { 9 }) % 10
            } else {
                r.int(0, 9) as i32
            };
            if nl == last {
                nl = (last + 1) % 10;
            }
            NaiveDate::from_ymd_opt(y - last + nl, m, day)
        }
    }?;
    (out != d).then_some((out, kind))
}

/// Phone formats: `(415) 555-0123`, `415-555-0123`, `+1 415 555 0123`, `415.555.0123`,
/// `+14155550123`, `4155550123`, `1-415-555-0123`.
pub(crate) const PHONE_STYLES: usize = 7;

pub(crate) fn fmt_phone(p: &Phone, style: usize) -> String {
    let (a, e, l) = (p.area, p.exch, p.line);
    match style % PHONE_STYLES {
        0 => format!("({a}) {e}-{l:04}"),
        1 => format!("{a}-{e}-{l:04}"),
        2 => format!("+1 {a} {e} {l:04}"),
        3 => format!("{a}.{e}.{l:04}"),
        4 => format!("+1{a}{e}{l:04}"),
        5 => format!("{a}{e}{l:04}"),
        _ => format!("1-{a}-{e}-{l:04}"),
    }
}

/// One wrong or swapped digit in the line number.
pub(crate) fn phone_typo<R: Rng + ?Sized>(r: &mut R, p: &Phone) -> Phone {
    let mut d: Vec<u16> = (0..4).rev().map(|k| (p.line / 10u16.pow(k)) % 10).collect();
    let i = r.index(4);
    if r.chance(0.5) && i < 3 && d[i] != d[i + 1] {
        d.swap(i, i + 1);
    } else {
        d[i] = (d[i] + r.uint(1, 9) as u16) % 10;
    }
    Phone {
        line: d.iter().fold(0, |acc, x| acc * 10 + x),
        ..*p
    }
}

/// SSN formats: `123-45-6789`, `123456789`, `123 45 6789`.
pub(crate) fn fmt_ssn(s: [u16; 3], style: usize) -> String {
    let [a, g, n] = s;
    match style {
        0 => format!("{a:03}-{g:02}-{n:04}"),
        1 => format!("{a:03}{g:02}{n:04}"),
        _ => format!("{a:03} {g:02} {n:04}"),
    }
}

/// One wrong digit or one transposition of adjacent digits of an SSN.
pub(crate) fn ssn_typo<R: Rng + ?Sized>(r: &mut R, s: [u16; 3]) -> [u16; 3] {
    let digits = format!("{:03}{:02}{:04}", s[0], s[1], s[2]);
    let mut d: Vec<u8> = digits.bytes().map(|b| b - b'0').collect();
    for _ in 0..8 {
        let i = r.index(9);
        if r.chance(0.45) && i < 8 && d[i] != d[i + 1] {
            d.swap(i, i + 1);
        } else {
            d[i] = (d[i] + r.uint(1, 9) as u8) % 10;
        }
        let num = |a: usize, b: usize| d[a..b].iter().fold(0u16, |acc, x| acc * 10 + u16::from(*x));
        let out = [num(0, 3), num(3, 5), num(5, 9)];
        if out != s {
            return out;
        }
    }
    s
}

/// Street suffixes: (USPS abbreviation, full word).
pub(crate) const SUFFIXES: &[(&str, &str)] = &[
    ("St", "Street"),
    ("Ave", "Avenue"),
    ("Rd", "Road"),
    ("Dr", "Drive"),
    ("Ln", "Lane"),
    ("Ct", "Court"),
    ("Blvd", "Boulevard"),
    ("Way", "Way"),
    ("Pl", "Place"),
    ("Cir", "Circle"),
    ("Ter", "Terrace"),
    ("Pkwy", "Parkway"),
    ("Trl", "Trail"),
];

const DIRS: &[(&str, &str)] = &[("N", "North"), ("S", "South"), ("E", "East"), ("W", "West")];

/// What an address is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AddrKind {
    Home,
    /// A private mailbox at a shipping store (`Ste 110 PMB 2345`).
    MailDrop,
}

/// A US street address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Address {
    pub place: u32,
    pub number: u32,
    pub dir: u8,
    pub street: String,
    pub suffix: u8,
    /// Apartment / unit designator (`4B`), or the PMB number of a mail drop.
    pub unit: Option<String>,
    pub kind: AddrKind,
}

impl Address {
    /// A random home address at `place`; street names come from a catalogue of common street
    /// names, the most common surnames and numbered streets.
    pub fn home<R: Rng + ?Sized>(r: &mut R, place: u32, surnames: &[String]) -> Self {
        let street = match r.index(20) {
            0..=9 => STREETS
                .get(r.index(STREETS.len()))
                .copied()
                .unwrap_or("Main")
                .to_string(),
            10..=16 => surnames
                .get(r.index(surnames.len().min(2_000)))
                .cloned()
                .unwrap_or_else(|| "Lincoln".into()),
            _ => ordinal(r.uint(1, 120)),
        };
        let unit = r.chance(0.3).then(|| {
            if r.chance(0.5) {
                r.uint(1, 40).to_string()
            } else {
                format!("{}{}", r.uint(1, 30), (b'A' + r.uint(0, 5) as u8) as char)
            }
        });
        Address {
            place,
            number: if r.chance(0.75) {
                r.uint(1, 9999)
            } else {
                r.uint(10, 29999)
            },
            dir: if r.chance(0.12) {
                r.uint(1, 4) as u8
            } else {
                0
            },
            street,
            suffix: r.index(SUFFIXES.len()) as u8,
            unit,
            kind: AddrKind::Home,
        }
    }

    /// A private mailbox at a shipping store at `place`.
    pub fn mail_drop<R: Rng + ?Sized>(r: &mut R, place: u32, surnames: &[String]) -> Self {
        let mut a = Address::home(r, place, surnames);
        a.unit = Some(r.uint(100, 9999).to_string());
        a.kind = AddrKind::MailDrop;
        a
    }

    /// The street line, with format variants drawn from `r`; `long` spells the suffix out.
    pub fn street_line<R: Rng + ?Sized>(&self, r: &mut R, long: bool, unit_style: usize) -> String {
        let mut s = self.number.to_string();
        if let Some((short, full)) = DIRS.get(usize::from(self.dir).wrapping_sub(1)) {
            s.push(' ');
            s.push_str(if long { full } else { short });
        }
        s.push(' ');
        s.push_str(&self.street);
        let (short, full) = SUFFIXES
            .get(usize::from(self.suffix))
            .copied()
            .unwrap_or(("St", "Street"));
        s.push(' ');
        if long {
            s.push_str(full);
        } else {
            s.push_str(short);
            if r.chance(0.06) && short != "Way" {
                s.push('.');
            }
        }
        if let Some(u) = &self.unit {
            match self.kind {
                AddrKind::MailDrop => {
                    s.push_str(&format!(" Ste {} PMB {u}", 100 + self.number % 50));
                }
                AddrKind::Home => match unit_style % 5 {
                    0 | 1 => s.push_str(&format!(" Apt {u}")),
                    2 => s.push_str(&format!(" #{u}")),
                    3 => s.push_str(&format!(" Unit {u}")),
                    _ => s.push_str(&format!(" Apt. {u}")),
                },
            }
        }
        s
    }

    pub fn city<'a>(&self, rd: &'a RefData) -> &'a str {
        rd.places
            .get(self.place as usize)
            .map_or("", |p| p.city.as_str())
    }

    pub fn state<'a>(&self, rd: &'a RefData) -> &'a str {
        rd.places
            .get(self.place as usize)
            .map_or("", |p| p.state.as_str())
    }

    pub fn zip<'a>(&self, rd: &'a RefData) -> &'a str {
        rd.places
            .get(self.place as usize)
            .map_or("", |p| p.zip.as_str())
    }
}

fn ordinal(n: u32) -> String {
    let suf = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suf}")
}

/// Lowercase ASCII letters and digits of a name part (for email handles).
pub(crate) fn slug(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::stream;

    #[test]
    fn corruptions_are_single_edits_and_valid() {
        let mut r = stream(3, 99, 0);
        for _ in 0..2_000 {
            let t = typo(&mut r, "Katherine");
            let diff = t.len() as i64 - 9;
            assert!(diff.abs() <= 1, "{t}");
            let d = NaiveDate::from_ymd_opt(1987, 4, 12).unwrap();
            if let Some((t, _)) = dob_typo(&mut r, d) {
                assert_ne!(t, d);
            }
            let s = ssn_typo(&mut r, [123, 45, 6789]);
            assert_ne!(s, [123, 45, 6789]);
            let ph = Phone {
                area: 415,
                exch: 555,
                line: 123,
            };
            assert_ne!(phone_typo(&mut r, &ph), ph);
        }
        assert_eq!(fmt_ssn([12, 3, 45], 0), "012-03-0045");
        assert_eq!(
            fmt_date(NaiveDate::from_ymd_opt(1990, 1, 2).unwrap(), true),
            "01/02/1990"
        );
        assert_eq!(ordinal(112), "112th");
        assert_eq!(ordinal(22), "22nd");
    }
}
