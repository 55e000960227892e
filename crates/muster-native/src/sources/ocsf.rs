//! OCSF 1.x events (JSON: NDJSON, arrays, wrappers; or Parquet as Amazon Security Lake writes
//! it, nested structs read through Arrow's JSON writer so both share one mapping).
//!
//! Classes mapped (attribute names from the OCSF 1.8.0 schema; `time` is epoch milliseconds):
//! - 3002 Authentication, activity Logon (or unknown/other) -> `signins`: `user.email_addr`
//!   (else `user.name`, `user.uid`) -> account, `src_endpoint.ip`, `status_id` 1/2 ->
//!   success/failure (else `status` text; default success), `service.name` -> app,
//!   `src_endpoint.location` country/region/city and `lat`/`long` (or the deprecated
//!   `coordinates` = `[lon, lat]`), `src_endpoint.autonomous_system`, `session.uid`,
//!   `http_request.user_agent`, `device.uid`, `auth_factors[].device.uid` -> mfa_device_id,
//!   `metadata.product.name` (lowercase) -> source. Logoff and Kerberos ticket activities are
//!   skipped.
//! - 1007 Process Activity, activity Launch -> `processes` (event `start`).
//! - 4001 Network Activity -> `network` (`connection_info.direction_id` 1/2 -> inbound/outbound,
//!   `traffic.bytes_in/out`, `duration` ms -> seconds, `dst_endpoint.domain`/`hostname`).
//! - 5001 Device Inventory Info -> `devices` (`device.uid`, else hostname; a device repeated in
//!   one file is skipped after the first, as `devices.device_id` is unique).
//! - 1010 Peripheral Activity -> `peripherals`: OCSF's `peripheral_device` has no product id
//!   attribute, so vendor and product ids are read from `vendor_id_list` / `uid` / `model`
//!   entries holding Windows-style hardware ids (`USB\VID_046D&PID_C52B`), or from
//!   `vendor_id` / `product_id` extension attributes; without both ids the event is rejected.
//!
//! Every other class is skipped with "OCSF class N not mapped".

use std::collections::HashSet;
use std::fs::File;

use muster_contract::{DEVICES, NETWORK, PERIPHERALS, PROCESSES, SIGNINS};
use serde_json::Value;

use crate::NativeError;
use crate::json::{self, at, head_has_all, text, text_at};
use crate::record::{Loc, Outcome, Row, V};
use crate::source::{Confidence, Input, Sample, Sink, Source};

/// The OCSF reader.
pub struct Ocsf;

impl Source for Ocsf {
    fn name(&self) -> &'static str {
        "ocsf"
    }
    fn title(&self) -> &'static str {
        "OCSF events (JSON or Parquet, e.g. Amazon Security Lake)"
    }
    fn tables(&self) -> &'static [&'static str] {
        &["signins", "processes", "network", "devices", "peripherals"]
    }
    fn sniff(&self, s: &Sample<'_>) -> Option<Confidence> {
        let h = s.head;
        if h.starts_with(b"PAR1") {
            // Column names sit in the footer (the sample's tail).
            return if head_has_all(h, &["class_uid", "category_uid"])
                || head_has_all(s.tail, &["class_uid", "category_uid"])
            {
                Some(90)
            } else {
                None
            };
        }
        let t = h.trim_ascii_start();
        if !(t.starts_with(b"{") || t.starts_with(b"[")) {
            return None;
        }
        // `"class_uid": 3002` (or `"3002"`), not the schema's own `"class_uid": {...}`.
        if !numeric_key(h, b"\"class_uid\"") {
            return None;
        }
        if numeric_key(h, b"\"category_uid\"") {
            return Some(92);
        }
        if head_has_all(h, &["\"metadata\"", "\"version\""]) {
            return Some(88);
        }
        None
    }
    fn read(&self, input: &Input, sink: &mut dyn Sink) -> Result<(), NativeError> {
        let head = input.head()?;
        let mut devices = HashSet::new();
        let mut f = |v: &Value| map_event(v, &mut devices);
        if head.starts_with(b"PAR1") {
            return read_parquet(input, sink, &mut f);
        }
        json::for_each_record(
            input,
            &["events", "records", "Records", "data"],
            sink,
            &mut f,
        )
    }
}

/// Whether `key` occurs followed by `:` and a number (or a quoted number).
fn numeric_key(h: &[u8], key: &[u8]) -> bool {
    let mut rest = h;
    while let Some(i) = rest.windows(key.len()).position(|w| w == key) {
        let after = &rest[i + key.len()..];
        let mut it = after.iter().copied().skip_while(u8::is_ascii_whitespace);
        if it.next() == Some(b':') {
            let mut v = it.skip_while(u8::is_ascii_whitespace);
            match v.next() {
                Some(b'"') if v.next().is_some_and(|c| c.is_ascii_digit()) => return true,
                Some(c) if c.is_ascii_digit() => return true,
                _ => {}
            }
        }
        rest = after;
    }
    false
}

fn read_parquet(
    input: &Input,
    sink: &mut dyn Sink,
    f: &mut dyn FnMut(&Value) -> Outcome,
) -> Result<(), NativeError> {
    use arrow::record_batch::RecordBatch;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let fmt = |reason: String| NativeError::Format {
        path: input.path.clone(),
        reason,
    };
    if input.compression != muster_ingest::discover::Compression::None {
        return Err(fmt(
            "compressed Parquet files are not supported (Parquet compresses internally: decompress the file)".into(),
        ));
    }
    let file = File::open(&input.path).map_err(|e| NativeError::io(&input.path, e))?;
    // The Parquet decoder can panic on corrupt files (seen in property tests): contain it.
    let guarded = |f: &mut dyn FnMut() -> Option<Result<RecordBatch, String>>| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
            .unwrap_or_else(|_| Some(Err("the decoder failed on corrupt data".to_string())))
    };
    let mut reader = std::panic::catch_unwind(|| {
        ParquetRecordBatchReaderBuilder::try_new(file).and_then(|b| b.with_batch_size(4096).build())
    })
    .unwrap_or_else(|_| {
        Err(parquet::errors::ParquetError::General(
            "the decoder failed on corrupt metadata".into(),
        ))
    })
    .map_err(|e| fmt(format!("not a readable Parquet file: {e}")))?;
    let mut n = 0u64;
    while let Some(batch) = guarded(&mut || reader.next().map(|b| b.map_err(|e| e.to_string()))) {
        let batch = match batch {
            Ok(b) => b,
            Err(e) => {
                // The rest of the file cannot be decoded: one rejection says so.
                n += 1;
                sink.record(
                    Loc::Record(n),
                    Outcome::reject(format!("unreadable Parquet row group: {e}")),
                )?;
                return Ok(());
            }
        };
        let mut buf = Vec::with_capacity(batch.num_rows() * 512);
        let written = {
            let mut w = arrow::json::LineDelimitedWriter::new(&mut buf);
            w.write(&batch).and_then(|_| w.finish())
        };
        if let Err(e) = written {
            for _ in 0..batch.num_rows() {
                n += 1;
                sink.record(
                    Loc::Record(n),
                    Outcome::reject(format!("Parquet row cannot be converted: {e}")),
                )?;
            }
            continue;
        }
        for line in buf.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            n += 1;
            let out = match serde_json::from_slice::<Value>(line) {
                Ok(v) => f(&v),
                Err(e) => Outcome::reject(format!("Parquet row cannot be converted: {e}")),
            };
            sink.record(Loc::Record(n), out)?;
        }
    }
    Ok(())
}

fn int_at(v: &Value, path: &[&str]) -> Option<i64> {
    at(v, path).and_then(json::int)
}

fn event_time(v: &Value) -> Result<i64, String> {
    match at(v, &["time"]) {
        Some(t) if !t.is_null() => json::timestamp(t).map_err(|e| format!("time: {e}")),
        _ => match at(v, &["start_time"]) {
            Some(t) if !t.is_null() => json::timestamp(t).map_err(|e| format!("start_time: {e}")),
            _ => Err("no time".into()),
        },
    }
}

fn device_id(v: &Value) -> Option<String> {
    text_at(v, &["device", "uid"])
        .or_else(|| text_at(v, &["device", "hostname"]))
        .or_else(|| text_at(v, &["device", "name"]))
}

fn map_event(v: &Value, devices: &mut HashSet<String>) -> Outcome {
    let class = int_at(v, &["class_uid"]).or_else(|| {
        // Derive from type_uid = class_uid * 100 + activity_id.
        int_at(v, &["type_uid"]).map(|t| t / 100)
    });
    let Some(class) = class else {
        return Outcome::reject("OCSF event without class_uid");
    };
    let time = match event_time(v) {
        Ok(t) => t,
        Err(e) => return Outcome::reject(format!("OCSF class {class}: {e}")),
    };
    let activity = int_at(v, &["activity_id"]).unwrap_or(0);
    match class {
        3002 => authentication(v, time, activity),
        1007 => process(v, time, activity),
        4001 => network(v, time),
        5001 => inventory(v, time, devices),
        1010 => peripheral(v, time, activity),
        _ => Outcome::Skip(format!("OCSF class {class} not mapped").into()),
    }
}

fn authentication(v: &Value, time: i64, activity: i64) -> Outcome {
    if !matches!(activity, 0 | 1 | 99) {
        let what = match activity {
            2 => "Logoff",
            3..=5 => "Kerberos ticket",
            6 => "Preauth",
            7 => "Account Switch",
            _ => "other",
        };
        return Outcome::Skip(
            format!("OCSF authentication activity {activity} ({what}) not a sign-in").into(),
        );
    }
    let account = text_at(v, &["user", "email_addr"])
        .or_else(|| text_at(v, &["user", "name"]))
        .or_else(|| text_at(v, &["user", "uid"]));
    let Some(account) = account else {
        return Outcome::reject(
            "OCSF authentication without user.email_addr, user.name or user.uid",
        );
    };
    let Some(ip) = text_at(v, &["src_endpoint", "ip"]) else {
        return Outcome::reject("OCSF authentication without src_endpoint.ip");
    };
    let outcome = match int_at(v, &["status_id"]) {
        Some(1) => Some("success".to_string()),
        Some(2) => Some("failure".to_string()),
        _ => text_at(v, &["status"])
            .map(|s| s.to_ascii_lowercase())
            .map(|s| {
                if s.contains("fail") || s.contains("den") {
                    "failure".into()
                } else if s.contains("challenge") || s.contains("mfa") {
                    "challenge".into()
                } else if s.contains("succe") {
                    "success".into()
                } else {
                    s
                }
            }),
    };
    let loc = at(v, &["src_endpoint", "location"]);
    let (mut lat, mut lon) = (
        loc.and_then(|l| at(l, &["lat"])).and_then(json::float),
        loc.and_then(|l| at(l, &["long"])).and_then(json::float),
    );
    if lat.is_none() || lon.is_none() {
        // Deprecated GeoJSON order: [longitude, latitude].
        if let Some(c) = loc
            .and_then(|l| at(l, &["coordinates"]))
            .and_then(Value::as_array)
            && let (Some(x), Some(y)) = (
                c.first().and_then(json::float),
                c.get(1).and_then(json::float),
            )
        {
            lon = Some(x);
            lat = Some(y);
        }
    }
    let mfa_device = at(v, &["auth_factors"])
        .and_then(Value::as_array)
        .and_then(|fs| fs.iter().find_map(|f| text_at(f, &["device", "uid"])));
    let source = text_at(v, &["metadata", "product", "name"])
        .map(|s| s.to_ascii_lowercase())
        .unwrap_or_else(|| "ocsf".into());
    let mut r = Row::new(&SIGNINS);
    r.set("time", V::TsMicros(time))
        .set("account", account)
        .set("src_ip", ip)
        .set("outcome", outcome)
        .set(
            "app",
            text_at(v, &["service", "name"]).or_else(|| text_at(v, &["dst_endpoint", "svc_name"])),
        )
        .set("device_id", device_id(v))
        .set("mfa_device_id", mfa_device)
        .set("session_id", text_at(v, &["session", "uid"]))
        .set("user_agent", text_at(v, &["http_request", "user_agent"]))
        .set("geo_country", loc.and_then(|l| text_at(l, &["country"])))
        .set("geo_region", loc.and_then(|l| text_at(l, &["region"])))
        .set("geo_city", loc.and_then(|l| text_at(l, &["city"])))
        .set("geo_lat", lat)
        .set("geo_lon", lon)
        .set(
            "asn",
            int_at(v, &["src_endpoint", "autonomous_system", "number"]),
        )
        .set(
            "as_org",
            text_at(v, &["src_endpoint", "autonomous_system", "name"]),
        )
        .set("source", source);
    Outcome::row(r)
}

fn basename(p: &str) -> &str {
    p.rsplit(['/', '\\']).next().unwrap_or(p)
}

fn sha256(file: Option<&Value>) -> Option<String> {
    let hashes = file
        .and_then(|f| at(f, &["hashes"]))
        .and_then(Value::as_array)?;
    hashes.iter().find_map(|h| {
        let is_sha = int_at(h, &["algorithm_id"]) == Some(3)
            || text_at(h, &["algorithm"]).is_some_and(|a| {
                a.eq_ignore_ascii_case("sha-256") || a.eq_ignore_ascii_case("sha256")
            });
        if is_sha {
            text_at(h, &["value"]).map(|s| s.to_ascii_lowercase())
        } else {
            None
        }
    })
}

fn process(v: &Value, time: i64, activity: i64) -> Outcome {
    if activity != 1 {
        return Outcome::Skip(format!("OCSF process activity {activity} is not a launch").into());
    }
    let Some(device) = device_id(v) else {
        return Outcome::reject("OCSF process activity without device.uid or device.hostname");
    };
    let p = at(v, &["process"]);
    let file = p.and_then(|p| at(p, &["file"]));
    let path = file
        .and_then(|f| text_at(f, &["path"]))
        .or_else(|| p.and_then(|p| text_at(p, &["path"])));
    let name = p
        .and_then(|p| text_at(p, &["name"]))
        .or_else(|| file.and_then(|f| text_at(f, &["name"])))
        .or_else(|| path.as_deref().map(|s| basename(s).to_string()));
    let Some(name) = name else {
        return Outcome::reject("OCSF process activity without process.name or process.file.path");
    };
    let mut r = Row::new(&PROCESSES);
    r.set("time", V::TsMicros(time))
        .set("device_id", device)
        .set("name", name)
        .set("path", path)
        .set("cmdline", p.and_then(|p| text_at(p, &["cmd_line"])))
        .set("sha256", sha256(file))
        .set(
            "signer",
            file.and_then(|f| text_at(f, &["signature", "certificate", "subject"])),
        )
        .set(
            "parent_name",
            p.and_then(|p| {
                text_at(p, &["parent_process", "name"]).or_else(|| {
                    text_at(p, &["parent_process", "file", "path"])
                        .map(|s| basename(&s).to_string())
                })
            }),
        )
        .set(
            "user",
            p.and_then(|p| text_at(p, &["user", "name"]))
                .or_else(|| text_at(v, &["actor", "user", "name"])),
        )
        .set("event", "start");
    Outcome::row(r)
}

fn network(v: &Value, time: i64) -> Outcome {
    let direction = match int_at(v, &["connection_info", "direction_id"]) {
        Some(1) => Some("inbound"),
        Some(2) => Some("outbound"),
        _ => None,
    };
    let duration = at(v, &["duration"])
        .and_then(json::float)
        .map(|ms| ms / 1000.0)
        .or_else(|| {
            let s = at(v, &["start_time"]).and_then(|t| json::timestamp(t).ok())?;
            let e = at(v, &["end_time"]).and_then(|t| json::timestamp(t).ok())?;
            (e >= s).then(|| (e - s) as f64 / 1e6)
        });
    let mut r = Row::new(&NETWORK);
    r.set("time", V::TsMicros(time))
        .set("device_id", device_id(v))
        .set("src_ip", text_at(v, &["src_endpoint", "ip"]))
        .set("src_port", int_at(v, &["src_endpoint", "port"]))
        .set("dst_ip", text_at(v, &["dst_endpoint", "ip"]))
        .set("dst_port", int_at(v, &["dst_endpoint", "port"]))
        .set(
            "protocol",
            text_at(v, &["connection_info", "protocol_name"]).map(|s| s.to_ascii_lowercase()),
        )
        .set("direction", direction)
        .set("bytes_in", int_at(v, &["traffic", "bytes_in"]))
        .set("bytes_out", int_at(v, &["traffic", "bytes_out"]))
        .set("duration_s", duration)
        .set(
            "domain",
            text_at(v, &["dst_endpoint", "domain"])
                .or_else(|| text_at(v, &["dst_endpoint", "hostname"])),
        );
    Outcome::row(r)
}

fn inventory(v: &Value, _time: i64, seen: &mut HashSet<String>) -> Outcome {
    let Some(id) = device_id(v) else {
        return Outcome::reject("OCSF device inventory without device.uid or device.hostname");
    };
    if !seen.insert(id.clone()) {
        return Outcome::Skip(
            format!("device {id} already reported in this file (devices.device_id is unique)")
                .into(),
        );
    }
    let d = at(v, &["device"]);
    let os = d.and_then(|d| {
        let name = text_at(d, &["os", "name"])?;
        Some(match text_at(d, &["os", "version"]) {
            Some(ver) => format!("{name} {ver}"),
            None => name,
        })
    });
    let mut r = Row::new(&DEVICES);
    r.set("device_id", id)
        .set(
            "serial_number",
            d.and_then(|d| text_at(d, &["hw_info", "serial_number"])),
        )
        .set("hostname", d.and_then(|d| text_at(d, &["hostname"])))
        .set("model", d.and_then(|d| text_at(d, &["model"])))
        .set("os", os)
        .set(
            "managed",
            d.and_then(|d| at(d, &["is_managed"]))
                .and_then(json::boolean),
        );
    Outcome::row(r)
}

/// Vendor and product id from a hardware id such as `USB\VID_046D&PID_C52B\5&1A2B`.
fn vid_pid(s: &str) -> (Option<String>, Option<String>) {
    let u = s.to_ascii_uppercase();
    let grab = |key: &str| {
        let i = u.find(key)? + key.len();
        let hex: String = u[i..]
            .chars()
            .take_while(char::is_ascii_hexdigit)
            .take(4)
            .collect();
        (hex.len() == 4).then(|| hex.to_ascii_lowercase())
    };
    (grab("VID_"), grab("PID_"))
}

fn hex_id(v: Option<&Value>) -> Option<String> {
    let v = v?;
    if let Some(i) = v.as_u64() {
        return (i <= 0xffff).then(|| format!("{i:04x}"));
    }
    let s = text(v)?;
    let s = s.trim().trim_start_matches("0x").trim_start_matches("0X");
    (!s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_hexdigit()))
        .then(|| format!("{:0>4}", s.to_ascii_lowercase()))
}

fn peripheral(v: &Value, time: i64, activity: i64) -> Outcome {
    let Some(device) = device_id(v) else {
        return Outcome::reject("OCSF peripheral activity without device.uid or device.hostname");
    };
    let Some(p) = at(v, &["peripheral_device"]) else {
        return Outcome::reject("OCSF peripheral activity without peripheral_device");
    };
    let mut vendor = hex_id(at(p, &["vendor_id"]));
    let mut product = hex_id(at(p, &["product_id"]));
    let mut candidates: Vec<String> = at(p, &["vendor_id_list"])
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(|x| text(x).map(|s| s.into_owned()))
                .collect()
        })
        .unwrap_or_default();
    candidates.extend(
        ["uid", "model", "class"]
            .iter()
            .filter_map(|k| text_at(p, &[k])),
    );
    for c in &candidates {
        let (vi, pi) = vid_pid(c);
        if vendor.is_none() {
            vendor = vi;
        }
        if product.is_none() {
            product = pi;
        }
    }
    if vendor.is_none() {
        // A bare hex vendor id in the list ("046d", "0x046D").
        vendor = at(p, &["vendor_id_list"])
            .and_then(Value::as_array)
            .and_then(|l| l.iter().find_map(|x| hex_id(Some(x))));
    }
    let (Some(vendor), Some(product)) = (vendor, product) else {
        return Outcome::reject(
            "OCSF peripheral_device without USB vendor and product ids (vendor_id_list / uid with VID_xxxx&PID_yyyy)",
        );
    };
    let event = match activity {
        1 | 3 => Some("connected"),
        2 | 4 | 5 => Some("disconnected"),
        _ => None,
    };
    let mut r = Row::new(&PERIPHERALS);
    r.set("time", V::TsMicros(time))
        .set("device_id", device)
        .set("vendor_id", vendor)
        .set("product_id", product)
        .set("vendor_name", text_at(p, &["vendor_name"]))
        .set(
            "product_name",
            text_at(p, &["name"]).or_else(|| text_at(p, &["model"])),
        )
        .set("serial", text_at(p, &["serial_number"]))
        .set("event", event);
    Outcome::row(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hardware_ids() {
        assert_eq!(
            vid_pid("USB\\VID_046D&PID_C52B\\5&1A2B"),
            (Some("046d".into()), Some("c52b".into()))
        );
        assert_eq!(vid_pid("HID\\VID_12"), (None, None));
        assert_eq!(
            hex_id(Some(&serde_json::json!("0x46D"))),
            Some("046d".into())
        );
        assert_eq!(hex_id(Some(&serde_json::json!(1133))), Some("046d".into()));
        assert_eq!(hex_id(Some(&serde_json::json!("zz"))), None);
    }
}
