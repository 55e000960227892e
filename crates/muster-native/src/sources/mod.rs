//! One module per native format.

use crate::source::Source;

pub mod country;
pub mod entra;
pub mod google_workspace;
mod ident;
pub mod okta;

/// Every reader.
pub static ALL: &[&dyn Source] = &[
    &okta::Okta,
    &entra::Entra,
    &google_workspace::GoogleWorkspace,
];
