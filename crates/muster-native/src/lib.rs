//! Native sources: the logs and exports companies already have, read directly and mapped onto
//! muster's contract tables (`docs/spec/data-contract.md`, section 3).
//!
//! Each format is a [`Source`]: it sniffs a file's first bytes ([`Source::sniff`]) and reads the
//! whole file, reporting every record to a [`Sink`] as rows for contract tables, a skip (read
//! and understood, but not for any table) or a rejection with a reason. [`convert::Converter`]
//! stages the rows as typed Parquet through the same validation as contract tables, so counts
//! always add up: per file, records = mapped + skipped + rejected; per table, read = accepted +
//! rejected.
//!
//! Format is decided by content, never by file name ([`convert::sniff`]); `--source NAME=PATH`
//! names it explicitly ([`convert::named`]).

#![warn(missing_docs)]

pub mod convert;
mod error;
pub mod json;
pub mod pipeline;
pub mod plan;
pub mod record;
pub mod source;
pub mod sources;
pub mod testing;

pub use error::NativeError;
pub use record::{Loc, Outcome, Row, V};
pub use source::{Confidence, Input, Sample, Sink, Source};

/// Every native reader, in a fixed order (ties in sniffing go to the earlier one).
pub fn registry() -> &'static [&'static dyn Source] {
    sources::ALL
}
