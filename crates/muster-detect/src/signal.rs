//! What detections produce: signals about people, with evidence and links for ring building.

use serde::Serialize;

/// Detection families. Fusion caps the evidence of one family, so five flavours of one fact do
/// not count five times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// Laptop farm / co-location.
    Farm,
    /// Remote control (software or hardware).
    RemoteControl,
    /// Network and location.
    Network,
    /// Identity.
    Identity,
    /// Money.
    Money,
}

impl Family {
    /// Stable name.
    pub fn name(self) -> &'static str {
        match self {
            Family::Farm => "farm",
            Family::RemoteControl => "remote_control",
            Family::Network => "network",
            Family::Identity => "identity",
            Family::Money => "money",
        }
    }
}

/// Severity of a detection when it fires on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Context, rarely decisive.
    Low,
    /// Worth a look.
    Medium,
    /// Strong evidence.
    High,
    /// Near-proof on its own.
    Critical,
}

/// A shared thing that links people (ring building): an IP, a phone, a bank account...
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Link {
    /// Kind: `ip`, `wifi`, `phone`, `email`, `bank_account`, `address`, `device`, `mfa_device`.
    pub kind: &'static str,
    /// Value as shown in outputs (sensitive kinds masked).
    pub value: String,
    /// Whether the link is strong enough to join people into a ring.
    pub ring_edge: bool,
    /// The unmasked value, for the STIX export only and only when the user asks to share
    /// personal identifiers (`muster scan --stix-personal`); never written anywhere else.
    #[serde(skip)]
    pub share: Option<String>,
}

/// One detection hit on one person.
#[derive(Debug, Clone, Serialize)]
pub struct Signal {
    /// Person the signal is about; empty for a device-level signal on a device nobody is
    /// assigned to (fusion scores people only; the signal is still reported).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub person_id: String,
    /// Company device, when the signal is about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
    /// Detection id, e.g. `FARM-IP`.
    pub detection: &'static str,
    /// Family.
    pub family: Family,
    /// Severity.
    pub severity: Severity,
    /// Likelihood ratio this hit carries (already scaled by its strength).
    pub likelihood_ratio: f64,
    /// First evidence time, RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<String>,
    /// Last evidence time, RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_seen: Option<String>,
    /// One sentence an analyst can read.
    pub reason: String,
    /// Fields an analyst can verify.
    pub evidence: serde_json::Value,
    /// Shared things behind the signal.
    pub links: Vec<Link>,
}
