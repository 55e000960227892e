//! Writes a synthetic company and prints rows per table and the wall time.
//!
//! `cargo run --release -p muster-synth --example synth -- [OUT] [PEOPLE] [SEED]`
//! (defaults: `target/synth-demo`, 10000 people, seed 1).

use std::time::Instant;

use muster_synth::{SynthConfig, generate};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let out = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "target/synth-demo".into());
    let people: usize = args
        .get(2)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(10_000);
    let seed: u64 = args.get(3).map(|s| s.parse()).transpose()?.unwrap_or(1);
    let cfg = SynthConfig {
        people,
        seed,
        ..SynthConfig::new(out)
    };
    let started = Instant::now();
    let mut last = 0;
    let summary = generate(&cfg, &mut |p| {
        if p.people_done * 10 / p.people_total.max(1) != last {
            last = p.people_done * 10 / p.people_total.max(1);
            eprintln!(
                "{:>3}%  {} people  {} rows",
                last * 10,
                p.people_done,
                p.rows_written
            );
        }
    })?;
    let secs = started.elapsed().as_secs_f64();
    for (table, rows) in &summary.rows {
        println!("{table:<16} {rows:>10}");
    }
    let total = summary.total_rows();
    println!("{:<16} {total:>10}", "total");
    println!("labels  {:?}", summary.labels);
    println!("schemes {:?}", summary.schemes);
    println!("groups  {:?}", summary.groups);
    println!("roles   {:?}", summary.roles);
    println!("rings   {}", summary.rings);
    println!(
        "{people} people in {secs:.2}s: {:.0} rows/s, {:.0} rows/person",
        total as f64 / secs,
        total as f64 / people.max(1) as f64
    );
    Ok(())
}
