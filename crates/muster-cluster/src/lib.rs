//! Distributed scans on Apache Ballista (the version matching muster's DataFusion).
//!
//! A Ballista cluster is one scheduler and any number of executors. muster's SQL functions
//! (`muster-detect`'s UDFs, carrying the reference data) travel by name, so the scheduler (which
//! plans), every executor (which runs tasks) and the client (which parses SQL) must register the
//! same functions: [`run_scheduler`], [`run_executor`] and [`remote`] / [`standalone`] all take
//! the same [`muster_intel::Intel`] and register [`muster_detect::udf::all`] from it. Start every
//! process with the same reference data (`--config`), or lookups will disagree.
//!
//! Tasks are pulled by executors (`PullStaged`): executors need no inbound port but the Arrow
//! Flight one the client fetches results from. Tables are Parquet files on paths every process
//! can read (the same folder on one host, a shared file system or an object store across hosts);
//! in-memory tables cannot be distributed.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use ballista::prelude::{SessionConfigExt, SessionContextExt};
use ballista_core::config::TaskSchedulingPolicy;
use ballista_core::registry::BallistaFunctionRegistry;
use ballista_core::utils::default_session_builder;
use ballista_executor::executor_process::{ExecutorProcessConfig, start_executor_process};
use ballista_scheduler::SessionBuilder;
use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::config::SchedulerConfig;
use ballista_scheduler::scheduler_process::start_server;
use datafusion::execution::{FunctionRegistry, SessionState, SessionStateBuilder};
use datafusion::logical_expr::ScalarUDF;
use datafusion::prelude::{SessionConfig, SessionContext};
use muster_intel::Intel;

/// Errors of a cluster process or client.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// The Ballista scheduler or executor failed.
    #[error("ballista {role}: {message}")]
    Ballista {
        /// `scheduler`, `executor` or `client`.
        role: &'static str,
        /// What Ballista said.
        message: String,
    },
    /// A scheduler URL that is not `df://HOST:PORT`.
    #[error("cluster URL {0:?} is not df://HOST:PORT (for example df://127.0.0.1:50050)")]
    BadUrl(String),
}

fn ballista_err(role: &'static str) -> impl Fn(String) -> ClusterError {
    move |message| ClusterError::Ballista { role, message }
}

fn udfs(intel: &Intel) -> Vec<Arc<ScalarUDF>> {
    muster_detect::udf::all(intel)
        .into_iter()
        .map(Arc::new)
        .collect()
}

/// Ballista's default session state for `config` with muster's functions added.
fn state_with(
    config: SessionConfig,
    udfs: &[Arc<ScalarUDF>],
) -> datafusion::common::Result<SessionState> {
    let mut state = default_session_builder(config)?;
    for f in udfs {
        state.register_udf(Arc::clone(f))?;
    }
    Ok(state)
}

/// The session configuration every muster session on Ballista uses (it travels with each
/// query to the scheduler and executors). Adaptive planning is off: in Ballista 55 it re-plans
/// muster's anti-join and union queries without end (stages created and "not cancelled" by the
/// thousand), and the static plans are the ones the embedded engine runs.
pub fn ballista_config() -> SessionConfig {
    let mut config = SessionConfig::new_with_ballista().set_bool(
        ballista_core::config::BALLISTA_ADAPTIVE_PLANNER_ENABLED,
        false,
    );
    muster_detect::no_join_dynamic_filters(&mut config);
    config
}

/// Checks a `df://HOST:PORT` URL.
pub fn check_url(url: &str) -> Result<(), ClusterError> {
    let rest = url
        .strip_prefix("df://")
        .ok_or_else(|| ClusterError::BadUrl(url.to_string()))?;
    match rest.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() && port.parse::<u16>().is_ok() => Ok(()),
        _ => Err(ClusterError::BadUrl(url.to_string())),
    }
}

/// Fails early, with what to do, when nothing listens at the scheduler's address (Ballista
/// would only fail at the first query, with a transport error).
fn reachable(url: &str) -> Result<(), ClusterError> {
    use std::net::{TcpStream, ToSocketAddrs};
    let hostport = url.trim_start_matches("df://");
    let fail = |why: String| ClusterError::Ballista {
        role: "client",
        message: format!(
            "cannot reach the scheduler at {url}: {why}; start one with `muster cluster scheduler --bind {hostport}` or check the address"
        ),
    };
    let addrs: Vec<SocketAddr> = hostport
        .to_socket_addrs()
        .map_err(|e| fail(e.to_string()))?
        .collect();
    let mut last = String::from("no address");
    for a in addrs {
        match TcpStream::connect_timeout(&a, std::time::Duration::from_secs(5)) {
            Ok(_) => return Ok(()),
            Err(e) => last = e.to_string(),
        }
    }
    Err(fail(last))
}

/// Runs a scheduler listening on `addr` until the process ends. Its state (jobs, executors)
/// is in memory: restarting it loses running jobs, and executors reconnect.
pub async fn run_scheduler(addr: SocketAddr, intel: &Intel) -> Result<(), ClusterError> {
    let functions = udfs(intel);
    let builder: SessionBuilder =
        Arc::new(move |config: SessionConfig| state_with(config, &functions));
    let host = addr.ip().to_string();
    let config = SchedulerConfig {
        bind_host: host.clone(),
        external_host: host,
        bind_port: addr.port(),
        scheduling_policy: TaskSchedulingPolicy::PullStaged,
        override_session_builder: Some(builder),
        ..Default::default()
    };
    let cluster = BallistaCluster::new_from_config(&config)
        .await
        .map_err(|e| ballista_err("scheduler")(e.to_string()))?;
    tracing::info!("scheduler listening on {addr}");
    start_server(cluster, addr, Arc::new(config))
        .await
        .map_err(|e| ballista_err("scheduler")(e.to_string()))
}

/// Where an executor listens and which scheduler it serves.
#[derive(Debug, Clone)]
pub struct ExecutorOptions {
    /// Scheduler host.
    pub scheduler_host: String,
    /// Scheduler port.
    pub scheduler_port: u16,
    /// Address the Arrow Flight service binds (results and shuffle data are fetched from it).
    pub bind_host: String,
    /// Arrow Flight port (must be free; 0 is not allowed).
    pub port: u16,
    /// Folder for shuffle files.
    pub work_dir: PathBuf,
    /// Tasks run at once (0: one per core).
    pub concurrent_tasks: usize,
}

/// Runs an executor until the process ends (Ctrl-C or SIGTERM stop it).
pub async fn run_executor(options: &ExecutorOptions, intel: &Intel) -> Result<(), ClusterError> {
    let state = state_with(ballista_config(), &udfs(intel))
        .map_err(|e| ballista_err("executor")(e.to_string()))?;
    std::fs::create_dir_all(&options.work_dir).map_err(|e| {
        ballista_err("executor")(format!(
            "cannot create work folder {}: {e}",
            options.work_dir.display()
        ))
    })?;
    let config = ExecutorProcessConfig {
        bind_host: options.bind_host.clone(),
        external_host: Some(options.bind_host.clone()),
        port: options.port,
        scheduler_host: options.scheduler_host.clone(),
        scheduler_port: options.scheduler_port,
        scheduler_connect_timeout_seconds: 30,
        vcores: options.concurrent_tasks,
        task_scheduling_policy: TaskSchedulingPolicy::PullStaged,
        work_dir: Some(options.work_dir.display().to_string()),
        override_function_registry: Some(Arc::new(BallistaFunctionRegistry::from(&state))),
        ..Default::default()
    };
    tracing::info!(
        "executor on {}:{} serving {}:{}",
        options.bind_host,
        options.port,
        options.scheduler_host,
        options.scheduler_port
    );
    start_executor_process(Arc::new(config))
        .await
        .map_err(|e| ballista_err("executor")(e.to_string()))
}

/// A session whose queries run on the cluster at `url` (`df://HOST:PORT`). The caller registers
/// muster's functions on it (the client parses SQL with them); the scheduler and executors have
/// their own copies.
pub async fn remote(url: &str) -> Result<SessionContext, ClusterError> {
    check_url(url)?;
    reachable(url)?;
    let state = SessionStateBuilder::new()
        .with_config(ballista_config())
        .with_default_features()
        .build();
    SessionContext::remote_with_state(url, state)
        .await
        .map_err(|e| ballista_err("client")(e.to_string()))
}

/// A session with an in-process scheduler and executor (Ballista's standalone mode): the
/// distributed code path on one process, for tests and for trying a cluster setup. The caller
/// registers muster's functions on it as well.
pub async fn standalone(intel: &Intel) -> Result<SessionContext, ClusterError> {
    let state = state_with(ballista_config(), &udfs(intel))
        .map_err(|e| ballista_err("client")(e.to_string()))?;
    SessionContext::standalone_with_state(state)
        .await
        .map_err(|e| ballista_err("client")(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked() {
        assert!(check_url("df://127.0.0.1:50050").is_ok());
        assert!(check_url("df://scheduler.internal:50050").is_ok());
        for bad in [
            "127.0.0.1:50050",
            "df://",
            "df://host",
            "df://host:port",
            "http://h:1",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cluster_sessions_have_the_embedded_engines_join_settings() {
        let config = ballista_config();
        assert!(
            !config
                .options()
                .optimizer
                .enable_join_dynamic_filter_pushdown
        );
    }
}
