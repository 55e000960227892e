//! The OFAC legacy `sdn.csv` (no header, 12 columns, `-0-` = empty) and its Remarks field.

use crate::error::{IntelError, LineError, Result};

use super::{EntryKind, SdnEntry};

/// OFAC's legacy CSV cuts Remarks at this many characters (the rest lived in
/// `sdn_comments.csv`); the last, possibly cut, item of such a field is not used.
const REMARKS_LIMIT: usize = 1000;

/// Facts pulled out of a Remarks field.
#[derive(Debug, Default)]
pub(crate) struct RemarkFacts {
    pub(crate) aliases: Vec<String>,
    pub(crate) emails: Vec<String>,
    pub(crate) websites: Vec<String>,
    pub(crate) crypto: Vec<(String, String)>,
    pub(crate) nationalities: Vec<String>,
    pub(crate) dates_of_birth: Vec<String>,
    /// The field looked cut at [`REMARKS_LIMIT`] and its last item was dropped.
    pub(crate) truncated: bool,
}

fn first_word(s: &str) -> Option<String> {
    let w = s.split_whitespace().next()?;
    let w = w.trim_end_matches(['.', ',', ')']);
    (!w.is_empty()).then(|| w.to_string())
}

/// Parses `a.k.a. 'X'; Email Address y; alt. Website z; Digital Currency Address - XBT a;
/// nationality Korea, North; DOB 18 Feb 1962; ...`.
pub(crate) fn parse_remarks(remarks: &str) -> RemarkFacts {
    let mut f = RemarkFacts::default();
    let mut items: Vec<&str> = remarks.split(';').collect();
    if remarks.chars().count() >= REMARKS_LIMIT && !remarks.trim_end().ends_with('.') {
        items.pop();
        f.truncated = true;
    }
    let n = items.len();
    for (i, item) in items.into_iter().enumerate() {
        let mut it = item.trim();
        if i + 1 == n {
            it = it.strip_suffix('.').unwrap_or(it).trim_end();
        }
        let it = it.strip_prefix("alt. ").unwrap_or(it).trim();
        if let Some(rest) = ["a.k.a. ", "f.k.a. ", "n.k.a. "]
            .iter()
            .find_map(|p| it.strip_prefix(p))
        {
            // The alias runs from the first to the last single quote (names contain quotes:
            // 'ABU-'UMAR'); an unterminated quote means a cut field.
            let rest = rest.trim();
            if let Some(inner) = rest.strip_prefix('\'')
                && let Some(end) = inner.rfind('\'')
            {
                let alias = inner[..end].trim();
                if !alias.is_empty() && !f.aliases.iter().any(|a| a == alias) {
                    f.aliases.push(alias.to_string());
                }
            }
        } else if let Some(rest) = it.strip_prefix("Email Address ") {
            if let Some(e) = first_word(rest).filter(|e| e.contains('@')) {
                f.emails.push(e);
            }
        } else if let Some(rest) = it.strip_prefix("Website ") {
            if let Some(w) = first_word(rest) {
                f.websites.push(w);
            }
        } else if let Some(rest) = it.strip_prefix("Digital Currency Address - ") {
            let mut parts = rest.split_whitespace();
            if let (Some(cur), Some(addr)) = (parts.next(), parts.next()) {
                f.crypto.push((cur.to_string(), addr.to_string()));
            }
        } else if let Some(rest) = it
            .strip_prefix("nationality ")
            .or_else(|| it.strip_prefix("citizen "))
        {
            let c = rest.trim().to_string();
            if !c.is_empty() && !f.nationalities.contains(&c) {
                f.nationalities.push(c);
            }
        } else if let Some(rest) = it.strip_prefix("DOB ") {
            let d = rest.trim();
            if !d.is_empty() {
                f.dates_of_birth.push(d.to_string());
            }
        }
    }
    f
}

fn field(s: Option<&str>) -> Option<String> {
    let t = s?.trim();
    (!t.is_empty() && t != "-0-").then(|| t.to_string())
}

/// `"NPWMD] [DPRK2"` -> `["NPWMD", "DPRK2"]`.
pub(crate) fn parse_programs(s: &str) -> Vec<String> {
    s.split(['[', ']'])
        .map(str::trim)
        .filter(|p| !p.is_empty() && *p != "-0-")
        .map(str::to_string)
        .collect()
}

/// Whether a program list or remarks tie an entry to North Korea.
pub(crate) fn is_dprk_related(programs: &[String], remarks: Option<&str>) -> bool {
    if programs
        .iter()
        .any(|p| p.to_ascii_uppercase().contains("DPRK"))
    {
        return true;
    }
    remarks.is_some_and(|r| {
        let r = r.to_ascii_lowercase();
        r.contains("north korea")
            || r.contains("korea, north")
            || r.contains("dprk")
            || r.contains("pyongyang")
    })
}

/// Parses the legacy CSV. Returns the entries and the number of cut Remarks fields.
pub(crate) fn parse(bytes: &[u8], label: &str) -> Result<(Vec<SdnEntry>, usize)> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    let mut truncated = 0;
    for rec in rdr.records() {
        let rec = rec.map_err(|e| IntelError::csv(label, &e))?;
        let line = rec.position().map_or(0, |p| p.line() as usize);
        // The published file ends with a DOS end-of-file byte (0x1A).
        if rec.len() == 1
            && rec
                .get(0)
                .is_some_and(|s| s.trim_matches(['\u{1a}', ' ']).is_empty())
        {
            continue;
        }
        let text = || rec.iter().collect::<Vec<_>>().join(",");
        if rec.len() < 12 {
            errors.push(LineError::new(
                label,
                line,
                &text(),
                format!("expected 12 columns, got {}", rec.len()),
            ));
            continue;
        }
        let Ok(ent_num) = rec.get(0).unwrap_or("").trim().parse::<u32>() else {
            errors.push(LineError::new(
                label,
                line,
                &text(),
                "ent_num is not a number",
            ));
            continue;
        };
        let Some(name) = field(rec.get(1)) else {
            errors.push(LineError::new(label, line, &text(), "empty SDN_Name"));
            continue;
        };
        let kind = match field(rec.get(2)).map(|s| s.to_ascii_lowercase()).as_deref() {
            Some("individual") => EntryKind::Individual,
            Some("vessel") => EntryKind::Vessel,
            Some("aircraft") => EntryKind::Aircraft,
            _ => EntryKind::Entity,
        };
        let programs = field(rec.get(3))
            .map(|p| parse_programs(&p))
            .unwrap_or_default();
        let remarks = field(rec.get(11));
        let facts = remarks.as_deref().map(parse_remarks).unwrap_or_default();
        truncated += usize::from(facts.truncated);
        let dprk_related = is_dprk_related(&programs, remarks.as_deref());
        entries.push(SdnEntry {
            ent_num,
            name,
            kind,
            programs,
            title: field(rec.get(4)),
            aliases: facts.aliases,
            weak_aliases: Vec::new(),
            emails: facts.emails,
            websites: facts.websites,
            crypto: facts.crypto,
            nationalities: facts.nationalities,
            dates_of_birth: facts.dates_of_birth,
            dprk_related,
            remarks,
        });
    }
    if !errors.is_empty() {
        return Err(IntelError::InvalidLines {
            file: label.to_string(),
            errors,
        });
    }
    if entries.is_empty() {
        return Err(IntelError::csv_at(label, 0, "no SDN rows found"));
    }
    Ok((entries, truncated))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remarks() {
        let f = parse_remarks(
            "DOB 18 Feb 1962; nationality Korea, North; Email Address a@b.kp; alt. Email Address \
             c@d.kp; Website www.x.com. More text; Digital Currency Address - XBT 1abc; \
             a.k.a. 'ABU-'UMAR'; f.k.a. 'OLD NAME'; n.k.a. 'NEW'; a.k.a. 'CUT",
        );
        assert_eq!(f.aliases, ["ABU-'UMAR", "OLD NAME", "NEW"]);
        assert_eq!(f.emails, ["a@b.kp", "c@d.kp"]);
        assert_eq!(f.websites, ["www.x.com"]);
        assert_eq!(f.crypto, [("XBT".to_string(), "1abc".to_string())]);
        assert_eq!(f.nationalities, ["Korea, North"]);
        assert_eq!(f.dates_of_birth, ["18 Feb 1962"]);
        assert!(!f.truncated);
        assert_eq!(parse_programs("NPWMD] [DPRK2"), ["NPWMD", "DPRK2"]);
    }

    #[test]
    fn rows() {
        let csv = "9345,\"KOREA MINING\",-0- ,\"NPWMD] [DPRK2\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"a.k.a. 'KOMID'.\"\r\n\u{1a}";
        let (e, _) = parse(csv.as_bytes(), "t.csv").unwrap();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].aliases, ["KOMID"]);
        assert!(e[0].dprk_related);
        let err = parse(b"x,y\n", "t.csv").unwrap_err();
        assert_eq!(err.line_errors()[0].line, 1);
    }
}
