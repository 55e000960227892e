//! `muster rules list | show ID`.

use std::process::ExitCode;

use anyhow::{Result, bail};

use crate::cli::{RulesArgs, RulesCommand};

pub fn run(a: RulesArgs) -> Result<ExitCode> {
    match a.command {
        RulesCommand::List { json } => {
            let cat = muster_detect::catalogue();
            if json {
                let v: Vec<_> = cat
                    .iter()
                    .map(|d| {
                        let m = d.meta();
                        serde_json::json!({"id": m.id, "title": m.title, "family": m.family.name(), "likelihood_ratio": m.likelihood_ratio, "tables": m.tables})
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                for d in cat {
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
        }
        RulesCommand::Show { id } => match muster_detect::find(&id) {
            Some(d) => print!("{}", d.meta().markdown()),
            None => bail!("no detection {id}; `muster rules list` shows them"),
        },
    }
    Ok(ExitCode::SUCCESS)
}
