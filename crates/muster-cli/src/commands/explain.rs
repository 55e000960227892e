//! `muster explain PERSON OUT`.

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::ExplainArgs;

pub fn run(a: ExplainArgs) -> Result<ExitCode> {
    let story = match muster_output::explain::load(&a.out, &a.person) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    if a.json {
        println!("{}", serde_json::to_string_pretty(&story)?);
    } else {
        print!("{}", story.render());
    }
    Ok(ExitCode::SUCCESS)
}
