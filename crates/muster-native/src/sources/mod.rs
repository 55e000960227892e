//! One module per native format.

use crate::source::Source;

pub mod greenhouse;
pub mod nacha;
pub mod ocsf;

/// Every reader.
pub static ALL: &[&dyn Source] = &[&greenhouse::Greenhouse, &nacha::Nacha, &ocsf::Ocsf];
