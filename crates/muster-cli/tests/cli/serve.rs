//! `muster serve` as a process: what it acknowledged survives SIGKILL.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use super::{fixture, muster};

/// A minimal HTTP/1.1 exchange (one request per connection): status and body.
fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: &str,
    body: &str,
) -> Option<(u16, String)> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(2)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/x-ndjson\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    let status = out.split(' ').nth(1)?.parse().ok()?;
    let body = out.split_once("\r\n\r\n").map(|x| x.1.to_string())?;
    Some((status, body))
}

fn free_addr() -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap()
}

fn start(db: &std::path::Path, addr: SocketAddr) -> Child {
    start_with(db, addr, &[])
}

fn start_with(db: &std::path::Path, addr: SocketAddr, extra: &[&std::ffi::OsStr]) -> Child {
    let child = muster()
        .args(["serve", "--listen", &addr.to_string(), "--db"])
        .arg(db)
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let t0 = Instant::now();
    while http(addr, "GET", "/health", "", "").is_none() {
        assert!(
            t0.elapsed() < Duration::from_secs(60),
            "muster serve did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    child
}

fn batch(b: usize, n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "{{\"uuid\":\"b{b}-{i}\",\"published\":\"2026-03-02T14:05:00.000Z\",\"eventType\":\"user.session.start\",\"actor\":{{\"alternateId\":\"user{i}@example.com\",\"type\":\"User\"}},\"client\":{{\"ipAddress\":\"198.51.100.{}\"}},\"outcome\":{{\"result\":\"SUCCESS\"}}}}\n",
                i % 250
            )
        })
        .collect()
}

fn stored_rows(addr: SocketAddr, token: &str) -> i64 {
    let (s, body) = http(addr, "GET", "/v1/ingest", token, "").expect("stats");
    assert_eq!(s, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    v["events_stored"].as_i64().unwrap()
}

/// Batches are posted while another thread SIGKILLs the server; after a restart every
/// acknowledged batch is there, and no batch is there in part.
#[test]
fn acknowledged_batches_survive_sigkill() {
    const PER_BATCH: usize = 40;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("serve.db");
    let token = token(&db, "analyst");
    let addr = free_addr();
    let mut server = start(&db, addr);
    let pid = server.id();

    // Kill after a while, in the middle of the stream of batches.
    let killer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(1500));
        let _ = std::process::Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status();
    });
    let mut acked = 0i64;
    let mut refused = 0;
    for b in 0..100_000 {
        match http(
            addr,
            "POST",
            "/v1/ingest/okta",
            &token,
            &batch(b, PER_BATCH),
        ) {
            Some((200, _)) => acked += PER_BATCH as i64,
            Some((s, body)) => panic!("batch {b}: {s} {body}"),
            None => {
                refused += 1;
                if refused > 3 {
                    break;
                }
            }
        }
    }
    killer.join().unwrap();
    let _ = server.wait();
    assert!(acked > 0, "some batches were acknowledged before the kill");

    let mut again = start(&db, addr);
    let stored = stored_rows(addr, &token);
    let _ = again.kill();
    let _ = again.wait();
    assert!(
        stored >= acked,
        "acknowledged {acked} rows but only {stored} survived the kill"
    );
    assert!(
        stored - acked <= PER_BATCH as i64,
        "at most the one batch in flight may be stored unacknowledged ({stored} vs {acked})"
    );
    assert_eq!(stored % PER_BATCH as i64, 0, "no batch is stored in part");
}

fn token(db: &std::path::Path, role: &str) -> String {
    let out = muster()
        .args(["token", "create", "--role", role, "--db"])
        .arg(db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// `muster serve --scan OUT --input DIR`: a sign-in ingested for an account the batch scan found
/// nothing on, from the DPRK's own address block, makes that person a finding once the
/// re-detection scan (the real one) has run; the people flagged before keep their findings.
#[test]
fn an_ingested_signin_is_redetected_by_a_real_scan() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let scan = muster()
        .args(["scan", "--quiet"])
        .arg(fixture("farm"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        scan.status.code(),
        Some(1),
        "someone is flagged: {}",
        String::from_utf8_lossy(&scan.stderr)
    );
    let db = dir.path().join("serve.db");
    let analyst = token(&db, "analyst");
    let addr = free_addr();
    let input = fixture("farm");
    let people = input.join("people.csv");
    let mut server = start_with(
        &db,
        addr,
        &[
            "--people".as_ref(),
            people.as_os_str(),
            "--scan".as_ref(),
            out.as_os_str(),
            "--input".as_ref(),
            input.as_os_str(),
        ],
    );
    let (s, body) = http(addr, "GET", "/v1/findings/p4", &analyst, "").unwrap();
    assert_eq!(s, 404, "p4 is not flagged by the batch scan: {body}");

    let event = r#"{"uuid":"e1","published":"2026-03-03T02:00:00.000Z","eventType":"user.session.start","actor":{"alternateId":"p4@corp.example","type":"User"},"client":{"ipAddress":"175.45.176.21"},"outcome":{"result":"SUCCESS"}}"#;
    let (s, body) = http(
        addr,
        "POST",
        "/v1/ingest/okta",
        &analyst,
        &format!("{event}\n"),
    )
    .unwrap();
    assert_eq!(s, 200, "{body}");
    let ack: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        ack["people_touched"],
        serde_json::json!(["p4"]),
        "by work_email: {ack}"
    );
    let t0 = Instant::now();
    let stats = loop {
        let (_, body) = http(addr, "GET", "/v1/ingest", &analyst, "").unwrap();
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        if v["redetection"]["runs"].as_u64().unwrap_or(0) >= 1
            && v["redetection"]["running"] == false
        {
            break v;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(120),
            "no re-detection run: {v}"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(
        stats["redetection"]["last_error"],
        serde_json::Value::Null,
        "{stats}"
    );
    let (s, body) = http(addr, "GET", "/v1/findings/p4", &analyst, "").unwrap();
    assert_eq!(s, 200, "{body}");
    let f: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(
        f["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "NET-ANON"),
        "{f}"
    );
    assert_eq!(f["state"], "new");
    // the person page now tells the new story
    let (s, body) = http(addr, "GET", "/v1/people/p4/signals", &analyst, "").unwrap();
    assert_eq!(s, 200, "{body}");
    assert!(body.contains("175.45.176.21"), "{body}");
    let (s, _) = http(addr, "GET", "/v1/findings/p1", &analyst, "").unwrap();
    assert_eq!(s, 200, "p1 is still a finding");
    let _ = server.kill();
    let _ = server.wait();
}

/// `muster token list` shows ids and roles but never a token; `revoke` takes an id and exits 2
/// for an unknown one.
#[test]
fn tokens_are_listed_without_secrets_and_revoked_by_id() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("serve.db");
    let secret = token(&db, "viewer");
    let list = muster()
        .args(["token", "list", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(list.status.success());
    let text = String::from_utf8(list.stdout).unwrap();
    assert!(!text.contains(&secret), "a listing never shows a token");
    let row = text.lines().nth(1).expect("one token listed");
    let id = row.split('\t').next().unwrap().to_string();
    assert_eq!(row.split('\t').nth(1), Some("viewer"));
    let revoke = |id: &str| {
        muster()
            .args(["token", "revoke", id, "--db"])
            .arg(&db)
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(revoke(&id), Some(0));
    assert_eq!(revoke(&id), Some(2), "unknown id");
}
