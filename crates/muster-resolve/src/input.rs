//! Reading people records from CSV or NDJSON files (plain, `.gz` or `.zst`, detected from the
//! bytes), with foreign headers mapped onto the contract's `people` columns.
//!
//! A column mapping is `src=dst,...`: `dst` is a `people` column (`person_id`, `full_name`,
//! `given_name`, `family_name`, `date_of_birth`, `national_id`, `email`, `phone`,
//! `address_line1`, `address_line2`, `city`, `region`, `postal_code`, `country`),
//! `bank_account`, or `attr` (an extra exact-match attribute named after its source column).
//! Several sources mapped to one destination are joined with a space, in the order given
//! (`street_number=address_line1,address_1=address_line1`). Headers that already carry a
//! destination's name (any case) need no mapping; `record_id` is read as `person_id`.
//!
//! Bad rows never vanish: a row without an id, a repeated id, a row that is not valid UTF-8 or
//! not a JSON object is returned in [`Loaded::rejected`] with its line and reason, and
//! `read = accepted + rejected`.

use crate::arena::StrMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use crate::record::Record;

/// Errors that stop reading (exit code 2 at the command line).
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("cannot read {path}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path}: no column maps to person_id (headers: {headers}); add one or map it with --columns SRC=person_id"
    )]
    NoId { path: PathBuf, headers: String },
    #[error(
        "{path}: no column to compare (headers: {headers}); map names, dates of birth or contacts with --columns"
    )]
    NothingToCompare { path: PathBuf, headers: String },
    #[error("--columns {spec:?}: {reason}")]
    Mapping { spec: String, reason: String },
    #[error("{path}: {reason}")]
    Format { path: PathBuf, reason: String },
}

/// Where a source column goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dest {
    PersonId,
    FullName,
    GivenName,
    FamilyName,
    DateOfBirth,
    NationalId,
    Email,
    Phone,
    AddressLine1,
    AddressLine2,
    City,
    Region,
    PostalCode,
    Country,
    BankAccount,
    Attr,
}

impl Dest {
    const NAMED: [(&'static str, Dest); 16] = [
        ("person_id", Dest::PersonId),
        ("full_name", Dest::FullName),
        ("given_name", Dest::GivenName),
        ("family_name", Dest::FamilyName),
        ("date_of_birth", Dest::DateOfBirth),
        ("national_id", Dest::NationalId),
        ("email", Dest::Email),
        ("phone", Dest::Phone),
        ("address_line1", Dest::AddressLine1),
        ("address_line2", Dest::AddressLine2),
        ("city", Dest::City),
        ("region", Dest::Region),
        ("postal_code", Dest::PostalCode),
        ("country", Dest::Country),
        ("bank_account", Dest::BankAccount),
        ("attr", Dest::Attr),
    ];

    /// The destination named `s` (case-insensitive).
    pub fn parse(s: &str) -> Option<Dest> {
        let s = s.trim().to_ascii_lowercase();
        if s == "record_id" {
            return Some(Dest::PersonId);
        }
        Self::NAMED.iter().find(|(n, _)| *n == s).map(|(_, d)| *d)
    }
}

/// Parses `src=dst,...`.
pub fn parse_columns(spec: &str) -> Result<Vec<(String, Dest)>, InputError> {
    let mut out = Vec::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((src, dst)) = part.split_once('=') else {
            return Err(InputError::Mapping {
                spec: spec.into(),
                reason: format!("{part:?} is not SRC=DST"),
            });
        };
        let Some(d) = Dest::parse(dst) else {
            let names: Vec<&str> = Dest::NAMED.iter().map(|(n, _)| *n).collect();
            return Err(InputError::Mapping {
                spec: spec.into(),
                reason: format!(
                    "unknown destination {dst:?}; use one of {}",
                    names.join(", ")
                ),
            });
        };
        if src.trim().is_empty() {
            return Err(InputError::Mapping {
                spec: spec.into(),
                reason: format!("{part:?} has an empty source column"),
            });
        }
        out.push((src.trim().to_ascii_lowercase(), d));
    }
    Ok(out)
}

/// One rejected row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rejected {
    pub file: String,
    /// 1-based line (CSV: the header is line 1).
    pub line: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    pub reason: String,
}

/// Records read from one file.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub records: Vec<Record>,
    /// Names of [`Record::attrs`], in order.
    pub attr_names: Vec<String>,
    pub rejected: Vec<Rejected>,
    /// Data rows read (accepted + rejected).
    pub read: u64,
    /// Source line of each accepted record.
    pub lines: Vec<u64>,
}

/// Column plan: for each destination, the header positions that fill it, in order.
struct Plan {
    /// Indexed by `Dest as usize` (attributes excluded).
    by_dest: Vec<Vec<usize>>,
    /// Header position of each attribute.
    attr_pos: Vec<usize>,
    attr_names: Vec<String>,
}

fn plan(headers: &[String], map: &[(String, Dest)], path: &Path) -> Result<Plan, InputError> {
    let lower: Vec<String> = headers
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let mut targets = vec![Vec::new(); lower.len()];
    let mut attr_names = Vec::new();
    let mut mapped_dest: Vec<Dest> = Vec::new();
    let mut order = 0usize;
    for (src, d) in map {
        let Some(pos) = lower.iter().position(|h| h == src) else {
            return Err(InputError::Mapping {
                spec: format!("{src}=..."),
                reason: format!(
                    "{}: no column {src:?} (headers: {})",
                    path.display(),
                    lower.join(",")
                ),
            });
        };
        if *d == Dest::Attr {
            // for attributes the second number is the attribute's index
            targets[pos].push((*d, attr_names.len()));
            attr_names.push(src.clone());
        } else {
            targets[pos].push((*d, order));
        }
        mapped_dest.push(*d);
        order += 1;
    }
    for (pos, h) in lower.iter().enumerate() {
        if !targets[pos].is_empty() || map.iter().any(|(s, _)| s == h) {
            continue;
        }
        // a header named after a destination fills it, unless the mapping or an earlier header
        // already does (`person_id` and `record_id` both present: the first wins)
        if let Some(d) = Dest::parse(h)
            && d != Dest::Attr
            && !mapped_dest.contains(&d)
        {
            targets[pos].push((d, order));
            mapped_dest.push(d);
            order += 1;
        }
    }
    let has = |d: Dest| targets.iter().flatten().any(|(x, _)| *x == d);
    if !has(Dest::PersonId) {
        return Err(InputError::NoId {
            path: path.into(),
            headers: lower.join(","),
        });
    }
    if !targets
        .iter()
        .flatten()
        .any(|(d, _)| !matches!(d, Dest::PersonId | Dest::Country))
    {
        return Err(InputError::NothingToCompare {
            path: path.into(),
            headers: lower.join(","),
        });
    }
    let mut by_dest: Vec<Vec<(usize, usize)>> = vec![Vec::new(); Dest::NAMED.len()];
    let mut attr_pos = vec![0usize; attr_names.len()];
    for (pos, ts) in targets.iter().enumerate() {
        for &(d, order) in ts {
            if d == Dest::Attr {
                if let Some(slot) = attr_pos.get_mut(order) {
                    *slot = pos;
                }
            } else {
                by_dest[d as usize].push((order, pos));
            }
        }
    }
    let by_dest = by_dest
        .into_iter()
        .map(|mut v| {
            v.sort_unstable();
            v.into_iter().map(|(_, pos)| pos).collect()
        })
        .collect();
    Ok(Plan {
        by_dest,
        attr_pos,
        attr_names,
    })
}

fn fill(plan: &Plan, values: &[Option<&str>]) -> Record {
    let value = |pos: usize| -> Option<&str> {
        values
            .get(pos)
            .copied()
            .flatten()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let get = |d: Dest| -> Option<String> {
        let positions = plan.by_dest.get(d as usize)?;
        match positions.as_slice() {
            [] => None,
            [one] => value(*one).map(str::to_string),
            many => {
                let parts: Vec<&str> = many.iter().filter_map(|&p| value(p)).collect();
                (!parts.is_empty()).then(|| parts.join(" "))
            }
        }
    };
    Record {
        id: get(Dest::PersonId).unwrap_or_default(),
        full_name: get(Dest::FullName),
        given_name: get(Dest::GivenName),
        family_name: get(Dest::FamilyName),
        date_of_birth: get(Dest::DateOfBirth),
        national_id: get(Dest::NationalId),
        email: get(Dest::Email),
        phone: get(Dest::Phone),
        address_line1: get(Dest::AddressLine1),
        address_line2: get(Dest::AddressLine2),
        city: get(Dest::City),
        region: get(Dest::Region),
        postal_code: get(Dest::PostalCode),
        country: get(Dest::Country),
        bank_account: get(Dest::BankAccount),
        attrs: plan
            .attr_pos
            .iter()
            .map(|&p| value(p).map(str::to_string))
            .collect(),
    }
}

/// Opens a file, decompressing gzip or zstd when its first bytes say so.
fn open(path: &Path) -> Result<Box<dyn BufRead>, InputError> {
    let io = |e| InputError::Io {
        path: path.into(),
        source: e,
    };
    let f = File::open(path).map_err(io)?;
    let mut r = BufReader::with_capacity(1 << 20, f);
    let head = r.fill_buf().map_err(io)?;
    if head.starts_with(&[0x1f, 0x8b]) {
        Ok(Box::new(BufReader::with_capacity(
            1 << 20,
            flate2::bufread::MultiGzDecoder::new(r),
        )))
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        let z = zstd::stream::read::Decoder::with_buffer(r).map_err(io)?;
        Ok(Box::new(BufReader::with_capacity(1 << 20, z)))
    } else {
        Ok(Box::new(r))
    }
}

/// What a streaming read reports besides the records.
#[derive(Debug, Clone, Default)]
pub struct ReadSummary {
    /// Names of [`Record::attrs`], in order.
    pub attr_names: Vec<String>,
    pub rejected: Vec<Rejected>,
    /// Data rows read (accepted + rejected).
    pub read: u64,
    pub accepted: u64,
}

/// About how many records `path` holds, from its size: people rows are about 100 bytes or
/// more (a compressed file holds more than this says). For sizing buffers only; at most 2^26.
pub fn records_guess(path: &Path) -> usize {
    let rows = std::fs::metadata(path).map_or(0, |m| m.len() / 100);
    usize::try_from(rows.min(1 << 26)).unwrap_or(0)
}

/// Reads people records from `path` and hands each accepted one to `sink` with the attribute
/// names (the order of [`Record::attrs`]) and its line, without keeping them: rows without an
/// id and repeated ids are rejected here, so `sink` sees unique ids only.
pub fn for_each_record<E: From<InputError>>(
    path: &Path,
    map: &[(String, Dest)],
    mut sink: impl FnMut(&[String], Record, u64) -> Result<(), E>,
) -> Result<ReadSummary, E> {
    let mut summary = ReadSummary::default();
    let mut seen: StrMap<u64> = StrMap::with_capacity(records_guess(path).max(1024), 12);
    let mut accept = |summary: &mut ReadSummary, r: Record, line: u64| -> Result<(), E> {
        if r.id.trim().is_empty() {
            summary
                .rejected
                .push(reject(path, line, Some("person_id"), "empty person_id"));
            return Ok(());
        }
        if let Some(first) = seen.get_or_insert(&r.id, line) {
            summary.rejected.push(reject(
                path,
                line,
                Some("person_id"),
                format!("person_id repeats the record on line {first}; ids must be unique"),
            ));
            return Ok(());
        }
        summary.accepted += 1;
        sink(&summary.attr_names, r, line)
    };
    read_any(path, map, &mut summary, &mut accept)?;
    summary.rejected.sort_by_key(|r| r.line);
    Ok(summary)
}

/// Reads people records from `path` (CSV or NDJSON, by content).
pub fn read_people(path: &Path, map: &[(String, Dest)]) -> Result<Loaded, InputError> {
    let mut records = Vec::new();
    let mut lines = Vec::new();
    let summary = for_each_record::<InputError>(path, map, |_, r, line| {
        records.push(r);
        lines.push(line);
        Ok(())
    })?;
    Ok(Loaded {
        records,
        attr_names: summary.attr_names,
        rejected: summary.rejected,
        read: summary.read,
        lines,
    })
}

type Accept<'a, E> = dyn FnMut(&mut ReadSummary, Record, u64) -> Result<(), E> + 'a;

fn read_any<E: From<InputError>>(
    path: &Path,
    map: &[(String, Dest)],
    summary: &mut ReadSummary,
    accept: &mut Accept<'_, E>,
) -> Result<(), E> {
    let mut r = open(path)?;
    let first = {
        let head = r.fill_buf().map_err(|e| InputError::Io {
            path: path.into(),
            source: e,
        })?;
        head.iter().copied().find(|b| !b.is_ascii_whitespace())
    };
    match first {
        None => Err(InputError::Format {
            path: path.into(),
            reason: "the file is empty: expected a CSV header or NDJSON objects".into(),
        }
        .into()),
        Some(b'{') => read_ndjson(r, path, map, summary, accept),
        Some(_) => read_csv(r, path, map, summary, accept),
    }
}

fn reject(path: &Path, line: u64, column: Option<&str>, reason: impl Into<String>) -> Rejected {
    Rejected {
        file: path.display().to_string(),
        line,
        column: column.map(str::to_string),
        reason: reason.into(),
    }
}

fn read_csv<E: From<InputError>>(
    r: Box<dyn BufRead>,
    path: &Path,
    map: &[(String, Dest)],
    out: &mut ReadSummary,
    accept: &mut Accept<'_, E>,
) -> Result<(), E> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(r);
    let headers: Vec<String> = rdr
        .byte_headers()
        .map_err(|e| InputError::Format {
            path: path.into(),
            reason: format!("unreadable CSV header: {e}"),
        })?
        .iter()
        .map(|h| String::from_utf8_lossy(h).into_owned())
        .collect();
    let plan = plan(&headers, map, path)?;
    out.attr_names = plan.attr_names.clone();
    let mut rec = csv::ByteRecord::new();
    loop {
        let line_hint = rdr.position().line() + 1;
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                out.read += 1;
                let line = rec.position().map_or(line_hint, |p| p.line());
                let mut values: Vec<Option<&str>> = Vec::with_capacity(rec.len());
                let mut bad = None;
                for (i, f) in rec.iter().enumerate() {
                    match std::str::from_utf8(f) {
                        Ok(s) => values.push(Some(s)),
                        Err(e) => {
                            bad = Some((i, e.valid_up_to()));
                            break;
                        }
                    }
                }
                if let Some((i, at)) = bad {
                    out.rejected.push(reject(
                        path,
                        line,
                        headers.get(i).map(String::as_str),
                        format!(
                            "not valid UTF-8 (byte {at} of the field); re-encode the file as UTF-8"
                        ),
                    ));
                    continue;
                }
                if rec.len() != headers.len() {
                    out.rejected.push(reject(
                        path,
                        line,
                        None,
                        format!(
                            "{} fields where the header has {}; check quoting and delimiters",
                            rec.len(),
                            headers.len()
                        ),
                    ));
                    continue;
                }
                let record = fill(&plan, &values);
                accept(out, record, line)?;
            }
            Err(e) => {
                out.read += 1;
                let line = e.position().map_or(line_hint, |p| p.line());
                // a read error (a truncated or corrupt .gz / .zst) stops the file: what follows
                // cannot be read, and a partial file must not pass as a whole one
                if let csv::ErrorKind::Io(io) = e.kind() {
                    return Err(InputError::Io {
                        path: path.into(),
                        source: std::io::Error::new(io.kind(), format!("{io} (after line {line})")),
                    }
                    .into());
                }
                out.rejected
                    .push(reject(path, line, None, format!("malformed CSV row: {e}")));
            }
        }
    }
    Ok(())
}

fn read_ndjson<E: From<InputError>>(
    mut r: Box<dyn BufRead>,
    path: &Path,
    map: &[(String, Dest)],
    out: &mut ReadSummary,
    accept: &mut Accept<'_, E>,
) -> Result<(), E> {
    let mut plans: Option<(Vec<String>, Plan)> = None;
    let mut buf = Vec::new();
    let mut line = 0u64;
    loop {
        buf.clear();
        let n = r.read_until(b'\n', &mut buf).map_err(|e| InputError::Io {
            path: path.into(),
            source: e,
        })?;
        if n == 0 {
            break;
        }
        line += 1;
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        out.read += 1;
        let obj: serde_json::Map<String, serde_json::Value> = match serde_json::from_slice(&buf) {
            Ok(serde_json::Value::Object(o)) => o,
            Ok(_) => {
                out.rejected
                    .push(reject(path, line, None, "not a JSON object"));
                continue;
            }
            Err(e) => {
                out.rejected
                    .push(reject(path, line, None, format!("invalid JSON: {e}")));
                continue;
            }
        };
        // a mapped key an object leaves out is a null, not an error
        let mut keys: Vec<String> = obj.keys().cloned().collect();
        for (src, _) in map {
            if !keys.iter().any(|k| k.trim().eq_ignore_ascii_case(src)) {
                keys.push(src.clone());
            }
        }
        let same = plans.as_ref().is_some_and(|(k, _)| *k == keys);
        if !same {
            match plan(&keys, map, path) {
                Ok(p) => {
                    if out.attr_names.is_empty() {
                        out.attr_names = p.attr_names.clone();
                    }
                    plans = Some((keys.clone(), p));
                }
                // the first object decides whether the file can be read at all
                Err(e) if plans.is_none() => return Err(e.into()),
                Err(e) => {
                    out.rejected.push(reject(path, line, None, e.to_string()));
                    continue;
                }
            }
        }
        let Some((_, p)) = plans.as_ref() else {
            continue;
        };
        let texts: Vec<Option<String>> = keys
            .iter()
            .map(|k| match obj.get(k) {
                Some(serde_json::Value::String(s)) => Some(s.clone()),
                Some(serde_json::Value::Null) | None => None,
                Some(v) => Some(v.to_string()),
            })
            .collect();
        let values: Vec<Option<&str>> = texts.iter().map(|v| v.as_deref()).collect();
        let record = fill(p, &values);
        accept(out, record, line)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn write(bytes: &[u8]) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
        f.write_all(bytes).unwrap_or_else(|e| panic!("{e}"));
        f
    }

    #[test]
    fn mapping_joins_sources_and_reads_attrs() -> Result<(), InputError> {
        let f = write(
            b"record_id,street_number,address_1,surname,occupation\n1,7,wallaby place,green,nurse\n",
        );
        let map = parse_columns(
            "street_number=address_line1,address_1=address_line1,surname=family_name,occupation=attr",
        )?;
        let l = read_people(f.path(), &map)?;
        assert_eq!(l.records.len(), 1);
        let r = &l.records[0];
        assert_eq!(r.id, "1");
        assert_eq!(r.address_line1.as_deref(), Some("7 wallaby place"));
        assert_eq!(r.family_name.as_deref(), Some("green"));
        assert_eq!(r.attrs, vec![Some("nurse".to_string())]);
        assert_eq!(l.attr_names, vec!["occupation".to_string()]);
        Ok(())
    }

    #[test]
    fn bad_rows_are_rejected_with_lines() -> Result<(), InputError> {
        let f = write(
            b"person_id,full_name\n1,Ann Lee\n,No Id\n1,Again\n2,\xff\xfe\n3,a,b\n4,Bo Kim\n",
        );
        let l = read_people(f.path(), &[])?;
        assert_eq!(l.read, 6);
        assert_eq!(l.records.len() + l.rejected.len(), 6);
        let lines: Vec<u64> = l.rejected.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6]);
        assert!(l.rejected[2].reason.contains("UTF-8"));
        Ok(())
    }

    #[test]
    fn missing_id_and_bad_mapping_are_errors() {
        let f = write(b"name,dob\nA,1990-01-01\n");
        assert!(matches!(
            read_people(f.path(), &[]),
            Err(InputError::NoId { .. })
        ));
        assert!(parse_columns("a=nowhere").is_err());
        assert!(parse_columns("justone").is_err());
        let f = write(b"");
        assert!(matches!(
            read_people(f.path(), &[]),
            Err(InputError::Format { .. })
        ));
        let f = write(b"person_id\n1\n");
        assert!(matches!(
            read_people(f.path(), &[]),
            Err(InputError::NothingToCompare { .. })
        ));
    }

    #[test]
    fn truncated_gzip_is_an_error_and_repeated_id_headers_do_not_join() {
        use flate2::{Compression, write::GzEncoder};
        let mut body = b"person_id,full_name\n".to_vec();
        for i in 0..5000 {
            body.extend(format!("{i},Person Number {i}\n").as_bytes());
        }
        let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
        gz.write_all(&body).unwrap_or_else(|e| panic!("{e}"));
        let bytes = gz.finish().unwrap_or_else(|e| panic!("{e}"));
        let f = write(&bytes[..bytes.len() / 2]);
        assert!(matches!(
            read_people(f.path(), &[]),
            Err(InputError::Io { .. })
        ));
        let f = write(b"person_id,record_id,full_name\nA,B,Ann Lee\n");
        let l = read_people(f.path(), &[]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(l.records[0].id, "A");
    }

    #[test]
    fn ndjson_missing_keys_are_null_and_a_bad_mapping_fails() {
        let f = write(b"{\"rid\":\"1\",\"name\":\"Ann\"}\n{\"rid\":\"2\"}\n");
        let map = parse_columns("rid=person_id,name=full_name").unwrap_or_default();
        let l = read_people(f.path(), &map).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(l.records.len(), 2);
        assert_eq!(l.records[1].full_name, None);
        let f = write(b"{\"name\":\"Ann\"}\n");
        assert!(read_people(f.path(), &[]).is_err());
    }

    #[test]
    fn ndjson_and_gzip() -> Result<(), InputError> {
        use flate2::{Compression, write::GzEncoder};
        let body = b"{\"person_id\":\"1\",\"full_name\":\"Ann Lee\",\"date_of_birth\":null}\nnot json\n[1]\n{\"person_id\":2,\"full_name\":\"Bo\"}\n";
        let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
        gz.write_all(body).map_err(|e| InputError::Io {
            path: PathBuf::new(),
            source: e,
        })?;
        let bytes = gz.finish().map_err(|e| InputError::Io {
            path: PathBuf::new(),
            source: e,
        })?;
        let f = write(&bytes);
        let l = read_people(f.path(), &[])?;
        assert_eq!(l.read, 4);
        assert_eq!(l.records.len(), 2);
        assert_eq!(l.records[1].id, "2");
        assert_eq!(l.rejected.len(), 2);
        Ok(())
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_never_panic_and_counts_add_up(body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            let mut bytes = b"person_id,full_name,email\n".to_vec();
            bytes.extend(body);
            let f = write(&bytes);
            if let Ok(l) = read_people(f.path(), &[]) {
                proptest::prop_assert_eq!(l.read as usize, l.records.len() + l.rejected.len());
            }
        }
    }
}
