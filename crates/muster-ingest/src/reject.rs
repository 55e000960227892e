//! The rejection log: every record that could not be accepted, with where and why.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;

use crate::IngestError;

/// Where a record was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// Text line (1-based) of a CSV or NDJSON file; for CSV, the line the record starts on.
    Line(u64),
    /// Row (1-based) of a Parquet file; record (1-based) of a native file that is not read by
    /// lines (element of a JSON array, event of an `.evtx` file).
    Row(u64),
}

/// One rejected record, as written to `rejected.ndjson`.
#[derive(Debug, Clone, Serialize)]
pub struct Rejection<'a> {
    /// Contract table.
    pub table: &'a str,
    /// File it came from.
    pub file: &'a str,
    /// Line (CSV, NDJSON) of the record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// Row (Parquet) of the record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
    /// Column at fault, when one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<&'a str>,
    /// The offending value, truncated to 120 characters; masked for sensitive columns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Why the record was rejected.
    pub reason: &'a str,
}

/// Thread-safe writer of `rejected.ndjson`.
pub struct RejectLog {
    path: PathBuf,
    out: Mutex<BufWriter<File>>,
}

impl RejectLog {
    /// Creates (truncates) the log at `path`.
    pub fn create(path: &Path) -> Result<Self, IngestError> {
        let f = File::create(path).map_err(|e| IngestError::Write {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        Ok(Self {
            path: path.to_path_buf(),
            out: Mutex::new(BufWriter::new(f)),
        })
    }

    /// Appends one rejection.
    pub fn write(&self, r: &Rejection<'_>) -> Result<(), IngestError> {
        let mut line = serde_json::to_vec(r).map_err(|e| self.err(e.to_string()))?;
        line.push(b'\n');
        let mut out = self
            .out
            .lock()
            .map_err(|_| self.err("rejection log lock poisoned".into()))?;
        out.write_all(&line).map_err(|e| self.err(e.to_string()))
    }

    /// Flushes to disk.
    pub fn flush(&self) -> Result<(), IngestError> {
        let mut out = self
            .out
            .lock()
            .map_err(|_| self.err("rejection log lock poisoned".into()))?;
        out.flush().map_err(|e| self.err(e.to_string()))
    }

    fn err(&self, reason: String) -> IngestError {
        IngestError::Write {
            path: self.path.clone(),
            reason,
        }
    }
}

/// Shows a rejected value safely: sensitive values keep only their last 2 characters, others are
/// truncated to 120 characters.
pub fn display_value(raw: &str, sensitive: bool) -> String {
    if sensitive {
        let n = raw.chars().count();
        let tail: String = raw.chars().skip(n.saturating_sub(2)).collect();
        return format!("***{tail}");
    }
    if raw.chars().count() > 120 {
        let mut s: String = raw.chars().take(120).collect();
        s.push('…');
        s
    } else {
        raw.to_string()
    }
}
