//! Email-address normalisation.
//!
//! Two addresses that deliver to the same mailbox should compare equal. The rules:
//!
//! - surrounding whitespace and a leading `mailto:` are removed, everything is lowercased;
//! - the address must be `local@domain` with exactly one `@`, a non-empty local part, a domain
//!   that contains a dot and has no empty labels, and no whitespace anywhere (else `None`);
//!   one trailing dot on the domain (`example.com.`) is dropped;
//!   the local part may not contain RFC 5322 specials (`<>()[]\,;:"`) and the domain only
//!   letters, digits, `-` and `.`;
//! - a `+tag` sub-address is removed from the local part for every domain;
//! - for `gmail.com` and `googlemail.com` dots in the local part are removed and
//!   `googlemail.com` becomes `gmail.com`.
//!
//! ```
//! use muster_normalize::email::normalize_email;
//!
//! assert_eq!(
//!     normalize_email(" J.Doe+jobs@GoogleMail.com ").as_deref(),
//!     Some("jdoe@gmail.com")
//! );
//! assert_eq!(normalize_email("not an email"), None);
//! ```

/// Domains where Google ignores dots in the local part.
const GMAIL_DOMAINS: [&str; 2] = ["gmail.com", "googlemail.com"];

/// Normalises an email address so that addresses delivering to the same mailbox compare equal,
/// or returns `None` when the input is not a plausible `local@domain` address.
///
/// See the [module documentation](self) for the rules. The output is idempotent.
///
/// ```
/// use muster_normalize::email::normalize_email;
///
/// assert_eq!(normalize_email("Alice+hr@Example.COM").as_deref(), Some("alice@example.com"));
/// assert_eq!(normalize_email("a.l.i.c.e@gmail.com").as_deref(), Some("alice@gmail.com"));
/// assert_eq!(normalize_email("alice@localhost"), None); // no dot in the domain
/// assert_eq!(normalize_email("al ice@example.com"), None); // space inside
/// ```
pub fn normalize_email(input: &str) -> Option<String> {
    let trimmed = input.trim();
    let trimmed = strip_prefix_ignore_case(trimmed, "mailto:").unwrap_or(trimmed);
    if trimmed.is_empty() || trimmed.chars().any(char::is_whitespace) {
        return None;
    }
    let lower = trimmed.to_lowercase();
    let (local, domain) = lower.split_once('@')?;
    if domain.contains('@') {
        return None;
    }
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    if !domain.contains('.') || domain.split('.').any(str::is_empty) {
        return None;
    }
    if local.chars().any(is_forbidden_in_local)
        || domain
            .chars()
            .any(|c| !(c.is_alphanumeric() || c == '-' || c == '.'))
    {
        return None;
    }
    let local = match local.split_once('+') {
        Some((before, _tag)) => before,
        None => local,
    };
    let (local, domain) = if GMAIL_DOMAINS.contains(&domain) {
        (local.replace('.', ""), "gmail.com")
    } else {
        (local.to_owned(), domain)
    };
    if local.is_empty() {
        return None;
    }
    Some(format!("{local}@{domain}"))
}

/// The domain of a normalised email address (see [`normalize_email`]), or `None` when the
/// input is not a plausible address.
///
/// ```
/// use muster_normalize::email::email_domain;
///
/// assert_eq!(email_domain("Bob@Mail.Example.org").as_deref(), Some("mail.example.org"));
/// assert_eq!(email_domain("x@googlemail.com").as_deref(), Some("gmail.com"));
/// assert_eq!(email_domain("nope"), None);
/// ```
pub fn email_domain(input: &str) -> Option<String> {
    let normalized = normalize_email(input)?;
    normalized
        .rsplit_once('@')
        .map(|(_, domain)| domain.to_owned())
}

/// Characters that may not appear in an unquoted local part (RFC 5322 specials).
fn is_forbidden_in_local(c: char) -> bool {
    matches!(
        c,
        '<' | '>' | '(' | ')' | '[' | ']' | '\\' | ',' | ';' | ':' | '"'
    ) || c.is_control()
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        s.get(prefix.len()..)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn n(s: &str) -> Option<String> {
        normalize_email(s)
    }

    #[test]
    fn trims_and_lowercases() {
        assert_eq!(
            n("  Alice@Example.COM\t").as_deref(),
            Some("alice@example.com")
        );
    }

    #[test]
    fn removes_plus_tag_for_all_domains() {
        assert_eq!(
            n("bob+work@corp.example").as_deref(),
            Some("bob@corp.example")
        );
        assert_eq!(
            n("bob+a+b@corp.example").as_deref(),
            Some("bob@corp.example")
        );
        assert_eq!(n("bob+@corp.example").as_deref(), Some("bob@corp.example"));
    }

    #[test]
    fn dots_kept_outside_gmail() {
        assert_eq!(
            n("first.last@outlook.com").as_deref(),
            Some("first.last@outlook.com")
        );
    }

    #[test]
    fn gmail_dots_removed_and_googlemail_mapped() {
        assert_eq!(
            n("First.Last@gmail.com").as_deref(),
            Some("firstlast@gmail.com")
        );
        assert_eq!(
            n("first.last+x@googlemail.com").as_deref(),
            Some("firstlast@gmail.com")
        );
        assert_eq!(
            n("firstlast@GMAIL.COM").as_deref(),
            Some("firstlast@gmail.com")
        );
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "   ",
            "plainaddress",
            "@example.com",
            "user@",
            "user@localhost",
            "user@example..com",
            "user@.example.com",
            "a@b@example.com",
            "us er@example.com",
            "user@exa mple.com",
            "+tag@example.com",
            "...@gmail.com",
            "mailto:mailto:x@example.com",
            "<x@example.com>",
            "x@exam_ple.com",
        ] {
            assert_eq!(n(bad), None, "{bad:?} should be rejected");
        }
    }

    #[test]
    fn mailto_and_trailing_dot() {
        assert_eq!(
            n("mailto:Eve@Example.com").as_deref(),
            Some("eve@example.com")
        );
        assert_eq!(n("eve@example.com.").as_deref(), Some("eve@example.com"));
    }

    #[test]
    fn domain_helper() {
        assert_eq!(
            email_domain("x+y@Sub.Example.co.uk").as_deref(),
            Some("sub.example.co.uk")
        );
        assert_eq!(email_domain("x@y"), None);
    }

    proptest! {
        #[test]
        fn never_panics(s in any::<String>()) {
            let _ = normalize_email(&s);
            let _ = email_domain(&s);
        }

        #[test]
        fn idempotent(s in any::<String>()) {
            if let Some(once) = normalize_email(&s) {
                prop_assert_eq!(normalize_email(&once), Some(once.clone()));
            }
        }

        #[test]
        fn idempotent_on_plausible(local in "[A-Za-z0-9.+_-]{1,12}", domain in "[a-z]{1,8}\\.(com|org|io)") {
            let addr = format!("{local}@{domain}");
            if let Some(once) = normalize_email(&addr) {
                prop_assert_eq!(normalize_email(&once), Some(once.clone()));
            }
        }

        #[test]
        fn gmail_dots_and_tags_are_ignored(
            base in "[a-z0-9]{2,10}",
            dot_mask in proptest::collection::vec(any::<bool>(), 10),
            tag in proptest::option::of("[a-z0-9.]{0,6}"),
            googlemail in any::<bool>(),
            upper in any::<bool>(),
        ) {
            let mut local = String::new();
            for (i, ch) in base.chars().enumerate() {
                local.push(ch);
                if i + 1 < base.len() && dot_mask[i] {
                    local.push('.');
                }
            }
            if let Some(tag) = tag {
                local.push('+');
                local.push_str(&tag);
            }
            let domain = if googlemail { "googlemail.com" } else { "gmail.com" };
            let mut addr = format!("{local}@{domain}");
            if upper {
                addr = addr.to_uppercase();
            }
            prop_assert_eq!(normalize_email(&addr), Some(format!("{base}@gmail.com")));
        }
    }
}
