//! Windows event logs as JSON or XML: `evtx_dump -o json|jsonl` output (`Event.System`,
//! `Event.EventData`, `#text` / `#attributes` forms, also as concatenated pretty objects with
//! `Record N` separators), NXLog / Logstash flat JSON (`EventID`, `Channel`, `SourceName`,
//! `Hostname` and the event data at top level), Panther-style flat JSON (`ExtraEventData`),
//! Winlogbeat (`winlog.event_id`, `winlog.event_data`) and Windows event XML
//! (`<Event><System><EventID>`..., one or several `<Event>` elements).
//!
//! | event | contract row |
//! |---|---|
//! | Sysmon 1 process create, Security 4688 | `processes`, event `start` |
//! | Sysmon 3 network connection | `network`; `Initiated=false` -> `inbound` (an inbound 3389 is RDP) |
//! | Sysmon 22 DNS query | `network` with `domain` = `QueryName`, protocol `dns`, outbound |
//! | Security 4624 logon type 10 (RemoteInteractive) | `network` inbound to port 3389 from `IpAddress` |
//! | Security 4778 session reconnected over RDP | `network` inbound to port 3389 from `ClientAddress` |
//! | Security 6416 new external device | `peripherals` from `USB\VID_xxxx&PID_yyyy` (DeviceId or VendorIds), event `connected` |
//! | DriverFrameworks-UserMode 2003 (driver load for a device) | `peripherals`, event `connected` |
//!
//! RDP logons become `network` rows (inbound, 3389) rather than `signins`: RDP-INBOUND reads
//! flows, and a Windows logon carries a SAM account name, not the identity-provider login the
//! sign-in analyses join on. Other logon types (3 network, 7 unlock, ...) are skipped with their
//! type in the reason; an NLA RDP session that shows only as type 3 + 7 is still caught by
//! 4778 or Sysmon 3.
//!
//! Time: Sysmon `UtcTime`, else `System.TimeCreated.SystemTime`, flat `TimeCreated`,
//! `@timestamp` (UTC, shipper time), and only last NXLog's `EventTime` (local time without a
//! zone). `device_id` is the event's `Computer` (NXLog `Hostname`; never the shipper's `host`).
//!
//! Binary `.evtx` files (`ElfFile\0` signature, plain or compressed) are decoded with the `evtx`
//! crate into the same JSON shape as `evtx_dump` and mapped the same way; a record the decoder
//! cannot read is rejected with its reason and the rest of the file is read. ZIP archives (as
//! OTRF ships its datasets) are not opened: extract them first.

use std::borrow::Cow;
use std::io::Read;

use muster_contract::{NETWORK, PERIPHERALS, PROCESSES};
use serde_json::{Map, Value};

use super::endpoint::{basename, ip, usb_id, usb_interfaces};
use crate::json::{self, text};
use crate::{Confidence, Input, Loc, NativeError, Outcome, Row, Sample, Sink, Source, V};

/// Windows event logs (JSON and XML renderings).
pub struct Windows;

/// The reader.
pub static WINDOWS: Windows = Windows;

const EVTX_MAGIC: &[u8] = b"ElfFile\0";

impl Source for Windows {
    fn name(&self) -> &'static str {
        "windows"
    }
    fn title(&self) -> &'static str {
        "Windows event logs (evtx_dump JSON, NXLog/Winlogbeat JSON, event XML)"
    }
    fn tables(&self) -> &'static [&'static str] {
        &["processes", "network", "peripherals"]
    }
    fn sniff(&self, sample: &Sample<'_>) -> Option<Confidence> {
        let h = sample.head;
        if h.starts_with(EVTX_MAGIC) {
            return Some(95);
        }
        let t = h.trim_ascii_start();
        let t = t.strip_prefix(b"\xef\xbb\xbf").unwrap_or(t);
        let has = |n: &[&str]| json::head_has_all(h, n);
        if t.starts_with(b"<") {
            return (has(&["<Event"]) && has(&["<EventID"])).then_some(85);
        }
        let jsonish = t.starts_with(b"{") || t.starts_with(b"[") || t.starts_with(b"Record ");
        if !jsonish {
            return None;
        }
        if has(&["\"Event\"", "\"System\"", "\"EventID\""]) {
            return Some(85);
        }
        if has(&["\"winlog\"", "\"event_id\""]) {
            return Some(80);
        }
        if has(&["\"EventID\""])
            && [
                "\"Channel\"",
                "\"SourceName\"",
                "\"ProviderName\"",
                "\"Computer\"",
            ]
            .iter()
            .any(|n| has(&[n]))
        {
            return Some(80);
        }
        None
    }
    fn read(&self, input: &Input, sink: &mut dyn Sink) -> Result<(), NativeError> {
        let mut head = Vec::with_capacity(16);
        input
            .reader()?
            .take(4096)
            .read_to_end(&mut head)
            .map_err(|e| NativeError::io(&input.path, e))?;
        if head.starts_with(EVTX_MAGIC) {
            return read_evtx(input, sink);
        }
        if head.starts_with(b"PK\x03\x04") {
            return sink.record(
                Loc::Record(1),
                Outcome::reject("ZIP archive: extract the event file(s) first"),
            );
        }
        let t = head.trim_ascii_start();
        let t = t.strip_prefix(b"\xef\xbb\xbf").unwrap_or(t);
        if t.starts_with(b"<") {
            return read_xml(input, sink);
        }
        json::for_each_record(
            input,
            &["records", "Records", "Events", "events"],
            sink,
            &mut |v| map_event(v),
        )
    }
}

/// Binary `.evtx`: every record through the `evtx` decoder, then the evtx_dump JSON mapping.
fn read_evtx(input: &Input, sink: &mut dyn Sink) -> Result<(), NativeError> {
    let fmt = |e: evtx::err::EvtxError| NativeError::Format {
        path: input.path.clone(),
        reason: format!("not a readable .evtx file: {e}"),
    };
    let settings = evtx::ParserSettings::default().num_threads(1);
    // Event logs are bounded (Windows rolls them at a configured size, 20 MB by default for
    // Security), so the whole file is read into memory; compressed copies work the same way.
    let mut buf = Vec::new();
    input
        .reader()?
        .read_to_end(&mut buf)
        .map_err(|e| NativeError::io(&input.path, e))?;
    let mut parser = evtx::EvtxParser::from_buffer(buf)
        .map_err(fmt)?
        .with_configuration(settings);
    let mut last_id = 0u64;
    let mut records = parser.records_json_value();
    loop {
        // Contain a decoder panic on corrupt data: the rest of the file becomes one rejection.
        let next = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| records.next()));
        match next {
            Ok(None) => break,
            Ok(Some(Ok(rec))) => {
                last_id = rec.event_record_id;
                sink.record(Loc::Record(last_id), map_event(&rec.data))?;
            }
            Ok(Some(Err(e))) => {
                last_id += 1;
                sink.record(
                    Loc::Record(last_id),
                    Outcome::reject(format!("unreadable .evtx record: {e}")),
                )?;
            }
            Err(_) => {
                sink.record(
                    Loc::Record(last_id + 1),
                    Outcome::reject(
                        "the .evtx file is corrupt past this point (the decoder failed)",
                    ),
                )?;
                break;
            }
        }
    }
    Ok(())
}

/// One event, whatever its rendering: where its parts are.
struct Ev<'a> {
    id: Option<i64>,
    channel: Option<Cow<'a, str>>,
    provider: Option<Cow<'a, str>>,
    computer: Option<Cow<'a, str>>,
    system: Option<&'a Value>,
    /// Event data maps, searched in order (EventData / UserData / top level).
    data: Vec<Cow<'a, Map<String, Value>>>,
    top: &'a Map<String, Value>,
}

/// Text of a scalar or of a `{"#text": ...}` node.
fn node_text(v: &Value) -> Option<Cow<'_, str>> {
    match v {
        Value::Object(o) => o.get("#text").and_then(node_text),
        Value::Array(a) if a.len() == 1 => a.first().and_then(node_text),
        _ => text(v),
    }
}

fn attr<'v>(v: &'v Value, name: &str) -> Option<Cow<'v, str>> {
    let o = v.as_object()?;
    o.get("#attributes")
        .and_then(|a| a.get(name))
        .or_else(|| o.get(name))
        .and_then(node_text)
}

/// The flattened data of an `EventData`/`UserData` node: named values, the
/// `Data: [{"#attributes": {"Name": ..}, "#text": ..}]` form, and a `UserData` wrapper element.
fn flatten(v: &Value) -> Option<Cow<'_, Map<String, Value>>> {
    let o = v.as_object()?;
    if let Some(Value::Array(items)) = o.get("Data") {
        let mut m = Map::new();
        for it in items {
            if let (Some(name), Some(val)) = (attr(it, "Name"), it.get("#text")) {
                m.insert(name.into_owned(), val.clone());
            }
        }
        return Some(Cow::Owned(m));
    }
    Some(Cow::Borrowed(o))
}

impl<'a> Ev<'a> {
    fn of(v: &'a Value) -> Option<Ev<'a>> {
        let top = v.as_object()?;
        if let Some(event) = top.get("Event").filter(|e| e.is_object()) {
            let system = event.get("System");
            let sys = |k: &str| system.and_then(|s| s.get(k)).and_then(node_text);
            let mut data = Vec::new();
            if let Some(d) = event.get("EventData").and_then(flatten) {
                data.push(d);
            }
            if let Some(Value::Object(ud)) = event.get("UserData") {
                for inner in ud.values() {
                    if let Some(d) = flatten(inner) {
                        data.push(d);
                    }
                }
            }
            return Some(Ev {
                id: system.and_then(|s| s.get("EventID")).and_then(id_of),
                channel: sys("Channel"),
                provider: system
                    .and_then(|s| s.get("Provider"))
                    .and_then(|p| attr(p, "Name")),
                computer: sys("Computer"),
                system,
                data,
                top,
            });
        }
        if let Some(w) = top.get("winlog").filter(|w| w.is_object()) {
            let g = |k: &str| w.get(k).and_then(node_text);
            let mut data = Vec::new();
            for k in ["event_data", "user_data"] {
                if let Some(d) = w.get(k).and_then(flatten) {
                    data.push(d);
                }
            }
            data.push(Cow::Borrowed(top));
            return Some(Ev {
                id: w.get("event_id").and_then(id_of),
                channel: g("channel"),
                provider: g("provider_name"),
                computer: g("computer_name"),
                system: None,
                data,
                top,
            });
        }
        let g = |k: &str| top.get(k).and_then(node_text);
        let mut data = Vec::new();
        for k in ["EventData", "ExtraEventData", "event_data", "UserData"] {
            let m = match top.get(k).map(|v| json::unstring(v)) {
                Some(Cow::Borrowed(b)) => flatten(b),
                Some(Cow::Owned(Value::Object(m))) => Some(Cow::Owned(m)),
                _ => None,
            };
            if let Some(m) = m {
                data.push(m);
            }
        }
        data.push(Cow::Borrowed(top));
        Some(Ev {
            id: top
                .get("EventID")
                .or_else(|| top.get("EventId"))
                .or_else(|| top.get("event_id"))
                .and_then(id_of),
            channel: g("Channel"),
            provider: g("SourceName")
                .or_else(|| g("ProviderName"))
                .or_else(|| g("Provider")),
            computer: g("Computer")
                .or_else(|| g("Hostname"))
                .or_else(|| g("ComputerName")),
            system: None,
            data,
            top,
        })
    }

    fn get(&self, name: &str) -> Option<Cow<'_, str>> {
        self.data
            .iter()
            .find_map(|m| m.get(name))
            .and_then(node_text)
    }

    fn is_sysmon(&self) -> bool {
        let mentions = |s: &Option<Cow<'_, str>>| {
            s.as_deref()
                .is_some_and(|s| s.to_ascii_lowercase().contains("sysmon"))
        };
        mentions(&self.channel)
            || mentions(&self.provider)
            || (self.channel.is_none() && self.provider.is_none() && self.get("UtcTime").is_some())
    }

    /// UTC microseconds of the event.
    fn time(&self) -> Result<i64, String> {
        let tc = self.system.and_then(|s| s.get("TimeCreated"));
        let candidates: [(&str, Option<Cow<'_, str>>); 6] = [
            ("UtcTime", self.get("UtcTime")),
            ("TimeCreated", tc.and_then(|t| attr(t, "SystemTime"))),
            (
                "TimeCreated",
                self.top.get("TimeCreated").and_then(node_text),
            ),
            ("@timestamp", self.top.get("@timestamp").and_then(node_text)),
            ("EventTime", self.top.get("EventTime").and_then(node_text)),
            (
                "TimeGenerated",
                self.top.get("TimeGenerated").and_then(node_text),
            ),
        ];
        for (name, v) in candidates {
            if let Some(s) = v {
                return muster_ingest::time::parse_ts(&s).map_err(|e| format!("{name}: {e}"));
            }
        }
        Err(
            "no event time (UtcTime, System.TimeCreated, TimeCreated, @timestamp, EventTime)"
                .into(),
        )
    }
}

fn id_of(v: &Value) -> Option<i64> {
    match v {
        Value::Object(o) => o.get("#text").and_then(id_of),
        _ => json::int(v),
    }
}

fn map_event(v: &Value) -> Outcome {
    let Some(ev) = Ev::of(v) else {
        return Outcome::reject("not a JSON object");
    };
    let Some(id) = ev.id else {
        return Outcome::reject("no EventID: not a Windows event");
    };
    match (ev.is_sysmon(), id) {
        (true, 1) => process(&ev, Proc::Sysmon),
        (true, 3) => sysmon_network(&ev),
        (true, 22) => sysmon_dns(&ev),
        (false, 4688) => process(&ev, Proc::Security),
        (false, 4624) => logon(&ev),
        (false, 4778) => reconnect(&ev),
        (false, 6416) => new_device(&ev),
        (false, 2003) => driver_load(&ev),
        _ => Outcome::Skip(Cow::Owned(format!("event id {id} not mapped"))),
    }
}

/// The time and device every row needs; a rejection otherwise.
fn time_device(ev: &Ev<'_>) -> Result<(i64, String), Outcome> {
    let t = ev.time().map_err(Outcome::reject)?;
    let d = ev
        .computer
        .as_deref()
        .map(str::to_string)
        .ok_or_else(|| Outcome::reject("no Computer / Hostname: the device is unknown"))?;
    Ok((t, d))
}

#[derive(Clone, Copy, PartialEq)]
enum Proc {
    Sysmon,
    Security,
}

fn process(ev: &Ev<'_>, kind: Proc) -> Outcome {
    let (t, device) = match time_device(ev) {
        Ok(x) => x,
        Err(o) => return o,
    };
    let (image, parent) = match kind {
        Proc::Sysmon => (ev.get("Image"), ev.get("ParentImage")),
        Proc::Security => (ev.get("NewProcessName"), ev.get("ParentProcessName")),
    };
    let Some(image) = image else {
        return Outcome::reject("process creation without an image path");
    };
    let user = match kind {
        Proc::Sysmon => ev.get("User").map(Cow::into_owned),
        Proc::Security => {
            let (dom, name) = match ev.get("TargetUserName") {
                Some(n) => (ev.get("TargetDomainName"), Some(n)),
                None => (ev.get("SubjectDomainName"), ev.get("SubjectUserName")),
            };
            name.map(|n| match dom {
                Some(d) => format!("{d}\\{n}"),
                None => n.into_owned(),
            })
        }
    };
    let sha256 = ev.get("Hashes").and_then(|h| {
        h.split(',').find_map(|p| {
            let (k, v) = p.split_once('=')?;
            k.trim()
                .eq_ignore_ascii_case("SHA256")
                .then(|| v.trim().to_ascii_lowercase())
        })
    });
    let mut r = Row::new(&PROCESSES);
    r.set("time", V::TsMicros(t))
        .set("device_id", device)
        .set("name", basename(&image).to_string())
        .set("path", image.as_ref())
        .set("cmdline", ev.get("CommandLine").map(Cow::into_owned))
        .set("sha256", sha256)
        .set("parent_name", parent.map(|p| basename(&p).to_string()))
        .set("user", user)
        .set("event", "start");
    Outcome::row(r)
}

fn port(s: Option<Cow<'_, str>>) -> Option<i64> {
    s.and_then(|p| p.trim().parse::<i64>().ok())
        .filter(|p| (1..=65535).contains(p))
}

fn sysmon_network(ev: &Ev<'_>) -> Outcome {
    let (t, device) = match time_device(ev) {
        Ok(x) => x,
        Err(o) => return o,
    };
    let initiated = ev
        .data
        .iter()
        .find_map(|m| m.get("Initiated"))
        .and_then(|v| match v {
            Value::Object(_) => node_text(v).and_then(|s| muster_ingest::parse_bool(&s)),
            _ => json::boolean(v),
        });
    let direction = initiated.map(|i| if i { "outbound" } else { "inbound" });
    let domain = if initiated == Some(true) {
        ev.get("DestinationHostname").map(Cow::into_owned)
    } else {
        None
    };
    let mut r = Row::new(&NETWORK);
    r.set("time", V::TsMicros(t))
        .set("device_id", device)
        .set("src_ip", ev.get("SourceIp").and_then(|s| ip(&s)))
        .set("src_port", port(ev.get("SourcePort")))
        .set("dst_ip", ev.get("DestinationIp").and_then(|s| ip(&s)))
        .set("dst_port", port(ev.get("DestinationPort")))
        .set(
            "protocol",
            ev.get("Protocol").map(|p| p.to_ascii_lowercase()),
        )
        .set("direction", direction)
        .set("domain", domain);
    Outcome::row(r)
}

fn sysmon_dns(ev: &Ev<'_>) -> Outcome {
    let Some(q) = ev.get("QueryName") else {
        return Outcome::Skip("DNS query event without QueryName".into());
    };
    let (t, device) = match time_device(ev) {
        Ok(x) => x,
        Err(o) => return o,
    };
    let mut r = Row::new(&NETWORK);
    r.set("time", V::TsMicros(t))
        .set("device_id", device)
        .set("protocol", "dns")
        .set("direction", "outbound")
        .set("domain", q.trim_end_matches('.').to_ascii_lowercase());
    Outcome::row(r)
}

/// An inbound RDP flow to this device from `from`.
fn rdp_inbound(t: i64, device: String, from: String, from_port: Option<i64>) -> Outcome {
    let mut r = Row::new(&NETWORK);
    r.set("time", V::TsMicros(t))
        .set("device_id", device)
        .set("src_ip", from)
        .set("src_port", from_port)
        .set("dst_port", 3389i64)
        .set("protocol", "tcp")
        .set("direction", "inbound");
    Outcome::row(r)
}

fn logon(ev: &Ev<'_>) -> Outcome {
    let lt = ev
        .get("LogonType")
        .and_then(|s| s.trim().parse::<i64>().ok());
    match lt {
        Some(10) => {}
        Some(n) => {
            return Outcome::Skip(Cow::Owned(format!(
                "4624 logon type {n} not mapped (only 10, RemoteInteractive)"
            )));
        }
        None => return Outcome::Skip("4624 without a logon type".into()),
    }
    let Some(from) = ev
        .get("IpAddress")
        .and_then(|s| ip(&s))
        .filter(|a| a != "127.0.0.1" && a != "::1")
    else {
        return Outcome::Skip("4624 RemoteInteractive logon without a remote address".into());
    };
    match time_device(ev) {
        Ok((t, device)) => rdp_inbound(t, device, from, port(ev.get("IpPort"))),
        Err(o) => o,
    }
}

fn reconnect(ev: &Ev<'_>) -> Outcome {
    let rdp = ev
        .get("SessionName")
        .is_none_or(|s| s.to_ascii_uppercase().starts_with("RDP"));
    if !rdp {
        return Outcome::Skip("4778 reconnect not over RDP".into());
    }
    let Some(from) = ev.get("ClientAddress").and_then(|s| ip(&s)) else {
        return Outcome::Skip("4778 reconnect without a client address".into());
    };
    match time_device(ev) {
        Ok((t, device)) => rdp_inbound(t, device, from, None),
        Err(o) => o,
    }
}

fn usb_row(
    t: i64,
    device: String,
    id: super::endpoint::UsbId,
    name: Option<String>,
    interfaces: Option<String>,
) -> Row {
    let mut r = Row::new(&PERIPHERALS);
    r.set("time", V::TsMicros(t))
        .set("device_id", device)
        .set("vendor_id", id.vendor)
        .set("product_id", id.product)
        .set("product_name", name)
        .set("serial", id.serial)
        .set("interfaces", interfaces)
        .set("event", "connected");
    r
}

fn new_device(ev: &Ev<'_>) -> Outcome {
    let id = ev
        .get("DeviceId")
        .and_then(|d| usb_id(&d))
        .or_else(|| ev.get("VendorIds").and_then(|d| usb_id(&d)));
    let Some(id) = id else {
        return Outcome::Skip("6416 device without a USB vendor/product id".into());
    };
    match time_device(ev) {
        Ok((t, device)) => Outcome::row(usb_row(
            t,
            device,
            id,
            ev.get("DeviceDescription").map(Cow::into_owned),
            ev.get("CompatibleIds").and_then(|c| usb_interfaces(&c)),
        )),
        Err(o) => o,
    }
}

fn driver_load(ev: &Ev<'_>) -> Outcome {
    // The device instance id is in UserData (`InstanceId`, NXLog `instance`); look in every
    // event-data value rather than trust one name.
    let id = ev.data.iter().find_map(|m| {
        m.iter()
            .filter(|(k, _)| !matches!(k.as_str(), "Message" | "message"))
            .find_map(|(_, v)| node_text(v).and_then(|s| usb_id(&s)))
    });
    let Some(id) = id else {
        return Outcome::Skip(
            "2003 driver load for a device without a USB vendor/product id".into(),
        );
    };
    match time_device(ev) {
        Ok((t, device)) => Outcome::row(usb_row(t, device, id, None, None)),
        Err(o) => o,
    }
}

/// Windows event XML: one or more `<Event>` elements (wevtutil, Event Viewer "Save as XML",
/// `<Events>` wrappers). Each event becomes the evtx_dump JSON shape and is mapped as such.
fn read_xml(input: &Input, sink: &mut dyn Sink) -> Result<(), NativeError> {
    use quick_xml::events::Event as X;
    let mut rd = quick_xml::Reader::from_reader(input.reader()?);
    let mut buf = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut text_buf = String::new();
    let mut n = 0u64;
    // The event being built.
    let mut system = Map::new();
    let mut data = Map::new();
    let mut user: Map<String, Value> = Map::new();
    let mut data_name: Option<String> = None;
    let mut in_event = false;
    loop {
        buf.clear();
        let ev = match rd.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(e) => {
                n += 1;
                return sink.record(
                    Loc::Record(n),
                    Outcome::reject(format!(
                        "invalid XML ({e}); the rest of the file could not be split into events"
                    )),
                );
            }
        };
        match ev {
            X::Start(ref s) | X::Empty(ref s) => {
                let empty = matches!(ev, X::Empty(_));
                let name = s.local_name().as_ref().to_string();
                if name == "Event" {
                    in_event = true;
                    system.clear();
                    data.clear();
                    user.clear();
                    path.clear();
                }
                if in_event {
                    let depth = path.len();
                    let attr_of = |k: &str| -> Option<String> {
                        s.attributes()
                            .with_checks(false)
                            .flatten()
                            .find(|a| a.key.local_name().as_ref() == k)
                            .and_then(|a| {
                                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                    .ok()
                                    .map(Cow::into_owned)
                            })
                    };
                    if depth == 2 && path.get(1).is_some_and(|p| p == "System") {
                        let mut attrs = Map::new();
                        for k in ["Name", "SystemTime"] {
                            if let Some(v) = attr_of(k) {
                                attrs.insert(k.to_string(), Value::String(v));
                            }
                        }
                        if !attrs.is_empty() {
                            let mut node = Map::new();
                            node.insert("#attributes".into(), Value::Object(attrs));
                            system.insert(name.clone(), Value::Object(node));
                        }
                    }
                    if name == "Data" {
                        data_name = attr_of("Name");
                    }
                    if !empty {
                        path.push(name);
                    }
                    text_buf.clear();
                }
            }
            X::Text(t) => text_buf.push_str(&t.xml10_content()),
            X::CData(t) => text_buf.push_str(&t),
            X::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match &*r.into_inner() {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                };
                if let Some(c) = c {
                    text_buf.push(c);
                }
            }
            X::End(_) => {
                if !in_event {
                    continue;
                }
                let Some(name) = path.pop() else { continue };
                let value = text_buf.trim().to_string();
                let parent = path.get(1).map(String::as_str);
                match (path.len(), parent, name.as_str()) {
                    (0, _, "Event") => {
                        in_event = false;
                        n += 1;
                        let mut ev = Map::new();
                        ev.insert("System".into(), Value::Object(std::mem::take(&mut system)));
                        ev.insert("EventData".into(), Value::Object(std::mem::take(&mut data)));
                        if !user.is_empty() {
                            let mut ud = Map::new();
                            ud.insert("Data".into(), Value::Object(std::mem::take(&mut user)));
                            ev.insert("UserData".into(), Value::Object(ud));
                        }
                        let mut top = Map::new();
                        top.insert("Event".into(), Value::Object(ev));
                        sink.record(Loc::Record(n), map_event(&Value::Object(top)))?;
                    }
                    (2, Some("System"), _) if !value.is_empty() => {
                        system.insert(name, Value::String(value));
                    }
                    (2, Some("EventData"), "Data") => {
                        let key = data_name.take().unwrap_or_else(|| "Data".into());
                        data.insert(key, Value::String(value));
                    }
                    (3.., Some("UserData"), _) if !value.is_empty() => {
                        user.insert(name, Value::String(value));
                    }
                    _ => {}
                }
                text_buf.clear();
            }
            X::Eof => break,
            _ => {}
        }
    }
    if in_event {
        n += 1;
        sink.record(
            Loc::Record(n),
            Outcome::reject("unterminated <Event> element (file truncated?)"),
        )?;
    }
    Ok(())
}
