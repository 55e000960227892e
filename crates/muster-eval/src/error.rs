//! Errors from [`evaluate`](crate::evaluate).

use std::path::PathBuf;

/// Everything that can go wrong while reading the truth and scan folders. Each variant names
/// the file and, for row problems, the 1-based line.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A required file does not exist.
    #[error("{}: required file not found", path.display())]
    MissingFile {
        /// The file that was looked for.
        path: PathBuf,
    },
    /// The file exists but could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Malformed CSV (for example a row with the wrong number of fields).
    #[error("{}{}: malformed CSV: {source}", path.display(), line.map(|l| format!(":{l}")).unwrap_or_default())]
    Csv {
        /// The file.
        path: PathBuf,
        /// The line, when the CSV reader knows it.
        line: Option<u64>,
        /// The underlying error.
        source: csv::Error,
    },
    /// A required column is missing from the header row.
    #[error("{}: missing required column `{column}` in the header", path.display())]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column name.
        column: &'static str,
    },
    /// A cell could not be understood.
    #[error("{}:{line}: column `{column}`: {problem} (got {value:?})", path.display())]
    BadValue {
        /// The file.
        path: PathBuf,
        /// 1-based line of the row (the header is line 1).
        line: u64,
        /// The column name.
        column: &'static str,
        /// The cell as read.
        value: String,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// The same person appears twice in a file that must have one row per person.
    #[error("{}:{line}: duplicate person_id {person_id:?} (first on line {first_line})", path.display())]
    DuplicatePerson {
        /// The file.
        path: PathBuf,
        /// Line of the repeated row.
        line: u64,
        /// Line where the person first appeared.
        first_line: u64,
        /// The repeated id.
        person_id: String,
    },
    /// `run.json` is not valid JSON.
    #[error("{}: invalid JSON: {source}", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: serde_json::Error,
    },
    /// `run.json` is valid JSON but `detections_run` has the wrong shape.
    #[error("{}: `detections_run` {problem}", path.display())]
    BadRunJson {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        problem: &'static str,
    },
}
