//! Throughput of the Greenhouse, NACHA and OCSF readers on ~20k synthetic records each:
//! `cargo bench -p muster-native --bench hr`. Criterion reports MB/s (bytes of input); records/s
//! is printed next to each file's size (records/s = MB/s x records per MB).

use std::hint::black_box;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use muster_native::sources::{greenhouse::Greenhouse, nacha::Nacha, ocsf::Ocsf};
use muster_native::{Input, Loc, Outcome, Source};

const N: usize = 20_000;

fn greenhouse(path: &Path) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..N {
        writeln!(
            f,
            r#"{{"action":"new_candidate_application","payload":{{"application":{{"id":{a},"applied_at":"2026-01-05T14:03:00Z","status":"active","source":{{"id":7,"public_name":"Jobs Board"}},"jobs":[{{"id":31,"name":"Backend Engineer","departments":[{{"id":4,"name":"Engineering"}}]}}],"candidate":{{"id":{i},"first_name":"Given{i}","last_name":"Family{i}","email_addresses":[{{"value":"c{i}@example.com","type":"personal"}}],"phone_numbers":[{{"value":"+1 202 555 0{p:03}","type":"mobile"}}],"addresses":[{{"value":"{i} Example Ave\nSpringfield, IL 62701","type":"home"}}],"social_media_addresses":[{{"value":"https://github.com/c{i}"}}]}}}}}}}}"#,
            a = i + 100_000,
            p = i % 1000
        )
        .unwrap();
    }
}

fn nacha(path: &Path) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let line = |f: &mut std::io::BufWriter<std::fs::File>, s: String| {
        writeln!(f, "{s:<94}").unwrap();
    };
    line(
        &mut f,
        "101 0110000152091000019260105093 0A094101EXAMPLE BANK           EXAMPLE CORP".into(),
    );
    let per_batch = 1000;
    for b in 0..N / per_batch {
        line(
            &mut f,
            format!(
                "5220EXAMPLE CORP                        1234567890PPDPAYROLL   260105260109   1091000010{:06}",
                b + 1
            ),
        );
        let (mut hash, mut credit) = (0u64, 0u64);
        for e in 0..per_batch {
            let cents = 100_000 + e as u64;
            hash += 1_100_001;
            credit += cents;
            line(
                &mut f,
                format!(
                    "622011000015{:<17}{:010}{:<15}{:<22}  0091000010{:06}",
                    format!("{:012}", 100_000_000 + e),
                    cents,
                    format!("E{}", b * per_batch + e),
                    format!("EMPLOYEE {e}"),
                    e + 1
                ),
            );
        }
        line(
            &mut f,
            format!(
                "8220{:06}{:010}{:012}{:012}1234567890                         091000010{:06}",
                per_batch,
                hash % 10_000_000_000,
                0,
                credit,
                b + 1
            ),
        );
    }
    line(&mut f, format!("9{:06}", N / per_batch));
}

fn ocsf(path: &Path) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..N {
        let t = 1_767_607_200_000u64 + i as u64 * 1000;
        let line = match i % 4 {
            0 => format!(
                r#"{{"class_uid":3002,"category_uid":3,"activity_id":1,"time":{t},"status_id":1,"metadata":{{"version":"1.8.0","product":{{"name":"Okta"}}}},"user":{{"name":"u{i}","email_addr":"u{i}@corp.example.com"}},"src_endpoint":{{"ip":"203.0.113.{o}","location":{{"country":"US","city":"Springfield","lat":39.8,"long":-89.6}},"autonomous_system":{{"number":64500,"name":"EXAMPLE-NET"}}}},"http_request":{{"user_agent":"Mozilla/5.0"}},"session":{{"uid":"s{i}"}}}}"#,
                o = i % 250
            ),
            1 => format!(
                r#"{{"class_uid":1007,"category_uid":1,"activity_id":1,"time":{t},"metadata":{{"version":"1.8.0"}},"device":{{"uid":"dev-{d}"}},"process":{{"name":"proc{i}.exe","cmd_line":"proc{i}.exe --flag","file":{{"path":"C:\\Tools\\proc{i}.exe"}},"parent_process":{{"name":"explorer.exe"}},"user":{{"name":"u{i}"}}}}}}"#,
                d = i % 500
            ),
            2 => format!(
                r#"{{"class_uid":4001,"category_uid":4,"activity_id":6,"time":{t},"duration":1500,"metadata":{{"version":"1.8.0"}},"device":{{"uid":"dev-{d}"}},"src_endpoint":{{"ip":"192.0.2.10","port":50123}},"dst_endpoint":{{"ip":"198.51.100.20","port":443}},"connection_info":{{"protocol_name":"TCP","direction_id":2}},"traffic":{{"bytes_in":2048,"bytes_out":4096}}}}"#,
                d = i % 500
            ),
            _ => format!(
                r#"{{"class_uid":1010,"category_uid":1,"activity_id":1,"time":{t},"metadata":{{"version":"1.8.0"}},"device":{{"uid":"dev-{d}"}},"peripheral_device":{{"name":"USB Receiver","vendor_name":"Example","serial_number":"S{i}","vendor_id_list":["USB\\VID_046D&PID_C52B"]}}}}"#,
                d = i % 500
            ),
        };
        writeln!(f, "{line}").unwrap();
    }
}

fn ocsf_parquet(ndjson: &Path, out: &Path) {
    use arrow::json::ReaderBuilder;
    use arrow::json::reader::infer_json_schema;
    use std::io::BufReader;
    let (schema, _) =
        infer_json_schema(BufReader::new(std::fs::File::open(ndjson).unwrap()), None).unwrap();
    let schema = Arc::new(schema);
    let reader = ReaderBuilder::new(schema.clone())
        .build(BufReader::new(std::fs::File::open(ndjson).unwrap()))
        .unwrap();
    let mut w =
        parquet::arrow::ArrowWriter::try_new(std::fs::File::create(out).unwrap(), schema, None)
            .unwrap();
    for b in reader {
        w.write(&b.unwrap()).unwrap();
    }
    w.close().unwrap();
}

fn count(source: &dyn Source, path: &Path) -> (u64, u64) {
    let input = Input::new(path).unwrap();
    let (mut n, mut mapped) = (0u64, 0u64);
    let mut sink = |_: Loc, o: Outcome| {
        n += 1;
        if matches!(o, Outcome::Rows(_)) {
            mapped += 1;
        }
        Ok(())
    };
    source.read(&input, &mut sink).unwrap();
    (n, mapped)
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let gh = dir.path().join("greenhouse.ndjson");
    let ach = dir.path().join("payroll.ach");
    let oj = dir.path().join("ocsf.ndjson");
    let op = dir.path().join("ocsf.parquet");
    greenhouse(&gh);
    nacha(&ach);
    ocsf(&oj);
    ocsf_parquet(&oj, &op);
    let cases: [(&str, &dyn Source, &Path); 4] = [
        ("greenhouse_ndjson", &Greenhouse, &gh),
        ("nacha", &Nacha, &ach),
        ("ocsf_ndjson", &Ocsf, &oj),
        ("ocsf_parquet", &Ocsf, &op),
    ];
    let mut g = c.benchmark_group("hr");
    g.sample_size(10);
    g.measurement_time(std::time::Duration::from_secs(4));
    for (name, source, path) in cases {
        let bytes = std::fs::metadata(path).unwrap().len();
        let (records, mapped) = count(source, path);
        eprintln!(
            "{name}: {bytes} bytes, {records} records ({mapped} mapped), {:.0} records/MB",
            records as f64 / (bytes as f64 / 1e6)
        );
        g.throughput(Throughput::Bytes(bytes));
        g.bench_function(name, |b| b.iter(|| black_box(count(source, path))));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
