//! KVM-HARDWARE: an IP-KVM's default USB or EDID identity on a company device.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use crate::rows::{col, rfc3339};
use crate::{
    DetectConfig, DetectError, Detection, DetectionMeta, Engine, Family, Link, Severity, Signal,
};

/// KVM-HARDWARE.
pub struct KvmHardware;

static META: DetectionMeta = DetectionMeta {
    id: "KVM-HARDWARE",
    title: "IP-KVM attached to a company device (default identity)",
    family: Family::RemoteControl,
    severity: Severity::High,
    likelihood_ratio: 400.0,
    lr_rationale: "A PiKVM, TinyPilot, JetKVM, NanoKVM or GL.iNet Comet presenting its default \
        identity (its own USB manufacturer string or serial, its capture EDID) has almost no \
        business on an employee laptop: we estimate fewer than 1 in 10,000 legitimate laptops \
        (home-lab enthusiasts) against a sizeable share of farm laptops (the DOJ's June 2025 \
        actions seized KVM switches from farms), i.e. an LR in the thousands; 400 is deliberately \
        conservative, enough to flag on its own at the default prior (posterior just over 0.5). \
        Only distinctive identifiers count here (strong matches in the KVM catalogue); generic ids \
        such as the Linux gadget 1d6b:0104 alone are left to structural detection.",
    tables: &["peripherals", "displays"],
    what: "Matches USB peripherals (vendor:product id, manufacturer, product and serial strings) \
        and monitors (EDID maker, product code, name, serial) against the IP-KVM catalogue \
        (data/kvm/kvm_identifiers.csv) and reports each device with the matching hardware.",
    why: "Laptop-farm facilitators attach IP-KVMs so workers abroad control the laptop as if \
        sitting at it, invisible to software inventories (DOJ 2025; PiKVM's built-in mouse \
        jiggler keeps the device awake).",
    data: "peripherals (vendor_id, product_id, vendor_name, product_name, serial), displays \
        (edid_manufacturer, edid_product_code, monitor_name, serial), devices (person_id).",
    false_positives: "Developers' test rigs and Raspberry Pi gadgets use the generic Linux gadget \
        id 1d6b:0104 without KVM strings: not matched (weak ids are ignored). Servers' BMC virtual \
        keyboards: not expected on laptops; weak in the catalogue. A home-lab enthusiast plugging \
        a PiKVM into a work laptop would match: the signal alone does not flag a person.",
    references: &[
        "US DOJ, coordinated actions against DPRK IT-worker laptop farms, 30 Jun 2025",
        "pikvm/kvmd, tiny-pilot/tinypilot, jetkvm/kvm, sipeed/NanoKVM, gl-inet/glkvm source (USB gadget and EDID defaults)",
        "FBI PSA I-012325-PSA, Jan 2025",
    ],
};

impl Detection for KvmHardware {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn run(&self, engine: &Engine, _cfg: &DetectConfig) -> Result<Vec<Signal>, DetectError> {
        let sql = "WITH u AS (
               SELECT device_id, vendor_id, product_id, vendor_name, product_name, serial,
                      min(time) AS t0, max(time) AS t1
               FROM peripherals
               GROUP BY device_id, vendor_id, product_id, vendor_name, product_name, serial
             ),
             e AS (
               SELECT device_id, edid_manufacturer, edid_product_code, monitor_name, serial,
                      min(time) AS t0, max(time) AS t1
               FROM displays
               GROUP BY device_id, edid_manufacturer, edid_product_code, monitor_name, serial
             ),
             hits AS (
               SELECT device_id, kvm_usb(vendor_id, product_id, vendor_name, product_name, serial) AS kvm,
                      concat('usb ', vendor_id, ':', product_id, ' ', coalesce(vendor_name, ''), ' / ', coalesce(product_name, '')) AS what,
                      t0, t1
               FROM u
               UNION ALL
               SELECT device_id, kvm_edid(edid_manufacturer, edid_product_code, monitor_name, serial),
                      concat('display ', coalesce(edid_manufacturer, ''), ' ', coalesce(monitor_name, '')), t0, t1
               FROM e
             )
             SELECT d.person_id, h.device_id, h.kvm, h.what, h.t0, h.t1
             FROM hits h LEFT JOIN devices d ON h.device_id = d.device_id
             WHERE h.kvm IS NOT NULL
             ORDER BY h.device_id, h.kvm, h.what";
        #[derive(Default)]
        struct Acc {
            person: String,
            matches: BTreeSet<String>,
            seen: BTreeSet<String>,
            t0: Option<i64>,
            t1: Option<i64>,
        }
        let mut by: BTreeMap<String, Acc> = BTreeMap::new();
        for b in engine.sql(sql)? {
            let (p, d, kvm, what) = (
                col(&b, "person_id")?,
                col(&b, "device_id")?,
                col(&b, "kvm")?,
                col(&b, "what")?,
            );
            let (t0, t1) = (col(&b, "t0")?, col(&b, "t1")?);
            for i in 0..b.num_rows() {
                // A device nobody is assigned to still gets a device-level signal.
                let p = p.str(i).unwrap_or("");
                let (Some(d), Some(kvm)) = (d.str(i), kvm.str(i)) else {
                    continue;
                };
                let acc = by.entry(d.to_string()).or_default();
                acc.person = p.to_string();
                acc.matches.insert(kvm.to_string());
                if let Some(w) = what.str(i) {
                    acc.seen.insert(w.trim().to_string());
                }
                acc.t0 = match (acc.t0, t0.ts(i)) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                acc.t1 = acc.t1.max(t1.ts(i));
            }
        }
        Ok(by
            .into_iter()
            .map(|(device, acc)| Signal {
                reason: format!(
                    "IP-KVM hardware on device {device}: {}",
                    acc.matches.iter().cloned().collect::<Vec<_>>().join("; ")
                ),
                person_id: acc.person,
                device_id: Some(device.clone()),
                detection: META.id,
                family: META.family,
                severity: META.severity,
                likelihood_ratio: META.likelihood_ratio,
                first_seen: acc.t0.map(rfc3339),
                last_seen: acc.t1.map(rfc3339),
                evidence: json!({ "device_id": device, "matches": acc.matches, "hardware": acc.seen }),
                links: vec![Link { kind: "device", value: device, ring_edge: false }],
            })
            .collect())
    }
}
