//! The population plan: who is who (record type, label, role, ring or hard-negative group),
//! which tricks each ring and identity uses, and the values shared inside rings and groups.
//!
//! The plan is the only state kept for the whole run; it costs a few dozen bytes per person plus
//! a few hundred bytes per ring or group instance.

use rand::Rng;
use rand::seq::SliceRandom;

use crate::catalog::{
    AGENCIES, COWORKING_NAMES, HOTEL_SSIDS, KVM_DEFAULT, KVM_SPOOFED, PAYOUT_PROVIDERS, RECRUITERS,
    RMM_TOOLS,
};
use crate::names::{self, Name};
use crate::refdata::{RangeKind, RefData};
use crate::rng::{D_GROUP, D_PLAN, D_POOL, D_RING, RngExt, pick, stream};
use crate::world::{Addr, Bank, Endpoint, Home, Phone, Wifi};
use crate::{Group, Scheme, Schemes, SynthConfig, SynthError};

/// No index.
pub(crate) const NONE: u32 = u32::MAX;

/// HR record type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RecordType {
    Employee,
    Contractor,
    Applicant,
}

impl RecordType {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::Employee => "employee",
            RecordType::Contractor => "contractor",
            RecordType::Applicant => "applicant",
        }
    }
}

/// Truth role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Legit,
    Worker,
    FacilitatorIdentity,
    Lone,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Legit => "legit",
            Role::Worker => "worker",
            Role::FacilitatorIdentity => "facilitator_identity",
            Role::Lone => "lone",
        }
    }
    pub fn is_fraud(self) -> bool {
        self != Role::Legit
    }
}

/// Plan of one person.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slot {
    pub rtype: RecordType,
    pub role: Role,
    /// Hard-negative group (legit only).
    pub group: Option<Group>,
    /// Ring index (fraud in a ring) or group instance index (grouped legit); `NONE` otherwise.
    pub inst: u32,
    /// Position inside the ring / group instance.
    pub member: u16,
    /// Planned tricks (fraud).
    pub tricks: Schemes,
    /// Stolen identity: index of the victim record. Lone resume reuse: index of the copied record.
    pub link: u32,
    /// This (legit) record's identity is used by a fraudulent record.
    pub victim: bool,
    /// Subtype: night shift 0 / on-call 1; approved RMM: IT staff 0, Pi gadget rig 1, capture card 2;
    /// victim: former applicant 0, terminated employee 1.
    pub sub: u8,
}

impl Slot {
    fn legit(rtype: RecordType) -> Self {
        Slot {
            rtype,
            role: Role::Legit,
            group: None,
            inst: NONE,
            member: 0,
            tricks: 0,
            link: NONE,
            victim: false,
            sub: 0,
        }
    }
    pub fn has(&self, s: Scheme) -> bool {
        self.tricks & s.bit() != 0
    }
}

/// A fraud ring: a facilitator and the identities whose laptops they host.
#[derive(Debug, Clone)]
pub(crate) struct Ring {
    pub tricks: Schemes,
    pub members: Vec<u32>,
    pub fac_name: Name,
    pub fac_home: Home,
    /// Where the laptops are shipped (the facilitator's home or a mail drop near it).
    pub ship: Addr,
    pub offshore_tz: u8,
    /// Working hours shifted to overlap US mornings.
    pub shifted: bool,
    /// Mouse-jiggler regular check-in interval of farm devices (seconds).
    pub jiggle_s: u32,
    pub kvm_default: u8,
    pub kvm_spoofed: u8,
    pub rmm: [u8; 2],
    pub rmm_two: bool,
    pub phone: Phone,
    /// Shared contact email: local part tag and domain index.
    pub email_tag: u32,
    pub email_also: bool,
    pub photo: u64,
    pub photo_also: bool,
    pub bank: Bank,
    pub bank_holder_fac: bool,
    pub payout: u8,
    pub payout_account: u64,
    pub crypto: bool,
    pub crypto_seed: u64,
    pub mfa: u64,
    pub vpn: [Endpoint; 4],
    pub resume_seed: u64,
    /// Day (relative to the window start) around which the members were hired.
    pub hire_base: i64,
}

/// A place shared by a group: coworking space, conference hotel, recruiter office.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Site {
    pub place: u32,
    pub ep: Endpoint,
    pub wifi: Wifi,
    pub lan: u32,
}

/// One instance of a hard-negative group (a household, a coworking space, a recruiter batch...).
#[derive(Debug, Clone)]
pub(crate) struct GroupInst {
    pub kind: Group,
    pub members: Vec<u32>,
    pub home: Option<Home>,
    pub site: Option<Site>,
    pub phone: Option<Phone>,
    pub bank: Option<Bank>,
    /// Agency / recruiter index.
    pub org: u8,
    pub contact: Name,
    pub trip_start: i64,
    pub trip_len: i64,
}

/// The whole plan.
pub(crate) struct Plan {
    pub slots: Vec<Slot>,
    pub rings: Vec<Ring>,
    pub groups: Vec<GroupInst>,
    /// Mobile-carrier CGNAT egress addresses shared by everyone.
    pub mobile_pool: Vec<Endpoint>,
    /// The company's VPN / ZTNA egress addresses.
    pub corp_egress: Vec<Endpoint>,
    /// Consumer VPN exits per brand (index into `CONSUMER_VPNS`).
    pub consumer_vpn: Vec<Vec<Endpoint>>,
}

/// Tricks a ring can draw, with weights.
const RING_TRICKS: &[(Scheme, f64)] = &[
    (Scheme::LaptopFarm, 0.85),
    (Scheme::ShipToFacilitator, 0.6),
    (Scheme::AnonNetwork, 0.6),
    (Scheme::OffshoreHours, 0.6),
    (Scheme::Rmm, 0.45),
    (Scheme::KvmDefault, 0.25),
    (Scheme::KvmSpoofed, 0.2),
    (Scheme::SharedContact, 0.35),
    (Scheme::SharedBank, 0.35),
    (Scheme::ResumeReuse, 0.35),
    (Scheme::StolenIdentity, 0.3),
    (Scheme::PayrollChurn, 0.3),
    (Scheme::PayoutProvider, 0.3),
    (Scheme::MfaShared, 0.25),
];

/// Tricks a lone fraudster can draw.
const LONE_TRICKS: &[(Scheme, f64)] = &[
    (Scheme::AnonNetwork, 0.7),
    (Scheme::OffshoreHours, 0.6),
    (Scheme::Rmm, 0.4),
    (Scheme::KvmDefault, 0.15),
    (Scheme::KvmSpoofed, 0.15),
    (Scheme::PayoutProvider, 0.45),
    (Scheme::PayrollChurn, 0.3),
    (Scheme::StolenIdentity, 0.3),
    (Scheme::ResumeReuse, 0.25),
    (Scheme::ShipToFacilitator, 0.3),
];

/// Tricks that need at least two identities to be visible.
const SHARED: &[Scheme] = &[
    Scheme::LaptopFarm,
    Scheme::SharedContact,
    Scheme::SharedBank,
    Scheme::ResumeReuse,
    Scheme::MfaShared,
];

/// Tricks an applicant (no device, no payroll) can exhibit.
const APPLICANT_OK: Schemes = Scheme::SharedContact.bit()
    | Scheme::ResumeReuse.bit()
    | Scheme::StolenIdentity.bit()
    | Scheme::AnonNetwork.bit();

/// Share of the population in each hard-negative group.
const GROUP_SHARE: &[(Group, f64)] = &[
    (Group::Household, 0.06),
    (Group::SharedFamilyPhone, 0.03),
    (Group::Coworking, 0.04),
    (Group::CorporateVpn, 0.05),
    (Group::NightShift, 0.035),
    (Group::Traveler, 0.05),
    (Group::ApprovedRmm, 0.03),
    (Group::ConsumerVpn, 0.04),
    (Group::RecruiterBatch, 0.03),
    (Group::StaffingAgency, 0.035),
    (Group::MobileCgnat, 0.04),
];

fn capable(rtype: RecordType, s: Scheme) -> bool {
    rtype != RecordType::Applicant || APPLICANT_OK & s.bit() != 0
}

fn weighted_subset<R: Rng + ?Sized>(rng: &mut R, pool: &[(Scheme, f64)], k: usize) -> Schemes {
    let mut left: Vec<(Scheme, f64)> = pool.to_vec();
    let mut out = 0;
    for _ in 0..k.min(pool.len()) {
        let total: f64 = left.iter().map(|x| x.1).sum();
        let mut x = rng.float(0.0, total);
        let mut chosen = left.len() - 1;
        for (i, (_, w)) in left.iter().enumerate() {
            if x < *w {
                chosen = i;
                break;
            }
            x -= w;
        }
        out |= left[chosen].0.bit();
        left.remove(chosen);
    }
    out
}

fn bits(s: Schemes) -> impl Iterator<Item = Scheme> {
    Scheme::ALL.into_iter().filter(move |x| s & x.bit() != 0)
}

impl Plan {
    /// Plans the population of `cfg`.
    pub fn build(cfg: &SynthConfig, rd: &RefData) -> Result<Plan, SynthError> {
        let n = cfg.people;
        let n32 = u32::try_from(n).map_err(|_| SynthError::Config("too many people".into()))?;
        let seed = cfg.seed;
        let days = cfg.days;
        let mut rng = stream(seed, D_PLAN, 0);
        let mut perm: Vec<u32> = (0..n32).collect();
        perm.shuffle(&mut rng);
        let mut cur = 0usize;
        let mut slots = vec![Slot::legit(RecordType::Employee); n];

        // ---------- fraud ----------
        let fraud = ((n as f64) * cfg.fraud_rate).round() as usize;
        let fraud = fraud.min(n);
        let mut lone = if fraud < 3 {
            fraud
        } else {
            ((fraud as f64) * 0.2).round() as usize
        };
        let mut ring_total = fraud - lone;
        if ring_total < 3 {
            lone += ring_total;
            ring_total = 0;
        }
        let mut sizes = Vec::new();
        let mut left = ring_total;
        while left > 0 {
            let mut size = if rng.chance(0.1) {
                rng.int(15, 25)
            } else {
                rng.int(3, 12)
            } as usize;
            size = size.min(left);
            if left - size < 3 {
                size = left;
            }
            sizes.push(size);
            left -= size;
        }
        let mut rings = Vec::with_capacity(sizes.len());
        for (k, &size) in sizes.iter().enumerate() {
            let members: Vec<u32> = perm[cur..cur + size].to_vec();
            cur += size;
            rings.push(Self::ring(seed, k, members, rd, days));
        }
        // ring-level tricks: three forced partial rings, the rest drawn, then coverage of the vocabulary
        for (k, ring) in rings.iter_mut().enumerate() {
            let mut rr = stream(seed, D_RING, 1_000_000 + k as u64);
            ring.tricks = match k {
                0 => Scheme::LaptopFarm.bit(),
                1 => Scheme::KvmDefault.bit(),
                2 => Scheme::LaptopFarm.bit() | Scheme::ShipToFacilitator.bit(),
                _ => {
                    let kk = [1usize, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 6][rr.index(12)];
                    weighted_subset(&mut rr, RING_TRICKS, kk)
                }
            };
        }
        if rings.len() > 3 {
            let union = rings[3..].iter().fold(0, |a, r| a | r.tricks);
            for &(s, _) in RING_TRICKS {
                if union & s.bit() == 0 {
                    let target = (3..rings.len())
                        .min_by_key(|&i| (rings[i].tricks.count_ones(), i))
                        .unwrap_or(3);
                    rings[target].tricks |= s.bit();
                }
            }
        }
        for (k, ring) in rings.iter().enumerate() {
            let mut rr = stream(seed, D_RING, 2_000_000 + k as u64);
            Self::assign_members(&mut rr, ring, k as u32, &mut slots);
        }
        let lone_ids: Vec<u32> = perm[cur..cur + lone].to_vec();
        cur += lone;
        for &i in &lone_ids {
            let s = &mut slots[i as usize];
            s.role = Role::Lone;
            s.rtype = if rng.chance(0.3) {
                RecordType::Contractor
            } else {
                RecordType::Employee
            };
            let kk = rng.int(1, 4) as usize;
            s.tricks = weighted_subset(&mut rng, LONE_TRICKS, kk);
        }

        // ---------- legit ----------
        let legit: Vec<u32> = perm[cur..].to_vec();
        let mut lc = 0usize;
        let mut groups: Vec<GroupInst> = Vec::new();
        for &(kind, share) in GROUP_SHARE {
            let quota = ((n as f64) * share).round() as usize;
            let mut filled = 0usize;
            while filled < quota && lc < legit.len() {
                let gi = groups.len() as u32;
                let mut gr = stream(seed, D_GROUP, u64::from(gi));
                let want = match kind {
                    Group::Household => {
                        if gr.chance(0.8) {
                            2
                        } else {
                            3
                        }
                    }
                    Group::SharedFamilyPhone => gr.int(2, 4) as usize,
                    Group::Coworking => gr.int(5, 20) as usize,
                    Group::Traveler => {
                        if gr.chance(0.35) {
                            1
                        } else {
                            gr.int(3, 8) as usize
                        }
                    }
                    Group::RecruiterBatch => gr.int(5, 12) as usize,
                    Group::StaffingAgency => gr.int(4, 15) as usize,
                    _ => 1,
                };
                let take = want.min(quota - filled).min(legit.len() - lc).max(1);
                let members: Vec<u32> = legit[lc..lc + take].to_vec();
                lc += take;
                filled += take;
                let inst = Self::group(&mut gr, kind, members, rd, days);
                for (m, &i) in inst.members.iter().enumerate() {
                    let s = &mut slots[i as usize];
                    s.group = Some(kind);
                    s.inst = gi;
                    s.member = m as u16;
                    s.rtype = match kind {
                        Group::SharedFamilyPhone if m == 0 => RecordType::Applicant,
                        Group::RecruiterBatch => RecordType::Applicant,
                        Group::StaffingAgency => {
                            if gr.chance(0.3) {
                                RecordType::Applicant
                            } else {
                                RecordType::Contractor
                            }
                        }
                        Group::Household
                        | Group::Coworking
                        | Group::ConsumerVpn
                        | Group::MobileCgnat => {
                            if gr.chance(0.12) {
                                RecordType::Contractor
                            } else {
                                RecordType::Employee
                            }
                        }
                        _ => RecordType::Employee,
                    };
                    s.sub = match kind {
                        Group::NightShift => u8::from(gr.chance(0.35)),
                        Group::ApprovedRmm => {
                            if gr.chance(0.5) {
                                0
                            } else if gr.chance(0.6) {
                                1
                            } else {
                                2
                            }
                        }
                        _ => 0,
                    };
                }
                groups.push(inst);
            }
        }
        let plain: Vec<u32> = legit[lc..].to_vec();
        for &i in &plain {
            let s = &mut slots[i as usize];
            s.rtype = if rng.chance(0.07) {
                RecordType::Applicant
            } else if rng.chance(0.1) {
                RecordType::Contractor
            } else {
                RecordType::Employee
            };
        }

        // ---------- links: stolen identities and copied resumes ----------
        let mut free: Vec<u32> = plain.clone();
        free.shuffle(&mut rng);
        let fraud_ids: Vec<u32> = (0..n32)
            .filter(|&i| slots[i as usize].role.is_fraud())
            .collect();
        for &i in &fraud_ids {
            let s = slots[i as usize];
            if s.has(Scheme::StolenIdentity) && rng.chance(0.65) {
                if let Some(v) = free.pop() {
                    slots[i as usize].link = v;
                    let vs = &mut slots[v as usize];
                    vs.victim = true;
                    vs.sub = u8::from(rng.chance(0.4));
                    vs.rtype = if vs.sub == 1 {
                        RecordType::Employee
                    } else {
                        RecordType::Applicant
                    };
                }
            } else if s.role == Role::Lone && s.has(Scheme::ResumeReuse) {
                match free.pop() {
                    Some(v) => {
                        slots[i as usize].link = v;
                        slots[v as usize].rtype = RecordType::Employee;
                    }
                    None => slots[i as usize].tricks &= !Scheme::ResumeReuse.bit(),
                }
            }
        }
        for &i in &fraud_ids {
            let s = &mut slots[i as usize];
            if s.tricks == 0 && s.role == Role::Lone {
                s.tricks = Scheme::OffshoreHours.bit();
                if s.rtype == RecordType::Applicant {
                    s.rtype = RecordType::Employee;
                }
            }
        }

        // ---------- shared pools ----------
        let mut pr = stream(seed, D_POOL, 0);
        let mobile_n = (n / 250).clamp(12, 160);
        let mobile_pool = (0..mobile_n)
            .map(|_| Endpoint::mobile(&mut pr, rd))
            .collect();
        let hq = rd.random_place(&mut pr);
        let (base_ip, zr) = rd.random_ip(&mut pr, RangeKind::Ztna);
        let corp_egress: Vec<Endpoint> = (0..4u32)
            .map(|k| {
                let r = &rd.ranges[zr as usize];
                let ip = if base_ip.saturating_add(k) <= r.end {
                    base_ip + k
                } else {
                    base_ip.saturating_sub(k)
                };
                Endpoint {
                    ip,
                    range: zr,
                    geo: crate::world::Geo::Place(hq),
                    anon_flag: false,
                }
            })
            .collect();
        let consumer_vpn = (0..crate::catalog::CONSUMER_VPNS.len())
            .map(|_| {
                (0..20)
                    .map(|_| Endpoint::of_kind(&mut pr, rd, RangeKind::Vpn))
                    .collect()
            })
            .collect();

        Ok(Plan {
            slots,
            rings,
            groups,
            mobile_pool,
            corp_egress,
            consumer_vpn,
        })
    }

    fn ring(seed: u64, k: usize, members: Vec<u32>, rd: &RefData, days: u32) -> Ring {
        let mut r = stream(seed, D_RING, k as u64);
        let fac_place = rd.random_place(&mut r);
        let fac_home = Home::new(&mut r, rd, fac_place, days);
        let ship = if r.chance(0.25) {
            let drop_place = rd.place_in_state(&mut r, &rd.places[fac_place as usize].state);
            Addr::mail_drop(&mut r, drop_place)
        } else {
            fac_home.addr
        };
        let fac_name = names::draw(&mut r);
        let offshore_tz = *pick(&mut r, &rd.offshore_tz);
        let vpn = [
            Endpoint::of_kind(&mut r, rd, RangeKind::Unlisted),
            {
                let k = if r.chance(0.5) {
                    RangeKind::Vpn
                } else {
                    RangeKind::Unlisted
                };
                Endpoint::of_kind(&mut r, rd, k)
            },
            Endpoint::of_kind(&mut r, rd, RangeKind::Hosting),
            Endpoint::of_kind(&mut r, rd, RangeKind::Vpn),
        ];
        let rmm0 = r.index(RMM_TOOLS.len()) as u8;
        let rmm1 = ((rmm0 as usize + 1 + r.index(RMM_TOOLS.len() - 1)) % RMM_TOOLS.len()) as u8;
        Ring {
            tricks: 0,
            members,
            fac_name,
            fac_home,
            ship,
            offshore_tz,
            shifted: r.chance(0.35),
            jiggle_s: *pick(&mut r, &[1800u32, 1800, 2700, 3600][..]),
            kvm_default: r.index(KVM_DEFAULT.len()) as u8,
            kvm_spoofed: r.index(KVM_SPOOFED.len()) as u8,
            rmm: [rmm0, rmm1],
            rmm_two: r.chance(0.3),
            phone: Phone::new(&mut r, rd, "", 1.0),
            email_tag: r.random(),
            email_also: r.chance(0.5),
            photo: r.random(),
            photo_also: r.chance(0.4),
            bank: Bank::new(&mut r),
            bank_holder_fac: r.chance(0.5),
            payout: r.index(PAYOUT_PROVIDERS.len()) as u8,
            payout_account: r.random_range(1_000_000_000..10_000_000_000u64),
            crypto: r.chance(0.3),
            crypto_seed: r.random(),
            mfa: r.random(),
            vpn,
            resume_seed: r.random(),
            hire_base: r.int(-160, (i64::from(days) / 5).max(1)),
        }
    }

    fn assign_members<R: Rng + ?Sized>(rr: &mut R, ring: &Ring, k: u32, slots: &mut [Slot]) {
        let size = ring.members.len();
        let fac_member = if size >= 4 && rr.chance(0.3) {
            Some(rr.index(size))
        } else {
            None
        };
        for (m, &i) in ring.members.iter().enumerate() {
            let s = &mut slots[i as usize];
            s.inst = k;
            s.member = m as u16;
            s.role = if fac_member == Some(m) {
                Role::FacilitatorIdentity
            } else {
                Role::Worker
            };
            s.rtype = if s.role == Role::Worker && rr.chance(0.08) {
                RecordType::Applicant
            } else if rr.chance(0.35) {
                RecordType::Contractor
            } else {
                RecordType::Employee
            };
            let mut mask = 0;
            for t in bits(ring.tricks) {
                let p = match t {
                    Scheme::LaptopFarm => 0.9,
                    Scheme::ShipToFacilitator => 0.85,
                    Scheme::OffshoreHours => 0.9,
                    Scheme::AnonNetwork => 0.8,
                    _ => 0.7,
                };
                if rr.chance(p) && capable(s.rtype, t) {
                    mask |= t.bit();
                }
            }
            if s.role == Role::FacilitatorIdentity {
                mask &= !(Scheme::ShipToFacilitator.bit() | Scheme::StolenIdentity.bit());
            }
            if mask == 0 {
                if s.rtype == RecordType::Applicant {
                    s.rtype = RecordType::Employee;
                }
                let mut allowed = ring.tricks;
                if s.role == Role::FacilitatorIdentity {
                    allowed &= !(Scheme::ShipToFacilitator.bit() | Scheme::StolenIdentity.bit());
                }
                let opts: Vec<Scheme> = bits(allowed).collect();
                if let Some(&t) = rr.pick(&opts) {
                    mask |= t.bit();
                }
            }
            s.tricks = mask;
        }
        // tricks that only show when shared: at least two capable holders, or none
        for &t in SHARED {
            if ring.tricks & t.bit() == 0 {
                continue;
            }
            let holders = ring
                .members
                .iter()
                .filter(|&&i| slots[i as usize].has(t))
                .count();
            let cap: Vec<u32> = ring
                .members
                .iter()
                .copied()
                .filter(|&i| capable(slots[i as usize].rtype, t))
                .collect();
            if cap.len() < 2 {
                for &i in &ring.members {
                    slots[i as usize].tricks &= !t.bit();
                }
                continue;
            }
            let mut need = 2usize.saturating_sub(holders);
            for &i in &cap {
                if need == 0 {
                    break;
                }
                if !slots[i as usize].has(t) {
                    slots[i as usize].tricks |= t.bit();
                    need -= 1;
                }
            }
        }
    }

    fn group<R: Rng + ?Sized>(
        gr: &mut R,
        kind: Group,
        members: Vec<u32>,
        rd: &RefData,
        days: u32,
    ) -> GroupInst {
        let place = rd.random_place(gr);
        let mut g = GroupInst {
            kind,
            members,
            home: None,
            site: None,
            phone: None,
            bank: None,
            org: 0,
            contact: names::draw(gr),
            trip_start: 0,
            trip_len: 0,
        };
        let state = rd.places[place as usize].state.clone();
        match kind {
            Group::Household | Group::SharedFamilyPhone => {
                g.home = Some(Home::new(gr, rd, place, days));
                let shared_phone = kind == Group::SharedFamilyPhone || gr.chance(0.3);
                if shared_phone {
                    g.phone = Some(Phone::new(gr, rd, &state, 0.1));
                }
                if kind == Group::Household && gr.chance(0.45) {
                    g.bank = Some(Bank::new(gr));
                }
            }
            Group::Coworking => {
                let name = *pick(gr, COWORKING_NAMES);
                g.site = Some(Site {
                    place,
                    ep: Endpoint::residential(gr, rd, place),
                    wifi: Wifi::named(gr, name),
                    lan: (10 << 24) | (gr.uint(0, 255) << 16),
                });
            }
            Group::Traveler => {
                // a conference: shared hotel (in another state, or abroad one time in six)
                let abroad = gr.chance(0.17);
                let ep = if abroad {
                    let city = gr.index(crate::catalog::FOREIGN_CITIES.len().min(9)) as u8;
                    Endpoint::abroad(gr, rd, city)
                } else {
                    Endpoint::residential(gr, rd, place)
                };
                g.site = Some(Site {
                    place,
                    ep,
                    wifi: {
                        let ssid = *pick(gr, HOTEL_SSIDS);
                        Wifi::named(gr, ssid)
                    },
                    lan: (10 << 24) | (gr.uint(0, 255) << 16) | (gr.uint(0, 255) << 8),
                });
                g.trip_len = gr.int(3, 6);
                g.trip_start = gr.int(3, (i64::from(days) - g.trip_len - 1).max(3));
            }
            Group::RecruiterBatch | Group::StaffingAgency => {
                g.org = if kind == Group::RecruiterBatch {
                    gr.index(RECRUITERS.len())
                } else {
                    gr.index(AGENCIES.len())
                } as u8;
                g.site = Some(Site {
                    place,
                    ep: Endpoint::residential(gr, rd, place),
                    wifi: Wifi::named(gr, "Office-Guest"),
                    lan: 10 << 24,
                });
                g.phone = Some(Phone::new(gr, rd, &state, 0.0));
            }
            _ => {}
        }
        g
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(n: usize, seed: u64) -> Plan {
        let cfg = SynthConfig {
            people: n,
            seed,
            ..SynthConfig::new("x")
        };
        Plan::build(&cfg, &RefData::load().unwrap()).unwrap()
    }

    #[test]
    fn fraud_count_and_ring_invariants() {
        let p = plan(5000, 3);
        let fraud = p.slots.iter().filter(|s| s.role.is_fraud()).count();
        assert_eq!(fraud, 150);
        assert!(p.rings.len() >= 4);
        for (k, r) in p.rings.iter().enumerate() {
            assert!(r.members.len() >= 3);
            for &t in SHARED {
                let holders = r
                    .members
                    .iter()
                    .filter(|&&i| p.slots[i as usize].has(t))
                    .count();
                assert!(holders == 0 || holders >= 2, "ring {k} {t:?} {holders}");
            }
            for &i in &r.members {
                let s = p.slots[i as usize];
                assert_eq!(
                    s.tricks & !r.tricks,
                    0,
                    "member tricks must be a subset of the ring's"
                );
            }
        }
        assert_eq!(p.rings[0].tricks, Scheme::LaptopFarm.bit());
    }

    #[test]
    fn tiny_populations_do_not_fail() {
        for n in [0, 1, 2, 5, 17, 40] {
            let p = plan(n, 9);
            assert_eq!(p.slots.len(), n);
        }
    }
}
