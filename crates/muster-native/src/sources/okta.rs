//! Okta System Log (`LogEvent`): API JSON arrays, NDJSON, EventBridge events (`detail` holding the
//! LogEvent) and Log-Analytics flattened rows (`Okta_CL`: `actor_alternateId_s`,
//! `client_ipAddress_s`, `published_t`, JSON-in-string columns).
//!
//! Which events are sign-ins (`signins` rows):
//! - `user.session.start` (Okta sign-in), every `user.authentication.*` except the single
//!   log-out `user.authentication.slo` (SSO to an app, MFA verification, IdP / AD / LDAP / RADIUS
//!   authentication), and `policy.evaluate_sign_on` (the sign-on policy decision: `ALLOW` ->
//!   `success`, `DENY` -> `failure`, `CHALLENGE` -> `challenge`);
//! - MFA enrollment `user.mfa.factor.activate`: enrolling a factor proves a session from that
//!   address, and the row carries `mfa_device_id`, which is what FARM-MFA (one authenticator
//!   device behind several accounts) needs; the activity table has no column for it. `app` is
//!   `Okta MFA enrollment` so it is told apart.
//!
//! `mfa_device_id` is the Okta Verify device (`device.id`, the top-level device object: one
//! registration per physical phone or computer, so it is what several accounts share) when the
//! event used a non-password authenticator, else the `AuthenticatorEnrollment` target's id for
//! MFA events (enrollment ids are per user: they identify, but never show sharing).
//!
//! Every other event with a user actor and a time becomes an `activity` row (kind = eventType)
//! for working-hours analysis; a sign-in without a usable source IP does too (the contract
//! requires `src_ip`). Events without an actor, or whose actor is not a user (`SystemPrincipal`,
//! an app client, `unknown`), are skipped with the reason.
//!
//! Time is `published`, else `TimeGenerated` (Log Analytics), else Panther's `p_event_time`; a
//! present but unreadable time (an impossible date) rejects the record with the value.

use std::borrow::Cow;

use muster_contract::{ACTIVITY, SIGNINS};
use serde_json::Value;

use crate::NativeError;
use crate::json::{self, get_ci};
use crate::record::{Outcome, Row, V};
use crate::source::{Confidence, Input, Sample, Sink, Source};
use crate::sources::ident::{
    bool_of, contains_ci, country, head_has_all_ci, head_has_any_ci, int_of, ip, lookup, text_of,
    time_of,
};

/// The Okta System Log reader.
pub struct Okta;

impl Source for Okta {
    fn name(&self) -> &'static str {
        "okta"
    }
    fn title(&self) -> &'static str {
        "Okta System Log"
    }
    fn tables(&self) -> &'static [&'static str] {
        &["signins", "activity"]
    }
    fn sniff(&self, sample: &Sample<'_>) -> Option<Confidence> {
        let h = sample.head;
        // Flattened Log Analytics (Okta_CL).
        if head_has_all_ci(h, &["\"eventType_s\"", "\"actor_alternateId_s\""]) {
            return Some(92);
        }
        if !head_has_all_ci(h, &["\"eventType\"", "\"actor\""]) {
            return None;
        }
        let typical = head_has_any_ci(h, &["\"legacyEventType\"", "\"alternateId\""]);
        if contains_ci(h, b"\"published\"") && typical {
            Some(92)
        } else if typical || contains_ci(h, b"\"published\"") {
            Some(80)
        } else {
            None
        }
    }
    fn read(&self, input: &Input, sink: &mut dyn Sink) -> Result<(), NativeError> {
        json::for_each_record(input, &["value", "records"], sink, &mut map)
    }
}

/// Maps one record (a LogEvent, an EventBridge event or a flattened row).
pub(crate) fn map(rec: &Value) -> Outcome {
    // EventBridge: {"detail-type": "...", "source": "aws.partner/okta.com/...", "detail": {...}}.
    let ev: &Value = match rec.as_object() {
        Some(o) if o.contains_key("detail-type") || o.contains_key("detail") => {
            match o.get("detail") {
                Some(d @ Value::Object(_)) => d,
                _ => return Outcome::reject("EventBridge event without a detail object"),
            }
        }
        _ => rec,
    };
    let Some(obj) = ev.as_object() else {
        return Outcome::reject("record is not an object");
    };
    let flat = get_ci(obj, "eventType").is_none();
    let Some(event_type) = text_of(ev, &["eventType"], flat) else {
        return Outcome::reject("no eventType: not an Okta LogEvent");
    };
    let account = text_of(ev, &["actor", "alternateId"], flat);
    let actor_type = text_of(ev, &["actor", "type"], flat);
    let Some(account) = account.filter(|a| !a.eq_ignore_ascii_case("unknown")) else {
        return Outcome::Skip(format!("{event_type}: no actor (or actor unknown)").into());
    };
    if let Some(t) = actor_type.as_deref()
        && !t.eq_ignore_ascii_case("User")
    {
        return Outcome::Skip(format!("{event_type}: actor is a {t}, not a user").into());
    }
    let time = match time_of(
        ev,
        &[&["published"], &["TimeGenerated"], &["p_event_time"]],
        flat,
    ) {
        Ok(t) => t,
        Err(e) => return Outcome::reject(format!("{event_type}: {e}")),
    };
    let src_ip = text_of(ev, &["client", "ipAddress"], flat)
        .and_then(|s| ip(&s))
        .or_else(|| first_chain_ip(ev, flat));
    let device_id = text_of(ev, &["device", "id"], flat);
    let et = event_type.to_ascii_lowercase();
    let enrollment = et == "user.mfa.factor.activate";
    let signin = et == "user.session.start"
        || et == "policy.evaluate_sign_on"
        || (et.starts_with("user.authentication.") && et != "user.authentication.slo");

    match src_ip {
        Some(src_ip) if signin || enrollment => {
            let mut r = Row::new(&SIGNINS);
            r.set("time", V::TsMicros(time))
                .set("account", account)
                .set("src_ip", src_ip)
                .set("source", "okta");
            r.set(
                "outcome",
                text_of(ev, &["outcome", "result"], flat).map(|o| outcome(&o)),
            );
            let app = if enrollment {
                Some("Okta MFA enrollment".to_string())
            } else {
                app_of(ev, flat).or_else(|| (et == "user.session.start").then(|| "Okta".into()))
            };
            r.set("app", app);
            r.set("device_id", device_id.clone());
            r.set(
                "device_fingerprint",
                text_of(
                    ev,
                    &["debugContext", "debugData", "deviceFingerprint"],
                    flat,
                ),
            );
            r.set("mfa_device_id", mfa_device(ev, flat, &et, device_id));
            r.set(
                "session_id",
                text_of(ev, &["authenticationContext", "externalSessionId"], flat)
                    .filter(|s| !s.eq_ignore_ascii_case("unknown")),
            );
            r.set(
                "user_agent",
                text_of(ev, &["client", "userAgent", "rawUserAgent"], flat)
                    .filter(|s| !s.eq_ignore_ascii_case("unknown")),
            );
            geo(ev, flat, &mut r);
            r.set("asn", int_of(ev, &["securityContext", "asNumber"], flat));
            r.set("as_org", text_of(ev, &["securityContext", "asOrg"], flat));
            r.set(
                "is_anonymous",
                bool_of(ev, &["securityContext", "isProxy"], flat),
            );
            Outcome::row(r)
        }
        src_ip => {
            let mut r = Row::new(&ACTIVITY);
            r.set("time", V::TsMicros(time))
                .set("account", account)
                .set("kind", event_type)
                .set("device_id", device_id)
                .set("src_ip", src_ip);
            Outcome::row(r)
        }
    }
}

/// Okta's outcome vocabulary onto the contract's (`success`, `failure`, `challenge`); others
/// (`SKIPPED`, `UNKNOWN`, `RATE_LIMIT`, ...) lower-cased, so they never count as success.
fn outcome(o: &str) -> String {
    match o.to_ascii_uppercase().as_str() {
        "SUCCESS" | "ALLOW" => "success".into(),
        "FAILURE" | "DENY" => "failure".into(),
        "CHALLENGE" => "challenge".into(),
        other => other.to_ascii_lowercase(),
    }
}

fn first_chain_ip(ev: &Value, flat: bool) -> Option<String> {
    let chain = lookup(ev, &["request", "ipChain"], flat)?;
    chain
        .as_array()?
        .iter()
        .find_map(|hop| hop.get("ip").and_then(json::text).and_then(|s| ip(&s)))
}

fn targets(ev: &Value, flat: bool) -> Cow<'_, Value> {
    lookup(ev, &["target"], flat).unwrap_or(Cow::Owned(Value::Null))
}

fn target_of<'t>(ts: &'t Value, ty: &str) -> Option<&'t Value> {
    let is = |t: &&Value| {
        t.get("type")
            .and_then(Value::as_str)
            .is_some_and(|x| x.eq_ignore_ascii_case(ty))
    };
    match ts {
        Value::Array(a) => a.iter().find(is),
        o @ Value::Object(_) => Some(o).filter(is),
        _ => None,
    }
}

fn app_of(ev: &Value, flat: bool) -> Option<String> {
    let ts = targets(ev, flat);
    let t = target_of(&ts, "AppInstance")?;
    t.get("displayName")
        .and_then(json::text)
        .or_else(|| t.get("alternateId").and_then(json::text))
        .map(|s| s.into_owned())
}

fn mfa_device(ev: &Value, flat: bool, et: &str, device_id: Option<String>) -> Option<String> {
    let ts = targets(ev, flat);
    let enrollment = target_of(&ts, "AuthenticatorEnrollment");
    let enrollment_name = enrollment
        .and_then(|t| t.get("displayName").and_then(Value::as_str))
        .unwrap_or("");
    let password = enrollment_name.eq_ignore_ascii_case("Password");
    let mfa_event = et.starts_with("user.mfa.")
        || et == "user.authentication.auth_via_mfa"
        || et == "user.authentication.verify";
    if (mfa_event || (enrollment.is_some() && !password)) && device_id.is_some() {
        return device_id;
    }
    if mfa_event && !password {
        return enrollment
            .and_then(|t| t.get("id").and_then(json::text))
            .map(|s| s.into_owned());
    }
    None
}

fn geo(ev: &Value, flat: bool, r: &mut Row) {
    let client = ["client", "geographicalContext"];
    let has_client = lookup(ev, &client, flat).is_some_and(|g| g.is_object())
        || text_of(ev, &["client", "geographicalContext", "country"], flat).is_some();
    let at = |leaf: &[&str]| -> Vec<String> {
        client
            .iter()
            .chain(leaf.iter())
            .map(|s| s.to_string())
            .collect()
    };
    let get = |leaf: &[&str]| -> Option<String> {
        if has_client {
            let p = at(leaf);
            let p: Vec<&str> = p.iter().map(String::as_str).collect();
            return text_of(ev, &p, flat);
        }
        let chain = lookup(ev, &["request", "ipChain"], flat)?;
        let hop = chain.as_array()?.first()?;
        let mut cur = hop.get("geographicalContext")?;
        for k in leaf {
            cur = cur.get(*k)?;
        }
        json::text(cur).map(|s| s.into_owned())
    };
    r.set("geo_country", country(get(&["country"])));
    r.set("geo_region", get(&["state"]));
    r.set("geo_city", get(&["city"]));
    let num = |leaf: &[&str]| {
        get(leaf)
            .and_then(|s| s.parse::<f64>().ok())
            .filter(|f| f.is_finite())
    };
    r.set("geo_lat", num(&["geolocation", "lat"]));
    r.set("geo_lon", num(&["geolocation", "lon"]));
}
