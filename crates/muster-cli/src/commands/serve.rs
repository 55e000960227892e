//! `muster serve` and `muster token create`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{Context, Result};

use crate::cli::{ServeArgs, TokenArgs, TokenCommand};

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

pub fn run(a: ServeArgs) -> Result<ExitCode> {
    let mut records = Vec::new();
    let index = match &a.people {
        Some(path) => {
            let map = muster_resolve::input::parse_columns(a.columns.as_deref().unwrap_or(""))?;
            let loaded = muster_resolve::input::read_people(path, &map)
                .with_context(|| format!("cannot read people from {}", path.display()))?;
            if !loaded.rejected.is_empty() {
                eprintln!(
                    "{} of {} people records rejected (first: {} line {}: {})",
                    loaded.rejected.len(),
                    loaded.read,
                    loaded.rejected[0].file,
                    loaded.rejected[0].line,
                    loaded.rejected[0].reason
                );
            }
            let (index, res) =
                muster_resolve::Index::build(&loaded.records, muster_resolve::Settings::default())
                    .context("cannot resolve the known people")?;
            eprintln!(
                "{} people records known ({} people)",
                index.len(),
                res.stats.clusters
            );
            records = loaded.records;
            Some(index)
        }
        None => None,
    };
    let scan = a
        .scan
        .as_deref()
        .map(muster_serve::ScanView::open)
        .transpose()?;
    let redetect = match &a.input {
        Some(input) => Some(
            std::sync::Arc::new(ScanAgain::new(input, a.config.clone())?)
                as std::sync::Arc<dyn muster_serve::Redetect>,
        ),
        None => None,
    };
    if let Some(input) = &a.input {
        eprintln!(
            "ingested batches are re-detected with {} (muster serve --input)",
            input.display()
        );
    }
    let accounts = account_map(&a)?;
    let rt = runtime()?;
    rt.block_on(async {
        let store = muster_serve::Store::open(&a.db).await?;
        if let Some(scan) = &a.scan {
            let added = store.import_scores(&scan.join("scores.csv")).await?;
            eprintln!("{added} new findings from {}", scan.display());
        }
        eprintln!("muster serve on http://{0} (pages: http://{0}/ui)", a.bind);
        let state = muster_serve::AppState::with_redetect(store, index, records, scan, redetect);
        state.add_accounts(accounts);
        muster_serve::serve(a.bind, state).await
    })?;
    Ok(ExitCode::SUCCESS)
}

pub fn token(a: TokenArgs) -> Result<ExitCode> {
    match a.command {
        TokenCommand::Create { role, db, label } => {
            let role = muster_serve::Role::parse(&role)
                .with_context(|| format!("--role {role:?} is not viewer, analyst or admin"))?;
            let token = runtime()?.block_on(async {
                let store = muster_serve::Store::open(&db).await?;
                store.create_token(role, label.as_deref()).await
            })?;
            println!("{token}");
        }
        TokenCommand::List { db } => {
            let tokens = runtime()?
                .block_on(async { muster_serve::Store::open(&db).await?.tokens().await })?;
            println!("id\trole\tcreated_at\tlabel");
            for t in tokens {
                println!(
                    "{}\t{}\t{}\t{}",
                    t.id,
                    t.role,
                    t.created_at,
                    t.label.unwrap_or_default()
                );
            }
        }
        TokenCommand::Revoke { id, db } => {
            let revoked = runtime()?.block_on(async {
                muster_serve::Store::open(&db)
                    .await?
                    .revoke_token(&id, "muster token revoke")
                    .await
            })?;
            if !revoked {
                eprintln!("no token with id {id}: `muster token list --db {db}` shows the ids");
                return Ok(ExitCode::from(2));
            }
            eprintln!("token {id} revoked");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Re-detection by a full scan of the batch input folder plus the ingested rows: every
/// detection, fusion and ring sees the new events together with what was already known, so a
/// sign-in from a laptop-farm address links its account to the farm's other people exactly as a
/// batch scan would. Its cost is a batch scan's (seconds for thousands of people); runs are
/// coalesced by the server.
struct ScanAgain {
    input: PathBuf,
    config: Option<PathBuf>,
    work: tempfile::TempDir,
    runs: AtomicU64,
}

impl ScanAgain {
    fn new(input: &Path, config: Option<PathBuf>) -> Result<ScanAgain> {
        if !input.is_dir() {
            anyhow::bail!(
                "--input {} is not a folder: give the folder the scan was run on",
                input.display()
            );
        }
        Ok(ScanAgain {
            input: input.to_path_buf(),
            config,
            work: tempfile::Builder::new()
                .prefix("muster-serve-redetect-")
                .tempdir()
                .context("cannot create a work folder for re-detection")?,
            runs: AtomicU64::new(0),
        })
    }

    /// The scan input: the batch folder's entries linked in, and each ingested table as
    /// `TABLE/ingested.ndjson` beside the batch's file or folder of that table.
    fn stage(&self, ingested: &BTreeMap<String, Vec<String>>, stage: &Path) -> Result<()> {
        if stage.exists() {
            std::fs::remove_dir_all(stage)
                .with_context(|| format!("cannot clear {}", stage.display()))?;
        }
        std::fs::create_dir_all(stage)
            .with_context(|| format!("cannot create {}", stage.display()))?;
        let entries = std::fs::read_dir(&self.input)
            .with_context(|| format!("cannot list {}", self.input.display()))?;
        for e in entries {
            let e = e.with_context(|| format!("cannot list {}", self.input.display()))?;
            let path = e.path();
            let name = e.file_name().to_string_lossy().to_string();
            let table = if path.is_dir() {
                name.to_ascii_lowercase()
            } else {
                muster_ingest::discover::classify(&name)
                    .map(|(stem, _, _)| stem.to_ascii_lowercase())
                    .unwrap_or_default()
            };
            let target = if ingested.contains_key(&table) {
                let dir = stage.join(&table);
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
                dir.join(if path.is_dir() {
                    "batch".to_string()
                } else {
                    format!("batch-{name}")
                })
            } else {
                stage.join(&name)
            };
            let abs = std::fs::canonicalize(&path)
                .with_context(|| format!("cannot resolve {}", path.display()))?;
            link(&abs, &target)?;
        }
        for (table, rows) in ingested {
            let dir = stage.join(table);
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            let mut text = String::new();
            for r in rows {
                text.push_str(r);
                text.push('\n');
            }
            let file = dir.join("ingested.ndjson");
            std::fs::write(&file, text)
                .with_context(|| format!("cannot write {}", file.display()))?;
        }
        Ok(())
    }

    fn run(&self, ingested: &BTreeMap<String, Vec<String>>) -> Result<PathBuf> {
        let n = self.runs.fetch_add(1, Ordering::SeqCst);
        let stage = self.work.path().join("input");
        self.stage(ingested, &stage)?;
        // Two output folders in turn: pages may still be reading the previous one.
        let out = self.work.path().join(format!("out-{}", n % 2));
        if out.exists() {
            std::fs::remove_dir_all(&out)
                .with_context(|| format!("cannot clear {}", out.display()))?;
        }
        crate::pipeline::scan(&crate::pipeline::ScanRequest {
            input: &stage,
            out: &out,
            config: self.config.as_deref(),
            rules: None,
            sources: &[],
            keep_stage: false,
            stix_personal: false,
            selection: muster_detect::Selection::default(),
            quiet: true,
            memory_limit: None,
            cluster: None,
            range: muster_lake::DateRange::default(),
            profile_dir: None,
        })?;
        Ok(out)
    }
}

#[cfg(unix)]
fn link(from: &Path, to: &Path) -> Result<()> {
    std::os::unix::fs::symlink(from, to)
        .with_context(|| format!("cannot link {} to {}", to.display(), from.display()))
}

#[cfg(not(unix))]
fn link(from: &Path, to: &Path) -> Result<()> {
    if from.is_dir() {
        anyhow::bail!("re-detection needs symbolic links for folder tables on this platform");
    }
    std::fs::copy(from, to)
        .map(|_| ())
        .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))
}

impl muster_serve::Redetect for ScanAgain {
    fn redetect(&self, ingested: &BTreeMap<String, Vec<String>>) -> Result<PathBuf, String> {
        // The scan starts its own async runtime: run it on a thread of its own.
        std::thread::scope(|s| {
            s.spawn(|| self.run(ingested).map_err(|e| format!("{e:#}")))
                .join()
                .unwrap_or_else(|_| Err("the re-detection scan stopped unexpectedly".into()))
        })
    }
}

/// Accounts ingested events are attributed with, beside the people's personal e-mail: the
/// people file's `work_email` (CSV files) and the input folder's `accounts.csv`, as the contract
/// maps `signins.account`.
fn account_map(a: &ServeArgs) -> Result<Vec<(String, String)>> {
    let mut pairs = Vec::new();
    if let Some(people) = &a.people
        && people
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        let person_col = a
            .columns
            .as_deref()
            .unwrap_or("")
            .split(',')
            .filter_map(|p| p.split_once('='))
            .find(|(_, dst)| dst.trim() == "person_id")
            .map_or("person_id", |(src, _)| src.trim());
        pairs.extend(muster_serve::account_pairs(
            people,
            "work_email",
            person_col,
        )?);
    }
    if let Some(input) = &a.input {
        let f = input.join("accounts.csv");
        if f.is_file() {
            pairs.extend(muster_serve::account_pairs(&f, "account", "person_id")?);
        }
    }
    Ok(pairs)
}
