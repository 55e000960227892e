//! Finds the files of each contract table in an input folder (spec/data-contract.md section 1).

use std::path::{Path, PathBuf};

use muster_contract::{TABLES, Table};

use crate::IngestError;

/// File format, from the file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line (`.ndjson`, `.jsonl`, `.json`).
    Ndjson,
    /// Apache Parquet.
    Parquet,
}

/// Compression wrapper, from the file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Plain.
    None,
    /// `.gz`.
    Gzip,
    /// `.zst`.
    Zstd,
}

/// One input file of a table.
#[derive(Debug, Clone)]
pub struct InputFile {
    /// Path.
    pub path: PathBuf,
    /// Format.
    pub format: Format,
    /// Compression.
    pub compression: Compression,
    /// Size in bytes (compressed).
    pub bytes: u64,
    /// Hive-style `key=value` folders between the table folder and the file, in order
    /// (e.g. `signins/day=2026-01-05/x.csv` gives `[("day", "2026-01-05")]`).
    pub partitions: Vec<(String, String)>,
}

impl InputFile {
    /// `csv`, `ndjson+gzip`, ...
    pub fn describe(&self) -> String {
        let f = match self.format {
            Format::Csv => "csv",
            Format::Ndjson => "ndjson",
            Format::Parquet => "parquet",
        };
        match self.compression {
            Compression::None => f.to_string(),
            Compression::Gzip => format!("{f}+gzip"),
            Compression::Zstd => format!("{f}+zstd"),
        }
    }
}

/// The files found for one table.
#[derive(Debug, Clone)]
pub struct TableInput {
    /// Contract table.
    pub table: &'static Table,
    /// Its files, in a stable (sorted) order.
    pub files: Vec<InputFile>,
}

impl TableInput {
    /// Total bytes.
    pub fn bytes(&self) -> u64 {
        self.files.iter().map(|f| f.bytes).sum()
    }
}

/// Splits a file name into (stem, format, compression), or None if it is not a data file.
pub fn classify(name: &str) -> Option<(&str, Format, Compression)> {
    let lower = name.to_ascii_lowercase();
    let (rest_len, compression) = if lower.ends_with(".gz") {
        (name.len() - 3, Compression::Gzip)
    } else if lower.ends_with(".zst") {
        (name.len() - 4, Compression::Zstd)
    } else {
        (name.len(), Compression::None)
    };
    let rest = &name[..rest_len];
    let dot = rest.rfind('.')?;
    let format = match rest[dot + 1..].to_ascii_lowercase().as_str() {
        "csv" => Format::Csv,
        "ndjson" | "jsonl" | "json" => Format::Ndjson,
        "parquet" => Format::Parquet,
        _ => return None,
    };
    Some((&rest[..dot], format, compression))
}

/// A Parquet file staged by another step (e.g. native sources converted to contract tables).
pub fn staged_parquet(path: PathBuf) -> Result<InputFile, IngestError> {
    input_file(path, Format::Parquet, Compression::None)
}

fn input_file(
    path: PathBuf,
    format: Format,
    compression: Compression,
) -> Result<InputFile, IngestError> {
    let bytes = std::fs::metadata(&path)
        .map_err(|e| IngestError::Read {
            path: path.clone(),
            source: e,
        })?
        .len();
    Ok(InputFile {
        partitions: Vec::new(),
        path,
        format,
        compression,
        bytes,
    })
}

fn walk(
    dir: &Path,
    parts: &[(String, String)],
    out: &mut Vec<InputFile>,
) -> Result<(), IngestError> {
    let rd = std::fs::read_dir(dir).map_err(|e| IngestError::Read {
        path: dir.to_path_buf(),
        source: e,
    })?;
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') || name.starts_with('_') {
            continue; // hidden files, _SUCCESS markers
        }
        if p.is_dir() {
            let mut inner = parts.to_vec();
            if let Some((k, v)) = name.split_once('=') {
                inner.push((k.trim().to_ascii_lowercase(), v.to_string()));
            }
            walk(&p, &inner, out)?;
        } else if let Some((_, f, c)) = classify(name) {
            let mut file = input_file(p.clone(), f, c)?;
            file.partitions = parts.to_vec();
            out.push(file);
        }
    }
    Ok(())
}

/// Finds every contract table present in `input`. `people` must be present.
pub fn discover(input: &Path) -> Result<Vec<TableInput>, IngestError> {
    let found = discover_tables(input)?;
    require_people(input, &found)?;
    Ok(found)
}

/// Fails with [`IngestError::NoPeople`] unless a `people` table is among `found`.
pub fn require_people(input: &Path, found: &[TableInput]) -> Result<(), IngestError> {
    if !found.iter().any(|t| t.table.name == "people") {
        return Err(IngestError::NoPeople {
            path: input.to_path_buf(),
        });
    }
    Ok(())
}

/// Whether a top-level entry of an input folder is a contract table (file or folder).
pub fn is_table_entry(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    TABLES.iter().any(|t| {
        (path.is_dir() && name.eq_ignore_ascii_case(t.name))
            || (path.is_file()
                && classify(name).is_some_and(|(stem, _, _)| stem.eq_ignore_ascii_case(t.name)))
    })
}

/// Finds every contract table present in `input`, without requiring `people`.
pub fn discover_tables(input: &Path) -> Result<Vec<TableInput>, IngestError> {
    if !input.is_dir() {
        return Err(IngestError::InputFolder {
            path: input.to_path_buf(),
            reason: if input.exists() {
                "not a folder".into()
            } else {
                "does not exist".into()
            },
        });
    }
    let rd = std::fs::read_dir(input).map_err(|e| IngestError::Read {
        path: input.to_path_buf(),
        source: e,
    })?;
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    let mut found = Vec::new();
    for table in TABLES {
        let mut files = Vec::new();
        for p in &entries {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if p.is_dir() && name.eq_ignore_ascii_case(table.name) {
                walk(p, &[], &mut files)?;
            } else if p.is_file()
                && let Some((stem, f, c)) = classify(name)
                && stem.eq_ignore_ascii_case(table.name)
            {
                files.push(input_file(p.clone(), f, c)?);
            }
        }
        if !files.is_empty() {
            found.push(TableInput { table, files });
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_names() {
        assert_eq!(
            classify("people.csv"),
            Some(("people", Format::Csv, Compression::None))
        );
        assert_eq!(
            classify("signins.ndjson.zst"),
            Some(("signins", Format::Ndjson, Compression::Zstd))
        );
        assert_eq!(
            classify("x.JSONL.GZ"),
            Some(("x", Format::Ndjson, Compression::Gzip))
        );
        assert_eq!(
            classify("part-0.parquet"),
            Some(("part-0", Format::Parquet, Compression::None))
        );
        assert_eq!(classify("notes.txt"), None);
        assert_eq!(classify("gz"), None);
    }
}
