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
use crate::json::sparse::{self, Any, Keys};
use crate::json::{self, Scalar, head_has_all};
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
        records(input, &mut collect)?;
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

/// Every record of a file, mapped. NDJSON lines and array elements are parsed sparsely (only
/// the keys of [`K`]; a `Value`'s IndexMaps made this reader the slowest), records of whole
/// documents from their `Value`: the same mapping either way.
fn records(input: &Input, sink: &mut dyn Sink) -> Result<(), NativeError> {
    json::for_each_record_fast(
        input,
        WRAPPERS,
        sink,
        &mut |t| sparse::parse::<K>(t).map(|r| map_record(&r)),
        &mut |v| map_record(&sparse::of_value::<K>(v)),
    )
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

/// The keys the mapping looks at, at any depth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum K {
    Action,
    Addresses,
    Application,
    Applications,
    AppliedAt,
    Candidate,
    CandidateId,
    CreatedAt,
    CreditedTo,
    CustomFields,
    Departments,
    EmailAddresses,
    EmployeeId,
    EventType,
    FirstName,
    Id,
    Job,
    Jobs,
    KeyedCustomFields,
    LastName,
    Name,
    Offer,
    Payload,
    PhoneNumbers,
    PublicName,
    SocialMediaAddresses,
    Source,
    StartsAt,
    Status,
    Type,
    Value,
    WebsiteAddresses,
}

impl Keys for K {
    fn of(name: &str) -> Option<K> {
        Some(match name {
            "action" => K::Action,
            "addresses" => K::Addresses,
            "application" => K::Application,
            "applications" => K::Applications,
            "applied_at" => K::AppliedAt,
            "candidate" => K::Candidate,
            "candidate_id" => K::CandidateId,
            "created_at" => K::CreatedAt,
            "credited_to" => K::CreditedTo,
            "custom_fields" => K::CustomFields,
            "departments" => K::Departments,
            "email_addresses" => K::EmailAddresses,
            "employee_id" => K::EmployeeId,
            "event_type" => K::EventType,
            "first_name" => K::FirstName,
            "id" => K::Id,
            "job" => K::Job,
            "jobs" => K::Jobs,
            "keyed_custom_fields" => K::KeyedCustomFields,
            "last_name" => K::LastName,
            "name" => K::Name,
            "offer" => K::Offer,
            "payload" => K::Payload,
            "phone_numbers" => K::PhoneNumbers,
            "public_name" => K::PublicName,
            "social_media_addresses" => K::SocialMediaAddresses,
            "source" => K::Source,
            "starts_at" => K::StartsAt,
            "status" => K::Status,
            "type" => K::Type,
            "value" => K::Value,
            "website_addresses" => K::WebsiteAddresses,
            _ => return None,
        })
    }
    /// Custom fields are iterated by name: kept whole.
    fn whole(self) -> bool {
        matches!(self, K::CustomFields | K::KeyedCustomFields)
    }
}

/// A record (or a part of one) with only the keys of [`K`].
type J<'a> = Any<'a, K>;

fn map_record(v: &J<'_>) -> Outcome {
    // Webhook envelope.
    if let Some(payload) = v.get(K::Payload) {
        let action = v.text_at(&[K::Action]).unwrap_or_default();
        if let Some(event) = v.text_at(&[K::EventType]) {
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
        let app = payload.get(K::Application);
        let cand = app
            .and_then(|a| a.get(K::Candidate))
            .or_else(|| payload.get(K::Candidate));
        let Some(cand) = cand else {
            return Outcome::Skip(
                format!("Greenhouse webhook {action:?} without a candidate").into(),
            );
        };
        let hired = HIRED_ACTIONS.contains(&action.as_str());
        return person(cand, app.into_iter().collect(), hired);
    }
    if v.get(K::FirstName).is_some() || v.get(K::EmailAddresses).is_some() {
        let apps: Vec<&J<'_>> = v
            .get(K::Applications)
            .and_then(J::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        let hired = apps.iter().any(|a| is_hired(a));
        return person(v, apps, hired);
    }
    if v.get(K::CandidateId).is_some() {
        if let Some(c) = v.get(K::Candidate).filter(|c| c.is_object()) {
            return person(c, vec![v], is_hired(v));
        }
        return Outcome::Skip(
            "Greenhouse application without candidate details (people needs a name; read the candidates export)"
                .into(),
        );
    }
    Outcome::Skip("not a Greenhouse candidate, application or webhook".into())
}

fn is_hired(application: &J<'_>) -> bool {
    text_is(application, K::Status, "hired")
}

/// Whether the text under `key` is `want`, case-insensitively.
fn text_is(v: &J<'_>, key: K, want: &str) -> bool {
    v.get(key)
        .and_then(J::text)
        .is_some_and(|t| t.eq_ignore_ascii_case(want))
}

fn typed(v: &J<'_>, key: K, prefer: &[&str]) -> Option<String> {
    let items = v.get(key)?.as_array()?;
    let value = |i: &J<'_>| i.text_at(&[K::Value]).filter(|s| !s.is_empty());
    for p in prefer {
        if let Some(s) = items
            .iter()
            .filter(|i| text_is(i, K::Type, p))
            .find_map(value)
        {
            return Some(s);
        }
    }
    items.iter().find_map(value)
}

fn ts(v: Option<&J<'_>>, what: &str) -> Result<Option<i64>, String> {
    match v.map(J::scalar) {
        None | Some(Scalar::Null) => Ok(None),
        Some(Scalar::Str(s)) if json::is_null_text(s) => Ok(None),
        Some(x) => x.timestamp().map(Some).map_err(|e| format!("{what}: {e}")),
    }
}

fn person(c: &J<'_>, apps: Vec<&J<'_>>, hired: bool) -> Outcome {
    let Some(id) = c.get(K::Id).and_then(J::text) else {
        return Outcome::reject("Greenhouse candidate without an id");
    };
    let given = c.text_at(&[K::FirstName]);
    let family = c.text_at(&[K::LastName]);
    let full = match (&given, &family) {
        (Some(g), Some(f)) => format!("{g} {f}"),
        (Some(n), None) | (None, Some(n)) => n.clone(),
        (None, None) => match c.text_at(&[K::Name]) {
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
        .set("email", typed(c, K::EmailAddresses, &["personal", "other"]))
        .set("phone", typed(c, K::PhoneNumbers, &["mobile", "home"]))
        .set(
            "address_line1",
            typed(c, K::Addresses, &["home"]).map(|a| {
                a.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect::<Vec<_>>()
                    .join(", ")
            }),
        );

    // Applications: earliest applied_at; job, source and referral of the latest one.
    let mut applied: Option<i64> = None;
    let mut latest: Option<(i64, &J<'_>)> = None;
    for a in &apps {
        match ts(a.get(K::AppliedAt), "applications[].applied_at") {
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
        match ts(c.get(K::CreatedAt), "created_at") {
            Ok(t) => applied = t,
            Err(e) => return Outcome::reject(format!("candidate {id}: {e}")),
        }
    }
    if let Some(t) = applied {
        r.set("applied_at", V::TsMicros(t));
    }
    if let Some((_, a)) = latest {
        let job = a
            .get(K::Job)
            .or_else(|| a.get(K::Jobs).and_then(J::as_array).and_then(|j| j.first()));
        if let Some(job) = job {
            r.set("job_title", job.text_at(&[K::Name]));
            let dept = job
                .get(K::Departments)
                .and_then(J::as_array)
                .and_then(|d| d.first())
                .and_then(|d| d.text_at(&[K::Name]));
            r.set("department", dept);
        }
        let source = a.text_at(&[K::Source, K::PublicName]);
        let source_type = a
            .text_at(&[K::Source, K::Type, K::Name])
            .unwrap_or_default();
        if source_type.to_ascii_lowercase().contains("agenc") {
            r.set("staffing_agency", source.clone());
        }
        let referral = source
            .as_deref()
            .is_some_and(|s| s.to_ascii_lowercase().contains("referral"))
            || source_type.to_ascii_lowercase().contains("referral");
        if referral {
            r.set("referrer_id", a.text_at(&[K::CreditedTo, K::EmployeeId]));
        }
        r.set("source", source);
        if hired {
            match ts(a.at(&[K::Offer, K::StartsAt]), "offer.starts_at") {
                Ok(t) => {
                    r.set("hired_at", t.map(V::TsMicros).unwrap_or(V::Null));
                }
                Err(e) => return Outcome::reject(format!("candidate {id}: {e}")),
            }
        }
    }

    // Profiles.
    let mut urls: Vec<String> = Vec::new();
    for key in [K::SocialMediaAddresses, K::WebsiteAddresses] {
        if let Some(items) = c.get(key).and_then(J::as_array) {
            urls.extend(items.iter().filter_map(|i| i.text_at(&[K::Value])));
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
    let portfolio = c
        .get(K::WebsiteAddresses)
        .and_then(J::as_array)
        .and_then(|items| {
            items
                .iter()
                .filter_map(|i| i.text_at(&[K::Value]))
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

fn custom_dob(v: &J<'_>) -> Option<String> {
    let is_dob = |k: &str| {
        let k = k.to_ascii_lowercase();
        k == "dob" || k.contains("birthday") || k.contains("date_of_birth")
    };
    let fields = |key: K| v.get(key).and_then(J::whole).and_then(Value::as_object);
    if let Some(m) = fields(K::KeyedCustomFields) {
        for (k, f) in m {
            if is_dob(k)
                && let Some(s) = json::text_at(f, &["value"])
            {
                return Some(s);
            }
        }
    }
    let m = fields(K::CustomFields)?;
    m.iter().filter(|(k, _)| is_dob(k)).find_map(|(_, f)| {
        json::text(f)
            .map(|s| s.into_owned())
            .or_else(|| json::text_at(f, &["value"]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The outcomes of a file's records (before repeats merge), read through the sparse text
    /// path or, with `value`, with every record parsed as a `Value` first.
    fn outcomes(bytes: &[u8], value: bool) -> Vec<(Loc, Outcome)> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.json");
        std::fs::write(&p, bytes).unwrap();
        let input = Input::new(&p).unwrap();
        let mut out = Vec::new();
        let mut sink = |l: Loc, o: Outcome| {
            out.push((l, o));
            Ok(())
        };
        if value {
            let mut f = |v: &Value| map_record(&sparse::of_value::<K>(v));
            json::for_each_record(&input, WRAPPERS, &mut sink, &mut f).unwrap();
        } else {
            records(&input, &mut sink).unwrap();
        }
        out
    }

    fn samples() -> Vec<Value> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/samples/greenhouse");
        let mut recs = Vec::new();
        for f in [
            "synthetic_webhooks.ndjson",
            "candidates__02_get_list_candidates.json",
            "candidates__01_the_candidate_object.json",
            "applications__01_the_application_object.json",
            "candidate_events__02_candidate_hired.json",
        ] {
            let text = std::fs::read_to_string(dir.join(f)).unwrap();
            match serde_json::from_str::<Value>(&text) {
                Ok(Value::Array(a)) => recs.extend(a),
                Ok(v) => recs.push(v),
                Err(_) => recs.extend(text.lines().filter_map(|l| serde_json::from_str(l).ok())),
            }
        }
        recs
    }

    /// Values that drift from the documented types.
    const DRIFT: &[&str] = &[
        "null",
        "\"null\"",
        "\" \"",
        "12",
        "\"12\"",
        "1.5e3",
        "true",
        "[]",
        "{}",
        "\"hired\"",
        "\"2026-02-01\"",
        "\"not a date\"",
        "-7",
        "[{\"value\":\"x@y.z\",\"type\":\"personal\"}]",
        "\"Referral agency\"",
        "{\"name\":\"Agency\"}",
        "\"1990-01-02\"",
    ];

    /// Replaces or removes values of `v` as `picks` say.
    fn drift(v: &mut Value, picks: &mut impl Iterator<Item = (usize, usize)>) {
        match v {
            Value::Object(m) => {
                for k in m.keys().cloned().collect::<Vec<_>>() {
                    match picks.next() {
                        Some((a, b)) if a % 7 == 0 => {
                            m.insert(k, serde_json::from_str(DRIFT[b % DRIFT.len()]).unwrap());
                        }
                        Some((a, _)) if a % 23 == 1 => {
                            m.shift_remove(&k);
                        }
                        _ => drift(&mut m[&k], picks),
                    }
                }
            }
            Value::Array(a) => a.iter_mut().for_each(|x| drift(x, picks)),
            _ => {}
        }
    }

    #[test]
    fn sparse_text_reads_like_the_value() {
        let recs = samples();
        assert!(recs.len() >= 8, "{}", recs.len());
        let nd: String = recs.iter().map(|r| format!("{r}\n")).collect();
        let out = outcomes(nd.as_bytes(), false);
        assert_eq!(out, outcomes(nd.as_bytes(), true));
        assert!(
            out.iter()
                .filter(|(_, o)| matches!(o, Outcome::Rows(_)))
                .count()
                >= 5
        );
        let arr = serde_json::to_string_pretty(&recs).unwrap();
        assert_eq!(
            outcomes(arr.as_bytes(), false),
            outcomes(arr.as_bytes(), true)
        );
        // A repeated key keeps its last value; text a `Value` rejects is rejected the same way.
        let t = br#"{"first_name":"A","id":1,"first_name":"B","email_addresses":[]}
{"first_name":"A","id":2,"x":"\ud800"}
{"first_name":"A","id":3,"x":1e400}
{"first_name":"A","id":4,"x":"\xff"}"#;
        let out = outcomes(t, false);
        assert_eq!(out, outcomes(t, true));
        let Outcome::Rows(r) = &out[0].1 else {
            panic!("{out:?}")
        };
        assert_eq!(r[0].get("full_name"), Some(&V::Str("B".into())));
        assert!(
            out[2..]
                .iter()
                .all(|(_, o)| matches!(o, Outcome::Reject { .. })),
            "{out:?}"
        );
    }

    proptest::proptest! {
        #[test]
        fn drifted_records_read_the_same_from_text(
            which in 0usize..16,
            picks in proptest::collection::vec((0usize..1000, 0usize..1000), 0..200),
            array in proptest::bool::ANY,
            flips in proptest::collection::vec((0usize..4000, 0u8..=255), 0..3),
        ) {
            let recs = samples();
            let mut r = recs[which % recs.len()].clone();
            drift(&mut r, &mut picks.into_iter());
            let mut one = r.to_string().into_bytes();
            for (i, b) in flips {
                let i = i % one.len();
                if b != b'\n' {
                    one[i] = b;
                }
            }
            let mut text = Vec::new();
            text.extend_from_slice(if array { b"[" } else { b"" });
            text.extend_from_slice(&one);
            text.extend_from_slice(if array { b",\n" } else { b"\n" });
            text.extend_from_slice(recs[0].to_string().as_bytes());
            text.extend_from_slice(if array { b"]" } else { b"\n" });
            proptest::prop_assert_eq!(outcomes(&text, false), outcomes(&text, true));
        }
    }
}
