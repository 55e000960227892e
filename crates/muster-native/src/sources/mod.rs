//! One module per native format.

use crate::source::Source;

pub mod country;
mod endpoint;
pub mod entra;
pub mod google_workspace;
pub mod greenhouse;
mod ident;
pub mod nacha;
pub mod ocsf;
pub mod okta;
pub mod osquery;
pub mod windows;
pub mod zeek;

/// Every reader (ties in sniffing go to the earlier one).
pub static ALL: &[&dyn Source] = &[
    &okta::Okta,
    &entra::Entra,
    &google_workspace::GoogleWorkspace,
    &greenhouse::Greenhouse,
    &nacha::Nacha,
    &ocsf::Ocsf,
    &osquery::OSQUERY,
    &windows::WINDOWS,
    &zeek::ZEEK_CONN,
];
