//! Resolves a CSV/NDJSON file without the rest of muster (handy for quick release builds):
//!
//! ```text
//! cargo run --release -p muster-resolve --example resolve -- PEOPLE OUT_DIR [COLUMNS]
//! ```
//! Writes `OUT_DIR/clusters.csv`, `links.csv`, `rings.csv` and prints the statistics as JSON.

use std::path::PathBuf;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(input), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: resolve PEOPLE OUT_DIR [src=dst,...]");
        std::process::exit(2);
    };
    let map = muster_resolve::input::parse_columns(&args.next().unwrap_or_default())?;
    let mut builder: Option<muster_resolve::Builder> = None;
    let keep_scored = std::env::var_os("RESOLVE_SCORED").is_some();
    let summary = muster_resolve::input::for_each_record::<muster_resolve::ResolveError>(
        &PathBuf::from(&input),
        &map,
        |attrs, r, _| {
            if builder.is_none() {
                builder = Some(muster_resolve::Builder::new(muster_resolve::Settings {
                    attr_names: attrs.to_vec(),
                    keep_scored,
                    ..muster_resolve::Settings::default()
                })?);
            }
            match builder.as_mut() {
                Some(b) => b.push(r),
                None => Ok(()),
            }
        },
    )?;
    eprintln!("read {} rejected {}", summary.read, summary.rejected.len());
    let Some(builder) = builder else {
        return Err("no records".into());
    };
    let res = builder.finish()?;
    let out = PathBuf::from(out);
    std::fs::create_dir_all(&out)?;
    muster_resolve::output::write_clusters(&res, &out.join("clusters.csv"))?;
    muster_resolve::output::write_links(&res, &out.join("links.csv"))?;
    muster_resolve::output::write_rings(&res, &out.join("rings.csv"))?;
    if !res.scored.is_empty() {
        use std::io::Write;
        let mut w = std::io::BufWriter::new(std::fs::File::create(out.join("scored.csv"))?);
        writeln!(w, "l,r,weight,veto")?;
        for (a, b, wt, v) in &res.scored {
            writeln!(
                w,
                "{},{},{wt:.3},{v}",
                res.ids[*a as usize], res.ids[*b as usize]
            )?;
        }
    }
    println!("{}", serde_json::to_string_pretty(&res.stats)?);
    eprintln!("{}", serde_json::to_string(&res.model)?);
    Ok(())
}
