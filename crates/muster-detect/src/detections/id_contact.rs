//! ID-CONTACT: a disposable contact email, or a phone whose area code is far from the claimed
//! home. Weak on purpose: context for the other identity evidence.

use chrono::{Offset, TimeZone};
use serde_json::json;

use crate::rows::col;
use crate::{
    DetectConfig, DetectError, Detection, DetectionMeta, Engine, Family, Severity, Signal,
};

/// ID-CONTACT.
pub struct IdContact;

const LR_DISPOSABLE: f64 = 2.0;
const LR_FAR_PHONE: f64 = 1.5;
/// Hours between the phone's area-code zone and the claimed zone that count as far.
const FAR_HOURS: i32 = 2;

static META: DetectionMeta = DetectionMeta {
    id: "ID-CONTACT",
    title: "Throwaway or far-away contact details",
    family: Family::Identity,
    severity: Severity::Low,
    likelihood_ratio: LR_DISPOSABLE * LR_FAR_PHONE,
    lr_rationale: "Both facts are common among honest applicants, so both are weak. \
        Disposable mailboxes are used by privacy-minded applicants; facilitated identities \
        use them more (one cheap mailbox per persona): LR 2. US numbers keep their area code \
        when people move (number portability), so a phone area code in another time zone than \
        the claimed home is frequent among honest employees (a large minority of mobile users \
        live outside their number's area); identities run from abroad get numbers (often VoIP) \
        from any area code and their claimed homes are the facilitator's: LR 1.5 when the \
        zones are two or more hours apart. Both together: 3.",
    tables: &["people"],
    what: "For each person: whether the personal email's domain (or a parent domain) is on the \
        disposable-email list muster embeds (`email_disposable`), and whether the personal \
        phone's NANP area-code time zone (`phone_zone`) is two or more hours (standard time) \
        from the claimed time zone (`claimed_zone`: the claimed IANA zone, else the one of the \
        claimed address). One signal per person with the product of the two ratios.",
    why: "US guidance on DPRK IT workers (FBI/State/Treasury May 2022; FBI Oct 2023) tells \
        employers to look for inconsistent contact information and claimed locations; \
        facilitators create a mailbox and a (often VoIP) number per persona, and the persona's \
        claimed home is the facilitator's, not where the number was issued.",
    data: "people (email, phone, claimed_timezone, region, country, postal_code).",
    false_positives: "Privacy-minded applicants use throwaway mailboxes; people who moved keep \
        their mobile numbers. Both are why the ratios are near 1: this detection only adds to \
        other evidence. Neighbouring zones (one hour apart) never count; toll-free and \
        non-NANP numbers are not compared (`phone_zone` is null for them), so a foreign number \
        is not evidence. The example rule `rules/ID-DISPOSABLE-EMAIL.toml` flags the same \
        mailboxes; a team that adopts ID-CONTACT should not also load that example.",
    references: &[
        "FBI/State/Treasury, 'Guidance on the DPRK Information Technology Workers', May 2022",
        "FBI, 'Additional Guidance on the Democratic People's Republic of Korea Information Technology Workers', Oct 2023",
        "disposable-email-domains (github.com/disposable-email-domains)",
        "NANPA area code data (area code to state and time zone)",
    ],
};

/// Standard-time UTC offset of an IANA zone in hours (mid-January 2026).
fn std_offset_hours(zone: &str) -> Option<i32> {
    let tz: chrono_tz::Tz = zone.parse().ok()?;
    let t = tz.with_ymd_and_hms(2026, 1, 15, 12, 0, 0).single()?;
    Some(t.offset().fix().local_minus_utc() / 3600)
}

impl Detection for IdContact {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn run(&self, engine: &Engine, _cfg: &DetectConfig) -> Result<Vec<Signal>, DetectError> {
        let batches = engine.sql(
            "SELECT person_id, lower(split_part(trim(email), '@', 2)) AS domain,
                    coalesce(email_disposable(email), false) AS disposable,
                    phone_zone(phone) AS pz,
                    claimed_zone(claimed_timezone, region, country, postal_code) AS cz
             FROM people WHERE email IS NOT NULL OR phone IS NOT NULL ORDER BY person_id",
        )?;
        let mut out = Vec::new();
        for b in batches {
            let (p, dom, disp, pz, cz) = (
                col(&b, "person_id")?,
                col(&b, "domain")?,
                col(&b, "disposable")?,
                col(&b, "pz")?,
                col(&b, "cz")?,
            );
            for i in 0..b.num_rows() {
                let Some(person) = p.str(i) else { continue };
                let disposable = disp.bool(i).unwrap_or(false);
                let far = match (pz.str(i), cz.str(i)) {
                    (Some(a), Some(c)) => match (std_offset_hours(a), std_offset_hours(c)) {
                        (Some(x), Some(y)) if (x - y).abs() >= FAR_HOURS => Some((a, c, x - y)),
                        _ => None,
                    },
                    _ => None,
                };
                if !disposable && far.is_none() {
                    continue;
                }
                let mut lr = 1.0;
                let mut why = Vec::new();
                if disposable {
                    lr *= LR_DISPOSABLE;
                    why.push(format!(
                        "contact email at a disposable-mail provider ({})",
                        dom.str(i).unwrap_or("")
                    ));
                }
                if let Some((a, c, h)) = far {
                    lr *= LR_FAR_PHONE;
                    why.push(format!(
                        "phone area code in {a}, {} h from the claimed zone {c}",
                        h.abs()
                    ));
                }
                out.push(Signal {
                    person_id: person.to_string(),
                    device_id: None,
                    detection: META.id,
                    family: META.family,
                    severity: META.severity,
                    likelihood_ratio: lr,
                    first_seen: None,
                    last_seen: None,
                    reason: why.join("; "),
                    evidence: json!({
                        "disposable_email_domain": if disposable { dom.str(i) } else { None },
                        "phone_zone": far.map(|f| f.0),
                        "claimed_zone": far.map(|f| f.1),
                        "hours_apart": far.map(|f| f.2.abs()),
                    }),
                    links: Vec::new(),
                });
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets() {
        assert_eq!(std_offset_hours("America/New_York"), Some(-5));
        assert_eq!(std_offset_hours("America/Los_Angeles"), Some(-8));
        assert_eq!(std_offset_hours("Nowhere/Else"), None);
    }
}
