//! Outputs of a scan (spec/data-contract.md section 4): `scores.csv`, `signals.ndjson`,
//! `findings.ocsf.ndjson`, `rings.csv`, `indicators.stix.json`, `report.html` and `run.json`.
//!
//! Every writer takes the fused results and a folder; none of them reads anything else, so the
//! same results always give the same bytes (apart from `run.json`'s timings).
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = tempfile::tempdir()?;
//! let people = vec!["p1".to_string()];
//! let (scores, rings) = muster_fuse::fuse(&people, &[], &muster_fuse::FuseConfig::default());
//! let results = muster_output::ScanResults {
//!     scores: &scores, signals: &[], rings: &rings, runs: &[],
//!     started_at: "2026-01-05T10:00:00Z", version: "0.1.0", share_personal: false,
//! };
//! muster_output::write_all(dir.path(), &results)?;
//! let csv = std::fs::read_to_string(dir.path().join("scores.csv"))?;
//! assert_eq!(csv, "person_id,score,probability,tier,flagged,ring_id,top_reasons\np1,0,0.002915,none,false,,\n");
//! # Ok(()) }
//! ```

mod csvs;
pub mod explain;
pub mod html;
mod ocsf;
mod stix;

use std::path::{Path, PathBuf};

use muster_detect::Signal;
use muster_fuse::{PersonScore, Ring};

pub use csvs::{write_rings, write_scores, write_signals};
pub use html::write_report;
pub use ocsf::write_findings;
pub use stix::write_stix;

/// Errors writing outputs.
#[derive(Debug, thiserror::Error)]
#[error(
    "cannot write {path}: {reason}. Check free disk space and permissions of the output folder"
)]
pub struct OutputError {
    /// File.
    pub path: PathBuf,
    /// What failed.
    pub reason: String,
}

impl OutputError {
    pub(crate) fn new(path: &Path, e: impl std::fmt::Display) -> Self {
        Self {
            path: path.to_path_buf(),
            reason: e.to_string(),
        }
    }
}

/// Everything a scan produced, for the writers.
pub struct ScanResults<'a> {
    /// Ranked person scores.
    pub scores: &'a [PersonScore],
    /// Every signal.
    pub signals: &'a [Signal],
    /// Rings.
    pub rings: &'a [Ring],
    /// Detections that ran and were skipped.
    pub runs: &'a [muster_detect::DetectionRun],
    /// Scan start (RFC 3339), for findings and the report.
    pub started_at: &'a str,
    /// muster version.
    pub version: &'a str,
    /// Put personal identifiers (e-mail addresses, phone numbers, crypto addresses) in the STIX
    /// bundle (`muster scan --stix-personal`); off by default.
    pub share_personal: bool,
}

/// Writes every output except `run.json` into `out`.
pub fn write_all(out: &Path, r: &ScanResults<'_>) -> Result<(), OutputError> {
    write_scores(&out.join("scores.csv"), r.scores)?;
    write_signals(&out.join("signals.ndjson"), r.signals)?;
    write_rings(&out.join("rings.csv"), r.rings)?;
    write_findings(&out.join("findings.ocsf.ndjson"), r)?;
    write_stix(&out.join("indicators.stix.json"), r)?;
    write_report(&out.join("report.html"), r)?;
    Ok(())
}

/// Writes a serialisable value as pretty JSON.
pub fn write_json<T: serde::Serialize>(path: &Path, v: &T) -> Result<(), OutputError> {
    let s = serde_json::to_string_pretty(v).map_err(|e| OutputError::new(path, e))?;
    std::fs::write(path, s + "\n").map_err(|e| OutputError::new(path, e))
}
