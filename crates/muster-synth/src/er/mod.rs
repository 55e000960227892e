//! Synthetic applicant records for the entity-resolution benchmark (`muster synth --applicants`).
//!
//! [`generate_applicants`] writes, into [`ApplicantConfig::out`]:
//! - `records.csv`: `record_id,first_name,last_name,dob,email,phone,street,city,state,zip,ssn,bank_account`
//!   ([`APPLICANT_HEADER`]), globally shuffled, record ids numbered in file order;
//! - `truth.csv`: `record_id,cluster_id`, one cluster per real identity (each identity a ring
//!   runs is its own cluster, and so is an impostor using a stolen identity);
//! - `truth_legit.csv`: the same, for the records of legitimate people only;
//! - `rings.csv`: `record_id,ring_id,role` for every ring record (`identity`, `stolen`,
//!   `facilitator`);
//! - `summary.json`: counts, rates and the configuration ([`ApplicantSummary`]).
//!
//! The population is generated unit by unit: a unit is one legitimate person, a hard-negative
//! group (household, twins, father and son, a family sharing one phone, a staffing agency's
//! batch of candidates) or a fraud ring. Every unit draws from its own random stream keyed by
//! `(seed, unit index)`, so a stolen identity is re-derived from its victim's unit, and output is
//! byte-identical for a given configuration. Records go to a spool of temporary bucket files
//! (bucket drawn at random per record) and each bucket is shuffled in memory at the end, so memory
//! is bounded by one bucket (about 100,000 records) whatever the size of the file.
//!
//! The rates are constants below, each with its reason. Names follow 1990 US Census frequencies
//! (plus the company generator's name origins and rare surnames), addresses use the embedded
//! ZIP list, phones the embedded area codes. Nothing here is tuned to any matching algorithm.

mod names;
mod render;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::SynthError;
use crate::catalog::{AGENCIES, EMAIL_DOMAINS, RECRUITERS};
use crate::refdata::RefData;
use crate::rng::{RngExt, mix, pick_str, stream};
use crate::world::{Bank, Phone};

use names::{NameTables, Part, Sex, nickname};
use render::{
    Address, Case, PHONE_STYLES, cased, dob_typo, fmt_date, fmt_phone, fmt_ssn, phone_typo, slug,
    ssn_typo, typo,
};

/// Header of `records.csv`.
pub const APPLICANT_HEADER: [&str; 12] = [
    "record_id",
    "first_name",
    "last_name",
    "dob",
    "email",
    "phone",
    "street",
    "city",
    "state",
    "zip",
    "ssn",
    "bank_account",
];

// ------------------------------------------------------------------------------------------
// Rates. Shares are of people (identities), not records.
// ------------------------------------------------------------------------------------------

/// People who are ring identities: DOJ cases name hundreds to thousands of identities across
/// thousands of targeted companies; in a remote-IT applicant pool 1–2% is the range asked for.
pub const RING_SHARE: f64 = 0.015;
/// People in a household of 2–4 applicants (couples, roommates): about 1 in 40 applicants shares
/// a home with another applicant in a large employer's pool.
pub const HOUSEHOLD_SHARE: f64 = 0.025;
/// Twins who both applied: ~3% of US births are twins; both applying to one pool is rarer.
pub const TWINS_SHARE: f64 = 0.003;
/// Fathers and sons with the same name (Jr/Sr) who both applied.
pub const JR_SR_SHARE: f64 = 0.004;
/// Parents and adult children or siblings giving one family phone.
pub const FAMILY_PHONE_SHARE: f64 = 0.006;
/// Candidates submitted by staffing agencies and recruiters (their record carries the agency's
/// phone or email): contract IT hiring goes through agencies a lot.
pub const AGENCY_SHARE: f64 = 0.04;
/// Legitimate people hired, who then also have an HR record (legal name, SSN, bank account).
pub const EMPLOYEE_SHARE: f64 = 0.06;
/// Employees rehired later (a second HR record, bank account changed 40% of the time).
pub const REHIRE_SHARE: f64 = 0.10;
/// Applications per legitimate person: 1, 2, 3, 4, 5, 6 (most apply once; re-applications,
/// ATS double submissions and agency re-submissions make the rest).
pub const APPLICATIONS_DIST: [f64; 6] = [0.835, 0.115, 0.033, 0.011, 0.004, 0.002];
/// Share of second and later applications that are ATS duplicates within 0–3 days.
pub const ATS_DUPLICATE_SHARE: f64 = 0.25;
/// Applications per ring identity: they apply to many postings.
pub const RING_APPLICATIONS_DIST: [f64; 5] = [0.55, 0.28, 0.11, 0.04, 0.02];
/// Ring identities hired (HR record with the bank account the pay goes to).
pub const RING_EMPLOYEE_SHARE: f64 = 0.35;
/// Ring identities that are stolen (a real person's name, date of birth and SSN; the owner is in
/// the file as a legitimate applicant).
pub const STOLEN_SHARE: f64 = 0.25;
/// Synthetic ring identities whose SSN cannot be valid (area 000, 666, 9xx or group 00).
pub const INVALID_SSN_SHARE: f64 = 0.10;
/// Rings in which the facilitator also applies under his own name.
pub const FACILITATOR_APPLIES_SHARE: f64 = 0.3;
/// Rings that share only one identifier (phone, address, bank account or email pattern).
pub const PARTIAL_RING_SHARE: f64 = 0.3;
/// Ring size exponent: sizes 2..=20 with P(s) proportional to s^-1.7 (most rings are small).
pub const RING_SIZE_EXPONENT: f64 = 1.7;
/// Rings that are large farms of 50–150 identities (one or two in a 1M-record file).
pub const LARGE_RING_SHARE: f64 = 1.0 / 1500.0;
/// Records of each ring identity that use the ring's phone / address / bank / email pattern
/// (the rest use the identity's own), in full rings; partial rings share one of them at 0.85.
pub const RING_USE: [f64; 4] = [0.7, 0.65, 0.85, 0.8];

/// The largest supported record count (SSNs are drawn without collision from 64 slots per
/// unit: 10M units x 64 < 888.9M valid SSNs).
pub const MAX_RECORDS: usize = 10_000_000;

const D_KIND: u64 = 101;
const D_UNIT: u64 = 102;
const D_AGENCY: u64 = 103;
const D_BUCKET: u64 = 104;
const D_SHUFFLE: u64 = 105;
const D_SSN: u64 = 106;

/// Records per spool bucket (one bucket is in memory at a time when shuffling).
const BUCKET_RECORDS: usize = 100_000;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApplicantConfig {
    /// Output folder (created if missing; existing files of the same names are overwritten).
    #[serde(skip)]
    pub out: PathBuf,
    /// Number of records to write.
    pub records: usize,
    /// Seed; the same configuration gives byte-identical output.
    pub seed: u64,
}

impl ApplicantConfig {
    /// 10,000 records, seed 1, into `out`.
    pub fn new(out: impl Into<PathBuf>) -> Self {
        ApplicantConfig {
            out: out.into(),
            records: 10_000,
            seed: 1,
        }
    }

    fn validate(&self) -> Result<(), SynthError> {
        if self.records == 0 || self.records > MAX_RECORDS {
            return Err(SynthError::Config(format!(
                "records = {} must be between 1 and {MAX_RECORDS}",
                self.records
            )));
        }
        if self.out.as_os_str().is_empty() {
            return Err(SynthError::Config("out folder is empty".into()));
        }
        Ok(())
    }
}

/// What [`generate_applicants`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ApplicantSummary {
    /// The configuration.
    pub config: ApplicantConfigSummary,
    /// Records written.
    pub records: u64,
    /// Distinct identities with at least one record (= clusters of `truth.csv`).
    pub people: u64,
    /// Clusters of `truth.csv` (equal to `people`).
    pub clusters: u64,
    /// Legitimate people and their records (`truth_legit.csv`).
    pub legit_people: u64,
    /// Records of legitimate people.
    pub legit_records: u64,
    /// Ring identities (one cluster each) and their records.
    pub ring_identities: u64,
    /// Records of ring identities.
    pub ring_records: u64,
    /// Records beyond the first of their cluster (`records - clusters`).
    pub duplicates: u64,
    /// Clusters by number of records (`"1"`, `"2"`, ...).
    pub records_per_cluster: BTreeMap<String, u64>,
    /// Records per corruption or variation kind, over all records.
    pub corruptions_all: BTreeMap<String, u64>,
    /// Records per corruption or variation kind, over duplicates only.
    pub corruptions_duplicates: BTreeMap<String, u64>,
    /// Records per source (`application`, `agency`, `employee`).
    pub sources: BTreeMap<String, u64>,
    /// Rings written, with at least one record.
    pub rings: u64,
    /// Rings sharing only one identifier.
    pub partial_rings: u64,
    /// Identities of the largest ring.
    pub largest_ring: u64,
    /// Rings of 50 identities or more.
    pub rings_50_plus: u64,
    /// Ring identities by role (`identity`, `stolen`, `facilitator`).
    pub ring_roles: BTreeMap<String, u64>,
    /// Ring records by role.
    pub ring_records_by_role: BTreeMap<String, u64>,
    /// Hard-negative groups by kind (`household`, `twins`, `jr_sr`, `family_phone`,
    /// `agency_batch`).
    pub hard_negative_groups: BTreeMap<String, u64>,
    /// People in hard-negative groups by kind.
    pub hard_negative_people: BTreeMap<String, u64>,
    /// Distinct staffing agencies that submitted candidates.
    pub agencies: u64,
    /// Generation units (people, groups, rings).
    pub units: u64,
    /// The rate constants in force.
    pub rates: BTreeMap<String, f64>,
}

/// The configuration as recorded in `summary.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ApplicantConfigSummary {
    /// Records asked for.
    pub records: usize,
    /// Seed.
    pub seed: u64,
}

/// Writes a synthetic applicant set into `cfg.out` (see the module documentation).
pub fn generate_applicants(cfg: &ApplicantConfig) -> Result<ApplicantSummary, SynthError> {
    generate_applicants_with(cfg, &mut |_, _| {})
}

/// [`generate_applicants`] with a progress callback `(records written, records asked for)`,
/// called every 10,000 records and once more when the files are complete.
pub fn generate_applicants_with(
    cfg: &ApplicantConfig,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<ApplicantSummary, SynthError> {
    cfg.validate()?;
    std::fs::create_dir_all(&cfg.out).map_err(|e| io_err(&cfg.out, e))?;
    let rd = RefData::load()?;
    let nt = NameTables::load()?;
    let g = Gen::new(cfg, &rd, &nt);
    let mut spool = Spool::create(&cfg.out, cfg.records, cfg.seed)?;
    let mut s = ApplicantSummary {
        config: ApplicantConfigSummary {
            records: cfg.records,
            seed: cfg.seed,
        },
        ..ApplicantSummary::default()
    };
    let total = cfg.records as u64;
    let mut written = 0u64;
    let mut agencies = std::collections::BTreeSet::new();
    let mut u = 0u64;
    while written < total {
        let mut unit = g.unit(u);
        let room = (total - written) as usize;
        unit.recs.truncate(room);
        if !unit.recs.is_empty() {
            s.units += 1;
            account(&mut s, &unit);
            if let Some(a) = unit.agency {
                agencies.insert(a);
            }
        }
        for rec in &unit.recs {
            spool.push(rec)?;
            written += 1;
            if written.is_multiple_of(10_000) {
                progress(written, total);
            }
        }
        u += 1;
    }
    s.agencies = agencies.len() as u64;
    s.clusters = s.people;
    s.duplicates = s.records - s.clusters;
    s.rates = rates();
    spool.finish(&cfg.out)?;
    progress(total, total);
    let path = cfg.out.join("summary.json");
    let json = serde_json::to_string_pretty(&s)
        .map_err(|e| SynthError::Internal(format!("summary: {e}")))?;
    std::fs::write(&path, json + "\n").map_err(|e| io_err(&path, e))?;
    Ok(s)
}

fn rates() -> BTreeMap<String, f64> {
    let mut m = BTreeMap::new();
    for (k, v) in [
        ("ring_share", RING_SHARE),
        ("household_share", HOUSEHOLD_SHARE),
        ("twins_share", TWINS_SHARE),
        ("jr_sr_share", JR_SR_SHARE),
        ("family_phone_share", FAMILY_PHONE_SHARE),
        ("agency_share", AGENCY_SHARE),
        ("employee_share", EMPLOYEE_SHARE),
        ("rehire_share", REHIRE_SHARE),
        ("ats_duplicate_share", ATS_DUPLICATE_SHARE),
        ("ring_employee_share", RING_EMPLOYEE_SHARE),
        ("stolen_share", STOLEN_SHARE),
        ("invalid_ssn_share", INVALID_SSN_SHARE),
        ("facilitator_applies_share", FACILITATOR_APPLIES_SHARE),
        ("partial_ring_share", PARTIAL_RING_SHARE),
        ("ring_size_exponent", RING_SIZE_EXPONENT),
        ("large_ring_share", LARGE_RING_SHARE),
    ] {
        m.insert(k.to_string(), v);
    }
    for (i, p) in APPLICATIONS_DIST.iter().enumerate() {
        m.insert(format!("applications_{}", i + 1), *p);
    }
    m
}

fn account(s: &mut ApplicantSummary, unit: &Unit) {
    let mut per_cluster: BTreeMap<u64, u64> = BTreeMap::new();
    let mut roles: BTreeMap<u64, Role> = BTreeMap::new();
    for rec in &unit.recs {
        let n = per_cluster.entry(rec.cluster).or_default();
        *n += 1;
        s.records += 1;
        if rec.legit {
            s.legit_records += 1;
        } else {
            s.ring_records += 1;
            *s.ring_records_by_role
                .entry(rec.role.as_str().to_string())
                .or_default() += 1;
            roles.insert(rec.cluster, rec.role);
        }
        *s.sources
            .entry(rec.source.as_str().to_string())
            .or_default() += 1;
        for (bit, name) in FLAG_NAMES.iter().enumerate() {
            if rec.flags & (1 << bit) != 0 {
                *s.corruptions_all.entry((*name).to_string()).or_default() += 1;
                if *n > 1 {
                    *s.corruptions_duplicates
                        .entry((*name).to_string())
                        .or_default() += 1;
                }
            }
        }
    }
    for n in per_cluster.values() {
        *s.records_per_cluster.entry(n.to_string()).or_default() += 1;
    }
    let people = per_cluster.len() as u64;
    s.people += people;
    let ring_ids = roles.len() as u64;
    s.ring_identities += ring_ids;
    s.legit_people += people - ring_ids;
    for r in roles.values() {
        *s.ring_roles.entry(r.as_str().to_string()).or_default() += 1;
    }
    match unit.kind {
        Kind::Ring => {
            s.rings += 1;
            s.partial_rings += u64::from(unit.partial);
            s.largest_ring = s.largest_ring.max(ring_ids);
            s.rings_50_plus += u64::from(ring_ids >= 50);
        }
        Kind::Single => {}
        k => {
            *s.hard_negative_groups
                .entry(k.as_str().to_string())
                .or_default() += 1;
            *s.hard_negative_people
                .entry(k.as_str().to_string())
                .or_default() += people;
        }
    }
}

fn io_err(path: &Path, e: std::io::Error) -> SynthError {
    SynthError::Io {
        path: path.to_path_buf(),
        source: e,
    }
}

fn csv_err(path: &Path, e: csv::Error) -> SynthError {
    SynthError::Csv {
        path: path.to_path_buf(),
        source: e,
    }
}

// ------------------------------------------------------------------------------------------
// Records
// ------------------------------------------------------------------------------------------

/// Role of a ring record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    None,
    Identity,
    Stolen,
    Facilitator,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Role::None => "",
            Role::Identity => "identity",
            Role::Stolen => "stolen",
            Role::Facilitator => "facilitator",
        }
    }
}

/// Where a record comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// The candidate applied through the careers site / ATS.
    Application,
    /// A staffing agency or recruiter submitted the candidate.
    Agency,
    /// The HR record of a hire (legal name, SSN, bank account).
    Employee,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::Application => "application",
            Source::Agency => "agency",
            Source::Employee => "employee",
        }
    }
}

/// Corruption and variation kinds, one bit each (names in `summary.json`).
const FLAG_NAMES: &[&str] = &[
    "first_name_typo",
    "last_name_typo",
    "nickname",
    "given_family_swapped",
    "middle_initial_in_first_name",
    "married_name",
    "hyphenated_name_variant",
    "name_suffix",
    "upper_or_lower_case",
    "dob_missing",
    "dob_us_format",
    "dob_digit_transposed",
    "dob_day_month_swapped",
    "dob_off_by_one_day",
    "dob_year_typo",
    "email_missing",
    "email_changed",
    "email_gmail_variant",
    "email_case",
    "email_agency",
    "phone_missing",
    "phone_changed",
    "phone_typo",
    "phone_home",
    "phone_agency",
    "address_missing",
    "address_moved",
    "street_suffix_spelled_out",
    "unit_omitted",
    "street_typo",
    "city_typo",
    "zip_plus4",
    "zip_leading_zero_lost",
    "zip_typo",
    "address_agency",
    "ssn_missing",
    "ssn_undashed",
    "ssn_typo",
    "ssn_masked",
    "bank_present",
    "bank_changed",
    "ring_phone",
    "ring_address",
    "ring_bank",
    "ring_email_pattern",
];

fn flag(name: &str) -> u64 {
    FLAG_NAMES
        .iter()
        .position(|n| *n == name)
        .map_or(0, |i| 1u64 << i)
}

/// One output record before it gets its id.
#[derive(Debug, Clone)]
struct Rec {
    /// first_name .. bank_account.
    f: [String; 11],
    cluster: u64,
    legit: bool,
    ring: u64,
    role: Role,
    source: Source,
    flags: u64,
}

// ------------------------------------------------------------------------------------------
// People
// ------------------------------------------------------------------------------------------

/// A person's identity and contact details at one point in time.
#[derive(Debug, Clone)]
struct Person {
    sex: Sex,
    given: String,
    middle: Option<String>,
    family: String,
    /// Family name before a marriage change.
    maiden: Option<String>,
    suffix: Option<&'static str>,
    dob: NaiveDate,
    ssn: [u16; 3],
    mobile: Phone,
    home: Option<Phone>,
    email: String,
    addr: Address,
    bank: Option<String>,
    phone_style: usize,
    long_suffix: bool,
    unit_style: usize,
    /// Population shares of the given and the family name.
    shares: (f64, f64),
}

/// A legitimate person's identity as it appears, uncorrupted, on one of their records: what a
/// ring copies when it steals the identity.
#[derive(Debug, Clone)]
struct Victim {
    sex: Sex,
    given: String,
    family: String,
    dob: NaiveDate,
    ssn: [u16; 3],
}

/// Per-record replacements of a person's own details (agency, ring).
#[derive(Debug, Clone, Default)]
struct Over {
    phone: Option<(Phone, u64)>,
    email: Option<(String, u64)>,
    addr: Option<(Address, u64)>,
    bank: Option<(String, u64)>,
    /// The identity is typed from documents: no typos, never missing (stolen identities).
    careful: bool,
}

/// Kind of a generation unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Single,
    Household,
    Twins,
    JrSr,
    FamilyPhone,
    Agency,
    Ring,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Single => "single",
            Kind::Household => "household",
            Kind::Twins => "twins",
            Kind::JrSr => "jr_sr",
            Kind::FamilyPhone => "family_phone",
            Kind::Agency => "agency_batch",
            Kind::Ring => "ring",
        }
    }
}

/// The records of one unit.
struct Unit {
    kind: Kind,
    recs: Vec<Rec>,
    partial: bool,
    agency: Option<u32>,
    victim: Option<Victim>,
}

/// A staffing agency or recruiting firm.
struct Agency {
    main: Phone,
    recruiters: Vec<(String, Phone)>,
    office: Address,
}

/// A ring's shared infrastructure.
struct Ring {
    phones: Vec<Phone>,
    addr: Address,
    banks: Vec<String>,
    /// Email style: 0 own mailboxes, 1 sequential handles with a ring tag, 2 one custom domain.
    email_style: u8,
    tag: &'static str,
    domain: String,
    /// Per-record probability of using the ring's phone, address, bank account, email pattern.
    usage: [f64; 4],
}

const RING_TAGS: &[&str] = &[
    "dev", "tech", "eng", "pro", "work", "code", "soft", "it", "job", "cloud", "data", "web",
];
const DOMAIN_WORDS: &[&str] = &[
    "code",
    "craft",
    "byte",
    "stack",
    "nova",
    "pixel",
    "logic",
    "smart",
    "tech",
    "solutions",
    "digital",
    "labs",
    "works",
    "cloud",
    "apex",
    "prime",
    "bridge",
    "sky",
];
const AGENCY_WORDS: &[&str] = &[
    "Apex",
    "Summit",
    "Harbor",
    "Pioneer",
    "Liberty",
    "Keystone",
    "Horizon",
    "Vantage",
    "Atlas",
    "Crescent",
    "Granite",
    "Meridian",
    "Beacon",
    "Sterling",
    "Cardinal",
    "Evergreen",
];
const AGENCY_KINDS: &[&str] = &[
    "Staffing",
    "Talent",
    "Recruiting",
    "IT Partners",
    "Workforce",
    "Consulting",
    "Search Group",
];
const PLUS_TAGS: &[&str] = &["jobs", "work", "apply", "career", "indeed", "linkedin"];

struct Gen<'a> {
    seed: u64,
    rd: &'a RefData,
    nt: &'a NameTables,
    est_people: f64,
    n_agencies: u32,
    /// Cumulative unit-kind probabilities.
    kinds: Vec<(f64, Kind)>,
    /// Cumulative ring-size probabilities for sizes 2..=20.
    ring_sizes: Vec<f64>,
    ssn_key: u64,
}

fn small_ring_mean() -> f64 {
    let w: Vec<f64> = (2..=20)
        .map(|s| f64::from(s).powf(-RING_SIZE_EXPONENT))
        .collect();
    let tot: f64 = w.iter().sum();
    w.iter()
        .enumerate()
        .map(|(i, x)| (i as f64 + 2.0) * x / tot)
        .sum()
}

impl<'a> Gen<'a> {
    fn new(cfg: &ApplicantConfig, rd: &'a RefData, nt: &'a NameTables) -> Self {
        let ring_mean = small_ring_mean() * (1.0 - LARGE_RING_SHARE) + 100.0 * LARGE_RING_SHARE;
        let shares = [
            (HOUSEHOLD_SHARE, 2.2, Kind::Household),
            (TWINS_SHARE, 2.0, Kind::Twins),
            (JR_SR_SHARE, 2.0, Kind::JrSr),
            (FAMILY_PHONE_SHARE, 2.6, Kind::FamilyPhone),
            (AGENCY_SHARE, 14.0, Kind::Agency),
            (RING_SHARE, ring_mean, Kind::Ring),
        ];
        let single = 1.0 - shares.iter().map(|s| s.0).sum::<f64>();
        let mut w = vec![(single, Kind::Single)];
        w.extend(shares.iter().map(|(s, m, k)| (s / m, *k)));
        let tot: f64 = w.iter().map(|x| x.0).sum();
        let mut acc = 0.0;
        let kinds = w
            .into_iter()
            .map(|(x, k)| {
                acc += x / tot;
                (acc, k)
            })
            .collect();
        let sw: Vec<f64> = (2..=20)
            .map(|s| f64::from(s).powf(-RING_SIZE_EXPONENT))
            .collect();
        let stot: f64 = sw.iter().sum();
        let mut acc = 0.0;
        let ring_sizes = sw
            .iter()
            .map(|x| {
                acc += x / stot;
                acc
            })
            .collect();
        let est_people = cfg.records as f64 / 1.3;
        Gen {
            seed: cfg.seed,
            rd,
            nt,
            est_people,
            n_agencies: 11 + (cfg.records / 20_000) as u32,
            kinds,
            ring_sizes,
            ssn_key: mix(cfg.seed, D_SSN, 0),
        }
    }

    fn kind(&self, u: u64) -> Kind {
        if u == 0 {
            return Kind::Single;
        }
        let x: f64 = stream(self.seed, D_KIND, u).random();
        self.kinds
            .iter()
            .find(|(c, _)| x < *c)
            .map_or(Kind::Single, |(_, k)| *k)
    }

    fn unit(&self, u: u64) -> Unit {
        let kind = self.kind(u);
        let mut r = stream(self.seed, D_UNIT, u);
        let mut unit = Unit {
            kind,
            recs: Vec::new(),
            partial: false,
            agency: None,
            victim: None,
        };
        match kind {
            Kind::Single => {
                let p = self.person(&mut r, u, 0, None, None);
                unit.victim = self.legit(&mut r, p, u, 0, None, &mut unit.recs);
            }
            Kind::Household => self.household(&mut r, u, &mut unit.recs),
            Kind::Twins => self.twins(&mut r, u, &mut unit.recs),
            Kind::JrSr => self.jr_sr(&mut r, u, &mut unit.recs),
            Kind::FamilyPhone => self.family_phone(&mut r, u, &mut unit.recs),
            Kind::Agency => unit.agency = Some(self.agency_batch(&mut r, u, &mut unit.recs)),
            Kind::Ring => unit.partial = self.ring(&mut r, u, &mut unit.recs),
        }
        unit
    }

    /// A unique valid SSN for member `m` of unit `u` (a keyed permutation of the valid range).
    fn ssn(&self, u: u64, m: u64) -> [u16; 3] {
        const N: u64 = 898 * 99 * 9999;
        let x = if m < 64 {
            u * 64 + m
        } else {
            // members beyond 64 (large rings only) share a separate, hashed range
            let hi = MAX_RECORDS as u64 * 64;
            hi + mix(self.seed, D_SSN, u * 1_000 + m) % (N - hi)
        };
        let i = permute(x % N, N, self.ssn_key);
        let mut area = (i / (99 * 9999)) as u16 + 1;
        if area >= 666 {
            area += 1;
        }
        [area, ((i / 9999) % 99) as u16 + 1, (i % 9999) as u16 + 1]
    }

    fn phone(&self, r: &mut ChaCha8Rng, state: &str) -> Phone {
        Phone::new(r, self.rd, state, 0.18)
    }

    fn home_addr(&self, r: &mut ChaCha8Rng, place: Option<u32>) -> Address {
        let place = place.unwrap_or_else(|| self.rd.random_place(r));
        Address::home(r, place, &self.nt.common_surnames)
    }

    /// A personal mailbox; digits make it unique where the handle is common, as providers do.
    /// `shares` are the population shares of the given and the family name.
    fn email(
        &self,
        r: &mut ChaCha8Rng,
        given: &str,
        middle: Option<&str>,
        family: &str,
        dob: NaiveDate,
        shares: (f64, f64),
    ) -> String {
        let g = slug(given);
        let f = slug(family);
        let gi: String = g.chars().take(1).collect();
        let fi: String = f.chars().take(1).collect();
        let mi: String = middle
            .map(slug)
            .unwrap_or_default()
            .chars()
            .take(1)
            .collect();
        let dom = pick_str(r, EMAIL_DOMAINS);
        // share of an initial among names: about 1/12
        const INITIAL: f64 = 0.08;
        let (gs, fs) = shares;
        let (base, share) = match r.index(12) {
            0..=2 => (format!("{g}.{f}"), gs * fs),
            3 | 4 => (format!("{g}{f}"), gs * fs),
            5 => (format!("{gi}{f}"), INITIAL * fs),
            6 => (format!("{g}_{f}"), gs * fs),
            7 => (format!("{f}.{g}"), gs * fs),
            8 => (format!("{f}{gi}"), INITIAL * fs),
            9 => (
                format!("{g}{mi}{f}"),
                gs * fs * if mi.is_empty() { 1.0 } else { INITIAL },
            ),
            10 => (format!("{g}.{fi}"), gs * INITIAL),
            _ => (format!("{gi}.{f}"), INITIAL * fs),
        };
        // people of the file expected to want the same handle at the same provider
        let expected = share * self.est_people / 3.0;
        let yy = dob.year().rem_euclid(100);
        let digits = if expected < 0.003 && r.chance(0.6) {
            String::new()
        } else if expected < 0.05 {
            match r.index(3) {
                0 => format!("{yy:02}"),
                1 => dob.year().to_string(),
                _ => r.uint(1, 99).to_string(),
            }
        } else if expected < 2.0 {
            match r.index(3) {
                0 => format!("{yy:02}{}", r.uint(10, 999)),
                1 => format!("{}{}", dob.year(), r.uint(1, 99)),
                _ => r.uint(100, 9999).to_string(),
            }
        } else {
            r.uint(1_000, 999_999).to_string()
        };
        format!("{base}{digits}@{dom}")
    }

    /// A fresh legitimate-looking person; `place` pins the home, `sex` the sex.
    fn person(
        &self,
        r: &mut ChaCha8Rng,
        u: u64,
        m: u64,
        sex: Option<Sex>,
        place: Option<u32>,
    ) -> Person {
        let sex = sex.unwrap_or(if r.chance(0.5) {
            Sex::Male
        } else {
            Sex::Female
        });
        let (given, family) = self.nt.full(r, sex);
        let family = if r.chance(0.02) {
            // double-barrelled family names (Garcia-Lopez, Smith-Jones)
            let other = self.nt.surname(r);
            Part {
                text: format!("{}-{}", family.text, other.text),
                share: 1e-9,
            }
        } else {
            family
        };
        let middle = r.chance(0.72).then(|| self.nt.given(r, sex).text);
        // applicants aged 20–64 at a 2016–2026 application: born 1955–2004, mode in the 1990s
        let age_days =
            ((r.float(20.0, 34.0) + r.float(0.0, 16.0) + r.float(0.0, 8.0)) * 365.25) as i64;
        let dob = NaiveDate::from_ymd_opt(2022, 1, 1)
            .and_then(|d| d.checked_sub_days(chrono::Days::new(age_days as u64)))
            .unwrap_or_default();
        let addr = self.home_addr(r, place);
        let state = addr.state(self.rd).to_string();
        let mobile = self.phone(r, &state);
        let shares = (given.share, family.share);
        let email = self.email(r, &given.text, middle.as_deref(), &family.text, dob, shares);
        Person {
            sex,
            given: given.text,
            middle,
            family: family.text,
            maiden: None,
            suffix: None,
            dob,
            ssn: self.ssn(u, m),
            mobile,
            home: None,
            email,
            addr,
            bank: None,
            phone_style: r.index(PHONE_STYLES),
            long_suffix: r.chance(0.25),
            unit_style: r.index(5),
            shares,
        }
    }

    fn bank(r: &mut ChaCha8Rng) -> String {
        Bank::new(r).account.to_string()
    }

    /// Life between two records `years` apart: moves, new numbers, new mailboxes, marriage.
    fn life(&self, r: &mut ChaCha8Rng, p: &mut Person, years: f64, at: NaiveDate) {
        let happens = |r: &mut ChaCha8Rng, per_year: f64| r.chance(1.0 - (-per_year * years).exp());
        if happens(r, 0.12) {
            let place = if r.chance(0.6) {
                let st = p.addr.state(self.rd).to_string();
                self.rd.place_in_state(r, &st)
            } else {
                self.rd.random_place(r)
            };
            p.addr = self.home_addr(r, Some(place));
            if p.home.is_some() {
                let st = p.addr.state(self.rd).to_string();
                p.home = Some(self.phone(r, &st));
            }
        }
        if happens(r, 0.05) {
            let st = p.addr.state(self.rd).to_string();
            p.mobile = self.phone(r, &st);
        }
        let age = (at - p.dob).num_days() as f64 / 365.25;
        let marries = p.sex == Sex::Female
            && p.maiden.is_none()
            && p.suffix.is_none()
            && (22.0..42.0).contains(&age)
            && happens(r, 0.035);
        if marries {
            let new = if r.chance(0.9) {
                self.nt.surname(r).text
            } else {
                self.nt.rare_surname(r).text
            };
            let old = std::mem::replace(&mut p.family, new.clone());
            if r.chance(0.15) {
                p.family = format!("{old}-{new}");
            }
            p.maiden = Some(old);
        }
        if marries && r.chance(0.5) || happens(r, 0.07) {
            let middle = p.middle.clone();
            p.email = self.email(r, &p.given, middle.as_deref(), &p.family, p.dob, p.shares);
        }
    }

    /// Writes the records of a legitimate person; returns the identity as it appears clean on
    /// one of them (for a ring to steal), if any record shows it clean.
    fn legit(
        &self,
        r: &mut ChaCha8Rng,
        mut p: Person,
        u: u64,
        m: u64,
        agency: Option<(u32, &Agency)>,
        out: &mut Vec<Rec>,
    ) -> Option<Victim> {
        let apps = 1 + draw_dist(r, &APPLICATIONS_DIST);
        let employee = r.chance(EMPLOYEE_SHARE);
        let hire_after = r.index(apps);
        let rehire = employee && r.chance(REHIRE_SHARE);
        let agency_app = agency.map(|_| r.index(apps));
        let mut plan: Vec<(Source, f64)> = Vec::new();
        let mut t = r.float(2016.0, 2026.4);
        for i in 0..apps {
            if i > 0 {
                t += if r.chance(ATS_DUPLICATE_SHARE) {
                    r.float(0.0, 3.0) / 365.0
                } else {
                    (r.float(14f64.ln(), 1800f64.ln())).exp() / 365.0
                };
            }
            let src = if agency_app == Some(i) {
                Source::Agency
            } else {
                Source::Application
            };
            plan.push((src, t));
            if employee && i == hire_after {
                plan.push((Source::Employee, t + r.float(20.0, 90.0) / 365.0));
                if rehire {
                    plan.push((Source::Employee, t + r.float(1.5, 6.0)));
                }
            }
        }
        plan.sort_by(|a, b| a.1.total_cmp(&b.1));
        let first = p.clone();
        let cluster = u * 1_000 + m;
        let mut victim = None;
        let mut last_t = plan.first().map_or(t, |x| x.1);
        let mut employed = false;
        for (src, t) in plan {
            self.life(r, &mut p, (t - last_t).max(0.0), year_date(t));
            last_t = t;
            let mut bank_changed = false;
            if src == Source::Employee {
                if p.bank.is_none() {
                    p.bank = Some(Self::bank(r));
                } else if employed && r.chance(0.4) {
                    p.bank = Some(Self::bank(r));
                    bank_changed = true;
                }
                employed = true;
            }
            let mut ov = Over::default();
            if let (Source::Agency, Some((_, a))) = (src, agency) {
                let (remail, rphone) = a
                    .recruiters
                    .get(r.index(a.recruiters.len()))
                    .cloned()
                    .unwrap_or_else(|| (String::new(), a.main));
                match r.index(10) {
                    0..=5 => ov.phone = Some((rphone, flag("phone_agency"))),
                    6 | 7 => ov.phone = Some((a.main, flag("phone_agency"))),
                    _ => {}
                }
                if r.chance(0.35) && !remail.is_empty() {
                    ov.email = Some((remail, flag("email_agency")));
                }
                if r.chance(0.1) {
                    ov.addr = Some((a.office.clone(), flag("address_agency")));
                }
            }
            let (mut rec, clean) = self.render(r, &p, &first, src, &ov, src == Source::Employee);
            if bank_changed {
                rec.1 |= flag("bank_changed");
            }
            if clean && victim.is_none() {
                victim = Some(Victim {
                    sex: p.sex,
                    given: p.given.clone(),
                    family: p.family.clone(),
                    dob: p.dob,
                    ssn: p.ssn,
                });
            }
            out.push(Rec {
                f: rec.0,
                cluster,
                legit: true,
                ring: 0,
                role: Role::None,
                source: src,
                flags: rec.1,
            });
        }
        victim
    }

    /// Renders one record of `p` (`first` is the person at their first record, for change flags).
    /// Returns the fields with their flags, and whether name, date of birth and SSN appear
    /// present and uncorrupted.
    fn render(
        &self,
        r: &mut ChaCha8Rng,
        p: &Person,
        first: &Person,
        src: Source,
        ov: &Over,
        with_bank: bool,
    ) -> (([String; 11], u64), bool) {
        let mut fl = 0u64;
        let careful = ov.careful;
        let (typo_first, typo_last, nick, swap, dob_missing, dob_typo_p, us_date) = match src {
            Source::Application => (0.015, 0.02, 0.10, 0.006, 0.02, 0.015, 0.35),
            Source::Agency => (0.03, 0.035, 0.12, 0.015, 0.04, 0.03, 0.7),
            Source::Employee => (0.004, 0.005, 0.02, 0.002, 0.002, 0.005, 0.1),
        };
        let case = match r.index(1000) {
            0..=29 => Case::Upper,
            30..=44 => Case::Lower,
            _ if src == Source::Agency && r.chance(0.08) => Case::Upper,
            _ => Case::AsIs,
        };
        if case != Case::AsIs {
            fl |= flag("upper_or_lower_case");
        }
        let mut clean = true;
        // first name
        let mut first_name = p.given.clone();
        if !careful
            && r.chance(nick)
            && let Some(n) = nickname(r, &p.given)
        {
            first_name = n.to_string();
            fl |= flag("nickname");
            clean = false;
        }
        if let Some(mid) = &p.middle
            && !careful
            && r.chance(if src == Source::Employee { 0.06 } else { 0.03 })
        {
            let init: String = mid.chars().take(1).collect();
            first_name = if r.chance(0.2) {
                format!("{first_name} {init}.")
            } else {
                format!("{first_name} {init}")
            };
            fl |= flag("middle_initial_in_first_name");
            clean = false;
        }
        if !careful && r.chance(typo_first) {
            first_name = typo(r, &first_name);
            fl |= flag("first_name_typo");
            clean = false;
        }
        // last name
        let mut last = p.family.clone();
        if let Some(maiden) = &p.maiden
            && r.chance(0.12)
        {
            // an old document or profile still under the maiden name
            last = maiden.clone();
            clean = false;
        }
        if last.contains('-') && !careful && r.chance(0.35) {
            let mut parts = last.split('-');
            let a = parts.next().unwrap_or("").to_string();
            let b = parts.next().unwrap_or("").to_string();
            last = match r.index(3) {
                0 => a,
                1 => format!("{a} {b}"),
                _ => b,
            };
            fl |= flag("hyphenated_name_variant");
            clean = false;
        }
        if let Some(sfx) = p.suffix
            && r.chance(0.3)
        {
            last = if r.chance(0.3) {
                format!("{last}, {sfx}.")
            } else {
                format!("{last} {sfx}")
            };
            fl |= flag("name_suffix");
            clean = false;
        }
        if !careful && r.chance(typo_last) {
            last = typo(r, &last);
            fl |= flag("last_name_typo");
            clean = false;
        }
        if last != first.family && p.maiden.is_some() {
            fl |= flag("married_name");
        }
        if !careful && r.chance(swap) {
            std::mem::swap(&mut first_name, &mut last);
            fl |= flag("given_family_swapped");
            clean = false;
        }
        // date of birth
        let dob = if !careful && r.chance(dob_missing) {
            fl |= flag("dob_missing");
            clean = false;
            String::new()
        } else {
            let mut d = p.dob;
            if !careful
                && r.chance(dob_typo_p)
                && let Some((t, kind)) = dob_typo(r, d)
            {
                d = t;
                clean = false;
                fl |= flag(match kind {
                    render::DobTypo::Transpose => "dob_digit_transposed",
                    render::DobTypo::DayMonthSwap => "dob_day_month_swapped",
                    render::DobTypo::OffByOne => "dob_off_by_one_day",
                    render::DobTypo::Year => "dob_year_typo",
                });
            }
            let us = r.chance(us_date);
            if us {
                fl |= flag("dob_us_format");
            }
            fmt_date(d, us)
        };
        // email
        let email = if let Some((e, f)) = &ov.email {
            fl |= f;
            e.clone()
        } else if !careful
            && r.chance(match src {
                Source::Application => 0.03,
                Source::Agency => 0.10,
                Source::Employee => 0.15,
            })
        {
            fl |= flag("email_missing");
            String::new()
        } else {
            let mut e = p.email.clone();
            if e != first.email {
                fl |= flag("email_changed");
            }
            if let Some((h, d)) = e.split_once('@')
                && d == "gmail.com"
                && r.chance(0.05)
            {
                let h = if r.chance(0.5) && !h.contains('+') {
                    format!("{h}+{}", pick_str(r, PLUS_TAGS))
                } else if h.contains('.') {
                    h.replace('.', "")
                } else {
                    let cut = h.len().min(r.uint(1, 4) as usize);
                    format!("{}.{}", &h[..cut], &h[cut..])
                };
                e = format!("{h}@{d}");
                fl |= flag("email_gmail_variant");
            }
            if r.chance(0.04) {
                e = capitalise_email(&e);
                fl |= flag("email_case");
            }
            e
        };
        // phone
        let phone = if let Some((ph, f)) = &ov.phone {
            fl |= f;
            fmt_phone(ph, self.style(r, p))
        } else if r.chance(0.02) {
            fl |= flag("phone_missing");
            String::new()
        } else {
            let mut ph = p.mobile;
            if let Some(h) = p.home
                && r.chance(0.35)
            {
                ph = h;
                fl |= flag("phone_home");
            }
            if ph != first.mobile && Some(ph) != first.home {
                fl |= flag("phone_changed");
            }
            if r.chance(if src == Source::Agency { 0.01 } else { 0.004 }) {
                ph = phone_typo(r, &ph);
                fl |= flag("phone_typo");
            }
            fmt_phone(&ph, self.style(r, p))
        };
        // address
        let (addr, af) = match &ov.addr {
            Some((a, f)) => (a, *f),
            None => (&p.addr, 0),
        };
        fl |= af;
        let (street, city, state, zip) = if r.chance(match src {
            Source::Application => 0.02,
            Source::Agency => 0.06,
            Source::Employee => 0.005,
        }) {
            fl |= flag("address_missing");
            Default::default()
        } else {
            if af == 0 && *addr != first.addr {
                fl |= flag("address_moved");
            }
            let long = p.long_suffix ^ r.chance(0.12);
            if long {
                fl |= flag("street_suffix_spelled_out");
            }
            let unit_style = if r.chance(0.7) {
                p.unit_style
            } else {
                r.index(5)
            };
            let mut a2 = addr.clone();
            if a2.unit.is_some() && a2.kind == render::AddrKind::Home && r.chance(0.08) {
                a2.unit = None;
                fl |= flag("unit_omitted");
            }
            let mut street = a2.street_line(r, long, unit_style);
            if r.chance(0.01) {
                street = typo(r, &street);
                fl |= flag("street_typo");
            }
            let mut city = addr.city(self.rd).to_string();
            if r.chance(0.007) {
                city = typo(r, &city);
                fl |= flag("city_typo");
            }
            let mut zip = addr.zip(self.rd).to_string();
            if r.chance(if src == Source::Employee { 0.15 } else { 0.03 }) {
                zip = format!("{zip}-{:04}", r.uint(1, 9999));
                fl |= flag("zip_plus4");
            }
            if zip.starts_with('0') && r.chance(if src == Source::Agency { 0.25 } else { 0.04 }) {
                zip.remove(0);
                fl |= flag("zip_leading_zero_lost");
            }
            if r.chance(0.005) {
                let mut b: Vec<u8> = zip.bytes().collect();
                let i = r.index(b.len().min(5));
                if let Some(c) = b.get_mut(i)
                    && c.is_ascii_digit()
                {
                    *c = b'0' + ((*c - b'0' + r.uint(1, 9) as u8) % 10);
                }
                zip = String::from_utf8(b).unwrap_or_default();
                fl |= flag("zip_typo");
            }
            let state = addr.state(self.rd).to_string();
            (street, city, state, zip)
        };
        // SSN
        let present = match src {
            _ if careful => 1.0,
            Source::Application => 0.55,
            Source::Agency => 0.30,
            Source::Employee => 0.98,
        };
        let ssn = if r.chance(present) {
            let mut s = p.ssn;
            if !careful
                && r.chance(match src {
                    Source::Application => 0.015,
                    Source::Agency => 0.025,
                    Source::Employee => 0.004,
                })
            {
                s = ssn_typo(r, s);
                fl |= flag("ssn_typo");
                clean = false;
            }
            if src != Source::Employee && !careful && r.chance(0.03) {
                fl |= flag("ssn_masked");
                clean = false;
                format!("***-**-{:04}", s[2])
            } else {
                let style = match r.index(20) {
                    0..=10 => 0,
                    11..=18 => 1,
                    _ => 2,
                };
                if style != 0 {
                    fl |= flag("ssn_undashed");
                }
                fmt_ssn(s, style)
            }
        } else {
            fl |= flag("ssn_missing");
            clean = false;
            String::new()
        };
        // bank account
        let bank = match (&ov.bank, with_bank) {
            (Some((b, f)), true) => {
                fl |= f | flag("bank_present");
                b.clone()
            }
            (None, true) if r.chance(0.97) => match &p.bank {
                Some(b) => {
                    fl |= flag("bank_present");
                    b.clone()
                }
                None => String::new(),
            },
            _ => String::new(),
        };
        let fields = [
            cased(first_name, case),
            cased(last, case),
            dob,
            email,
            phone,
            cased(street, case),
            cased(city, case),
            if r.chance(0.02) {
                state.to_lowercase()
            } else {
                state
            },
            zip,
            ssn,
            bank,
        ];
        ((fields, fl), clean)
    }

    fn style(&self, r: &mut ChaCha8Rng, p: &Person) -> usize {
        if r.chance(0.7) {
            p.phone_style
        } else {
            r.index(PHONE_STYLES)
        }
    }

    // ---------------------------------------------------------------------------------------
    // Hard-negative groups
    // ---------------------------------------------------------------------------------------

    /// Couples and roommates at one address, maybe a joint bank account and a home phone.
    fn household(&self, r: &mut ChaCha8Rng, u: u64, out: &mut Vec<Rec>) {
        let n = match r.index(20) {
            0..=16 => 2,
            17 | 18 => 3,
            _ => 4,
        };
        let first = self.person(r, u, 0, None, None);
        let couple = n == 2 && r.chance(0.8);
        let home = r
            .chance(0.25)
            .then(|| self.phone(r, first.addr.state(self.rd)));
        let joint = (couple && r.chance(0.4)).then(|| Self::bank(r));
        let mut people = vec![first];
        for m in 1..n {
            let sex = couple.then(|| match people[0].sex {
                Sex::Male if r.chance(0.9) => Sex::Female,
                Sex::Female if r.chance(0.9) => Sex::Male,
                s => s,
            });
            let mut p = self.person(r, u, m, sex, Some(people[0].addr.place));
            p.addr = people[0].addr.clone();
            if couple && r.chance(0.55) {
                p.family = people[0].family.clone();
            }
            if couple {
                // partners are close in age
                p.dob = shift_days(people[0].dob, r.int(-2_500, 2_500));
            }
            people.push(p);
        }
        for (m, mut p) in people.into_iter().enumerate() {
            p.home = home;
            if joint.is_some() {
                p.bank = joint.clone();
            }
            self.legit(r, p, u, m as u64, None, out);
        }
    }

    /// Twins: same family name, date of birth, often the same home and home phone; different
    /// given names and SSNs (often consecutive, as issued at birth).
    fn twins(&self, r: &mut ChaCha8Rng, u: u64, out: &mut Vec<Rec>) {
        let a = self.person(r, u, 0, None, None);
        let mut b = self.person(r, u, 1, None, None);
        b.family = a.family.clone();
        b.dob = a.dob;
        if r.chance(0.6) {
            b.addr = a.addr.clone();
        } else {
            let st = a.addr.state(self.rd).to_string();
            let place = self.rd.place_in_state(r, &st);
            b.addr = self.home_addr(r, Some(place));
        }
        if r.chance(0.3) {
            // alliterative twin names (Aaron and Adam)
            for _ in 0..20 {
                let g = self.nt.given(r, b.sex).text;
                if g.chars().next() == a.given.chars().next() && g != a.given {
                    b.given = g;
                    break;
                }
            }
        }
        if b.given == a.given {
            b.given = self.nt.given(r, b.sex).text;
        }
        if r.chance(0.5) && a.ssn[2] < 9999 {
            b.ssn = [a.ssn[0], a.ssn[1], a.ssn[2] + 1];
        }
        let home = r.chance(0.2).then(|| self.phone(r, a.addr.state(self.rd)));
        let middle = b.middle.clone();
        b.email = self.email(r, &b.given, middle.as_deref(), &b.family, b.dob, b.shares);
        for (m, mut p) in [a, b].into_iter().enumerate() {
            p.home = home;
            self.legit(r, p, u, m as u64, None, out);
        }
    }

    /// Father and son with the same name: same address and home phone often, different dates of
    /// birth and SSNs; the suffix appears on some records only.
    fn jr_sr(&self, r: &mut ChaCha8Rng, u: u64, out: &mut Vec<Rec>) {
        let mut son = self.person(r, u, 0, Some(Sex::Male), None);
        let mut dad = self.person(r, u, 1, Some(Sex::Male), Some(son.addr.place));
        // son born 1978–2005, father 20–40 years earlier
        let son_age = r.float(20.0, 44.0);
        son.dob = shift_days(
            NaiveDate::from_ymd_opt(2022, 1, 1).unwrap_or_default(),
            -(son_age * 365.25) as i64,
        );
        dad.dob = shift_days(son.dob, -(r.float(20.0, 40.0) * 365.25) as i64);
        dad.given = son.given.clone();
        dad.family = son.family.clone();
        if r.chance(0.6) {
            dad.middle = son.middle.clone();
        }
        if r.chance(0.45) {
            dad.addr = son.addr.clone();
        }
        son.suffix = Some(if r.chance(0.85) { "Jr" } else { "II" });
        if r.chance(0.5) {
            dad.suffix = Some("Sr");
        }
        let home = r
            .chance(0.25)
            .then(|| self.phone(r, dad.addr.state(self.rd)));
        for p in [&mut son, &mut dad] {
            let middle = p.middle.clone();
            p.email = self.email(r, &p.given, middle.as_deref(), &p.family, p.dob, p.shares);
        }
        for (m, mut p) in [son, dad].into_iter().enumerate() {
            p.home = home;
            self.legit(r, p, u, m as u64, None, out);
        }
    }

    /// A parent and adult children, or siblings, giving one family phone.
    fn family_phone(&self, r: &mut ChaCha8Rng, u: u64, out: &mut Vec<Rec>) {
        let n = match r.index(10) {
            0..=4 => 2,
            5..=8 => 3,
            _ => 4,
        };
        let head = self.person(r, u, 0, None, None);
        let phone = head.mobile;
        let mut people = vec![head];
        for m in 1..n {
            let mut p = self.person(r, u, m, None, Some(people[0].addr.place));
            if r.chance(0.9) {
                p.family = people[0].family.clone();
            }
            if r.chance(0.7) {
                p.addr = people[0].addr.clone();
            }
            let middle = p.middle.clone();
            p.email = self.email(r, &p.given, middle.as_deref(), &p.family, p.dob, p.shares);
            p.mobile = phone;
            people.push(p);
        }
        for (m, p) in people.into_iter().enumerate() {
            self.legit(r, p, u, m as u64, None, out);
        }
    }

    fn agency(&self, k: u32) -> Agency {
        let mut r = stream(self.seed, D_AGENCY, u64::from(k));
        let named: Vec<&(&str, &str)> = AGENCIES.iter().chain(RECRUITERS.iter()).collect();
        let domain = match named.get(k as usize) {
            Some((_, d)) => (*d).to_string(),
            None => {
                let w = pick_str(&mut r, AGENCY_WORDS);
                let kind = pick_str(&mut r, AGENCY_KINDS);
                format!("{}{}{}.com", slug(w), slug(kind), r.uint(1, 99))
            }
        };
        let place = self.rd.random_place(&mut r);
        let office = Address::home(&mut r, place, &self.nt.common_surnames);
        let state = office.state(self.rd).to_string();
        let main = Phone::new(&mut r, self.rd, &state, 0.0);
        let n = r.uint(3, 15);
        let recruiters = (0..n)
            .map(|_| {
                let sex = if r.chance(0.6) {
                    Sex::Female
                } else {
                    Sex::Male
                };
                let (g, f) = self.nt.full(&mut r, sex);
                let email = match r.index(3) {
                    0 => format!("{}.{}@{domain}", slug(&g.text), slug(&f.text)),
                    1 => format!(
                        "{}{}@{domain}",
                        slug(&g.text).chars().take(1).collect::<String>(),
                        slug(&f.text)
                    ),
                    _ => format!("submissions@{domain}"),
                };
                let mut ph = main;
                ph.line = r.uint(0, 9999) as u16;
                (email, ph)
            })
            .collect();
        Agency {
            main,
            recruiters,
            office,
        }
    }

    /// A batch of candidates one agency submitted (records carry its recruiters' contacts).
    fn agency_batch(&self, r: &mut ChaCha8Rng, u: u64, out: &mut Vec<Rec>) -> u32 {
        // bigger agencies submit more often: log-uniform index
        let k = ((f64::from(self.n_agencies) + 1.0).powf(r.random::<f64>()) - 1.0) as u32;
        let k = k.min(self.n_agencies.saturating_sub(1));
        let a = self.agency(k);
        let n = r.float(3f64.ln(), 41f64.ln()).exp() as u64;
        for m in 0..n.clamp(3, 40) {
            let p = self.person(r, u, m, None, None);
            self.legit(r, p, u, m, Some((k, &a)), out);
        }
        k
    }

    // ---------------------------------------------------------------------------------------
    // Rings
    // ---------------------------------------------------------------------------------------

    /// A victim for a stolen identity: a single legitimate person of an earlier unit whose
    /// identity shows clean on one of their records.
    fn victim(&self, r: &mut ChaCha8Rng, u: u64) -> Option<Victim> {
        if u < 2 {
            return None;
        }
        for _ in 0..40 {
            let v = r.random_range(0..u);
            if self.kind(v) != Kind::Single {
                continue;
            }
            if let Some(vic) = self.unit(v).victim {
                return Some(vic);
            }
        }
        None
    }

    /// A ring: identities sharing a facilitator's phone, address, bank account and email
    /// pattern (or only one of them). Returns whether the ring is partial.
    fn ring(&self, r: &mut ChaCha8Rng, u: u64, out: &mut Vec<Rec>) -> bool {
        let size = if r.chance(LARGE_RING_SHARE) {
            r.uint(50, 150) as u64
        } else {
            let x: f64 = r.random();
            2 + self.ring_sizes.iter().position(|c| x < *c).unwrap_or(18) as u64
        };
        let place = self.rd.random_place(r);
        let addr = if r.chance(0.3) {
            Address::mail_drop(r, place, &self.nt.common_surnames)
        } else {
            Address::home(r, place, &self.nt.common_surnames)
        };
        let state = addr.state(self.rd).to_string();
        let n_phones = 1 + usize::from(r.chance(0.4)) + usize::from(size > 10 && r.chance(0.5));
        let phones = (0..n_phones).map(|_| self.phone(r, &state)).collect();
        let n_banks = 1 + usize::from(r.chance(0.35)) + usize::from(size > 10 && r.chance(0.5));
        let banks = (0..n_banks).map(|_| Self::bank(r)).collect();
        let email_style = match r.index(20) {
            0..=7 => 0u8,
            8..=14 => 1,
            _ => 2,
        };
        let domain = format!(
            "{}{}.{}",
            pick_str(r, DOMAIN_WORDS),
            pick_str(r, DOMAIN_WORDS),
            pick_str(r, &["com", "tech", "io", "dev", "net"])
        );
        let partial = r.chance(PARTIAL_RING_SHARE);
        let mut usage = RING_USE;
        if email_style == 0 {
            usage[3] = 0.0;
        }
        if partial {
            let keep = if email_style == 0 {
                r.index(3)
            } else {
                r.index(4)
            };
            for (i, x) in usage.iter_mut().enumerate() {
                *x = if i == keep { 0.85 } else { 0.0 };
            }
        }
        let ring = Ring {
            phones,
            addr,
            banks,
            email_style,
            tag: pick_str(r, RING_TAGS),
            domain,
            usage,
        };
        let facilitator = r.chance(FACILITATOR_APPLIES_SHARE);
        for j in 0..size {
            let role = if j == 0 && facilitator {
                Role::Facilitator
            } else if r.chance(STOLEN_SHARE) {
                Role::Stolen
            } else {
                Role::Identity
            };
            self.ring_identity(r, u, j, role, &ring, out);
        }
        partial
    }

    fn ring_identity(
        &self,
        r: &mut ChaCha8Rng,
        u: u64,
        j: u64,
        mut role: Role,
        ring: &Ring,
        out: &mut Vec<Rec>,
    ) {
        let mut p = self.person(r, u, j, None, None);
        // claimed ages of remote developers: 24–42
        p.dob = shift_days(
            NaiveDate::from_ymd_opt(2024, 6, 1).unwrap_or_default(),
            -(r.float(24.0, 42.0) * 365.25) as i64,
        );
        let mut careful = false;
        if role == Role::Stolen {
            match self.victim(r, u) {
                Some(v) => {
                    p.sex = v.sex;
                    p.given = v.given;
                    p.family = v.family;
                    p.dob = v.dob;
                    p.ssn = v.ssn;
                    p.middle = None;
                    // a new mailbox in the victim's name
                    p.email = self.email(r, &p.given, None, &p.family, p.dob, p.shares);
                    careful = true;
                }
                None => role = Role::Identity,
            }
        } else if role == Role::Identity && r.chance(INVALID_SSN_SHARE) {
            match r.index(4) {
                0 => p.ssn[0] = r.uint(900, 999) as u16,
                1 => p.ssn[0] = 666,
                2 => p.ssn[0] = 0,
                _ => p.ssn[1] = 0,
            }
        }
        if role == Role::Facilitator {
            // the facilitator is a real local: older, lives at the farm address
            p.dob = shift_days(p.dob, -(r.float(5.0, 25.0) * 365.25) as i64);
            p.addr = ring.addr.clone();
            p.mobile = ring.phones.first().copied().unwrap_or(p.mobile);
        }
        let g = slug(&p.given);
        let f = slug(&p.family);
        let ring_email = match ring.email_style {
            1 => Some(match r.index(3) {
                0 => format!(
                    "{g}{f}{}{:02}@{}",
                    ring.tag,
                    j + 1,
                    pick_str(r, &["gmail.com", "outlook.com"])
                ),
                1 => format!(
                    "{g}.{}{:02}@{}",
                    ring.tag,
                    j + 1,
                    pick_str(r, &["gmail.com", "outlook.com"])
                ),
                _ => format!("{}{}{:02}@gmail.com", ring.tag, f, j + 1),
            }),
            2 => Some(format!("{g}.{f}@{}", ring.domain)),
            _ => None,
        };
        let apps = 1 + draw_dist(r, &RING_APPLICATIONS_DIST);
        let employee = r.chance(RING_EMPLOYEE_SHARE);
        let hire_after = r.index(apps);
        let own_bank = Self::bank(r);
        p.bank = Some(own_bank);
        let first = p.clone();
        let cluster = u * 1_000 + j;
        let mut plan = Vec::new();
        for i in 0..apps {
            plan.push(Source::Application);
            if employee && i == hire_after {
                plan.push(Source::Employee);
            }
        }
        for src in plan {
            let mut ov = Over {
                careful,
                ..Over::default()
            };
            if r.chance(ring.usage[0])
                && let Some(ph) = ring.phones.get(r.index(ring.phones.len()))
            {
                ov.phone = Some((*ph, flag("ring_phone")));
            }
            if r.chance(ring.usage[1]) {
                ov.addr = Some((ring.addr.clone(), flag("ring_address")));
            }
            if r.chance(ring.usage[2])
                && let Some(b) = ring.banks.get(r.index(ring.banks.len()))
            {
                ov.bank = Some((b.clone(), flag("ring_bank")));
            }
            if let Some(e) = &ring_email
                && r.chance(ring.usage[3])
            {
                ov.email = Some((e.clone(), flag("ring_email_pattern")));
            }
            let ((f, fl), _) = self.render(r, &p, &first, src, &ov, src == Source::Employee);
            out.push(Rec {
                f,
                cluster,
                legit: false,
                ring: u,
                role,
                source: src,
                flags: fl,
            });
        }
    }
}

fn shift_days(d: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        d.checked_add_days(chrono::Days::new(days as u64))
    } else {
        d.checked_sub_days(chrono::Days::new(days.unsigned_abs()))
    }
    .unwrap_or(d)
}

/// The date of a fractional year (2021.5 -> 2021-07-02).
fn year_date(t: f64) -> NaiveDate {
    let y = t.floor() as i32;
    let d = ((t - t.floor()) * 365.0) as u64;
    NaiveDate::from_ymd_opt(y, 1, 1)
        .and_then(|x| x.checked_add_days(chrono::Days::new(d)))
        .unwrap_or_default()
}

/// Index drawn from a discrete distribution (the last index takes any rounding remainder).
fn draw_dist(r: &mut ChaCha8Rng, p: &[f64]) -> usize {
    let mut x: f64 = r.random();
    for (i, w) in p.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    p.len().saturating_sub(1)
}

/// `John.Smith@Gmail.com`-style capitalisation.
fn capitalise_email(e: &str) -> String {
    let mut out = String::with_capacity(e.len());
    let mut up = true;
    for c in e.chars() {
        if up {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        up = matches!(c, '.' | '@' | '_');
    }
    out
}

/// A keyed bijection of `0..n` (4-round Feistel on the smallest even number of bits that holds
/// `n`, with cycle walking).
fn permute(x: u64, n: u64, key: u64) -> u64 {
    if n <= 1 {
        return 0;
    }
    let bits = (64 - (n - 1).leading_zeros()).max(2).next_multiple_of(2);
    let half = bits / 2;
    let mask = (1u64 << half) - 1;
    let round = |v: u64| -> u64 {
        let (mut l, mut r) = (v >> half, v & mask);
        for k in 0..4u64 {
            let f = mix(key, k, r) & mask;
            let nl = r;
            r = l ^ f;
            l = nl;
        }
        (l << half) | r
    };
    // the domain is at most 4n, so a walk leaves it rarely and briefly
    let mut v = x % n;
    for _ in 0..10_000 {
        v = round(v);
        if v < n {
            return v;
        }
    }
    x % n
}

// ------------------------------------------------------------------------------------------
// Spool: bounded-memory global shuffle
// ------------------------------------------------------------------------------------------

struct Spool {
    dir: PathBuf,
    buckets: Vec<csv::Writer<BufWriter<File>>>,
    rng: ChaCha8Rng,
    seed: u64,
}

impl Spool {
    fn create(out: &Path, records: usize, seed: u64) -> Result<Self, SynthError> {
        let dir = out.join(".spool");
        std::fs::create_dir_all(&dir).map_err(|e| io_err(&dir, e))?;
        let n = records.div_ceil(BUCKET_RECORDS).max(1);
        let mut buckets = Vec::with_capacity(n);
        for b in 0..n {
            let path = dir.join(format!("bucket-{b:05}.csv"));
            let f = File::create(&path).map_err(|e| io_err(&path, e))?;
            buckets.push(
                csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(BufWriter::with_capacity(1 << 16, f)),
            );
        }
        Ok(Spool {
            dir,
            buckets,
            rng: stream(seed, D_BUCKET, 0),
            seed,
        })
    }

    fn push(&mut self, rec: &Rec) -> Result<(), SynthError> {
        let b = self.rng.index(self.buckets.len());
        let path = self.dir.join(format!("bucket-{b:05}.csv"));
        let w = self
            .buckets
            .get_mut(b)
            .ok_or_else(|| SynthError::Internal("spool bucket out of range".into()))?;
        let cluster = rec.cluster.to_string();
        let ring = if rec.ring == 0 && rec.legit {
            String::new()
        } else {
            rec.ring.to_string()
        };
        let legit = if rec.legit { "1" } else { "0" };
        let mut row: Vec<&str> = vec![&cluster, legit, &ring, rec.role.as_str()];
        row.extend(rec.f.iter().map(String::as_str));
        w.write_record(&row).map_err(|e| csv_err(&path, e))
    }

    fn finish(self, out: &Path) -> Result<(), SynthError> {
        let Spool {
            dir, buckets, seed, ..
        } = self;
        let n = buckets.len();
        for (b, w) in buckets.into_iter().enumerate() {
            let path = dir.join(format!("bucket-{b:05}.csv"));
            let mut inner = w
                .into_inner()
                .map_err(|e| io_err(&path, std::io::Error::other(e.to_string())))?;
            inner.flush().map_err(|e| io_err(&path, e))?;
        }
        let open = |name: &str| -> Result<csv::Writer<BufWriter<File>>, SynthError> {
            let path = out.join(name);
            let f = File::create(&path).map_err(|e| io_err(&path, e))?;
            Ok(csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(BufWriter::with_capacity(1 << 16, f)))
        };
        let mut records = open("records.csv")?;
        let mut truth = open("truth.csv")?;
        let mut legit = open("truth_legit.csv")?;
        let mut rings = open("rings.csv")?;
        let wr = |w: &mut csv::Writer<BufWriter<File>>, name: &str, row: &[&str]| {
            w.write_record(row).map_err(|e| csv_err(&out.join(name), e))
        };
        wr(&mut records, "records.csv", &APPLICANT_HEADER)?;
        wr(&mut truth, "truth.csv", &["record_id", "cluster_id"])?;
        wr(&mut legit, "truth_legit.csv", &["record_id", "cluster_id"])?;
        wr(&mut rings, "rings.csv", &["record_id", "ring_id", "role"])?;
        let mut id = 0u64;
        for b in 0..n {
            let path = dir.join(format!("bucket-{b:05}.csv"));
            let f = File::open(&path).map_err(|e| io_err(&path, e))?;
            let mut rd = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(false)
                .from_reader(BufReader::with_capacity(1 << 16, f));
            let mut rows: Vec<csv::StringRecord> = Vec::new();
            for row in rd.records() {
                rows.push(row.map_err(|e| csv_err(&path, e))?);
            }
            rows.shuffle(&mut stream(seed, D_SHUFFLE, b as u64));
            for row in &rows {
                let sid = id.to_string();
                id += 1;
                let cluster = row.get(0).unwrap_or("");
                let is_legit = row.get(1) == Some("1");
                let mut rec: Vec<&str> = vec![&sid];
                rec.extend(row.iter().skip(4));
                wr(&mut records, "records.csv", &rec)?;
                wr(&mut truth, "truth.csv", &[&sid, cluster])?;
                if is_legit {
                    wr(&mut legit, "truth_legit.csv", &[&sid, cluster])?;
                } else {
                    let ring = row.get(2).unwrap_or("");
                    let role = row.get(3).unwrap_or("");
                    wr(&mut rings, "rings.csv", &[&sid, ring, role])?;
                }
            }
            drop(rows);
            std::fs::remove_file(&path).map_err(|e| io_err(&path, e))?;
        }
        for (name, w) in [
            ("records.csv", records),
            ("truth.csv", truth),
            ("truth_legit.csv", legit),
            ("rings.csv", rings),
        ] {
            let path = out.join(name);
            let mut inner = w
                .into_inner()
                .map_err(|e| io_err(&path, std::io::Error::other(e.to_string())))?;
            inner.flush().map_err(|e| io_err(&path, e))?;
        }
        std::fs::remove_dir(&dir).map_err(|e| io_err(&dir, e))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permutation_is_a_bijection_on_a_small_range() {
        let n = 5_003;
        let mut seen = vec![false; n as usize];
        for x in 0..n {
            let y = permute(x, n, 42);
            assert!(y < n);
            assert!(!seen[y as usize]);
            seen[y as usize] = true;
        }
    }

    #[test]
    fn ssns_are_valid_and_distinct() {
        let rd = RefData::load().unwrap();
        let nt = NameTables::load().unwrap();
        let g = Gen::new(&ApplicantConfig::new("x"), &rd, &nt);
        let mut seen = std::collections::HashSet::new();
        for u in 0..3_000 {
            for m in 0..4 {
                let s = g.ssn(u, m);
                assert!(s[0] >= 1 && s[0] <= 899 && s[0] != 666, "{s:?}");
                assert!(s[1] >= 1 && s[1] <= 99 && s[2] >= 1 && s[2] <= 9999);
                assert!(seen.insert(s));
            }
        }
    }

    #[test]
    fn small_rings_average_a_few_identities() {
        let m = small_ring_mean();
        assert!((3.0..7.0).contains(&m), "{m}");
    }

    #[test]
    fn capitalised_emails() {
        assert_eq!(
            capitalise_email("john.smith@gmail.com"),
            "John.Smith@Gmail.Com"
        );
    }
}
