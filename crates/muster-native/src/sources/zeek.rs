//! Zeek `conn.log`: the ASCII writer's TSV (`#separator`, `#fields`, `#types` headers, `#close`
//! footer; columns found by header name, never by position; `-` unset, `(empty)` empty set,
//! `\xHH` escapes), the JSON writer (one object per line, `ts` epoch float, `id.orig_h` keys)
//! and shipper-flattened JSON (`id_orig_h`, nested `id: {orig_h}`, `@timestamp`).
//!
//! Each connection becomes one `network` row: `src_*` = originator (`id.orig_h`, `id.orig_p`),
//! `dst_*` = responder. Bytes follow OCSF's orientation, relative to the source:
//! `bytes_out` = `orig_bytes` (sent by the originator), `bytes_in` = `resp_bytes` (sent back by the
//! responder). `direction` comes from `local_orig` / `local_resp` when Zeek knows its local
//! networks: `inbound` when only the responder is local, `outbound` when only the originator is;
//! otherwise (both, neither, unknown) null. `device_id` is null: a sensor sees addresses, not
//! devices. Records of other Zeek logs (`#path dns`, `_path: "dns"`) are skipped.

use std::borrow::Cow;
use std::io::BufRead;

use muster_contract::NETWORK;
use serde_json::{Map, Value};

use super::endpoint::ip;
use crate::json::{self, text};
use crate::{Confidence, Input, Loc, NativeError, Outcome, Row, Sample, Sink, Source, V};

/// Zeek conn.log.
pub struct ZeekConn;

/// The reader.
pub static ZEEK_CONN: ZeekConn = ZeekConn;

impl Source for ZeekConn {
    fn name(&self) -> &'static str {
        "zeek-conn"
    }
    fn title(&self) -> &'static str {
        "Zeek conn.log (TSV or JSON)"
    }
    fn tables(&self) -> &'static [&'static str] {
        &["network"]
    }
    fn sniff(&self, sample: &Sample<'_>) -> Option<Confidence> {
        let h = sample.head;
        let has = |n: &[&str]| json::head_has_all(h, n);
        if has(&["#fields\t", "id.orig_h"]) {
            return Some(if has(&["conn_state"]) || has(&["#path\tconn"]) {
                95
            } else {
                70
            });
        }
        if !h.trim_ascii_start().starts_with(b"{") && !h.trim_ascii_start().starts_with(b"[") {
            return None;
        }
        if has(&["\"id.orig_h\""]) {
            return Some(if has(&["\"conn_state\""]) { 90 } else { 65 });
        }
        if has(&["\"id_orig_h\"", "\"conn_state\""]) || has(&["\"uid\"", "\"conn_state\""]) {
            return Some(80);
        }
        None
    }
    fn read(&self, input: &Input, sink: &mut dyn Sink) -> Result<(), NativeError> {
        let mut r = input.reader()?;
        let is_json = {
            let first = r
                .fill_buf()
                .map_err(|e| NativeError::io(&input.path, e))?
                .trim_ascii_start();
            first.starts_with(b"{") || first.starts_with(b"[")
        };
        if is_json {
            drop(r);
            return json::for_each_record(input, &["records", "hits"], sink, &mut map_json);
        }
        read_tsv(input, r, sink)
    }
}

/// The values of one connection, however written.
#[derive(Default)]
struct Conn<'a> {
    ts: Option<Result<i64, String>>,
    orig_h: Option<Cow<'a, str>>,
    orig_p: Option<Cow<'a, str>>,
    resp_h: Option<Cow<'a, str>>,
    resp_p: Option<Cow<'a, str>>,
    proto: Option<Cow<'a, str>>,
    duration: Option<Cow<'a, str>>,
    orig_bytes: Option<Cow<'a, str>>,
    resp_bytes: Option<Cow<'a, str>>,
    local_orig: Option<bool>,
    local_resp: Option<bool>,
}

fn num<T: std::str::FromStr>(s: &Option<Cow<'_, str>>) -> Option<T> {
    s.as_deref().and_then(|s| s.trim().parse().ok())
}

impl Conn<'_> {
    fn outcome(&self) -> Outcome {
        let t = match &self.ts {
            Some(Ok(t)) => *t,
            Some(Err(e)) => return Outcome::reject(format!("ts: {e}")),
            None => return Outcome::reject("no ts"),
        };
        let direction = match (self.local_orig, self.local_resp) {
            (Some(true), Some(false)) => Some("outbound"),
            (Some(false), Some(true)) => Some("inbound"),
            _ => None,
        };
        let mut r = Row::new(&NETWORK);
        r.set("time", V::TsMicros(t))
            .set("src_ip", self.orig_h.as_deref().and_then(ip))
            .set("src_port", num::<i64>(&self.orig_p))
            .set("dst_ip", self.resp_h.as_deref().and_then(ip))
            .set("dst_port", num::<i64>(&self.resp_p))
            .set(
                "protocol",
                self.proto.as_deref().map(str::to_ascii_lowercase),
            )
            .set("direction", direction)
            .set("bytes_in", num::<i64>(&self.resp_bytes))
            .set("bytes_out", num::<i64>(&self.orig_bytes))
            .set(
                "duration_s",
                num::<f64>(&self.duration).filter(|d| d.is_finite()),
            );
        Outcome::row(r)
    }
}

fn zeek_bool(s: &str) -> Option<bool> {
    match s.trim() {
        "T" => Some(true),
        "F" => Some(false),
        other => muster_ingest::parse_bool(other),
    }
}

// ---- JSON ----

/// A conn field by its Zeek name (`id.orig_h`), its flattened name (`id_orig_h`) or nested.
fn field<'v>(o: &'v Map<String, Value>, dotted: &str, flat: &str) -> Option<&'v Value> {
    o.get(dotted).or_else(|| o.get(flat)).or_else(|| {
        let (a, b) = dotted.split_once('.')?;
        o.get(a)?.as_object()?.get(b)
    })
}

fn map_json(v: &Value) -> Outcome {
    let Some(o) = v.as_object() else {
        return Outcome::reject("not a JSON object");
    };
    for k in ["_path", "@stream"] {
        if let Some(p) = o.get(k).and_then(text)
            && p != "conn"
        {
            return Outcome::Skip(Cow::Owned(format!("zeek {p} log record not mapped")));
        }
    }
    let g = |d: &str, f: &str| field(o, d, f).and_then(text);
    if g("id.orig_h", "id_orig_h").is_none() && g("id.resp_h", "id_resp_h").is_none() {
        return Outcome::reject("not a Zeek connection record (no id.orig_h / id.resp_h)");
    }
    let ts = o
        .get("ts")
        .filter(|v| text(v).is_some())
        .or_else(|| o.get("@timestamp"))
        .map(json::timestamp);
    let c = Conn {
        ts,
        orig_h: g("id.orig_h", "id_orig_h"),
        orig_p: g("id.orig_p", "id_orig_p"),
        resp_h: g("id.resp_h", "id_resp_h"),
        resp_p: g("id.resp_p", "id_resp_p"),
        proto: o.get("proto").and_then(text),
        duration: o.get("duration").and_then(text),
        orig_bytes: o.get("orig_bytes").and_then(text),
        resp_bytes: o.get("resp_bytes").and_then(text),
        local_orig: o.get("local_orig").and_then(json::boolean),
        local_resp: o.get("local_resp").and_then(json::boolean),
    };
    c.outcome()
}

// ---- TSV ----

/// Header state of a TSV log (it can restart mid-file when logs are concatenated).
struct Header {
    sep: String,
    unset: String,
    empty: String,
    path: Option<String>,
    fields: Vec<String>,
    idx: Idx,
}

#[derive(Default)]
struct Idx {
    ts: Option<usize>,
    orig_h: Option<usize>,
    orig_p: Option<usize>,
    resp_h: Option<usize>,
    resp_p: Option<usize>,
    proto: Option<usize>,
    duration: Option<usize>,
    orig_bytes: Option<usize>,
    resp_bytes: Option<usize>,
    local_orig: Option<usize>,
    local_resp: Option<usize>,
}

impl Idx {
    fn of(fields: &[String]) -> Idx {
        let p = |n: &str| fields.iter().position(|f| f == n);
        Idx {
            ts: p("ts"),
            orig_h: p("id.orig_h"),
            orig_p: p("id.orig_p"),
            resp_h: p("id.resp_h"),
            resp_p: p("id.resp_p"),
            proto: p("proto"),
            duration: p("duration"),
            orig_bytes: p("orig_bytes"),
            resp_bytes: p("resp_bytes"),
            local_orig: p("local_orig"),
            local_resp: p("local_resp"),
        }
    }
}

/// Decodes `\xHH` escapes (the separator itself, non-printable bytes).
fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains("\\x") {
        return Cow::Borrowed(s);
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && b.get(i + 1) == Some(&b'x')
            && let Some(h) = b.get(i + 2..i + 4)
            && let Ok(hs) = std::str::from_utf8(h)
            && let Ok(v) = u8::from_str_radix(hs, 16)
        {
            out.push(v);
            i += 4;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

fn read_tsv(
    input: &Input,
    mut r: Box<dyn BufRead + Send>,
    sink: &mut dyn Sink,
) -> Result<(), NativeError> {
    let mut h = Header {
        sep: "\t".into(),
        unset: "-".into(),
        empty: "(empty)".into(),
        path: None,
        fields: Vec::new(),
        idx: Idx::default(),
    };
    let mut buf = Vec::with_capacity(1024);
    let mut line_no = 0u64;
    loop {
        buf.clear();
        if r.read_until(b'\n', &mut buf)
            .map_err(|e| NativeError::io(&input.path, e))?
            == 0
        {
            break;
        }
        line_no += 1;
        let raw: &[u8] = buf.strip_suffix(b"\n").unwrap_or(&buf);
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.is_empty() {
            continue;
        }
        let line = String::from_utf8_lossy(raw);
        if let Some(rest) = line.strip_prefix('#') {
            header_line(&mut h, rest);
            continue;
        }
        let loc = Loc::Line(line_no);
        if h.fields.is_empty() {
            sink.record(loc, Outcome::reject("data line before the #fields header"))?;
            continue;
        }
        if let Some(p) = h.path.as_deref().filter(|p| *p != "conn") {
            sink.record(
                loc,
                Outcome::Skip(Cow::Owned(format!("zeek {p} log record not mapped"))),
            )?;
            continue;
        }
        let cells: Vec<&str> = line.split(h.sep.as_str()).collect();
        if cells.len() != h.fields.len() {
            sink.record(
                loc,
                Outcome::reject(format!(
                    "{} fields where the #fields header has {}",
                    cells.len(),
                    h.fields.len()
                )),
            )?;
            continue;
        }
        let get = |i: Option<usize>| -> Option<Cow<'_, str>> {
            let v = *cells.get(i?)?;
            if v == h.unset || v == h.empty || v.is_empty() {
                None
            } else {
                Some(unescape(v))
            }
        };
        let c = Conn {
            ts: get(h.idx.ts).map(|s| muster_ingest::time::parse_ts(&s)),
            orig_h: get(h.idx.orig_h),
            orig_p: get(h.idx.orig_p),
            resp_h: get(h.idx.resp_h),
            resp_p: get(h.idx.resp_p),
            proto: get(h.idx.proto),
            duration: get(h.idx.duration),
            orig_bytes: get(h.idx.orig_bytes),
            resp_bytes: get(h.idx.resp_bytes),
            local_orig: get(h.idx.local_orig).and_then(|s| zeek_bool(&s)),
            local_resp: get(h.idx.local_resp).and_then(|s| zeek_bool(&s)),
        };
        let out = if c.orig_h.is_none() && c.resp_h.is_none() && h.idx.orig_h.is_none() {
            Outcome::reject("log has no id.orig_h / id.resp_h columns: not a connection log")
        } else {
            c.outcome()
        };
        sink.record(loc, out)?;
    }
    Ok(())
}

fn header_line(h: &mut Header, rest: &str) {
    if let Some(v) = rest.strip_prefix("separator ") {
        let sep = unescape(v.trim_end()).into_owned();
        if !sep.is_empty() {
            h.sep = sep;
        }
        // A new log starts: forget the previous fields.
        h.fields.clear();
        h.path = None;
        return;
    }
    let mut parts = rest.split(h.sep.as_str());
    let key = parts.next().unwrap_or("");
    match key {
        "fields" => {
            h.fields = parts.map(|p| unescape(p).into_owned()).collect();
            h.idx = Idx::of(&h.fields);
        }
        "unset_field" => {
            if let Some(v) = parts.next() {
                h.unset = v.to_string();
            }
        }
        "empty_field" => {
            if let Some(v) = parts.next() {
                h.empty = v.to_string();
            }
        }
        "path" => h.path = parts.next().map(str::to_string),
        _ => {} // #set_separator, #open, #close, #types, ### comments
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(unescape("\\x09"), "\t");
        assert_eq!(unescape("a\\x2cb"), "a,b");
        assert_eq!(unescape("plain"), "plain");
        assert_eq!(unescape("bad\\xzz"), "bad\\xzz");
        assert_eq!(unescape("end\\x"), "end\\x");
    }
}
