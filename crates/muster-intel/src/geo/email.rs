//! Disposable (throw-away) email domains.

use std::collections::HashSet;
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

use crate::error::{IntelError, LineError, Result};
use crate::util::{read_all_maybe_gz, read_path, utf8_lossy};

/// Set of disposable email domains (one per line; `#` comments and blank lines ignored).
///
/// A domain matches when it or any parent domain is listed: `x.mailinator.com` matches
/// `mailinator.com`. Matching is case-insensitive and tolerates a trailing dot and a full
/// address (`Bob <bob@MAILINATOR.com>`). Lookups walk the labels of the input against a
/// hash set: one hash per label, no allocation beyond lowercasing.
#[derive(Debug, Clone, Default)]
pub struct DisposableDomains {
    domains: HashSet<Box<str>>,
    load_error: Option<String>,
}

/// Lowercase domain of an address or domain; `None` when nothing is left.
fn domain_of(input: &str) -> Option<String> {
    let t = input.trim().trim_end_matches('>');
    let d = match t.rfind('@') {
        Some(i) => &t[i + 1..],
        None => t,
    };
    let d = d.trim().trim_start_matches('.').trim_end_matches('.');
    (!d.is_empty()).then(|| d.to_lowercase())
}

impl DisposableDomains {
    /// The embedded list (disposable-email-domains, CC0), parsed once per process. Never
    /// panics: a parse failure yields an empty set and [`DisposableDomains::load_error`].
    pub fn embedded() -> &'static DisposableDomains {
        static EMBEDDED: OnceLock<DisposableDomains> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            const LIST: &[u8] = include_bytes!("../../../../data/email/disposable_domains.txt");
            Self::from_bytes(LIST, "embedded:data/email/disposable_domains.txt").unwrap_or_else(
                |e| DisposableDomains {
                    load_error: Some(e.to_string()),
                    ..DisposableDomains::default()
                },
            )
        })
    }

    /// Loads a list file (plain or gzip), e.g. a newer `disposable_email_blocklist.conf`.
    pub fn from_path(path: &Path) -> Result<DisposableDomains> {
        Self::from_bytes(&read_path(path)?, &path.display().to_string())
    }

    /// Same as [`DisposableDomains::from_path`] from a reader.
    pub fn from_reader(reader: impl Read, label: &str) -> Result<DisposableDomains> {
        Self::from_bytes(&read_all_maybe_gz(reader, label)?, label)
    }

    fn from_bytes(bytes: &[u8], label: &str) -> Result<DisposableDomains> {
        let text = utf8_lossy(bytes);
        let mut domains = HashSet::with_capacity(12_000);
        let mut errors = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let d = line
                .trim_start_matches("*.")
                .trim_start_matches('.')
                .trim_end_matches('.')
                .to_lowercase();
            let valid = !d.is_empty()
                && d.split('.').all(|l| !l.is_empty())
                && !d.chars().any(|c| {
                    c.is_whitespace()
                        || c.is_control()
                        || matches!(c, '@' | '/' | ':' | ',' | '\u{fffd}')
                });
            if valid {
                domains.insert(d.into_boxed_str());
            } else {
                errors.push(LineError::new(label, i + 1, raw, "not a domain name"));
            }
        }
        if !errors.is_empty() {
            return Err(IntelError::InvalidLines {
                file: label.to_string(),
                errors,
            });
        }
        Ok(DisposableDomains {
            domains,
            load_error: None,
        })
    }

    /// Whether an email address or domain belongs to a listed disposable domain.
    ///
    /// ```
    /// use muster_intel::geo::DisposableDomains;
    ///
    /// let d = DisposableDomains::embedded();
    /// assert!(d.is_disposable("bob@MAILINATOR.com"));
    /// assert!(d.is_disposable("x.mailinator.com."));
    /// assert!(!d.is_disposable("gmail.com"));
    /// ```
    pub fn is_disposable(&self, email_or_domain: &str) -> bool {
        self.matching_domain(email_or_domain).is_some()
    }

    /// The listed domain an address or domain falls under (`"mailinator.com"` for
    /// `"bob@x.mailinator.com"`), for evidence.
    pub fn matching_domain(&self, email_or_domain: &str) -> Option<&str> {
        let d = domain_of(email_or_domain)?;
        let mut rest = d.as_str();
        loop {
            if let Some(hit) = self.domains.get(rest) {
                return Some(hit);
            }
            let dot = rest.find('.')?;
            rest = &rest[dot + 1..];
        }
    }

    /// Number of listed domains.
    pub fn len(&self) -> usize {
        self.domains.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.domains.is_empty()
    }

    /// Why the embedded data failed to load, if it did.
    pub fn load_error(&self) -> Option<&str> {
        self.load_error.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsing_and_matching() {
        let list = "# comment\nMailinator.com\n\n*.dynv6.net # wildcard\nbad domain\n";
        let err = DisposableDomains::from_reader(list.as_bytes(), "d.txt").unwrap_err();
        assert_eq!(err.line_errors()[0].line, 5);
        let ok = DisposableDomains::from_reader("mailinator.com\n*.dynv6.net\n".as_bytes(), "d")
            .unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!(ok.matching_domain("a.b.dynv6.net"), Some("dynv6.net"));
        assert!(ok.is_disposable("Bob <bob@Mailinator.COM>"));
        assert!(!ok.is_disposable("notmailinator.com"));
        assert!(!ok.is_disposable("com"));
        assert!(!ok.is_disposable("@"));
        assert!(!ok.is_disposable(""));
    }
}
