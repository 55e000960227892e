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
//! * [`rmm`]: [`RmmCatalogue`] matches process names / paths, installed software and domains
//!   against the LOLRMM catalogue; [`ApprovedRmm`] reads `approved_rmm.txt`.
//! * [`kvm`]: [`KvmCatalogue`] matches USB devices, EDID monitors, hostnames and domains of
//!   IP-KVMs (PiKVM, TinyPilot, JetKVM, NanoKVM, GL.iNet Comet, ...).
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

pub mod error;
pub mod geo;
pub mod ip;
pub mod kvm;
pub mod rmm;
pub mod sanctions;
mod util;

pub use error::{IntelError, LineError, Result};
pub use ip::{Confidence, IpIntel, IpIntelBuilder, IpList, IpSource, IpTags, SourceSet};
pub use kvm::{KvmCatalogue, KvmMatch, Strength};
pub use rmm::{ApprovedRmm, MatchKind, RmmCatalogue, RmmMatch, RmmTool};
pub use sanctions::{HitKind, Sanctions, SanctionsHit, SdnEntry};
