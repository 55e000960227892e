//! Throughput of the endpoint and network readers on ~20k synthetic records each (MB/s and
//! records/s, read + map, no Parquet writing): `cargo bench -p muster-native --bench endpoint`.

use std::fmt::Write;
use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use muster_native::sources::{osquery::OSQUERY, windows::WINDOWS, zeek::ZEEK_CONN};
use muster_native::{Input, Loc, Outcome, Source};

const N: usize = 20_000;

fn osquery_lines() -> String {
    let mut s = String::new();
    for i in 0..N {
        let t = 1_767_607_200 + i;
        let _ = match i % 4 {
            0 => writeln!(
                s,
                r#"{{"name":"pack_it_processes","hostIdentifier":"WS-{h:04}.corp.example","calendarTime":"Mon Jan  5 10:00:00 2026 UTC","unixTime":"{t}","epoch":"0","counter":"{i}","numerics":false,"decorations":{{"host_uuid":"uuid-{h}","username":"dev{h}"}},"columns":{{"pid":"{i}","name":"proc{i}.exe","path":"C:\\Program Files\\App\\proc{i}.exe","cmdline":"proc{i}.exe --flag value","parent":"612","uid":"1000","on_disk":"1"}},"action":"added"}}"#,
                h = i % 500
            ),
            1 => writeln!(
                s,
                r#"{{"name":"pack_hw_usb","hostIdentifier":"WS-{h:04}.corp.example","calendarTime":"Mon Jan  5 10:00:00 2026 UTC","unixTime":"{t}","epoch":"0","counter":"{i}","numerics":false,"columns":{{"usb_address":"1","usb_port":"2","vendor":"Logitech, Inc.","vendor_id":"046d","version":"1211","model":"Unifying Receiver","model_id":"c52b","serial":"","class":"03","subclass":"01","protocol":"02","removable":"1"}},"action":"added"}}"#,
                h = i % 500
            ),
            2 => writeln!(
                s,
                r#"{{"name":"pack_it_programs","hostIdentifier":"WS-{h:04}.corp.example","calendarTime":"Mon Jan  5 10:00:00 2026 UTC","unixTime":"{t}","epoch":"0","counter":"{i}","numerics":false,"columns":{{"name":"Program {i}","version":"1.2.{i}","install_location":"C:\\Program Files\\P{i}","publisher":"Vendor","uninstall_string":"x","install_date":"20260103","identifying_number":"{{GUID-{i}}}"}},"action":"added"}}"#,
                h = i % 500
            ),
            _ => writeln!(
                s,
                r#"{{"name":"wifi_status","hostIdentifier":"MBP-{h:04}.corp.example","calendarTime":"Mon Jan  5 10:00:00 2026 UTC","unixTime":"{t}","epoch":"0","counter":"{i}","numerics":false,"columns":{{"interface":"en0","ssid":"Net{h}","bssid":"a0:b1:c2:d3:{a:02x}:{b:02x}","network_name":"Net{h}","rssi":"-51","noise":"-94","channel":"149","transmit_rate":"866","mode":"Station"}},"action":"added"}}"#,
                h = i % 500,
                a = (i / 256) % 256,
                b = i % 256
            ),
        };
    }
    s
}

fn windows_lines() -> String {
    let mut s = String::new();
    for i in 0..N {
        let ms = i % 1000;
        let _ = match i % 3 {
            0 => writeln!(
                s,
                r#"{{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","SourceName":"Microsoft-Windows-Sysmon","Hostname":"WS-{h:04}.corp.example","host":"collector","EventTime":"2026-01-05 05:00:00","@timestamp":"2026-01-05T10:00:01.000Z","UtcTime":"2026-01-05 10:00:00.{ms:03}","ProcessGuid":"{{b34bc01c-b7ea-5f69-d102-000000000900}}","ProcessId":"{i}","Image":"C:\\Windows\\System32\\proc{i}.exe","CommandLine":"proc{i}.exe -k netsvcs","User":"CORP\\dev{h}","Hashes":"SHA1=9B290C213D7C2EF568D28E37C7EDFA464FC2FFB5,MD5=AC8ACF4923085D95BD419575F66DD0B5,SHA256=3F9BEFAD2FDAD5D2DC4CEBD61A909F45F5EF5E900256BBA51FE30D8FE2D63CB6","ParentImage":"C:\\Windows\\System32\\svchost.exe","IntegrityLevel":"Medium"}}"#,
                h = i % 500
            ),
            1 => writeln!(
                s,
                r#"{{"EventID":3,"Channel":"Microsoft-Windows-Sysmon/Operational","SourceName":"Microsoft-Windows-Sysmon","Hostname":"WS-{h:04}.corp.example","host":"collector","EventTime":"2026-01-05 05:00:00","@timestamp":"2026-01-05T10:00:01.000Z","UtcTime":"2026-01-05 10:00:00.{ms:03}","Image":"C:\\Windows\\System32\\svchost.exe","User":"NT AUTHORITY\\NETWORK SERVICE","Protocol":"tcp","Initiated":"false","SourceIsIpv6":"false","SourceIp":"203.0.113.{a}","SourceHostname":"-","SourcePort":"{p}","DestinationIsIpv6":"false","DestinationIp":"192.168.1.20","DestinationHostname":"-","DestinationPort":"3389"}}"#,
                h = i % 500,
                a = i % 250,
                p = 1024 + i % 60000
            ),
            _ => writeln!(
                s,
                r#"{{"EventID":4624,"Channel":"Security","SourceName":"Microsoft-Windows-Security-Auditing","Hostname":"WS-{h:04}.corp.example","host":"collector","EventTime":"2026-01-05 05:00:00","@timestamp":"2026-01-05T10:00:01.{ms:03}Z","LogonType":"{lt}","TargetUserName":"dev{h}","TargetDomainName":"CORP","IpAddress":"198.51.100.{a}","IpPort":"{p}","WorkstationName":"HOME","AuthenticationPackageName":"Negotiate","LogonProcessName":"User32"}}"#,
                h = i % 500,
                lt = if i % 2 == 0 { 10 } else { 3 },
                a = i % 250,
                p = 1024 + i % 60000
            ),
        };
    }
    s
}

fn zeek_json_lines() -> String {
    let mut s = String::new();
    for i in 0..N {
        let _ = writeln!(
            s,
            r#"{{"ts":{t}.{f:06},"uid":"C{i:017}","id.orig_h":"192.168.{a}.{b}","id.orig_p":{p},"id.resp_h":"198.51.100.{b}","id.resp_p":443,"proto":"tcp","service":"ssl","duration":{d}.25,"orig_bytes":{ob},"resp_bytes":{rb},"conn_state":"SF","local_orig":true,"local_resp":false,"missed_bytes":0,"history":"ShADadFf","orig_pkts":12,"orig_ip_bytes":1307,"resp_pkts":11,"resp_ip_bytes":2133}}"#,
            t = 1_767_607_200 + i,
            f = i % 1_000_000,
            a = i % 250,
            b = (i / 250) % 250,
            p = 1024 + i % 60000,
            d = i % 100,
            ob = i * 7,
            rb = i * 13
        );
    }
    s
}

fn zeek_tsv() -> String {
    let mut s = String::from(
        "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n#open\t2026-01-05-10-00-00\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\n#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\n",
    );
    for i in 0..N {
        let _ = writeln!(
            s,
            "{t}.{f:06}\tC{i:017}\t192.168.{a}.{b}\t{p}\t198.51.100.{b}\t443\ttcp\tssl\t{d}.250000\t{ob}\t{rb}\tSF\tT\tF\t0\tShADadFf\t12\t1307\t11\t2133\t(empty)",
            t = 1_767_607_200 + i,
            f = i % 1_000_000,
            a = i % 250,
            b = (i / 250) % 250,
            p = 1024 + i % 60000,
            d = i % 100,
            ob = i * 7,
            rb = i * 13
        );
    }
    s.push_str("#close\t2026-01-05-11-00-00\n");
    s
}

fn count(source: &dyn Source, path: &Path) -> u64 {
    let input = Input::new(path).unwrap_or_else(|e| panic!("{e}"));
    let mut n = 0u64;
    let mut sink = |_: Loc, o: Outcome| {
        black_box(&o);
        n += 1;
        Ok(())
    };
    source
        .read(&input, &mut sink)
        .unwrap_or_else(|e| panic!("{e}"));
    n
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let cases: [(&str, &dyn Source, String, &str); 4] = [
        ("osquery_ndjson", &OSQUERY, osquery_lines(), "json"),
        ("windows_nxlog_ndjson", &WINDOWS, windows_lines(), "json"),
        ("zeek_conn_json", &ZEEK_CONN, zeek_json_lines(), "json"),
        ("zeek_conn_tsv", &ZEEK_CONN, zeek_tsv(), "log"),
    ];
    let mut g = c.benchmark_group("endpoint");
    g.sample_size(10);
    for (name, source, text, ext) in cases {
        let path = dir.path().join(format!("{name}.{ext}"));
        std::fs::write(&path, &text).unwrap_or_else(|e| panic!("{e}"));
        let records = count(source, &path);
        assert_eq!(records, N as u64, "{name}");
        g.throughput(Throughput::ElementsAndBytes {
            elements: records,
            bytes: text.len() as u64,
        });
        g.bench_function(name, |b| b.iter(|| count(source, &path)));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
