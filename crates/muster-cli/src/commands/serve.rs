//! `muster serve` and `muster token create`.

use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::cli::{ServeArgs, TokenArgs, TokenCommand};

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

pub fn run(a: ServeArgs) -> Result<ExitCode> {
    let index = match &a.people {
        Some(path) => {
            let loaded = muster_resolve::input::read_people(path, &[])
                .with_context(|| format!("cannot read people from {}", path.display()))?;
            if !loaded.rejected.is_empty() {
                eprintln!(
                    "{} of {} people records rejected (first: {} line {}: {})",
                    loaded.rejected.len(),
                    loaded.read,
                    loaded.rejected[0].file,
                    loaded.rejected[0].line,
                    loaded.rejected[0].reason
                );
            }
            let (index, res) =
                muster_resolve::Index::build(&loaded.records, muster_resolve::Settings::default())
                    .context("cannot resolve the known people")?;
            eprintln!(
                "{} people records known ({} people)",
                index.len(),
                res.stats.clusters
            );
            Some(index)
        }
        None => None,
    };
    let rt = runtime()?;
    rt.block_on(async {
        let store = muster_serve::Store::open(&a.db).await?;
        if let Some(scan) = &a.scan {
            let added = store.import_scores(&scan.join("scores.csv")).await?;
            eprintln!("{added} new findings from {}", scan.display());
        }
        eprintln!("muster serve on http://{}", a.bind);
        muster_serve::serve(a.bind, muster_serve::AppState::new(store, index)).await
    })?;
    Ok(ExitCode::SUCCESS)
}

pub fn token(a: TokenArgs) -> Result<ExitCode> {
    match a.command {
        TokenCommand::Create { role, db, label } => {
            let role = muster_serve::Role::parse(&role)
                .with_context(|| format!("--role {role:?} is not viewer, analyst or admin"))?;
            let token = runtime()?.block_on(async {
                let store = muster_serve::Store::open(&db).await?;
                store.create_token(role, label.as_deref()).await
            })?;
            println!("{token}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
