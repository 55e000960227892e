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
//! - `GET /v1/people/{person_id}`, `GET /v1/people/{person_id}/signals`, `GET /v1/rings`,
//!   `GET /v1/rings/{ring_id}` (viewer): records (national ids and bank accounts masked for
//!   viewers), the scan's story, signals and rings (`muster serve --scan OUT`).
//! - `/ui`: the investigation pages ([`ui`]'s module docs): sign in with a token, a queue, a
//!   person page, a ring page, triage forms with CSRF tokens.

mod ingest;
mod redetect;
mod scan;
mod store;
mod ui;

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock};

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

pub use ingest::MAX_INGEST_BYTES;
pub use redetect::{Redetect, RedetectStatus, start as start_redetection};
pub use scan::account_pairs;
pub use scan::{RingRow, ScanView};
pub use store::{
    AuditEntry, Finding, Role, SCHEMA_VERSION, STATES, Store, TokenInfo, Triage, token_hash,
};

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
    /// Known and screened people records by id, for the person endpoints and pages.
    people: RwLock<HashMap<String, Record>>,
    /// Lower-cased e-mail address to person id, for ingested events that name an account.
    by_email: RwLock<HashMap<String, String>>,
    /// The scan whose findings were imported (`muster serve --scan`), for stories and rings;
    /// replaced by each re-detection run's scan.
    scan: RwLock<Option<Arc<ScanView>>>,
    /// Re-detection after ingestion (`muster serve --input`).
    pub(crate) redetect: Option<redetect::Redetector>,
    /// ID-REUSE's documented LR, looked up once (building the catalogue per request would
    /// construct every detection and rule file).
    reuse_lr: f64,
}

impl AppState {
    /// State over `store`, screening against `index`.
    pub fn new(store: Store, index: Option<Index>) -> Arc<AppState> {
        AppState::with_scan(store, index, Vec::new(), None)
    }

    /// State with the known people's records (shown on person pages, national ids and bank
    /// accounts masked for viewers) and a scan's outputs (stories, signals, rings).
    pub fn with_scan(
        store: Store,
        index: Option<Index>,
        records: Vec<Record>,
        scan: Option<ScanView>,
    ) -> Arc<AppState> {
        AppState::with_redetect(store, index, records, scan, None)
    }

    /// As [`AppState::with_scan`], and acknowledged ingest batches wake `redetect` (started by
    /// [`serve`] or [`start_redetection`]), whose findings then replace the stored ones.
    pub fn with_redetect(
        store: Store,
        index: Option<Index>,
        records: Vec<Record>,
        scan: Option<ScanView>,
        redetect: Option<Arc<dyn Redetect>>,
    ) -> Arc<AppState> {
        let by_email = records
            .iter()
            .filter_map(|r| Some((r.email.as_deref()?.trim().to_lowercase(), r.id.clone())))
            .collect();
        Arc::new(AppState {
            store,
            index: Mutex::new(index),
            by_email: RwLock::new(by_email),
            people: RwLock::new(records.into_iter().map(|r| (r.id.clone(), r)).collect()),
            scan: RwLock::new(scan.map(Arc::new)),
            redetect: redetect.map(redetect::Redetector::new),
            reuse_lr: muster_detect::find("ID-REUSE").map_or(15.0, |d| d.meta().likelihood_ratio),
        })
    }
}

/// An error answer: a status and a reason in JSON (`{"error": ...}`); never a stack trace.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
    detail: Option<Value>,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            detail: None,
        }
    }

    /// With more fields for the answer's JSON object (e.g. the rejected records).
    fn with_detail(status: StatusCode, message: impl Into<String>, detail: Value) -> Self {
        Self {
            detail: Some(detail),
            ..Self::new(status, message)
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
        let mut body = json!({ "error": self.message });
        if let (Some(Value::Object(extra)), Some(obj)) = (self.detail, body.as_object_mut()) {
            obj.extend(extra);
        }
        (self.status, Json(body)).into_response()
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
        .route("/v1/people/{person_id}", get(get_person))
        .route("/v1/people/{person_id}/signals", get(person_signals))
        .route("/v1/rings", get(list_rings))
        .route("/v1/rings/{ring_id}", get(get_ring))
        .route("/v1/ingest", get(ingest::stats))
        .route(
            "/v1/ingest/{source}",
            post(ingest::ingest)
                .get(ingest::verify)
                .layer(DefaultBodyLimit::max(MAX_INGEST_BYTES)),
        )
        .merge(ui::routes())
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// Binds `addr` and serves until Ctrl-C or SIGTERM; requests in flight finish first.
pub async fn serve(addr: SocketAddr, state: Arc<AppState>) -> Result<(), ServeError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| ServeError::BadInput(format!("cannot listen on {addr}: {e}")))?;
    tracing::info!("listening on {addr}");
    start_redetection(&state);
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

/// Whether a screening body is a Greenhouse candidate or webhook payload rather than a contract
/// `people` row: no `person_id`, and Greenhouse's shape (`payload`, or a candidate's `id` with
/// `first_name`).
fn greenhouse_shaped(body: &Bytes) -> bool {
    let Ok(Value::Object(o)) = serde_json::from_slice::<Value>(body) else {
        return false;
    };
    !o.contains_key("person_id")
        && (o.contains_key("payload") || (o.contains_key("id") && o.contains_key("first_name")))
}

/// A Greenhouse candidate or webhook payload read by the `greenhouse` reader (the mapping of
/// `muster ingest greenhouse`) into the applicant's `people` row.
async fn greenhouse_applicant(body: Bytes) -> Result<Applicant, ApiError> {
    let line: Vec<u8> = match serde_json::from_slice::<Value>(&body) {
        Ok(v) => v.to_string().into_bytes(),
        Err(_) => body.to_vec(),
    };
    let batch = tokio::task::spawn_blocking(move || {
        ingest::read_batch("greenhouse", &line, &|_: &str| None)
    })
    .await
    .map_err(|e| ApiError::from(ServeError::Internal(format!("reader task: {e}"))))??;
    let row = batch
        .rows
        .into_iter()
        .find(|(t, _, _)| *t == "people")
        .map(|(_, row, _)| row)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "the Greenhouse payload holds no candidate with a name (a bare application or an onboarding event cannot be screened)",
            )
        })?;
    serde_json::from_value(row).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("the Greenhouse candidate does not map to a people row: {e}"),
        )
    })
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
    let a: Applicant = match greenhouse_shaped(&body) {
        true => greenhouse_applicant(body).await?,
        false => parse_json(&body)?,
    };
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
    if let Ok(mut people) = state.people.write() {
        people.insert(record.id.clone(), record);
    }
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

/// A triage change is whole and within limits, or nothing is stored.
pub(crate) fn check_triage(change: &Triage) -> Result<(), ApiError> {
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
    Ok(())
}

async fn patch_finding(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(person_id): Path<String>,
    body: Bytes,
) -> Result<Json<Finding>, ApiError> {
    caller.require(Role::Analyst)?;
    let change: Triage = parse_json(&body)?;
    check_triage(&change)?;
    state
        .store
        .triage(&person_id, &change, &caller.actor())
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, format!("no finding for {person_id}")))
}

/// A people record as JSON; national id and bank account masked (last 4 kept) below `Analyst`.
pub fn person_json(r: &Record, role: Role) -> Value {
    let sensitive = |v: &Option<String>| {
        v.as_deref().map(|v| {
            if role >= Role::Analyst {
                v.to_string()
            } else {
                muster_detect::detections::mask(v, 4)
            }
        })
    };
    json!({
        "person_id": r.id,
        "full_name": r.full_name.clone().or_else(|| {
            let n = [r.given_name.as_deref(), r.family_name.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            (!n.is_empty()).then_some(n)
        }),
        "date_of_birth": r.date_of_birth,
        "national_id": sensitive(&r.national_id),
        "bank_account": sensitive(&r.bank_account),
        "email": r.email,
        "phone": r.phone,
        "address_line1": r.address_line1,
        "address_line2": r.address_line2,
        "city": r.city,
        "region": r.region,
        "postal_code": r.postal_code,
        "country": r.country,
    })
}

impl AppState {
    /// A known or screened record, as `role` may see it.
    pub(crate) fn record_json(&self, id: &str, role: Role) -> Option<Value> {
        let people = self.people.read().ok()?;
        people.get(id).map(|r| person_json(r, role))
    }

    /// The record's current cluster id, when the screening index knows it.
    pub(crate) fn cluster_of(&self, id: &str) -> Option<String> {
        let mut guard = self.index.lock().ok()?;
        guard.as_mut()?.cluster_id(id).map(str::to_string)
    }

    /// The known person an account (an e-mail address) belongs to.
    pub(crate) fn person_of_account(&self, account: &str) -> Option<String> {
        self.by_email
            .read()
            .ok()?
            .get(&account.trim().to_lowercase())
            .cloned()
    }

    /// Adds `(account, person id)` pairs (the contract's `accounts` table, `people.work_email`)
    /// to the map ingested events are attributed with; they win over personal e-mail addresses.
    pub fn add_accounts(&self, pairs: impl IntoIterator<Item = (String, String)>) {
        if let Ok(mut m) = self.by_email.write() {
            for (account, person) in pairs {
                let account = account.trim().to_lowercase();
                if !account.is_empty() && !person.trim().is_empty() {
                    m.insert(account, person.trim().to_string());
                }
            }
        }
    }

    /// The current scan, when one is loaded.
    pub(crate) fn scan_view(&self) -> Option<Arc<ScanView>> {
        self.scan.read().ok().and_then(|s| s.clone())
    }

    /// Replaces the scan (after a re-detection run).
    pub(crate) fn set_scan(&self, view: ScanView) {
        if let Ok(mut s) = self.scan.write() {
            *s = Some(Arc::new(view));
        }
    }

    pub(crate) fn scan(&self) -> Result<Arc<ScanView>, ApiError> {
        self.scan_view().ok_or_else(|| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "no scan loaded: start muster serve with --scan OUT (a finished scan's folder)",
            )
        })
    }
}

async fn get_person(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(person_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    caller.require(Role::Viewer)?;
    let record = state.record_json(&person_id, caller.role);
    let story = match state.scan_view() {
        Some(scan) => scan.story(&person_id)?,
        None => None,
    };
    let finding = state.store.finding(&person_id).await?;
    if record.is_none() && story.is_none() && finding.is_none() {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no person {person_id} in the known records, the scan or the findings"),
        ));
    }
    Ok(Json(json!({
        "person_id": person_id,
        "record": record,
        "cluster_id": state.cluster_of(&person_id),
        "score": story.as_ref().map(|s| json!({
            "probability": s.probability, "score": s.score, "tier": s.tier,
            "flagged": s.flagged, "rank": s.rank, "of": s.people,
        })),
        "ring_id": story.as_ref().and_then(|s| s.ring_id.clone()),
        "same_person_records": story.as_ref().map(|s| s.same_person_records.clone()),
        "finding": finding,
    })))
}

async fn person_signals(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(person_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    caller.require(Role::Viewer)?;
    let story = state.scan()?.story(&person_id)?.ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            format!("the scan has no person {person_id}"),
        )
    })?;
    Ok(Json(
        json!({ "person_id": person_id, "signals": story.evidence }),
    ))
}

async fn list_rings(
    State(state): State<Arc<AppState>>,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    caller.require(Role::Viewer)?;
    let rings: Vec<Value> = state
        .scan()?
        .rings()
        .into_iter()
        .map(|(id, people, hub)| json!({ "ring_id": id, "people": people, "hub": hub }))
        .collect();
    Ok(Json(json!({ "rings": rings })))
}

async fn get_ring(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(ring_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    caller.require(Role::Viewer)?;
    let scan = state.scan()?;
    let rows = scan
        .ring(&ring_id)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, format!("no ring {ring_id}")))?;
    Ok(Json(json!({ "ring_id": ring_id, "members": rows })))
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
            "/v1/audit": { "get": { "summary": "the audit log (admin)", "responses": { "200": { "description": "entries" }, "403": err } } },
            "/v1/people/{person_id}": {
                "parameters": [{ "name": "person_id", "in": "path", "required": true, "schema": { "type": "string" } }],
                "get": { "summary": "a person: record (national id and bank account masked for viewers), score, ring, finding, cluster (viewer)",
                    "responses": { "200": { "description": "person" }, "401": err, "404": err } } },
            "/v1/people/{person_id}/signals": {
                "parameters": [{ "name": "person_id", "in": "path", "required": true, "schema": { "type": "string" } }],
                "get": { "summary": "the scan's signals for a person, strongest first (viewer)",
                    "responses": { "200": { "description": "signals" }, "404": err, "503": err } } },
            "/v1/rings": { "get": { "summary": "the scan's rings with people count and hub (viewer)", "responses": { "200": { "description": "rings" }, "503": err } } },
            "/v1/rings/{ring_id}": {
                "parameters": [{ "name": "ring_id", "in": "path", "required": true, "schema": { "type": "string" } }],
                "get": { "summary": "a ring's members (viewer)", "responses": { "200": { "description": "ring" }, "404": err, "503": err } } }
        }
    }))
}
