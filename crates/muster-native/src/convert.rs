//! Converting native files into staged contract tables (typed Parquet, one file per table),
//! with per-source counts and every rejected record in the rejection log.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use muster_ingest::{Cell, Location, RejectLog, Rejection, TableWriter};
use serde::Serialize;

use crate::record::{Loc, Outcome, V};
use crate::source::{Input, Sample, Sink, Source};
use crate::{NativeError, registry};

/// A native file and how its format was decided.
#[derive(Clone)]
pub struct NativeFile {
    /// The file.
    pub input: Input,
    /// Its reader.
    pub source: &'static dyn Source,
    /// `sniffed` (with confidence) or `named` (`--source`).
    pub how: String,
}

impl std::fmt::Debug for NativeFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NativeFile")
            .field("path", &self.input.path)
            .field("source", &self.source.name())
            .field("how", &self.how)
            .finish()
    }
}

/// The reader registered under `name`.
pub fn source_by_name(name: &str) -> Result<&'static dyn Source, NativeError> {
    registry()
        .iter()
        .copied()
        .find(|s| s.name().eq_ignore_ascii_case(name))
        .ok_or_else(|| NativeError::UnknownSource {
            name: name.to_string(),
            known: known(),
        })
}

fn known() -> String {
    registry()
        .iter()
        .map(|s| s.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Decides a file's format from its content: the reader with the highest confidence wins.
pub fn sniff(path: &Path) -> Result<NativeFile, NativeError> {
    let input = Input::new(path)?;
    let head = input.head()?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tail = input.tail()?;
    let sample = Sample {
        file_name: &name,
        head: &head,
        tail: &tail,
    };
    let best = registry()
        .iter()
        .filter_map(|s| s.sniff(&sample).map(|c| (c, *s)))
        .max_by_key(|(c, _)| *c);
    match best {
        Some((c, source)) if c > 0 => Ok(NativeFile {
            input,
            source,
            how: format!("sniffed ({c}%)"),
        }),
        _ => Err(NativeError::Unrecognised {
            path: path.to_path_buf(),
            known: known(),
        }),
    }
}

/// A file whose format the user named (`--source NAME=PATH`).
pub fn named(name: &str, path: &Path) -> Result<NativeFile, NativeError> {
    Ok(NativeFile {
        input: Input::new(path)?,
        source: source_by_name(name)?,
        how: "named".into(),
    })
}

/// Counts for one native file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileReport {
    /// File.
    pub file: String,
    /// Reader.
    pub source: String,
    /// How the reader was chosen.
    pub how: String,
    /// Records read (= mapped + skipped + rejected).
    pub records: u64,
    /// Records mapped to at least one row.
    pub mapped: u64,
    /// Records understood but not for any table, by reason.
    pub skipped: u64,
    /// Records rejected (see the rejection log).
    pub rejected: u64,
    /// Rows produced per table (before the contract's validation).
    pub rows: BTreeMap<String, u64>,
    /// Skip reasons with counts.
    pub skip_reasons: BTreeMap<String, u64>,
    /// Bytes of input (as stored).
    pub bytes: u64,
    /// Wall time in seconds.
    pub seconds: f64,
}

/// What a conversion did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct NativeReport {
    /// One entry per file.
    pub files: Vec<FileReport>,
    /// Per contract table: read, accepted, rejected of the staged rows (the contract's
    /// validation of mapped rows).
    pub tables: Vec<muster_ingest::TableReport>,
}

/// Stages the rows of native files into `stage/<table>/part-0.parquet`.
pub struct Converter<'r> {
    stage: PathBuf,
    rejects: &'r RejectLog,
    writers: BTreeMap<&'static str, TableWriter<'r>>,
    /// File index of the current file in each table writer.
    current: BTreeMap<&'static str, usize>,
    report: NativeReport,
}

impl<'r> Converter<'r> {
    /// A converter writing into `stage`.
    pub fn new(stage: &Path, rejects: &'r RejectLog) -> Converter<'r> {
        Converter {
            stage: stage.to_path_buf(),
            rejects,
            writers: BTreeMap::new(),
            current: BTreeMap::new(),
            report: NativeReport::default(),
        }
    }

    /// Reads one file with its reader.
    pub fn add(&mut self, file: &NativeFile) -> Result<(), NativeError> {
        let started = std::time::Instant::now();
        let shown = file.input.display();
        self.current.clear();
        let mut rep = FileReport {
            file: shown.clone(),
            source: file.source.name().to_string(),
            how: file.how.clone(),
            bytes: std::fs::metadata(&file.input.path)
                .map(|m| m.len())
                .unwrap_or(0),
            ..Default::default()
        };
        let source = file.source;
        let format = format!("native:{}", source.name());
        {
            let mut sink = FileSink {
                conv: self,
                rep: &mut rep,
                file: &shown,
                format: &format,
            };
            // Third-party decoders (Parquet, evtx) can panic on corrupt input: a panic ends
            // this file with one rejected record saying why, and the run goes on.
            let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                source.read(&file.input, &mut sink)
            }));
            match read {
                Ok(r) => r?,
                Err(panic) => {
                    let msg = panic
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "unknown".into());
                    let next = sink.rep.records + 1;
                    sink.record(
                        Loc::Record(next),
                        Outcome::reject(format!(
                            "the file is corrupt and could not be read past this point (decoder failed: {msg})"
                        )),
                    )?;
                }
            }
        }
        rep.seconds = started.elapsed().as_secs_f64();
        self.report.files.push(rep);
        Ok(())
    }

    /// Closes every staged table and returns the report.
    pub fn finish(mut self) -> Result<NativeReport, NativeError> {
        self.rejects.flush()?;
        for (name, w) in std::mem::take(&mut self.writers) {
            let files = w.finish()?;
            let mut t = muster_ingest::TableReport {
                table: name.to_string(),
                ..Default::default()
            };
            for f in &files {
                t.read += f.read;
                t.accepted += f.accepted;
                t.rejected += f.rejected;
            }
            t.files = files;
            self.report.tables.push(t);
        }
        Ok(self.report)
    }

    /// The staged tables written so far.
    pub fn stage(&self) -> &Path {
        &self.stage
    }
}

struct FileSink<'a, 'r> {
    conv: &'a mut Converter<'r>,
    rep: &'a mut FileReport,
    file: &'a str,
    format: &'a str,
}

fn location(loc: Loc) -> Location {
    match loc {
        Loc::Line(l) => Location::Line(l),
        Loc::Record(r) => Location::Row(r),
    }
}

impl Sink for FileSink<'_, '_> {
    fn record(&mut self, loc: Loc, outcome: Outcome) -> Result<(), NativeError> {
        self.rep.records += 1;
        match outcome {
            Outcome::Rows(rows) if rows.is_empty() => {
                self.rep.skipped += 1;
                *self.rep.skip_reasons.entry("no rows".into()).or_default() += 1;
            }
            Outcome::Rows(rows) => {
                self.rep.mapped += 1;
                for row in rows {
                    let table = row.table;
                    *self.rep.rows.entry(table.name.to_string()).or_default() += 1;
                    if !self.conv.writers.contains_key(table.name) {
                        let w = TableWriter::create(table, &self.conv.stage, self.conv.rejects)?;
                        self.conv.writers.insert(table.name, w);
                    }
                    let Some(w) = self.conv.writers.get_mut(table.name) else {
                        continue;
                    };
                    let idx = match self.conv.current.get(table.name) {
                        Some(i) => *i,
                        None => {
                            let i = w.begin_file(self.file, self.format, &[]);
                            self.conv.current.insert(table.name, i);
                            i
                        }
                    };
                    if !row.unknown.is_empty() {
                        w.reject_record(
                            idx,
                            location(loc),
                            row.unknown.first().copied(),
                            None,
                            "internal: the reader set a column the table does not have (please report)",
                        )?;
                        continue;
                    }
                    let mut cells: Vec<Cell<'_>> = vec![Cell::Null; table.columns.len()];
                    for (i, v) in &row.cells {
                        if let Some(c) = cells.get_mut(*i) {
                            *c = match v {
                                V::Null => Cell::Null,
                                V::Str(s) => Cell::Str(s),
                                V::Int(i) => Cell::Int(*i),
                                V::Float(f) => Cell::Float(*f),
                                V::Bool(b) => Cell::Bool(*b),
                                V::TsMicros(t) => Cell::TsMicros(*t),
                            };
                        }
                    }
                    w.push(idx, location(loc), &cells)?;
                }
            }
            Outcome::Skip(reason) => {
                self.rep.skipped += 1;
                *self
                    .rep
                    .skip_reasons
                    .entry(reason.into_owned())
                    .or_default() += 1;
            }
            Outcome::Reject { reason, value } => {
                self.rep.rejected += 1;
                let (line, row) = match loc {
                    Loc::Line(l) => (Some(l), None),
                    Loc::Record(r) => (None, Some(r)),
                };
                let table = format!("native:{}", self.rep.source);
                self.conv.rejects.write(&Rejection {
                    table: &table,
                    file: self.file,
                    line,
                    row,
                    column: None,
                    value,
                    reason: &reason,
                })?;
            }
        }
        Ok(())
    }
}
