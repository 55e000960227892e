//! `muster intel`: reference intelligence for analysts.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use muster_intel::DataPaths;

use crate::cli::{IntelArgs, IntelCommand};
use crate::config::{INSTALLED, data_dir, installed_in, load_intel};

pub fn run(args: IntelArgs) -> Result<ExitCode> {
    match args.command {
        IntelCommand::Lookup {
            value,
            config,
            json,
        } => {
            let intel = load_intel(config.as_deref())?;
            let l = muster_intel::lookup::lookup(&intel, &value);
            if json {
                println!("{}", serde_json::to_string_pretty(&l)?);
            } else {
                print!("{}", render(&l));
            }
            Ok(ExitCode::SUCCESS)
        }
        IntelCommand::Status { config, json } => {
            let intel = load_intel(config.as_deref())?;
            if json {
                println!("{}", serde_json::to_string_pretty(intel.datasets())?);
            } else {
                for d in intel.datasets() {
                    println!("{:16} {}", d.name, d.origin);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        IntelCommand::Update { dir, files } => {
            let dir = match dir.or_else(data_dir) {
                Some(d) => d,
                None => bail!("no data folder: set MUSTER_DATA_DIR or pass --dir"),
            };
            update(&dir, &parse_pairs(&files)?)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `--sdn a.csv --crypto-dir d` -> DataPaths.
fn parse_pairs(args: &[String]) -> Result<DataPaths> {
    let mut paths = DataPaths::default();
    let mut it = args.iter();
    if args.is_empty() {
        bail!(
            "nothing to update: give --NAME PATH pairs, NAME one of {}",
            DataPaths::NAMES.join(", ")
        );
    }
    while let Some(flag) = it.next() {
        let Some(name) = flag.strip_prefix("--") else {
            bail!("expected --NAME before {flag:?}");
        };
        let (name, value) = match name.split_once('=') {
            Some((n, v)) => (n.replace('-', "_"), v.to_string()),
            None => {
                let Some(v) = it.next() else {
                    bail!("--{name} needs a path");
                };
                (name.replace('-', "_"), v.clone())
            }
        };
        if !paths.set(&name, PathBuf::from(&value)) {
            bail!(
                "unknown data setting --{}: one of {}",
                name.replace('_', "-"),
                DataPaths::NAMES
                    .iter()
                    .map(|n| format!("--{}", n.replace('_', "-")))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    Ok(paths)
}

/// Validates `new` (a strict load of every file), copies the files into `dir/files/` and
/// records them in `dir/installed.toml`.
fn update(dir: &Path, new: &DataPaths) -> Result<()> {
    muster_intel::Intel::load(new, &[]).context("the new data did not load; nothing installed")?;
    let files = dir.join("files");
    std::fs::create_dir_all(&files)
        .with_context(|| format!("cannot create {}", files.display()))?;
    let mut installed = DataPaths::default();
    for (name, src) in new.entries() {
        let file_name = src
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_else(|| name.to_string());
        let rel = PathBuf::from("files").join(format!("{name}-{file_name}"));
        let dst = dir.join(&rel);
        copy_any(src, &dst)?;
        installed.set(name, rel);
        println!("installed {name}: {} -> {}", src.display(), dst.display());
    }
    // Keep what was installed before, relative to the folder.
    let before = read_installed_relative(dir)?;
    let merged = before.overlay(&installed);
    #[derive(serde::Serialize)]
    struct Installed<'a> {
        data: &'a DataPaths,
    }
    let text = format!(
        "# Written by `muster intel update` on {}. Paths are relative to this folder.\n{}",
        chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        toml::to_string(&Installed { data: &merged })?
    );
    let out = dir.join(INSTALLED);
    std::fs::write(&out, text).with_context(|| format!("cannot write {}", out.display()))?;
    // The installed set as a whole must load too.
    muster_intel::Intel::load(&installed_in(dir)?, &[])
        .context("installed data does not load together")?;
    Ok(())
}

fn read_installed_relative(dir: &Path) -> Result<DataPaths> {
    let abs = installed_in(dir)?;
    let mut rel = DataPaths::default();
    for (name, p) in abs.entries() {
        rel.set(name, p.strip_prefix(dir).unwrap_or(p).to_path_buf());
    }
    Ok(rel)
}

/// Copies a file, or a folder's files (one level), to `dst`.
fn copy_any(src: &Path, dst: &Path) -> Result<()> {
    if src.is_dir() {
        std::fs::create_dir_all(dst).with_context(|| format!("cannot create {}", dst.display()))?;
        for e in std::fs::read_dir(src).with_context(|| format!("cannot read {}", src.display()))? {
            let e = e?;
            if e.path().is_file() {
                std::fs::copy(e.path(), dst.join(e.file_name()))
                    .with_context(|| format!("cannot copy {}", e.path().display()))?;
            }
        }
    } else {
        std::fs::copy(src, dst)
            .with_context(|| format!("cannot copy {} to {}", src.display(), dst.display()))?;
    }
    Ok(())
}

/// Human-readable lookup: one line per fact.
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
