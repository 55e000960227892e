//! Shared by the money family (PAY-SHARED, PAY-CHURN, PAY-PROVIDER): where a payroll row sends
//! pay, placeholders, masking, the payout-provider list and whether an account holder's name is
//! the worker's.

use std::sync::OnceLock;

use muster_normalize::name::name_tokens;

/// SQL over `payroll`: one row per payroll row with its pay destination. `kind` is `bank` (routing
/// and account, also a payout provider's account number) or `crypto` (an address), null when the
/// row names neither (a paper check, a provider without an account). `dest` is the normalised
/// destination: `ROUTING:ACCOUNT`, or the address (`0x` addresses lowercased, others kept as
/// written because base58 is case-sensitive).
pub(super) const DEST_SQL: &str = "SELECT person_id, time, lower(trim(event)) AS event,
       lower(trim(method)) AS method, trim(provider) AS provider,
       trim(account_holder_name) AS holder, change_ip,
       CASE WHEN crypto_address IS NOT NULL AND trim(crypto_address) <> '' THEN 'crypto'
            WHEN bank_account IS NOT NULL AND coalesce(lower(trim(method)), '') <> 'check'
                 AND regexp_replace(bank_account, '[^0-9A-Za-z]', '', 'g') <> '' THEN 'bank'
       END AS kind,
       CASE WHEN crypto_address IS NOT NULL AND trim(crypto_address) <> '' THEN
                 CASE WHEN lower(trim(crypto_address)) LIKE '0x%' THEN lower(trim(crypto_address))
                      ELSE trim(crypto_address) END
            WHEN bank_account IS NOT NULL AND coalesce(lower(trim(method)), '') <> 'check'
                 AND regexp_replace(bank_account, '[^0-9A-Za-z]', '', 'g') <> '' THEN
                 concat(regexp_replace(coalesce(bank_routing, ''), '[^0-9]', '', 'g'), ':',
                        upper(regexp_replace(bank_account, '[^0-9A-Za-z]', '', 'g')))
       END AS dest
FROM payroll";

/// Whether a destination is an HR placeholder rather than a real account: empty, shorter than 4
/// characters, one repeated character (`000000000`, `XXXX`), a digit run (`123456789`), or a
/// word (`PENDING`, `TBD`, `NONE`, `CHECK`...). Placeholders must never make people look alike.
pub(super) fn is_placeholder_dest(kind: &str, dest: &str) -> bool {
    let v = match kind {
        "bank" => dest.rsplit(':').next().unwrap_or(""),
        _ => dest,
    };
    let v = v.trim();
    if v.chars().count() < 4 || crate::udf::is_placeholder(v) {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    const WORDS: &[&str] = &[
        "pending",
        "tbd",
        "none",
        "unknown",
        "check",
        "papercheck",
        "test",
        "na",
        "null",
        "void",
        "missing",
        "notprovided",
        "placeholder",
        "default",
        "temp",
        "xxxx",
    ];
    if WORDS
        .iter()
        .any(|w| lower == *w || lower.starts_with("pending"))
    {
        return true;
    }
    let mut chars = lower.chars();
    let first = chars.next().unwrap_or('0');
    if lower.chars().all(|c| c == first) {
        return true;
    }
    // 123456789, 0123456789, 987654321: sequential digit runs
    let digits: Vec<u32> = lower.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() == lower.chars().count() && digits.len() >= 4 {
        let up = digits.windows(2).all(|w| w[1] == (w[0] + 1) % 10);
        let down = digits.windows(2).all(|w| w[0] == (w[1] + 1) % 10);
        if up || down {
            return true;
        }
    }
    false
}

/// How a destination is shown in evidence: the routing number (a public bank identifier) and the
/// last four characters of the account; a crypto address keeps its last six.
pub(super) fn shown_dest(kind: &str, dest: &str) -> String {
    match kind {
        "bank" => {
            let (routing, account) = dest.split_once(':').unwrap_or(("", dest));
            let acct = super::mask(account, 4);
            if routing.is_empty() {
                format!("account {acct}")
            } else {
                format!("routing {routing} account {acct}")
            }
        }
        "crypto" => format!("crypto address {}", super::mask(dest, 6)),
        _ => kind.to_string(),
    }
}

/// The routing number of a bank destination.
pub(super) fn routing_of<'a>(kind: &str, dest: &'a str) -> Option<&'a str> {
    (kind == "bank")
        .then(|| dest.split_once(':').map(|(r, _)| r))
        .flatten()
        .filter(|r| !r.is_empty() && !r.chars().all(|c| c == '0'))
}

/// A payout service, PRC-linked payment platform or crypto exchange (data/pay/payout_providers.csv).
#[derive(Debug, Clone)]
pub(super) struct Provider {
    pub name: String,
    pub kind: String,
    keys: Vec<String>,
}

const PROVIDERS_CSV: &str = include_str!("../../../../data/pay/payout_providers.csv");

/// The embedded provider list (name, aliases and kind; the source column is documentation).
pub(super) fn providers() -> &'static [Provider] {
    static LIST: OnceLock<Vec<Provider>> = OnceLock::new();
    LIST.get_or_init(|| {
        PROVIDERS_CSV
            .lines()
            .skip(1)
            .filter_map(|line| {
                let mut f = line.splitn(4, ',');
                let (name, aliases, kind) = (f.next()?.trim(), f.next()?, f.next()?.trim());
                if name.is_empty() || kind.is_empty() {
                    return None;
                }
                let keys = std::iter::once(name)
                    .chain(aliases.split(';'))
                    .map(compact)
                    .filter(|k| !k.is_empty())
                    .collect();
                Some(Provider {
                    name: name.to_string(),
                    kind: kind.to_string(),
                    keys,
                })
            })
            .collect()
    })
}

/// Lowercase letters and digits only (so `Pay-Pal`, `PAYPAL` and `paypal inc.` compare).
fn compact(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The listed provider a `payroll.provider` value names: an exact name or alias, or a value that
/// starts with one (`Payoneer Inc.`, `Wise US Inc`).
pub(super) fn match_provider(value: &str) -> Option<&'static Provider> {
    let v = compact(value);
    if v.is_empty() {
        return None;
    }
    providers()
        .iter()
        .find(|p| p.keys.contains(&v))
        .or_else(|| {
            providers().iter().find(|p| {
                p.keys
                    .iter()
                    .any(|k| k.len() >= 4 && v.starts_with(k.as_str()))
            })
        })
}

/// How an account holder's name relates to the worker's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum HolderMatch {
    /// The worker's given and family names (or initials) are in the holder name: their own or a
    /// joint account that includes them.
    Worker,
    /// The given name matches, the family name does not: a married or changed family name.
    GivenOnly,
    /// The family name matches, the given name does not: a relative's account.
    FamilyOnly,
    /// A company, not a person.
    Business,
    /// Someone else.
    Other,
    /// Nothing to compare (no holder or no worker name, placeholders).
    Unknown,
}

const SUFFIXES: &[&str] = &[
    "jr", "sr", "ii", "iii", "iv", "mr", "mrs", "ms", "dr", "miss",
];
const BUSINESS: &[&str] = &[
    "llc",
    "inc",
    "ltd",
    "corp",
    "corporation",
    "co",
    "company",
    "gmbh",
    "plc",
    "limited",
    "llp",
    "lp",
    "pllc",
    "pty",
    "bv",
    "group",
    "holdings",
    "solutions",
    "services",
    "consulting",
    "technologies",
    "staffing",
    "agency",
    "partners",
    "enterprises",
    "trust",
    "trading",
];

/// Whether a holder name is a company (a legal-form or trade word among its tokens).
pub(super) fn is_business(holder: &str) -> bool {
    name_tokens(holder)
        .iter()
        .any(|t| BUSINESS.contains(&t.as_str()))
}

/// The worker's (given, family) tokens: from `given_name` / `family_name` when present, else the
/// first and last tokens of `full_name` (`Family, Given` when written with a comma). Titles and
/// generational suffixes are dropped.
fn worker_names(
    full: Option<&str>,
    given: Option<&str>,
    family: Option<&str>,
) -> Option<(Vec<String>, Vec<String>)> {
    let clean = |s: &str| -> Vec<String> {
        name_tokens(s)
            .into_iter()
            .filter(|t| !SUFFIXES.contains(&t.as_str()))
            .collect()
    };
    if let (Some(g), Some(f)) = (given, family) {
        let (g, f) = (clean(g), clean(f));
        if !g.is_empty() && !f.is_empty() {
            return Some((g[..1].to_vec(), f));
        }
    }
    let full = full?;
    let (given, family) = match full.split_once(',') {
        Some((fam, giv)) => (clean(giv), clean(fam)),
        None => {
            let t = clean(full);
            if t.len() < 2 {
                return None;
            }
            (t[..1].to_vec(), t[t.len() - 1..].to_vec())
        }
    };
    (!given.is_empty() && !family.is_empty()).then(|| (given[..1].to_vec(), family))
}

/// Whether a worker's name token appears in the holder's tokens: equal, or an initial of it.
fn token_in(t: &str, holder: &[String]) -> bool {
    holder.iter().any(|h| {
        h == t
            || ((h.len() == 1 || t.len() == 1)
                && h.chars().next().is_some()
                && h.chars().next() == t.chars().next())
    })
}

/// Compares an account holder's name with the worker's name: case, diacritics, punctuation and
/// token order do not matter; middle names and initials are tolerated; a joint account naming the
/// worker is the worker's.
pub(super) fn holder_match(
    holder: Option<&str>,
    full: Option<&str>,
    given: Option<&str>,
    family: Option<&str>,
) -> HolderMatch {
    let Some(holder) = holder.filter(|h| !crate::udf::is_placeholder(h)) else {
        return HolderMatch::Unknown;
    };
    let ht: Vec<String> = name_tokens(holder)
        .into_iter()
        .filter(|t| !SUFFIXES.contains(&t.as_str()) && t != "and")
        .collect();
    if ht.is_empty() {
        return HolderMatch::Unknown;
    }
    let Some((g, f)) = worker_names(full, given, family) else {
        return HolderMatch::Unknown;
    };
    let given_ok = g.iter().all(|t| token_in(t, &ht));
    // a multi-token family name (`Garcia Lopez`) matches when any of its tokens is there
    let family_ok = f.iter().any(|t| t.len() > 1 && ht.contains(t));
    match (given_ok, family_ok) {
        (true, true) => HolderMatch::Worker,
        _ if is_business(holder) => HolderMatch::Business,
        (true, false) => HolderMatch::GivenOnly,
        (false, true) => HolderMatch::FamilyOnly,
        (false, false) => HolderMatch::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(holder: &str, full: &str) -> HolderMatch {
        holder_match(Some(holder), Some(full), None, None)
    }

    #[test]
    fn holder_names_tolerate_order_initials_middle_names_and_diacritics() {
        assert_eq!(m("Dana Whitfield", "WHITFIELD, Dana"), HolderMatch::Worker);
        assert_eq!(m("D. Whitfield", "Dana Whitfield"), HolderMatch::Worker);
        assert_eq!(
            m("Dana Marie Whitfield", "Dana Whitfield"),
            HolderMatch::Worker
        );
        assert_eq!(m("José García", "Jose Garcia"), HolderMatch::Worker);
        assert_eq!(
            m("Jose Garcia Lopez", "José García López"),
            HolderMatch::Worker
        );
        assert_eq!(m("Jordan & Casey Lee", "Casey Lee"), HolderMatch::Worker);
        assert_eq!(
            m("Jordan Lee and Casey Lee", "Jordan Lee"),
            HolderMatch::Worker
        );
        assert_eq!(m("Robert Smith Jr.", "Robert Smith"), HolderMatch::Worker);
    }

    #[test]
    fn holder_names_that_are_not_the_worker() {
        assert_eq!(m("Dana Brooks", "Dana Whitfield"), HolderMatch::GivenOnly);
        assert_eq!(
            m("Pat Whitfield", "Dana Whitfield"),
            HolderMatch::FamilyOnly
        );
        assert_eq!(m("Quinn Facilitator", "Dana Whitfield"), HolderMatch::Other);
        assert_eq!(
            m("Bright Path Consulting LLC", "Dana Whitfield"),
            HolderMatch::Business
        );
        assert_eq!(m("N/A", "Dana Whitfield"), HolderMatch::Unknown);
        assert_eq!(
            holder_match(
                Some("Dana Whitfield"),
                None,
                Some("Dana"),
                Some("Whitfield")
            ),
            HolderMatch::Worker
        );
    }

    #[test]
    fn placeholders_and_masking() {
        for p in ["000000000", "123456789", "PENDING", "N/A", "xxxx", "12"] {
            assert!(
                is_placeholder_dest("bank", &format!("021000021:{p}")),
                "{p}"
            );
        }
        assert!(!is_placeholder_dest("bank", "021000021:000123456789"));
        assert_eq!(
            shown_dest("bank", "021000021:000123456789"),
            "routing 021000021 account ********6789"
        );
        assert!(!shown_dest("crypto", "TXyz1234567890abcdef").contains("1234567890"));
    }

    #[test]
    fn providers_match_names_and_aliases() {
        assert_eq!(
            match_provider("PAYONEER").map(|p| p.name.as_str()),
            Some("Payoneer")
        );
        assert_eq!(
            match_provider("TransferWise").map(|p| p.name.as_str()),
            Some("Wise")
        );
        assert_eq!(
            match_provider("Wise US Inc.").map(|p| p.name.as_str()),
            Some("Wise")
        );
        assert_eq!(
            match_provider("LianLian Pay").map(|p| p.kind.as_str()),
            Some("prc_payment")
        );
        assert!(match_provider("Chase").is_none());
        assert!(match_provider("").is_none());
    }
}
