//! CSV reader: header row required, columns matched by name, rows of the wrong width rejected.

use csv::{ByteRecord, ReaderBuilder};

use crate::IngestError;
use crate::cell::Cell;
use crate::discover::InputFile;
use crate::reject::Location;
use crate::writer::TableWriter;

/// Reads a CSV file (already known to belong to the writer's table).
pub fn read(w: &mut TableWriter<'_>, file_idx: usize, file: &InputFile) -> Result<(), IngestError> {
    let table = w.table();
    let input = super::open(&file.path, file.compression)?;
    let mut rdr = ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(input);
    let mut header = ByteRecord::new();
    let io = |e: csv::Error| IngestError::Read {
        path: file.path.clone(),
        source: std::io::Error::other(e.to_string()),
    };
    if !rdr.read_byte_record(&mut header).map_err(io)? {
        // Empty file: no header, no rows.
        tracing::warn!(file = %file.path.display(), "empty file: no header and no rows");
        return Ok(());
    }
    let names: Vec<String> = header
        .iter()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    let map = super::map_header(table, names.iter().map(String::as_str));
    super::check_required(&file.partitions, table, &map, &file.path, &names)?;
    let width = header.len();
    let mut rec = ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                // Parse errors carry a position; I/O errors (truncated compressed stream) are fatal.
                if let Some(pos) = e.position() {
                    let loc = Location::Line(pos.line());
                    w.reject_record(file_idx, loc, None, None, &format!("malformed CSV: {e}"))?;
                    continue;
                }
                return Err(io(e));
            }
        }
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let loc = Location::Line(line);
        if rec.len() != width {
            if rec.len() == 1 && rec.get(0).is_some_and(|f| f.is_empty()) {
                continue; // blank line
            }
            let reason = format!("row has {} fields, header has {width}", rec.len());
            w.reject_record(file_idx, loc, None, None, &reason)?;
            continue;
        }
        let mut cells: Vec<Cell<'_>> = Vec::with_capacity(map.len());
        let mut bad_utf8 = None;
        for (ci, src) in map.iter().enumerate() {
            let cell = match src.and_then(|s| rec.get(s)) {
                None => Cell::Null,
                Some([]) => Cell::Null,
                Some(b) => match std::str::from_utf8(b) {
                    Ok(s) => Cell::Str(s),
                    Err(_) => {
                        bad_utf8 = Some((ci, String::from_utf8_lossy(b).into_owned()));
                        Cell::Bytes(b)
                    }
                },
            };
            cells.push(cell);
        }
        if let Some((ci, lossy)) = bad_utf8 {
            let col = &table.columns[ci];
            let shown = crate::reject::display_value(&lossy, col.sensitive);
            w.reject_record(
                file_idx,
                loc,
                Some(col.name),
                Some(shown),
                "not valid UTF-8 text",
            )?;
            continue;
        }
        w.push(file_idx, loc, &cells)?;
    }
    Ok(())
}
