//! The server's state: SQLite (a file, WAL) by default or PostgreSQL, through sqlx's `Any`
//! driver so both run the same statements. Schema changes are numbered migrations applied in a
//! transaction at start.

use sha2::{Digest, Sha256};
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Row};

use crate::ServeError;

/// Numbered schema migrations. Statements are plain SQL both backends accept (TEXT, BIGINT,
/// DOUBLE PRECISION; no autoincrement: ids are random text, order is by time then id).
const MIGRATIONS: &[(i64, &[&str])] = &[
    (
        1,
        &[
            "CREATE TABLE tokens (id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
                label TEXT, created_at TEXT NOT NULL)",
            "CREATE TABLE findings (person_id TEXT PRIMARY KEY, probability DOUBLE PRECISION NOT NULL,
                tier TEXT NOT NULL, reasons TEXT NOT NULL, ring_id TEXT, state TEXT NOT NULL,
                assignee TEXT, notes TEXT, updated_at TEXT NOT NULL)",
            "CREATE TABLE audit_log (id TEXT PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,
                action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL)",
            "CREATE TABLE screenings (id TEXT PRIMARY KEY, at TEXT NOT NULL, record_id TEXT NOT NULL,
                cluster_id TEXT NOT NULL, probability DOUBLE PRECISION NOT NULL, tier TEXT NOT NULL,
                response TEXT NOT NULL)",
        ],
    ),
    (
        2,
        &[
            "CREATE TABLE ingest_batches (id TEXT PRIMARY KEY, at TEXT NOT NULL, source TEXT NOT NULL,
                actor TEXT NOT NULL, records BIGINT NOT NULL, rows_stored BIGINT NOT NULL,
                skipped BIGINT NOT NULL)",
            "CREATE TABLE events (batch_id TEXT NOT NULL, seq BIGINT NOT NULL, tbl TEXT NOT NULL,
                person_id TEXT, row_json TEXT NOT NULL, PRIMARY KEY (batch_id, seq))",
            "CREATE INDEX events_person ON events (person_id)",
        ],
    ),
];

/// The schema version a store has once opened (the last migration's number).
pub const SCHEMA_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// Roles, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads, with national ids and bank accounts masked.
    Viewer,
    /// Reads and triages findings.
    Analyst,
    /// Everything, including the audit log.
    Admin,
}

impl Role {
    /// Parses `viewer`, `analyst` or `admin`.
    pub fn parse(s: &str) -> Option<Role> {
        match s.trim().to_ascii_lowercase().as_str() {
            "viewer" => Some(Role::Viewer),
            "analyst" => Some(Role::Analyst),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
        }
    }
}

/// Triage states of a finding.
pub const STATES: [&str; 4] = ["new", "investigating", "confirmed", "false_positive"];

/// A finding as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Finding {
    pub person_id: String,
    pub probability: f64,
    pub tier: String,
    pub reasons: Vec<String>,
    pub ring_id: Option<String>,
    pub state: String,
    pub assignee: Option<String>,
    pub notes: Option<String>,
    pub updated_at: String,
}

/// One audit-log entry.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AuditEntry {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: serde_json::Value,
}

/// The store.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
}

pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// 128 random bits as hex (ids), or 256 (tokens).
pub(crate) fn random_hex(bytes: usize) -> Result<String, ServeError> {
    let mut b = vec![0u8; bytes];
    getrandom::fill(&mut b).map_err(|e| ServeError::Internal(format!("no randomness: {e}")))?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

/// SHA-256 of a token, hex. Tokens are 256 random bits, so a plain hash is enough (no
/// password-style stretching needed); the token itself is never stored.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

fn db_err(what: &str) -> impl Fn(sqlx::Error) -> ServeError + '_ {
    move |e| ServeError::Store(format!("{what}: {e}"))
}

impl Store {
    /// Opens (creating when missing) the database at `url`: `sqlite://PATH` (or a plain path)
    /// or `postgres://...`, and applies pending migrations.
    pub async fn open(url: &str) -> Result<Store, ServeError> {
        install_default_drivers();
        let url = if url.contains("://") || url.starts_with("sqlite:") {
            url.to_string()
        } else {
            format!("sqlite://{url}")
        };
        let sqlite = url.starts_with("sqlite:");
        let url = if sqlite && !url.contains("mode=") {
            format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
        } else {
            url
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if sqlite { 4 } else { 16 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if sqlite {
                        // WAL: readers do not block the writer; FULL: a commit is on disk
                        // before it returns, so an acknowledged write survives a crash.
                        sqlx::query("PRAGMA journal_mode=WAL")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA synchronous=FULL")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA busy_timeout=5000")
                            .execute(&mut *conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(|e| ServeError::Store(format!("cannot open {}: {e}", redact(&url))))?;
        let store = Store { pool };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), ServeError> {
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)",
        )
        .execute(&self.pool)
        .await
        .map_err(db_err("create schema_version"))?;
        let current: i64 = sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_version")
            .fetch_one(&self.pool)
            .await
            .and_then(|r| r.try_get::<i64, _>("v"))
            .map_err(db_err("read schema_version"))?;
        for (version, statements) in MIGRATIONS.iter().filter(|m| m.0 > current) {
            let mut tx = self.pool.begin().await.map_err(db_err("begin migration"))?;
            for s in *statements {
                sqlx::query(*s)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| ServeError::Store(format!("migration {version}: {e}")))?;
            }
            sqlx::query("INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)")
                .bind(*version)
                .bind(now())
                .execute(&mut *tx)
                .await
                .map_err(db_err("record migration"))?;
            tx.commit().await.map_err(db_err("commit migration"))?;
            tracing::info!("applied schema migration {version}");
        }
        Ok(())
    }

    /// The schema version in force.
    pub async fn schema_version(&self) -> Result<i64, ServeError> {
        sqlx::query("SELECT MAX(version) AS v FROM schema_version")
            .fetch_one(&self.pool)
            .await
            .and_then(|r| r.try_get::<i64, _>("v"))
            .map_err(db_err("read schema_version"))
    }

    /// Creates a token with `role`; returns it (shown once; only its hash is stored).
    pub async fn create_token(
        &self,
        role: Role,
        label: Option<&str>,
    ) -> Result<String, ServeError> {
        let token = format!("mst_{}", random_hex(32)?);
        sqlx::query(
            "INSERT INTO tokens (id, hash, role, label, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(random_hex(16)?)
        .bind(token_hash(&token))
        .bind(role.as_str())
        .bind(label.map(str::to_string))
        .bind(now())
        .execute(&self.pool)
        .await
        .map_err(db_err("store token"))?;
        Ok(token)
    }

    /// Every token's id, role, label and creation time (never the token), oldest first.
    pub async fn tokens(&self) -> Result<Vec<TokenInfo>, ServeError> {
        let rows =
            sqlx::query("SELECT id, role, label, created_at FROM tokens ORDER BY created_at, id")
                .fetch_all(&self.pool)
                .await
                .map_err(db_err("list tokens"))?;
        rows.iter()
            .map(|r| {
                Ok(TokenInfo {
                    id: r.try_get("id").map_err(db_err("read token row"))?,
                    role: r.try_get("role").map_err(db_err("read token row"))?,
                    label: r.try_get("label").map_err(db_err("read token row"))?,
                    created_at: r.try_get("created_at").map_err(db_err("read token row"))?,
                })
            })
            .collect()
    }

    /// Revokes the token with this id (from [`Store::tokens`]): it stops working at once, and
    /// an audit entry `revoke_token` is written in the same transaction. `false` when no token
    /// has the id.
    pub async fn revoke_token(&self, id: &str, actor: &str) -> Result<bool, ServeError> {
        let mut tx = self.pool.begin().await.map_err(db_err("begin revoke"))?;
        let done = sqlx::query("DELETE FROM tokens WHERE id = $1")
            .bind(id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(db_err("revoke token"))?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        audit(&mut tx, actor, "revoke_token", id, &serde_json::json!({})).await?;
        tx.commit().await.map_err(db_err("commit revoke"))?;
        Ok(true)
    }

    /// The role and id of a presented token.
    pub async fn token_role(&self, token: &str) -> Result<Option<(String, Role)>, ServeError> {
        let row = sqlx::query("SELECT id, role FROM tokens WHERE hash = $1")
            .bind(token_hash(token))
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err("look up token"))?;
        Ok(row.and_then(|r| {
            let id: String = r.try_get("id").ok()?;
            let role: String = r.try_get("role").ok()?;
            Some((id, Role::parse(&role)?))
        }))
    }

    /// Adds the flagged people of a scan (`OUT/scores.csv`) as new findings; people already
    /// known keep their triage. Returns how many were added.
    pub async fn import_scores(&self, scores_csv: &std::path::Path) -> Result<usize, ServeError> {
        let rows = read_scores(scores_csv)?;
        let mut tx = self.pool.begin().await.map_err(db_err("begin import"))?;
        let mut added = 0;
        for r in rows.iter().filter(|r| r.flagged) {
            let done = sqlx::query(
                "INSERT INTO findings (person_id, probability, tier, reasons, ring_id, state, updated_at)
                 VALUES ($1, $2, $3, $4, $5, 'new', $6) ON CONFLICT (person_id) DO NOTHING",
            )
            .bind(r.person_id.clone())
            .bind(r.probability)
            .bind(r.tier.clone())
            .bind(r.reasons.clone())
            .bind(r.ring_id.clone())
            .bind(now())
            .execute(&mut *tx)
            .await
            .map_err(db_err("import finding"))?;
            added += done.rows_affected() as usize;
        }
        tx.commit().await.map_err(db_err("commit import"))?;
        Ok(added)
    }

    /// Brings findings up to date with a new scan's `scores.csv`: flagged people are added or
    /// updated, people with a finding who are no longer flagged get their new probability, tier
    /// and reasons (the finding stays, so its triage history does too). Triage state, assignee
    /// and notes are never touched. One audit entry per finding that changed, all in one
    /// transaction. Returns how many changed.
    pub async fn refresh_scores(
        &self,
        scores_csv: &std::path::Path,
        actor: &str,
    ) -> Result<u64, ServeError> {
        let rows = read_scores(scores_csv)?;
        let mut tx = self.pool.begin().await.map_err(db_err("begin refresh"))?;
        // Every finding read once (findings are the flagged few), not one query per scored row.
        let mut known: std::collections::HashMap<String, (f64, String, String)> =
            std::collections::HashMap::new();
        for row in sqlx::query("SELECT person_id, probability, tier, reasons FROM findings")
            .fetch_all(&mut *tx)
            .await
            .map_err(db_err("read findings"))?
        {
            let get = |c: &str| {
                row.try_get::<String, _>(c)
                    .map_err(db_err("read finding row"))
            };
            known.insert(
                get("person_id")?,
                (
                    row.try_get::<f64, _>("probability")
                        .map_err(db_err("read finding row"))?,
                    get("tier")?,
                    get("reasons")?,
                ),
            );
        }
        let mut changed = 0u64;
        for r in &rows {
            let before = known.get(&r.person_id);
            if before.is_none() && !r.flagged {
                continue;
            }
            if let Some((p, t, why)) = before
                && (p - r.probability).abs() < 5e-7
                && *t == r.tier
                && *why == r.reasons
            {
                continue;
            }
            let q = if before.is_some() {
                "UPDATE findings SET probability = $2, tier = $3, reasons = $4, ring_id = $5, updated_at = $6
                 WHERE person_id = $1"
            } else {
                "INSERT INTO findings (person_id, probability, tier, reasons, ring_id, state, updated_at)
                 VALUES ($1, $2, $3, $4, $5, 'new', $6)"
            };
            sqlx::query(q)
                .bind(r.person_id.clone())
                .bind(r.probability)
                .bind(r.tier.clone())
                .bind(r.reasons.clone())
                .bind(r.ring_id.clone())
                .bind(now())
                .execute(&mut *tx)
                .await
                .map_err(db_err("refresh finding"))?;
            let detail = serde_json::json!({
                "from": before.map(|(p, t, _)| serde_json::json!({ "probability": p, "tier": t })),
                "to": { "probability": r.probability, "tier": r.tier },
                "reasons": serde_json::from_str::<serde_json::Value>(&r.reasons).unwrap_or_default(),
            });
            audit(&mut tx, actor, "redetect", &r.person_id, &detail).await?;
            changed += 1;
        }
        tx.commit().await.map_err(db_err("commit refresh"))?;
        Ok(changed)
    }

    /// Every stored event row by contract table, oldest batch first.
    pub async fn ingested_rows(
        &self,
    ) -> Result<std::collections::BTreeMap<String, Vec<String>>, ServeError> {
        let rows = sqlx::query(
            "SELECT e.tbl AS tbl, e.row_json AS row_json FROM events e
             JOIN ingest_batches b ON b.id = e.batch_id ORDER BY b.at, e.batch_id, e.seq",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db_err("read ingested events"))?;
        let mut out: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for r in &rows {
            let t: String = r.try_get("tbl").map_err(db_err("read event row"))?;
            let j: String = r.try_get("row_json").map_err(db_err("read event row"))?;
            out.entry(t).or_default().push(j);
        }
        Ok(out)
    }

    /// Findings, most probable first.
    pub async fn findings(&self) -> Result<Vec<Finding>, ServeError> {
        let rows = sqlx::query("SELECT * FROM findings ORDER BY probability DESC, person_id")
            .fetch_all(&self.pool)
            .await
            .map_err(db_err("list findings"))?;
        rows.iter().map(finding_of).collect()
    }

    /// One finding.
    pub async fn finding(&self, person_id: &str) -> Result<Option<Finding>, ServeError> {
        let row = sqlx::query("SELECT * FROM findings WHERE person_id = $1")
            .bind(person_id.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err("read finding"))?;
        row.as_ref().map(finding_of).transpose()
    }

    /// Changes a finding's triage and records who did it, in one transaction.
    pub async fn triage(
        &self,
        person_id: &str,
        change: &Triage,
        actor: &str,
    ) -> Result<Option<Finding>, ServeError> {
        let mut tx = self.pool.begin().await.map_err(db_err("begin triage"))?;
        let done = sqlx::query(
            "UPDATE findings SET state = COALESCE($1, state), assignee = COALESCE($2, assignee),
                notes = COALESCE($3, notes), updated_at = $4 WHERE person_id = $5",
        )
        .bind(change.state.clone())
        .bind(change.assignee.clone())
        .bind(change.notes.clone())
        .bind(now())
        .bind(person_id.to_string())
        .execute(&mut *tx)
        .await
        .map_err(db_err("update finding"))?;
        if done.rows_affected() == 0 {
            return Ok(None);
        }
        audit(
            &mut tx,
            actor,
            "triage",
            person_id,
            &serde_json::to_value(change).unwrap_or_default(),
        )
        .await?;
        tx.commit().await.map_err(db_err("commit triage"))?;
        self.finding(person_id).await
    }

    /// Stores a screening's answer; returns only when it is durable.
    pub async fn record_screening(
        &self,
        record_id: &str,
        cluster_id: &str,
        probability: f64,
        tier: &str,
        response: &serde_json::Value,
        actor: &str,
    ) -> Result<String, ServeError> {
        let id = random_hex(16)?;
        let mut tx = self.pool.begin().await.map_err(db_err("begin screening"))?;
        sqlx::query(
            "INSERT INTO screenings (id, at, record_id, cluster_id, probability, tier, response)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id.clone())
        .bind(now())
        .bind(record_id.to_string())
        .bind(cluster_id.to_string())
        .bind(probability)
        .bind(tier.to_string())
        .bind(response.to_string())
        .execute(&mut *tx)
        .await
        .map_err(db_err("store screening"))?;
        audit(
            &mut tx,
            actor,
            "screen",
            record_id,
            &serde_json::json!({ "screening": id }),
        )
        .await?;
        tx.commit().await.map_err(db_err("commit screening"))?;
        Ok(id)
    }

    /// Stores an ingested batch and its rows in one transaction; returns the batch id only once
    /// it is committed (durable: WAL with `synchronous=FULL`, or PostgreSQL's commit).
    pub(crate) async fn store_batch(
        &self,
        batch: &crate::ingest::Batch,
        actor: &str,
    ) -> Result<String, ServeError> {
        let id = random_hex(16)?;
        let mut tx = self.pool.begin().await.map_err(db_err("begin ingest"))?;
        sqlx::query(
            "INSERT INTO ingest_batches (id, at, source, actor, records, rows_stored, skipped)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id.clone())
        .bind(now())
        .bind(batch.source.clone())
        .bind(actor.to_string())
        .bind(batch.records as i64)
        .bind(batch.rows.len() as i64)
        .bind(batch.skipped as i64)
        .execute(&mut *tx)
        .await
        .map_err(db_err("store batch"))?;
        for (seq, (table, row, person)) in batch.rows.iter().enumerate() {
            sqlx::query(
                "INSERT INTO events (batch_id, seq, tbl, person_id, row_json) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id.clone())
            .bind(seq as i64)
            .bind(table.to_string())
            .bind(person.clone())
            .bind(row.to_string())
            .execute(&mut *tx)
            .await
            .map_err(db_err("store event"))?;
        }
        tx.commit().await.map_err(db_err("commit ingest"))?;
        Ok(id)
    }

    /// Batches and rows stored, per source and table.
    pub(crate) async fn ingest_stats(&self) -> Result<serde_json::Value, ServeError> {
        let batches = sqlx::query(
            "SELECT source, COUNT(*) AS batches, CAST(SUM(records) AS BIGINT) AS records,
                    CAST(SUM(rows_stored) AS BIGINT) AS rows_stored
             FROM ingest_batches GROUP BY source ORDER BY source",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db_err("ingest stats"))?;
        let tables = sqlx::query("SELECT tbl, COUNT(*) AS n FROM events GROUP BY tbl ORDER BY tbl")
            .fetch_all(&self.pool)
            .await
            .map_err(db_err("ingest stats"))?;
        let mut by_source = serde_json::Map::new();
        let (mut total_batches, mut total_rows) = (0i64, 0i64);
        for r in &batches {
            let get = |c: &str| r.try_get::<i64, _>(c).map_err(db_err("ingest stats row"));
            let source: String = r.try_get("source").map_err(db_err("ingest stats row"))?;
            let (b, rec, rows) = (get("batches")?, get("records")?, get("rows_stored")?);
            total_batches += b;
            total_rows += rows;
            by_source.insert(
                source,
                serde_json::json!({ "batches": b, "records": rec, "rows": rows }),
            );
        }
        let mut by_table = serde_json::Map::new();
        let mut events = 0i64;
        for r in &tables {
            let t: String = r.try_get("tbl").map_err(db_err("ingest stats row"))?;
            let n: i64 = r.try_get("n").map_err(db_err("ingest stats row"))?;
            events += n;
            by_table.insert(t, n.into());
        }
        Ok(serde_json::json!({
            "batches": total_batches, "rows": total_rows, "events_stored": events,
            "by_source": by_source, "by_table": by_table,
        }))
    }

    /// Screenings stored.
    pub async fn screenings(&self) -> Result<i64, ServeError> {
        sqlx::query("SELECT COUNT(*) AS n FROM screenings")
            .fetch_one(&self.pool)
            .await
            .and_then(|r| r.try_get::<i64, _>("n"))
            .map_err(db_err("count screenings"))
    }

    /// The audit log, oldest first.
    pub async fn audit_log(&self) -> Result<Vec<AuditEntry>, ServeError> {
        let rows =
            sqlx::query("SELECT at, actor, action, target, detail FROM audit_log ORDER BY at, id")
                .fetch_all(&self.pool)
                .await
                .map_err(db_err("read audit log"))?;
        rows.iter()
            .map(|r| {
                let get = |c: &str| r.try_get::<String, _>(c).map_err(db_err("read audit row"));
                Ok(AuditEntry {
                    at: get("at")?,
                    actor: get("actor")?,
                    action: get("action")?,
                    target: get("target")?,
                    detail: serde_json::from_str(&get("detail")?).unwrap_or_default(),
                })
            })
            .collect()
    }
}

/// A triage change (`PATCH /v1/findings/{person_id}`); absent fields stay as they are.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Triage {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// One row of a scan's `scores.csv`.
struct ScoreRow {
    person_id: String,
    probability: f64,
    tier: String,
    flagged: bool,
    ring_id: Option<String>,
    /// JSON array of detection ids, as stored.
    reasons: String,
}

fn read_scores(scores_csv: &std::path::Path) -> Result<Vec<ScoreRow>, ServeError> {
    let mut rd = csv::Reader::from_path(scores_csv)
        .map_err(|e| ServeError::BadInput(format!("cannot read {}: {e}", scores_csv.display())))?;
    let headers = rd
        .headers()
        .map_err(|e| ServeError::BadInput(format!("{}: {e}", scores_csv.display())))?
        .clone();
    let pos = |name: &str| {
        headers.iter().position(|h| h == name).ok_or_else(|| {
            ServeError::BadInput(format!(
                "{} has no column {name}: is it a muster scores.csv?",
                scores_csv.display()
            ))
        })
    };
    let (pid, prob, tier, flagged, ring, reasons) = (
        pos("person_id")?,
        pos("probability")?,
        pos("tier")?,
        pos("flagged")?,
        pos("ring_id")?,
        pos("top_reasons")?,
    );
    let mut out = Vec::new();
    for (i, row) in rd.records().enumerate() {
        let row = row.map_err(|e| {
            ServeError::BadInput(format!("{} line {}: {e}", scores_csv.display(), i + 2))
        })?;
        let probability: f64 = row.get(prob).and_then(|p| p.parse().ok()).ok_or_else(|| {
            ServeError::BadInput(format!(
                "{} line {}: probability is not a number",
                scores_csv.display(),
                i + 2
            ))
        })?;
        let why: Vec<&str> = row
            .get(reasons)
            .unwrap_or("")
            .split(';')
            .filter(|s| !s.is_empty())
            .collect();
        out.push(ScoreRow {
            person_id: row.get(pid).unwrap_or("").to_string(),
            probability,
            tier: row.get(tier).unwrap_or("").to_string(),
            flagged: row.get(flagged) == Some("true"),
            ring_id: row.get(ring).filter(|r| !r.is_empty()).map(str::to_string),
            reasons: serde_json::to_string(&why).unwrap_or_default(),
        });
    }
    Ok(out)
}

/// A stored token as `muster token list` shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TokenInfo {
    pub id: String,
    pub role: String,
    pub label: Option<String>,
    pub created_at: String,
}

async fn audit(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    actor: &str,
    action: &str,
    target: &str,
    detail: &serde_json::Value,
) -> Result<(), ServeError> {
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(random_hex(16)?)
    .bind(now())
    .bind(actor.to_string())
    .bind(action.to_string())
    .bind(target.to_string())
    .bind(detail.to_string())
    .execute(&mut **tx)
    .await
    .map_err(db_err("write audit log"))?;
    Ok(())
}

fn finding_of(r: &sqlx::any::AnyRow) -> Result<Finding, ServeError> {
    let s = |c: &str| {
        r.try_get::<String, _>(c)
            .map_err(db_err("read finding row"))
    };
    let o = |c: &str| {
        r.try_get::<Option<String>, _>(c)
            .map_err(db_err("read finding row"))
    };
    Ok(Finding {
        person_id: s("person_id")?,
        probability: r
            .try_get::<f64, _>("probability")
            .map_err(db_err("read finding row"))?,
        tier: s("tier")?,
        reasons: serde_json::from_str(&s("reasons")?).unwrap_or_default(),
        ring_id: o("ring_id")?,
        state: s("state")?,
        assignee: o("assignee")?,
        notes: o("notes")?,
        updated_at: s("updated_at")?,
    })
}

/// A database URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &url[..s + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact("sqlite://x.db"), "sqlite://x.db");
    }

    #[test]
    fn token_hashes_are_sha256_hex() {
        assert_eq!(token_hash("abc").len(), 64);
        assert_ne!(token_hash("abc"), token_hash("abd"));
    }
}
