//! Writing a resolution: `clusters.csv` (the contract's `record_id,cluster_id`), the linked
//! pairs, the hubs and the rings.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use crate::Resolution;

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> std::io::Error + '_ {
    move |e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

fn csv_field(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\"")).into()
    } else {
        s.into()
    }
}

/// `record_id,cluster_id` for every record, in input order.
pub fn write_clusters(res: &Resolution, path: &Path) -> std::io::Result<()> {
    let e = io_err(path);
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path).map_err(&e)?);
    writeln!(w, "record_id,cluster_id").map_err(&e)?;
    for (i, id) in res.ids.iter().enumerate() {
        writeln!(w, "{},{}", csv_field(id), csv_field(res.cluster_id(i))).map_err(&e)?;
    }
    w.flush().map_err(&e)
}

/// `record_id_l,record_id_r,probability` of every pair at or above the threshold.
pub fn write_links(res: &Resolution, path: &Path) -> std::io::Result<()> {
    let e = io_err(path);
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path).map_err(&e)?);
    writeln!(w, "record_id_l,record_id_r,probability").map_err(&e)?;
    for l in &res.links {
        writeln!(
            w,
            "{},{},{:.6}",
            csv_field(&res.ids[l.a as usize]),
            csv_field(&res.ids[l.b as usize]),
            l.probability
        )
        .map_err(&e)?;
    }
    w.flush().map_err(&e)
}

/// `ring_id,record_id,cluster_id,hubs`: every record of every ring, with the hubs of the ring
/// (`kind:value` joined by `;`, national ids and bank accounts masked).
pub fn write_rings(res: &Resolution, path: &Path) -> std::io::Result<()> {
    let e = io_err(path);
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path).map_err(&e)?);
    writeln!(w, "ring_id,record_id,cluster_id,hubs").map_err(&e)?;
    for ring in &res.rings {
        let hubs: Vec<String> = ring
            .hubs
            .iter()
            .filter_map(|&h| res.hubs.get(h))
            .map(|h| format!("{}:{}", h.kind.as_str(), h.value))
            .collect();
        let hubs = hubs.join(";");
        for &r in &ring.records {
            writeln!(
                w,
                "{},{},{},{}",
                ring.id,
                csv_field(&res.ids[r as usize]),
                csv_field(res.cluster_id(r as usize)),
                csv_field(&hubs)
            )
            .map_err(&e)?;
        }
    }
    w.flush().map_err(&e)
}
