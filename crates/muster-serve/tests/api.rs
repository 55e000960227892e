//! The API through `app(state)`, without binding a port, on a SQLite store in a temp folder.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use muster_resolve::{Index, Record, Settings};
use muster_serve::{AppState, Role, ScanView, Store, app};
use serde_json::{Value, json};
use tower::ServiceExt;

fn person(id: &str, name: &str, dob: &str, ssn: &str, email: &str, phone: &str) -> Record {
    Record {
        id: id.into(),
        full_name: Some(name.into()),
        date_of_birth: Some(dob.into()),
        national_id: Some(ssn.into()),
        email: Some(email.into()),
        phone: Some(phone.into()),
        city: Some("Austin".into()),
        region: Some("TX".into()),
        country: Some("US".into()),
        ..Default::default()
    }
}

fn known_people() -> Vec<Record> {
    let mut v = Vec::new();
    let first = [
        "Ann", "Bob", "Cara", "Dan", "Eve", "Finn", "Gail", "Hugo", "Iris", "Jon",
    ];
    let last = [
        "Lee", "Moss", "Nash", "Ortiz", "Pike", "Quinn", "Reyes", "Shaw",
    ];
    for (i, f) in first.iter().enumerate() {
        for (j, l) in last.iter().enumerate() {
            let n = i * 10 + j;
            v.push(person(
                &format!("P{n:03}"),
                &format!("{f} {l}"),
                &format!("19{:02}-0{}-1{}", 60 + n % 30, 1 + n % 9, n % 9),
                &format!("5{:02}-4{}-{:04}", 10 + n % 80, n % 10, 1000 + n * 7),
                &format!("{}.{}{n}@example.com", f.to_lowercase(), l.to_lowercase()),
                &format!("+1512555{:04}", 1000 + n),
            ));
        }
    }
    v
}

struct Env {
    _dir: tempfile::TempDir,
    state: Arc<AppState>,
    viewer: String,
    analyst: String,
    admin: String,
}

/// The store every test runs on: a SQLite file in the test's folder, or, when
/// `MUSTER_TEST_POSTGRES` names a server (`postgres://USER@HOST:PORT/DB`; `.ci/run` starts one on
/// loopback), a fresh database on it, so the same tests cover both backends.
async fn store_url(dir: &std::path::Path) -> String {
    let Ok(admin) = std::env::var("MUSTER_TEST_POSTGRES") else {
        return dir.join("serve.db").to_str().unwrap().to_string();
    };
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let name = format!(
        "muster_test_{}_{}",
        std::process::id(),
        NEXT_DB.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    );
    let mut conn = sqlx::AnyConnection::connect(&admin).await.unwrap();
    // `name` is built above from a fixed prefix and numbers only
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name}"
    )))
    .execute(&mut conn)
    .await
    .unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .unwrap();
    let base = admin.rsplit_once('/').unwrap().0;
    format!("{base}/{name}")
}

static NEXT_DB: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

async fn env() -> Env {
    env_with(None).await
}

async fn env_with(redetect: Option<Arc<dyn muster_serve::Redetect>>) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&store_url(dir.path()).await).await.unwrap();
    let scores = dir.path().join("scores.csv");
    std::fs::write(
        &scores,
        "person_id,score,probability,tier,flagged,ring_id,top_reasons\n\
         P001,97,0.970000,critical,true,R0001,FARM-IP;FARM-WIFI\n\
         P002,60,0.600000,high,true,,TZ-MISMATCH\n\
         P003,1,0.010000,none,false,,\n",
    )
    .unwrap();
    assert_eq!(store.import_scores(&scores).await.unwrap(), 2);
    // importing again keeps what is there
    assert_eq!(store.import_scores(&scores).await.unwrap(), 0);
    let viewer = store.create_token(Role::Viewer, Some("v")).await.unwrap();
    let analyst = store.create_token(Role::Analyst, None).await.unwrap();
    let admin = store.create_token(Role::Admin, None).await.unwrap();
    write_scan(dir.path());
    let scan = ScanView::open(dir.path()).unwrap();
    let (index, _) = Index::build(&known_people(), Settings::default()).unwrap();
    Env {
        state: AppState::with_redetect(store, Some(index), known_people(), Some(scan), redetect),
        _dir: dir,
        viewer,
        analyst,
        admin,
    }
}

/// The rest of a scan's output folder beside `scores.csv`: signals with timing and location
/// evidence, and a ring of P001 and P010 around one IP.
fn write_scan(dir: &std::path::Path) {
    let hours: Vec<u32> = (0..24)
        .map(|h| if (20..24).contains(&h) || h < 4 { 9 } else { 0 })
        .collect();
    let signals = [
        json!({"person_id": "P001", "detection": "FARM-IP", "family": "farm", "severity": "high",
            "likelihood_ratio": 20.0, "first_seen": "2026-01-05T00:00:00Z", "last_seen": "2026-02-05T00:00:00Z",
            "reason": "signs in from 203.0.113.9 with 1 other person", "evidence": {}}),
        json!({"person_id": "P001", "detection": "GEO-MISMATCH", "family": "network", "severity": "medium",
            "likelihood_ratio": 8.0, "first_seen": "2026-01-10T00:00:00Z", "last_seen": "2026-02-01T00:00:00Z",
            "reason": "laptop and sign-ins apart", "evidence": {"median_distance_from_home": {
                "signins": {"km": 2400.0, "miles": 1491.0}, "company_laptop": {"km": 10.0, "miles": 6.0}}}}),
        json!({"person_id": "P002", "detection": "TZ-MISMATCH", "family": "timing", "severity": "medium",
            "likelihood_ratio": 6.0, "first_seen": "2026-01-01T00:00:00Z", "last_seen": "2026-03-01T00:00:00Z",
            "reason": "works nights in the claimed zone", "evidence": {
                "active_hours_by_claimed_local_hour": hours, "claimed_zone": "America/Chicago", "best_offset": "+09:00"}}),
    ];
    let text: String = signals.iter().map(|v| format!("{v}\n")).collect();
    std::fs::write(dir.join("signals.ndjson"), text).unwrap();
    std::fs::write(
        dir.join("rings.csv"),
        "ring_id,member_kind,member_id,role\nR0001,person,P001,member\nR0001,person,P010,member\nR0001,ip,203.0.113.9,hub\n",
    )
    .unwrap();
}

async fn call(
    state: &Arc<AppState>,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let body = match body {
        Some(v) => Body::from(v.to_string()),
        None => Body::empty(),
    };
    let res = app(Arc::clone(state))
        .oneshot(
            req.header("content-type", "application/json")
                .body(body)
                .unwrap(),
        )
        .await
        .unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn health_is_open_and_everything_else_needs_a_token() {
    let e = env().await;
    let (s, v) = call(&e.state, "GET", "/health", None, None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["schema_version"], muster_serve::SCHEMA_VERSION);
    assert_eq!(v["people_known"], 80);
    for uri in [
        "/v1/findings",
        "/v1/findings/P001",
        "/v1/audit",
        "/openapi.json",
    ] {
        let (s, v) = call(&e.state, "GET", uri, None, None).await;
        if uri == "/openapi.json" {
            assert_eq!(s, StatusCode::OK, "the API description is public");
            assert_eq!(v["openapi"], "3.1.0");
            continue;
        }
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{uri}");
        assert!(v["error"].as_str().unwrap().contains("Bearer"), "{v}");
        let (s, _) = call(&e.state, "GET", uri, Some("mst_not-a-token"), None).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{uri}");
    }
    let (s, v) = call(&e.state, "GET", "/v1/findings", Some(&e.viewer), None).await;
    assert_eq!(s, StatusCode::OK);
    let ids: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["person_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        vec!["P001", "P002"],
        "flagged people only, most probable first"
    );
    assert_eq!(v["findings"][0]["reasons"], json!(["FARM-IP", "FARM-WIFI"]));
    let (s, _) = call(&e.state, "GET", "/v1/audit", Some(&e.analyst), None).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn triage_is_persisted_and_audited_and_bad_changes_store_nothing() {
    let e = env().await;
    let patch = json!({ "state": "false_positive", "notes": "night-shift nurse, verified by HR" });
    let (s, _) = call(
        &e.state,
        "PATCH",
        "/v1/findings/P001",
        Some(&e.viewer),
        Some(patch.clone()),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "viewers cannot triage");
    let (s, v) = call(
        &e.state,
        "PATCH",
        "/v1/findings/P001",
        Some(&e.analyst),
        Some(patch),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["state"], "false_positive");
    let (_, v) = call(&e.state, "GET", "/v1/findings/P001", Some(&e.viewer), None).await;
    assert_eq!(v["state"], "false_positive");
    assert_eq!(v["notes"], "night-shift nurse, verified by HR");

    for (body, why) in [
        (json!({ "state": "closed" }), "not one of"),
        (json!({}), "nothing to change"),
        (
            json!({ "state": "confirmed", "colour": "red" }),
            "unknown field",
        ),
        (json!({ "assignee": "x".repeat(201) }), "longer than"),
    ] {
        let (s, v) = call(
            &e.state,
            "PATCH",
            "/v1/findings/P002",
            Some(&e.analyst),
            Some(body),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        assert!(v["error"].as_str().unwrap().contains(why), "{v}");
    }
    let (_, v) = call(&e.state, "GET", "/v1/findings/P002", Some(&e.viewer), None).await;
    assert_eq!(v["state"], "new", "a rejected change stores nothing");
    let (s, _) = call(
        &e.state,
        "PATCH",
        "/v1/findings/NOPE",
        Some(&e.analyst),
        Some(json!({"state": "confirmed"})),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    let (s, v) = call(&e.state, "GET", "/v1/audit", Some(&e.admin), None).await;
    assert_eq!(s, StatusCode::OK);
    let entries = v["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{v}");
    assert_eq!(entries[0]["action"], "triage");
    assert_eq!(entries[0]["target"], "P001");
    assert!(entries[0]["actor"].as_str().unwrap().starts_with("token:"));
    assert!(
        !v.to_string().contains(&e.analyst),
        "the audit log never holds a token"
    );
}

#[tokio::test]
async fn screening_resolves_incrementally_and_stores_the_answer() {
    let e = env().await;
    // the flagged person P001 applying again under a new person_id, same identity
    let known = &known_people()[1];
    let again = json!({
        "person_id": "A1", "full_name": known.full_name, "date_of_birth": known.date_of_birth,
        "national_id": known.national_id, "email": known.email, "phone": known.phone,
        "city": "Austin", "region": "TX", "country": "US", "record_type": "applicant",
    });
    let (s, v) = call(
        &e.state,
        "POST",
        "/v1/screen",
        Some(&e.analyst),
        Some(again),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        v["cluster_id"], "P001",
        "stable cluster id of the known person"
    );
    assert_eq!(v["matches"][0]["id"], "P001");
    assert_eq!(v["matches"][0]["open_finding"], true);
    assert!(v["probability"].as_f64().unwrap() > 0.2, "{v}");
    assert!(v["screening_id"].is_string());

    // a new, unrelated applicant: own cluster, prior probability, no reasons
    let new = json!({ "person_id": "A2", "full_name": "Zed Unrelated", "date_of_birth": "1999-12-31",
        "email": "zed.unrelated@example.org", "phone": "+13035550199", "country": "US" });
    let (s, v) = call(
        &e.state,
        "POST",
        "/v1/screen",
        Some(&e.analyst),
        Some(new.clone()),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["cluster_id"], "A2");
    assert_eq!(v["tier"], "none");
    assert!(v["reasons"].as_array().unwrap().is_empty());

    // the same person_id twice: 409, nothing stored
    let (s, _) = call(&e.state, "POST", "/v1/screen", Some(&e.analyst), Some(new)).await;
    assert_eq!(s, StatusCode::CONFLICT);
    // bad payloads: 400 with a reason, nothing stored
    let (s, v) = call(
        &e.state,
        "POST",
        "/v1/screen",
        Some(&e.analyst),
        Some(json!({ "full_name": "No Id" })),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(v["error"].as_str().unwrap().contains("person_id"), "{v}");
    let (s, _) = call(
        &e.state,
        "POST",
        "/v1/screen",
        Some(&e.viewer),
        Some(json!({ "person_id": "A3" })),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "viewers cannot screen");
    assert_eq!(e.state.store.screenings().await.unwrap(), 2);
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let e = env().await;
    let big = json!({ "person_id": "B1", "full_name": "x".repeat(muster_serve::MAX_BODY_BYTES) });
    let (s, _) = call(&e.state, "POST", "/v1/screen", Some(&e.analyst), Some(big)).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(e.state.store.screenings().await.unwrap(), 0);
}

/// A raw request: status, headers and body text (for pages and forms).
async fn send(
    state: &Arc<AppState>,
    method: &str,
    uri: &str,
    cookie: Option<&str>,
    form: Option<&str>,
    origin: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header("host", "127.0.0.1:8080");
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    if let Some(o) = origin {
        req = req.header("origin", o);
    }
    let body = match form {
        Some(f) => {
            req = req.header("content-type", "application/x-www-form-urlencoded");
            Body::from(f.to_string())
        }
        None => Body::empty(),
    };
    let res = app(Arc::clone(state))
        .oneshot(req.body(body).unwrap())
        .await
        .unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

/// Signs in through the form; returns the session cookie.
async fn sign_in(state: &Arc<AppState>, token: &str) -> String {
    let (s, h, _) = send(
        state,
        "POST",
        "/ui/login",
        None,
        Some(&format!("token={token}")),
        Some("http://127.0.0.1:8080"),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let set = h["set-cookie"].to_str().unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    set.split(';').next().unwrap().to_string()
}

fn csrf_in(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").expect("a CSRF field") + 19;
    page[at..at + 64].to_string()
}

#[tokio::test]
async fn pages_need_a_session_and_show_the_queue_person_and_ring() {
    let e = env().await;
    let (s, h, _) = send(&e.state, "GET", "/ui", None, None, None).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(h["location"], "/ui/login");
    let (s, _, body) = send(
        &e.state,
        "POST",
        "/ui/login",
        None,
        Some("token=mst_wrong"),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(body.contains("Unknown token"));

    let cookie = sign_in(&e.state, &e.analyst).await;
    let (s, h, queue) = send(&e.state, "GET", "/ui", Some(&cookie), None, None).await;
    assert_eq!(s, StatusCode::OK);
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("default-src 'none'") && !csp.contains("script-src"),
        "{csp}"
    );
    assert!(
        queue.contains("href=\"/ui/people/P001\"") && queue.contains("href=\"/ui/people/P002\"")
    );
    assert!(queue.contains("href=\"/ui/rings/R0001\""));
    assert!(
        !queue.contains("<script"),
        "no scripts: works offline under the CSP"
    );

    let (s, _, p1) = send(
        &e.state,
        "GET",
        "/ui/people/P001",
        Some(&cookie),
        None,
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    for part in [
        "<h2>Evidence</h2>",
        "FARM-IP",
        "<svg class=\"timeline\"",
        "<h2>Locations</h2>",
        "company laptop (presence, Wi-Fi), median",
        "same ring: <a href=\"/ui/people/P010\">",
        "shares ip <code>203.0.113.9</code>",
        "<form class=\"triage\"",
        "511-41-1007",
    ] {
        assert!(p1.contains(part), "person page lacks {part}");
    }
    let (_, _, p2) = send(
        &e.state,
        "GET",
        "/ui/people/P002",
        Some(&cookie),
        None,
        None,
    )
    .await;
    assert!(p2.contains("<svg class=\"hours\""), "hour-of-day chart");

    let (s, _, ring) = send(
        &e.state,
        "GET",
        "/ui/rings/R0001",
        Some(&cookie),
        None,
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(ring.contains("aria-label=\"ring graph\"") && ring.contains("/ui/people/P010"));
    let (s, _, _) = send(
        &e.state,
        "GET",
        "/ui/rings/R9999",
        Some(&cookie),
        None,
        None,
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _, _) = send(
        &e.state,
        "GET",
        "/ui/people/NOBODY",
        Some(&cookie),
        None,
        None,
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn triage_from_the_page_needs_csrf_same_origin_and_analyst() {
    let e = env().await;
    let cookie = sign_in(&e.state, &e.analyst).await;
    let (_, _, page) = send(
        &e.state,
        "GET",
        "/ui/people/P001",
        Some(&cookie),
        None,
        None,
    )
    .await;
    let csrf = csrf_in(&page);
    let form = "state=false_positive&assignee=dana&notes=verified+by+HR";
    let (s, _, _) = send(
        &e.state,
        "POST",
        "/ui/people/P001/triage",
        Some(&cookie),
        Some(form),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "no CSRF token");
    let with = format!("{form}&csrf={csrf}");
    let (s, _, _) = send(
        &e.state,
        "POST",
        "/ui/people/P001/triage",
        Some(&cookie),
        Some(&with),
        Some("https://evil.example"),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "cross-site");
    let (_, v) = call(&e.state, "GET", "/v1/findings/P001", Some(&e.viewer), None).await;
    assert_eq!(v["state"], "new", "refused forms store nothing");

    let (s, h, _) = send(
        &e.state,
        "POST",
        "/ui/people/P001/triage",
        Some(&cookie),
        Some(&with),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(h["location"], "/ui/people/P001#triage");
    let (_, v) = call(&e.state, "GET", "/v1/findings/P001", Some(&e.viewer), None).await;
    assert_eq!(v["state"], "false_positive");
    assert_eq!(v["assignee"], "dana");
    assert_eq!(v["notes"], "verified by HR");
    let (_, v) = call(&e.state, "GET", "/v1/audit", Some(&e.admin), None).await;
    assert_eq!(v["entries"][0]["action"], "triage", "{v}");

    // a viewer sees masked identifiers, no form, and cannot post one
    let vcookie = sign_in(&e.state, &e.viewer).await;
    let (_, _, vp) = send(
        &e.state,
        "GET",
        "/ui/people/P001",
        Some(&vcookie),
        None,
        None,
    )
    .await;
    assert!(
        !vp.contains("511-41-1007") && vp.contains("*******1007"),
        "masked for viewers"
    );
    assert!(!vp.contains("<form class=\"triage\""));
    let vcsrf = csrf_in(&vp);
    let (s, _, _) = send(
        &e.state,
        "POST",
        "/ui/people/P001/triage",
        Some(&vcookie),
        Some(&format!("state=confirmed&csrf={vcsrf}")),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn read_endpoints_mask_identifiers_for_viewers() {
    let e = env().await;
    let (s, v) = call(&e.state, "GET", "/v1/people/P001", Some(&e.viewer), None).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["record"]["national_id"], "*******1007");
    assert_eq!(v["score"]["tier"], "critical");
    assert_eq!(v["ring_id"], "R0001");
    assert_eq!(v["finding"]["state"], "new");
    assert_eq!(v["cluster_id"], "P001");
    let (_, v) = call(&e.state, "GET", "/v1/people/P001", Some(&e.analyst), None).await;
    assert_eq!(v["record"]["national_id"], "511-41-1007");
    let (s, v) = call(
        &e.state,
        "GET",
        "/v1/people/P001/signals",
        Some(&e.viewer),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["signals"].as_array().unwrap().len(), 2);
    assert_eq!(v["signals"][0]["detection"], "FARM-IP", "strongest first");
    let (_, v) = call(&e.state, "GET", "/v1/rings", Some(&e.viewer), None).await;
    assert_eq!(
        v["rings"],
        json!([{ "ring_id": "R0001", "people": 2, "hub": "ip:203.0.113.9" }])
    );
    let (s, v) = call(&e.state, "GET", "/v1/rings/R0001", Some(&e.viewer), None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["members"].as_array().unwrap().len(), 3);
    for uri in [
        "/v1/people/NOBODY",
        "/v1/rings/R0404",
        "/v1/people/NOBODY/signals",
    ] {
        let (s, _) = call(&e.state, "GET", uri, Some(&e.viewer), None).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{uri}");
    }
}

fn okta_event(n: usize, who: &str) -> Value {
    json!({
        "uuid": format!("evt-{n:06}"), "published": "2026-03-02T14:05:00.000Z",
        "eventType": "user.session.start", "displayMessage": "User login to Okta",
        "actor": { "alternateId": who, "displayName": "A Person", "type": "User" },
        "client": { "ipAddress": "198.51.100.7", "userAgent": { "rawUserAgent": "Mozilla/5.0" } },
        "outcome": { "result": "SUCCESS" },
    })
}

async fn post_raw(
    state: &Arc<AppState>,
    uri: &str,
    token: &str,
    body: String,
) -> (StatusCode, Value) {
    let req = Request::builder()
        .method("POST")
        .uri(uri)
        .header("authorization", format!("Bearer {token}"))
        .body(Body::from(body))
        .unwrap();
    let res = app(Arc::clone(state)).oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn ingest_stores_whole_batches_and_names_the_people_touched() {
    let e = env().await;
    let ndjson: String = (0..3)
        .map(|i| {
            format!(
                "{}\n",
                okta_event(
                    i,
                    if i == 0 {
                        "Ann.Lee0@example.com"
                    } else {
                        "someone@else.example"
                    }
                )
            )
        })
        .collect();
    let (s, v) = post_raw(&e.state, "/v1/ingest/okta", &e.analyst, ndjson).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["records"], 3);
    assert_eq!(v["tables"]["signins"], 3, "{v}");
    assert_eq!(
        v["people_touched"],
        json!(["P000"]),
        "matched by e-mail, case-insensitive"
    );

    // an Okta event hook delivery, and its one-time verification
    let hook = json!({ "eventType": "com.okta.event_hook", "data": { "events": [okta_event(9, "x@y.example")] } });
    let (s, v) = post_raw(&e.state, "/v1/ingest/okta", &e.analyst, hook.to_string()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["records"], 1);
    let req = Request::builder()
        .uri("/v1/ingest/okta")
        .header("authorization", format!("Bearer {}", e.analyst))
        .header("x-okta-verification-challenge", "abc123")
        .body(Body::empty())
        .unwrap();
    let res = app(Arc::clone(&e.state)).oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let b = res.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(
        serde_json::from_slice::<Value>(&b).unwrap(),
        json!({ "verification": "abc123" })
    );

    // a batch with one bad record: 400 naming it, and nothing of the batch is stored
    let bad = format!(
        "{}\n{{not json\n{}\n",
        okta_event(20, "a@b.example"),
        okta_event(21, "a@b.example")
    );
    let (s, v) = post_raw(&e.state, "/v1/ingest/okta", &e.analyst, bad).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(
        v["error"].as_str().unwrap().contains("nothing was stored"),
        "{v}"
    );
    assert_eq!(v["rejected"][0]["at"]["line"], 2, "{v}");
    let (_, v) = call(&e.state, "GET", "/v1/ingest", Some(&e.viewer), None).await;
    assert_eq!(v["batches"], 2, "{v}");
    assert_eq!(v["events_stored"], 4);

    // a batch larger than the 256 KiB limit of other routes is fine here
    let big: String = (0..2000)
        .map(|i| format!("{}\n", okta_event(100 + i, "c@d.example")))
        .collect();
    assert!(big.len() > muster_serve::MAX_BODY_BYTES);
    let (s, v) = post_raw(&e.state, "/v1/ingest/okta", &e.analyst, big).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["rows"], 2000);

    for (uri, token, want) in [
        ("/v1/ingest/nosuch", &e.analyst, StatusCode::NOT_FOUND),
        ("/v1/ingest/okta", &e.viewer, StatusCode::FORBIDDEN),
    ] {
        let (s, _) = post_raw(
            &e.state,
            uri,
            token,
            format!("{}\n", okta_event(1, "a@b.example")),
        )
        .await;
        assert_eq!(s, want, "{uri}");
    }
    let (s, _) = post_raw(&e.state, "/v1/ingest/okta", &e.analyst, "\n\n".into()).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "an empty batch");
}

/// Stands in for the binary's re-detection scan: counts the ingested sign-ins it is given and
/// answers with a scores.csv in which P003 became flagged, P002 dropped and P001 is unchanged.
struct FakeScan {
    dir: std::path::PathBuf,
    signins_seen: std::sync::Mutex<Vec<usize>>,
}

impl muster_serve::Redetect for FakeScan {
    fn redetect(
        &self,
        ingested: &std::collections::BTreeMap<String, Vec<String>>,
    ) -> Result<std::path::PathBuf, String> {
        let n = ingested.get("signins").map_or(0, Vec::len);
        for row in ingested.get("signins").into_iter().flatten() {
            let v: Value = serde_json::from_str(row).map_err(|e| e.to_string())?;
            if v["account"].as_str().is_none() {
                return Err(format!("a stored sign-in has no account: {row}"));
            }
        }
        self.signins_seen.lock().unwrap().push(n);
        std::fs::create_dir_all(&self.dir).map_err(|e| e.to_string())?;
        std::fs::write(
            self.dir.join("scores.csv"),
            "person_id,score,probability,tier,flagged,ring_id,top_reasons\n\
             P001,97,0.970000,critical,true,R0001,FARM-IP;FARM-WIFI\n\
             P002,5,0.050000,low,false,,\n\
             P003,90,0.900000,high,true,,NET-DPRK\n",
        )
        .map_err(|e| e.to_string())?;
        write_scan(&self.dir);
        Ok(self.dir.clone())
    }
}

async fn wait_for_runs(e: &Env, runs: u64) -> Value {
    for _ in 0..200 {
        let (_, v) = call(&e.state, "GET", "/v1/ingest", Some(&e.viewer), None).await;
        let r = &v["redetection"];
        if r["runs"].as_u64().unwrap_or(0) >= runs && r["running"] == false {
            return v;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("re-detection did not run {runs} time(s)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ingested_batches_refresh_findings_and_keep_triage() {
    let out = tempfile::tempdir().unwrap();
    let fake = Arc::new(FakeScan {
        dir: out.path().join("scan"),
        signins_seen: Default::default(),
    });
    let e = env_with(Some(fake.clone() as Arc<dyn muster_serve::Redetect>)).await;
    muster_serve::start_redetection(&e.state);

    // an analyst is already investigating P002
    let (s, v) = call(
        &e.state,
        "PATCH",
        "/v1/findings/P002",
        Some(&e.analyst),
        Some(json!({ "state": "investigating", "notes": "called the manager" })),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");

    let batch: String = (0..3)
        .map(|i| format!("{}\n", okta_event(i, "ann.lee3@example.com")))
        .collect();
    let (s, v) = post_raw(&e.state, "/v1/ingest/okta", &e.analyst, batch).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["redetection"], "queued");
    let stats = wait_for_runs(&e, 1).await;
    assert_eq!(stats["redetection"]["last_error"], Value::Null, "{stats}");
    assert_eq!(stats["redetection"]["findings_changed"], 2, "{stats}");
    assert_eq!(*fake.signins_seen.lock().unwrap().last().unwrap(), 3);

    let (_, v) = call(&e.state, "GET", "/v1/findings/P003", Some(&e.viewer), None).await;
    assert_eq!(v["tier"], "high", "newly flagged: {v}");
    assert_eq!(v["state"], "new");
    assert_eq!(v["reasons"], json!(["NET-DPRK"]));
    let (_, v) = call(&e.state, "GET", "/v1/findings/P002", Some(&e.viewer), None).await;
    assert_eq!(v["tier"], "low", "{v}");
    assert_eq!(v["state"], "investigating", "triage kept: {v}");
    assert_eq!(v["notes"], "called the manager");

    let (_, v) = call(&e.state, "GET", "/v1/audit", Some(&e.admin), None).await;
    let redetected: Vec<&str> = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["action"] == "redetect")
        .map(|a| a["target"].as_str().unwrap())
        .collect();
    let mut sorted = redetected.clone();
    sorted.sort();
    assert_eq!(sorted, ["P002", "P003"], "P001 did not change: {v}");

    // a second batch: the run sees everything ingested so far, and nothing changes again
    let batch: String = (10..12)
        .map(|i| format!("{}\n", okta_event(i, "someone@else.example")))
        .collect();
    let (s, _) = post_raw(&e.state, "/v1/ingest/okta", &e.analyst, batch).await;
    assert_eq!(s, StatusCode::OK);
    let stats = wait_for_runs(&e, 2).await;
    assert_eq!(stats["redetection"]["findings_changed"], 0, "{stats}");
    assert_eq!(*fake.signins_seen.lock().unwrap().last().unwrap(), 5);
}

#[tokio::test]
async fn greenhouse_candidates_and_webhooks_are_screened() {
    let e = env().await;
    // a Harvest API candidate who is Ann Lee (P000) again, with her e-mail and phone
    let candidate = json!({
        "id": 4242, "first_name": "Ann", "last_name": "Lee",
        "created_at": "2026-02-01T10:00:00Z",
        "email_addresses": [{ "value": "ann.lee0@example.com", "type": "personal" }],
        "phone_numbers": [{ "value": "+1 512 555 0100", "type": "mobile" }],
        "applications": [],
    });
    let (s, v) = call(
        &e.state,
        "POST",
        "/v1/screen",
        Some(&e.analyst),
        Some(candidate),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["person_id"], "greenhouse:4242", "{v}");
    // the same candidate arriving in a webhook is a repeat of that person_id
    let hook = json!({ "action": "new_candidate_application", "payload": { "application": {
        "id": 1, "applied_at": "2026-02-02T10:00:00Z",
        "candidate": { "id": 4243, "first_name": "Bo", "last_name": "Quist",
            "email_addresses": [{ "value": "bo.quist@example.net", "type": "personal" }] } } } });
    let (s, v) = call(&e.state, "POST", "/v1/screen", Some(&e.analyst), Some(hook)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["person_id"], "greenhouse:4243", "{v}");
    // a bare application has no name to screen
    let bare =
        json!({ "action": "new_candidate_application", "payload": { "application": { "id": 2 } } });
    let (s, v) = call(&e.state, "POST", "/v1/screen", Some(&e.analyst), Some(bare)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
}

#[tokio::test]
async fn revoked_tokens_stop_working_and_the_revocation_is_audited() {
    let e = env().await;
    let (s, _) = call(&e.state, "GET", "/v1/findings", Some(&e.viewer), None).await;
    assert_eq!(s, StatusCode::OK);
    let tokens = e.state.store.tokens().await.unwrap();
    assert_eq!(tokens.len(), 3);
    let viewer = tokens.iter().find(|t| t.role == "viewer").unwrap();
    assert_eq!(viewer.label.as_deref(), Some("v"));
    assert!(
        e.state
            .store
            .revoke_token(&viewer.id, "test")
            .await
            .unwrap()
    );
    assert!(
        !e.state
            .store
            .revoke_token(&viewer.id, "test")
            .await
            .unwrap(),
        "already gone"
    );
    let (s, _) = call(&e.state, "GET", "/v1/findings", Some(&e.viewer), None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = call(&e.state, "GET", "/v1/findings", Some(&e.analyst), None).await;
    assert_eq!(s, StatusCode::OK, "other tokens still work");
    let (_, v) = call(&e.state, "GET", "/v1/audit", Some(&e.admin), None).await;
    assert!(
        v["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["action"] == "revoke_token" && a["target"] == viewer.id.as_str()),
        "{v}"
    );
}
