//! `report.html`: one self-contained page (no scripts, no network) an investigator reads top to
//! bottom: summary, tiers chart, ranked people, rings with drawn graphs, per-person evidence.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::{OutputError, ScanResults};

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

const CSS: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:24px;color:#1b1f24}
h1{font-size:24px}h2{margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;padding:4px 8px;text-align:left;vertical-align:top}
.t-critical{background:#b3001b;color:#fff}.t-high{background:#e85d04;color:#fff}.t-medium{background:#ffba08}.t-low{background:#d8e2dc}.t-none{background:#f1f3f5}
.tier{padding:1px 6px;border-radius:3px;font-size:12px}.muted{color:#666}.card{border:1px solid #ddd;border-radius:6px;padding:12px;margin:12px 0}
code{background:#f6f8fa;padding:1px 4px;border-radius:3px}svg text{font:11px system-ui,sans-serif}";

const TIERS: [&str; 5] = ["critical", "high", "medium", "low", "none"];

fn tier_chart(counts: &BTreeMap<&str, usize>) -> String {
    let max = counts.values().copied().max().unwrap_or(1).max(1) as f64;
    let mut s = String::from(
        "<svg width=\"520\" height=\"150\" role=\"img\" aria-label=\"people per tier\">",
    );
    for (i, t) in TIERS.iter().enumerate() {
        let n = counts.get(t).copied().unwrap_or(0);
        let w = if n == 0 {
            0.0
        } else {
            (n as f64).ln_1p() / max.ln_1p() * 380.0
        };
        let y = 8 + i * 28;
        let color = ["#b3001b", "#e85d04", "#ffba08", "#9fb8ad", "#ced4da"][i];
        let _ = write!(
            s,
            "<text x=\"0\" y=\"{ty}\">{t}</text><rect x=\"70\" y=\"{y}\" width=\"{w:.1}\" height=\"20\" fill=\"{color}\"/><text x=\"{tx:.1}\" y=\"{ty}\">{n}</text>",
            ty = y + 14,
            tx = 76.0 + w,
        );
    }
    s.push_str("</svg><div class=\"muted\">bar length on a log scale</div>");
    s
}

fn ring_graph(ring: &muster_fuse::Ring) -> String {
    let people: Vec<&str> = ring
        .members
        .iter()
        .filter(|m| m.kind == "person")
        .map(|m| m.id.as_str())
        .collect();
    let things: Vec<String> = ring
        .members
        .iter()
        .filter(|m| m.kind != "person")
        .map(|m| format!("{}: {}", m.kind, m.id))
        .collect();
    let (w, h) = (520.0, 300.0);
    let (cx, cy, r) = (w / 2.0, h / 2.0, 115.0);
    let mut s =
        format!("<svg width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"ring graph\">");
    let n = people.len().max(1) as f64;
    for (i, p) in people.iter().enumerate() {
        let a = std::f64::consts::TAU * i as f64 / n;
        let (x, y) = (cx + r * a.cos(), cy + r * a.sin());
        let _ = write!(
            s,
            "<line x1=\"{cx}\" y1=\"{cy}\" x2=\"{x:.1}\" y2=\"{y:.1}\" stroke=\"#999\"/><circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"9\" fill=\"#e85d04\"/><text x=\"{tx:.1}\" y=\"{ty:.1}\">{}</text>",
            esc(p),
            tx = x + 11.0,
            ty = y + 4.0
        );
    }
    let _ = write!(
        s,
        "<rect x=\"{x}\" y=\"{y}\" width=\"150\" height=\"26\" rx=\"4\" fill=\"#1d3557\"/><text x=\"{tx}\" y=\"{ty}\" fill=\"#fff\">{}</text></svg>",
        esc(&ring.hub.chars().take(26).collect::<String>()),
        x = cx - 75.0,
        y = cy - 13.0,
        tx = cx - 70.0,
        ty = cy + 4.0
    );
    if things.len() > 1 {
        let _ = write!(
            s,
            "<div class=\"muted\">also shared: {}</div>",
            esc(&things[1..].join(", "))
        );
    }
    s
}

/// Writes the report.
pub fn write_report(path: &Path, r: &ScanResults<'_>) -> Result<(), OutputError> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for s in r.scores {
        *counts.entry(s.tier).or_default() += 1;
    }
    let flagged = r.scores.iter().filter(|s| s.flagged).count();
    let mut h = String::with_capacity(64 * 1024);
    let _ = write!(
        h,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>muster report</title><style>{CSS}</style></head><body>\
         <h1>muster report</h1><p class=\"muted\">muster {} · scan started {}</p>\
         <section id=\"summary\"><h2>Summary</h2><p><b>{}</b> people scored, <b>{flagged}</b> flagged, <b>{}</b> rings, <b>{}</b> signals.</p>{}",
        esc(r.version),
        esc(r.started_at),
        r.scores.len(),
        r.rings.len(),
        r.signals.len(),
        tier_chart(&counts)
    );
    let ran: Vec<&str> = r.runs.iter().filter(|d| d.ran).map(|d| d.id).collect();
    let skipped: Vec<String> = r
        .runs
        .iter()
        .filter(|d| !d.ran)
        .map(|d| format!("{} ({})", d.id, d.skipped_because.as_deref().unwrap_or("")))
        .collect();
    let _ = write!(
        h,
        "<p>Detections run: <code>{}</code></p>",
        esc(&ran.join(", "))
    );
    if !skipped.is_empty() {
        let _ = write!(h, "<p>Skipped: {}</p>", esc(&skipped.join("; ")));
    }
    h.push_str("<p class=\"muted\">No single indicator is proof. Each reason is evidence with a documented likelihood ratio; verify the evidence before acting. muster never uses names, languages or nationality as evidence.</p></section>");

    h.push_str("<section id=\"people\"><h2>Ranked people</h2><table><tr><th>#</th><th>person</th><th>score</th><th>tier</th><th>ring</th><th>top reasons</th></tr>");
    for (i, s) in r
        .scores
        .iter()
        .filter(|s| s.tier != "none")
        .take(200)
        .enumerate()
    {
        let reasons: Vec<&str> = s
            .reasons
            .iter()
            .take(3)
            .map(|x| x.detection.as_str())
            .collect();
        let _ = write!(
            h,
            "<tr><td>{}</td><td><a href=\"#p-{id}\">{id}</a></td><td>{}</td><td><span class=\"tier t-{t}\">{t}</span></td><td>{}</td><td>{}</td></tr>",
            i + 1,
            s.score,
            esc(s.ring_id.as_deref().unwrap_or("")),
            esc(&reasons.join(", ")),
            id = esc(&s.person_id),
            t = s.tier
        );
    }
    h.push_str("</table></section><section id=\"rings\"><h2>Rings</h2>");
    if r.rings.is_empty() {
        h.push_str("<p>No rings found.</p>");
    }
    for ring in r.rings.iter().take(50) {
        let _ = write!(
            h,
            "<div class=\"card\" id=\"{id}\"><h3>{id}: {} people, hub <code>{}</code></h3>{}</div>",
            ring.people,
            esc(&ring.hub),
            ring_graph(ring),
            id = esc(&ring.ring_id)
        );
    }
    h.push_str("</section><section id=\"evidence\"><h2>Evidence per flagged person</h2>");
    for s in r.scores.iter().filter(|s| s.flagged).take(200) {
        let _ = write!(
            h,
            "<div class=\"card\" id=\"p-{id}\"><h3>{id} <span class=\"tier t-{t}\">{t}</span> {:.1}%</h3><table><tr><th>detection</th><th>counted LR</th><th>reason</th><th>when</th></tr>",
            s.probability * 100.0,
            id = esc(&s.person_id),
            t = s.tier
        );
        for sig in r.signals.iter().filter(|x| x.person_id == s.person_id) {
            let when = match (&sig.first_seen, &sig.last_seen) {
                (Some(a), Some(b)) => format!("{a} – {b}"),
                (Some(a), None) => a.clone(),
                _ => String::new(),
            };
            let counted = s
                .reasons
                .iter()
                .find(|x| x.detection == sig.detection)
                .map(|x| x.counted_lr)
                .unwrap_or(1.0);
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{counted:.1}</td><td>{}</td><td class=\"muted\">{}</td></tr>",
                sig.detection,
                esc(&sig.reason),
                esc(&when)
            );
        }
        h.push_str("</table></div>");
    }
    let unassigned: Vec<&muster_detect::Signal> = r
        .signals
        .iter()
        .filter(|x| x.person_id.is_empty())
        .collect();
    if !unassigned.is_empty() {
        h.push_str("</section><section id=\"devices\"><h2>Devices nobody is assigned to</h2><table><tr><th>device</th><th>detection</th><th>reason</th></tr>");
        for sig in unassigned {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(sig.device_id.as_deref().unwrap_or("")),
                sig.detection,
                esc(&sig.reason)
            );
        }
        h.push_str("</table>");
    }
    h.push_str("</section><footer class=\"muted\"><p>IP data: IP Geolocation by DB-IP (db-ip.com), RouteViews, NRO (CC BY 4.0); remote-access catalogue: LOLRMM (Apache-2.0). See NOTICE.</p></footer></body></html>\n");
    std::fs::write(path, h).map_err(|e| OutputError::new(path, e))
}
