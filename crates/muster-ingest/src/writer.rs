//! Validates rows against a contract table and writes accepted ones to a staged Parquet file.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{
    ArrayRef, BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, StringBuilder,
    TimestampMicrosecondBuilder,
};
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use muster_contract::{ColumnType, Table};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use crate::IngestError;
use crate::cell::{Cell, Value, coerce};
use crate::reject::{Location, RejectLog, Rejection, display_value};

const BATCH_ROWS: usize = 32 * 1024;

enum Builder {
    Str(StringBuilder),
    Ts(TimestampMicrosecondBuilder),
    Date(Date32Builder),
    Bool(BooleanBuilder),
    Float(Float64Builder),
    Int(Int64Builder),
}

impl Builder {
    fn new(ty: ColumnType) -> Self {
        match ty {
            ColumnType::Str | ColumnType::Ip | ColumnType::Hex(_) => {
                Builder::Str(StringBuilder::new())
            }
            ColumnType::Ts => Builder::Ts(TimestampMicrosecondBuilder::new().with_timezone("UTC")),
            ColumnType::Date => Builder::Date(Date32Builder::new()),
            ColumnType::Bool => Builder::Bool(BooleanBuilder::new()),
            ColumnType::Float | ColumnType::Decimal => Builder::Float(Float64Builder::new()),
            ColumnType::Int => Builder::Int(Int64Builder::new()),
        }
    }

    /// Appends a value already coerced to this builder's type.
    fn append(&mut self, v: &Value<'_>) {
        match (self, v) {
            (Builder::Str(b), Value::Str(s)) => b.append_value(s),
            (Builder::Ts(b), Value::Ts(t)) => b.append_value(*t),
            (Builder::Date(b), Value::Date(d)) => b.append_value(*d),
            (Builder::Bool(b), Value::Bool(x)) => b.append_value(*x),
            (Builder::Float(b), Value::Float(x)) => b.append_value(*x),
            (Builder::Int(b), Value::Int(x)) => b.append_value(*x),
            (b, _) => b.append_null(),
        }
    }

    fn append_null(&mut self) {
        match self {
            Builder::Str(b) => b.append_null(),
            Builder::Ts(b) => b.append_null(),
            Builder::Date(b) => b.append_null(),
            Builder::Bool(b) => b.append_null(),
            Builder::Float(b) => b.append_null(),
            Builder::Int(b) => b.append_null(),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Str(b) => Arc::new(b.finish()),
            Builder::Ts(b) => Arc::new(b.finish()),
            Builder::Date(b) => Arc::new(b.finish()),
            Builder::Bool(b) => Arc::new(b.finish()),
            Builder::Float(b) => Arc::new(b.finish()),
            Builder::Int(b) => Arc::new(b.finish()),
        }
    }
}

/// Per-file counts.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct FileCounts {
    /// File path as given.
    pub file: String,
    /// Format read (`csv`, `ndjson`, `parquet`) and compression.
    pub format: String,
    /// Records read.
    pub read: u64,
    /// Records accepted.
    pub accepted: u64,
    /// Records rejected.
    pub rejected: u64,
}

/// Validates and stages the rows of one contract table.
pub struct TableWriter<'r> {
    table: &'static Table,
    schema: SchemaRef,
    builders: Vec<Builder>,
    rows: usize,
    writer: ArrowWriter<File>,
    path: PathBuf,
    rejects: &'r RejectLog,
    unique_idx: Option<usize>,
    seen: HashMap<String, (u32, Location)>,
    one_of: Vec<usize>,
    files: Vec<FileCounts>,
    file_names: Vec<String>,
    partitions: Vec<(usize, String)>,
}

impl<'r> TableWriter<'r> {
    /// Creates `stage_dir/<table>/part-0.parquet`.
    pub fn create(
        table: &'static Table,
        stage_dir: &Path,
        rejects: &'r RejectLog,
    ) -> Result<Self, IngestError> {
        let dir = stage_dir.join(table.name);
        std::fs::create_dir_all(&dir).map_err(|e| IngestError::Write {
            path: dir.clone(),
            reason: e.to_string(),
        })?;
        let path = dir.join("part-0.parquet");
        let file = File::create(&path).map_err(|e| IngestError::Write {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        let schema = table.arrow_schema();
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(128 * 1024))
            .build();
        let writer = ArrowWriter::try_new(file, schema.clone(), Some(props)).map_err(|e| {
            IngestError::Write {
                path: path.clone(),
                reason: e.to_string(),
            }
        })?;
        let unique_idx = table
            .unique
            .and_then(|u| table.columns.iter().position(|c| c.name == u));
        let one_of = table
            .one_of
            .iter()
            .filter_map(|n| table.columns.iter().position(|c| c.name == *n))
            .collect();
        Ok(Self {
            table,
            builders: table.columns.iter().map(|c| Builder::new(c.ty)).collect(),
            schema,
            rows: 0,
            writer,
            path,
            rejects,
            unique_idx,
            seen: HashMap::new(),
            one_of,
            files: Vec::new(),
            file_names: Vec::new(),
            partitions: Vec::new(),
        })
    }

    /// The contract table.
    pub fn table(&self) -> &'static Table {
        self.table
    }

    /// Starts counting a new input file; returns its index for [`TableWriter::push`].
    /// Partition values whose key names a contract column fill that column in records that
    /// leave it empty.
    pub fn begin_file(
        &mut self,
        file: &str,
        format: &str,
        partitions: &[(String, String)],
    ) -> usize {
        self.partitions = partitions
            .iter()
            .filter_map(|(k, v)| {
                self.table
                    .columns
                    .iter()
                    .position(|c| c.name == k)
                    .map(|i| (i, v.clone()))
            })
            .collect();
        self.files.push(FileCounts {
            file: file.to_string(),
            format: format.to_string(),
            ..Default::default()
        });
        self.file_names.push(file.to_string());
        self.files.len() - 1
    }

    /// Reports a record that could not even be split into cells (bad JSON, wrong field count).
    pub fn reject_record(
        &mut self,
        file: usize,
        loc: Location,
        column: Option<&str>,
        value: Option<String>,
        reason: &str,
    ) -> Result<(), IngestError> {
        let counts = &mut self.files[file];
        counts.read += 1;
        counts.rejected += 1;
        let (line, row) = split_loc(loc);
        self.rejects.write(&Rejection {
            table: self.table.name,
            file: &self.file_names[file],
            line,
            row,
            column,
            value,
            reason,
        })
    }

    /// Validates one record whose cells are in contract column order, and stages it or rejects it.
    pub fn push(
        &mut self,
        file: usize,
        loc: Location,
        cells: &[Cell<'_>],
    ) -> Result<(), IngestError> {
        if !self.partitions.is_empty() {
            let parts = std::mem::take(&mut self.partitions);
            let mut filled = cells.to_vec();
            filled.resize(self.table.columns.len(), Cell::Null);
            for (i, v) in &parts {
                if matches!(filled[*i], Cell::Null) {
                    filled[*i] = Cell::Str(v);
                }
            }
            let r = self.push_cells(file, loc, &filled);
            self.partitions = parts;
            return r;
        }
        self.push_cells(file, loc, cells)
    }

    fn push_cells(
        &mut self,
        file: usize,
        loc: Location,
        cells: &[Cell<'_>],
    ) -> Result<(), IngestError> {
        let columns = self.table.columns;
        let mut values: Vec<Value<'_>> = Vec::with_capacity(columns.len());
        for (i, col) in columns.iter().enumerate() {
            let cell = cells.get(i).copied().unwrap_or(Cell::Null);
            match coerce(cell, col.ty) {
                Ok(Value::Null) if col.required => {
                    return self.reject_record(
                        file,
                        loc,
                        Some(col.name),
                        None,
                        "required value is missing",
                    );
                }
                Ok(v) => values.push(v),
                Err(reason) => {
                    let shown = cell_text(cell).map(|t| display_value(&t, col.sensitive));
                    let reason = format!("expected {}: {reason}", col.ty.name());
                    return self.reject_record(file, loc, Some(col.name), shown, &reason);
                }
            }
        }
        if !self.one_of.is_empty()
            && self
                .one_of
                .iter()
                .all(|&i| matches!(values[i], Value::Null))
        {
            let names: Vec<&str> = self.one_of.iter().map(|&i| columns[i].name).collect();
            let reason = format!("one of {} is required", names.join(", "));
            return self.reject_record(file, loc, None, None, &reason);
        }
        if let Some(u) = self.unique_idx
            && let Value::Str(key) = &values[u]
        {
            if let Some((f, first)) = self.seen.get(key.as_ref()) {
                let (l, r) = split_loc(*first);
                let at = l
                    .map(|l| format!("line {l}"))
                    .or(r.map(|r| format!("row {r}")))
                    .unwrap_or_default();
                let reason = format!(
                    "duplicate {} (first seen in {} {at})",
                    columns[u].name, self.file_names[*f as usize]
                );
                let shown = Some(display_value(key, false));
                return self.reject_record(file, loc, Some(columns[u].name), shown, &reason);
            }
            self.seen.insert(key.to_string(), (file as u32, loc));
        }
        for (b, v) in self.builders.iter_mut().zip(values.iter()) {
            b.append(v);
        }
        let counts = &mut self.files[file];
        counts.read += 1;
        counts.accepted += 1;
        self.rows += 1;
        if self.rows >= BATCH_ROWS {
            self.flush_batch()?;
        }
        Ok(())
    }

    fn flush_batch(&mut self) -> Result<(), IngestError> {
        if self.rows == 0 {
            return Ok(());
        }
        let cols: Vec<ArrayRef> = self.builders.iter_mut().map(Builder::finish).collect();
        let batch =
            RecordBatch::try_new(self.schema.clone(), cols).map_err(|e| self.err(e.to_string()))?;
        self.writer
            .write(&batch)
            .map_err(|e| self.err(e.to_string()))?;
        self.rows = 0;
        Ok(())
    }

    /// Flushes and closes the staged file; returns per-file counts.
    pub fn finish(mut self) -> Result<Vec<FileCounts>, IngestError> {
        self.flush_batch()?;
        let path = self.path.clone();
        self.writer.close().map_err(|e| IngestError::Write {
            path,
            reason: e.to_string(),
        })?;
        Ok(self.files)
    }

    fn err(&self, reason: String) -> IngestError {
        IngestError::Write {
            path: self.path.clone(),
            reason,
        }
    }
}

fn split_loc(loc: Location) -> (Option<u64>, Option<u64>) {
    match loc {
        Location::Line(l) => (Some(l), None),
        Location::Row(r) => (None, Some(r)),
    }
}

fn cell_text(c: Cell<'_>) -> Option<String> {
    match c {
        Cell::Null => None,
        Cell::Str(s) => Some(s.to_string()),
        Cell::Bytes(b) => Some(String::from_utf8_lossy(b).into_owned()),
        Cell::Int(i) => Some(i.to_string()),
        Cell::Float(f) => Some(f.to_string()),
        Cell::Bool(b) => Some(b.to_string()),
        Cell::TsMicros(t) => Some(crate::time::format_micros(t)),
        Cell::Date(d) => Some(crate::time::format_date(d)),
    }
}
