//! The scan pipeline: ingest -> engine -> detect -> fuse -> outputs, with timings per stage.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use serde::Serialize;

use crate::progress;

/// Timing and throughput of one stage.
#[derive(Debug, Serialize)]
pub struct Stage {
    pub stage: &'static str,
    pub seconds: f64,
    pub rows: u64,
    pub rows_per_second: f64,
}

impl Stage {
    fn new(stage: &'static str, started: Instant, rows: u64) -> Self {
        let seconds = started.elapsed().as_secs_f64();
        Self {
            stage,
            seconds,
            rows,
            rows_per_second: if seconds > 0.0 {
                rows as f64 / seconds
            } else {
                0.0
            },
        }
    }
}

/// `run.json`.
#[derive(Debug, Serialize)]
pub struct RunInfo {
    pub muster_version: &'static str,
    pub contract_version: &'static str,
    pub started_at: String,
    pub finished_at: String,
    pub input: PathBuf,
    pub out: PathBuf,
    pub config: crate::config::Sources,
    /// `--memory-limit` in bytes (null: none).
    pub memory_limit: Option<u64>,
    /// Where the plans ran: null (embedded), `standalone` or a `df://HOST:PORT` scheduler.
    pub cluster: Option<String>,
    /// The most memory the query engine's operators held at once (bytes): within half of
    /// `memory_limit`; the rest of `peak_rss_bytes` is the reference data, the people table,
    /// entity resolution and the per-person analysers' slices.
    pub engine_memory_peak_bytes: u64,
    /// Object-store inputs fetched: URL, objects listed, fetched, pruned by date, bytes.
    pub fetched: Vec<FetchInfo>,
    /// Which copy of each reference dataset was used (embedded or a file from `[data]`).
    pub intel: Vec<muster_intel::DatasetInfo>,
    /// Rule files of `--rules DIR` that could not be loaded (the others ran).
    pub rule_errors: Vec<muster_detect::rules::RuleError>,
    /// Native files read (reader, counts) and files no reader recognised.
    pub native: muster_native::pipeline::NativeSummary,
    pub inputs: Vec<muster_ingest::TableReport>,
    pub rows_read: u64,
    pub rows_rejected: u64,
    pub detections_run: Vec<&'static str>,
    pub detections: Vec<muster_detect::DetectionRun>,
    pub stages: Vec<Stage>,
    pub people: usize,
    /// Events that could not be tied to a person: detections cannot use them for anyone.
    pub attribution: Attribution,
    pub flagged: usize,
    pub rings: usize,
    pub signals: usize,
    pub seconds: f64,
    pub peak_rss_bytes: Option<u64>,
    pub fusion: FusionInfo,
    /// Entity resolution of the people records (`clusters.csv`).
    pub resolution: ResolutionInfo,
}

#[derive(Debug, Serialize)]
pub struct FusionInfo {
    pub prior: f64,
    pub flag_threshold: f64,
    /// What the calibration map (if any) was fitted on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calibration: Option<String>,
}

/// Counts of the entity resolution inside the scan.
#[derive(Debug, Serialize)]
pub struct ResolutionInfo {
    pub records: usize,
    /// Clusters: the real people behind the records.
    pub people: usize,
    pub multi_record_people: usize,
    /// Identifiers held by clearly different identities (hubs).
    pub shared_identifiers: usize,
    /// Groups of people joined by shared identifiers.
    pub identity_rings: usize,
}

/// What a scan returns to its caller.
pub struct Outcome {
    pub run: RunInfo,
    pub scores: Vec<muster_fuse::PersonScore>,
}

/// Deletes the stage folder on drop unless asked to keep it.
struct StageGuard {
    dir: PathBuf,
    keep: bool,
}

impl Drop for StageGuard {
    fn drop(&mut self) {
        if !self.keep
            && self.dir.exists()
            && let Err(e) = std::fs::remove_dir_all(&self.dir)
        {
            tracing::warn!(dir = %self.dir.display(), error = %e, "could not remove the staged input copy; delete it by hand");
        }
    }
}

/// One object-store input (`INPUT` or a `--source NAME=URL`) as fetched.
#[derive(Debug, Serialize)]
pub struct FetchInfo {
    pub url: String,
    pub listed: u64,
    pub fetched: u64,
    pub pruned_by_date: u64,
    pub ignored: u64,
    pub bytes: u64,
    pub seconds: f64,
}

/// Local paths for a request whose input or sources are object-store URLs.
struct Fetched {
    /// The local copy of `INPUT` when it is a URL.
    input: Option<PathBuf>,
    /// `--source` entries, URLs replaced by their local copies.
    sources: Vec<(String, PathBuf)>,
    reports: Vec<FetchInfo>,
}

fn fetch_remote(req: &ScanRequest<'_>, dir: &Path) -> Result<Fetched> {
    let mut reports = Vec::new();
    let mut get = |url: &str, to: &Path| -> Result<()> {
        if to.exists() {
            std::fs::remove_dir_all(to)
                .with_context(|| format!("cannot clear {}", to.display()))?;
        }
        let pb = progress::spinner(req.quiet, &format!("fetching {url}"));
        let t = Instant::now();
        let done = std::sync::atomic::AtomicU64::new(0);
        let r = muster_lake::fetch(url, to, &req.range, &|n| {
            let total = done.fetch_add(n, std::sync::atomic::Ordering::Relaxed) + n;
            pb.set_message(format!("fetching {url}: {:.1} MB", total as f64 / 1e6));
        })?;
        pb.finish_and_clear();
        tracing::info!(
            url,
            fetched = r.fetched,
            pruned = r.pruned,
            bytes = r.bytes,
            "fetched"
        );
        reports.push(FetchInfo {
            url: url.to_string(),
            listed: r.listed,
            fetched: r.fetched,
            pruned_by_date: r.pruned,
            ignored: r.ignored,
            bytes: r.bytes,
            seconds: t.elapsed().as_secs_f64(),
        });
        Ok(())
    };
    let text = req.input.to_string_lossy();
    let input = if muster_lake::is_url(&text) {
        let to = dir.join("input");
        get(&text, &to)?;
        Some(to)
    } else {
        None
    };
    let mut sources = Vec::with_capacity(req.sources.len());
    for (k, (name, path)) in req.sources.iter().enumerate() {
        let p = path.to_string_lossy();
        if muster_lake::is_url(&p) {
            let to = dir.join(format!("source-{k}"));
            get(&p, &to)?;
            sources.push((name.clone(), to));
        } else {
            sources.push((name.clone(), path.clone()));
        }
    }
    Ok(Fetched {
        input,
        sources,
        reports,
    })
}

/// Peak resident memory of this process (Linux), bytes.
pub fn peak_rss() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// What to scan and how.
pub struct ScanRequest<'a> {
    /// Folder of contract tables and native files.
    pub input: &'a Path,
    /// Output folder.
    pub out: &'a Path,
    /// muster.toml.
    pub config: Option<&'a Path>,
    /// Folder of a team's own rule files.
    pub rules: Option<&'a Path>,
    /// Native files named with `--source NAME=PATH`.
    pub sources: &'a [(String, PathBuf)],
    /// Keep OUT/stage.
    pub keep_stage: bool,
    /// Personal identifiers in the STIX bundle (`--stix-personal`).
    pub stix_personal: bool,
    /// Which detections run (`--only`, `--skip`).
    pub selection: muster_detect::Selection,
    /// No progress output.
    pub quiet: bool,
    /// `--memory-limit` in bytes.
    pub memory_limit: Option<u64>,
    /// `--cluster`: `df://HOST:PORT` of a Ballista scheduler, or `standalone`.
    pub cluster: Option<String>,
    /// `--since` / `--until`: partitions outside it are not read.
    pub range: muster_lake::DateRange,
    /// `--profile-queries`: write each query's plan with its metrics here.
    pub profile_dir: Option<&'a Path>,
}

/// Runs a scan of `input` into `out`.
pub fn scan(req: &ScanRequest<'_>) -> Result<Outcome> {
    let (out, config, keep_stage, quiet) = (req.out, req.config, req.keep_stage, req.quiet);
    let t_all = Instant::now();
    let started_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create output folder {}", out.display()))?;
    // An object-store input is fetched (pruned by date) into the private stage first.
    let fetch_dir = out.join("stage-fetch");
    let _fetch_guard = StageGuard {
        dir: fetch_dir.clone(),
        keep: keep_stage,
    };
    let fetched = fetch_remote(req, &fetch_dir)?;
    let input: &Path = fetched.input.as_deref().unwrap_or(req.input);
    let (mut detect_cfg, fuse_cfg, sources) = crate::config::load(input, config)?;
    let user = req
        .rules
        .map(muster_detect::rules::load_dir)
        .unwrap_or_default();
    for e in &user.errors {
        tracing::warn!("rule not loaded: {e}");
    }
    detect_cfg.selection = req.selection.clone();
    use muster_detect::Detection as _;
    let known: Vec<&str> = muster_detect::catalogue()
        .iter()
        .map(|d| d.meta().id)
        .chain(user.rules.iter().map(|r| r.meta().id))
        .collect();
    let unknown = detect_cfg.selection.unknown(&known);
    if !unknown.is_empty() {
        anyhow::bail!(
            "unknown detection id(s) in --only/--skip: {}; `muster rules list` shows the ids",
            unknown.join(", ")
        );
    }
    let stage_dir = out.join("stage");
    // Removes the staged copy of the input (personal data) however the scan ends.
    let _guard = StageGuard {
        dir: stage_dir.clone(),
        keep: keep_stage,
    };
    let native_stage = out.join("stage-native");
    let _native_guard = StageGuard {
        dir: native_stage.clone(),
        keep: keep_stage,
    };
    for d in [&stage_dir, &native_stage] {
        if d.exists() {
            std::fs::remove_dir_all(d).with_context(|| format!("cannot clear {}", d.display()))?;
        }
    }
    let mut stages = Vec::new();

    // 1. Ingest.
    let t = Instant::now();
    let rejects = muster_ingest::RejectLog::create(&out.join("rejected.ndjson"))?;
    let pb = progress::spinner(quiet, "ingesting tables");
    let keep = |p: &Path| {
        let rel = p.strip_prefix(input).unwrap_or(p);
        req.range.keeps(&rel.to_string_lossy())
    };
    let ingested = muster_native::pipeline::ingest_all(
        input,
        &fetched.sources,
        &native_stage,
        &stage_dir,
        &rejects,
        &|p| match p {
            muster_ingest::Progress::Done { table, read } => {
                pb.println(format!("  read {table}: {read} records"))
            }
            muster_ingest::Progress::Start { table, .. } => {
                pb.set_message(format!("reading {table}"))
            }
        },
        &keep,
    );
    pb.finish_and_clear();
    let (report, native) = ingested?;
    stages.push(Stage::new("ingest", t, report.total_read()));

    // 2. Engine + detections.
    let t = Instant::now();
    let rows = report.accepted_rows();
    let spill_dir = stage_dir.join("spill");
    std::fs::create_dir_all(&spill_dir)
        .with_context(|| format!("cannot create the spill folder {}", spill_dir.display()))?;
    let engine = muster_detect::Engine::open_with(
        &stage_dir,
        &rows,
        &detect_cfg.intel,
        &muster_detect::EngineOptions {
            memory_limit: req.memory_limit,
            spill_dir: Some(spill_dir),
            session: req
                .cluster
                .as_deref()
                .map(|c| session_source(c, &detect_cfg.intel)),
            profile_dir: req.profile_dir.map(Path::to_path_buf),
        },
    )?;
    let people = people_ids(&engine)?;
    let attribution = attribution(&engine)?;
    for (what, n) in [
        (
            "sign-ins whose account matches no person",
            attribution.signins_unattributed,
        ),
        (
            "device events on devices with no assigned person",
            attribution.device_events_unassigned,
        ),
    ] {
        if n > 0 {
            tracing::warn!("{n} {what}: they cannot count for anyone (see run.json `attribution`)");
        }
    }
    let extra: Vec<&dyn muster_detect::Detection> = user
        .rules
        .iter()
        .map(|r| r as &dyn muster_detect::Detection)
        .collect();
    let pb = progress::bar(
        quiet,
        (muster_detect::catalogue().len() + extra.len()) as u64,
        "detections",
    );
    let (mut signals, mut runs) =
        muster_detect::run_with(&engine, &detect_cfg, &extra, &mut |id| {
            pb.set_message(id.to_string());
            pb.inc(1);
        })?;
    pb.finish_and_clear();
    let event_rows: u64 = rows.values().sum();
    stages.push(Stage::new("detect", t, event_rows));

    // 2b. Entity resolution of the people records (OUT/clusters.csv).
    let t = Instant::now();
    let resolution = crate::resolution::resolve_people(&engine)?;
    muster_resolve::output::write_clusters(&resolution, &out.join("clusters.csv"))?;
    stages.push(Stage::new("resolve", t, resolution.ids.len() as u64));

    // 3. Fuse.
    let t = Instant::now();
    let (mut scores, mut rings) = muster_fuse::fuse(&people, &signals, &fuse_cfg);
    // ID-REFERRAL's one hop: people referred by someone flagged get a signal and are fused
    // once more (never fed back to the referrer).
    if let Some(run) = runs.iter_mut().find(|r| r.id == "ID-REFERRAL" && r.ran) {
        let flagged: std::collections::BTreeMap<String, f64> = scores
            .iter()
            .filter(|s| s.flagged)
            .map(|s| (s.person_id.clone(), s.probability))
            .collect();
        let hop = muster_detect::detections::id_referral::referred_by_flagged(&engine, &flagged)?;
        if !hop.is_empty() {
            run.signals += hop.len();
            signals.extend(hop);
            (scores, rings) = muster_fuse::fuse(&people, &signals, &fuse_cfg);
        }
    }
    stages.push(Stage::new("fuse", t, signals.len() as u64));

    // 4. Outputs.
    let t = Instant::now();
    let version = env!("CARGO_PKG_VERSION");
    muster_output::write_all(
        out,
        &muster_output::ScanResults {
            scores: &scores,
            signals: &signals,
            rings: &rings,
            runs: &runs,
            started_at: &started_at,
            version,
            share_personal: req.stix_personal,
        },
    )?;
    stages.push(Stage::new("output", t, scores.len() as u64));
    let engine_memory_peak_bytes = engine.engine_memory_peak();
    drop(engine);

    let run = RunInfo {
        muster_version: version,
        contract_version: muster_contract::CONTRACT_VERSION,
        started_at,
        finished_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        input: req.input.to_path_buf(),
        out: out.to_path_buf(),
        fetched: fetched.reports,
        config: sources,
        memory_limit: req.memory_limit,
        cluster: req.cluster.clone(),
        engine_memory_peak_bytes,
        intel: detect_cfg.intel.datasets().to_vec(),
        native,
        rule_errors: user.errors.clone(),
        rows_read: report.total_read(),
        rows_rejected: report.total_rejected(),
        inputs: report.tables,
        detections_run: runs.iter().filter(|r| r.ran).map(|r| r.id).collect(),
        detections: runs,
        stages,
        people: people.len(),
        attribution,
        flagged: scores.iter().filter(|s| s.flagged).count(),
        rings: rings.len(),
        signals: signals.len(),
        seconds: t_all.elapsed().as_secs_f64(),
        peak_rss_bytes: peak_rss(),
        resolution: ResolutionInfo {
            records: resolution.stats.records,
            people: resolution.stats.clusters,
            multi_record_people: resolution.stats.multi_record_clusters,
            shared_identifiers: resolution.stats.hubs,
            identity_rings: resolution.stats.rings,
        },
        fusion: FusionInfo {
            prior: fuse_cfg.prior,
            flag_threshold: fuse_cfg.flag_threshold,
            calibration: fuse_cfg.calibration.as_ref().map(|c| c.fitted_on.clone()),
        },
    };
    muster_output::write_json(&out.join("run.json"), &run)?;
    Ok(Outcome { run, scores })
}

/// Events muster could not tie to a person.
#[derive(Debug, Default, Serialize)]
pub struct Attribution {
    /// Sign-ins whose account maps to no person (no `accounts` row, no matching work or personal
    /// email) or to more than one.
    pub signins_unattributed: u64,
    /// Sign-ins in all.
    pub signins: u64,
    /// Presence, process, peripheral and display rows of devices that are not in `devices` or
    /// have no `person_id`.
    pub device_events_unassigned: u64,
    /// Those rows in all.
    pub device_events: u64,
}

fn count(engine: &muster_detect::Engine, sql: &str) -> Result<u64> {
    let b = engine.sql(sql)?;
    Ok(b.first()
        .and_then(|b| muster_detect::rows::col(b, "n").ok().and_then(|c| c.int(0)))
        .unwrap_or(0)
        .max(0) as u64)
}

fn attribution(engine: &muster_detect::Engine) -> Result<Attribution> {
    let events = "SELECT device_id FROM device_presence UNION ALL SELECT device_id FROM processes
                  UNION ALL SELECT device_id FROM peripherals UNION ALL SELECT device_id FROM displays";
    Ok(Attribution {
        signins_unattributed: count(engine, "SELECT count(*) AS n FROM signin_ev WHERE person_id IS NULL")?,
        signins: count(engine, "SELECT count(*) AS n FROM signins")?,
        device_events_unassigned: count(
            engine,
            &format!(
                "SELECT count(*) AS n FROM ({events}) e LEFT JOIN devices d ON e.device_id = d.device_id
                 WHERE d.person_id IS NULL"
            ),
        )?,
        device_events: count(engine, &format!("SELECT count(*) AS n FROM ({events}) e"))?,
    })
}

fn people_ids(engine: &muster_detect::Engine) -> Result<Vec<String>> {
    let mut ids = Vec::new();
    for b in engine.sql("SELECT person_id FROM people ORDER BY person_id")? {
        let c = muster_detect::rows::col(&b, "person_id")?;
        for i in 0..b.num_rows() {
            if let Some(p) = c.str(i) {
                ids.push(p.to_string());
            }
        }
    }
    Ok(ids)
}

/// A short ranked table of the top flagged people.
pub fn top_table(scores: &[muster_fuse::PersonScore], n: usize) -> String {
    let mut s = format!(
        "{:<4} {:<14} {:>5} {:<9} {:<7} {}\n",
        "#", "person", "score", "tier", "ring", "top reasons"
    );
    for (i, p) in scores
        .iter()
        .filter(|p| p.tier != "none")
        .take(n)
        .enumerate()
    {
        let ids = p.detection_ids();
        s.push_str(&format!(
            "{:<4} {:<14} {:>5} {:<9} {:<7} {}\n",
            i + 1,
            p.person_id,
            p.score,
            p.tier,
            p.ring_id.as_deref().unwrap_or("-"),
            ids.join(", ")
        ));
    }
    s
}

/// The session of `--cluster`: Ballista's in-process standalone mode, or a remote scheduler.
fn session_source(cluster: &str, intel: &muster_intel::Intel) -> muster_detect::SessionSource {
    let (name, intel, url) = (cluster.to_string(), intel.clone(), cluster.to_string());
    muster_detect::SessionSource::new(name, move || {
        let (intel, url) = (intel.clone(), url.clone());
        Box::pin(async move {
            let made = if url == "standalone" {
                muster_cluster::standalone(&intel).await
            } else {
                muster_cluster::remote(&url).await
            };
            made.map_err(|e| e.to_string())
        })
    })
}
