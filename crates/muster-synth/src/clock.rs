//! The observation window and local-time arithmetic.

use chrono::{DateTime, Datelike, NaiveDate, Offset, TimeZone};

use crate::SynthError;
use crate::out::days_from_civil;
use crate::refdata::RefData;

/// Seconds per day.
pub(crate) const DAY: i64 = 86_400;

/// The window `[t0, end)` and per-zone UTC offsets for each window day.
pub(crate) struct Clock {
    /// Window start, unix seconds (00:00 UTC of the start date).
    pub t0: i64,
    /// Window end (exclusive), unix seconds.
    pub end: i64,
    /// Window length in days.
    pub days: i64,
    /// Days since the epoch of the start date.
    pub day0: i64,
    /// Weekday of window day 0 (0 = Monday).
    wd0: i64,
    /// Offsets (seconds east of UTC) per zone for window days -2 ..= days + 1.
    off: Vec<Vec<i32>>,
}

impl Clock {
    /// Builds the clock of a window starting at `start` and lasting `days` days.
    pub fn new(start: NaiveDate, days: u32, rd: &RefData) -> Result<Self, SynthError> {
        let day0 = days_from_civil(i64::from(start.year()), start.month(), start.day());
        let t0 = day0 * DAY;
        let days = i64::from(days);
        let wd0 = i64::from(start.weekday().num_days_from_monday());
        let mut off = Vec::with_capacity(rd.tzs.len());
        for (_, tz) in &rd.tzs {
            let mut v = Vec::with_capacity(days as usize + 4);
            for d in -2..=days + 1 {
                let t = t0 + d * DAY + DAY / 2;
                let utc = DateTime::from_timestamp(t, 0)
                    .ok_or_else(|| {
                        SynthError::Config(format!("start date {start} is out of range"))
                    })?
                    .naive_utc();
                let o = tz.offset_from_utc_datetime(&utc).fix().local_minus_utc();
                v.push(o);
            }
            off.push(v);
        }
        Ok(Clock {
            t0,
            end: t0 + days * DAY,
            days,
            day0,
            wd0,
            off,
        })
    }

    /// UTC offset (seconds) of zone `tz` on window day `d`.
    pub fn offset(&self, tz: u8, d: i64) -> i64 {
        let v = &self.off[tz as usize];
        let k = (d + 2).clamp(0, v.len() as i64 - 1) as usize;
        i64::from(v[k])
    }

    /// Unix time of local midnight of window day `d` in zone `tz`.
    pub fn midnight(&self, tz: u8, d: i64) -> i64 {
        self.t0 + d * DAY - self.offset(tz, d)
    }

    /// Weekday (0 = Monday) of window day `d`.
    pub fn weekday(&self, d: i64) -> i64 {
        (self.wd0 + d).rem_euclid(7)
    }

    /// Window day of a unix time.
    pub fn day_of(&self, t: i64) -> i64 {
        (t - self.t0).div_euclid(DAY)
    }
}
