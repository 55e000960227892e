//! Country names as identity providers and geolocation databases write them ("United States",
//! "Korea, Republic of", "Côte d'Ivoire") to ISO 3166-1 alpha-2 codes, which the contract's
//! `geo_country` uses.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The alpha-2 code for a country name or code; `None` when unknown (the caller keeps nothing
/// rather than a wrong code). Two-letter input is taken as a code when it is one.
pub fn to_alpha2(name: &str) -> Option<&'static str> {
    let t = name.trim();
    if t.len() == 2 && t.bytes().all(|b| b.is_ascii_alphabetic()) {
        let up = t.to_ascii_uppercase();
        if let Some((code, _)) = COUNTRIES.iter().find(|(c, _)| *c == up) {
            return Some(code);
        }
    }
    index().get(&normalise(t)).copied()
}

fn index() -> &'static HashMap<String, &'static str> {
    static INDEX: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut m = HashMap::new();
        for (code, names) in COUNTRIES {
            m.insert(normalise(code), *code);
            for n in *names {
                m.insert(normalise(n), *code);
            }
        }
        m
    })
}

/// Lower case, accents folded, punctuation dropped, `&` as `and`, `st` as `saint`, a leading
/// `the` dropped, single spaces.
fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        let folded = match ch {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'Á' | 'À' | 'Â' | 'Ä' | 'Ã' | 'Å' => {
                'a'
            }
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Î' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'Ó' | 'Ô' | 'Ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ü' => 'u',
            'ç' | 'Ç' => 'c',
            'ñ' | 'Ñ' => 'n',
            '&' => {
                out.push_str(" and ");
                continue;
            }
            '-' | '_' | '(' | ')' | ',' | '/' => ' ',
            '.' | '\'' | '’' => continue,
            c => c.to_ascii_lowercase(),
        };
        out.push(folded);
    }
    let words: Vec<&str> = out.split_whitespace().collect();
    let mut words: Vec<&str> = words
        .iter()
        .map(|w| if *w == "st" { "saint" } else { w })
        .collect();
    if words.first() == Some(&"the") && words.len() > 1 {
        words.remove(0);
    }
    words.join(" ")
}

/// ISO 3166-1 alpha-2 code, then the English short name and common variants (as geolocation
/// databases and identity providers write them). `XK` (Kosovo) is user-assigned but widely used.
pub(crate) const COUNTRIES: &[(&str, &[&str])] = &[
    ("AD", &["Andorra"]),
    ("AE", &["United Arab Emirates", "UAE", "U.A.E."]),
    ("AF", &["Afghanistan"]),
    ("AG", &["Antigua and Barbuda", "Antigua"]),
    ("AI", &["Anguilla"]),
    ("AL", &["Albania"]),
    ("AM", &["Armenia"]),
    ("AO", &["Angola"]),
    ("AQ", &["Antarctica"]),
    ("AR", &["Argentina"]),
    ("AS", &["American Samoa"]),
    ("AT", &["Austria"]),
    ("AU", &["Australia"]),
    ("AW", &["Aruba"]),
    ("AX", &["Aland Islands", "Aland", "Åland Islands", "Åland"]),
    ("AZ", &["Azerbaijan"]),
    (
        "BA",
        &[
            "Bosnia and Herzegovina",
            "Bosnia & Herzegovina",
            "Bosnia-Herzegovina",
            "Bosnia",
        ],
    ),
    ("BB", &["Barbados"]),
    ("BD", &["Bangladesh"]),
    ("BE", &["Belgium"]),
    ("BF", &["Burkina Faso"]),
    ("BG", &["Bulgaria"]),
    ("BH", &["Bahrain"]),
    ("BI", &["Burundi"]),
    ("BJ", &["Benin"]),
    (
        "BL",
        &[
            "Saint Barthelemy",
            "Saint Barthélemy",
            "St Barthelemy",
            "St. Barthélemy",
        ],
    ),
    ("BM", &["Bermuda"]),
    ("BN", &["Brunei", "Brunei Darussalam"]),
    (
        "BO",
        &[
            "Bolivia",
            "Bolivia, Plurinational State of",
            "Plurinational State of Bolivia",
        ],
    ),
    (
        "BQ",
        &[
            "Bonaire, Sint Eustatius and Saba",
            "Bonaire, Sint Eustatius, and Saba",
            "Caribbean Netherlands",
            "Bonaire",
        ],
    ),
    ("BR", &["Brazil", "Brasil"]),
    ("BS", &["Bahamas", "The Bahamas"]),
    ("BT", &["Bhutan"]),
    ("BV", &["Bouvet Island"]),
    ("BW", &["Botswana"]),
    ("BY", &["Belarus"]),
    ("BZ", &["Belize"]),
    ("CA", &["Canada"]),
    ("CC", &["Cocos (Keeling) Islands", "Cocos Islands"]),
    (
        "CD",
        &[
            "Democratic Republic of the Congo",
            "DR Congo",
            "Congo, Democratic Republic of the",
            "Congo (Kinshasa)",
            "Congo-Kinshasa",
            "DRC",
            "Congo, The Democratic Republic of the",
        ],
    ),
    ("CF", &["Central African Republic"]),
    (
        "CG",
        &[
            "Congo",
            "Republic of the Congo",
            "Congo Republic",
            "Congo (Brazzaville)",
            "Congo-Brazzaville",
        ],
    ),
    ("CH", &["Switzerland"]),
    ("CI", &["Cote d'Ivoire", "Côte d'Ivoire", "Ivory Coast"]),
    ("CK", &["Cook Islands"]),
    ("CL", &["Chile"]),
    ("CM", &["Cameroon"]),
    (
        "CN",
        &[
            "China",
            "People's Republic of China",
            "PRC",
            "Mainland China",
        ],
    ),
    ("CO", &["Colombia"]),
    ("CR", &["Costa Rica"]),
    ("CU", &["Cuba"]),
    ("CV", &["Cabo Verde", "Cape Verde"]),
    ("CW", &["Curacao", "Curaçao"]),
    ("CX", &["Christmas Island"]),
    ("CY", &["Cyprus"]),
    ("CZ", &["Czechia", "Czech Republic"]),
    ("DE", &["Germany", "Deutschland"]),
    ("DJ", &["Djibouti"]),
    ("DK", &["Denmark"]),
    ("DM", &["Dominica"]),
    ("DO", &["Dominican Republic"]),
    ("DZ", &["Algeria"]),
    ("EC", &["Ecuador"]),
    ("EE", &["Estonia"]),
    ("EG", &["Egypt"]),
    ("EH", &["Western Sahara"]),
    ("ER", &["Eritrea"]),
    ("ES", &["Spain"]),
    ("ET", &["Ethiopia"]),
    ("FI", &["Finland"]),
    ("FJ", &["Fiji"]),
    (
        "FK",
        &[
            "Falkland Islands",
            "Falkland Islands (Malvinas)",
            "Falklands",
        ],
    ),
    (
        "FM",
        &[
            "Micronesia",
            "Federated States of Micronesia",
            "Micronesia, Federated States of",
        ],
    ),
    ("FO", &["Faroe Islands", "Faroes"]),
    ("FR", &["France"]),
    ("GA", &["Gabon"]),
    (
        "GB",
        &[
            "United Kingdom",
            "UK",
            "U.K.",
            "Great Britain",
            "Britain",
            "England",
            "Scotland",
            "Wales",
            "Northern Ireland",
            "United Kingdom of Great Britain and Northern Ireland",
        ],
    ),
    ("GD", &["Grenada"]),
    ("GE", &["Georgia"]),
    ("GF", &["French Guiana"]),
    ("GG", &["Guernsey"]),
    ("GH", &["Ghana"]),
    ("GI", &["Gibraltar"]),
    ("GL", &["Greenland"]),
    ("GM", &["Gambia", "The Gambia"]),
    ("GN", &["Guinea"]),
    ("GP", &["Guadeloupe"]),
    ("GQ", &["Equatorial Guinea"]),
    ("GR", &["Greece"]),
    (
        "GS",
        &[
            "South Georgia and the South Sandwich Islands",
            "South Georgia and South Sandwich Islands",
        ],
    ),
    ("GT", &["Guatemala"]),
    ("GU", &["Guam"]),
    ("GW", &["Guinea-Bissau", "Guinea Bissau"]),
    ("GY", &["Guyana"]),
    (
        "HK",
        &[
            "Hong Kong",
            "Hong Kong SAR",
            "Hong Kong SAR China",
            "Hong Kong, China",
        ],
    ),
    ("HM", &["Heard Island and McDonald Islands"]),
    ("HN", &["Honduras"]),
    ("HR", &["Croatia"]),
    ("HT", &["Haiti"]),
    ("HU", &["Hungary"]),
    ("ID", &["Indonesia"]),
    ("IE", &["Ireland", "Republic of Ireland"]),
    ("IL", &["Israel"]),
    ("IM", &["Isle of Man"]),
    ("IN", &["India"]),
    ("IO", &["British Indian Ocean Territory"]),
    ("IQ", &["Iraq"]),
    (
        "IR",
        &[
            "Iran",
            "Iran, Islamic Republic of",
            "Islamic Republic of Iran",
        ],
    ),
    ("IS", &["Iceland"]),
    ("IT", &["Italy"]),
    ("JE", &["Jersey"]),
    ("JM", &["Jamaica"]),
    ("JO", &["Jordan"]),
    ("JP", &["Japan"]),
    ("KE", &["Kenya"]),
    ("KG", &["Kyrgyzstan", "Kyrgyz Republic"]),
    ("KH", &["Cambodia"]),
    ("KI", &["Kiribati"]),
    ("KM", &["Comoros"]),
    (
        "KN",
        &[
            "Saint Kitts and Nevis",
            "St Kitts and Nevis",
            "St. Kitts and Nevis",
        ],
    ),
    (
        "KP",
        &[
            "North Korea",
            "Korea, Democratic People's Republic of",
            "Democratic People's Republic of Korea",
            "DPRK",
            "Korea, North",
        ],
    ),
    (
        "KR",
        &[
            "South Korea",
            "Korea, Republic of",
            "Republic of Korea",
            "Korea",
            "Korea, South",
        ],
    ),
    ("KW", &["Kuwait"]),
    ("KY", &["Cayman Islands"]),
    ("KZ", &["Kazakhstan"]),
    (
        "LA",
        &["Laos", "Lao People's Democratic Republic", "Lao PDR"],
    ),
    ("LB", &["Lebanon"]),
    ("LC", &["Saint Lucia", "St Lucia", "St. Lucia"]),
    ("LI", &["Liechtenstein"]),
    ("LK", &["Sri Lanka"]),
    ("LR", &["Liberia"]),
    ("LS", &["Lesotho"]),
    ("LT", &["Lithuania"]),
    ("LU", &["Luxembourg"]),
    ("LV", &["Latvia"]),
    ("LY", &["Libya"]),
    ("MA", &["Morocco"]),
    ("MC", &["Monaco"]),
    (
        "MD",
        &["Moldova", "Republic of Moldova", "Moldova, Republic of"],
    ),
    ("ME", &["Montenegro"]),
    (
        "MF",
        &["Saint Martin", "Saint Martin (French part)", "St Martin"],
    ),
    ("MG", &["Madagascar"]),
    ("MH", &["Marshall Islands"]),
    (
        "MK",
        &[
            "North Macedonia",
            "Macedonia",
            "Republic of North Macedonia",
            "Macedonia, the Former Yugoslav Republic of",
        ],
    ),
    ("ML", &["Mali"]),
    ("MM", &["Myanmar", "Burma", "Myanmar (Burma)"]),
    ("MN", &["Mongolia"]),
    ("MO", &["Macao", "Macau", "Macao SAR China", "Macau SAR"]),
    ("MP", &["Northern Mariana Islands"]),
    ("MQ", &["Martinique"]),
    ("MR", &["Mauritania"]),
    ("MS", &["Montserrat"]),
    ("MT", &["Malta"]),
    ("MU", &["Mauritius"]),
    ("MV", &["Maldives"]),
    ("MW", &["Malawi"]),
    ("MX", &["Mexico"]),
    ("MY", &["Malaysia"]),
    ("MZ", &["Mozambique"]),
    ("NA", &["Namibia"]),
    ("NC", &["New Caledonia"]),
    ("NE", &["Niger"]),
    ("NF", &["Norfolk Island"]),
    ("NG", &["Nigeria"]),
    ("NI", &["Nicaragua"]),
    (
        "NL",
        &[
            "Netherlands",
            "The Netherlands",
            "Holland",
            "Kingdom of the Netherlands",
        ],
    ),
    ("NO", &["Norway"]),
    ("NP", &["Nepal"]),
    ("NR", &["Nauru"]),
    ("NU", &["Niue"]),
    ("NZ", &["New Zealand"]),
    ("OM", &["Oman"]),
    ("PA", &["Panama"]),
    ("PE", &["Peru"]),
    ("PF", &["French Polynesia"]),
    ("PG", &["Papua New Guinea"]),
    ("PH", &["Philippines", "The Philippines"]),
    ("PK", &["Pakistan"]),
    ("PL", &["Poland"]),
    (
        "PM",
        &["Saint Pierre and Miquelon", "St Pierre and Miquelon"],
    ),
    ("PN", &["Pitcairn", "Pitcairn Islands"]),
    ("PR", &["Puerto Rico"]),
    (
        "PS",
        &[
            "Palestine",
            "State of Palestine",
            "Palestinian Territory",
            "Palestinian Territories",
            "Palestine, State of",
        ],
    ),
    ("PT", &["Portugal"]),
    ("PW", &["Palau"]),
    ("PY", &["Paraguay"]),
    ("QA", &["Qatar"]),
    ("RE", &["Reunion", "Réunion"]),
    ("RO", &["Romania"]),
    ("RS", &["Serbia"]),
    ("RU", &["Russia", "Russian Federation"]),
    ("RW", &["Rwanda"]),
    ("SA", &["Saudi Arabia"]),
    ("SB", &["Solomon Islands"]),
    ("SC", &["Seychelles"]),
    ("SD", &["Sudan"]),
    ("SE", &["Sweden"]),
    ("SG", &["Singapore"]),
    (
        "SH",
        &[
            "Saint Helena",
            "Saint Helena, Ascension and Tristan da Cunha",
            "St Helena",
        ],
    ),
    ("SI", &["Slovenia"]),
    ("SJ", &["Svalbard and Jan Mayen"]),
    ("SK", &["Slovakia", "Slovak Republic"]),
    ("SL", &["Sierra Leone"]),
    ("SM", &["San Marino"]),
    ("SN", &["Senegal"]),
    ("SO", &["Somalia"]),
    ("SR", &["Suriname"]),
    ("SS", &["South Sudan"]),
    ("ST", &["Sao Tome and Principe", "São Tomé and Príncipe"]),
    ("SV", &["El Salvador"]),
    ("SX", &["Sint Maarten", "Sint Maarten (Dutch part)"]),
    ("SY", &["Syria", "Syrian Arab Republic"]),
    ("SZ", &["Eswatini", "Swaziland"]),
    ("TC", &["Turks and Caicos Islands", "Turks and Caicos"]),
    ("TD", &["Chad"]),
    (
        "TF",
        &[
            "French Southern Territories",
            "French Southern and Antarctic Lands",
        ],
    ),
    ("TG", &["Togo"]),
    ("TH", &["Thailand"]),
    ("TJ", &["Tajikistan"]),
    ("TK", &["Tokelau"]),
    ("TL", &["Timor-Leste", "East Timor", "Timor Leste"]),
    ("TM", &["Turkmenistan"]),
    ("TN", &["Tunisia"]),
    ("TO", &["Tonga"]),
    ("TR", &["Turkey", "Türkiye", "Turkiye"]),
    ("TT", &["Trinidad and Tobago"]),
    ("TV", &["Tuvalu"]),
    (
        "TW",
        &["Taiwan", "Taiwan, Province of China", "Republic of China"],
    ),
    (
        "TZ",
        &[
            "Tanzania",
            "United Republic of Tanzania",
            "Tanzania, United Republic of",
        ],
    ),
    ("UA", &["Ukraine"]),
    ("UG", &["Uganda"]),
    (
        "UM",
        &[
            "United States Minor Outlying Islands",
            "U.S. Minor Outlying Islands",
        ],
    ),
    (
        "US",
        &[
            "United States",
            "United States of America",
            "USA",
            "U.S.A.",
            "US",
            "U.S.",
            "America",
        ],
    ),
    ("UY", &["Uruguay"]),
    ("UZ", &["Uzbekistan"]),
    (
        "VA",
        &[
            "Vatican City",
            "Holy See",
            "Holy See (Vatican City State)",
            "Vatican",
        ],
    ),
    (
        "VC",
        &[
            "Saint Vincent and the Grenadines",
            "St Vincent and Grenadines",
            "St. Vincent and the Grenadines",
        ],
    ),
    (
        "VE",
        &[
            "Venezuela",
            "Venezuela, Bolivarian Republic of",
            "Bolivarian Republic of Venezuela",
        ],
    ),
    (
        "VG",
        &[
            "British Virgin Islands",
            "Virgin Islands, British",
            "Virgin Islands (British)",
        ],
    ),
    (
        "VI",
        &[
            "U.S. Virgin Islands",
            "US Virgin Islands",
            "Virgin Islands, U.S.",
            "Virgin Islands (U.S.)",
            "United States Virgin Islands",
        ],
    ),
    ("VN", &["Vietnam", "Viet Nam"]),
    ("VU", &["Vanuatu"]),
    ("WF", &["Wallis and Futuna"]),
    ("WS", &["Samoa"]),
    ("XK", &["Kosovo"]),
    ("YE", &["Yemen"]),
    ("YT", &["Mayotte"]),
    ("ZA", &["South Africa"]),
    ("ZM", &["Zambia"]),
    ("ZW", &["Zimbabwe"]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for (name, code) in [
            ("United States", "US"),
            ("united states of america", "US"),
            ("Russia", "RU"),
            ("Korea, Republic of", "KR"),
            ("North Korea", "KP"),
            ("Korea, Democratic People's Republic of", "KP"),
            ("Côte d'Ivoire", "CI"),
            ("Cote D'Ivoire", "CI"),
            ("The Netherlands", "NL"),
            ("St. Kitts & Nevis", "KN"),
            ("Brazil", "BR"),
            ("Iceland", "IS"),
            ("China", "CN"),
            ("Taiwan", "TW"),
            ("Hong Kong", "HK"),
            ("us", "US"),
            ("Türkiye", "TR"),
            ("Bosnia & Herzegovina", "BA"),
            ("Congo (Kinshasa)", "CD"),
        ] {
            assert_eq!(to_alpha2(name), Some(code), "{name}");
        }
        assert_eq!(to_alpha2("Atlantis"), None);
        assert_eq!(to_alpha2("ZZ"), None);
        assert_eq!(to_alpha2(""), None);
    }

    #[test]
    fn complete_and_unambiguous() {
        assert_eq!(COUNTRIES.len(), 250);
        let mut seen = HashMap::new();
        for (code, names) in COUNTRIES {
            assert_eq!(code.len(), 2);
            for n in *names {
                if let Some(other) = seen.insert(normalise(n), *code) {
                    assert_eq!(other, *code, "{n} names two countries");
                }
            }
        }
    }
}
