//! The detection catalogue: one file per detection.

mod colocation;
pub mod farm_alwayson;
pub mod farm_ip;
pub mod farm_mfa;
pub mod farm_ship;
pub mod farm_wifi;
mod geo;
pub mod geo_mismatch;
pub mod geo_travel;
pub mod id_contact;
pub mod id_referral;
pub mod id_resume;
pub mod id_reuse;
pub mod id_stolen;
pub mod kvm_structure;
pub mod net_anon;
pub mod net_shift;
pub mod pay_churn;
pub mod pay_provider;
pub mod pay_shared;
mod payroll;
mod person_rec;
pub mod rdp_inbound;
pub mod rmm_software;
pub mod sanctions;
pub mod tz_mismatch;

/// Masks an identifier for output: keeps the last `keep` characters.
pub fn mask(value: &str, keep: usize) -> String {
    let n = value.chars().count();
    if n <= keep {
        return "*".repeat(n);
    }
    let tail: String = value.chars().skip(n - keep).collect();
    format!("{}{tail}", "*".repeat(n - keep))
}

/// SQL condition that keeps slice `k` of `n` of the people, by the person id in `col`
/// (`TRUE` when there is one slice); see [`crate::Engine::person_slices`].
pub(crate) fn slice_filter(col: &str, k: u64, n: u64) -> String {
    if n <= 1 {
        "TRUE".to_string()
    } else {
        format!("slice_of({col}, {n}) = {k}")
    }
}
