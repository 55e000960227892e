//! What a native reader produces: for each record it reads, rows for contract tables, or a
//! reason to skip it, or a reason to reject it.

use std::borrow::Cow;

use muster_contract::Table;

/// A value for one contract column, before the contract's coercion (which the ingest writer
/// applies, so a native reader may hand over text as found).
#[derive(Debug, Clone, PartialEq)]
pub enum V {
    /// No value.
    Null,
    /// Text (timestamps as text are parsed by the contract's rules).
    Str(String),
    /// Integer.
    Int(i64),
    /// Float.
    Float(f64),
    /// Boolean.
    Bool(bool),
    /// Timestamp, UTC microseconds since the epoch.
    TsMicros(i64),
}

impl From<String> for V {
    fn from(s: String) -> V {
        V::Str(s)
    }
}
impl From<&str> for V {
    fn from(s: &str) -> V {
        V::Str(s.to_string())
    }
}
impl From<i64> for V {
    fn from(i: i64) -> V {
        V::Int(i)
    }
}
impl From<f64> for V {
    fn from(f: f64) -> V {
        V::Float(f)
    }
}
impl From<bool> for V {
    fn from(b: bool) -> V {
        V::Bool(b)
    }
}
impl<T: Into<V>> From<Option<T>> for V {
    fn from(o: Option<T>) -> V {
        o.map_or(V::Null, Into::into)
    }
}

/// One row for a contract table.
#[derive(Debug, Clone)]
pub struct Row {
    /// The table.
    pub table: &'static Table,
    /// `(column index, value)` pairs; columns not set are null.
    pub cells: Vec<(usize, V)>,
    /// Names given to [`Row::set`] that the table does not have (a reader bug; the row is
    /// rejected with this reason so it never vanishes silently).
    pub unknown: Vec<&'static str>,
}

impl PartialEq for Row {
    fn eq(&self, o: &Row) -> bool {
        self.table.name == o.table.name && self.cells == o.cells && self.unknown == o.unknown
    }
}

impl Row {
    /// An empty row of `table` (e.g. `&muster_contract::SIGNINS`).
    pub fn new(table: &'static Table) -> Row {
        Row {
            table,
            cells: Vec::with_capacity(table.columns.len()),
            unknown: Vec::new(),
        }
    }

    /// Sets a column; null values are ignored; a later set of the same column wins.
    pub fn set(&mut self, column: &'static str, value: impl Into<V>) -> &mut Row {
        let value = value.into();
        match self.table.columns.iter().position(|c| c.name == column) {
            Some(i) => {
                if value != V::Null {
                    self.cells.retain(|(j, _)| *j != i);
                    self.cells.push((i, value));
                }
            }
            None => self.unknown.push(column),
        }
        self
    }

    /// The value set for `column`, if any.
    pub fn get(&self, column: &str) -> Option<&V> {
        let i = self.table.columns.iter().position(|c| c.name == column)?;
        self.cells.iter().find(|(j, _)| *j == i).map(|(_, v)| v)
    }
}

/// What became of one native record.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Mapped to these rows (one or more, possibly of several tables).
    Rows(Vec<Row>),
    /// Read and understood but not for any table (e.g. an Okta admin event); counted.
    Skip(Cow<'static, str>),
    /// Could not be read: bad JSON, an impossible date in a required field, ...
    Reject {
        /// Why.
        reason: String,
        /// The offending text, if short and not sensitive.
        value: Option<String>,
    },
}

impl Outcome {
    /// A rejection with a reason and no value.
    pub fn reject(reason: impl Into<String>) -> Outcome {
        Outcome::Reject {
            reason: reason.into(),
            value: None,
        }
    }

    /// One row.
    pub fn row(row: Row) -> Outcome {
        Outcome::Rows(vec![row])
    }
}

/// Where a record was found in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loc {
    /// Text line, 1-based (NDJSON, TSV, NACHA).
    Line(u64),
    /// Record number, 1-based: element of a JSON array, event of an `.evtx` file, row of a
    /// Parquet file.
    Record(u64),
}
