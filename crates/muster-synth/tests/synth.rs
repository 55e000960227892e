//! End-to-end checks of the synthetic company: layout, determinism, referential integrity, truth
//! consistency, coverage of every scheme and hard-negative group, volume and working hours.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use muster_synth::{Group, Scheme, SynthConfig, SynthError, SynthSummary, generate, truth_dir};

mod er_applicants;

const TABLES: [&str; 12] = [
    "people",
    "accounts",
    "devices",
    "signins",
    "device_presence",
    "processes",
    "software",
    "peripherals",
    "displays",
    "network",
    "payroll",
    "activity",
];

struct Table {
    header: Vec<String>,
    rows: Vec<csv::StringRecord>,
}

impl Table {
    fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    }
}

fn read(path: &Path) -> Table {
    let mut rd = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = rd.headers().unwrap().iter().map(String::from).collect();
    let rows = rd
        .records()
        .map(|r| r.unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .collect();
    Table { header, rows }
}

fn run(out: &Path, people: usize, seed: u64) -> SynthSummary {
    let cfg = SynthConfig {
        people,
        seed,
        ..SynthConfig::new(out)
    };
    let mut last = 0;
    let s = generate(&cfg, &mut |p| {
        assert_eq!(p.people_done, last + 1);
        assert_eq!(p.people_total, people);
        last = p.people_done;
    })
    .unwrap();
    assert_eq!(last, people);
    s
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut m = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        m.insert(
            e.file_name().to_string_lossy().into_owned(),
            std::fs::read(e.path()).unwrap(),
        );
    }
    m
}

/// Seconds since the epoch of an RFC 3339 UTC timestamp `YYYY-MM-DDTHH:MM:SSZ`.
fn ts(s: &str) -> i64 {
    assert!(
        s.len() == 20 && s.ends_with('Z') && &s[10..11] == "T",
        "bad timestamp {s}"
    );
    let n = |a: usize, b: usize| s[a..b].parse::<i64>().unwrap();
    let (y, m, d) = (n(0, 4), n(5, 7), n(8, 10));
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2.rem_euclid(400);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    days * 86_400 + n(11, 13) * 3600 + n(14, 16) * 60 + n(17, 19)
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    let c = tmp.path().join("c");
    let sa = run(&a, 300, 42);
    let sb = run(&b, 300, 42);
    assert_eq!(sa.rows, sb.rows);
    let (fa, fb) = (files(&a), files(&b));
    assert_eq!(fa.len(), 14, "12 tables + 2 context files: {:?}", fa.keys());
    assert_eq!(fa, fb, "data differs between two runs of one seed");
    let (ta, tb) = (truth_dir(&a).unwrap(), truth_dir(&b).unwrap());
    assert_eq!(
        files(&ta),
        files(&tb),
        "truth differs between two runs of one seed"
    );
    run(&c, 300, 43);
    let fc = files(&c);
    assert_ne!(fa["people.csv"], fc["people.csv"]);
    assert_ne!(fa["signins.csv"], fc["signins.csv"]);
}

#[test]
fn bad_configurations_are_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let base = SynthConfig::new(tmp.path().join("x"));
    for cfg in [
        SynthConfig {
            fraud_rate: 1.5,
            ..base.clone()
        },
        SynthConfig {
            fraud_rate: f64::NAN,
            ..base.clone()
        },
        SynthConfig {
            days: 0,
            ..base.clone()
        },
        SynthConfig {
            out: "".into(),
            ..base.clone()
        },
    ] {
        assert!(
            matches!(generate(&cfg, &mut |_| {}), Err(SynthError::Config(_))),
            "{cfg:?}"
        );
    }
    assert!(truth_dir(Path::new("/")).is_err());
    assert_eq!(
        truth_dir(Path::new("a/demo/")).unwrap(),
        Path::new("a/demo-truth")
    );
    assert_eq!(
        truth_dir(Path::new("demo")).unwrap(),
        Path::new("demo-truth")
    );
}

#[test]
fn tiny_and_fraud_free_companies() {
    let tmp = tempfile::tempdir().unwrap();
    for (k, n) in [0usize, 1, 7].into_iter().enumerate() {
        let out = tmp.path().join(format!("t{k}"));
        let s = run(&out, n, 5);
        assert_eq!(s.people, n);
        assert_eq!(read(&out.join("people.csv")).rows.len(), n);
    }
    let out = tmp.path().join("clean");
    let cfg = SynthConfig {
        people: 200,
        fraud_rate: 0.0,
        ..SynthConfig::new(&out)
    };
    let s = generate(&cfg, &mut |_| {}).unwrap();
    assert_eq!(s.labels["fraud"], 0);
    assert_eq!(s.rings, 0);
}

#[test]
fn extreme_configurations_generate() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        SynthConfig {
            people: 80,
            fraud_rate: 1.0,
            ..SynthConfig::new(tmp.path().join("all-fraud"))
        },
        SynthConfig {
            people: 120,
            days: 1,
            ..SynthConfig::new(tmp.path().join("one-day"))
        },
        SynthConfig {
            people: 40,
            days: 400,
            fraud_rate: 0.2,
            ..SynthConfig::new(tmp.path().join("long"))
        },
        SynthConfig {
            people: 60,
            fraud_rate: 0.5,
            start: chrono::NaiveDate::from_ymd_opt(1999, 12, 27).unwrap(),
            ..SynthConfig::new(tmp.path().join("y2k"))
        },
    ];
    for cfg in cases {
        let s = generate(&cfg, &mut |_| {}).unwrap_or_else(|e| panic!("{cfg:?}: {e}"));
        assert_eq!(s.people, cfg.people);
        assert_eq!(
            s.labels["fraud"],
            (cfg.people as f64 * cfg.fraud_rate).round() as usize
        );
        for name in TABLES {
            read(&cfg.out.join(format!("{name}.csv")));
        }
    }
    // an output path that is a file is an I/O error, not a panic
    let file = tmp.path().join("plain-file");
    std::fs::write(&file, b"x").unwrap();
    assert!(matches!(
        generate(&SynthConfig::new(&file), &mut |_| {}),
        Err(SynthError::Io { .. })
    ));
}

/// Circular mean of hours (0..24).
fn mean_hour(hours: &[f64]) -> f64 {
    let (mut x, mut y) = (0.0, 0.0);
    for h in hours {
        let a = h / 24.0 * std::f64::consts::TAU;
        x += a.cos();
        y += a.sin();
    }
    (y.atan2(x) / std::f64::consts::TAU * 24.0).rem_euclid(24.0)
}

fn hour_gap(a: f64, b: f64) -> f64 {
    let d = (a - b).rem_euclid(24.0);
    d.min(24.0 - d)
}

#[test]
fn population_of_5000() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("company");
    let n = 5000;
    let summary = run(&out, n, 2026);
    let truth = truth_dir(&out).unwrap();
    let t: BTreeMap<&str, Table> = TABLES
        .iter()
        .map(|&name| (name, read(&out.join(format!("{name}.csv")))))
        .collect();

    // ---- headers: contract columns in contract order ----
    for table in muster_contract::TABLES {
        let want: Vec<String> = table.columns.iter().map(|c| c.name.to_string()).collect();
        assert_eq!(t[table.name].header, want, "{} header", table.name);
        assert_eq!(
            summary.rows[table.name],
            t[table.name].rows.len() as u64,
            "{} rows",
            table.name
        );
        // required columns are filled
        for c in table.columns.iter().filter(|c| c.required) {
            let k = t[table.name].col(c.name);
            assert!(
                t[table.name].rows.iter().all(|r| !r[k].is_empty()),
                "{}.{} has empty cells",
                table.name,
                c.name
            );
        }
    }

    // ---- referential integrity ----
    let people = &t["people"];
    let pid_k = people.col("person_id");
    let pids: HashSet<&str> = people.rows.iter().map(|r| &r[pid_k]).collect();
    assert_eq!(pids.len(), n, "person_id unique");
    let devices = &t["devices"];
    let dev_owner: HashMap<&str, &str> = devices
        .rows
        .iter()
        .map(|r| (&r[devices.col("device_id")], &r[devices.col("person_id")]))
        .collect();
    assert_eq!(dev_owner.len(), devices.rows.len(), "device_id unique");
    assert!(dev_owner.values().all(|p| pids.contains(p)));
    let mut login: HashMap<&str, &str> = HashMap::new();
    for r in &t["accounts"].rows {
        assert!(pids.contains(&r[0]));
        login.insert(&r[1], &r[0]);
    }
    let we = people.col("work_email");
    for r in &people.rows {
        if !r[we].is_empty() {
            login.insert(&r[we], &r[pid_k]);
        }
    }
    for r in &t["signins"].rows {
        assert!(
            login.contains_key(&r[1]),
            "sign-in account {} unknown",
            &r[1]
        );
        if !r[6].is_empty() {
            assert!(dev_owner.contains_key(&r[6]));
        }
    }
    for name in [
        "device_presence",
        "processes",
        "software",
        "peripherals",
        "displays",
        "network",
    ] {
        let tb = &t[name];
        let k = tb.col("device_id");
        assert!(
            tb.rows.iter().all(|r| dev_owner.contains_key(&r[k])),
            "{name}: unknown device"
        );
    }
    for r in &t["payroll"].rows {
        assert!(pids.contains(&r[1]));
    }
    for r in &t["activity"].rows {
        assert!(
            pids.contains(&r[1]) || login.contains_key(&r[2]),
            "activity without a person"
        );
    }
    let mgr = people.col("manager_id");
    let refr = people.col("referrer_id");
    assert!(
        people
            .rows
            .iter()
            .all(|r| r[mgr].is_empty() || pids.contains(&r[mgr]))
    );
    assert!(
        people
            .rows
            .iter()
            .all(|r| r[refr].is_empty() || pids.contains(&r[refr]))
    );

    // ---- event times inside the window, RFC 3339 with Z ----
    let t0 = ts("2026-09-01T00:00:00Z");
    let t1 = t0 + 60 * 86_400;
    for name in [
        "signins",
        "device_presence",
        "peripherals",
        "displays",
        "network",
        "activity",
    ] {
        for r in &t[name].rows {
            let x = ts(&r[0]);
            assert!(
                x >= t0 && x < t1,
                "{name} time {} outside the window",
                &r[0]
            );
        }
    }
    for r in &t["processes"].rows {
        ts(&r[0]);
    }

    // ---- truth ----
    let tp = read(&truth.join("people.csv"));
    assert_eq!(
        tp.header,
        [
            "person_id",
            "label",
            "schemes",
            "ring_id",
            "hard_negative_group",
            "role"
        ]
    );
    assert_eq!(tp.rows.len(), n);
    let rings = read(&truth.join("rings.csv"));
    assert_eq!(
        rings.header,
        ["ring_id", "facilitator_address_key", "size", "tricks"]
    );
    assert_eq!(rings.rows.len(), summary.rings);
    let label: HashMap<&str, &str> = tp.rows.iter().map(|r| (&r[0], &r[1])).collect();
    let schemes: HashMap<&str, BTreeSet<&str>> = tp
        .rows
        .iter()
        .map(|r| (&r[0], r[2].split(';').filter(|s| !s.is_empty()).collect()))
        .collect();
    let ring_of: HashMap<&str, &str> = tp
        .rows
        .iter()
        .filter(|r| !r[3].is_empty())
        .map(|r| (&r[0], &r[3]))
        .collect();
    let group_of: HashMap<&str, &str> = tp
        .rows
        .iter()
        .filter(|r| !r[4].is_empty())
        .map(|r| (&r[0], &r[4]))
        .collect();
    let fraud = label.values().filter(|l| **l == "fraud").count();
    assert_eq!(summary.labels["fraud"], fraud);
    assert_eq!(summary.labels["fraud"] + summary.labels["legit"], n);
    assert_eq!(fraud, 150, "fraud share = fraud_rate");
    for r in &tp.rows {
        let is_fraud = &r[1] == "fraud";
        assert!(
            is_fraud || (r[2].is_empty() && r[3].is_empty() && &r[5] == "legit"),
            "legit row {r:?}"
        );
        assert!(
            !is_fraud || r[4].is_empty(),
            "fraud in a hard-negative group {r:?}"
        );
        assert!(["worker", "facilitator_identity", "lone", "legit"].contains(&&r[5]));
        for s in r[2].split(';').filter(|s| !s.is_empty()) {
            assert!(Scheme::parse(s).is_some(), "unknown scheme {s}");
        }
        if !r[4].is_empty() {
            assert!(Group::parse(&r[4]).is_some());
        }
    }
    let mut ring_sizes: BTreeMap<&str, usize> = BTreeMap::new();
    for r in ring_of.values() {
        *ring_sizes.entry(r).or_default() += 1;
    }
    for r in &rings.rows {
        assert_eq!(
            ring_sizes.get(&r[0]).copied().unwrap_or(0),
            r[2].parse::<usize>().unwrap(),
            "ring {} size",
            &r[0]
        );
    }
    let truth_json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(truth.join("truth.json")).unwrap()).unwrap();
    assert_eq!(truth_json["seed"], 2026);
    assert_eq!(truth_json["config"]["people"], n);
    assert_eq!(truth_json["counts"]["labels"]["fraud"], fraud);

    // ---- coverage: every scheme, every group (a few % each), partial rings, lone fraud ----
    for s in Scheme::ALL {
        let c = schemes.values().filter(|x| x.contains(s.as_str())).count();
        assert_eq!(summary.schemes[s.as_str()], c);
        assert!(c > 0, "scheme {} missing", s.as_str());
    }
    for g in Group::ALL {
        let c = group_of.values().filter(|x| **x == g.as_str()).count();
        assert_eq!(summary.groups[g.as_str()], c);
        assert!(
            c as f64 >= 0.025 * n as f64,
            "group {} has only {c}",
            g.as_str()
        );
    }
    assert!(
        rings.rows.iter().any(|r| r[3].split(';').count() <= 2),
        "no partial ring"
    );
    assert!(tp.rows.iter().any(|r| &r[5] == "lone"));
    assert!(
        schemes
            .iter()
            .filter(|(p, _)| label[*p] == "fraud")
            .all(|(_, s)| !s.is_empty()),
        "fraud without evidence"
    );

    // ---- volume ----
    let total: u64 = summary.rows.values().sum();
    let per_person = total as f64 / n as f64;
    assert!(
        (400.0..=650.0).contains(&per_person),
        "{per_person:.0} rows per person"
    );

    // ---- evidence behind the truth ----
    let pres = &t["device_presence"];
    let mut ip_people: HashMap<&str, HashSet<&str>> = HashMap::new();
    for r in &pres.rows {
        ip_people.entry(&r[2]).or_default().insert(dev_owner[&r[1]]);
    }
    for (p, s) in &schemes {
        if s.contains("laptop_farm") {
            let ring = ring_of[p];
            let mine: HashSet<&str> = pres
                .rows
                .iter()
                .filter(|r| dev_owner[&r[1]] == *p)
                .map(|r| &r[2])
                .collect();
            assert!(
                mine.iter().any(|ip| ip_people[ip]
                    .iter()
                    .any(|q| q != p && ring_of.get(q) == Some(&ring))),
                "{p}: laptop_farm without a shared farm IP"
            );
        }
    }
    let pay = &t["payroll"];
    let mut acct_people: HashMap<&str, HashSet<&str>> = HashMap::new();
    for r in &pay.rows {
        if !r[5].is_empty() {
            acct_people.entry(&r[5]).or_default().insert(&r[1]);
        }
    }
    for (p, s) in &schemes {
        let mine: Vec<_> = pay.rows.iter().filter(|r| &r[1] == *p).collect();
        if s.contains("shared_bank") {
            assert!(
                mine.iter()
                    .any(|r| acct_people.get(&r[5]).is_some_and(|x| x.len() > 1)),
                "{p}: shared_bank"
            );
        }
        if s.contains("payout_provider") {
            assert!(
                mine.iter()
                    .any(|r| &r[3] == "payout_provider" || &r[3] == "crypto"),
                "{p}: payout"
            );
        }
        if s.contains("payroll_churn") {
            assert!(
                mine.iter().filter(|r| &r[2] == "account_change").count() >= 3,
                "{p}: churn"
            );
        }
    }
    let sign = &t["signins"];
    let mut mfa_people: HashMap<&str, HashSet<&str>> = HashMap::new();
    for r in &sign.rows {
        if !r[8].is_empty() {
            mfa_people.entry(&r[8]).or_default().insert(login[&r[1]]);
        }
    }
    let shared_mfa: HashSet<&str> = mfa_people
        .values()
        .filter(|s| s.len() > 1)
        .flatten()
        .copied()
        .collect();
    for (p, s) in &schemes {
        assert_eq!(
            s.contains("mfa_shared"),
            shared_mfa.contains(p),
            "{p}: mfa_shared"
        );
    }
    let kvm_vendors = [
        "PiKVM",
        "tinypilot",
        "JetKVM",
        "Glinet",
        "sipeed",
        "smart-kvm",
    ];
    let per = &t["peripherals"];
    let mut kvm_default = HashSet::new();
    let mut kvm_struct = HashSet::new();
    for r in &per.rows {
        let owner = dev_owner[&r[1]];
        if kvm_vendors.contains(&&r[4]) {
            kvm_default.insert(owner);
        }
        if r[7].contains("03:01:01") && r[7].contains("08:06:50") && !kvm_vendors.contains(&&r[4]) {
            kvm_struct.insert(owner);
        }
    }
    for (p, s) in &schemes {
        if s.contains("kvm_default") {
            assert!(kvm_default.contains(p), "{p}: kvm_default");
        }
        if s.contains("kvm_spoofed") {
            assert!(kvm_struct.contains(p), "{p}: kvm_spoofed");
        }
    }
    assert!(
        kvm_default.iter().all(|p| label[p] == "fraud"),
        "a legit device shows a KVM default identity"
    );
    let rmm_procs = [
        "AnyDesk.exe",
        "TeamViewer.exe",
        "TeamViewer_Service.exe",
        "rustdesk.exe",
        "remoting_host.exe",
        "JumpConnect.exe",
        "RCService.exe",
        "SRService.exe",
    ];
    let procs = &t["processes"];
    let mut rmm_people = HashSet::new();
    let mut approved_people = HashSet::new();
    for r in &procs.rows {
        if rmm_procs.contains(&&r[2]) {
            rmm_people.insert(dev_owner[&r[1]]);
        }
        if &r[2] == "ScreenConnect.ClientService.exe" {
            approved_people.insert(dev_owner[&r[1]]);
        }
    }
    for (p, s) in &schemes {
        assert_eq!(s.contains("rmm"), rmm_people.contains(p), "{p}: rmm");
    }
    assert!(
        approved_people
            .iter()
            .all(|p| group_of.get(p) == Some(&"approved_rmm"))
    );
    assert!(!approved_people.is_empty());
    // stolen identity: another record with the same name + DOB + SSN digits, or an impossible SSN
    let (fnk, dobk, nidk) = (
        people.col("full_name"),
        people.col("date_of_birth"),
        people.col("national_id"),
    );
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let mut ident: HashMap<(String, String, String), Vec<&str>> = HashMap::new();
    for r in &people.rows {
        let name = r[fnk]
            .to_lowercase()
            .split_whitespace()
            .filter(|w| !w.ends_with('.'))
            .collect::<Vec<_>>()
            .join(" ");
        ident
            .entry((name, r[dobk].to_string(), digits(&r[nidk])))
            .or_default()
            .push(&r[pid_k]);
    }
    let dup: HashSet<&str> = ident
        .values()
        .filter(|v| v.len() > 1)
        .flatten()
        .copied()
        .collect();
    for r in &people.rows {
        let p = &r[pid_k];
        if schemes[p].contains("stolen_identity") {
            let d = digits(&r[nidk]);
            let area: u32 = d[..3].parse().unwrap();
            let invalid = area == 0 || area == 666 || area >= 900 || &d[3..5] == "00";
            assert!(
                invalid || dup.contains(p),
                "{p}: stolen_identity without evidence"
            );
        }
    }
    // households share their address, coworkers a public IP
    let addr = people.col("address_line1");
    let mut addr_people: HashMap<&str, usize> = HashMap::new();
    for r in &people.rows {
        *addr_people.entry(&r[addr]).or_default() += 1;
    }
    for r in &people.rows {
        if group_of.get(&r[pid_k]) == Some(&"household") {
            assert!(
                addr_people[&r[addr]] > 1,
                "household member alone at {}",
                &r[addr]
            );
        }
    }

    // personal emails are unique except where a recruiter, an agency or a ring shares one
    let emk = people.col("email");
    let mut email_people: HashMap<&str, Vec<&str>> = HashMap::new();
    for r in &people.rows {
        email_people.entry(&r[emk]).or_default().push(&r[pid_k]);
    }
    for v in email_people.values().filter(|v| v.len() > 1) {
        for p in v {
            let ok = label[p] == "fraud"
                || matches!(
                    group_of.get(p),
                    Some(&"recruiter_batch") | Some(&"staffing_agency")
                );
            assert!(ok, "{p} shares a personal email unexpectedly");
        }
    }
    // ship_to_facilitator: a laptop shipped away from the record's address, or to an address
    // other identities' laptops also go to
    let (l1, zip) = (people.col("address_line1"), people.col("postal_code"));
    let home: HashMap<&str, (&str, &str)> = people
        .rows
        .iter()
        .map(|r| (&r[pid_k], (&r[l1], &r[zip])))
        .collect();
    let (sl1, szip) = (
        devices.col("ship_to_line1"),
        devices.col("ship_to_postal_code"),
    );
    let mut ship_people: HashMap<(&str, &str), HashSet<&str>> = HashMap::new();
    for r in &devices.rows {
        ship_people
            .entry((&r[sl1], &r[szip]))
            .or_default()
            .insert(dev_owner[&r[0]]);
    }
    for r in &devices.rows {
        let p = dev_owner[&r[0]];
        if schemes[p].contains("ship_to_facilitator") {
            let to = (&r[sl1], &r[szip]);
            assert!(
                home[p] != to || ship_people[&to].len() > 1,
                "{p}: ship_to_facilitator without evidence"
            );
        }
    }

    // ---- working hours: offshore fraud shifted, night shift exists ----
    let act = &t["activity"];
    let mut hours: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for r in &act.rows {
        let p = if r[1].is_empty() { login[&r[2]] } else { &r[1] };
        let x = ts(&r[0]);
        let h = (x.rem_euclid(86_400)) as f64 / 3600.0;
        let key = if schemes[p].contains("offshore_hours") {
            "offshore"
        } else if label[p] == "fraud" {
            "fraud_other"
        } else if group_of.get(p) == Some(&"night_shift") {
            "night"
        } else if !group_of.contains_key(p) {
            "legit"
        } else {
            "grouped"
        };
        hours.entry(key).or_default().push(h);
    }
    let legit_h = mean_hour(&hours["legit"]);
    let off_h = mean_hour(&hours["offshore"]);
    let night_h = mean_hour(&hours["night"]);
    assert!(
        hour_gap(legit_h, off_h) > 5.0,
        "offshore {off_h:.1} vs legit {legit_h:.1}"
    );
    assert!(
        hour_gap(legit_h, night_h) > 5.0,
        "night {night_h:.1} vs legit {legit_h:.1}"
    );
    assert!(hours["night"].len() > 1000);
}
