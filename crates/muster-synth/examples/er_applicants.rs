//! Writes a synthetic applicant set for the entity-resolution benchmark and prints its summary.
//!
//! `cargo run --release -p muster-synth --example er_applicants -- RECORDS SEED DIR`
//! (defaults: 10000 records, seed 7, `target/er-applicants`).

use std::time::Instant;

use muster_synth::{ApplicantConfig, generate_applicants_with};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let records: usize = args
        .get(1)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(10_000);
    let seed: u64 = args.get(2).map(|s| s.parse()).transpose()?.unwrap_or(7);
    let out = args
        .get(3)
        .cloned()
        .unwrap_or_else(|| "target/er-applicants".into());
    let cfg = ApplicantConfig {
        records,
        seed,
        ..ApplicantConfig::new(out)
    };
    let started = Instant::now();
    let mut last = 0;
    let summary = generate_applicants_with(&cfg, &mut |done, total| {
        let pct = done * 10 / total.max(1);
        if pct != last {
            last = pct;
            eprintln!("{:>3}%  {done} records", pct * 10);
        }
    })?;
    println!("{}", serde_json::to_string_pretty(&summary)?);
    eprintln!(
        "{} records, {} people, {} rings in {:.1}s",
        summary.records,
        summary.people,
        summary.rings,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
