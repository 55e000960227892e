//! FARM-ALWAYSON: a person's company device never sleeps, and what keeps it busy is not a
//! human rhythm: user activity around the clock, or machine-regular "user" events (a mouse
//! jiggler, a keep-alive script).
//!
//! Model. Every event attributed to a person is an *active clock hour* (UTC). A run of active
//! hours in which no two consecutive clock hours are silent (a silence under 3 h) is an *awake
//! run*; a human's sleep breaks it every day. Presence check-ins (EDR, MDM, VPN) only show the
//! device is on, so on their own they never fire: they count towards the awake runs, while
//! the evidence comes from user streams (successful sign-ins, process starts, activity rows):
//!
//! - *round the clock*: the user streams themselves form awake runs of 24 h or more;
//! - *machine-regular*: a user stream whose intervals (silences up to 2 h) have a coefficient of
//!   variation below [`MAX_CV`], a stream the rest of the fleet does not show regularly (a
//!   token refresh or scheduled task that is regular on most devices is a heartbeat, not
//!   evidence).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::json;

use crate::rows::{col, rfc3339};
use crate::{
    DetectConfig, DetectError, Detection, DetectionMeta, Engine, Family, Link, Severity, Signal,
};

/// FARM-ALWAYSON.
pub struct FarmAlwaysOn;

/// Two active clock hours belong to one run when their indices differ by at most this (one
/// silent clock hour between them: a silence under 3 h).
const MAX_HOUR_STEP: i64 = 2;
/// Least length of an awake run that counts (a full day and night).
const MIN_RUN_H: i64 = 24;
/// Least total hours in such runs ("repeatedly": two days' worth at least).
const MIN_TOTAL_H: i64 = 48;
/// Least hours on a Saturday or Sunday (UTC) inside the device's awake runs.
const MIN_WEEKEND_H: i64 = 12;
/// Longest interval (seconds) used for regularity: longer silences are breaks, not rhythm.
const MAX_GAP_S: i64 = 7200;
/// Least intervals in a stream to judge its regularity (a day of 30-minute events).
const MIN_GAPS: i64 = 48;
/// A stream whose interval coefficient of variation is below this is machine-regular.
const MAX_CV: f64 = 0.25;
/// Likelihood ratios (see the rationale).
const LR_ROUND_THE_CLOCK: f64 = 10.0;
const LR_REGULAR: f64 = 20.0;
const LR_BOTH: f64 = 40.0;

static META: DetectionMeta = DetectionMeta {
    id: "FARM-ALWAYSON",
    title: "Company device never sleeps, kept busy around the clock or by a jiggler",
    family: Family::Farm,
    severity: Severity::Medium,
    likelihood_ratio: LR_BOTH,
    lr_rationale: "A farm laptop is left on day and night so that operators abroad can reach it \
        at any hour; facilitators keep it awake with mouse jigglers (PiKVM has one built in) or \
        scripts, and several operators may share it in shifts. A legitimate employee's laptop \
        sleeps, or sits idle overnight with only agent check-ins, which never count here. What \
        remains among legitimate employees is rare: automation running under a person's own \
        account, a shared account, a personal jiggler left running for days (perhaps 1 in 200 \
        employees at most, a policy problem rather than a scheme); if only a tenth to a fifth \
        of farm laptops show the pattern in a company's data, the ratio is 0.1-0.2 / 0.005 = \
        20-40. Thresholds: adults sleep 6-9 hours, so a person's own activity always has a \
        daily silence far longer than 3 h; 24 h without one is a day and a night, 48 h in \
        such runs means it happened more than once, and 12 weekend hours that it goes on when \
        nobody works. Human activity is bursty: inter-event intervals of people's sign-ins, \
        commands and messages have a coefficient of variation at or above 1 (Barabasi 2005; \
        Goh and Barabasi 2008, burstiness B > 0), while a jiggler or keep-alive loop is \
        periodic (CV near 0, B near -1); below 0.25 (B < -0.6) is far outside human behaviour. \
        User activity round the clock (runs of 24 h or more with no silence of 3 h, twice): LR \
        10 (shifts of operators, but also automation under a person's account). A \
        machine-regular user stream that the fleet does not share: LR 20. Both: LR 40. The farm \
        family cap keeps it from multiplying with FARM-IP and FARM-WIFI on the same house.",
    tables: &["device_presence", "signins", "processes", "activity"],
    what: "Per person, turns every attributed event (presence check-ins of their devices, \
        successful sign-ins, process starts, activity rows) into active UTC clock hours and \
        finds awake runs: runs of active hours with never two silent clock hours in a row. \
        The device counts as never sleeping when its awake runs of 24 h or more add up to 48 h \
        and cover at least 12 weekend hours. That alone is not a signal. It fires when, in \
        addition, (a) the user streams alone (sign-ins, process starts, activity) form such \
        runs (24 h or more, 48 h in all), or (b) a user stream (sign-ins to one app, starts of \
        one process name, activity of one kind) has at least 48 intervals of up to 2 h with a coefficient of \
        variation below 0.25, and fewer than half of the other people carrying that stream \
        show it regularly (otherwise it is a fleet-wide heartbeat: a scheduled task, a token \
        refresh).",
    why: "The May 2022 FBI/State/Treasury advisory on DPRK IT workers and later FBI PSAs describe \
        company laptops kept online at facilitators' homes for remote access; PiKVM and other \
        IP-KVMs ship a mouse jiggler, and DOJ laptop-farm cases describe racks of laptops left \
        running for workers abroad (Chapman: 90+ laptops).",
    data: "device_presence (time, device_id, source) and processes (time, device_id, name, event \
        `start` or none; `running` inventory rows are not activity) joined to devices.person_id; \
        signins (successful, mapped to people, per app; device_id optional); activity (person_id, \
        account or device_id, kind); people.department; devices hostname, model and os.",
    false_positives: "EDR/MDM heartbeats: presence check-ins only keep the device awake in the \
        model, they are never evidence, so a laptop left on overnight (a long job, a docked \
        desktop) stays silent; `running` process inventory is not activity. Scheduled tasks and \
        token refreshes that are regular on most of the fleet are heartbeats and are left out \
        of the regularity test. On-call engineers: paged at night, they still sleep, so their \
        user activity never forms 24-hour runs. Servers and build machines: devices nobody is \
        assigned to are not judged, nor devices whose hostname, model or OS names a server, \
        virtual machine or build agent, nor people in an IT, infrastructure, SRE or DevOps \
        department (their accounts run automation legitimately; other detections still cover \
        them). A person who runs a keep-alive tool on their own laptop for days remains a \
        look-alike (a policy matter worth a question).",
    references: &[
        "FBI/State/Treasury, 'Guidance on the Democratic People's Republic of Korea Information Technology Workers', May 2022",
        "FBI PSA I-051624-PSA, May 2024",
        "US DOJ, Christina Chapman sentencing, Jul 2025",
        "PiKVM documentation, mouse jiggler (kvmd jiggler)",
        "A.-L. Barabasi, 'The origin of bursts and heavy tails in human dynamics', Nature 435, 2005",
        "K.-I. Goh and A.-L. Barabasi, 'Burstiness and memory in complex systems', EPL 81, 2008",
    ],
};

/// Devices that are servers, virtual machines or build agents by their description.
const SERVER_DEVICE: &str = "(^|[^a-z])(server|srv|build|buildkite|jenkins|runner|ci|vm|virtual|vmware|qemu|kvm|hyper-v|poweredge|proliant)([^a-z]|$)";

/// Every attributed user event (process starts, successful sign-ins, activity rows): person,
/// device and stream (one per process name, sign-in app or activity kind). Presence check-ins
/// are read on their own (`PRESENCE_HOURS_SQL`): they only say the device was awake. The staged
/// `aon_dev` is read by several branches instead of a CTE used twice.
const EVENTS_SQL: &str = "
    SELECT d.person_id, x.device_id, 'process:' || lower(trim(x.name)) AS stream, true AS is_user, x.time
      FROM aon_dev d JOIN processes x ON x.device_id = d.device_id
      WHERE d.person_id IS NOT NULL AND NOT d.server AND coalesce(lower(trim(x.event)), 'start') <> 'running'
    UNION ALL
    SELECT coalesce(s.person_id, m.person_id), s.device_id,
           'signin:' || coalesce(lower(trim(s.app)), ''), true, s.time
      FROM signins s
      LEFT JOIN account_map m ON lower(trim(s.account)) = m.account
      LEFT JOIN aon_dev v ON s.device_id = v.device_id
      WHERE coalesce(lower(s.outcome), 'success') = 'success' AND NOT coalesce(v.server, false)
    UNION ALL
    SELECT coalesce(a.person_id, m.person_id, v.person_id), a.device_id,
           'activity:' || coalesce(lower(trim(a.kind)), ''), true, a.time
      FROM activity a
      LEFT JOIN account_map m ON lower(trim(a.account)) = m.account
      LEFT JOIN aon_dev v ON a.device_id = v.device_id
      WHERE NOT coalesce(v.server, false)";

/// Check-in hours per (person, UTC day) as a 24-bit mask: presence only says the device was
/// awake. User streams' hours come from their event times in Rust, where each stream's
/// heartbeat status is known.
const PRESENCE_HOURS_SQL: &str = "SELECT d.person_id, date_trunc('day', p.time) AS day,
        bit_or(CAST(1 AS BIGINT) << CAST(date_part('hour', p.time) AS BIGINT)) AS hours
    FROM aon_dev d JOIN device_presence p ON p.device_id = d.device_id
    WHERE d.person_id IS NOT NULL AND NOT d.server AND p.time IS NOT NULL
    GROUP BY d.person_id, date_trunc('day', p.time)";

/// Every user event's time in whole seconds; the intervals are computed per person and stream in
/// Rust (`rhythm`), which needs four bytes an event instead of a sort of every event row.
const USER_TIMES_SQL: &str = "SELECT person_id, stream, to_unixtime(time) AS t
    FROM ({EVENTS}) WHERE is_user AND person_id IS NOT NULL AND time IS NOT NULL";

/// Interval statistics of one user stream from its event times (seconds, any order): the
/// intervals of 1 s to [`MAX_GAP_S`] between consecutive events. `None` without any.
fn rhythm(stream: &str, times: &mut [u32]) -> Option<Rhythm> {
    times.sort_unstable();
    let (mut n, mut sum, mut sq) = (0i64, 0.0f64, 0.0f64);
    let (mut t0, mut t1) = (None, None);
    for w in times.windows(2) {
        let gap = i64::from(w[1]) - i64::from(w[0]);
        if gap > 0 && gap <= MAX_GAP_S {
            let g = gap as f64;
            n += 1;
            sum += g;
            sq += g * g;
            let at = Some(i64::from(w[1]) * 1_000_000);
            t0 = t0.or(at);
            t1 = at;
        }
    }
    if n == 0 {
        return None;
    }
    let mean = sum / n as f64;
    let sd = (sq / n as f64 - mean * mean).max(0.0).sqrt();
    Some(Rhythm {
        stream: stream.to_string(),
        gaps: n,
        mean_s: mean,
        cv: if mean > 0.0 { sd / mean } else { f64::INFINITY },
        t0,
        t1,
    })
}

/// Regularity of one person's user stream.
#[derive(Debug, Clone)]
struct Rhythm {
    stream: String,
    gaps: i64,
    mean_s: f64,
    cv: f64,
    t0: Option<i64>,
    t1: Option<i64>,
}

impl Rhythm {
    fn judged(&self) -> bool {
        self.gaps >= MIN_GAPS && self.mean_s > 0.0
    }
    fn regular(&self) -> bool {
        self.judged() && self.cv < MAX_CV
    }
}

/// One person's active hours: per UTC day (hour index of its midnight since the epoch) the
/// 24-bit masks of hours with any event and with user activity. Two words a day, so a large
/// workforce's hours fit in memory.
#[derive(Default)]
struct Hours {
    days: BTreeMap<i64, (u32, u32)>,
}

impl Hours {
    /// Marks `mask` (hours of the day starting at hour index `h0`) as awake, and as user
    /// activity too when `user`.
    fn mark(&mut self, h0: i64, mask: u32, user: bool) {
        let d = self.days.entry(h0).or_default();
        d.0 |= mask;
        if user {
            d.1 |= mask;
        }
    }

    /// The active hours (hour indices), in order: all of them, or only user activity.
    fn hours(&self, user: bool) -> impl Iterator<Item = i64> + '_ {
        self.days.iter().flat_map(move |(&h0, &(all, usr))| {
            let mask = if user { usr } else { all };
            (0..24)
                .filter(move |h| mask & (1 << h) != 0)
                .map(move |h| h0 + i64::from(h))
        })
    }
}

impl Detection for FarmAlwaysOn {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn run(&self, engine: &Engine, _cfg: &DetectConfig) -> Result<Vec<Signal>, DetectError> {
        engine.stage_query(
            "aon_dev",
            &format!(
                "SELECT device_id, person_id,
                        regexp_like(lower(concat_ws(' ', coalesce(hostname, ''), coalesce(model, ''), coalesce(os, ''))), '{SERVER_DEVICE}') AS server
                 FROM devices"
            ),
        )?;
        let infra = infra_people(engine)?;

        // Regularity of user streams, and which streams are regular across the fleet.
        let mut rhythms: BTreeMap<String, Vec<Rhythm>> = BTreeMap::new();
        let mut fleet: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        let mut times: HashMap<String, HashMap<String, Vec<u32>>> = HashMap::new();
        engine.sql_for_each(&USER_TIMES_SQL.replace("{EVENTS}", EVENTS_SQL), |b| {
            let (p, s, t) = (col(b, "person_id")?, col(b, "stream")?, col(b, "t")?);
            for i in 0..b.num_rows() {
                let (Some(p), Some(s), Some(t)) = (p.str(i), s.str(i), t.int(i)) else {
                    continue;
                };
                let Ok(t) = u32::try_from(t) else {
                    continue;
                };
                let streams = match times.get_mut(p) {
                    Some(v) => v,
                    None => times.entry(p.to_string()).or_default(),
                };
                match streams.get_mut(s) {
                    Some(v) => v.push(t),
                    None => {
                        streams.insert(s.to_string(), vec![t]);
                    }
                }
            }
            Ok(())
        })?;
        for (p, streams) in &mut times {
            for (s, ts) in streams.iter_mut() {
                let Some(r) = rhythm(s, ts) else {
                    continue;
                };
                if r.judged() {
                    let f = fleet.entry(r.stream.clone()).or_default();
                    f.0 += 1;
                    f.1 += usize::from(r.regular());
                }
                rhythms.entry(p.clone()).or_default().push(r);
            }
        }
        for v in rhythms.values_mut() {
            v.sort_by(|a, b| a.stream.cmp(&b.stream));
        }
        // A stream regular for at least half of the *other* people who carry it is a heartbeat.
        let heartbeat = |stream: &str, me_regular: bool| -> bool {
            let (carriers, regular) = fleet.get(stream).copied().unwrap_or((0, 0));
            let others = carriers.saturating_sub(usize::from(me_regular));
            let others_regular = regular.saturating_sub(usize::from(me_regular));
            others > 0 && 2 * others_regular >= others
        };

        let mut hours: BTreeMap<String, Hours> = BTreeMap::new();
        engine.sql_for_each(PRESENCE_HOURS_SQL, |b| {
            let (p, day, mask) = (col(b, "person_id")?, col(b, "day")?, col(b, "hours")?);
            for i in 0..b.num_rows() {
                let (Some(p), Some(day), Some(mask)) = (p.str(i), day.ts(i), mask.int(i)) else {
                    continue;
                };
                if !infra.contains(p) {
                    let h0 = day.div_euclid(3_600_000_000);
                    let e = match hours.get_mut(p) {
                        Some(e) => e,
                        None => hours.entry(p.to_string()).or_default(),
                    };
                    e.mark(h0, (mask & 0x00ff_ffff) as u32, false);
                }
            }
            Ok(())
        })?;
        for (p, streams) in &times {
            if infra.contains(p) {
                continue;
            }
            for (s, ts) in streams {
                let me_regular = rhythms
                    .get(p)
                    .is_some_and(|v| v.iter().any(|r| &r.stream == s && r.regular()));
                let is_user = !heartbeat(s, me_regular);
                // The times are sorted (by `rhythm`): one mark per day, not per event.
                let e = match hours.get_mut(p) {
                    Some(e) => e,
                    None => hours.entry(p.clone()).or_default(),
                };
                let mut day: Option<(i64, u32)> = None;
                for &t in ts.iter() {
                    let hour = i64::from(t) / 3600;
                    let (h0, bit) = (hour - hour.rem_euclid(24), 1 << hour.rem_euclid(24));
                    match &mut day {
                        Some((d, mask)) if *d == h0 => *mask |= bit,
                        _ => {
                            if let Some((d, mask)) = day.replace((h0, bit)) {
                                e.mark(d, mask, is_user);
                            }
                        }
                    }
                }
                if let Some((d, mask)) = day {
                    e.mark(d, mask, is_user);
                }
            }
        }
        drop(times);

        let mut devices: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for b in engine.sql(
            "SELECT person_id, device_id FROM aon_dev
             WHERE person_id IS NOT NULL AND NOT server ORDER BY person_id, device_id",
        )? {
            let (p, d) = (col(&b, "person_id")?, col(&b, "device_id")?);
            for i in 0..b.num_rows() {
                if let (Some(p), Some(d)) = (p.str(i), d.str(i)) {
                    devices
                        .entry(p.to_string())
                        .or_default()
                        .insert(d.to_string());
                }
            }
        }

        let mut out = Vec::new();
        for (person, h) in hours {
            let awake = long_runs(&runs(h.hours(false)));
            let awake_h: i64 = awake.iter().map(|(a, b)| b - a + 1).sum();
            let weekend_h: i64 = awake.iter().map(|&(a, b)| weekend_hours(a, b)).sum();
            if awake_h < MIN_TOTAL_H || weekend_h < MIN_WEEKEND_H {
                continue;
            }
            let user = long_runs(&runs(h.hours(true)));
            let user_h: i64 = user.iter().map(|(a, b)| b - a + 1).sum();
            let round_the_clock = user_h >= MIN_TOTAL_H;
            let regular: Vec<&Rhythm> = rhythms
                .get(&person)
                .map(|v| {
                    v.iter()
                        .filter(|r| r.regular() && !heartbeat(&r.stream, true))
                        .filter(|r| matches!((r.t0, r.t1), (Some(a), Some(b)) if b - a >= MIN_RUN_H * 3_600_000_000))
                        .collect()
                })
                .unwrap_or_default();
            let lr = match (round_the_clock, !regular.is_empty()) {
                (true, true) => LR_BOTH,
                (false, true) => LR_REGULAR,
                (true, false) => LR_ROUND_THE_CLOCK,
                (false, false) => continue,
            };
            let devs = devices.remove(&person).unwrap_or_default();
            let show = |v: &[(i64, i64)]| -> Vec<serde_json::Value> {
                v.iter()
                    .map(|&(a, b)| {
                        json!({"from": rfc3339(a * 3_600_000_000), "to": rfc3339((b + 1) * 3_600_000_000), "hours": b - a + 1})
                    })
                    .collect()
            };
            let regular_json: Vec<serde_json::Value> = regular
                .iter()
                .map(|r| {
                    let (carriers, reg) = fleet.get(&r.stream).copied().unwrap_or((0, 0));
                    json!({
                        "stream": r.stream,
                        "intervals": r.gaps,
                        "mean_interval_s": r.mean_s.round(),
                        "cv": (r.cv * 1000.0).round() / 1000.0,
                        "fleet_people_with_stream": carriers,
                        "fleet_people_regular": reg,
                    })
                })
                .collect();
            let mut why = Vec::new();
            if round_the_clock {
                why.push(format!(
                    "user activity for {user_h} h in runs of 24 h or more"
                ));
            }
            if let Some(r) = regular.first() {
                why.push(format!(
                    "{} every {:.0} s with CV {:.2} (a human's is near 1 or above)",
                    r.stream, r.mean_s, r.cv
                ));
            }
            out.push(Signal {
                reason: format!(
                    "device awake for {awake_h} h in runs of 24 h or more, {weekend_h} h of them on weekends, with {}",
                    why.join(" and ")
                ),
                device_id: devs.iter().next().cloned(),
                detection: META.id,
                family: META.family,
                severity: if lr >= LR_BOTH {
                    Severity::High
                } else {
                    META.severity
                },
                likelihood_ratio: lr,
                first_seen: awake.first().map(|(a, _)| rfc3339(a * 3_600_000_000)),
                last_seen: awake.last().map(|(_, b)| rfc3339((b + 1) * 3_600_000_000)),
                evidence: json!({
                    "devices": devs,
                    "awake_hours_in_long_runs": awake_h,
                    "weekend_hours_awake": weekend_h,
                    "awake_runs": show(&awake),
                    "user_activity_hours_in_long_runs": user_h,
                    "user_activity_runs": show(&user),
                    "machine_regular_streams": regular_json,
                }),
                links: devs
                    .iter()
                    .map(|d| Link {
                        kind: "device",
                        value: d.clone(),
                        ring_edge: false,
                        share: None,
                    })
                    .collect(),
                person_id: person,
            });
        }
        Ok(out)
    }
}

/// People in an IT, infrastructure, SRE or DevOps department.
fn infra_people(engine: &Engine) -> Result<BTreeSet<String>, DetectError> {
    let mut out = BTreeSet::new();
    for b in engine.sql("SELECT person_id, department FROM people WHERE department IS NOT NULL")? {
        let (p, d) = (col(&b, "person_id")?, col(&b, "department")?);
        for i in 0..b.num_rows() {
            if let (Some(p), Some(d)) = (p.str(i), d.str(i))
                && is_infra_department(d)
            {
                out.insert(p.to_string());
            }
        }
    }
    Ok(out)
}

/// Whether a department name is IT, infrastructure, SRE or DevOps.
fn is_infra_department(d: &str) -> bool {
    let d = d.to_ascii_lowercase();
    let words: Vec<&str> = d
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().any(|w| {
        matches!(
            *w,
            "it" | "infrastructure" | "infra" | "sre" | "devops" | "noc"
        )
    }) || d.contains("information technology")
        || d.contains("site reliability")
}

/// Maximal runs `(first, last)` of sorted hour indices with steps of at most [`MAX_HOUR_STEP`].
fn runs(hours: impl IntoIterator<Item = i64>) -> Vec<(i64, i64)> {
    let mut out: Vec<(i64, i64)> = Vec::new();
    for h in hours {
        match out.last_mut() {
            Some((_, last)) if h - *last <= MAX_HOUR_STEP => *last = h,
            _ => out.push((h, h)),
        }
    }
    out
}

/// The runs of at least [`MIN_RUN_H`] hours.
fn long_runs(runs: &[(i64, i64)]) -> Vec<(i64, i64)> {
    runs.iter()
        .copied()
        .filter(|(a, b)| b - a + 1 >= MIN_RUN_H)
        .collect()
}

/// Hours in `first..=last` (hour indices) that fall on a Saturday or Sunday, UTC.
fn weekend_hours(first: i64, last: i64) -> i64 {
    // 1970-01-01 was a Thursday: Monday-based weekday of day d is (d + 3) mod 7.
    (first..=last)
        .filter(|h| h.div_euclid(24).wrapping_add(3).rem_euclid(7) >= 5)
        .count() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_join_one_silent_hour_and_break_on_two() {
        let h: BTreeSet<i64> = [0, 1, 3, 4, 7, 8].into_iter().collect();
        assert_eq!(runs(h), vec![(0, 4), (7, 8)]);
    }

    #[test]
    fn weekend_hours_of_a_saturday() {
        // 2026-03-07 is a Saturday: day 20519 since the epoch.
        let sat = 20_519 * 24;
        assert_eq!(weekend_hours(sat - 24, sat + 47), 48);
        assert_eq!(weekend_hours(sat - 48, sat - 1), 0);
    }

    #[test]
    fn infra_departments() {
        assert!(is_infra_department("IT"));
        assert!(is_infra_department("Corporate IT / Service Desk"));
        assert!(is_infra_department("Site Reliability Engineering"));
        assert!(is_infra_department("Cloud Infrastructure"));
        assert!(!is_infra_department("Engineering"));
        assert!(!is_infra_department("Digital Marketing"));
        assert!(!is_infra_department("Security"));
    }
}
