//! Normalisation of names, emails, phones, US addresses, SSNs, IP addresses and Wi-Fi BSSIDs.
//!
//! Every muster component that compares identity data (entity resolution, `ID-REUSE`,
//! `FARM-SHIP`, `FARM-IP`, `ID-STOLEN`) goes through these functions, so that the same value
//! written two ways compares equal. The crate is pure Rust and does no I/O. Every function is
//! total: malformed input gives `None`, an error value, or a best-effort cleaned string, never a
//! panic. Normalising an already-normalised value returns it unchanged.
//!
//! | module | entry points |
//! |---|---|
//! | [`name`] | [`normalize_name`], [`name_key`], [`name_tokens`] |
//! | [`email`] | [`normalize_email`], [`email_domain`] |
//! | [`phone`] | [`normalize_phone`], [`nanp_area_code`] |
//! | [`address`] | [`normalize_us_address`], [`UsAddress`], [`is_commercial_mail_receiving_agency_hint`] |
//! | [`ssn`] | [`parse_ssn`], [`Ssn`], [`SsnError`] |
//! | [`ip`] | [`normalize_ip`], [`canonical_ip`], [`ip_class`], [`IpClass`] |
//! | [`mac`] | [`normalize_bssid`] |
//!
//! ```
//! use muster_normalize::{
//!     canonical_ip, name_key, normalize_email, normalize_phone, normalize_us_address, parse_ssn,
//! };
//!
//! // Two HR records that look different but share every contact detail.
//! assert_eq!(name_key("GARCÍA, José"), name_key("Jose Garcia"));
//! assert_eq!(normalize_email("Jose.Garcia+jobs@googlemail.com"), normalize_email("josegarcia@gmail.com"));
//! assert_eq!(normalize_phone("(702) 555-0199", "US"), normalize_phone("+1 702.555.0199", "US"));
//! let a = normalize_us_address("12 Desert Inn Road, Apt 3", None, "Las Vegas", "Nevada", "89109");
//! let b = normalize_us_address("12 DESERT INN RD", Some("#3"), "LAS VEGAS", "NV", "89109-1234");
//! assert_eq!(a.line1, b.line1);
//! assert_eq!(canonical_ip("::ffff:198.51.100.23"), canonical_ip("198.51.100.23:443"));
//! assert!(parse_ssn("900-12-3456").is_err());
//! ```

#![warn(missing_docs)]

pub mod address;
pub mod email;
pub mod ip;
pub mod mac;
pub mod name;
pub mod phone;
pub mod ssn;

pub use address::{
    UsAddress, is_commercial_mail_receiving_agency_hint, normalize_region, normalize_us_address,
};
pub use email::{email_domain, normalize_email};
pub use ip::{IpClass, canonical_ip, ip_class, normalize_ip};
pub use mac::normalize_bssid;
pub use name::{name_key, name_tokens, normalize_name};
pub use phone::{nanp_area_code, normalize_phone};
pub use ssn::{InvalidSsn, Ssn, SsnError, SsnFormatProblem, parse_ssn};
