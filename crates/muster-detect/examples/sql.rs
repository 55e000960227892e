//! Runs SQL against a kept stage (`muster scan ... --keep-stage`) and prints the result:
//! `cargo run --release -p muster-detect --example sql -- OUT/stage "SELECT ..."`.

use std::collections::BTreeMap;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(stage), Some(sql)) = (args.next(), args.next()) else {
        eprintln!("usage: sql STAGE_DIR SQL");
        std::process::exit(2);
    };
    let rows: BTreeMap<&'static str, u64> = muster_contract::TABLES
        .iter()
        .map(|t| (t.name, 1))
        .collect();
    let engine = muster_detect::Engine::open(
        std::path::Path::new(&stage),
        &rows,
        muster_intel::Intel::embedded(),
    )?;
    let batches = engine.sql(&sql)?;
    println!(
        "{}",
        datafusion::arrow::util::pretty::pretty_format_batches(&batches)?
    );
    Ok(())
}
