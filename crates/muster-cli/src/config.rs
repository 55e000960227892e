//! `muster.toml` and the input folder's context files.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use muster_detect::DetectConfig;
use muster_fuse::FuseConfig;
use muster_intel::IpList;
use serde::Deserialize;

/// The configuration file. Every field is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Lists equivalent to the input folder's context files.
    #[serde(default)]
    pub lists: Lists,
    /// Fusion settings.
    #[serde(default)]
    pub fusion: Fusion,
    /// Detection thresholds.
    #[serde(default)]
    pub thresholds: Thresholds,
    /// Newer reference data files (each replaces the embedded copy).
    #[serde(default)]
    pub data: muster_intel::DataPaths,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lists {
    pub corporate_egress: Option<Vec<String>>,
    pub approved_rmm: Option<Vec<String>>,
    /// Company sites that receive laptops (FARM-SHIP), `line1[, line2], city, region zip`.
    pub office_addresses: Option<Vec<String>>,
    /// Extra IP lists with a tag and a source.
    #[serde(default)]
    pub ip_tags: Vec<IpTagList>,
}

/// `[[lists.ip_tags]]`: a file of IPs / CIDRs, the tag they get and where the list came from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IpTagList {
    pub tag: String,
    pub source: String,
    pub path: PathBuf,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fusion {
    pub prior: Option<f64>,
    pub flag_threshold: Option<f64>,
    /// A calibration map from `muster eval --fit-calibration` (relative to the config file).
    pub calibration: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    pub infra_min_people: Option<usize>,
    pub infra_share: Option<f64>,
    pub farm_min_shared_days: Option<i64>,
    pub farm_min_nights: Option<i64>,
    pub farm_venue_min_people: Option<i64>,
    pub anon_full_share: Option<f64>,
}

/// Where each setting came from, for run.json.
#[derive(Debug, Default, serde::Serialize)]
pub struct Sources {
    pub config_file: Option<PathBuf>,
    pub corporate_egress: Vec<String>,
    pub approved_rmm: Vec<String>,
    pub office_addresses: Vec<String>,
    pub ip_tags: Vec<String>,
    pub calibration: Option<String>,
}

fn list_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// Loads `muster.toml` (if given) and the input folder's context files.
pub fn load(input: &Path, file: Option<&Path>) -> Result<(DetectConfig, FuseConfig, Sources)> {
    let mut sources = Sources::default();
    let fc: FileConfig = match file {
        Some(p) => {
            sources.config_file = Some(p.to_path_buf());
            read_file_config(p)?
        }
        None => FileConfig::default(),
    };
    let mut egress_text = String::new();
    if let Some(l) = &fc.lists.corporate_egress {
        egress_text.push_str(&l.join("\n"));
        egress_text.push('\n');
        sources.corporate_egress.push("muster.toml".into());
    }
    let egress_file = input.join("corporate_egress.txt");
    if egress_file.is_file() {
        let t = std::fs::read_to_string(&egress_file)
            .with_context(|| format!("cannot read {}", egress_file.display()))?;
        egress_text.push_str(&t);
        sources
            .corporate_egress
            .push(egress_file.display().to_string());
    }
    let corporate_egress = if egress_text.trim().is_empty() {
        None
    } else {
        Some(
            IpList::parse(&egress_text, "corporate_egress")
                .context("corporate egress list (muster.toml [lists] or corporate_egress.txt)")?,
        )
    };
    let mut approved_rmm = fc.lists.approved_rmm.clone().unwrap_or_default();
    if !approved_rmm.is_empty() {
        sources.approved_rmm.push("muster.toml".into());
    }
    let rmm_file = input.join("approved_rmm.txt");
    if rmm_file.is_file() {
        let t = std::fs::read_to_string(&rmm_file)
            .with_context(|| format!("cannot read {}", rmm_file.display()))?;
        approved_rmm.extend(list_lines(&t));
        sources.approved_rmm.push(rmm_file.display().to_string());
    }
    let mut office_addresses = fc.lists.office_addresses.clone().unwrap_or_default();
    if !office_addresses.is_empty() {
        sources.office_addresses.push("muster.toml".into());
    }
    let office_file = input.join("office_addresses.txt");
    if office_file.is_file() {
        let t = std::fs::read_to_string(&office_file)
            .with_context(|| format!("cannot read {}", office_file.display()))?;
        office_addresses.extend(list_lines(&t));
        sources
            .office_addresses
            .push(office_file.display().to_string());
    }
    let (intel, ip_tags) = intel_from(&fc, file)?;
    sources.ip_tags = ip_tags;
    let mut detect = DetectConfig {
        intel,
        corporate_egress,
        approved_rmm,
        office_addresses,
        ..Default::default()
    };
    let t = &fc.thresholds;
    let d = &mut detect.thresholds;
    if let Some(v) = t.infra_min_people {
        d.infra_min_people = v;
    }
    if let Some(v) = t.infra_share {
        d.infra_share = v;
    }
    if let Some(v) = t.farm_min_shared_days {
        d.farm_min_shared_days = v;
    }
    if let Some(v) = t.farm_min_nights {
        d.farm_min_nights = v;
    }
    if let Some(v) = t.farm_venue_min_people {
        d.farm_venue_min_people = v;
    }
    if let Some(v) = t.anon_full_share {
        d.anon_full_share = v;
    }
    let mut fuse = FuseConfig::default();
    if let Some(p) = fc.fusion.prior {
        anyhow::ensure!(
            p > 0.0 && p < 1.0,
            "fusion.prior must be between 0 and 1, got {p}"
        );
        fuse.prior = p;
    }
    if let Some(p) = fc.fusion.flag_threshold {
        anyhow::ensure!(
            p > 0.0 && p <= 1.0,
            "fusion.flag_threshold must be in (0, 1], got {p}"
        );
        fuse.flag_threshold = p;
    }
    if let Some(c) = &fc.fusion.calibration {
        let base = file
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let path = base.join(c);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read fusion.calibration {}", path.display()))?;
        let cal: muster_fuse::Calibration = serde_json::from_str(&text).with_context(|| {
            format!(
                "fusion.calibration {} is not a calibration written by `muster eval --fit-calibration`",
                path.display()
            )
        })?;
        cal.check()
            .map_err(|e| anyhow::anyhow!("fusion.calibration {}: {e}; refit it", path.display()))?;
        anyhow::ensure!(
            (cal.fitted_prior - fuse.prior).abs() <= 1e-9 * fuse.prior.max(1e-12),
            "fusion.calibration {} was fitted with prior {}, but this scan uses prior {}: set [fusion] prior = {} or refit the calibration",
            path.display(),
            cal.fitted_prior,
            fuse.prior,
            cal.fitted_prior
        );
        sources.calibration = Some(path.display().to_string());
        fuse.calibration = Some(cal);
    }
    Ok((detect, fuse, sources))
}

fn read_file_config(file: &Path) -> Result<FileConfig> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read config {}", file.display()))?;
    toml::from_str(&text).with_context(|| format!("invalid config {}", file.display()))
}

/// The reference data a config file names (`[data]`, `[[lists.ip_tags]]`), or the embedded data.
pub fn load_intel(file: Option<&Path>) -> Result<muster_intel::Intel> {
    let fc = match file {
        Some(p) => read_file_config(p)?,
        None => FileConfig::default(),
    };
    Ok(intel_from(&fc, file)?.0)
}

/// Builds the run's reference data; also returns a description of each tag list for run.json.
fn intel_from(fc: &FileConfig, file: Option<&Path>) -> Result<(muster_intel::Intel, Vec<String>)> {
    let base = file
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut described = Vec::new();
    let mut tag_lists = Vec::new();
    for t in &fc.lists.ip_tags {
        anyhow::ensure!(
            !t.tag.trim().is_empty() && !t.source.trim().is_empty(),
            "[[lists.ip_tags]] entries need a tag and a source (path {})",
            t.path.display()
        );
        let path = base.join(&t.path);
        let list = IpList::from_path(&path)
            .with_context(|| format!("[[lists.ip_tags]] tag {:?}", t.tag))?;
        described.push(format!("{} ({}): {}", t.tag, t.source, path.display()));
        tag_lists.push(muster_intel::TagList {
            tag: t.tag.trim().to_string(),
            source: t.source.trim().to_string(),
            list,
        });
    }
    let paths = installed_data()?.overlay(&fc.data.resolved(&base));
    let intel = muster_intel::Intel::load(&paths, &tag_lists)
        .context("reference data ([data] in muster.toml or installed by `muster intel update`)")?;
    Ok((intel, described))
}

/// Folder of data installed by `muster intel update`: `MUSTER_DATA_DIR`, else
/// `$XDG_DATA_HOME/muster`, else `~/.local/share/muster`.
pub fn data_dir() -> Option<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    env("MUSTER_DATA_DIR")
        .or_else(|| env("XDG_DATA_HOME").map(|d| d.join("muster")))
        .or_else(|| env("HOME").map(|h| h.join(".local/share/muster")))
}

/// The installed-data file inside a data folder.
pub const INSTALLED: &str = "installed.toml";

/// `[data]` of the installed-data file, paths resolved against the data folder. Nothing
/// installed is an empty set.
pub fn installed_data() -> Result<muster_intel::DataPaths> {
    match data_dir() {
        Some(dir) => installed_in(&dir),
        None => Ok(Default::default()),
    }
}

/// `[data]` of `dir/installed.toml`, resolved against `dir`.
pub fn installed_in(dir: &Path) -> Result<muster_intel::DataPaths> {
    let file = dir.join(INSTALLED);
    if !file.is_file() {
        return Ok(Default::default());
    }
    #[derive(Deserialize)]
    struct Installed {
        #[serde(default)]
        data: muster_intel::DataPaths,
    }
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let inst: Installed = toml::from_str(&text).with_context(|| {
        format!(
            "invalid {}: fix it or remove it to go back to the embedded data",
            file.display()
        )
    })?;
    Ok(inst.data.resolved(dir))
}
