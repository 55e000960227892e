//! Detection metadata and documentation, in the fixed sections every detection must fill.

use crate::signal::{Family, Severity};

/// Documentation and scoring facts of a detection (one per detection file).
#[derive(Debug, Clone, Copy)]
pub struct DetectionMeta {
    /// Stable id (`FAMILY-THING`). Never reused or renamed once shipped.
    pub id: &'static str,
    /// Short title.
    pub title: &'static str,
    /// Family, for per-family caps in fusion.
    pub family: Family,
    /// Severity when it fires at full strength.
    pub severity: Severity,
    /// Likelihood ratio at full strength: P(evidence | scheme) / P(evidence | legitimate).
    pub likelihood_ratio: f64,
    /// Why that ratio (sources, reasoning).
    pub lr_rationale: &'static str,
    /// Tables it reads; it runs when at least one of them has rows.
    pub tables: &'static [&'static str],
    /// What it does.
    pub what: &'static str,
    /// Why it matters (public cases, advisories).
    pub why: &'static str,
    /// Data it needs and how it is used.
    pub data: &'static str,
    /// Legitimate look-alikes and how they are handled.
    pub false_positives: &'static str,
    /// References.
    pub references: &'static [&'static str],
}

impl DetectionMeta {
    /// The documentation as Markdown (used by `muster rules show` and the docs generator).
    pub fn markdown(&self) -> String {
        let refs: Vec<String> = self.references.iter().map(|r| format!("- {r}")).collect();
        format!(
            "# {id}: {title}\n\nFamily: {fam} · severity: {sev:?} · likelihood ratio: {lr}\n\n## What it does\n{what}\n\n## Why\n{why}\n\n## Data\n{data}\n\n## False positives\n{fp}\n\n## Likelihood ratio\n{lrr}\n\n## References\n{refs}\n",
            id = self.id,
            title = self.title,
            fam = self.family.name(),
            sev = self.severity,
            lr = self.likelihood_ratio,
            what = self.what,
            why = self.why,
            data = self.data,
            fp = self.false_positives,
            lrr = self.lr_rationale,
            refs = refs.join("\n"),
        )
    }
}
