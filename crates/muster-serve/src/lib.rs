//! `muster serve`: screening at application time and triage of findings over HTTP.
//!
//! [`app`] builds the router from an [`AppState`] without binding a port, so tests call it
//! directly; [`serve`] binds and runs it until Ctrl-C or SIGTERM. State is in a [`Store`]
//! (SQLite by default, PostgreSQL with a `postgres://` URL). Every route but `/health` needs a
//! bearer token (`muster token create --role viewer|analyst|admin`); tokens are stored hashed.
//!
//! Routes (the OpenAPI document is served at `/openapi.json`):
//! - `GET /health`: no token.
//! - `POST /v1/screen` (analyst): an applicant as a contract `people` row in JSON, resolved
//!   incrementally against every known record (stable cluster ids); the answer (probability,
//!   tier, reasons, matched records, shared identifiers) is stored before it is returned.
//! - `GET /v1/findings`, `GET /v1/findings/{person_id}` (viewer).
//! - `PATCH /v1/findings/{person_id}` (analyst): `state` (new, investigating, confirmed,
//!   false_positive), `assignee`, `notes`; written to the append-only audit log in the same
//!   transaction.
//! - `GET /v1/audit` (admin).

mod store;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use muster_detect::{Family, Link, Severity, Signal};
use muster_resolve::{Index, Record};
use serde_json::{Value, json};

pub use store::{AuditEntry, Finding, Role, STATES, Store, Triage, token_hash};

/// Largest request body accepted (a people row or a triage change is far smaller).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// Errors of the server and its store.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The database failed.
    #[error("store: {0}")]
    Store(String),
    /// An input file or value is wrong (message says which and why).
    #[error("{0}")]
    BadInput(String),
    /// Anything else.
    #[error("internal error: {0}")]
    Internal(String),
}

/// Shared state of the routes.
pub struct AppState {
    /// The database.
    pub store: Store,
    /// Known people records for screening (`muster serve --people`); `None`: screening is off.
    pub index: Mutex<Option<Index>>,
    /// ID-REUSE's documented LR, looked up once (building the catalogue per request would
    /// construct every detection and rule file).
    reuse_lr: f64,
}

impl AppState {
    /// State over `store`, screening against `index`.
    pub fn new(store: Store, index: Option<Index>) -> Arc<AppState> {
        Arc::new(AppState {
            store,
            index: Mutex::new(index),
            reuse_lr: muster_detect::find("ID-REUSE").map_or(15.0, |d| d.meta().likelihood_ratio),
        })
    }
}

/// An error answer: a status and a reason in JSON (`{"error": ...}`); never a stack trace.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }
}

impl From<ServeError> for ApiError {
    fn from(e: ServeError) -> Self {
        match e {
            ServeError::BadInput(m) => ApiError::new(StatusCode::BAD_REQUEST, m),
            other => {
                // details go to the log, not to the client
                tracing::error!("{other}");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal error (see the server log)",
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "error": self.message }))).into_response()
    }
}

/// The caller, from the `Authorization: Bearer TOKEN` header.
pub struct Caller {
    /// The token's id (the actor in the audit log; never the token).
    pub token_id: String,
    /// Its role.
    pub role: Role,
}

impl Caller {
    fn require(&self, role: Role) -> Result<(), ApiError> {
        if self.role >= role {
            Ok(())
        } else {
            Err(ApiError::new(
                StatusCode::FORBIDDEN,
                format!(
                    "this needs the {} role; the token is {}",
                    role.as_str(),
                    self.role.as_str()
                ),
            ))
        }
    }

    fn actor(&self) -> String {
        format!("token:{}", self.token_id)
    }
}

impl FromRequestParts<Arc<AppState>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let unauthorized = |m: &str| ApiError::new(StatusCode::UNAUTHORIZED, m);
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                unauthorized("missing Authorization: Bearer TOKEN (muster token create)")
            })?;
        match state.store.token_role(token).await? {
            Some((token_id, role)) => Ok(Caller { token_id, role }),
            None => Err(unauthorized("unknown token")),
        }
    }
}

/// The router.
pub fn app(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/openapi.json", get(openapi))
        .route("/v1/screen", post(screen))
        .route("/v1/findings", get(list_findings))
        .route(
            "/v1/findings/{person_id}",
            get(get_finding).patch(patch_finding),
        )
        .route("/v1/audit", get(audit_log))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// Binds `addr` and serves until Ctrl-C or SIGTERM; requests in flight finish first.
pub async fn serve(addr: SocketAddr, state: Arc<AppState>) -> Result<(), ServeError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| ServeError::BadInput(format!("cannot listen on {addr}: {e}")))?;
    tracing::info!("listening on {addr}");
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| ServeError::Internal(format!("server: {e}")))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

async fn health(State(state): State<Arc<AppState>>) -> Result<Json<Value>, ApiError> {
    let schema = state.store.schema_version().await?;
    let known = state
        .index
        .lock()
        .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "index lock poisoned"))?
        .as_ref()
        .map(Index::len);
    Ok(Json(
        json!({ "status": "ok", "schema_version": schema, "people_known": known }),
    ))
}

fn parse_json<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!(
                "body is not valid JSON for this route: {e} (line {}, column {})",
                e.line(),
                e.column()
            ),
        )
    })
}

/// An applicant: the contract `people` columns screening reads; other contract columns are
/// accepted and ignored.
#[derive(Debug, serde::Deserialize)]
struct Applicant {
    person_id: String,
    full_name: Option<String>,
    given_name: Option<String>,
    family_name: Option<String>,
    date_of_birth: Option<String>,
    national_id: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    address_line1: Option<String>,
    address_line2: Option<String>,
    city: Option<String>,
    region: Option<String>,
    postal_code: Option<String>,
    country: Option<String>,
    #[serde(flatten)]
    _other: BTreeMap<String, Value>,
}

/// LR of resolving to a person this server holds a finding on (not marked false positive): a
/// flagged identity applying again is the identity reuse the schemes depend on.
const LR_MATCHES_FLAGGED: f64 = 100.0;

async fn screen(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    caller.require(Role::Analyst)?;
    let a: Applicant = parse_json(&body)?;
    if a.person_id.trim().is_empty() {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "person_id is empty"));
    }
    let record = Record {
        id: a.person_id.trim().to_string(),
        full_name: a.full_name,
        given_name: a.given_name,
        family_name: a.family_name,
        date_of_birth: a.date_of_birth,
        national_id: a.national_id,
        email: a.email,
        phone: a.phone,
        address_line1: a.address_line1,
        address_line2: a.address_line2,
        city: a.city,
        region: a.region,
        postal_code: a.postal_code,
        country: a.country,
        bank_account: None,
        attrs: Vec::new(),
    };
    let added = {
        let mut guard = state
            .index
            .lock()
            .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "index lock poisoned"))?;
        let index = guard.as_mut().ok_or_else(|| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "screening is off: start muster serve with --people FILE (the known records)",
            )
        })?;
        index.add(&record).map_err(|e| match e {
            muster_resolve::ResolveError::DuplicateId { .. } => ApiError::new(
                StatusCode::CONFLICT,
                format!("person_id {} was already screened or is known", record.id),
            ),
            other => ApiError::new(StatusCode::BAD_REQUEST, other.to_string()),
        })?
    };
    let mut signals = Vec::new();
    let mut matched = Vec::new();
    for m in &added.matches {
        let finding = state.store.finding(&m.id).await?;
        let flagged = finding
            .as_ref()
            .is_some_and(|f| f.state != "false_positive");
        if flagged {
            signals.push(signal(
                &record.id,
                "ID-REUSE",
                LR_MATCHES_FLAGGED,
                format!("resolves to {}, a person with an open finding", m.id),
                Some(("person", m.id.clone())),
            ));
        }
        matched.push(json!({ "id": m.id, "cluster_id": m.cluster_id, "probability": m.probability, "open_finding": flagged }));
    }
    if !added.hubs.is_empty() && !added.shared_with.is_empty() {
        let lr = state.reuse_lr;
        let what: Vec<String> = added
            .hubs
            .iter()
            .map(|(k, v)| format!("{} {v}", k.as_str()))
            .collect();
        signals.push(signal(
            &record.id,
            "ID-REUSE",
            lr,
            format!(
                "{} also used by {} other identities",
                what.join(", "),
                added.shared_with.len()
            ),
            None,
        ));
    }
    let (scores, _) = muster_fuse::fuse(
        std::slice::from_ref(&record.id),
        &signals,
        &muster_fuse::FuseConfig::default(),
    );
    let Some(score) = scores.first() else {
        return Err(ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "no score"));
    };
    let mut response = json!({
        "person_id": record.id,
        "cluster_id": added.cluster_id,
        "probability": score.probability,
        "score": score.score,
        "tier": score.tier,
        "flagged": score.flagged,
        "reasons": score.reasons,
        "matches": matched,
        "shared_identifiers": added.hubs.iter().map(|(k, v)| json!({ "kind": k.as_str(), "value": v })).collect::<Vec<_>>(),
        "shared_with": added.shared_with,
        "merged_clusters": added.merged,
    });
    let id = state
        .store
        .record_screening(
            &record.id,
            &added.cluster_id,
            score.probability,
            score.tier,
            &response,
            &caller.actor(),
        )
        .await?;
    response["screening_id"] = json!(id);
    Ok((StatusCode::OK, Json(response)).into_response())
}

fn signal(
    person: &str,
    detection: &'static str,
    lr: f64,
    reason: String,
    link: Option<(&'static str, String)>,
) -> Signal {
    Signal {
        person_id: person.to_string(),
        device_id: None,
        detection,
        family: Family::Identity,
        severity: Severity::High,
        likelihood_ratio: lr,
        first_seen: None,
        last_seen: None,
        reason,
        evidence: Value::Null,
        links: link
            .map(|(kind, value)| Link {
                kind,
                value,
                ring_edge: false,
                share: None,
            })
            .into_iter()
            .collect(),
    }
}

async fn list_findings(
    State(state): State<Arc<AppState>>,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    caller.require(Role::Viewer)?;
    Ok(Json(json!({ "findings": state.store.findings().await? })))
}

async fn get_finding(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(person_id): Path<String>,
) -> Result<Json<Finding>, ApiError> {
    caller.require(Role::Viewer)?;
    state
        .store
        .finding(&person_id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, format!("no finding for {person_id}")))
}

async fn patch_finding(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(person_id): Path<String>,
    body: Bytes,
) -> Result<Json<Finding>, ApiError> {
    caller.require(Role::Analyst)?;
    let change: Triage = parse_json(&body)?;
    if let Some(s) = &change.state
        && !STATES.contains(&s.as_str())
    {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("state {s:?} is not one of {}", STATES.join(", ")),
        ));
    }
    if change.state.is_none() && change.assignee.is_none() && change.notes.is_none() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "nothing to change: give state, assignee or notes",
        ));
    }
    for (field, v, max) in [
        ("assignee", &change.assignee, 200),
        ("notes", &change.notes, 20_000),
    ] {
        if v.as_ref().is_some_and(|v| v.chars().count() > max) {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("{field} is longer than {max} characters"),
            ));
        }
    }
    state
        .store
        .triage(&person_id, &change, &caller.actor())
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, format!("no finding for {person_id}")))
}

async fn audit_log(
    State(state): State<Arc<AppState>>,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    caller.require(Role::Admin)?;
    Ok(Json(json!({ "entries": state.store.audit_log().await? })))
}

async fn openapi() -> Json<Value> {
    let err = json!({ "description": "error", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
    Json(json!({
        "openapi": "3.1.0",
        "info": { "title": "muster serve", "version": env!("CARGO_PKG_VERSION") },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Error": { "type": "object", "required": ["error"], "properties": { "error": { "type": "string" } } },
                "Triage": { "type": "object", "additionalProperties": false, "properties": {
                    "state": { "type": "string", "enum": STATES },
                    "assignee": { "type": "string", "maxLength": 200 },
                    "notes": { "type": "string", "maxLength": 20000 } } },
                "Applicant": { "type": "object", "required": ["person_id"], "description": "a contract people row",
                    "properties": { "person_id": { "type": "string" }, "full_name": { "type": "string" },
                        "date_of_birth": { "type": "string" }, "national_id": { "type": "string" },
                        "email": { "type": "string" }, "phone": { "type": "string" },
                        "address_line1": { "type": "string" }, "city": { "type": "string" },
                        "region": { "type": "string" }, "postal_code": { "type": "string" }, "country": { "type": "string" } } }
            }
        },
        "security": [{ "bearer": [] }],
        "paths": {
            "/health": { "get": { "security": [], "summary": "liveness and schema version", "responses": { "200": { "description": "ok" } } } },
            "/v1/screen": { "post": { "summary": "screen an applicant (analyst)",
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Applicant" } } } },
                "responses": { "200": { "description": "probability, tier, reasons, matches" }, "400": err, "401": err, "403": err, "409": err, "413": err, "503": err } } },
            "/v1/findings": { "get": { "summary": "findings, most probable first (viewer)", "responses": { "200": { "description": "findings" }, "401": err } } },
            "/v1/findings/{person_id}": {
                "parameters": [{ "name": "person_id", "in": "path", "required": true, "schema": { "type": "string" } }],
                "get": { "summary": "one finding (viewer)", "responses": { "200": { "description": "finding" }, "404": err } },
                "patch": { "summary": "triage a finding (analyst); audited",
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Triage" } } } },
                    "responses": { "200": { "description": "finding" }, "400": err, "403": err, "404": err } } },
            "/v1/audit": { "get": { "summary": "the audit log (admin)", "responses": { "200": { "description": "entries" }, "403": err } } }
        }
    }))
}
