//! JSON helpers every JSON-based reader shares: record iteration that survives bad records, and
//! value access that tolerates the type drift seen in real exports (numbers as strings, `"null"`
//! strings, `"FALSE"`, JSON inside strings, epoch floats).

use std::borrow::Cow;
use std::io::{BufRead, Read};

use serde_json::{Map, Value};

use crate::NativeError;
use crate::record::{Loc, Outcome};
use crate::source::{Input, Sink};

pub mod sparse;

/// Reads every JSON record of a file and hands each to `f`, reporting the outcome to `sink`.
///
/// Accepted layouts: NDJSON (one object per line; blank lines ignored; a line that is not valid
/// JSON is rejected alone), a JSON array of objects, a wrapper object whose key in `wrappers`
/// holds the array (`records`, `value`, `items`, ...), a single object, and concatenated
/// (pretty-printed) objects. In an array, elements are split before parsing, so one malformed
/// element (a trailing comma, a bad escape) is rejected alone and the rest are read.
pub fn for_each_record(
    input: &Input,
    wrappers: &[&str],
    sink: &mut dyn Sink,
    f: &mut dyn FnMut(&Value) -> Outcome,
) -> Result<(), NativeError> {
    for_each_record_fast(input, wrappers, sink, &mut |_| None, f)
}

/// A reader's own parser of one record's JSON text (an NDJSON line or an array element,
/// trimmed, starting with `{`): the outcome, or `None` to have the record parsed as a [`Value`]
/// and handed to the `Value` mapper (which also gives the rejection reason of invalid JSON).
///
/// It must return `Some` only for text that is valid JSON, checked as strictly as a [`Value`]
/// parse (UTF-8, escapes, number range): [`sparse`] parses that way.
pub type TextMapper<'f> = dyn FnMut(&[u8]) -> Option<Outcome> + 'f;

/// [`for_each_record`] with a fast path: NDJSON lines and array elements go to `text` first
/// (e.g. a [`sparse`] parse that skips the keys the reader never looks at, much cheaper than a
/// [`Value`], whose objects are IndexMaps in this workspace); records it declines, and the
/// records of whole documents (wrapper objects, single or concatenated objects), go to `f`.
pub fn for_each_record_fast(
    input: &Input,
    wrappers: &[&str],
    sink: &mut dyn Sink,
    text: &mut TextMapper<'_>,
    f: &mut dyn FnMut(&Value) -> Outcome,
) -> Result<(), NativeError> {
    let mut r = input.reader()?;
    let io = |e| NativeError::io(&input.path, e);
    // Decide the layout from the first non-empty line.
    let mut first = Vec::new();
    let mut line_no: u64 = 0;
    loop {
        first.clear();
        if r.read_until(b'\n', &mut first).map_err(io)? == 0 {
            return Ok(()); // empty file: no records
        }
        line_no += 1;
        if !first.trim_ascii().is_empty() {
            break;
        }
    }
    let t = first.trim_ascii();
    let line_is_object = t.first() == Some(&b'{')
        && matches!(serde_json::from_slice::<Value>(t), Ok(Value::Object(_)));
    if line_is_object {
        let is_wrapper = serde_json::from_slice::<Value>(t)
            .ok()
            .and_then(|v| wrapped(&v, wrappers).map(|_| ()))
            .is_some();
        if !is_wrapper {
            // NDJSON.
            ndjson_line(t, Loc::Line(line_no), sink, text, f)?;
            let mut buf = Vec::with_capacity(4096);
            loop {
                buf.clear();
                if r.read_until(b'\n', &mut buf).map_err(io)? == 0 {
                    break;
                }
                line_no += 1;
                let t = buf.trim_ascii();
                if t.is_empty() {
                    continue;
                }
                ndjson_line(t, Loc::Line(line_no), sink, text, f)?;
            }
            return Ok(());
        }
    }
    // A whole document.
    let mut all = first;
    r.read_to_end(&mut all).map_err(io)?;
    document(&all, wrappers, sink, text, f)
}

fn ndjson_line(
    t: &[u8],
    loc: Loc,
    sink: &mut dyn Sink,
    text: &mut TextMapper<'_>,
    f: &mut dyn FnMut(&Value) -> Outcome,
) -> Result<(), NativeError> {
    if t.first() == Some(&b'{')
        && let Some(o) = text(t)
    {
        return sink.record(loc, o);
    }
    match serde_json::from_slice::<Value>(t) {
        Ok(v @ Value::Object(_)) => sink.record(loc, f(&v)),
        Ok(_) => sink.record(loc, Outcome::reject("line is JSON but not an object")),
        Err(e) => sink.record(loc, Outcome::reject(json_reason(t, &e))),
    }
}

fn json_reason(t: &[u8], e: &serde_json::Error) -> String {
    if std::str::from_utf8(t).is_err() {
        "not valid UTF-8 text".into()
    } else {
        format!("invalid JSON: {e}")
    }
}

/// The array under the first wrapper key present (nested wrappers such as EventBridge
/// `detail` are the reader's business).
fn wrapped<'v>(v: &'v Value, wrappers: &[&str]) -> Option<&'v Vec<Value>> {
    let o = v.as_object()?;
    wrappers
        .iter()
        .find_map(|w| o.get(*w).and_then(Value::as_array))
}

fn document(
    all: &[u8],
    wrappers: &[&str],
    sink: &mut dyn Sink,
    text: &mut TextMapper<'_>,
    f: &mut dyn FnMut(&Value) -> Outcome,
) -> Result<(), NativeError> {
    let t = all.trim_ascii();
    let t = t.strip_prefix(b"\xef\xbb\xbf").unwrap_or(t);
    if t.first() == Some(&b'[') {
        return array_elements(t, sink, text, f);
    }
    match serde_json::from_slice::<Value>(t) {
        Ok(v) => {
            if let Some(items) = wrapped(&v, wrappers) {
                for (i, item) in items.iter().enumerate() {
                    let loc = Loc::Record(i as u64 + 1);
                    let out = if item.is_object() {
                        f(item)
                    } else {
                        Outcome::reject("array element is not an object")
                    };
                    sink.record(loc, out)?;
                }
                Ok(())
            } else if v.is_object() {
                sink.record(Loc::Record(1), f(&v))
            } else {
                sink.record(
                    Loc::Record(1),
                    Outcome::reject("JSON document is not an object"),
                )
            }
        }
        Err(_) => {
            // A wrapper object whose array holds a malformed element (a Graph page with a
            // trailing comma): split that array so only the bad element is rejected.
            if let Some(start) = wrapper_array_start(t, wrappers) {
                return array_elements(&t[start..], sink, text, f);
            }
            // Concatenated objects (pretty-printed NDJSON, evtx_dump output with "Record N"
            // separators): read value by value; stop at the first unreadable one, rejecting the
            // rest of the file as one record with the reason.
            let mut n = 0u64;
            let mut rest = t;
            while !rest.is_empty() {
                // Skip separators before the next object (e.g. "Record 12" lines of evtx_dump);
                // text with no object after it is not silently dropped: it is one rejection.
                match rest.iter().position(|&b| b == b'{') {
                    Some(p) => rest = &rest[p..],
                    None => {
                        if !is_separator_text(rest) {
                            n += 1;
                            sink.record(
                                Loc::Record(n),
                                Outcome::reject("text that is not a JSON object"),
                            )?;
                        }
                        break;
                    }
                }
                let mut it = serde_json::Deserializer::from_slice(rest).into_iter::<Value>();
                match it.next() {
                    Some(Ok(v)) => {
                        n += 1;
                        let used = it.byte_offset();
                        sink.record(Loc::Record(n), f(&v))?;
                        rest = &rest[used..];
                    }
                    Some(Err(e)) => {
                        n += 1;
                        sink.record(
                            Loc::Record(n),
                            Outcome::reject(format!(
                                "invalid JSON ({e}); the rest of the file could not be split into records"
                            )),
                        )?;
                        break;
                    }
                    None => break,
                }
            }
            Ok(())
        }
    }
}

/// Byte offset of the `[` opening the array under a top-level key of `wrappers` in an object
/// that did not parse as a whole.
fn wrapper_array_start(t: &[u8], wrappers: &[&str]) -> Option<usize> {
    if t.first() != Some(&b'{') {
        return None;
    }
    let (mut depth, mut in_str, mut esc, mut key_start) = (0i32, false, false, 0usize);
    for (i, &b) in t.iter().enumerate() {
        if in_str {
            if esc {
                esc = false;
            } else if b == b'\\' {
                esc = true;
            } else if b == b'"' {
                in_str = false;
                if depth == 1 {
                    let key = &t[key_start..i];
                    let rest = t[i + 1..].trim_ascii_start();
                    if let Some(after) = rest.strip_prefix(b":") {
                        let after = after.trim_ascii_start();
                        if after.first() == Some(&b'[')
                            && wrappers.iter().any(|w| w.as_bytes() == key)
                        {
                            return Some(t.len() - after.len());
                        }
                    }
                }
            }
            continue;
        }
        match b {
            b'"' => {
                in_str = true;
                key_start = i + 1;
            }
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Whether leftover text is only whitespace and `Record N` separator lines.
fn is_separator_text(t: &[u8]) -> bool {
    String::from_utf8_lossy(t).lines().all(|l| {
        let l = l.trim();
        l.is_empty()
            || l.strip_prefix("Record ")
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// Splits a top-level JSON array into element byte ranges (strings and nesting respected) and
/// parses each element on its own.
fn array_elements(
    t: &[u8],
    sink: &mut dyn Sink,
    text: &mut TextMapper<'_>,
    f: &mut dyn FnMut(&Value) -> Outcome,
) -> Result<(), NativeError> {
    let mut depth = 0i32;
    let mut in_str = false;
    let mut esc = false;
    let mut start = 1usize;
    let mut n = 0u64;
    let mut emit = |slice: &[u8], n: &mut u64| -> Result<(), NativeError> {
        let s = slice.trim_ascii();
        if s.is_empty() {
            return Ok(()); // between a trailing comma and the closing bracket
        }
        *n += 1;
        let loc = Loc::Record(*n);
        if s.first() == Some(&b'{')
            && let Some(o) = text(s)
        {
            return sink.record(loc, o);
        }
        match serde_json::from_slice::<Value>(s) {
            Ok(v @ Value::Object(_)) => sink.record(loc, f(&v)),
            Ok(_) => sink.record(loc, Outcome::reject("array element is not an object")),
            Err(e) => sink.record(loc, Outcome::reject(json_reason(s, &e))),
        }
    };
    for (i, &b) in t.iter().enumerate() {
        if in_str {
            if esc {
                esc = false;
            } else if b == b'\\' {
                esc = true;
            } else if b == b'"' {
                in_str = false;
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    emit(&t[start..i], &mut n)?;
                    return Ok(());
                }
            }
            b',' if depth == 1 => {
                emit(&t[start..i], &mut n)?;
                start = i + 1;
            }
            _ => {}
        }
    }
    // Unterminated array: what is left is one bad record.
    if start < t.len() {
        n += 1;
        sink.record(
            Loc::Record(n),
            Outcome::reject("unterminated JSON array (file truncated?)"),
        )?;
    }
    Ok(())
}

/// The value at a path of keys (exact names).
pub fn at<'v>(v: &'v Value, path: &[&str]) -> Option<&'v Value> {
    let mut cur = v;
    for k in path {
        cur = cur.as_object()?.get(*k)?;
    }
    Some(cur)
}

/// The value of the first key of `obj` matching `name` case-insensitively.
pub fn get_ci<'v>(obj: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    obj.get(name).or_else(|| {
        obj.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

/// Whether text stands for "no value" (`""`, `"null"`, `"None"`, `"N/A"`, `"-"`).
pub fn is_null_text(s: &str) -> bool {
    let t = s.trim();
    t.is_empty()
        || ["null", "none", "n/a", "-", "undefined"]
            .iter()
            .any(|n| t.eq_ignore_ascii_case(n))
}

/// Text of a scalar: strings (not null-like), numbers and booleans as written; `None` for null,
/// objects and arrays.
pub fn text(v: &Value) -> Option<Cow<'_, str>> {
    Scalar::of(v).text()
}

/// A JSON value seen as a scalar, whatever holds it (a [`Value`] or a [`sparse::Any`]), so
/// both read type drift the same way.
#[derive(Debug, Clone, Copy)]
pub enum Scalar<'v> {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Num(&'v serde_json::Number),
    /// A string, as written.
    Str(&'v str),
    /// An object or an array.
    Compound,
}

impl<'v> Scalar<'v> {
    /// The scalar of a [`Value`].
    pub fn of(v: &'v Value) -> Scalar<'v> {
        match v {
            Value::Null => Scalar::Null,
            Value::Bool(b) => Scalar::Bool(*b),
            Value::Number(n) => Scalar::Num(n),
            Value::String(s) => Scalar::Str(s),
            Value::Array(_) | Value::Object(_) => Scalar::Compound,
        }
    }

    /// See [`text`].
    pub fn text(self) -> Option<Cow<'v, str>> {
        match self {
            Scalar::Str(s) if !is_null_text(s) => Some(Cow::Borrowed(s.trim())),
            Scalar::Num(n) => Some(Cow::Owned(n.to_string())),
            Scalar::Bool(b) => Some(Cow::Owned(b.to_string())),
            _ => None,
        }
    }

    /// See [`timestamp`].
    pub fn timestamp(self) -> Result<i64, String> {
        match self {
            Scalar::Num(n) => n
                .as_f64()
                .ok_or_else(|| "not a number".to_string())
                .and_then(muster_ingest::time::epoch_to_micros),
            Scalar::Str(s) if !is_null_text(s) => muster_ingest::time::parse_ts(s),
            _ => Err("no timestamp".into()),
        }
    }
}

/// Owned text at a path.
pub fn text_at(v: &Value, path: &[&str]) -> Option<String> {
    at(v, path).and_then(text).map(Cow::into_owned)
}

/// A boolean from `true`, `"FALSE"`, `"yes"`, `1`, `"0"`.
pub fn boolean(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_i64().map(|i| i != 0),
        Value::String(s) => muster_ingest::parse_bool(s.trim()),
        _ => None,
    }
}

/// A float from a number or numeric text.
pub fn float(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok().filter(|f: &f64| f.is_finite()),
        _ => None,
    }
}

/// An integer from a number or numeric text (`"13335"`, `13335.0`).
pub fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        Value::String(s) => {
            let s = s.trim();
            s.parse().ok().or_else(|| {
                s.parse::<f64>()
                    .ok()
                    .filter(|f| f.fract() == 0.0)
                    .map(|f| f as i64)
            })
        }
        _ => None,
    }
}

/// A timestamp (UTC microseconds) from RFC 3339 text (any fraction length, e.g. Entra's 7
/// digits), naive text (UTC), or an epoch number (seconds, ms, µs; integer or float).
pub fn timestamp(v: &Value) -> Result<i64, String> {
    Scalar::of(v).timestamp()
}

/// JSON held in a string (Log Analytics exports write nested objects that way); other values
/// as they are.
pub fn unstring(v: &Value) -> Cow<'_, Value> {
    if let Value::String(s) = v {
        let t = s.trim();
        if ((t.starts_with('{') && t.ends_with('}')) || (t.starts_with('[') && t.ends_with(']')))
            && let Ok(inner) = serde_json::from_str::<Value>(t)
        {
            return Cow::Owned(inner);
        }
    }
    Cow::Borrowed(v)
}

/// Whether the head of a file (a sniffing sample) contains every one of `needles` (byte
/// substrings, e.g. `"\"eventType\""`).
pub fn head_has_all(head: &[u8], needles: &[&str]) -> bool {
    needles
        .iter()
        .all(|n| head.windows(n.len()).any(|w| w == n.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Outcome;

    fn run(text: &str, wrappers: &[&str]) -> Vec<(Loc, Result<Value, String>)> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.json");
        std::fs::write(&p, text).unwrap();
        let input = Input::new(&p).unwrap();
        let mut got = Vec::new();
        let mut seen: Vec<Value> = Vec::new();
        let mut sink = |loc: Loc, o: Outcome| {
            got.push((loc, o));
            Ok(())
        };
        for_each_record(&input, wrappers, &mut sink, &mut |v| {
            seen.push(v.clone());
            Outcome::Skip("test".into())
        })
        .unwrap();
        let mut it = seen.into_iter();
        got.into_iter()
            .map(|(loc, o)| match o {
                Outcome::Reject { reason, .. } => (loc, Err(reason)),
                _ => (loc, Ok(it.next().unwrap())),
            })
            .collect()
    }

    #[test]
    fn layouts() {
        let r = run("{\"a\":1}\n\n{\"a\":2}\nnot json\n[1]\n", &[]);
        assert_eq!(r.len(), 4);
        assert_eq!(r[1].0, Loc::Line(3));
        assert!(r[2].1.as_ref().unwrap_err().contains("invalid JSON"));
        assert!(r[3].1.is_err());

        let r = run("[{\"a\":1},\n {\"a\":2,},\n {\"a\":\"x,]}\"}]", &[]);
        assert_eq!(r.len(), 3);
        assert!(r[0].1.is_ok() && r[2].1.is_ok());
        assert!(
            r[1].1.as_ref().unwrap_err().contains("trailing comma"),
            "{r:?}"
        );
        assert_eq!(r[2].1.as_ref().unwrap()["a"], "x,]}");

        let r = run("[{\"a\":1},]", &[]);
        assert_eq!(r.len(), 1);

        let r = run(
            "{\"value\": [{\"a\":1},{\"a\":2}], \"@odata.nextLink\": \"x\"}",
            &["value"],
        );
        assert_eq!(r.len(), 2);
        let r = run("{\n \"records\": [\n {\"a\":1}\n ]\n}\n", &["records"]);
        assert_eq!(r.len(), 1);

        let r = run(
            "Record 1\n{\n \"a\": 1\n}\nRecord 2\n{\n \"a\": 2\n}\n",
            &[],
        );
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].1.as_ref().unwrap()["a"], 2);

        let r = run(
            "{\"value\": [{\"a\":1},{\"a\":[2,]},{\"a\":3}], \"x\": 1}",
            &["value"],
        );
        assert_eq!(r.len(), 3, "{r:?}");
        assert!(r[0].1.is_ok() && r[1].1.is_err() && r[2].1.is_ok());

        let r = run("[{\"a\":1},{\"a\":", &[]);
        assert_eq!(r.len(), 2);
        assert!(r[1].1.is_err());
        assert!(run("", &[]).is_empty());
        // Text with no JSON object in it is one rejection, not nothing.
        let r = run("not json at all\nsecond line\n", &[]);
        assert_eq!(r.len(), 1);
        assert!(r[0].1.is_err());
        let r = run("Record 1\n{\"a\":1}\ntrailing garbage", &[]);
        assert_eq!(r.len(), 2, "{r:?}");
        assert!(r[1].1.is_err());
    }

    #[test]
    fn drift() {
        let v: Value = serde_json::json!({"n": "13335", "f": "FALSE", "z": "null", "t": 1767607200.5,
            "s": "{\"k\": 1}", "e": "2026-01-05T10:00:00.1234567Z"});
        assert_eq!(int(&v["n"]), Some(13335));
        assert_eq!(boolean(&v["f"]), Some(false));
        assert_eq!(text(&v["z"]), None);
        assert_eq!(timestamp(&v["t"]), Ok(1_767_607_200_500_000));
        assert_eq!(unstring(&v["s"])["k"], 1);
        assert_eq!(timestamp(&v["e"]), Ok(1_767_607_200_123_456));
    }

    proptest::proptest! {
        #[test]
        fn every_record_is_accounted_for(text in "\\PC{0,300}") {
            let dir = tempfile::tempdir().unwrap();
            let p = dir.path().join("x.json");
            std::fs::write(&p, &text).unwrap();
            let input = Input::new(&p).unwrap();
            let mut n = 0;
            let mut sink = |_: Loc, _: Outcome| { n += 1; Ok(()) };
            let r = for_each_record(&input, &["records"], &mut sink, &mut |_| Outcome::Skip("x".into()));
            proptest::prop_assert!(r.is_ok());
            // Text that is not empty (nor only separators, nor an empty array or wrapper) never
            // vanishes: at least one record (read or rejected) is reported.
            let t = text.trim();
            let empty_container = t.starts_with('[') || t.starts_with('{');
            if !t.is_empty() && !empty_container && !is_separator_text(t.as_bytes()) {
                proptest::prop_assert!(n >= 1, "{text:?} produced no record");
            }
        }
    }
}
