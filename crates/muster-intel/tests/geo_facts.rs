//! Real-world facts about the embedded geography and contact data, and robustness of the
//! loaders on corrupt input.

use std::io::Write;

use muster_intel::IntelError;
use muster_intel::geo::{
    AreaCodes, CoordSource, DisposableDomains, Zips, county_zone, haversine_km, state_zone, us_zone,
};
use proptest::prelude::*;

fn zone(zip: &str) -> Option<&'static str> {
    Zips::embedded().lookup(zip).and_then(|z| z.zone)
}

#[test]
fn embedded_datasets_load() {
    let z = Zips::embedded();
    assert_eq!(z.load_error(), None);
    assert!(z.len() > 41_000, "{}", z.len());
    assert_eq!(AreaCodes::embedded().load_error(), None);
    assert!(AreaCodes::embedded().len() > 400);
    assert_eq!(DisposableDomains::embedded().load_error(), None);
    assert!(DisposableDomains::embedded().len() > 10_000);
}

#[test]
fn san_francisco() {
    let sf = Zips::embedded().lookup("94105").unwrap();
    assert_eq!(sf.zip, "94105");
    assert_eq!(sf.place, "San Francisco");
    assert_eq!(sf.state, "CA");
    assert_eq!(sf.county_fips.as_deref(), Some("06075"));
    assert_eq!(sf.zone, Some("America/Los_Angeles"));
    assert!((sf.lat - 37.79).abs() < 0.02, "{}", sf.lat);
    assert!((sf.lon + 122.39).abs() < 0.02, "{}", sf.lon);
    assert_eq!(sf.coords, CoordSource::Census);
    for form in ["94105-1234", " 94105 ", "941051234", "94105 1234"] {
        assert_eq!(
            Zips::embedded().lookup(form).map(|z| &z.zip),
            Some(&sf.zip),
            "{form}"
        );
    }
}

#[test]
fn split_state_zips() {
    assert_eq!(zone("79901"), Some("America/Denver")); // El Paso TX
    assert_eq!(zone("75201"), Some("America/Chicago")); // Dallas TX
    assert_eq!(zone("32501"), Some("America/Chicago")); // Pensacola FL
    assert_eq!(zone("32401"), Some("America/Chicago")); // Panama City FL (Bay)
    assert_eq!(zone("32301"), Some("America/New_York")); // Tallahassee FL
    assert_eq!(zone("33101"), Some("America/New_York")); // Miami FL
    assert_eq!(zone("32465"), Some("America/Chicago")); // Wewahitchka FL (Gulf, north)
    assert_eq!(zone("32456"), Some("America/New_York")); // Port St. Joe FL (Gulf, south)
    assert_eq!(zone("37902"), Some("America/New_York")); // Knoxville TN
    assert_eq!(zone("37203"), Some("America/Chicago")); // Nashville TN
    assert_eq!(zone("42001"), Some("America/Chicago")); // Paducah KY
    assert_eq!(zone("40202"), Some("America/New_York")); // Louisville KY
    assert_eq!(zone("46320"), Some("America/Chicago")); // Hammond IN (Lake)
    assert_eq!(zone("47708"), Some("America/Chicago")); // Evansville IN
    assert_eq!(zone("46204"), Some("America/New_York")); // Indianapolis IN
    assert_eq!(zone("49801"), Some("America/Menominee")); // Iron Mountain MI (Dickinson)
    assert_eq!(zone("48226"), Some("America/New_York")); // Detroit MI
    assert_eq!(zone("58601"), Some("America/Denver")); // Dickinson ND (Stark)
    assert_eq!(zone("58501"), Some("America/Chicago")); // Bismarck ND
    assert_eq!(zone("57701"), Some("America/Denver")); // Rapid City SD
    assert_eq!(zone("57501"), Some("America/Chicago")); // Pierre SD
    assert_eq!(zone("69361"), Some("America/Denver")); // Scottsbluff NE
    assert_eq!(zone("67735"), Some("America/Denver")); // Goodland KS (Sherman)
    assert_eq!(zone("97914"), Some("America/Boise")); // Ontario OR (Malheur)
    assert_eq!(zone("97201"), Some("America/Los_Angeles")); // Portland OR
    assert_eq!(zone("83814"), Some("America/Los_Angeles")); // Coeur d'Alene ID
    assert_eq!(zone("83702"), Some("America/Boise")); // Boise ID
    assert_eq!(zone("85004"), Some("America/Phoenix")); // Phoenix AZ
    assert_eq!(zone("99501"), Some("America/Anchorage")); // Anchorage AK
    assert_eq!(zone("99546"), Some("America/Adak")); // Adak AK
    assert_eq!(zone("99685"), Some("America/Anchorage")); // Unalaska AK
    assert_eq!(zone("89883"), Some("America/Denver")); // West Wendover NV
    assert_eq!(zone("89501"), Some("America/Los_Angeles")); // Reno NV
    assert_eq!(zone("96813"), Some("Pacific/Honolulu"));
    assert_eq!(zone("00901"), Some("America/Puerto_Rico")); // San Juan PR (Census only)
}

#[test]
fn boston_with_and_without_leading_zero() {
    let z = Zips::embedded();
    let a = z.lookup("02134").unwrap();
    // GeoNames names the neighbourhood (Allston, a part of Boston).
    assert_eq!((a.place.as_str(), a.state.as_str()), ("Allston", "MA"));
    assert_eq!(a.county.as_deref(), Some("Suffolk"));
    assert_eq!(a.zone, Some("America/New_York"));
    assert_eq!(z.lookup("2134").map(|x| &x.zip), Some(&a.zip));
    assert_eq!(z.lookup_num(2134).map(|x| &x.zip), Some(&a.zip));
    assert_eq!(z.lookup("02108").map(|x| x.place.as_str()), Some("Boston"));
    assert!(z.lookup("00000").is_none());
    assert!(z.lookup("abcde").is_none());
}

#[test]
fn every_zip_has_a_state_and_zone() {
    let z = Zips::embedded();
    let military = |s: &str| matches!(s, "AA" | "AE" | "AP");
    // Military post offices may lack a state (GeoNames writes "APO STA" for 96365).
    let post_office = |p: &str| ["APO ", "FPO ", "DPO "].iter().any(|x| p.starts_with(x));
    let no_state: Vec<_> = z
        .iter()
        .filter(|e| e.state.is_empty() && !post_office(&e.place))
        .map(|e| &e.zip)
        .collect();
    assert!(no_state.is_empty(), "{no_state:?}");
    let no_zone: Vec<_> = z
        .iter()
        .filter(|e| e.zone.is_none() && !military(&e.state) && !post_office(&e.place))
        .map(|e| &e.zip)
        .collect();
    assert!(no_zone.is_empty(), "{no_zone:?}");
}

#[test]
fn state_and_county_zones() {
    assert_eq!(state_zone("tx"), Some("America/Chicago"));
    assert_eq!(state_zone("Texas"), Some("America/Chicago"));
    assert_eq!(state_zone("HAWAII"), Some("Pacific/Honolulu"));
    assert_eq!(county_zone("TX", "Hudspeth County"), Some("America/Denver"));
    assert_eq!(county_zone("IN", "18089"), Some("America/Chicago")); // Lake IN
    assert_eq!(county_zone("IN", "Marion"), None);
    assert_eq!(us_zone("IN", Some("Marion")), Some("America/New_York"));
    assert_eq!(us_zone("Nowhere", Some("Marion")), None);
}

#[test]
fn area_codes() {
    let ac = AreaCodes::embedded();
    let sf = ac.lookup("415").unwrap();
    assert_eq!(
        (sf.region.as_str(), sf.geo.as_deref()),
        ("US", Some("California"))
    );
    assert_eq!(sf.state.as_deref(), Some("CA"));
    assert_eq!(sf.zones, ["America/Los_Angeles"]);
    let ak = ac.lookup_npa(907).unwrap();
    assert_eq!(ak.geo.as_deref(), Some("Alaska"));
    assert_eq!(ak.zones, ["America/Adak", "America/Anchorage"]);
    assert!(ac.lookup("800").is_none());
    assert!(AreaCodes::non_geographic_reason(800).is_some());
    assert!(AreaCodes::non_geographic_reason(415).is_none());
    assert_eq!(ac.lookup_number("+14155550123").map(|a| a.npa), Some(415));
    assert!(ac.lookup_number("+18005550123").is_none());
    assert!(ac.lookup_number("+442079460958").is_none());
    let on = ac.lookup("905").unwrap();
    assert_eq!(
        (on.region.as_str(), on.state.as_deref()),
        ("CA", Some("ON"))
    );
    let sa = ac.lookup("210").unwrap();
    assert_eq!(sa.place.as_deref(), Some("San Antonio"));
    assert_eq!(sa.state.as_deref(), Some("TX"));
    assert_eq!(ac.lookup("208").unwrap().zones.len(), 2);
    assert_eq!(ac.lookup("876").map(|a| a.region.as_str()), Some("JM"));
    // Every US area code resolves to a state.
    for a in ac.iter().filter(|a| a.region == "US") {
        assert!(a.state.is_some(), "{a:?}");
        assert!(!a.zones.is_empty(), "{a:?}");
    }
}

#[test]
fn disposable_domains() {
    let d = DisposableDomains::embedded();
    assert!(d.is_disposable("mailinator.com"));
    assert!(d.is_disposable("foo.mailinator.com"));
    assert!(d.is_disposable("bob@MAILINATOR.com"));
    assert!(d.is_disposable("mailinator.com."));
    assert!(!d.is_disposable("gmail.com"));
    assert!(!d.is_disposable("alice@gmail.com"));
    assert!(!d.is_disposable("com"));
    assert_eq!(
        d.matching_domain("x.y.mailinator.com"),
        Some("mailinator.com")
    );
}

#[test]
fn distances_between_zips() {
    let z = Zips::embedded();
    let sf = z.lookup("94105").unwrap();
    let nyc = z.lookup("10001").unwrap();
    let d = haversine_km(sf.lat, sf.lon, nyc.lat, nyc.lon);
    assert!((d - 4130.0).abs() < 20.0, "{d}");
    assert!((haversine_km(0.0, 0.0, 0.0, 180.0) - 20015.1).abs() < 1.0);
}

// ---- corrupt input -------------------------------------------------------------------

fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("muster-geo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::File::create(&p).unwrap().write_all(bytes).unwrap();
    p
}

#[test]
fn garbage_bytes_are_errors() {
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let p = temp_file("garbage.txt", &garbage);
    let e = Zips::from_path(&p).unwrap_err();
    assert!(matches!(e, IntelError::InvalidLines { .. }), "{e}");
    assert!(e.to_string().contains("garbage.txt"), "{e}");
    assert!(Zips::from_path(&p).unwrap_err().line_errors()[0].line >= 1);
    assert!(AreaCodes::from_path(&p).is_err());
    assert!(DisposableDomains::from_path(&p).is_err());
    let e = Zips::from_reader(
        &b"US\t94105\tSF\tCalifornia\tCA\tSF\t075\t\t\t37.7\t-122.4\t4\n"[..],
        "g",
    )
    .unwrap()
    .with_centroids_path(&p)
    .unwrap_err();
    assert!(matches!(e, IntelError::InvalidLines { .. }), "{e}");
}

#[test]
fn truncated_gzip_is_an_io_error() {
    let full = include_bytes!("../../../data/geo/geonames_US.txt.gz");
    let p = temp_file("geonames_cut.txt.gz", &full[..full.len() / 2]);
    let e = Zips::from_path(&p).unwrap_err();
    assert!(matches!(e, IntelError::Io { .. }), "{e}");
    assert!(e.to_string().contains("geonames_cut.txt.gz"), "{e}");
}

#[test]
fn missing_file_is_an_io_error() {
    let e = Zips::from_path(std::path::Path::new("/nonexistent/US.txt")).unwrap_err();
    assert!(matches!(e, IntelError::Io { .. }), "{e}");
    let e = DisposableDomains::from_path(std::path::Path::new("/nonexistent/d.txt")).unwrap_err();
    assert!(e.to_string().contains("/nonexistent/d.txt"), "{e}");
}

#[test]
fn bad_latitude_reports_file_and_line() {
    let geonames = "US\t94105\tSan Francisco\tCalifornia\tCA\tSF\t075\t\t\t37.78\t-122.39\t4\n\
                    US\t94106\tSan Francisco\tCalifornia\tCA\tSF\t075\t\t\tnorth\t-122.39\t4\n\
                    US\t94107\tSan Francisco\tCalifornia\tCA\tSF\t075\t\t\t97.0\t-122.39\t4\n";
    let e = Zips::from_reader(geonames.as_bytes(), "US.txt").unwrap_err();
    let errs = e.line_errors();
    assert_eq!(errs.iter().map(|l| l.line).collect::<Vec<_>>(), [2, 3]);
    assert_eq!(errs[0].file, "US.txt");
    assert!(
        errs[0].reason.contains("latitude") && errs[0].reason.contains("north"),
        "{}",
        errs[0]
    );

    let census = "zip,latitude,longitude\n94105,37.78,-122.39\n94106,abc,-122.4\n";
    let first_row = geonames.lines().next().unwrap();
    let base = Zips::from_reader(first_row.as_bytes(), "US.txt").unwrap();
    let e = base
        .with_centroids_reader(census.as_bytes(), "zcta.csv")
        .unwrap_err();
    let errs = e.line_errors();
    assert_eq!((errs[0].file.as_str(), errs[0].line), ("zcta.csv", 3));
    assert!(e.to_string().contains("zcta.csv"), "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn lookups_never_panic(s in "\\PC*") {
        let _ = Zips::embedded().lookup(&s);
        let _ = AreaCodes::embedded().lookup(&s);
        let _ = AreaCodes::embedded().lookup_number(&s);
        let _ = DisposableDomains::embedded().is_disposable(&s);
        let _ = state_zone(&s);
        let _ = county_zone("TX", &s);
        let _ = county_zone(&s, &s);
    }

    #[test]
    fn zip_like_inputs_never_panic(s in "[0-9 +.-]{0,12}") {
        let _ = Zips::embedded().lookup(&s);
        let _ = AreaCodes::embedded().lookup_number(&s);
    }

    #[test]
    fn loaders_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = Zips::from_reader(bytes.as_slice(), "fuzz");
        let _ = AreaCodes::from_reader(bytes.as_slice(), "fuzz");
        let _ = DisposableDomains::from_reader(bytes.as_slice(), "fuzz");
    }

    #[test]
    fn haversine_is_symmetric_and_bounded(a in -90.0f64..90.0, b in -180.0f64..180.0, c in -90.0f64..90.0, d in -180.0f64..180.0) {
        let x = haversine_km(a, b, c, d);
        prop_assert!((x - haversine_km(c, d, a, b)).abs() < 1e-6);
        prop_assert!((0.0..=20_015.2).contains(&x));
    }
}
