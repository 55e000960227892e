//! People records with their normalised identity and contact keys, shared by the identity
//! detections (ID-STOLEN, ID-RESUME, SANCTIONS) so that "is this the same person?" is answered
//! the same way everywhere.

use std::collections::BTreeSet;

use crate::rows::col;
use crate::{DetectError, Engine};

/// One `people` row, normalised.
#[derive(Debug, Clone, Default)]
pub(crate) struct PersonRec {
    pub person_id: String,
    pub full_name: String,
    /// Name tokens of two or more characters (initials dropped), sorted.
    pub tokens: BTreeSet<String>,
    /// `YYYY-MM-DD`.
    pub dob: Option<String>,
    /// Normalised personal email (lowercase, Gmail dots and +tags removed).
    pub email: Option<String>,
    /// E.164 phone.
    pub phone: Option<String>,
    /// Staffing agency (lowercase), when not a placeholder.
    pub agency: Option<String>,
    /// Country of the claimed address (uppercase), when given.
    pub country: Option<String>,
    pub applied_at: Option<i64>,
    pub hired_at: Option<i64>,
    pub terminated_at: Option<i64>,
    /// The extra columns asked for, in order, as text.
    pub extra: Vec<Option<String>>,
}

/// Microseconds in a day.
pub(crate) const DAY_US: i64 = 86_400_000_000;

/// Loads the people rows matching `filter` (SQL over `people`, e.g. `national_id IS NOT NULL`)
/// with `extra` columns of `people` as text.
pub(crate) fn load(
    engine: &Engine,
    extra: &[&str],
    filter: &str,
) -> Result<Vec<PersonRec>, DetectError> {
    let extra_sql: String = extra
        .iter()
        .map(|c| format!(", CAST({c} AS VARCHAR) AS x_{c}"))
        .collect();
    let sql = format!(
        "SELECT person_id, full_name,
                CAST(date_of_birth AS VARCHAR) AS dob, norm_email(email) AS em,
                norm_phone(phone, country) AS ph,
                staffing_agency AS agency, upper(trim(country)) AS country,
                applied_at, hired_at, terminated_at{extra_sql}
         FROM people WHERE {filter} ORDER BY person_id"
    );
    let mut out = Vec::new();
    for b in engine.sql(&sql)? {
        let (pid, name, dob, em, ph, ag, country) = (
            col(&b, "person_id")?,
            col(&b, "full_name")?,
            col(&b, "dob")?,
            col(&b, "em")?,
            col(&b, "ph")?,
            col(&b, "agency")?,
            col(&b, "country")?,
        );
        let (ap, hi, te) = (
            col(&b, "applied_at")?,
            col(&b, "hired_at")?,
            col(&b, "terminated_at")?,
        );
        let xs = extra
            .iter()
            .map(|c| col(&b, &format!("x_{c}")))
            .collect::<Result<Vec<_>, _>>()?;
        let s = |c: &crate::rows::Col, i: usize| c.str(i).map(str::to_string);
        for i in 0..b.num_rows() {
            let Some(p) = pid.str(i) else { continue };
            let full_name = name.str(i).unwrap_or("").to_string();
            out.push(PersonRec {
                person_id: p.to_string(),
                tokens: name_tokens(&full_name),
                full_name,
                dob: s(&dob, i),
                email: s(&em, i),
                phone: s(&ph, i),
                agency: ag
                    .str(i)
                    .map(|a| a.trim().to_ascii_lowercase())
                    .filter(|a| !crate::udf::is_placeholder(a)),
                country: s(&country, i).filter(|c| !c.is_empty()),
                applied_at: ap.ts(i),
                hired_at: hi.ts(i),
                terminated_at: te.ts(i),
                extra: xs.iter().map(|c| s(c, i)).collect(),
            });
        }
    }
    Ok(out)
}

/// Name tokens of two or more characters, sorted (initials and order do not matter).
pub(crate) fn name_tokens(name: &str) -> BTreeSet<String> {
    muster_normalize::name::name_tokens(name)
        .into_iter()
        .filter(|t| t.len() >= 2)
        .collect()
}

impl PersonRec {
    /// Whether the two records share a personal email or phone: the same person (or the same
    /// intermediary's contact, which the callers handle separately).
    pub fn shares_contact(&self, o: &PersonRec) -> bool {
        (self.email.is_some() && self.email == o.email)
            || (self.phone.is_some() && self.phone == o.phone)
    }

    /// Whether the two records are one person by their contact details: a shared personal
    /// email or phone under a related name (a word in common, e.g. a married name) or the same
    /// date of birth. A shared contact under an unrelated name and birth date is two identities
    /// (an intermediary's or an operator's contact), not one person.
    pub fn same_person_by_contact(&self, o: &PersonRec) -> bool {
        self.shares_contact(o)
            && (self.tokens.intersection(&o.tokens).next().is_some()
                || (self.dob.is_some() && self.dob == o.dob))
    }

    /// Whether the two records claim the same identity: compatible names (one's tokens contain
    /// the other's, or, with the same date of birth, at least one token in common: a married
    /// name, a nickname) and compatible dates of birth (equal, one missing, or one typo apart).
    pub fn same_claim(&self, o: &PersonRec) -> bool {
        if self.tokens.is_empty() || o.tokens.is_empty() {
            return false;
        }
        let subset = self.tokens.is_subset(&o.tokens) || o.tokens.is_subset(&self.tokens);
        let dob_equal = self.dob.is_some() && self.dob == o.dob;
        let overlap = self.tokens.intersection(&o.tokens).next().is_some();
        (subset && dob_compatible(self.dob.as_deref(), o.dob.as_deref())) || (dob_equal && overlap)
    }

    /// The record's active period in UTC microseconds: from application (or hire) to
    /// termination; an employee or contractor without a termination is still active; an
    /// applicant's period is `applicant_days` after the application. `None` without any time.
    pub fn period(&self, applicant_days: i64) -> Option<(i64, i64)> {
        let start = match (self.applied_at, self.hired_at) {
            (Some(a), Some(h)) => a.min(h),
            (a, h) => a.or(h)?,
        };
        let end = match (self.terminated_at, self.hired_at) {
            (Some(t), _) => t.max(start),
            (None, Some(_)) => i64::MAX,
            (None, None) => start.saturating_add(applicant_days * DAY_US),
        };
        Some((start, end))
    }
}

/// Whether two dates of birth can be one person's: equal, one missing, or one keying error
/// apart (one digit different, or day and month swapped).
pub(crate) fn dob_compatible(a: Option<&str>, b: Option<&str>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return true;
    };
    if a == b {
        return true;
    }
    let (da, db): (Vec<u8>, Vec<u8>) = (digits(a), digits(b));
    if da.len() != 8 || db.len() != 8 {
        return false;
    }
    let diff = da.iter().zip(&db).filter(|(x, y)| x != y).count();
    let swapped = da[..4] == db[..4] && da[4..6] == db[6..8] && da[6..8] == db[4..6];
    diff == 1 || swapped
}

fn digits(s: &str) -> Vec<u8> {
    s.bytes().filter(u8::is_ascii_digit).collect()
}

/// Whether two digit strings of one length are one keying error apart: one digit different or
/// two adjacent digits swapped.
pub(crate) fn one_typo_apart(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() || a == b {
        return false;
    }
    let diffs: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    match diffs.as_slice() {
        [_] => true,
        [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
        _ => false,
    }
}

/// The connected components of `0..n` under `linked` (checked on every pair: for small groups),
/// each sorted, in order of their first member.
pub(crate) fn components(n: usize, linked: impl Fn(usize, usize) -> bool) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for i in 0..n {
        for j in i + 1..n {
            if linked(i, j) {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                if a != b {
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
    }
    let mut by_root: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for i in 0..n {
        let r = root(&mut parent, i);
        by_root.entry(r).or_default().push(i);
    }
    by_root.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(name: &str, dob: Option<&str>) -> PersonRec {
        PersonRec {
            tokens: name_tokens(name),
            full_name: name.into(),
            dob: dob.map(str::to_string),
            ..Default::default()
        }
    }

    #[test]
    fn claims() {
        let a = rec("Dana J. Whitfield", Some("1988-04-12"));
        assert!(a.same_claim(&rec("WHITFIELD, Dana", Some("1988-04-12"))));
        assert!(a.same_claim(&rec("Dana Whitfield", Some("1988-12-04")))); // day/month swap
        assert!(a.same_claim(&rec("Dana Moore", Some("1988-04-12")))); // married name
        assert!(!a.same_claim(&rec("Dana Moore", Some("1979-04-12"))));
        assert!(!a.same_claim(&rec("Kevin Ortiz", Some("1988-04-12"))));
        assert!(!a.same_claim(&rec("Dana Whitfield", Some("1975-09-30"))));
    }

    #[test]
    fn contact_means_one_person_only_under_a_related_name() {
        let mut a = rec("Anna Fischer", Some("1992-07-07"));
        a.phone = Some("+16145550142".into());
        let mut married = rec("Anna Koenig", Some("1992-07-07"));
        married.phone = a.phone.clone();
        let mut stranger = rec("Felix Navarro", Some("1990-06-12"));
        stranger.phone = a.phone.clone();
        assert!(a.same_person_by_contact(&married));
        assert!(!a.same_person_by_contact(&stranger));
        assert!(a.shares_contact(&stranger));
    }

    #[test]
    fn typos() {
        assert!(one_typo_apart("536228726", "536228727"));
        assert!(one_typo_apart("536228726", "536282726"));
        assert!(!one_typo_apart("536228726", "536228726"));
        assert!(!one_typo_apart("536228726", "111228726"));
        assert!(dob_compatible(Some("1990-01-01"), None));
        assert!(dob_compatible(Some("1990-01-01"), Some("1990-01-07")));
        assert!(!dob_compatible(Some("1990-01-01"), Some("1985-06-07")));
    }

    #[test]
    fn groups() {
        let c = components(5, |a, b| (a, b) == (0, 3) || (a, b) == (3, 4));
        assert_eq!(c, vec![vec![0, 3, 4], vec![1], vec![2]]);
    }

    #[test]
    fn periods() {
        let mut r = rec("A B", None);
        assert_eq!(r.period(90), None);
        r.applied_at = Some(0);
        assert_eq!(r.period(90), Some((0, 90 * DAY_US)));
        r.hired_at = Some(DAY_US);
        assert_eq!(r.period(90), Some((0, i64::MAX)));
        r.terminated_at = Some(10 * DAY_US);
        assert_eq!(r.period(90), Some((0, 10 * DAY_US)));
    }
}
