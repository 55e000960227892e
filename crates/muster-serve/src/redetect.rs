//! Detections brought up to date after ingestion.
//!
//! An acknowledged batch wakes a background worker; the worker gives everything ingested so far
//! to a [`Redetect`] implementation (the `muster` binary's is a full scan of the batch input
//! folder plus the ingested rows), then refreshes the findings whose probability, tier or
//! reasons changed, keeping their triage state, and writes one audit entry per change.
//! Batches that arrive during a run are coalesced into the next run, so a burst of deliveries
//! costs one more run, not one per batch. Acknowledgement never waits for detection: what is
//! acknowledged is durable; what is detected follows within one run's time.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde::Serialize;
use tokio::sync::Notify;

use crate::{AppState, ScanView, ServeError};

/// Re-runs detections over the known data plus the ingested rows.
pub trait Redetect: Send + Sync + 'static {
    /// `ingested`: per contract table, the stored rows as JSON objects (one per line, contract
    /// column names). Returns the folder of a finished scan (`scores.csv`, `signals.ndjson`,
    /// `rings.csv`). Runs on a blocking thread.
    fn redetect(&self, ingested: &BTreeMap<String, Vec<String>>) -> Result<PathBuf, String>;
}

/// What the worker has done, for `GET /v1/ingest`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RedetectStatus {
    /// Runs finished (successful or not).
    pub runs: u64,
    /// A run is going on now.
    pub running: bool,
    /// Findings changed by the last successful run.
    pub findings_changed: u64,
    /// Wall time of the last run in milliseconds.
    pub last_ms: Option<u64>,
    /// When the last run finished (RFC 3339).
    pub last_finished_at: Option<String>,
    /// Why the last run failed, if it did.
    pub last_error: Option<String>,
}

pub(crate) struct Redetector {
    imp: Arc<dyn Redetect>,
    wake: Notify,
    status: Mutex<RedetectStatus>,
}

impl Redetector {
    pub(crate) fn new(imp: Arc<dyn Redetect>) -> Redetector {
        Redetector {
            imp,
            wake: Notify::new(),
            status: Mutex::new(RedetectStatus::default()),
        }
    }

    /// Asks for a run (coalesced with any already asked for).
    pub(crate) fn wake(&self) {
        self.wake.notify_one();
    }

    pub(crate) fn status(&self) -> RedetectStatus {
        self.status.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn update(&self, f: impl FnOnce(&mut RedetectStatus)) {
        if let Ok(mut s) = self.status.lock() {
            f(&mut s);
        }
    }
}

/// Starts the re-detection worker when the state has a [`Redetect`]; `muster_serve::serve`
/// calls it. Tests that drive [`crate::app`] directly call it themselves.
pub fn start(state: &Arc<AppState>) {
    if state.redetect.is_some() {
        tokio::spawn(worker(Arc::clone(state)));
    }
}

async fn worker(state: Arc<AppState>) {
    let Some(r) = state.redetect.as_ref() else {
        return;
    };
    loop {
        r.wake.notified().await;
        r.update(|s| s.running = true);
        let t0 = Instant::now();
        let result = run_once(&state, r).await;
        let ms = u64::try_from(t0.elapsed().as_millis()).unwrap_or(u64::MAX);
        r.update(|s| {
            s.running = false;
            s.runs += 1;
            s.last_ms = Some(ms);
            s.last_finished_at =
                Some(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
            match &result {
                Ok(changed) => {
                    s.findings_changed = *changed;
                    s.last_error = None;
                }
                Err(e) => s.last_error = Some(e.to_string()),
            }
        });
        match result {
            Ok(changed) => tracing::info!(changed, ms, "re-detection finished"),
            Err(e) => tracing::warn!(error = %e, "re-detection failed; the next batch retries"),
        }
    }
}

async fn run_once(state: &Arc<AppState>, r: &Redetector) -> Result<u64, ServeError> {
    let ingested = state.store.ingested_rows().await?;
    let imp = Arc::clone(&r.imp);
    let dir = tokio::task::spawn_blocking(move || imp.redetect(&ingested))
        .await
        .map_err(|e| ServeError::Internal(format!("re-detection task: {e}")))?
        .map_err(|e| ServeError::Internal(format!("re-detection: {e}")))?;
    let changed = state
        .store
        .refresh_scores(&dir.join("scores.csv"), "muster (re-detection)")
        .await?;
    // Stories, signals and rings now come from the new scan.
    let view = ScanView::open(&dir)?;
    state.set_scan(view);
    Ok(changed)
}
