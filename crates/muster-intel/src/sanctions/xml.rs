//! OFAC `sdn_advanced.xml` (the "advanced" schema), read as a stream with quick-xml.
//!
//! Used parts: reference values (alias, feature, party sub-type, sanctions type and name-part
//! types), `DistinctParty/Profile` (id, party sub-type), `Identity/Alias` (`Primary`,
//! `LowQuality`, `AliasTypeID`) with `DocumentedName/DocumentedNamePart/NamePartValue`
//! (name parts ordered last name first via `NamePartGroups`), `Feature` (`Email Address`,
//! `Website`, `Digital Currency Address - <CUR>`, value in `VersionDetail`) and
//! `SanctionsEntry/SanctionsMeasure/Comment` for programs. Nationality and birth date features
//! reference locations / date periods and are not read.

use std::collections::HashMap;

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use crate::error::{IntelError, Result};

use super::sdn_csv::is_dprk_related;
use super::{EntryKind, SdnEntry};

#[derive(Debug, Default)]
struct RawAlias {
    primary: bool,
    low_quality: bool,
    /// One name per documented name (script): parts as (name-part group id, text).
    names: Vec<Vec<(String, String)>>,
}

#[derive(Debug, Default)]
struct RawParty {
    fixed_ref: u32,
    profile_id: String,
    sub_type: String,
    aliases: Vec<RawAlias>,
    /// name-part group id -> name-part type id.
    groups: HashMap<String, String>,
    /// (feature type id, value).
    features: Vec<(String, String)>,
    programs: Vec<String>,
}

/// What the text being captured belongs to.
#[derive(Debug, Clone, PartialEq)]
enum Capture {
    /// A reference value: (table, id).
    Ref(&'static str, String),
    /// A name part with its group id.
    NamePart(String),
    /// A feature's version detail.
    Detail,
    /// A sanctions measure comment.
    MeasureComment,
}

const REF_TABLES: &[&str] = &[
    "AliasType",
    "FeatureType",
    "PartySubType",
    "SanctionsType",
    "NamePartType",
];

fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == key)
            .then(|| {
                a.normalized_value(XmlVersion::Implicit1_0)
                    .ok()
                    .map(|v| v.into_owned())
            })
            .flatten()
    })
}

fn line_of(bytes: &[u8], pos: u64) -> u64 {
    let end = usize::try_from(pos).unwrap_or(usize::MAX).min(bytes.len());
    bytes[..end].iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

fn mostly_latin(s: &str) -> bool {
    let (mut latin, mut other) = (0usize, 0usize);
    for c in s.chars().filter(|c| c.is_alphabetic()) {
        if (c as u32) < 0x0250 {
            latin += 1;
        } else {
            other += 1;
        }
    }
    latin > 0 && latin >= other
}

#[derive(Default)]
struct State {
    refs: HashMap<(&'static str, String), String>,
    parties: Vec<RawParty>,
    party: Option<RawParty>,
    alias: Option<RawAlias>,
    doc_name: Option<Vec<(String, String)>>,
    /// (profile id, sanctions type id of the open measure).
    entry_profile: Option<String>,
    measure_type: Option<String>,
    measures: Vec<(String, String, String)>,
    capture: Option<Capture>,
    text: String,
}

impl State {
    fn start(&mut self, e: &BytesStart<'_>, empty: bool) {
        let local = e.local_name();
        let name = local.as_ref();
        if let Some(table) = REF_TABLES.iter().find(|t| **t == name) {
            if let Some(id) = attr(e, "ID") {
                self.begin(Capture::Ref(table, id));
            }
            return;
        }
        match name {
            "DistinctParty" => {
                self.party = Some(RawParty {
                    fixed_ref: attr(e, "FixedRef")
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0),
                    ..RawParty::default()
                });
            }
            "Profile" => {
                if let Some(p) = self.party.as_mut() {
                    p.profile_id = attr(e, "ID").unwrap_or_default();
                    p.sub_type = attr(e, "PartySubTypeID").unwrap_or_default();
                    if p.fixed_ref == 0 {
                        p.fixed_ref = p.profile_id.trim().parse().unwrap_or(0);
                    }
                }
            }
            "Alias" => {
                let flag = |k: &str| attr(e, k).is_some_and(|v| v.eq_ignore_ascii_case("true"));
                self.alias = Some(RawAlias {
                    primary: flag("Primary"),
                    low_quality: flag("LowQuality"),
                    names: Vec::new(),
                });
            }
            "DocumentedName" => self.doc_name = Some(Vec::new()),
            "NamePartValue" => {
                let group = attr(e, "NamePartGroupID").unwrap_or_default();
                self.begin(Capture::NamePart(group));
            }
            "NamePartGroup" => {
                if let (Some(p), Some(id), Some(t)) = (
                    self.party.as_mut(),
                    attr(e, "ID"),
                    attr(e, "NamePartTypeID"),
                ) {
                    p.groups.insert(id, t);
                }
            }
            "Feature" => {
                if let Some(p) = self.party.as_mut() {
                    let t = attr(e, "FeatureTypeID").unwrap_or_default();
                    p.features.push((t, String::new()));
                }
            }
            "VersionDetail" if self.party.is_some() => self.begin(Capture::Detail),
            "SanctionsEntry" => self.entry_profile = attr(e, "ProfileID"),
            "SanctionsMeasure" => self.measure_type = attr(e, "SanctionsTypeID"),
            "Comment" if self.measure_type.is_some() => self.begin(Capture::MeasureComment),
            _ => {}
        }
        if empty {
            self.end(name);
        }
    }

    fn begin(&mut self, c: Capture) {
        self.capture = Some(c);
        self.text.clear();
    }

    fn end(&mut self, name: &str) {
        if let Some(c) = self.capture.take() {
            let text = self.text.trim().to_string();
            self.text.clear();
            match c {
                Capture::Ref(table, id) => {
                    self.refs.insert((table, id), text);
                }
                Capture::NamePart(group) => {
                    if let Some(d) = self.doc_name.as_mut()
                        && !text.is_empty()
                    {
                        d.push((group, text));
                    }
                }
                Capture::Detail => {
                    if let Some((_, v)) = self.party.as_mut().and_then(|p| p.features.last_mut())
                        && v.is_empty()
                    {
                        *v = text;
                    }
                }
                Capture::MeasureComment => {
                    if let (Some(p), Some(t)) = (&self.entry_profile, &self.measure_type)
                        && !text.is_empty()
                    {
                        self.measures.push((p.clone(), t.clone(), text));
                    }
                }
            }
        }
        match name {
            "DocumentedName" => {
                if let (Some(d), Some(a)) = (self.doc_name.take(), self.alias.as_mut())
                    && !d.is_empty()
                {
                    a.names.push(d);
                }
            }
            "Alias" => {
                if let (Some(a), Some(p)) = (self.alias.take(), self.party.as_mut()) {
                    p.aliases.push(a);
                }
            }
            "DistinctParty" => {
                if let Some(p) = self.party.take() {
                    self.parties.push(p);
                }
            }
            "SanctionsMeasure" => self.measure_type = None,
            "SanctionsEntry" => self.entry_profile = None,
            _ => {}
        }
    }

    fn finish(self) -> Vec<SdnEntry> {
        let refs = &self.refs;
        let lookup = |table: &'static str, id: &str| refs.get(&(table, id.to_string()));
        let mut by_profile: HashMap<String, usize> = HashMap::new();
        let mut parties = self.parties;
        for (i, p) in parties.iter().enumerate() {
            by_profile.insert(p.profile_id.clone(), i);
        }
        for (profile, type_id, comment) in self.measures {
            let is_program =
                lookup("SanctionsType", &type_id).is_none_or(|t| t.eq_ignore_ascii_case("program"));
            if let (true, Some(&i)) = (is_program, by_profile.get(&profile)) {
                for prog in comment.split(['[', ']', ',', ';']).map(str::trim) {
                    if !prog.is_empty() && !parties[i].programs.iter().any(|x| x == prog) {
                        parties[i].programs.push(prog.to_string());
                    }
                }
            }
        }
        let mut out = Vec::with_capacity(parties.len());
        for p in parties {
            let join = |parts: &[(String, String)]| -> String {
                let is_last = |g: &str| {
                    p.groups
                        .get(g)
                        .and_then(|t| lookup("NamePartType", t))
                        .is_some_and(|t| t.to_ascii_lowercase().contains("last"))
                };
                let last: Vec<&str> = parts
                    .iter()
                    .filter(|(g, _)| is_last(g))
                    .map(|(_, v)| v.as_str())
                    .collect();
                let rest: Vec<&str> = parts
                    .iter()
                    .filter(|(g, _)| !is_last(g))
                    .map(|(_, v)| v.as_str())
                    .collect();
                match (last.is_empty(), rest.is_empty()) {
                    (false, false) => format!("{}, {}", last.join(" "), rest.join(" ")),
                    (false, true) => last.join(" "),
                    _ => rest.join(" "),
                }
            };
            let mut name = None;
            let mut aliases = Vec::new();
            let mut weak = Vec::new();
            for a in &p.aliases {
                for parts in &a.names {
                    let n = join(parts);
                    if n.is_empty() || !mostly_latin(&n) {
                        continue;
                    }
                    if a.primary && name.is_none() {
                        name = Some(n);
                    } else if a.low_quality {
                        if !weak.contains(&n) {
                            weak.push(n);
                        }
                    } else if !aliases.contains(&n) {
                        aliases.push(n);
                    }
                }
            }
            let Some(name) = name.or_else(|| (!aliases.is_empty()).then(|| aliases.remove(0)))
            else {
                continue;
            };
            aliases.retain(|a| *a != name);
            let kind = match lookup("PartySubType", &p.sub_type)
                .map(|s| s.to_ascii_lowercase())
                .as_deref()
            {
                Some(s) if s.contains("individual") => EntryKind::Individual,
                Some(s) if s.contains("vessel") => EntryKind::Vessel,
                Some(s) if s.contains("aircraft") => EntryKind::Aircraft,
                _ => EntryKind::Entity,
            };
            let (mut emails, mut websites, mut crypto) = (Vec::new(), Vec::new(), Vec::new());
            for (t, v) in &p.features {
                let Some(ft) = lookup("FeatureType", t) else {
                    continue;
                };
                let v = v.trim();
                if v.is_empty() {
                    continue;
                }
                if ft.eq_ignore_ascii_case("Email Address") {
                    emails.push(v.to_string());
                } else if ft.eq_ignore_ascii_case("Website") {
                    websites.push(v.to_string());
                } else if let Some(cur) = ft.strip_prefix("Digital Currency Address - ") {
                    crypto.push((cur.trim().to_string(), v.to_string()));
                }
            }
            let dprk_related = is_dprk_related(&p.programs, None);
            out.push(SdnEntry {
                ent_num: p.fixed_ref,
                name,
                kind,
                programs: p.programs,
                title: None,
                aliases,
                weak_aliases: weak,
                emails,
                websites,
                crypto,
                nationalities: Vec::new(),
                dates_of_birth: Vec::new(),
                dprk_related,
                remarks: None,
            });
        }
        out
    }
}

/// Parses an `sdn_advanced.xml` document.
pub(crate) fn parse(bytes: &[u8], label: &str) -> Result<Vec<SdnEntry>> {
    let mut reader = Reader::from_reader(bytes);
    let mut buf = Vec::new();
    let mut st = State::default();
    let mut depth = 0usize;
    let mut saw_root = false;
    loop {
        let ev = reader.read_event_into(&mut buf).map_err(|e| {
            IntelError::xml(
                label,
                line_of(bytes, reader.error_position()),
                e.to_string(),
            )
        })?;
        match ev {
            Event::Start(e) => {
                if depth == 0 {
                    if e.local_name().as_ref() != "Sanctions" {
                        return Err(IntelError::xml(
                            label,
                            line_of(bytes, reader.buffer_position()),
                            format!(
                                "root element is <{}>, expected <Sanctions> (OFAC sdn_advanced.xml)",
                                e.local_name().as_ref()
                            ),
                        ));
                    }
                    saw_root = true;
                }
                depth += 1;
                st.start(&e, false);
            }
            Event::Empty(e) => st.start(&e, true),
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                st.end(e.local_name().as_ref());
            }
            Event::Text(t) if st.capture.is_some() => st.text.push_str(&t.xml10_content()),
            Event::CData(t) if st.capture.is_some() => st.text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if st.capture.is_some() => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match &*r {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                };
                if let Some(c) = c {
                    st.text.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    let end_line = line_of(bytes, bytes.len() as u64);
    if depth != 0 {
        return Err(IntelError::xml(
            label,
            end_line,
            "unexpected end of file (unclosed elements)",
        ));
    }
    if !saw_root {
        return Err(IntelError::xml(
            label,
            end_line,
            "no <Sanctions> root element (empty or not XML)",
        ));
    }
    let entries = st.finish();
    if entries.is_empty() {
        return Err(IntelError::xml(
            label,
            end_line,
            "no <DistinctParty> with a name found",
        ));
    }
    Ok(entries)
}
