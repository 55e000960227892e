//! The investigation pages: a queue of findings, a page per person (evidence, timeline,
//! hour-of-day chart, locations, linked records, triage), a page per ring with its graph.
//!
//! Server-rendered HTML with no scripts and nothing fetched from elsewhere, so it works offline
//! and under a strict Content-Security-Policy. Signing in exchanges an API token for a session
//! cookie (`HttpOnly`, `SameSite=Strict`); every form that changes something carries a CSRF
//! token derived from the session, and a cross-site `Origin` is refused.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use muster_output::html::{CSS, distance_diagram, esc, hour_chart, ring_graph, timeline};
use sha2::{Digest, Sha256};

use crate::{ApiError, AppState, Role, STATES, Triage, check_triage};

const COOKIE: &str = "muster_session";

pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/ui") }))
        .route("/ui", get(queue))
        .route("/ui/login", get(login_page).post(login))
        .route("/ui/logout", post(logout))
        .route("/ui/people/{person_id}", get(person_page))
        .route("/ui/people/{person_id}/triage", post(triage))
        .route("/ui/rings/{ring_id}", get(ring_page))
}

/// A signed-in user of the pages.
pub(crate) struct UiCaller {
    role: Role,
    token_id: String,
    csrf: String,
}

fn csrf_of(token: &str) -> String {
    Sha256::digest(format!("muster-csrf:{token}").as_bytes())
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Not signed in (or the token was revoked): to the sign-in page.
pub(crate) struct ToLogin;

impl IntoResponse for ToLogin {
    fn into_response(self) -> Response {
        Redirect::to("/ui/login").into_response()
    }
}

impl FromRequestParts<Arc<AppState>> for UiCaller {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let token = cookie_token(&parts.headers).ok_or_else(|| ToLogin.into_response())?;
        match state.store.token_role(&token).await {
            Ok(Some((token_id, role))) => Ok(UiCaller {
                role,
                token_id,
                csrf: csrf_of(&token),
            }),
            Ok(None) => Err(ToLogin.into_response()),
            Err(e) => Err(ApiError::from(e).into_response()),
        }
    }
}

/// Whether a POST comes from this site: its `Origin`, when the browser sends one, must name this
/// host. A cross-site POST is refused (`cross_site()`) before anything else.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let origin_host = origin.split_once("://").map_or(origin, |(_, h)| h);
    origin_host == host
}

fn cross_site() -> Response {
    page_error(StatusCode::FORBIDDEN, "cross-site request refused")
}

fn form(body: &Bytes) -> Vec<(String, String)> {
    form_urlencoded::parse(body).into_owned().collect()
}

fn field<'a>(f: &'a [(String, String)], k: &str) -> Option<&'a str> {
    f.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str())
}

fn html(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // `same-origin`, not `no-referrer`: under `no-referrer` browsers send `Origin: null` on
    // form posts, and the cross-site check could not tell the pages' own forms from others.
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    r
}

fn page(title: &str, who: Option<&UiCaller>, body: &str) -> String {
    let nav = match who {
        Some(c) => format!(
            "<nav><a href=\"/ui\">Queue</a> · signed in as {} (token {}) <form method=\"post\" action=\"/ui/logout\" style=\"display:inline\"><input type=\"hidden\" name=\"csrf\" value=\"{}\"><button>Sign out</button></form></nav>",
            c.role.as_str(),
            esc(&c.token_id.chars().take(8).collect::<String>()),
            c.csrf
        ),
        None => String::new(),
    };
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{} · muster</title><style>{CSS}\nnav{{margin-bottom:16px}}form.triage label{{display:block;margin:6px 0}}textarea{{width:100%;min-height:80px}}</style></head><body>{nav}{body}</body></html>",
        esc(title)
    )
}

fn page_error(status: StatusCode, msg: &str) -> Response {
    html(
        status,
        page(
            "error",
            None,
            &format!(
                "<h1>{}</h1><p>{}</p><p><a href=\"/ui\">Back to the queue</a></p>",
                status,
                esc(msg)
            ),
        ),
    )
}

fn api_error_page(e: ApiError) -> Response {
    page_error(e.status, &e.message)
}

fn tier_badge(tier: &str) -> String {
    format!("<span class=\"tier t-{0}\">{0}</span>", esc(tier))
}

fn state_label(s: &str) -> &str {
    match s {
        "false_positive" => "false positive",
        other => other,
    }
}

async fn login_page() -> Response {
    html(
        StatusCode::OK,
        page(
            "sign in",
            None,
            "<h1>muster: sign in</h1><form method=\"post\" action=\"/ui/login\"><label>API token <input type=\"password\" name=\"token\" autocomplete=\"off\" size=\"70\"></label> <button type=\"submit\">Sign in</button></form><p class=\"muted\">Tokens come from <code>muster token create --role viewer|analyst|admin</code>.</p>",
        ),
    )
}

async fn login(State(state): State<Arc<AppState>>, headers: HeaderMap, body: Bytes) -> Response {
    if !same_origin(&headers) {
        return cross_site();
    }
    let f = form(&body);
    let token = field(&f, "token").unwrap_or("").trim().to_string();
    match state.store.token_role(&token).await {
        Ok(Some(_)) => {
            let mut r = Redirect::to("/ui").into_response();
            if let Ok(v) = HeaderValue::from_str(&format!(
                "{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/"
            )) {
                r.headers_mut().insert(header::SET_COOKIE, v);
            }
            r
        }
        Ok(None) => html(
            StatusCode::UNAUTHORIZED,
            page(
                "sign in",
                None,
                "<h1>muster: sign in</h1><p><strong>Unknown token.</strong></p><p><a href=\"/ui/login\">Try again</a></p>",
            ),
        ),
        Err(e) => api_error_page(e.into()),
    }
}

async fn logout(who: UiCaller, headers: HeaderMap, body: Bytes) -> Response {
    if !same_origin(&headers) {
        return cross_site();
    }
    if field(&form(&body), "csrf") != Some(who.csrf.as_str()) {
        return page_error(
            StatusCode::FORBIDDEN,
            "the form's CSRF token does not match",
        );
    }
    let mut r = Redirect::to("/ui/login").into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("muster_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"),
    );
    r
}

#[derive(serde::Deserialize)]
struct QueueQuery {
    state: Option<String>,
}

async fn queue(
    State(state): State<Arc<AppState>>,
    who: UiCaller,
    Query(q): Query<QueueQuery>,
) -> Response {
    let findings = match state.store.findings().await {
        Ok(f) => f,
        Err(e) => return api_error_page(e.into()),
    };
    let shown: Vec<_> = findings
        .iter()
        .filter(|f| q.state.as_deref().is_none_or(|s| f.state == s))
        .collect();
    let mut b = String::from("<h1>Findings</h1><p>");
    let _ = write!(b, "<a href=\"/ui\">all ({})</a>", findings.len());
    for s in STATES {
        let n = findings.iter().filter(|f| f.state == s).count();
        let _ = write!(
            b,
            " · <a href=\"/ui?state={s}\">{} ({n})</a>",
            state_label(s)
        );
    }
    b.push_str("</p><table class=\"queue\"><tr><th>person</th><th>probability</th><th>tier</th><th>ring</th><th>state</th><th>assignee</th><th>top reasons</th></tr>");
    for f in &shown {
        let ring = f
            .ring_id
            .as_deref()
            .map(|r| format!("<a href=\"/ui/rings/{0}\">{0}</a>", esc(r)))
            .unwrap_or_default();
        let _ = write!(
            b,
            "<tr><td><a class=\"person\" href=\"/ui/people/{0}\">{0}</a></td><td>{1:.3}</td><td>{2}</td><td>{ring}</td><td class=\"state\">{3}</td><td>{4}</td><td>{5}</td></tr>",
            esc(&f.person_id),
            f.probability,
            tier_badge(&f.tier),
            state_label(&f.state),
            esc(f.assignee.as_deref().unwrap_or("")),
            esc(&f.reasons.join("; ")),
        );
    }
    b.push_str("</table>");
    if shown.is_empty() {
        b.push_str("<p class=\"muted\">Nothing here. Findings come from <code>muster serve --scan OUT</code>.</p>");
    }
    html(StatusCode::OK, page("findings", Some(&who), &b))
}

async fn person_page(
    State(state): State<Arc<AppState>>,
    who: UiCaller,
    Path(person_id): Path<String>,
) -> Response {
    let finding = match state.store.finding(&person_id).await {
        Ok(f) => f,
        Err(e) => return api_error_page(e.into()),
    };
    let story = match state.scan_view() {
        Some(scan) => match scan.story(&person_id) {
            Ok(s) => s,
            Err(e) => return api_error_page(e.into()),
        },
        None => None,
    };
    let record = state.record_json(&person_id, who.role);
    if finding.is_none() && story.is_none() && record.is_none() {
        return page_error(StatusCode::NOT_FOUND, &format!("no person {person_id}"));
    }
    let pid = esc(&person_id);
    let mut b = format!("<h1>{pid}</h1>");
    if let Some(s) = &story {
        let _ = write!(
            b,
            "<p>{} probability <strong>{:.3}</strong> (score {}), rank {} of {}{}</p>",
            tier_badge(&s.tier),
            s.probability,
            s.score,
            s.rank,
            s.people,
            s.ring_id
                .as_deref()
                .map(|r| format!(", ring <a href=\"/ui/rings/{0}\">{0}</a>", esc(r)))
                .unwrap_or_default()
        );
    }
    if let Some(f) = &finding {
        let _ = write!(
            b,
            "<div class=\"card\" id=\"triage\"><h2>Triage</h2><p>State: <strong class=\"state\">{}</strong>{}{}</p>",
            state_label(&f.state),
            f.assignee
                .as_deref()
                .filter(|a| !a.is_empty())
                .map(|a| format!(", assigned to {}", esc(a)))
                .unwrap_or_default(),
            format_args!(", updated {}", esc(&f.updated_at)),
        );
        if who.role >= Role::Analyst {
            let _ = write!(
                b,
                "<form class=\"triage\" method=\"post\" action=\"/ui/people/{pid}/triage\"><input type=\"hidden\" name=\"csrf\" value=\"{}\"><label>State <select name=\"state\">",
                who.csrf
            );
            for s in STATES {
                let _ = write!(
                    b,
                    "<option value=\"{s}\"{}>{}</option>",
                    if f.state == s { " selected" } else { "" },
                    state_label(s)
                );
            }
            let _ = write!(
                b,
                "</select></label><label>Assignee <input name=\"assignee\" maxlength=\"200\" value=\"{}\"></label><label>Notes<textarea name=\"notes\" maxlength=\"20000\">{}</textarea></label><button type=\"submit\">Save</button></form>",
                esc(f.assignee.as_deref().unwrap_or("")),
                esc(f.notes.as_deref().unwrap_or(""))
            );
        } else {
            let _ = write!(
                b,
                "<p class=\"muted\">Notes: {}</p><p class=\"muted\">Viewers cannot change triage.</p>",
                esc(f.notes.as_deref().unwrap_or(""))
            );
        }
        b.push_str("</div>");
    }
    if let Some(r) = &record {
        b.push_str("<h2>Record</h2><table class=\"record\">");
        if let Some(obj) = r.as_object() {
            for (k, v) in obj.iter().filter(|(_, v)| !v.is_null()) {
                let _ = write!(
                    b,
                    "<tr><th>{}</th><td>{}</td></tr>",
                    esc(k),
                    esc(v.as_str().unwrap_or(&v.to_string()))
                );
            }
        }
        b.push_str("</table>");
        if who.role < Role::Analyst {
            b.push_str(
                "<p class=\"muted\">National id and bank account are masked for viewers.</p>",
            );
        }
    }
    if let Some(s) = &story {
        b.push_str("<h2>Evidence</h2>");
        if s.evidence.is_empty() {
            b.push_str("<p>No detection fired for this person.</p>");
        } else {
            b.push_str("<table class=\"evidence\"><tr><th>detection</th><th>LR</th><th>reason</th><th>seen</th></tr>");
            for e in &s.evidence {
                let _ = write!(
                    b,
                    "<tr><td>{}</td><td>{:.1}</td><td>{}</td><td class=\"muted\">{} – {}</td></tr>",
                    esc(&e.detection),
                    e.likelihood_ratio,
                    esc(&e.reason),
                    esc(e.first_seen.as_deref().unwrap_or("")),
                    esc(e.last_seen.as_deref().unwrap_or(""))
                );
            }
            b.push_str("</table>");
            let spans: Vec<_> = s
                .evidence
                .iter()
                .map(|e| {
                    (
                        e.detection.as_str(),
                        e.first_seen.as_deref(),
                        e.last_seen.as_deref(),
                    )
                })
                .collect();
            let tl = timeline(&spans);
            if !tl.is_empty() {
                let _ = write!(b, "<h2>Timeline</h2>{tl}");
            }
            for e in s.evidence.iter().filter(|e| e.detection == "TZ-MISMATCH") {
                let c = hour_chart(&e.evidence);
                if !c.is_empty() {
                    let _ = write!(b, "<h2>Hour of day against the claimed time zone</h2>{c}");
                }
            }
            let d = distance_diagram(&s.evidence.iter().map(|e| &e.evidence).collect::<Vec<_>>());
            if !d.is_empty() {
                let _ = write!(b, "<h2>Locations</h2>{d}");
            }
        }
        if !s.ring.is_empty() || !s.same_person_records.is_empty() {
            b.push_str("<h2>Linked records</h2><ul class=\"linked\">");
            for r in &s.same_person_records {
                let _ = write!(
                    b,
                    "<li>same person: <a href=\"/ui/people/{0}\">{0}</a></li>",
                    esc(r)
                );
            }
            for part in &s.ring {
                if part.kind == "person" {
                    let _ = write!(
                        b,
                        "<li>same ring: <a href=\"/ui/people/{0}\">{0}</a></li>",
                        esc(&part.id)
                    );
                } else {
                    let _ = write!(
                        b,
                        "<li>shares {} <code>{}</code> ({})</li>",
                        esc(&part.kind),
                        esc(&part.id),
                        esc(&part.role)
                    );
                }
            }
            b.push_str("</ul>");
        }
    } else if state.scan_view().is_none() {
        b.push_str("<p class=\"muted\">No scan loaded (muster serve --scan OUT): evidence is not available.</p>");
    }
    html(StatusCode::OK, page(&person_id, Some(&who), &b))
}

async fn triage(
    State(state): State<Arc<AppState>>,
    who: UiCaller,
    Path(person_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !same_origin(&headers) {
        return cross_site();
    }
    let f = form(&body);
    if field(&f, "csrf") != Some(who.csrf.as_str()) {
        return page_error(
            StatusCode::FORBIDDEN,
            "the form's CSRF token does not match",
        );
    }
    if who.role < Role::Analyst {
        return page_error(StatusCode::FORBIDDEN, "viewers cannot change triage");
    }
    let change = Triage {
        state: field(&f, "state").map(str::to_string),
        assignee: field(&f, "assignee").map(|s| s.trim().to_string()),
        notes: field(&f, "notes").map(str::to_string),
    };
    if let Err(e) = check_triage(&change) {
        return api_error_page(e);
    }
    match state
        .store
        .triage(&person_id, &change, &format!("token:{}", who.token_id))
        .await
    {
        Ok(Some(_)) => {
            Redirect::to(&format!("/ui/people/{}#triage", urlencode(&person_id))).into_response()
        }
        Ok(None) => page_error(
            StatusCode::NOT_FOUND,
            &format!("no finding for {person_id}"),
        ),
        Err(e) => api_error_page(e.into()),
    }
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn ring_page(
    State(state): State<Arc<AppState>>,
    who: UiCaller,
    Path(ring_id): Path<String>,
) -> Response {
    let scan = match state.scan() {
        Ok(s) => s,
        Err(e) => return api_error_page(e),
    };
    let (Some(ring), Some(rows)) = (scan.ring_for_drawing(&ring_id), scan.ring(&ring_id)) else {
        return page_error(StatusCode::NOT_FOUND, &format!("no ring {ring_id}"));
    };
    let mut b = format!(
        "<h1>Ring {}</h1><p>{} people; hub <code>{}</code></p>{}",
        esc(&ring_id),
        ring.people,
        esc(&ring.hub),
        ring_graph(&ring)
    );
    b.push_str(
        "<h2>Members</h2><table class=\"members\"><tr><th>kind</th><th>id</th><th>role</th></tr>",
    );
    for r in rows {
        let id = if r.kind == "person" {
            format!("<a href=\"/ui/people/{0}\">{0}</a>", esc(&r.id))
        } else {
            format!("<code>{}</code>", esc(&r.id))
        };
        let _ = write!(
            b,
            "<tr><td>{}</td><td>{id}</td><td>{}</td></tr>",
            esc(&r.kind),
            esc(&r.role)
        );
    }
    b.push_str("</table>");
    html(
        StatusCode::OK,
        page(&format!("ring {ring_id}"), Some(&who), &b),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; muster_session=mst_abc ; b=2"),
        );
        assert_eq!(cookie_token(&h).as_deref(), Some("mst_abc"));
        h.insert(header::COOKIE, HeaderValue::from_static("muster_session="));
        assert_eq!(cookie_token(&h), None);
    }

    #[test]
    fn cross_site_posts_are_refused() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_origin(&h), "no Origin: a same-site form or a script");
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:8080"),
        );
        assert!(same_origin(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(!same_origin(&h));
    }

    #[test]
    fn csrf_tokens_differ_per_session() {
        assert_ne!(csrf_of("mst_a"), csrf_of("mst_b"));
        assert_eq!(csrf_of("mst_a").len(), 64);
    }
}
