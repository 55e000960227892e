//! `POST /v1/ingest/{source}`: batches of native events, read by the same readers as
//! `muster ingest` (`muster-native`), stored whole or not at all, acknowledged only after the
//! commit. The Okta event hook's one-time verification (`GET` with
//! `X-Okta-Verification-Challenge`) is answered on `GET /v1/ingest/okta`.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use muster_native::{Loc, Outcome, V};
use serde_json::{Value, json};

use crate::store::random_hex;
use crate::{ApiError, AppState, Caller, Role};

/// Largest batch accepted (an Okta event hook delivers at most a few hundred events).
pub const MAX_INGEST_BYTES: usize = 16 * 1024 * 1024;

/// Rejections listed in a 400 answer (the count is always complete).
const REJECTIONS_SHOWN: usize = 20;

/// One batch, read and checked, ready to store.
pub(crate) struct Batch {
    pub source: String,
    pub records: u64,
    pub skipped: u64,
    /// `(table, row as a JSON object, person id when the row names a known person)`.
    pub rows: Vec<(&'static str, Value, Option<String>)>,
}

fn v_json(v: &V) -> Value {
    match v {
        V::Null => Value::Null,
        V::Str(s) => json!(s),
        V::Int(i) => json!(i),
        V::Float(f) => json!(f),
        V::Bool(b) => json!(b),
        V::TsMicros(t) => chrono::DateTime::from_timestamp_micros(*t)
            .map(|d| json!(d.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)))
            .unwrap_or(Value::Null),
    }
}

/// An Okta event hook delivery (`{"data": {"events": [...]}}`) as NDJSON of its LogEvents;
/// anything else unchanged.
fn unwrap_okta_hook(body: &[u8]) -> Option<Vec<u8>> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let events = v.get("data")?.get("events")?.as_array()?;
    let mut out = Vec::new();
    for e in events {
        out.extend_from_slice(e.to_string().as_bytes());
        out.push(b'\n');
    }
    Some(out)
}

/// Reads `body` with the named native reader. Every record is mapped, skipped or rejected;
/// rejections come back with their line or record number.
pub(crate) fn read_batch(
    source: &str,
    body: &[u8],
    person_of: &dyn Fn(&str) -> Option<String>,
) -> Result<Batch, ApiError> {
    let reader = muster_native::registry()
        .iter()
        .find(|s| s.name() == source)
        .ok_or_else(|| {
            let names: Vec<&str> = muster_native::registry().iter().map(|s| s.name()).collect();
            ApiError::new(
                StatusCode::NOT_FOUND,
                format!("no source {source:?}; sources: {}", names.join(", ")),
            )
        })?;
    let body = if source == "okta" {
        unwrap_okta_hook(body).unwrap_or_else(|| body.to_vec())
    } else {
        body.to_vec()
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "empty batch"));
    }
    // The readers read files (sniffing compression, streaming); a batch is small, so it goes
    // through a private temporary file that is removed afterwards.
    let path = std::env::temp_dir().join(format!(
        "muster-ingest-{}.ndjson",
        random_hex(12).map_err(ApiError::from)?
    ));
    std::fs::write(&path, &body).map_err(|e| {
        ApiError::from(crate::ServeError::Internal(format!(
            "cannot stage a batch in {}: {e}",
            path.display()
        )))
    })?;
    struct Remove<'a>(&'a std::path::Path);
    impl Drop for Remove<'_> {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(self.0);
        }
    }
    let _guard = Remove(&path);
    let input = muster_native::Input::new(&path)
        .map_err(|e| ApiError::from(crate::ServeError::Internal(format!("staged batch: {e}"))))?;
    let mut batch = Batch {
        source: source.to_string(),
        records: 0,
        skipped: 0,
        rows: Vec::new(),
    };
    let mut rejected: Vec<Value> = Vec::new();
    let mut rejected_n = 0u64;
    let mut sink = |loc: Loc, o: Outcome| -> Result<(), muster_native::NativeError> {
        batch.records += 1;
        let at = match loc {
            Loc::Line(l) => json!({ "line": l }),
            Loc::Record(r) => json!({ "record": r }),
        };
        match o {
            Outcome::Rows(rows) => {
                for r in rows {
                    if !r.unknown.is_empty() {
                        rejected_n += 1;
                        if rejected.len() < REJECTIONS_SHOWN {
                            rejected.push(json!({ "at": at, "reason": format!("reader set unknown columns {:?}", r.unknown) }));
                        }
                        continue;
                    }
                    let mut obj = serde_json::Map::new();
                    for (i, v) in &r.cells {
                        if let Some(c) = r.table.columns.get(*i) {
                            obj.insert(c.name.to_string(), v_json(v));
                        }
                    }
                    let person = ["person_id", "account", "user"]
                        .iter()
                        .find_map(|k| obj.get(*k).and_then(Value::as_str))
                        .and_then(person_of);
                    batch.rows.push((r.table.name, Value::Object(obj), person));
                }
            }
            Outcome::Skip(_) => batch.skipped += 1,
            Outcome::Reject { reason, .. } => {
                rejected_n += 1;
                if rejected.len() < REJECTIONS_SHOWN {
                    rejected.push(json!({ "at": at, "reason": reason }));
                }
            }
        }
        Ok(())
    };
    reader.read(&input, &mut sink).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("the batch is not readable as {source}: {e}"),
        )
    })?;
    if rejected_n > 0 {
        return Err(ApiError::with_detail(
            StatusCode::BAD_REQUEST,
            format!(
                "{rejected_n} of {} records rejected; nothing was stored. Fix or drop them and send the batch again",
                batch.records
            ),
            json!({ "rejected": rejected }),
        ));
    }
    Ok(batch)
}

pub(crate) async fn ingest(
    State(state): State<Arc<AppState>>,
    caller: Caller,
    Path(source): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    caller.require(Role::Analyst)?;
    let st = Arc::clone(&state);
    let batch = tokio::task::spawn_blocking(move || {
        read_batch(&source, &body, &|account| st.person_of_account(account))
    })
    .await
    .map_err(|e| ApiError::from(crate::ServeError::Internal(format!("reader task: {e}"))))??;
    let mut tables: BTreeMap<&str, usize> = BTreeMap::new();
    for (t, _, _) in &batch.rows {
        *tables.entry(t).or_default() += 1;
    }
    let touched: std::collections::BTreeSet<String> = batch
        .rows
        .iter()
        .filter_map(|(_, _, p)| p.clone())
        .collect();
    let id = state.store.store_batch(&batch, &caller.actor()).await?;
    // Durable now; detections follow in the background (coalesced with other batches).
    if let Some(r) = &state.redetect {
        r.wake();
    }
    Ok(Json(json!({
        "batch_id": id,
        "source": batch.source,
        "records": batch.records,
        "rows": batch.rows.len(),
        "skipped": batch.skipped,
        "tables": tables,
        "people_touched": touched,
        "redetection": if state.redetect.is_some() { "queued" } else { "off" },
    })))
}

/// Okta's one-time event hook verification: echo the challenge header.
pub(crate) async fn verify(
    caller: Caller,
    Path(source): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    caller.require(Role::Analyst)?;
    if source != "okta" {
        return Err(ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "GET is only the Okta event hook verification (GET /v1/ingest/okta)",
        ));
    }
    let challenge = headers
        .get("x-okta-verification-challenge")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "missing X-Okta-Verification-Challenge header",
            )
        })?;
    Ok(Json(json!({ "verification": challenge })))
}

/// What has been ingested.
pub(crate) async fn stats(
    State(state): State<Arc<AppState>>,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    caller.require(Role::Viewer)?;
    let mut v = state.store.ingest_stats().await?;
    if let Some(o) = v.as_object_mut() {
        o.insert(
            "redetection".into(),
            match &state.redetect {
                Some(r) => serde_json::to_value(r.status()).unwrap_or(Value::Null),
                None => Value::Null,
            },
        );
    }
    Ok(Json(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn okta_hook_deliveries_become_ndjson() {
        let body = br#"{"eventType":"com.okta.event_hook","data":{"events":[{"a":1},{"a":2}]}}"#;
        assert_eq!(
            unwrap_okta_hook(body).unwrap(),
            b"{\"a\":1}\n{\"a\":2}\n".to_vec()
        );
        assert!(unwrap_okta_hook(b"{\"a\":1}\n{\"a\":2}\n").is_none());
    }

    #[test]
    fn timestamps_are_rfc3339() {
        assert_eq!(
            v_json(&V::TsMicros(0)),
            json!("1970-01-01T00:00:00.000000Z")
        );
        assert_eq!(v_json(&V::Null), Value::Null);
    }
}
