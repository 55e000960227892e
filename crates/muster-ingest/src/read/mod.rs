//! Readers for the contract's file formats. Each turns a file into records of cells in
//! contract column order and hands them to a [`TableWriter`].

pub mod csv;
pub mod ndjson;
pub mod parquet;

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use muster_contract::Table;

use crate::IngestError;
use crate::discover::Compression;
use crate::writer::TableWriter;

/// Opens a file, decompressing gzip or zstd.
pub fn open(path: &Path, compression: Compression) -> Result<Box<dyn Read + Send>, IngestError> {
    let f = File::open(path).map_err(|e| IngestError::Read {
        path: path.to_path_buf(),
        source: e,
    })?;
    let buf = BufReader::with_capacity(256 * 1024, f);
    Ok(match compression {
        Compression::None => Box::new(buf),
        Compression::Gzip => Box::new(BufReader::with_capacity(
            256 * 1024,
            flate2::read::MultiGzDecoder::new(buf),
        )),
        Compression::Zstd => Box::new(BufReader::with_capacity(
            256 * 1024,
            zstd::Decoder::with_buffer(buf).map_err(|e| IngestError::Read {
                path: path.to_path_buf(),
                source: e,
            })?,
        )),
    })
}

/// Maps source column names (case-insensitive, trimmed, BOM stripped) to contract columns.
/// Returns, for each contract column, the index of the source column holding it.
pub fn map_header<'a>(table: &Table, names: impl Iterator<Item = &'a str>) -> Vec<Option<usize>> {
    let mut map = vec![None; table.columns.len()];
    for (src, name) in names.enumerate() {
        let n = name
            .trim_start_matches('\u{feff}')
            .trim()
            .to_ascii_lowercase();
        if let Some(i) = table.columns.iter().position(|c| c.name == n)
            && map[i].is_none()
        {
            map[i] = Some(src);
        }
    }
    map
}

/// Fails when a required column (or every column of a one-of set) is absent from a header.
pub fn check_required(
    partitions: &[(String, String)],
    table: &Table,
    map: &[Option<usize>],
    path: &Path,
    found: &[String],
) -> Result<(), IngestError> {
    let missing = |column: &str| IngestError::MissingColumn {
        path: path.to_path_buf(),
        table: table.name.to_string(),
        column: column.to_string(),
        found: summarise(found),
    };
    let from_partition = |name: &str| partitions.iter().any(|(k, _)| k == name);
    for (i, c) in table.columns.iter().enumerate() {
        if c.required && map[i].is_none() && !from_partition(c.name) {
            return Err(missing(c.name));
        }
    }
    if !table.one_of.is_empty()
        && table.one_of.iter().all(|n| {
            table
                .columns
                .iter()
                .position(|c| c.name == *n)
                .and_then(|i| map[i])
                .is_none()
                && !from_partition(n)
        })
    {
        return Err(missing(&table.one_of.join(" or ")));
    }
    Ok(())
}

fn summarise(found: &[String]) -> String {
    let shown: Vec<String> = found
        .iter()
        .take(12)
        .map(|s| s.chars().filter(|c| !c.is_control()).take(40).collect())
        .collect();
    let mut s = shown.join(", ");
    if found.len() > 12 {
        s.push_str(&format!(", … ({} in all)", found.len()));
    }
    if s.is_empty() {
        s = "none".into();
    }
    s
}

/// Reads one file of a table into the writer.
pub fn read_file(
    w: &mut TableWriter<'_>,
    file: &crate::discover::InputFile,
) -> Result<(), IngestError> {
    use crate::discover::Format;
    let shown = file.path.display().to_string();
    let idx = w.begin_file(&shown, &file.describe(), &file.partitions);
    match file.format {
        Format::Csv => csv::read(w, idx, file),
        Format::Ndjson => ndjson::read(w, idx, file),
        Format::Parquet => {
            // The Parquet decoder can panic on corrupt files: report it as a bad file.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parquet::read(w, idx, file)))
                .unwrap_or_else(|_| {
                    Err(IngestError::Parquet {
                        path: file.path.clone(),
                        reason: "corrupt Parquet file: the decoder failed; re-export the file"
                            .into(),
                    })
                })
        }
    }
}
