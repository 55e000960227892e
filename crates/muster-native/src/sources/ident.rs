//! Helpers shared by the identity-provider readers (Okta, Entra, Google Workspace): field lookup
//! that works on nested API JSON, on case-drifted keys and on Log-Analytics flattened columns,
//! source-IP checks, outcome vocabulary and head sniffing.

use std::borrow::Cow;
use std::net::IpAddr;

use serde_json::{Map, Value};

use crate::json::{get_ci, is_null_text, text, unstring};

/// Log Analytics adds a type suffix to custom-log columns (`_s` string, `_d` double, `_b` bool,
/// `_t` datetime, `_g` guid); exports without it exist too.
const SUFFIXES: [&str; 6] = ["", "_s", "_d", "_b", "_t", "_g"];

/// The value at `path` in `v`.
///
/// Each step matches its key exactly, then case-insensitively (Panther-normalised logs lower-case
/// some keys), and a step landing on a string holding JSON is parsed (Log Analytics writes nested
/// objects as strings). With `flat`, a path not found nested is also tried as a flattened column:
/// `a_b_c`, then `a_b` (holding `c`), then `a` (holding `b.c`), each with and without a Log
/// Analytics type suffix, and `a.b.c`.
pub(crate) fn lookup<'v>(v: &'v Value, path: &[&str], flat: bool) -> Option<Cow<'v, Value>> {
    if let Some(found) = nested(Cow::Borrowed(v), path) {
        return Some(found);
    }
    if !flat || path.len() < 2 {
        return if flat && path.len() == 1 {
            flat_key(v.as_object()?, path[0]).map(|x| unstring_cow(Cow::Borrowed(x)))
        } else {
            None
        };
    }
    let obj = v.as_object()?;
    let dotted = path.join(".");
    if let Some(x) = get_ci(obj, &dotted) {
        return Some(unstring_cow(Cow::Borrowed(x)));
    }
    for split in (1..=path.len()).rev() {
        let key = path[..split].join("_");
        if let Some(x) = flat_key(obj, &key) {
            let head = unstring_cow(Cow::Borrowed(x));
            if let Some(found) = nested(head, &path[split..]) {
                return Some(found);
            }
        }
    }
    None
}

fn flat_key<'v>(obj: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    if let Some(v) = obj.get(key) {
        return Some(v);
    }
    // One pass over the columns: `key` plus an optional type suffix, any case; the suffix order
    // of SUFFIXES decides between several matches.
    let mut best: Option<(usize, &Value)> = None;
    for (k, v) in obj {
        if k.len() < key.len() || !k.as_bytes()[..key.len()].eq_ignore_ascii_case(key.as_bytes()) {
            continue;
        }
        let rest = &k[key.len()..];
        if let Some(rank) = SUFFIXES.iter().position(|s| rest.eq_ignore_ascii_case(s))
            && best.is_none_or(|(r, _)| rank < r)
        {
            best = Some((rank, v));
        }
    }
    best.map(|(_, v)| v)
}

fn unstring_cow(v: Cow<'_, Value>) -> Cow<'_, Value> {
    match v {
        Cow::Borrowed(b) => unstring(b),
        Cow::Owned(o) => match unstring(&o) {
            Cow::Owned(inner) => Cow::Owned(inner),
            Cow::Borrowed(_) => Cow::Owned(o),
        },
    }
}

fn nested<'v>(v: Cow<'v, Value>, path: &[&str]) -> Option<Cow<'v, Value>> {
    let mut cur = v;
    for k in path {
        cur = match cur {
            Cow::Borrowed(b) => unstring(get_ci(b.as_object()?, k)?),
            Cow::Owned(o) => {
                let next = get_ci(o.as_object()?, k)?;
                Cow::Owned(unstring(next).into_owned())
            }
        };
    }
    Some(cur)
}

/// Text at `path` (see [`lookup`]); null-like text is `None`.
pub(crate) fn text_of(v: &Value, path: &[&str], flat: bool) -> Option<String> {
    let x = lookup(v, path, flat)?;
    text(&x).map(Cow::into_owned)
}

/// A usable source IP: an IPv4/IPv6 address (brackets, an IPv4 `:port` and IPv6 zone ids are
/// removed), canonical text. Placeholders such as `"<IP ADDRESS>"` or `"redacted"` are `None`.
pub(crate) fn ip(s: &str) -> Option<String> {
    let t = s.trim();
    let t = t
        .strip_prefix('[')
        .map_or(t, |r| r.split(']').next().unwrap_or(r));
    let t = t.split('%').next().unwrap_or(t);
    if let Ok(a) = t.parse::<IpAddr>() {
        return Some(a.to_string());
    }
    // IPv4 with a port.
    let (host, port) = t.rsplit_once(':')?;
    if port.bytes().all(|b| b.is_ascii_digit())
        && let Ok(IpAddr::V4(a)) = host.parse::<IpAddr>()
    {
        return Some(a.to_string());
    }
    None
}

/// A string, if the value is non-null text.
pub(crate) fn nonempty(s: Option<String>) -> Option<String> {
    s.filter(|t| !is_null_text(t))
}

/// Case-insensitive check that the head contains every needle.
pub(crate) fn head_has_all_ci(head: &[u8], needles: &[&str]) -> bool {
    needles.iter().all(|n| contains_ci(head, n.as_bytes()))
}

/// Case-insensitive byte substring search.
pub(crate) fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    if needle.is_empty() {
        return true;
    }
    if hay.len() < needle.len() {
        return false;
    }
    let first = needle[0].to_ascii_lowercase();
    (0..=hay.len() - needle.len()).any(|i| {
        hay[i].to_ascii_lowercase() == first
            && hay[i..i + needle.len()].eq_ignore_ascii_case(needle)
    })
}

/// Any of the needles, case-insensitively.
pub(crate) fn head_has_any_ci(head: &[u8], needles: &[&str]) -> bool {
    needles.iter().any(|n| contains_ci(head, n.as_bytes()))
}

/// The time of a record: the first of `paths` present; present but unreadable is an error (an
/// impossible date such as `2017-09-31` is rejected, never guessed).
pub(crate) fn time_of(v: &Value, paths: &[&[&str]], flat: bool) -> Result<i64, String> {
    for p in paths {
        if let Some(x) = lookup(v, p, flat) {
            if matches!(&*x, Value::Null) || x.as_str().is_some_and(is_null_text) {
                continue;
            }
            return crate::json::timestamp(&x).map_err(|e| {
                let shown = text(&x).map(|t| t.chars().take(40).collect::<String>());
                format!("{}: {e} ({})", p.join("."), shown.unwrap_or_default())
            });
        }
    }
    Err(format!(
        "no event time ({})",
        paths
            .iter()
            .map(|p| p.join("."))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// Float at a path.
pub(crate) fn float_of(v: &Value, path: &[&str], flat: bool) -> Option<f64> {
    crate::json::float(&*lookup(v, path, flat)?)
}

/// Integer at a path.
pub(crate) fn int_of(v: &Value, path: &[&str], flat: bool) -> Option<i64> {
    crate::json::int(&*lookup(v, path, flat)?)
}

/// Boolean at a path.
pub(crate) fn bool_of(v: &Value, path: &[&str], flat: bool) -> Option<bool> {
    crate::json::boolean(&*lookup(v, path, flat)?)
}

/// ISO alpha-2 code of a country name or code.
pub(crate) fn country(s: Option<String>) -> Option<String> {
    s.and_then(|c| super::country::to_alpha2(&c))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lookups() {
        let v = json!({"Client": {"ipAddress": "192.0.2.1"}, "actor_alternateId_s": "a@example.com",
            "target_s": "[{\"id\": \"x\"}]", "securityContext_s": "{\"asNumber\": 64500}",
            "client.geographicalContext.city": "Town"});
        assert_eq!(
            text_of(&v, &["client", "ipAddress"], false).as_deref(),
            Some("192.0.2.1")
        );
        assert_eq!(
            text_of(&v, &["actor", "alternateId"], true).as_deref(),
            Some("a@example.com")
        );
        assert_eq!(text_of(&v, &["actor", "alternateId"], false), None);
        assert_eq!(lookup(&v, &["target"], true).unwrap()[0]["id"], "x");
        assert_eq!(
            text_of(&v, &["securityContext", "asNumber"], true).as_deref(),
            Some("64500")
        );
        assert_eq!(
            text_of(&v, &["client", "geographicalContext", "city"], true).as_deref(),
            Some("Town")
        );
    }

    #[test]
    fn ips() {
        assert_eq!(ip("192.0.2.1").as_deref(), Some("192.0.2.1"));
        assert_eq!(ip("192.0.2.1:443").as_deref(), Some("192.0.2.1"));
        assert_eq!(ip("[2001:db8::1]:443").as_deref(), Some("2001:db8::1"));
        assert_eq!(ip("2001:DB8:0::1").as_deref(), Some("2001:db8::1"));
        assert_eq!(ip("<IP ADDRESS>"), None);
        assert_eq!(ip("redacted"), None);
        assert_eq!(ip(""), None);
    }

    #[test]
    fn ci() {
        assert!(head_has_all_ci(
            b"{\"UserPrincipalName\":1}",
            &["\"userprincipalname\""]
        ));
        assert!(!contains_ci(b"ab", b"abc"));
    }
}
