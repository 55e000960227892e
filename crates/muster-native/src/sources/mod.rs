//! One module per native format.

use crate::source::Source;

pub mod country;
pub mod entra;
pub mod google_workspace;
pub mod greenhouse;
mod ident;
pub mod nacha;
pub mod ocsf;
pub mod okta;

/// Every reader (ties in sniffing go to the earlier one).
pub static ALL: &[&dyn Source] = &[
    &okta::Okta,
    &entra::Entra,
    &google_workspace::GoogleWorkspace,
    &greenhouse::Greenhouse,
    &nacha::Nacha,
    &ocsf::Ocsf,
];
