//! The CSV and NDJSON outputs.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use muster_detect::Signal;
use muster_fuse::{PersonScore, Ring};

use crate::OutputError;

/// `scores.csv`: one row per person, ranked.
pub fn write_scores(path: &Path, scores: &[PersonScore]) -> Result<(), OutputError> {
    let e = |x: csv::Error| OutputError::new(path, x);
    let mut w = csv::Writer::from_path(path).map_err(e)?;
    w.write_record([
        "person_id",
        "score",
        "probability",
        "tier",
        "flagged",
        "ring_id",
        "top_reasons",
    ])
    .map_err(e)?;
    for s in scores {
        let ids = s.detection_ids();
        w.write_record([
            s.person_id.as_str(),
            &s.score.to_string(),
            &format!("{:.6}", s.probability),
            s.tier,
            if s.flagged { "true" } else { "false" },
            s.ring_id.as_deref().unwrap_or(""),
            &ids.join(";"),
        ])
        .map_err(e)?;
    }
    w.flush().map_err(|x| OutputError::new(path, x))
}

#[derive(serde::Serialize)]
struct SignalOut<'a> {
    #[serde(flatten)]
    signal: &'a Signal,
    /// Natural log of the likelihood ratio: the signal's additive weight in log-odds.
    weight: f64,
}

/// `signals.ndjson`: every detection hit.
pub fn write_signals(path: &Path, signals: &[Signal]) -> Result<(), OutputError> {
    let f = File::create(path).map_err(|e| OutputError::new(path, e))?;
    let mut w = BufWriter::new(f);
    let mut sorted: Vec<&Signal> = signals.iter().collect();
    sorted.sort_by(|a, b| {
        a.person_id
            .cmp(&b.person_id)
            .then(a.detection.cmp(b.detection))
            .then(a.device_id.cmp(&b.device_id))
    });
    for s in sorted {
        let out = SignalOut {
            signal: s,
            weight: (s.likelihood_ratio.max(1e-9).ln() * 1000.0).round() / 1000.0,
        };
        serde_json::to_writer(&mut w, &out).map_err(|e| OutputError::new(path, e))?;
        w.write_all(b"\n").map_err(|e| OutputError::new(path, e))?;
    }
    w.flush().map_err(|e| OutputError::new(path, e))
}

/// `rings.csv`: `ring_id,member_kind,member_id,role`.
pub fn write_rings(path: &Path, rings: &[Ring]) -> Result<(), OutputError> {
    let e = |x: csv::Error| OutputError::new(path, x);
    let mut w = csv::Writer::from_path(path).map_err(e)?;
    w.write_record(["ring_id", "member_kind", "member_id", "role"])
        .map_err(e)?;
    for r in rings {
        for m in &r.members {
            w.write_record([r.ring_id.as_str(), &m.kind, &m.id, m.role])
                .map_err(e)?;
        }
    }
    w.flush().map_err(|x| OutputError::new(path, x))
}
