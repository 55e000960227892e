//! Errors of native reading.

use std::path::{Path, PathBuf};

/// A problem with a native file as a whole (record-level problems are rejections instead).
#[derive(Debug, thiserror::Error)]
pub enum NativeError {
    /// The file could not be read.
    #[error("cannot read {path}: {reason}")]
    Read {
        /// File.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// No reader recognised the file.
    #[error(
        "{path}: not a format muster reads natively (sniffed the first 64 KiB); name the format with --source NAME={path} if it is one of: {known}"
    )]
    Unrecognised {
        /// File.
        path: PathBuf,
        /// Source names.
        known: String,
    },
    /// `--source NAME=PATH` named an unknown reader.
    #[error("unknown source {name:?}: one of {known}")]
    UnknownSource {
        /// The name given.
        name: String,
        /// Source names.
        known: String,
    },
    /// The file is of the format but unusable as a whole.
    #[error("{path}: {reason}")]
    Format {
        /// File.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// Writing the staged tables failed.
    #[error(transparent)]
    Ingest(#[from] muster_ingest::IngestError),
}

impl NativeError {
    /// An I/O error on `path`.
    pub fn io(path: &Path, e: std::io::Error) -> NativeError {
        NativeError::Read {
            path: path.to_path_buf(),
            reason: e.to_string(),
        }
    }
}
