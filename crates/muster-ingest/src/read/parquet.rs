//! Parquet reader: columns matched by name (case-insensitive) and cast to a small set of
//! physical types, then coerced cell by cell like the text formats.

use std::fs::File;
use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, StringArray,
    TimestampMicrosecondArray,
};
use arrow::compute::cast;
use arrow::datatypes::{DataType, TimeUnit};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::IngestError;
use crate::cell::Cell;
use crate::discover::{Compression, InputFile};
use crate::reject::Location;
use crate::writer::TableWriter;

enum Col {
    Missing,
    Str(StringArray),
    Int(Int64Array),
    Float(Float64Array),
    Bool(BooleanArray),
    Ts(TimestampMicrosecondArray),
    Date(Date32Array),
}

impl Col {
    fn cell(&self, i: usize) -> Cell<'_> {
        macro_rules! get {
            ($a:expr, $f:expr) => {
                if $a.is_null(i) {
                    Cell::Null
                } else {
                    $f($a.value(i))
                }
            };
        }
        match self {
            Col::Missing => Cell::Null,
            Col::Str(a) => get!(a, Cell::Str),
            Col::Int(a) => get!(a, Cell::Int),
            Col::Float(a) => get!(a, Cell::Float),
            Col::Bool(a) => get!(a, Cell::Bool),
            Col::Ts(a) => get!(a, Cell::TsMicros),
            Col::Date(a) => get!(a, Cell::Date),
        }
    }
}

fn normalise(arr: &ArrayRef) -> Result<Col, String> {
    let target = match arr.data_type() {
        DataType::Boolean => DataType::Boolean,
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64 => DataType::Int64,
        DataType::Float16 | DataType::Float32 | DataType::Float64 => DataType::Float64,
        DataType::Timestamp(_, _) => DataType::Timestamp(TimeUnit::Microsecond, None),
        DataType::Date32 | DataType::Date64 => DataType::Date32,
        _ => DataType::Utf8,
    };
    let casted = cast(arr, &target).map_err(|e| e.to_string())?;
    let any = casted.as_any();
    let col = match target {
        DataType::Boolean => any.downcast_ref::<BooleanArray>().cloned().map(Col::Bool),
        DataType::Int64 => any.downcast_ref::<Int64Array>().cloned().map(Col::Int),
        DataType::Float64 => any.downcast_ref::<Float64Array>().cloned().map(Col::Float),
        DataType::Timestamp(_, _) => any
            .downcast_ref::<TimestampMicrosecondArray>()
            .cloned()
            .map(Col::Ts),
        DataType::Date32 => any.downcast_ref::<Date32Array>().cloned().map(Col::Date),
        _ => any.downcast_ref::<StringArray>().cloned().map(Col::Str),
    };
    col.ok_or_else(|| format!("cannot read column of type {}", arr.data_type()))
}

/// Reads a Parquet file. Timestamps without a time zone are taken as UTC.
pub fn read(w: &mut TableWriter<'_>, file_idx: usize, file: &InputFile) -> Result<(), IngestError> {
    let table = w.table();
    let perr = |reason: String| IngestError::Parquet {
        path: file.path.clone(),
        reason,
    };
    if file.compression != Compression::None {
        return Err(perr(
            "compressed Parquet files (.parquet.gz/.zst) are not supported: Parquet compresses internally; decompress the file".into(),
        ));
    }
    let f = File::open(&file.path).map_err(|e| IngestError::Read {
        path: file.path.clone(),
        source: e,
    })?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(f).map_err(|e| perr(e.to_string()))?;
    let schema = builder.schema().clone();
    let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let map = super::map_header(table, names.iter().map(String::as_str));
    super::check_required(&file.partitions, table, &map, &file.path, &names)?;
    let reader = builder
        .with_batch_size(16 * 1024)
        .build()
        .map_err(|e| perr(e.to_string()))?;
    let mut row: u64 = 0;
    for batch in reader {
        let batch = batch.map_err(|e| perr(e.to_string()))?;
        let cols: Vec<Col> = map
            .iter()
            .map(|src| match src {
                None => Ok(Col::Missing),
                Some(s) => normalise(&Arc::clone(batch.column(*s))),
            })
            .collect::<Result<_, _>>()
            .map_err(perr)?;
        for i in 0..batch.num_rows() {
            row += 1;
            let cells: Vec<Cell<'_>> = cols.iter().map(|c| c.cell(i)).collect();
            w.push(file_idx, Location::Row(row), &cells)?;
        }
    }
    Ok(())
}
