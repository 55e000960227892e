//! Google Workspace audit activities: Admin SDK Reports API (`{"items": [...]}` pages, arrays,
//! NDJSON of `admin#reports#activity` objects, each with `events[]` and a `parameters` list of
//! `{name, value | boolValue | intValue | multiValue}`) and flattened exports (one record per
//! event with `name` / `event_name` and parameters as a map or top-level fields, as Panther and
//! the Sentinel connector write them; Log Analytics `_s` / `_t` columns).
//!
//! Mapping, per event of an activity (an activity with several events gives several rows):
//! - `login` application: `login_success` -> `signins` outcome `success`, `login_failure` ->
//!   `failure`, `login_challenge` and `login_verification` (the second-step challenge) ->
//!   `challenge`; source `google_workspace`, app `Google Workspace`, geo and ASN from
//!   `networkInfo` (`regionCode`, `subdivisionCode`, `ipAsn[0]`). Google reports no MFA device,
//!   session or user agent in these events, so those columns stay empty.
//! - every other event (logout, account warnings, token grants, Drive, mobile, admin ...) with an
//!   actor e-mail and a time -> `activity` (kind = `application.event_name`, e.g.
//!   `login.logout`, `token.authorize`); a login event without a usable IP too.
//! - events without an actor e-mail are skipped (account warnings name the account only as a
//!   parameter, and may be about someone who did nothing); records without a time are rejected.

use serde_json::Value;

use muster_contract::{ACTIVITY, SIGNINS};

use crate::NativeError;
use crate::json::{self, get_ci};
use crate::record::{Outcome, Row, V};
use crate::source::{Confidence, Input, Sample, Sink, Source};
use crate::sources::ident::{
    contains_ci, country, head_has_all_ci, head_has_any_ci, ip, lookup, nonempty, text_of, time_of,
};

/// The Google Workspace Reports API reader.
pub struct GoogleWorkspace;

impl Source for GoogleWorkspace {
    fn name(&self) -> &'static str {
        "google_workspace"
    }
    fn title(&self) -> &'static str {
        "Google Workspace login audit (Reports API)"
    }
    fn tables(&self) -> &'static [&'static str] {
        &["signins", "activity"]
    }
    fn sniff(&self, sample: &Sample<'_>) -> Option<Confidence> {
        let h = sample.head;
        if contains_ci(h, b"admin#reports#activity") {
            return Some(95);
        }
        if head_has_any_ci(h, &["\"id_applicationName_s\"", "\"actor_email_s\""]) {
            return Some(85);
        }
        if head_has_all_ci(h, &["\"applicationName\"", "\"actor\""])
            && head_has_any_ci(h, &["\"events\"", "\"parameters\""])
        {
            return Some(80);
        }
        None
    }
    fn read(&self, input: &Input, sink: &mut dyn Sink) -> Result<(), NativeError> {
        json::for_each_record(input, &["items", "value", "records"], sink, &mut map)
    }
}

const SOURCE: &str = "google_workspace";

/// Maps one activity (or one flattened event).
pub(crate) fn map(rec: &Value) -> Outcome {
    let Some(obj) = rec.as_object() else {
        return Outcome::reject("record is not an object");
    };
    let flat = get_ci(obj, "id").is_none() || get_ci(obj, "actor").is_none();
    let app = text_of(rec, &["id", "applicationName"], flat)
        .unwrap_or_else(|| "login".into())
        .to_ascii_lowercase();
    let events = lookup(rec, &["events"], flat);
    let list: Vec<Ev<'_>> = match events.as_deref() {
        Some(Value::Array(a)) => a.iter().map(|e| Ev { e, flat: false }).collect(),
        _ => vec![Ev { e: rec, flat: true }],
    };
    let mut names = Vec::with_capacity(list.len());
    for ev in &list {
        match ev.name() {
            Some(n) => names.push(n),
            None => return Outcome::reject("activity event without a name"),
        }
    }
    if names.is_empty() {
        return Outcome::Skip(format!("{app}: activity without events").into());
    }
    let Some(account) = text_of(rec, &["actor", "email"], flat) else {
        return Outcome::Skip(format!("{app}.{}: no actor e-mail", names[0]).into());
    };
    let time = match time_of(
        rec,
        &[&["id", "time"], &["TimeGenerated"], &["p_event_time"]],
        flat,
    ) {
        Ok(t) => t,
        Err(e) => return Outcome::reject(format!("{app}.{}: {e}", names[0])),
    };
    let src_ip = text_of(rec, &["ipAddress"], flat).and_then(|s| ip(&s));
    let rows = names
        .iter()
        .map(|name| {
            let outcome = (app == "login")
                .then(|| match name.to_ascii_lowercase().as_str() {
                    "login_success" => Some("success"),
                    "login_failure" => Some("failure"),
                    "login_challenge" | "login_verification" => Some("challenge"),
                    _ => None,
                })
                .flatten();
            match (outcome, &src_ip) {
                (Some(outcome), Some(src_ip)) => {
                    let mut r = Row::new(&SIGNINS);
                    r.set("time", V::TsMicros(time))
                        .set("account", account.as_str())
                        .set("src_ip", src_ip.as_str())
                        .set("outcome", outcome)
                        .set("app", "Google Workspace")
                        .set("source", SOURCE);
                    network(rec, flat, &mut r);
                    r
                }
                _ => {
                    let mut r = Row::new(&ACTIVITY);
                    r.set("time", V::TsMicros(time))
                        .set("account", account.as_str())
                        .set("kind", format!("{app}.{name}"))
                        .set("src_ip", src_ip.clone());
                    r
                }
            }
        })
        .collect();
    Outcome::Rows(rows)
}

struct Ev<'v> {
    e: &'v Value,
    flat: bool,
}

impl Ev<'_> {
    fn name(&self) -> Option<String> {
        text_of(self.e, &["name"], self.flat)
            .or_else(|| text_of(self.e, &["event_name"], self.flat))
            .or_else(|| {
                if self.flat {
                    text_of(self.e, &["events", "name"], true)
                } else {
                    None
                }
            })
    }
}

fn network(rec: &Value, flat: bool, r: &mut Row) {
    r.set(
        "geo_country",
        country(text_of(rec, &["networkInfo", "regionCode"], flat))
            .or_else(|| country(text_of(rec, &["NetworkInfoRegionCode"], flat))),
    );
    r.set(
        "geo_region",
        nonempty(
            text_of(rec, &["networkInfo", "subdivisionCode"], flat)
                .or_else(|| text_of(rec, &["NetworkInfoSubdivisionCode"], flat)),
        ),
    );
    let asn = lookup(rec, &["networkInfo", "ipAsn"], flat)
        .or_else(|| lookup(rec, &["NetworkIpAsn"], flat))
        .and_then(|a| match &*a {
            Value::Array(l) => l.first().and_then(json::int),
            other => json::int(other),
        });
    r.set("asn", asn);
}
