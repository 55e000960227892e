//! Query profiles: each query the engine runs, written with its physical plan and every
//! operator's metrics (rows, compute time, memory, spills), for the engineer who wants to know
//! where a scan's time and memory go (`muster scan --profile-queries DIR`).

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use datafusion::physical_plan::{ExecutionPlan, display::DisplayableExecutionPlan};

/// Writes one file per query into a folder: `NNN-PHASE.txt`, numbered in the order the
/// queries ran, named after the detection running them.
#[derive(Debug)]
pub(crate) struct Profiler {
    dir: PathBuf,
    seq: AtomicUsize,
    phase: Mutex<String>,
}

impl Profiler {
    pub(crate) fn new(dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(Self {
            dir: dir.to_path_buf(),
            seq: AtomicUsize::new(0),
            phase: Mutex::new("engine".into()),
        })
    }

    /// Names the queries that follow (a detection's id).
    pub(crate) fn set_phase(&self, phase: &str) {
        if let Ok(mut p) = self.phase.lock() {
            *p = phase.to_string();
        }
    }

    /// Writes `plan`, after it ran, with its metrics; `step` says what the query was for
    /// (`query`, or `stage NAME` for an intermediate table). A profile that cannot be written
    /// is logged, never a reason to fail the scan.
    pub(crate) fn write(&self, step: &str, sql: &str, plan: &dyn ExecutionPlan, elapsed: Duration) {
        let n = self.seq.fetch_add(1, Ordering::Relaxed) + 1;
        let phase = self
            .phase
            .lock()
            .map(|p| p.clone())
            .unwrap_or_else(|_| "engine".into());
        let file = self.dir.join(file_name(n, &phase));
        let text = format!(
            "-- phase: {phase}\n-- step: {step}\n-- seconds: {:.3}\n{}\n\n{}",
            elapsed.as_secs_f64(),
            sql.lines()
                .map(|l| format!("-- {}", l.trim_end()))
                .collect::<Vec<_>>()
                .join("\n"),
            DisplayableExecutionPlan::with_metrics(plan).indent(true)
        );
        if let Err(e) = std::fs::write(&file, text) {
            tracing::warn!("cannot write the query profile {}: {e}", file.display());
        }
    }
}

/// `NNN-PHASE.txt`, with anything but letters, digits and `-` in the phase replaced by `_`.
fn file_name(n: usize, phase: &str) -> String {
    let phase: String = phase
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{n:03}-{phase}.txt")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_numbered_and_safe() {
        assert_eq!(file_name(7, "FARM-IP"), "007-FARM-IP.txt");
        assert_eq!(file_name(1234, "../x y"), "1234-___x_y.txt");
    }
}
