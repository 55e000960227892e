//! Small shared helpers: transparent gzip, file opening, glob matching.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;
use regex::RegexSet;

use crate::error::{IntelError, Result};

/// Reads all of `reader`, gunzipping it when it starts with the gzip magic bytes.
pub(crate) fn read_all_maybe_gz(mut reader: impl Read, label: &str) -> Result<Vec<u8>> {
    let mut raw = Vec::new();
    reader
        .read_to_end(&mut raw)
        .map_err(|e| IntelError::io(label, e))?;
    decompress_if_gz(raw, label)
}

/// Gunzips `raw` when it starts with the gzip magic bytes, else returns it unchanged.
pub(crate) fn decompress_if_gz(raw: Vec<u8>, label: &str) -> Result<Vec<u8>> {
    if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::with_capacity(raw.len() * 4);
        MultiGzDecoder::new(raw.as_slice())
            .read_to_end(&mut out)
            .map_err(|e| IntelError::io(label, e))?;
        Ok(out)
    } else {
        Ok(raw)
    }
}

/// Reads a file (gzip or plain) into memory.
pub(crate) fn read_path(path: &Path) -> Result<Vec<u8>> {
    let label = path.display().to_string();
    let file = File::open(path).map_err(|e| IntelError::io(&label, e))?;
    read_all_maybe_gz(BufReader::new(file), &label)
}

/// Decodes bytes as UTF-8, replacing invalid sequences (reference lists are ASCII in practice).
pub(crate) fn utf8_lossy(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
}

/// Glob match where `*` matches any run of bytes (including none) and `?` matches one byte.
/// Both inputs are compared byte-wise; callers lowercase them first. Linear time (greedy
/// backtracking over the last `*`), no recursion.
pub(crate) fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == b'?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p.min(pattern.len())..].iter().all(|&c| c == b'*')
}

/// An ordered list of globs (see [`glob_match`]) answering "which is the first glob that
/// matches?" in one pass, via a [`RegexSet`]; falls back to scanning the globs one by one if the
/// set cannot be built.
#[derive(Debug, Clone, Default)]
pub(crate) struct GlobSet {
    globs: Vec<String>,
    set: Option<RegexSet>,
}

impl GlobSet {
    pub(crate) fn new(globs: Vec<String>) -> Self {
        let patterns: Vec<String> = globs.iter().map(|g| glob_to_regex(g)).collect();
        let set = RegexSet::new(&patterns).ok();
        GlobSet { globs, set }
    }

    /// Index of the first glob matching `text`.
    pub(crate) fn first_match(&self, text: &str) -> Option<usize> {
        match &self.set {
            Some(set) => set.matches(text).iter().next(),
            None => self
                .globs
                .iter()
                .position(|g| glob_match(g.as_bytes(), text.as_bytes())),
        }
    }
}

fn glob_to_regex(glob: &str) -> String {
    let mut re = String::from("(?s)^");
    let mut literal = String::new();
    for c in glob.chars() {
        if c == '*' || c == '?' {
            re.push_str(&regex::escape(&literal));
            literal.clear();
            re.push_str(if c == '*' { ".*" } else { "." });
        } else {
            literal.push(c);
        }
    }
    re.push_str(&regex::escape(&literal));
    re.push('$');
    re
}

#[cfg(test)]
mod tests {
    use super::{GlobSet, glob_match};

    #[test]
    fn glob_set_agrees_with_glob_match() {
        let globs = vec![
            "rustdesk*.exe".to_string(),
            "*/anydesk/*".to_string(),
            "a?c".to_string(),
            "*".to_string(),
        ];
        let set = GlobSet::new(globs.clone());
        for text in ["rustdesk-1.exe", "c:/x/anydesk/y.exe", "abc", "zzz", ""] {
            let linear = globs
                .iter()
                .position(|g| glob_match(g.as_bytes(), text.as_bytes()));
            assert_eq!(set.first_match(text), linear, "{text}");
        }
    }

    #[test]
    fn globs() {
        assert!(glob_match(b"rustdesk*.exe", b"rustdesk-1.2.exe"));
        assert!(glob_match(b"rustdesk*.exe", b"rustdesk.exe"));
        assert!(!glob_match(b"rustdesk*.exe", b"rustdesk.ex"));
        assert!(glob_match(
            b"*/anydesk/*",
            b"c:/program files/anydesk/anydesk.exe"
        ));
        assert!(glob_match(b"a*b*c", b"aXXbYYc"));
        assert!(!glob_match(b"a*b*c", b"aXXbYY"));
        assert!(glob_match(b"*", b""));
        assert!(glob_match(b"", b""));
        assert!(!glob_match(b"", b"x"));
        assert!(glob_match(b"a?c", b"abc"));
    }
}
