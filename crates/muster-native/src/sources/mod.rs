//! One module per native format.

use crate::source::Source;

mod endpoint;
pub mod osquery;
pub mod windows;
pub mod zeek;

/// Every reader.
pub static ALL: &[&dyn Source] = &[&osquery::OSQUERY, &windows::WINDOWS, &zeek::ZEEK_CONN];
