//! Entity resolution inside `muster scan`: the people table through the same engine as
//! `muster resolve`, written to `OUT/clusters.csv` (`record_id,cluster_id`).

use anyhow::Result;
use muster_detect::Engine;
use muster_detect::rows::col;
use muster_resolve::{Record, Resolution, Settings};

/// Reads every people record from the engine and resolves them.
pub fn resolve_people(engine: &Engine) -> Result<Resolution> {
    let sql = "SELECT person_id, full_name, given_name, family_name,
                      CAST(date_of_birth AS VARCHAR) AS date_of_birth, national_id, email, phone,
                      address_line1, address_line2, city, region, postal_code, country
               FROM people ORDER BY person_id";
    let mut records = Vec::new();
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
            records.push(Record {
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
        }
    }
    Ok(muster_resolve::resolve(&records, &Settings::default())?)
}
