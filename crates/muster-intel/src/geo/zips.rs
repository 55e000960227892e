//! ZIP code -> place, state, county, coordinates and time zone.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

use crate::error::{IntelError, LineError, Result};
use crate::util::{decompress_if_gz, read_all_maybe_gz, read_path, utf8_lossy};

use super::zones::zip_zone_override;
use super::zones::{county_zone, state_code, state_fips, state_zone, territory_for_zip};

/// Where a [`ZipInfo`]'s coordinates come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CoordSource {
    /// US Census Bureau ZCTA internal point (preferred when present).
    Census,
    /// GeoNames postal-code coordinates.
    GeoNames,
}

/// One ZIP code.
#[derive(Debug, Clone, PartialEq)]
pub struct ZipInfo {
    /// The five-digit ZIP code, with leading zeros (`"02134"`).
    pub zip: String,
    /// Place name from GeoNames (`"San Francisco"`); empty for ZIPs only in the Census file.
    pub place: String,
    /// USPS state code (`"CA"`; `"AA"`/`"AE"`/`"AP"` for military post offices); empty when
    /// unknown. See [`ZipInfo::state_inferred`].
    pub state: String,
    /// `true` when the ZIP is not in GeoNames and its state was inferred: from the USPS ranges
    /// of the territories, else from the state most GeoNames ZIPs with the same three-digit
    /// prefix belong to (a ZIP3 is a sectional center facility, which serves one state in all
    /// but a handful of cases).
    pub state_inferred: bool,
    /// County name as written by GeoNames (`"El Paso"`, `"Aleutians West (CA)"`).
    pub county: Option<String>,
    /// Five-digit state+county FIPS code (`"48141"`).
    pub county_fips: Option<String>,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// Which file the coordinates come from.
    pub coords: CoordSource,
    /// IANA time zone: a ZIP-level exception, else the county's zone in split states, else the
    /// state's majority zone (see [`county_zone`](super::county_zone)). `None` for military
    /// post offices and unknown states.
    pub zone: Option<&'static str>,
}

/// ZIP code table merged from GeoNames and the Census ZCTA centroids.
///
/// Coordinates: the Census Bureau's ZCTA internal point is preferred when present because it
/// is computed from the 2020 census block geometry of the ZIP's delivery area and is
/// guaranteed to lie inside it, is public domain and newer (2021) than the GeoNames snapshot
/// (2018), whose coordinates are of mixed accuracy (its accuracy column ranges from
/// "estimated" to "centroid"), often the post office or the town's point. GeoNames supplies
/// place, state and county, and the ZIPs Census has no ZCTA for (PO-box-only and
/// single-building ZIPs, military post offices).
#[derive(Debug, Clone, Default)]
pub struct Zips {
    entries: Vec<ZipInfo>,
    /// ZIP (0..100_000) -> index into `entries`, `u32::MAX` when absent.
    index: Vec<u32>,
    load_error: Option<String>,
}

const NONE: u32 = u32::MAX;
const GEONAMES_LABEL: &str = "embedded:data/geo/geonames_US.txt.gz";
const CENSUS_LABEL: &str = "embedded:data/geo/census_zcta_centroids.csv.gz";

/// Parses a ZIP code as typed by people and spreadsheets; see [`Zips::lookup`].
pub(crate) fn parse_zip(input: &str) -> Option<u32> {
    let s = input.trim();
    let s = s.strip_suffix(".0").unwrap_or(s);
    let (main, plus4) = match s.find(['-', ' ']) {
        Some(i) => (&s[..i], Some(s[i + 1..].trim_start())),
        None => (s, None),
    };
    if main.is_empty() || !main.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let main = match plus4 {
        Some(p) => {
            if p.len() != 4 || !p.bytes().all(|b| b.is_ascii_digit()) || main.len() > 5 {
                return None;
            }
            main
        }
        None => match main.len() {
            1..=5 => main,
            // ZIP+4 written without the dash (8 digits: leading zero lost).
            8 | 9 => &main[..main.len() - 4],
            _ => return None,
        },
    };
    // 3- and 4-digit values are ZIPs whose leading zeros were lost (stored as numbers):
    // `2134` is 02134. The smallest ZIP in use is 00501.
    if main.len() < 3 {
        return None;
    }
    main.parse().ok()
}

fn parse_coord(s: &str, max: f64) -> Option<f64> {
    let v: f64 = s.trim().parse().ok()?;
    (v.is_finite() && v.abs() <= max).then_some(v)
}

impl Zips {
    /// The embedded GeoNames + Census tables, parsed once per process. Never panics: a parse
    /// failure yields an empty table and [`Zips::load_error`].
    pub fn embedded() -> &'static Zips {
        static EMBEDDED: OnceLock<Zips> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            const GEONAMES: &[u8] = include_bytes!("../../../../data/geo/geonames_US.txt.gz");
            const CENSUS: &[u8] =
                include_bytes!("../../../../data/geo/census_zcta_centroids.csv.gz");
            let built = decompress_if_gz(GEONAMES.to_vec(), GEONAMES_LABEL)
                .and_then(|g| Zips::from_geonames_bytes(&g, GEONAMES_LABEL))
                .and_then(|z| {
                    let c = decompress_if_gz(CENSUS.to_vec(), CENSUS_LABEL)?;
                    z.merge_centroids(&c, CENSUS_LABEL)
                });
            built.unwrap_or_else(|e| Zips {
                load_error: Some(e.to_string()),
                ..Zips::default()
            })
        })
    }

    /// Loads a GeoNames postal-code file (`US.txt`, tab-separated, 12 columns, plain or
    /// gzip). Rows of other countries are skipped.
    pub fn from_path(geonames: &Path) -> Result<Zips> {
        Self::from_geonames_bytes(&read_path(geonames)?, &geonames.display().to_string())
    }

    /// Loads a GeoNames postal-code file from a reader (plain or gzip).
    pub fn from_reader(reader: impl Read, label: &str) -> Result<Zips> {
        Self::from_geonames_bytes(&read_all_maybe_gz(reader, label)?, label)
    }

    /// Adds Census ZCTA centroids from a file (plain or gzip): either `zip,latitude,longitude`
    /// CSV or the Census Gazetteer ZCTA file (tab-separated, `GEOID`, `INTPTLAT`,
    /// `INTPTLONG` columns). Their coordinates replace GeoNames'; ZCTAs missing from GeoNames
    /// are added with an inferred state.
    pub fn with_centroids_path(self, path: &Path) -> Result<Zips> {
        self.merge_centroids(&read_path(path)?, &path.display().to_string())
    }

    /// Same as [`Zips::with_centroids_path`] from a reader.
    pub fn with_centroids_reader(self, reader: impl Read, label: &str) -> Result<Zips> {
        self.merge_centroids(&read_all_maybe_gz(reader, label)?, label)
    }

    fn from_geonames_bytes(bytes: &[u8], label: &str) -> Result<Zips> {
        let text = utf8_lossy(bytes);
        let mut zips = Zips {
            entries: Vec::with_capacity(42_000),
            index: vec![NONE; 100_000],
            load_error: None,
        };
        let mut errors = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match parse_geonames_line(line) {
                Ok(Some(info)) => zips.insert_geonames(info),
                Ok(None) => {}
                Err(reason) => errors.push(LineError::new(label, i + 1, line, reason)),
            }
        }
        if errors.is_empty() && zips.entries.is_empty() {
            errors.push(LineError::new(label, 1, "", "no US postal-code rows"));
        }
        if !errors.is_empty() {
            return Err(IntelError::InvalidLines {
                file: label.to_string(),
                errors,
            });
        }
        zips.assign_zones();
        Ok(zips)
    }

    /// Keeps the first row of a repeated ZIP, unless it is a military post office (or lacks a
    /// state) and the new one is in a state (`96860`: FPO AA and Pearl Harbor, HI).
    fn insert_geonames(&mut self, info: ZipInfo) {
        let Ok(zip) = info.zip.parse::<usize>() else {
            return;
        };
        let Some(slot) = self.index.get_mut(zip) else {
            return;
        };
        if *slot == NONE {
            *slot = self.entries.len() as u32;
            self.entries.push(info);
        } else if let Some(old) = self.entries.get_mut(*slot as usize)
            && !is_civil(&old.state)
            && is_civil(&info.state)
        {
            *old = info;
        }
    }

    fn merge_centroids(mut self, bytes: &[u8], label: &str) -> Result<Zips> {
        let text = utf8_lossy(bytes);
        let mut errors = Vec::new();
        // (zip, lat, lon) column indexes and separator, from the header if there is one.
        let mut cols: Option<(usize, usize, usize, char)> = None;
        let mut points: Vec<(u32, f64, f64)> = Vec::with_capacity(34_000);
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            if cols.is_none() {
                let sep = if line.contains('\t') { '\t' } else { ',' };
                let fields: Vec<String> = line
                    .split(sep)
                    .map(|f| f.trim().trim_matches('"').to_ascii_lowercase())
                    .collect();
                let find = |names: &[&str]| fields.iter().position(|f| names.contains(&&**f));
                let z = find(&["zip", "zcta", "zcta5", "geoid", "zipcode", "zip_code"]);
                let la = find(&["latitude", "lat", "intptlat"]);
                let lo = find(&["longitude", "lon", "lng", "long", "intptlong"]);
                if let (Some(z), Some(la), Some(lo)) = (z, la, lo) {
                    cols = Some((z, la, lo, sep));
                    continue;
                }
                // No header: zip,latitude,longitude.
                cols = Some((0, 1, 2, sep));
            }
            let (cz, cla, clo, sep) = cols.unwrap_or((0, 1, 2, ','));
            let fields: Vec<&str> = line
                .split(sep)
                .map(|f| f.trim().trim_matches('"'))
                .collect();
            let get = |c: usize| fields.get(c).copied().unwrap_or("");
            let zip = get(cz);
            let parsed = if zip.len() != 5 || !zip.bytes().all(|b| b.is_ascii_digit()) {
                Err(format!("ZIP {zip:?} is not five digits"))
            } else {
                match (parse_coord(get(cla), 90.0), parse_coord(get(clo), 180.0)) {
                    (Some(la), Some(lo)) => Ok((zip.parse::<u32>().unwrap_or(0), la, lo)),
                    (None, _) => Err(format!("invalid latitude {:?}", get(cla))),
                    (_, None) => Err(format!("invalid longitude {:?}", get(clo))),
                }
            };
            match parsed {
                Ok(p) => points.push(p),
                Err(reason) => errors.push(LineError::new(label, i + 1, line, reason)),
            }
        }
        if errors.is_empty() && points.is_empty() {
            errors.push(LineError::new(label, 1, "", "no ZCTA rows"));
        }
        if !errors.is_empty() {
            return Err(IntelError::InvalidLines {
                file: label.to_string(),
                errors,
            });
        }
        let zip3 = self.zip3_states();
        for (zip, lat, lon) in points {
            let Some(slot) = self.index.get_mut(zip as usize) else {
                continue;
            };
            if let Some(e) = self.entries.get_mut(*slot as usize) {
                e.lat = lat;
                e.lon = lon;
                e.coords = CoordSource::Census;
                continue;
            }
            let state = territory_for_zip(zip)
                .or_else(|| zip3.get(&(zip / 100)).copied())
                .unwrap_or("");
            *slot = self.entries.len() as u32;
            self.entries.push(ZipInfo {
                zip: format!("{zip:05}"),
                place: String::new(),
                state: state.to_string(),
                state_inferred: !state.is_empty(),
                county: None,
                county_fips: None,
                lat,
                lon,
                coords: CoordSource::Census,
                zone: None,
            });
        }
        self.assign_zones();
        Ok(self)
    }

    /// ZIP3 prefix -> the state most GeoNames ZIPs with that prefix belong to (ties: the
    /// alphabetically first state, for determinism).
    fn zip3_states(&self) -> HashMap<u32, &'static str> {
        let mut counts: HashMap<u32, HashMap<&'static str, usize>> = HashMap::new();
        for e in self.entries.iter().filter(|e| !e.state_inferred) {
            let (Ok(zip), Some(code)) = (e.zip.parse::<u32>(), state_code(&e.state)) else {
                continue;
            };
            *counts
                .entry(zip / 100)
                .or_default()
                .entry(code)
                .or_default() += 1;
        }
        counts
            .into_iter()
            .filter_map(|(p, by_state)| {
                by_state
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
                    .map(|(s, _)| (p, s))
            })
            .collect()
    }

    fn assign_zones(&mut self) {
        for e in &mut self.entries {
            let zip = e.zip.parse::<u32>().unwrap_or(0);
            e.zone = zip_zone_override(zip)
                .or_else(|| {
                    e.county_fips
                        .as_deref()
                        .and_then(|f| county_zone(&e.state, f))
                })
                .or_else(|| match e.county_fips {
                    Some(_) => None,
                    None => e.county.as_deref().and_then(|c| county_zone(&e.state, c)),
                })
                .or_else(|| state_zone(&e.state));
        }
    }

    /// Looks a ZIP code up. Accepts `"94105"`, `"94105-1234"`, `"94105 1234"`,
    /// `"941051234"`, surrounding whitespace, and ZIPs whose leading zeros were lost when a
    /// spreadsheet stored them as numbers: 3- and 4-digit inputs are left-padded (`"2134"` is
    /// `02134`, `"501"` is `00501`; an 8-digit value is a ZIP+4 that lost its zero). Anything
    /// else (letters, 1–2 or 6–7 digits, a malformed +4 part) gives `None`.
    pub fn lookup(&self, zip: &str) -> Option<&ZipInfo> {
        self.lookup_num(parse_zip(zip)?)
    }

    /// Looks a ZIP code up by its numeric value (`2134` is `02134`).
    pub fn lookup_num(&self, zip: u32) -> Option<&ZipInfo> {
        let i = *self.index.get(zip as usize)?;
        self.entries.get(i as usize)
    }

    /// Number of ZIP codes.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// All ZIP codes, GeoNames rows first (in file order), then Census-only ZCTAs.
    pub fn iter(&self) -> impl Iterator<Item = &ZipInfo> {
        self.entries.iter()
    }

    /// Why the embedded data failed to load, if it did.
    pub fn load_error(&self) -> Option<&str> {
        self.load_error.as_deref()
    }
}

fn is_civil(state: &str) -> bool {
    !matches!(state, "" | "AA" | "AE" | "AP")
}

/// Parses one GeoNames row; `Ok(None)` for rows of other countries.
fn parse_geonames_line(line: &str) -> Result<Option<ZipInfo>, String> {
    let f: Vec<&str> = line.split('\t').collect();
    if f.len() < 11 {
        return Err(format!(
            "expected 12 tab-separated fields, found {}",
            f.len()
        ));
    }
    let field = |i: usize| f.get(i).map(|s| s.trim()).unwrap_or("");
    if !field(0).eq_ignore_ascii_case("US") {
        return Ok(None);
    }
    let zip = field(1);
    if zip.len() != 5 || !zip.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("postal code {zip:?} is not a five-digit ZIP"));
    }
    let lat =
        parse_coord(field(9), 90.0).ok_or_else(|| format!("invalid latitude {:?}", field(9)))?;
    let lon = parse_coord(field(10), 180.0)
        .ok_or_else(|| format!("invalid longitude {:?}", field(10)))?;
    let place = field(2).to_string();
    let mut state = field(4).to_ascii_uppercase();
    if state.is_empty() {
        // Military post offices: "APO AE", "FPO AP", "DPO AA".
        let mut words = place.split_whitespace();
        if let (Some("APO" | "FPO" | "DPO"), Some(s @ ("AA" | "AE" | "AP"))) =
            (words.next(), words.next())
        {
            state = s.to_string();
        }
    }
    let county = Some(field(5)).filter(|s| !s.is_empty()).map(str::to_string);
    let code = field(6);
    let county_fips = if !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()) {
        match (code.len(), state_fips(&state)) {
            (1..=3, Some(st)) => Some(format!("{st}{code:0>3}")),
            (5, _) => Some(code.to_string()),
            _ => None,
        }
    } else {
        None
    };
    Ok(Some(ZipInfo {
        zip: zip.to_string(),
        place,
        state,
        state_inferred: false,
        county,
        county_fips,
        lat,
        lon,
        coords: CoordSource::GeoNames,
        zone: None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zip_forms() {
        assert_eq!(parse_zip("94105"), Some(94105));
        assert_eq!(parse_zip(" 94105 "), Some(94105));
        assert_eq!(parse_zip("94105-1234"), Some(94105));
        assert_eq!(parse_zip("94105 1234"), Some(94105));
        assert_eq!(parse_zip("941051234"), Some(94105));
        assert_eq!(parse_zip("21341234"), Some(2134));
        assert_eq!(parse_zip("2134"), Some(2134));
        assert_eq!(parse_zip("2134-0001"), Some(2134));
        assert_eq!(parse_zip("501"), Some(501));
        assert_eq!(parse_zip("2134.0"), Some(2134));
        assert_eq!(parse_zip("12"), None);
        assert_eq!(parse_zip("123456"), None);
        assert_eq!(parse_zip("94105-12"), None);
        assert_eq!(parse_zip("9410x"), None);
        assert_eq!(parse_zip("-"), None);
        assert_eq!(parse_zip(""), None);
        assert_eq!(parse_zip("٩٤١٠٥"), None);
    }

    #[test]
    fn military_and_duplicates() {
        let data = "US\t96860\tFPO AA\t\t\t\t\t\t\t21.3\t-157.9\t\n\
                    US\t96860\tJbphh\tHawaii\tHI\tHonolulu\t003\t\t\t21.316\t-157.8677\t1\n\
                    US\t09001\tAPO AE\t\t\t\t\t\t\t38.1\t15.6\t\n\
                    CA\tH0H\tNorth Pole\t\t\t\t\t\t\t90\t0\t\n";
        let z = Zips::from_reader(data.as_bytes(), "t.txt").unwrap();
        assert_eq!(z.len(), 2);
        let hi = z.lookup("96860").unwrap();
        assert_eq!(hi.state, "HI");
        assert_eq!(hi.county_fips.as_deref(), Some("15003"));
        assert_eq!(hi.zone, Some("Pacific/Honolulu"));
        let apo = z.lookup("9001").unwrap();
        assert_eq!(apo.state, "AE");
        assert_eq!(apo.zone, None);
    }

    #[test]
    fn centroids_with_gazetteer_header_and_inference() {
        let g = "US\t06301\tx\tConnecticut\tCT\tNew London\t011\t\t\t41.4\t-72.1\t4\n\
                 US\t06302\ty\tConnecticut\tCT\tNew London\t011\t\t\t41.5\t-72.2\t4\n";
        let c = "GEOID\tALAND\tAWATER\tALAND_SQMI\tAWATER_SQMI\tINTPTLAT\tINTPTLONG   \n\
                 06301\t1\t1\t1\t1\t41.45\t-72.15\n\
                 06399\t1\t1\t1\t1\t41.0\t-72.0\n\
                 00901\t1\t1\t1\t1\t18.4\t-66.1\n";
        let z = Zips::from_reader(g.as_bytes(), "g")
            .unwrap()
            .with_centroids_reader(c.as_bytes(), "c")
            .unwrap();
        let a = z.lookup("06301").unwrap();
        assert_eq!((a.lat, a.coords), (41.45, CoordSource::Census));
        assert_eq!(z.lookup("06302").unwrap().coords, CoordSource::GeoNames);
        let inferred = z.lookup("06399").unwrap();
        assert_eq!(inferred.state, "CT");
        assert!(inferred.state_inferred);
        assert_eq!(inferred.zone, Some("America/New_York"));
        let pr = z.lookup("00901").unwrap();
        assert_eq!(pr.state, "PR");
        assert_eq!(pr.zone, Some("America/Puerto_Rico"));
    }
}
