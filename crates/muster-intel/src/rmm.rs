//! Remote monitoring and management (RMM) / remote-access tools: the LOLRMM catalogue.
//!
//! [`RmmCatalogue`] is built from LOLRMM's `rmm_tools.json` (embedded: `data/rmm/rmm_tools.json.gz`,
//! Apache-2.0, magicsword-io/LOLRMM) and `rmm_domains.csv`, plus a small documented supplement
//! ([`SUPPLEMENT`]). It matches:
//!
//! * process names or paths ([`RmmCatalogue::match_process`]) against the executables named in
//!   `Details.PEMetadata` (`Filename`, `OriginalFileName`), `Details.InstallationPaths` and
//!   executable `Artifacts.Disk` files. Names are compared by a normalised stem (case, `\` vs `/`,
//!   leading directories, extension and version / architecture / `setup` suffixes removed), so
//!   `AnyDesk-8.0.9.exe` and `TeamViewer_Setup_x64.exe` match. Generic names (stems shorter
//!   than 4 characters and a stop-list such as `setup`, `agent`, `client`, `update`,
//!   `svchost`, `mstsc`) never match on their own; install-path globs still can.
//! * installed-software display names ([`RmmCatalogue::match_software`]) against tool names and
//!   their aliases as whole words.
//! * domains ([`RmmCatalogue::match_domain`]) against exact hosts, `*.` wildcards (the domain and
//!   its subdomains) and regexes (compiled once; invalid ones are skipped and counted).
//!
//! ```
//! use muster_intel::rmm::{MatchKind, RmmCatalogue};
//!
//! let cat = RmmCatalogue::embedded();
//! let m = cat.match_process(r"C:\Program Files (x86)\AnyDesk\AnyDesk.exe").unwrap();
//! assert_eq!(m.tool, "AnyDesk");
//! assert_eq!(m.matched_on, MatchKind::ProcessName);
//! assert!(cat.match_process("Teams.exe").is_none());
//! assert_eq!(cat.match_domain("relay-1a2b3c4d.net.anydesk.com").unwrap().tool, "AnyDesk");
//! assert_eq!(cat.match_software("TeamViewer 15", None).unwrap().tool, "TeamViewer");
//! ```

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;
use serde_json::Value;

use crate::error::{IntelError, Result};
use crate::util::{GlobSet, read_all_maybe_gz, read_path, utf8_lossy};

/// What a [`RmmMatch`] matched on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchKind {
    /// The executable's file name (normalised stem or catalogue glob).
    ProcessName,
    /// The executable's path matched a catalogue installation-path glob.
    InstallPath,
    /// An installed-software display name matched the tool's name or an alias.
    SoftwareName,
    /// A network domain matched a catalogue host, wildcard or regex.
    Domain,
}

impl MatchKind {
    /// Stable lowercase name, e.g. `"process_name"`.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::ProcessName => "process_name",
            MatchKind::InstallPath => "install_path",
            MatchKind::SoftwareName => "software_name",
            MatchKind::Domain => "domain",
        }
    }
}

impl fmt::Display for MatchKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A catalogue hit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RmmMatch {
    /// Canonical LOLRMM tool name, e.g. `"AnyDesk"`.
    pub tool: String,
    /// What matched.
    pub matched_on: MatchKind,
    /// The catalogue pattern that matched, as written in the catalogue (an executable name,
    /// a path glob, a tool name / alias, or a domain pattern).
    pub pattern: String,
}

/// One remote-access tool of the catalogue (entries with the same name are merged).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RmmTool {
    /// Canonical LOLRMM name.
    pub name: String,
    /// LOLRMM category (`RMM` or `RAT`).
    pub category: String,
    /// Vendor website.
    pub website: String,
    /// Executable names (PE metadata, name-only installation paths, executable disk artifacts).
    pub executables: Vec<String>,
    /// Installation paths and path globs, as written.
    pub install_paths: Vec<String>,
    /// Domain patterns (exact, `*.` wildcard, glob or regex), as written.
    pub domains: Vec<String>,
    /// Ports or port ranges the tool uses, as text (`"443"`, `"1000-65535"`).
    pub ports: Vec<String>,
}

/// Entries added to the LOLRMM data, with their sources.
///
/// Chrome Remote Desktop is the tool most often named for DPRK IT workers next to AnyDesk and
/// TeamViewer. LOLRMM lists `remoting_host.exe` and the `remotedesktop-pa.googleapis.com` /
/// `*.remotedesktop.google.com` domains; this table adds the other host binaries:
/// * `remoting_start_host.exe`: the headless-setup command printed by Google's own set-up page
///   (<https://remotedesktop.google.com/headless>, "Set up another computer": `remoting_start_host.exe
///   --code=... --redirect-url=... --name=...`, PIN via `--pin=`); also named in muster's
///   `indicators.md` (RMM-SOFTWARE).
/// * `remote_assistance_host.exe`, `remoting_native_messaging_host.exe`: the native-messaging hosts
///   declared in Chromium's `remoting/remoting_host.gypi` (target `remoting_native_messaging_manifests`).
/// * `remoting_desktop.exe`: the per-session desktop process of the Windows host (Chromium
///   `remoting/host/win`), shipped next to `remoting_host.exe`.
/// * `/opt/google/chrome-remote-desktop/*`: the Linux host install directory (same `.gypi`).
pub const SUPPLEMENT: &[(&str, SupplementKind, &str)] = &[
    (
        "Chrome Remote Desktop",
        SupplementKind::Executable,
        "remoting_start_host.exe",
    ),
    (
        "Chrome Remote Desktop",
        SupplementKind::Executable,
        "remote_assistance_host.exe",
    ),
    (
        "Chrome Remote Desktop",
        SupplementKind::Executable,
        "remoting_native_messaging_host.exe",
    ),
    (
        "Chrome Remote Desktop",
        SupplementKind::Executable,
        "remoting_desktop.exe",
    ),
    (
        "Chrome Remote Desktop",
        SupplementKind::Executable,
        "remoting_host.exe",
    ),
    (
        "Chrome Remote Desktop",
        SupplementKind::InstallPath,
        "/opt/google/chrome-remote-desktop/*",
    ),
    (
        "Chrome Remote Desktop",
        SupplementKind::Domain,
        "remotedesktop-pa.googleapis.com",
    ),
];

/// The kind of a [`SUPPLEMENT`] entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SupplementKind {
    /// An executable file name.
    Executable,
    /// An installation path or path glob.
    InstallPath,
    /// A domain pattern.
    Domain,
}

/// Normalised executable stems that never match on their own: generic installer / service /
/// OS names that many unrelated products use. (Stems shorter than 4 characters are skipped too.)
const GENERIC_STEMS: &[&str] = &[
    // from the issue
    "setup",
    "install",
    "update",
    "client",
    "agent",
    "service",
    "launcher",
    "uninstall",
    "helper",
    "svchost",
    "rundll32",
    "msiexec",
    "powershell",
    "cmd",
    // more installer / updater / agent words
    "installer",
    "uninstaller",
    "updater",
    "autoupdate",
    "selfupdater",
    "upgrade",
    "download",
    "upload",
    "agentinstaller",
    "agentsetup",
    "agent32",
    "agent64",
    "agentu",
    "winagent",
    "rmmagent",
    "monitoringagent",
    "installshield",
    "installcore",
    "appcore",
    "supporttool",
    "notificationhelper",
    "recycler",
    "closeapp",
    "httpget",
    "httppush",
    "onlinebackup",
    "connect",
    "remotedesktop",
    "remotehost",
    "remotesupport",
    "remotecontrol",
    "remoteaccess",
    "server",
    "viewer",
    "host",
    "remote",
    "support",
    "tray",
    "monitor",
    "core",
    "main",
    "app",
    "runner",
    "start",
    "launch",
    "daemon",
    "tool",
    "tools",
    "console",
    "manager",
    "desktop",
    "svc",
    "worker",
    "wrapper",
    "tpowershell",
    // operating-system binaries listed by LOLRMM entries (Windows' own RDP client and
    // compositor, PuTTY's plink listed under Freshservice)
    "mstsc",
    "dwm",
    "explorer",
    "conhost",
    "pwsh",
    "plink",
    "termsrv",
    "openssh",
];

/// Operating-system binaries: neither their names nor their system paths are indexed.
const OS_BINARIES: &[&str] = &["mstsc", "dwm", "explorer", "conhost", "svchost", "termsrv"];

/// Tokens dropped from the end of an executable stem (versions are dropped separately).
const NOISE_TOKENS: &[&str] = &[
    "setup",
    "installer",
    "install",
    "x64",
    "x86",
    "x32",
    "amd64",
    "arm64",
    "aarch64",
    "win32",
    "win64",
    "win",
    "windows",
    "portable",
    "latest",
    "full",
    "release",
    "beta",
    "32bit",
    "64bit",
    "i386",
    "i686",
    "msi",
    "build",
    "final",
    "signed",
    "en",
    "us",
];

/// Extensions stripped before stem comparison.
const EXTENSIONS: &[&str] = &[
    "exe", "msi", "dll", "app", "bin", "pkg", "dmg", "deb", "rpm", "appimage", "sh", "py", "ps1",
    "cmd", "bat", "com", "mst", "ese", "exee", "scr",
];

/// Software-name aliases that never match alone (too generic: other vendors' products, plain
/// words, or a vendor whose other products are common).
const BLOCKED_SOFTWARE_NAMES: &[&str] = &[
    "beta",
    "wyse",
    "sophos",
    "vsa",
    "vnc",
    "datto",
    "exe",
    "remote",
    "desktop",
    "remotedesktop",
    "connect",
    "agent",
    "client",
    "server",
    "support",
    "netviewer",
];

/// Software-name aliases that are ordinary words: they match only when the publisher agrees.
const AMBIGUOUS_SOFTWARE_NAMES: &[&str] = &[
    "level",
    "absolute",
    "remotely",
    "terminals",
    "basecamp",
    "synergy",
    "centurion",
];

/// Wildcard domains of vendors whose other (non-remote-access) services are common in companies;
/// `*.` entries for these are not indexed (exact hosts still are).
const BROAD_VENDOR_DOMAINS: &[&str] = &[
    "zoho.com",
    "zoho.eu",
    "zoho.in",
    "sophos.com",
    "sophosupd.com",
    "sophosupd.net",
    "ivanti.com",
    "parallels.com",
    "manageengine.com",
    "freshworks.com",
    "myfreshworks.com",
    "freshchat.com",
    "getgo.com",
];

/// Shared hosting / code-hosting hosts listed by some LOLRMM entries as download locations.
const SHARED_HOSTS: &[&str] = &[
    "github.com",
    "raw.githubusercontent.com",
    "objects.githubusercontent.com",
];

/// Counts describing what a catalogue loaded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RmmStats {
    /// Tools after merging same-named entries.
    pub tools: usize,
    /// Executable stems indexed for exact (normalised) matching.
    pub executable_stems: usize,
    /// Executable globs indexed (e.g. `rustdesk*.exe`).
    pub executable_globs: usize,
    /// Executable names skipped as generic or too short.
    pub skipped_generic_executables: usize,
    /// Installation-path globs indexed.
    pub path_globs: usize,
    /// Software-name aliases indexed.
    pub software_names: usize,
    /// Exact domains indexed.
    pub domains_exact: usize,
    /// `*.` wildcard domains indexed.
    pub domains_wildcard: usize,
    /// Glob / regex domain patterns compiled.
    pub domains_regex: usize,
    /// Domain patterns that failed to compile as regexes (skipped).
    pub invalid_domain_patterns: usize,
    /// Placeholder domains skipped (`user_managed`, `<operator-configured ...>`).
    pub placeholder_domains: usize,
    /// Broad vendor wildcards and shared hosts deliberately not indexed.
    pub broad_domains_skipped: usize,
}

#[derive(Debug, Clone)]
struct Pat {
    tool: usize,
    pattern: String,
}

#[derive(Debug, Clone)]
struct SoftwareAlias {
    tokens: Vec<String>,
    joined: String,
    tool: usize,
    pattern: String,
    needs_publisher: bool,
    from_base_name: bool,
}

/// The LOLRMM remote-access catalogue with matchers. Cheap to query from many threads.
#[derive(Debug, Clone, Default)]
pub struct RmmCatalogue {
    tools: Vec<RmmTool>,
    by_name: HashMap<String, usize>,
    exe_stems: HashMap<String, Pat>,
    exe_globs: Vec<(String, Pat)>,
    exe_glob_set: GlobSet,
    path_globs: Vec<(String, Pat)>,
    path_glob_set: GlobSet,
    aliases: Vec<SoftwareAlias>,
    alias_index: HashMap<String, Vec<usize>>,
    dom_exact: HashMap<String, Pat>,
    dom_suffix: HashMap<String, Pat>,
    dom_regex: Vec<(Regex, Pat)>,
    stats: RmmStats,
    load_error: Option<String>,
}

impl RmmCatalogue {
    /// The catalogue built from the embedded LOLRMM data, parsed once per process.
    ///
    /// Never panics: if the embedded data could not be parsed the catalogue holds only the
    /// supplement and [`RmmCatalogue::load_error`] says why (a unit test guards against that).
    pub fn embedded() -> &'static RmmCatalogue {
        static EMBEDDED: OnceLock<RmmCatalogue> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            const JSON: &[u8] = include_bytes!("../../../data/rmm/rmm_tools.json.gz");
            const DOMAINS: &[u8] = include_bytes!("../../../data/rmm/rmm_domains.csv");
            match Self::from_readers(
                JSON,
                "embedded:data/rmm/rmm_tools.json.gz",
                Some(DOMAINS),
                "embedded:data/rmm/rmm_domains.csv",
            ) {
                Ok(c) => c,
                Err(e) => {
                    let mut c = CatalogueBuilder::default().finish();
                    c.load_error = Some(e.to_string());
                    c
                }
            }
        })
    }

    /// Loads `rmm_tools.json` (plain or gzip) and optionally `rmm_domains.csv` (`URI,RMM_Tool`).
    pub fn from_paths(tools_json: &Path, domains_csv: Option<&Path>) -> Result<RmmCatalogue> {
        let json = read_path(tools_json)?;
        let domains = domains_csv.map(read_path).transpose()?;
        Self::from_bytes(
            &json,
            &tools_json.display().to_string(),
            domains.as_deref(),
            &domains_csv
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
        )
    }

    /// Loads the catalogue from readers (each plain or gzip); labels name them in errors.
    pub fn from_readers(
        tools_json: impl Read,
        json_label: &str,
        domains_csv: Option<impl Read>,
        domains_label: &str,
    ) -> Result<RmmCatalogue> {
        let json = read_all_maybe_gz(tools_json, json_label)?;
        let domains = match domains_csv {
            Some(r) => Some(read_all_maybe_gz(r, domains_label)?),
            None => None,
        };
        Self::from_bytes(&json, json_label, domains.as_deref(), domains_label)
    }

    fn from_bytes(
        json: &[u8],
        json_label: &str,
        domains: Option<&[u8]>,
        domains_label: &str,
    ) -> Result<RmmCatalogue> {
        let value: Value =
            serde_json::from_slice(json).map_err(|e| IntelError::json(json_label, &e))?;
        let Value::Array(items) = value else {
            return Err(IntelError::Json {
                file: json_label.to_string(),
                line: 1,
                column: 1,
                message: "expected a JSON array of tools".to_string(),
            });
        };
        let mut b = CatalogueBuilder::default();
        for item in &items {
            b.add_json_tool(item);
        }
        if let Some(csv_bytes) = domains {
            b.add_domains_csv(csv_bytes, domains_label)?;
        }
        for (tool, kind, value) in SUPPLEMENT {
            let idx = b.tool_index(tool);
            if let Some(t) = b.tools.get_mut(idx) {
                let list = match kind {
                    SupplementKind::Executable => &mut t.executables,
                    SupplementKind::InstallPath => &mut t.install_paths,
                    SupplementKind::Domain => &mut t.domains,
                };
                push_unique(list, value);
            }
        }
        Ok(b.finish())
    }

    /// Number of tools.
    pub fn len(&self) -> usize {
        self.tools.len()
    }

    /// Whether the catalogue is empty.
    pub fn is_empty(&self) -> bool {
        self.tools.is_empty()
    }

    /// All tools, in catalogue order.
    pub fn tools(&self) -> &[RmmTool] {
        &self.tools
    }

    /// The tool with this canonical name (case-insensitive).
    pub fn tool(&self, name: &str) -> Option<&RmmTool> {
        self.by_name
            .get(&name.trim().to_lowercase())
            .and_then(|&i| self.tools.get(i))
    }

    /// What was indexed.
    pub fn stats(&self) -> &RmmStats {
        &self.stats
    }

    /// Why the embedded data failed to load, if it did.
    pub fn load_error(&self) -> Option<&str> {
        self.load_error.as_deref()
    }

    fn hit(&self, p: &Pat, kind: MatchKind) -> Option<RmmMatch> {
        self.tools.get(p.tool).map(|t| RmmMatch {
            tool: t.name.clone(),
            matched_on: kind,
            pattern: p.pattern.clone(),
        })
    }

    /// Matches a process name or full path (`AnyDesk.exe`, `C:\Program Files\AnyDesk\AnyDesk.exe`,
    /// `/usr/local/bin/tmate`). The file name is tried first (normalised stem, then globs), then
    /// the path against installation-path globs.
    pub fn match_process(&self, name_or_path: &str) -> Option<RmmMatch> {
        let path = normalise_path(name_or_path);
        if path.is_empty() {
            return None;
        }
        let base = path.rsplit('/').next().unwrap_or(&path);
        if !base.is_empty() {
            let stem = exe_stem(base);
            if let Some(p) = self.exe_stems.get(&stem) {
                return self.hit(p, MatchKind::ProcessName);
            }
            if let Some(p) = self
                .exe_glob_set
                .first_match(base)
                .and_then(|i| self.exe_globs.get(i))
            {
                return self.hit(&p.1, MatchKind::ProcessName);
            }
        }
        if path.contains('/')
            && let Some(p) = self
                .path_glob_set
                .first_match(&path)
                .and_then(|i| self.path_globs.get(i))
        {
            return self.hit(&p.1, MatchKind::InstallPath);
        }
        None
    }

    /// Matches an installed-software display name (`"TeamViewer 15"`, `"Chrome Remote Desktop
    /// Host"`) against tool names and aliases as whole words; the longest alias wins. Aliases
    /// that are ordinary words (e.g. `Level`, `Absolute`) also need `publisher` to contain them.
    pub fn match_software(&self, name: &str, publisher: Option<&str>) -> Option<RmmMatch> {
        let name_words = words(name);
        if name_words.is_empty() {
            return None;
        }
        let publisher_words = publisher.map(words).unwrap_or_default();
        let mut best: Option<usize> = None;
        for start in 0..name_words.len() {
            let Some(cands) = name_words.get(start).and_then(|w| self.alias_index.get(w)) else {
                continue;
            };
            for &ai in cands {
                let Some(a) = self.aliases.get(ai) else {
                    continue;
                };
                if !name_words[start..].starts_with(&a.tokens) {
                    continue;
                }
                if a.needs_publisher && !contains_seq(&publisher_words, &a.tokens) {
                    continue;
                }
                // Aliases are sorted best-first, so the smallest index wins.
                if best.is_none_or(|b| ai < b) {
                    best = Some(ai);
                }
            }
        }
        let a = self.aliases.get(best?)?;
        self.hit(
            &Pat {
                tool: a.tool,
                pattern: a.pattern.clone(),
            },
            MatchKind::SoftwareName,
        )
    }

    /// Matches a domain or URL host (`relay-1a2b3c4d.net.anydesk.com`, `https://x.teamviewer.com/`).
    /// Exact hosts win over `*.` wildcards (longest suffix first), which win over regexes.
    pub fn match_domain(&self, domain: &str) -> Option<RmmMatch> {
        let d = normalise_domain(domain);
        if d.is_empty() {
            return None;
        }
        if let Some(p) = self.dom_exact.get(d.as_str()) {
            return self.hit(p, MatchKind::Domain);
        }
        let mut suffix = d.as_str();
        loop {
            if let Some(p) = self.dom_suffix.get(suffix) {
                return self.hit(p, MatchKind::Domain);
            }
            match suffix.split_once('.') {
                Some((_, rest)) if !rest.is_empty() => suffix = rest,
                _ => break,
            }
        }
        self.dom_regex
            .iter()
            .find(|(re, _)| re.is_match(&d))
            .and_then(|(_, p)| self.hit(p, MatchKind::Domain))
    }
}

fn push_unique(list: &mut Vec<String>, value: &str) {
    if !list.iter().any(|v| v == value) {
        list.push(value.to_string());
    }
}

#[derive(Default)]
struct CatalogueBuilder {
    tools: Vec<RmmTool>,
    by_name: HashMap<String, usize>,
}

impl CatalogueBuilder {
    fn tool_index(&mut self, name: &str) -> usize {
        let key = name.trim().to_lowercase();
        if let Some(&i) = self.by_name.get(&key) {
            return i;
        }
        self.tools.push(RmmTool {
            name: name.trim().to_string(),
            ..RmmTool::default()
        });
        let i = self.tools.len() - 1;
        self.by_name.insert(key, i);
        i
    }

    fn add_json_tool(&mut self, item: &Value) {
        let Some(name) = item.get("Name").and_then(Value::as_str) else {
            return;
        };
        if name.trim().is_empty() {
            return;
        }
        let idx = self.tool_index(name);
        let Some(tool) = self.tools.get_mut(idx) else {
            return;
        };
        let details = item.get("Details");
        if tool.category.is_empty() {
            tool.category = str_at(item, "Category").to_string();
        }
        if tool.website.is_empty() {
            tool.website = details
                .map(|d| str_at(d, "Website"))
                .unwrap_or("")
                .to_string();
        }
        // PEMetadata: object, list of objects, or absent.
        if let Some(pe) = details.and_then(|d| d.get("PEMetadata")) {
            let entries: Vec<&Value> = match pe {
                Value::Array(a) => a.iter().collect(),
                Value::Object(_) => vec![pe],
                _ => Vec::new(),
            };
            for e in entries {
                for key in ["Filename", "OriginalFileName"] {
                    let v = str_at(e, key).trim();
                    if !v.is_empty() {
                        push_unique(&mut tool.executables, v);
                    }
                }
            }
        }
        // InstallationPaths: normally under Details, occasionally at top level or under Artifacts.
        for holder in [details, Some(item), item.get("Artifacts")]
            .into_iter()
            .flatten()
        {
            if let Some(Value::Array(paths)) = holder.get("InstallationPaths") {
                for p in paths.iter().filter_map(Value::as_str) {
                    let p = p.trim();
                    if p.is_empty() {
                        continue;
                    }
                    if p.contains('\\') || p.contains('/') {
                        push_unique(&mut tool.install_paths, p);
                    } else {
                        push_unique(&mut tool.executables, p);
                    }
                }
            }
        }
        let artifacts = item.get("Artifacts");
        // Executable disk artifacts whose name contains the tool's first name word (avoids
        // generic helpers such as 7z.exe, perl.exe or Teams.exe listed as related files).
        let first_word = words(name)
            .into_iter()
            .next()
            .filter(|w| w.len() >= 4)
            .unwrap_or_default();
        if let Some(Value::Array(disk)) = artifacts.and_then(|a| a.get("Disk")) {
            for f in disk {
                if str_at(f, "Type").eq_ignore_ascii_case("regex") {
                    continue;
                }
                let file = str_at(f, "File").trim();
                let lower = file.to_lowercase();
                if !lower.ends_with(".exe") || first_word.is_empty() {
                    continue;
                }
                let base = lower.replace('\\', "/");
                let base = base.rsplit('/').next().unwrap_or("");
                if exe_stem(base).contains(&first_word) {
                    let orig_base = file.rsplit(['\\', '/']).next().unwrap_or(file);
                    push_unique(&mut tool.executables, orig_base);
                }
            }
        }
        if let Some(Value::Array(nets)) = artifacts.and_then(|a| a.get("Network")) {
            for n in nets {
                if let Some(Value::Array(ds)) = n.get("Domains") {
                    for d in ds.iter().filter_map(Value::as_str) {
                        let d = d.trim();
                        if !d.is_empty() {
                            push_unique(&mut tool.domains, d);
                        }
                    }
                }
                if let Some(Value::Array(ps)) = n.get("Ports") {
                    for p in ps {
                        let text = match p {
                            Value::Number(n) => n.to_string(),
                            Value::String(s) => s.trim().to_string(),
                            _ => continue,
                        };
                        if !text.is_empty() {
                            push_unique(&mut tool.ports, &text);
                        }
                    }
                }
            }
        }
    }

    fn add_domains_csv(&mut self, bytes: &[u8], label: &str) -> Result<()> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(bytes);
        let headers = rdr
            .headers()
            .map_err(|e| IntelError::csv(label, &e))?
            .clone();
        let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
        let (Some(c_uri), Some(c_tool)) = (col("URI"), col("RMM_Tool")) else {
            return Err(IntelError::csv_at(
                label,
                1,
                "expected header with URI and RMM_Tool",
            ));
        };
        for rec in rdr.records() {
            let rec = rec.map_err(|e| IntelError::csv(label, &e))?;
            let (Some(uri), Some(tool)) = (rec.get(c_uri), rec.get(c_tool)) else {
                continue;
            };
            if uri.is_empty() || tool.is_empty() {
                continue;
            }
            let idx = self.tool_index(tool);
            if let Some(t) = self.tools.get_mut(idx) {
                push_unique(&mut t.domains, uri);
            }
        }
        Ok(())
    }

    fn finish(self) -> RmmCatalogue {
        let mut c = RmmCatalogue {
            tools: self.tools,
            by_name: self.by_name,
            ..RmmCatalogue::default()
        };
        let mut stats = RmmStats {
            tools: c.tools.len(),
            ..RmmStats::default()
        };
        let mut path_seen = HashSet::new();
        let mut glob_seen = HashSet::new();
        for (ti, tool) in c.tools.iter().enumerate() {
            // Executables (and concrete file names at the end of installation paths).
            let mut names: Vec<String> = tool.executables.clone();
            for p in &tool.install_paths {
                let (globs, base) = path_glob(p);
                if let Some(base) = base {
                    names.push(base);
                }
                for glob in globs {
                    if path_seen.insert(glob.clone()) {
                        c.path_globs.push((
                            glob,
                            Pat {
                                tool: ti,
                                pattern: p.clone(),
                            },
                        ));
                    }
                }
            }
            for n in &names {
                match index_executable(n) {
                    ExeIndex::Stem(stem) => {
                        c.exe_stems.entry(stem).or_insert_with(|| Pat {
                            tool: ti,
                            pattern: n.clone(),
                        });
                    }
                    ExeIndex::Glob(g) => {
                        if glob_seen.insert(g.clone()) {
                            c.exe_globs.push((
                                g,
                                Pat {
                                    tool: ti,
                                    pattern: n.clone(),
                                },
                            ));
                        }
                    }
                    ExeIndex::Generic => stats.skipped_generic_executables += 1,
                    ExeIndex::NotExecutable => {}
                }
            }
            // Domains.
            for d in &tool.domains {
                let pat = Pat {
                    tool: ti,
                    pattern: d.clone(),
                };
                match classify_domain(d) {
                    DomainPattern::Placeholder => stats.placeholder_domains += 1,
                    DomainPattern::Broad => stats.broad_domains_skipped += 1,
                    DomainPattern::Exact(h) => {
                        c.dom_exact.entry(h).or_insert(pat);
                    }
                    DomainPattern::Suffix(s) => {
                        c.dom_suffix.entry(s).or_insert(pat);
                    }
                    DomainPattern::Regex(re) => match Regex::new(&re) {
                        Ok(r) => c.dom_regex.push((r, pat)),
                        Err(_) => stats.invalid_domain_patterns += 1,
                    },
                }
            }
            // Software-name aliases.
            for (alias, from_base) in name_aliases(&tool.name) {
                let tokens = words(&alias);
                let joined: String = tokens.concat();
                if tokens.is_empty() || joined.len() < 4 {
                    continue;
                }
                if BLOCKED_SOFTWARE_NAMES.contains(&joined.as_str())
                    || tokens.iter().any(|t| t == "exe")
                {
                    continue;
                }
                let needs_publisher = AMBIGUOUS_SOFTWARE_NAMES.contains(&joined.as_str());
                let multi = tokens.len() > 1;
                c.aliases.push(SoftwareAlias {
                    tokens,
                    joined: joined.clone(),
                    tool: ti,
                    pattern: alias.clone(),
                    needs_publisher,
                    from_base_name: from_base,
                });
                if multi {
                    // "Jump Cloud" also matches "JumpCloud".
                    c.aliases.push(SoftwareAlias {
                        tokens: vec![joined.clone()],
                        joined,
                        tool: ti,
                        pattern: alias,
                        needs_publisher,
                        from_base_name: from_base,
                    });
                }
            }
        }
        // Best alias first: more words, then longer, then from the tool's own name, then
        // catalogue order.
        c.aliases.sort_by(|a, b| {
            b.tokens
                .len()
                .cmp(&a.tokens.len())
                .then(b.joined.len().cmp(&a.joined.len()))
                .then(b.from_base_name.cmp(&a.from_base_name))
                .then(a.tool.cmp(&b.tool))
        });
        let mut seen_alias = HashSet::new();
        c.aliases
            .retain(|a| seen_alias.insert((a.tokens.clone(), a.needs_publisher)));
        for (i, a) in c.aliases.iter().enumerate() {
            if let Some(first) = a.tokens.first() {
                c.alias_index.entry(first.clone()).or_default().push(i);
            }
        }
        stats.executable_stems = c.exe_stems.len();
        c.exe_glob_set = GlobSet::new(c.exe_globs.iter().map(|(g, _)| g.clone()).collect());
        c.path_glob_set = GlobSet::new(c.path_globs.iter().map(|(g, _)| g.clone()).collect());
        stats.executable_globs = c.exe_globs.len();
        stats.path_globs = c.path_globs.len();
        stats.software_names = c.aliases.len();
        stats.domains_exact = c.dom_exact.len();
        stats.domains_wildcard = c.dom_suffix.len();
        stats.domains_regex = c.dom_regex.len();
        c.stats = stats;
        c
    }
}

fn str_at<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// Lowercase alphanumeric words.
fn words(s: &str) -> Vec<String> {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn contains_seq(haystack: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// The tool's base name (before any parenthesis), the contents of its parentheses (minus
/// "aka" / "formerly" / "now" prefixes) and, for names like `GatherPlace-desktop sharing`,
/// the part before the first hyphen. The flag says whether the alias comes from the base name.
fn name_aliases(name: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let base = name.split('(').next().unwrap_or(name).trim();
    out.push((base.to_string(), true));
    if let Some((head, _)) = base.split_once('-') {
        out.push((head.trim().to_string(), true));
    }
    let mut rest = name;
    while let Some(open) = rest.find('(') {
        let after = &rest[open + 1..];
        let Some(close) = after.find(')') else {
            break;
        };
        let mut inner = after[..close].trim();
        for prefix in ["also known as ", "aka ", "formerly ", "now "] {
            if inner.len() >= prefix.len() && inner[..prefix.len()].eq_ignore_ascii_case(prefix) {
                inner = inner[prefix.len()..].trim();
            }
        }
        if !inner.is_empty() {
            out.push((inner.to_string(), false));
        }
        rest = &after[close + 1..];
    }
    out
}

/// Lowercases, unquotes, turns `\` into `/`, collapses repeated slashes and strips a drive
/// letter (`c:`) so that paths from any drive compare alike.
fn normalise_path(input: &str) -> String {
    let mut s = input.trim();
    if let Some(rest) = s.strip_prefix('"') {
        s = rest.split('"').next().unwrap_or(rest);
    }
    let lower = s.trim().to_lowercase().replace('\\', "/");
    let mut out = String::with_capacity(lower.len());
    for c in lower.chars() {
        if c == '/' && out.ends_with('/') {
            continue;
        }
        out.push(c);
    }
    let bytes = out.as_bytes();
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        out.drain(..2);
    }
    out
}

/// The normalised stem of an executable file name: lowercase, extension removed, split into
/// alphanumeric tokens, trailing version / architecture / installer tokens dropped, joined
/// without separators. `AnyDesk-8.0.9.exe` → `anydesk`, `TeamViewer_Setup_x64.exe` → `teamviewer`.
pub fn exe_stem(file_name: &str) -> String {
    let lower = file_name.trim().to_lowercase();
    let base = lower.rsplit(['/', '\\']).next().unwrap_or(&lower);
    let without_ext = match base.rsplit_once('.') {
        Some((stem, ext)) if EXTENSIONS.contains(&ext) => stem,
        _ => base,
    };
    let mut tokens: Vec<&str> = without_ext
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    while tokens.len() > 1 {
        let Some(last) = tokens.last() else { break };
        let is_version = last.chars().all(|c| c.is_ascii_digit())
            || (last.starts_with('v')
                && last.len() > 1
                && last[1..].chars().all(|c| c.is_ascii_digit()));
        if is_version || NOISE_TOKENS.contains(last) {
            tokens.pop();
        } else {
            break;
        }
    }
    tokens.concat()
}

enum ExeIndex {
    Stem(String),
    Glob(String),
    Generic,
    NotExecutable,
}

fn is_generic_stem(stem: &str) -> bool {
    stem.chars().count() < 4 || GENERIC_STEMS.contains(&stem)
}

/// Decides how a catalogue executable name is indexed.
fn index_executable(name: &str) -> ExeIndex {
    let name = name.trim();
    // Prose in a path field ("requires sign up") is not a file name.
    if name.is_empty() || (name.contains(char::is_whitespace) && !name.contains('.')) {
        return ExeIndex::NotExecutable;
    }
    let lower = name.to_lowercase();
    if lower.ends_with(".lnk") || lower.ends_with(".log") || lower.ends_with(".txt") {
        return ExeIndex::NotExecutable;
    }
    if lower.contains(['*', '?', '[']) {
        let glob = bracket_classes_to_star(&lower);
        let literal: String = glob.chars().filter(|&c| c != '*' && c != '?').collect();
        if is_generic_stem(&exe_stem(&literal)) {
            return ExeIndex::Generic;
        }
        return ExeIndex::Glob(glob);
    }
    let stem = exe_stem(&lower);
    if is_generic_stem(&stem) {
        ExeIndex::Generic
    } else {
        ExeIndex::Stem(stem)
    }
}

/// Replaces regex-like `[...]` classes (`wec_launcher_[a-Z0-9]*_.exe`) with `*`.
fn bracket_classes_to_star(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_class = false;
    for c in s.chars() {
        match c {
            '[' => in_class = true,
            ']' if in_class => {
                in_class = false;
                out.push('*');
            }
            _ if in_class => {}
            _ => out.push(c),
        }
    }
    out
}

/// Turns a catalogue installation path into normalised path globs, and returns the concrete
/// file name at its end (if any) so it can be indexed as an executable too.
///
/// `%VAR%`, `<placeholder>` and `(Random)` become `*`; drive letters are dropped; relative paths
/// match at any directory boundary; a pattern not ending in `*` matches itself and everything
/// below it. A pattern whose directory part is only wildcards (`*\kitty.exe`) yields no glob
/// (the name alone is indexed, subject to the generic-name filter).
fn path_glob(pattern: &str) -> (Vec<String>, Option<String>) {
    let mut s = String::with_capacity(pattern.len());
    let mut rest = pattern.trim();
    while let Some(c) = rest.chars().next() {
        let after = &rest[c.len_utf8()..];
        let closing = match c {
            '%' => Some('%'),
            '<' => Some('>'),
            _ => None,
        };
        if let Some(close) = closing
            && let Some(end) = after.find(close)
        {
            let inner = &after[..end];
            if !inner.is_empty() && inner.len() <= 40 && !inner.contains(['\\', '/']) {
                s.push('*');
                rest = &after[end + 1..];
                continue;
            }
        }
        s.push(c);
        rest = after;
    }
    let s = s.replace("(Random)", "*").replace("(random)", "*");
    let norm =
        bracket_classes_to_star(&normalise_path(&s)).replace("/users/username/", "/users/*/");
    let trimmed = norm.trim_end_matches('/');
    let (dir, base) = trimmed.rsplit_once('/').unwrap_or(("", trimmed));
    let concrete_base =
        (!norm.ends_with('/') && !base.is_empty() && !base.contains('*') && base.contains('.'))
            .then(|| base.to_string());
    if concrete_base
        .as_deref()
        .is_some_and(|b| OS_BINARIES.contains(&exe_stem(b).as_str()))
    {
        // `C:\Windows\System32\mstsc.exe`: the OS's own binary, never evidence alone.
        return (Vec::new(), None);
    }
    if !dir.contains(|c: char| c != '*' && c != '/') {
        // `*\name.exe`, `C:\*\name.exe`: a name pattern, not a directory pattern.
        let name = (!base.is_empty() && base != "*").then(|| base.to_string());
        return (Vec::new(), name);
    }
    let glob = if trimmed.starts_with('/') || trimmed.starts_with('*') {
        trimmed.to_string()
    } else {
        format!("*/{trimmed}")
    };
    if !has_distinctive_component(&glob) {
        // `C:\Windows\<random>.exe`: only generic directories and wildcards.
        return (Vec::new(), None);
    }
    let globs = if glob.ends_with('*') {
        vec![glob]
    } else {
        vec![format!("{glob}/*"), glob]
    };
    (globs, concrete_base)
}

/// Directory names found in many unrelated installation paths.
const GENERIC_DIRS: &[&str] = &[
    "program files",
    "program files (x86)",
    "programdata",
    "windows",
    "system32",
    "syswow64",
    "users",
    "appdata",
    "local",
    "roaming",
    "locallow",
    "temp",
    "tmp",
    "downloads",
    "desktop",
    "documents",
    "usr",
    "bin",
    "sbin",
    "opt",
    "etc",
    "var",
    "lib",
    "share",
    "applications",
    "library",
    "application support",
    "systemd",
    "system",
    "init.d",
    "microsoft",
    "google",
    "common files",
    "default",
    "user data",
    "extensions",
    "contents",
    "macos",
    "resources",
];

/// Whether a normalised path glob has a component that is not a wildcard, a generic directory
/// or a bare extension: at least 4 literal characters once `*` and a file extension are removed.
fn has_distinctive_component(glob: &str) -> bool {
    glob.split('/').any(|comp| {
        if comp.is_empty() || GENERIC_DIRS.contains(&comp) {
            return false;
        }
        let literal: String = comp.chars().filter(|&c| c != '*').collect();
        let literal = match literal.rsplit_once('.') {
            Some((stem, ext)) if EXTENSIONS.contains(&ext) => stem.to_string(),
            _ => literal,
        };
        literal
            .trim_matches(|c: char| !c.is_alphanumeric())
            .chars()
            .count()
            >= 4
    })
}

enum DomainPattern {
    Placeholder,
    Broad,
    Exact(String),
    Suffix(String),
    Regex(String),
}

/// Lowercases and strips scheme, credentials, path, port and a trailing dot.
fn normalise_domain(input: &str) -> String {
    let mut s = input.trim().to_lowercase();
    if let Some((_, rest)) = s.split_once("://") {
        s = rest.to_string();
    }
    if let Some(i) = s.find(['/', '?', '#']) {
        s.truncate(i);
    }
    if let Some((_, host)) = s.rsplit_once('@') {
        s = host.to_string();
    }
    if let Some((host, port)) = s.rsplit_once(':')
        && !port.is_empty()
        && port.chars().all(|c| c.is_ascii_digit())
        && !host.contains(':')
    {
        s = host.to_string();
    }
    s.trim_end_matches('.').to_string()
}

fn classify_domain(raw: &str) -> DomainPattern {
    let d = raw.trim().to_lowercase();
    if d.is_empty() || d.starts_with('<') || d == "user_managed" || d.contains(char::is_whitespace)
    {
        return DomainPattern::Placeholder;
    }
    // Strip a trailing :port (regex entries such as `relay-[a-f0-9]{8}.net.anydesk.com:443`).
    let d = match d.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()) => {
            host.to_string()
        }
        _ => d,
    };
    let d = d.trim_end_matches('.').to_string();
    const REGEX_META: &[char] = &['[', ']', '{', '}', '(', ')', '+', '?', '|', '^', '$', '\\'];
    if d.contains(REGEX_META) {
        return DomainPattern::Regex(format!("(?i)^(?:{d})$"));
    }
    if let Some(rest) = d.strip_prefix("*.")
        && !rest.contains('*')
    {
        if BROAD_VENDOR_DOMAINS.contains(&rest) || SHARED_HOSTS.contains(&rest) {
            return DomainPattern::Broad;
        }
        return DomainPattern::Suffix(rest.to_string());
    }
    if d.contains('*') {
        let mut re = String::from("(?i)^");
        let body = match d.strip_prefix("*.") {
            Some(rest) => {
                re.push_str(r"(?:[^/]*\.)?");
                rest
            }
            None => d.as_str(),
        };
        let parts: Vec<String> = body.split('*').map(regex::escape).collect();
        re.push_str(&parts.join("[^.]*"));
        re.push('$');
        return DomainPattern::Regex(re);
    }
    if SHARED_HOSTS.contains(&d.as_str()) {
        return DomainPattern::Broad;
    }
    DomainPattern::Exact(d)
}

/// A list of approved remote-access tools (`approved_rmm.txt`).
///
/// One entry per line: a LOLRMM tool name (`AnyDesk`, `ConnectWise Control`) or a binary name
/// (`TeamViewer.exe`); case-insensitive; `#` starts a comment; blank lines are ignored.
///
/// ```
/// use muster_intel::rmm::{ApprovedRmm, RmmCatalogue};
///
/// let cat = RmmCatalogue::embedded();
/// let approved = ApprovedRmm::parse("# IT's tools\nteamviewer\nAnyDesk.exe\n");
/// assert!(approved.is_approved(&cat.match_process("TeamViewer.exe").unwrap()));
/// assert!(approved.is_approved(&cat.match_process("anydesk.exe").unwrap()));
/// assert!(!approved.is_approved(&cat.match_process("rustdesk.exe").unwrap()));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApprovedRmm {
    tools: HashSet<String>,
    binaries: HashSet<String>,
    entries: Vec<String>,
}

impl ApprovedRmm {
    /// Parses the list (infallible: every non-comment line is an entry).
    pub fn parse(text: &str) -> ApprovedRmm {
        let mut out = ApprovedRmm::default();
        for raw in text.lines() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            out.tools.insert(line.to_lowercase());
            let stem = exe_stem(line);
            if !stem.is_empty() {
                out.binaries.insert(stem);
            }
            out.entries.push(line.to_string());
        }
        out
    }

    /// Reads and parses a list file (plain or gzip).
    pub fn from_path(path: &Path) -> Result<ApprovedRmm> {
        Ok(Self::parse(&utf8_lossy(&read_path(path)?)))
    }

    /// Reads and parses a list from a reader (plain or gzip).
    pub fn from_reader(reader: impl Read, label: &str) -> Result<ApprovedRmm> {
        Ok(Self::parse(&utf8_lossy(&read_all_maybe_gz(reader, label)?)))
    }

    /// Also approves, by canonical name, every tool that an entry's binary name resolves to in
    /// `catalogue` — so `TeamViewer.exe` approves TeamViewer's domain and software matches too.
    pub fn with_catalogue(mut self, catalogue: &RmmCatalogue) -> ApprovedRmm {
        for e in &self.entries {
            if let Some(m) = catalogue.match_process(e) {
                self.tools.insert(m.tool.to_lowercase());
            }
        }
        self
    }

    /// Whether `m` is approved: an entry equals the canonical tool name, or (for process and
    /// install-path matches) the matched binary name (compared by normalised stem).
    pub fn is_approved(&self, m: &RmmMatch) -> bool {
        if self.tools.contains(&m.tool.to_lowercase()) {
            return true;
        }
        match m.matched_on {
            MatchKind::ProcessName | MatchKind::InstallPath => {
                let norm = normalise_path(&m.pattern);
                let base = norm.rsplit('/').next().unwrap_or(&norm);
                !base.contains('*') && self.binaries.contains(&exe_stem(base))
            }
            MatchKind::SoftwareName | MatchKind::Domain => false,
        }
    }

    /// The entries as written (comments removed).
    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems() {
        assert_eq!(exe_stem("AnyDesk-8.0.9.exe"), "anydesk");
        assert_eq!(exe_stem("TeamViewer_Setup_x64.exe"), "teamviewer");
        assert_eq!(exe_stem("AnyDesk (1).exe"), "anydesk");
        assert_eq!(exe_stem("rustdesk-1.2.3-x86_64.exe"), "rustdesk");
        assert_eq!(exe_stem("setup.exe"), "setup");
        assert_eq!(exe_stem("RServer3.exe"), "rserver3");
        assert_eq!(exe_stem("tmate"), "tmate");
        assert_eq!(exe_stem("Teleport Connect.exe"), "teleportconnect");
        assert_eq!(exe_stem(""), "");
    }

    #[test]
    fn path_globs() {
        assert_eq!(
            path_glob(r"C:\Program Files (x86)\AnyDesk\*").0,
            ["/program files (x86)/anydesk/*"]
        );
        assert_eq!(
            path_glob(r"C:\Program Files\RustDesk").0,
            ["/program files/rustdesk/*", "/program files/rustdesk"]
        );
        assert_eq!(path_glob(r"%APPDATA%\loclx\*").0, ["*/loclx/*"]);
        let (g, b) = path_glob(r"*\remoting_host.exe");
        assert!(g.is_empty());
        assert_eq!(b.as_deref(), Some("remoting_host.exe"));
        let (g, b) = path_glob(r"C:\Windows\System32\mstsc.exe");
        assert!(g.is_empty() && b.is_none());
        let (g, b) = path_glob(r"C:\Program Files (x86)\Radmin Viewer 3\Radmin.exe");
        assert_eq!(g[1], "/program files (x86)/radmin viewer 3/radmin.exe");
        assert_eq!(b.as_deref(), Some("radmin.exe"));
        assert_eq!(
            path_glob(r"C:\Users\<username>\AppData\MEGAsync\*").0,
            ["/users/*/appdata/megasync/*"]
        );
        assert_eq!(
            path_glob("helpwire-operator/bin/helpwire-operator").0[1],
            "*/helpwire-operator/bin/helpwire-operator"
        );
    }

    #[test]
    fn domains() {
        assert!(matches!(
            classify_domain("user_managed"),
            DomainPattern::Placeholder
        ));
        assert!(matches!(
            classify_domain("<operator host>"),
            DomainPattern::Placeholder
        ));
        assert!(matches!(
            classify_domain("*.zoho.com"),
            DomainPattern::Broad
        ));
        assert!(
            matches!(classify_domain("*.AnyDesk.com"), DomainPattern::Suffix(s) if s == "anydesk.com")
        );
        assert!(matches!(
            classify_domain("relay-[a-f0-9]{8}.net.anydesk.com:443"),
            DomainPattern::Regex(_)
        ));
        assert!(
            matches!(classify_domain("auth*.aeroadmin.com"), DomainPattern::Regex(r) if r == r"(?i)^auth[^.]*\.aeroadmin\.com$")
        );
        assert_eq!(
            normalise_domain("HTTPS://user@X.TeamViewer.com:443/path?q"),
            "x.teamviewer.com"
        );
        assert_eq!(normalise_domain("example.com."), "example.com");
    }

    #[test]
    fn aliases() {
        let a: Vec<String> = name_aliases("Netop Remote Control (aka Impero Connect)")
            .into_iter()
            .map(|x| x.0)
            .collect();
        assert_eq!(a, ["Netop Remote Control", "Impero Connect"]);
        let a: Vec<String> = name_aliases("GatherPlace-desktop sharing")
            .into_iter()
            .map(|x| x.0)
            .collect();
        assert_eq!(a, ["GatherPlace-desktop sharing", "GatherPlace"]);
    }

    #[test]
    fn embedded_loads() {
        let c = RmmCatalogue::embedded();
        assert_eq!(c.load_error(), None);
        assert!(c.len() >= 300, "{}", c.len());
    }
}
