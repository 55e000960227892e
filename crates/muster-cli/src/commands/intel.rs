//! `muster intel`: reference intelligence for analysts.

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{IntelArgs, IntelCommand};

pub fn run(args: IntelArgs) -> Result<ExitCode> {
    match args.command {
        IntelCommand::Lookup {
            value,
            config,
            json,
        } => {
            let intel = crate::config::load_intel(config.as_deref())?;
            let l = muster_intel::lookup::lookup(&intel, &value);
            if json {
                println!("{}", serde_json::to_string_pretty(&l)?);
            } else {
                print!("{}", render(&l));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Human-readable lookup: one line per fact, grouped by dataset.
fn render(l: &muster_intel::lookup::Lookup) -> String {
    let mut s = format!("{}  (read as: {})\n", l.value.trim(), l.kinds.join(", "));
    if l.facts.is_empty() {
        s.push_str("  nothing known\n");
        return s;
    }
    let width = l.facts.iter().map(|f| f.dataset.len()).max().unwrap_or(0);
    for f in &l.facts {
        s.push_str(&format!(
            "  {:width$}  {}: {}",
            f.dataset,
            f.key,
            f.value,
            width = width
        ));
        if let Some(d) = &f.detail {
            s.push_str(&format!("  ({d})"));
        }
        s.push('\n');
    }
    s
}
