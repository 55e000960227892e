//! `muster resolve PEOPLE --out clusters.csv [--columns src=dst,...]`: entity resolution alone.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use muster_resolve::input::{self, Rejected};
use muster_resolve::{Builder, ResolveError, Settings};

use crate::cli::ResolveArgs;

/// The people file of a contract input folder, or the path itself.
fn people_file(p: &Path) -> Result<PathBuf> {
    if !p.is_dir() {
        return Ok(p.to_path_buf());
    }
    for name in [
        "people.parquet",
        "people.csv",
        "people.csv.gz",
        "people.csv.zst",
        "people.ndjson",
        "people.ndjson.gz",
        "people.ndjson.zst",
        "people.jsonl",
    ] {
        let f = p.join(name);
        if f.is_file() {
            return Ok(f);
        }
    }
    bail!(
        "{}: no people.parquet, people.csv or people.ndjson (plain, .gz or .zst) in this folder; name the file instead",
        p.display()
    )
}

fn default_rejected(out: &Path) -> PathBuf {
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "clusters".into());
    out.with_file_name(format!("{stem}.rejected.ndjson"))
}

fn write_rejected(path: &Path, rejected: &[Rejected]) -> Result<()> {
    let mut w = std::io::BufWriter::new(
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
    );
    for r in rejected {
        serde_json::to_writer(&mut w, r)?;
        w.write_all(b"\n")?;
    }
    w.flush()
        .with_context(|| format!("cannot write {}", path.display()))
}

pub fn run(a: ResolveArgs) -> Result<ExitCode> {
    crate::allocator::keep_freed_memory();
    let started = Instant::now();
    let given = people_file(&a.people)?;
    // Parquet: exported to a temporary CSV first (types become text, as resolution reads them)
    let is_parquet = given
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"));
    let tmp = if is_parquet {
        Some(tempfile::tempdir().context("cannot create a temporary folder")?)
    } else {
        None
    };
    let file = if let Some(tmp) = &tmp {
        let csv = tmp.path().join("people.csv");
        muster_ingest::export::parquet_to_csv(&given, &csv)
            .with_context(|| format!("muster resolve {}", given.display()))?;
        csv
    } else {
        given.clone()
    };
    let map = input::parse_columns(a.columns.as_deref().unwrap_or(""))?;
    let quiet = a.output.quiet || a.output.json;
    let pb = crate::progress::spinner(quiet, &format!("reading {}", given.display()));
    let mut builder: Option<Builder> = None;
    let threshold = a.threshold;
    let summary = input::for_each_record::<ResolveError>(&file, &map, |attrs, r, _| {
        if builder.is_none() {
            builder = Some(Builder::with_capacity(
                Settings {
                    threshold,
                    attr_names: attrs.to_vec(),
                    ..Settings::default()
                },
                input::records_guess(&file),
            )?);
        }
        match builder.as_mut() {
            Some(b) => {
                if b.len() % 100_000 == 0 {
                    pb.set_message(format!("reading {}: {} records", given.display(), b.len()));
                }
                // for_each_record has already rejected empty and repeated ids
                b.push_unique(r)
            }
            None => Ok(()),
        }
    })
    .with_context(|| format!("muster resolve {}", given.display()))?;
    for dir in [
        Some(&a.out),
        a.rejected.as_ref(),
        a.links.as_ref(),
        a.rings.as_ref(),
        a.model.as_ref(),
    ]
    .into_iter()
    .flatten()
    .filter_map(|p| p.parent())
    .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let rejected_path = a
        .rejected
        .clone()
        .unwrap_or_else(|| default_rejected(&a.out));
    let mut summary = summary;
    if is_parquet {
        // report rows of the Parquet file, not lines of the temporary export
        for r in &mut summary.rejected {
            r.file = given.display().to_string();
            r.reason = format!("Parquet row {}: {}", r.line.saturating_sub(1), r.reason);
        }
    }
    if !summary.rejected.is_empty() || a.rejected.is_some() {
        write_rejected(&rejected_path, &summary.rejected)?;
    }
    let builder = match builder {
        Some(b) => b,
        None => Builder::new(Settings {
            threshold,
            ..Settings::default()
        })?,
    };
    pb.set_message(format!("resolving {} records", builder.len()));
    let res = builder.finish()?;
    pb.finish_and_clear();

    muster_resolve::output::write_clusters(&res, &a.out)?;
    if let Some(p) = &a.links {
        muster_resolve::output::write_links(&res, p)?;
    }
    if let Some(p) = &a.rings {
        muster_resolve::output::write_rings(&res, p)?;
    }
    let report = serde_json::json!({
        "input": given,
        "read": summary.read,
        "accepted": summary.accepted,
        "rejected": summary.rejected.len(),
        "rejected_file": (!summary.rejected.is_empty()).then_some(&rejected_path),
        "clusters_file": a.out,
        "stats": res.stats,
        "seconds": started.elapsed().as_secs_f64(),
    });
    if let Some(p) = &a.model {
        let full = serde_json::json!({ "model": res.model, "run": report });
        muster_output::write_json(p, &full)?;
    }
    if a.output.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else if !a.output.quiet {
        let s = &res.stats;
        println!(
            "{} records read, {} rejected; {} people ({} with two or more records, largest {}), {} shared identifiers in {} rings; {:.1}s",
            summary.read,
            summary.rejected.len(),
            s.clusters,
            s.multi_record_clusters,
            s.largest_cluster,
            s.hubs,
            s.rings,
            started.elapsed().as_secs_f64()
        );
        println!("Clusters: {}", a.out.display());
        if !summary.rejected.is_empty() {
            println!("Rejected rows: {}", rejected_path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
