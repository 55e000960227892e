//! Which fraud schemes each detection is designed to catch.

/// Detection id → the synthetic fraud schemes it covers.
///
/// Used to derive the covered schemes from `run.json`'s `detections_run` when
/// [`EvalOptions::covered_schemes`](crate::EvalOptions::covered_schemes) is not given: a fraud
/// person whose schemes are all outside the detections that ran cannot be expected to be found,
/// so the `covered` metrics leave them out.
///
/// | detection | schemes |
/// |---|---|
/// | `FARM-IP` | `laptop_farm` |
/// | `RMM-SOFTWARE` | `rmm` |
/// | `KVM-HARDWARE` | `kvm_default` |
/// | `KVM-STRUCTURE` | `kvm_spoofed` |
/// | `NET-ANON` | `anon_network` |
/// | `ID-REUSE` | `shared_contact` (shared pay accounts are PAY-SHARED's) |
/// | `FARM-WIFI` | `laptop_farm` |
/// | `FARM-SHIP` | `ship_to_facilitator` |
/// | `FARM-MFA` | `mfa_shared` |
/// | `FARM-ALWAYSON` | `laptop_farm` |
/// | `TZ-MISMATCH` | `offshore_hours` |
/// | `ID-STOLEN` | `stolen_identity` |
/// | `ID-RESUME` | `resume_reuse`, `shared_contact` (a shared photo) |
/// | `PAY-SHARED` | `shared_bank` |
/// | `PAY-CHURN` | `payroll_churn` |
/// | `PAY-PROVIDER` | `payout_provider` |
///
/// Detections not listed (for example `GEO-MISMATCH`) cover no scheme.
pub const DETECTION_SCHEMES: &[(&str, &[&str])] = &[
    ("FARM-IP", &["laptop_farm"]),
    ("RMM-SOFTWARE", &["rmm"]),
    ("KVM-HARDWARE", &["kvm_default"]),
    ("KVM-STRUCTURE", &["kvm_spoofed"]),
    ("NET-ANON", &["anon_network"]),
    ("ID-REUSE", &["shared_contact"]),
    ("FARM-WIFI", &["laptop_farm"]),
    ("FARM-SHIP", &["ship_to_facilitator"]),
    ("FARM-MFA", &["mfa_shared"]),
    ("FARM-ALWAYSON", &["laptop_farm"]),
    ("TZ-MISMATCH", &["offshore_hours"]),
    ("ID-STOLEN", &["stolen_identity"]),
    ("ID-RESUME", &["resume_reuse", "shared_contact"]),
    ("PAY-SHARED", &["shared_bank"]),
    ("PAY-CHURN", &["payroll_churn"]),
    ("PAY-PROVIDER", &["payout_provider"]),
];

/// The schemes covered by one detection id (case-insensitive), or `None` when the id is not in
/// [`DETECTION_SCHEMES`].
///
/// ```
/// use muster_eval::schemes_for_detection;
///
/// assert_eq!(schemes_for_detection("id-reuse"), Some(&["shared_contact"][..]));
/// assert_eq!(schemes_for_detection("GEO-MISMATCH"), None);
/// ```
pub fn schemes_for_detection(detection_id: &str) -> Option<&'static [&'static str]> {
    let id = detection_id.trim();
    DETECTION_SCHEMES
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(id))
        .map(|(_, schemes)| *schemes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_complete_and_unique() {
        assert_eq!(DETECTION_SCHEMES.len(), 16);
        let mut ids: Vec<&str> = DETECTION_SCHEMES.iter().map(|(id, _)| *id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 16);
        assert!(DETECTION_SCHEMES.iter().all(|(_, s)| !s.is_empty()));
    }

    #[test]
    fn lookups() {
        assert_eq!(
            schemes_for_detection("FARM-WIFI"),
            Some(&["laptop_farm"][..])
        );
        assert_eq!(
            schemes_for_detection(" pay-shared "),
            Some(&["shared_bank"][..])
        );
        assert_eq!(schemes_for_detection(""), None);
    }
}
