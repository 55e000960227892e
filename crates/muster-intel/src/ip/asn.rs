//! IP → autonomous system and IP → country, from ip-location-db CSV files.
//!
//! * [`AsnDb`]: `start_ip,end_ip,asn,org` rows (no header; inclusive ranges; `org` CSV-quoted
//!   when it contains commas), e.g. `@ip-location-db/asn` `asn-ipv4.csv` / `asn-ipv6.csv`.
//! * [`CountryDb`]: `start_ip,end_ip,CC` rows (ISO 3166-1 alpha-2), e.g.
//!   `@ip-location-db/geo-whois-asn-country` `geo-whois-asn-country-ipv4.csv` / `-ipv6.csv`.
//!
//! Both accept plain or gzip files mixing IPv4 and IPv6 rows, and answer with one short binary
//! search. The embedded copies ([`AsnDb::embedded`], [`CountryDb::embedded`]) are parsed once
//! per process on first use (IPv4 and IPv6 files on two threads).
//!
//! ```
//! use muster_intel::ip::{AsnDb, CountryDb};
//!
//! let asn = AsnDb::parse(b"8.8.8.0,8.8.8.255,15169,Google LLC\n", "asn.csv")?;
//! assert_eq!(asn.lookup("8.8.8.8".parse()?), Some((15169, "Google LLC")));
//! let cc = CountryDb::parse(b"2001:db8::,2001:db8::ffff,NL\n", "cc.csv")?;
//! assert_eq!(cc.lookup("2001:db8::1".parse()?), Some("NL"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::Read;
use std::net::{IpAddr, Ipv6Addr};
use std::path::Path;
use std::sync::OnceLock;

use super::segments::{Key, SegTable};
use crate::error::{IntelError, LineError, Result};

/// The DPRK's own autonomous system (Star Joint Venture Co. Ltd., 175.45.176.0/22).
pub const DPRK_ASN: u32 = 131_279;

const NO_ORG: u32 = u32::MAX;

const ASN_V4: (&str, &[u8]) = (
    "embedded:data/ip/asn-ipv4.csv.gz",
    include_bytes!("../../../../data/ip/asn-ipv4.csv.gz"),
);
const ASN_V6: (&str, &[u8]) = (
    "embedded:data/ip/asn-ipv6.csv.gz",
    include_bytes!("../../../../data/ip/asn-ipv6.csv.gz"),
);
const CC_V4: (&str, &[u8]) = (
    "embedded:data/ip/geo-whois-asn-country-ipv4.csv.gz",
    include_bytes!("../../../../data/ip/geo-whois-asn-country-ipv4.csv.gz"),
);
const CC_V6: (&str, &[u8]) = (
    "embedded:data/ip/geo-whois-asn-country-ipv6.csv.gz",
    include_bytes!("../../../../data/ip/geo-whois-asn-country-ipv6.csv.gz"),
);

/// Rows of one address family, before the table is built.
#[derive(Debug, Default)]
struct Rows<K, V> {
    rows: Vec<(K, K, V)>,
}

/// A small multiply-rotate hasher for the parse-time interner (keys are trusted-size strings;
/// collisions only cost time).
#[derive(Debug, Default, Clone, Copy)]
struct FastHasher(u64);

impl Hasher for FastHasher {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let mut w = [0u8; 8];
        let rest = chunks.remainder();
        w[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(w) ^ (bytes.len() as u64));
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
}

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// Organisation names, deduplicated.
#[derive(Debug, Default)]
struct Interner {
    names: Vec<Box<str>>,
    ids: HashMap<Box<str>, u32, BuildHasherDefault<FastHasher>>,
}

impl Interner {
    fn intern(&mut self, name: &str) -> u32 {
        if name.is_empty() {
            return NO_ORG;
        }
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = u32::try_from(self.names.len()).unwrap_or(NO_ORG);
        if id != NO_ORG {
            self.names.push(name.into());
            self.ids.insert(name.into(), id);
        }
        id
    }
}

/// ASN rows of one family plus their organisation names.
#[derive(Debug, Default)]
struct AsnPart<K> {
    rows: Rows<K, (u32, u32)>,
    orgs: Interner,
}

impl<K: Key> AsnPart<K> {
    /// Moves `other`'s rows in, re-interning their organisation names.
    fn absorb(&mut self, other: AsnPart<K>) {
        if self.rows.rows.is_empty() && self.orgs.names.is_empty() {
            *self = other;
            return;
        }
        for (s, e, (asn, org)) in other.rows.rows {
            let name = other.orgs.names.get(org as usize).map_or("", |n| &**n);
            let org = self.orgs.intern(name);
            self.rows.rows.push((s, e, (asn, org)));
        }
    }

    fn build(self) -> AsnTable<K> {
        AsnTable {
            table: SegTable::build(self.rows.rows),
            orgs: self.orgs.names,
        }
    }
}

#[derive(Debug, Clone, Default)]
struct AsnTable<K> {
    table: SegTable<K, (u32, u32)>,
    orgs: Vec<Box<str>>,
}

impl<K: Key> AsnTable<K> {
    #[inline]
    fn get(&self, x: K) -> Option<(u32, &str)> {
        let &(asn, org) = self.table.get(x)?;
        Some((asn, self.orgs.get(org as usize).map_or("", |n| &**n)))
    }
}

/// IP address → (AS number, AS organisation), IPv4 and IPv6.
#[derive(Debug, Clone, Default)]
pub struct AsnDb {
    v4: AsnTable<u32>,
    v6: AsnTable<u128>,
    skipped: Vec<LineError>,
}

impl AsnDb {
    /// The embedded `@ip-location-db/asn` data (RouteViews, DB-IP, NRO; CC BY 4.0), parsed on
    /// first use. Embedded lines that fail to parse are skipped (see [`AsnDb::skipped`]).
    pub fn embedded() -> &'static AsnDb {
        static DB: OnceLock<AsnDb> = OnceLock::new();
        DB.get_or_init(|| embedded_pair::<AsnParts>(ASN_V4, ASN_V6))
    }

    /// Parses ASN CSV text (plain or gzip bytes). Strict: any invalid line fails the whole
    /// parse with [`IntelError::InvalidLines`] listing every bad line; a corrupt gzip stream
    /// is [`IntelError::Io`]. `label` names the source in errors.
    pub fn parse(bytes: &[u8], label: &str) -> Result<AsnDb> {
        strict::<AsnParts>(bytes, label).map(Parts::build)
    }

    /// Reads and strictly parses one or more ASN files (plain or `.gz`; any mix of IPv4 and
    /// IPv6 rows), e.g. `asn-ipv4.csv.gz` and `asn-ipv6.csv.gz` of a newer ip-location-db.
    pub fn from_paths<P: AsRef<Path>>(paths: &[P]) -> Result<AsnDb> {
        from_paths::<AsnParts, P>(paths)
    }

    /// The AS number and organisation (`""` when the file has none) announcing `ip`.
    /// IPv4-mapped IPv6 addresses are looked up as IPv4.
    #[inline]
    pub fn lookup(&self, ip: IpAddr) -> Option<(u32, &str)> {
        match canonical(ip) {
            IpAddr::V4(a) => self.v4.get(u32::from(a)),
            IpAddr::V6(a) => self.v6.get(u128::from(a)),
        }
    }

    /// Number of `(IPv4, IPv6)` ranges after merging.
    pub fn len(&self) -> (usize, usize) {
        (self.v4.table.len(), self.v6.table.len())
    }

    /// Whether the database has no ranges.
    pub fn is_empty(&self) -> bool {
        self.len() == (0, 0)
    }

    /// Lines skipped while loading the embedded data (always empty for [`AsnDb::parse`] and
    /// [`AsnDb::from_paths`], which fail instead).
    pub fn skipped(&self) -> &[LineError] {
        &self.skipped
    }
}

/// The rows of an ip-location-db database being parsed (ASN or country): one file's worth, or
/// several absorbed into one, with the lines that failed.
trait Parts: Default + Send {
    /// The finished database.
    type Db;
    /// Parses one file (plain or gzip bytes), collecting bad lines.
    fn parse(bytes: &[u8], label: &str) -> Result<Self>;
    /// The bad lines so far.
    fn errors(&mut self) -> &mut Vec<LineError>;
    /// Adds another file's rows.
    fn absorb(&mut self, other: Self);
    /// Sorts and merges the rows into lookup tables.
    fn build(self) -> Self::Db;
}

/// Parses the embedded IPv4 and IPv6 files on two threads; bad lines are kept as `skipped`.
fn embedded_pair<P: Parts>(v4: (&str, &[u8]), v6: (&str, &[u8])) -> P::Db {
    let lenient = |(label, bytes): (&str, &[u8])| {
        P::parse(bytes, label).unwrap_or_else(|e| {
            let mut p = P::default();
            p.errors().push(LineError::new(label, 0, "", e.to_string()));
            p
        })
    };
    let parts = std::thread::scope(|scope| {
        let other = scope.spawn(move || lenient(v6));
        let mut parts = lenient(v4);
        match other.join() {
            Ok(p) => parts.absorb(p),
            Err(_) => parts
                .errors()
                .push(LineError::new(v6.0, 0, "", "parser thread failed")),
        }
        parts
    });
    parts.build()
}

/// Parses one file strictly: any bad line fails it with every bad line listed.
fn strict<P: Parts>(bytes: &[u8], label: &str) -> Result<P> {
    let mut parts = P::parse(bytes, label)?;
    if parts.errors().is_empty() {
        Ok(parts)
    } else {
        Err(IntelError::InvalidLines {
            file: label.to_string(),
            errors: std::mem::take(parts.errors()),
        })
    }
}

/// Reads and strictly parses several files into one database.
fn from_paths<P: Parts, Q: AsRef<Path>>(paths: &[Q]) -> Result<P::Db> {
    let mut all = P::default();
    for path in paths {
        let path = path.as_ref();
        let label = path.display().to_string();
        let bytes = read_raw(path, &label)?;
        all.absorb(strict::<P>(&bytes, &label)?);
    }
    Ok(all.build())
}

#[derive(Debug, Default)]
struct AsnParts {
    v4: AsnPart<u32>,
    v6: AsnPart<u128>,
    errors: Vec<LineError>,
}

impl Parts for AsnParts {
    type Db = AsnDb;

    fn parse(bytes: &[u8], label: &str) -> Result<Self> {
        parse_asn_bytes(bytes, label)
    }

    fn errors(&mut self) -> &mut Vec<LineError> {
        &mut self.errors
    }

    fn absorb(&mut self, other: AsnParts) {
        self.v4.absorb(other.v4);
        self.v6.absorb(other.v6);
        self.errors.extend(other.errors);
    }

    fn build(self) -> AsnDb {
        AsnDb {
            v4: self.v4.build(),
            v6: self.v6.build(),
            skipped: self.errors,
        }
    }
}

fn parse_asn_bytes(bytes: &[u8], label: &str) -> Result<AsnParts> {
    let mut parts = AsnParts::default();
    for_each_line(bytes, label, |n, line| {
        let (start, end, rest) = match split_range(line) {
            Ok(x) => x,
            Err(reason) => {
                if n > 1 || !is_header(line) {
                    parts.errors.push(line_error(label, n, line, reason));
                }
                return;
            }
        };
        let (asn_field, org_field) = match rest.iter().position(|&b| b == b',') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &b""[..]),
        };
        let Some(asn) = parse_asn(asn_field) else {
            if n > 1 || !is_header(line) {
                let reason = format!("invalid AS number {:?}", lossy(asn_field));
                parts.errors.push(line_error(label, n, line, reason));
            }
            return;
        };
        let org = unquote(org_field);
        match (start, end) {
            (Addr::V4(s), Addr::V4(e)) if s <= e => {
                let org = parts.v4.orgs.intern(&org);
                parts.v4.rows.rows.push((s, e, (asn, org)));
            }
            (Addr::V6(s), Addr::V6(e)) if s <= e => {
                let org = parts.v6.orgs.intern(&org);
                parts.v6.rows.rows.push((s, e, (asn, org)));
            }
            _ => parts.errors.push(line_error(
                label,
                n,
                line,
                "invalid range (mixed families or start > end)",
            )),
        }
    })?;
    Ok(parts)
}

/// IP address → ISO 3166-1 alpha-2 country code, IPv4 and IPv6.
///
/// Note: registry/WHOIS country is where a network is registered, not where its user sits;
/// `@ip-location-db/geo-whois-asn-country` also carries self-declared geofeed ranges (e.g. a
/// few tiny ranges claiming `KP` that are not DPRK networks).
#[derive(Debug, Clone, Default)]
pub struct CountryDb {
    v4: SegTable<u32, [u8; 2]>,
    v6: SegTable<u128, [u8; 2]>,
    skipped: Vec<LineError>,
}

#[derive(Debug, Default)]
struct CountryParts {
    v4: Rows<u32, [u8; 2]>,
    v6: Rows<u128, [u8; 2]>,
    errors: Vec<LineError>,
}

impl Parts for CountryParts {
    type Db = CountryDb;

    fn parse(bytes: &[u8], label: &str) -> Result<Self> {
        parse_country_bytes(bytes, label)
    }

    fn errors(&mut self) -> &mut Vec<LineError> {
        &mut self.errors
    }

    fn absorb(&mut self, other: CountryParts) {
        if self.v4.rows.is_empty() {
            self.v4 = other.v4;
        } else {
            self.v4.rows.extend(other.v4.rows);
        }
        if self.v6.rows.is_empty() {
            self.v6 = other.v6;
        } else {
            self.v6.rows.extend(other.v6.rows);
        }
        self.errors.extend(other.errors);
    }

    fn build(self) -> CountryDb {
        CountryDb {
            v4: SegTable::build(self.v4.rows),
            v6: SegTable::build(self.v6.rows),
            skipped: self.errors,
        }
    }
}

impl CountryDb {
    /// The embedded `@ip-location-db/geo-whois-asn-country` data (NRO; CC BY 4.0), parsed on
    /// first use. Embedded lines that fail to parse are skipped (see [`CountryDb::skipped`]).
    pub fn embedded() -> &'static CountryDb {
        static DB: OnceLock<CountryDb> = OnceLock::new();
        DB.get_or_init(|| embedded_pair::<CountryParts>(CC_V4, CC_V6))
    }

    /// Parses country CSV text (plain or gzip bytes) strictly; see [`AsnDb::parse`].
    pub fn parse(bytes: &[u8], label: &str) -> Result<CountryDb> {
        strict::<CountryParts>(bytes, label).map(Parts::build)
    }

    /// Reads and strictly parses one or more country files (plain or `.gz`, IPv4 and/or IPv6).
    pub fn from_paths<P: AsRef<Path>>(paths: &[P]) -> Result<CountryDb> {
        from_paths::<CountryParts, P>(paths)
    }

    /// The country code (upper case, e.g. `"US"`) of `ip`. IPv4-mapped IPv6 addresses are
    /// looked up as IPv4.
    #[inline]
    pub fn lookup(&self, ip: IpAddr) -> Option<&str> {
        let cc = match canonical(ip) {
            IpAddr::V4(a) => self.v4.get(u32::from(a)),
            IpAddr::V6(a) => self.v6.get(u128::from(a)),
        }?;
        std::str::from_utf8(cc).ok()
    }

    /// Number of `(IPv4, IPv6)` ranges after merging.
    pub fn len(&self) -> (usize, usize) {
        (self.v4.len(), self.v6.len())
    }

    /// Whether the database has no ranges.
    pub fn is_empty(&self) -> bool {
        self.len() == (0, 0)
    }

    /// Lines skipped while loading the embedded data (always empty for strict loads).
    pub fn skipped(&self) -> &[LineError] {
        &self.skipped
    }
}

fn parse_country_bytes(bytes: &[u8], label: &str) -> Result<CountryParts> {
    let mut parts = CountryParts::default();
    for_each_line(bytes, label, |n, line| {
        let (start, end, rest) = match split_range(line) {
            Ok(x) => x,
            Err(reason) => {
                if n > 1 || !is_header(line) {
                    parts.errors.push(line_error(label, n, line, reason));
                }
                return;
            }
        };
        let cc_field = match rest.iter().position(|&b| b == b',') {
            Some(i) => &rest[..i],
            None => rest,
        };
        let cc = match unquote(cc_field).as_bytes() {
            &[a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
                [a.to_ascii_uppercase(), b.to_ascii_uppercase()]
            }
            _ => {
                if n > 1 || !is_header(line) {
                    let reason = format!("invalid country code {:?}", lossy(cc_field));
                    parts.errors.push(line_error(label, n, line, reason));
                }
                return;
            }
        };
        match (start, end) {
            (Addr::V4(s), Addr::V4(e)) if s <= e => parts.v4.rows.push((s, e, cc)),
            (Addr::V6(s), Addr::V6(e)) if s <= e => parts.v6.rows.push((s, e, cc)),
            _ => parts.errors.push(line_error(
                label,
                n,
                line,
                "invalid range (mixed families or start > end)",
            )),
        }
    })?;
    Ok(parts)
}

/// Reads a file's raw bytes (gzip is decompressed while parsing).
fn read_raw(path: &Path, label: &str) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| IntelError::io(label, e))
}

/// IPv4-mapped IPv6 (`::ffff:a.b.c.d`) as IPv4; everything else unchanged.
#[inline]
pub(crate) fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(a) => match a.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => ip,
        },
        v4 => v4,
    }
}

/// Calls `f(line_number, line)` for every non-blank, non-comment line of `bytes` (plain, or
/// gzip decompressed on the fly in chunks), with surrounding whitespace trimmed. A corrupt or
/// truncated gzip stream is an [`IntelError::Io`] naming `label`.
fn for_each_line(bytes: &[u8], label: &str, mut f: impl FnMut(usize, &[u8])) -> Result<()> {
    let mut n = 0usize;
    let mut emit = |line: &[u8]| {
        n += 1;
        let line = if n == 1 {
            line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line)
        } else {
            line
        };
        let line = line.trim_ascii();
        if !line.is_empty() && line.first() != Some(&b'#') {
            f(n, line);
        }
    };
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        if !bytes.is_empty() {
            body.split(|&b| b == b'\n').for_each(&mut emit);
        }
        return Ok(());
    }
    const CHUNK: usize = 1 << 20;
    let mut decoder = flate2::read::MultiGzDecoder::new(bytes);
    let mut buf = vec![0u8; CHUNK];
    let mut filled = 0usize;
    loop {
        if filled == buf.len() {
            // A line longer than the buffer: grow.
            buf.resize(buf.len() * 2, 0);
        }
        let got = match decoder.read(buf.get_mut(filled..).unwrap_or_default()) {
            Ok(got) => got,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(IntelError::io(label, e)),
        };
        if got == 0 {
            if let Some(rest) = buf.get(..filled)
                && !rest.is_empty()
            {
                emit(rest);
            }
            return Ok(());
        }
        filled += got;
        let data = buf.get(..filled).unwrap_or_default();
        let Some(last_nl) = data.iter().rposition(|&b| b == b'\n') else {
            continue;
        };
        data.get(..last_nl)
            .unwrap_or_default()
            .split(|&b| b == b'\n')
            .for_each(&mut emit);
        buf.copy_within(last_nl + 1..filled, 0);
        filled -= last_nl + 1;
    }
}

/// A parsed address: IPv4 as `u32`, IPv6 as `u128`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Addr {
    V4(u32),
    V6(u128),
}

/// Splits `start,end,rest` and parses both addresses.
fn split_range(line: &[u8]) -> Result<(Addr, Addr, &[u8]), String> {
    let fields = line.iter().position(|&b| b == b',').and_then(|i| {
        let (start, tail) = (line.get(..i)?, line.get(i + 1..)?);
        let j = tail.iter().position(|&b| b == b',')?;
        Some((start, tail.get(..j)?, tail.get(j + 1..)?))
    });
    let Some((start, end, rest)) = fields else {
        return Err("expected at least 3 comma-separated fields".to_string());
    };
    let s = parse_addr(start)
        .ok_or_else(|| format!("invalid IP address {:?}", lossy(start.trim_ascii())))?;
    let e = parse_addr(end)
        .ok_or_else(|| format!("invalid IP address {:?}", lossy(end.trim_ascii())))?;
    Ok((s, e, rest))
}

fn is_header(line: &[u8]) -> bool {
    line.first().is_some_and(|b| b.is_ascii_alphabetic())
}

fn parse_addr(field: &[u8]) -> Option<Addr> {
    let field = field.trim_ascii();
    if let Some(v4) = parse_v4(field) {
        return Some(Addr::V4(v4));
    }
    if field.contains(&b':') {
        let text = std::str::from_utf8(field).ok()?;
        let text = text
            .strip_prefix('[')
            .and_then(|t| t.strip_suffix(']'))
            .unwrap_or(text);
        return text
            .parse::<Ipv6Addr>()
            .ok()
            .map(|a| Addr::V6(u128::from(a)));
    }
    None
}

/// Dotted-quad IPv4 parse accepting exactly what `std` accepts (four decimal octets, no
/// leading zeros, each <= 255).
#[inline]
pub(crate) fn parse_v4(b: &[u8]) -> Option<u32> {
    let mut out: u32 = 0;
    let mut dots = 0u32;
    let mut cur: u32 = 0;
    let mut digits = 0u32;
    for &c in b {
        match c {
            b'0'..=b'9' => {
                if digits == 3 || (digits == 1 && cur == 0) {
                    return None;
                }
                cur = cur * 10 + u32::from(c - b'0');
                digits += 1;
            }
            b'.' => {
                if digits == 0 || cur > 255 || dots == 3 {
                    return None;
                }
                out = (out << 8) | cur;
                dots += 1;
                cur = 0;
                digits = 0;
            }
            _ => return None,
        }
    }
    if digits == 0 || cur > 255 || dots != 3 {
        return None;
    }
    Some((out << 8) | cur)
}

fn parse_asn(field: &[u8]) -> Option<u32> {
    let field = unquote(field);
    let t = field.trim();
    let t = t
        .strip_prefix("AS")
        .or_else(|| t.strip_prefix("as"))
        .unwrap_or(t);
    t.parse().ok()
}

/// Trims a CSV field and removes its quotes (`""` inside quotes is one `"`).
fn unquote(field: &[u8]) -> std::borrow::Cow<'_, str> {
    let f = field.trim_ascii();
    match f.strip_prefix(b"\"") {
        Some(inner) => {
            let inner = inner.strip_suffix(b"\"").unwrap_or(inner);
            let s = lossy(inner);
            if s.contains("\"\"") {
                std::borrow::Cow::Owned(s.replace("\"\"", "\""))
            } else {
                s
            }
        }
        None => lossy(f),
    }
}

fn lossy(b: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(b)
}

fn line_error(label: &str, n: usize, line: &[u8], reason: impl Into<String>) -> LineError {
    LineError::new(label, n, &lossy(line), reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn v4_parse_edges() {
        assert_eq!(parse_v4(b"0.0.0.0"), Some(0));
        assert_eq!(parse_v4(b"255.255.255.255"), Some(u32::MAX));
        assert_eq!(parse_v4(b"1.2.3.4"), Some(0x0102_0304));
        for bad in [
            &b""[..],
            b"1.2.3",
            b"1.2.3.4.5",
            b"256.1.1.1",
            b"01.2.3.4",
            b"1..2.3",
            b"1.2.3.",
            b".1.2.3",
            b"1.2.3.4 ",
            b"1000.1.1.1",
        ] {
            assert_eq!(parse_v4(bad), None, "{:?}", lossy(bad));
        }
    }

    #[test]
    fn quoted_org_and_errors() {
        let db = AsnDb::parse(
            b"1.0.64.0,1.0.127.255,18144,\"Enecom,Inc.\"\n2001:200::,2001:200:ff::,2500,\"A \"\"B\"\"\"\n",
            "t",
        )
        .unwrap();
        assert_eq!(
            db.lookup("1.0.100.1".parse().unwrap()),
            Some((18144, "Enecom,Inc."))
        );
        assert_eq!(
            db.lookup("2001:200::5".parse().unwrap()),
            Some((2500, "A \"B\""))
        );
        let err = AsnDb::parse(b"1.0.0.0,1.0.0.255,13335,X\n1.0.0.0,nope,1,Y\n2.0.0.9,2.0.0.1,1,Z\n3.0.0.0,3.0.0.1,ASx,Z\n1.2.3.4\n", "f.csv").unwrap_err();
        let lines: Vec<usize> = err.line_errors().iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 3, 4, 5]);
        assert!(err.to_string().starts_with("f.csv: 4 invalid line(s)"));
        let err = CountryDb::parse(b"start_ip,end_ip,country\n1.0.0.0,1.0.0.255,USA\n", "c.csv")
            .unwrap_err();
        assert_eq!(err.line_errors()[0].line, 2);
    }

    proptest! {
        #[test]
        fn v4_parse_agrees_with_std(s in "[0-9.]{0,17}") {
            let std = s.parse::<std::net::Ipv4Addr>().ok().map(u32::from);
            prop_assert_eq!(parse_v4(s.as_bytes()), std);
        }

        #[test]
        fn v4_parse_roundtrip(x in any::<u32>()) {
            let s = std::net::Ipv4Addr::from(x).to_string();
            prop_assert_eq!(parse_v4(s.as_bytes()), Some(x));
        }

        #[test]
        fn parsers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = AsnDb::parse(&bytes, "fuzz");
            let _ = CountryDb::parse(&bytes, "fuzz");
        }

        #[test]
        fn csv_like_never_panics(lines in proptest::collection::vec("[0-9a-fA-F:.,\" AS]{0,40}", 0..10)) {
            let text = lines.join("\n");
            let _ = AsnDb::parse(text.as_bytes(), "fuzz");
            let _ = CountryDb::parse(text.as_bytes(), "fuzz");
        }
    }
}
