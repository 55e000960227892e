//! Embedded reference data derived from the CC BY 4.0 / MIT sources under `data/`
//! (see `data/synth/SOURCE.txt`): US places, area codes, residential / mobile / foreign ISP ranges,
//! VPN / hosting / ZTNA / unlisted-hosting ranges.

use std::collections::BTreeMap;
use std::str::FromStr;

use chrono_tz::Tz;
use rand::Rng;

use crate::SynthError;
use crate::catalog::OFFSHORE_TZ;

const US_PLACES: &str = include_str!("../../../data/synth/us_places.csv");
const AREA_CODES: &str = include_str!("../../../data/synth/area_codes.csv");
const RESIDENTIAL: &str = include_str!("../../../data/synth/residential_ranges.csv");
const ANON: &str = include_str!("../../../data/synth/anon_ranges.csv");

/// A US ZIP code with its place.
#[derive(Debug, Clone)]
pub(crate) struct Place {
    pub zip: String,
    pub city: String,
    pub state: String,
    pub lat: f64,
    pub lon: f64,
    pub tz: u8,
}

/// Kind of an IP range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum RangeKind {
    Residential,
    Mobile,
    Abroad,
    Offshore,
    Vpn,
    Hosting,
    Ztna,
    Unlisted,
}

impl RangeKind {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "residential" => Self::Residential,
            "mobile" => Self::Mobile,
            "abroad" => Self::Abroad,
            "offshore" => Self::Offshore,
            "vpn" => Self::Vpn,
            "hosting" => Self::Hosting,
            "ztna" => Self::Ztna,
            "unlisted" => Self::Unlisted,
            _ => return None,
        })
    }
}

/// An IPv4 range of one ASN.
#[derive(Debug, Clone)]
pub(crate) struct IpRange {
    pub start: u32,
    pub end: u32,
    pub asn: u32,
    pub org: String,
    pub kind: RangeKind,
    pub country: String,
}

/// Weighted picker over indices.
#[derive(Debug, Clone, Default)]
pub(crate) struct Picker {
    cum: Vec<u64>,
    idx: Vec<u32>,
}

impl Picker {
    fn push(&mut self, idx: u32, w: u64) {
        let last = self.cum.last().copied().unwrap_or(0);
        self.cum.push(last + w.max(1));
        self.idx.push(idx);
    }
    pub fn is_empty(&self) -> bool {
        self.idx.is_empty()
    }
    /// Weighted index; `None` when empty.
    pub fn pick<R: Rng + ?Sized>(&self, rng: &mut R) -> Option<u32> {
        let total = *self.cum.last()?;
        let x = rng.random_range(0..total);
        let i = self.cum.partition_point(|&c| c <= x);
        self.idx.get(i).copied()
    }
}

/// All reference data, parsed once per generation run.
pub(crate) struct RefData {
    pub places: Vec<Place>,
    pub place_pick: Picker,
    /// Place indices by state code.
    pub by_state: BTreeMap<String, Vec<u32>>,
    /// Area codes by state.
    pub area_codes: BTreeMap<String, Vec<u16>>,
    pub all_area_codes: Vec<u16>,
    pub ranges: Vec<IpRange>,
    pub pick_by_kind: BTreeMap<RangeKind, Picker>,
    /// Range indices of `abroad` kind by country.
    pub abroad_by_country: BTreeMap<String, Picker>,
    /// IANA zones: index -> (name, zone).
    pub tzs: Vec<(String, Tz)>,
    /// Zone indices of the offshore working zones.
    pub offshore_tz: Vec<u8>,
}

fn bad(what: &str, line: usize, msg: impl std::fmt::Display) -> SynthError {
    SynthError::Data(format!("embedded {what} line {line}: {msg}"))
}

fn parse_ip(s: &str) -> Option<u32> {
    std::net::Ipv4Addr::from_str(s).ok().map(u32::from)
}

fn records(text: &str) -> csv::StringRecordsIntoIter<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes())
        .into_records()
}

impl RefData {
    /// Parses the embedded files.
    pub fn load() -> Result<Self, SynthError> {
        let mut tzs: Vec<(String, Tz)> = Vec::new();
        let tz_index = |name: &str, tzs: &mut Vec<(String, Tz)>| -> Result<u8, SynthError> {
            if let Some(i) = tzs.iter().position(|(n, _)| n == name) {
                return Ok(i as u8);
            }
            let tz = Tz::from_str(name)
                .map_err(|e| SynthError::Data(format!("time zone {name}: {e}")))?;
            tzs.push((name.to_string(), tz));
            u8::try_from(tzs.len() - 1).map_err(|_| SynthError::Data("too many time zones".into()))
        };

        let mut places = Vec::new();
        let mut place_pick = Picker::default();
        let mut by_state: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for (i, rec) in records(US_PLACES).enumerate() {
            let r = rec.map_err(|e| bad("us_places.csv", i + 2, e))?;
            let get = |k: usize| {
                r.get(k)
                    .ok_or_else(|| bad("us_places.csv", i + 2, "missing column"))
            };
            let lat: f64 = get(3)?
                .parse()
                .map_err(|e| bad("us_places.csv", i + 2, e))?;
            let lon: f64 = get(4)?
                .parse()
                .map_err(|e| bad("us_places.csv", i + 2, e))?;
            let w: u64 = get(6)?
                .parse()
                .map_err(|e| bad("us_places.csv", i + 2, e))?;
            let tz = tz_index(get(5)?, &mut tzs)?;
            let idx = places.len() as u32;
            by_state.entry(get(2)?.to_string()).or_default().push(idx);
            place_pick.push(idx, w);
            places.push(Place {
                zip: get(0)?.into(),
                city: get(1)?.into(),
                state: get(2)?.into(),
                lat,
                lon,
                tz,
            });
        }
        if places.is_empty() {
            return Err(SynthError::Data("embedded us_places.csv is empty".into()));
        }

        let mut area_codes: BTreeMap<String, Vec<u16>> = BTreeMap::new();
        let mut all_area_codes = Vec::new();
        for (i, rec) in records(AREA_CODES).enumerate() {
            let r = rec.map_err(|e| bad("area_codes.csv", i + 2, e))?;
            let npa: u16 = r
                .get(0)
                .unwrap_or("")
                .parse()
                .map_err(|e| bad("area_codes.csv", i + 2, e))?;
            area_codes
                .entry(r.get(1).unwrap_or("").to_string())
                .or_default()
                .push(npa);
            all_area_codes.push(npa);
        }
        if all_area_codes.is_empty() {
            return Err(SynthError::Data("embedded area_codes.csv is empty".into()));
        }

        let mut ranges = Vec::new();
        let mut pick_by_kind: BTreeMap<RangeKind, Picker> = BTreeMap::new();
        let mut abroad_by_country: BTreeMap<String, Picker> = BTreeMap::new();
        for (what, text) in [
            ("residential_ranges.csv", RESIDENTIAL),
            ("anon_ranges.csv", ANON),
        ] {
            for (i, rec) in records(text).enumerate() {
                let r = rec.map_err(|e| bad(what, i + 2, e))?;
                let get = |k: usize| r.get(k).ok_or_else(|| bad(what, i + 2, "missing column"));
                let start = parse_ip(get(0)?).ok_or_else(|| bad(what, i + 2, "bad start_ip"))?;
                let end = parse_ip(get(1)?).ok_or_else(|| bad(what, i + 2, "bad end_ip"))?;
                if end < start {
                    return Err(bad(what, i + 2, "end before start"));
                }
                let asn: u32 = get(2)?.parse().map_err(|e| bad(what, i + 2, e))?;
                let kind =
                    RangeKind::parse(get(4)?).ok_or_else(|| bad(what, i + 2, "unknown kind"))?;
                let idx = ranges.len() as u32;
                // weight by the square root of the size so that big blocks do not swamp the ISP mix
                let w = ((end - start) as f64 + 1.0).sqrt() as u64;
                pick_by_kind.entry(kind).or_default().push(idx, w);
                if kind == RangeKind::Abroad {
                    abroad_by_country
                        .entry(get(5)?.to_string())
                        .or_default()
                        .push(idx, w);
                }
                ranges.push(IpRange {
                    start,
                    end,
                    asn,
                    org: get(3)?.to_string(),
                    kind,
                    country: get(5)?.to_string(),
                });
            }
        }
        for k in [
            RangeKind::Residential,
            RangeKind::Mobile,
            RangeKind::Abroad,
            RangeKind::Offshore,
            RangeKind::Vpn,
            RangeKind::Hosting,
            RangeKind::Ztna,
            RangeKind::Unlisted,
        ] {
            if pick_by_kind.get(&k).is_none_or(Picker::is_empty) {
                return Err(SynthError::Data(format!(
                    "no embedded IP ranges of kind {k:?}"
                )));
            }
        }
        let mut offshore_tz = Vec::new();
        for z in OFFSHORE_TZ {
            offshore_tz.push(tz_index(z, &mut tzs)?);
        }
        Ok(RefData {
            places,
            place_pick,
            by_state,
            area_codes,
            all_area_codes,
            ranges,
            pick_by_kind,
            abroad_by_country,
            tzs,
            offshore_tz,
        })
    }

    /// A random populated place (weighted by population).
    pub fn random_place<R: Rng + ?Sized>(&self, rng: &mut R) -> u32 {
        self.place_pick.pick(rng).unwrap_or(0)
    }

    /// A random place in `state` (uniform over its ZIPs), or anywhere if unknown.
    pub fn place_in_state<R: Rng + ?Sized>(&self, rng: &mut R, state: &str) -> u32 {
        match self.by_state.get(state) {
            Some(v) if !v.is_empty() => v[rng.random_range(0..v.len())],
            _ => self.random_place(rng),
        }
    }

    /// A random place within about `km` kilometres of `place` (same metro); `place` itself if none.
    pub fn place_near<R: Rng + ?Sized>(&self, rng: &mut R, place: u32, km: f64) -> u32 {
        let Some(c) = self.places.get(place as usize) else {
            return place;
        };
        let near: Vec<u32> = self
            .by_state
            .get(&c.state)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&i| {
                let p = &self.places[i as usize];
                let dy = (p.lat - c.lat) * 111.0;
                let dx = (p.lon - c.lon) * 111.0 * c.lat.to_radians().cos();
                dx * dx + dy * dy <= km * km
            })
            .collect();
        if near.is_empty() {
            place
        } else {
            near[rng.random_range(0..near.len())]
        }
    }

    /// A random place in another state than `state`.
    pub fn place_elsewhere<R: Rng + ?Sized>(&self, rng: &mut R, state: &str) -> u32 {
        for _ in 0..32 {
            let p = self.random_place(rng);
            if self.places[p as usize].state != state {
                return p;
            }
        }
        self.random_place(rng)
    }

    /// A random address (and its range index) from ranges of `kind`.
    pub fn random_ip<R: Rng + ?Sized>(&self, rng: &mut R, kind: RangeKind) -> (u32, u32) {
        let ri = self
            .pick_by_kind
            .get(&kind)
            .and_then(|p| p.pick(rng))
            .unwrap_or(0);
        (self.ip_in_range(rng, ri), ri)
    }

    /// A random usable address in range `ri` (last octet 1..=254 when the range allows it).
    pub fn ip_in_range<R: Rng + ?Sized>(&self, rng: &mut R, ri: u32) -> u32 {
        let r = &self.ranges[ri as usize];
        let span = u64::from(r.end - r.start) + 1;
        let mut ip = r.start + rng.random_range(0..span) as u32;
        if span >= 256 {
            let last = ip & 0xff;
            if last == 0 || last == 255 {
                ip = (ip & !0xff) | rng.random_range(1..255u32);
            }
        }
        ip
    }

    /// Time zone index of a place.
    pub fn place_tz(&self, place: u32) -> u8 {
        self.places[place as usize].tz
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_loads() {
        let d = RefData::load().unwrap();
        assert!(d.places.len() > 500);
        assert_eq!(d.by_state.len(), 51, "50 states + DC");
        assert!(d.area_codes.len() >= 50);
        assert!(d.ranges.len() > 1000);
        assert!(d.tzs.iter().any(|(n, _)| n == "America/Chicago"));
    }
}
