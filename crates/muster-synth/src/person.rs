//! Generation of one person: HR record, accounts, devices, and every event of the window,
//! streamed to the table writers as it is produced.

use std::collections::HashSet;
use std::path::Path;

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::catalog::{
    ACTIVITY_KINDS_ENG, ACTIVITY_KINDS_OTHER, AGENCIES, APPROVED_RMM, CAFE_SSIDS, CONSUMER_VPNS,
    EMAIL_DOMAINS, ENGINEERING, ENTRA_APPS, Edid, FRAUD_VPN_SW, HOTEL_SSIDS, IT_DEPT, JOBS,
    KVM_DEFAULT, KVM_SPOOFED, Kvm, MAC_APPS, MAC_BASE, MAC_EXTRA_SW, MODELS, MONITORS, Model,
    OKTA_APPS, Os, PANELS_MAC, PANELS_WIN, PAST_EMPLOYERS, PAYOUT_PROVIDERS, Program, RECRUITERS,
    RESUME_ACHIEVEMENTS, RESUME_OPENERS, RMM_TOOLS, Rmm, SAAS, SCHOOLS, SHELL_HOLDERS, SKILLS_BIZ,
    SKILLS_ENG, UA_MAC, UA_MOBILE, UA_OTHER, UA_WIN, USB_INPUT, USB_OTHER, USB_TEST_RIG, Usb,
    WIN_APPS, WIN_BASE, WIN_EXTRA_SW,
};
use crate::clock::{Clock, DAY};
use crate::names::{self, Name};
use crate::out::{RowBuf, Sink, T};
use crate::plan::{GroupInst, NONE, Plan, RecordType, Ring, Role, Slot};
use crate::refdata::{RangeKind, RefData};
use crate::rng::{D_IDENTITY, D_PERSON, D_RESUME, RngExt, pick, pick_str, stream};
use crate::world::{Addr, Bank, Endpoint, Home, Phone, Wifi};
use crate::{Group, Scheme, Schemes, SynthConfig, SynthError};

const HOUR: i64 = 3600;
const MIN: i64 = 60;
const WEEK: i64 = 7 * DAY;

/// Name, date of birth and SSN of a record: a pure function of (seed, index), so that a stolen
/// identity can be re-derived from its victim's index.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Core {
    pub name: Name,
    /// Days since the epoch.
    pub dob: i64,
    /// Area, group, serial.
    pub ssn: [u16; 3],
}

pub(crate) fn identity_core(seed: u64, idx: u32, day0: i64) -> Core {
    let mut r = stream(seed, D_IDENTITY, u64::from(idx));
    let name = names::draw(&mut r);
    let age_days = ((r.float(21.0, 41.0) + r.float(0.0, 22.0)) * 365.25) as i64;
    let mut area = r.uint(1, 899) as u16;
    if area == 666 {
        area = 665;
    }
    Core {
        name,
        dob: day0 - age_days,
        ssn: [area, r.uint(1, 99) as u16, r.uint(1, 9999) as u16],
    }
}

/// The identity a record presents: its own core, the facilitator's name (facilitator identity),
/// a victim's core (stolen identity) or its own core with an SSN that cannot be valid. Returns the
/// core and whether the SSN was made invalid.
pub(crate) fn core_of(
    seed: u64,
    i: u32,
    slot: &Slot,
    ring: Option<&Ring>,
    day0: i64,
    r: &mut ChaCha8Rng,
) -> (Core, bool) {
    let mut core = identity_core(seed, i, day0);
    if let (Role::FacilitatorIdentity, Some(rg)) = (slot.role, ring) {
        core.name = rg.fac_name;
        return (core, false);
    }
    if !slot.has(Scheme::StolenIdentity) {
        return (core, false);
    }
    if slot.link != NONE {
        return (identity_core(seed, slot.link, day0), false);
    }
    match r.index(4) {
        0 => core.ssn[0] = r.uint(900, 999) as u16,
        1 => core.ssn[0] = 666,
        2 => core.ssn[0] = 0,
        _ => core.ssn[1] = 0,
    }
    (core, true)
}

/// Job of a record (department index, title, yearly salary in USD).
#[derive(Debug, Clone, Copy)]
struct Job {
    dept: usize,
    title: &'static str,
    salary: u32,
}

/// A resume as choices from the phrase catalogues, so that near-duplicates are cheap to make.
#[derive(Debug, Clone, Copy)]
struct ResumeSpec {
    opener: u8,
    years: u8,
    skills: [u8; 6],
    ach: [u8; 3],
    emp: [u8; 2],
    since: u16,
    school: u8,
}

fn job_and_resume(seed: u64, idx: u32, slot: &Slot) -> (Job, ResumeSpec) {
    let mut r = stream(seed, D_RESUME, u64::from(idx));
    let dept = if slot.group == Some(Group::ApprovedRmm) {
        if slot.sub == 0 { IT_DEPT } else { ENGINEERING }
    } else if slot.role.is_fraud() && r.chance(0.85) {
        ENGINEERING
    } else {
        let total: u32 = JOBS.iter().map(|j| j.2).sum();
        let mut x = r.uint(0, total.saturating_sub(1));
        let mut d = 0;
        for (k, j) in JOBS.iter().enumerate() {
            if x < j.2 {
                d = k;
                break;
            }
            x -= j.2;
        }
        d
    };
    let (_, titles, _, lo, hi) = JOBS[dept];
    let title = *pick(&mut r, titles);
    let salary = r.uint(lo, hi) * 1000;
    (
        Job {
            dept,
            title,
            salary,
        },
        resume_spec(&mut r, dept),
    )
}

fn resume_spec<R: Rng + ?Sized>(r: &mut R, dept: usize) -> ResumeSpec {
    let nsk = if dept == ENGINEERING || dept == IT_DEPT {
        SKILLS_ENG.len()
    } else {
        SKILLS_BIZ.len()
    };
    let mut skills = [0u8; 6];
    for (k, s) in skills.iter_mut().enumerate() {
        *s = ((r.index(nsk / 6) * 6 + k) % nsk) as u8;
    }
    ResumeSpec {
        opener: r.index(RESUME_OPENERS.len()) as u8,
        years: r.uint(2, 16) as u8,
        skills,
        ach: [r.index(4) as u8, 4 + r.index(4) as u8, 8 + r.index(4) as u8],
        emp: [r.index(9) as u8, 9 + r.index(9) as u8],
        since: r.uint(2016, 2024) as u16,
        school: r.index(SCHOOLS.len()) as u8,
    }
}

/// A few word-level edits: the near-duplicate of a template.
fn mutate<R: Rng + ?Sized>(r: &mut R, s: &mut ResumeSpec, dept: usize) {
    let nsk = if dept == ENGINEERING || dept == IT_DEPT {
        SKILLS_ENG.len()
    } else {
        SKILLS_BIZ.len()
    };
    s.years = (i64::from(s.years) + r.int(-1, 2)).clamp(1, 25) as u8;
    let k = r.index(6);
    s.skills[k] = r.index(nsk) as u8;
    if r.chance(0.5) {
        s.since = (i64::from(s.since) + r.int(-1, 1)) as u16;
    }
}

fn render_resume(
    out: &mut String,
    full: &str,
    job: &Job,
    s: &ResumeSpec,
    header: &str,
    footer: &str,
) {
    use std::fmt::Write;
    let skills: &[&str] = if job.dept == ENGINEERING || job.dept == IT_DEPT {
        SKILLS_ENG
    } else {
        SKILLS_BIZ
    };
    let sk = |i: usize| skills.get(s.skills[i] as usize).copied().unwrap_or("SQL");
    out.clear();
    if !header.is_empty() {
        out.push_str(header);
        out.push_str(" | ");
    }
    let _ = write!(
        out,
        "{full} | {title}. {opener} {years} years of experience in {a}, {b} and {c}. {x} {y} {z} \
         Experience: {title} at {e1} ({since}-present); {title2} at {e2} ({prev}-{since}). \
         Skills: {a}, {b}, {c}, {d}, {e}, {f}. Education: {school}.",
        title = job.title,
        opener = RESUME_OPENERS.get(s.opener as usize).copied().unwrap_or(""),
        years = s.years,
        a = sk(0),
        b = sk(1),
        c = sk(2),
        d = sk(3),
        e = sk(4),
        f = sk(5),
        x = RESUME_ACHIEVEMENTS
            .get(s.ach[0] as usize)
            .copied()
            .unwrap_or(""),
        y = RESUME_ACHIEVEMENTS
            .get(s.ach[1] as usize)
            .copied()
            .unwrap_or(""),
        z = RESUME_ACHIEVEMENTS
            .get(s.ach[2] as usize)
            .copied()
            .unwrap_or(""),
        e1 = PAST_EMPLOYERS.get(s.emp[0] as usize).copied().unwrap_or(""),
        e2 = PAST_EMPLOYERS.get(s.emp[1] as usize).copied().unwrap_or(""),
        since = s.since,
        prev = s.since.saturating_sub(u16::from(s.years).min(8)),
        title2 = if job.title.starts_with("Senior") {
            &job.title[7..]
        } else {
            job.title
        },
        school = SCHOOLS.get(s.school as usize).copied().unwrap_or(""),
    );
    if !footer.is_empty() {
        out.push(' ');
        out.push_str(footer);
    }
}

fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn raw_sha(r: &mut RowBuf, key: &str) {
    let h = fnv(key);
    for k in 0..4u64 {
        r.raw_hex(crate::rng::mix(h, 11, k), 16);
    }
    r.end();
}

/// Writes a template with `{u}` (user), `{h}` (8 hex) and `{p}` (6-digit pin) placeholders.
fn raw_tpl(r: &mut RowBuf, tpl: &str, user: &str, h: u64, pin: u32) {
    let mut rest = tpl;
    while let Some(i) = rest.find('{') {
        r.raw(&rest[..i]);
        let tail = &rest[i..];
        if let Some(t) = tail.strip_prefix("{u}") {
            r.raw(user);
            rest = t;
        } else if let Some(t) = tail.strip_prefix("{h}") {
            r.raw_hex(h, 8);
            rest = t;
        } else if let Some(t) = tail.strip_prefix("{p}") {
            r.raw_u_pad(u64::from(pin), 6);
            rest = t;
        } else {
            r.raw("{");
            rest = &tail[1..];
        }
    }
    r.raw(rest);
}

/// Where a session happens, network-wise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CtxKind {
    Home,
    Farm,
    OwnLine,
    Site,
    CorpVpn,
    ConsumerVpn,
    Mobile,
    Cafe,
    FraudVpn,
}

#[derive(Debug, Clone, Copy)]
struct Ctx {
    kind: CtxKind,
    ep: Endpoint,
    wifi: Option<Wifi>,
    /// Physical location (for Wi-Fi positioning).
    phys: Option<(f64, f64)>,
    lan: u32,
}

#[derive(Debug, Clone, Copy)]
struct Session {
    s: i64,
    e: i64,
    ctx: Ctx,
    main: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SchedKind {
    Day,
    Night,
    OnCall,
    Offshore,
}

struct Sched {
    kind: SchedKind,
    tz: u8,
    start: i64,
    len: i64,
    evening_p: f64,
    weekend_p: f64,
    workdays: [bool; 7],
    oncall_mod: i64,
    /// Days off, indexed by window day + 2.
    off: Vec<bool>,
}

struct Device {
    id: String,
    host: String,
    serial: String,
    model: &'static Model,
    issued: i64,
    shipped: i64,
    delivered: i64,
    ship_to: Addr,
    ship_name_fac: bool,
    apps: Vec<&'static Program>,
    inputs: Vec<(Usb, u64)>,
    panel: Option<Edid>,
    monitors: Vec<(Edid, u64)>,
    kvm: Option<(&'static Kvm, bool, i64, u64)>,
    rig: Option<(Usb, u64)>,
    rmm: Vec<&'static Rmm>,
    rmm_install: i64,
    approved: bool,
    vpn_sw: Option<(&'static str, &'static str, &'static str)>,
    farm: bool,
    wired: bool,
    src: &'static str,
    geo: bool,
    ival: (i64, i64),
    leave_on: bool,
    fp: u64,
    lan_host: u32,
    pin: u32,
    // running state
    last_t: i64,
    last_ctx: Option<Ctx>,
    inv_week: i64,
    inv_n: u32,
    first_seen: i64,
    last_seen: i64,
}

/// Payroll account state.
#[derive(Debug, Clone, Copy)]
enum PayKind {
    Ach(Bank),
    Provider { provider: u8, account: u64 },
    Crypto { seed: u64, trc: bool },
}

#[derive(Debug, Clone, Copy)]
enum Holder {
    Own,
    Name(Name),
    Shell(u8),
}

struct Person<'p> {
    i: u32,
    slot: Slot,
    ring: Option<&'p Ring>,
    group: Option<&'p GroupInst>,
    pid: String,
    full: String,
    name: Name,
    work_email: String,
    user: String,
    github: Option<String>,
    home: Home,
    /// Physical line where a non-farm fraud device sits (relative, mule, reshipper).
    own_line: Option<Home>,
    tz: u8,
    hired: i64,
    term: i64,
    act: (i64, i64),
    job: Job,
    mfa: u64,
    phone_ua: &'static str,
    phone_fp: u64,
    worker_fp: u64,
    vpn: [Endpoint; 4],
    leak: Endpoint,
    trips: Vec<(i64, i64, Ctx)>,
    cw_days: u8,
    vpn_brand: usize,
    /// Address on the HR record (the claimed home, or the facilitator's after an update).
    people_addr: Addr,
    addr_changed: bool,
    /// A relative (lone fraud: whose home the laptop goes to).
    relative: Name,
    ex: Schemes,
}

impl Person<'_> {
    fn has(&self, s: Scheme) -> bool {
        self.slot.has(s)
    }
    fn fraud(&self) -> bool {
        self.slot.role.is_fraud()
    }
    fn group_is(&self, g: Group) -> bool {
        self.slot.group == Some(g)
    }
}

fn phys_of(addr: &Addr, rd: &RefData) -> (f64, f64) {
    let p = &rd.places[addr.place as usize];
    let j = f64::from(addr.number % 97) - 48.0;
    let k = f64::from((addr.number / 97) % 89) - 44.0;
    (p.lat + j / 3000.0, p.lon + k / 3000.0)
}

fn home_ctx(h: &Home, d: i64, rd: &RefData, kind: CtxKind) -> Ctx {
    Ctx {
        kind,
        ep: h.ip_on(d),
        wifi: Some(h.wifi),
        phys: Some(phys_of(&h.addr, rd)),
        lan: h.lan,
    }
}

/// Per-person generator with the run-wide state.
pub(crate) struct Gen<'a> {
    cfg: &'a SynthConfig,
    rd: &'a RefData,
    plan: &'a Plan,
    clock: Clock,
    work_emails: HashSet<String>,
    personal_emails: HashSet<String>,
    id_width: usize,
    payday0: i64,
    sessions: Vec<Session>,
    text: String,
}

impl<'a> Gen<'a> {
    /// Prepares a generator for `cfg`.
    pub fn new(cfg: &'a SynthConfig, rd: &'a RefData, plan: &'a Plan) -> Result<Self, SynthError> {
        let clock = Clock::new(cfg.start, cfg.days, rd)?;
        // first payday: the first Friday of the window, or the one after (seed-dependent cycle)
        let fri = (4 - clock.weekday(0)).rem_euclid(7);
        let payday0 = fri + if cfg.seed.is_multiple_of(2) { 0 } else { 7 };
        let id_width = cfg.people.to_string().len().max(6);
        Ok(Gen {
            cfg,
            rd,
            plan,
            clock,
            work_emails: HashSet::with_capacity(cfg.people),
            personal_emails: HashSet::with_capacity(cfg.people),
            id_width,
            payday0,
            sessions: Vec::with_capacity(8),
            text: String::with_capacity(1024),
        })
    }

    fn pid(&self, i: u32) -> String {
        format!("P{:0w$}", u64::from(i) + 1, w = self.id_width)
    }

    /// Writes `corporate_egress.txt` and `approved_rmm.txt`.
    pub fn write_context(&self, out: &Path) -> Result<(), SynthError> {
        let mut eg =
            String::from("# Company VPN / ZTNA egress addresses (one IP or CIDR per line)\n");
        for e in &self.plan.corp_egress {
            eg.push_str(&std::net::Ipv4Addr::from(e.ip).to_string());
            eg.push('\n');
        }
        let rmm = format!(
            "# Remote-access tools approved by IT (LOLRMM tool name or binary name)\n{}\n{}\n",
            APPROVED_RMM.name,
            APPROVED_RMM.procs.first().map(|p| p.0).unwrap_or("")
        );
        for (name, text) in [("corporate_egress.txt", eg), ("approved_rmm.txt", rmm)] {
            let path = out.join(name);
            std::fs::write(&path, text).map_err(|e| SynthError::Io { path, source: e })?;
        }
        Ok(())
    }

    /// Generates person `i` and returns the schemes the written data exhibits.
    pub fn person(&mut self, i: usize, sink: &mut Sink) -> Result<Schemes, SynthError> {
        let seed = self.cfg.seed;
        let rd = self.rd;
        let plan = self.plan;
        let i =
            u32::try_from(i).map_err(|_| SynthError::Internal("person index overflow".into()))?;
        let slot = plan.slots[i as usize];
        let mut r = stream(seed, D_PERSON, u64::from(i));
        let ring = if slot.role == Role::Worker || slot.role == Role::FacilitatorIdentity {
            plan.rings.get(slot.inst as usize)
        } else {
            None
        };
        let group = if slot.group.is_some() {
            plan.groups.get(slot.inst as usize)
        } else {
            None
        };
        let mut ex: Schemes = 0;

        // ----- identity -----
        let (core, ssn_invalid) = core_of(seed, i, &slot, ring, self.clock.day0, &mut r);
        if slot.has(Scheme::StolenIdentity) && slot.role != Role::FacilitatorIdentity {
            ex |= Scheme::StolenIdentity.bit();
        }
        let name = core.name;
        let full = match r.index(40) {
            0 | 1 => format!(
                "{} {}. {}",
                name.given,
                (b'A' + r.index(26) as u8) as char,
                name.family
            ),
            2 => format!("{} {}", name.given, name.family).to_uppercase(),
            _ => format!("{} {}", name.given, name.family),
        };

        // ----- job and resume -----
        let (mut job, mut spec) = job_and_resume(seed, i, &slot);
        let mut header = String::new();
        let mut footer = String::new();
        if let (Some(rg), true) = (ring, slot.has(Scheme::ResumeReuse)) {
            let mut tr = stream(rg.resume_seed, D_RESUME, 0);
            job = Job {
                dept: ENGINEERING,
                title: pick_str(&mut tr, JOBS[ENGINEERING].1),
                salary: job.salary,
            };
            spec = resume_spec(&mut tr, ENGINEERING);
            mutate(&mut r, &mut spec, ENGINEERING);
            ex |= Scheme::ResumeReuse.bit();
        } else if slot.role == Role::Lone && slot.has(Scheme::ResumeReuse) && slot.link != NONE {
            let src = plan.slots[slot.link as usize];
            let (j, s) = job_and_resume(seed, slot.link, &src);
            job = Job {
                salary: job.salary,
                ..j
            };
            spec = s;
            mutate(&mut r, &mut spec, job.dept);
            ex |= Scheme::ResumeReuse.bit();
        }
        if let Some(g) = group {
            match g.kind {
                Group::StaffingAgency => {
                    let (an, ad) = AGENCIES[g.org as usize % AGENCIES.len()];
                    header = format!("Candidate profile prepared by {an}");
                    footer = format!(
                        "Submitted via {an} ({ad}); references available on request. Availability: immediate, remote or hybrid."
                    );
                }
                Group::RecruiterBatch => {
                    let (rn, _) = RECRUITERS[g.org as usize % RECRUITERS.len()];
                    header = format!("{rn} | Candidate summary");
                    footer = format!(
                        "Presented by {rn}. Please contact the recruiter to schedule interviews."
                    );
                }
                _ => {}
            }
        }
        let mut resume = std::mem::take(&mut self.text);
        render_resume(
            &mut resume,
            &format!("{} {}", name.given, name.family),
            &job,
            &spec,
            &header,
            &footer,
        );

        // ----- home -----
        let home = match (slot.role, ring, group) {
            (Role::FacilitatorIdentity, Some(rg), _) => rg.fac_home,
            (Role::Worker, Some(rg), _) => {
                let st = &rd.places[rg.fac_home.addr.place as usize].state;
                let place = rd.place_elsewhere(&mut r, st);
                Home::new(&mut r, rd, place, self.cfg.days)
            }
            (_, _, Some(g)) if g.home.is_some() => g
                .home
                .unwrap_or_else(|| Home::new(&mut r, rd, 0, self.cfg.days)),
            (_, _, Some(g)) if g.kind == Group::Coworking => {
                let site = g.site.map(|s| s.place).unwrap_or(0);
                let place = rd.place_near(&mut r, site, 45.0);
                Home::new(&mut r, rd, place, self.cfg.days)
            }
            _ => {
                let place = rd.random_place(&mut r);
                Home::new(&mut r, rd, place, self.cfg.days)
            }
        };
        let tz = rd.place_tz(home.addr.place);
        let home_state = rd.places[home.addr.place as usize].state.clone();

        // ----- employment -----
        let (applied, hired, term) = self.employment(&mut r, &slot, ring);
        let employed = slot.rtype != RecordType::Applicant && !(slot.victim && slot.sub == 1);
        let t0 = self.clock.t0;
        let act = (t0.max(hired), self.clock.end.min(term));

        // ----- contact -----
        let mut email = String::new();
        self.personal_email(&mut r, &name, &mut email);
        let mut phone = Phone::new(&mut r, rd, &home_state, 0.2);
        let phone_style = r.index(6) as u8;
        let mut photo: u64 = r.random();
        if let Some(g) = group {
            if let Some(ph) = g.phone {
                let agency_contact =
                    g.kind == Group::RecruiterBatch || g.kind == Group::StaffingAgency;
                if !agency_contact || r.chance(0.5) {
                    phone = ph;
                }
            }
            if g.kind == Group::StaffingAgency
                && slot.rtype == RecordType::Applicant
                && r.chance(0.35)
            {
                let (_, ad) = AGENCIES[g.org as usize % AGENCIES.len()];
                email = format!("placements@{ad}");
            }
            if g.kind == Group::RecruiterBatch && r.chance(0.3) {
                let (_, rdn) = RECRUITERS[g.org as usize % RECRUITERS.len()];
                let mut s = String::new();
                names::slug(g.contact.given, &mut s);
                email = format!("{s}@{rdn}");
            }
        }
        if let (Some(rg), true) = (ring, slot.has(Scheme::SharedContact)) {
            phone = rg.phone;
            if rg.email_also {
                let words = ["hire", "dev", "remote", "career", "jobs", "work"];
                email = format!(
                    "{}{}.{}@{}",
                    words[(rg.email_tag % 6) as usize],
                    rg.email_tag % 997,
                    ["pro", "it", "team"][(rg.email_tag / 7 % 3) as usize],
                    ["gmail.com", "outlook.com"][(rg.email_tag / 11 % 2) as usize]
                );
            }
            if rg.photo_also {
                photo = rg.photo ^ (1u64 << r.index(64));
            }
            ex |= Scheme::SharedContact.bit();
        }

        // ----- work identity -----
        let mut work_email = String::new();
        let mut user = String::new();
        if employed {
            names::slug(name.given, &mut user);
            user.push('.');
            names::slug(name.family, &mut user);
            let base = user.clone();
            let mut k = 2;
            while self.work_emails.contains(&user) {
                user = format!("{base}{k}");
                k += 1;
            }
            self.work_emails.insert(user.clone());
            work_email = format!("{user}@company.example");
        }
        let github =
            if employed && (job.dept == ENGINEERING || job.dept == IT_DEPT) && r.chance(0.6) {
                let mut g = String::new();
                names::slug(name.given, &mut g);
                if r.chance(0.5) {
                    names::slug(name.family, &mut g);
                } else {
                    g.push('-');
                    g.push_str(["dev", "code", "eng", "io"][r.index(4)]);
                }
                if r.chance(0.5) {
                    g.push_str(&r.uint(1, 99).to_string());
                }
                Some(g)
            } else {
                None
            };

        // ----- fraud infrastructure -----
        let vpn = match ring {
            Some(rg) => rg.vpn,
            None => [
                Endpoint::of_kind(&mut r, rd, RangeKind::Unlisted),
                Endpoint::of_kind(&mut r, rd, RangeKind::Vpn),
                Endpoint::of_kind(&mut r, rd, RangeKind::Hosting),
                Endpoint::of_kind(&mut r, rd, RangeKind::Unlisted),
            ],
        };
        let leak = Endpoint::of_kind(&mut r, rd, RangeKind::Offshore);
        let farm = ring.is_some() && slot.has(Scheme::LaptopFarm);
        let own_line = if slot.role.is_fraud() && !farm && slot.role != Role::FacilitatorIdentity {
            let place = match ring {
                Some(rg) if r.chance(0.6) => {
                    rd.place_in_state(&mut r, &rd.places[rg.fac_home.addr.place as usize].state)
                }
                _ if r.chance(0.4) => rd.place_in_state(&mut r, &home_state),
                _ => rd.random_place(&mut r),
            };
            Some(Home::new(&mut r, rd, place, self.cfg.days))
        } else {
            None
        };

        let mut p = Person {
            i,
            slot,
            ring,
            group,
            pid: self.pid(i),
            full,
            name,
            work_email,
            user,
            github,
            home,
            own_line,
            tz,
            hired,
            term,
            act,
            job,
            mfa: if ring.is_some() && slot.has(Scheme::MfaShared) {
                ring.map(|x| x.mfa).unwrap_or(0)
            } else {
                r.random()
            },
            phone_ua: pick_str(&mut r, UA_MOBILE),
            phone_fp: r.random(),
            worker_fp: r.random(),
            vpn,
            leak,
            trips: Vec::new(),
            cw_days: 0,
            vpn_brand: r.index(CONSUMER_VPNS.len()),
            people_addr: home.addr,
            addr_changed: false,
            relative: {
                let mut n = names::draw(&mut r);
                if r.chance(0.5) {
                    n.family = name.family;
                }
                n
            },
            ex,
        };

        // ----- people row -----
        let application_ip = self.application_ip(&mut r, &mut p, applied);
        {
            let row = &mut sink.row;
            row.s(&p.pid)
                .s(slot.rtype.as_str())
                .s("company-1")
                .s(&p.full)
                .s(name.given)
                .s(name.family);
            row.date(core.dob);
            let [a, g, s] = core.ssn;
            match r.index(if ssn_invalid { 2 } else { 3 }) {
                0 => row
                    .raw_u_pad(u64::from(a), 3)
                    .raw("-")
                    .raw_u_pad(u64::from(g), 2)
                    .raw("-")
                    .raw_u_pad(u64::from(s), 4),
                1 => row
                    .raw_u_pad(u64::from(a), 3)
                    .raw_u_pad(u64::from(g), 2)
                    .raw_u_pad(u64::from(s), 4),
                _ => row
                    .raw_u_pad(u64::from(a), 3)
                    .raw(" ")
                    .raw_u_pad(u64::from(g), 2)
                    .raw(" ")
                    .raw_u_pad(u64::from(s), 4),
            };
            row.end();
            row.s(&email);
            row.opt(Some(p.work_email.as_str()).filter(|s| !s.is_empty()));
            phone.write(row, phone_style);
            // the record's address is sometimes updated to the facilitator's (only when other
            // identities' laptops go there too, so that the address is shared evidence)
            let movable = ring.is_some_and(|rg| {
                rg.members
                    .iter()
                    .filter(|&&m| {
                        let s = &plan.slots[m as usize];
                        s.has(Scheme::ShipToFacilitator)
                            && s.has(Scheme::LaptopFarm)
                            && s.rtype != RecordType::Applicant
                    })
                    .count()
                    >= 2
            });
            if let Some(rg) = ring
                && movable
                && farm
                && slot.has(Scheme::ShipToFacilitator)
                && r.chance(0.15)
            {
                p.people_addr = rg.ship;
                p.addr_changed = true;
            }
            p.people_addr.write_full(row, rd);
            if r.chance(0.3) {
                row.null();
            } else {
                row.s(&rd.tzs[tz as usize].0);
            }
            row.ts(applied);
            if slot.rtype == RecordType::Applicant {
                row.null().null();
            } else {
                row.ts(hired);
                if term < i64::MAX {
                    row.ts(term)
                } else {
                    row.null()
                };
            }
            row.s(job.title).s(JOBS[job.dept].0);
            match group {
                Some(g) if g.kind == Group::StaffingAgency => {
                    row.s(AGENCIES[g.org as usize % AGENCIES.len()].0);
                }
                _ => {
                    row.null();
                }
            }
            // source, referrer
            let referrer = self.referrer(&mut r, &p);
            let source = match group.map(|g| g.kind) {
                Some(Group::StaffingAgency) => "agency",
                Some(Group::RecruiterBatch) => "recruiter",
                _ if referrer.is_some() => "referral",
                _ => *pick(
                    &mut r,
                    &["linkedin", "indeed", "careers_site", "linkedin", "dice"][..],
                ),
            };
            row.s(source);
            match referrer {
                Some(x) => row.s(&self.pid(x)),
                None => row.null(),
            };
            match (employed, self.manager(&mut r, i)) {
                (true, Some(m)) => row.s(&self.pid(m)),
                _ => row.null(),
            };
            row.s(&resume);
            row.raw_hex(photo, 16).end();
            if r.chance(0.6) {
                row.raw("https://www.linkedin.com/in/")
                    .raw(&p.user.replace('.', "-"))
                    .raw("-")
                    .raw_hex(r.random(), 6)
                    .end();
            } else {
                row.null();
            }
            match &p.github {
                Some(g) => row.raw("https://github.com/").raw(g).end(),
                None => row.null(),
            };
            if r.chance(0.05) {
                row.raw("https://")
                    .raw(&p.user.replace('.', ""))
                    .raw(".dev")
                    .end();
            } else {
                row.null();
            }
            row.ip(application_ip.ip);
        }
        sink.emit(T::People)?;
        self.text = resume;

        if !employed {
            return Ok(p.ex);
        }

        // ----- accounts -----
        for sys in ["okta", "entra"] {
            sink.row.s(&p.pid).s(&p.work_email).s(sys);
            sink.emit(T::Accounts)?;
        }
        if let Some(g) = &p.github {
            sink.row.s(&p.pid).s(g).s("github");
            sink.emit(T::Accounts)?;
        }

        // ----- devices -----
        let mut devs = self.devices(&mut r, &mut p)?;
        for d in &devs {
            self.device_row(sink, &p, d)?;
            if d.ship_to != p.people_addr || p.addr_changed {
                p.ex |= Scheme::ShipToFacilitator.bit() * u16::from(p.fraud());
            }
        }

        // ----- schedule, trips, coworking days -----
        let sched = self.schedule(&mut r, &p);
        self.trips(&mut r, &mut p);
        if p.group_is(Group::Coworking) {
            let n = r.uint(2, 4);
            while p.cw_days.count_ones() < n {
                p.cw_days |= 1 << r.index(5);
            }
        }

        // ----- the window, day by day -----
        if act.0 < act.1 {
            self.days_loop(&mut r, sink, &mut p, &sched, &mut devs)?;
            for d in devs.iter_mut().filter(|d| d.farm) {
                self.farm_loop(&mut r, sink, &mut p, d)?;
            }
        }
        for d in &devs {
            self.software_rows(sink, &mut p, d)?;
        }

        // ----- payroll -----
        self.payroll(&mut r, sink, &mut p)?;
        Ok(p.ex)
    }

    fn employment(&self, r: &mut ChaCha8Rng, slot: &Slot, ring: Option<&Ring>) -> (i64, i64, i64) {
        let t0 = self.clock.t0;
        let days = self.clock.days;
        let tday =
            |d: i64, r: &mut ChaCha8Rng| t0 + d * DAY + r.int(13, 22) * HOUR + r.int(0, 59) * MIN;
        if slot.victim {
            return if slot.sub == 1 {
                let hired = r.int(-1500, -400);
                let term = r.int(-300, -30);
                (
                    tday(hired - r.int(14, 60), r),
                    tday(hired, r),
                    tday(term, r),
                )
            } else {
                (tday(r.int(-700, -60), r), i64::MAX, i64::MAX)
            };
        }
        if slot.rtype == RecordType::Applicant {
            return (tday(r.int(-90, days - 1), r), i64::MAX, i64::MAX);
        }
        let latest = (days * 2 / 5).max(0);
        let hired = match (slot.role, ring) {
            (Role::Worker | Role::FacilitatorIdentity, Some(rg)) => {
                (rg.hire_base + r.int(-25, 25)).min(latest)
            }
            (Role::Lone, _) => r.int(-150, (days * 3 / 10).max(0)),
            _ => {
                let x = r.random::<f64>();
                if x < 0.85 {
                    -r.int(30, 2500)
                } else if x < 0.97 {
                    r.int(0, (days * 4 / 5).max(0))
                } else {
                    -r.int(1, 30)
                }
            }
        };
        let term = if !slot.role.is_fraud() && slot.group.is_none() && r.chance(0.02) {
            let lo = (days * 3 / 10).max(hired + 7);
            tday(r.int(lo, (days - 1).max(lo)), r)
        } else {
            i64::MAX
        };
        let hired_ts = tday(hired, r);
        (tday(hired - r.int(14, 60), r), hired_ts, term)
    }

    fn personal_email(&mut self, r: &mut ChaCha8Rng, n: &Name, out: &mut String) {
        let mut g = String::new();
        let mut f = String::new();
        names::slug(n.given, &mut g);
        names::slug(n.family, &mut f);
        let dom = *pick(r, EMAIL_DOMAINS);
        out.clear();
        match r.index(6) {
            0 => out.push_str(&format!("{g}.{f}@{dom}")),
            1 => out.push_str(&format!("{g}{f}{}@{dom}", r.uint(1, 99))),
            2 => out.push_str(&format!("{}{f}@{dom}", g.chars().next().unwrap_or('x'))),
            3 => out.push_str(&format!("{g}_{f}@{dom}")),
            4 => out.push_str(&format!("{g}.{f}{}@{dom}", r.uint(1970, 2005))),
            _ => out.push_str(&format!("{f}.{g}@{dom}")),
        }
        // a mailbox belongs to one person: disambiguate like a mail provider would make you do
        while self.personal_emails.contains(out.as_str()) {
            let at = out.find('@').unwrap_or(out.len());
            out.insert_str(at, &r.uint(1, 999).to_string());
        }
        self.personal_emails.insert(out.clone());
    }

    fn application_ip(&self, r: &mut ChaCha8Rng, p: &mut Person, applied: i64) -> Endpoint {
        let d = self.clock.day_of(applied);
        if let Some(g) = p.group
            && matches!(g.kind, Group::RecruiterBatch | Group::StaffingAgency)
            && let Some(s) = g.site
        {
            return s.ep;
        }
        if p.fraud() {
            if p.has(Scheme::AnonNetwork) {
                p.ex |= Scheme::AnonNetwork.bit();
                return p.vpn[r.index(4)];
            }
            if let Some(rg) = p.ring
                && p.has(Scheme::LaptopFarm)
            {
                return rg.fac_home.ip_on(d);
            }
            if let Some(h) = &p.own_line {
                return h.ip_on(d);
            }
        }
        if r.chance(0.12) {
            *pick(r, &self.plan.mobile_pool)
        } else {
            p.home.ip_on(d)
        }
    }

    fn referrer(&self, r: &mut ChaCha8Rng, p: &Person) -> Option<u32> {
        if let Some(rg) = p.ring {
            let m = p.slot.member as usize;
            if m > 0 && r.chance(0.3) {
                return rg.members.get(m - 1).copied();
            }
            return None;
        }
        if r.chance(0.06) {
            for _ in 0..6 {
                let j = r.index(self.plan.slots.len()) as u32;
                let s = &self.plan.slots[j as usize];
                if j != p.i && !s.role.is_fraud() && s.rtype == RecordType::Employee && !s.victim {
                    return Some(j);
                }
            }
        }
        None
    }

    fn manager(&self, r: &mut ChaCha8Rng, i: u32) -> Option<u32> {
        if !r.chance(0.92) {
            return None;
        }
        for _ in 0..8 {
            let j = r.index(self.plan.slots.len()) as u32;
            let s = &self.plan.slots[j as usize];
            if j != i && !s.role.is_fraud() && s.rtype == RecordType::Employee && !s.victim {
                return Some(j);
            }
        }
        None
    }

    fn devices(&self, r: &mut ChaCha8Rng, p: &mut Person) -> Result<Vec<Device>, SynthError> {
        let n = if p.fraud() || !r.chance(0.07) { 1 } else { 2 };
        let mut out = Vec::with_capacity(n);
        let farm = p.ring.is_some() && p.has(Scheme::LaptopFarm);
        for k in 0..n {
            let force_win = p.fraud() || (p.group_is(Group::ApprovedRmm) && p.slot.sub == 0);
            let model = if force_win && r.chance(0.9) {
                &MODELS[r.index(5)]
            } else {
                pick(r, MODELS)
            };
            let num = u64::from(p.i) * 4 + k as u64 + 10_000;
            let prefix = if model.os == Os::Mac {
                "MST-MBP-"
            } else {
                "MST-LT-"
            };
            let mut serial = String::from(model.serial_prefix);
            let alnum = b"0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
            while serial.len() < model.serial_len {
                serial.push(alnum[r.index(alnum.len())] as char);
            }
            let issued = if p.hired >= self.clock.t0 - 3 * 365 * DAY {
                p.hired - r.int(3, 9) * DAY
            } else {
                self.clock.t0 - r.int(30, 3 * 365) * DAY
            } + r.int(9, 16) * HOUR;
            let shipped = issued + r.int(0, 1) * DAY + r.int(1, 5) * HOUR;
            let delivered = shipped + r.int(2, 4) * DAY + r.int(1, 6) * HOUR;
            // ship-to: the home, or the facilitator / mule / relative
            let (ship_to, ship_name_fac) =
                match (p.ring, p.has(Scheme::ShipToFacilitator), &p.own_line) {
                    (Some(rg), true, _) if farm => (rg.ship, r.chance(0.4)),
                    (_, true, Some(h)) => (h.addr, r.chance(0.4)),
                    (Some(rg), true, None) => (rg.ship, r.chance(0.4)),
                    _ => (p.home.addr, false),
                };
            let (base_apps, os) = match model.os {
                Os::Windows => (WIN_APPS, Os::Windows),
                Os::Mac => (MAC_APPS, Os::Mac),
            };
            let mut apps: Vec<&'static Program> = Vec::new();
            let want = r.uint(5, 11) as usize;
            let eng = p.job.dept == ENGINEERING || p.job.dept == IT_DEPT;
            let mut order: Vec<usize> = (0..base_apps.len()).collect();
            for j in (1..order.len()).rev() {
                order.swap(j, r.index(j + 1));
            }
            for &j in &order {
                if apps.len() >= want {
                    break;
                }
                let a = &base_apps[j];
                let dev_tool = matches!(
                    a.proc,
                    "Code.exe"
                        | "idea64.exe"
                        | "Docker Desktop.exe"
                        | "node.exe"
                        | "python.exe"
                        | "git.exe"
                        | "Postman.exe"
                        | "Code Helper"
                        | "iTerm2"
                        | "com.docker.backend"
                        | "WindowsTerminal.exe"
                );
                if dev_tool && !eng && !r.chance(0.15) {
                    continue;
                }
                apps.push(a);
            }
            // peripherals
            let mut inputs = Vec::new();
            if r.chance(0.75) {
                inputs.push((*pick(r, USB_INPUT), r.random()));
            }
            if r.chance(0.3) {
                inputs.push((*pick(r, USB_INPUT), r.random()));
            }
            for _ in 0..r.uint(0, 2) {
                inputs.push((*pick(r, USB_OTHER), r.random()));
            }
            let monitors: Vec<(Edid, u64)> = (0..if r.chance(0.55) {
                1 + usize::from(r.chance(0.25))
            } else {
                0
            })
                .map(|_| (*pick(r, MONITORS), r.random()))
                .collect();
            let mut dev = Device {
                id: format!("WKS-{num:07}"),
                host: format!("{prefix}{num:06}"),
                serial,
                model,
                issued,
                shipped,
                delivered,
                ship_to,
                ship_name_fac,
                apps,
                inputs,
                panel: Some(if os == Os::Mac {
                    *pick(r, PANELS_MAC)
                } else {
                    *pick(r, PANELS_WIN)
                }),
                monitors,
                kvm: None,
                rig: None,
                rmm: Vec::new(),
                rmm_install: delivered + r.int(0, 5) * DAY + r.int(1, 20) * HOUR,
                approved: false,
                vpn_sw: None,
                farm: farm && k == 0,
                wired: r.chance(0.12),
                src: match os {
                    Os::Windows => pick_str(r, &["crowdstrike", "crowdstrike", "intune"]),
                    Os::Mac => pick_str(r, &["crowdstrike", "jamf"]),
                },
                geo: false,
                ival: {
                    let a = r.int(90, 120) * MIN;
                    (a, a + r.int(20, 50) * MIN)
                },
                leave_on: !p.fraud() && r.chance(0.08),
                fp: r.random(),
                lan_host: r.uint(2, 250),
                pin: r.uint(100_000, 999_999),
                last_t: i64::MIN,
                last_ctx: None,
                inv_week: i64::MIN,
                inv_n: 0,
                first_seen: i64::MAX,
                last_seen: i64::MIN,
            };
            dev.geo = dev.src != "crowdstrike" && r.chance(0.6);
            if k == 0 {
                // fraud remote control
                if p.has(Scheme::Rmm) {
                    let (a, b, two) = match p.ring {
                        Some(rg) => (rg.rmm[0], rg.rmm[1], rg.rmm_two),
                        None => (
                            r.index(RMM_TOOLS.len()) as u8,
                            r.index(RMM_TOOLS.len()) as u8,
                            false,
                        ),
                    };
                    dev.rmm.push(&RMM_TOOLS[a as usize % RMM_TOOLS.len()]);
                    if two && a != b {
                        dev.rmm.push(&RMM_TOOLS[b as usize % RMM_TOOLS.len()]);
                    }
                }
                let kvm =
                    if p.has(Scheme::KvmDefault) && (!p.has(Scheme::KvmSpoofed) || r.chance(0.5)) {
                        let ix = p
                            .ring
                            .map(|x| x.kvm_default as usize)
                            .unwrap_or_else(|| r.index(KVM_DEFAULT.len()));
                        Some((&KVM_DEFAULT[ix % KVM_DEFAULT.len()], false))
                    } else if p.has(Scheme::KvmSpoofed) {
                        let ix = p
                            .ring
                            .map(|x| x.kvm_spoofed as usize)
                            .unwrap_or_else(|| r.index(KVM_SPOOFED.len()));
                        Some((&KVM_SPOOFED[ix % KVM_SPOOFED.len()], true))
                    } else {
                        None
                    };
                if let Some((kv, spoofed)) = kvm {
                    dev.kvm = Some((
                        kv,
                        spoofed,
                        delivered + r.int(1, 6) * DAY + r.int(0, 20) * HOUR,
                        r.random(),
                    ));
                    // the lid stays closed: no internal panel, no other monitor
                    dev.panel = None;
                    dev.monitors.clear();
                    dev.inputs
                        .retain(|(u, _)| !u.interfaces.starts_with("03:01:01"));
                }
                if dev.farm && dev.kvm.is_none() && r.chance(0.5) {
                    dev.panel = None;
                }
                if p.fraud() && (p.has(Scheme::AnonNetwork) && !dev.farm) {
                    dev.vpn_sw = Some(FRAUD_VPN_SW);
                }
                if p.group_is(Group::ApprovedRmm) {
                    match p.slot.sub {
                        0 => dev.approved = true,
                        1 => dev.rig = Some((*pick(r, &USB_TEST_RIG[..3]), r.random())),
                        _ => dev.rig = Some((USB_TEST_RIG[3], r.random())),
                    }
                }
                if p.group_is(Group::ConsumerVpn) {
                    let (a, b, c) = CONSUMER_VPNS[p.vpn_brand % CONSUMER_VPNS.len()];
                    dev.vpn_sw = Some((a, b, c));
                }
            }
            out.push(dev);
        }
        Ok(out)
    }

    fn device_row(&self, sink: &mut Sink, p: &Person, d: &Device) -> Result<(), SynthError> {
        let row = &mut sink.row;
        row.s(&d.id)
            .s(&p.pid)
            .s(&d.serial)
            .s(&d.host)
            .s(d.model.name)
            .s(d.model.os_name)
            .bool(true);
        row.ts(d.issued).ts(d.shipped).ts(d.delivered);
        d.ship_to.write_full(row, self.rd);
        match (d.ship_name_fac, p.ring) {
            (true, Some(rg)) => row
                .raw(rg.fac_name.given)
                .raw(" ")
                .raw(rg.fac_name.family)
                .end(),
            (true, None) => row
                .raw(p.relative.given)
                .raw(" ")
                .raw(p.relative.family)
                .end(),
            _ => row.s(&p.full),
        };
        sink.emit(T::Devices)
    }

    fn schedule(&self, r: &mut ChaCha8Rng, p: &Person) -> Sched {
        let days = self.clock.days;
        let mut off = vec![false; days as usize + 4];
        for o in off.iter_mut() {
            *o = r.chance(0.03);
        }
        if r.chance(0.35) && days > 10 {
            let s = r.int(0, days - 6);
            for d in s..s + r.int(3, 7) {
                if let Some(o) = off.get_mut((d + 2) as usize) {
                    *o = true;
                }
            }
        }
        let weekdays = [true, true, true, true, true, false, false];
        if p.fraud() && p.has(Scheme::OffshoreHours) {
            let (tz, shifted) = match p.ring {
                Some(rg) => (rg.offshore_tz, rg.shifted),
                None => (*pick(r, &self.rd.offshore_tz), r.chance(0.3)),
            };
            let start = if shifted {
                r.int(15 * 60, 19 * 60)
            } else {
                r.int(8 * 60 + 30, 10 * 60)
            };
            for o in off.iter_mut() {
                *o = r.chance(0.015);
            }
            return Sched {
                kind: SchedKind::Offshore,
                tz,
                start,
                len: r.int(8 * 60 + 30, 10 * 60 + 30),
                evening_p: r.float(0.2, 0.45),
                weekend_p: r.float(0.1, 0.3),
                workdays: weekdays,
                oncall_mod: 0,
                off,
            };
        }
        if p.group_is(Group::NightShift) && p.slot.sub == 0 {
            let sunday_start = r.chance(0.5);
            let workdays = if sunday_start {
                [true, true, true, true, false, false, true]
            } else {
                weekdays
            };
            return Sched {
                kind: SchedKind::Night,
                tz: p.tz,
                start: r.int(20 * 60, 23 * 60),
                len: r.int(8 * 60, 9 * 60),
                evening_p: 0.0,
                weekend_p: 0.03,
                workdays,
                oncall_mod: 0,
                off,
            };
        }
        let start = match r.index(10) {
            0 => r.int(6 * 60, 7 * 60),
            9 => r.int(10 * 60, 11 * 60),
            _ => r.int(7 * 60, 10 * 60),
        };
        Sched {
            kind: if p.group_is(Group::NightShift) {
                SchedKind::OnCall
            } else {
                SchedKind::Day
            },
            tz: p.tz,
            start,
            len: r.int(7 * 60, 10 * 60),
            evening_p: r.float(0.06, 0.35),
            weekend_p: r.float(0.02, 0.12),
            workdays: weekdays,
            oncall_mod: r.int(2, 4),
            off,
        }
    }

    fn trips(&self, r: &mut ChaCha8Rng, p: &mut Person) {
        if !p.group_is(Group::Traveler) {
            return;
        }
        let rd = self.rd;
        let days = self.clock.days;
        if let Some(g) = p.group
            && let (Some(site), true) = (g.site, g.members.len() > 1)
        {
            let phys = site.ep.latlon(rd);
            p.trips.push((
                g.trip_start,
                g.trip_start + g.trip_len,
                Ctx {
                    kind: CtxKind::Site,
                    ep: site.ep,
                    wifi: Some(site.wifi),
                    phys,
                    lan: site.lan,
                },
            ));
        }
        let n = if p.trips.is_empty() {
            r.uint(1, 2)
        } else {
            r.uint(0, 1)
        };
        for _ in 0..n {
            let len = r.int(3, 6);
            let start = r.int(1, (days - len - 1).max(1));
            if p.trips
                .iter()
                .any(|t| start < t.1 + 2 && t.0 < start + len + 2)
            {
                continue;
            }
            let ep = if r.chance(0.15) {
                let city = r.index(9) as u8;
                Endpoint::abroad(r, rd, city)
            } else {
                let st = rd.places[p.home.addr.place as usize].state.clone();
                let place = rd.place_elsewhere(r, &st);
                Endpoint::residential(r, rd, place)
            };
            let phys = ep.latlon(rd);
            let ssid = *pick(r, HOTEL_SSIDS);
            p.trips.push((
                start,
                start + len,
                Ctx {
                    kind: CtxKind::Site,
                    ep,
                    wifi: Some(Wifi::named(r, ssid)),
                    phys,
                    lan: (10 << 24) | (r.uint(0, 255) << 16),
                },
            ));
        }
    }

    /// Network context of a session of a legitimate person.
    fn legit_ctx(&self, r: &mut ChaCha8Rng, p: &Person, d: i64, main: bool) -> Ctx {
        let rd = self.rd;
        if let Some(t) = p.trips.iter().find(|t| d >= t.0 && d < t.1) {
            return t.2;
        }
        let home = home_ctx(&p.home, d, rd, CtxKind::Home);
        let wd = self.clock.weekday(d);
        if main
            && p.cw_days & (1 << wd) != 0
            && let Some(s) = p.group.and_then(|g| g.site)
        {
            let phys = rd.places.get(s.place as usize).map(|x| (x.lat, x.lon));
            return Ctx {
                kind: CtxKind::Site,
                ep: s.ep,
                wifi: Some(s.wifi),
                phys,
                lan: s.lan,
            };
        }
        let x = r.random::<f64>();
        match p.slot.group {
            Some(Group::CorporateVpn) if x < if main { 0.85 } else { 0.4 } => {
                let ep = *pick(r, &self.plan.corp_egress);
                return Ctx {
                    kind: CtxKind::CorpVpn,
                    ep,
                    ..home
                };
            }
            Some(Group::ConsumerVpn) if x < 0.22 => {
                let pool = &self.plan.consumer_vpn[p.vpn_brand % self.plan.consumer_vpn.len()];
                let ep = pool[(p.i as usize + r.index(3)) % pool.len().max(1)];
                return Ctx {
                    kind: CtxKind::ConsumerVpn,
                    ep,
                    ..home
                };
            }
            Some(Group::MobileCgnat) if x < 0.65 => {
                let ep = *pick(r, &self.plan.mobile_pool);
                let hotspot = Wifi {
                    bssid: (0x02_1A_11 << 24) | (p.phone_fp & 0xff_ffff),
                    ssid: "iPhone",
                    suffix: 0,
                };
                return Ctx {
                    kind: CtxKind::Mobile,
                    ep,
                    wifi: Some(hotspot),
                    ..home
                };
            }
            _ => {}
        }
        if r.chance(0.03) {
            let ep = Endpoint::residential(r, rd, p.home.addr.place);
            let ssid = *pick(r, CAFE_SSIDS);
            return Ctx {
                kind: CtxKind::Cafe,
                ep,
                wifi: Some(Wifi::named(r, ssid)),
                lan: 10 << 24,
                ..home
            };
        }
        home
    }

    /// Network context of a fraud session on the company device.
    fn fraud_ctx(&self, r: &mut ChaCha8Rng, p: &Person, d: i64, dev: &Device) -> Ctx {
        let rd = self.rd;
        if dev.farm
            && let Some(rg) = p.ring
        {
            return home_ctx(&rg.fac_home, d, rd, CtxKind::Farm);
        }
        let line = p.own_line.as_ref().unwrap_or(&p.home);
        let base = home_ctx(line, d, rd, CtxKind::OwnLine);
        if p.has(Scheme::AnonNetwork) && r.chance(0.7) {
            return Ctx {
                kind: CtxKind::FraudVpn,
                ep: p.vpn[r.index(2)],
                ..base
            };
        }
        base
    }

    fn plan_day(&mut self, r: &mut ChaCha8Rng, p: &Person, s: &Sched, d: i64, devs: &[Device]) {
        self.sessions.clear();
        let wd = self.clock.weekday(d) as usize;
        let mid = self.clock.midnight(s.tz, d);
        let off = s.off.get((d + 2) as usize).copied().unwrap_or(false);
        let work = s.workdays[wd] && !off;
        let push = |g: &mut Self, r: &mut ChaCha8Rng, a: i64, b: i64, main: bool| {
            let ctx = if p.fraud() {
                g.fraud_ctx(r, p, d, &devs[0])
            } else {
                g.legit_ctx(r, p, d, main)
            };
            g.sessions.push(Session {
                s: a,
                e: b,
                ctx,
                main,
            });
        };
        match s.kind {
            SchedKind::Night => {
                if work {
                    let a = mid + (s.start + r.int(-20, 20)) * MIN;
                    let b = a + (s.len + r.int(-30, 30)) * MIN;
                    push(self, r, a, b, true);
                } else if r.chance(s.weekend_p) {
                    let a = mid + r.int(14 * 60, 19 * 60) * MIN;
                    let b = a + r.int(40, 120) * MIN;
                    push(self, r, a, b, false);
                }
            }
            _ => {
                if work {
                    let cw = p.cw_days & (1 << wd) != 0;
                    let (a, len) = if cw {
                        (
                            mid + r.int(9 * 60, 10 * 60) * MIN,
                            r.int(6 * 60 + 30, 8 * 60) * MIN,
                        )
                    } else {
                        (
                            mid + (s.start + r.int(-25, 25)) * MIN,
                            (s.len + r.int(-35, 35)) * MIN,
                        )
                    };
                    push(self, r, a, a + len, true);
                    let evening = if cw {
                        r.chance(0.75)
                    } else {
                        r.chance(s.evening_p)
                    };
                    if evening {
                        let b = (a + len + HOUR).max(mid + r.int(19 * 60 + 30, 22 * 60) * MIN);
                        let e = b + r.int(30, 100) * MIN;
                        push(self, r, b, e, false);
                    }
                } else if r.chance(s.weekend_p) {
                    let a = mid + r.int(10 * 60, 16 * 60) * MIN;
                    let b = a + r.int(60, 180) * MIN;
                    push(self, r, a, b, false);
                }
                if s.kind == SchedKind::OnCall
                    && (d.div_euclid(7) + i64::from(p.i)) % s.oncall_mod.max(1) == 0
                    && r.chance(0.5)
                {
                    let a = mid + r.int(30, 4 * 60 + 30) * MIN;
                    let b = a + r.int(20, 60) * MIN;
                    push(self, r, a, b, false);
                }
            }
        }
        self.sessions.sort_by_key(|x| x.s);
    }

    fn days_loop(
        &mut self,
        r: &mut ChaCha8Rng,
        sink: &mut Sink,
        p: &mut Person,
        s: &Sched,
        devs: &mut [Device],
    ) -> Result<(), SynthError> {
        let (a0, a1) = p.act;
        for d in -1..=self.clock.days {
            self.plan_day(r, p, s, d, devs);
            let sessions = std::mem::take(&mut self.sessions);
            for sess in &sessions {
                let (sa, sb) = (sess.s.max(a0), sess.e.min(a1));
                if sb <= sa {
                    continue;
                }
                let k = if devs.len() > 1 && r.chance(0.2) {
                    1
                } else {
                    0
                };
                let dev = &mut devs[k];
                if !dev.farm {
                    let (pa, pb) = (sa - r.int(3, 20) * MIN, sb + r.int(3, 40) * MIN);
                    self.presence_span(r, sink, p, dev, pa, pb, &sess.ctx)?;
                }
                self.session_events(r, sink, p, dev, sa, sb, sess, s)?;
            }
            self.sessions = sessions;
            // phone sign-ins
            let mid = self.clock.midnight(p.tz, d);
            let p_mobile = if p.fraud() { 0.08 } else { 0.14 };
            if r.chance(p_mobile) {
                let t = mid + r.int(7 * 60, 22 * 60) * MIN;
                if t >= a0 && t < a1 {
                    let ep = if p.fraud() && p.has(Scheme::AnonNetwork) {
                        p.vpn[r.index(4)]
                    } else {
                        *pick(r, &self.plan.mobile_pool)
                    };
                    let app = if r.chance(0.5) {
                        "Okta Verify"
                    } else {
                        "Slack"
                    };
                    self.signin(r, sink, p, t, &ep, None, "success", app, "okta", true)?;
                }
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn session_events(
        &mut self,
        r: &mut ChaCha8Rng,
        sink: &mut Sink,
        p: &mut Person,
        dev: &mut Device,
        a: i64,
        b: i64,
        sess: &Session,
        s: &Sched,
    ) -> Result<(), SynthError> {
        let ctx = sess.ctx;
        let len_h = (b - a) as f64 / 3600.0;
        let is_offshore = s.kind == SchedKind::Offshore;
        // sign-ins from the device
        let t = a + r.int(1, 8) * MIN;
        if t < b {
            if r.chance(0.03) {
                let tf = t - r.int(30, 90);
                self.signin(
                    r,
                    sink,
                    p,
                    tf,
                    &ctx.ep,
                    Some(dev),
                    "failure",
                    "Okta Dashboard",
                    "okta",
                    false,
                )?;
            }
            let mfa = r.chance(0.75);
            self.signin(
                r,
                sink,
                p,
                t,
                &ctx.ep,
                Some(dev),
                "success",
                "Okta Dashboard",
                "okta",
                mfa,
            )?;
            if is_offshore {
                p.ex |= Scheme::OffshoreHours.bit();
            }
        }
        if sess.main && r.chance(0.35) {
            let t = r.int(a, b - 1);
            let app = *pick(r, OKTA_APPS);
            self.signin(
                r,
                sink,
                p,
                t,
                &ctx.ep,
                Some(dev),
                "success",
                app,
                "okta",
                false,
            )?;
        }
        if sess.main && r.chance(0.15) {
            let t = r.int(a, b - 1);
            let app = *pick(r, ENTRA_APPS);
            let mfa = r.chance(0.3);
            self.signin(
                r,
                sink,
                p,
                t,
                &ctx.ep,
                Some(dev),
                "success",
                app,
                "entra",
                mfa,
            )?;
        }
        // fraud: direct sign-ins from the worker's own machine through a VPN, rare leaks
        if p.fraud() && p.has(Scheme::AnonNetwork) && sess.main {
            if r.chance(0.45) {
                let t = r.int(a, b - 1);
                let ep = p.vpn[r.index(4)];
                let app = *pick(
                    r,
                    &[
                        "Okta Dashboard",
                        "Slack",
                        "GitHub Enterprise Cloud",
                        "Office 365",
                    ][..],
                );
                let mfa = r.chance(0.5);
                self.signin(r, sink, p, t, &ep, None, "success", app, "okta", mfa)?;
            }
            if r.chance(0.015) {
                let t = r.int(a, b - 1);
                let ep = p.leak;
                self.signin(
                    r,
                    sink,
                    p,
                    t,
                    &ep,
                    None,
                    "success",
                    "Okta Dashboard",
                    "okta",
                    false,
                )?;
            }
        }
        // activity
        let rate = if sess.main { r.float(0.15, 0.28) } else { 0.5 };
        let n = (len_h * rate + r.random::<f64>()) as i64;
        let eng = p.job.dept == ENGINEERING;
        for _ in 0..n.max(i64::from(sess.main)) {
            let t = r.int(a, b - 1);
            let kind = if eng {
                *pick(r, ACTIVITY_KINDS_ENG)
            } else {
                *pick(r, ACTIVITY_KINDS_OTHER)
            };
            let row = &mut sink.row;
            row.ts(t);
            let by_account =
                matches!(kind, "commit" | "pull_request" | "code_review") && p.github.is_some();
            match (&p.github, by_account) {
                (Some(g), true) => row.null().s(g),
                _ => row.s(&p.pid).null(),
            };
            row.s(kind).s(&dev.id).ip(ctx.ep.ip);
            sink.emit(T::Activity)?;
            if is_offshore {
                p.ex |= Scheme::OffshoreHours.bit();
            }
            if p.fraud() && ctx.ep.is_anon(self.rd) {
                p.ex |= Scheme::AnonNetwork.bit();
            }
        }
        // network flows
        let nf = (len_h * 0.09 + r.random::<f64>()) as i64;
        for _ in 0..nf.max(i64::from(sess.main)) {
            let (dom, ip, port) = *pick(r, SAAS);
            let t = r.int(a, b - 1);
            self.flow(r, sink, dev, t, ctx.lan, ip, port, dom, false, 0)?;
        }
        if !dev.rmm.is_empty() && !dev.farm && sess.main && t >= dev.rmm_install {
            self.rmm_flows(r, sink, p, dev, a, b, ctx.lan)?;
        }
        if dev.approved && sess.main && r.chance(0.3) {
            let t = r.int(a, b - 1);
            let dom = *pick(r, APPROVED_RMM.domains);
            let dst = APPROVED_RMM.relay_net | r.uint(2, 250);
            self.flow(r, sink, dev, t, ctx.lan, dst, 443, dom, false, 0)?;
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn flow(
        &self,
        r: &mut ChaCha8Rng,
        sink: &mut Sink,
        dev: &Device,
        t: i64,
        lan: u32,
        dst: u32,
        port: u16,
        dom: &str,
        inbound: bool,
        from: u32,
    ) -> Result<(), SynthError> {
        let row = &mut sink.row;
        row.ts(t).s(&dev.id);
        let me = lan | dev.lan_host;
        if inbound {
            row.ip(from)
                .u(r.uint(49_152, 65_535).into())
                .ip(me)
                .u(port.into());
        } else {
            row.ip(me)
                .u(r.uint(49_152, 65_535).into())
                .ip(dst)
                .u(port.into());
        }
        let bin = r.int(2_000, 4_000_000);
        row.s("tcp")
            .s(if inbound { "inbound" } else { "outbound" })
            .u(bin as u64)
            .u((bin / r.int(3, 30)) as u64);
        row.fixed(r.float(0.5, 1800.0), 1);
        if dom.is_empty() {
            row.null()
        } else {
            row.s(dom)
        };
        sink.emit(T::Network)
    }

    #[allow(clippy::too_many_arguments)]
    fn rmm_flows(
        &self,
        r: &mut ChaCha8Rng,
        sink: &mut Sink,
        p: &mut Person,
        dev: &Device,
        a: i64,
        b: i64,
        lan: u32,
    ) -> Result<(), SynthError> {
        for tool in &dev.rmm {
            for _ in 0..r.uint(1, 3) {
                let t = r.int(a.max(dev.rmm_install), b.max(dev.rmm_install + 1));
                let dom_t = *pick(r, tool.domains);
                let mut dom = String::with_capacity(dom_t.len() + 8);
                for (k, part) in dom_t.split("{h}").enumerate() {
                    if k > 0 {
                        dom.push_str(&format!("{:08x}", dev.fp as u32));
                    }
                    dom.push_str(part);
                }
                let port = *pick(r, tool.ports);
                let dst = tool.relay_net | r.uint(2, 250);
                self.flow(r, sink, dev, t, lan, dst, port, &dom, false, 0)?;
                p.ex |= Scheme::Rmm.bit() * u16::from(p.fraud());
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn signin(
        &self,
        r: &mut ChaCha8Rng,
        sink: &mut Sink,
        p: &mut Person,
        t: i64,
        ep: &Endpoint,
        dev: Option<&Device>,
        outcome: &str,
        app: &str,
        source: &str,
        mfa: bool,
    ) -> Result<(), SynthError> {
        if t < p.act.0 || t >= p.act.1 {
            return Ok(());
        }
        let rd = self.rd;
        let row = &mut sink.row;
        row.ts(t)
            .s(&p.work_email)
            .null()
            .ip(ep.ip)
            .s(outcome)
            .s(app);
        match dev {
            Some(d) => {
                row.s(&d.id).raw_hex(d.fp, 16).end();
            }
            None if app == "Okta Verify" || (!p.fraud() && app == "Slack") => {
                row.null().raw_hex(p.phone_fp, 16).end();
            }
            None => {
                row.null().raw_hex(p.worker_fp, 16).end();
            }
        }
        if mfa && outcome == "success" {
            row.raw("okv-").raw_hex(p.mfa, 12).end();
            if p.fraud() && p.has(Scheme::MfaShared) {
                p.ex |= Scheme::MfaShared.bit();
            }
        } else {
            row.null();
        }
        row.raw_hex(r.random(), 16).raw_hex(r.random(), 8).end();
        let ua = match dev {
            Some(d) if d.model.os == Os::Mac => UA_MAC[(d.fp % UA_MAC.len() as u64) as usize],
            Some(d) => UA_WIN[(d.fp % UA_WIN.len() as u64) as usize],
            None if app == "Okta Verify" || (!p.fraud() && app == "Slack") => p.phone_ua,
            None if p.fraud() && app == "Okta Verify" => p.phone_ua,
            None => UA_OTHER[(p.worker_fp % UA_OTHER.len() as u64) as usize],
        };
        row.s(ua);
        ep.write_geo(row, rd);
        row.s(source);
        sink.emit(T::Signins)?;
        if p.fraud() && ep.is_anon(rd) {
            p.ex |= Scheme::AnonNetwork.bit();
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn presence_span(
        &mut self,
        r: &mut ChaCha8Rng,
        sink: &mut Sink,
        p: &mut Person,
        dev: &mut Device,
        a: i64,
        b: i64,
        ctx: &Ctx,
    ) -> Result<(), SynthError> {
        let (a0, a1) = p.act;
        // a device left on at home wakes up every few hours overnight
        if dev.leave_on
            && dev.last_t > i64::MIN
            && let Some(prev) = dev.last_ctx
        {
            let mut t = dev.last_t + r.int(120, 240) * MIN;
            while t < a - 30 * MIN {
                if t >= a0 && t < a1 {
                    self.presence_row(r, sink, p, dev, t, &prev)?;
                }
                t += r.int(120, 240) * MIN;
            }
        }
        let mut t = a.max(dev.last_t + 5 * MIN);
        while t < b {
            if t >= a0 && t < a1 {
                self.presence_row(r, sink, p, dev, t, ctx)?;
            }
            t += r.int(dev.ival.0, dev.ival.1);
        }
        dev.last_ctx = Some(*ctx);
        Ok(())
    }

    fn presence_row(
        &mut self,
        r: &mut ChaCha8Rng,
        sink: &mut Sink,
        p: &mut Person,
        dev: &mut Device,
        t: i64,
        ctx: &Ctx,
    ) -> Result<(), SynthError> {
        let row = &mut sink.row;
        row.ts(t).s(&dev.id).ip(ctx.ep.ip);
        match ctx.wifi {
            Some(w) if !(dev.wired && ctx.kind == CtxKind::Home) => w.write(row),
            _ => {
                row.null().null();
            }
        }
        match (dev.geo, ctx.phys) {
            (true, Some((la, lo))) => {
                row.fixed(la + r.float(-0.0004, 0.0004), 5)
                    .fixed(lo + r.float(-0.0004, 0.0004), 5)
                    .u(r.uint(12, 90).into());
            }
            _ => {
                row.nulls(3);
            }
        }
        row.s(if ctx.kind == CtxKind::CorpVpn && r.chance(0.5) {
            "zscaler"
        } else {
            dev.src
        });
        sink.emit(T::Presence)?;
        if ctx.kind == CtxKind::Farm {
            p.ex |= Scheme::LaptopFarm.bit();
        }
        if p.fraud() && ctx.ep.is_anon(self.rd) {
            p.ex |= Scheme::AnonNetwork.bit();
        }
        dev.last_t = t;
        dev.first_seen = dev.first_seen.min(t);
        dev.last_seen = dev.last_seen.max(t);
        let week = (t - self.clock.t0).div_euclid(WEEK);
        if week != dev.inv_week {
            dev.inv_week = week;
            let ti = t + r.int(20, 300);
            self.inventory(r, sink, p, dev, ti, ctx)?;
        }
        Ok(())
    }

    /// Weekly inventory: running processes, attached USB devices, monitors.
    fn inventory(
        &self,
        r: &mut ChaCha8Rng,
        sink: &mut Sink,
        p: &mut Person,
        dev: &mut Device,
        t: i64,
        ctx: &Ctx,
    ) -> Result<(), SynthError> {
        let first = dev.inv_n == 0;
        dev.inv_n += 1;
        let (base, mac) = match dev.model.os {
            Os::Windows => (WIN_BASE, false),
            Os::Mac => (MAC_BASE, true),
        };
        let user = p.user.as_str();
        let mut k = 0;
        for prog in base.iter().chain(dev.apps.iter().copied()) {
            let is_base = base.iter().any(|b| std::ptr::eq(b, prog));
            if !is_base && !r.chance(0.9) {
                continue;
            }
            k += 1;
            let row = &mut sink.row;
            row.ts(t + k).s(&dev.id).s(prog.proc);
            raw_tpl(row, prog.path, user, 0, 0);
            row.end().null();
            raw_sha(row, prog.path);
            row.s(prog.signer).s(prog.parent);
            if is_base && prog.proc != "explorer.exe" && prog.proc != "Finder" {
                row.s(if mac { "root" } else { "NT AUTHORITY\\SYSTEM" });
            } else if mac {
                row.s(user);
            } else {
                row.raw("CORP\\").raw(user).end();
            }
            row.s("running");
            sink.emit(T::Processes)?;
        }
        let mut extra: Vec<(&str, &str, &str, &str, bool)> = Vec::new();
        if t >= dev.rmm_install {
            for tool in &dev.rmm {
                for pr in tool.procs {
                    extra.push((pr.0, pr.1, pr.2, pr.3, true));
                }
            }
        }
        if dev.approved {
            for pr in APPROVED_RMM.procs {
                extra.push((pr.0, pr.1, pr.2, pr.3, false));
            }
        }
        if let Some((_, pname, signer)) = dev.vpn_sw
            && (ctx.kind == CtxKind::ConsumerVpn || ctx.kind == CtxKind::FraudVpn || r.chance(0.5))
        {
            extra.push((pname, "", signer, "", false));
        }
        for (name, path, signer, cmd, is_rmm) in extra {
            k += 1;
            let row = &mut sink.row;
            row.ts(t + k).s(&dev.id).s(name);
            if path.is_empty() {
                row.raw("C:\\Program Files\\")
                    .raw(signer.split(' ').next().unwrap_or("VPN"))
                    .raw("\\")
                    .raw(name)
                    .end();
            } else {
                row.s(path);
            }
            row.s(cmd);
            raw_sha(row, name);
            row.s(signer)
                .s("services.exe")
                .s("NT AUTHORITY\\SYSTEM")
                .s("running");
            sink.emit(T::Processes)?;
            if is_rmm && p.fraud() {
                p.ex |= Scheme::Rmm.bit();
            }
        }
        // USB
        let ev = if first { "connected" } else { "present" };
        for (u, serial) in dev.inputs.clone() {
            self.usb_row(sink, dev, t + 1, &u, serial, ev)?;
        }
        if let Some((kv, spoofed, attach, serial)) = dev.kvm
            && t >= attach
        {
            let ev = if first && attach >= self.clock.t0 {
                "connected"
            } else {
                "present"
            };
            self.usb_row(sink, dev, t + 1, &kv.usb, serial, ev)?;
            if p.fraud() {
                p.ex |= if spoofed {
                    Scheme::KvmSpoofed.bit()
                } else {
                    Scheme::KvmDefault.bit()
                };
            }
        }
        if let Some((u, serial)) = dev.rig
            && r.chance(0.5)
        {
            self.usb_row(sink, dev, t + 2, &u, serial, "connected")?;
        }
        // displays
        if let Some(panel) = dev.panel {
            self.display_row(sink, dev, t + 3, &panel, dev.fp)?;
        }
        if ctx.kind == CtxKind::Home
            || ctx.kind == CtxKind::CorpVpn
            || ctx.kind == CtxKind::ConsumerVpn
        {
            for (m, serial) in dev.monitors.clone() {
                self.display_row(sink, dev, t + 3, &m, serial)?;
            }
        }
        if let Some((kv, _, attach, serial)) = dev.kvm
            && t >= attach
        {
            self.display_row(sink, dev, t + 3, &kv.edid, serial)?;
        }
        Ok(())
    }

    fn usb_row(
        &self,
        sink: &mut Sink,
        dev: &Device,
        t: i64,
        u: &Usb,
        serial: u64,
        ev: &str,
    ) -> Result<(), SynthError> {
        let row = &mut sink.row;
        row.ts(t)
            .s(&dev.id)
            .s(u.vid)
            .s(u.pid)
            .s(u.vendor)
            .s(u.product);
        match u.serial {
            "" => row.null(),
            "*" => row.raw_hex_up(serial, 12).end(),
            s => row.s(s),
        };
        row.s(u.interfaces).s(ev);
        sink.emit(T::Peripherals)
    }

    fn display_row(
        &self,
        sink: &mut Sink,
        dev: &Device,
        t: i64,
        e: &Edid,
        serial: u64,
    ) -> Result<(), SynthError> {
        let row = &mut sink.row;
        row.ts(t).s(&dev.id).s(e.mfg).s(e.code);
        if e.name.is_empty() {
            row.null()
        } else {
            row.s(e.name)
        };
        match e.serial {
            "" => row.null(),
            "*" => row.raw_hex_up(serial, 8).end(),
            s => row.s(s),
        };
        row.u(e.w.into()).u(e.h.into());
        sink.emit(T::Displays)
    }

    /// A farm laptop: always on, regular check-ins from the facilitator's line, day and night.
    fn farm_loop(
        &mut self,
        r: &mut ChaCha8Rng,
        sink: &mut Sink,
        p: &mut Person,
        dev: &mut Device,
    ) -> Result<(), SynthError> {
        let Some(rg) = p.ring else { return Ok(()) };
        let (a0, a1) = p.act;
        let start = a0.max(dev.delivered + DAY);
        let step = i64::from(rg.jiggle_s);
        let mut t = start + r.int(0, step - 1);
        let mut next_flow = t + r.int(2, 8) * HOUR;
        let mut next_rdp = t + r.int(1, 3) * DAY;
        while t < a1 {
            let ctx = home_ctx(&rg.fac_home, self.clock.day_of(t), self.rd, CtxKind::Farm);
            self.presence_row(r, sink, p, dev, t, &ctx)?;
            if t >= next_flow {
                let (dom, ip, port) = *pick(r, SAAS);
                self.flow(r, sink, dev, t + 7, ctx.lan, ip, port, dom, false, 0)?;
                if !dev.rmm.is_empty() && t >= dev.rmm_install {
                    self.rmm_flows(r, sink, p, dev, t, t + HOUR, ctx.lan)?;
                }
                next_flow = t + r.int(3, 9) * HOUR;
            }
            if !dev.rmm.is_empty() && t >= next_rdp {
                if r.chance(0.3) {
                    let from = p.vpn[r.index(4)].ip;
                    self.flow(r, sink, dev, t + 11, ctx.lan, 0, 3389, "", true, from)?;
                }
                next_rdp = t + r.int(1, 3) * DAY;
            }
            t += step + r.int(-20, 20);
        }
        Ok(())
    }

    fn software_rows(
        &self,
        sink: &mut Sink,
        p: &mut Person,
        dev: &Device,
    ) -> Result<(), SynthError> {
        let first = dev.delivered + 2 * HOUR;
        let last = if dev.last_seen > i64::MIN {
            dev.last_seen
        } else {
            first
        };
        let user = p.user.as_str();
        let (base, extra) = match dev.model.os {
            Os::Windows => (WIN_BASE, WIN_EXTRA_SW),
            Os::Mac => (MAC_BASE, MAC_EXTRA_SW),
        };
        for prog in base.iter().chain(dev.apps.iter().copied()) {
            if prog.sw_name.is_empty() {
                continue;
            }
            let row = &mut sink.row;
            row.s(&dev.id)
                .s(prog.sw_name)
                .s(prog.version)
                .s(prog.publisher);
            raw_tpl(row, prog.install_path, user, 0, 0);
            row.end().s("program").ts(first).ts(last.max(first));
            sink.emit(T::Software)?;
        }
        for (name, publ, ver, path) in extra {
            let row = &mut sink.row;
            row.s(&dev.id)
                .s(name)
                .s(ver)
                .s(publ)
                .s(path)
                .s("program")
                .ts(first)
                .ts(last.max(first));
            sink.emit(T::Software)?;
        }
        let mut tools: Vec<(&Rmm, bool)> = dev.rmm.iter().map(|t| (*t, true)).collect();
        if dev.approved {
            tools.push((&APPROVED_RMM, false));
        }
        for (tool, fraud_tool) in tools {
            let seen = if fraud_tool { dev.rmm_install } else { first };
            if fraud_tool && seen > last {
                continue;
            }
            let row = &mut sink.row;
            row.s(&dev.id)
                .s(tool.name)
                .s(tool.version)
                .s(tool.publisher)
                .s(tool.install_path)
                .s("program")
                .ts(seen)
                .ts(last.max(seen));
            sink.emit(T::Software)?;
            if fraud_tool {
                sink.row
                    .s(&dev.id)
                    .raw(tool.name)
                    .raw(" Service")
                    .end()
                    .s(tool.version)
                    .s(tool.publisher)
                    .s(tool.install_path)
                    .s("service")
                    .ts(seen)
                    .ts(last.max(seen));
                sink.emit(T::Software)?;
                // the installer run, if inside the window
                if seen >= self.clock.t0 && !tool.installer.0.is_empty() {
                    let row = &mut sink.row;
                    row.ts(seen).s(&dev.id).s(tool.installer.0);
                    raw_tpl(row, tool.installer.1, user, 0, 0);
                    row.end();
                    raw_tpl(row, tool.installer.2, user, dev.fp, dev.pin);
                    row.end();
                    raw_sha(row, tool.installer.0);
                    row.s(tool.publisher)
                        .s(if tool.name == "Chrome Remote Desktop" {
                            "powershell.exe"
                        } else {
                            "explorer.exe"
                        });
                    row.raw("CORP\\").raw(user).end().s("start");
                    sink.emit(T::Processes)?;
                }
                if p.fraud() {
                    p.ex |= Scheme::Rmm.bit();
                }
            }
        }
        if let Some((name, _, publ)) = dev.vpn_sw {
            let row = &mut sink.row;
            row.s(&dev.id)
                .s(name)
                .s("")
                .s(publ)
                .null()
                .s("program")
                .ts(first)
                .ts(last.max(first));
            sink.emit(T::Software)?;
        }
        Ok(())
    }

    fn payroll(
        &self,
        r: &mut ChaCha8Rng,
        sink: &mut Sink,
        p: &mut Person,
    ) -> Result<(), SynthError> {
        let t0 = self.clock.t0;
        let d_of = |t: i64| (t - t0).div_euclid(DAY);
        let own = Bank::new(r);
        let mut changes: Vec<(i64, PayKind, Holder, Endpoint)> = Vec::new();
        let first = p.hired + r.int(1, 4) * DAY + r.int(0, 6) * HOUR;
        let home_ip = |t: i64, p: &Person| p.home.ip_on(d_of(t));
        if !p.fraud() {
            let bank = p.group.and_then(|g| g.bank).unwrap_or(own);
            changes.push((first, PayKind::Ach(bank), Holder::Own, home_ip(first, p)));
            if r.chance(0.04) {
                let t = first + r.int(60, 900) * DAY;
                changes.push((t, PayKind::Ach(Bank::new(r)), Holder::Own, home_ip(t, p)));
            }
        } else {
            let rg = p.ring;
            let fac_ip = |t: i64| rg.map(|x| x.fac_home.ip_on(d_of(t)));
            let change_ip = |r: &mut ChaCha8Rng, t: i64, p: &Person| -> Endpoint {
                if p.has(Scheme::AnonNetwork) || (p.has(Scheme::PayrollChurn) && r.chance(0.35)) {
                    p.vpn[r.index(4)]
                } else {
                    fac_ip(t)
                        .or_else(|| p.own_line.map(|h| h.ip_on(d_of(t))))
                        .unwrap_or_else(|| p.home.ip_on(d_of(t)))
                }
            };
            let shared_bank = rg.filter(|_| p.has(Scheme::SharedBank));
            let payout = |r: &mut ChaCha8Rng| -> (PayKind, Holder) {
                let crypto = rg.map(|x| x.crypto).unwrap_or_else(|| r.chance(0.3));
                let holder = match rg {
                    Some(x) if r.chance(0.5) => Holder::Name(x.fac_name),
                    _ => Holder::Shell(r.index(SHELL_HOLDERS.len()) as u8),
                };
                if crypto {
                    let seed = match (rg, shared_bank) {
                        (Some(x), Some(_)) => x.crypto_seed,
                        (Some(x), None) => x.crypto_seed ^ u64::from(p.i).wrapping_mul(0x9E37),
                        _ => r.random(),
                    };
                    (
                        PayKind::Crypto {
                            seed,
                            trc: seed % 3 != 0,
                        },
                        holder,
                    )
                } else {
                    let (provider, account) = match (rg, shared_bank) {
                        (Some(x), Some(_)) => (x.payout, x.payout_account),
                        (Some(x), None) => (x.payout, x.payout_account + 1 + u64::from(p.i)),
                        _ => (
                            r.index(PAYOUT_PROVIDERS.len()) as u8,
                            r.random_range(1_000_000_000..10_000_000_000u64),
                        ),
                    };
                    (PayKind::Provider { provider, account }, holder)
                }
            };
            // initial account
            let t = first;
            match (shared_bank, p.has(Scheme::PayoutProvider)) {
                (Some(x), _) if !p.has(Scheme::PayrollChurn) || r.chance(0.5) => {
                    let h = if x.bank_holder_fac {
                        Holder::Name(x.fac_name)
                    } else {
                        Holder::Own
                    };
                    changes.push((t, PayKind::Ach(x.bank), h, change_ip(r, t, p)));
                }
                (_, true) if !p.has(Scheme::PayrollChurn) => {
                    let (k, h) = payout(r);
                    changes.push((t, k, h, change_ip(r, t, p)));
                }
                _ => changes.push((t, PayKind::Ach(own), Holder::Own, change_ip(r, t, p))),
            }
            if p.has(Scheme::PayrollChurn) {
                let n = r.uint(2, 4);
                let mut t = first;
                for k in 0..n {
                    t += r.int(6, 18) * DAY + r.int(0, 12) * HOUR;
                    let last = k + 1 == n;
                    let (kind, h) = if last && shared_bank.is_some() {
                        let x = shared_bank.map(|x| (x.bank, x.bank_holder_fac, x.fac_name));
                        match x {
                            Some((b, fac, fname)) => (
                                PayKind::Ach(b),
                                if fac {
                                    Holder::Name(fname)
                                } else {
                                    Holder::Own
                                },
                            ),
                            None => (PayKind::Ach(Bank::new(r)), Holder::Own),
                        }
                    } else if last && p.has(Scheme::PayoutProvider) {
                        payout(r)
                    } else {
                        (PayKind::Ach(Bank::new(r)), Holder::Own)
                    };
                    changes.push((t, kind, h, change_ip(r, t, p)));
                }
            } else if p.has(Scheme::PayoutProvider)
                && matches!(changes.first(), Some((_, PayKind::Ach(_), _, _)))
            {
                let t = first + r.int(10, 40) * DAY;
                let (k, h) = payout(r);
                changes.push((t, k, h, change_ip(r, t, p)));
            }
        }
        let biweekly = r.chance(0.85) || p.slot.rtype == RecordType::Employee;
        let gross = if p.slot.rtype == RecordType::Contractor {
            p.job.salary as f64 * 1.15
        } else {
            p.job.salary as f64
        };
        let per = if biweekly { gross / 26.0 } else { gross / 12.0 };
        // account changes (history, also before the window)
        for &(t, kind, holder, ip) in &changes {
            if t >= p.term {
                break;
            }
            self.pay_row(sink, p, t, "account_change", kind, holder, None, Some(&ip))?;
            if p.fraud() && ip.is_anon(self.rd) {
                p.ex |= Scheme::AnonNetwork.bit();
            }
        }
        // payments inside the window
        let mut d = self.payday0;
        while d < self.clock.days {
            let t = t0 + d * DAY + 14 * HOUR + r.int(0, 59) * MIN;
            if t >= p.hired + 7 * DAY
                && t < p.term
                && t < self.clock.end
                && let Some(&(_, kind, holder, _)) = changes.iter().rev().find(|c| c.0 <= t)
            {
                let amount = per * r.float(0.68, 0.74);
                self.pay_row(sink, p, t, "payment", kind, holder, Some(amount), None)?;
            }
            d += if biweekly { 14 } else { 28 };
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn pay_row(
        &self,
        sink: &mut Sink,
        p: &mut Person,
        t: i64,
        event: &str,
        kind: PayKind,
        holder: Holder,
        amount: Option<f64>,
        ip: Option<&Endpoint>,
    ) -> Result<(), SynthError> {
        let row = &mut sink.row;
        row.ts(t).s(&p.pid).s(event);
        match kind {
            PayKind::Ach(b) => {
                row.s("ach");
                b.write(row);
            }
            PayKind::Provider { provider, account } => {
                row.s("payout_provider");
                let (_, routing) = PAYOUT_PROVIDERS[provider as usize % PAYOUT_PROVIDERS.len()];
                row.s(routing).raw_u(account).end();
            }
            PayKind::Crypto { .. } => {
                row.s("crypto").null().null();
            }
        }
        match holder {
            Holder::Own => row.raw(p.name.given).raw(" ").raw(p.name.family).end(),
            Holder::Name(n) => row.raw(n.given).raw(" ").raw(n.family).end(),
            Holder::Shell(k) => row.s(SHELL_HOLDERS[k as usize % SHELL_HOLDERS.len()]),
        };
        match kind {
            PayKind::Provider { provider, .. } => {
                row.s(PAYOUT_PROVIDERS[provider as usize % PAYOUT_PROVIDERS.len()].0)
                    .null();
            }
            PayKind::Crypto { seed, trc } => {
                row.null();
                if trc {
                    const B58: &[u8] =
                        b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
                    row.raw("T");
                    let mut x = seed;
                    for k in 0..33u64 {
                        if k % 10 == 0 {
                            x = crate::rng::mix(seed, 17, k);
                        }
                        row.raw_byte(B58[(x % 58) as usize]);
                        x /= 58;
                    }
                    row.end();
                } else {
                    row.raw("0x")
                        .raw_hex(seed, 16)
                        .raw_hex(crate::rng::mix(seed, 1, 1), 16)
                        .raw_hex(crate::rng::mix(seed, 1, 2), 8)
                        .end();
                }
            }
            PayKind::Ach(_) => {
                row.null().null();
            }
        }
        match amount {
            Some(a) => row.fixed(a, 2).s("USD"),
            None => row.null().null(),
        };
        match ip {
            Some(e) => row.ip(e.ip),
            None => row.null(),
        };
        sink.emit(T::Payroll)?;
        if p.fraud() {
            match (kind, holder) {
                (PayKind::Provider { .. } | PayKind::Crypto { .. }, _) => {
                    p.ex |= Scheme::PayoutProvider.bit()
                }
                (PayKind::Ach(b), _) if p.ring.is_some_and(|x| x.bank == b) => {
                    p.ex |= Scheme::SharedBank.bit()
                }
                _ => {}
            }
            if event == "account_change" && p.has(Scheme::PayrollChurn) {
                p.ex |= Scheme::PayrollChurn.bit();
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::ORIGINS;

    /// Fraud and legitimate records get names from one distribution: a chi-square test of
    /// homogeneity of the name origin over 60,000 planned records (3,000 fraudulent).
    #[test]
    fn fraud_and_legit_names_come_from_one_distribution() {
        let rd = RefData::load().unwrap();
        let cfg = SynthConfig {
            people: 60_000,
            fraud_rate: 0.05,
            seed: 11,
            ..SynthConfig::new("x")
        };
        let plan = Plan::build(&cfg, &rd).unwrap();
        let clock = Clock::new(cfg.start, cfg.days, &rd).unwrap();
        let k = ORIGINS.len();
        let mut counts = vec![[0f64; 2]; k];
        for (i, slot) in plan.slots.iter().enumerate() {
            let ring = if slot.role.is_fraud() && slot.role != Role::Lone {
                plan.rings.get(slot.inst as usize)
            } else {
                None
            };
            let mut r = stream(cfg.seed, D_PERSON, i as u64);
            let (core, _) = core_of(cfg.seed, i as u32, slot, ring, clock.day0, &mut r);
            counts[core.name.origin as usize][usize::from(slot.role.is_fraud())] += 1.0;
        }
        let col: [f64; 2] = [
            counts.iter().map(|c| c[0]).sum(),
            counts.iter().map(|c| c[1]).sum(),
        ];
        assert_eq!(col[1], 3000.0);
        let total = col[0] + col[1];
        let mut chi2 = 0.0;
        for c in &counts {
            let row = c[0] + c[1];
            for j in 0..2 {
                let e = row * col[j] / total;
                if e > 0.0 {
                    chi2 += (c[j] - e).powi(2) / e;
                }
            }
        }
        // df = k - 1 = 13: P(chi2 > 34.5) = 0.001
        assert!(
            chi2 < 34.5,
            "name origins differ between labels: chi2 = {chi2:.1}"
        );
        for (o, c) in ORIGINS.iter().zip(&counts) {
            let share = [c[0] / col[0], c[1] / col[1]];
            assert!((share[0] - share[1]).abs() < 0.03, "{}: {share:?}", o.label);
        }
    }

    #[test]
    fn resume_templates_make_near_duplicates() {
        let job = Job {
            dept: ENGINEERING,
            title: "Backend Engineer",
            salary: 1,
        };
        let mut r = stream(1, 99, 0);
        let base = resume_spec(&mut r, ENGINEERING);
        let mut other = base;
        mutate(&mut r, &mut other, ENGINEERING);
        let (mut a, mut b) = (String::new(), String::new());
        render_resume(&mut a, "Ann Lee", &job, &base, "", "");
        render_resume(&mut b, "Bo Kim", &job, &other, "", "");
        let wa: HashSet<&str> = a.split_whitespace().collect();
        let wb: HashSet<&str> = b.split_whitespace().collect();
        let jac = wa.intersection(&wb).count() as f64 / wa.union(&wb).count() as f64;
        assert!(jac > 0.75, "{jac}: {a} / {b}");
        assert!(a.len() > 300, "{}", a.len());
    }
}
