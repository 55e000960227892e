//! `muster synth --people N --seed S --out DIR`, and `muster synth --applicants --people N ...`
//! for the entity-resolution benchmark's applicant set (N records).

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::SynthArgs;

/// Generates a company; returns the summary.
pub fn generate(
    out: &Path,
    people: usize,
    seed: u64,
    days: u32,
    fraud_rate: f64,
    quiet: bool,
) -> Result<muster_synth::SynthSummary> {
    let mut cfg = muster_synth::SynthConfig::new(out.to_path_buf());
    cfg.people = people;
    cfg.seed = seed;
    cfg.days = days;
    cfg.fraud_rate = fraud_rate;
    let pb = crate::progress::bar(quiet, people as u64, "people synthesised");
    let summary = muster_synth::generate(&cfg, &mut |p| pb.set_position(p.people_done as u64))
        .with_context(|| format!("synthesising into {}", out.display()))?;
    pb.finish_and_clear();
    Ok(summary)
}

/// Writes the applicant set of the entity-resolution benchmark (`--applicants`).
fn applicants(a: &SynthArgs) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let cfg = muster_synth::ApplicantConfig {
        records: a.people,
        seed: a.seed,
        ..muster_synth::ApplicantConfig::new(a.out.clone())
    };
    let pb = crate::progress::bar(a.output.quiet, a.people as u64, "records synthesised");
    let summary =
        muster_synth::generate_applicants_with(&cfg, &mut |done, _| pb.set_position(done))
            .with_context(|| format!("synthesising applicants into {}", a.out.display()))?;
    pb.finish_and_clear();
    if a.output.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else if !a.output.quiet {
        println!(
            "wrote {} records of {} people ({} ring identities in {} rings) to {} in {:.1}s",
            summary.records,
            summary.people,
            summary.ring_identities,
            summary.rings,
            a.out.display(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run(a: SynthArgs) -> Result<ExitCode> {
    if a.applicants {
        return applicants(&a);
    }
    let started = std::time::Instant::now();
    let summary = generate(
        &a.out,
        a.people,
        a.seed,
        a.days,
        a.fraud_rate,
        a.output.quiet,
    )?;
    if a.output.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else if !a.output.quiet {
        let rows: u64 = summary.rows.values().sum();
        println!(
            "wrote {} people and {} rows to {} (truth in {}-truth) in {:.1}s",
            a.people,
            rows,
            a.out.display(),
            a.out.display(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(ExitCode::SUCCESS)
}
