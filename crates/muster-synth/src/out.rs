//! Output: a reusable row buffer with allocation-free formatting of timestamps, addresses and
//! numbers, and one buffered CSV writer per contract table.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use muster_contract::TABLES;

use crate::SynthError;

/// The twelve contract tables, in contract order (indices into [`TABLES`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum T {
    People = 0,
    Accounts,
    Devices,
    Signins,
    Presence,
    Processes,
    Software,
    Peripherals,
    Displays,
    Network,
    Payroll,
    Activity,
}

/// Number of contract tables.
pub(crate) const N_TABLES: usize = 12;

/// Days since 1970-01-01 -> (year, month, day). Howard Hinnant's algorithm.
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// (year, month, day) -> days since 1970-01-01.
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// One CSV row under construction: field bytes and field ends.
#[derive(Debug, Default)]
pub(crate) struct RowBuf {
    buf: Vec<u8>,
    ends: Vec<usize>,
}

const HEX: &[u8; 16] = b"0123456789abcdef";
const HEX_UP: &[u8; 16] = b"0123456789ABCDEF";

impl RowBuf {
    /// Empties the row.
    #[inline]
    pub fn clear(&mut self) -> &mut Self {
        self.buf.clear();
        self.ends.clear();
        self
    }
    /// Closes the current field.
    #[inline]
    pub fn end(&mut self) -> &mut Self {
        self.ends.push(self.buf.len());
        self
    }
    /// Number of fields.
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    /// Field slices.
    pub fn fields(&self) -> impl Iterator<Item = &[u8]> {
        let mut start = 0;
        self.ends.iter().map(move |&e| {
            let f = &self.buf[start..e];
            start = e;
            f
        })
    }
    /// Text field.
    #[inline]
    pub fn s(&mut self, v: &str) -> &mut Self {
        self.buf.extend_from_slice(v.as_bytes());
        self.end()
    }
    /// Optional text field.
    #[inline]
    pub fn opt(&mut self, v: Option<&str>) -> &mut Self {
        if let Some(v) = v {
            self.buf.extend_from_slice(v.as_bytes());
        }
        self.end()
    }
    /// Empty (null) field.
    #[inline]
    pub fn null(&mut self) -> &mut Self {
        self.end()
    }
    /// `n` empty fields.
    #[inline]
    pub fn nulls(&mut self, n: usize) -> &mut Self {
        for _ in 0..n {
            self.end();
        }
        self
    }
    /// Unsigned integer field.
    #[inline]
    pub fn u(&mut self, v: u64) -> &mut Self {
        self.raw_u(v);
        self.end()
    }
    /// Timestamp field, RFC 3339 UTC with `Z`.
    #[inline]
    pub fn ts(&mut self, t: i64) -> &mut Self {
        self.raw_ts(t);
        self.end()
    }
    /// Date field `YYYY-MM-DD` from days since the epoch.
    #[inline]
    pub fn date(&mut self, days: i64) -> &mut Self {
        self.raw_date(days);
        self.end()
    }
    /// IPv4 field.
    #[inline]
    pub fn ip(&mut self, ip: u32) -> &mut Self {
        self.raw_ip(ip);
        self.end()
    }
    /// Decimal field with `dec` decimals (0..=6).
    #[inline]
    pub fn fixed(&mut self, v: f64, dec: u32) -> &mut Self {
        self.raw_fixed(v, dec);
        self.end()
    }
    /// Boolean field `true`/`false`.
    #[inline]
    pub fn bool(&mut self, v: bool) -> &mut Self {
        self.s(if v { "true" } else { "false" })
    }

    /// Appends text without closing the field.
    #[inline]
    pub fn raw(&mut self, v: &str) -> &mut Self {
        self.buf.extend_from_slice(v.as_bytes());
        self
    }
    /// Appends one byte.
    #[inline]
    pub fn raw_byte(&mut self, b: u8) -> &mut Self {
        self.buf.push(b);
        self
    }
    /// Appends an unsigned integer.
    #[inline]
    pub fn raw_u(&mut self, mut v: u64) -> &mut Self {
        let mut tmp = [0u8; 20];
        let mut i = tmp.len();
        loop {
            i -= 1;
            tmp[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        self.buf.extend_from_slice(&tmp[i..]);
        self
    }
    /// Appends an unsigned integer zero-padded to `width` digits.
    #[inline]
    pub fn raw_u_pad(&mut self, v: u64, width: usize) -> &mut Self {
        let mut tmp = [b'0'; 20];
        let mut x = v;
        let mut i = tmp.len();
        while x > 0 && i > 0 {
            i -= 1;
            tmp[i] = b'0' + (x % 10) as u8;
            x /= 10;
        }
        let digits = tmp.len() - i;
        let w = width.clamp(digits.max(1), 20);
        self.buf.extend_from_slice(&tmp[tmp.len() - w..]);
        self
    }
    /// Appends `width` lowercase hex digits of `v` (low digits).
    #[inline]
    pub fn raw_hex(&mut self, v: u64, width: usize) -> &mut Self {
        for k in (0..width.min(16)).rev() {
            self.buf.push(HEX[((v >> (4 * k)) & 0xf) as usize]);
        }
        self
    }
    /// Appends `width` uppercase hex digits of `v`.
    #[inline]
    pub fn raw_hex_up(&mut self, v: u64, width: usize) -> &mut Self {
        for k in (0..width.min(16)).rev() {
            self.buf.push(HEX_UP[((v >> (4 * k)) & 0xf) as usize]);
        }
        self
    }
    /// Appends a timestamp.
    #[inline]
    pub fn raw_ts(&mut self, t: i64) -> &mut Self {
        let days = t.div_euclid(86_400);
        let sod = t.rem_euclid(86_400) as u64;
        self.raw_date(days);
        self.buf.push(b'T');
        self.two(sod / 3600);
        self.buf.push(b':');
        self.two((sod / 60) % 60);
        self.buf.push(b':');
        self.two(sod % 60);
        self.buf.push(b'Z');
        self
    }
    /// Appends a date.
    #[inline]
    pub fn raw_date(&mut self, days: i64) -> &mut Self {
        let (y, m, d) = civil_from_days(days);
        self.raw_u_pad(y.clamp(0, 9999) as u64, 4);
        self.buf.push(b'-');
        self.two(u64::from(m));
        self.buf.push(b'-');
        self.two(u64::from(d));
        self
    }
    #[inline]
    fn two(&mut self, v: u64) {
        self.buf.push(b'0' + (v / 10 % 10) as u8);
        self.buf.push(b'0' + (v % 10) as u8);
    }
    /// Appends a dotted-quad IPv4 address.
    #[inline]
    pub fn raw_ip(&mut self, ip: u32) -> &mut Self {
        for k in (0..4).rev() {
            self.raw_u(u64::from((ip >> (8 * k)) & 0xff));
            if k > 0 {
                self.buf.push(b'.');
            }
        }
        self
    }
    /// Appends a decimal number with `dec` decimals.
    #[inline]
    pub fn raw_fixed(&mut self, v: f64, dec: u32) -> &mut Self {
        let dec = dec.min(6);
        let scale = 10u64.pow(dec);
        let neg = v < 0.0;
        let x = (v.abs() * scale as f64).round() as u64;
        if neg && x > 0 {
            self.buf.push(b'-');
        }
        self.raw_u(x / scale);
        if dec > 0 {
            self.buf.push(b'.');
            self.raw_u_pad(x % scale, dec as usize);
        }
        self
    }
    /// Appends a MAC-style BSSID `aa:bb:cc:dd:ee:ff` from the low 48 bits.
    #[inline]
    pub fn raw_mac(&mut self, v: u64) -> &mut Self {
        for k in (0..6).rev() {
            self.raw_hex(v >> (8 * k), 2);
            if k > 0 {
                self.buf.push(b':');
            }
        }
        self
    }
}

/// One output table.
struct TableWriter {
    w: csv::Writer<BufWriter<File>>,
    rows: u64,
    path: PathBuf,
    ncols: usize,
}

/// The writers of all contract tables plus the shared row buffer.
pub(crate) struct Sink {
    tables: Vec<TableWriter>,
    /// The row being built; [`Sink::emit`] writes it.
    pub row: RowBuf,
}

fn csv_err(path: &Path, e: csv::Error) -> SynthError {
    SynthError::Csv {
        path: path.to_path_buf(),
        source: e,
    }
}

/// Creates a buffered CSV writer at `path`.
pub(crate) fn csv_writer(path: &Path) -> Result<csv::Writer<BufWriter<File>>, SynthError> {
    let f = File::create(path).map_err(|e| SynthError::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    Ok(csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(BufWriter::with_capacity(1 << 18, f)))
}

impl Sink {
    /// Creates `<dir>/<table>.csv` for every contract table and writes the headers.
    pub fn create(dir: &Path) -> Result<Self, SynthError> {
        let mut tables = Vec::with_capacity(N_TABLES);
        for t in TABLES.iter().take(N_TABLES) {
            let path = dir.join(format!("{}.csv", t.name));
            let mut w = csv_writer(&path)?;
            w.write_record(t.columns.iter().map(|c| c.name))
                .map_err(|e| csv_err(&path, e))?;
            tables.push(TableWriter {
                w,
                rows: 0,
                path,
                ncols: t.columns.len(),
            });
        }
        if tables.len() != N_TABLES {
            return Err(SynthError::Data(format!(
                "contract has {} tables, expected {N_TABLES}",
                tables.len()
            )));
        }
        Ok(Sink {
            tables,
            row: RowBuf::default(),
        })
    }

    /// Writes the current row to table `t` and clears it.
    #[inline]
    pub fn emit(&mut self, t: T) -> Result<(), SynthError> {
        let tw = &mut self.tables[t as usize];
        if self.row.len() != tw.ncols {
            return Err(SynthError::Internal(format!(
                "row for {} has {} fields, expected {}",
                tw.path.display(),
                self.row.len(),
                tw.ncols
            )));
        }
        tw.w.write_record(self.row.fields())
            .map_err(|e| csv_err(&tw.path, e))?;
        tw.rows += 1;
        self.row.clear();
        Ok(())
    }

    /// Rows written so far, per table in contract order.
    pub fn rows(&self) -> Vec<(&'static str, u64)> {
        TABLES
            .iter()
            .zip(&self.tables)
            .map(|(t, w)| (t.name, w.rows))
            .collect()
    }

    /// Rows written so far, all tables.
    pub fn total_rows(&self) -> u64 {
        self.tables.iter().map(|t| t.rows).sum()
    }

    /// Flushes every writer.
    pub fn finish(mut self) -> Result<Vec<(&'static str, u64)>, SynthError> {
        for t in &mut self.tables {
            t.w.flush().map_err(|e| SynthError::Io {
                path: t.path.clone(),
                source: e,
            })?;
        }
        Ok(self.rows())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let mut r = RowBuf::default();
        r.ts(1_788_220_800)
            .ip(0x0a00_0102)
            .fixed(-73.98765, 4)
            .fixed(0.5, 0)
            .date(0);
        r.raw_mac(0xa040_a012_3456)
            .end()
            .raw_u_pad(42, 5)
            .end()
            .raw_hex(0xbeef, 4)
            .end();
        let f: Vec<String> = r
            .fields()
            .map(|b| String::from_utf8(b.to_vec()).unwrap())
            .collect();
        assert_eq!(
            f,
            [
                "2026-09-01T00:00:00Z",
                "10.0.1.2",
                "-73.9877",
                "1",
                "1970-01-01",
                "a0:40:a0:12:34:56",
                "00042",
                "beef"
            ]
        );
        for d in [-1000, 0, 365, 20_697, 30_000] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }
}
