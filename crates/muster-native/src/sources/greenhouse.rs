//! Greenhouse (ATS): Harvest API candidates (one object, a list page, NDJSON), applications,
//! and webhook payloads (`{"action": ..., "payload": {"application": {"candidate": ...}}}`)
//! mapped onto `people`.
//!
//! Mapping:
//! - `person_id` = `greenhouse:<candidate id>`; `record_type` = `applicant`, or `employee` for a
//!   `hire_candidate` / `candidate_hired` webhook or a candidate with an application whose status
//!   is `hired` (`hired_at` = the offer's `starts_at`, the start date, when present).
//! - `full_name` = `first_name last_name` (as written; nothing is inferred from names).
//! - `email` = the `personal` address, else the first address of any type. A candidate's `work`
//!   address is their current employer's, not a login here, so it never goes to `work_email`.
//! - `phone` = `mobile`, then `home`, then the first number.
//! - Greenhouse addresses are free text: the `home` (else first) address goes to
//!   `address_line1` with line breaks turned into `, `; city/region/postal code/country stay
//!   null (parsing free text would guess).
//! - `applied_at` = the earliest `applications[].applied_at` (webhooks: the application's),
//!   else the candidate's `created_at`. `job_title` / `department` = the job applied for (not the
//!   candidate's current `title`). `source` = the application's `source.public_name`; when that
//!   source is a referral, `referrer_id` = `credited_to.employee_id` (the HRIS key of the
//!   referring employee); `staffing_agency` = the source's name when its type is an agency.
//! - `linkedin_url` / `github_url` / `portfolio_url` from website and social media addresses.
//! - `date_of_birth` from a custom field named like `date_of_birth` / `birthday` / `dob`.
//! - A bare application (no candidate inside) and Greenhouse Onboarding employee events have
//!   no name, which `people` requires: skipped with the reason.
//!
//! `people.person_id` is unique: records of one file that repeat a candidate are merged into the
//! first one (later values win, `employee` beats `applicant`, the earliest `applied_at` is kept)
//! and the repeats are skipped with the location of the merged record. Across files the contract
//! writer keeps the first row and rejects repeats as duplicate `person_id`s.

use std::collections::HashMap;

use muster_contract::PEOPLE;
use serde_json::Value;

use crate::NativeError;
use crate::json::{self, at, head_has_all, text, text_at};
use crate::record::{Loc, Outcome, Row, V};
use crate::source::{Confidence, Input, Sample, Sink, Source};

/// Keys of wrapper objects holding a list of records (never a key of a candidate or an
/// application: `applications` is a candidate's own list).
pub const WRAPPERS: &[&str] = &["candidates", "items"];

/// The Greenhouse reader.
pub struct Greenhouse;

/// Webhook actions after which the candidate is an employee.
const HIRED_ACTIONS: &[&str] = &["hire_candidate", "candidate_hired"];

impl Source for Greenhouse {
    fn name(&self) -> &'static str {
        "greenhouse"
    }
    fn title(&self) -> &'static str {
        "Greenhouse candidates, applications and webhooks (JSON)"
    }
    fn tables(&self) -> &'static [&'static str] {
        &["people"]
    }
    fn sniff(&self, s: &Sample<'_>) -> Option<Confidence> {
        let h = s.head;
        let t = h.trim_ascii_start();
        if !(t.starts_with(b"{") || t.starts_with(b"[")) {
            return None;
        }
        if head_has_all(h, &["\"email_addresses\"", "\"first_name\""])
            && (head_has_all(h, &["\"phone_numbers\""]) || head_has_all(h, &["\"applications\""]))
        {
            return Some(85);
        }
        if head_has_all(h, &["\"action\"", "\"payload\"", "\"candidate\""]) {
            return Some(80);
        }
        if head_has_all(
            h,
            &["\"candidate_id\"", "\"applied_at\"", "\"current_stage\""],
        ) {
            return Some(75);
        }
        if head_has_all(h, &["\"event_type\"", "\"payload\"", "\"employee:"]) {
            return Some(60);
        }
        None
    }
    fn read(&self, input: &Input, sink: &mut dyn Sink) -> Result<(), NativeError> {
        // Buffer the file's outcomes so repeats of a candidate merge into the first record.
        let mut out: Vec<(Loc, Outcome)> = Vec::new();
        let mut first: HashMap<String, usize> = HashMap::new();
        let mut collect = |loc: Loc, o: Outcome| -> Result<(), NativeError> {
            out.push((loc, o));
            Ok(())
        };
        json::for_each_record(input, WRAPPERS, &mut collect, &mut map_record)?;
        for i in 0..out.len() {
            let Some(id) = person_id_of(&out[i].1) else {
                continue;
            };
            match first.get(&id).copied() {
                None => {
                    first.insert(id, i);
                }
                Some(j) => {
                    let taken = std::mem::replace(&mut out[i].1, Outcome::Skip("".into()));
                    let at = out[j].0;
                    if let (Outcome::Rows(later), Outcome::Rows(earlier)) = (taken, &mut out[j].1)
                        && let (Some(l), Some(e)) = (later.into_iter().next(), earlier.first_mut())
                    {
                        merge(e, l);
                    }
                    out[i].1 = Outcome::Skip(
                        format!(
                            "candidate {id} repeated: merged into the record at {}",
                            show(at)
                        )
                        .into(),
                    );
                }
            }
        }
        for (loc, o) in out {
            sink.record(loc, o)?;
        }
        Ok(())
    }
}

fn show(loc: Loc) -> String {
    match loc {
        Loc::Line(l) => format!("line {l}"),
        Loc::Record(r) => format!("record {r}"),
    }
}

fn person_id_of(o: &Outcome) -> Option<String> {
    match o {
        Outcome::Rows(rows) => match rows.first()?.get("person_id")? {
            V::Str(s) => Some(s.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// Later values win, except: `employee` beats `applicant`, the earliest `applied_at` is kept.
fn merge(into: &mut Row, later: Row) {
    let earlier_applied = into.get("applied_at").cloned();
    let was_employee = matches!(into.get("record_type"), Some(V::Str(s)) if s == "employee");
    for (i, v) in later.cells {
        if let Some(c) = PEOPLE.columns.get(i) {
            into.set(c.name, v);
        }
    }
    if was_employee {
        into.set("record_type", "employee");
    }
    if let (Some(V::TsMicros(a)), Some(V::TsMicros(b))) =
        (earlier_applied, into.get("applied_at").cloned())
        && a < b
    {
        into.set("applied_at", V::TsMicros(a));
    }
}

fn map_record(v: &Value) -> Outcome {
    // Webhook envelope.
    if let Some(payload) = at(v, &["payload"]) {
        let action = text_at(v, &["action"]).unwrap_or_default();
        if let Some(event) = text_at(v, &["event_type"]) {
            return Outcome::Skip(
                format!("Greenhouse Onboarding event {event}: no person fields to map").into(),
            );
        }
        if action == "ping" {
            return Outcome::Skip("Greenhouse webhook ping".into());
        }
        if action.contains("deleted") || action.contains("merged") {
            return Outcome::Skip(format!("Greenhouse webhook {action}: nothing to map").into());
        }
        let app = at(payload, &["application"]);
        let cand = app
            .and_then(|a| at(a, &["candidate"]))
            .or_else(|| at(payload, &["candidate"]));
        let Some(cand) = cand else {
            return Outcome::Skip(
                format!("Greenhouse webhook {action:?} without a candidate").into(),
            );
        };
        let hired = HIRED_ACTIONS.contains(&action.as_str());
        return person(cand, app.into_iter().collect(), hired);
    }
    if at(v, &["first_name"]).is_some() || at(v, &["email_addresses"]).is_some() {
        let apps: Vec<&Value> = at(v, &["applications"])
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        let hired = apps
            .iter()
            .any(|a| text_at(a, &["status"]).is_some_and(|s| s.eq_ignore_ascii_case("hired")));
        return person(v, apps, hired);
    }
    if at(v, &["candidate_id"]).is_some() {
        if let Some(c) = at(v, &["candidate"]).filter(|c| c.is_object()) {
            let hired = text_at(v, &["status"]).is_some_and(|s| s.eq_ignore_ascii_case("hired"));
            return person(c, vec![v], hired);
        }
        return Outcome::Skip(
            "Greenhouse application without candidate details (people needs a name; read the candidates export)"
                .into(),
        );
    }
    Outcome::Skip("not a Greenhouse candidate, application or webhook".into())
}

fn typed<'v>(v: &'v Value, key: &str, prefer: &[&str]) -> Option<String> {
    let items = at(v, &[key])?.as_array()?;
    let value = |i: &'v Value| text_at(i, &["value"]).filter(|s| !s.is_empty());
    for p in prefer {
        if let Some(s) = items
            .iter()
            .filter(|i| text_at(i, &["type"]).is_some_and(|t| t.eq_ignore_ascii_case(p)))
            .find_map(value)
        {
            return Some(s);
        }
    }
    items.iter().find_map(value)
}

fn ts(v: Option<&Value>, what: &str) -> Result<Option<i64>, String> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if json::is_null_text(s) => Ok(None),
        Some(x) => json::timestamp(x)
            .map(Some)
            .map_err(|e| format!("{what}: {e}")),
    }
}

fn person(c: &Value, apps: Vec<&Value>, hired: bool) -> Outcome {
    let Some(id) = at(c, &["id"]).and_then(text) else {
        return Outcome::reject("Greenhouse candidate without an id");
    };
    let given = text_at(c, &["first_name"]);
    let family = text_at(c, &["last_name"]);
    let full = match (&given, &family) {
        (Some(g), Some(f)) => format!("{g} {f}"),
        (Some(n), None) | (None, Some(n)) => n.clone(),
        (None, None) => match text_at(c, &["name"]) {
            Some(n) => n,
            None => return Outcome::reject(format!("Greenhouse candidate {id} has no name")),
        },
    };
    let mut r = Row::new(&PEOPLE);
    r.set("person_id", format!("greenhouse:{id}"))
        .set("record_type", if hired { "employee" } else { "applicant" })
        .set("full_name", full)
        .set("given_name", given)
        .set("family_name", family)
        .set("email", typed(c, "email_addresses", &["personal", "other"]))
        .set("phone", typed(c, "phone_numbers", &["mobile", "home"]))
        .set(
            "address_line1",
            typed(c, "addresses", &["home"]).map(|a| {
                a.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect::<Vec<_>>()
                    .join(", ")
            }),
        );

    // Applications: earliest applied_at; job, source and referral of the latest one.
    let mut applied: Option<i64> = None;
    let mut latest: Option<(i64, &Value)> = None;
    for a in &apps {
        match ts(at(a, &["applied_at"]), "applications[].applied_at") {
            Ok(Some(t)) => {
                applied = Some(applied.map_or(t, |x| x.min(t)));
                if latest.is_none_or(|(l, _)| t >= l) {
                    latest = Some((t, a));
                }
            }
            Ok(None) => {
                if latest.is_none() {
                    latest = Some((i64::MIN, a));
                }
            }
            Err(e) => return Outcome::reject(format!("candidate {id}: {e}")),
        }
    }
    if applied.is_none() {
        match ts(at(c, &["created_at"]), "created_at") {
            Ok(t) => applied = t,
            Err(e) => return Outcome::reject(format!("candidate {id}: {e}")),
        }
    }
    if let Some(t) = applied {
        r.set("applied_at", V::TsMicros(t));
    }
    if let Some((_, a)) = latest {
        let job = at(a, &["job"]).or_else(|| {
            at(a, &["jobs"])
                .and_then(Value::as_array)
                .and_then(|j| j.first())
        });
        if let Some(job) = job {
            r.set("job_title", text_at(job, &["name"]));
            let dept = at(job, &["departments"])
                .and_then(Value::as_array)
                .and_then(|d| d.first())
                .and_then(|d| text_at(d, &["name"]));
            r.set("department", dept);
        }
        let source = text_at(a, &["source", "public_name"]);
        let source_type = text_at(a, &["source", "type", "name"]).unwrap_or_default();
        if source_type.to_ascii_lowercase().contains("agenc") {
            r.set("staffing_agency", source.clone());
        }
        let referral = source
            .as_deref()
            .is_some_and(|s| s.to_ascii_lowercase().contains("referral"))
            || source_type.to_ascii_lowercase().contains("referral");
        if referral {
            r.set("referrer_id", text_at(a, &["credited_to", "employee_id"]));
        }
        r.set("source", source);
        if hired {
            match ts(at(a, &["offer", "starts_at"]), "offer.starts_at") {
                Ok(t) => {
                    r.set("hired_at", t.map(V::TsMicros).unwrap_or(V::Null));
                }
                Err(e) => return Outcome::reject(format!("candidate {id}: {e}")),
            }
        }
    }

    // Profiles.
    let mut urls: Vec<String> = Vec::new();
    for key in ["social_media_addresses", "website_addresses"] {
        if let Some(items) = at(c, &[key]).and_then(Value::as_array) {
            urls.extend(items.iter().filter_map(|i| text_at(i, &["value"])));
        }
    }
    let host_has = |u: &str, d: &str| u.to_ascii_lowercase().contains(d);
    r.set(
        "linkedin_url",
        urls.iter().find(|u| host_has(u, "linkedin.com")).cloned(),
    );
    r.set(
        "github_url",
        urls.iter().find(|u| host_has(u, "github.com")).cloned(),
    );
    let portfolio = at(c, &["website_addresses"])
        .and_then(Value::as_array)
        .and_then(|items| {
            items
                .iter()
                .filter_map(|i| text_at(i, &["value"]))
                .find(|u| !host_has(u, "linkedin.com") && !host_has(u, "github.com"))
        });
    r.set("portfolio_url", portfolio);

    // Date of birth from a custom field, when the company collects one.
    if let Some(dob) = custom_dob(c).or_else(|| apps.iter().find_map(|a| custom_dob(a))) {
        match muster_ingest::time::parse_date(&dob) {
            Ok(_) => {
                r.set("date_of_birth", dob);
            }
            Err(e) => {
                return Outcome::reject(format!("candidate {id}: date of birth custom field: {e}"));
            }
        }
    }
    Outcome::row(r)
}

fn custom_dob(v: &Value) -> Option<String> {
    let is_dob = |k: &str| {
        let k = k.to_ascii_lowercase();
        k == "dob" || k.contains("birthday") || k.contains("date_of_birth")
    };
    if let Some(m) = at(v, &["keyed_custom_fields"]).and_then(Value::as_object) {
        for (k, f) in m {
            if is_dob(k)
                && let Some(s) = text_at(f, &["value"])
            {
                return Some(s);
            }
        }
    }
    let m = at(v, &["custom_fields"]).and_then(Value::as_object)?;
    m.iter().filter(|(k, _)| is_dob(k)).find_map(|(_, f)| {
        text(f)
            .map(|s| s.into_owned())
            .or_else(|| text_at(f, &["value"]))
    })
}
