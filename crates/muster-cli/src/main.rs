//! The `muster` command line. Subcommands live in `commands/`; the scan pipeline in `pipeline.rs`.

mod allocator;
mod cli;
mod commands;
mod config;
mod pipeline;
mod progress;
mod resolution;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    // Ballista logs planner notes at warn and a metrics-display failure at error on every
    // distributed query; they say nothing a user can act on.
    let filter = if cli.verbose {
        "muster=debug,info"
    } else {
        "warn,ballista_scheduler::state::aqe=error,ballista_scheduler::display=off"
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("MUSTER_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(filter)),
        )
        .with_writer(std::io::stderr)
        .init();
    match commands::run(cli) {
        Ok(code) => code,
        Err(e) if out_of_memory_budget(&e) => {
            let root = e.root_cause().to_string();
            let detection = e.chain().find_map(|c| match c.downcast_ref() {
                Some(muster_detect::DetectError::MemoryLimit { detection, .. }) => {
                    Some(format!(" (in {detection})"))
                }
                _ => None,
            });
            eprintln!(
                "error: the scan needs more memory than --memory-limit allows, even spilling to \
                 disk{}; raise --memory-limit (docs/deployment.md says how to size it).\n\
                 DataFusion: {}",
                detection.unwrap_or_default(),
                root.lines().next().unwrap_or_default()
            );
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Whether `e` is a query that ran out of its `--memory-limit` budget.
fn out_of_memory_budget(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<muster_detect::DetectError>()
            .is_some_and(muster_detect::DetectError::is_memory_limit)
    })
}
