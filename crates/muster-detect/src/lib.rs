//! Detections: the engine session, muster's SQL functions and the detection catalogue.
//!
//! Each detection lives in its own file under `detections/` with its documentation in fixed
//! sections ([`DetectionMeta`]: what, why, data, false positives, likelihood ratio, references)
//! and is registered in [`catalogue`]. Set-shaped work runs as SQL over the staged contract tables
//! in a DataFusion [`Engine`]; custom logic runs as UDFs ([`udf`]); small per-person decisions run
//! in Rust over the collected results.
//!
//! ```
//! let ids: Vec<&str> = muster_detect::catalogue().iter().map(|d| d.meta().id).collect();
//! assert!(ids.contains(&"FARM-IP"));
//! let meta = muster_detect::find("NET-ANON").unwrap().meta();
//! assert!(meta.markdown().contains("## False positives"));
//! ```

pub mod config;
pub mod detections;
mod engine;
mod meta;
mod profile;
pub mod rows;
pub mod rules;
mod signal;
pub mod tz;
pub mod udf;

use std::time::Instant;

pub use config::{DetectConfig, Selection, Thresholds};
pub use engine::{
    DEFAULT_SLICE_ROWS, Engine, EngineOptions, SessionFuture, SessionSource, WORKER_STACK_BYTES,
    no_join_dynamic_filters,
};
pub use meta::DetectionMeta;
pub use signal::{Family, Link, Severity, Signal};

/// Errors of the detection stage.
#[derive(Debug, thiserror::Error)]
pub enum DetectError {
    /// A query failed.
    #[error("query failed ({what}): {source}")]
    Engine {
        /// The query or step.
        what: String,
        /// DataFusion's error.
        #[source]
        source: Box<datafusion::error::DataFusionError>,
    },
    /// A query needed more memory than `--memory-limit` allows, even spilling.
    #[error(
        "detection {detection} needs more memory than --memory-limit allows, even spilling to \
         disk; raise --memory-limit (its smallest workable value grows with the people and \
         events per slice; docs/deployment.md). DataFusion said: {source}"
    )]
    MemoryLimit {
        /// The detection that stopped.
        detection: &'static str,
        /// DataFusion's error.
        #[source]
        source: Box<datafusion::error::DataFusionError>,
    },
    /// Something that should not happen; a bug to report.
    #[error("internal error: {0}")]
    Internal(String),
}

impl DetectError {
    /// Whether the error is a query that ran out of its memory budget.
    pub fn is_memory_limit(&self) -> bool {
        match self {
            DetectError::Engine { source, .. } => matches!(
                source.find_root(),
                datafusion::error::DataFusionError::ResourcesExhausted(_)
            ),
            DetectError::MemoryLimit { .. } => true,
            DetectError::Internal(_) => false,
        }
    }
}

/// A detection: metadata plus a run over the engine.
pub trait Detection: Send + Sync {
    /// Metadata and documentation.
    fn meta(&self) -> &'static DetectionMeta;
    /// Runs the detection and returns its signals.
    fn run(&self, engine: &Engine, cfg: &DetectConfig) -> Result<Vec<Signal>, DetectError>;
}

/// The built-in detections written in Rust (the catalogue without the built-in rule files).
pub fn analysers() -> Vec<Box<dyn Detection>> {
    catalogue_with(false)
}

/// Every built-in detection, in a stable order.
pub fn catalogue() -> Vec<Box<dyn Detection>> {
    catalogue_with(true)
}

fn catalogue_with(rule_files: bool) -> Vec<Box<dyn Detection>> {
    // Built-in detections written as rule files take their place by id.
    let rule = |id: &str| {
        if !rule_files {
            return None;
        }
        rules::builtin()
            .iter()
            .find(|r| r.meta().id == id)
            .map(|r| Box::new(rules::Builtin(r)) as Box<dyn Detection>)
    };
    let listed: Vec<Option<Box<dyn Detection>>> = vec![
        Some(Box::new(detections::farm_ip::FarmIp)),
        Some(Box::new(detections::farm_wifi::FarmWifi)),
        Some(Box::new(detections::farm_ship::FarmShip)),
        Some(Box::new(detections::farm_mfa::FarmMfa)),
        Some(Box::new(detections::farm_alwayson::FarmAlwaysOn)),
        Some(Box::new(detections::rmm_software::RmmSoftware)),
        rule("KVM-HARDWARE"),
        Some(Box::new(detections::kvm_structure::KvmStructure)),
        Some(Box::new(detections::rdp_inbound::RdpInbound)),
        Some(Box::new(detections::net_anon::NetAnon)),
        Some(Box::new(detections::geo_mismatch::GeoMismatch)),
        Some(Box::new(detections::geo_travel::GeoTravel)),
        Some(Box::new(detections::net_shift::NetShift)),
        Some(Box::new(detections::tz_mismatch::TzMismatch)),
        Some(Box::new(detections::id_reuse::IdReuse)),
        Some(Box::new(detections::id_stolen::IdStolen)),
        Some(Box::new(detections::id_resume::IdResume)),
        Some(Box::new(detections::id_contact::IdContact)),
        Some(Box::new(detections::id_referral::IdReferral)),
        Some(Box::new(detections::sanctions::SanctionsDetection)),
        Some(Box::new(detections::pay_shared::PayShared)),
        Some(Box::new(detections::pay_churn::PayChurn)),
        Some(Box::new(detections::pay_provider::PayProvider)),
    ];
    let mut out: Vec<Box<dyn Detection>> = listed.into_iter().flatten().collect();
    // Rule files not placed above go last.
    for r in rules::builtin().iter().filter(|_| rule_files) {
        if !out.iter().any(|d| d.meta().id == r.meta().id) {
            out.push(Box::new(rules::Builtin(r)));
        }
    }
    out
}

/// A detection by id.
pub fn find(id: &str) -> Option<Box<dyn Detection>> {
    catalogue()
        .into_iter()
        .find(|d| d.meta().id.eq_ignore_ascii_case(id))
}

/// What one detection did in a run.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DetectionRun {
    /// Detection id.
    pub id: &'static str,
    /// Whether it ran.
    pub ran: bool,
    /// Why it did not run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped_because: Option<String>,
    /// Signals produced.
    pub signals: usize,
    /// Wall time in seconds.
    pub seconds: f64,
}

/// Runs every detection whose tables have rows. `progress` is told each detection id as it starts.
pub fn run_all(
    engine: &Engine,
    cfg: &DetectConfig,
    progress: &mut dyn FnMut(&str),
) -> Result<(Vec<Signal>, Vec<DetectionRun>), DetectError> {
    run_with(engine, cfg, &[], progress)
}

/// Runs the built-in detections and then `extra` ones (a team's own rules, [`rules`]). A failing
/// built-in detection stops the run; a failing extra one is reported in its [`DetectionRun`]
/// (`skipped_because`) and the others still run.
pub fn run_with(
    engine: &Engine,
    cfg: &DetectConfig,
    extra: &[&dyn Detection],
    progress: &mut dyn FnMut(&str),
) -> Result<(Vec<Signal>, Vec<DetectionRun>), DetectError> {
    let mut signals = Vec::new();
    let mut runs = Vec::new();
    let builtin = catalogue();
    let all = builtin
        .iter()
        .map(|d| (d.as_ref(), true))
        .chain(extra.iter().map(|d| (*d, false)));
    for (d, is_builtin) in all {
        let meta = d.meta();
        progress(meta.id);
        engine.set_phase(meta.id);
        if let Some(why) = cfg.selection.excludes(meta.id) {
            runs.push(DetectionRun {
                id: meta.id,
                ran: false,
                skipped_because: Some(why.to_string()),
                signals: 0,
                seconds: 0.0,
            });
            continue;
        }
        if !meta.tables.iter().any(|t| engine.rows(t) > 0) {
            runs.push(DetectionRun {
                id: meta.id,
                ran: false,
                skipped_because: Some(format!("no rows in {}", meta.tables.join(" or "))),
                signals: 0,
                seconds: 0.0,
            });
            continue;
        }
        let started = Instant::now();
        let mut s = match d.run(engine, cfg) {
            Ok(s) => s,
            Err(e) if !is_builtin => {
                tracing::warn!(rule = meta.id, "rule failed: {e}");
                runs.push(DetectionRun {
                    id: meta.id,
                    ran: false,
                    skipped_because: Some(format!("failed: {e}")),
                    signals: 0,
                    seconds: started.elapsed().as_secs_f64(),
                });
                continue;
            }
            Err(e) if e.is_memory_limit() => {
                return Err(match e {
                    DetectError::Engine { source, .. } => DetectError::MemoryLimit {
                        detection: meta.id,
                        source,
                    },
                    other => other,
                });
            }
            Err(e) => {
                return Err(DetectError::Internal(format!(
                    "detection {} failed: {e}",
                    meta.id
                )));
            }
        };
        tracing::debug!(detection = meta.id, signals = s.len(), "detection done");
        runs.push(DetectionRun {
            id: meta.id,
            ran: true,
            skipped_because: None,
            signals: s.len(),
            seconds: started.elapsed().as_secs_f64(),
        });
        signals.append(&mut s);
    }
    Ok((signals, runs))
}

/// The share threshold for "shared infrastructure" in people, from the thresholds and the number
/// of people in the scan.
pub fn infra_threshold(engine: &Engine, cfg: &DetectConfig) -> i64 {
    let people = engine.workforce() as f64;
    let t = &cfg.thresholds;
    (t.infra_min_people as f64).max((t.infra_share * people).ceil()) as i64
}
