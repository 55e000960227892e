//! Object stores and data lakes as scan input.
//!
//! `muster scan s3://bucket/prefix` reads a folder of contract tables and native files where it
//! lives: the objects under the prefix are listed through the `object_store` crate (the one
//! DataFusion uses), pruned by the date in their partition folders, and fetched in parallel
//! into the scan's private stage folder, where the same readers as for a local folder check
//! every row. Nothing is fetched twice, and a scan with `--since`/`--until` fetches only the
//! partitions of those days.
//!
//! Schemes: `s3://` / `s3a://` (Amazon S3 and S3-compatible servers), `gs://` (Google Cloud
//! Storage), `az://`, `abfs://`, `abfss://`, `azure://` (Azure Blob Storage / ADLS Gen2), and
//! `file://` (a local folder through the same path, for tests and mounted lakes).
//!
//! Credentials come from the standard environment variables of each cloud (`AWS_*`,
//! `GOOGLE_*`, `AZURE_*`, as read by `object_store`'s `from_env` builders) and, for S3 without
//! `AWS_ACCESS_KEY_ID`, from the shared credentials and config files (`AWS_PROFILE`, default
//! `default`; `AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE`). `AWS_ENDPOINT_URL` and
//! `AWS_ALLOW_HTTP=true` point at an S3-compatible server.
//!
//! Amazon Security Lake writes OCSF as Parquet under
//! `ext/<source>/region=<r>/accountId=<a>/eventDay=<YYYYMMDD>/*.parquet` (and
//! `aws/<SOURCE>/<version>/...` for AWS sources); those files are OCSF, which muster's native
//! reader maps onto the contract tables (`signins`, `processes`, `network`, ...).
//!
//! ```
//! use muster_lake::{DateRange, partition_day};
//! let key = "ext/okta/region=us-east-1/accountId=1234/eventDay=20260105/a.parquet";
//! let day = partition_day(key).unwrap();
//! assert_eq!(day.to_string(), "2026-01-05");
//! let range = DateRange::parse(Some("2026-01-01"), Some("2026-01-04")).unwrap();
//! assert!(!range.keeps(key));
//! assert!(range.keeps("people.csv")); // no date in the path: always read
//! ```

mod credentials;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use futures::{StreamExt, TryStreamExt};
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt};
use url::Url;

/// Errors of listing and fetching.
#[derive(Debug, thiserror::Error)]
pub enum LakeError {
    #[error("{url}: {reason}")]
    Url { url: String, reason: String },
    #[error("{what} {url}: {source}; {hint}")]
    Store {
        what: &'static str,
        url: String,
        hint: &'static str,
        #[source]
        source: Box<object_store::Error>,
    },
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("--since/--until: {0}")]
    Range(String),
}

/// Whether `input` names an object store (`scheme://...`) rather than a local path.
pub fn is_url(input: &str) -> bool {
    input.split_once("://").is_some_and(|(scheme, _)| {
        !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric())
    })
}

/// An inclusive range of days; an open end is unbounded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateRange {
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl DateRange {
    /// Parses `--since` / `--until`: a date (`2026-01-05`) or an RFC 3339 timestamp, of which
    /// the day is used (partitions are whole days).
    pub fn parse(since: Option<&str>, until: Option<&str>) -> Result<Self, LakeError> {
        let day = |s: &str| -> Result<NaiveDate, LakeError> {
            let t = s.trim();
            NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .or_else(|_| NaiveDate::parse_from_str(t, "%Y%m%d"))
                .or_else(|_| chrono::DateTime::parse_from_rfc3339(t).map(|d| d.naive_utc().date()))
                .map_err(|_| {
                    LakeError::Range(format!(
                        "{s:?} is not a date (YYYY-MM-DD) or an RFC 3339 timestamp"
                    ))
                })
        };
        let r = DateRange {
            since: since.map(day).transpose()?,
            until: until.map(day).transpose()?,
        };
        if let (Some(a), Some(b)) = (r.since, r.until)
            && a > b
        {
            return Err(LakeError::Range(format!(
                "--since {a} is after --until {b}"
            )));
        }
        Ok(r)
    }

    pub fn is_open(&self) -> bool {
        self.since.is_none() && self.until.is_none()
    }

    /// Whether an object at `key` may hold rows in the range: keys without a partition date
    /// are always kept.
    pub fn keeps(&self, key: &str) -> bool {
        match partition_day(key) {
            None => true,
            Some(d) => self.since.is_none_or(|s| d >= s) && self.until.is_none_or(|u| d <= u),
        }
    }
}

/// The day of a partition folder in `key`: `eventDay=YYYYMMDD` (Amazon Security Lake),
/// `day=`, `date=`, `dt=`, `event_date=` with `YYYY-MM-DD` or `YYYYMMDD` (Hive style). The
/// last such folder wins.
pub fn partition_day(key: &str) -> Option<NaiveDate> {
    key.split('/').rev().find_map(|seg| {
        let (name, value) = seg.split_once('=')?;
        let name = name.to_ascii_lowercase();
        if !matches!(
            name.as_str(),
            "eventday" | "day" | "date" | "dt" | "event_date" | "event_day"
        ) {
            return None;
        }
        NaiveDate::parse_from_str(value, "%Y%m%d")
            .or_else(|_| NaiveDate::parse_from_str(value, "%Y-%m-%d"))
            .ok()
    })
}

/// What [`fetch`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchReport {
    /// Objects under the prefix.
    pub listed: u64,
    /// Objects fetched.
    pub fetched: u64,
    /// Bytes fetched.
    pub bytes: u64,
    /// Objects left out because their partition day is outside the range.
    pub pruned: u64,
    /// Objects left out as not data (`_SUCCESS`, `.crc`, hidden files).
    pub ignored: u64,
}

/// Objects fetched at once.
const PARALLEL: usize = 8;

/// Lists the objects under `url` and fetches those whose partition day is in `range` into
/// `dest`, keeping their paths relative to the prefix (so `URL/people.csv` becomes
/// `dest/people.csv` and `URL/native/okta/...` `dest/native/okta/...`). `progress` gets the
/// bytes of each fetched object.
pub fn fetch(
    url: &str,
    dest: &Path,
    range: &DateRange,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<FetchReport, LakeError> {
    let (store, prefix) = open(url)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| LakeError::Io {
            path: dest.to_path_buf(),
            source: e,
        })?;
    rt.block_on(fetch_async(store, prefix, url, dest, range, progress))
}

/// The store and the prefix inside it that `url` names.
pub fn open(url: &str) -> Result<(Arc<dyn ObjectStore>, ObjectPath), LakeError> {
    let bad = |reason: String| LakeError::Url {
        url: url.to_string(),
        reason,
    };
    let parsed = Url::parse(url).map_err(|e| bad(format!("not a URL ({e})")))?;
    let store_err = |e: object_store::Error| LakeError::Store {
        what: "cannot open",
        url: url.to_string(),
        hint: "check the URL and the credentials (docs/deployment.md)",
        source: Box::new(e),
    };
    let (scheme, path) =
        object_store::ObjectStoreScheme::parse(&parsed).map_err(|e| bad(e.to_string()))?;
    use object_store::ObjectStoreScheme as S;
    let store: Arc<dyn ObjectStore> = match scheme {
        S::Local => Arc::new(object_store::local::LocalFileSystem::new()),
        S::AmazonS3 => {
            let b = credentials::aws_profile(object_store::aws::AmazonS3Builder::from_env());
            Arc::new(b.with_url(url).build().map_err(store_err)?)
        }
        S::GoogleCloudStorage => Arc::new(
            object_store::gcp::GoogleCloudStorageBuilder::from_env()
                .with_url(url)
                .build()
                .map_err(store_err)?,
        ),
        S::MicrosoftAzure => Arc::new(
            object_store::azure::MicrosoftAzureBuilder::from_env()
                .with_url(url)
                .build()
                .map_err(store_err)?,
        ),
        other => {
            return Err(bad(format!(
                "{other:?} URLs are not supported: use s3://, gs://, az://, abfs:// or file://"
            )));
        }
    };
    Ok((store, path))
}

fn ignored_name(key: &str) -> bool {
    let name = key.rsplit('/').next().unwrap_or(key);
    name.is_empty() || name.starts_with('.') || name.starts_with('_') || name.ends_with(".crc")
}

async fn fetch_async(
    store: Arc<dyn ObjectStore>,
    prefix: ObjectPath,
    url: &str,
    dest: &Path,
    range: &DateRange,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<FetchReport, LakeError> {
    let list_err = |e| LakeError::Store {
        what: "cannot list",
        url: url.to_string(),
        hint: "check the URL, the credentials and that the bucket exists",
        source: Box::new(e),
    };
    let listed: Vec<object_store::ObjectMeta> = store
        .list(Some(&prefix))
        .try_collect()
        .await
        .map_err(list_err)?;
    let mut report = FetchReport {
        listed: listed.len() as u64,
        ..FetchReport::default()
    };
    let mut wanted = Vec::new();
    for meta in listed {
        let rel = relative(&prefix, &meta.location);
        if ignored_name(&rel) {
            report.ignored += 1;
        } else if !range.keeps(&rel) {
            report.pruned += 1;
        } else {
            wanted.push((meta.location, rel));
        }
    }
    // the first failure stops the fetch: the downloads still running are dropped
    let (fetched, bytes) = futures::stream::iter(wanted)
        .map(|(loc, rel)| {
            let store = Arc::clone(&store);
            async move {
                let n = fetch_one(store.as_ref(), &loc, &dest.join(&rel), url).await?;
                progress(n);
                Ok::<u64, LakeError>(n)
            }
        })
        .buffer_unordered(PARALLEL)
        .try_fold((0u64, 0u64), |(files, bytes), n| async move {
            Ok((files + 1, bytes + n))
        })
        .await?;
    report.fetched = fetched;
    report.bytes = bytes;
    Ok(report)
}

/// Uploads every file under the local folder `from` to `url` (the same relative paths): the
/// reverse of [`fetch`], for staging a folder in a bucket (tests, demos, an ISAC's shared
/// store). Returns the files and bytes uploaded.
pub fn put_dir(from: &Path, url: &str) -> Result<(u64, u64), LakeError> {
    let (store, prefix) = open(url)?;
    let mut files = Vec::new();
    let mut stack = vec![from.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let rd = std::fs::read_dir(&dir).map_err(|e| LakeError::Io {
            path: dir.clone(),
            source: e,
        })?;
        for entry in rd.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| LakeError::Io {
            path: from.to_path_buf(),
            source: e,
        })?;
    rt.block_on(async {
        let mut bytes = 0u64;
        for p in &files {
            let rel = p.strip_prefix(from).unwrap_or(p);
            let mut key = prefix.clone();
            for part in rel.iter() {
                key = key.join(part.to_string_lossy().as_ref());
            }
            let body = std::fs::read(p).map_err(|e| LakeError::Io {
                path: p.clone(),
                source: e,
            })?;
            bytes += body.len() as u64;
            store
                .put(&key, body.into())
                .await
                .map_err(|e| LakeError::Store {
                    what: "cannot write",
                    url: format!("{}/{}", url.trim_end_matches('/'), rel.display()),
                    hint: "check write permission on the bucket",
                    source: Box::new(e),
                })?;
        }
        Ok((files.len() as u64, bytes))
    })
}

/// `location` relative to `prefix`, as a `/`-separated path without `..`.
fn relative(prefix: &ObjectPath, location: &ObjectPath) -> String {
    match location.prefix_match(prefix) {
        Some(parts) => parts
            .map(|p| p.as_ref().to_string())
            .collect::<Vec<_>>()
            .join("/"),
        None => location.as_ref().to_string(),
    }
}

async fn fetch_one(
    store: &dyn ObjectStore,
    loc: &ObjectPath,
    to: &Path,
    url: &str,
) -> Result<u64, LakeError> {
    let io = |e| LakeError::Io {
        path: to.to_path_buf(),
        source: e,
    };
    let get_err = |e| LakeError::Store {
        what: "cannot read",
        url: format!("{}/{}", url.trim_end_matches('/'), loc),
        hint: "check read permission on the object",
        source: Box::new(e),
    };
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let mut out = std::fs::File::create(to).map_err(io)?;
    let mut stream = store.get(loc).await.map_err(get_err)?.into_stream();
    let mut n = 0u64;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(get_err)?;
        std::io::Write::write_all(&mut out, &chunk).map_err(io)?;
        n += chunk.len() as u64;
    }
    std::io::Write::flush(&mut out).map_err(io)?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn days_of_partition_folders() {
        let d = |s: &str| partition_day(s).map(|d| d.to_string());
        assert_eq!(
            d(
                "aws/CLOUD_TRAIL_MGMT/2.0/region=us-east-1/accountId=1/eventDay=20260105/x.gz.parquet"
            ),
            Some("2026-01-05".into())
        );
        assert_eq!(
            d("signins/day=2026-01-05/x.parquet"),
            Some("2026-01-05".into())
        );
        assert_eq!(
            d("signins/dt=20260105/x.parquet"),
            Some("2026-01-05".into())
        );
        assert_eq!(d("people.csv"), None);
        assert_eq!(d("signins/day=tomorrow/x.parquet"), None);
        assert_eq!(d("signins/region=20260105/x.parquet"), None);
    }

    #[test]
    fn ranges_are_inclusive_and_validated() {
        let r = DateRange::parse(Some("2026-01-02"), Some("2026-01-03T23:00:00Z")).unwrap();
        assert!(!r.keeps("t/day=2026-01-01/a"));
        assert!(r.keeps("t/day=2026-01-02/a"));
        assert!(r.keeps("t/day=2026-01-03/a"));
        assert!(!r.keeps("t/day=2026-01-04/a"));
        assert!(DateRange::parse(Some("2026-01-05"), Some("2026-01-01")).is_err());
        assert!(DateRange::parse(Some("soon"), None).is_err());
        assert!(DateRange::default().keeps("t/day=1999-01-01/a"));
    }

    #[test]
    fn urls_and_paths() {
        assert!(is_url("s3://bucket/prefix"));
        assert!(is_url("file:///tmp/x"));
        assert!(!is_url("/tmp/x"));
        assert!(!is_url("./a://b"));
        assert!(open("ftp://host/x").is_err());
        assert!(open("not a url").is_err());
    }

    #[test]
    fn file_urls_fetch_with_pruning() {
        let src = tempfile::tempdir().unwrap();
        let dest = tempfile::tempdir().unwrap();
        let put = |rel: &str, body: &str| {
            let p = src.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, body).unwrap();
        };
        put("people.csv", "person_id\n1\n");
        put("native/lake/eventDay=20260101/a.parquet", "old");
        put("native/lake/eventDay=20260110/b.parquet", "new!");
        put("native/lake/_SUCCESS", "");
        let url = format!("file://{}", src.path().display());
        let range = DateRange::parse(Some("2026-01-05"), None).unwrap();
        let r = fetch(&url, dest.path(), &range, &|_| {}).unwrap();
        assert_eq!(
            r,
            FetchReport {
                listed: 4,
                fetched: 2,
                bytes: 16,
                pruned: 1,
                ignored: 1
            }
        );
        assert!(dest.path().join("people.csv").is_file());
        assert!(
            dest.path()
                .join("native/lake/eventDay=20260110/b.parquet")
                .is_file()
        );
        assert!(
            !dest
                .path()
                .join("native/lake/eventDay=20260101/a.parquet")
                .exists()
        );
    }

    #[test]
    fn put_dir_then_fetch_round_trips() {
        let src = tempfile::tempdir().unwrap();
        let lake = tempfile::tempdir().unwrap();
        let dest = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(src.path().join("a/day=2026-01-02")).unwrap();
        std::fs::write(src.path().join("a/day=2026-01-02/x.csv"), "x\n").unwrap();
        std::fs::write(src.path().join("people.csv"), "person_id\n").unwrap();
        let url = format!("file://{}/copy", lake.path().display());
        assert_eq!(put_dir(src.path(), &url).unwrap(), (2, 12));
        let r = fetch(&url, dest.path(), &DateRange::default(), &|_| {}).unwrap();
        assert_eq!((r.fetched, r.bytes), (2, 12));
        assert_eq!(
            std::fs::read_to_string(dest.path().join("a/day=2026-01-02/x.csv")).unwrap(),
            "x\n"
        );
    }

    proptest! {
        #[test]
        fn any_key_never_panics(key in ".{0,80}") {
            let _ = partition_day(&key);
            let _ = DateRange::default().keeps(&key);
            let _ = is_url(&key);
        }
    }
}
