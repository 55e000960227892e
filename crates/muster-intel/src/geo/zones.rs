//! US states, territories and their IANA time zones, with county-level exceptions.
//! Sources and limits: see the module docs of [`crate::geo`].

/// One US state, district, territory or military "state": USPS code, name, state FIPS code,
/// majority IANA zone.
struct Region {
    code: &'static str,
    name: &'static str,
    fips: Option<&'static str>,
    zone: Option<&'static str>,
}

const NY: &str = "America/New_York";
const CHI: &str = "America/Chicago";
const DEN: &str = "America/Denver";
const LA: &str = "America/Los_Angeles";
const BOISE: &str = "America/Boise";
const MENOMINEE: &str = "America/Menominee";

const fn r(
    code: &'static str,
    name: &'static str,
    fips: &'static str,
    zone: &'static str,
) -> Region {
    Region {
        code,
        name,
        fips: Some(fips),
        zone: Some(zone),
    }
}

/// States, DC, territories and freely associated states (majority zone by population), then
/// the military "states" (no zone).
const REGIONS: &[Region] = &[
    r("AL", "Alabama", "01", CHI),
    r("AK", "Alaska", "02", "America/Anchorage"),
    r("AZ", "Arizona", "04", "America/Phoenix"),
    r("AR", "Arkansas", "05", CHI),
    r("CA", "California", "06", LA),
    r("CO", "Colorado", "08", DEN),
    r("CT", "Connecticut", "09", NY),
    r("DE", "Delaware", "10", NY),
    r("DC", "District of Columbia", "11", NY),
    r("FL", "Florida", "12", NY),
    r("GA", "Georgia", "13", NY),
    r("HI", "Hawaii", "15", "Pacific/Honolulu"),
    r("ID", "Idaho", "16", BOISE),
    r("IL", "Illinois", "17", CHI),
    r("IN", "Indiana", "18", NY),
    r("IA", "Iowa", "19", CHI),
    r("KS", "Kansas", "20", CHI),
    r("KY", "Kentucky", "21", NY),
    r("LA", "Louisiana", "22", CHI),
    r("ME", "Maine", "23", NY),
    r("MD", "Maryland", "24", NY),
    r("MA", "Massachusetts", "25", NY),
    r("MI", "Michigan", "26", NY),
    r("MN", "Minnesota", "27", CHI),
    r("MS", "Mississippi", "28", CHI),
    r("MO", "Missouri", "29", CHI),
    r("MT", "Montana", "30", DEN),
    r("NE", "Nebraska", "31", CHI),
    r("NV", "Nevada", "32", LA),
    r("NH", "New Hampshire", "33", NY),
    r("NJ", "New Jersey", "34", NY),
    r("NM", "New Mexico", "35", DEN),
    r("NY", "New York", "36", NY),
    r("NC", "North Carolina", "37", NY),
    r("ND", "North Dakota", "38", CHI),
    r("OH", "Ohio", "39", NY),
    r("OK", "Oklahoma", "40", CHI),
    r("OR", "Oregon", "41", LA),
    r("PA", "Pennsylvania", "42", NY),
    r("RI", "Rhode Island", "44", NY),
    r("SC", "South Carolina", "45", NY),
    r("SD", "South Dakota", "46", CHI),
    r("TN", "Tennessee", "47", CHI),
    r("TX", "Texas", "48", CHI),
    r("UT", "Utah", "49", DEN),
    r("VT", "Vermont", "50", NY),
    r("VA", "Virginia", "51", NY),
    r("WA", "Washington", "53", LA),
    r("WV", "West Virginia", "54", NY),
    r("WI", "Wisconsin", "55", CHI),
    r("WY", "Wyoming", "56", DEN),
    r("AS", "American Samoa", "60", "Pacific/Pago_Pago"),
    r(
        "FM",
        "Federated States of Micronesia",
        "64",
        "Pacific/Chuuk",
    ),
    r("GU", "Guam", "66", "Pacific/Guam"),
    r("MH", "Marshall Islands", "68", "Pacific/Majuro"),
    r("MP", "Northern Mariana Islands", "69", "Pacific/Guam"),
    r("PW", "Palau", "70", "Pacific/Palau"),
    r("PR", "Puerto Rico", "72", "America/Puerto_Rico"),
    r("VI", "U.S. Virgin Islands", "78", "America/Puerto_Rico"),
    Region {
        code: "AA",
        name: "Armed Forces Americas",
        fips: None,
        zone: None,
    },
    Region {
        code: "AE",
        name: "Armed Forces Europe",
        fips: None,
        zone: None,
    },
    Region {
        code: "AP",
        name: "Armed Forces Pacific",
        fips: None,
        zone: None,
    },
];

/// Extra spellings (already normalised by [`norm_name`]).
const ALIASES: &[(&str, &str)] = &[
    ("washington dc", "DC"),
    ("washington d c", "DC"),
    ("washington state", "WA"),
    ("virgin islands", "VI"),
    ("us virgin islands", "VI"),
    ("united states virgin islands", "VI"),
    ("micronesia", "FM"),
    ("northern marianas", "MP"),
    ("commonwealth of the northern mariana islands", "MP"),
    ("republic of palau", "PW"),
    ("republic of the marshall islands", "MH"),
];

/// Lowercase, dots and commas removed, whitespace collapsed.
fn norm_name(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| if c == '.' || c == ',' { ' ' } else { c })
        .collect::<String>()
        .to_lowercase();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn region(state: &str) -> Option<&'static Region> {
    let t = state.trim();
    if t.is_empty() {
        return None;
    }
    if t.len() == 2 {
        return REGIONS.iter().find(|r| r.code.eq_ignore_ascii_case(t));
    }
    let compact: String = t.chars().filter(|c| *c != '.').collect();
    if compact.len() == 2 {
        let up = compact.to_ascii_uppercase();
        return REGIONS.iter().find(|r| r.code == up);
    }
    let n = norm_name(t);
    let n = n.strip_prefix("state of ").unwrap_or(&n);
    if let Some(r) = REGIONS.iter().find(|r| norm_name(r.name) == n) {
        return Some(r);
    }
    let code = ALIASES.iter().find(|(a, _)| *a == n)?.1;
    REGIONS.iter().find(|r| r.code == code)
}

/// The USPS code of a US state, DC, territory or military "state", from its code or full
/// name (case-insensitive; `"D.C."`, `"Washington DC"`, `"Washington State"` accepted).
pub fn state_code(state: &str) -> Option<&'static str> {
    region(state).map(|r| r.code)
}

/// The full name of a state from its code or name (`"ca"` -> `"California"`).
pub fn state_name(state: &str) -> Option<&'static str> {
    region(state).map(|r| r.name)
}

pub(crate) fn state_fips(state: &str) -> Option<&'static str> {
    region(state).and_then(|r| r.fips)
}

/// The IANA time zone covering most of a state's population (USPS code or full name,
/// case-insensitive). `None` for unknown input and for the military codes AA/AE/AP.
///
/// For states split between zones this is only the majority zone; use [`county_zone`] (or
/// [`ZipInfo::zone`](super::ZipInfo::zone)) when the county is known.
pub fn state_zone(state: &str) -> Option<&'static str> {
    region(state).and_then(|r| r.zone)
}

/// Counties whose zone differs from their state's majority zone: (state, zone, [(county
/// FIPS, name)]). Split counties are listed under the zone of their seat; see module docs.
/// (county FIPS within the state, county name).
type County = (&'static str, &'static str);

const COUNTY_ZONES: &[(&str, &str, &[County])] = &[
    // 49 CFR 71.9: El Paso and Hudspeth counties are Mountain.
    ("TX", DEN, &[("141", "El Paso"), ("229", "Hudspeth")]),
    // 49 CFR 71.7: Florida west of the Apalachicola River (Gulf County: its seat Port St.
    // Joe is Eastern; Wewahitchka is overridden by ZIP).
    (
        "FL",
        CHI,
        &[
            ("033", "Escambia"),
            ("113", "Santa Rosa"),
            ("091", "Okaloosa"),
            ("131", "Walton"),
            ("059", "Holmes"),
            ("133", "Washington"),
            ("005", "Bay"),
            ("063", "Jackson"),
            ("013", "Calhoun"),
        ],
    ),
    // 49 CFR 71.5: East Tennessee is Eastern (Marion, Sequatchie, Bledsoe, Cumberland,
    // Fentress are Central).
    (
        "TN",
        NY,
        &[
            ("001", "Anderson"),
            ("009", "Blount"),
            ("011", "Bradley"),
            ("013", "Campbell"),
            ("019", "Carter"),
            ("025", "Claiborne"),
            ("029", "Cocke"),
            ("057", "Grainger"),
            ("059", "Greene"),
            ("063", "Hamblen"),
            ("065", "Hamilton"),
            ("067", "Hancock"),
            ("073", "Hawkins"),
            ("089", "Jefferson"),
            ("091", "Johnson"),
            ("093", "Knox"),
            ("105", "Loudon"),
            ("107", "McMinn"),
            ("121", "Meigs"),
            ("123", "Monroe"),
            ("129", "Morgan"),
            ("139", "Polk"),
            ("143", "Rhea"),
            ("145", "Roane"),
            ("151", "Scott"),
            ("155", "Sevier"),
            ("163", "Sullivan"),
            ("171", "Unicoi"),
            ("173", "Union"),
            ("179", "Washington"),
        ],
    ),
    // 49 CFR 71.7: western and south-central Kentucky (Wayne County moved to Eastern in 2000).
    (
        "KY",
        CHI,
        &[
            ("001", "Adair"),
            ("003", "Allen"),
            ("007", "Ballard"),
            ("009", "Barren"),
            ("027", "Breckinridge"),
            ("031", "Butler"),
            ("033", "Caldwell"),
            ("035", "Calloway"),
            ("039", "Carlisle"),
            ("047", "Christian"),
            ("053", "Clinton"),
            ("055", "Crittenden"),
            ("057", "Cumberland"),
            ("059", "Daviess"),
            ("061", "Edmonson"),
            ("075", "Fulton"),
            ("083", "Graves"),
            ("085", "Grayson"),
            ("087", "Green"),
            ("091", "Hancock"),
            ("099", "Hart"),
            ("101", "Henderson"),
            ("105", "Hickman"),
            ("107", "Hopkins"),
            ("139", "Livingston"),
            ("141", "Logan"),
            ("143", "Lyon"),
            ("145", "McCracken"),
            ("149", "McLean"),
            ("157", "Marshall"),
            ("169", "Metcalfe"),
            ("171", "Monroe"),
            ("177", "Muhlenberg"),
            ("183", "Ohio"),
            ("207", "Russell"),
            ("213", "Simpson"),
            ("219", "Todd"),
            ("221", "Trigg"),
            ("225", "Union"),
            ("227", "Warren"),
            ("233", "Webster"),
        ],
    ),
    // Indiana since 2007: the Chicago and Evansville areas, Starke and Perry counties.
    (
        "IN",
        CHI,
        &[
            ("089", "Lake"),
            ("127", "Porter"),
            ("091", "LaPorte"),
            ("111", "Newton"),
            ("073", "Jasper"),
            ("149", "Starke"),
            ("051", "Gibson"),
            ("129", "Posey"),
            ("163", "Vanderburgh"),
            ("173", "Warrick"),
            ("147", "Spencer"),
            ("123", "Perry"),
        ],
    ),
    // The four Upper Peninsula counties bordering Wisconsin.
    (
        "MI",
        MENOMINEE,
        &[
            ("053", "Gogebic"),
            ("071", "Iron"),
            ("043", "Dickinson"),
            ("109", "Menominee"),
        ],
    ),
    // Southwestern North Dakota (Mercer, Morton, Oliver are Central since 2010/2003/1992).
    (
        "ND",
        DEN,
        &[
            ("001", "Adams"),
            ("007", "Billings"),
            ("011", "Bowman"),
            ("025", "Dunn"),
            ("033", "Golden Valley"),
            ("037", "Grant"),
            ("041", "Hettinger"),
            ("087", "Slope"),
            ("089", "Stark"),
        ],
    ),
    // West River South Dakota (Oglala Lakota County was Shannon County, FIPS 113, until 2015).
    (
        "SD",
        DEN,
        &[
            ("007", "Bennett"),
            ("019", "Butte"),
            ("031", "Corson"),
            ("033", "Custer"),
            ("041", "Dewey"),
            ("047", "Fall River"),
            ("055", "Haakon"),
            ("063", "Harding"),
            ("071", "Jackson"),
            ("081", "Lawrence"),
            ("093", "Meade"),
            ("102", "Oglala Lakota"),
            ("113", "Shannon"),
            ("103", "Pennington"),
            ("105", "Perkins"),
            ("117", "Stanley"),
            ("137", "Ziebach"),
        ],
    ),
    // The Nebraska panhandle and southwest (western Cherry County too, not listed).
    (
        "NE",
        DEN,
        &[
            ("005", "Arthur"),
            ("007", "Banner"),
            ("013", "Box Butte"),
            ("029", "Chase"),
            ("033", "Cheyenne"),
            ("045", "Dawes"),
            ("049", "Deuel"),
            ("057", "Dundy"),
            ("069", "Garden"),
            ("075", "Grant"),
            ("091", "Hooker"),
            ("101", "Keith"),
            ("105", "Kimball"),
            ("123", "Morrill"),
            ("135", "Perkins"),
            ("157", "Scotts Bluff"),
            ("161", "Sheridan"),
            ("165", "Sioux"),
        ],
    ),
    // The four Kansas counties on the Colorado border.
    (
        "KS",
        DEN,
        &[
            ("071", "Greeley"),
            ("075", "Hamilton"),
            ("181", "Sherman"),
            ("199", "Wallace"),
        ],
    ),
    ("OR", BOISE, &[("045", "Malheur")]),
    // Idaho north of the Salmon River is Pacific (Idaho County: seat Grangeville).
    (
        "ID",
        LA,
        &[
            ("009", "Benewah"),
            ("017", "Bonner"),
            ("021", "Boundary"),
            ("035", "Clearwater"),
            ("049", "Idaho"),
            ("055", "Kootenai"),
            ("057", "Latah"),
            ("061", "Lewis"),
            ("069", "Nez Perce"),
            ("079", "Shoshone"),
        ],
    ),
];

/// ZIP codes whose zone differs from their county's: (ZIP, zone, reason).
const ZIP_ZONES: &[(u32, &str, &str)] = &[
    (
        32465,
        CHI,
        "Wewahitchka FL: Gulf County north of the Intracoastal Waterway",
    ),
    (
        83547,
        BOISE,
        "Pollock ID: Idaho County south of the Salmon River",
    ),
    (
        83671,
        BOISE,
        "Warren ID: Idaho County south of the Salmon River",
    ),
    (
        89883,
        DEN,
        "West Wendover NV: keeps Mountain time with Wendover UT",
    ),
    (89825, BOISE, "Jackpot NV: keeps Mountain time with Idaho"),
    (99546, "America/Adak", "Adak AK: west of 169°30'W"),
    (99547, "America/Adak", "Atka AK: west of 169°30'W"),
    (96941, "Pacific/Pohnpei", "Pohnpei FM"),
    (96944, "Pacific/Kosrae", "Kosrae FM"),
];

/// The zone of a single ZIP code when it differs from its county's (see module docs).
pub(crate) fn zip_zone_override(zip: u32) -> Option<&'static str> {
    ZIP_ZONES.iter().find(|(z, _, _)| *z == zip).map(|x| x.1)
}

/// County name for comparison: lowercase alphanumerics only, without "county", "parish",
/// "borough", "census area", "(CA)", "city and county of", ...; "Saint" becomes "St".
fn norm_county(name: &str) -> String {
    let mut s = name.to_lowercase();
    if let Some(i) = s.find('(') {
        s.truncate(i);
    }
    for prefix in ["city and county of ", "city and borough of ", "county of "] {
        if let Some(rest) = s.trim().strip_prefix(prefix) {
            s = rest.to_string();
        }
    }
    let mut s = s.trim().to_string();
    for suffix in [
        " city and borough",
        " census area",
        " municipality",
        " borough",
        " county",
        " parish",
    ] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest.trim_end().to_string();
        }
    }
    if let Some(rest) = s.strip_prefix("saint ") {
        s = format!("st {rest}");
    }
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The IANA zone of a county in a state split between zones, when it differs from the
/// state's majority zone ([`state_zone`]); `None` otherwise (also for unknown input).
///
/// `county` is a 3-digit county FIPS code (`"141"`, leading zeros optional), a 5-digit
/// state+county FIPS code (`"48141"`; must belong to `state`), or a county name
/// (`"El Paso"`, `"El Paso County"`, `"LaPorte"`, `"La Porte"`; case-insensitive).
/// Covered: TX, FL, TN, KY, IN, MI, ND, SD, NE, KS, OR, ID; see the module docs for
/// split counties, ZIP-level exceptions and the sources.
///
/// ```
/// use muster_intel::geo::{county_zone, state_zone};
///
/// assert_eq!(county_zone("TX", "El Paso"), Some("America/Denver"));
/// assert_eq!(county_zone("texas", "48229"), Some("America/Denver")); // Hudspeth
/// assert_eq!(county_zone("TX", "Harris"), None);
/// assert_eq!(state_zone("TX"), Some("America/Chicago"));
/// ```
pub fn county_zone(state: &str, county: &str) -> Option<&'static str> {
    let reg = region(state)?;
    let c = county.trim();
    if c.is_empty() {
        return None;
    }
    let (fips, name) = if c.bytes().all(|b| b.is_ascii_digit()) {
        let fips = match c.len() {
            1..=3 => format!("{c:0>3}"),
            4 | 5 => {
                let full = format!("{c:0>5}");
                if Some(&full[..2]) != reg.fips {
                    return None;
                }
                full[2..].to_string()
            }
            _ => return None,
        };
        (Some(fips), None)
    } else {
        (None, Some(norm_county(c)))
    };
    COUNTY_ZONES
        .iter()
        .filter(|(st, _, _)| *st == reg.code)
        .find(|(_, _, counties)| {
            counties.iter().any(|(f, n)| match (&fips, &name) {
                (Some(fips), _) => fips == f,
                (None, Some(name)) => *name == norm_county(n),
                (None, None) => false,
            })
        })
        .map(|(_, zone, _)| *zone)
}

/// The zone of a place from its state and, when known, county: [`county_zone`], else
/// [`state_zone`].
pub fn us_zone(state: &str, county: Option<&str>) -> Option<&'static str> {
    county
        .and_then(|c| county_zone(state, c))
        .or_else(|| state_zone(state))
}

/// USPS ZIP ranges of territories and freely associated states, which the GeoNames US file
/// lacks (Puerto Rico, Virgin Islands, Guam, American Samoa) or shares a ZIP3 prefix with.
pub(crate) fn territory_for_zip(zip: u32) -> Option<&'static str> {
    Some(match zip {
        600..=799 | 900..=999 => "PR",
        800..=899 => "VI",
        96799 => "AS",
        96910..=96932 => "GU",
        96939..=96940 => "PW",
        96941..=96944 => "FM",
        96950..=96952 => "MP",
        96960 | 96970 => "MH",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_by_code_and_name() {
        assert_eq!(state_zone("ca"), Some(LA));
        assert_eq!(state_zone(" California "), Some(LA));
        assert_eq!(state_zone("NEW YORK"), Some(NY));
        assert_eq!(state_zone("D.C."), Some(NY));
        assert_eq!(state_zone("Washington, D.C."), Some(NY));
        assert_eq!(state_zone("washington"), Some(LA));
        assert_eq!(state_zone("AZ"), Some("America/Phoenix"));
        assert_eq!(state_zone("Idaho"), Some(BOISE));
        assert_eq!(state_zone("AE"), None);
        assert_eq!(state_zone("Bavaria"), None);
        assert_eq!(state_zone(""), None);
        assert_eq!(state_code("puerto rico"), Some("PR"));
        assert_eq!(state_name("tx"), Some("Texas"));
    }

    #[test]
    fn counties() {
        assert_eq!(county_zone("FL", "Escambia County"), Some(CHI));
        assert_eq!(county_zone("FL", "33"), Some(CHI));
        assert_eq!(county_zone("FL", "12033"), Some(CHI));
        assert_eq!(county_zone("FL", "48141"), None, "FIPS of another state");
        assert_eq!(county_zone("FL", "Miami-Dade"), None);
        assert_eq!(county_zone("IN", "La Porte"), Some(CHI));
        assert_eq!(county_zone("MI", "gogebic"), Some(MENOMINEE));
        assert_eq!(county_zone("KY", "Wayne"), None);
        assert_eq!(county_zone("TN", "Knox"), Some(NY));
        assert_eq!(county_zone("SD", "Oglala Lakota County"), Some(DEN));
        assert_eq!(county_zone("OR", "Malheur"), Some(BOISE));
        assert_eq!(county_zone("ID", "Kootenai"), Some(LA));
        assert_eq!(county_zone("ZZ", "Kootenai"), None);
        assert_eq!(us_zone("ID", Some("Ada")), Some(BOISE));
        assert_eq!(us_zone("ID", None), Some(BOISE));
        assert_eq!(norm_county("Aleutians West (CA)"), "aleutianswest");
        assert_eq!(
            norm_county("City and County of San Francisco"),
            "sanfrancisco"
        );
        assert_eq!(norm_county("Saint Louis City"), "stlouiscity");
    }

    /// Every (state, FIPS, name) triple agrees with the embedded GeoNames file.
    #[test]
    fn county_table_matches_geonames() {
        let zips = super::super::Zips::embedded();
        let mut missing = Vec::new();
        for (st, _, counties) in COUNTY_ZONES {
            let st_fips = state_fips(st).unwrap();
            for (f, name) in *counties {
                let full = format!("{st_fips}{f}");
                match zips
                    .iter()
                    .find(|z| z.county_fips.as_deref() == Some(&full))
                {
                    Some(z) => assert_eq!(
                        z.county.as_deref().map(norm_county),
                        Some(norm_county(name)),
                        "{st} {f}"
                    ),
                    None => missing.push(format!("{st} {f} {name}")),
                }
            }
        }
        // Oglala Lakota (renamed from Shannon in 2015) postdates the 2018 GeoNames snapshot's
        // county codes.
        assert_eq!(missing, ["SD 102 Oglala Lakota"]);
    }

    #[test]
    fn every_state_in_county_table_is_known() {
        for (st, zone, counties) in COUNTY_ZONES {
            assert!(region(st).is_some(), "{st}");
            assert_ne!(state_zone(st), Some(*zone), "{st} lists its majority zone");
            for (f, _) in *counties {
                assert_eq!(f.len(), 3);
            }
        }
    }
}
