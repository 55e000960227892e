//! Runs SQL against a kept stage (`muster scan ... --keep-stage`) and prints the result:
//! `cargo run --release -p muster-detect --example sql -- OUT/stage "SELECT ..."`.
//! With `MUSTER_REPEAT=N` the query runs N times and each run's seconds go to stderr
//! (`bench/duckdb.sh` compares them with DuckDB's). Statements separated by a line holding
//! only `;;` run once each, in order, before the last one, e.g. a `CREATE EXTERNAL TABLE` for
//! an intermediate table a detection staged (`OUT/stage/_tmp_NAME`).

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
    let repeat: usize = std::env::var("MUSTER_REPEAT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
        .max(1);
    let mut statements: Vec<&str> = sql.split("\n;;\n").collect();
    let last = statements.pop().unwrap_or_default();
    for s in statements {
        engine.sql(s)?;
    }
    let mut batches = Vec::new();
    for _ in 0..repeat {
        let t = std::time::Instant::now();
        batches = engine.sql(last)?;
        eprintln!("seconds {:.4}", t.elapsed().as_secs_f64());
    }
    println!(
        "{}",
        datafusion::arrow::util::pretty::pretty_format_batches(&batches)?
    );
    Ok(())
}
