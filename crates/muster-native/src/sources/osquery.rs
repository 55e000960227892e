//! osquery scheduled-query result logs (`osqueryd.results.log`, `osqueryd.snapshots.log`, or the
//! same lines shipped through a TLS/Kafka/Firehose logger): one JSON object per line.
//!
//! Line shapes: differential events (`"action": "added" | "removed"`, `"columns": {...}`),
//! snapshots (`"action": "snapshot"`, `"snapshot": [{...}, ...]`) and batches
//! (`"diffResults": {"added": [...], "removed": [...]}`). One line is one record; its rows are
//! mapped one by one.
//!
//! Query names are chosen by whoever wrote the pack (`pack_it_processes`,
//! `pack/incident-response/usb`), so the osquery table is decided from the columns a row has,
//! with the query name only as a hint where the columns are ambiguous:
//!
//! | columns | osquery table | contract table |
//! |---|---|---|
//! | `vendor_id` + `model_id` | `usb_devices` | `peripherals` (`interfaces` = `class:subclass:protocol`) |
//! | `device_id` `USB\VID_..&PID_..` + `inf`/`driver_key`/`service` | Windows `drivers` | `peripherals` |
//! | `bssid` | `wifi_status`, `wifi_survey` | `device_presence` (`wifi_bssid`, `wifi_ssid`) |
//! | `ssid` + `last_connected` | `wifi_networks` | `device_presence` at `last_connected` |
//! | `interface` + `address` | `interface_addresses` | `device_presence.public_ip` (public addresses only) |
//! | `pid` + `name`/`path` (+ `cmdline`, `parent`, ...) | `processes` | `processes`, event `running` |
//! | `pid` + `path` + `syscall`/`auid` | `process_events` | `processes`, event `start` at `time` |
//! | `name` + `install_location`/`uninstall_string`/... | `programs` (and macOS `apps`) | `software`, kind `program` |
//! | `name` + `start_type`/`service_type` | `services` | `software`, kind `service` |
//! | `name` + `identifier` + `browser_type`/`permissions` | `chrome_extensions`, `firefox_addons` | `software`, kind `browser_extension` |
//! | `name` + `version` + `arch`/`revision`/... or a `*packages*` query | `deb_packages`, `rpm_packages`, ... | `software`, kind `package` |
//! | `hardware_serial`, `cpu_brand` + `hostname` | `system_info` | skipped (see below) |
//!
//! `device_id` is the line's `hostIdentifier` (or old-style `hostname`, or the decorations
//! `host_uuid` / `hostname`). `system_info` is not turned into `devices` rows: `devices.device_id`
//! is unique and result logs repeat the same host on every run, so such rows would be rejected
//! as duplicates; the host identifier reaches every other table instead.
//!
//! Time is `unixTime` (epoch seconds, number or text), else `calendarTime` (UTC). `removed`
//! rows: USB devices become `disconnected`; processes (ended), software (uninstalled) and Wi-Fi
//! (left the network) are skipped with a reason, the contract having no value for them.

use std::borrow::Cow;

use muster_contract::{DEVICE_PRESENCE, PERIPHERALS, PROCESSES, SOFTWARE};
use serde_json::{Map, Value};

use super::endpoint::{basename, calendar_time, hex_id, is_public_ip, usb_code, usb_id};
use crate::json::{self, text};
use crate::{Confidence, Input, NativeError, Outcome, Row, Sample, Sink, Source};

/// osquery result logs.
pub struct Osquery;

/// The reader.
pub static OSQUERY: Osquery = Osquery;

impl Source for Osquery {
    fn name(&self) -> &'static str {
        "osquery"
    }
    fn title(&self) -> &'static str {
        "osquery result logs (differential, snapshot, batch)"
    }
    fn tables(&self) -> &'static [&'static str] {
        &["processes", "software", "peripherals", "device_presence"]
    }
    fn sniff(&self, sample: &Sample<'_>) -> Option<Confidence> {
        let h = sample.head;
        let has = |n: &[&str]| json::head_has_all(h, n);
        if !h.trim_ascii_start().starts_with(b"{") {
            return None;
        }
        if has(&["\"diffResults\""]) || has(&["\"calendarTime\"", "\"unixTime\""]) {
            Some(90)
        } else if has(&["\"hostIdentifier\"", "\"action\""]) {
            Some(85)
        } else if has(&["\"action\"", "\"columns\"", "\"name\""])
            || has(&["\"action\"", "\"snapshot\"", "\"name\""])
        {
            Some(70)
        } else {
            None
        }
    }
    fn read(&self, input: &Input, sink: &mut dyn Sink) -> Result<(), NativeError> {
        json::for_each_record(input, &[], sink, &mut map_line)
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Action {
    Added,
    Removed,
    Snapshot,
}

/// The osquery table a row comes from, decided by its columns.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Usb,
    Drivers,
    Wifi,
    WifiKnown,
    Interface,
    SystemInfo,
    ProcessEvents,
    Processes,
    Software(&'static str),
    Unknown,
}

fn kind(row: &Map<String, Value>, query: &str) -> Kind {
    let has = |k: &str| row.contains_key(k);
    let any = |ks: &[&str]| ks.iter().any(|k| row.contains_key(*k));
    let q = query.to_ascii_lowercase();
    if has("vendor_id") && any(&["model_id", "product_id"]) {
        return Kind::Usb;
    }
    if has("device_id") && any(&["inf", "driver_key", "service_key", "service", "provider"]) {
        return Kind::Drivers;
    }
    if has("bssid") {
        return Kind::Wifi;
    }
    if has("ssid") && has("last_connected") {
        return Kind::WifiKnown;
    }
    if has("hardware_serial") || (has("cpu_brand") && has("hostname")) {
        return Kind::SystemInfo;
    }
    if has("interface") && any(&["address", "mac"]) {
        return Kind::Interface;
    }
    let named = has("name") || has("path");
    if has("pid") && has("path") && (has("syscall") || (has("auid") && has("cmdline"))) {
        return Kind::ProcessEvents;
    }
    if has("pid")
        && named
        && !any(&[
            "fd",
            "socket",
            "port",
            "local_port",
            "remote_address",
            "address",
            "tty",
        ])
        && (q.contains("process")
            || any(&[
                "cmdline",
                "parent",
                "cwd",
                "on_disk",
                "state",
                "threads",
                "uid",
                "parent_name",
            ]))
    {
        return Kind::Processes;
    }
    if has("name") {
        if any(&["bundle_identifier", "bundle_short_version"]) {
            return Kind::Software("program");
        }
        if has("identifier")
            && (any(&["browser_type", "permissions", "profile_path"]) || q.contains("extension"))
        {
            return Kind::Software("browser_extension");
        }
        if any(&["start_type", "service_type"]) {
            return Kind::Software("service");
        }
        if any(&[
            "install_location",
            "uninstall_string",
            "identifying_number",
            "install_source",
        ]) || (has("publisher") && has("install_date"))
            || (has("version") && q.contains("program"))
        {
            return Kind::Software("program");
        }
        if has("version")
            && (any(&[
                "arch",
                "revision",
                "maintainer",
                "package_group",
                "priority",
                "section",
                "source_rpm",
            ]) || ["package", "deb", "rpm", "homebrew", "chocolatey", "portage"]
                .iter()
                .any(|p| q.contains(p)))
        {
            return Kind::Software("package");
        }
    }
    Kind::Unknown
}

/// Host identifier of a result line.
fn host(o: &Map<String, Value>) -> Option<String> {
    let top = |k: &str| o.get(k).and_then(text);
    let deco = |k: &str| o.get("decorations").and_then(|d| d.get(k)).and_then(text);
    top("hostIdentifier")
        .or_else(|| top("hostname"))
        .or_else(|| deco("host_uuid"))
        .or_else(|| deco("hostname"))
        .map(Cow::into_owned)
}

/// Time of a result line: `unixTime`, else `calendarTime`.
fn line_time(o: &Map<String, Value>) -> Result<i64, String> {
    let unix = o.get("unixTime").filter(|v| text(v).is_some());
    if let Some(v) = unix {
        return json::timestamp(v).map_err(|e| format!("unixTime: {e}"));
    }
    match o.get("calendarTime").and_then(text) {
        Some(s) => calendar_time(&s).map_err(|e| format!("calendarTime: {e}")),
        None => Err("no result time (unixTime, calendarTime)".into()),
    }
}

fn map_line(v: &Value) -> Outcome {
    let Some(o) = v.as_object() else {
        return Outcome::reject("not a JSON object");
    };
    let query = o.get("name").and_then(text).unwrap_or_default();
    let mut batches: Vec<(Action, Vec<&Map<String, Value>>)> = Vec::new();
    if let Some(cols) = o.get("columns").and_then(Value::as_object) {
        let action = match o.get("action").and_then(text).as_deref() {
            Some("removed") => Action::Removed,
            Some("snapshot") => Action::Snapshot,
            _ => Action::Added,
        };
        batches.push((action, vec![cols]));
    } else if let Some(snap) = o.get("snapshot") {
        batches.push((Action::Snapshot, rows_of(Some(snap))));
    } else if let Some(diff) = o.get("diffResults") {
        batches.push((Action::Added, rows_of(diff.get("added"))));
        batches.push((Action::Removed, rows_of(diff.get("removed"))));
    } else if o.contains_key("severity") && o.contains_key("message") {
        return Outcome::Skip("osquery status log line (not a query result)".into());
    } else {
        return Outcome::reject("not an osquery result line (no columns, snapshot or diffResults)");
    }
    let total: usize = batches.iter().map(|(_, r)| r.len()).sum();
    if total == 0 {
        return Outcome::Skip("query result with no rows".into());
    }
    let device = host(o);
    let time = line_time(o);
    let mut out = Vec::new();
    let mut first_skip: Option<Cow<'static, str>> = None;
    for (action, rows) in &batches {
        for row in rows {
            let k = kind(row, &query);
            match map_row(k, *action, row, device.as_deref(), &time) {
                Ok(Some(r)) => out.push(r),
                Ok(None) => {}
                Err(RowErr::Skip(s)) => {
                    first_skip.get_or_insert_with(|| {
                        if k == Kind::Unknown {
                            Cow::Owned(format!("query {query:?}: {s}"))
                        } else {
                            s
                        }
                    });
                }
                Err(RowErr::Reject(s)) => return Outcome::reject(s),
            }
        }
    }
    if out.is_empty() {
        Outcome::Skip(first_skip.unwrap_or_else(|| "no mapped rows".into()))
    } else {
        Outcome::Rows(out)
    }
}

fn rows_of(v: Option<&Value>) -> Vec<&Map<String, Value>> {
    match v {
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_object).collect(),
        Some(Value::Object(m)) => vec![m],
        _ => Vec::new(),
    }
}

enum RowErr {
    Skip(Cow<'static, str>),
    Reject(String),
}

fn col<'a>(row: &'a Map<String, Value>, k: &str) -> Option<Cow<'a, str>> {
    row.get(k).and_then(text)
}

fn map_row(
    k: Kind,
    action: Action,
    row: &Map<String, Value>,
    device: Option<&str>,
    time: &Result<i64, String>,
) -> Result<Option<Row>, RowErr> {
    let skip = |s: &'static str| Err(RowErr::Skip(Cow::Borrowed(s)));
    // Decide first whether the row is for a table at all, so unmapped rows never need a host.
    match (k, action) {
        (Kind::Unknown, _) => {
            return skip("columns match no mapped osquery table");
        }
        (Kind::SystemInfo, _) => {
            return skip(
                "system_info: host inventory is not staged as devices rows (device_id must be unique there); the host identifier is the device_id of the other tables",
            );
        }
        (Kind::Processes | Kind::ProcessEvents, Action::Removed) => {
            return skip(
                "removed process row (process ended): processes.event has no value for it",
            );
        }
        (Kind::Software(_), Action::Removed) => {
            return skip("removed software row (uninstalled): not mapped");
        }
        (Kind::Wifi | Kind::WifiKnown | Kind::Interface, Action::Removed) => {
            return skip("removed network row (left the network): not mapped");
        }
        _ => {}
    }
    let Some(device) = device else {
        return Err(RowErr::Reject(
            "no host identifier (hostIdentifier, hostname, decorations.host_uuid/hostname)".into(),
        ));
    };
    let need_time = || -> Result<i64, RowErr> { time.clone().map_err(RowErr::Reject) };
    match k {
        Kind::Usb => {
            let mut r = Row::new(&PERIPHERALS);
            r.set("time", ts(need_time()?))
                .set("device_id", device)
                .set("vendor_id", col(row, "vendor_id").map(|v| hex_id(&v)))
                .set(
                    "product_id",
                    col(row, "model_id")
                        .or_else(|| col(row, "product_id"))
                        .map(|v| hex_id(&v)),
                )
                .set("vendor_name", col(row, "vendor").map(String::from))
                .set("product_name", col(row, "model").map(String::from))
                .set(
                    "serial",
                    col(row, "serial").filter(|s| s != "0").map(String::from),
                )
                .set("interfaces", interfaces(row))
                .set("event", usb_event(action));
            Ok(Some(r))
        }
        Kind::Drivers => {
            let Some(id) = col(row, "device_id").and_then(|d| usb_id(&d)) else {
                return skip("driver row for a device without a USB vendor/product id");
            };
            let mut r = Row::new(&PERIPHERALS);
            r.set("time", ts(need_time()?))
                .set("device_id", device)
                .set("vendor_id", id.vendor)
                .set("product_id", id.product)
                .set(
                    "vendor_name",
                    col(row, "manufacturer")
                        .or_else(|| col(row, "provider"))
                        .map(String::from),
                )
                .set(
                    "product_name",
                    col(row, "description")
                        .or_else(|| col(row, "device_name"))
                        .map(String::from),
                )
                .set("serial", id.serial)
                .set("event", usb_event(action));
            Ok(Some(r))
        }
        Kind::Wifi => {
            let bssid = col(row, "bssid")
                .filter(|b| b != "00:00:00:00:00:00")
                .map(|b| b.to_ascii_lowercase());
            let ssid = col(row, "ssid")
                .or_else(|| col(row, "network_name"))
                .map(String::from);
            if bssid.is_none() && ssid.is_none() {
                return skip("Wi-Fi row without BSSID or SSID (not associated)");
            }
            let mut r = Row::new(&DEVICE_PRESENCE);
            r.set("time", ts(need_time()?))
                .set("device_id", device)
                .set("wifi_bssid", bssid)
                .set("wifi_ssid", ssid)
                .set("source", "osquery");
            Ok(Some(r))
        }
        Kind::WifiKnown => {
            let last = row
                .get("last_connected")
                .and_then(json::int)
                .filter(|t| *t > 0);
            let Some(last) = last else {
                return skip("remembered Wi-Fi network without last_connected");
            };
            let t = muster_ingest::time::epoch_to_micros(last as f64)
                .map_err(|e| RowErr::Reject(format!("last_connected: {e}")))?;
            let mut r = Row::new(&DEVICE_PRESENCE);
            r.set("time", ts(t))
                .set("device_id", device)
                .set(
                    "wifi_ssid",
                    col(row, "ssid")
                        .or_else(|| col(row, "network_name"))
                        .map(String::from),
                )
                .set("source", "osquery");
            Ok(Some(r))
        }
        Kind::Interface => {
            let Some(addr) = col(row, "address").filter(|a| is_public_ip(a)) else {
                return skip("network interface without a public address");
            };
            let mut r = Row::new(&DEVICE_PRESENCE);
            r.set("time", ts(need_time()?))
                .set("device_id", device)
                .set("public_ip", addr.into_owned())
                .set("source", "osquery");
            Ok(Some(r))
        }
        Kind::Processes | Kind::ProcessEvents => {
            let path = col(row, "path");
            let name = col(row, "name")
                .map(String::from)
                .or_else(|| path.as_deref().map(|p| basename(p).to_string()))
                .filter(|n| !n.is_empty());
            let Some(name) = name else {
                return skip("process row without name or path");
            };
            let t = if k == Kind::ProcessEvents {
                match row.get("time").filter(|v| text(v).is_some()) {
                    Some(v) => {
                        json::timestamp(v).map_err(|e| RowErr::Reject(format!("time: {e}")))?
                    }
                    None => need_time()?,
                }
            } else {
                need_time()?
            };
            let mut r = Row::new(&PROCESSES);
            r.set("time", ts(t))
                .set("device_id", device)
                .set("name", name)
                .set("path", path.map(String::from))
                .set("cmdline", col(row, "cmdline").map(String::from))
                .set("sha256", col(row, "sha256").map(String::from))
                .set("parent_name", col(row, "parent_name").map(String::from))
                .set("user", col(row, "username").map(String::from))
                .set(
                    "event",
                    if k == Kind::ProcessEvents {
                        "start"
                    } else {
                        "running"
                    },
                );
            Ok(Some(r))
        }
        Kind::Software(kind) => {
            let Some(name) = col(row, "name").map(String::from) else {
                return skip("software row without a name");
            };
            let version = col(row, "version")
                .or_else(|| col(row, "bundle_short_version"))
                .map(String::from);
            let path = col(row, "install_location")
                .or_else(|| col(row, "path"))
                .map(String::from);
            let seen = time.as_ref().ok().copied();
            let first = col(row, "install_date")
                .and_then(|d| install_date(&d))
                .or(if action == Action::Added { seen } else { None });
            let mut r = Row::new(&SOFTWARE);
            r.set("device_id", device)
                .set("name", name)
                .set("version", version)
                .set("publisher", col(row, "publisher").map(String::from))
                .set("install_path", path)
                .set("kind", kind)
                .set("first_seen", first.map(ts))
                .set("last_seen", seen.map(ts));
            Ok(Some(r))
        }
        Kind::Unknown | Kind::SystemInfo => skip("columns match no mapped osquery table"),
    }
}

fn usb_event(action: Action) -> &'static str {
    match action {
        Action::Added => "connected",
        Action::Removed => "disconnected",
        Action::Snapshot => "present",
    }
}

fn ts(t: i64) -> crate::V {
    crate::V::TsMicros(t)
}

/// `class:subclass:protocol` of a `usb_devices` row, when all three are present.
fn interfaces(row: &Map<String, Value>) -> Option<String> {
    let c = usb_code(&col(row, "class")?)?;
    if c == "00" {
        return None; // class defined per interface, which usb_devices does not list
    }
    let s = usb_code(&col(row, "subclass")?)?;
    let p = usb_code(&col(row, "protocol")?)?;
    Some(format!("{c}:{s}:{p}"))
}

/// Windows `programs.install_date` (`20240115`), or any timestamp text.
fn install_date(s: &str) -> Option<i64> {
    let t = s.trim();
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        let iso = format!("{}-{}-{}", &t[..4], &t[4..6], &t[6..]);
        return muster_ingest::time::parse_ts(&iso).ok();
    }
    if t.bytes().all(|b| b.is_ascii_digit()) {
        // An epoch (macOS apps) - but never the tiny numbers some tables write.
        return t
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 100_000_000)
            .and_then(|n| muster_ingest::time::epoch_to_micros(n as f64).ok());
    }
    muster_ingest::time::parse_ts(t).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn table_detection_by_columns() {
        let k = |v: Value, q: &str| kind(&obj(v), q);
        use serde_json::json;
        assert_eq!(
            k(json!({"vendor_id":"1d6b","model_id":"0104"}), "x"),
            Kind::Usb
        );
        assert_eq!(
            k(
                json!({"name":"a","path":"/a","pid":"1"}),
                "pack_it_processes"
            ),
            Kind::Processes
        );
        assert_eq!(
            k(json!({"name":"a","path":"/a","pid":"1"}), "q1"),
            Kind::Unknown
        );
        assert_eq!(
            k(
                json!({"name":"a","path":"/a","pid":"1","cmdline":"a"}),
                "q1"
            ),
            Kind::Processes
        );
        assert_eq!(
            k(
                json!({"pid":"1","port":"22","path":"","address":"0.0.0.0"}),
                "listening"
            ),
            Kind::Unknown
        );
        assert_eq!(
            k(
                json!({"pid":"223","version":"5","uuid":"x","start_time":"1"}),
                "pack_unwanted-chrome-extensions_pup1"
            ),
            Kind::Unknown
        );
        assert_eq!(
            k(
                json!({"name":"Zoom","version":"5","publisher":"Z","install_date":"20240101"}),
                "q"
            ),
            Kind::Software("program")
        );
        assert_eq!(
            k(
                json!({"name":"liblzma.so","version":"5.6","source":"x"}),
                "pack_vuln_rpm_packages"
            ),
            Kind::Software("package")
        );
        assert_eq!(
            k(
                json!({"name":"x","identifier":"abc","browser_type":"chrome"}),
                "q"
            ),
            Kind::Software("browser_extension")
        );
        assert_eq!(k(json!({"ssid":"a","bssid":"b"}), "q"), Kind::Wifi);
        assert_eq!(
            k(
                json!({"hostname":"h","uuid":"u","hardware_serial":"s"}),
                "q"
            ),
            Kind::SystemInfo
        );
        assert_eq!(
            k(json!({"device_id":"USB\\VID_1&PID_2","inf":"x.inf"}), "q"),
            Kind::Drivers
        );
    }

    #[test]
    fn install_dates() {
        assert_eq!(install_date("20240115"), Some(1_705_276_800_000_000));
        assert_eq!(install_date("0"), None);
        assert_eq!(install_date("junk"), None);
    }
}
