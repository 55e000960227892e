//! `muster demo`: synthesise a company, scan it, summarise.

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::DemoArgs;

pub fn run(a: DemoArgs) -> Result<ExitCode> {
    let input = a.dir.join("input");
    let truth = a.dir.join("input-truth");
    let out = a.dir.join("out");
    let quiet = a.output.quiet;
    if !quiet {
        eprintln!(
            "muster demo: synthesising {} people (seed {}) into {}",
            a.people,
            a.seed,
            input.display()
        );
    }
    if input.exists() {
        std::fs::remove_dir_all(&input)?;
    }
    if truth.exists() {
        std::fs::remove_dir_all(&truth)?;
    }
    super::synth::generate(&input, a.people, a.seed, 60, 0.03, quiet)?;
    if !quiet {
        eprintln!("scanning {}", input.display());
    }
    let outcome = crate::pipeline::scan(&crate::pipeline::ScanRequest {
        input: &input,
        out: &out,
        config: None,
        rules: None,
        sources: &[],
        keep_stage: false,
        stix_personal: false,
        selection: Default::default(),
        quiet,
        memory_limit: None,
        cluster: None,
        range: Default::default(),
        profile_dir: None,
    })?;
    let eval = muster_eval::evaluate(&truth, &out, &muster_eval::EvalOptions::default())?;
    let r = &outcome.run;
    if a.output.json {
        println!(
            "{}",
            serde_json::json!({"people": r.people, "flagged": r.flagged, "rings": r.rings, "seconds": r.seconds,
                               "report": out.join("report.html"), "eval": eval})
        );
    } else if !quiet {
        println!("\nTop findings");
        print!("{}", crate::pipeline::top_table(&outcome.scores, 10));
        println!(
            "\n{} people scanned in {:.1}s: {} flagged, {} rings, {} signals.",
            r.people, r.seconds, r.flagged, r.rings, r.signals
        );
        let f = |x: Option<f64>| x.map(|v| format!("{v:.3}")).unwrap_or_else(|| "n/a".into());
        println!(
            "Against the synthetic truth: precision {}, recall {} (on schemes the detections cover: {}), ROC AUC {}, legitimate people flagged {}/{}.",
            f(eval.overall.precision),
            f(eval.overall.recall),
            f(eval.covered.recall),
            f(eval.ranking.roc_auc),
            eval.overall.false_positives,
            eval.overall.false_positives + eval.overall.true_negatives,
        );
        println!("Report: {}", out.join("report.html").display());
        println!(
            "Full evaluation (per scheme and per trap): muster eval --truth {} {}",
            truth.display(),
            out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
