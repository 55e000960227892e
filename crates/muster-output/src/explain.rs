//! `muster explain PERSON OUT`: one person's story read back from a scan's output folder, for the
//! terminal. It reads only the contract outputs (`scores.csv`, `signals.ndjson`, `rings.csv`,
//! `clusters.csv`, `run.json`), so it works on any finished scan, and never prints an identifier
//! the outputs did not already show (they are masked there).
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = tempfile::tempdir()?;
//! let people = vec!["p1".to_string()];
//! let (scores, rings) = muster_fuse::fuse(&people, &[], &muster_fuse::FuseConfig::default());
//! let results = muster_output::ScanResults {
//!     scores: &scores, signals: &[], rings: &rings, runs: &[],
//!     started_at: "2026-01-05T10:00:00Z", version: "0.1.0", share_personal: false,
//! };
//! muster_output::write_all(dir.path(), &results)?;
//! let story = muster_output::explain::load(dir.path(), "p1")?;
//! assert_eq!(story.tier, "none");
//! assert!(story.render().contains("no detection fired"));
//! # Ok(()) }
//! ```

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

/// Why a story could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ExplainError {
    /// A file is missing or unreadable.
    #[error("cannot read {path}: {reason}. Give the output folder of a finished `muster scan`")]
    Read {
        /// File.
        path: PathBuf,
        /// What failed.
        reason: String,
    },
    /// A line of a file is not what the contract says.
    #[error("{path}:{line}: {reason}")]
    Bad {
        /// File.
        path: PathBuf,
        /// Line (1-based).
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// The person is not in `scores.csv`.
    #[error(
        "no person {person} in {path}; the highest scores are: {top}. Person ids are the people table's person_id"
    )]
    UnknownPerson {
        /// Asked for.
        person: String,
        /// scores.csv.
        path: PathBuf,
        /// A few ids that exist.
        top: String,
    },
}

/// One signal as the story tells it.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// Detection id.
    pub detection: String,
    /// Family.
    pub family: String,
    /// Severity.
    pub severity: String,
    /// The signal's likelihood ratio.
    pub likelihood_ratio: f64,
    /// First and last time seen.
    pub first_seen: Option<String>,
    /// See `first_seen`.
    pub last_seen: Option<String>,
    /// Plain words.
    pub reason: String,
    /// The detection's evidence object.
    pub evidence: Value,
}

/// Another member of the person's ring, or a hub of it.
#[derive(Debug, Clone, Serialize)]
pub struct RingPart {
    /// `person`, `ip`, `wifi`, `address`, ...
    pub kind: String,
    /// Id or (masked) value.
    pub id: String,
    /// `member`, `hub` or `shared`.
    pub role: String,
}

/// One person's story.
#[derive(Debug, Clone, Serialize)]
pub struct Story {
    /// Person.
    pub person_id: String,
    /// Probability 0-1.
    pub probability: f64,
    /// Score 0-100.
    pub score: u32,
    /// Tier.
    pub tier: String,
    /// Flagged at the run's threshold.
    pub flagged: bool,
    /// Rank among everyone scored (1 = highest).
    pub rank: usize,
    /// People scored.
    pub people: usize,
    /// The run's prior, when run.json has it.
    pub prior: Option<f64>,
    /// Signals, strongest first.
    pub evidence: Vec<Evidence>,
    /// Ring id.
    pub ring_id: Option<String>,
    /// The ring's members and hubs (without this person).
    pub ring: Vec<RingPart>,
    /// Other records resolved to the same person (`clusters.csv`).
    pub same_person_records: Vec<String>,
}

fn read_err(path: &Path, e: impl std::fmt::Display) -> ExplainError {
    ExplainError::Read {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}

fn csv_rows(path: &Path) -> Result<Vec<BTreeMap<String, String>>, ExplainError> {
    let mut r = csv::Reader::from_path(path).map_err(|e| read_err(path, e))?;
    let headers = r.headers().map_err(|e| read_err(path, e))?.clone();
    let mut out = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| ExplainError::Bad {
            path: path.to_path_buf(),
            line: i + 2,
            reason: e.to_string(),
        })?;
        out.push(
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect(),
        );
    }
    Ok(out)
}

/// Reads `person`'s story from the scan output folder `out`.
pub fn load(out: &Path, person: &str) -> Result<Story, ExplainError> {
    let scores_path = out.join("scores.csv");
    let scores = csv_rows(&scores_path)?;
    let field = |row: &BTreeMap<String, String>, k: &str| row.get(k).cloned().unwrap_or_default();
    let Some(rank) = scores.iter().position(|r| field(r, "person_id") == person) else {
        let top: Vec<String> = scores
            .iter()
            .take(5)
            .map(|r| field(r, "person_id"))
            .collect();
        return Err(ExplainError::UnknownPerson {
            person: person.to_string(),
            path: scores_path,
            top: if top.is_empty() {
                "(nobody was scored)".into()
            } else {
                top.join(", ")
            },
        });
    };
    let row = &scores[rank];
    let num = |k: &str| -> Result<f64, ExplainError> {
        field(row, k)
            .trim()
            .parse::<f64>()
            .map_err(|e| ExplainError::Bad {
                path: scores_path.clone(),
                line: rank + 2,
                reason: format!("{k}: {e}"),
            })
    };
    let ring_id = Some(field(row, "ring_id")).filter(|s| !s.is_empty());
    let mut story = Story {
        person_id: person.to_string(),
        probability: num("probability")?,
        score: num("score")? as u32,
        tier: field(row, "tier"),
        flagged: field(row, "flagged") == "true",
        rank: rank + 1,
        people: scores.len(),
        prior: None,
        evidence: Vec::new(),
        ring_id: ring_id.clone(),
        ring: Vec::new(),
        same_person_records: Vec::new(),
    };

    let sig_path = out.join("signals.ndjson");
    let file = std::fs::File::open(&sig_path).map_err(|e| read_err(&sig_path, e))?;
    let needle = format!("\"person_id\":{}", Value::String(person.to_string()));
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| read_err(&sig_path, e))?;
        if !line.contains(&needle) {
            continue;
        }
        let v: Value = serde_json::from_str(&line).map_err(|e| ExplainError::Bad {
            path: sig_path.clone(),
            line: i + 1,
            reason: e.to_string(),
        })?;
        if v["person_id"] != person {
            continue;
        }
        let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
        story.evidence.push(Evidence {
            detection: s("detection"),
            family: s("family"),
            severity: s("severity"),
            likelihood_ratio: v["likelihood_ratio"].as_f64().unwrap_or(1.0),
            first_seen: v["first_seen"].as_str().map(str::to_string),
            last_seen: v["last_seen"].as_str().map(str::to_string),
            reason: s("reason"),
            evidence: v["evidence"].clone(),
        });
    }
    story
        .evidence
        .sort_by(|a, b| b.likelihood_ratio.total_cmp(&a.likelihood_ratio));

    if let Some(ring) = &ring_id {
        let path = out.join("rings.csv");
        if path.exists() {
            for r in csv_rows(&path)? {
                if field(&r, "ring_id") != *ring {
                    continue;
                }
                let (kind, id) = (field(&r, "member_kind"), field(&r, "member_id"));
                if kind == "person" && id == person {
                    continue;
                }
                story.ring.push(RingPart {
                    kind,
                    id,
                    role: field(&r, "role"),
                });
            }
        }
    }
    let clusters = out.join("clusters.csv");
    if clusters.exists() {
        let rows = csv_rows(&clusters)?;
        if let Some(c) = rows
            .iter()
            .find(|r| field(r, "record_id") == person)
            .map(|r| field(r, "cluster_id"))
        {
            story.same_person_records = rows
                .iter()
                .filter(|r| field(r, "cluster_id") == c && field(r, "record_id") != person)
                .map(|r| field(r, "record_id"))
                .collect();
        }
    }
    let run = out.join("run.json");
    if let Ok(text) = std::fs::read_to_string(&run)
        && let Ok(v) = serde_json::from_str::<Value>(&text)
    {
        story.prior = v["fusion"]["prior"].as_f64();
    }
    Ok(story)
}

/// A 24-hour profile from evidence (TZ-MISMATCH's `active_hours_by_*` arrays) and its
/// largest count; `None` unless it has 24 entries and some activity.
pub(crate) fn hour_counts(counts: &Value) -> Option<(Vec<f64>, f64)> {
    let v: Vec<f64> = counts
        .as_array()?
        .iter()
        .map(|c| c.as_f64().unwrap_or(0.0))
        .collect();
    let max = v.iter().cloned().fold(0.0, f64::max);
    (v.len() == 24 && max > 0.0).then_some((v, max))
}

/// A 24-hour activity profile as one line of block characters.
fn sparkline(counts: &Value) -> Option<String> {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let (v, max) = hour_counts(counts)?;
    Some(
        v.iter()
            .map(|x| {
                if *x <= 0.0 {
                    ' '
                } else {
                    BARS[((x / max) * 7.0).round().clamp(0.0, 7.0) as usize]
                }
            })
            .collect(),
    )
}

impl Story {
    /// The story as terminal text: verdict, how the evidence adds up, each signal with what to
    /// check, a timeline, the hour-of-day profile when timing evidence exists, the ring and the
    /// linked records.
    pub fn render(&self) -> String {
        let mut o = String::new();
        let _ = writeln!(
            o,
            "{}: probability {:.3} (score {}, tier {}{}), rank {} of {}",
            self.person_id,
            self.probability,
            self.score,
            self.tier,
            if self.flagged { ", flagged" } else { "" },
            self.rank,
            self.people
        );
        if let Some(p) = self.prior {
            let _ = writeln!(
                o,
                "prior {:.4} (odds 1:{:.0}); each detection's strongest signal counts, within a family the strongest in full and the others at half weight, up to the family cap",
                p,
                (1.0 - p) / p
            );
        }
        if self.evidence.is_empty() {
            let _ = writeln!(o, "\nno detection fired for this person");
        } else {
            let _ = writeln!(o, "\nevidence, strongest first:");
            for (i, e) in self.evidence.iter().enumerate() {
                let _ = writeln!(
                    o,
                    "{:>2}. {} ({}, {}) LR {:.1}",
                    i + 1,
                    e.detection,
                    e.family,
                    e.severity,
                    e.likelihood_ratio
                );
                let _ = writeln!(o, "    {}", e.reason);
                if let (Some(a), Some(b)) = (&e.first_seen, &e.last_seen) {
                    let _ = writeln!(o, "    seen {a} .. {b}");
                }
                if let Some(obj) = e.evidence.as_object() {
                    let keys: Vec<String> = obj
                        .iter()
                        .filter(|(k, v)| {
                            !k.starts_with("active_hours_by") && !matches!(v, Value::Null)
                        })
                        .map(|(k, v)| {
                            let mut t = v.to_string();
                            if t.chars().count() > 90 {
                                t = t.chars().take(87).collect::<String>() + "...";
                            }
                            format!("{k}={t}")
                        })
                        .collect();
                    for k in keys {
                        let _ = writeln!(o, "      {k}");
                    }
                }
            }
        }
        let mut timeline: Vec<(&str, &str, &str)> = Vec::new();
        for e in &self.evidence {
            if let Some(a) = &e.first_seen {
                timeline.push((a.as_str(), "first", e.detection.as_str()));
            }
            if let Some(b) = &e.last_seen {
                timeline.push((b.as_str(), "last", e.detection.as_str()));
            }
        }
        timeline.sort();
        if !timeline.is_empty() {
            let _ = writeln!(o, "\ntimeline:");
            for (t, what, d) in timeline {
                let _ = writeln!(o, "  {t}  {what:<5} {d}");
            }
        }
        for e in self
            .evidence
            .iter()
            .filter(|e| e.detection == "TZ-MISMATCH")
        {
            let claimed = e.evidence["claimed_zone"]
                .as_str()
                .unwrap_or("claimed zone");
            if let Some(line) = sparkline(&e.evidence["active_hours_by_claimed_local_hour"]) {
                let _ = writeln!(
                    o,
                    "\nactive hours by local hour in {claimed} (0-23):\n  |{line}|\n   0     6     12    18   23"
                );
            }
            if let (Some(best), Some(line)) = (
                e.evidence["best_offset"].as_str(),
                sparkline(&e.evidence["active_hours_by_offshore_local_hour"]),
            ) {
                let _ = writeln!(o, "the same hours at {best}:\n  |{line}|");
            }
        }
        if let Some(r) = &self.ring_id {
            let people = self.ring.iter().filter(|p| p.kind == "person").count();
            let _ = writeln!(
                o,
                "\nring {r}: {people} other {}",
                if people == 1 { "person" } else { "people" }
            );
            for p in self.ring.iter().filter(|p| p.role == "hub") {
                let _ = writeln!(o, "  hub    {} {}", p.kind, p.id);
            }
            for p in self
                .ring
                .iter()
                .filter(|p| p.role != "hub" && p.kind != "person")
            {
                let _ = writeln!(o, "  shared {} {}", p.kind, p.id);
            }
            let members: Vec<&str> = self
                .ring
                .iter()
                .filter(|p| p.kind == "person")
                .map(|p| p.id.as_str())
                .collect();
            if !members.is_empty() {
                let _ = writeln!(o, "  people {}", members.join(", "));
            }
        }
        if !self.same_person_records.is_empty() {
            let _ = writeln!(
                o,
                "\nresolved to the same person (clusters.csv): {}",
                self.same_person_records.join(", ")
            );
        }
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_scales_to_the_busiest_hour() {
        let mut v = vec![Value::from(0); 24];
        v[9] = Value::from(10);
        v[10] = Value::from(5);
        let s = sparkline(&Value::from(v.clone())).unwrap();
        assert_eq!(s.chars().count(), 24);
        assert_eq!(s.chars().nth(9), Some('█'));
        assert_eq!(s.chars().next(), Some(' '));
        assert!(sparkline(&Value::from(v[..10].to_vec())).is_none());
        assert!(sparkline(&Value::from(vec![Value::from(0); 24])).is_none());
    }

    #[test]
    fn unknown_person_names_who_exists() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("scores.csv"),
            "person_id,score,probability,tier,flagged,ring_id,top_reasons\np9,99,0.99,critical,true,,FARM-IP\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("signals.ndjson"), "").unwrap();
        let e = load(dir.path(), "nobody").unwrap_err().to_string();
        assert!(e.contains("nobody") && e.contains("p9"), "{e}");
        let e = load(&dir.path().join("missing"), "p9")
            .unwrap_err()
            .to_string();
        assert!(e.contains("scores.csv") && e.contains("muster scan"), "{e}");
        std::fs::write(
            dir.path().join("scores.csv"),
            "person_id,score,probability,tier,flagged,ring_id,top_reasons\np9,99,high,critical,true,,\n",
        )
        .unwrap();
        let e = load(dir.path(), "p9").unwrap_err().to_string();
        assert!(e.contains(":2:") && e.contains("probability"), "{e}");
    }
}
