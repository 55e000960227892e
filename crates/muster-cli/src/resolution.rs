//! Entity resolution inside `muster scan`: the people table through the same engine as
//! `muster resolve`, written to `OUT/clusters.csv` (`record_id,cluster_id`).

use anyhow::Result;
use muster_detect::Engine;
use muster_detect::rows::col;
use muster_resolve::{Builder, Record, Resolution, ResolveError, Settings};

/// Streams every people record from the engine into the resolver (never holding them all).
pub fn resolve_people(engine: &Engine) -> Result<Resolution> {
    let sql = "SELECT person_id, full_name, given_name, family_name,
                      CAST(date_of_birth AS VARCHAR) AS date_of_birth, national_id, email, phone,
                      address_line1, address_line2, city, region, postal_code, country
               FROM people ORDER BY person_id";
    let mut builder = Builder::new(Settings::default())?;
    let mut skipped = 0u64;
    for b in engine.sql(sql)? {
        let names = [
            "person_id",
            "full_name",
            "given_name",
            "family_name",
            "date_of_birth",
            "national_id",
            "email",
            "phone",
            "address_line1",
            "address_line2",
            "city",
            "region",
            "postal_code",
            "country",
        ];
        let cols = names
            .iter()
            .map(|n| col(&b, n))
            .collect::<Result<Vec<_>, _>>()?;
        for i in 0..b.num_rows() {
            let v = |k: usize| cols[k].str(i).map(str::to_string);
            let Some(id) = v(0) else { continue };
            let pushed = builder.push(Record {
                id,
                full_name: v(1),
                given_name: v(2),
                family_name: v(3),
                date_of_birth: v(4),
                national_id: v(5),
                email: v(6),
                phone: v(7),
                address_line1: v(8),
                address_line2: v(9),
                city: v(10),
                region: v(11),
                postal_code: v(12),
                country: v(13),
                bank_account: None,
                attrs: Vec::new(),
            });
            // ingest keeps person_id unique; a repeat here is left out, not fatal
            if let Err(ResolveError::DuplicateId { .. } | ResolveError::EmptyId { .. }) = pushed {
                skipped += 1;
            } else {
                pushed?;
            }
        }
    }
    if skipped > 0 {
        tracing::warn!(
            "{skipped} people records with a repeated or empty person_id left out of entity resolution"
        );
    }
    Ok(builder.finish()?)
}
