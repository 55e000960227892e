//! Reference intelligence for muster: IP tags, the LOLRMM remote-access catalogue, IP-KVM
//! identifiers.
//!
//! Every dataset is embedded in the binary (from the repository's `data/` folder), parsed lazily
//! once per process, and can also be loaded from user-supplied files or readers so that newer
//! copies can be used:
//!
//! * [`ip`]: [`IpIntel`] tags addresses as `vpn`, `hosting`, `tor` or `dprk`
//!   (X4BNet, ipcat, Tor exits, DPRK ranges); [`IpList`] reads user lists such as
//!   `corporate_egress.txt`.
//!   [`IpIntel::info`] adds AS and registry country (ip-location-db, IPv4/IPv6) and user tags;
//!   [`MmdbGeo`] reads optional city-level `.mmdb` files.
//! * [`rmm`]: [`RmmCatalogue`] matches process names / paths, installed software and domains
//!   against the LOLRMM catalogue; [`ApprovedRmm`] reads `approved_rmm.txt`.
//! * [`kvm`]: [`KvmCatalogue`] matches USB devices, EDID monitors, hostnames and domains of
//!   IP-KVMs (PiKVM, TinyPilot, JetKVM, NanoKVM, GL.iNet Comet, ...).
//! * [`geo`]: [`Zips`] (ZIP -> place, county, coordinates, time zone), [`state_zone`] /
//!   [`county_zone`], [`AreaCodes`], [`haversine_km`], [`DisposableDomains`].
//! * [`sanctions`]: [`Sanctions`] matches names (fuzzy, transliteration-aware), emails, domains
//!   and digital-currency addresses against the OFAC SDN list and address lists.
//!
//! ```
//! use muster_intel::{Confidence, IpIntel, KvmCatalogue, RmmCatalogue, Strength};
//!
//! // IP addresses
//! let tags = IpIntel::embedded().lookup("175.45.176.1".parse()?);
//! assert_eq!(tags.dprk, Some(Confidence::High));
//! assert!(IpIntel::embedded().lookup("8.8.8.8".parse()?).dprk.is_none());
//!
//! // Remote-access tools
//! let rmm = RmmCatalogue::embedded();
//! assert_eq!(rmm.match_process("anydesk-8.0.9.exe").map(|m| m.tool), Some("AnyDesk".to_string()));
//! assert!(rmm.match_process("setup.exe").is_none());
//!
//! // IP-KVM hardware
//! let kvm = KvmCatalogue::embedded();
//! let hits = kvm.match_edid(Some("LNX"), None, Some("PiKVM"), None);
//! assert!(hits.iter().all(|m| m.strength == Strength::Strong));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

mod bundle;
pub mod error;
pub mod geo;
pub mod ip;
pub mod kvm;
pub mod lookup;
pub mod rmm;
pub mod sanctions;
pub mod usb;
mod util;

pub use bundle::{DataPaths, DatasetInfo, Intel, Shared, TagList};
pub use error::{IntelError, LineError, Result};
pub use geo::{
    AreaCode, AreaCodes, DisposableDomains, ZipInfo, Zips, county_zone, haversine_km, state_zone,
};
pub use ip::{
    AsnDb, CityGeo, Confidence, CountryDb, IpInfo, IpIntel, IpIntelBuilder, IpList, IpSource,
    IpTags, MmdbGeo, MobileCarriers, SourceSet, UserTag,
};
pub use kvm::{KvmCatalogue, KvmMatch, Strength};
pub use rmm::{ApprovedRmm, MatchKind, RmmCatalogue, RmmMatch, RmmTool};
pub use sanctions::{HitKind, Sanctions, SanctionsHit, SdnEntry};
