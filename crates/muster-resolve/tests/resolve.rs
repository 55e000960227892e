//! Behaviour of the whole resolution on labelled public data and on the traps of the domain.

use std::collections::HashMap;
use std::path::PathBuf;

use muster_resolve::input::{parse_columns, read_people};
use muster_resolve::{Record, Resolution, Settings, resolve};

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Pairwise precision, recall and F1 of predicted clusters against true clusters.
fn pairwise(res: &Resolution, truth_file: &str) -> (f64, f64, f64) {
    let text = std::fs::read_to_string(data(truth_file)).unwrap_or_default();
    let truth: HashMap<&str, &str> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(','))
        .collect();
    let mut cell: HashMap<(&str, &str), u64> = HashMap::new();
    let mut t_size: HashMap<&str, u64> = HashMap::new();
    let mut p_size: HashMap<&str, u64> = HashMap::new();
    for (i, id) in res.ids.iter().enumerate() {
        let t = truth.get(id.as_str()).copied().unwrap_or("?");
        let p = res.cluster_id(i);
        *cell.entry((t, p)).or_default() += 1;
        *t_size.entry(t).or_default() += 1;
        *p_size.entry(p).or_default() += 1;
    }
    let c2 = |n: u64| n * n.saturating_sub(1) / 2;
    let tp: u64 = cell.values().map(|&n| c2(n)).sum();
    let tp_fp: u64 = p_size.values().map(|&n| c2(n)).sum();
    let tp_fn: u64 = t_size.values().map(|&n| c2(n)).sum();
    let p = tp as f64 / tp_fp.max(1) as f64;
    let r = tp as f64 / tp_fn.max(1) as f64;
    (p, r, 2.0 * p * r / (p + r).max(1e-12))
}

fn run(file: &str, columns: &str) -> Resolution {
    let map = parse_columns(columns).unwrap_or_default();
    let loaded = read_people(&data(file), &map).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.rejected.len(), 0);
    let settings = Settings {
        attr_names: loaded.attr_names.clone(),
        ..Settings::default()
    };
    resolve(&loaded.records, &settings).unwrap_or_else(|e| panic!("{e}"))
}

/// Splink 5 on the same files reaches F1 0.80 (fake_1000, wider blocking, threshold 0.95) and
/// 0.994 (febrl3); these floors sit just under what muster's defaults give, so a change that
/// costs accuracy fails here.
#[test]
fn fake_1000_pairwise_f1() {
    let res = run(
        "fake_1000.csv",
        "record_id=person_id,first_name=given_name,surname=family_name,dob=date_of_birth",
    );
    let (p, r, f1) = pairwise(&res, "fake_1000_truth.csv");
    assert!(f1 >= 0.88, "fake_1000 P {p:.4} R {r:.4} F1 {f1:.4}");
    assert!(res.model.em_converged);
}

#[test]
fn febrl3_pairwise_f1() {
    let res = run(
        "febrl3.csv",
        "record_id=person_id,surname=family_name,street_number=address_line1,address_1=address_line1,\
         address_2=address_line2,suburb=city,postcode=postal_code,state=region,soc_sec_id=national_id",
    );
    let (p, r, f1) = pairwise(&res, "febrl3_truth.csv");
    assert!(f1 >= 0.995, "febrl3 P {p:.4} R {r:.4} F1 {f1:.4}");
    assert!(p >= 0.999, "febrl3 precision {p:.4}");
}

fn person(id: &str, name: &str, dob: &str) -> Record {
    Record {
        id: id.into(),
        full_name: Some(name.into()),
        date_of_birth: Some(dob.into()),
        ..Record::default()
    }
}

/// A population of ordinary people (some with a second, slightly different record) for the
/// model to learn from, plus the traps.
fn population() -> Vec<Record> {
    const GIVEN: [&str; 16] = [
        "maria", "kevin", "lena", "omar", "ruth", "james", "aiko", "pedro", "fatima", "john",
        "chloe", "ivan", "grace", "samuel", "noor", "tomas",
    ];
    const FAMILY: [&str; 25] = [
        "gonzalez",
        "park",
        "novak",
        "haddad",
        "okafor",
        "smith",
        "tanaka",
        "silva",
        "khan",
        "brown",
        "nguyen",
        "muller",
        "rossi",
        "dubois",
        "kowalczyk",
        "andersen",
        "petrov",
        "okoro",
        "fischer",
        "moreau",
        "walsh",
        "ibrahim",
        "costa",
        "larsen",
        "hughes",
    ];
    let mut out = Vec::new();
    for i in 0..400 {
        let g = GIVEN[i % GIVEN.len()];
        let f = FAMILY[(i * 7 + i / GIVEN.len()) % FAMILY.len()];
        let dob = format!(
            "19{:02}-{:02}-{:02}",
            50 + i % 50,
            1 + i % 12,
            1 + (i * 3) % 28
        );
        let mut r = person(&format!("p{i}"), &format!("{g} {f}"), &dob);
        r.email = Some(format!("{g}.{f}{i}@example.com"));
        r.phone = Some(format!("(415) 555-{:04}", 1000 + i));
        r.address_line1 = Some(format!("{} Oak Street", 10 + i));
        r.postal_code = Some(format!("94{:03}", i % 200));
        out.push(r.clone());
        if i % 4 == 0 {
            // the same person again: a typo in the family name, another format
            let mut d = r;
            d.id = format!("q{i}");
            d.full_name = Some(format!("{} {}e", g.to_uppercase(), f));
            d.phone = Some(format!("415.555.{:04}", 1000 + i));
            out.push(d);
        }
    }
    out
}

fn shared(mut r: Record, phone: &str, street: &str, zip: &str, bank: &str) -> Record {
    r.phone = Some(phone.into());
    r.address_line1 = Some(street.into());
    r.postal_code = Some(zip.into());
    r.bank_account = Some(bank.into());
    r
}

/// Twelve identities of one facilitator share a phone, a street address and a bank account;
/// they must stay twelve people in one ring, and the population around them must resolve as
/// before.
#[test]
fn a_facilitators_identities_stay_apart_and_form_one_ring() {
    let mut records = population();
    let names = [
        ("Alex Turner", "1993-02-03"),
        ("Sam Rivera", "1991-06-21"),
        ("Jordan Blake", "1989-09-09"),
        ("Chris Morgan", "1994-12-12"),
        ("Taylor Quinn", "1990-01-30"),
        ("Morgan Ellis", "1992-08-14"),
        ("Casey Brooks", "1988-03-03"),
        ("Riley Hart", "1995-05-25"),
        ("Jamie Fox", "1987-07-07"),
        ("Drew Carter", "1996-10-10"),
        ("Avery Stone", "1986-11-19"),
        ("Parker Lane", "1997-04-04"),
    ];
    for (k, (name, dob)) in names.iter().enumerate() {
        records.push(shared(
            person(&format!("r{k}"), name, dob),
            "702-555-0123",
            "3300 Desert Inn Rd Apt 12",
            "89121",
            "000123456789",
        ));
    }
    let res = resolve(&records, &Settings::default()).unwrap_or_else(|e| panic!("{e}"));
    let ring_records: Vec<usize> = (0..res.ids.len())
        .filter(|&i| res.ids[i].starts_with('r'))
        .collect();
    let mut clusters: Vec<&str> = ring_records.iter().map(|&i| res.cluster_id(i)).collect();
    clusters.sort_unstable();
    clusters.dedup();
    assert_eq!(clusters.len(), names.len(), "ring identities merged");
    let ring = res
        .rings
        .iter()
        .find(|r| r.records.contains(&(ring_records[0] as u32)))
        .unwrap_or_else(|| panic!("no ring found"));
    assert_eq!(ring.people, names.len());
    let kinds: Vec<&str> = ring
        .hubs
        .iter()
        .map(|&h| res.hubs[h].kind.as_str())
        .collect();
    assert!(
        kinds.contains(&"phone") && kinds.contains(&"address") && kinds.contains(&"bank_account")
    );
    // bank accounts are masked in hub values
    assert!(
        res.hubs
            .iter()
            .all(|h| h.kind.as_str() != "bank_account" || h.value.starts_with("****"))
    );
    // ordinary duplicates still resolve
    let p0 = res.ids.iter().position(|x| x == "p0").unwrap_or(0);
    let q0 = res.ids.iter().position(|x| x == "q0").unwrap_or(0);
    assert_eq!(res.cluster_id(p0), res.cluster_id(q0));
    // and no cluster holds two different population people
    assert!(
        res.stats.largest_cluster <= 2,
        "{:?}",
        res.stats.largest_cluster
    );
}

/// A couple at one address with one phone and a joint account: two people, one household ring.
#[test]
fn a_couple_sharing_home_phone_and_account_is_two_people() {
    let mut records = population();
    records.push(shared(
        person("c1", "Daniel Reyes", "1984-02-17"),
        "602-555-0171",
        "9 Cactus Rd",
        "85001",
        "55501234",
    ));
    records.push(shared(
        person("c2", "Laura Reyes", "1986-09-03"),
        "602-555-0171",
        "9 Cactus Rd",
        "85001",
        "55501234",
    ));
    let res = resolve(&records, &Settings::default()).unwrap_or_else(|e| panic!("{e}"));
    let pos = |id: &str| res.ids.iter().position(|x| x == id).unwrap_or(0);
    assert_ne!(res.cluster_id(pos("c1")), res.cluster_id(pos("c2")));
    assert!(
        res.rings
            .iter()
            .any(|r| r.people == 2 && r.records.contains(&(pos("c1") as u32)))
    );
}

/// Names in swapped fields, a nickname, another date format and a Gmail variant are one person.
#[test]
fn one_person_written_many_ways() {
    let mut records = population();
    let mut a = person("x1", "Katherine Oyelaran", "1979-03-08");
    a.email = Some("katherine.oyelaran@gmail.com".into());
    let mut b = person("x2", "Oyelaran, Kate", "03/08/1979");
    b.email = Some("KatherineOyelaran+jobs@googlemail.com".into());
    records.push(a);
    records.push(b);
    let res = resolve(&records, &Settings::default()).unwrap_or_else(|e| panic!("{e}"));
    let pos = |id: &str| res.ids.iter().position(|x| x == id).unwrap_or(0);
    assert_eq!(res.cluster_id(pos("x1")), res.cluster_id(pos("x2")));
}

/// The result does not depend on the number of cores (the random pair sample, the training
/// sample and the candidate order are all fixed by the seed).
#[test]
fn results_do_not_depend_on_the_number_of_threads() {
    let records = population();
    let one = resolve(
        &records,
        &Settings {
            threads: 1,
            ..Settings::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let three = resolve(
        &records,
        &Settings {
            threads: 3,
            ..Settings::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(one.cluster_of, three.cluster_of);
    assert!((one.model.lambda - three.model.lambda).abs() < 1e-15);
    assert_eq!(one.model.m, three.model.m);
}

/// A new record that holds a known hub value (here a phone shared by many identities, whose
/// block is too large to compare against) is told so, and the phone gives it no match.
#[test]
fn index_flags_known_hub_values_for_new_records() {
    let mut records = population();
    let names = [
        "Arlo Whitman",
        "Bea Sorensen",
        "Cyrus Palmer",
        "Della Quist",
        "Emeka Obi",
        "Farah Lindqvist",
        "Gus Moretti",
        "Hana Petrakis",
        "Ines Varga",
        "Jude Castell",
        "Kofi Mensah",
        "Lior Adler",
    ];
    for (k, name) in names.iter().enumerate() {
        let mut r = person(
            &format!("h{k}"),
            name,
            &format!("19{}-0{}-1{}", 70 + k, 1 + k % 9, k % 9),
        );
        r.phone = Some("818-555-0100".into());
        records.push(r);
    }
    let settings = Settings {
        max_block: 5,
        ..Settings::default()
    };
    let (mut index, res) =
        muster_resolve::Index::build(&records, settings).unwrap_or_else(|e| panic!("{e}"));
    assert!(res.hubs.iter().any(|h| h.kind.as_str() == "phone"));
    let mut newcomer = person("n1", "Fresh Applicant", "1991-03-03");
    newcomer.phone = Some("(818) 555-0100".into());
    let add = index.add(&newcomer).unwrap_or_else(|e| panic!("{e}"));
    assert!(add.matches.is_empty());
    assert!(
        add.hubs.iter().any(|(k, _)| k.as_str() == "phone"),
        "{add:?}"
    );
}
