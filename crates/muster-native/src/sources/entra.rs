//! Microsoft Entra ID sign-ins in their three envelopes: diagnostic-settings exports
//! (`{"records": [...]}`, the sign-in under `properties`), Microsoft Graph `/auditLogs/signIns`
//! (`{"value": [...]}` pages or single objects) and Log Analytics `SigninLogs` rows (PascalCase
//! columns, `LocationDetails` / `DeviceDetail` / `Status` / `MfaDetail` as JSON strings).
//!
//! Mapping to `signins` (source `entra`): account = `userPrincipalName`; src_ip = `ipAddress`
//! (else the envelope's `callerIpAddress`); outcome from `status.errorCode` (0 = `success`; the
//! interrupts that ask for MFA or another step - 50074, 50076, 50079, 50072, 50125, 50140,
//! 50158, 50097 - = `challenge`; other codes = `failure`), else from `resultType`; app =
//! `appDisplayName`; device_id = `deviceDetail.deviceId`; session_id = `sessionId`, else
//! `correlationId`; geo from `location` / `LocationDetails` (`countryOrRegion` is a code, a name
//! is converted); asn = `autonomousSystemNumber`; is_anonymous = true when `riskEventTypes` or
//! `riskEventTypes_v2` holds `anonymizedIPAddress` (Entra's anonymous-IP detection: Tor and
//! anonymising VPNs), false when the list is present without it.
//!
//! mfa_device_id = `mfaDetail.authMethod: mfaDetail.authDetail` (e.g. `PhoneAppNotification:
//! +1 XXXXXXXX12`), else the successful multi-factor step of `authenticationDetails`
//! (`authenticationMethod: authenticationMethodDetail`). It is kept as Entra wrote it: Entra masks
//! most phone digits itself, but a phone number is personal data wherever it appears.
//!
//! Skipped: service-principal and managed-identity sign-ins (not a person) and records without a
//! `userPrincipalName`. A sign-in without a usable IP (the documentation's `"<IP ADDRESS>"`
//! placeholder) becomes an `activity` row. Entra audit events (`AuditLogs`, diagnostic
//! `properties.initiatedBy`) become `activity` rows (kind = activity name) when a user initiated
//! them.

use serde_json::Value;

use muster_contract::{ACTIVITY, SIGNINS};

use crate::NativeError;
use crate::json::{self, get_ci};
use crate::record::{Outcome, Row, V};
use crate::source::{Confidence, Input, Sample, Sink, Source};
use crate::sources::ident::{
    country, float_of, head_has_all_ci, head_has_any_ci, int_of, ip, lookup, nonempty, text_of,
    time_of,
};

/// The Entra sign-in (and audit) reader.
pub struct Entra;

impl Source for Entra {
    fn name(&self) -> &'static str {
        "entra"
    }
    fn title(&self) -> &'static str {
        "Microsoft Entra ID sign-in logs"
    }
    fn tables(&self) -> &'static [&'static str] {
        &["signins", "activity"]
    }
    fn sniff(&self, sample: &Sample<'_>) -> Option<Confidence> {
        let h = sample.head;
        if head_has_all_ci(h, &["\"userPrincipalName\""])
            && head_has_any_ci(
                h,
                &[
                    "\"appDisplayName\"",
                    "\"conditionalAccessStatus\"",
                    "\"createdDateTime\"",
                ],
            )
        {
            let strong = head_has_any_ci(
                h,
                &[
                    "\"conditionalAccessStatus\"",
                    "\"SignInLogs\"",
                    "\"Sign-in activity\"",
                ],
            );
            return Some(if strong { 93 } else { 85 });
        }
        if head_has_all_ci(h, &["\"initiatedBy\"", "\"targetResources\""])
            && head_has_any_ci(
                h,
                &[
                    "\"activityDisplayName\"",
                    "\"activityDateTime\"",
                    "\"AADOperationType\"",
                ],
            )
        {
            return Some(85);
        }
        None
    }
    fn read(&self, input: &Input, sink: &mut dyn Sink) -> Result<(), NativeError> {
        json::for_each_record(input, &["records", "value"], sink, &mut map)
    }
}

const P: bool = false;

/// Maps one record.
pub(crate) fn map(rec: &Value) -> Outcome {
    let Some(outer) = rec.as_object() else {
        return Outcome::reject("record is not an object");
    };
    let props = get_ci(outer, "properties").map(json::unstring);
    let body: &Value = match props.as_deref() {
        Some(p @ Value::Object(_)) => p,
        _ => rec,
    };
    let category = get_ci(outer, "category")
        .or_else(|| get_ci(outer, "Type"))
        .and_then(json::text)
        .map(|c| c.into_owned())
        .unwrap_or_default();
    if lookup(body, &["initiatedBy"], P).is_some() {
        return audit(rec, body);
    }
    let cat = category.to_ascii_lowercase();
    if cat.contains("serviceprincipal") || cat.contains("managedidentity") {
        return Outcome::Skip(format!("{category}: not a person's sign-in").into());
    }
    let Some(account) = text_of(body, &["userPrincipalName"], P) else {
        if text_of(body, &["servicePrincipalId"], P).is_some()
            || text_of(body, &["servicePrincipalName"], P).is_some()
        {
            return Outcome::Skip("service principal sign-in: not a person".into());
        }
        return Outcome::Skip("no userPrincipalName: not a user sign-in".into());
    };
    let time = match time_of(body, &[&["createdDateTime"], &["TimeGenerated"]], P).or_else(|e| {
        if e.starts_with("no event time") {
            time_of(rec, &[&["time"], &["p_event_time"]], P)
        } else {
            Err(e)
        }
    }) {
        Ok(t) => t,
        Err(e) => return Outcome::reject(e),
    };
    let src_ip = text_of(body, &["ipAddress"], P)
        .and_then(|s| ip(&s))
        .or_else(|| text_of(rec, &["callerIpAddress"], P).and_then(|s| ip(&s)));
    let device_id = nonempty(text_of(body, &["deviceDetail", "deviceId"], P));
    let Some(src_ip) = src_ip else {
        let mut r = Row::new(&ACTIVITY);
        r.set("time", V::TsMicros(time))
            .set("account", account)
            .set(
                "kind",
                text_of(rec, &["operationName"], P).unwrap_or_else(|| "Sign-in activity".into()),
            )
            .set("device_id", device_id);
        return Outcome::row(r);
    };
    let mut r = Row::new(&SIGNINS);
    r.set("time", V::TsMicros(time))
        .set("account", account)
        .set("src_ip", src_ip)
        .set("source", "entra");
    r.set("outcome", outcome(rec, body));
    r.set("app", text_of(body, &["appDisplayName"], P));
    r.set("device_id", device_id);
    r.set("mfa_device_id", mfa_device(body));
    r.set(
        "session_id",
        text_of(body, &["sessionId"], P)
            .or_else(|| text_of(body, &["correlationId"], P))
            .or_else(|| text_of(rec, &["correlationId"], P)),
    );
    r.set("user_agent", text_of(body, &["userAgent"], P));
    geo(rec, body, &mut r);
    r.set("asn", int_of(body, &["autonomousSystemNumber"], P));
    r.set("is_anonymous", anonymous(body));
    Outcome::row(r)
}

/// Error codes that interrupt a sign-in to ask for another step rather than refuse it.
const INTERRUPTS: [i64; 8] = [50072, 50074, 50076, 50079, 50097, 50125, 50140, 50158];

fn outcome(rec: &Value, body: &Value) -> Option<String> {
    let code = int_of(body, &["status", "errorCode"], P).or_else(|| {
        // Log Analytics SigninLogs: ResultType "0"; diagnostic envelope: resultType.
        let v = lookup(body, &["ResultType"], P).or_else(|| lookup(rec, &["resultType"], P))?;
        json::int(&v).or_else(|| match json::text(&v)?.to_ascii_lowercase().as_str() {
            "success" => Some(0),
            "failure" => Some(-1),
            _ => None,
        })
    })?;
    Some(
        if code == 0 {
            "success"
        } else if INTERRUPTS.contains(&code) {
            "challenge"
        } else {
            "failure"
        }
        .into(),
    )
}

fn mfa_device(body: &Value) -> Option<String> {
    let method = text_of(body, &["mfaDetail", "authMethod"], P);
    let detail = text_of(body, &["mfaDetail", "authDetail"], P);
    if let (Some(m), Some(d)) = (&method, &detail) {
        return Some(format!("{m}: {d}"));
    }
    let steps = lookup(body, &["authenticationDetails"], P)?;
    steps.as_array()?.iter().find_map(|s| {
        let req = s
            .get("authenticationStepRequirement")
            .and_then(Value::as_str)?
            .to_ascii_lowercase();
        let ok = s.get("succeeded").and_then(json::boolean).unwrap_or(false);
        let m = s.get("authenticationMethod").and_then(json::text)?;
        let d = s.get("authenticationMethodDetail").and_then(json::text)?;
        (ok && (req.contains("multi") || req.contains("mfa"))
            && !m.eq_ignore_ascii_case("Previously satisfied"))
        .then(|| format!("{m}: {d}"))
    })
}

fn geo(rec: &Value, body: &Value, r: &mut Row) {
    let loc = lookup(body, &["location"], P)
        .filter(|l| l.is_object())
        .or_else(|| lookup(body, &["LocationDetails"], P).filter(|l| l.is_object()));
    let loc: &Value = loc.as_deref().unwrap_or(&Value::Null);
    let code = country(text_of(loc, &["countryOrRegion"], P))
        .or_else(|| country(text_of(body, &["location"], P)))
        .or_else(|| country(text_of(rec, &["location"], P)));
    r.set("geo_country", code);
    r.set(
        "geo_region",
        text_of(loc, &["state"], P).filter(|s| !s.eq_ignore_ascii_case("unknown")),
    );
    r.set(
        "geo_city",
        text_of(loc, &["city"], P).filter(|s| !s.eq_ignore_ascii_case("unknown")),
    );
    r.set("geo_lat", float_of(loc, &["geoCoordinates", "latitude"], P));
    r.set(
        "geo_lon",
        float_of(loc, &["geoCoordinates", "longitude"], P),
    );
}

fn anonymous(body: &Value) -> Option<bool> {
    let mut seen = false;
    for k in ["riskEventTypes", "riskEventTypes_v2"] {
        let Some(list) = lookup(body, &[k], P) else {
            continue;
        };
        if let Some(a) = list.as_array() {
            seen = true;
            if a.iter().filter_map(Value::as_str).any(|t| {
                let t = t.to_ascii_lowercase();
                t == "anonymizedipaddress" || t == "anonymousipaddress"
            }) {
                return Some(true);
            }
        }
    }
    seen.then_some(false)
}

/// An Entra audit event (AuditLogs row or diagnostic record) as activity.
fn audit(rec: &Value, body: &Value) -> Outcome {
    let kind = text_of(body, &["activityDisplayName"], P)
        .or_else(|| text_of(body, &["OperationName"], P))
        .or_else(|| text_of(rec, &["operationName"], P))
        .unwrap_or_else(|| "audit".into());
    let Some(account) = text_of(body, &["initiatedBy", "user", "userPrincipalName"], P) else {
        return Outcome::Skip(format!("audit {kind}: not initiated by a user").into());
    };
    let time = match time_of(body, &[&["activityDateTime"], &["TimeGenerated"]], P).or_else(|e| {
        if e.starts_with("no event time") {
            time_of(rec, &[&["time"], &["p_event_time"]], P)
        } else {
            Err(e)
        }
    }) {
        Ok(t) => t,
        Err(e) => return Outcome::reject(format!("audit {kind}: {e}")),
    };
    let mut r = Row::new(&ACTIVITY);
    r.set("time", V::TsMicros(time))
        .set("account", account)
        .set("kind", kind)
        .set(
            "src_ip",
            text_of(body, &["initiatedBy", "user", "ipAddress"], P).and_then(|s| ip(&s)),
        );
    Outcome::row(r)
}
