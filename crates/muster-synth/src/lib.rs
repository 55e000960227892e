//! Synthetic companies in the data-contract layout, with ground truth, for tests, demos and evaluation.
//!
//! [`generate`] writes one CSV per contract table (headers are the contract's column names, in
//! contract order, taken from [`muster_contract::TABLES`]) plus the context files
//! `corporate_egress.txt` and `approved_rmm.txt` into [`SynthConfig::out`], and the ground truth
//! into the sibling folder `<out>-truth/` ([`truth_dir`]): `people.csv`
//! (`person_id,label,schemes,ring_id,hard_negative_group,role`), `rings.csv`
//! (`ring_id,facilitator_address_key,size,tricks`) and `truth.json`.
//!
//! The company is made of employees, contractors and applicants. A share
//! ([`SynthConfig::fraud_rate`]) are North Korean IT-worker identities, most of them in rings run
//! from a facilitator's laptop farm, each ring using its own subset of tricks ([`Scheme`]); the
//! rest of the population is legitimate, with a large share in "hard negative" groups
//! ([`Group`]) built to look like fraud on one signal: households, coworking spaces, the
//! corporate VPN, night shifts, travellers, approved remote-support tools, consumer VPNs,
//! recruiters and staffing agencies, mobile CGNAT.
//!
//! Output is byte-identical for a given configuration: every entity (person, ring, group, pool)
//! draws from its own ChaCha8 stream keyed by `(seed, domain, index)`, and rows are streamed to
//! buffered writers person by person, so memory is bounded by the number of people (a few
//! hundred bytes each), never by the number of events.
//!
//! Volume: about 550 rows per person over 60 days (10,000 people ≈ 5.6 M rows), dominated by
//! `device_presence` (EDR check-ins every 90–170 min while a device is on; every 30–60 min,
//! day and night, for farm laptops), `processes` (a weekly running-process inventory of 8–15
//! processes per device, plus RMM installer starts), `signins`, `activity` and `network`.
//! Peripherals and monitors are reported at each weekly inventory (`connected` the first time).
//!
//! Reference data (US ZIPs with time zones, residential / mobile / foreign ISP ranges, VPN /
//! hosting / ZTNA / unlisted-hosting ranges, area codes) is derived from the CC BY 4.0 and MIT
//! sources under `data/` by `data/synth/build_synth_data.py` and embedded at build time; see
//! `data/synth/SOURCE.txt`.
//!
//! ```no_run
//! use muster_synth::{generate, SynthConfig};
//! let cfg = SynthConfig { people: 2_000, ..SynthConfig::new("muster-demo") };
//! let summary = generate(&cfg, &mut |_p| {}).unwrap();
//! println!("{} rows", summary.total_rows());
//! ```

#![deny(missing_docs)]

mod catalog;
mod clock;
mod er;
mod names;
mod out;
mod person;
mod plan;
mod refdata;
mod rng;
mod truth;
mod world;

pub use er::{
    APPLICANT_HEADER, ApplicantConfig, ApplicantConfigSummary, ApplicantSummary, MAX_RECORDS,
    generate_applicants, generate_applicants_with,
};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

/// Errors of [`generate`].
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    /// The configuration cannot be generated.
    #[error("invalid synth configuration: {0}")]
    Config(String),
    /// A file or folder could not be created or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A CSV file could not be written.
    #[error("{}: {source}", path.display())]
    Csv {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: csv::Error,
    },
    /// The embedded reference data is malformed (a build problem, not a user error).
    #[error("reference data: {0}")]
    Data(String),
    /// An internal consistency check failed.
    #[error("internal error: {0}")]
    Internal(String),
}

/// What to generate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SynthConfig {
    /// Output folder of the contract tables; the truth goes to `<out>-truth/`.
    #[serde(skip)]
    pub out: PathBuf,
    /// Number of person records (employees, contractors and applicants).
    pub people: usize,
    /// Seed; the same configuration gives byte-identical output.
    pub seed: u64,
    /// Length of the observation window in days (default 60).
    pub days: u32,
    /// Share of people who are fraudulent identities (default 0.03).
    pub fraud_rate: f64,
    /// First day of the window, 00:00 UTC (default 2026-09-01).
    #[serde(serialize_with = "ser_date")]
    pub start: NaiveDate,
}

fn ser_date<S: serde::Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&d.format("%Y-%m-%d"))
}

impl SynthConfig {
    /// Default configuration (1,000 people, seed 1, 60 days from 2026-09-01, 3% fraud) writing to `out`.
    pub fn new(out: impl Into<PathBuf>) -> Self {
        SynthConfig {
            out: out.into(),
            people: 1_000,
            seed: 1,
            days: 60,
            fraud_rate: 0.03,
            start: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap_or_default(),
        }
    }

    fn validate(&self) -> Result<(), SynthError> {
        if self.people > 10_000_000 {
            return Err(SynthError::Config(format!(
                "people = {} is above the supported 10,000,000",
                self.people
            )));
        }
        if self.days == 0 || self.days > 3_660 {
            return Err(SynthError::Config(format!(
                "days = {} must be between 1 and 3660",
                self.days
            )));
        }
        if !self.fraud_rate.is_finite() || !(0.0..=1.0).contains(&self.fraud_rate) {
            return Err(SynthError::Config(format!(
                "fraud_rate = {} must be between 0 and 1",
                self.fraud_rate
            )));
        }
        if self.out.as_os_str().is_empty() {
            return Err(SynthError::Config("out folder is empty".into()));
        }
        Ok(())
    }
}

impl Default for SynthConfig {
    fn default() -> Self {
        SynthConfig::new("muster-demo")
    }
}

/// Progress of a running [`generate`], reported after each person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SynthProgress {
    /// People written so far.
    pub people_done: usize,
    /// People to write.
    pub people_total: usize,
    /// Rows written so far, all tables.
    pub rows_written: u64,
}

/// What [`generate`] wrote.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SynthSummary {
    /// Folder of the contract tables.
    #[serde(skip)]
    pub out: PathBuf,
    /// Folder of the ground truth.
    #[serde(skip)]
    pub truth: PathBuf,
    /// Rows per table (contract table name -> rows, header excluded).
    pub rows: BTreeMap<String, u64>,
    /// People written.
    pub people: usize,
    /// People per label (`fraud`, `legit`).
    pub labels: BTreeMap<String, usize>,
    /// People per exhibited scheme (a person counts once per scheme).
    pub schemes: BTreeMap<String, usize>,
    /// Legitimate people per hard-negative group.
    pub groups: BTreeMap<String, usize>,
    /// People per truth role.
    pub roles: BTreeMap<String, usize>,
    /// People per record type.
    pub record_types: BTreeMap<String, usize>,
    /// Fraud rings written.
    pub rings: usize,
}

impl SynthSummary {
    /// Rows written over all tables.
    pub fn total_rows(&self) -> u64 {
        self.rows.values().sum()
    }
}

/// A fraud scheme: one trick of the DPRK IT-worker playbook, as exhibited in a person's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scheme {
    /// The person's company device sits in a facilitator's farm with other people's devices
    /// (same public IP and Wi-Fi, always on).
    LaptopFarm,
    /// The device was shipped to the facilitator's (or a relative's / mail-drop) address.
    ShipToFacilitator,
    /// Sign-ins or presence from VPN / hosting exits (listed or not).
    AnonNetwork,
    /// Working hours fit UTC+8/UTC+9 rather than the claimed US zone.
    OffshoreHours,
    /// Unapproved remote-access software on the device.
    Rmm,
    /// An IP-KVM with its default identifiers.
    KvmDefault,
    /// An IP-KVM with spoofed USB identifiers (structure still visible).
    KvmSpoofed,
    /// Phone / email / photo shared with other identities.
    SharedContact,
    /// Pay to a bank account shared with other identities.
    SharedBank,
    /// Resume near-duplicated from another identity's.
    ResumeReuse,
    /// Someone else's identity (same name + DOB + SSN as another record) or an invalid SSN.
    StolenIdentity,
    /// Several pay-account changes soon after hire.
    PayrollChurn,
    /// Pay to a payout provider or crypto address in another holder's name.
    PayoutProvider,
    /// One MFA authenticator shared by several accounts.
    MfaShared,
}

impl Scheme {
    /// Every scheme, in vocabulary order.
    pub const ALL: [Scheme; 14] = [
        Scheme::LaptopFarm,
        Scheme::ShipToFacilitator,
        Scheme::AnonNetwork,
        Scheme::OffshoreHours,
        Scheme::Rmm,
        Scheme::KvmDefault,
        Scheme::KvmSpoofed,
        Scheme::SharedContact,
        Scheme::SharedBank,
        Scheme::ResumeReuse,
        Scheme::StolenIdentity,
        Scheme::PayrollChurn,
        Scheme::PayoutProvider,
        Scheme::MfaShared,
    ];

    /// Truth vocabulary name.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::LaptopFarm => "laptop_farm",
            Scheme::ShipToFacilitator => "ship_to_facilitator",
            Scheme::AnonNetwork => "anon_network",
            Scheme::OffshoreHours => "offshore_hours",
            Scheme::Rmm => "rmm",
            Scheme::KvmDefault => "kvm_default",
            Scheme::KvmSpoofed => "kvm_spoofed",
            Scheme::SharedContact => "shared_contact",
            Scheme::SharedBank => "shared_bank",
            Scheme::ResumeReuse => "resume_reuse",
            Scheme::StolenIdentity => "stolen_identity",
            Scheme::PayrollChurn => "payroll_churn",
            Scheme::PayoutProvider => "payout_provider",
            Scheme::MfaShared => "mfa_shared",
        }
    }

    /// Scheme by vocabulary name.
    pub fn parse(s: &str) -> Option<Scheme> {
        Scheme::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub(crate) const fn bit(self) -> u16 {
        1 << self as u16
    }
}

/// Bit set of schemes.
pub(crate) type Schemes = u16;

/// A hard-negative group: legitimate people whose data looks like fraud on one signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    /// Couples / roommates who both work for the company: same address, IP, Wi-Fi, maybe a joint
    /// bank account and a home phone.
    Household,
    /// Family members (one an applicant) sharing one phone at one address.
    SharedFamilyPhone,
    /// People of one metro working from one coworking space by day, from home at night.
    Coworking,
    /// People whose traffic goes through the company's VPN / ZTNA egress.
    CorporateVpn,
    /// Night-shift and on-call workers in US time zones.
    NightShift,
    /// Business travellers (hotels, a shared conference hotel, trips abroad).
    Traveler,
    /// IT staff with the company's approved remote-support tool; developers with test rigs.
    ApprovedRmm,
    /// People who sometimes sign in through a consumer VPN.
    ConsumerVpn,
    /// Applicants submitted by one recruiter: same application IP, recruiter contact, template.
    RecruiterBatch,
    /// Contractors / applicants from a staffing agency sharing its contact and resume template.
    StaffingAgency,
    /// People signing in mostly from mobile-carrier CGNAT addresses shared with strangers.
    MobileCgnat,
}

impl Group {
    /// Every group.
    pub const ALL: [Group; 11] = [
        Group::Household,
        Group::SharedFamilyPhone,
        Group::Coworking,
        Group::CorporateVpn,
        Group::NightShift,
        Group::Traveler,
        Group::ApprovedRmm,
        Group::ConsumerVpn,
        Group::RecruiterBatch,
        Group::StaffingAgency,
        Group::MobileCgnat,
    ];

    /// Truth vocabulary name.
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Household => "household",
            Group::SharedFamilyPhone => "shared_family_phone",
            Group::Coworking => "coworking",
            Group::CorporateVpn => "corporate_vpn",
            Group::NightShift => "night_shift",
            Group::Traveler => "traveler",
            Group::ApprovedRmm => "approved_rmm",
            Group::ConsumerVpn => "consumer_vpn",
            Group::RecruiterBatch => "recruiter_batch",
            Group::StaffingAgency => "staffing_agency",
            Group::MobileCgnat => "mobile_cgnat",
        }
    }

    /// Group by vocabulary name.
    pub fn parse(s: &str) -> Option<Group> {
        Group::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// The truth folder of an output folder: the sibling `<out>-truth`.
pub fn truth_dir(out: &Path) -> Result<PathBuf, SynthError> {
    let name = out.file_name().ok_or_else(|| {
        SynthError::Config(format!(
            "cannot derive a truth folder name from {}",
            out.display()
        ))
    })?;
    let mut t = name.to_os_string();
    t.push("-truth");
    Ok(match out.parent() {
        Some(p) => p.join(t),
        None => PathBuf::from(t),
    })
}

/// Writes a synthetic company into `cfg.out` and its ground truth into `<out>-truth/`.
///
/// `progress` is called after every person. Existing files of the same names are overwritten.
pub fn generate(
    cfg: &SynthConfig,
    progress: &mut dyn FnMut(SynthProgress),
) -> Result<SynthSummary, SynthError> {
    cfg.validate()?;
    let truth = truth_dir(&cfg.out)?;
    for dir in [&cfg.out, &truth] {
        std::fs::create_dir_all(dir).map_err(|e| SynthError::Io {
            path: dir.clone(),
            source: e,
        })?;
    }
    let rd = refdata::RefData::load()?;
    let plan = plan::Plan::build(cfg, &rd)?;
    let mut sink = out::Sink::create(&cfg.out)?;
    let mut g = person::Gen::new(cfg, &rd, &plan)?;
    let mut records = Vec::with_capacity(cfg.people);
    for i in 0..cfg.people {
        records.push(g.person(i, &mut sink)?);
        progress(SynthProgress {
            people_done: i + 1,
            people_total: cfg.people,
            rows_written: sink.total_rows(),
        });
    }
    let rows = sink.finish()?;
    g.write_context(&cfg.out)?;
    truth::write(cfg, &plan, &rd, &mut records, rows, &cfg.out, &truth)
}
