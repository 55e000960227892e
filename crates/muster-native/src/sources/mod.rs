//! One module per native format.

use crate::source::Source;

/// Every reader.
pub static ALL: &[&dyn Source] = &[];
