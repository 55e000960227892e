//! One module per subcommand.

mod cluster;
mod demo;
mod eval;
mod explain;
mod ingest;
mod intel;
mod resolve;
mod rules;
mod scan;
mod serve;
mod synth;

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{Cli, Command};

/// Runs a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Demo(a) => demo::run(a),
        Command::Synth(a) => synth::run(a),
        Command::Scan(a) => scan::run(a),
        Command::Ingest(a) => ingest::run(a),
        Command::Resolve(a) => resolve::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Explain(a) => explain::run(a),
        Command::Rules(a) => rules::run(a),
        Command::Intel(a) => intel::run(a),
        Command::Cluster(a) => cluster::run(a),
        Command::Serve(a) => serve::run(a),
        Command::Token(a) => serve::token(a),
    }
}
