//! Command-line interface definitions (spec/data-contract.md section 5).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// muster finds North Korean remote IT-worker schemes by fusing HR, identity, endpoint,
/// network and payroll data.
#[derive(Debug, Parser)]
#[command(name = "muster", version, about, long_about = None)]
pub struct Cli {
    /// More logging on stderr (or set MUSTER_LOG, e.g. MUSTER_LOG=muster=debug).
    #[arg(long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Synthesise a company into ./muster-demo/, scan it and summarise the findings.
    Demo(DemoArgs),
    /// Write a synthetic company in the data-contract layout, with ground truth in DIR-truth/.
    Synth(SynthArgs),
    /// Scan a folder of contract tables and write scores, signals, findings, rings and a report.
    Scan(ScanArgs),
    /// Convert native logs and exports (Okta, Entra, Google, osquery, Windows, Zeek,
    /// Greenhouse, NACHA, OCSF) into contract tables.
    Ingest(IngestArgs),
    /// Entity resolution alone: which people records are one real person (clusters.csv), and
    /// which identifiers are shared by several people (hubs and rings).
    Resolve(ResolveArgs),
    /// Measure a scan against synthetic ground truth.
    Eval(EvalArgs),
    /// One person's story from a scan's outputs: evidence, timeline, hours, ring.
    Explain(ExplainArgs),
    /// The detection catalogue.
    Rules(RulesArgs),
    /// Reference intelligence: look values up, install newer data.
    Intel(IntelArgs),
    /// Run a Ballista scheduler or executor for distributed scans (`muster scan --cluster`).
    Cluster(ClusterArgs),
    /// Serve the screening and triage API (docs/serve.md).
    Serve(ServeArgs),
    /// API tokens for `muster serve`.
    Token(TokenArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (loopback by default; put a TLS proxy in front for a network).
    /// `--bind` is accepted as another name for it.
    #[arg(
        long = "listen",
        visible_alias = "bind",
        value_name = "ADDR",
        default_value = "127.0.0.1:8080"
    )]
    pub bind: std::net::SocketAddr,
    /// Database: a SQLite file (created when missing) or a postgres://USER:PASSWORD@HOST/DB URL.
    #[arg(long, default_value = "muster-serve.db")]
    pub db: String,
    /// Known people records (a contract people file: CSV, NDJSON or Parquet) that applicants
    /// are resolved against. Without it, screening answers 503.
    #[arg(long)]
    pub people: Option<PathBuf>,
    /// Map foreign headers of --people onto people columns: SRC=DST,... (as `muster resolve
    /// --columns`).
    #[arg(long, value_name = "SRC=DST,...", requires = "people")]
    pub columns: Option<String>,
    /// A finished scan's output folder: its flagged people become findings (people already
    /// known keep their triage).
    #[arg(long)]
    pub scan: Option<PathBuf>,
    /// The scan's input folder. With it, every acknowledged ingest batch is followed by a
    /// re-detection: a scan of this folder plus everything ingested, whose scores refresh the
    /// findings (triage state kept). Batches arriving during a run are coalesced into one more.
    #[arg(long, value_name = "DIR")]
    pub input: Option<PathBuf>,
    /// muster.toml for the re-detection scans (as `muster scan --config`).
    #[arg(long, requires = "input")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TokenArgs {
    #[command(subcommand)]
    pub command: TokenCommand,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token and print it once (only its hash is stored).
    Create {
        /// viewer (reads, masked), analyst (screens and triages) or admin (also the audit log).
        #[arg(long)]
        role: String,
        /// The database `muster serve --db` uses.
        #[arg(long, default_value = "muster-serve.db")]
        db: String,
        /// A note on whose token it is.
        #[arg(long)]
        label: Option<String>,
    },
    /// List tokens: id, role, label, created (the tokens themselves are not stored).
    List {
        /// The database `muster serve --db` uses.
        #[arg(long, default_value = "muster-serve.db")]
        db: String,
    },
    /// Revoke a token by its id (from `muster token list`); it stops working at once.
    Revoke {
        /// The token's id.
        id: String,
        /// The database `muster serve --db` uses.
        #[arg(long, default_value = "muster-serve.db")]
        db: String,
    },
}

#[derive(Debug, Args)]
pub struct ClusterArgs {
    #[command(subcommand)]
    pub command: ClusterCommand,
}

#[derive(Debug, Subcommand)]
pub enum ClusterCommand {
    /// Run the scheduler: plans scans sent with `muster scan --cluster df://HOST:PORT` and
    /// hands their tasks to executors. Runs until stopped.
    Scheduler {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:50050")]
        bind: std::net::SocketAddr,
        /// muster.toml whose reference data ([data], [[lists.ip_tags]]) the SQL functions use:
        /// the same file on the scheduler, every executor and the scanning machine.
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Run an executor: pulls tasks from the scheduler. Runs until stopped (Ctrl-C, SIGTERM).
    Executor {
        /// The scheduler, HOST:PORT.
        #[arg(long, default_value = "127.0.0.1:50050")]
        scheduler: String,
        /// HOST:PORT of this executor's Arrow Flight service, where the scanning machine and
        /// other executors fetch results and shuffle data; the port must be free (not 0).
        #[arg(long, default_value = "127.0.0.1:50051")]
        bind: String,
        /// Folder for shuffle files (default: a folder under the system's temporary folder).
        #[arg(long)]
        work_dir: Option<PathBuf>,
        /// Tasks run at once (0: one per core).
        #[arg(long, default_value_t = 0)]
        concurrent_tasks: usize,
        /// muster.toml whose reference data the SQL functions use (see `scheduler --config`).
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct Output {
    /// No progress bars or summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print a JSON summary on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// People records: a CSV or NDJSON file (plain, .gz or .zst), a Parquet file, or a contract
    /// input folder holding people.parquet / people.csv / people.ndjson.
    pub people: PathBuf,
    /// Where to write record_id,cluster_id for every accepted record.
    #[arg(long)]
    pub out: PathBuf,
    /// Map foreign headers onto people columns: SRC=DST,... where DST is a people column
    /// (person_id, full_name, given_name, family_name, date_of_birth, national_id, email,
    /// phone, address_line1, address_line2, city, region, postal_code, country), bank_account,
    /// or attr (an extra exact-match attribute). Several sources mapped to one destination are
    /// joined with a space, in order.
    #[arg(long, value_name = "SRC=DST,...")]
    pub columns: Option<String>,
    /// Match probability at which two records are one person.
    #[arg(long, default_value_t = 0.95)]
    pub threshold: f64,
    /// Also write the linked pairs (record_id_l,record_id_r,probability).
    #[arg(long, value_name = "PATH")]
    pub links: Option<PathBuf>,
    /// Also write the rings: records of different people joined by shared identifiers
    /// (ring_id,record_id,cluster_id,hubs; national ids and bank accounts masked).
    #[arg(long, value_name = "PATH")]
    pub rings: Option<PathBuf>,
    /// Also write the trained model and the run's statistics as JSON.
    #[arg(long, value_name = "PATH")]
    pub model: Option<PathBuf>,
    /// Where rejected rows go (default: next to --out, as <name>.rejected.ndjson).
    #[arg(long, value_name = "PATH")]
    pub rejected: Option<PathBuf>,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// People in the demo company.
    #[arg(long, default_value_t = 3000)]
    pub people: usize,
    /// Seed.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Folder for the demo (input, truth and output).
    #[arg(long, default_value = "muster-demo")]
    pub dir: PathBuf,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Number of people; with --applicants, the number of records.
    #[arg(long)]
    pub people: usize,
    /// Seed: the same seed gives the same bytes.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output folder; ground truth goes to OUT-truth/ (with --applicants, into OUT/ itself).
    #[arg(long)]
    pub out: PathBuf,
    /// Write an applicant set for the entity-resolution benchmark instead of a company, all in
    /// OUT/: records.csv (record_id and first_name, last_name, dob, email, phone, street, city,
    /// state, zip, ssn, bank_account), truth.csv and truth_legit.csv (record_id,cluster_id),
    /// rings.csv (record_id,ring_id,role) and summary.json. --people is then the number of
    /// records (up to 10,000,000); --days and --fraud-rate do not apply.
    #[arg(long)]
    pub applicants: bool,
    /// Days of activity.
    #[arg(long, default_value_t = 60)]
    pub days: u32,
    /// Share of people in a scheme.
    #[arg(long, default_value_t = 0.03)]
    pub fraud_rate: f64,
    #[command(flatten)]
    pub output: Output,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Folder of contract tables, or an object-store URL of one (`s3://bucket/prefix`,
    /// `gs://`, `az://`, `file://`; credentials from the environment, docs/deployment.md).
    pub input: PathBuf,
    /// Output folder.
    #[arg(long)]
    pub out: PathBuf,
    /// muster.toml with lists, thresholds and fusion settings.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Folder of a team's own detections (`*.toml` rule files, see docs/rules.md). A malformed
    /// rule is reported with file and line; the others still run.
    #[arg(long)]
    pub rules: Option<PathBuf>,
    /// Read a native file or folder with a named reader (`okta=logs/okta.json`), whatever
    /// its content looks like. Repeatable. Files in INPUT that are not contract tables are
    /// sniffed by content without this.
    #[arg(long, value_name = "NAME=PATH", value_parser = parse_source)]
    pub source: Vec<(String, PathBuf)>,
    /// Keep the staged Parquet tables in OUT/stage (they hold the input's personal data).
    #[arg(long)]
    pub keep_stage: bool,
    /// Also put flagged people's shared e-mail addresses, phone numbers and crypto addresses in
    /// OUT/indicators.stix.json (unmasked, for sharing with an ISAC). Off by default: the
    /// bundle then holds infrastructure only (IPs, domains). Bank accounts never go in.
    #[arg(long)]
    pub stix_personal: bool,
    /// Run only these detections (comma-separated ids, e.g. `TZ-MISMATCH,FARM-IP`); the others
    /// are listed in run.json as not selected.
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub only: Vec<String>,
    /// Leave out these detections (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub skip: Vec<String>,
    /// Memory budget of the scan (`2GiB`, `512MiB`, `4G`, bytes). Half is the query engine's:
    /// beyond it, sorts, aggregations and joins spill to OUT/stage/spill. The per-person
    /// analysers take slices of people sized to a quarter; the rest is for the reference data
    /// and what no budget covers (docs/deployment.md).
    #[arg(long, value_name = "SIZE", value_parser = parse_size, conflicts_with = "cluster")]
    pub memory_limit: Option<u64>,
    /// Run the scan's queries on a Ballista cluster: `df://HOST:PORT` of a scheduler started
    /// with `muster cluster scheduler`, or `standalone` for an in-process scheduler and
    /// executor. OUT must be on a path the executors can read (docs/deployment.md).
    #[arg(long, value_name = "URL")]
    pub cluster: Option<String>,
    /// Write each query the scan runs into this folder, one file per query numbered in order
    /// and named after its detection (`007-FARM-IP.txt`): the SQL, its seconds, and the
    /// physical plan with every operator's rows, compute time, memory and spills. For finding
    /// where a scan's time and memory go (docs/deployment.md).
    #[arg(long, value_name = "DIR")]
    pub profile_queries: Option<PathBuf>,
    /// Read only partitions of this day or later (`2026-01-05` or an RFC 3339 time): objects
    /// and files under a folder `eventDay=YYYYMMDD` (Amazon Security Lake) or `day=`, `date=`,
    /// `dt=` are left out when their day is outside `--since`..`--until`. Rows of files without
    /// such a folder are all read.
    #[arg(long, value_name = "DAY")]
    pub since: Option<String>,
    /// Read only partitions of this day or earlier (inclusive; see `--since`).
    #[arg(long, value_name = "DAY")]
    pub until: Option<String>,
    #[command(flatten)]
    pub output: Output,
}

/// A size such as `2GiB`, `512MiB`, `1.5G`, `300MB` or `1048576` -> bytes. `K`/`M`/`G`/`T`
/// and `KiB`.. are powers of 1024; `KB`/`MB`/`GB`/`TB` powers of 1000.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num
        .parse()
        .map_err(|_| format!("expected a size such as 2GiB or 512MiB, got {s:?}"))?;
    let mult: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kib" => 1024.0,
        "m" | "mib" => 1024.0 * 1024.0,
        "g" | "gib" => 1024.0 * 1024.0 * 1024.0,
        "t" | "tib" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        "kb" => 1e3,
        "mb" => 1e6,
        "gb" => 1e9,
        "tb" => 1e12,
        other => {
            return Err(format!(
                "unknown size unit {other:?} in {s:?}: use B, KiB, MiB, GiB, TiB (or KB, MB, GB, TB)"
            ));
        }
    };
    let bytes = n * mult;
    if !bytes.is_finite() || !(1.0..=1e18).contains(&bytes) {
        return Err(format!("size {s:?} is out of range"));
    }
    Ok(bytes as u64)
}

/// `okta=path` -> ("okta", path).
fn parse_source(s: &str) -> Result<(String, PathBuf), String> {
    match s.split_once('=') {
        Some((n, p)) if !n.trim().is_empty() && !p.is_empty() => {
            Ok((n.trim().to_string(), PathBuf::from(p)))
        }
        _ => Err(format!("expected NAME=PATH, got {s:?}")),
    }
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Native files or folders (formats sniffed by content).
    #[arg(required_unless_present = "source")]
    pub paths: Vec<PathBuf>,
    /// Output folder: DIR/<table>.parquet (or .csv) and DIR/ingest.json.
    #[arg(long)]
    pub out: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TableFormat::Parquet)]
    pub format: TableFormat,
    /// Read a file or folder with a named reader (`zeek-conn=conn.log`). Repeatable.
    #[arg(long, value_name = "NAME=PATH", value_parser = parse_source)]
    pub source: Vec<(String, PathBuf)>,
    #[command(flatten)]
    pub output: Output,
}

/// Table file format of `muster ingest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TableFormat {
    /// Typed Parquet (keeps types; what `muster scan` reads fastest).
    Parquet,
    /// CSV with a header.
    Csv,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Person id (`scores.csv` person_id).
    pub person: String,
    /// Scan output folder.
    pub out: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Ground-truth folder written by `muster synth` (DIR-truth).
    #[arg(long)]
    pub truth: PathBuf,
    /// Scan output folder.
    pub out: PathBuf,
    /// Comma-separated schemes to count as covered (default: from the detections that ran).
    #[arg(long, value_delimiter = ',')]
    pub schemes: Option<Vec<String>>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Also fit a calibration map (isotonic regression of the truth on the scan's
    /// probabilities) and write it here, for `[fusion] calibration` in muster.toml. Fit on one
    /// labelled scan, use it on others with the same prior.
    #[arg(long, value_name = "FILE")]
    pub fit_calibration: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub command: RulesCommand,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List detections (built-in, and a team's own rules with --rules DIR).
    List {
        /// Folder of rule files (`*.toml`) to list too.
        #[arg(long)]
        rules: Option<PathBuf>,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Show one detection's documentation.
    Show {
        /// Detection id, e.g. FARM-IP.
        id: String,
        /// Folder of rule files to look in too.
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// Run every rule's examples in DIR (without DIR: the built-in rule files' and ./rules'):
    /// each example's tables are ingested and the rule must fire for `fires_for` and stay
    /// silent for `silent_for`. Exit 0 when all pass, 1 when one fails, 2 when a rule file is
    /// malformed.
    Test {
        /// Folder of rule files.
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct IntelArgs {
    #[command(subcommand)]
    pub command: IntelCommand,
}

#[derive(Debug, Subcommand)]
pub enum IntelCommand {
    /// Everything muster knows about an IP, email, phone, ZIP, name, process, domain, crypto
    /// address or USB `vid:pid`.
    Lookup {
        /// The value.
        value: String,
        /// muster.toml whose [data] files and [[lists.ip_tags]] lists to use.
        #[arg(long)]
        config: Option<PathBuf>,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Which copy of each reference dataset a scan would use (embedded, installed or config).
    Status {
        /// muster.toml whose [data] files to include.
        #[arg(long)]
        config: Option<PathBuf>,
        /// JSON output.
        #[arg(long)]
        json: bool,
    },
    /// Validate newer reference data files and install them for every later run, e.g.
    /// `muster intel update --sdn sdn.csv`. Settings: the [data] names of muster.toml
    /// (`--sdn`, `--crypto-dir`, `--asn-ipv4`, `--vpn`, `--mmdb`, ...; see muster.example.toml).
    /// Files are copied into the data folder (MUSTER_DATA_DIR, else $XDG_DATA_HOME/muster, else
    /// ~/.local/share/muster); a muster.toml [data] entry still wins over an installed file.
    Update {
        /// Data folder to install into instead of the default.
        #[arg(long)]
        dir: Option<PathBuf>,
        /// `--NAME PATH` pairs.
        #[arg(
            trailing_var_arg = true,
            allow_hyphen_values = true,
            value_name = "--NAME PATH"
        )]
        files: Vec<String>,
    },
}

#[cfg(test)]
mod size_tests {
    use super::parse_size;

    #[test]
    fn sizes_parse_with_binary_and_decimal_units() {
        assert_eq!(parse_size("2GiB"), Ok(2 << 30));
        assert_eq!(parse_size("512MiB"), Ok(512 << 20));
        assert_eq!(parse_size("4G"), Ok(4 << 30));
        assert_eq!(parse_size("1.5g"), Ok(3 << 29));
        assert_eq!(parse_size("300MB"), Ok(300_000_000));
        assert_eq!(parse_size(" 1048576 "), Ok(1 << 20));
        for bad in ["", "lots", "2 parsecs", "-1G", "0", "1e40", "GiB"] {
            assert!(parse_size(bad).is_err(), "{bad:?}");
        }
    }
}
