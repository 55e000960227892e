//! TZ-MISMATCH: the hours a person works fit a far-away time zone's working day much better than
//! any schedule in the zone they claim.
//!
//! Model. Each person's activity (successful sign-ins, device check-ins, process starts, activity
//! rows) is reduced to *active hours*: distinct UTC clock hours with at least one event, so a
//! chatty source does not outvote a quiet one. An active hour is a draw from the person's
//! hour-of-week distribution. A *schedule* is the template of a human working week ([`DAY`]:
//! most activity 09:00-17:00 on weekdays, shoulders in the morning and evening, nights near zero,
//! weekends at [`WEEKEND`] of the weekday rate) placed at some rotation in some local frame:
//!
//! - claimed-zone schedules (local time of the claimed IANA zone, DST-aware): day work shifted by
//!   up to ±3 h (early birds, late owls, people who keep another US coast's hours), a swing
//!   shift (~15:00-23:00, ±1 h) and night shifts starting 22:00 or 23:00 (Monday-Friday or
//!   Sunday-Thursday nights);
//! - offshore schedules: the day template at a fixed UTC offset (whole hours and the half-hour
//!   zones) at least [`MIN_DISTANCE_H`] hours from every offset the claimed zone takes during the
//!   data.
//!
//! Every model also has a uniform background component (always-on devices, scattered on-call
//! events, stray automation), with its weight fitted. The claimed explanation is the best claimed
//! schedule + background; the offshore explanation adds the best offshore schedule as a third
//! component (mixture weights by EM). The two are nested, so their log-likelihood difference is a
//! likelihood-ratio statistic. Active hours within one day are not independent draws (a working
//! day is one decision), so the statistic is counted per day: the mean per-hour log ratio times the
//! number of distinct active days.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Offset, TimeZone};
use serde_json::json;

use crate::rows::{col, rfc3339};
use crate::{
    DetectConfig, DetectError, Detection, DetectionMeta, Engine, Family, Severity, Signal,
};

/// TZ-MISMATCH.
pub struct TzMismatch;

/// Full-strength likelihood ratio (also the cap of the fitted ratio).
const LR_CAP: f64 = 20.0;
/// Least active hours (distinct UTC hours with activity) to judge a person.
const MIN_ACTIVE_HOURS: usize = 20;
/// Least distinct active days to judge a person.
const MIN_DAYS: usize = 5;
/// Least day-level likelihood ratio of the offshore over the claimed explanation to fire
/// ("strong" on Jeffreys' scale).
const MIN_FITTED_LR: f64 = 10.0;
/// Least share of scheduled activity (claimed + offshore components) on the offshore schedule.
const MIN_OFFSHORE_SHARE: f64 = 0.3;
/// Share of scheduled activity on the offshore schedule at which the signal is at full strength.
const FULL_OFFSHORE_SHARE: f64 = 0.8;
/// Least share of active days that carry offshore activity (persistence: a trip does not).
const MIN_OFFSHORE_DAY_SHARE: f64 = 0.5;
/// Least circular distance in hours between an offshore offset and the claimed zone's offsets.
const MIN_DISTANCE_H: f64 = 3.0;
/// Weekend activity relative to weekday activity in the working template.
const WEEKEND: f64 = 0.15;
/// Relative activity by hour of the (shift's) day in the working template, 00:00-23:00.
const DAY: [f64; 24] = [
    0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.1, 0.3, 0.7, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.8,
    0.5, 0.3, 0.25, 0.2, 0.1, 0.05,
];
/// A source with at least this many active hours per active day on average runs around the
/// clock and is left out of a person's profile.
const ALWAYS_ON_HOURS: f64 = 20.0;
/// Most EM iterations for the mixture weights.
const EM_ITERS: usize = 40;
/// EM stops once no mixture weight moves by more than this in an iteration.
const EM_TOL: f64 = 1e-6;

static META: DetectionMeta = DetectionMeta {
    id: "TZ-MISMATCH",
    title: "Working hours fit a far-away time zone, not the claimed one",
    family: Family::Network,
    severity: Severity::Medium,
    likelihood_ratio: LR_CAP,
    lr_rationale: "A person whose working day, week after week, sits in the daytime of a zone at \
        least 3 hours from the one they claim, and that no day, swing or night shift in the \
        claimed zone explains as well, is rare in a workforce whose HR records are right, and it \
        is the pattern every advisory describes for DPRK IT workers (they work China / Russia / \
        Korea daytime hours while claiming US or European homes). It is not unique: employees \
        who moved abroad without updating HR, contractors hired through foreign agencies with a \
        US zone on file, and people who deliberately work another continent's hours exist. Full \
        strength 20. The per-person ratio is the fitted day-level likelihood ratio of the \
        offshore explanation over the best claimed one, capped at 20, then scaled linearly by the \
        share of scheduled activity on offshore hours (full at 80%): a split schedule (US \
        mornings plus a block in Asian daytime) has more innocent stories (supporting an APAC \
        team) and counts less. Family network (location evidence), so fusion caps it with \
        NET-ANON and the geo detections at the network family cap (2000).",
    tables: &["signins", "device_presence", "processes", "activity"],
    what: "Builds each person's hour-of-week activity profile from every timestamped event \
        attributed to them (successful sign-ins via accounts/work email, device check-ins and \
        process starts via devices.person_id, activity rows via person_id, account or device), \
        counted as distinct active UTC hours per source. Fits a working-week template (day work 09:00-17:00 \
        with shoulders, quiet nights, weekends at 15%) as a probability distribution: (a) in the \
        claimed zone's local time (DST-aware), as a day shift moved up to ±3 h, a swing shift (±1 h) or \
        a night shift starting 22:00 or 23:00 (Mon-Fri or Sun-Thu nights); (b) at every UTC offset (whole hours and \
        +3:30, +4:30, +5:30, +6:30, +9:30, -3:30) at least 3 h from the claimed zone. Each model \
        includes a uniform background component. The offshore model is the best claimed schedule \
        plus the best offshore schedule plus background, with weights fitted by EM. Fires when, \
        with at least 20 active hours on 5 distinct days, the offshore model is at least 10 times \
        likelier at the day level, at least 30% of scheduled activity falls on the offshore \
        schedule, and offshore activity appears on at least half of the active days.",
    why: "DPRK IT workers live in China, Russia or North Korea and work their own daytime while \
        claiming homes in the US or Europe; their sign-ins and commits cluster in Asian office \
        hours, i.e. the claimed zone's night. The FBI's guidance asks employers to watch for \
        activity at hours inconsistent with the claimed location; Microsoft (Jasper Sleet) and \
        Okta describe the workers' schedules following their real location, and laptop-farm \
        facilitators keep the laptops on around the clock for remote control from abroad.",
    data: "people (claimed_timezone, else the zone of the address); signins (successful, mapped to \
        people), device_presence and processes (event `start`, or no event; `running` inventory \
        rows are not activity) joined through devices.person_id; activity rows by person_id, \
        account or device. Only timing against the claimed zone is used: no name, language or \
        country of education. People without a known claimed zone are not judged.",
    false_positives: "Night-shift workers: the claimed zone's night and swing shifts are \
        explanations of their own, and the detection fires only when the offshore day explains \
        the data clearly better (Chinese daytime claimed in New York in summer is 21:00-06:00 Sunday-Thursday and sits \
        close to a night shift: the evidence is then weaker and may not reach the threshold; \
        a night shift that starts at 20:00-21:00 is the closest legitimate look-alike of Asian \
        daytime in US Central and Eastern time, and timing alone cannot tell them apart: about one \
        fifth of US wage and salary workers work a shift other than a regular daytime one (BLS, \
        May 2004 CPS work-schedules supplement), a few percent at night. Such a person gets the \
        signal at the weight timing deserves (at most 20, far below the odds of the 1-in-343 \
        prior), so the decision rests on independent evidence: no one is flagged on working \
        hours alone. On-call staff: scattered night events go \
        to the background component and the offshore share stays low. Travellers: a week abroad \
        is a minority of active days (offshore activity must appear on half the days). People \
        who shift their hours on purpose by up to 3 hours (a Californian keeping New York hours) \
        are a claimed-zone schedule; those who \
        keep another continent's hours (a US employee working for an Asian team), employees \
        who moved abroad, and a stale HR time zone remain look-alikes: check the claimed zone \
        with HR first. A source active at least 20 hours a day on average (a laptop that never sleeps) is left \
        out of the profile; scattered machine activity goes to the background component.",
    references: &[
        "FBI PSA I-051624-PSA, 'North Korea Leveraging U.S.-Based Individuals to Defraud U.S. Businesses and Generate Revenue', May 2024",
        "FBI PSA I-012325-PSA, 'North Korean IT Workers Conducting Data Extortion', Jan 2025",
        "FBI/State/Treasury, 'Guidance on the Democratic People's Republic of Korea Information Technology Workers', May 2022",
        "Microsoft Threat Intelligence, 'Jasper Sleet: North Korean remote IT workers' evolving tactics to infiltrate organizations', Jun 2025",
        "Okta Threat Intelligence, research on North Korean IT worker campaigns, 2025",
        "T. M. McMenamin, 'A time to work: recent trends in shift work and flexible schedules', BLS Monthly Labor Review, Dec 2007",
    ],
};

/// A schedule: the day template rotated by `rot_min` minutes in a frame.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Frame {
    /// Claimed zone local time.
    Claimed,
    /// UTC plus a fixed offset in minutes.
    Utc(i32),
}

/// One active hour of a person.
#[derive(Debug, Clone, Copy)]
struct Slot {
    /// Hours since the Unix epoch (UTC).
    hour: i64,
    /// Hour of week (Monday 00:00 = 0) in the claimed zone.
    claimed_how: usize,
    /// The claimed zone's UTC offset at that hour, minutes.
    claimed_off: i32,
}

/// The working template as a normalised hour-of-week distribution.
fn template() -> [f64; 168] {
    let mut t = [0.0; 168];
    for (i, v) in t.iter_mut().enumerate() {
        let (d, h) = (i / 24, i % 24);
        *v = DAY[h] * if d < 5 { 1.0 } else { WEEKEND };
    }
    let s: f64 = t.iter().sum();
    t.iter_mut().for_each(|v| *v /= s);
    t
}

/// Hour of week of UTC hour `hour` moved by `min` minutes (floor).
fn how_at(hour: i64, min: i32) -> usize {
    // 1970-01-01 was a Thursday: Monday-based hour of week is shifted by 3 days.
    let local = (hour * 60 + i64::from(min)).div_euclid(60) + 72;
    local.rem_euclid(168) as usize
}

/// The template hour of week a slot falls on in `frame` with rotation `rot` hours (a schedule
/// that starts `rot` hours later than the template).
fn cell(s: &Slot, frame: Frame, rot: i64) -> usize {
    let base = match frame {
        Frame::Claimed => s.claimed_how as i64,
        Frame::Utc(m) => how_at(s.hour, m) as i64,
    };
    (base - rot).rem_euclid(168) as usize
}

/// Circular distance between two offsets in hours.
fn circ_h(a: i32, b: i32) -> f64 {
    let d = (a - b).rem_euclid(1440);
    f64::from(d.min(1440 - d)) / 60.0
}

/// EM for mixture weights of `K` fixed component densities (`dens[k][i]` for data point `i` of
/// multiplicity `w[i]`). Returns weights and total log-likelihood. Stops early once no weight
/// moves by more than [`EM_TOL`] (EM is monotone, so the likelihood has then settled too).
/// `K` is a constant so the inner loops unroll; the densities are laid out per data point.
fn em<const K: usize>(dens: [&[f64]; K], w: &[f64]) -> ([f64; K], f64) {
    let n: f64 = w.iter().sum();
    let rows: Vec<[f64; K]> = (0..w.len())
        .map(|i| std::array::from_fn(|j| dens[j].get(i).copied().unwrap_or(0.0)))
        .collect();
    let mut pi = [1.0 / K as f64; K];
    for _ in 0..EM_ITERS {
        let mut acc = [0.0; K];
        for (d, wi) in rows.iter().zip(w) {
            let tot: f64 = (0..K).map(|j| pi[j] * d[j]).sum();
            if tot > 0.0 {
                let f = wi / tot;
                for j in 0..K {
                    acc[j] += f * d[j];
                }
            }
        }
        if n <= 0.0 {
            break;
        }
        let mut moved: f64 = 0.0;
        for j in 0..K {
            let next = pi[j] * acc[j] / n;
            moved = moved.max((next - pi[j]).abs());
            pi[j] = next;
        }
        if moved < EM_TOL {
            break;
        }
    }
    let ll = rows
        .iter()
        .zip(w)
        .map(|(d, wi)| {
            let tot: f64 = (0..K).map(|j| pi[j] * d[j]).sum();
            wi * tot.max(1e-300).ln()
        })
        .sum();
    (pi, ll)
}

/// Mixture weights (claimed, offshore, background) and log-likelihood of a three-component fit.
type Fit3 = ([f64; 3], f64);

/// A claimed-zone schedule: name and rotation in hours.
fn claimed_schedules() -> Vec<(String, i64)> {
    let mut v = Vec::new();
    for d in -3..=3 {
        v.push((schedule_name("day work", d), d));
    }
    for d in -1..=1 {
        v.push((schedule_name("swing shift", d), 6 + d));
    }
    // Night shifts start at 22:00 or 23:00 (the usual third shifts, 22:00-06:00 and
    // 23:00-07:00). Day template rotated by 13 h: Monday 09:00 becomes Monday 22:00 (Mon-Fri
    // nights); by -11 h: Sunday 22:00 (Sun-Thu nights).
    for d in 0..=1 {
        v.push((schedule_name("night shift Mon-Fri", d), 13 + d));
        v.push((schedule_name("night shift Sun-Thu", d), -11 + d));
    }
    v
}

fn schedule_name(kind: &str, d: i64) -> String {
    match d {
        0 => kind.to_string(),
        d if d < 0 => format!("{kind}, {}h earlier", -d),
        d => format!("{kind}, {d}h later"),
    }
}

/// Offshore candidate offsets, minutes.
fn offsets() -> Vec<i32> {
    let mut v: Vec<i32> = (-12..=14).map(|h| h * 60).collect();
    v.extend([-210, 210, 270, 330, 390, 570]);
    v
}

fn fmt_offset(min: i32) -> String {
    let sign = if min < 0 { '-' } else { '+' };
    let a = min.abs();
    format!("UTC{sign}{:02}:{:02}", a / 60, a % 60)
}

/// The verdict on one person.
#[derive(Debug)]
struct Fit {
    offset: i32,
    claimed_schedule: String,
    fitted_lr: f64,
    log10_lr: f64,
    share: f64,
    background: f64,
    days: usize,
    offshore_days: usize,
    claimed_offsets: BTreeSet<i32>,
}

/// Fits the claimed and offshore explanations to one person's active hours.
fn fit(slots: &[Slot], tpl: &[f64; 168]) -> Option<Fit> {
    let n = slots.len();
    let days: BTreeSet<i64> = slots.iter().map(|s| s.hour.div_euclid(24)).collect();
    if n < MIN_ACTIVE_HOURS || days.len() < MIN_DAYS {
        return None;
    }
    // Slots with the same claimed and UTC hour of week share every density: fit on those cells.
    let mut cells: BTreeMap<(usize, i64), f64> = BTreeMap::new();
    for s in slots {
        *cells
            .entry((s.claimed_how, s.hour.rem_euclid(168)))
            .or_default() += 1.0;
    }
    let keys: Vec<Slot> = cells
        .keys()
        .map(|&(claimed_how, hour)| Slot {
            hour,
            claimed_how,
            claimed_off: 0,
        })
        .collect();
    let w: Vec<f64> = cells.values().copied().collect();
    let uniform = vec![1.0 / 168.0; keys.len()];
    let dens = |frame: Frame, rot: i64| -> Vec<f64> {
        keys.iter().map(|s| tpl[cell(s, frame, rot)]).collect()
    };
    let claimed: Vec<(String, Vec<f64>)> = claimed_schedules()
        .into_iter()
        .map(|(name, rot)| (name, dens(Frame::Claimed, rot)))
        .collect();
    let claimed_offsets: BTreeSet<i32> = slots.iter().map(|s| s.claimed_off).collect();
    let offshore: Vec<(i32, Vec<f64>)> = offsets()
        .into_iter()
        .filter(|&o| {
            claimed_offsets
                .iter()
                .all(|&c| circ_h(o, c) >= MIN_DISTANCE_H)
        })
        .map(|o| (o, dens(Frame::Utc(o), 0)))
        .collect();
    if offshore.is_empty() {
        return None;
    }
    // The claimed explanation: the best claimed schedule plus background.
    let (mut ci, c_ll) = claimed
        .iter()
        .enumerate()
        .map(|(i, (_, d))| (i, em([d, &uniform], &w).1))
        .fold((0, f64::NEG_INFINITY), |b, x| if x.1 > b.1 { x } else { b });
    // Three-component fits, memoised: the coordinate ascent below revisits the same pairs.
    let memo: std::cell::RefCell<Vec<Option<Fit3>>> =
        std::cell::RefCell::new(vec![None; claimed.len() * offshore.len()]);
    let three = |ci: usize, oi: usize| -> Fit3 {
        let at = ci * offshore.len() + oi;
        if let Some(Some(r)) = memo.borrow().get(at) {
            return *r;
        }
        let r = em([&claimed[ci].1, &offshore[oi].1, &uniform], &w);
        if let Some(slot) = memo.borrow_mut().get_mut(at) {
            *slot = Some(r);
        }
        r
    };
    let best_o = |ci: usize| {
        (0..offshore.len()).map(|oi| (oi, three(ci, oi))).fold(
            None::<(usize, Fit3)>,
            |b, x| match b {
                Some(b) if b.1.1 >= x.1.1 => Some(b),
                _ => Some(x),
            },
        )
    };
    let (mut oi, (mut pi, mut o_ll)) = best_o(ci)?;
    // A person whose data some offshore schedule improves gets a joint fit: the claimed component
    // is re-chosen next to the offshore one (a split schedule's claimed part is day work even
    // when a night shift was the best single claimed explanation), by coordinate ascent from two
    // starts: the best claimed schedule, and the best offshore schedule alone.
    if (o_ll - c_ll) * days.len() as f64 / n as f64 >= 1.0 {
        let alone = (0..offshore.len())
            .map(|o| (o, em([&offshore[o].1, &uniform], &w).1))
            .fold((0, f64::NEG_INFINITY), |b, x| if x.1 > b.1 { x } else { b })
            .0;
        for (c0, o0) in [(ci, oi), (usize::MAX, alone)] {
            let (mut c, mut o, mut best) = (c0, o0, None::<Fit3>);
            for _ in 0..3 {
                let (nc, r) = (0..claimed.len()).map(|c| (c, three(c, o))).fold(
                    None::<(usize, Fit3)>,
                    |b, x| match b {
                        Some(b) if b.1.1 >= x.1.1 => Some(b),
                        _ => Some(x),
                    },
                )?;
                c = nc;
                best = Some(r);
                if let Some((no, r)) = best_o(c) {
                    o = no;
                    best = Some(r);
                }
            }
            if let Some((npi, nll)) = best
                && nll > o_ll
            {
                (ci, oi, pi, o_ll) = (c, o, npi, nll);
            }
        }
    }
    let llr = (o_ll - c_ll).max(0.0);
    // Day-level evidence: the mean log ratio per scheduled active hour (background excluded)
    // times the number of active days.
    let n_eff = (n as f64 * (1.0 - pi[2])).max(days.len() as f64);
    let llr_days = llr * days.len() as f64 / n_eff;
    let scheduled = pi[0] + pi[1];
    let share = if scheduled > 0.0 {
        pi[1] / scheduled
    } else {
        0.0
    };
    let offset = offshore[oi].0;
    // Days carrying at least one active hour's worth of offshore responsibility.
    let c_rot = claimed_schedules().get(ci).map_or(0, |c| c.1);
    let mut per_day: BTreeMap<i64, f64> = BTreeMap::new();
    for s in slots {
        let c = tpl[cell(s, Frame::Claimed, c_rot)];
        let o = tpl[cell(s, Frame::Utc(offset), 0)];
        let tot = pi[0] * c + pi[1] * o + pi[2] / 168.0;
        let r = if tot > 0.0 { pi[1] * o / tot } else { 0.0 };
        *per_day.entry(s.hour.div_euclid(24)).or_default() += r;
    }
    let offshore_days = per_day.values().filter(|r| **r >= 1.0).count();
    Some(Fit {
        offset,
        claimed_schedule: claimed[ci].0.clone(),
        fitted_lr: llr_days.min(LR_CAP.ln()).exp(),
        log10_lr: llr_days / std::f64::consts::LN_10,
        share,
        background: pi[2],
        days: days.len(),
        offshore_days,
        claimed_offsets,
    })
}

impl Fit {
    fn fires(&self) -> bool {
        self.log10_lr >= MIN_FITTED_LR.log10()
            && self.share >= MIN_OFFSHORE_SHARE
            && self.offshore_days as f64 >= MIN_OFFSHORE_DAY_SHARE * self.days as f64
            && self.offshore_days >= MIN_DAYS
    }

    fn lr(&self) -> f64 {
        1.0 + (self.fitted_lr - 1.0) * (self.share / FULL_OFFSHORE_SHARE).min(1.0)
    }
}

/// Every attributed event, reduced to (person, source, UTC day, the day's active hours as a
/// 24-bit mask, events): one row per person, source and day keeps the engine's aggregation and
/// the collected result small (an hourly heartbeat is one row a day, not 24). Hours are distinct per
/// source, so an always-on source (hourly check-ins of a laptop that never sleeps) does not hide
/// the timing of the others: its hours go to the background component.
const EVENTS_SQL: &str = "WITH ev AS (
    SELECT person_id, time, CAST(0 AS BIGINT) AS src FROM signin_ev
      WHERE person_id IS NOT NULL AND outcome = 'success'
    UNION ALL
    SELECT d.person_id, p.time, CAST(1 AS BIGINT) FROM devices d JOIN device_presence p ON p.device_id = d.device_id
      WHERE d.person_id IS NOT NULL
    UNION ALL
    SELECT d.person_id, x.time, CAST(2 AS BIGINT) FROM devices d JOIN processes x ON x.device_id = d.device_id
      WHERE d.person_id IS NOT NULL AND coalesce(lower(trim(x.event)), 'start') <> 'running'
    UNION ALL
    SELECT coalesce(a.person_id, m.person_id, d.person_id) AS person_id, a.time, CAST(3 AS BIGINT)
      FROM activity a
      LEFT JOIN account_map m ON lower(trim(a.account)) = m.account
      LEFT JOIN devices d ON a.device_id = d.device_id
  )
  SELECT person_id, src, date_trunc('day', time) AS day,
         bit_or(CAST(1 AS BIGINT) << CAST(date_part('hour', time) AS BIGINT)) AS hours,
         count(*) AS n
  FROM ev WHERE person_id IS NOT NULL AND time IS NOT NULL AND {slice}
  GROUP BY person_id, src, date_trunc('day', time)";

/// `EVENTS_SQL`'s rows of everyone, staged in slices when there are several.
const DAYS_TABLE: &str = "tz_days";

/// The tables `EVENTS_SQL` reads, whose size sets the number of slices of people.
const EVENT_TABLES: [&str; 4] = ["signins", "device_presence", "processes", "activity"];

/// Memory per event row of [`EVENT_TABLES`] in one slice (see [`Engine::person_slices`]): one
/// compact entry per person, source and day. Estimated from an RSS trace at 100,000 people with
/// 2 GiB: slices of at most 21 M event rows rose by about 700 MB each, engine included (about
/// 35 bytes per row), rounded up.
const EVENT_BYTES_PER_ROW: u64 = 50;

/// The activity sources, in `EVENTS_SQL`'s `src` codes.
const SOURCES: usize = 4;

/// One source of a person's activity.
#[derive(Debug, Default)]
struct SourceDays {
    /// (UTC hour at the start of each day, that day's active-hour mask).
    days: Vec<(i64, u32)>,
    /// Events behind the masks.
    events: i64,
}

/// One person's activity, by source.
#[derive(Debug)]
struct Person {
    id: String,
    zone: chrono_tz::Tz,
    sources: [SourceDays; SOURCES],
}

/// The active hours of one person in the claimed zone's frame. A source active around the clock
/// (a laptop that never sleeps checks in every hour) is a machine heartbeat, not working time:
/// it says nothing about the hours a person keeps and is left out.
fn person_slots(p: &Person) -> (Vec<Slot>, i64) {
    let (mut slots, mut events) = (Vec::new(), 0);
    for src in &p.sources {
        let hours: u32 = src.days.iter().map(|(_, m)| m.count_ones()).sum();
        if src.days.is_empty() || f64::from(hours) >= ALWAYS_ON_HOURS * src.days.len() as f64 {
            continue;
        }
        for &(day_hour, mask) in &src.days {
            // One zone lookup a day unless the offset changes within it (a DST switch).
            let start = utc_offset_min(p.zone, day_hour);
            let same = utc_offset_min(p.zone, day_hour + 23) == start;
            for h in (0..24).filter(|h| mask & (1 << h) != 0) {
                let hour = day_hour + i64::from(h);
                let Some(off) = (if same {
                    start
                } else {
                    utc_offset_min(p.zone, hour)
                }) else {
                    continue;
                };
                slots.push(Slot {
                    hour,
                    claimed_how: how_at(hour, off),
                    claimed_off: off,
                });
            }
        }
        events += src.events;
    }
    slots.sort_by_key(|s| s.hour);
    (slots, events)
}

/// The UTC offset of `zone` at UTC hour `hour` (hours since the epoch), minutes.
fn utc_offset_min(zone: chrono_tz::Tz, hour: i64) -> Option<i32> {
    let dt = chrono::DateTime::from_timestamp(hour.checked_mul(3600)?, 0)?;
    Some(
        zone.offset_from_utc_datetime(&dt.naive_utc())
            .fix()
            .local_minus_utc()
            / 60,
    )
}

/// Fits one person and builds the signal when the offshore explanation wins.
fn judge(p: &Person, tpl: &[f64; 168]) -> Option<Signal> {
    let (slots, events) = person_slots(p);
    let f = fit(&slots, tpl)?;
    if !f.fires() {
        return None;
    }
    let (person, zone) = (p.id.clone(), &p.zone);
    let mut claimed_hist = [0u32; 24];
    let mut offshore_hist = [0u32; 24];
    for s in &slots {
        claimed_hist[s.claimed_how % 24] += 1;
        offshore_hist[how_at(s.hour, f.offset) % 24] += 1;
    }
    let busiest = |h: &[u32; 24]| -> String {
        // The 8-hour window holding the most active hours.
        let (start, _) = (0..24)
            .map(|s| (s, (0..8).map(|k| h[(s + k) % 24]).sum::<u32>()))
            .fold((0, 0), |b, x| if x.1 > b.1 { x } else { b });
        format!("{:02}:00-{:02}:00", start, (start + 8) % 24)
    };
    let lr = f.lr();
    let severity = if f.share >= FULL_OFFSHORE_SHARE {
        Severity::Medium
    } else {
        Severity::Low
    };
    let claimed_offsets: Vec<String> = f.claimed_offsets.iter().map(|m| fmt_offset(*m)).collect();
    let reason = format!(
        "{} active hours on {} days fit daytime work at {} (busiest 8 hours {} there, {} in \
         the claimed {}) {:.0}x better than any schedule in the claimed zone (best: {}); \
         {:.0}% of scheduled activity on offshore hours",
        slots.len(),
        f.days,
        fmt_offset(f.offset),
        busiest(&offshore_hist),
        busiest(&claimed_hist),
        zone.name(),
        f.fitted_lr,
        f.claimed_schedule,
        f.share * 100.0
    );
    Some(Signal {
        person_id: person,
        device_id: None,
        detection: META.id,
        family: META.family,
        severity,
        likelihood_ratio: lr,
        first_seen: slots.first().map(|s| rfc3339(s.hour * 3_600_000_000)),
        last_seen: slots.last().map(|s| rfc3339(s.hour * 3_600_000_000)),
        reason,
        evidence: json!({
            "claimed_zone": zone.name(),
            "claimed_offsets": claimed_offsets,
            "best_offset": fmt_offset(f.offset),
            "best_offset_hours": f64::from(f.offset) / 60.0,
            "best_claimed_schedule": f.claimed_schedule,
            "fitted_lr": (f.fitted_lr * 100.0).round() / 100.0,
            "log10_lr_uncapped": (f.log10_lr * 100.0).round() / 100.0,
            "offshore_share": (f.share * 1000.0).round() / 1000.0,
            "background_share": (f.background * 1000.0).round() / 1000.0,
            "events": events,
            "active_hours": slots.len(),
            "days": f.days,
            "days_with_offshore_activity": f.offshore_days,
            "active_hours_by_claimed_local_hour": claimed_hist,
            "active_hours_by_offshore_local_hour": offshore_hist,
        }),
        links: Vec::new(),
    })
}

impl Detection for TzMismatch {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn run(&self, engine: &Engine, _cfg: &DetectConfig) -> Result<Vec<Signal>, DetectError> {
        let mut zones: BTreeMap<String, chrono_tz::Tz> = BTreeMap::new();
        for b in engine.sql("SELECT person_id, zone FROM person_home WHERE zone IS NOT NULL")? {
            let (p, z) = (col(&b, "person_id")?, col(&b, "zone")?);
            for i in 0..b.num_rows() {
                if let (Some(p), Some(z)) = (p.str(i), z.str(i))
                    && let Ok(tz) = z.parse::<chrono_tz::Tz>()
                {
                    zones.insert(p.to_string(), tz);
                }
            }
        }
        // One slice of people at a time, so the per-person days never hold everyone at once.
        let tpl = template();
        let slices = engine.person_slices(&EVENT_TABLES, EVENT_BYTES_PER_ROW);
        let everyone = EVENTS_SQL.replace("{slice}", "TRUE");
        if slices > 1 {
            // The day rows of everyone, computed once (the engine's aggregation spills under a
            // limit) and staged one folder per slice: each slice then reads its own rows
            // instead of scanning and joining the four event tables again (100,000 people:
            // 11 slices of about 7 s each).
            engine.stage_sliced(DAYS_TABLE, &everyone, "person_id", slices)?;
        }
        let mut out = Vec::new();
        for k in 0..slices {
            let sql = if slices > 1 {
                format!(
                    "SELECT person_id, src, day, hours, n FROM {DAYS_TABLE} WHERE slice_k = {k}"
                )
            } else {
                everyone.clone()
            };
            let people = collect_people(engine, &zones, &sql)?;
            out.extend(judge_all(&people, &tpl)?);
        }
        out.sort_by(|a, b| a.person_id.cmp(&b.person_id));
        Ok(out)
    }
}

/// Per person with a claimed zone and per source: the days with their hour masks, and the event
/// count, sorted by person. Streamed: one compact entry per person, source and day.
fn collect_people(
    engine: &Engine,
    zones: &BTreeMap<String, chrono_tz::Tz>,
    sql: &str,
) -> Result<Vec<Person>, DetectError> {
    let mut index: std::collections::HashMap<String, usize> = Default::default();
    let mut people: Vec<Person> = Vec::new();
    engine.sql_for_each(sql, |b| {
        let (p, day, hours, n, src) = (
            col(b, "person_id")?,
            col(b, "day")?,
            col(b, "hours")?,
            col(b, "n")?,
            col(b, "src")?,
        );
        for i in 0..b.num_rows() {
            let (Some(p), Some(us), Some(mask), Some(src)) =
                (p.str(i), day.ts(i), hours.int(i), src.int(i))
            else {
                continue;
            };
            let Some(src) = usize::try_from(src).ok().filter(|s| *s < SOURCES) else {
                continue;
            };
            let at = match index.get(p) {
                Some(at) => *at,
                None => {
                    let Some(zone) = zones.get(p) else {
                        continue;
                    };
                    people.push(Person {
                        id: p.to_string(),
                        zone: *zone,
                        sources: Default::default(),
                    });
                    index.insert(p.to_string(), people.len() - 1);
                    people.len() - 1
                }
            };
            let e = &mut people[at].sources[src];
            e.days
                .push((us.div_euclid(3_600_000_000), (mask & 0x00ff_ffff) as u32));
            e.events += n.int(i).unwrap_or(1);
        }
        Ok(())
    })?;
    people.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(people)
}

/// Fits every person on every core, in contiguous chunks so the signals come out in person order.
fn judge_all(people: &[Person], tpl: &[f64; 168]) -> Result<Vec<Signal>, DetectError> {
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 16);
    let chunk = people.len().div_ceil(workers).max(1);
    let out = std::thread::scope(|scope| {
        let handles: Vec<_> = people
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .filter_map(|p| judge(p, tpl))
                        .collect::<Vec<Signal>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join())
            .collect::<Result<Vec<_>, _>>()
    })
    .map_err(|_| DetectError::Internal("a TZ-MISMATCH worker thread panicked".into()))?;
    Ok(out.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Timelike};

    fn slots(
        zone: &str,
        hours_utc: &[i64],
        days: std::ops::Range<i64>,
        weekdays_only: bool,
    ) -> Vec<Slot> {
        let tz: chrono_tz::Tz = zone.parse().unwrap();
        // 2026-03-02 (a Monday) in hours since epoch.
        let h0 = 20_514 * 24;
        let mut v = Vec::new();
        for d in days {
            for &h in hours_utc {
                let hour = h0 + d * 24 + h;
                let dt = chrono::DateTime::from_timestamp(hour * 3600, 0).unwrap();
                let l = tz.from_utc_datetime(&dt.naive_utc());
                if weekdays_only && l.weekday().num_days_from_monday() >= 5 {
                    continue;
                }
                v.push(Slot {
                    hour,
                    claimed_how: l.weekday().num_days_from_monday() as usize * 24
                        + l.hour() as usize,
                    claimed_off: l.offset().fix().local_minus_utc() / 60,
                });
            }
        }
        v
    }

    #[test]
    fn epoch_weekday() {
        // 2026-03-02 00:00 UTC is Monday 00:00.
        assert_eq!(how_at(20_514 * 24, 0), 0);
        assert_eq!(how_at(20_514 * 24, 9 * 60), 9);
        assert_eq!(how_at(20_514 * 24, -60), 167);
    }

    #[test]
    fn seoul_daytime_fires_and_chicago_daytime_does_not() {
        let tpl = template();
        // Seoul 09-18 = 00-09 UTC on Seoul weekdays (shift the day by +9h before filtering).
        let s = slots("America/Chicago", &(0..9).collect::<Vec<_>>(), 0..28, false);
        let s: Vec<Slot> = s
            .into_iter()
            .filter(|x| how_at(x.hour, 540) / 24 < 5)
            .collect();
        let f = fit(&s, &tpl).unwrap();
        assert!(f.fires(), "{f:?}");
        assert_eq!(f.offset, 540);
        let c = slots(
            "America/Chicago",
            &(14..23).collect::<Vec<_>>(),
            0..28,
            true,
        );
        let f = fit(&c, &tpl).unwrap();
        assert!(!f.fires(), "{f:?}");
    }
}
