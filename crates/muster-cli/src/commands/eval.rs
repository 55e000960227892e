//! `muster eval --truth DIR-truth OUT`.

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::EvalArgs;

pub fn run(a: EvalArgs) -> Result<ExitCode> {
    let opts = muster_eval::EvalOptions {
        covered_schemes: a.schemes.clone(),
    };
    let report = muster_eval::evaluate(&a.truth, &a.out, &opts)?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report.to_text());
    }
    Ok(ExitCode::SUCCESS)
}
