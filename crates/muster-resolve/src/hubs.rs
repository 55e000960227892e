//! Hubs: identifiers shared by clearly different identities.
//!
//! A phone, email, street address, bank account or national id held by records of two or more
//! clearly different identities (different dates of birth, or clearly different given names) is
//! shared: a household's landline, a staffing agency's inbox, a facilitator's bank account. An
//! agreement on such a value says nothing about whether two records are one person, so the
//! comparison treats it as "no evidence" (level 0) and the value is reported as a hub: evidence
//! for the ring detections (ID-REUSE, PAY-SHARED, FARM-SHIP), never a reason to merge.
//!
//! A national id is different: it is an identity claim, not a contact detail, so two records
//! with one national id stay comparable (and ID-STOLEN asks whether the claim is honest). Only
//! a national id typed for five or more clearly different identities is treated as a
//! placeholder (a data-entry default) and masked like a hub.
//!
//! This is what keeps one facilitator's twenty identities from collapsing into one "person", the
//! failure the Splink benchmark README describes.

use crate::compare::{self, Comparison, hub_bit};
use crate::record::{Column, NONE, Sym, Table};

/// The kind of identifier a hub is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HubKind {
    NationalId,
    Email,
    Phone,
    Address,
    BankAccount,
}

impl HubKind {
    pub const ALL: [HubKind; 5] = [
        HubKind::NationalId,
        HubKind::Email,
        HubKind::Phone,
        HubKind::Address,
        HubKind::BankAccount,
    ];

    pub(crate) fn bit(self) -> u8 {
        match self {
            HubKind::NationalId => hub_bit::NATIONAL_ID,
            HubKind::Email => hub_bit::EMAIL,
            HubKind::Phone => hub_bit::PHONE,
            HubKind::Address => hub_bit::STREET,
            HubKind::BankAccount => hub_bit::BANK,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            HubKind::NationalId => "national_id",
            HubKind::Email => "email",
            HubKind::Phone => "phone",
            HubKind::Address => "address",
            HubKind::BankAccount => "bank_account",
        }
    }
}

/// One shared identifier and the records that hold it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Hub {
    pub kind: HubKind,
    /// The value, masked for national ids and bank accounts (only the last four characters of
    /// values of eight or more, two of six or seven, none of shorter ones).
    pub value: String,
    /// Indices of the records holding it, ascending.
    pub records: Vec<u32>,
    /// Clearly different identities among them (counting stops at 16).
    pub identities: u32,
}

/// The key of a record for one hub kind (address = street and postal code together).
pub(crate) fn key(t: &Table, kind: HubKind, r: usize) -> Option<(Sym, Sym)> {
    let v = column(t, kind).get(r);
    if v == NONE {
        return None;
    }
    Some(match kind {
        HubKind::Address => (v, t.postal.get(r)),
        _ => (v, NONE),
    })
}

/// The column of a hub kind's identifier (for an address, the street; the postal code is the
/// second part of its key).
fn column(t: &Table, kind: HubKind) -> &Column {
    match kind {
        HubKind::NationalId => &t.nid,
        HubKind::Email => &t.email,
        HubKind::Phone => &t.phone,
        HubKind::BankAccount => &t.bank,
        HubKind::Address => &t.street,
    }
}

/// The value of `kind` on record `r`, masked for national ids and bank accounts.
pub(crate) fn value_of(t: &Table, kind: HubKind, r: usize) -> String {
    // the last four characters of long values only (a short id or token would be shown whole)
    let mask = |s: &str| {
        let n = s.chars().count();
        let keep = match n {
            0..=5 => 0,
            6..=7 => 2,
            _ => 4,
        };
        let tail: String = s.chars().skip(n - keep).collect();
        format!("****{tail}")
    };
    match kind {
        HubKind::NationalId => mask(t.nid.str(r).unwrap_or("")),
        HubKind::BankAccount => mask(t.bank.str(r).unwrap_or("")),
        HubKind::Email => t.email.str(r).unwrap_or("").to_string(),
        HubKind::Phone => t.phone.str(r).unwrap_or("").to_string(),
        HubKind::Address => format!(
            "{} {}",
            t.street.str(r).unwrap_or(""),
            t.postal.str(r).unwrap_or("")
        )
        .trim()
        .to_string(),
    }
}

/// Whether two records are clearly different identities: their identity anchors clash (see
/// [`crate::anchors_clash`]: a completely different name, or a date of birth apart together
/// with a different name or national id). `ignore_nid` leaves the national id out, for records
/// grouped by that very id (which would always agree).
pub(crate) fn clearly_different(t: &Table, a: usize, b: usize, ignore_nid: bool) -> bool {
    let (given, family) = compare::name_levels(t, a, b);
    let nid = if ignore_nid {
        0
    } else {
        compare::level(t, Comparison::NationalId, a, b)
    };
    crate::anchors_clash(
        given,
        family,
        compare::level(t, Comparison::DateOfBirth, a, b),
        nid,
    )
}

/// Distinct identities among `records` (greedy representatives), counting up to `cap`, for
/// records that share an identifier of `kind`.
pub(crate) fn identities(t: &Table, kind: HubKind, records: &[u32], cap: usize) -> usize {
    let ignore_nid = kind == HubKind::NationalId;
    let mut reps: Vec<usize> = Vec::new();
    for &r in records {
        let r = r as usize;
        if reps.iter().all(|&p| clearly_different(t, p, r, ignore_nid)) {
            reps.push(r);
            if reps.len() >= cap {
                break;
            }
        }
    }
    reps.len()
}

/// Finds every hub (values held by `min_identities` or more clearly different identities) and
/// returns the per-record hub flags with the hubs (in the order of [`HubKind::ALL`], then of
/// the value). The kinds are shared out between two threads.
pub(crate) fn find(
    t: &Table,
    min_identities: usize,
    national_id_identities: usize,
) -> (Vec<u8>, Vec<Hub>) {
    let need = |kind: HubKind| match kind {
        HubKind::NationalId => national_id_identities,
        _ => min_identities,
    };
    let mut per_kind: Vec<(usize, Vec<Hub>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|th| {
                s.spawn(move || {
                    HubKind::ALL
                        .iter()
                        .enumerate()
                        .filter(|(k, _)| k % 2 == th)
                        .map(|(k, &kind)| (k, find_kind(t, kind, need(kind))))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        // a failed thread is a bug: raise it here, as if the work had run on this thread
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    per_kind.sort_by_key(|(k, _)| *k);
    let mut flags = vec![0u8; t.len()];
    let mut hubs = Vec::new();
    for h in per_kind.into_iter().flat_map(|(_, h)| h) {
        for &r in &h.records {
            flags[r as usize] |= h.kind.bit();
        }
        hubs.push(h);
    }
    (flags, hubs)
}

/// The hubs of one kind, in the order of their value.
fn find_kind(t: &Table, kind: HubKind, need: usize) -> Vec<Hub> {
    // a record shares its value only when its identifier is held twice or more (most
    // identifiers are unique: they are never keyed or sorted)
    let first = column(t, kind);
    let mut keyed: Vec<((Sym, Sym), u32)> = (0..t.len())
        .filter(|&r| first.dict.count(first.get(r)) >= 2)
        .filter_map(|r| key(t, kind, r).map(|k| (k, r as u32)))
        .collect();
    keyed.sort_unstable();
    let mut hubs = Vec::new();
    let mut i = 0;
    while i < keyed.len() {
        let mut j = i + 1;
        while j < keyed.len() && keyed[j].0 == keyed[i].0 {
            j += 1;
        }
        if j - i >= 2 {
            let recs: Vec<u32> = keyed[i..j].iter().map(|x| x.1).collect();
            let ids = identities(t, kind, &recs, 16);
            if ids >= need.max(2) {
                hubs.push(Hub {
                    kind,
                    value: value_of(t, kind, recs[0] as usize),
                    records: recs,
                    identities: ids as u32,
                });
            }
        }
        i = j;
    }
    hubs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Record;

    fn person(id: &str, given: &str, dob: &str, phone: &str) -> Record {
        Record {
            id: id.into(),
            given_name: Some(given.into()),
            family_name: Some("Doe".into()),
            date_of_birth: Some(dob.into()),
            phone: Some(phone.into()),
            ..Record::default()
        }
    }

    #[test]
    fn one_persons_duplicates_are_not_a_hub() {
        let mut t = Table::new(0);
        t.push(&person("a", "Robert", "1980-01-02", "4155550101"));
        t.push(&person("b", "Bob", "1980-01-20", "415-555-0101"));
        t.push(&person("c", "Robert", "1980-01-02", "(415) 555 0101"));
        let (flags, hubs) = find(&t, 2, 5);
        assert!(hubs.is_empty());
        assert_eq!(flags, vec![0, 0, 0]);
    }

    #[test]
    fn a_national_id_typed_for_many_people_is_a_placeholder() {
        let mut t = Table::new(0);
        for (i, (g, d)) in [
            ("Ann", "1980-01-01"),
            ("Bo", "1975-05-05"),
            ("Cy", "1990-09-09"),
            ("Di", "1966-06-06"),
            ("Ed", "1999-12-12"),
        ]
        .iter()
        .enumerate()
        {
            t.push(&Record {
                id: i.to_string(),
                given_name: Some((*g).into()),
                family_name: Some(format!("F{i}x")),
                date_of_birth: Some((*d).into()),
                national_id: Some("078-05-1120".into()),
                ..Record::default()
            });
        }
        let (flags, hubs) = find(&t, 2, 5);
        assert_eq!(hubs.len(), 1);
        assert_eq!(hubs[0].kind, HubKind::NationalId);
        assert_eq!(hubs[0].value, "****1120");
        assert!(flags.iter().all(|f| f & hub_bit::NATIONAL_ID != 0));
        let (_, hubs) = find(&t, 2, 6);
        assert!(hubs.is_empty());
    }

    #[test]
    fn different_identities_make_a_hub() {
        let mut t = Table::new(0);
        t.push(&person("a", "Robert", "1980-01-02", "4155550101"));
        t.push(&person("b", "Alice", "1991-07-09", "4155550101"));
        t.push(&person("c", "Chen", "1975-03-30", "4155550101"));
        t.push(&person("d", "Dana", "1975-03-30", "4155550199"));
        let (flags, hubs) = find(&t, 2, 5);
        assert_eq!(hubs.len(), 1);
        assert_eq!(hubs[0].kind, HubKind::Phone);
        assert_eq!(hubs[0].records, vec![0, 1, 2]);
        assert_eq!(hubs[0].identities, 3);
        assert_eq!(
            flags,
            vec![hub_bit::PHONE, hub_bit::PHONE, hub_bit::PHONE, 0]
        );
        // a stricter threshold leaves it as ordinary evidence
        let (_, hubs) = find(&t, 4, 5);
        assert!(hubs.is_empty());
    }
}
