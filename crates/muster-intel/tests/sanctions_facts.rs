//! Facts of the embedded OFAC SDN snapshot (2024-05-03) and address lists, matching
//! behaviour, negatives and corrupt inputs.

use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;

use muster_intel::sanctions::{EntryKind, HitKind, Sanctions};
use proptest::prelude::*;

fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/sanctions")
        .join(rel)
}

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

fn s() -> &'static Sanctions {
    let s = Sanctions::embedded();
    assert_eq!(s.load_error(), None);
    s
}

fn best(name: &str, min: f64) -> Option<(u32, f64)> {
    s().match_name_min(name, min)
        .first()
        .map(|h| (h.ent_num, h.score))
}

#[test]
fn embedded_counts() {
    let st = s().stats();
    eprintln!("{st:#?}");
    assert_eq!(st.entries, 14_965);
    assert_eq!(st.individuals, 6_854);
    assert_eq!(st.vessels, 851);
    assert_eq!(st.aircraft, 376);
    assert!(st.aliases > 3_500, "{}", st.aliases);
    assert!(st.emails > 250 && st.websites > 900);
    assert!(st.entry_crypto_addresses > 250);
    assert!(st.list_crypto_addresses > 600);
    assert!(st.list_crypto_mapped > 250);
    assert!(st.dprk_entries >= 484);
}

#[test]
fn komid_entry_is_parsed() {
    let e = s().entry(9345).expect("KOMID");
    assert_eq!(e.name, "KOREA MINING DEVELOPMENT TRADING CORPORATION");
    assert_eq!(e.kind, EntryKind::Entity);
    assert_eq!(e.programs, ["NPWMD", "DPRK2"]);
    assert_eq!(e.aliases, ["KOMID"]);
    assert!(e.dprk_related);
    let k = s().entry(17614).expect("KIM Yong Chol");
    assert_eq!(k.kind, EntryKind::Individual);
    assert_eq!(k.dates_of_birth, ["18 Feb 1962"]);
    assert_eq!(k.nationalities, ["Korea, North"]);
}

/// dprk.csv (derived from the same snapshot) adds nothing: every row is an entry of sdn.csv
/// with the same name, and `dprk_related` covers its selection.
#[test]
fn dprk_csv_is_covered() {
    let mut rdr = csv::Reader::from_path(data("dprk.csv")).unwrap();
    let mut n = 0;
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let ent: u32 = rec[0].parse().unwrap();
        let e = s().entry(ent).unwrap_or_else(|| panic!("{ent} missing"));
        assert_eq!(e.name, &rec[1]);
        assert!(e.dprk_related, "{ent} {}", e.name);
        n += 1;
    }
    assert_eq!(n, 484);
}

#[test]
fn entity_name_order_spacing_and_legal_forms() {
    for q in [
        "KOREA MINING DEVELOPMENT TRADING CORPORATION",
        "Trading Corporation Korea Mining Development",
        "KOREA  MINING-DEVELOPMENT TRADING CORP",
        "Korea Mining Development Trading Co., Ltd.",
        "korea mining developement trading",
    ] {
        let (ent, score) = best(q, 0.88).unwrap_or_else(|| panic!("{q}"));
        assert_eq!(ent, 9345, "{q}");
        assert!(score >= 0.95, "{q}: {score}");
    }
    let h = &s().match_name("Korea Mining Development")[..];
    assert!(
        h.iter().all(|h| h.ent_num != 9345),
        "3 of 4 tokens is not a hit"
    );
}

#[test]
fn alias_from_remarks_matches() {
    let hits = s().match_name("Komid");
    assert_eq!(hits[0].ent_num, 9345);
    assert_eq!(hits[0].matched_name, "KOMID");
    assert_eq!(hits[0].score, 1.0);
    assert!(hits[0].dprk_related);
    let hits = s().match_name("hidden cobra");
    assert_eq!(hits[0].entry_name, "LAZARUS GROUP");
}

#[test]
fn korean_romanisation_variants() {
    for q in [
        "Kim Jong Un",
        "Jong Un Kim",
        "KIM Jong-Un",
        "Kim Jongun",
        "Gim Jong Un",
        "Kim Chong Un",
        "Gim Chong-un",
        "Jung Un Kim",
    ] {
        let hits = s().match_name(q);
        assert!(
            hits.iter().any(|h| h.ent_num == 20157),
            "{q}: {:?}",
            hits.first()
        );
    }
    // Ri / Lee and Chong / Jong: RI, Chong Chol (18668)
    assert!(
        s().match_name("Lee Jong Chul")
            .iter()
            .any(|h| h.ent_num == 18668)
    );
    // Initials match, with a lower score only.
    assert!(
        s().match_name("K. J. Un")
            .iter()
            .all(|h| h.ent_num != 20157)
    );
    let low = s().match_name_min("K. J. Un", 0.8);
    let h = low.iter().find(|h| h.ent_num == 20157).expect("initials");
    assert!(h.score < 0.88);
}

#[test]
fn negatives() {
    for q in [
        "John Smith",
        "Korea",
        "Kim",
        "Kim Lee",
        "Jong Un",
        "Maria Garcia",
        "",
    ] {
        let hits = s().match_name(q);
        assert!(hits.is_empty(), "{q}: {:?}", hits.first());
    }
    // Two common tokens never score high against a listed three-token name.
    let h = s().match_name_min("Kim Lee", 0.0);
    assert!(h.iter().all(|h| h.score < 0.7), "{:?}", h.first());
    // A one-token query never matches a multi-token name, whatever the threshold.
    assert!(
        s().match_name_min("Kim", 0.01)
            .iter()
            .all(|h| h.matched_name.split_whitespace().count() == 1)
    );
    assert!(
        s().match_crypto("1BoatSLRHtKNngkdXEeobR76b53LETtpyT")
            .is_empty()
    );
    assert!(s().match_crypto("").is_empty());
    assert!(s().match_email("someone@example.com").is_empty());
    assert!(s().match_domain("gmail.com").is_empty());
    assert!(s().match_domain("example.com").is_empty());
}

#[test]
fn crypto_addresses() {
    // XBT from the list, in TIAN Yinyin's remarks (DPRK3, CYBER2).
    let h = s().match_crypto("134r8iHv69xdT6p5qVKTsHrcUEuBVZAYak");
    assert_eq!(h.len(), 1);
    assert_eq!((h[0].ent_num, h[0].kind), (28263, HitKind::Crypto));
    assert_eq!(h[0].currency.as_deref(), Some("XBT"));
    assert!(h[0].dprk_related);
    // base58 is case-sensitive.
    assert!(
        s().match_crypto("134R8IHV69XDT6P5QVKTSHRCUEUBVZAYAK")
            .is_empty()
    );
    // ETH: checksum case does not matter.
    for a in [
        "0x098B716B8Aaf21512996dC57EB0615e2383E2f96",
        "0x098b716b8aaf21512996dc57eb0615e2383e2f96",
    ] {
        let h = s().match_crypto(a);
        assert_eq!(h[0].ent_num, 27307, "{a}");
        assert_eq!(
            h[0].matched_name,
            "0x098B716B8Aaf21512996dC57EB0615e2383E2f96"
        );
    }
    // An address only in the (newer) per-currency list: hit without an entry.
    let h = s().match_crypto("123WBUDmSJv4GctdVEz6Qq6z8nXSKrJ4KX");
    assert_eq!(h.len(), 1);
    assert_eq!((h[0].ent_num, h[0].score), (0, 1.0));
}

#[test]
fn emails_and_domains() {
    let h = s().match_email("HAEJINSM@silibank.net.kp");
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].ent_num, 18953);
    assert_eq!((h[0].kind, h[0].score), (HitKind::Email, 1.0));
    let d = s().match_domain("https://silibank.net.kp/login");
    assert!(
        d.iter()
            .any(|h| h.ent_num == 18953 && h.kind == HitKind::Email)
    );
    let w = s().match_domain("http://www.bankrefah.ir/en");
    assert!(
        w.iter()
            .any(|h| h.kind == HitKind::Website && h.score == 1.0)
    );
    let sub = s().match_domain("mail.bankrefah.ir");
    assert!(
        sub.iter()
            .any(|h| h.kind == HitKind::Website && h.score < 1.0)
    );
}

#[test]
fn advanced_xml_fixture() {
    let x = Sanctions::from_sdn_advanced_xml(fixture("sdn_advanced_sample.xml")).unwrap();
    assert_eq!(x.len(), 3);
    let komid = x.entry(9345).unwrap();
    assert_eq!(komid.programs, ["NPWMD", "DPRK2"]);
    assert_eq!(komid.aliases, ["KOMID"]);
    assert_eq!(komid.websites, ["www.komid-example.kp"]);
    let kim = x.entry(20157).unwrap();
    assert_eq!(kim.name, "KIM, Jong Un");
    assert_eq!(kim.kind, EntryKind::Individual);
    assert_eq!(kim.weak_aliases, ["Marshal & Leader"]);
    assert!(
        kim.aliases.is_empty(),
        "Hangul name skipped: {:?}",
        kim.aliases
    );
    assert_eq!(x.match_name("Gim Chong Un")[0].ent_num, 20157);
    assert_eq!(x.match_name("Marshal & Leader")[0].ent_num, 20157);
    assert!(
        x.match_name("Marshal Leaders").is_empty(),
        "weak aliases: exact only"
    );
    assert_eq!(
        x.match_crypto("0x098b716b8aaf21512996dc57eb0615e2383e2f96")[0].ent_num,
        27307
    );
    assert_eq!(x.match_email("lazarus@example.kp")[0].ent_num, 27307);
    assert_eq!(x.match_domain("komid-example.kp")[0].ent_num, 9345);
    // The embedded address lists come along: list-only address.
    assert_eq!(
        x.match_crypto("123WBUDmSJv4GctdVEz6Qq6z8nXSKrJ4KX")[0].ent_num,
        0
    );
}

#[test]
fn csv_from_path_gz_and_crypto_dir() {
    let c = Sanctions::from_sdn_csv(data("sdn.csv.gz"))
        .unwrap()
        .with_crypto_dir(data("crypto"))
        .unwrap();
    assert_eq!(c.stats(), s().stats());
    let extra = c
        .with_crypto_list(
            "XBT",
            "# test\n1BoatSLRHtKNngkdXEeobR76b53LETtpyT\n".as_bytes(),
            "t.txt",
        )
        .unwrap();
    assert_eq!(
        extra
            .match_crypto("1BoatSLRHtKNngkdXEeobR76b53LETtpyT")
            .len(),
        1
    );
}

fn tmp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("muster-sanctions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::File::create(&p).unwrap().write_all(bytes).unwrap();
    p
}

#[test]
fn corrupt_inputs_are_clear_errors() {
    let gz = std::fs::read(data("sdn.csv.gz")).unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty.csv", Vec::new()),
        (
            "garbage.csv",
            vec![0xff, 0xfe, 0x00, 0x81, b'\n', 0xc3, 0x28],
        ),
        ("truncated.csv.gz", gz[..gz.len() / 2].to_vec()),
        ("short.csv", b"1,\"A\",-0-\n".to_vec()),
        (
            "badnum.csv",
            b"x,\"A\",-0-,P,-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n".to_vec(),
        ),
    ];
    for (name, bytes) in cases {
        let p = tmp(name, &bytes);
        let err = Sanctions::from_sdn_csv(&p).expect_err(name).to_string();
        assert!(err.contains(name), "{name}: {err}");
    }
    let xml_cases: Vec<(&str, &[u8])> = vec![
        ("empty.xml", b""),
        ("garbage.xml", b"\x00\xff\xfe garbage <<<"),
        (
            "unclosed.xml",
            b"<Sanctions><DistinctParties><DistinctParty FixedRef=\"1\">",
        ),
        ("mismatch.xml", b"<Sanctions><A></B></Sanctions>"),
        ("other.xml", b"<html><body/></html>"),
        ("noparties.xml", b"<Sanctions></Sanctions>"),
    ];
    for (name, bytes) in xml_cases {
        let p = tmp(name, bytes);
        let err = Sanctions::from_sdn_advanced_xml(&p)
            .expect_err(name)
            .to_string();
        assert!(err.contains(name), "{name}: {err}");
    }
    let bad = s()
        .clone()
        .with_crypto_list("XBT", "ok1abc\nnot an address\n".as_bytes(), "list.txt")
        .expect_err("bad list");
    assert_eq!(bad.line_errors()[0].line, 2);
    assert!(Sanctions::from_sdn_csv(data("missing.csv")).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn match_name_never_panics(q in "\\PC{0,60}") {
        let _ = s().match_name_min(&q, 0.0);
        let _ = s().match_email(&q);
        let _ = s().match_domain(&q);
        let _ = s().match_crypto(&q);
    }

    #[test]
    fn token_order_does_not_change_best_score(
        toks in prop::collection::vec(
            prop::sample::select(vec![
                "kim", "jong", "un", "gim", "chong", "korea", "mining", "trading", "development",
                "yong", "chol", "ri", "smith", "john", "lazarus", "group", "jongun", "x",
            ]),
            1..5,
        ),
        seed in any::<u64>(),
    ) {
        let q1 = toks.join(" ");
        let mut shuffled = toks.clone();
        let mut x = seed | 1;
        for i in (1..shuffled.len()).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            shuffled.swap(i, (x % (i as u64 + 1)) as usize);
        }
        let q2 = shuffled.join(" ");
        let b1 = s().match_name_min(&q1, 0.3).first().map(|h| h.score);
        let b2 = s().match_name_min(&q2, 0.3).first().map(|h| h.score);
        prop_assert_eq!(b1, b2, "{} vs {}", q1, q2);
    }
}

#[test]
fn hits_are_unique_per_entry() {
    let hits = s().match_name_min("Kim Yong Chol", 0.5);
    let ids: HashSet<u32> = hits.iter().map(|h| h.ent_num).collect();
    assert_eq!(ids.len(), hits.len());
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(hits.iter().any(|h| h.ent_num == 17614 && h.score == 1.0));
}
