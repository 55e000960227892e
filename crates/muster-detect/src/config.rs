//! Scan-time context for detections: the company's own lists and tunable thresholds.

use muster_intel::IpList;

/// What detections know about the company beyond the tables.
#[derive(Debug, Default)]
pub struct DetectConfig {
    /// Reference data for this run (embedded, or the user's newer files and tag lists).
    pub intel: muster_intel::Intel,
    /// The company's own egress: offices, VPN concentrators, ZTNA exits (`corporate_egress.txt`).
    pub corporate_egress: Option<IpList>,
    /// Approved remote-access tools (`approved_rmm.txt`), one tool or binary name per line.
    pub approved_rmm: Vec<String>,
    /// The company's own sites that receive laptops for employees (offices, IT depots, the
    /// staffing agencies it contracts with): `office_addresses.txt` or muster.toml
    /// `[lists] office_addresses`, one address a line written `line1[, line2], city, region zip`.
    /// Matched per building (any suite); FARM-SHIP ignores shipments there.
    pub office_addresses: Vec<String>,
    /// Thresholds (documented defaults).
    pub thresholds: Thresholds,
    /// Which detections run (all by default).
    pub selection: Selection,
}

/// Which detections a scan runs: `only` (when not empty) lists the ids to run, `skip` the ids to
/// leave out. Ids compare case-insensitively; the detections left out are reported in
/// run.json as not run, with the reason.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Run only these ids (all when empty).
    pub only: Vec<String>,
    /// Never run these ids.
    pub skip: Vec<String>,
}

impl Selection {
    /// Why `id` does not run, or `None` when it runs.
    ///
    /// ```
    /// let s = muster_detect::Selection { only: vec!["tz-mismatch".into()], skip: vec![] };
    /// assert!(s.excludes("TZ-MISMATCH").is_none());
    /// assert!(s.excludes("FARM-IP").is_some());
    /// ```
    pub fn excludes(&self, id: &str) -> Option<&'static str> {
        let has = |list: &[String]| list.iter().any(|x| x.trim().eq_ignore_ascii_case(id));
        if has(&self.skip) {
            Some("left out with --skip")
        } else if !self.only.is_empty() && !has(&self.only) {
            Some("not selected with --only")
        } else {
            None
        }
    }

    /// The ids in `only` and `skip` that name no detection in `known`.
    pub fn unknown<'a>(&'a self, known: &[&str]) -> Vec<&'a str> {
        self.only
            .iter()
            .chain(&self.skip)
            .map(|x| x.trim())
            .filter(|x| !known.iter().any(|k| k.eq_ignore_ascii_case(x)))
            .collect()
    }
}

impl DetectConfig {
    /// Whether `ip` is one of the company's own egress addresses. Checked in Rust on each
    /// detection's (small) result rather than as a range join in SQL: DataFusion 55 gave
    /// nondeterministic results for the LEFT nested-loop range join on multi-partition input.
    pub fn is_corporate(&self, ip: &str) -> bool {
        match (&self.corporate_egress, muster_normalize::normalize_ip(ip)) {
            (Some(list), Some(addr)) => list.contains(addr),
            _ => false,
        }
    }

    /// The building keys (see `building_key` in the SQL functions) of `office_addresses`;
    /// entries that cannot be read as an address are skipped.
    pub fn office_buildings(&self) -> std::collections::BTreeSet<String> {
        self.office_addresses
            .iter()
            .filter_map(|e| parse_office(e))
            .collect()
    }

    /// The approved remote-access tools as canonical LOLRMM names (lowercase), plus the raw
    /// entries: an entry may name a tool ("ScreenConnect"), a product alias or a binary
    /// ("ScreenConnect.ClientService.exe"); each is resolved through the catalogue.
    pub fn approved_rmm_names(&self) -> std::collections::BTreeSet<String> {
        let cat = self.intel.rmm();
        let mut out = std::collections::BTreeSet::new();
        let mut tools = std::collections::BTreeSet::new();
        for e in &self.approved_rmm {
            let e = e.trim();
            if e.is_empty() {
                continue;
            }
            out.insert(e.to_lowercase());
            if let Some(t) = cat.tool(e) {
                tools.insert(t.name.clone());
            }
            for m in [cat.match_process(e), cat.match_software(e, None)]
                .into_iter()
                .flatten()
            {
                tools.insert(m.tool);
            }
        }
        // The catalogue lists some products under several names (ScreenConnect, ConnectWise
        // Control): approving one approves every entry that shares a network endpoint with it.
        let domains: std::collections::BTreeSet<String> = tools
            .iter()
            .filter_map(|t| cat.tool(t))
            .flat_map(|t| t.domains.iter().map(|d| d.to_lowercase()))
            .filter(|d| d.contains('.') && !d.starts_with("*."))
            .collect();
        for t in cat.tools() {
            if t.domains
                .iter()
                .any(|d| domains.contains(&d.to_lowercase()))
            {
                tools.insert(t.name.clone());
            }
        }
        out.extend(tools.into_iter().map(|t| t.to_lowercase()));
        out
    }
}

/// An office entry `line1[, line2], city, region zip` (or `line1, zip`) as a building key.
fn parse_office(entry: &str) -> Option<String> {
    let parts: Vec<&str> = entry
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let (line1, rest) = parts.split_first()?;
    let last = rest.last()?;
    let mut tail: Vec<&str> = last.split_whitespace().collect();
    let zip = match tail.last() {
        Some(z) if z.chars().all(|c| c.is_ascii_digit() || c == '-') => {
            let z = *z;
            tail.pop();
            z
        }
        _ => "",
    };
    let region = tail.join(" ");
    let city = if rest.len() >= 2 {
        rest[rest.len() - 2]
    } else {
        ""
    };
    crate::udf::building_key_of(line1, None, city, &region, zip)
}

/// Tunable thresholds. Defaults come from the domain, not from fitting: see each detection's docs.
#[derive(Debug, Clone)]
pub struct Thresholds {
    /// An IP seen with at least this many distinct people is shared infrastructure (office NAT,
    /// corporate VPN, carrier CGNAT), not a residence: a home cannot host that many of one
    /// company's employees. The effective value is
    /// `max(infra_min_people, infra_share * employees and contractors)`.
    pub infra_min_people: usize,
    /// See `infra_min_people`.
    pub infra_share: f64,
    /// FARM-IP: distinct days two people's devices must share an IP: longer than a business trip.
    pub farm_min_shared_days: i64,
    /// FARM-IP: nights (local 22:00-06:00 in the person's claimed time zone) each device must be
    /// seen at the IP, so daytime-only sharing (coworking) does not count.
    pub farm_min_nights: i64,
    /// FARM-IP, FARM-WIFI: a place seen by at least this many people, most of whom spend their
    /// nights at a home-like place of their own elsewhere, is a daytime venue (office, coworking
    /// space, library): a laptop left there overnight is not a home shared with the others. A
    /// farm's laptops have no other home: they stay there, or go dark or through a VPN at night.
    pub farm_venue_min_people: i64,
    /// NET-ANON: share of a person's sign-ins from anonymising networks at which the signal is
    /// at full strength (an occasional consumer-VPN user is far below it).
    pub anon_full_share: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            infra_min_people: 25,
            infra_share: 0.02,
            farm_min_shared_days: 7,
            farm_min_nights: 2,
            farm_venue_min_people: 5,
            anon_full_share: 0.5,
        }
    }
}
