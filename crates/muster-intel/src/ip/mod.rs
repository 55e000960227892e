//! IP address intelligence: VPN, hosting/datacenter, Tor exit and DPRK address space, AS and
//! country, user tag lists, optional city geolocation.
//!
//! [`IpIntel`] answers "what is this address?" with [`IpTags`] ([`IpIntel::lookup`], the
//! reference lists only) or [`IpInfo`] ([`IpIntel::info`]: also AS number and organisation,
//! registry country and [`UserTag`]s). City-level geolocation from a user-supplied `.mmdb` is
//! [`MmdbGeo`]. The embedded data ([`IpIntel::embedded`]) is:
//!
//! | source | tag | file |
//! |---|---|---|
//! | [`IpSource::X4bnetVpn`] | `vpn` | `data/ip/x4bnet/vpn-ipv4.txt`, `vpn-ipv6.txt` (X4BNet lists_vpn, MIT) |
//! | [`IpSource::X4bnetDatacenter`] | `hosting` | `data/ip/x4bnet/datacenter-ipv4.txt`, `datacenter-ipv6.txt` |
//! | [`IpSource::IpcatDatacenters`] | `hosting` | `data/ip/ipcat/datacenters.csv` (client9/ipcat, MIT, stale 2023) |
//! | [`IpSource::TorExits`] | `tor` | `data/ip/tor/latest.exits.csv` (Onionoo snapshot via alireza-rezaee/tor-nodes, MIT) |
//! | [`IpSource::DprkRanges`] | `dprk` | `data/ip/dprk_ip_ranges.csv` (hand-compiled, with a confidence column) |
//! | [`AsnDb`] | AS, org (and `dprk` for AS131279) | `data/ip/asn-ipv4.csv.gz`, `asn-ipv6.csv.gz` (ip-location-db, CC BY 4.0: RouteViews, DB-IP, NRO) |
//! | [`CountryDb`] | country | `data/ip/geo-whois-asn-country-ipv4.csv.gz`, `-ipv6.csv.gz` (ip-location-db, CC BY 4.0: NRO) |
//!
//! The ASN and country databases are parsed on first use of [`IpIntel::info`],
//! [`IpIntel::asn`] or [`IpIntel::country`] (about 0.3 s in release, on two threads).
//!
//! X4BNet's datacenter list is a superset that includes VPN networks, so a VPN address is
//! usually tagged `hosting` too. Overlapping ranges keep all their tags: ranges are split into
//! non-overlapping segments carrying the union of the tags, and a lookup is one binary search.
//!
//! ```
//! use muster_intel::ip::{Confidence, IpIntel};
//!
//! let info = IpIntel::embedded().info("175.45.176.1".parse()?);
//! assert_eq!((info.asn, info.country), (Some(131279), Some("KP")));
//! assert_eq!(info.tags.dprk, Some(Confidence::High));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Newer files can replace or extend the embedded ones with [`IpIntelBuilder`] (including
//! [`IpIntelBuilder::asn_from_paths`], [`IpIntelBuilder::country_from_paths`] and user lists
//! with [`IpIntelBuilder::add_user_list`]):
//!
//! ```
//! use muster_intel::ip::{IpIntelBuilder, IpSource};
//!
//! let intel = IpIntelBuilder::new()
//!     .add_embedded(IpSource::DprkRanges)?
//!     .add_reader(IpSource::X4bnetVpn, "198.51.100.0/24\n".as_bytes(), "my-vpn.txt")?
//!     .build();
//! let tags = intel.lookup("198.51.100.7".parse()?);
//! assert_eq!(tags.tag_names(), ["vpn"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod asn;
mod list;
mod mmdb;
mod mobile;
mod segments;
mod table;
mod tags;

use std::fmt;
use std::io::Read;
use std::net::IpAddr;
use std::path::Path;
use std::sync::{Arc, OnceLock};

pub use asn::{AsnDb, CountryDb, DPRK_ASN};
pub use list::IpList;
pub use mmdb::{CityGeo, MmdbGeo};
pub use mobile::MobileCarriers;
use table::{AddrRange, IntervalBuilder, RangeTables, parse_ip, parse_range};
pub use tags::UserTag;
use tags::UserTags;

use crate::error::{IntelError, LineError, Result};
use crate::util::{read_all_maybe_gz, read_path, utf8_lossy};

/// How sure a DPRK attribution of an address range is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Confidence {
    /// Historic or weakly sourced (e.g. a satellite uplink used by the DPRK years ago).
    Low,
    /// Credible but indirect (e.g. a Chinese carrier sub-allocation used by the DPRK).
    Medium,
    /// Authoritative (the DPRK's own APNIC allocation, AS131279).
    High,
}

impl Confidence {
    /// Lowercase name: `"high"`, `"medium"` or `"low"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        }
    }

    /// Parses `high` / `medium` / `low` (any case, surrounding space ignored).
    pub fn parse(text: &str) -> Option<Confidence> {
        match text.trim().to_ascii_lowercase().as_str() {
            "high" => Some(Confidence::High),
            "medium" | "med" => Some(Confidence::Medium),
            "low" => Some(Confidence::Low),
            _ => None,
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A reference list (and its file format) that can feed an [`IpIntel`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IpSource {
    /// VPN networks, tag `vpn`. Format: one CIDR / address / `start-end` range per line, `#` comments.
    X4bnetVpn,
    /// Datacenter (non-eyeball) networks, tag `hosting`. Same format as [`IpSource::X4bnetVpn`].
    X4bnetDatacenter,
    /// ipcat datacenter ranges, tag `hosting`. CSV without header: `start_ip,end_ip,provider,url`.
    IpcatDatacenters,
    /// Tor relay addresses with the exit flag, tag `tor`. CSV with header containing `ipaddr`
    /// (`fingerprint, ipaddr, port`); a plain one-address-per-line list is also accepted.
    TorExits,
    /// DPRK address space, tag `dprk`. CSV with header containing `cidr` and `confidence`.
    DprkRanges,
}

impl IpSource {
    /// Every source, in bit order.
    pub const ALL: [IpSource; 5] = [
        IpSource::X4bnetVpn,
        IpSource::X4bnetDatacenter,
        IpSource::IpcatDatacenters,
        IpSource::TorExits,
        IpSource::DprkRanges,
    ];

    /// Stable short name, e.g. `"x4bnet-vpn"`.
    pub fn name(self) -> &'static str {
        match self {
            IpSource::X4bnetVpn => "x4bnet-vpn",
            IpSource::X4bnetDatacenter => "x4bnet-datacenter",
            IpSource::IpcatDatacenters => "ipcat-datacenters",
            IpSource::TorExits => "tor-exits",
            IpSource::DprkRanges => "dprk-ranges",
        }
    }

    fn index(self) -> u8 {
        match self {
            IpSource::X4bnetVpn => 0,
            IpSource::X4bnetDatacenter => 1,
            IpSource::IpcatDatacenters => 2,
            IpSource::TorExits => 3,
            IpSource::DprkRanges => 4,
        }
    }

    /// The embedded files for this source: `(label, bytes)`.
    fn embedded_files(self) -> &'static [(&'static str, &'static [u8])] {
        match self {
            IpSource::X4bnetVpn => &[
                (
                    "embedded:data/ip/x4bnet/vpn-ipv4.txt",
                    include_bytes!("../../../../data/ip/x4bnet/vpn-ipv4.txt"),
                ),
                (
                    "embedded:data/ip/x4bnet/vpn-ipv6.txt",
                    include_bytes!("../../../../data/ip/x4bnet/vpn-ipv6.txt"),
                ),
            ],
            IpSource::X4bnetDatacenter => &[
                (
                    "embedded:data/ip/x4bnet/datacenter-ipv4.txt",
                    include_bytes!("../../../../data/ip/x4bnet/datacenter-ipv4.txt"),
                ),
                (
                    "embedded:data/ip/x4bnet/datacenter-ipv6.txt",
                    include_bytes!("../../../../data/ip/x4bnet/datacenter-ipv6.txt"),
                ),
            ],
            IpSource::IpcatDatacenters => &[(
                "embedded:data/ip/ipcat/datacenters.csv",
                include_bytes!("../../../../data/ip/ipcat/datacenters.csv"),
            )],
            IpSource::TorExits => &[(
                "embedded:data/ip/tor/latest.exits.csv",
                include_bytes!("../../../../data/ip/tor/latest.exits.csv"),
            )],
            IpSource::DprkRanges => &[(
                "embedded:data/ip/dprk_ip_ranges.csv",
                include_bytes!("../../../../data/ip/dprk_ip_ranges.csv"),
            )],
        }
    }
}

impl fmt::Display for IpSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

// Internal mask layout: bits 0..=3 are the sources X4bnetVpn, X4bnetDatacenter,
// IpcatDatacenters, TorExits; bits 4..=6 are DPRK ranges at high / medium / low confidence.
const BIT_VPN: u16 = 1 << 0;
const BIT_DC: u16 = 1 << 1;
const BIT_IPCAT: u16 = 1 << 2;
const BIT_TOR: u16 = 1 << 3;
const BIT_DPRK_HIGH: u8 = 4;
const BIT_DPRK_MEDIUM: u8 = 5;
const BIT_DPRK_LOW: u8 = 6;
const MASK_DPRK: u16 = (1 << BIT_DPRK_HIGH) | (1 << BIT_DPRK_MEDIUM) | (1 << BIT_DPRK_LOW);

/// The set of [`IpSource`]s that matched an address (a small copyable bit set).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SourceSet(u8);

impl SourceSet {
    /// Whether `source` is in the set.
    pub fn contains(self, source: IpSource) -> bool {
        self.0 & (1 << source.index()) != 0
    }

    /// Number of sources in the set.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The sources in the set, in [`IpSource::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = IpSource> {
        IpSource::ALL.into_iter().filter(move |s| self.contains(*s))
    }

    /// The sources' short names, e.g. `["x4bnet-vpn", "x4bnet-datacenter"]`.
    pub fn names(self) -> Vec<&'static str> {
        self.iter().map(IpSource::name).collect()
    }

    fn from_mask(mask: u16) -> Self {
        let mut bits = (mask & 0x0f) as u8;
        if mask & MASK_DPRK != 0 {
            bits |= 1 << IpSource::DprkRanges.index();
        }
        SourceSet(bits)
    }
}

/// What the reference lists say about one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct IpTags {
    /// In a known VPN provider's network.
    pub vpn: bool,
    /// In a hosting / datacenter (non-residential) network. VPN exits usually are too.
    pub hosting: bool,
    /// A Tor relay address with the exit flag.
    pub tor: bool,
    /// In DPRK address space, with the highest confidence among matching ranges.
    pub dprk: Option<Confidence>,
    /// Which lists matched.
    pub sources: SourceSet,
}

impl IpTags {
    fn from_mask(mask: u16) -> IpTags {
        let dprk = if mask & (1 << BIT_DPRK_HIGH) != 0 {
            Some(Confidence::High)
        } else if mask & (1 << BIT_DPRK_MEDIUM) != 0 {
            Some(Confidence::Medium)
        } else if mask & (1 << BIT_DPRK_LOW) != 0 {
            Some(Confidence::Low)
        } else {
            None
        };
        IpTags {
            vpn: mask & BIT_VPN != 0,
            hosting: mask & (BIT_DC | BIT_IPCAT) != 0,
            tor: mask & BIT_TOR != 0,
            dprk,
            sources: SourceSet::from_mask(mask),
        }
    }

    /// The tags that are set, in the order `vpn`, `hosting`, `tor`, `dprk`.
    pub fn tag_names(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.vpn {
            out.push("vpn");
        }
        if self.hosting {
            out.push("hosting");
        }
        if self.tor {
            out.push("tor");
        }
        if self.dprk.is_some() {
            out.push("dprk");
        }
        out
    }

    /// Whether no tag is set.
    pub fn is_empty(&self) -> bool {
        !self.vpn && !self.hosting && !self.tor && self.dprk.is_none()
    }
}

/// Counts describing what an [`IpIntel`] holds.
#[derive(Debug, Clone, Default)]
pub struct IpIntelStats {
    /// Valid entries (CIDRs, ranges or addresses) read per source, in [`IpSource::ALL`] order.
    pub entries: Vec<(IpSource, usize)>,
    /// Non-overlapping IPv4 segments after merging.
    pub v4_segments: usize,
    /// Non-overlapping IPv6 segments after merging.
    pub v6_segments: usize,
    /// Lines skipped by a lenient build (always empty for a strict build).
    pub skipped: Vec<LineError>,
}

/// Everything known about one address: AS, registry country, reference-list tags and user tags.
///
/// Borrowed from the [`IpIntel`] that produced it (`'static` for [`IpIntel::embedded`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IpInfo<'a> {
    /// AS number announcing the address.
    pub asn: Option<u32>,
    /// Organisation of that AS (e.g. `"Google LLC"`); `None` when unknown or empty.
    pub as_org: Option<&'a str>,
    /// ISO 3166-1 alpha-2 registry (WHOIS) country code, upper case (e.g. `"US"`). A `"KP"`
    /// here does not by itself set [`IpTags::dprk`]: the geo-whois data has bogus tiny `KP`
    /// geofeed ranges.
    pub country: Option<&'a str>,
    /// Reference-list tags. `dprk` is also set to [`Confidence::High`] when the AS is
    /// [`DPRK_ASN`] (AS131279), even if the DPRK range list does not cover the address; that
    /// does not add a source to [`IpTags::sources`].
    pub tags: IpTags,
    /// Every user list covering the address (see [`IpIntelBuilder::add_user_list`]).
    pub user_tags: Vec<&'a UserTag>,
}

impl IpInfo<'_> {
    /// Whether a user list with tag name `tag` covers the address.
    pub fn has_user_tag(&self, tag: &str) -> bool {
        self.user_tags.iter().any(|t| t.tag == tag)
    }
}

/// Where an [`IpIntel`] gets a lazily loaded database from.
#[derive(Debug, Clone, Default)]
enum DbRef<T> {
    #[default]
    None,
    Embedded,
    Owned(Arc<T>),
}

impl DbRef<AsnDb> {
    #[inline]
    fn get(&self) -> Option<&AsnDb> {
        match self {
            DbRef::None => None,
            DbRef::Embedded => Some(AsnDb::embedded()),
            DbRef::Owned(db) => Some(db),
        }
    }
}

impl DbRef<CountryDb> {
    #[inline]
    fn get(&self) -> Option<&CountryDb> {
        match self {
            DbRef::None => None,
            DbRef::Embedded => Some(CountryDb::embedded()),
            DbRef::Owned(db) => Some(db),
        }
    }
}

/// Tags IP addresses from VPN, hosting, Tor and DPRK lists and user lists, and maps them to
/// AS and country. Cheap to query from many threads.
#[derive(Debug, Clone, Default)]
pub struct IpIntel {
    tables: RangeTables,
    stats: IpIntelStats,
    asn: DbRef<AsnDb>,
    country: DbRef<CountryDb>,
    user: UserTags,
}

impl IpIntel {
    /// The intelligence built from the data embedded in the binary, parsed once per process.
    ///
    /// The tag lists are parsed on the first call; the ASN and country databases
    /// ([`AsnDb::embedded`], [`CountryDb::embedded`]) on the first [`IpIntel::info`],
    /// [`IpIntel::asn`] or [`IpIntel::country`] call.
    ///
    /// Embedded lines that fail to parse are skipped and listed in
    /// [`IpIntelStats::skipped`]; this never panics.
    pub fn embedded() -> &'static IpIntel {
        static EMBEDDED: OnceLock<IpIntel> = OnceLock::new();
        EMBEDDED.get_or_init(|| IpIntelBuilder::embedded().build())
    }

    /// Everything about `ip`: AS, country, tags and user tags. IPv4-mapped IPv6 addresses are
    /// looked up as IPv4.
    ///
    /// ```
    /// use muster_intel::{Confidence, IpIntel};
    ///
    /// let intel = IpIntel::embedded();
    /// let info = intel.info("175.45.176.1".parse()?);
    /// assert_eq!(info.asn, Some(131279));
    /// assert_eq!(info.country, Some("KP"));
    /// assert_eq!(info.tags.dprk, Some(Confidence::High));
    ///
    /// let info = intel.info("2001:4860:4860::8888".parse()?);
    /// assert_eq!((info.asn, info.as_org), (Some(15169), Some("Google LLC")));
    /// assert!(info.tags.dprk.is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn info(&self, ip: IpAddr) -> IpInfo<'_> {
        let ip = asn::canonical(ip);
        let (asn, as_org) = match self.asn(ip) {
            Some((n, org)) => (Some(n), (!org.is_empty()).then_some(org)),
            None => (None, None),
        };
        let tags = with_asn_dprk(self.lookup(ip), asn);
        IpInfo {
            asn,
            as_org,
            country: self.country(ip),
            tags,
            user_tags: self.user_tags(ip).collect(),
        }
    }

    /// The list tags of `ip`, with `dprk` also set from AS131279 in the ASN database (so a newer
    /// ASN file still marks DPRK space). Cheaper than [`IpIntel::info`]: no country lookup, no
    /// user-tag collection.
    #[inline]
    pub fn tags(&self, ip: IpAddr) -> IpTags {
        let ip = asn::canonical(ip);
        with_asn_dprk(self.lookup(ip), self.asn(ip).map(|(n, _)| n))
    }

    /// The AS number and organisation (`""` when unknown) announcing `ip`, or `None` when no
    /// ASN database is configured or the address is not announced.
    #[inline]
    pub fn asn(&self, ip: IpAddr) -> Option<(u32, &str)> {
        self.asn.get()?.lookup(ip)
    }

    /// The registry country code (e.g. `"US"`) of `ip`, or `None` when no country database
    /// is configured or the address is not covered.
    #[inline]
    pub fn country(&self, ip: IpAddr) -> Option<&str> {
        self.country.get()?.lookup(ip)
    }

    /// The user tags covering `ip` (none when no user list was added).
    #[inline]
    pub fn user_tags(&self, ip: IpAddr) -> impl Iterator<Item = &UserTag> {
        let (v4, v6) = match asn::canonical(ip) {
            _ if self.user.is_empty() => (None, None),
            IpAddr::V4(a) => (Some(u32::from(a)), None),
            IpAddr::V6(a) => (None, Some(u128::from(a))),
        };
        v4.into_iter()
            .flat_map(|x| self.user.get_v4(x))
            .chain(v6.into_iter().flat_map(|x| self.user.get_v6(x)))
    }

    /// Every distinct user tag configured, in the order added.
    pub fn user_tag_list(&self) -> &[UserTag] {
        self.user.tags()
    }

    /// The ASN database in use, if any.
    pub fn asn_db(&self) -> Option<&AsnDb> {
        self.asn.get()
    }

    /// The country database in use, if any.
    pub fn country_db(&self) -> Option<&CountryDb> {
        self.country.get()
    }

    /// Tags `ip`. IPv4-mapped IPv6 addresses are looked up as IPv4.
    #[inline]
    pub fn lookup(&self, ip: IpAddr) -> IpTags {
        IpTags::from_mask(self.tables.get(ip))
    }

    /// What was loaded.
    pub fn stats(&self) -> &IpIntelStats {
        &self.stats
    }
}

fn with_asn_dprk(mut tags: IpTags, asn: Option<u32>) -> IpTags {
    if asn == Some(DPRK_ASN) {
        tags.dprk = Some(Confidence::High);
    }
    tags
}

/// Builds an [`IpIntel`] from embedded data, files or readers.
///
/// By default the builder is strict: a source with any invalid line is rejected with
/// [`IntelError::InvalidLines`] (every bad line listed) and nothing from it is added. With
/// [`IpIntelBuilder::lenient`] valid lines are kept and bad ones recorded in
/// [`IpIntelStats::skipped`].
#[derive(Debug, Default)]
pub struct IpIntelBuilder {
    intervals: IntervalBuilder,
    entries: [usize; 5],
    lenient: bool,
    skipped: Vec<LineError>,
    asn: DbRef<AsnDb>,
    country: DbRef<CountryDb>,
    user_lists: Vec<(UserTag, IpList)>,
}

impl IpIntelBuilder {
    /// An empty, strict builder (no tag lists, no ASN or country database, no user lists).
    pub fn new() -> Self {
        Self::default()
    }

    /// A lenient builder holding everything [`IpIntel::embedded`] holds: every embedded
    /// [`IpSource`] plus the embedded ASN and country databases (loaded lazily). Use it to add
    /// user lists to the embedded data:
    ///
    /// ```
    /// use muster_intel::ip::{IpIntelBuilder, IpList};
    ///
    /// let bad = IpList::parse("203.0.113.0/24\n", "known_bad.txt")?;
    /// let intel = IpIntelBuilder::embedded()
    ///     .add_user_list("known_bad", "Mandiant 2025 DPRK IT worker VPN exits", bad)
    ///     .build();
    /// let info = intel.info("203.0.113.5".parse()?);
    /// assert!(info.has_user_tag("known_bad"));
    /// assert_eq!(info.user_tags[0].source, "Mandiant 2025 DPRK IT worker VPN exits");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn embedded() -> Self {
        let mut builder = IpIntelBuilder::new().lenient(true);
        for source in IpSource::ALL {
            // Lenient mode only returns errors for I/O, which cannot happen on byte slices.
            if let Err(e) = builder.add_embedded_mut(source) {
                builder.skipped.push(LineError::new(
                    source.name(),
                    0,
                    "",
                    format!("embedded data unreadable: {e}"),
                ));
            }
        }
        builder.asn_embedded().country_embedded()
    }

    /// Uses the embedded ASN database ([`AsnDb::embedded`], parsed on first use).
    pub fn asn_embedded(mut self) -> Self {
        self.asn = DbRef::Embedded;
        self
    }

    /// Uses the embedded country database ([`CountryDb::embedded`], parsed on first use).
    pub fn country_embedded(mut self) -> Self {
        self.country = DbRef::Embedded;
        self
    }

    /// Uses `db` for AS lookups.
    pub fn asn_db(mut self, db: AsnDb) -> Self {
        self.asn = DbRef::Owned(Arc::new(db));
        self
    }

    /// Uses `db` for country lookups.
    pub fn country_db(mut self, db: CountryDb) -> Self {
        self.country = DbRef::Owned(Arc::new(db));
        self
    }

    /// Loads AS data from ip-location-db style `asn-ipv4.csv[.gz]` and `asn-ipv6.csv[.gz]`
    /// files (strict: see [`AsnDb::from_paths`]) and uses it instead of the embedded copy.
    pub fn asn_from_paths(self, v4: impl AsRef<Path>, v6: impl AsRef<Path>) -> Result<Self> {
        let db = AsnDb::from_paths(&[v4.as_ref(), v6.as_ref()])?;
        Ok(self.asn_db(db))
    }

    /// Loads country data from ip-location-db style `*-ipv4.csv[.gz]` and `*-ipv6.csv[.gz]`
    /// files (strict: see [`CountryDb::from_paths`]) and uses it instead of the embedded copy.
    pub fn country_from_paths(self, v4: impl AsRef<Path>, v6: impl AsRef<Path>) -> Result<Self> {
        let db = CountryDb::from_paths(&[v4.as_ref(), v6.as_ref()])?;
        Ok(self.country_db(db))
    }

    /// Adds a user list: addresses in `list` get the user tag `tag` with source label `source`
    /// (see [`IpInfo::user_tags`]). Lists with the same tag and source are united; any number
    /// of lists may overlap.
    pub fn add_user_list(mut self, tag: &str, source: &str, list: IpList) -> Self {
        self.user_lists.push((
            UserTag {
                tag: tag.to_string(),
                source: source.to_string(),
            },
            list,
        ));
        self
    }

    /// Reads a user list file strictly ([`IpList::from_path`]: bad lines are reported with
    /// file and line) and adds it with [`IpIntelBuilder::add_user_list`].
    pub fn add_user_list_path(self, tag: &str, source: &str, path: &Path) -> Result<Self> {
        let list = IpList::from_path(path)?;
        Ok(self.add_user_list(tag, source, list))
    }

    /// Chooses lenient (skip and record bad lines) or strict (fail) parsing.
    pub fn lenient(mut self, lenient: bool) -> Self {
        self.lenient = lenient;
        self
    }

    /// Adds the embedded copy of `source`.
    pub fn add_embedded(mut self, source: IpSource) -> Result<Self> {
        self.add_embedded_mut(source)?;
        Ok(self)
    }

    fn add_embedded_mut(&mut self, source: IpSource) -> Result<()> {
        for (label, bytes) in source.embedded_files() {
            self.add_bytes(source, bytes, label)?;
        }
        Ok(())
    }

    /// Adds a file (plain or gzip) in the format of `source`.
    pub fn add_path(mut self, source: IpSource, path: &Path) -> Result<Self> {
        let bytes = read_path(path)?;
        self.add_bytes(source, &bytes, &path.display().to_string())?;
        Ok(self)
    }

    /// Adds data (plain or gzip) from a reader in the format of `source`; `label` names it in errors.
    pub fn add_reader(mut self, source: IpSource, reader: impl Read, label: &str) -> Result<Self> {
        let bytes = read_all_maybe_gz(reader, label)?;
        self.add_bytes(source, &bytes, label)?;
        Ok(self)
    }

    fn add_bytes(&mut self, source: IpSource, bytes: &[u8], label: &str) -> Result<()> {
        let text = utf8_lossy(bytes);
        let (ranges, errors) = match source {
            IpSource::X4bnetVpn | IpSource::X4bnetDatacenter => {
                let bit = if source == IpSource::X4bnetVpn { 0 } else { 1 };
                parse_line_list(&text, label, bit)
            }
            IpSource::IpcatDatacenters => parse_ipcat(&text, label),
            IpSource::TorExits => parse_tor(&text, label),
            IpSource::DprkRanges => parse_dprk(&text, label),
        };
        if !errors.is_empty() {
            if !self.lenient {
                return Err(IntelError::InvalidLines {
                    file: label.to_string(),
                    errors,
                });
            }
            self.skipped.extend(errors);
        }
        if let Some(n) = self.entries.get_mut(source.index() as usize) {
            *n += ranges.len();
        }
        for (range, bit) in ranges {
            self.intervals.add(range, bit);
        }
        Ok(())
    }

    /// Builds the lookup tables.
    pub fn build(self) -> IpIntel {
        let tables = self.intervals.build();
        let stats = IpIntelStats {
            entries: IpSource::ALL
                .iter()
                .map(|s| {
                    (
                        *s,
                        self.entries.get(s.index() as usize).copied().unwrap_or(0),
                    )
                })
                .collect(),
            v4_segments: tables.v4.len(),
            v6_segments: tables.v6.len(),
            skipped: self.skipped,
        };
        IpIntel {
            tables,
            stats,
            asn: self.asn,
            country: self.country,
            user: UserTags::build(&self.user_lists),
        }
    }
}

type Parsed = (Vec<(AddrRange, u8)>, Vec<LineError>);

/// One CIDR / address / range per line; `#` comments and blank lines ignored.
fn parse_line_list(text: &str, label: &str, bit: u8) -> Parsed {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (idx, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        match parse_range(line) {
            Ok(r) => out.push((r, bit)),
            Err(reason) => errors.push(LineError::new(label, idx + 1, raw, reason)),
        }
    }
    (out, errors)
}

/// Splits a simple CSV line (no embedded newlines in these files) into trimmed fields,
/// honouring double quotes.
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut cur).trim().to_string()),
            _ => cur.push(c),
        }
    }
    fields.push(cur.trim().to_string());
    fields
}

/// `start_ip,end_ip,provider,url`, no header (a header line is tolerated).
fn parse_ipcat(text: &str, label: &str) -> Parsed {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (idx, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let f = csv_fields(line);
        let start = f.first().map(String::as_str).unwrap_or("");
        let end = f.get(1).map(String::as_str).unwrap_or(start);
        if idx == 0 && parse_ip(start).is_err() {
            continue; // header
        }
        let parsed = parse_ip(start).and_then(|s| {
            let e = parse_ip(end)?;
            AddrRange::between(s, e).ok_or_else(|| format!("invalid range {s} - {e}"))
        });
        match parsed {
            Ok(r) => out.push((r, 2)),
            Err(reason) => errors.push(LineError::new(label, idx + 1, raw, reason)),
        }
    }
    (out, errors)
}

/// Finds a header column by (case-insensitive, trimmed) name.
fn column(header: &[String], name: &str) -> Option<usize> {
    header.iter().position(|h| h.eq_ignore_ascii_case(name))
}

/// CSV with an `ipaddr` column (`fingerprint, ipaddr, port`), or one address per line.
fn parse_tor(text: &str, label: &str) -> Parsed {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut col: Option<usize> = None;
    for (idx, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let f = csv_fields(line);
        if idx == 0
            && let Some(c) = column(&f, "ipaddr")
                .or_else(|| column(&f, "ip"))
                .or_else(|| column(&f, "address"))
        {
            col = Some(c);
            continue;
        }
        let field = match col {
            Some(c) => f.get(c).map(String::as_str).unwrap_or(""),
            None => f.first().map(String::as_str).unwrap_or(""),
        };
        match parse_ip(field) {
            Ok(ip) => out.push((AddrRange::single(ip), 3)),
            Err(reason) => errors.push(LineError::new(label, idx + 1, raw, reason)),
        }
    }
    (out, errors)
}

/// CSV with header; uses the `cidr` and `confidence` columns.
fn parse_dprk(text: &str, label: &str) -> Parsed {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut cols: Option<(usize, usize)> = None;
    for (idx, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let f = csv_fields(line);
        let Some((c_cidr, c_conf)) = cols else {
            match (column(&f, "cidr"), column(&f, "confidence")) {
                (Some(a), Some(b)) => cols = Some((a, b)),
                _ => errors.push(LineError::new(
                    label,
                    idx + 1,
                    raw,
                    "expected a header with `cidr` and `confidence` columns",
                )),
            }
            continue;
        };
        let cidr = f.get(c_cidr).map(String::as_str).unwrap_or("");
        let conf = f.get(c_conf).map(String::as_str).unwrap_or("");
        let bit = match Confidence::parse(conf) {
            Some(Confidence::High) => BIT_DPRK_HIGH,
            Some(Confidence::Medium) => BIT_DPRK_MEDIUM,
            Some(Confidence::Low) => BIT_DPRK_LOW,
            None => {
                errors.push(LineError::new(
                    label,
                    idx + 1,
                    raw,
                    format!("invalid confidence {conf:?} (expected high/medium/low)"),
                ));
                continue;
            }
        };
        match parse_range(cidr) {
            Ok(r) => out.push((r, bit)),
            Err(reason) => errors.push(LineError::new(label, idx + 1, raw, reason)),
        }
    }
    (out, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_split() {
        assert_eq!(
            csv_fields(r#"1.2.3.4,1.2.3.5,"A, Inc.",http://x"#),
            vec!["1.2.3.4", "1.2.3.5", "A, Inc.", "http://x"]
        );
        assert_eq!(csv_fields(r#"a,"b""c",d"#), vec!["a", "b\"c", "d"]);
    }

    #[test]
    fn strict_builder_reports_lines() {
        let err = IpIntelBuilder::new()
            .add_reader(
                IpSource::X4bnetVpn,
                "1.2.3.0/24\nbad\n\n5.6.7.8/40\n".as_bytes(),
                "v.txt",
            )
            .unwrap_err();
        let lines: Vec<usize> = err.line_errors().iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 4]);
        assert!(err.to_string().starts_with("v.txt: 2 invalid line(s)"));
    }

    #[test]
    fn lenient_builder_keeps_good_lines() {
        let intel = IpIntelBuilder::new()
            .lenient(true)
            .add_reader(
                IpSource::TorExits,
                "fingerprint, ipaddr, port\nAA, 1.2.3.4, 9001\nBB, nope, 1\n".as_bytes(),
                "t.csv",
            )
            .unwrap()
            .build();
        assert!(intel.lookup("1.2.3.4".parse().unwrap()).tor);
        assert_eq!(intel.stats().skipped.len(), 1);
        assert_eq!(intel.stats().skipped[0].line, 3);
    }

    #[test]
    fn dprk_bad_confidence() {
        let err = IpIntelBuilder::new()
            .add_reader(
                IpSource::DprkRanges,
                "cidr,confidence\n1.0.0.0/8,sure\n".as_bytes(),
                "d.csv",
            )
            .unwrap_err();
        assert_eq!(err.line_errors()[0].line, 2);
    }
}
