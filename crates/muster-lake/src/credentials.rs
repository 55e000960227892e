//! AWS shared credentials and config files (`~/.aws/credentials`, `~/.aws/config`), read when
//! the environment has no access key. `object_store` reads only environment variables (and
//! instance or container metadata); the files are what `aws configure` writes, so a user who
//! can `aws s3 ls` can scan.

use std::collections::HashMap;
use std::path::PathBuf;

use object_store::aws::AmazonS3Builder;

/// `key = value` pairs of INI section `[section]` in `text`.
pub(crate) fn ini_section(text: &str, section: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut inside = false;
    for line in text.lines() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') || l.starts_with(';') {
            continue;
        }
        if let Some(name) = l.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            inside = name.trim() == section;
            continue;
        }
        if inside && let Some((k, v)) = l.split_once('=') {
            out.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    out
}

fn home_file(var: &str, default: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(default)))
}

/// Adds the credentials and region of profile `AWS_PROFILE` (or `default`) from the shared
/// files, unless the environment already sets an access key (or region).
pub(crate) fn aws_profile(mut b: AmazonS3Builder) -> AmazonS3Builder {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let profile = env("AWS_PROFILE").unwrap_or_else(|| "default".into());
    if env("AWS_ACCESS_KEY_ID").is_none()
        && let Some(text) = home_file("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials")
            .and_then(|p| std::fs::read_to_string(p).ok())
    {
        let s = ini_section(&text, &profile);
        if let (Some(id), Some(secret)) =
            (s.get("aws_access_key_id"), s.get("aws_secret_access_key"))
        {
            tracing::debug!(profile = %profile, "S3 credentials from the shared credentials file");
            b = b.with_access_key_id(id).with_secret_access_key(secret);
            if let Some(t) = s.get("aws_session_token") {
                b = b.with_token(t);
            }
        }
    }
    if env("AWS_REGION").is_none()
        && env("AWS_DEFAULT_REGION").is_none()
        && let Some(text) = home_file("AWS_CONFIG_FILE", ".aws/config")
            .and_then(|p| std::fs::read_to_string(p).ok())
    {
        let section = if profile == "default" {
            "default".to_string()
        } else {
            format!("profile {profile}")
        };
        if let Some(region) = ini_section(&text, &section).get("region") {
            b = b.with_region(region);
        }
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_read_and_others_ignored() {
        let text = "# comment\n[default]\naws_access_key_id = AKIA1\n\n[profile lake]\nregion=eu-west-1\n[other]\nregion = x\n";
        assert_eq!(
            ini_section(text, "default")
                .get("aws_access_key_id")
                .map(String::as_str),
            Some("AKIA1")
        );
        assert_eq!(
            ini_section(text, "profile lake")
                .get("region")
                .map(String::as_str),
            Some("eu-west-1")
        );
        assert!(ini_section(text, "missing").is_empty());
    }
}
