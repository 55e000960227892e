//! Error types shared by every loader in this crate.

use std::fmt;

/// One rejected line of a text list, with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// Label of the file or reader the line came from (a path, or e.g. `embedded:vpn-ipv4.txt`).
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    /// The offending text, trimmed and truncated to 80 characters.
    pub text: String,
    /// Why the line was rejected.
    pub reason: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {} ({:?})",
            self.file, self.line, self.reason, self.text
        )
    }
}

impl std::error::Error for LineError {}

impl LineError {
    pub(crate) fn new(file: &str, line: usize, text: &str, reason: impl Into<String>) -> Self {
        let text = text.trim();
        let text = match text.char_indices().nth(80) {
            Some((cut, _)) => format!("{}...", &text[..cut]),
            None => text.to_string(),
        };
        LineError {
            file: file.to_string(),
            line,
            text,
            reason: reason.into(),
        }
    }
}

/// Everything that can go wrong while loading reference data.
#[derive(Debug, thiserror::Error)]
pub enum IntelError {
    /// A file could not be opened or read.
    #[error("{file}: {source}")]
    Io {
        /// Path or label of the file.
        file: String,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A line-oriented file contained one or more invalid lines (all of them are listed).
    #[error("{file}: {} invalid line(s); first: {}", errors.len(), first_error(errors))]
    InvalidLines {
        /// Path or label of the file.
        file: String,
        /// Every rejected line, in file order.
        errors: Vec<LineError>,
    },
    /// A CSV file could not be parsed.
    #[error("{file}:{line}: CSV error: {message}")]
    Csv {
        /// Path or label of the file.
        file: String,
        /// 1-based line number (0 when unknown).
        line: u64,
        /// The parser's message.
        message: String,
    },
    /// A JSON document could not be parsed.
    #[error("{file}:{line}:{column}: JSON error: {message}")]
    Json {
        /// Path or label of the file.
        file: String,
        /// 1-based line number reported by the parser.
        line: usize,
        /// 1-based column reported by the parser.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// A MaxMind DB (`.mmdb`) file is invalid or a record could not be decoded.
    #[error("{file}: MaxMind DB error: {message}")]
    Mmdb {
        /// Path or label of the file.
        file: String,
        /// The reader's message.
        message: String,
    },
    /// An XML document could not be parsed or is not structured as expected.
    #[error("{file}:{line}: XML error: {message}")]
    Xml {
        /// Path or label of the file.
        file: String,
        /// 1-based line number (0 when unknown).
        line: u64,
        /// What went wrong.
        message: String,
    },
}

fn first_error(errors: &[LineError]) -> String {
    errors
        .first()
        .map(|e| format!("line {}: {} ({:?})", e.line, e.reason, e.text))
        .unwrap_or_default()
}

impl IntelError {
    pub(crate) fn io(file: &str, source: std::io::Error) -> Self {
        IntelError::Io {
            file: file.to_string(),
            source,
        }
    }

    pub(crate) fn csv(file: &str, err: &csv::Error) -> Self {
        let line = err.position().map(|p| p.line()).unwrap_or(0);
        IntelError::Csv {
            file: file.to_string(),
            line,
            message: err.to_string(),
        }
    }

    pub(crate) fn csv_at(file: &str, line: u64, message: impl Into<String>) -> Self {
        IntelError::Csv {
            file: file.to_string(),
            line,
            message: message.into(),
        }
    }

    pub(crate) fn json(file: &str, err: &serde_json::Error) -> Self {
        IntelError::Json {
            file: file.to_string(),
            line: err.line(),
            column: err.column(),
            message: err.to_string(),
        }
    }

    pub(crate) fn xml(file: &str, line: u64, message: impl Into<String>) -> Self {
        IntelError::Xml {
            file: file.to_string(),
            line,
            message: message.into(),
        }
    }

    /// The line errors carried by this error (empty for non-line errors).
    pub fn line_errors(&self) -> &[LineError] {
        match self {
            IntelError::InvalidLines { errors, .. } => errors,
            _ => &[],
        }
    }
}

/// Result alias for this crate.
pub type Result<T, E = IntelError> = std::result::Result<T, E>;
