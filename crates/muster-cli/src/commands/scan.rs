//! `muster scan INPUT --out OUT`.

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::ScanArgs;

pub fn run(a: ScanArgs) -> Result<ExitCode> {
    if let Some(c) = a.cluster.as_deref().filter(|c| *c != "standalone") {
        muster_cluster::check_url(c)?;
    }
    if a.memory_limit.is_some() {
        crate::allocator::return_freed_memory_soon();
    }
    let outcome = crate::pipeline::scan(&crate::pipeline::ScanRequest {
        input: &a.input,
        out: &a.out,
        config: a.config.as_deref(),
        rules: a.rules.as_deref(),
        sources: &a.source,
        keep_stage: a.keep_stage,
        stix_personal: a.stix_personal,
        selection: muster_detect::Selection {
            only: a.only.clone(),
            skip: a.skip.clone(),
        },
        quiet: a.output.quiet,
        memory_limit: a.memory_limit,
        cluster: a.cluster.clone(),
        range: muster_lake::DateRange::parse(a.since.as_deref(), a.until.as_deref())?,
        profile_dir: a.profile_queries.as_deref(),
    })?;
    let r = &outcome.run;
    if a.output.json {
        println!(
            "{}",
            serde_json::json!({
                "people": r.people, "flagged": r.flagged, "rings": r.rings, "signals": r.signals,
                "rows_read": r.rows_read, "rows_rejected": r.rows_rejected, "seconds": r.seconds,
                "out": r.out,
            })
        );
    } else if !a.output.quiet {
        print!("{}", crate::pipeline::top_table(&outcome.scores, 10));
        println!(
            "{} people, {} flagged, {} rings; {} records read, {} rejected; {:.1}s. Report: {}",
            r.people,
            r.flagged,
            r.rings,
            r.rows_read,
            r.rows_rejected,
            r.seconds,
            a.out.join("report.html").display()
        );
    }
    Ok(if r.flagged > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
