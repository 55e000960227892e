//! `muster eval --truth DIR-truth OUT`.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};

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
    if let Some(path) = &a.fit_calibration {
        fit_calibration(&a, path)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Fits the calibration map on an uncalibrated scan and writes it as JSON.
fn fit_calibration(a: &EvalArgs, path: &std::path::Path) -> Result<()> {
    let run_path = a.out.join("run.json");
    let run: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(&run_path)
            .with_context(|| format!("cannot read {}", run_path.display()))?,
    )
    .with_context(|| format!("{} is not JSON", run_path.display()))?;
    if let Some(c) = run["fusion"]["calibration"].as_str() {
        bail!(
            "the scan in {} was already calibrated ({c}); fit on a scan without [fusion] calibration",
            a.out.display()
        );
    }
    let Some(prior) = run["fusion"]["prior"].as_f64() else {
        bail!("{} has no fusion.prior", run_path.display());
    };
    let points = muster_eval::labelled_probabilities(&a.truth, &a.out)?;
    let cal = muster_fuse::Calibration::fit(&points, prior, &a.out.display().to_string());
    std::fs::write(path, serde_json::to_string_pretty(&cal)? + "\n")
        .with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!(
        "calibration: {} knots from {} people ({} positive), prior {prior}, written to {}",
        cal.knots.len(),
        cal.people,
        cal.positives,
        path.display()
    );
    Ok(())
}
