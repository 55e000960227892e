//! `report.html`: one self-contained page (no scripts, no network) an investigator reads top to
//! bottom: summary, tiers chart, ranked people, rings with drawn graphs, and per flagged person
//! the evidence, a timeline, the hour-of-day profile against the claimed time zone and a
//! distance diagram of home, sign-in/laptop place and shipping address.

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

/// The report's style sheet (the server's pages use it too).
pub const CSS: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:24px;color:#1b1f24}
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

/// A ring drawn as its people on a circle around the hub, other shared things listed below.
pub fn ring_graph(ring: &muster_fuse::Ring) -> String {
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
    let (w, h) = (600.0, 320.0);
    let (cx, cy, r) = (w / 2.0, h / 2.0, 130.0);
    let mut s =
        format!("<svg width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"ring graph\">");
    let n = people.len().max(1) as f64;
    for (i, p) in people.iter().enumerate() {
        let a = std::f64::consts::TAU * i as f64 / n;
        let (x, y) = (cx + r * a.cos(), cy + r * a.sin());
        // labels point away from the hub: left of the node on the left half
        let (tx, anchor) = if a.cos() < -0.01 {
            (x - 11.0, "end")
        } else {
            (x + 11.0, "start")
        };
        let _ = write!(
            s,
            "<line x1=\"{cx}\" y1=\"{cy}\" x2=\"{x:.1}\" y2=\"{y:.1}\" stroke=\"#999\"/><circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"9\" fill=\"#e85d04\"/><text x=\"{tx:.1}\" y=\"{ty:.1}\" text-anchor=\"{anchor}\">{}</text>",
            esc(p),
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

fn ts(s: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|d| d.timestamp())
}

/// One person's signals on a common time axis: a bar from first to last seen per signal, from
/// `(detection, first_seen, last_seen)` with RFC 3339 times; empty when nothing has a time.
pub fn timeline(sigs: &[(&str, Option<&str>, Option<&str>)]) -> String {
    let spans: Vec<(&str, i64, i64)> = sigs
        .iter()
        .filter_map(|(d, first, last)| {
            let a = ts((*first)?)?;
            let b = last.and_then(ts).unwrap_or(a);
            Some((*d, a.min(b), a.max(b)))
        })
        .collect();
    let (Some(t0), Some(t1)) = (
        spans.iter().map(|x| x.1).min(),
        spans.iter().map(|x| x.2).max(),
    ) else {
        return String::new();
    };
    let span = (t1 - t0).max(1) as f64;
    let (left, width) = (130.0, 560.0);
    let h = 24 + spans.len() * 18;
    let day = |t: i64| {
        chrono::DateTime::from_timestamp(t, 0)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    };
    let mut o = format!(
        "<svg class=\"timeline\" width=\"720\" height=\"{h}\" role=\"img\" aria-label=\"timeline\"><text x=\"{left}\" y=\"10\">{}</text><text x=\"{}\" y=\"10\" text-anchor=\"end\">{}</text>",
        day(t0),
        left + width,
        day(t1)
    );
    for (i, (d, a, b)) in spans.iter().enumerate() {
        let y = 18 + i * 18;
        let x = left + (a - t0) as f64 / span * width;
        let w = ((b - a) as f64 / span * width).max(3.0);
        let _ = write!(
            o,
            "<text x=\"0\" y=\"{}\">{}</text><rect x=\"{x:.1}\" y=\"{y}\" width=\"{w:.1}\" height=\"12\" fill=\"#457b9d\"/>",
            y + 10,
            esc(d)
        );
    }
    o.push_str("</svg>");
    o
}

/// TZ-MISMATCH's active hours by local hour of the claimed zone, as bars; working hours of the
/// claimed zone (09-17) shaded.
pub fn hour_chart(ev: &serde_json::Value) -> String {
    let Some((v, max)) = crate::explain::hour_counts(&ev["active_hours_by_claimed_local_hour"])
    else {
        return String::new();
    };
    let zone = esc(ev["claimed_zone"].as_str().unwrap_or("the claimed zone"));
    let best = esc(ev["best_offset"].as_str().unwrap_or("?"));
    let mut o = format!(
        "<div class=\"muted\">active hours by local hour in {zone} (shaded: 09:00-17:00 there); best fit {best}</div><svg class=\"hours\" width=\"520\" height=\"130\" role=\"img\" aria-label=\"hour of day\"><rect x=\"{}\" y=\"0\" width=\"{}\" height=\"100\" fill=\"#e9ecef\"/>",
        10 + 9 * 20,
        8 * 20
    );
    for (i, c) in v.iter().enumerate() {
        let bh = c / max * 96.0;
        let x = 10 + i * 20;
        let _ = write!(
            o,
            "<rect x=\"{}\" y=\"{:.1}\" width=\"16\" height=\"{bh:.1}\" fill=\"#b3001b\"/>",
            x + 2,
            100.0 - bh
        );
        if i % 3 == 0 {
            let _ = write!(o, "<text x=\"{}\" y=\"115\">{i:02}</text>", x + 2);
        }
    }
    o.push_str("</svg>");
    o
}

/// Distances from the claimed home (GEO-MISMATCH's typical place and where sign-ins and the
/// company laptop are, FARM-SHIP's ship-to, the home at application) on one scale: a distance diagram instead of a map, readable offline.
pub fn distance_diagram(evidence: &[&serde_json::Value]) -> String {
    let mut marks: Vec<(String, f64)> = Vec::new();
    for e in evidence {
        if let Some(km) = e["typical_distance_from_home"]["km"].as_f64() {
            let near = e["typical_place_near"].as_str().unwrap_or("typical place");
            marks.push((format!("where the account and laptop are: {near}"), km));
        }
        for (key, label) in [
            ("signins", "sign-ins, median"),
            ("company_laptop", "company laptop (presence, Wi-Fi), median"),
        ] {
            if let Some(km) = e["median_distance_from_home"][key]["km"].as_f64() {
                marks.push((label.into(), km));
            }
        }
        if let Some(km) = e["km_from_claimed_home"].as_f64() {
            marks.push(("laptop ship-to".into(), km));
        }
        if let Some(km) = e["km_moved"].as_f64() {
            marks.push(("home at application".into(), km));
        }
    }
    if marks.is_empty() {
        return String::new();
    }
    let max = marks.iter().map(|m| m.1).fold(1.0, f64::max);
    let h = 30 + marks.len() * 22;
    let mut o = format!(
        "<svg class=\"distances\" width=\"720\" height=\"{h}\" role=\"img\" aria-label=\"distances from the claimed home\"><line x1=\"20\" y1=\"14\" x2=\"700\" y2=\"14\" stroke=\"#333\"/><circle cx=\"20\" cy=\"14\" r=\"6\" fill=\"#2a9d8f\"/><text x=\"28\" y=\"30\">claimed home (0 km)</text><text x=\"700\" y=\"10\" text-anchor=\"end\">{max:.0} km</text>"
    );
    for (i, (label, km)) in marks.iter().enumerate() {
        let x = 20.0 + km / max * 680.0;
        let y = 44 + i * 22;
        let _ = write!(
            o,
            "<line x1=\"{x:.1}\" y1=\"14\" x2=\"{x:.1}\" y2=\"{y}\" stroke=\"#bbb\"/><circle cx=\"{x:.1}\" cy=\"14\" r=\"5\" fill=\"#e85d04\"/><text x=\"{tx:.1}\" y=\"{}\" text-anchor=\"{anchor}\">{} ({km:.0} km)</text>",
            y + 4,
            esc(label),
            tx = if x > 400.0 { x - 4.0 } else { x + 4.0 },
            anchor = if x > 400.0 { "end" } else { "start" }
        );
    }
    o.push_str("</svg>");
    o
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
        let mine: Vec<&muster_detect::Signal> = r
            .signals
            .iter()
            .filter(|x| x.person_id == s.person_id)
            .collect();
        for sig in mine.iter().copied() {
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
        h.push_str("</table>");
        let spans: Vec<_> = mine
            .iter()
            .map(|x| (x.detection, x.first_seen.as_deref(), x.last_seen.as_deref()))
            .collect();
        let tl = timeline(&spans);
        if !tl.is_empty() {
            let _ = write!(h, "<h4>Timeline</h4>{tl}");
        }
        for sig in mine.iter().filter(|x| x.detection == "TZ-MISMATCH") {
            let c = hour_chart(&sig.evidence);
            if !c.is_empty() {
                let _ = write!(h, "<h4>Hour of day against the claimed time zone</h4>{c}");
            }
        }
        let d = distance_diagram(&mine.iter().map(|x| &x.evidence).collect::<Vec<_>>());
        if !d.is_empty() {
            let _ = write!(h, "<h4>Locations</h4>{d}");
        }
        h.push_str("</div>");
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_diagram_draws_signins_laptop_and_ship_to() {
        let geo = serde_json::json!({
            "median_distance_from_home": {
                "signins": {"km": 2400.0, "miles": 1491.0},
                "company_laptop": {"km": 12.0, "miles": 7.0}
            }
        });
        let ship = serde_json::json!({"km_from_claimed_home": 480.0});
        let svg = distance_diagram(&[&geo, &ship]);
        assert!(svg.contains("sign-ins, median (2400 km)"), "{svg}");
        assert!(svg.contains("company laptop (presence, Wi-Fi), median (12 km)"));
        assert!(svg.contains("laptop ship-to (480 km)"));
        assert!(
            svg.contains("2400 km</text>"),
            "the scale ends at the farthest mark"
        );
    }

    #[test]
    fn distance_diagram_is_empty_without_distances() {
        assert!(distance_diagram(&[&serde_json::json!({"away_days": 3})]).is_empty());
    }

    #[test]
    fn timeline_spans_first_to_last_seen() {
        let svg = timeline(&[
            (
                "TZ-MISMATCH",
                Some("2026-01-01T00:00:00Z"),
                Some("2026-03-01T00:00:00Z"),
            ),
            ("NET-ANON", None, None),
        ]);
        assert!(
            svg.contains("TZ-MISMATCH") && !svg.contains("NET-ANON"),
            "{svg}"
        );
        assert!(svg.contains("2026-01-01") && svg.contains("2026-03-01"));
        assert!(timeline(&[("X", None, None)]).is_empty());
    }
}
