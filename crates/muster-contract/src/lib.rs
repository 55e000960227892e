//! The muster data contract, version 1, as code.
//!
//! Every input table of `spec/data-contract.md` is described here once: its columns, their
//! logical types and which are required. Ingestion validates against these definitions, the
//! engine registers tables with [`Table::arrow_schema`], and the synthetic generator writes the
//! same column names, so a change to the contract is a change to this file.
//!
//! ```
//! use muster_contract::{table, ColumnType};
//! let people = table("people").unwrap();
//! assert!(people.column("person_id").unwrap().required);
//! assert_eq!(people.column("date_of_birth").unwrap().ty, ColumnType::Date);
//! ```

use std::sync::Arc;

use arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};

/// Version of the data contract implemented by this crate.
pub const CONTRACT_VERSION: &str = "1";

/// Logical type of a contract column; [`ColumnType::arrow_type`] gives the staged Arrow type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Free text.
    Str,
    /// RFC 3339 timestamp (naive = UTC), or epoch seconds / milliseconds. Stored as UTC microseconds.
    Ts,
    /// `YYYY-MM-DD`.
    Date,
    /// IPv4 or IPv6 address text; stored in canonical text form.
    Ip,
    /// true/false/1/0/yes/no, case-insensitive.
    Bool,
    /// 64-bit float.
    Float,
    /// 64-bit signed integer.
    Int,
    /// Decimal amount; stored as a 64-bit float (amounts are evidence, not accounting).
    Decimal,
    /// Hexadecimal identifier (USB vendor / product ids): stored lowercase, zero-padded to
    /// `width` digits, without `0x`.
    Hex(u8),
}

impl ColumnType {
    /// Arrow type the column has once staged.
    pub fn arrow_type(self) -> DataType {
        match self {
            ColumnType::Str | ColumnType::Ip | ColumnType::Hex(_) => DataType::Utf8,
            ColumnType::Ts => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            ColumnType::Date => DataType::Date32,
            ColumnType::Bool => DataType::Boolean,
            ColumnType::Float | ColumnType::Decimal => DataType::Float64,
            ColumnType::Int => DataType::Int64,
        }
    }

    /// Human name used in error messages.
    pub fn name(self) -> &'static str {
        match self {
            ColumnType::Str => "string",
            ColumnType::Ts => "timestamp",
            ColumnType::Date => "date",
            ColumnType::Ip => "ip",
            ColumnType::Bool => "bool",
            ColumnType::Float => "float",
            ColumnType::Int => "integer",
            ColumnType::Decimal => "decimal",
            ColumnType::Hex(_) => "hex id",
        }
    }
}

/// One column of a contract table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Lowercase column name.
    pub name: &'static str,
    /// Logical type.
    pub ty: ColumnType,
    /// A row without a value here is rejected.
    pub required: bool,
    /// Personal data that must be masked in outputs and never logged raw.
    pub sensitive: bool,
}

/// One contract table.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    /// Table name, as found in the input folder (`<name>.csv`, `<name>/`...).
    pub name: &'static str,
    /// Columns in contract order.
    pub columns: &'static [Column],
    /// Whether a scan needs this table.
    pub required: bool,
    /// Column whose values must be unique (rows repeating one are rejected).
    pub unique: Option<&'static str>,
    /// Sets of columns of which at least one must be present per row (e.g. activity's
    /// `person_id` or `account`).
    pub one_of: &'static [&'static str],
}

impl Table {
    /// Column by (lowercase) name.
    pub fn column(&self, name: &str) -> Option<&'static Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Arrow schema of the staged table: contract columns in contract order, all nullable
    /// (required-ness is enforced at ingestion, rows failing it are rejected).
    pub fn arrow_schema(&self) -> SchemaRef {
        let fields: Vec<Field> = self
            .columns
            .iter()
            .map(|c| Field::new(c.name, c.ty.arrow_type(), true))
            .collect();
        Arc::new(Schema::new(fields))
    }
}

const fn col(name: &'static str, ty: ColumnType) -> Column {
    Column {
        name,
        ty,
        required: false,
        sensitive: false,
    }
}
const fn req(name: &'static str, ty: ColumnType) -> Column {
    Column {
        name,
        ty,
        required: true,
        sensitive: false,
    }
}
const fn pii(name: &'static str, ty: ColumnType) -> Column {
    Column {
        name,
        ty,
        required: false,
        sensitive: true,
    }
}

use ColumnType::*;

/// `people`: one row per person record. Required.
pub const PEOPLE: Table = Table {
    name: "people",
    required: true,
    unique: Some("person_id"),
    one_of: &[],
    columns: &[
        req("person_id", Str),
        req("record_type", Str),
        col("org_id", Str),
        req("full_name", Str),
        col("given_name", Str),
        col("family_name", Str),
        pii("date_of_birth", Date),
        pii("national_id", Str),
        pii("email", Str),
        col("work_email", Str),
        pii("phone", Str),
        pii("address_line1", Str),
        pii("address_line2", Str),
        col("city", Str),
        col("region", Str),
        col("postal_code", Str),
        col("country", Str),
        col("claimed_timezone", Str),
        col("applied_at", Ts),
        col("hired_at", Ts),
        col("terminated_at", Ts),
        col("job_title", Str),
        col("department", Str),
        col("staffing_agency", Str),
        col("source", Str),
        col("referrer_id", Str),
        col("manager_id", Str),
        col("resume_text", Str),
        col("photo_hash", Str),
        col("linkedin_url", Str),
        col("github_url", Str),
        col("portfolio_url", Str),
        col("application_ip", Ip),
    ],
};

/// `accounts`: log identities to people.
pub const ACCOUNTS: Table = Table {
    name: "accounts",
    required: false,
    unique: None,
    one_of: &[],
    columns: &[
        req("person_id", Str),
        req("account", Str),
        col("system", Str),
    ],
};

/// `devices`: company devices and where they were shipped.
pub const DEVICES: Table = Table {
    name: "devices",
    required: false,
    unique: Some("device_id"),
    one_of: &[],
    columns: &[
        req("device_id", Str),
        col("person_id", Str),
        col("serial_number", Str),
        col("hostname", Str),
        col("model", Str),
        col("os", Str),
        col("managed", Bool),
        col("issued_at", Ts),
        col("shipped_at", Ts),
        col("delivered_at", Ts),
        pii("ship_to_line1", Str),
        pii("ship_to_line2", Str),
        col("ship_to_city", Str),
        col("ship_to_region", Str),
        col("ship_to_postal_code", Str),
        col("ship_to_country", Str),
        pii("ship_to_name", Str),
    ],
};

/// `signins`: authentication events.
pub const SIGNINS: Table = Table {
    name: "signins",
    required: false,
    unique: None,
    one_of: &[],
    columns: &[
        req("time", Ts),
        req("account", Str),
        col("person_id", Str),
        req("src_ip", Ip),
        col("outcome", Str),
        col("app", Str),
        col("device_id", Str),
        col("device_fingerprint", Str),
        col("mfa_device_id", Str),
        col("session_id", Str),
        col("user_agent", Str),
        col("geo_country", Str),
        col("geo_region", Str),
        col("geo_city", Str),
        col("geo_lat", Float),
        col("geo_lon", Float),
        col("asn", Int),
        col("as_org", Str),
        col("is_anonymous", Bool),
        col("source", Str),
    ],
};

/// `device_presence`: where a device was seen from.
pub const DEVICE_PRESENCE: Table = Table {
    name: "device_presence",
    required: false,
    unique: None,
    one_of: &[],
    columns: &[
        req("time", Ts),
        req("device_id", Str),
        col("public_ip", Ip),
        col("wifi_bssid", Str),
        col("wifi_ssid", Str),
        col("lat", Float),
        col("lon", Float),
        col("accuracy_m", Float),
        col("source", Str),
    ],
};

/// `processes`: process executions or running-process inventory.
pub const PROCESSES: Table = Table {
    name: "processes",
    required: false,
    unique: None,
    one_of: &[],
    columns: &[
        req("time", Ts),
        req("device_id", Str),
        req("name", Str),
        col("path", Str),
        col("cmdline", Str),
        col("sha256", Str),
        col("signer", Str),
        col("parent_name", Str),
        col("user", Str),
        col("event", Str),
    ],
};

/// `software`: installed software, services and browser extensions.
pub const SOFTWARE: Table = Table {
    name: "software",
    required: false,
    unique: None,
    one_of: &[],
    columns: &[
        req("device_id", Str),
        req("name", Str),
        col("version", Str),
        col("publisher", Str),
        col("install_path", Str),
        col("kind", Str),
        col("first_seen", Ts),
        col("last_seen", Ts),
    ],
};

/// `peripherals`: USB / HID / capture devices.
pub const PERIPHERALS: Table = Table {
    name: "peripherals",
    required: false,
    unique: None,
    one_of: &[],
    columns: &[
        req("time", Ts),
        req("device_id", Str),
        req("vendor_id", Hex(4)),
        req("product_id", Hex(4)),
        col("vendor_name", Str),
        col("product_name", Str),
        col("serial", Str),
        col("interfaces", Str),
        col("event", Str),
    ],
};

/// `displays`: monitors seen by a company device.
pub const DISPLAYS: Table = Table {
    name: "displays",
    required: false,
    unique: None,
    one_of: &[],
    columns: &[
        req("time", Ts),
        req("device_id", Str),
        col("edid_manufacturer", Str),
        col("edid_product_code", Str),
        col("monitor_name", Str),
        col("serial", Str),
        col("width_px", Int),
        col("height_px", Int),
    ],
};

/// `network`: flows.
pub const NETWORK: Table = Table {
    name: "network",
    required: false,
    unique: None,
    one_of: &[],
    columns: &[
        req("time", Ts),
        col("device_id", Str),
        col("src_ip", Ip),
        col("src_port", Int),
        col("dst_ip", Ip),
        col("dst_port", Int),
        col("protocol", Str),
        col("direction", Str),
        col("bytes_in", Int),
        col("bytes_out", Int),
        col("duration_s", Float),
        col("domain", Str),
    ],
};

/// `payroll`: payment accounts and payments.
pub const PAYROLL: Table = Table {
    name: "payroll",
    required: false,
    unique: None,
    one_of: &[],
    columns: &[
        req("time", Ts),
        req("person_id", Str),
        req("event", Str),
        col("method", Str),
        col("bank_routing", Str),
        pii("bank_account", Str),
        pii("account_holder_name", Str),
        col("provider", Str),
        col("crypto_address", Str),
        col("amount", Decimal),
        col("currency", Str),
        col("change_ip", Ip),
    ],
};

/// `activity`: other timestamped work activity.
pub const ACTIVITY: Table = Table {
    name: "activity",
    required: false,
    unique: None,
    one_of: &["person_id", "account"],
    columns: &[
        req("time", Ts),
        col("person_id", Str),
        col("account", Str),
        col("kind", Str),
        col("device_id", Str),
        col("src_ip", Ip),
    ],
};

/// Every contract table, `people` first.
pub const TABLES: &[Table] = &[
    PEOPLE,
    ACCOUNTS,
    DEVICES,
    SIGNINS,
    DEVICE_PRESENCE,
    PROCESSES,
    SOFTWARE,
    PERIPHERALS,
    DISPLAYS,
    NETWORK,
    PAYROLL,
    ACTIVITY,
];

/// Table by name.
pub fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_lowercase() {
        for t in TABLES {
            let mut seen = std::collections::HashSet::new();
            for c in t.columns {
                assert_eq!(c.name, c.name.to_ascii_lowercase());
                assert!(seen.insert(c.name), "{} repeats {}", t.name, c.name);
            }
            for c in t.one_of {
                assert!(
                    t.column(c).is_some(),
                    "{}: one_of names unknown {c}",
                    t.name
                );
            }
            if let Some(u) = t.unique {
                assert!(t.column(u).is_some_and(|c| c.required));
            }
        }
    }

    #[test]
    fn only_people_is_required() {
        let required: Vec<_> = TABLES
            .iter()
            .filter(|t| t.required)
            .map(|t| t.name)
            .collect();
        assert_eq!(required, vec!["people"]);
    }
}
