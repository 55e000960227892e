//! [`Intel`]: every reference dataset muster uses, each either the copy embedded in the binary
//! (parsed lazily, once per process) or a newer file the user pointed at ([`DataPaths`]).
//!
//! A scan builds one `Intel` from its configuration and hands it to the SQL functions, so user
//! data reaches every plan; Ballista executors build the same `Intel` from the same
//! configuration. Embedded datasets cost nothing until first used.
//!
//! ```
//! use muster_intel::{DataPaths, Intel};
//!
//! let intel = Intel::load(&DataPaths::default(), &[])?;
//! assert!(intel.rmm().match_process("AnyDesk.exe").is_some());
//! assert!(intel.datasets().iter().all(|d| d.origin == "embedded" || d.name == "mmdb"));
//! # Ok::<(), muster_intel::IntelError>(())
//! ```

use std::fmt;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use crate::error::{IntelError, Result};
use crate::geo::{AreaCodes, DisposableDomains, Zips};
use crate::ip::{
    AsnDb, CountryDb, IpIntel, IpIntelBuilder, IpList, IpSource, MmdbGeo, MobileCarriers, UserTag,
};
use crate::kvm::KvmCatalogue;
use crate::rmm::RmmCatalogue;
use crate::sanctions::Sanctions;
use crate::usb::UsbIds;

/// A dataset: the embedded copy (parsed on first use) or one loaded from a user's file.
pub enum Shared<T: 'static> {
    /// The copy in the binary.
    Embedded(fn() -> &'static T),
    /// Loaded from a file named in the configuration.
    Loaded(Arc<T>),
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        match self {
            Shared::Embedded(f) => Shared::Embedded(*f),
            Shared::Loaded(a) => Shared::Loaded(Arc::clone(a)),
        }
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        match self {
            Shared::Embedded(f) => f(),
            Shared::Loaded(a) => a,
        }
    }
}

impl<T> fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shared::Embedded(_) => f.write_str("Shared::Embedded"),
            Shared::Loaded(_) => f.write_str("Shared::Loaded"),
        }
    }
}

macro_rules! data_paths {
    ($( $(#[doc = $doc:expr])* $field:ident ),* $(,)?) => {
        /// Paths to newer reference data; each replaces the embedded copy. This is the `[data]`
        /// table of `muster.toml` and of the installed-data file `muster intel update` writes.
        #[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
        #[serde(deny_unknown_fields)]
        pub struct DataPaths {
            $( $(#[doc = $doc])* #[serde(default, skip_serializing_if = "Option::is_none")]
               pub $field: Option<PathBuf>, )*
        }

        impl DataPaths {
            /// Names of every setting, in declaration order.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($field)),*];

            /// Every path that is set, with its setting name.
            pub fn entries(&self) -> Vec<(&'static str, &Path)> {
                let mut v = Vec::new();
                $( if let Some(p) = &self.$field { v.push((stringify!($field), p.as_path())); } )*
                v
            }

            /// Sets one path by setting name; `false` for an unknown name.
            pub fn set(&mut self, name: &str, path: PathBuf) -> bool {
                match name {
                    $( stringify!($field) => { self.$field = Some(path); true } )*
                    _ => false,
                }
            }

            /// `self` with every path that `over` sets replaced by `over`'s.
            pub fn overlay(&self, over: &DataPaths) -> DataPaths {
                DataPaths { $( $field: over.$field.clone().or_else(|| self.$field.clone()), )* }
            }

            /// Every path resolved against `base` (the configuration file's folder).
            pub fn resolved(&self, base: &Path) -> DataPaths {
                DataPaths { $( $field: self.$field.as_ref().map(|p| base.join(p)), )* }
            }
        }
    };
}

data_paths! {
    /// X4BNet-style VPN list (CIDRs, one per line), tag `vpn`.
    vpn,
    /// Datacenter / hosting list (CIDRs, one per line), tag `hosting`.
    hosting,
    /// Tor exit list (`fingerprint, ipaddr, port` CSV or one address per line), tag `tor`.
    tor,
    /// ip-location-db `asn-ipv4.csv[.gz]` (`start,end,asn,org`). A replaced ASN database holds
    /// only what its files hold: give the IPv6 file too.
    asn_ipv4,
    /// ip-location-db `asn-ipv6.csv[.gz]`.
    asn_ipv6,
    /// ip-location-db `geo-whois-asn-country-ipv4.csv[.gz]` (`start,end,CC`).
    country_ipv4,
    /// ip-location-db `geo-whois-asn-country-ipv6.csv[.gz]`.
    country_ipv6,
    /// A MaxMind GeoIP2/GeoLite2 City or DB-IP City `.mmdb` for city-level geolocation (none is
    /// embedded).
    mmdb,
    /// LOLRMM `rmm_tools.json` (plain or gzip).
    rmm_tools,
    /// LOLRMM `rmm_domains.csv`; only read together with `rmm_tools`.
    rmm_domains,
    /// `kvm_identifiers.csv` (`product,kind,value,source`).
    kvm_identifiers,
    /// `usb.ids` (plain or gzip), e.g. `/usr/share/misc/usb.ids`.
    usb_ids,
    /// OFAC SDN list: legacy `sdn.csv` or `sdn_advanced.xml` (told apart by content).
    sdn,
    /// Folder of OFAC digital-currency address lists (`sanctioned_addresses_<CUR>.txt`), added
    /// to the embedded ones.
    crypto_dir,
    /// GeoNames US postal codes (`US.txt`, tab-separated).
    zips,
    /// ZIP centroids (`zip,lat,lon` CSV or the Census Gazetteer ZCTA file).
    zip_centroids,
    /// NANP area codes (`npa,region,geo_en,timezones,...`).
    area_codes,
    /// Disposable email domains, one per line.
    disposable_domains,
    /// Mobile carrier AS numbers (`asn,carrier` CSV), added to the embedded list: addresses of
    /// these networks are carrier-grade NAT, never a shared residence (FARM-IP).
    mobile_asns,
}

/// An extra IP list with a tag and the source it came from, e.g. tag `known_bad`, source
/// `"Mandiant 2025: DPRK IT-worker VPN exits"`.
#[derive(Debug, Clone)]
pub struct TagList {
    /// Tag given to every address in the list.
    pub tag: String,
    /// Where the list came from (shown as evidence).
    pub source: String,
    /// The addresses.
    pub list: IpList,
}

/// Which copy of a dataset is in use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatasetInfo {
    /// Dataset name, e.g. `ip-tags`, `rmm`.
    pub name: &'static str,
    /// `embedded` or the path it was loaded from.
    pub origin: String,
}

/// Every reference dataset of one run. Cheap to clone (shared).
#[derive(Debug, Clone)]
pub struct Intel {
    ip: Shared<IpIntel>,
    rmm: Shared<RmmCatalogue>,
    kvm: Shared<KvmCatalogue>,
    usb: Shared<UsbIds>,
    sanctions: Shared<Sanctions>,
    zips: Shared<Zips>,
    area_codes: Shared<AreaCodes>,
    disposable: Shared<DisposableDomains>,
    mobile: Shared<MobileCarriers>,
    mmdb: Option<Arc<MmdbGeo>>,
    datasets: Vec<DatasetInfo>,
}

impl Intel {
    /// Everything embedded, nothing parsed yet.
    pub fn embedded() -> &'static Intel {
        static INTEL: OnceLock<Intel> = OnceLock::new();
        INTEL.get_or_init(|| Intel {
            ip: Shared::Embedded(IpIntel::embedded),
            rmm: Shared::Embedded(RmmCatalogue::embedded),
            kvm: Shared::Embedded(KvmCatalogue::embedded),
            usb: Shared::Embedded(UsbIds::embedded),
            sanctions: Shared::Embedded(Sanctions::embedded),
            zips: Shared::Embedded(Zips::embedded),
            area_codes: Shared::Embedded(AreaCodes::embedded),
            disposable: Shared::Embedded(DisposableDomains::embedded),
            mobile: Shared::Embedded(MobileCarriers::embedded),
            mmdb: None,
            datasets: DATASETS
                .iter()
                .map(|name| DatasetInfo {
                    name,
                    origin: if *name == "mmdb" {
                        "not configured".into()
                    } else {
                        "embedded".into()
                    },
                })
                .collect(),
        })
    }

    /// The embedded data with the user's newer files and extra tag lists. Every file named is
    /// read now, strictly: a missing file, a corrupt one or a bad line is an error naming the
    /// file (and line).
    pub fn load(paths: &DataPaths, tag_lists: &[TagList]) -> Result<Intel> {
        let mut intel = Intel::embedded().clone();
        let mut origin = |name: &'static str, p: &Path| {
            if let Some(d) = intel.datasets.iter_mut().find(|d| d.name == name) {
                d.origin = p.display().to_string();
            }
        };
        let asn_paths: Vec<&Path> = [&paths.asn_ipv4, &paths.asn_ipv6]
            .into_iter()
            .flatten()
            .map(PathBuf::as_path)
            .collect();
        let country_paths: Vec<&Path> = [&paths.country_ipv4, &paths.country_ipv6]
            .into_iter()
            .flatten()
            .map(PathBuf::as_path)
            .collect();
        let lists = [&paths.vpn, &paths.hosting, &paths.tor];
        if lists.iter().any(|p| p.is_some())
            || !asn_paths.is_empty()
            || !country_paths.is_empty()
            || !tag_lists.is_empty()
        {
            let mut b = IpIntelBuilder::new();
            for (source, path) in [
                (IpSource::X4bnetVpn, &paths.vpn),
                (IpSource::X4bnetDatacenter, &paths.hosting),
                (IpSource::TorExits, &paths.tor),
            ] {
                b = match path {
                    Some(p) => b.add_path(source, p)?,
                    None => b.add_embedded(source)?,
                };
            }
            b = b
                .add_embedded(IpSource::IpcatDatacenters)?
                .add_embedded(IpSource::DprkRanges)?;
            b = if asn_paths.is_empty() {
                b.asn_embedded()
            } else {
                b.asn_db(AsnDb::from_paths(&asn_paths)?)
            };
            b = if country_paths.is_empty() {
                b.country_embedded()
            } else {
                b.country_db(CountryDb::from_paths(&country_paths)?)
            };
            for t in tag_lists {
                b = b.add_user_list(&t.tag, &t.source, t.list.clone());
            }
            for p in lists.into_iter().flatten() {
                origin("ip-tags", p);
            }
            for p in &asn_paths {
                origin("asn", p);
            }
            for p in &country_paths {
                origin("ip-country", p);
            }
            intel.ip = Shared::Loaded(Arc::new(b.build()));
        }
        if let Some(p) = &paths.mmdb {
            let db = MmdbGeo::open(p)?;
            origin("mmdb", p);
            intel.mmdb = Some(Arc::new(db));
        }
        if let Some(p) = &paths.rmm_tools {
            let cat = RmmCatalogue::from_paths(p, paths.rmm_domains.as_deref())?;
            origin("rmm", p);
            intel.rmm = Shared::Loaded(Arc::new(cat));
        } else if let Some(p) = &paths.rmm_domains {
            return Err(IntelError::io(
                &p.display().to_string(),
                std::io::Error::other("rmm_domains needs rmm_tools (the tools file) as well"),
            ));
        }
        if let Some(p) = &paths.kvm_identifiers {
            let cat = KvmCatalogue::from_path(p)?;
            origin("kvm", p);
            intel.kvm = Shared::Loaded(Arc::new(cat));
        }
        if let Some(p) = &paths.usb_ids {
            let ids = UsbIds::from_path(p)?;
            origin("usb-ids", p);
            intel.usb = Shared::Loaded(Arc::new(ids));
        }
        if paths.sdn.is_some() || paths.crypto_dir.is_some() {
            let mut sanctions = match &paths.sdn {
                Some(p) => {
                    origin("sanctions", p);
                    if is_xml(p)? {
                        Sanctions::from_sdn_advanced_xml(p)?
                    } else {
                        Sanctions::from_sdn_csv(p)?
                    }
                }
                None => Sanctions::embedded().clone(),
            };
            if let Some(d) = &paths.crypto_dir {
                origin("sanctions", d);
                sanctions = sanctions.with_crypto_dir(d)?;
            }
            intel.sanctions = Shared::Loaded(Arc::new(sanctions));
        }
        if paths.zips.is_some() || paths.zip_centroids.is_some() {
            let mut zips = match &paths.zips {
                Some(p) => {
                    origin("zips", p);
                    Zips::from_path(p)?
                }
                None => Zips::embedded().clone(),
            };
            if let Some(p) = &paths.zip_centroids {
                origin("zips", p);
                zips = zips.with_centroids_path(p)?;
            }
            intel.zips = Shared::Loaded(Arc::new(zips));
        }
        if let Some(p) = &paths.area_codes {
            origin("area-codes", p);
            intel.area_codes = Shared::Loaded(Arc::new(AreaCodes::from_path(p)?));
        }
        if let Some(p) = &paths.disposable_domains {
            origin("disposable-domains", p);
            intel.disposable = Shared::Loaded(Arc::new(DisposableDomains::from_path(p)?));
        }
        if let Some(p) = &paths.mobile_asns {
            origin("mobile-asns", p);
            let list = MobileCarriers::embedded()
                .clone()
                .extended(MobileCarriers::from_path(p)?);
            intel.mobile = Shared::Loaded(Arc::new(list));
        }
        Ok(intel)
    }

    /// IP tags (VPN, hosting, Tor, DPRK).
    pub fn ip(&self) -> &IpIntel {
        &self.ip
    }

    /// The LOLRMM remote-access catalogue.
    pub fn rmm(&self) -> &RmmCatalogue {
        &self.rmm
    }

    /// IP-KVM identifiers.
    pub fn kvm(&self) -> &KvmCatalogue {
        &self.kvm
    }

    /// USB vendor and product names.
    pub fn usb(&self) -> &UsbIds {
        &self.usb
    }

    /// The user tags (tag, source) of the `[[lists.ip_tags]]` lists that contain `ip`.
    pub fn user_tags(&self, ip: std::net::IpAddr) -> impl Iterator<Item = &UserTag> {
        self.ip.user_tags(ip)
    }

    /// OFAC sanctions (SDN entries and digital-currency addresses).
    pub fn sanctions(&self) -> &Sanctions {
        &self.sanctions
    }

    /// US ZIP codes with place, county, coordinates and time zone.
    pub fn zips(&self) -> &Zips {
        &self.zips
    }

    /// NANP area codes.
    pub fn area_codes(&self) -> &AreaCodes {
        &self.area_codes
    }

    /// Disposable email domains.
    pub fn disposable(&self) -> &DisposableDomains {
        &self.disposable
    }

    /// Mobile carrier AS numbers (embedded, plus the user's `mobile_asns` list).
    pub fn mobile_carriers(&self) -> &MobileCarriers {
        &self.mobile
    }

    /// The AS number and mobile carrier announcing `ip`, when it is a mobile carrier's address
    /// (carrier-grade NAT: shared by many unrelated subscribers).
    pub fn mobile_carrier(&self, ip: std::net::IpAddr) -> Option<(u32, &str)> {
        let (asn, _) = self.ip.asn(ip)?;
        Some((asn, self.mobile.carrier(asn)?))
    }

    /// City-level geolocation from the user's `.mmdb`, when one is configured.
    pub fn mmdb(&self) -> Option<&MmdbGeo> {
        self.mmdb.as_deref()
    }

    /// Which copy of each dataset is in use (for run.json and `muster intel`).
    pub fn datasets(&self) -> &[DatasetInfo] {
        &self.datasets
    }
}

impl Default for Intel {
    /// The embedded data ([`Intel::embedded`]).
    fn default() -> Self {
        Intel::embedded().clone()
    }
}

const DATASETS: &[&str] = &[
    "ip-tags",
    "asn",
    "ip-country",
    "mmdb",
    "rmm",
    "kvm",
    "usb-ids",
    "sanctions",
    "zips",
    "area-codes",
    "disposable-domains",
    "mobile-asns",
];

/// Whether a file is XML (`sdn_advanced.xml`) rather than CSV, from its first bytes.
fn is_xml(path: &Path) -> Result<bool> {
    use std::io::Read;
    let mut head = [0u8; 64];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .map_err(|e| IntelError::io(&path.display().to_string(), e))?;
    let t = head[..n].trim_ascii_start();
    let t = t.strip_prefix(b"\xef\xbb\xbf").unwrap_or(t);
    Ok(t.starts_with(b"<"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_user_file_is_an_error_naming_it() {
        let paths = DataPaths {
            kvm_identifiers: Some(PathBuf::from("/nonexistent/kvm.csv")),
            ..Default::default()
        };
        let e = Intel::load(&paths, &[]).unwrap_err();
        assert!(e.to_string().contains("/nonexistent/kvm.csv"), "{e}");
    }

    #[test]
    fn user_vpn_list_replaces_the_embedded_one() {
        let dir = std::env::temp_dir().join(format!("muster-intel-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("vpn.txt");
        std::fs::write(&p, "203.0.113.0/24\n").unwrap();
        let intel = Intel::load(
            &DataPaths {
                vpn: Some(p.clone()),
                ..Default::default()
            },
            &[],
        )
        .unwrap();
        assert!(intel.ip().lookup("203.0.113.9".parse().unwrap()).vpn);
        assert_eq!(
            intel
                .datasets()
                .iter()
                .find(|d| d.name == "ip-tags")
                .unwrap()
                .origin,
            p.display().to_string()
        );
        std::fs::write(&p, "203.0.113.0/33\n").unwrap();
        let e = Intel::load(
            &DataPaths {
                vpn: Some(p.clone()),
                ..Default::default()
            },
            &[],
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("vpn.txt") && e.to_string().contains("line 1"),
            "{e}"
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn tag_lists_match_with_their_source() {
        let list = IpList::parse("198.51.100.7\n", "bad.txt").unwrap();
        let intel = Intel::load(
            &DataPaths::default(),
            &[TagList {
                tag: "known_bad".into(),
                source: "Mandiant".into(),
                list,
            }],
        )
        .unwrap();
        let hits: Vec<_> = intel
            .user_tags("198.51.100.7".parse().unwrap())
            .map(|t| (t.tag.as_str(), t.source.as_str()))
            .collect();
        assert_eq!(hits, vec![("known_bad", "Mandiant")]);
        assert_eq!(intel.user_tags("198.51.100.8".parse().unwrap()).count(), 0);
    }
}
