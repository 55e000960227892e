//! `muster rules list | show ID | test [DIR]`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use muster_detect::Detection;
use muster_detect::rules::{RuleSet, SqlRule, load_dir};

use crate::cli::{RulesArgs, RulesCommand};

fn user_rules(dir: Option<&Path>) -> RuleSet {
    let set = dir.map(load_dir).unwrap_or_default();
    for e in &set.errors {
        eprintln!("warning: rule not loaded: {e}");
    }
    set
}

pub fn run(a: RulesArgs) -> Result<ExitCode> {
    match a.command {
        RulesCommand::List { rules, json } => {
            let set = user_rules(rules.as_deref());
            let builtin = muster_detect::catalogue();
            let all: Vec<(&dyn Detection, &str)> = builtin
                .iter()
                .map(|d| (d.as_ref(), "built-in"))
                .chain(set.rules.iter().map(|r| (r as &dyn Detection, "rule file")))
                .collect();
            if json {
                let v: Vec<_> = all
                    .iter()
                    .map(|(d, origin)| {
                        let m = d.meta();
                        serde_json::json!({"id": m.id, "title": m.title, "family": m.family.name(), "likelihood_ratio": m.likelihood_ratio, "tables": m.tables, "origin": origin})
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                for (d, _) in all {
                    let m = d.meta();
                    println!(
                        "{:<14} {:<15} LR {:>6}  {}",
                        m.id,
                        m.family.name(),
                        m.likelihood_ratio,
                        m.title
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Show { id, rules } => {
            if let Some(d) = muster_detect::find(&id) {
                print!("{}", d.meta().markdown());
                return Ok(ExitCode::SUCCESS);
            }
            let set = user_rules(rules.as_deref());
            match set
                .rules
                .iter()
                .find(|r| r.meta().id.eq_ignore_ascii_case(&id))
            {
                Some(r) => print!("{}", r.meta().markdown()),
                None => bail!("no detection {id}; `muster rules list` shows them"),
            }
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Test { dir } => test(dir.as_deref()),
    }
}

/// Runs the examples of the rules in `dir`; without `dir`, those of the built-in rule files
/// and of `./rules` when it exists.
fn test(dir: Option<&Path>) -> Result<ExitCode> {
    let (set, builtin): (RuleSet, &[SqlRule]) = match dir {
        Some(d) if !d.is_dir() => bail!(
            "{}: not a folder of rule files (give the folder: muster rules test DIR)",
            d.display()
        ),
        Some(d) => (load_dir(d), &[]),
        None => {
            let local = PathBuf::from("rules");
            let set = if local.is_dir() {
                load_dir(&local)
            } else {
                RuleSet::default()
            };
            (set, muster_detect::rules::builtin())
        }
    };
    let mut failed = 0;
    let mut passed = 0;
    for r in builtin.iter().chain(&set.rules) {
        if r.examples.is_empty() {
            println!("NO EXAMPLES {}  ({})", r.meta().id, r.path.display());
            failed += 1;
            continue;
        }
        for ex in &r.examples {
            match run_example(r, ex) {
                Ok(problems) if problems.is_empty() => {
                    passed += 1;
                    println!("ok    {} / {}", r.meta().id, ex.name);
                }
                Ok(problems) => {
                    failed += 1;
                    println!(
                        "FAIL  {} / {}: {}",
                        r.meta().id,
                        ex.name,
                        problems.join("; ")
                    );
                }
                Err(e) => {
                    failed += 1;
                    println!("FAIL  {} / {}: {e:#}", r.meta().id, ex.name);
                }
            }
        }
    }
    for e in &set.errors {
        println!("ERROR {e}");
    }
    println!(
        "{passed} example(s) passed, {failed} failed, {} rule file(s) malformed",
        set.errors.len()
    );
    Ok(if !set.errors.is_empty() {
        ExitCode::from(2)
    } else if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Ingests one example's tables and runs the rule on them; returns what did not hold.
fn run_example(rule: &SqlRule, ex: &muster_detect::rules::Example) -> Result<Vec<String>> {
    let tmp = tempfile::tempdir().context("cannot create a temporary folder")?;
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input)?;
    for (table, csv) in &ex.tables {
        let text = csv.trim_start_matches('\n');
        std::fs::write(input.join(format!("{table}.csv")), text)
            .with_context(|| format!("cannot write example table {table}"))?;
    }
    let stage = tmp.path().join("stage");
    let rejects = muster_ingest::RejectLog::create(&tmp.path().join("rejected.ndjson"))?;
    let report = muster_ingest::ingest_dir(&input, &stage, &rejects, &|_| {})?;
    let mut problems = Vec::new();
    if report.total_rejected() > 0 {
        problems.push(format!(
            "{} example row(s) rejected by the contract: {}",
            report.total_rejected(),
            std::fs::read_to_string(tmp.path().join("rejected.ndjson")).unwrap_or_default()
        ));
    }
    let rows = report.accepted_rows();
    let cfg = muster_detect::DetectConfig::default();
    let engine = muster_detect::Engine::open(&stage, &rows, &cfg.intel)?;
    let signals = rule.run(&engine, &cfg)?;
    let fired: std::collections::BTreeSet<&str> =
        signals.iter().map(|s| s.person_id.as_str()).collect();
    for p in &ex.fires_for {
        if !fired.contains(p.as_str()) {
            problems.push(format!("did not fire for {p}"));
        }
    }
    for p in &ex.silent_for {
        if fired.contains(p.as_str()) {
            problems.push(format!("fired for {p}"));
        }
    }
    Ok(problems)
}
