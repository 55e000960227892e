//! `muster cluster scheduler|executor`: Ballista processes with muster's SQL functions.

use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::{ClusterArgs, ClusterCommand};

pub fn run(a: ClusterArgs) -> Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .thread_stack_size(muster_detect::WORKER_STACK_BYTES)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    match a.command {
        ClusterCommand::Scheduler { bind, config } => {
            let intel = crate::config::load_intel(config.as_deref())?;
            eprintln!("muster cluster scheduler listening on {bind}");
            rt.block_on(muster_cluster::run_scheduler(bind, &intel))?;
        }
        ClusterCommand::Executor {
            scheduler,
            bind,
            work_dir,
            concurrent_tasks,
            config,
        } => {
            let (host, sport) = host_port(&scheduler).with_context(|| {
                format!("--scheduler {scheduler:?} is not HOST:PORT (e.g. 127.0.0.1:50050)")
            })?;
            let (bind, port) = host_port(&bind).with_context(|| {
                format!("--bind {bind:?} is not HOST:PORT (e.g. 127.0.0.1:50051)")
            })?;
            anyhow::ensure!(port != 0, "--bind needs a free port, not 0");
            let intel = crate::config::load_intel(config.as_deref())?;
            let work_dir = work_dir
                .unwrap_or_else(|| std::env::temp_dir().join(format!("muster-executor-{port}")));
            let options = muster_cluster::ExecutorOptions {
                scheduler_host: host,
                scheduler_port: sport,
                bind_host: bind,
                port,
                work_dir,
                concurrent_tasks,
            };
            eprintln!(
                "muster cluster executor on {}:{} for scheduler {scheduler}",
                options.bind_host, options.port
            );
            rt.block_on(muster_cluster::run_executor(&options, &intel))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `host:port` -> (host, port).
fn host_port(s: &str) -> Option<(String, u16)> {
    let (h, p) = s.rsplit_once(':')?;
    (!h.is_empty()).then(|| Some((h.to_string(), p.parse().ok()?)))?
}

#[cfg(test)]
mod tests {
    use super::host_port;

    #[test]
    fn host_port_splits_at_the_last_colon() {
        assert_eq!(
            host_port("127.0.0.1:50051"),
            Some(("127.0.0.1".into(), 50051))
        );
        assert_eq!(
            host_port("exec-1.internal:7"),
            Some(("exec-1.internal".into(), 7))
        );
        for bad in ["127.0.0.1", ":50051", "h:port", "h:70000", ""] {
            assert_eq!(host_port(bad), None, "{bad}");
        }
    }
}
