//! Runtime configuration from the environment (and `.env`), with the README's defaults.

use crate::error::StartupError;
use clap::Args;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Options every command shares; each one also reads its environment variable.
#[derive(Debug, Clone, Args)]
pub struct ConfigArgs {
    /// Database URL: sqlite://… (default: a file under the data directory) or postgres://….
    #[arg(long, env = "SLOTLINE_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Directory for the SQLite file, the generated secret key and demo credentials.
    #[arg(long, env = "SLOTLINE_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,
    /// Address the HTTP server listens on.
    #[arg(
        long,
        env = "SLOTLINE_LISTEN_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub listen_addr: String,
    /// Base URL under which Retell reaches this server (default: http://<listen address>).
    #[arg(long, env = "SLOTLINE_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// 64 hex characters used to encrypt stored secrets (default: generated into the data dir).
    #[arg(
        long,
        env = "SLOTLINE_SECRET_KEY",
        hide_env_values = true,
        global = true
    )]
    pub secret_key: Option<String>,
    /// Directory with the compiled site (WASM, JS, CSS) produced by cargo-leptos.
    #[arg(
        long,
        env = "LEPTOS_SITE_ROOT",
        default_value = "target/site",
        global = true
    )]
    pub site_root: PathBuf,
    /// Gateway and UI requests one client IP may send per minute.
    #[arg(
        long,
        env = "SLOTLINE_LIMIT_IP_PER_MIN",
        default_value_t = 1_200,
        global = true
    )]
    pub limit_ip_per_min: u32,
    /// Gateway calls one tenant may make per minute.
    #[arg(
        long,
        env = "SLOTLINE_LIMIT_TENANT_PER_MIN",
        default_value_t = 6_000,
        global = true
    )]
    pub limit_tenant_per_min: u32,
    /// Custom-function calls one caller number may make per minute.
    #[arg(
        long,
        env = "SLOTLINE_LIMIT_CALLER_PER_MIN",
        default_value_t = 30,
        global = true
    )]
    pub limit_caller_per_min: u32,
    /// Failures within the breaker window that open a server's or downstream's circuit.
    #[arg(
        long,
        env = "SLOTLINE_BREAKER_THRESHOLD",
        default_value_t = 5,
        value_parser = clap::value_parser!(u32).range(1..),
        global = true
    )]
    pub breaker_threshold: u32,
    /// Seconds over which breaker failures are counted.
    #[arg(
        long,
        env = "SLOTLINE_BREAKER_WINDOW_SECS",
        default_value_t = 30,
        value_parser = clap::value_parser!(u64).range(1..),
        global = true
    )]
    pub breaker_window_secs: u64,
    /// Seconds an open circuit refuses calls before one probe may pass.
    #[arg(
        long,
        env = "SLOTLINE_BREAKER_RESET_SECS",
        default_value_t = 15,
        value_parser = clap::value_parser!(u64).range(1..),
        global = true
    )]
    pub breaker_reset_secs: u64,
    /// Base URL of Retell's REST API (tests point it at a local fake).
    #[arg(
        long,
        env = "SLOTLINE_RETELL_API_URL",
        default_value = "https://api.retellai.com",
        global = true
    )]
    pub retell_api_url: String,
    /// Days raw webhook payloads, call transcripts and stored custom-function answers are kept.
    #[arg(
        long,
        env = "SLOTLINE_RETENTION_DAYS",
        default_value_t = 90,
        value_parser = clap::value_parser!(u32).range(1..),
        global = true
    )]
    pub retention_days: u32,
}

/// Validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Database URL (never logged with its password).
    pub database_url: String,
    /// Data directory (exists and is writable).
    pub data_dir: PathBuf,
    /// Listen address.
    pub listen_addr: SocketAddr,
    /// Public base URL without trailing slash.
    pub public_url: String,
    /// Key for encrypting stored secrets.
    pub secret_key: [u8; 32],
    /// Compiled site root.
    pub site_root: PathBuf,
    /// Rate limits.
    pub limits: crate::limits::LimitSettings,
    /// Circuit breaker thresholds.
    pub breakers: crate::breaker::BreakerSettings,
    /// Base URL of Retell's REST API, without trailing slash.
    pub retell_api_url: String,
    /// Days personal data (webhook payloads, transcripts, function answers) is kept.
    pub retention_days: u32,
}

impl ConfigArgs {
    /// Validates the options, creating the data directory and secret key when needed.
    pub fn resolve(&self) -> Result<Config, StartupError> {
        let listen_addr: SocketAddr =
            self.listen_addr.parse().map_err(|_| StartupError::Config {
                name: "SLOTLINE_LISTEN_ADDR",
                reason: format!(
                    "{:?} is not an address like 127.0.0.1:3000",
                    self.listen_addr
                ),
            })?;
        ensure_writable_dir(&self.data_dir)?;
        let database_url = match &self.database_url {
            Some(url) if !url.trim().is_empty() => url.trim().to_owned(),
            _ => format!("sqlite://{}", self.data_dir.join("slotline.db").display()),
        };
        let public_url = match &self.public_url {
            Some(url) if !url.trim().is_empty() => parse_public_url(url)?,
            _ => format!("http://{listen_addr}"),
        };
        let secret_key = match &self.secret_key {
            Some(hex_key) if !hex_key.is_empty() => {
                parse_secret_key(hex_key).map_err(|reason| StartupError::Config {
                    name: "SLOTLINE_SECRET_KEY",
                    reason,
                })?
            }
            _ => load_or_create_secret_key(&self.data_dir)?,
        };
        Ok(Config {
            database_url,
            data_dir: self.data_dir.clone(),
            listen_addr,
            public_url,
            secret_key,
            site_root: self.site_root.clone(),
            limits: crate::limits::LimitSettings {
                ip_per_min: self.limit_ip_per_min,
                tenant_per_min: self.limit_tenant_per_min,
                caller_per_min: self.limit_caller_per_min,
                ..Default::default()
            },
            breakers: crate::breaker::BreakerSettings {
                threshold: self.breaker_threshold,
                window: std::time::Duration::from_secs(self.breaker_window_secs),
                reset: std::time::Duration::from_secs(self.breaker_reset_secs),
            },
            retell_api_url: parse_url("SLOTLINE_RETELL_API_URL", &self.retell_api_url)?,
            retention_days: self.retention_days,
        })
    }
}

/// Checks the public URL is an absolute http(s) URL; returns it without trailing slash.
fn parse_public_url(raw: &str) -> Result<String, StartupError> {
    parse_url("SLOTLINE_PUBLIC_URL", raw)
}

/// Checks `raw` (the value of setting `name`) is an absolute http(s) URL with a host;
/// returns it without trailing slash.
fn parse_url(name: &'static str, raw: &str) -> Result<String, StartupError> {
    let parsed = url::Url::parse(raw.trim()).map_err(|e| StartupError::Config {
        name,
        reason: format!("{raw:?} is not a URL ({e}); use e.g. https://slotline.example.com"),
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(StartupError::Config {
            name,
            reason: format!("{raw:?} must be an http:// or https:// URL with a host"),
        });
    }
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

/// Parses 64 hex characters into a 32-byte key.
pub fn parse_secret_key(hex_key: &str) -> Result<[u8; 32], String> {
    let bytes = hex::decode(hex_key.trim())
        .map_err(|_| "must be 64 hexadecimal characters (32 bytes)".to_owned())?;
    bytes
        .try_into()
        .map_err(|_| "must be 64 hexadecimal characters (32 bytes)".to_owned())
}

/// Creates the directory if needed and proves it is writable.
fn ensure_writable_dir(dir: &Path) -> Result<(), StartupError> {
    let fail = |e: std::io::Error| StartupError::DataDir {
        path: dir.to_path_buf(),
        reason: e.to_string(),
    };
    std::fs::create_dir_all(dir).map_err(fail)?;
    let probe = dir.join(".write-test");
    std::fs::write(&probe, b"ok").map_err(fail)?;
    std::fs::remove_file(&probe).map_err(fail)?;
    Ok(())
}

/// Reads `secret.key` from the data directory, generating it (mode 0600) on first run.
fn load_or_create_secret_key(dir: &Path) -> Result<[u8; 32], StartupError> {
    let path = dir.join("secret.key");
    if path.exists() {
        let text = std::fs::read_to_string(&path).map_err(|e| StartupError::DataDir {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        return parse_secret_key(&text).map_err(|reason| StartupError::Config {
            name: "SLOTLINE_SECRET_KEY",
            reason: format!("the key file {} {reason}", path.display()),
        });
    }
    let key: [u8; 32] = rand::random();
    write_private_file(&path, hex::encode(key).as_bytes())?;
    Ok(key)
}

/// Writes a file readable only by its owner.
pub fn write_private_file(path: &Path, contents: &[u8]) -> Result<(), StartupError> {
    use std::io::Write;
    let fail = |e: std::io::Error| StartupError::DataDir {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(fail)?;
    file.write_all(contents).map_err(fail)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_key_must_be_32_bytes_of_hex() {
        assert!(parse_secret_key(&"ab".repeat(32)).is_ok());
        assert!(parse_secret_key("abcd").is_err());
        assert!(parse_secret_key(&"zz".repeat(32)).is_err());
    }

    #[test]
    fn public_url_is_normalised_and_checked() {
        assert_eq!(
            parse_public_url("https://x.example/").unwrap(),
            "https://x.example"
        );
        assert!(parse_public_url("ftp://x.example").is_err());
        assert!(parse_public_url("not a url").is_err());
    }

    #[test]
    fn retention_days_default_to_90_and_must_be_positive() {
        use clap::Parser;
        let parse = |args: &[&str]| crate::cli::Cli::try_parse_from(args);
        if std::env::var_os("SLOTLINE_RETENTION_DAYS").is_none() {
            let cli = parse(&["slotline", "migrate"]).unwrap();
            assert_eq!(cli.config.retention_days, 90);
        }
        let cli = parse(&["slotline", "--retention-days", "30", "migrate"]).unwrap();
        assert_eq!(cli.config.retention_days, 30);
        assert!(parse(&["slotline", "--retention-days", "0", "migrate"]).is_err());
        assert!(parse(&["slotline", "--retention-days", "-5", "migrate"]).is_err());
    }

    #[test]
    fn generated_key_is_stable_across_runs() {
        let dir = tempfile::tempdir().unwrap();
        let first = load_or_create_secret_key(dir.path()).unwrap();
        let second = load_or_create_secret_key(dir.path()).unwrap();
        assert_eq!(first, second);
    }
}
