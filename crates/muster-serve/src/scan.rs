//! A finished scan's output folder (`muster serve --scan OUT`), read for the person, signal and
//! ring endpoints and pages. Only contract outputs are read, so identifiers are as masked as the
//! scan wrote them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use muster_output::explain::{ExplainError, Story};

use crate::ServeError;

/// One row of `rings.csv`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RingRow {
    /// `person`, `ip`, `wifi`, `address`, `referrer`, ...
    pub kind: String,
    /// Person id or (masked) value.
    pub id: String,
    /// `member`, `hub` or `shared`.
    pub role: String,
}

/// A scan's outputs.
#[derive(Debug, Clone)]
pub struct ScanView {
    dir: PathBuf,
    rings: BTreeMap<String, Vec<RingRow>>,
}

impl ScanView {
    /// Reads the folder's `rings.csv` (stories are read per request from `scores.csv` and
    /// `signals.ndjson`).
    pub fn open(dir: &Path) -> Result<ScanView, ServeError> {
        if !dir.join("scores.csv").is_file() {
            return Err(ServeError::BadInput(format!(
                "{} has no scores.csv: give the output folder of a finished muster scan",
                dir.display()
            )));
        }
        let mut rings: BTreeMap<String, Vec<RingRow>> = BTreeMap::new();
        let path = dir.join("rings.csv");
        if path.is_file() {
            let mut rd = csv::Reader::from_path(&path)
                .map_err(|e| ServeError::BadInput(format!("{}: {e}", path.display())))?;
            for (i, row) in rd.records().enumerate() {
                let row = row.map_err(|e| {
                    ServeError::BadInput(format!("{} line {}: {e}", path.display(), i + 2))
                })?;
                let get = |k: usize| row.get(k).unwrap_or_default().to_string();
                rings.entry(get(0)).or_default().push(RingRow {
                    kind: get(1),
                    id: get(2),
                    role: get(3),
                });
            }
        }
        Ok(ScanView {
            dir: dir.to_path_buf(),
            rings,
        })
    }

    /// A person's story, `None` when the scan did not score them.
    pub fn story(&self, person: &str) -> Result<Option<Story>, ServeError> {
        match muster_output::explain::load(&self.dir, person) {
            Ok(s) => Ok(Some(s)),
            Err(ExplainError::UnknownPerson { .. }) => Ok(None),
            Err(e) => Err(ServeError::Store(format!("scan output: {e}"))),
        }
    }

    /// Ring ids with their people count and hub (`kind:id`), in the scan's rank order.
    pub fn rings(&self) -> Vec<(String, usize, String)> {
        self.rings
            .iter()
            .map(|(id, rows)| {
                let people = rows.iter().filter(|r| r.kind == "person").count();
                let hub = rows
                    .iter()
                    .find(|r| r.role == "hub")
                    .map(|r| format!("{}:{}", r.kind, r.id))
                    .unwrap_or_default();
                (id.clone(), people, hub)
            })
            .collect()
    }

    /// One ring's rows.
    pub fn ring(&self, id: &str) -> Option<&[RingRow]> {
        self.rings.get(id).map(Vec::as_slice)
    }

    /// One ring as the report draws it.
    pub fn ring_for_drawing(&self, id: &str) -> Option<muster_fuse::Ring> {
        let rows = self.rings.get(id)?;
        let role = |r: &str| match r {
            "member" => "member",
            "hub" => "hub",
            _ => "shared",
        };
        let mut members: Vec<muster_fuse::RingMember> = rows
            .iter()
            .map(|r| muster_fuse::RingMember {
                kind: r.kind.clone(),
                id: r.id.clone(),
                role: role(&r.role),
            })
            .collect();
        // the hub first among things, as the report lists it
        members.sort_by_key(|m| (m.kind != "person", m.role != "hub"));
        let hub = rows
            .iter()
            .find(|r| r.role == "hub")
            .map(|r| format!("{}:{}", r.kind, r.id))
            .unwrap_or_default();
        Some(muster_fuse::Ring {
            ring_id: id.to_string(),
            people: rows.iter().filter(|r| r.kind == "person").count(),
            members,
            hub,
            evidence: 0.0,
        })
    }
}

/// `(account, person id)` pairs from a CSV file with a header: `account_col` and `person_col`
/// name the columns. A file without one of them gives no pairs; rows with an empty cell are
/// skipped. For the contract's `accounts.csv` (`account`, `person_id`) and the people file's
/// `work_email`.
pub fn account_pairs(
    path: &Path,
    account_col: &str,
    person_col: &str,
) -> Result<Vec<(String, String)>, ServeError> {
    let mut rd = csv::Reader::from_path(path)
        .map_err(|e| ServeError::BadInput(format!("cannot read {}: {e}", path.display())))?;
    let headers = rd
        .headers()
        .map_err(|e| ServeError::BadInput(format!("{}: {e}", path.display())))?
        .clone();
    let pos = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (Some(a), Some(p)) = (pos(account_col), pos(person_col)) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (i, row) in rd.records().enumerate() {
        let row = row
            .map_err(|e| ServeError::BadInput(format!("{} line {}: {e}", path.display(), i + 2)))?;
        match (row.get(a).map(str::trim), row.get(p).map(str::trim)) {
            (Some(acc), Some(pid)) if !acc.is_empty() && !pid.is_empty() => {
                out.push((acc.to_string(), pid.to_string()));
            }
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_pairs_read_named_columns_and_skip_empty_cells() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("accounts.csv");
        std::fs::write(
            &f,
            "person_id,account,system\nP1,a@corp.example,okta\nP2,,okta\n,b@corp.example,entra\n",
        )
        .unwrap();
        assert_eq!(
            account_pairs(&f, "account", "person_id").unwrap(),
            vec![("a@corp.example".to_string(), "P1".to_string())]
        );
        assert!(
            account_pairs(&f, "work_email", "person_id")
                .unwrap()
                .is_empty()
        );
        std::fs::write(&f, "person_id,account\nP1,a@corp.example,extra\n").unwrap();
        assert!(account_pairs(&f, "account", "person_id").is_err());
    }
}
