//! Which files of an input folder are native sources, and which reader reads each.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::NativeError;
use crate::convert::{NativeFile, named, sniff};

/// Context files of an input folder (read by the configuration, not as data).
pub const CONTEXT_FILES: &[&str] = &[
    "corporate_egress.txt",
    "approved_rmm.txt",
    "office_addresses.txt",
    "muster.toml",
];

/// A file that no reader recognised (left out of the scan, listed in run.json).
#[derive(Debug, Clone, Serialize)]
pub struct Unrecognised {
    /// The file.
    pub file: String,
    /// Why it was left out.
    pub reason: String,
}

/// The native files of a scan.
#[derive(Debug, Default)]
pub struct Plan {
    /// Files with their readers, in path order.
    pub files: Vec<NativeFile>,
    /// Files in the folder that no reader recognised.
    pub unrecognised: Vec<Unrecognised>,
}

/// Every file under `input` that is not a contract table, a context file, or hidden, sniffed
/// for a native format; plus the files named with `--source NAME=PATH` (read with that reader,
/// whatever their content). A named path that is a folder names every file in it.
pub fn plan(input: &Path, named_sources: &[(String, PathBuf)]) -> Result<Plan, NativeError> {
    let mut plan = Plan {
        files: named_files(named_sources)?,
        ..Default::default()
    };
    let named_paths: Vec<PathBuf> = plan.files.iter().map(|f| f.input.path.clone()).collect();
    if input.is_dir() {
        let rd = std::fs::read_dir(input).map_err(|e| NativeError::io(input, e))?;
        let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for p in entries {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if hidden(name)
                || muster_ingest::discover::is_table_entry(&p)
                || CONTEXT_FILES.iter().any(|c| name.eq_ignore_ascii_case(c))
            {
                continue;
            }
            for f in files_under(&p)? {
                if named_paths.contains(&f) {
                    continue;
                }
                match sniff(&f) {
                    Ok(nf) => plan.files.push(nf),
                    Err(NativeError::Unrecognised { .. }) => plan.unrecognised.push(Unrecognised {
                        file: f.display().to_string(),
                        reason: "no native reader recognised its content".into(),
                    }),
                    Err(e) => return Err(e),
                }
            }
        }
    }
    Ok(plan)
}

/// The files named with `--source NAME=PATH` (a folder names every file below it).
pub fn named_files(named_sources: &[(String, PathBuf)]) -> Result<Vec<NativeFile>, NativeError> {
    let mut out = Vec::new();
    for (name, path) in named_sources {
        for f in files_under(path)? {
            out.push(named(name, &f)?);
        }
    }
    Ok(out)
}

fn hidden(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('_')
}

/// A file, or every non-hidden file below a folder (sorted).
fn files_under(path: &Path) -> Result<Vec<PathBuf>, NativeError> {
    if !path.is_dir() {
        if !path.exists() {
            return Err(NativeError::Read {
                path: path.to_path_buf(),
                reason: "does not exist".into(),
            });
        }
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let rd = std::fs::read_dir(&dir).map_err(|e| NativeError::io(&dir, e))?;
        for e in rd.filter_map(Result::ok) {
            let p = e.path();
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if hidden(name) {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}
