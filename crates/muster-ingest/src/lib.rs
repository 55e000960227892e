//! Ingestion: contract tables in, staged typed Parquet out, every rejected record reported.
//!
//! [`ingest_dir`] finds each contract table in an input folder (CSV, NDJSON or Parquet; plain,
//! `.gz` or `.zst`; single files or partitioned folders), validates every record against the
//! contract ([`muster_contract`]) with the contract's coercions, writes accepted records to
//! `stage/<table>/part-0.parquet` in batches (memory stays bounded whatever the input size), and
//! writes each rejected record to the rejection log with its file, line or row, column and reason.
//! Per table, `read = accepted + rejected` always holds.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = tempfile::tempdir()?;
//! let input = dir.path().join("in");
//! std::fs::create_dir(&input)?;
//! std::fs::write(
//!     input.join("people.csv"),
//!     "Person_ID,record_type,full_name,date_of_birth\np1,employee,Ada Lovelace,1815-12-10\np2,employee,Bad Date,10/12/1815\n",
//! )?;
//! let rejects = muster_ingest::RejectLog::create(&dir.path().join("rejected.ndjson"))?;
//! let report = muster_ingest::ingest_dir(&input, &dir.path().join("stage"), &rejects, &|_| {})?;
//! let people = report.table("people").unwrap();
//! assert_eq!((people.read, people.accepted, people.rejected), (2, 1, 1));
//! # Ok(()) }
//! ```

mod cell;
pub mod discover;
mod error;
pub mod export;
pub mod read;
mod reject;
pub mod time;
mod writer;

use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;

pub use cell::{Cell, Value, coerce, parse_bool};
pub use discover::{InputFile, TableInput, discover};
pub use error::IngestError;
pub use reject::{Location, RejectLog, Rejection, display_value};
pub use writer::{FileCounts, TableWriter};

/// Counts and timing for one table.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct TableReport {
    /// Contract table name.
    pub table: String,
    /// Records read.
    pub read: u64,
    /// Records accepted into the staged table.
    pub accepted: u64,
    /// Records rejected (see the rejection log).
    pub rejected: u64,
    /// Bytes of input (compressed size).
    pub bytes: u64,
    /// Wall time in seconds.
    pub seconds: f64,
    /// Records read per second.
    pub rows_per_second: f64,
    /// Per-file counts.
    pub files: Vec<FileCounts>,
}

/// What ingestion did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct IngestReport {
    /// One entry per table found, in contract order.
    pub tables: Vec<TableReport>,
    /// Wall time in seconds.
    pub seconds: f64,
}

impl IngestReport {
    /// The report of one table, if it was present.
    pub fn table(&self, name: &str) -> Option<&TableReport> {
        self.tables.iter().find(|t| t.table == name)
    }

    /// Accepted rows of every contract table (0 for a table that was absent), as the detection
    /// engine wants them.
    pub fn accepted_rows(&self) -> std::collections::BTreeMap<&'static str, u64> {
        muster_contract::TABLES
            .iter()
            .map(|t| (t.name, self.table(t.name).map_or(0, |r| r.accepted)))
            .collect()
    }

    /// Records read across tables.
    pub fn total_read(&self) -> u64 {
        self.tables.iter().map(|t| t.read).sum()
    }

    /// Records rejected across tables.
    pub fn total_rejected(&self) -> u64 {
        self.tables.iter().map(|t| t.rejected).sum()
    }
}

/// Progress of ingestion, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    /// A table starts; `bytes` is its input size.
    Start {
        /// Table name.
        table: &'a str,
        /// Input bytes.
        bytes: u64,
    },
    /// A table is done.
    Done {
        /// Table name.
        table: &'a str,
        /// Records read.
        read: u64,
    },
}

/// Ingests every contract table found in `input` into `stage` (see the crate docs).
///
/// Tables are read in parallel, up to the number of available cores. A fatal problem (unreadable
/// file, missing required column, no `people` table) stops ingestion with an [`IngestError`].
pub fn ingest_dir(
    input: &Path,
    stage: &Path,
    rejects: &RejectLog,
    progress: &(dyn Fn(Progress<'_>) + Sync),
) -> Result<IngestReport, IngestError> {
    let started = Instant::now();
    let mut inputs = discover(input)?;
    ingest_tables(&mut inputs, stage, rejects, progress).map(|mut r| {
        r.seconds = started.elapsed().as_secs_f64();
        r
    })
}

/// Ingests tables already discovered (largest first, in parallel).
pub fn ingest_tables(
    inputs: &mut [TableInput],
    stage: &Path,
    rejects: &RejectLog,
    progress: &(dyn Fn(Progress<'_>) + Sync),
) -> Result<IngestReport, IngestError> {
    std::fs::create_dir_all(stage).map_err(|e| IngestError::Write {
        path: stage.to_path_buf(),
        reason: e.to_string(),
    })?;
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(inputs[i].bytes()));
    let queue = Mutex::new(order.into_iter());
    let results: Mutex<Vec<(usize, Result<TableReport, IngestError>)>> = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(1, 8);
    let inputs_ref: &[TableInput] = inputs;
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let next = queue.lock().ok().and_then(|mut q| q.next());
                    let Some(i) = next else { break };
                    let r = ingest_table(&inputs_ref[i], stage, rejects, progress);
                    let failed = r.is_err();
                    if let Ok(mut v) = results.lock() {
                        v.push((i, r));
                    }
                    if failed {
                        break;
                    }
                }
            });
        }
    });
    rejects.flush()?;
    let mut results = results.into_inner().unwrap_or_default();
    results.sort_by_key(|(i, _)| *i);
    let mut report = IngestReport::default();
    for (_, r) in results {
        report.tables.push(r?);
    }
    if report.tables.len() != inputs.len() {
        return Err(IngestError::Write {
            path: stage.to_path_buf(),
            reason: "a table worker stopped early".into(),
        });
    }
    Ok(report)
}

/// Ingests the files of one table.
pub fn ingest_table(
    input: &TableInput,
    stage: &Path,
    rejects: &RejectLog,
    progress: &(dyn Fn(Progress<'_>) + Sync),
) -> Result<TableReport, IngestError> {
    let started = Instant::now();
    progress(Progress::Start {
        table: input.table.name,
        bytes: input.bytes(),
    });
    let mut w = TableWriter::create(input.table, stage, rejects)?;
    for f in &input.files {
        read::read_file(&mut w, f)?;
    }
    let files = w.finish()?;
    let mut r = TableReport {
        table: input.table.name.to_string(),
        bytes: input.bytes(),
        ..Default::default()
    };
    for f in &files {
        r.read += f.read;
        r.accepted += f.accepted;
        r.rejected += f.rejected;
    }
    r.files = files;
    r.seconds = started.elapsed().as_secs_f64();
    r.rows_per_second = if r.seconds > 0.0 {
        r.read as f64 / r.seconds
    } else {
        0.0
    };
    progress(Progress::Done {
        table: input.table.name,
        read: r.read,
    });
    Ok(r)
}
