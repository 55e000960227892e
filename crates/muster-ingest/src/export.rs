//! Writing a staged table out as CSV (for `muster ingest --format csv`).

use std::fs::File;
use std::path::Path;

use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::IngestError;

/// Converts a staged Parquet table to CSV with a header row. Timestamps are written in RFC 3339
/// (UTC), so the file reads back as the same contract table.
pub fn parquet_to_csv(src: &Path, dst: &Path) -> Result<u64, IngestError> {
    let read_err = |reason: String| IngestError::Write {
        path: src.to_path_buf(),
        reason,
    };
    let write_err = |reason: String| IngestError::Write {
        path: dst.to_path_buf(),
        reason,
    };
    let f = File::open(src).map_err(|e| read_err(e.to_string()))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(f)
        .and_then(|b| b.build())
        .map_err(|e| read_err(e.to_string()))?;
    let out = File::create(dst).map_err(|e| write_err(e.to_string()))?;
    let mut w = arrow::csv::WriterBuilder::new()
        .with_header(true)
        .with_timestamp_tz_format("%Y-%m-%dT%H:%M:%S%.6fZ".to_string())
        .with_timestamp_format("%Y-%m-%dT%H:%M:%S%.6fZ".to_string())
        .build(std::io::BufWriter::new(out));
    let mut rows = 0u64;
    for batch in reader {
        let batch = batch.map_err(|e| read_err(e.to_string()))?;
        rows += batch.num_rows() as u64;
        w.write(&batch).map_err(|e| write_err(e.to_string()))?;
    }
    Ok(rows)
}
