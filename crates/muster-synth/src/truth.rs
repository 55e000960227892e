//! Ground truth: `<out>-truth/people.csv`, `rings.csv`, `truth.json`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::out::csv_writer;
use crate::plan::Plan;
use crate::refdata::RefData;
use crate::{Scheme, Schemes, SynthConfig, SynthError, SynthSummary};

/// Schemes that are only evidence when at least two identities of a ring show them.
const SHARED: [Scheme; 5] = [
    Scheme::LaptopFarm,
    Scheme::SharedContact,
    Scheme::SharedBank,
    Scheme::ResumeReuse,
    Scheme::MfaShared,
];

fn scheme_list(s: Schemes) -> String {
    Scheme::ALL
        .iter()
        .filter(|x| s & x.bit() != 0)
        .map(|x| x.as_str())
        .collect::<Vec<_>>()
        .join(";")
}

/// Ring id as written in the truth.
pub(crate) fn ring_id(k: usize) -> String {
    format!("R{:03}", k + 1)
}

#[derive(Serialize)]
struct TruthJson<'a> {
    generator: String,
    contract_version: &'a str,
    seed: u64,
    config: &'a SynthConfig,
    counts: &'a SynthSummary,
    scheme_vocabulary: Vec<&'static str>,
    group_vocabulary: Vec<&'static str>,
    notes: &'static str,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SynthError + '_ {
    move |e| SynthError::Io {
        path: path.to_path_buf(),
        source: e,
    }
}

fn csv_e(path: &Path) -> impl Fn(csv::Error) -> SynthError + '_ {
    move |e| SynthError::Csv {
        path: path.to_path_buf(),
        source: e,
    }
}

/// Finalises the exhibited schemes (shared ones need two holders), writes the truth files and
/// returns the summary.
pub(crate) fn write(
    cfg: &SynthConfig,
    plan: &Plan,
    rd: &RefData,
    ex: &mut [Schemes],
    rows: Vec<(&'static str, u64)>,
    out: &Path,
    truth: &Path,
) -> Result<SynthSummary, SynthError> {
    // legit people exhibit nothing; shared tricks seen on a single identity are not evidence
    for (i, s) in plan.slots.iter().enumerate() {
        if !s.role.is_fraud() {
            ex[i] = 0;
        }
    }
    for ring in &plan.rings {
        for sc in SHARED {
            let holders = ring
                .members
                .iter()
                .filter(|&&i| ex[i as usize] & sc.bit() != 0)
                .count();
            if holders < 2 {
                for &i in &ring.members {
                    ex[i as usize] &= !sc.bit();
                }
            }
        }
    }

    let mut summary = SynthSummary {
        out: out.to_path_buf(),
        truth: truth.to_path_buf(),
        rows: rows.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        people: plan.slots.len(),
        labels: BTreeMap::new(),
        schemes: Scheme::ALL
            .iter()
            .map(|s| (s.as_str().to_string(), 0))
            .collect(),
        groups: crate::Group::ALL
            .iter()
            .map(|g| (g.as_str().to_string(), 0))
            .collect(),
        roles: BTreeMap::new(),
        record_types: BTreeMap::new(),
        rings: plan.rings.len(),
    };
    summary.labels.insert("fraud".into(), 0);
    summary.labels.insert("legit".into(), 0);

    let path = truth.join("people.csv");
    let mut w = csv_writer(&path)?;
    w.write_record([
        "person_id",
        "label",
        "schemes",
        "ring_id",
        "hard_negative_group",
        "role",
    ])
    .map_err(csv_e(&path))?;
    let width = cfg.people.to_string().len().max(6);
    for (i, s) in plan.slots.iter().enumerate() {
        let pid = format!("P{:0width$}", i + 1);
        let label = if s.role.is_fraud() { "fraud" } else { "legit" };
        let schemes = scheme_list(ex[i]);
        let ring = if s.role.is_fraud()
            && s.inst != crate::plan::NONE
            && s.role != crate::plan::Role::Lone
        {
            ring_id(s.inst as usize)
        } else {
            String::new()
        };
        let group = s.group.map(|g| g.as_str()).unwrap_or("");
        w.write_record([
            pid.as_str(),
            label,
            schemes.as_str(),
            ring.as_str(),
            group,
            s.role.as_str(),
        ])
        .map_err(csv_e(&path))?;
        *summary.labels.entry(label.into()).or_default() += 1;
        for sc in Scheme::ALL {
            if ex[i] & sc.bit() != 0 {
                *summary.schemes.entry(sc.as_str().into()).or_default() += 1;
            }
        }
        if let Some(g) = s.group {
            *summary.groups.entry(g.as_str().into()).or_default() += 1;
        }
        *summary.roles.entry(s.role.as_str().into()).or_default() += 1;
        *summary
            .record_types
            .entry(s.rtype.as_str().into())
            .or_default() += 1;
    }
    w.flush().map_err(io(&path))?;

    let path = truth.join("rings.csv");
    let mut w = csv_writer(&path)?;
    w.write_record(["ring_id", "facilitator_address_key", "size", "tricks"])
        .map_err(csv_e(&path))?;
    for (k, ring) in plan.rings.iter().enumerate() {
        let tricks = ring.members.iter().fold(0, |a, &i| a | ex[i as usize]);
        let key = ring.fac_home.addr.key(rd);
        w.write_record([
            ring_id(k),
            key,
            ring.members.len().to_string(),
            scheme_list(tricks),
        ])
        .map_err(csv_e(&path))?;
    }
    w.flush().map_err(io(&path))?;

    let tj = TruthJson {
        generator: format!("muster-synth {}", env!("CARGO_PKG_VERSION")),
        contract_version: muster_contract::CONTRACT_VERSION,
        seed: cfg.seed,
        config: cfg,
        counts: &summary,
        scheme_vocabulary: Scheme::ALL.iter().map(|s| s.as_str()).collect(),
        group_vocabulary: crate::Group::ALL.iter().map(|g| g.as_str()).collect(),
        notes: "schemes list only what a person's generated rows exhibit; shared schemes need two holders in the ring. \
                Legit records whose identity was copied by a stolen_identity fraud carry no group. \
                corporate_egress.txt and approved_rmm.txt in the data folder describe the company's own egress and tool.",
    };
    let path = truth.join("truth.json");
    let text = serde_json::to_string_pretty(&tj)
        .map_err(|e| SynthError::Internal(format!("truth.json: {e}")))?;
    std::fs::write(&path, text + "\n").map_err(io(&path))?;
    Ok(summary)
}
