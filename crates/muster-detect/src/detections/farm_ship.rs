//! FARM-SHIP: company laptops of different people shipped to one address that is none of
//! their homes; laptops shipped to a mail drop.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use crate::rows::{col, rfc3339};
use crate::{
    DetectConfig, DetectError, Detection, DetectionMeta, Engine, Family, Link, Severity, Signal,
};

/// FARM-SHIP.
pub struct FarmShip;

/// Likelihood ratio when two identities (two households) share the drop.
const LR_TWO: f64 = 25.0;
/// A lone laptop shipped away from the claimed home.
const LR_AWAY: f64 = 3.0;
/// A lone laptop shipped to a mail drop (PMB, `#` box behind a suite, PO box).
const LR_MAIL_DROP: f64 = 8.0;
/// Factor when the parcel is addressed to somebody else.
const OTHER_NAME_FACTOR: f64 = 2.0;
/// Claimed home and ship-to this close (km, ZIP centroids) are one area.
const LOCAL_KM: f64 = 80.0;
/// The home on record changed between the application and the start, and the first laptop went
/// to the new address: a move within one area ...
const LR_MOVED_LOCAL: f64 = 2.0;
/// ... or to another area (more than `LOCAL_KM` away).
const LR_MOVED_FAR: f64 = 4.0;
/// Laptops of two identities (two households) addressed to one named recipient who is neither
/// of them, at different addresses ...
const LR_RECIPIENT_TWO: f64 = 15.0;
/// ... of three or more.
const LR_RECIPIENT_MANY: f64 = 80.0;
/// A laptop shipped this many days after the start is a replacement, not the onboarding laptop.
const ONBOARDING_DAYS: i64 = 60;
/// An application this many days before the start belongs to this hire; an older applicant
/// record is an earlier application, and a move since then is ordinary life.
const HIRING_DAYS: i64 = 180;

static META: DetectionMeta = DetectionMeta {
    id: "FARM-SHIP",
    title: "Laptops of different people shipped to one address none of them lives at",
    family: Family::Farm,
    severity: Severity::High,
    likelihood_ratio: 150.0,
    lr_rationale: "Three or more identities, from three or more claimed homes, whose company \
        laptops all went to one address none of them lives at is the shipping trace of a laptop \
        farm (Chapman received 90+ laptops at her home); no common legitimate story produces it \
        once offices, agencies and households are excluded: LR 150 (kept below FARM-IP's 400 \
        because a shipment is one event, not weeks of presence). Two identities: the likeliest \
        innocent story is a couple or roommates whose HR records are stale, maybe 1 in 1,000 \
        employees: LR 25. One laptop shipped away from the claimed home: common for innocent \
        reasons (a relative, a temporary address, an unrecorded move; perhaps 1 in 20 laptops), \
        against nearly every facilitated identity: LR 3; to a mail drop (private mailbox, PO box), \
        where nobody can use a laptop and reshippers forward it abroad: LR 8. A parcel addressed \
        to another name doubles the lone-laptop ratio (the 'care of' of a facilitator). The same \
        named recipient for the laptops of several identities at different addresses is the \
        facilitator or a mule who collects them: weaker than one shared drop because a name can \
        collide (two unrelated parcels 'care of' one common name), LR 15 for two identities and \
        80 for three or more. A home \
        address that changed between application and start, with the onboarding laptop sent to \
        the new one: about 8% of Americans move in a year, two thirds of them locally (Census \
        CPS ASEC), so perhaps 1-2% of hires move in the weeks between application and start, \
        against a larger share of facilitated identities, whose application carries the stolen \
        identity's address while the laptop must reach the facilitator: LR 2 for a local move, \
        4 for a move to another area (long-distance moves are a third as common). Weak on \
        purpose: it corroborates.",
    tables: &["devices"],
    what: "Normalises each company device's ship-to address (USPS rules: `addr_key`) and groups \
        shipments by building (`building_key`: the street address without its unit, so `Apt 2`, \
        `#2` and `Unit 3` variants of one drop fall together). A shipment is 'away' when its \
        building is not the assigned person's claimed home building. For each building it counts \
        the distinct identities whose laptops went there away from home, merging people who \
        claim the same home (a household) and people of one staffing agency into one. Two such \
        identities give LR 25, three or more LR 150; the shared address is a ring edge. A person \
        who is alone at an address still gets a weak signal: LR 3 for a shipment away from home, \
        8 when the ship-to is a mail drop (a `PMB` private-mailbox designator, a `#` box number \
        stacked behind a suite as commercial mail receiving agencies write them, or a PO box: \
        the rule of `is_commercial_mail_receiving_agency_hint`, never a business name), doubled \
        when the delivery name shares no name token with the person's name. One named recipient \
        (a name of at least two words and no role word such as desk, office or IT, compared as a \
        name key) taking delivery of the laptops of \
        two or more identities, each shipped away from its claimed home and addressed to someone \
        who is not the employee: LR 15 for two, 80 for three or more; the recipient is a ring \
        edge (shown as initials). Address changes after \
        the offer: when one person has an applicant record (the ATS copy) and an employee or \
        contractor record (the HRIS copy), linked by the same personal email or national id and \
        the same name key or date of birth, whose home buildings differ, the application no \
        more than 180 days before the start, and the onboarding laptop (shipped between the \
        application and 60 days after the start) went to the new address, the worker record \
        gets LR 2 (a move within 80 km) or 4 (farther).",
    why: "Facilitators receive the laptops of the identities they run and host them (DOJ: Chapman \
        received and hosted 90+ laptops and shipped 49 abroad; June 2025: 29 farms in 16 \
        states). Advisories tell companies to ship equipment only to the verified home address \
        and to watch for requests to ship elsewhere or to a reshipper.",
    data: "devices (person_id, ship_to_line1..ship_to_postal_code, ship_to_name, shipped_at, \
        delivered_at); people (claimed home address, staffing_agency, full_name); the ZIP \
        centroids of the reference data for distances. Company sites from `office_addresses.txt` \
        or muster.toml `[lists] office_addresses`.",
    false_positives: "Households: people who claim the address as their home are at home there, \
        and several away-shippers who claim one home count as one household. Offices, IT depots \
        and the company's own sites: the `office_addresses` list (any suite of the building), and \
        any address receiving laptops for at least the infrastructure threshold of people \
        (max(25, 2% of the workforce)), which no residence does. Staffing agencies that take \
        delivery for their contractors (same staffing_agency: one identity). Coworking spaces and \
        offices near home: a suite address (STE, FL, OFC, DEPT) that is within 80 km of the \
        claimed home of every away-shipper is treated as a workplace, not a drop. A lone laptop \
        shipped to a relative or a temporary address carries only LR 3. One recipient for many: an \
        office manager or IT contact who receives for everyone reaches the infrastructure \
        threshold and is ignored; an agency's contact receives for one agency (one identity); \
        relatives receiving for one person are one identity. Real moves around a new \
        job (relocation) match the address-change cue: LR 2-4 only, never enough alone. Family \
        members sharing a mailbox are not one person (a different name key and date of birth); \
        replacement laptops after a later move are outside the onboarding window; an applicant \
        record newer than the hire (a re-application), or older than 180 days before it (an \
        earlier application), is not a change after the offer.",
    references: &[
        "US DOJ, Christina Chapman sentencing, Jul 2025 (90+ laptops received, 49 shipped abroad)",
        "US DOJ, 'Justice Department Announces Coordinated, Nationwide Actions to Combat North Korean Remote IT Workers', 30 Jun 2025",
        "FBI PSA I-051624-PSA, May 2024 (laptop farms; requests to ship to a different address)",
        "FBI/State/Treasury advisory on DPRK IT workers, May 2022",
        "USPS Publication 28 and DMM 508.1.8 (commercial mail receiving agencies, PMB designator)",
        "US Census Bureau, CPS ASEC geographic mobility tables (share of people who moved in a year, by distance)",
    ],
};

/// One away-from-home shipment, per person and building.
struct Ship {
    person: String,
    home: Option<String>,
    agency: Option<String>,
    mail_drop: bool,
    commercial: bool,
    other_name: bool,
    km: Option<f64>,
    devices: BTreeSet<String>,
    t0: Option<i64>,
    t1: Option<i64>,
}

impl Ship {
    /// The identity a shipment counts for: one per staffing agency, else one per claimed home
    /// (a household), else the person.
    fn unit(&self) -> String {
        match (&self.agency, &self.home) {
            (Some(a), _) => format!("agency:{a}"),
            (None, Some(h)) => format!("home:{h}"),
            (None, None) => format!("person:{}", self.person),
        }
    }
}

/// A name's words of two or more letters (initials dropped), as compared on parcels.
fn name_words(name: &str) -> Vec<String> {
    muster_normalize::name_tokens(name)
        .into_iter()
        .filter(|t| t.chars().count() >= 2)
        .collect()
}

/// Address shown in outputs: digits hidden, street and the first three ZIP digits kept.
fn masked(building: &str) -> String {
    let mut parts = building.split('|');
    let line1 = parts.next().unwrap_or("");
    let place = parts.next().unwrap_or("");
    let street: String = line1
        .chars()
        .map(|c| if c.is_ascii_digit() { '*' } else { c })
        .collect();
    let place: String = if place.chars().all(|c| c.is_ascii_digit()) {
        place
            .chars()
            .enumerate()
            .map(|(i, c)| if i < 3 { c } else { '*' })
            .collect()
    } else {
        place.to_string()
    };
    format!("{street} {place}")
}

/// Whether the normalised unit line names commercial premises (suite, floor, office, department).
fn is_commercial(line1: &str, line2: Option<&str>) -> bool {
    let a = muster_normalize::normalize_us_address(line1, line2, "", "", "");
    a.line2
        .as_deref()
        .unwrap_or("")
        .split(' ')
        .any(|t| matches!(t, "STE" | "FL" | "OFC" | "DEPT"))
}

/// Whether a delivery name shares no name token with the person's name.
fn addressed_to_other(ship_name: Option<&str>, full_name: Option<&str>) -> bool {
    let (Some(s), Some(f)) = (ship_name, full_name) else {
        return false;
    };
    if crate::udf::is_placeholder(s) {
        return false;
    }
    let mine: BTreeSet<String> = name_words(f).into_iter().collect();
    let theirs = name_words(s);
    !mine.is_empty() && !theirs.is_empty() && !theirs.iter().any(|t| mine.contains(t))
}

impl Detection for FarmShip {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn run(&self, engine: &Engine, cfg: &DetectConfig) -> Result<Vec<Signal>, DetectError> {
        let infra = crate::infra_threshold(engine, cfg);
        let offices = cfg.office_buildings();
        let sql = "WITH s AS (
               SELECT device_id, person_id, ship_to_line1 AS l1, ship_to_line2 AS l2,
                      ship_to_postal_code AS zip, ship_to_name AS sname,
                      building_key(ship_to_line1, ship_to_line2, ship_to_city, ship_to_region, ship_to_postal_code) AS sb,
                      coalesce(shipped_at, delivered_at, issued_at) AS t
               FROM devices
               WHERE person_id IS NOT NULL AND ship_to_line1 IS NOT NULL
                 AND (ship_to_country IS NULL OR upper(trim(ship_to_country)) IN ('', 'US', 'USA'))
             )
             SELECT s.device_id, s.person_id, s.l1, s.l2, s.zip, s.sname, s.sb, s.t,
                    h.home, h.building, h.staffing_agency, h.full_name, p.postal_code AS home_zip
             FROM s JOIN person_home h ON s.person_id = h.person_id
             JOIN people p ON p.person_id = s.person_id
             WHERE s.sb IS NOT NULL
             ORDER BY s.sb, s.person_id, s.device_id";
        // building -> everyone shipped there (for the infrastructure count), and away shipments
        let mut everyone: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut away: BTreeMap<String, BTreeMap<String, Ship>> = BTreeMap::new();
        // recipient name key -> person -> (identity unit, devices, ship-to buildings)
        let mut recipients: BTreeMap<String, BTreeMap<String, Recipient>> = BTreeMap::new();
        let zips = cfg.intel.zips();
        for b in engine.sql(sql)? {
            let (dev, pid, l1, l2) = (
                col(&b, "device_id")?,
                col(&b, "person_id")?,
                col(&b, "l1")?,
                col(&b, "l2")?,
            );
            let (zip, sname, sb, t) = (
                col(&b, "zip")?,
                col(&b, "sname")?,
                col(&b, "sb")?,
                col(&b, "t")?,
            );
            let (home, hb, ag, name, hz) = (
                col(&b, "home")?,
                col(&b, "building")?,
                col(&b, "staffing_agency")?,
                col(&b, "full_name")?,
                col(&b, "home_zip")?,
            );
            for i in 0..b.num_rows() {
                let (Some(dev), Some(pid), Some(l1), Some(sb)) =
                    (dev.str(i), pid.str(i), l1.str(i), sb.str(i))
                else {
                    continue;
                };
                everyone
                    .entry(sb.to_string())
                    .or_default()
                    .insert(pid.to_string());
                if hb.str(i) == Some(sb) || offices.contains(sb) {
                    continue; // at home, or a company site
                }
                let km = match (
                    zip.str(i).and_then(|z| zips.lookup(z)),
                    hz.str(i).and_then(|z| zips.lookup(z)),
                ) {
                    (Some(a), Some(h)) => {
                        Some(muster_intel::haversine_km(a.lat, a.lon, h.lat, h.lon))
                    }
                    _ => None,
                };
                let l2 = l2.str(i);
                let e = away
                    .entry(sb.to_string())
                    .or_default()
                    .entry(pid.to_string())
                    .or_insert_with(|| Ship {
                        person: pid.to_string(),
                        home: home.str(i).map(str::to_string),
                        agency: ag
                            .str(i)
                            .map(|s| s.trim().to_ascii_lowercase())
                            .filter(|s| !crate::udf::is_placeholder(s)),
                        mail_drop: false,
                        commercial: false,
                        other_name: false,
                        km,
                        devices: BTreeSet::new(),
                        t0: None,
                        t1: None,
                    });
                e.mail_drop |= muster_normalize::is_commercial_mail_receiving_agency_hint(l1, l2);
                e.commercial |= is_commercial(l1, l2);
                let other = addressed_to_other(sname.str(i), name.str(i));
                e.other_name |= other;
                if let Some(key) = sname
                    .str(i)
                    .filter(|_| other)
                    .map(recipient_key)
                    .filter(|k| k.split(' ').count() >= 2 && !is_role(k))
                {
                    let r = recipients
                        .entry(key)
                        .or_default()
                        .entry(pid.to_string())
                        .or_insert_with(|| Recipient {
                            unit: e.unit(),
                            ..Recipient::default()
                        });
                    r.devices.insert(dev.to_string());
                    r.buildings.insert(masked(sb));
                    if let Some(ts) = t.ts(i) {
                        r.t0 = Some(r.t0.map_or(ts, |x| x.min(ts)));
                        r.t1 = Some(r.t1.map_or(ts, |x| x.max(ts)));
                    }
                }
                e.devices.insert(dev.to_string());
                if let Some(ts) = t.ts(i) {
                    e.t0 = Some(e.t0.map_or(ts, |x| x.min(ts)));
                    e.t1 = Some(e.t1.map_or(ts, |x| x.max(ts)));
                }
            }
        }
        let mut out = Vec::new();
        for (seq, (building, ships)) in away.into_iter().enumerate() {
            let shipped_here = everyone.get(&building).map_or(0, BTreeSet::len);
            if shipped_here as i64 >= infra {
                continue; // a depot or office: no residence takes that many laptops
            }
            let ships: Vec<Ship> = ships.into_values().collect();
            let units: BTreeSet<String> = ships.iter().map(Ship::unit).collect();
            let mail_drop = ships.iter().any(|s| s.mail_drop);
            let commercial = ships.iter().any(|s| s.commercial);
            let all_local = ships.iter().all(|s| s.km.is_some_and(|k| k <= LOCAL_KM));
            if commercial && !mail_drop && all_local {
                continue; // a workplace near everyone's home: coworking space or office
            }
            let one_agency = ships.len() >= 2
                && ships
                    .iter()
                    .all(|s| s.agency.is_some() && s.agency == ships[0].agency);
            if one_agency {
                continue; // a staffing agency taking delivery for its contractors
            }
            let k = units.len();
            let shown = masked(&building);
            let key = format!("{shown}#{}", seq + 1);
            for s in &ships {
                if k == 1 && s.home.is_none() {
                    continue; // no claimed home to compare with
                }
                let others: Vec<&str> = ships
                    .iter()
                    .filter(|o| o.person != s.person)
                    .map(|o| o.person.as_str())
                    .collect();
                let lr = if k >= 3 {
                    META.likelihood_ratio
                } else if k == 2 {
                    LR_TWO
                } else {
                    let base = if s.mail_drop { LR_MAIL_DROP } else { LR_AWAY };
                    base * if s.other_name { OTHER_NAME_FACTOR } else { 1.0 }
                };
                let reason = if k >= 2 {
                    format!(
                        "company laptop shipped to {shown}, which is not the claimed home, together with the laptops of {} other {} from {} different claimed {}",
                        others.len(),
                        if others.len() == 1 {
                            "person"
                        } else {
                            "people"
                        },
                        k - 1,
                        if k == 2 { "home" } else { "homes" }
                    )
                } else if s.mail_drop {
                    format!("company laptop shipped to a mail drop ({shown}), not the claimed home")
                } else {
                    format!("company laptop shipped to {shown}, not the claimed home")
                };
                out.push(Signal {
                    person_id: s.person.clone(),
                    device_id: s.devices.iter().next().cloned(),
                    detection: META.id,
                    family: META.family,
                    severity: if k >= 2 { META.severity } else { Severity::Low },
                    likelihood_ratio: lr,
                    first_seen: s.t0.map(rfc3339),
                    last_seen: s.t1.map(rfc3339),
                    reason,
                    evidence: json!({
                        "ship_to": shown,
                        "devices": s.devices,
                        "shipped_with_people": others,
                        "identities_at_address": k,
                        "mail_drop": s.mail_drop,
                        "addressed_to_other_name": s.other_name,
                        "km_from_claimed_home": s.km.map(|x| x.round()),
                    }),
                    links: vec![Link {
                        kind: "address",
                        value: key.clone(),
                        ring_edge: k >= 2,
                        share: None,
                    }],
                });
            }
        }
        out.extend(same_recipient(&recipients, infra));
        out.extend(moved_after_offer(engine, cfg)?);
        Ok(out)
    }
}

/// One person's laptops addressed to a recipient who is not them.
#[derive(Default)]
struct Recipient {
    unit: String,
    devices: BTreeSet<String>,
    buildings: BTreeSet<String>,
    t0: Option<i64>,
    t1: Option<i64>,
}

/// A delivery name compared across parcels: its name tokens of two or more letters (initials
/// dropped), sorted, so "Dana Q. Receiver" and "RECEIVER, Dana" are one recipient.
fn recipient_key(name: &str) -> String {
    let mut t = name_words(name);
    t.sort();
    t.dedup();
    t.join(" ")
}

/// A delivery name that names a role or a desk, not a person ("Front Desk", "IT Department",
/// "Attn Mail Room"): many people's parcels go to those legitimately.
fn is_role(key: &str) -> bool {
    const ROLES: &[&str] = &[
        "front",
        "desk",
        "reception",
        "receiving",
        "mail",
        "mailroom",
        "room",
        "office",
        "manager",
        "it",
        "department",
        "dept",
        "security",
        "lobby",
        "concierge",
        "attn",
        "care",
        "team",
        "hr",
        "facilities",
        "helpdesk",
        "admin",
        "shipping",
    ];
    key.split(' ').any(|t| ROLES.contains(&t))
}

/// Initials of a name key, for reasons (`m. s.`): enough to compare with the shipping records,
/// without repeating the name.
fn initials(key: &str) -> String {
    key.split(' ')
        .filter_map(|t| t.chars().next())
        .map(|c| format!("{}.", c.to_uppercase()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// People whose laptops, shipped away from their claimed homes, are addressed to one named
/// recipient who is none of them: two or more identities (households and agencies count once),
/// fewer than the infrastructure threshold (an office manager or IT depot contact receives for
/// everyone). The recipient is a ring edge, shown as initials and linked by a hash of the name.
fn same_recipient(
    recipients: &BTreeMap<String, BTreeMap<String, Recipient>>,
    infra: i64,
) -> Vec<Signal> {
    let mut out = Vec::new();
    for (key, people) in recipients {
        let units: BTreeSet<&str> = people.values().map(|r| r.unit.as_str()).collect();
        let k = units.len();
        if k < 2 || people.len() as i64 >= infra {
            continue;
        }
        let lr = if k >= 3 {
            LR_RECIPIENT_MANY
        } else {
            LR_RECIPIENT_TWO
        };
        let token = format!("recipient:{:016x}", crate::udf::stable_hash(key));
        let shown = initials(key);
        for (person, r) in people {
            let others: Vec<&str> = people
                .keys()
                .filter(|o| *o != person)
                .map(String::as_str)
                .collect();
            out.push(Signal {
                person_id: person.clone(),
                device_id: r.devices.iter().next().cloned(),
                detection: META.id,
                family: META.family,
                severity: META.severity,
                likelihood_ratio: lr,
                first_seen: r.t0.map(rfc3339),
                last_seen: r.t1.map(rfc3339),
                reason: format!(
                    "company laptop addressed to a recipient ({shown}) who is not the employee, the same recipient as the laptops of {} other {} from {} other claimed {}",
                    others.len(),
                    if others.len() == 1 { "person" } else { "people" },
                    k - 1,
                    if k == 2 { "home" } else { "homes" }
                ),
                evidence: json!({
                    "recipient_initials": shown,
                    "ship_to": r.buildings,
                    "devices": r.devices,
                    "same_recipient_people": others,
                    "identities_with_recipient": k,
                }),
                links: vec![Link {
                    kind: "recipient",
                    value: token.clone(),
                    ring_edge: true,
                    share: None,
                }],
            });
        }
    }
    out
}

/// Worker records whose home building differs from the applicant record of the same person,
/// with the onboarding laptop shipped to the new building.
fn moved_after_offer(engine: &Engine, cfg: &DetectConfig) -> Result<Vec<Signal>, DetectError> {
    let (window, hiring) = (ONBOARDING_DAYS, HIRING_DAYS);
    // one person's two records, joined on one identifier (equi-joins plan as hash joins; an OR
    // of two keys would not)
    let linked = |key: &str| {
        format!(
            "SELECT w.person_id AS pid, a.person_id AS aid, a.building AS old_b,
                    w.building AS new_b, a.zip AS old_zip, w.zip AS new_zip, a.applied_at, w.hired_at
             FROM a JOIN w ON a.{key} = w.{key}
             WHERE a.building <> w.building AND (a.nk = w.nk OR a.dob = w.dob)"
        )
    };
    let (email, nid) = (linked("em"), linked("nid"));
    let sql = format!(
        "WITH r AS (
           SELECT person_id, lower(trim(record_type)) AS kind, norm_email(email) AS em,
                  CASE WHEN length(regexp_replace(coalesce(national_id, ''), '[^0-9]', '', 'g')) >= 7
                       THEN regexp_replace(national_id, '[^0-9]', '', 'g') END AS nid,
                  name_key(full_name) AS nk, date_of_birth AS dob,
                  building_key(address_line1, address_line2, city, region, postal_code) AS building,
                  postal_code AS zip, applied_at, hired_at
           FROM people
         ),
         a AS (SELECT * FROM r WHERE kind = 'applicant' AND building IS NOT NULL),
         w AS (SELECT * FROM r WHERE kind IN ('employee', 'contractor') AND building IS NOT NULL
                 AND hired_at IS NOT NULL),
         by_email AS ({email}),
         by_nid AS ({nid}),
         pairs AS (SELECT * FROM by_email UNION SELECT * FROM by_nid),
         s AS (
           SELECT device_id, person_id, coalesce(shipped_at, delivered_at, issued_at) AS t,
                  building_key(ship_to_line1, ship_to_line2, ship_to_city, ship_to_region,
                               ship_to_postal_code) AS sb
           FROM devices WHERE person_id IS NOT NULL
         )
         SELECT p.pid, p.aid, p.old_b, p.new_b, p.old_zip, p.new_zip, p.applied_at, p.hired_at,
                s.device_id, s.t
         FROM pairs p JOIN s ON s.person_id = p.pid AND s.sb = p.new_b
         WHERE s.t IS NOT NULL
           AND p.applied_at IS NOT NULL AND p.applied_at <= p.hired_at
           AND p.applied_at >= p.hired_at - INTERVAL '{hiring} days' AND s.t >= p.applied_at
           AND s.t <= p.hired_at + INTERVAL '{window} days'
         ORDER BY p.pid, p.aid, s.device_id"
    );
    let zips = cfg.intel.zips();
    let mut by: BTreeMap<String, (Signal, f64)> = BTreeMap::new();
    for b in engine.sql(&sql)? {
        let (pid, aid, old_b, new_b) = (
            col(&b, "pid")?,
            col(&b, "aid")?,
            col(&b, "old_b")?,
            col(&b, "new_b")?,
        );
        let (old_zip, new_zip, applied, hired) = (
            col(&b, "old_zip")?,
            col(&b, "new_zip")?,
            col(&b, "applied_at")?,
            col(&b, "hired_at")?,
        );
        let (dev, t) = (col(&b, "device_id")?, col(&b, "t")?);
        for i in 0..b.num_rows() {
            let (Some(pid), Some(aid), Some(old_b), Some(new_b), Some(dev)) = (
                pid.str(i),
                aid.str(i),
                old_b.str(i),
                new_b.str(i),
                dev.str(i),
            ) else {
                continue;
            };
            let km = match (
                old_zip.str(i).and_then(|z| zips.lookup(z)),
                new_zip.str(i).and_then(|z| zips.lookup(z)),
            ) {
                (Some(a), Some(n)) => Some(muster_intel::haversine_km(a.lat, a.lon, n.lat, n.lon)),
                _ => None,
            };
            let far = km.is_some_and(|k| k > LOCAL_KM);
            let lr = if far { LR_MOVED_FAR } else { LR_MOVED_LOCAL };
            if by.get(pid).is_some_and(|(_, l)| *l >= lr) {
                continue;
            }
            let (old_shown, new_shown) = (masked(old_b), masked(new_b));
            let signal = Signal {
                person_id: pid.to_string(),
                device_id: Some(dev.to_string()),
                detection: META.id,
                family: META.family,
                severity: Severity::Low,
                likelihood_ratio: lr,
                first_seen: applied.ts(i).map(rfc3339),
                last_seen: t.ts(i).map(rfc3339),
                reason: format!(
                    "home on record changed after the application (applicant record {aid}: \
                     {old_shown}; now {new_shown}{}) and the onboarding laptop went to the new address",
                    km.map(|k| format!(", {:.0} km away", k))
                        .unwrap_or_default()
                ),
                evidence: json!({
                    "applicant_record": aid,
                    "address_at_application": old_shown,
                    "address_on_record": new_shown,
                    "km_moved": km.map(|x| x.round()),
                    "applied_at": applied.ts(i).map(rfc3339),
                    "hired_at": hired.ts(i).map(rfc3339),
                    "device": dev,
                    "shipped_at": t.ts(i).map(rfc3339),
                }),
                links: vec![Link {
                    kind: "address",
                    value: new_shown,
                    ring_edge: false,
                    share: None,
                }],
            };
            by.insert(pid.to_string(), (signal, lr));
        }
    }
    Ok(by.into_values().map(|(s, _)| s).collect())
}
