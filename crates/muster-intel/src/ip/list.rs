//! User-supplied address lists (`corporate_egress.txt`, known-bad lists).

use std::io::Read;
use std::net::IpAddr;
use std::path::Path;

use super::table::{IntervalBuilder, RangeTables, parse_range};
use crate::error::{IntelError, LineError, Result};
use crate::util::{read_all_maybe_gz, read_path, utf8_lossy};

/// A set of IPv4/IPv6 addresses and networks read from a text list.
///
/// Format: one entry per line, each an address (`192.0.2.7`, `2001:db8::1`), a CIDR block
/// (`198.51.100.0/24`, `2001:db8::/32`; host bits are ignored) or an inclusive range
/// (`192.0.2.10 - 192.0.2.20`). `#` starts a comment (whole-line or trailing); blank lines are
/// ignored. Membership tests are a binary search over merged ranges.
///
/// ```
/// use muster_intel::ip::IpList;
///
/// let list = IpList::parse("# offices\n203.0.113.0/24\n2001:db8::1 # VPN\n", "egress.txt")?;
/// assert!(list.contains("203.0.113.9".parse()?));
/// assert!(!list.contains("198.51.100.1".parse()?));
///
/// let err = IpList::parse("10.0.0.0/8\nnot-an-ip\n", "egress.txt").unwrap_err();
/// assert_eq!(err.line_errors()[0].line, 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct IpList {
    tables: RangeTables,
    entries: usize,
}

impl IpList {
    /// Parses `text` strictly: any invalid line makes the whole parse fail with
    /// [`IntelError::InvalidLines`], which lists every bad line with its 1-based number.
    /// `label` names the source in error messages (usually the file name).
    pub fn parse(text: &str, label: &str) -> Result<IpList> {
        let (list, errors) = Self::parse_lenient(text, label);
        if errors.is_empty() {
            Ok(list)
        } else {
            Err(IntelError::InvalidLines {
                file: label.to_string(),
                errors,
            })
        }
    }

    /// Parses `text`, keeping every valid line and returning the invalid ones alongside.
    pub fn parse_lenient(text: &str, label: &str) -> (IpList, Vec<LineError>) {
        let mut builder = IntervalBuilder::default();
        let mut errors = Vec::new();
        for (idx, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            match parse_range(line) {
                Ok(range) => builder.add(range, 0),
                Err(reason) => errors.push(LineError::new(label, idx + 1, raw, reason)),
            }
        }
        let list = IpList {
            tables: builder.build(),
            entries: builder.len(),
        };
        (list, errors)
    }

    /// Reads and strictly parses a list file (plain or gzip).
    pub fn from_path(path: &Path) -> Result<IpList> {
        let bytes = read_path(path)?;
        Self::parse(&utf8_lossy(&bytes), &path.display().to_string())
    }

    /// Reads and strictly parses a list from any reader (plain or gzip).
    pub fn from_reader(reader: impl Read, label: &str) -> Result<IpList> {
        let bytes = read_all_maybe_gz(reader, label)?;
        Self::parse(&utf8_lossy(&bytes), label)
    }

    /// Whether `ip` is covered by an entry. IPv4-mapped IPv6 addresses match IPv4 entries.
    #[inline]
    pub fn contains(&self, ip: IpAddr) -> bool {
        self.tables.get(ip) != 0
    }

    /// The list as merged, inclusive address ranges (IPv4 first), e.g. to register it as a
    /// table for range joins.
    pub fn ranges(&self) -> impl Iterator<Item = (IpAddr, IpAddr)> + '_ {
        let v4 = self.tables.v4.segments().map(|(a, b)| {
            (
                IpAddr::V4(std::net::Ipv4Addr::from(a)),
                IpAddr::V4(std::net::Ipv4Addr::from(b)),
            )
        });
        let v6 = self.tables.v6.segments().map(|(a, b)| {
            (
                IpAddr::V6(std::net::Ipv6Addr::from(a)),
                IpAddr::V6(std::net::Ipv6Addr::from(b)),
            )
        });
        v4.chain(v6)
    }

    /// The merged range tables.
    pub(crate) fn tables(&self) -> &RangeTables {
        &self.tables
    }

    /// Number of valid entries (lines) read.
    pub fn len(&self) -> usize {
        self.entries
    }

    /// Whether the list has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries == 0
    }
}
