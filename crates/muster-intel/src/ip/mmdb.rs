//! Optional city-level geolocation from a user-supplied MaxMind DB (`.mmdb`) file.
//!
//! Works with MaxMind GeoLite2-City / GeoIP2-City and DB-IP "IP to City Lite" mmdb files (all
//! use the GeoIP2 City record layout). Nothing is embedded: the databases' licences (GeoLite2
//! EULA, DB-IP CC BY 4.0) are for the user to accept.
//!
//! ```no_run
//! use muster_intel::ip::MmdbGeo;
//!
//! let geo = MmdbGeo::open("/var/lib/GeoIP/GeoLite2-City.mmdb")?;
//! if let Some(g) = geo.lookup("8.8.8.8".parse()?) {
//!     println!("{:?} {:?} {:?} {} {} ±{:?} km", g.city, g.region, g.country, g.lat, g.lon, g.accuracy_km);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::net::IpAddr;
use std::path::Path;

use maxminddb::{Reader, geoip2};

use crate::error::{IntelError, Result};

/// City-level location of an address, from an mmdb file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CityGeo {
    /// City name (English).
    pub city: Option<String>,
    /// First-level subdivision (state / province / region) name (English).
    pub region: Option<String>,
    /// Country ISO 3166-1 alpha-2 code (e.g. `"US"`).
    pub country: Option<String>,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// Accuracy radius in kilometres, when the database gives one (MaxMind does; DB-IP lite
    /// does not).
    pub accuracy_km: Option<u32>,
}

/// A MaxMind DB city database loaded into memory.
pub struct MmdbGeo {
    reader: Reader<Vec<u8>>,
    label: String,
}

impl std::fmt::Debug for MmdbGeo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MmdbGeo")
            .field("file", &self.label)
            .field("database_type", &self.database_type())
            .finish()
    }
}

impl MmdbGeo {
    /// Reads and validates the database at `path` (missing, unreadable or corrupt files are
    /// [`IntelError::Io`] / [`IntelError::Mmdb`] naming the file).
    pub fn open(path: impl AsRef<Path>) -> Result<MmdbGeo> {
        let path = path.as_ref();
        let label = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| IntelError::io(&label, e))?;
        MmdbGeo::from_bytes(bytes, &label)
    }

    /// Uses the database held in `bytes`; `label` names it in errors.
    pub fn from_bytes(bytes: Vec<u8>, label: &str) -> Result<MmdbGeo> {
        let reader = Reader::from_source(bytes).map_err(|e| mmdb_error(label, &e))?;
        Ok(MmdbGeo {
            reader,
            label: label.to_string(),
        })
    }

    /// The location of `ip`, or `None` when the database has no record with coordinates for
    /// it (or the record cannot be decoded; see [`MmdbGeo::try_lookup`] for the error).
    pub fn lookup(&self, ip: IpAddr) -> Option<CityGeo> {
        self.try_lookup(ip).ok().flatten()
    }

    /// Like [`MmdbGeo::lookup`] but reporting database errors (e.g. an IPv6 address looked up
    /// in an IPv4-only database, or a corrupt record).
    pub fn try_lookup(&self, ip: IpAddr) -> Result<Option<CityGeo>> {
        let found = self
            .reader
            .lookup(ip)
            .map_err(|e| mmdb_error(&self.label, &e))?;
        let Some(rec) = found
            .decode::<geoip2::City>()
            .map_err(|e| mmdb_error(&self.label, &e))?
        else {
            return Ok(None);
        };
        let (Some(lat), Some(lon)) = (rec.location.latitude, rec.location.longitude) else {
            return Ok(None);
        };
        if !lat.is_finite() || !lon.is_finite() {
            return Ok(None);
        }
        Ok(Some(CityGeo {
            city: rec.city.names.english.map(str::to_string),
            region: rec
                .subdivisions
                .first()
                .and_then(|s| s.names.english.or(s.iso_code))
                .map(str::to_string),
            country: rec
                .country
                .iso_code
                .or(rec.registered_country.iso_code)
                .map(str::to_string),
            lat,
            lon,
            accuracy_km: rec.location.accuracy_radius.map(u32::from),
        }))
    }

    /// The database's `database_type` metadata, e.g. `"GeoLite2-City"` or `"DBIP-City-Lite"`.
    pub fn database_type(&self) -> &str {
        &self.reader.metadata().database_type
    }
}

fn mmdb_error(label: &str, err: &maxminddb::MaxMindDbError) -> IntelError {
    IntelError::Mmdb {
        file: label.to_string(),
        message: err.to_string(),
    }
}
