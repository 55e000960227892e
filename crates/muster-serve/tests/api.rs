//! The API through `app(state)`, without binding a port, on a SQLite store in a temp folder.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use muster_resolve::{Index, Record, Settings};
use muster_serve::{AppState, Role, Store, app};
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

async fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("serve.db").to_str().unwrap())
        .await
        .unwrap();
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
    let (index, _) = Index::build(&known_people(), Settings::default()).unwrap();
    Env {
        _dir: dir,
        state: AppState::new(store, Some(index)),
        viewer,
        analyst,
        admin,
    }
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
    assert_eq!(v["schema_version"], 1);
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
