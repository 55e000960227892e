//! NACHA ACH files: 94-character fixed-width records, one per line or run together without
//! line breaks. PPD entry details (consumer payments: payroll direct deposit) become `payroll`
//! rows.
//!
//! Mapping of a PPD entry detail (record type 6):
//! - `time` = the batch's effective entry date (YYMMDD, midnight UTC; the file creation date
//!   when the batch date is blank), `method` = `ach`, `currency` = `USD`.
//! - Transaction codes 22/32 (credit to checking/savings) are `payment`s with a positive
//!   `amount`; 27/37 (debit: money taken back from the account) are `payment`s with a negative
//!   `amount`; prenotes 23/28/33/38 (zero-dollar account validation, sent when an account is set
//!   up) are `account_change`s. Other codes (returns, GL, loan) are skipped with the code.
//! - `person_id` = the individual identification number (positions 40-54), which employers fill
//!   with the employee id. When it is blank the entry is kept with `person_id` =
//!   `nacha-name:<individual name>` so shared-account evidence survives; such ids do not join
//!   `people`.
//! - `bank_routing` = the 8-digit RDFI id plus its check digit; `bank_account` = the DFI account
//!   number (trimmed); `account_holder_name` = the individual name. Both account fields go only
//!   into contract columns (the writer masks `bank_account`); rejection reasons show the last 4
//!   digits only.
//! - An RDFI routing number that fails the ABA check digit (weights 3-7-1) is rejected with the
//!   reason: a payment to an impossible routing number is a data-quality finding to look at.
//! - Entries of other SEC codes (CCD, IAT, WEB, ...) are skipped with the code.
//!
//! Every other record (file header, batch header, addenda, controls) is counted as skipped, or
//! rejected when it is malformed (wrong length, wrong record size field, control totals that do
//! not match the entries read). All-`9` padding records are not records and are not counted.
//! Bytes that are not UTF-8 are read as Latin-1 so one stray byte never stops a file.

use std::io::Read;

use muster_contract::PAYROLL;

use crate::NativeError;
use crate::record::{Loc, Outcome, Row, V};
use crate::source::{Confidence, Input, Sample, Sink, Source};

/// The NACHA reader.
pub struct Nacha;

const LEN: usize = 94;

impl Source for Nacha {
    fn name(&self) -> &'static str {
        "nacha"
    }
    fn title(&self) -> &'static str {
        "NACHA ACH file (PPD payroll entries)"
    }
    fn tables(&self) -> &'static [&'static str] {
        &["payroll"]
    }
    fn sniff(&self, s: &Sample<'_>) -> Option<Confidence> {
        let h = s.head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(s.head);
        if !h.starts_with(b"101") || h.len() < 40 {
            return None;
        }
        // Immediate destination: blank or digit then 9 digits; record size 094 at 35-37.
        let digits = |r: std::ops::Range<usize>| {
            h.get(r)
                .is_some_and(|b| b.iter().all(|c| c.is_ascii_digit() || *c == b' '))
        };
        let first_line = h.split(|&b| b == b'\n').next().unwrap_or(h);
        let fl = first_line.strip_suffix(b"\r").unwrap_or(first_line);
        let size_ok = h.get(34..37) == Some(b"094");
        let second = h.get(LEN..LEN + 1).or_else(|| {
            let i = h.iter().position(|&b| b == b'\n')?;
            h.get(i + 1..i + 2)
        });
        match (
            digits(3..23),
            size_ok,
            fl.len() == LEN || fl.len() > LEN * 2,
        ) {
            (true, true, _) => Some(95),
            (true, false, true) if second == Some(b"5") => Some(80),
            (true, false, _) if second == Some(b"5") => Some(60),
            _ => None,
        }
    }
    fn read(&self, input: &Input, sink: &mut dyn Sink) -> Result<(), NativeError> {
        let mut bytes = Vec::new();
        input
            .reader()?
            .read_to_end(&mut bytes)
            .map_err(|e| NativeError::io(&input.path, e))?;
        let text = decode(&bytes);
        let mut st = State::default();
        let lines: Vec<&str> = text.split('\n').collect();
        let one_block = lines.iter().filter(|l| !l.trim().is_empty()).count() == 1
            && text.trim_end().chars().count() > LEN;
        if one_block {
            // No line breaks: cut every 94 characters.
            let chars: Vec<char> = text.trim_end_matches(['\r', '\n']).chars().collect();
            for (i, chunk) in chars.chunks(LEN).enumerate() {
                let rec: String = chunk.iter().collect();
                if is_padding(&rec) {
                    continue;
                }
                let out = if chunk.len() < LEN && !rec.trim().is_empty() {
                    Outcome::reject(format!(
                        "record is {} characters, not 94 (file truncated?)",
                        chunk.len()
                    ))
                } else if rec.trim().is_empty() {
                    continue;
                } else {
                    st.record(&rec)
                };
                sink.record(Loc::Record(i as u64 + 1), out)?;
            }
        } else {
            for (i, line) in lines.iter().enumerate() {
                let line = line.strip_suffix('\r').unwrap_or(line);
                if line.trim().is_empty() || is_padding(line) {
                    continue;
                }
                let n = line.chars().count();
                let out = if n > LEN && !line.chars().skip(LEN).all(char::is_whitespace) {
                    Outcome::reject(format!("record is {n} characters, not 94"))
                } else if n < LEN && !matches!(line.as_bytes().first(), Some(b'1' | b'9')) {
                    // Headers and the file control end in blank or optional fields that editors
                    // strip; every other record ends in a number, so a short one lost a field.
                    Outcome::reject(format!("record is {n} characters, not 94"))
                } else {
                    let padded: String = line
                        .chars()
                        .chain(std::iter::repeat(' '))
                        .take(LEN)
                        .collect();
                    st.record(&padded)
                };
                sink.record(Loc::Line(i as u64 + 1), out)?;
            }
        }
        Ok(())
    }
}

/// UTF-8 when valid, else Latin-1 (every byte a character).
fn decode(b: &[u8]) -> String {
    match std::str::from_utf8(b) {
        Ok(s) => s.strip_prefix('\u{feff}').unwrap_or(s).to_string(),
        Err(_) => b.iter().map(|&c| char::from(c)).collect(),
    }
}

fn is_padding(rec: &str) -> bool {
    let t = rec.trim_end();
    t.len() >= 10 && t.bytes().all(|b| b == b'9')
}

/// Characters `from..to` (1-based, inclusive, as NACHA documents positions).
fn field(rec: &str, from: usize, to: usize) -> &str {
    // Records are ASCII in practice; with non-ASCII names, index by characters.
    if rec.is_ascii() {
        return rec.get(from - 1..to).unwrap_or("");
    }
    let mut idx = rec
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(rec.len()));
    let start = idx.nth(from - 1).unwrap_or(rec.len());
    let end = rec
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(rec.len()))
        .nth(to)
        .unwrap_or(rec.len());
    rec.get(start..end).unwrap_or("")
}

/// Last 4 characters of a sensitive number, for messages.
fn masked(s: &str) -> String {
    let t = s.trim();
    let n = t.chars().count();
    let tail: String = t.chars().skip(n.saturating_sub(4)).collect();
    format!("…{tail}")
}

/// ABA routing check digit: 3-7-1 weights over 9 digits sum to a multiple of 10.
pub fn aba_valid(routing: &str) -> bool {
    let d: Vec<u32> = routing.chars().filter_map(|c| c.to_digit(10)).collect();
    if d.len() != 9 || routing.chars().count() != 9 {
        return false;
    }
    let w = [3, 7, 1, 3, 7, 1, 3, 7, 1];
    d.iter().zip(w).map(|(a, b)| a * b).sum::<u32>() % 10 == 0
}

/// YYMMDD to midnight UTC microseconds.
fn yymmdd(s: &str) -> Result<i64, String> {
    if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("date {s:?} is not YYMMDD"));
    }
    let yy: u32 = s[..2].parse().map_err(|_| "bad year".to_string())?;
    let century = if yy >= 70 { 19 } else { 20 };
    let iso = format!("{century}{}-{}-{}", &s[..2], &s[2..4], &s[4..6]);
    muster_ingest::time::parse_ts(&iso).map_err(|_| format!("date {s:?} is not a calendar date"))
}

/// Standard Entry Class codes NACHA defines.
const SEC_CODES: &[&str] = &[
    "ACK", "ADV", "ARC", "ATX", "BOC", "CCD", "CIE", "COR", "CTX", "DNE", "ENR", "IAT", "MTE",
    "POP", "POS", "PPD", "RCK", "SHR", "TEL", "TRC", "TRX", "WEB", "XCK",
];

#[derive(Default)]
struct Batch {
    sec: String,
    /// Why the batch header is unusable (its entries are rejected with this).
    invalid: Option<String>,
    effective: Option<i64>,
    bad_date: Option<String>,
    entries: u64,
    addenda: u64,
    hash: u64,
    debit: u64,
    credit: u64,
}

#[derive(Default)]
struct State {
    created: Option<i64>,
    batch: Option<Batch>,
    batches: u64,
    entries: u64,
    debit: u64,
    credit: u64,
}

impl State {
    fn record(&mut self, rec: &str) -> Outcome {
        match rec.as_bytes().first() {
            Some(b'1') => self.file_header(rec),
            Some(b'5') => self.batch_header(rec),
            Some(b'6') => self.entry(rec),
            Some(b'7') => {
                match self.batch.as_mut() {
                    Some(b) => b.addenda += 1,
                    None => return Outcome::reject("addenda record outside a batch"),
                }
                Outcome::Skip("addenda record".into())
            }
            Some(b'8') => self.batch_control(rec),
            Some(b'9') => self.file_control(rec),
            _ => Outcome::reject(format!(
                "unknown record type {:?} (expected 1, 5, 6, 7, 8 or 9)",
                rec.chars().next().unwrap_or(' ')
            )),
        }
    }

    fn file_header(&mut self, rec: &str) -> Outcome {
        if field(rec, 35, 37) != "094" {
            return Outcome::reject(
                "file header: record size field (positions 35-37) is not 094: fields are shifted",
            );
        }
        self.created = yymmdd(field(rec, 24, 29)).ok();
        Outcome::Skip("file header".into())
    }

    fn batch_header(&mut self, rec: &str) -> Outcome {
        let sec = field(rec, 51, 53).trim().to_string();
        let date = field(rec, 70, 75);
        let (effective, bad_date) = if date.trim().is_empty() {
            (self.created, None)
        } else {
            match yymmdd(date) {
                Ok(t) => (Some(t), None),
                Err(e) => (None, Some(e)),
            }
        };
        let invalid = (!SEC_CODES.contains(&sec.as_str())).then(|| {
            format!("batch header: unknown SEC code {sec:?} at positions 51-53 (fields shifted?)")
        });
        self.batches += 1;
        let out = match &invalid {
            Some(r) => Outcome::reject(r.clone()),
            None => Outcome::Skip("batch header".into()),
        };
        self.batch = Some(Batch {
            sec,
            invalid,
            effective,
            bad_date,
            ..Batch::default()
        });
        out
    }

    fn entry(&mut self, rec: &str) -> Outcome {
        let Some(b) = self.batch.as_mut() else {
            return Outcome::reject("entry detail outside a batch (no batch header before it)");
        };
        b.entries += 1;
        self.entries += 1;
        let code = field(rec, 2, 3);
        let rdfi = field(rec, 4, 11);
        let check = field(rec, 12, 12);
        let account = field(rec, 13, 29).trim();
        let amount = field(rec, 30, 39);
        let ind_id = field(rec, 40, 54).trim();
        let name = field(rec, 55, 76).trim();
        if let Ok(h) = rdfi.parse::<u64>() {
            b.hash += h;
        }
        let cents: Option<u64> = if amount.bytes().all(|c| c.is_ascii_digit()) {
            amount.parse().ok()
        } else {
            None
        };
        let Some(cents) = cents else {
            return Outcome::reject("entry detail: amount (positions 30-39) is not a number");
        };
        let (event, sign) = match code {
            "22" | "32" => ("payment", 1i64),
            "27" | "37" => ("payment", -1),
            "23" | "28" | "33" | "38" => ("account_change", 0),
            _ => ("", 0),
        };
        if sign > 0 {
            b.credit += cents;
            self.credit += cents;
        } else if sign < 0 {
            b.debit += cents;
            self.debit += cents;
        }
        if let Some(why) = &b.invalid {
            return Outcome::reject(format!("entry in a batch whose header is unusable ({why})"));
        }
        if event.is_empty() {
            return Outcome::Skip(
                format!("transaction code {code:?} is not a payroll credit, debit or prenote")
                    .into(),
            );
        }
        if b.sec != "PPD" {
            return Outcome::Skip(
                format!("{} entry: only PPD (consumer) entries are payroll", b.sec).into(),
            );
        }
        let routing = format!("{rdfi}{check}");
        if !aba_valid(&routing) {
            return Outcome::reject(format!(
                "RDFI routing number {} fails the ABA check digit",
                masked(&routing)
            ));
        }
        if account.is_empty() {
            return Outcome::reject("entry detail: DFI account number is blank");
        }
        let time = match (b.effective, &b.bad_date) {
            (Some(t), _) => t,
            (None, Some(e)) => return Outcome::reject(format!("batch effective entry {e}")),
            (None, None) => {
                return Outcome::reject(
                    "no effective entry date in the batch and no file creation date",
                );
            }
        };
        let person = if ind_id.is_empty() {
            if name.is_empty() {
                return Outcome::reject(
                    "entry detail has neither an individual id nor a name to link it to a person",
                );
            }
            format!("nacha-name:{name}")
        } else {
            ind_id.to_string()
        };
        let mut r = Row::new(&PAYROLL);
        r.set("time", V::TsMicros(time))
            .set("person_id", person)
            .set("event", event)
            .set("method", "ach")
            .set("bank_routing", routing)
            .set("bank_account", account)
            .set(
                "account_holder_name",
                (!name.is_empty()).then(|| name.to_string()),
            )
            .set("currency", "USD");
        if sign != 0 {
            r.set("amount", V::Float(sign as f64 * cents as f64 / 100.0));
        }
        Outcome::row(r)
    }

    fn batch_control(&mut self, rec: &str) -> Outcome {
        let Some(b) = self.batch.take() else {
            return Outcome::reject("batch control without a batch header");
        };
        let count: Option<u64> = field(rec, 5, 10).parse().ok();
        let hash: Option<u64> = field(rec, 11, 20).parse().ok();
        let debit: Option<u64> = field(rec, 21, 32).parse().ok();
        let credit: Option<u64> = field(rec, 33, 44).parse().ok();
        let mut bad = Vec::new();
        if count != Some(b.entries + b.addenda) {
            bad.push(format!(
                "entry/addenda count {} but {} read",
                field(rec, 5, 10),
                b.entries + b.addenda
            ));
        }
        if hash != Some(b.hash % 10_000_000_000) {
            bad.push("entry hash does not match the entries".to_string());
        }
        if debit != Some(b.debit) || credit != Some(b.credit) {
            bad.push("debit/credit totals do not match the entries".to_string());
        }
        if bad.is_empty() {
            Outcome::Skip("batch control".into())
        } else {
            Outcome::reject(format!("batch control: {}", bad.join("; ")))
        }
    }

    fn file_control(&mut self, rec: &str) -> Outcome {
        let batches: Option<u64> = field(rec, 2, 7).parse().ok();
        if self.batch.is_some() {
            return Outcome::reject("file control before the last batch's control record");
        }
        if batches != Some(self.batches) {
            return Outcome::reject(format!(
                "file control: batch count {} but {} batches read",
                field(rec, 2, 7),
                self.batches
            ));
        }
        Outcome::Skip("file control".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aba() {
        assert!(aba_valid("231380104"));
        assert!(aba_valid("121042882"));
        assert!(!aba_valid("231380105"));
        assert!(!aba_valid("23138010"));
        assert!(!aba_valid("2313801x4"));
        assert_eq!(masked("987654321"), "…4321");
        assert!(yymmdd("190230").is_err());
        assert!(yymmdd("190816").is_ok());
    }

    #[test]
    fn fields_by_character() {
        let r = "6ab\u{17c}cd";
        assert_eq!(field(r, 4, 5), "\u{17c}c");
        assert_eq!(field("abcdef", 2, 3), "bc");
        assert_eq!(field("abc", 2, 9), "");
    }
}
