//! Rendering a reader's output as text, for golden tests and for `muster ingest --explain`-style
//! debugging: one line per record, cells in contract column order.

use std::fmt::Write;
use std::path::Path;

use crate::NativeError;
use crate::record::{Loc, Outcome, V};
use crate::source::{Input, Source};

/// Reads `path` with `source` and renders every record: `L3 signins time=... account=...`,
/// `R2 skip: reason`, `L9 reject: reason`, then a count line. Rows of several tables from one
/// record are joined by ` + `.
pub fn render(source: &dyn Source, path: &Path) -> Result<String, NativeError> {
    let input = Input::new(path)?;
    let mut out = String::new();
    let (mut mapped, mut skipped, mut rejected) = (0u64, 0u64, 0u64);
    let mut sink = |loc: Loc, o: Outcome| -> Result<(), NativeError> {
        let at = match loc {
            Loc::Line(l) => format!("L{l}"),
            Loc::Record(r) => format!("R{r}"),
        };
        let text = match o {
            Outcome::Rows(rows) => {
                mapped += 1;
                rows.iter()
                    .map(|r| {
                        let mut cells = r.cells.clone();
                        cells.sort_by_key(|(i, _)| *i);
                        let mut s = r.table.name.to_string();
                        for (i, v) in cells {
                            let name = r.table.columns.get(i).map_or("?", |c| c.name);
                            let _ = write!(s, " {name}={}", show(&v));
                        }
                        for u in &r.unknown {
                            let _ = write!(s, " UNKNOWN-COLUMN:{u}");
                        }
                        s
                    })
                    .collect::<Vec<_>>()
                    .join(" + ")
            }
            Outcome::Skip(reason) => {
                skipped += 1;
                format!("skip: {reason}")
            }
            Outcome::Reject { reason, .. } => {
                rejected += 1;
                format!("reject: {reason}")
            }
        };
        let _ = writeln!(out, "{at} {text}");
        Ok(())
    };
    source.read(&input, &mut sink)?;
    let _ = writeln!(
        out,
        "records={} mapped={mapped} skipped={skipped} rejected={rejected}",
        mapped + skipped + rejected
    );
    Ok(out)
}

fn show(v: &V) -> String {
    match v {
        V::Null => "null".into(),
        V::Str(s) => {
            if s.contains(' ') || s.is_empty() {
                format!("{s:?}")
            } else {
                s.clone()
            }
        }
        V::Int(i) => i.to_string(),
        V::Float(f) => f.to_string(),
        V::Bool(b) => b.to_string(),
        V::TsMicros(t) => muster_ingest::time::format_micros(*t),
    }
}
