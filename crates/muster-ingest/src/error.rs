//! Errors that stop ingestion (as opposed to rejected records, which are reported and skipped).

use std::path::PathBuf;

/// A fatal ingestion error: the input cannot be used as given. The CLI maps it to exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The input folder does not exist or is not a folder.
    #[error("input folder {path}: {reason}")]
    InputFolder {
        /// Folder given.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A file could not be opened or read.
    #[error(
        "cannot read {path}: {source}. Check the file exists, is readable and is not truncated"
    )]
    Read {
        /// File.
        path: PathBuf,
        /// Underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The header of a file lacks a required contract column.
    #[error(
        "{path}: table `{table}` needs column `{column}`, which the file does not have (columns found: {found}). \
         Rename the column or map it; see spec/data-contract.md section 2"
    )]
    MissingColumn {
        /// File.
        path: PathBuf,
        /// Table.
        table: String,
        /// Missing column.
        column: String,
        /// Columns that were found (truncated).
        found: String,
    },
    /// The required `people` table was not found.
    #[error(
        "no `people` table in {path}: expected people.csv, people.ndjson, people.parquet (optionally .gz/.zst) or a people/ folder"
    )]
    NoPeople {
        /// Input folder.
        path: PathBuf,
    },
    /// A Parquet file could not be decoded.
    #[error("{path}: not a readable Parquet file: {reason}")]
    Parquet {
        /// File.
        path: PathBuf,
        /// Decoder message.
        reason: String,
    },
    /// Writing the staged tables or the rejection log failed.
    #[error(
        "cannot write {path}: {reason}. Check free disk space and permissions of the output folder"
    )]
    Write {
        /// File being written.
        path: PathBuf,
        /// What failed.
        reason: String,
    },
}
