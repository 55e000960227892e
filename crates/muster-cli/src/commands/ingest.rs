//! `muster ingest PATH... --out DIR`: native sources to contract tables.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use muster_native::convert::{Converter, NativeFile, sniff};

use crate::cli::{IngestArgs, TableFormat};

pub fn run(a: IngestArgs) -> Result<ExitCode> {
    let mut files: Vec<NativeFile> = muster_native::plan::named_files(&a.source)?;
    let mut unrecognised = Vec::new();
    for p in &a.paths {
        if p.is_dir() {
            let pl = muster_native::plan::plan(p, &[])?;
            files.extend(pl.files);
            unrecognised.extend(pl.unrecognised);
        } else {
            files.push(sniff(p).with_context(|| format!("muster ingest {}", p.display()))?);
        }
    }
    if files.is_empty() {
        bail!("no native files found in the paths given");
    }
    std::fs::create_dir_all(&a.out)
        .with_context(|| format!("cannot create {}", a.out.display()))?;
    let stage = a.out.join(".stage");
    if stage.exists() {
        std::fs::remove_dir_all(&stage)
            .with_context(|| format!("cannot clear {}", stage.display()))?;
    }
    let rejects = muster_ingest::RejectLog::create(&a.out.join("rejected.ndjson"))?;
    let pb = crate::progress::spinner(a.output.quiet || a.output.json, "reading native files");
    let mut conv = Converter::new(&stage, &rejects);
    for f in &files {
        pb.set_message(format!("reading {}", f.input.display()));
        conv.add(f)?;
    }
    let report = conv.finish()?;
    pb.finish_and_clear();
    let mut written = Vec::new();
    for t in &report.tables {
        let staged = stage.join(&t.table).join("part-0.parquet");
        let dst = match a.format {
            TableFormat::Parquet => {
                let dst = a.out.join(format!("{}.parquet", t.table));
                std::fs::rename(&staged, &dst).with_context(|| {
                    format!("cannot move {} to {}", staged.display(), dst.display())
                })?;
                dst
            }
            TableFormat::Csv => {
                let dst = a.out.join(format!("{}.csv", t.table));
                muster_ingest::export::parquet_to_csv(&staged, &dst)?;
                dst
            }
        };
        written.push(dst);
    }
    std::fs::remove_dir_all(&stage).ok();
    let summary = serde_json::json!({
        "files": report.files,
        "tables": report.tables,
        "unrecognised": unrecognised,
        "written": written,
    });
    muster_output::write_json(&a.out.join("ingest.json"), &summary)?;
    if a.output.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else if !a.output.quiet {
        for f in &report.files {
            println!(
                "{:<18} {}: {} records, {} mapped, {} skipped, {} rejected",
                f.source, f.file, f.records, f.mapped, f.skipped, f.rejected
            );
        }
        for u in &unrecognised {
            println!("{:<18} {}: {}", "(not read)", u.file, u.reason);
        }
        for t in &report.tables {
            println!(
                "table {:<16} {} rows ({} accepted, {} rejected)",
                t.table, t.read, t.accepted, t.rejected
            );
        }
        println!(
            "wrote {} table(s) to {}; rejections in {}",
            written.len(),
            a.out.display(),
            a.out.join("rejected.ndjson").display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
