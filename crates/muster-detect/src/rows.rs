//! Reading query results back into Rust values by column name.

use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, Float64Type, Int64Type, TimeUnit, TimestampMicrosecondType,
};

use crate::DetectError;

/// A column of a result batch, cast to a simple type.
pub enum Col {
    /// Text.
    Str(datafusion::arrow::array::StringArray),
    /// Integer.
    Int(datafusion::arrow::array::Int64Array),
    /// Float.
    Float(datafusion::arrow::array::Float64Array),
    /// Timestamp (UTC microseconds).
    Ts(datafusion::arrow::array::TimestampMicrosecondArray),
    /// Boolean.
    Bool(datafusion::arrow::array::BooleanArray),
}

impl Col {
    /// Text value (numbers are not converted).
    pub fn str(&self, i: usize) -> Option<&str> {
        match self {
            Col::Str(a) if !a.is_null(i) => Some(a.value(i)),
            _ => None,
        }
    }
    /// Integer value.
    pub fn int(&self, i: usize) -> Option<i64> {
        match self {
            Col::Int(a) if !a.is_null(i) => Some(a.value(i)),
            Col::Float(a) if !a.is_null(i) => Some(a.value(i) as i64),
            _ => None,
        }
    }
    /// Float value.
    pub fn float(&self, i: usize) -> Option<f64> {
        match self {
            Col::Float(a) if !a.is_null(i) => Some(a.value(i)),
            Col::Int(a) if !a.is_null(i) => Some(a.value(i) as f64),
            _ => None,
        }
    }
    /// Timestamp value, UTC microseconds.
    pub fn ts(&self, i: usize) -> Option<i64> {
        match self {
            Col::Ts(a) if !a.is_null(i) => Some(a.value(i)),
            _ => None,
        }
    }
    /// Boolean value.
    pub fn bool(&self, i: usize) -> Option<bool> {
        match self {
            Col::Bool(a) if !a.is_null(i) => Some(a.value(i)),
            _ => None,
        }
    }
}

/// Column `name` of `batch`, cast to the simple type matching its Arrow type.
pub fn col(batch: &RecordBatch, name: &str) -> Result<Col, DetectError> {
    let arr = batch
        .column_by_name(name)
        .ok_or_else(|| DetectError::Internal(format!("query result has no column {name}")))?;
    let c = |e: datafusion::arrow::error::ArrowError| {
        DetectError::Internal(format!("column {name}: {e}"))
    };
    Ok(match arr.data_type() {
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64 => Col::Int(
            cast(arr, &DataType::Int64)
                .map_err(c)?
                .as_primitive::<Int64Type>()
                .clone(),
        ),
        DataType::Float32 | DataType::Float64 => Col::Float(
            cast(arr, &DataType::Float64)
                .map_err(c)?
                .as_primitive::<Float64Type>()
                .clone(),
        ),
        DataType::Timestamp(_, _) => Col::Ts(
            cast(arr, &DataType::Timestamp(TimeUnit::Microsecond, None))
                .map_err(c)?
                .as_primitive::<TimestampMicrosecondType>()
                .clone(),
        ),
        DataType::Boolean => Col::Bool(arr.as_boolean().clone()),
        _ => Col::Str(
            cast(arr, &DataType::Utf8)
                .map_err(c)?
                .as_string::<i32>()
                .clone(),
        ),
    })
}

/// RFC 3339 text of UTC microseconds.
pub fn rfc3339(micros: i64) -> String {
    chrono::DateTime::<chrono::Utc>::from_timestamp_micros(micros)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}
