//! US geography and contact reference data: ZIP codes, time zones, area codes, distances and
//! disposable email domains.
//!
//! * [`Zips`]: ZIP code -> [`ZipInfo`] (place, state, county, FIPS, coordinates, IANA zone),
//!   merged from GeoNames (`data/geo/geonames_US.txt.gz`, CC BY 4.0, credit GeoNames) and
//!   the Census Bureau's 2021 ZCTA internal points (`census_zcta_centroids.csv.gz`, public
//!   domain). Census coordinates are preferred (see [`Zips`] for why).
//! * [`state_zone`], [`county_zone`], [`us_zone`]: state -> majority IANA zone, with the
//!   county (and a few ZIP) exceptions of the split states from 49 CFR Part 71; sources,
//!   split counties and uncertainties are listed below.
//! * [`AreaCodes`]: NANP area code -> country, state/province, time zones (from Google
//!   libphonenumber data, Apache-2.0), with a helper for E.164 numbers.
//! * [`haversine_km`]: great-circle distance.
//! * [`DisposableDomains`]: disposable email domains (disposable-email-domains, CC0).
//!
//! Each dataset is embedded, parsed lazily once per process (`embedded()`), and can be loaded
//! from a user's newer file (`from_path` / `from_reader`, plain or gzip). Bad rows are
//! reported with file, line and value ([`IntelError::InvalidLines`](crate::IntelError)).
//!
//! # Time zones
//!
//! ## Sources
//!
//! The county lists restate the boundaries of 49 CFR Part 71 ("Standard Time Zone Boundaries",
//! US Department of Transportation, §§ 71.4–71.11) as amended by DOT rulemakings since 2000
//! (e.g. Wayne County KY to Eastern, 2000; Indiana 2006–2007; Mercer County ND to Central,
//! 2010), cross-checked against the tz database's zone comments (`America/Boise`,
//! `America/Menominee`, `America/Adak`, `America/North_Dakota/*`, `America/Indiana/*`,
//! `America/Kentucky/*`). County FIPS codes are those of the embedded GeoNames file; a test
//! checks every (state, FIPS, name) triple against it.
//!
//! ## Zone names
//!
//! Areas whose current rules equal a principal zone are folded into it: Louisville and
//! Wayne County KY, Indiana's Eastern counties and Detroit give `America/New_York`; Indiana's
//! Central counties and Oliver, Morton and Mercer counties ND give `America/Chicago`; Juneau,
//! Sitka, Nome, Yakutat and Metlakatla give `America/Anchorage`. The zones named for their
//! own region are kept: `America/Boise` (southern Idaho, Malheur County OR; same rules as
//! `America/Denver` today), `America/Menominee` (same rules as `America/Chicago`),
//! `America/Phoenix` (no DST) and `America/Adak`. Compare zones by UTC offset at a given
//! instant, not by name.
//!
//! ## Known limits
//!
//! * **Split counties** are assigned the zone of their county seat and largest town, and a
//!   few ZIP codes get their own zone: Gulf County FL (Port St. Joe,
//!   Eastern; ZIP 32465 Wewahitchka, north of the Intracoastal Waterway, Central), Idaho
//!   County ID (Grangeville, Pacific; ZIPs 83547 Pollock and 83671 Warren, south of the
//!   Salmon River, Mountain), Dunn County ND (Mountain), McKenzie and Sioux counties ND
//!   (Watford City and Fort Yates, Central: not listed), Cherry County NE (Valentine, Central:
//!   not listed), Malheur County OR (Mountain; its southern tip near McDermitt is Pacific).
//! * **Local practice differing from the CFR**: West Wendover NV (ZIP 89883) keeps Mountain
//!   time with Wendover UT, Jackpot NV (89825) keeps Mountain time with Idaho: both overridden.
//!   Not overridden: the Navajo Nation in Arizona observes DST (`America/Denver` in summer)
//!   while Arizona and the Hopi reservation do not; Phenix City AL and nearby towns
//!   unofficially keep Eastern time; Culberson County TX (Van Horn) is officially Central but
//!   Guadalupe Mountains National Park keeps Mountain time.
//! * **Alaska**: Adak and Atka (ZIPs 99546, 99547, west of 169°30′W) are `America/Adak`; the
//!   rest of the Aleutians West census area (Unalaska, the Pribilofs) keeps Alaska time.
//!   Pohnpei (96941) and Kosrae (96944) are `Pacific/Pohnpei` and `Pacific/Kosrae`; the rest
//!   of Micronesia is `Pacific/Chuuk`.
//! * **Uncertain**: the exact Mountain/Central line inside McKenzie, Sioux and Dunn counties
//!   ND and Cherry County NE, and whether Hooker County NE is wholly Mountain (listed as
//!   Mountain). Kentucky's Central list has 41 counties; some secondary sources count 40.
//!
//! **Fairness.** This module exists to compare what a person *claims* (home address, phone
//! number, time zone) with what is *observed* (IP geolocation, working hours, network
//! infrastructure). It must never be used to derive risk from a person's origin, nationality,
//! or where they or their number come from: a mismatch between claim and observation is the
//! only signal.
//!
//! ```
//! use muster_intel::geo::{haversine_km, AreaCodes, DisposableDomains, Zips};
//!
//! let zips = Zips::embedded();
//! let sf = zips.lookup("94105-1234").ok_or("no 94105")?;
//! assert_eq!((sf.place.as_str(), sf.state.as_str()), ("San Francisco", "CA"));
//! assert_eq!(sf.zone, Some("America/Los_Angeles"));
//! assert_eq!(zips.lookup("79901").and_then(|z| z.zone), Some("America/Denver")); // El Paso
//!
//! // Claimed address vs. observed location: how far apart?
//! let boston = zips.lookup("2134").ok_or("no 02134")?; // leading zero lost in a spreadsheet
//! let km = haversine_km(sf.lat, sf.lon, boston.lat, boston.lon);
//! assert!((4300.0..4400.0).contains(&km));
//!
//! let ac = AreaCodes::embedded().lookup_number("+1 (907) 555-0123").ok_or("no 907")?;
//! assert_eq!(ac.geo.as_deref(), Some("Alaska"));
//! assert_eq!(ac.zones.len(), 2);
//!
//! assert!(DisposableDomains::embedded().is_disposable("bob@mailinator.com"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod area_codes;
mod email;
mod zips;
mod zones;

pub use area_codes::{AreaCode, AreaCodes};
pub use email::DisposableDomains;
pub use zips::{CoordSource, ZipInfo, Zips};
pub use zones::{county_zone, state_code, state_name, state_zone, us_zone};

/// Mean Earth radius (IUGG R1), in km.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Great-circle distance in km between two points given in degrees, by the haversine formula
/// on a sphere of radius [`EARTH_RADIUS_KM`]. The error against the WGS-84 ellipsoid is
/// below 0.5 %, plenty for comparing a claimed address with an observed location. Any
/// non-finite input gives NaN; latitudes beyond ±90° are not checked.
///
/// ```
/// use muster_intel::geo::haversine_km;
///
/// assert_eq!(haversine_km(37.79, -122.39, 37.79, -122.39), 0.0);
/// let sf_nyc = haversine_km(37.7749, -122.4194, 40.7128, -74.0060);
/// assert!((sf_nyc - 4130.0).abs() < 10.0);
/// ```
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    // Clamp: rounding can push `a` slightly above 1 for antipodal points.
    2.0 * EARTH_RADIUS_KM * a.sqrt().clamp(0.0, 1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::haversine_km;

    #[test]
    fn known_distances() {
        let sf_nyc = haversine_km(37.7749, -122.4194, 40.7128, -74.0060);
        assert!((sf_nyc - 4130.0).abs() < 10.0, "{sf_nyc}");
        assert_eq!(haversine_km(51.5, -0.12, 51.5, -0.12), 0.0);
        let antipodes = haversine_km(10.0, 20.0, -10.0, -160.0);
        assert!((antipodes - 20015.1).abs() < 1.0, "{antipodes}");
        let poles = haversine_km(90.0, 0.0, -90.0, 0.0);
        assert!((poles - 20015.1).abs() < 1.0, "{poles}");
        // London - Paris ≈ 344 km.
        let lp = haversine_km(51.5074, -0.1278, 48.8566, 2.3522);
        assert!((lp - 344.0).abs() < 3.0, "{lp}");
        assert!(haversine_km(f64::NAN, 0.0, 0.0, 0.0).is_nan());
    }
}
