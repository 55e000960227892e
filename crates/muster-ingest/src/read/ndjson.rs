//! NDJSON reader: one JSON object per line; keys matched to columns case-insensitively.

use std::collections::HashMap;
use std::io::BufRead;

use serde_json::Value as Json;

use crate::IngestError;
use crate::cell::Cell;
use crate::discover::InputFile;
use crate::reject::Location;
use crate::writer::TableWriter;

/// Reads an NDJSON file. A JSON array file (`[{...}, ...]`) is accepted too, with element
/// numbers in place of lines.
pub fn read(w: &mut TableWriter<'_>, file_idx: usize, file: &InputFile) -> Result<(), IngestError> {
    let table = w.table();
    let input = super::open(&file.path, file.compression)?;
    let mut rdr = std::io::BufReader::with_capacity(256 * 1024, input);
    let io = |e: std::io::Error| IngestError::Read {
        path: file.path.clone(),
        source: e,
    };
    let mut key_cache: HashMap<String, Option<usize>> = HashMap::new();
    let mut buf = Vec::with_capacity(4096);
    let mut line_no: u64 = 0;
    let mut first = true;
    loop {
        buf.clear();
        let n = rdr.read_until(b'\n', &mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let text = trim_ascii(&buf);
        if text.is_empty() {
            continue;
        }
        if first && text.first() == Some(&b'[') {
            // A JSON array: read the rest and treat elements as records.
            let mut all = buf.clone();
            std::io::Read::read_to_end(&mut rdr, &mut all).map_err(io)?;
            return read_array(w, file_idx, &all, &mut key_cache);
        }
        first = false;
        let loc = Location::Line(line_no);
        match serde_json::from_slice::<Json>(text) {
            Ok(Json::Object(obj)) => push_object(w, file_idx, loc, &obj, &mut key_cache)?,
            Ok(_) => {
                w.reject_record(file_idx, loc, None, None, "line is JSON but not an object")?
            }
            Err(e) => {
                let reason = if std::str::from_utf8(text).is_err() {
                    "not valid UTF-8 text".to_string()
                } else {
                    format!("invalid JSON: {e}")
                };
                w.reject_record(file_idx, loc, None, None, &reason)?;
            }
        }
    }
    let _ = table;
    Ok(())
}

fn read_array(
    w: &mut TableWriter<'_>,
    file_idx: usize,
    all: &[u8],
    cache: &mut HashMap<String, Option<usize>>,
) -> Result<(), IngestError> {
    match serde_json::from_slice::<Json>(all) {
        Ok(Json::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let loc = Location::Row(i as u64 + 1);
                match item {
                    Json::Object(obj) => push_object(w, file_idx, loc, obj, cache)?,
                    _ => w.reject_record(
                        file_idx,
                        loc,
                        None,
                        None,
                        "array element is not an object",
                    )?,
                }
            }
            Ok(())
        }
        Ok(_) => w.reject_record(
            file_idx,
            Location::Line(1),
            None,
            None,
            "not an array of objects",
        ),
        Err(e) => w.reject_record(
            file_idx,
            Location::Line(1),
            None,
            None,
            &format!("invalid JSON array: {e}"),
        ),
    }
}

fn push_object(
    w: &mut TableWriter<'_>,
    file_idx: usize,
    loc: Location,
    obj: &serde_json::Map<String, Json>,
    cache: &mut HashMap<String, Option<usize>>,
) -> Result<(), IngestError> {
    let table = w.table();
    let mut nested: Vec<(usize, String)> = Vec::new();
    let mut slots: Vec<Option<&Json>> = vec![None; table.columns.len()];
    for (k, v) in obj {
        let idx = match cache.get(k) {
            Some(i) => *i,
            None => {
                let lk = k.trim().to_ascii_lowercase();
                let i = table.columns.iter().position(|c| c.name == lk);
                cache.insert(k.clone(), i);
                i
            }
        };
        if let Some(i) = idx
            && slots[i].is_none()
        {
            slots[i] = Some(v);
            if matches!(v, Json::Array(_) | Json::Object(_)) {
                nested.push((i, v.to_string()));
            }
        }
    }
    let cells: Vec<Cell<'_>> = slots
        .iter()
        .enumerate()
        .map(|(i, v)| match v {
            None | Some(Json::Null) => Cell::Null,
            Some(Json::Bool(b)) => Cell::Bool(*b),
            Some(Json::Number(n)) => match n.as_i64() {
                Some(i) => Cell::Int(i),
                None => n.as_f64().map(Cell::Float).unwrap_or(Cell::Null),
            },
            Some(Json::String(s)) => Cell::Str(s),
            Some(_) => nested
                .iter()
                .find(|(j, _)| *j == i)
                .map(|(_, s)| Cell::Str(s.as_str()))
                .unwrap_or(Cell::Null),
        })
        .collect();
    w.push(file_idx, loc, &cells)
}

fn trim_ascii(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    let s = &b[start..end.max(start)];
    s.strip_prefix(b"\xef\xbb\xbf".as_slice()).unwrap_or(s)
}
