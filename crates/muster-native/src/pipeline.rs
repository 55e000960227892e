//! Native sources inside a scan: convert them, then ingest them with the contract tables so the
//! contract's validation (and uniqueness of ids) applies across both.

use std::path::{Path, PathBuf};

use muster_ingest::{IngestReport, Progress, RejectLog, TableInput};
use serde::Serialize;

use crate::NativeError;
use crate::convert::{Converter, FileReport};
use crate::plan::{Unrecognised, plan};

/// What the native part of an ingestion did (for run.json).
#[derive(Debug, Clone, Default, Serialize)]
pub struct NativeSummary {
    /// Per native file: reader, records, mapped, skipped, rejected, rows per table.
    pub files: Vec<FileReport>,
    /// Per table: rows staged from native files (read = accepted + rejected).
    pub tables: Vec<muster_ingest::TableReport>,
    /// Files no reader recognised (left out).
    pub unrecognised: Vec<Unrecognised>,
    /// Files left out by the caller's filter (a date range's partition pruning).
    pub pruned: u64,
}

/// Ingests `input` (contract tables and native files) into `stage`. Native files are first
/// converted into `native_stage`; their staged tables then join the contract tables' files.
/// `people` must come from one or the other.
pub fn ingest_all(
    input: &Path,
    named_sources: &[(String, PathBuf)],
    native_stage: &Path,
    stage: &Path,
    rejects: &RejectLog,
    progress: &(dyn Fn(Progress<'_>) + Sync),
    keep: &(dyn Fn(&Path) -> bool + Sync),
) -> Result<(IngestReport, NativeSummary), NativeError> {
    let started = std::time::Instant::now();
    if !input.is_dir() {
        return Err(muster_ingest::IngestError::InputFolder {
            path: input.to_path_buf(),
            reason: if input.exists() {
                "not a folder".into()
            } else {
                "does not exist".into()
            },
        }
        .into());
    }
    let mut p = plan(input, named_sources)?;
    let before = p.files.len();
    p.files.retain(|f| keep(&f.input.path));
    let mut summary = NativeSummary {
        unrecognised: p.unrecognised,
        pruned: (before - p.files.len()) as u64,
        ..Default::default()
    };
    if !summary.unrecognised.is_empty() {
        let names: Vec<&str> = summary
            .unrecognised
            .iter()
            .take(3)
            .map(|u| u.file.as_str())
            .collect();
        tracing::warn!(
            "{} file(s) in the input are neither contract tables nor a native format muster \
             reads, and were left out ({}{}); see run.json `native.unrecognised`, or name the \
             format with --source NAME=PATH",
            summary.unrecognised.len(),
            names.join(", "),
            if summary.unrecognised.len() > 3 {
                ", ..."
            } else {
                ""
            }
        );
    }
    let mut tables: Vec<TableInput> = muster_ingest::discover::discover_tables(input)?;
    // people records are not events: a date range never leaves them out
    for t in tables.iter_mut().filter(|t| t.table.name != "people") {
        let before = t.files.len();
        t.files.retain(|f| keep(&f.path));
        summary.pruned += (before - t.files.len()) as u64;
    }
    if !p.files.is_empty() {
        let mut conv = Converter::new(native_stage, rejects);
        for f in &p.files {
            progress(Progress::Start {
                table: f.source.name(),
                bytes: std::fs::metadata(&f.input.path)
                    .map(|m| m.len())
                    .unwrap_or(0),
            });
            conv.add(f)?;
        }
        let report = conv.finish()?;
        for t in &report.tables {
            let Some(table) = muster_contract::TABLES.iter().find(|c| c.name == t.table) else {
                continue;
            };
            let file = muster_ingest::discover::staged_parquet(
                native_stage.join(table.name).join("part-0.parquet"),
            )?;
            match tables.iter_mut().find(|x| x.table.name == table.name) {
                Some(x) => x.files.push(file),
                None => tables.push(TableInput {
                    table,
                    files: vec![file],
                }),
            }
        }
        // Keep contract order.
        tables.sort_by_key(|t| {
            muster_contract::TABLES
                .iter()
                .position(|c| c.name == t.table.name)
        });
        summary.files = report.files;
        summary.tables = report.tables;
    }
    muster_ingest::discover::require_people(input, &tables)?;
    let mut report = muster_ingest::ingest_tables(&mut tables, stage, rejects, progress)?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok((report, summary))
}
