//! The DataFusion session detections run in: staged contract tables, context tables, views and
//! muster's UDFs.

use std::collections::BTreeMap;
use std::path::Path;

use datafusion::arrow::array::RecordBatch;
use std::num::NonZeroUsize;
use std::sync::Arc;

use datafusion::execution::config::SessionConfig;
use datafusion::execution::disk_manager::{DiskManagerBuilder, DiskManagerMode};
use datafusion::execution::memory_pool::{
    FairSpillPool, MemoryConsumer, MemoryLimit, MemoryPool, MemoryReservation, TrackConsumersPool,
    UnboundedMemoryPool,
};
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::prelude::{ParquetReadOptions, SessionContext};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::DetectError;

/// Views every detection may use; created after the contract tables are registered.
const VIEWS: &[(&str, &str)] = &[
    (
        "account_map",
        // accounts first; then work_email, then personal email, each only for accounts not
        // already mapped. An identifier claimed by two people maps to neither: guessing would
        // mis-attribute sign-ins.
        "SELECT account, min(pid) AS person_id FROM (
           SELECT lower(trim(account)) AS account, person_id AS pid FROM accounts
           UNION ALL
           SELECT lower(trim(work_email)), person_id FROM people
             WHERE work_email IS NOT NULL
               AND lower(trim(work_email)) NOT IN (SELECT lower(trim(account)) FROM accounts)
           UNION ALL
           SELECT lower(trim(email)), person_id FROM people
             WHERE email IS NOT NULL
               AND lower(trim(email)) NOT IN (SELECT lower(trim(account)) FROM accounts)
               AND lower(trim(email)) NOT IN (SELECT lower(trim(work_email)) FROM people WHERE work_email IS NOT NULL)
         ) GROUP BY account HAVING count(DISTINCT pid) = 1",
    ),
    (
        "person_home",
        "SELECT person_id,
                claimed_zone(claimed_timezone, region, country, postal_code) AS zone,
                addr_key(address_line1, address_line2, city, region, postal_code) AS home,
                building_key(address_line1, address_line2, city, region, postal_code) AS building,
                staffing_agency, full_name, date_of_birth, record_type, source
         FROM people",
    ),
    (
        // Each assigned device with its user and the user's claimed time zone: a small table
        // to join event tables to, so the join builds its hash table on it. Joining events to
        // devices and then to person_home lets the optimizer misjudge the first join's output
        // as device-sized (it assumes 20% of devices have a user) and build the second join
        // on the events (1 GB at 100,000 people).
        "device_zone",
        "SELECT d.device_id, d.person_id, h.zone
         FROM devices d JOIN person_home h ON d.person_id = h.person_id",
    ),
    (
        "signin_ev",
        "SELECT s.time, coalesce(s.person_id, m.person_id) AS person_id, s.account, s.src_ip AS ip,
                s.device_id, s.is_anonymous, coalesce(lower(s.outcome), 'success') AS outcome
         FROM signins s LEFT JOIN account_map m ON lower(trim(s.account)) = m.account",
    ),
];

/// Stack of the engine's runtime threads (see [`Engine::open_with`]); also what a Ballista
/// scheduler or executor process should use.
pub const WORKER_STACK_BYTES: usize = 32 << 20;

/// How the engine may use memory.
#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    /// The process's memory budget (`--memory-limit`), shared out as follows:
    /// half is what DataFusion's operators may hold at once (sorts and aggregations spill to
    /// `spill_dir` beyond it), and the per-person analysers take slices of people sized to a
    /// quarter. Hash joins keep their build side in memory (it cannot spill): in
    /// muster's plans that is usually the people-sized side, and a query whose build side does
    /// not fit runs again with sort-merge joins (see `join_fallback`). Sort-merge joins
    /// everywhere were tried and needed more memory, not less (one merge reservation per
    /// sort). `None`: no limit.
    pub memory_limit: Option<u64>,
    /// Where spill files go (default: the OS temporary folder).
    pub spill_dir: Option<std::path::PathBuf>,
    /// Run the plans elsewhere: a session made by this source (a Ballista cluster, see the
    /// `muster-cluster` crate) instead of the embedded one. The memory options do not apply
    /// then; the cluster's executors have their own.
    pub session: Option<SessionSource>,
    /// Write each query's physical plan with its operators' metrics (rows, compute time,
    /// memory, spills) into this folder, one file per query (`--profile-queries`). Metrics are
    /// the embedded engine's; a cluster's executors keep their own.
    pub profile_dir: Option<std::path::PathBuf>,
}

/// The future a [`SessionSource`] returns.
pub type SessionFuture =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<SessionContext, String>> + Send>>;

/// Makes the engine's session on the engine's own runtime (a distributed session may spawn
/// tasks on it), once per engine.
#[derive(Clone)]
pub struct SessionSource {
    /// What it connects to, for messages (`df://host:port`, `standalone`).
    pub name: String,
    make: Arc<dyn Fn() -> SessionFuture + Send + Sync>,
}

impl SessionSource {
    /// A source named `name` whose sessions come from `make`.
    pub fn new(
        name: impl Into<String>,
        make: impl Fn() -> SessionFuture + Send + Sync + 'static,
    ) -> Self {
        Self {
            name: name.into(),
            make: Arc::new(make),
        }
    }
}

impl std::fmt::Debug for SessionSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionSource")
            .field("name", &self.name)
            .finish()
    }
}

/// How `--memory-limit` is shared out. The limit is for the whole process, but only
/// DataFusion's operators can be held to a budget (its memory pool); the rest is sized ahead:
/// - the pool gets half ([`ENGINE_SHARE`]);
/// - one slice of people of a per-person analyser (its query's result folded into Rust state)
///   is sized to a quarter ([`SLICE_SHARE`]) at the analyser's bytes per event row;
/// - the other quarter is for what no budget covers: the program and its reference data (about
///   370 MB), the people table and entity resolution, batches in flight, and the allocator's
///   free memory.
///
/// Measured at 100,000 people with 2 GiB (BENCHMARKS.md): with the whole limit as the pool and
/// slices at 100 bytes per row, peak RSS was 4,587 MiB; with these shares, 2,154 MiB.
const ENGINE_SHARE: u64 = 2;
/// See [`ENGINE_SHARE`]: a slice of people is sized to `limit / SLICE_SHARE`.
const SLICE_SHARE: u64 = 4;

/// At least this many event rows per slice of people: below it, reading the tables once more
/// per slice costs more than the memory it saves.
const MIN_SLICE_ROWS: u64 = 100_000;

/// How the per-person analysers cut people into slices (see [`Engine::person_slices`]).
#[derive(Debug, Clone, Copy)]
enum Slicing {
    /// At most this many event rows per slice (no memory limit, or a test).
    Rows(u64),
    /// At most this many bytes of state per slice, at the analyser's bytes per event row.
    Bytes(u64),
}

/// A DataFusion session over one scan's staged tables.
pub struct Engine {
    ctx: SessionContext,
    rt: tokio::runtime::Runtime,
    rows: BTreeMap<&'static str, u64>,
    workforce: u64,
    stage: std::path::PathBuf,
    pool: Arc<MeteredPool>,
    /// Whether a memory limit is set.
    limited: bool,
    slicing: Slicing,
    profiler: Option<crate::profile::Profiler>,
}

/// A memory pool that remembers the most it ever had reserved (for run.json).
#[derive(Debug)]
struct MeteredPool {
    inner: Arc<dyn MemoryPool>,
    peak: AtomicUsize,
}

impl MeteredPool {
    fn note(&self) {
        self.peak
            .fetch_max(self.inner.reserved(), Ordering::Relaxed);
    }
}

impl std::fmt::Display for MeteredPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "metered({})", self.inner)
    }
}

impl MemoryPool for MeteredPool {
    fn name(&self) -> &str {
        self.inner.name()
    }
    fn register(&self, consumer: &MemoryConsumer) {
        self.inner.register(consumer);
    }
    fn unregister(&self, consumer: &MemoryConsumer) {
        self.inner.unregister(consumer);
    }
    fn grow(&self, reservation: &MemoryReservation, additional: usize) {
        self.inner.grow(reservation, additional);
        self.note();
    }
    fn shrink(&self, reservation: &MemoryReservation, shrink: usize) {
        self.inner.shrink(reservation, shrink);
    }
    fn try_grow(
        &self,
        reservation: &MemoryReservation,
        additional: usize,
    ) -> datafusion::error::Result<()> {
        self.inner.try_grow(reservation, additional)?;
        self.note();
        Ok(())
    }
    fn reserved(&self) -> usize {
        self.inner.reserved()
    }
    fn memory_limit(&self) -> MemoryLimit {
        self.inner.memory_limit()
    }
}

/// Rows per row group of a staged table written in one folder per slice
/// ([`Engine::stage_sliced`]): every slice's writer holds its row group until it is full.
const PARTITIONED_ROW_GROUP_ROWS: usize = 64 * 1024;

/// Default event rows per slice of people (see [`Engine::person_slices`]): an aggregation over
/// 20 M event rows grouped per person and day holds well under 2 GB.
pub const DEFAULT_SLICE_ROWS: u64 = 20_000_000;

impl Engine {
    /// Opens the staged tables in `stage` (as written by `muster-ingest`); `rows` gives the
    /// accepted row count of each table that was present. Absent tables are staged empty so
    /// every detection's SQL plans.
    pub fn open(
        stage: &Path,
        rows: &BTreeMap<&'static str, u64>,
        intel: &muster_intel::Intel,
    ) -> Result<Self, DetectError> {
        Self::open_with(stage, rows, intel, &EngineOptions::default())
    }

    /// [`Engine::open`] with a memory budget (see [`EngineOptions`]).
    pub fn open_with(
        stage: &Path,
        rows: &BTreeMap<&'static str, u64>,
        intel: &muster_intel::Intel,
        options: &EngineOptions,
    ) -> Result<Self, DetectError> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(
                std::thread::available_parallelism()
                    .map(|n| n.get())
                    .unwrap_or(2),
            )
            // Distributed plans are encoded and decoded recursively (protobuf), which overflows
            // the default 2 MiB worker stack on deep plans; the reservation is virtual memory.
            .thread_stack_size(WORKER_STACK_BYTES)
            .enable_all()
            .build()
            .map_err(|e| DetectError::Internal(format!("cannot start runtime: {e}")))?;
        // DATAFUSION_* environment variables tune the engine (e.g.
        // DATAFUSION_EXECUTION_BATCH_SIZE); the settings below take precedence.
        let mut config = SessionConfig::from_env()
            .map_err(|e| {
                DetectError::Internal(format!(
                    "a DATAFUSION_* environment variable is not a valid setting ({e}); unset it or fix its value"
                ))
            })?
            .with_information_schema(false);
        // Diagnostics: MUSTER_TARGET_PARTITIONS=1 runs every plan single-partitioned, to compare
        // a scan's signals against the default parallel plans (DataFusion 55 has given different
        // rows for some multi-partition joins; see docs).
        if let Some(n) = std::env::var("MUSTER_TARGET_PARTITIONS")
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|n| *n > 0)
        {
            config = config.with_target_partitions(n);
        }
        // Strings as Utf8, not Utf8View: the detections read string columns as `StringArray`
        // (`rows.rs`), and views were no faster on FARM-IP's join at 100,000 people
        // (BENCHMARKS.md, fifth session of 2026-12-07).
        config
            .options_mut()
            .execution
            .parquet
            .schema_force_view_types = false;
        no_join_dynamic_filters(&mut config);
        let inner: Arc<dyn MemoryPool> = match options.memory_limit {
            Some(limit) => {
                let budget = limit / ENGINE_SHARE;
                // each sort holds this back for merging its spill files (10 MB by default, per
                // partition): a small budget would go on reservations alone
                config.options_mut().execution.sort_spill_reservation_bytes =
                    usize::try_from(budget / 64)
                        .unwrap_or(usize::MAX)
                        .clamp(256 << 10, 10 << 20);
                let pool = FairSpillPool::new(usize::try_from(budget).unwrap_or(usize::MAX));
                Arc::new(TrackConsumersPool::new(
                    pool,
                    NonZeroUsize::new(5).unwrap_or(NonZeroUsize::MIN),
                ))
            }
            None => Arc::new(UnboundedMemoryPool::default()),
        };
        let pool = Arc::new(MeteredPool {
            inner,
            peak: AtomicUsize::new(0),
        });
        let runtime = RuntimeEnvBuilder::new().with_memory_pool(Arc::clone(&pool) as _);
        let disk = match &options.spill_dir {
            Some(dir) => DiskManagerBuilder::default()
                .with_mode(DiskManagerMode::Directories(vec![dir.clone()])),
            None => DiskManagerBuilder::default(),
        };
        let runtime = runtime
            .with_disk_manager_builder(disk)
            .build_arc()
            .map_err(|e| DetectError::Engine {
                what: "set up the memory pool and spill folder".into(),
                source: Box::new(e),
            })?;
        // Absolute paths: a cluster's scheduler and executors do not share this process's
        // working folder.
        let stage = &std::path::absolute(stage).map_err(|e| {
            DetectError::Internal(format!("cannot resolve {}: {e}", stage.display()))
        })?;
        let ctx = match &options.session {
            Some(source) => rt.block_on((source.make)()).map_err(|e| {
                DetectError::Internal(format!("cannot start a session on {}: {e}", source.name))
            })?,
            None => SessionContext::new_with_config_rt(config, runtime),
        };
        // A distributed session parses SQL with these too (its scheduler and executors have
        // their own copies, registered by name).
        crate::udf::register(&ctx, intel);
        for t in muster_contract::TABLES {
            let dir = stage.join(t.name);
            if !dir.join("part-0.parquet").exists() {
                write_empty(t, &dir)?;
            }
            let path = format!("{}/", dir.display());
            rt.block_on(ctx.register_parquet(t.name, &path, ParquetReadOptions::default()))
                .map_err(|e| DetectError::Engine {
                    what: format!("register table {}", t.name),
                    source: Box::new(e),
                })?;
        }
        let mut engine = Self {
            ctx,
            rt,
            rows: rows.clone(),
            workforce: 0,
            stage: stage.to_path_buf(),
            pool,
            limited: options.memory_limit.is_some(),
            slicing: options
                .memory_limit
                .map_or(Slicing::Rows(DEFAULT_SLICE_ROWS), |limit| {
                    Slicing::Bytes((limit / SLICE_SHARE).max(1))
                }),
            profiler: match &options.profile_dir {
                Some(dir) => Some(crate::profile::Profiler::new(dir).map_err(|e| {
                    DetectError::Internal(format!(
                        "cannot create the query profile folder {}: {e}",
                        dir.display()
                    ))
                })?),
                None => None,
            },
        };
        for (name, sql) in VIEWS {
            engine.sql(&format!("CREATE VIEW {name} AS {sql}"))?;
        }
        let b = engine.sql(
            "SELECT count(*) AS n FROM people WHERE lower(trim(record_type)) IN ('employee', 'contractor')",
        )?;
        engine.workforce = b
            .first()
            .and_then(|b| crate::rows::col(b, "n").ok().and_then(|c| c.int(0)))
            .unwrap_or(0)
            .max(0) as u64;
        Ok(engine)
    }

    /// Runs `sql` once and registers its result as table `name`, written as Parquet into the
    /// stage. DataFusion recomputes a CTE at every reference; a detection that reads an
    /// intermediate result several times stages it instead. Files, not memory, so the same
    /// plans can run distributed.
    pub fn stage_query(&self, name: &str, sql: &str) -> Result<(), DetectError> {
        self.join_fallback(|| self.stage_query_once(name, sql, None))
    }

    /// Runs `sql` once and stages its rows split into `n` slices of people (see
    /// [`Engine::person_slices`]) by its column `person`, as table `name` with an extra column
    /// `slice_k` (`slice_of(person, n)`); rows without a person are left out. The files are in
    /// one folder per slice (`slice_k=K/`), so a query filtered with `slice_k = K` reads that
    /// slice's files only. A per-person analyser with many slices reads its events once this
    /// way, instead of scanning and joining the whole event tables again for every slice.
    pub fn stage_sliced(
        &self,
        name: &str,
        sql: &str,
        person: &str,
        n: u64,
    ) -> Result<(), DetectError> {
        let sql = format!(
            "SELECT *, slice_of({person}, {n}) AS slice_k FROM ({sql}) WHERE {person} IS NOT NULL"
        );
        self.join_fallback(|| self.stage_query_once(name, &sql, Some("slice_k")))
    }

    /// Under a memory limit, a query whose hash join's build side (which cannot spill) does
    /// not fit runs again with sort-merge joins, which spill. Not the default: sort-merge joins
    /// need a sort of each side, more memory reservations, and time, where the build side is
    /// usually a small, people-sized table.
    fn join_fallback<T>(
        &self,
        mut run: impl FnMut() -> Result<T, DetectError>,
    ) -> Result<T, DetectError> {
        match run() {
            Err(e) if self.limited && e.is_memory_limit() => {
                tracing::info!(
                    "a query did not fit the memory limit ({e}); running it with sort-merge joins"
                );
                let set = |hash: bool| {
                    let state = self.ctx.state_ref();
                    let mut state = state.write();
                    state.config_mut().options_mut().optimizer.prefer_hash_join = hash;
                };
                set(false);
                let r = run();
                set(true);
                r
            }
            other => other,
        }
    }

    /// Stages `sql` as table `name`; `partition`: a BIGINT column of the result written as
    /// one folder per value (`COL=VALUE/`) instead of into the files.
    fn stage_query_once(
        &self,
        name: &str,
        sql: &str,
        partition: Option<&str>,
    ) -> Result<(), DetectError> {
        let dir = self.stage.join(format!("_tmp_{name}"));
        let path = format!("{}/", dir.display());
        let err = |e: datafusion::error::DataFusionError| DetectError::Engine {
            what: format!("stage intermediate table {name}"),
            source: Box::new(e),
        };
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| {
                DetectError::Internal(format!("cannot clear {}: {e}", dir.display()))
            })?;
        }
        std::fs::create_dir_all(&dir)
            .map_err(|e| DetectError::Internal(format!("cannot create {}: {e}", dir.display())))?;
        let _ = self.ctx.deregister_table(name).map_err(err)?;
        self.rt.block_on(async {
            let df = self.ctx.sql(sql).await.map_err(err)?;
            let mut schema = df.schema().as_arrow().clone();
            if let Some(col) = partition {
                // partition values live in folder names, not in the files
                schema = datafusion::arrow::datatypes::Schema::new(
                    schema
                        .fields()
                        .iter()
                        .filter(|f| f.name() != col)
                        .cloned()
                        .collect::<Vec<_>>(),
                );
            }
            let schema = std::sync::Arc::new(schema);
            let partition_by: Vec<String> = partition.iter().map(|c| c.to_string()).collect();
            match &self.profiler {
                None => {
                    // A partitioned write keeps a writer open per value, each buffering its
                    // row group until it is full: smaller row groups bound that buffer.
                    let writer = partition.map(|_| {
                        let mut o = datafusion::config::TableParquetOptions::default();
                        o.global.max_row_group_size = PARTITIONED_ROW_GROUP_ROWS;
                        o
                    });
                    df.write_parquet(
                        &path,
                        datafusion::dataframe::DataFrameWriteOptions::new()
                            .with_partition_by(partition_by),
                        writer,
                    )
                    .await
                    .map_err(err)?;
                }
                Some(profiler) => {
                    // what `write_parquet` plans, run here so its metrics can be read
                    let (state, plan) = df.into_parts();
                    let file_type =
                        datafusion::datasource::file_format::format_as_file_type(Arc::new(
                            datafusion::datasource::file_format::parquet::ParquetFormatFactory::new(
                            ),
                        ));
                    let plan = datafusion::logical_expr::LogicalPlanBuilder::copy_to(
                        plan,
                        path.clone(),
                        file_type,
                        std::collections::HashMap::new(),
                        partition_by,
                    )
                    .and_then(|b| b.build())
                    .map_err(err)?;
                    let df = datafusion::dataframe::DataFrame::new(state, plan);
                    collect_profiled(df, profiler, &format!("stage {name}"), sql)
                        .await
                        .map_err(err)?;
                }
            }
            // An empty result writes no file; register an empty one so later queries plan.
            let has_entry = std::fs::read_dir(&dir)
                .map(|mut rd| rd.next().is_some())
                .unwrap_or(false);
            if !has_entry {
                let empty = match partition {
                    Some(col) => dir.join(format!("{col}=0")),
                    None => dir.clone(),
                };
                std::fs::create_dir_all(&empty).map_err(|e| {
                    DetectError::Internal(format!("cannot create {}: {e}", empty.display()))
                })?;
                write_empty_parquet(&empty.join("empty.parquet"), schema)?;
            }
            let options = match partition {
                Some(col) => ParquetReadOptions::default().table_partition_cols(vec![(
                    col.to_string(),
                    datafusion::arrow::datatypes::DataType::Int64,
                )]),
                None => ParquetReadOptions::default(),
            };
            self.ctx
                .register_parquet(name, &path, options)
                .await
                .map_err(err)
        })
    }

    /// Runs SQL and collects the result.
    pub fn sql(&self, sql: &str) -> Result<Vec<RecordBatch>, DetectError> {
        self.join_fallback(|| self.sql_once(sql))
    }

    fn sql_once(&self, sql: &str) -> Result<Vec<RecordBatch>, DetectError> {
        let what = || {
            sql.split_whitespace()
                .take(12)
                .collect::<Vec<_>>()
                .join(" ")
        };
        self.rt
            .block_on(async {
                let df = self.ctx.sql(sql).await?;
                match &self.profiler {
                    None => df.collect().await,
                    Some(profiler) => collect_profiled(df, profiler, "query", sql).await,
                }
            })
            .map_err(|e| DetectError::Engine {
                what: what(),
                source: Box::new(e),
            })
    }

    /// Runs SQL and hands each result batch to `each` as it is produced, without collecting
    /// the result: the memory a large result needs is one batch per partition, not all of it.
    /// Unlike [`Engine::sql`], a query that runs out of `--memory-limit` is not run again with
    /// sort-merge joins: batches already handed to `each` cannot be taken back.
    pub fn sql_for_each(
        &self,
        sql: &str,
        mut each: impl FnMut(&RecordBatch) -> Result<(), DetectError>,
    ) -> Result<(), DetectError> {
        use futures::StreamExt;
        let err = |e: datafusion::error::DataFusionError| DetectError::Engine {
            what: sql
                .split_whitespace()
                .take(12)
                .collect::<Vec<_>>()
                .join(" "),
            source: Box::new(e),
        };
        self.rt.block_on(async {
            let df = self.ctx.sql(sql).await.map_err(err)?;
            let Some(profiler) = &self.profiler else {
                let mut stream = df.execute_stream().await.map_err(err)?;
                while let Some(batch) = stream.next().await {
                    each(&batch.map_err(err)?)?;
                }
                return Ok(());
            };
            let task = Arc::new(df.task_ctx());
            let plan = df.create_physical_plan().await.map_err(err)?;
            let started = std::time::Instant::now();
            let mut stream =
                datafusion::physical_plan::execute_stream(Arc::clone(&plan), task).map_err(err)?;
            while let Some(batch) = stream.next().await {
                each(&batch.map_err(err)?)?;
            }
            profiler.write("query, streamed", sql, plan.as_ref(), started.elapsed());
            Ok(())
        })
    }

    /// The most memory DataFusion's operators held at once so far (bytes; within half of
    /// `--memory-limit` when one is set).
    pub fn engine_memory_peak(&self) -> u64 {
        self.pool.peak.load(Ordering::Relaxed) as u64
    }

    /// Sets the event rows per slice of people (at least 1), whatever the analyser's bytes per
    /// row (for tests); see [`Engine::person_slices`].
    pub fn set_slice_rows(&mut self, rows: u64) {
        self.slicing = Slicing::Rows(rows.max(1));
    }

    /// How many slices of people a detection that keeps per-person state over `tables` runs
    /// in (1 for small inputs). Without a memory limit: the tables' accepted rows divided by
    /// [`DEFAULT_SLICE_ROWS`], rounded up. Under `--memory-limit`: the rows times
    /// `bytes_per_row` (the analyser's measured memory per event row of a slice, its query's
    /// aggregation and its Rust state) divided by a quarter of the limit, with at least
    /// 100,000 rows per slice. Each slice is a separate query filtered with
    /// `slice_of(person_id, n) = k`, so the engine's aggregation and the Rust state hold about
    /// 1/n of the people at a time, for the price of reading the tables n times.
    pub fn person_slices(&self, tables: &[&str], bytes_per_row: u64) -> u64 {
        let rows: u64 = tables.iter().map(|t| self.rows(t)).sum();
        match self.slicing {
            Slicing::Rows(per) => rows.div_ceil(per),
            Slicing::Bytes(budget) => rows
                .saturating_mul(bytes_per_row)
                .div_ceil(budget)
                .min(rows.div_ceil(MIN_SLICE_ROWS)),
        }
        .max(1)
    }

    /// Employees and contractors (people who can have devices and sign-ins), the base of
    /// the infrastructure threshold; applicants do not count.
    pub fn workforce(&self) -> u64 {
        self.workforce
    }

    /// Accepted rows of a contract table (0 when absent).
    pub fn rows(&self, table: &str) -> u64 {
        self.rows.get(table).copied().unwrap_or(0)
    }

    /// Names the queries that follow in query profiles (see [`EngineOptions::profile_dir`]);
    /// [`crate::run_with`] sets each detection's id.
    pub fn set_phase(&self, phase: &str) {
        if let Some(p) = &self.profiler {
            p.set_phase(phase);
        }
    }

    /// The DataFusion session, for callers that build their own plans.
    pub fn context(&self) -> &SessionContext {
        &self.ctx
    }
}

/// Turns off DataFusion's join dynamic filters (a hash join's build-side key range pushed into
/// the probe side's scan). In DataFusion 55.2 they drop matching rows when the filter passes
/// a join whose inputs share a column name: FARM-IP's sign-ins on company devices
/// (`devices JOIN signin_ev`, then `person_home`, `person_id` on both sides) came out as no
/// rows at all (10,000 people, 1 or 2 partitions; 100,000 people, 2 partitions) (apache/datafusion
/// #25262, fixed in a later release). Scans read a little more; results are right. Ballista
/// sessions get the same setting (`muster-cluster`).
pub fn no_join_dynamic_filters(config: &mut SessionConfig) {
    config
        .options_mut()
        .optimizer
        .enable_join_dynamic_filter_pushdown = false;
}

/// Runs `df` and writes its plan with metrics to `profiler`.
async fn collect_profiled(
    df: datafusion::dataframe::DataFrame,
    profiler: &crate::profile::Profiler,
    step: &str,
    sql: &str,
) -> datafusion::error::Result<Vec<RecordBatch>> {
    let task = Arc::new(df.task_ctx());
    let plan = df.create_physical_plan().await?;
    let started = std::time::Instant::now();
    let out = datafusion::physical_plan::collect(Arc::clone(&plan), task).await?;
    profiler.write(step, sql, plan.as_ref(), started.elapsed());
    Ok(out)
}

fn write_empty(t: &muster_contract::Table, dir: &Path) -> Result<(), DetectError> {
    use datafusion::parquet::arrow::ArrowWriter;
    let io = |e: String| DetectError::Internal(format!("cannot stage empty table {}: {e}", t.name));
    std::fs::create_dir_all(dir).map_err(|e| io(e.to_string()))?;
    let f = std::fs::File::create(dir.join("part-0.parquet")).map_err(|e| io(e.to_string()))?;
    let w = ArrowWriter::try_new(f, t.arrow_schema(), None).map_err(|e| io(e.to_string()))?;
    w.close().map_err(|e| io(e.to_string()))?;
    Ok(())
}

/// An empty Parquet file with `schema`.
fn write_empty_parquet(
    path: &Path,
    schema: datafusion::arrow::datatypes::SchemaRef,
) -> Result<(), DetectError> {
    let io = |e: String| DetectError::Internal(format!("cannot write {}: {e}", path.display()));
    let file = std::fs::File::create(path).map_err(|e| io(e.to_string()))?;
    let w = datafusion::parquet::arrow::ArrowWriter::try_new(file, schema, None)
        .map_err(|e| io(e.to_string()))?;
    w.close().map_err(|e| io(e.to_string()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLES: [&str; 2] = ["signins", "device_presence"];

    fn engine(memory_limit: Option<u64>) -> (tempfile::TempDir, Engine) {
        let tmp = tempfile::tempdir().unwrap();
        let rows = BTreeMap::from([("signins", 10_000_000), ("device_presence", 30_000_000)]);
        let options = EngineOptions {
            memory_limit,
            ..EngineOptions::default()
        };
        let engine =
            Engine::open_with(tmp.path(), &rows, muster_intel::Intel::embedded(), &options)
                .unwrap();
        (tmp, engine)
    }

    #[test]
    fn without_a_limit_slices_count_rows() {
        let (_tmp, e) = engine(None);
        // 40 M rows in slices of 20 M, whatever the bytes per row
        assert_eq!(e.person_slices(&TABLES, 1), 2);
        assert_eq!(e.person_slices(&TABLES, 1_000), 2);
        assert!(matches!(e.pool.memory_limit(), MemoryLimit::Infinite));
    }

    #[test]
    fn a_limit_gives_the_engine_half_and_a_slice_a_quarter() {
        let (_tmp, e) = engine(Some(1 << 30));
        assert!(matches!(e.pool.memory_limit(), MemoryLimit::Finite(n) if n == 1 << 29));
        // a quarter of 1 GiB is 268,435,456 bytes: 40 M rows at 200 bytes need 30 slices, at
        // 50 bytes 8
        assert_eq!(e.person_slices(&TABLES, 200), 30);
        assert_eq!(e.person_slices(&TABLES, 50), 8);
        // never fewer than 100,000 rows per slice, and at least one slice
        assert_eq!(e.person_slices(&TABLES, 1_000_000), 400);
        assert_eq!(e.person_slices(&["people"], 200), 1);
    }

    fn count(e: &Engine, sql: &str) -> i64 {
        let b = e.sql(sql).unwrap();
        crate::rows::col(&b[0], "n").unwrap().int(0).unwrap()
    }

    #[test]
    fn sliced_stages_split_people_and_leave_out_rows_without_one() {
        let (_tmp, e) = engine(None);
        let rows = "SELECT * FROM (VALUES ('p1', 1), ('p1', 2), ('p2', 3), ('p3', 4), ('p4', 5),
                    (CAST(NULL AS VARCHAR), 6)) AS t(person_id, v)";
        e.stage_sliced("sliced", rows, "person_id", 3).unwrap();
        assert_eq!(count(&e, "SELECT count(*) AS n FROM sliced"), 5);
        let mut seen = 0;
        for k in 0..3 {
            let want = count(
                &e,
                &format!("SELECT count(*) AS n FROM ({rows}) WHERE slice_of(person_id, 3) = {k}"),
            );
            let got = count(
                &e,
                &format!("SELECT count(*) AS n FROM sliced WHERE slice_k = {k}"),
            );
            assert_eq!(got, want, "slice {k}");
            seen += got;
        }
        assert_eq!(seen, 5);
        // one person's rows are in one slice
        assert_eq!(
            count(
                &e,
                "SELECT count(DISTINCT slice_k) AS n FROM sliced WHERE person_id = 'p1'"
            ),
            1
        );
        // an empty result still plans
        e.stage_sliced("none", &format!("{rows} WHERE v > 10"), "person_id", 3)
            .unwrap();
        assert_eq!(
            count(&e, "SELECT count(*) AS n FROM none WHERE slice_k = 1"),
            0
        );
    }

    #[test]
    fn join_dynamic_filters_are_off() {
        // DataFusion 55.2 dropped FARM-IP's sign-in rows with them on (see
        // `no_join_dynamic_filters`); a version bump that fixes #25262 may turn them back on.
        let (_tmp, e) = engine(None);
        let state = e.context().state();
        assert!(
            !state
                .config()
                .options()
                .optimizer
                .enable_join_dynamic_filter_pushdown
        );
        assert!(
            state
                .config()
                .options()
                .optimizer
                .enable_dynamic_filter_pushdown
        );
    }

    #[test]
    fn a_test_can_force_rows_per_slice() {
        let (_tmp, mut e) = engine(Some(1 << 30));
        e.set_slice_rows(15_000_000);
        assert_eq!(e.person_slices(&TABLES, 200), 3);
    }
}
