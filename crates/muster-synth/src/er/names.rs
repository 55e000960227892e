//! Name frequencies of the applicant generator: 1990 US Census surnames and first names (by sex,
//! with their population frequencies), the company generator's name origins for the names the
//! census lists under-represent, and synthetic rare surnames for the census' uncovered tail.
//!
//! Every person, legitimate or a ring identity, draws from the same mixture, so a name's apparent
//! origin says nothing about fraud.

use std::io::Read;

use rand::Rng;

use crate::SynthError;
use crate::names::{ORIGINS, draw as draw_origin};
use crate::rng::RngExt;

const SURNAMES_GZ: &[u8] = include_bytes!("../../../../data/synth/er_surnames.csv.gz");
const GIVEN_GZ: &[u8] = include_bytes!("../../../../data/synth/er_given.csv.gz");

/// Share of people whose family name comes from the company generator's origin lists other than
/// the Anglo and Hispanic ones (Chinese, Indian, Korean, Vietnamese, Arabic, African, European,
/// ... names that the 1990 census lists under-represent; the US foreign-born share is about 14%).
const P_ORIGIN_NAME: f64 = 0.12;
/// Share of census-drawn people whose surname is outside the census list (the 1990 list covers
/// 90.5% of the population; the rest are rare names, mostly unique in a file).
const P_RARE_SURNAME: f64 = 0.095;
/// Share of census-drawn people whose given name comes from the origin lists instead.
const P_ORIGIN_GIVEN: f64 = 0.03;
/// Share of people with an origin-list family name whose given name is of the same origin (the
/// others have a common US given name: "Michael Nguyen", "Jennifer Kim"); the origin lists are
/// short, so a higher share would repeat exotic full names far more than a real population does.
const P_OWN_ORIGIN_GIVEN: f64 = 0.35;
/// Largest population share of one full name made of an origin list's given and family name
/// (3 in a million: "Wei Wang" a few times in a 1M file, not dozens of "Beatriz Oliveira").
const MAX_ORIGIN_FULL_NAME_SHARE: f64 = 3e-6;

/// Sex as recorded (drives the given-name list, nicknames and married-name changes only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sex {
    Male,
    Female,
}

/// A weighted list of names.
#[derive(Debug, Default)]
struct Weighted {
    names: Vec<String>,
    cum: Vec<u64>,
}

impl Weighted {
    fn push(&mut self, name: String, w: u64) {
        let last = self.cum.last().copied().unwrap_or(0);
        self.cum.push(last + w.max(1));
        self.names.push(name);
    }
    fn total(&self) -> u64 {
        self.cum.last().copied().unwrap_or(0)
    }
    /// A weighted draw and its share of the list's mass.
    fn draw<R: Rng + ?Sized>(&self, r: &mut R) -> (&str, f64) {
        let total = self.total().max(1);
        let x = r.random_range(0..total);
        let i = self
            .cum
            .partition_point(|&c| c <= x)
            .min(self.names.len().saturating_sub(1));
        let w = self.cum.get(i).copied().unwrap_or(0)
            - if i == 0 {
                0
            } else {
                self.cum.get(i - 1).copied().unwrap_or(0)
            };
        (
            self.names.get(i).map(String::as_str).unwrap_or("Smith"),
            w as f64 / total as f64,
        )
    }
    /// A uniform draw (ignoring weights).
    fn uniform<R: Rng + ?Sized>(&self, r: &mut R) -> &str {
        self.names
            .get(r.index(self.names.len()))
            .map(String::as_str)
            .unwrap_or("Smith")
    }
}

/// A drawn name part with its approximate population share.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub text: String,
    pub share: f64,
}

/// The name tables, parsed once per run.
#[derive(Debug, Default)]
pub(crate) struct NameTables {
    surnames: Weighted,
    male: Weighted,
    female: Weighted,
    /// The 3,000 most common surnames (street names are often surnames).
    pub common_surnames: Vec<String>,
}

fn gunzip(bytes: &[u8], what: &str) -> Result<String, SynthError> {
    let mut s = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut s)
        .map_err(|e| SynthError::Data(format!("embedded {what}: {e}")))?;
    Ok(s)
}

impl NameTables {
    /// Parses the embedded census tables.
    pub fn load() -> Result<Self, SynthError> {
        let mut t = NameTables::default();
        let text = gunzip(SURNAMES_GZ, "er_surnames.csv.gz")?;
        for (i, line) in text.lines().enumerate().skip(1) {
            let (name, w) = line
                .split_once(',')
                .ok_or_else(|| SynthError::Data(format!("er_surnames.csv line {}", i + 1)))?;
            let w: u64 = w
                .parse()
                .map_err(|e| SynthError::Data(format!("er_surnames.csv line {}: {e}", i + 1)))?;
            if t.common_surnames.len() < 3_000 {
                t.common_surnames.push(name.to_string());
            }
            t.surnames.push(name.to_string(), w);
        }
        let text = gunzip(GIVEN_GZ, "er_given.csv.gz")?;
        for (i, line) in text.lines().enumerate().skip(1) {
            let mut it = line.split(',');
            let (Some(name), Some(sex), Some(w)) = (it.next(), it.next(), it.next()) else {
                return Err(SynthError::Data(format!("er_given.csv line {}", i + 1)));
            };
            let w: u64 = w
                .parse()
                .map_err(|e| SynthError::Data(format!("er_given.csv line {}: {e}", i + 1)))?;
            match sex {
                "M" => t.male.push(name.to_string(), w),
                _ => t.female.push(name.to_string(), w),
            }
        }
        if t.surnames.names.len() < 1_000 || t.male.names.is_empty() || t.female.names.is_empty() {
            return Err(SynthError::Data(
                "embedded census name tables are too small".into(),
            ));
        }
        Ok(t)
    }

    /// A given name for `sex` from the census list.
    pub fn given<R: Rng + ?Sized>(&self, r: &mut R, sex: Sex) -> Part {
        let (n, share) = match sex {
            Sex::Male => self.male.draw(r),
            Sex::Female => self.female.draw(r),
        };
        Part {
            text: n.to_string(),
            // the census shares are per sex
            share: share * 0.5,
        }
    }

    /// A census surname (weighted).
    pub fn surname<R: Rng + ?Sized>(&self, r: &mut R) -> Part {
        let (n, share) = self.surnames.draw(r);
        Part {
            text: n.to_string(),
            share: share * 0.905,
        }
    }

    /// A rare surname outside the census list: the head of one listed surname and the tail of
    /// another ("Harl" + "owski"), mostly unique in a file.
    pub fn rare_surname<R: Rng + ?Sized>(&self, r: &mut R) -> Part {
        let a = self.surnames.uniform(r);
        let b = self.surnames.uniform(r);
        let ha = a.len().min(r.uint(3, 5) as usize);
        let tb = b.len().min(r.uint(3, 5) as usize);
        let mut s: String = a.chars().take(ha).collect();
        let tail: Vec<char> = b.chars().rev().take(tb).collect();
        s.extend(tail.into_iter().rev().flat_map(char::to_lowercase));
        Part {
            text: s,
            share: 1e-8,
        }
    }

    /// A full name (given, family) for `sex`, from the mixture.
    pub fn full<R: Rng + ?Sized>(&self, r: &mut R, sex: Sex) -> (Part, Part) {
        if r.chance(P_ORIGIN_NAME) {
            // a family name of one of the origins the census under-represents; the given name of
            // the same origin, or (more often) a common US given name
            let total: u32 = ORIGINS.iter().skip(2).map(|o| o.weight).sum();
            let mut x = r.random_range(0..total.max(1));
            let mut origin = ORIGINS.get(2);
            for o in ORIGINS.iter().skip(2) {
                if x < o.weight {
                    origin = Some(o);
                    break;
                }
                x -= o.weight;
            }
            if let Some(o) = origin
                && !o.family.is_empty()
                && !o.given.is_empty()
            {
                let family = Part {
                    text: o.family[r.index(o.family.len())].to_string(),
                    share: P_ORIGIN_NAME * f64::from(o.weight)
                        / f64::from(total.max(1))
                        / o.family.len() as f64,
                };
                // own-origin given names at most as often as keeps each full name of the short
                // lists under MAX_ORIGIN_FULL_NAME_SHARE
                let p_origin = P_ORIGIN_NAME * f64::from(o.weight) / f64::from(total.max(1));
                let combos = (o.given.len() * o.family.len()) as f64;
                let p_own = P_OWN_ORIGIN_GIVEN.min(MAX_ORIGIN_FULL_NAME_SHARE * combos / p_origin);
                let given = if r.chance(p_own) {
                    // the product of the two shares is the joint share of the full name
                    Part {
                        text: o.given[r.index(o.given.len())].to_string(),
                        share: p_own / o.given.len() as f64,
                    }
                } else {
                    self.given(r, sex)
                };
                return (given, family);
            }
        }
        let given = if r.chance(P_ORIGIN_GIVEN) {
            let n = draw_origin(r);
            Part {
                text: n.given.to_string(),
                share: 1e-4,
            }
        } else {
            self.given(r, sex)
        };
        let family = if r.chance(P_RARE_SURNAME) {
            self.rare_surname(r)
        } else {
            self.surname(r)
        };
        (given, family)
    }
}

/// Nicknames of common given names (one name may have several).
pub(crate) const NICKNAMES: &[(&str, &[&str])] = &[
    ("William", &["Bill", "Will", "Billy", "Liam"]),
    ("Robert", &["Bob", "Rob", "Bobby", "Robbie"]),
    ("Richard", &["Rick", "Rich", "Dick", "Ricky"]),
    ("James", &["Jim", "Jimmy", "Jamie"]),
    ("John", &["Jack", "Johnny"]),
    ("Michael", &["Mike", "Mikey"]),
    ("Christopher", &["Chris"]),
    ("Matthew", &["Matt"]),
    ("Joseph", &["Joe", "Joey"]),
    ("Thomas", &["Tom", "Tommy"]),
    ("Daniel", &["Dan", "Danny"]),
    ("Anthony", &["Tony"]),
    ("Steven", &["Steve"]),
    ("Stephen", &["Steve"]),
    ("Edward", &["Ed", "Eddie", "Ted"]),
    ("Charles", &["Charlie", "Chuck"]),
    ("Nicholas", &["Nick"]),
    ("Jonathan", &["Jon"]),
    ("Benjamin", &["Ben"]),
    ("Samuel", &["Sam"]),
    ("Alexander", &["Alex"]),
    ("Andrew", &["Andy", "Drew"]),
    ("David", &["Dave"]),
    ("Gregory", &["Greg"]),
    ("Jeffrey", &["Jeff"]),
    ("Timothy", &["Tim"]),
    ("Kenneth", &["Ken", "Kenny"]),
    ("Ronald", &["Ron"]),
    ("Donald", &["Don"]),
    ("Patrick", &["Pat"]),
    ("Peter", &["Pete"]),
    ("Lawrence", &["Larry"]),
    ("Gerald", &["Jerry"]),
    ("Raymond", &["Ray"]),
    ("Douglas", &["Doug"]),
    ("Frederick", &["Fred"]),
    ("Zachary", &["Zach"]),
    ("Joshua", &["Josh"]),
    ("Katherine", &["Kate", "Katie", "Kathy"]),
    ("Catherine", &["Cathy", "Kate"]),
    ("Kathleen", &["Kathy", "Kate"]),
    ("Elizabeth", &["Liz", "Beth", "Betsy", "Lizzie"]),
    ("Margaret", &["Maggie", "Peggy", "Meg"]),
    ("Jennifer", &["Jen", "Jenny"]),
    ("Jessica", &["Jess"]),
    ("Rebecca", &["Becky"]),
    ("Susan", &["Sue", "Susie"]),
    ("Deborah", &["Debbie", "Deb"]),
    ("Patricia", &["Pat", "Patty", "Trish"]),
    ("Barbara", &["Barb"]),
    ("Kimberly", &["Kim"]),
    ("Christine", &["Chris", "Tina"]),
    ("Christina", &["Tina", "Chris"]),
    ("Victoria", &["Vicky", "Tori"]),
    ("Samantha", &["Sam"]),
    ("Alexandra", &["Alex"]),
    ("Abigail", &["Abby"]),
    ("Jacqueline", &["Jackie"]),
    ("Pamela", &["Pam"]),
    ("Cynthia", &["Cindy"]),
    ("Sandra", &["Sandy"]),
    ("Judith", &["Judy"]),
    ("Theresa", &["Terry", "Tess"]),
    ("Nancy", &["Nan"]),
    ("Dorothy", &["Dot", "Dottie"]),
    ("Virginia", &["Ginny"]),
    ("Angela", &["Angie"]),
    ("Stephanie", &["Steph"]),
    ("Melissa", &["Missy", "Mel"]),
    ("Jose", &["Pepe"]),
    ("Francisco", &["Paco", "Frank"]),
];

/// A nickname of `given`, if it has one.
pub(crate) fn nickname<R: Rng + ?Sized>(r: &mut R, given: &str) -> Option<&'static str> {
    let (_, nicks) = NICKNAMES.iter().find(|(n, _)| *n == given)?;
    nicks.get(r.index(nicks.len())).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::stream;

    #[test]
    fn census_tables_load_and_draw_realistically() {
        let t = NameTables::load().unwrap();
        assert_eq!(t.surnames.names.len(), 88_799);
        assert_eq!(t.surnames.names[0], "Smith");
        let mut r = stream(1, 99, 0);
        let mut smith = 0;
        let mut james = 0;
        for _ in 0..100_000 {
            let (g, f) = t.full(&mut r, Sex::Male);
            smith += usize::from(f.text == "Smith");
            james += usize::from(g.text == "James");
            assert!(!g.text.is_empty() && !f.text.is_empty());
            assert!(!g.text.contains(',') && !f.text.contains(','));
        }
        // Smith ~1.1% and James ~3.7% of men among the census-listed names, diluted by the mixture
        assert!((600..1_100).contains(&smith), "{smith}");
        assert!((2_800..4_000).contains(&james), "{james}");
        assert_eq!(nickname(&mut r, "Nobody"), None);
        assert!(nickname(&mut r, "William").is_some());
    }
}
