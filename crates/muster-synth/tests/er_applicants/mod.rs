//! The applicant set of the entity-resolution benchmark (`generate_applicants`): layout,
//! determinism, truth consistency, rings and stolen identities, duplicate rates, summary counts.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use muster_synth::{
    APPLICANT_HEADER, ApplicantConfig, ApplicantSummary, MAX_RECORDS, SynthError,
    generate_applicants,
};
use proptest::prelude::*;

fn generate_set(dir: &Path, records: usize, seed: u64) -> ApplicantSummary {
    let cfg = ApplicantConfig {
        records,
        seed,
        ..ApplicantConfig::new(dir)
    };
    generate_applicants(&cfg).unwrap()
}

fn rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut rd = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(path)
        .unwrap();
    let header = rd.headers().unwrap().iter().map(String::from).collect();
    let rows = rd
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

fn pairs(path: &Path, header: &[&str]) -> Vec<(String, String)> {
    let (h, rows) = rows(path);
    assert_eq!(h, header, "{}", path.display());
    rows.into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect()
}

fn iso(d: &str) -> String {
    match d.split('/').collect::<Vec<_>>()[..] {
        [m, day, y] => format!("{y}-{m}-{day}"),
        _ => d.to_string(),
    }
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

#[test]
fn applicants_same_seed_same_bytes() {
    let t = tempfile::tempdir().unwrap();
    let (a, b, c) = (t.path().join("a"), t.path().join("b"), t.path().join("c"));
    generate_set(&a, 4_000, 11);
    generate_set(&b, 4_000, 11);
    generate_set(&c, 4_000, 12);
    for f in [
        "records.csv",
        "truth.csv",
        "truth_legit.csv",
        "rings.csv",
        "summary.json",
    ] {
        let x = std::fs::read(a.join(f)).unwrap();
        assert_eq!(x, std::fs::read(b.join(f)).unwrap(), "{f}");
        if f == "records.csv" {
            assert_ne!(x, std::fs::read(c.join(f)).unwrap());
        }
    }
    // nothing but the layout is left behind
    let names: BTreeSet<String> = std::fs::read_dir(&a)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "records.csv",
            "rings.csv",
            "summary.json",
            "truth.csv",
            "truth_legit.csv"
        ]
        .map(String::from)
        .into_iter()
        .collect()
    );
}

#[test]
fn applicants_bad_configurations_are_errors() {
    let t = tempfile::tempdir().unwrap();
    for records in [0, MAX_RECORDS + 1] {
        let cfg = ApplicantConfig {
            records,
            ..ApplicantConfig::new(t.path())
        };
        assert!(matches!(
            generate_applicants(&cfg),
            Err(SynthError::Config(_))
        ));
    }
    let cfg = ApplicantConfig::new("");
    assert!(matches!(
        generate_applicants(&cfg),
        Err(SynthError::Config(_))
    ));
}

#[test]
fn applicants_truth_rings_stolen_identities_and_counts() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    let n = 40_000;
    let s = generate_set(dir, n, 7);

    let (header, recs) = rows(&dir.join("records.csv"));
    assert_eq!(header, APPLICANT_HEADER);
    assert_eq!(
        header.join(","),
        "record_id,first_name,last_name,dob,email,phone,street,city,state,zip,ssn,bank_account"
    );
    assert_eq!(recs.len(), n);
    let ids: Vec<&str> = recs.iter().map(|r| r[0].as_str()).collect();
    let expect: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    assert_eq!(ids, expect, "record ids are 0..n in file order");

    // truth covers every record exactly once
    let truth: HashMap<String, String> =
        pairs(&dir.join("truth.csv"), &["record_id", "cluster_id"])
            .into_iter()
            .collect();
    assert_eq!(truth.len(), n);
    assert!(ids.iter().all(|i| truth.contains_key(*i)));
    let legit: HashMap<String, String> =
        pairs(&dir.join("truth_legit.csv"), &["record_id", "cluster_id"])
            .into_iter()
            .collect();
    for (id, c) in &legit {
        assert_eq!(truth.get(id), Some(c), "truth_legit is a subset of truth");
    }
    let (rh, ring_rows) = rows(&dir.join("rings.csv"));
    assert_eq!(rh, ["record_id", "ring_id", "role"]);
    let ring: HashMap<String, (String, String)> = ring_rows
        .into_iter()
        .map(|r| (r[0].clone(), (r[1].clone(), r[2].clone())))
        .collect();
    // legit and ring records partition the file, and no cluster mixes them
    assert_eq!(legit.len() + ring.len(), n);
    assert!(ring.keys().all(|id| !legit.contains_key(id)));
    let legit_clusters: HashSet<&String> = legit.values().collect();
    let mut ring_of_cluster: HashMap<&String, &String> = HashMap::new();
    let mut clusters_of_ring: BTreeMap<&String, BTreeSet<&String>> = BTreeMap::new();
    for (id, (rg, role)) in &ring {
        assert!(["identity", "stolen", "facilitator"].contains(&role.as_str()));
        let c = &truth[id];
        assert!(
            !legit_clusters.contains(c),
            "ring cluster {c} has legit records"
        );
        let prev = ring_of_cluster.insert(c, rg);
        assert!(prev.is_none_or(|p| p == rg), "cluster {c} in two rings");
        clusters_of_ring.entry(rg).or_default().insert(c);
    }
    // one cluster per identity: a ring of k identities has k clusters
    assert_eq!(ring_of_cluster.len() as u64, s.ring_identities);
    assert_eq!(clusters_of_ring.len() as u64, s.rings);
    assert!(clusters_of_ring.values().any(|c| c.len() >= 5));

    // stolen identities copy a legitimate person's name, date of birth and SSN, in another cluster
    let key = |r: &Vec<String>| {
        (
            r[1].to_lowercase(),
            r[2].to_lowercase(),
            iso(&r[3]),
            digits(&r[10]),
        )
    };
    let mut legit_keys: HashMap<_, HashSet<&String>> = HashMap::new();
    for r in &recs {
        if let Some(c) = legit.get(&r[0])
            && !r[10].is_empty()
        {
            legit_keys.entry(key(r)).or_default().insert(c);
        }
    }
    let mut stolen = 0;
    for r in &recs {
        if ring.get(&r[0]).is_some_and(|(_, role)| role == "stolen") {
            stolen += 1;
            let k = key(r);
            assert_eq!(k.3.len(), 9, "stolen records carry the SSN: {r:?}");
            let owners = legit_keys
                .get(&k)
                .unwrap_or_else(|| panic!("no legitimate owner for stolen record {r:?}"));
            assert!(!owners.contains(&truth[&r[0]]));
        }
    }
    assert!(stolen > 10, "{stolen}");

    // duplicates at the configured rates
    let mut size: HashMap<&String, u64> = HashMap::new();
    for c in truth.values() {
        *size.entry(c).or_default() += 1;
    }
    let people = size.len() as u64;
    let multi = size.values().filter(|k| **k > 1).count() as f64 / people as f64;
    assert!(
        (0.15..0.32).contains(&multi),
        "people with 2+ records: {multi}"
    );
    let ring_share = s.ring_identities as f64 / people as f64;
    assert!(
        (0.007..0.03).contains(&ring_share),
        "ring share {ring_share}"
    );
    for k in [
        "household",
        "twins",
        "jr_sr",
        "family_phone",
        "agency_batch",
    ] {
        assert!(
            s.hard_negative_groups.get(k).copied().unwrap_or(0) > 0,
            "{k}"
        );
    }
    for k in [
        "nickname",
        "first_name_typo",
        "last_name_typo",
        "married_name",
        "dob_us_format",
        "dob_off_by_one_day",
        "email_changed",
        "email_gmail_variant",
        "phone_changed",
        "address_moved",
        "ssn_typo",
        "ssn_missing",
        "bank_present",
        "ring_phone",
        "ring_bank",
    ] {
        assert!(
            s.corruptions_duplicates.get(k).copied().unwrap_or(0) > 0,
            "{k}"
        );
    }

    // the summary adds up and matches the files
    assert_eq!(s.records, n as u64);
    assert_eq!(s.records, s.legit_records + s.ring_records);
    assert_eq!(s.people, s.legit_people + s.ring_identities);
    assert_eq!(s.people, people);
    assert_eq!(s.clusters, people);
    assert_eq!(s.duplicates, s.records - s.clusters);
    assert_eq!(s.legit_records, legit.len() as u64);
    assert_eq!(
        s.legit_people,
        legit.values().collect::<HashSet<_>>().len() as u64
    );
    assert_eq!(s.ring_records, ring.len() as u64);
    assert_eq!(s.ring_records_by_role.values().sum::<u64>(), s.ring_records);
    assert_eq!(s.ring_roles.values().sum::<u64>(), s.ring_identities);
    assert_eq!(s.records_per_cluster.values().sum::<u64>(), s.people);
    assert_eq!(
        s.records_per_cluster
            .iter()
            .map(|(k, v)| k.parse::<u64>().unwrap() * v)
            .sum::<u64>(),
        s.records
    );
    assert_eq!(s.sources.values().sum::<u64>(), s.records);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(json["records"], n as u64);
    assert_eq!(json["config"]["seed"], 7);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn applicants_any_small_size_writes_a_valid_file(records in 1usize..600, seed in any::<u64>()) {
        let t = tempfile::tempdir().unwrap();
        let s = generate_set(t.path(), records, seed);
        let (header, recs) = rows(&t.path().join("records.csv"));
        prop_assert_eq!(header, APPLICANT_HEADER.to_vec());
        prop_assert_eq!(recs.len(), records);
        prop_assert!(recs.iter().enumerate().all(|(i, r)| r[0] == i.to_string()));
        let truth = pairs(&t.path().join("truth.csv"), &["record_id", "cluster_id"]);
        prop_assert_eq!(truth.len(), records);
        let legit = pairs(&t.path().join("truth_legit.csv"), &["record_id", "cluster_id"]);
        let (_, ring) = rows(&t.path().join("rings.csv"));
        prop_assert_eq!(legit.len() + ring.len(), records);
        prop_assert_eq!(s.records, records as u64);
        prop_assert_eq!(s.people, s.legit_people + s.ring_identities);
        for r in &recs {
            // dates parse in one of the two formats, SSNs have 9 digits or are masked / empty
            prop_assert!(r[3].is_empty() || r[3].len() == 10, "{:?}", r);
            let d = digits(&r[10]);
            prop_assert!(r[10].is_empty() || d.len() == 9 || r[10].starts_with("***"), "{:?}", r);
        }
    }
}
