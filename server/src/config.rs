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
    /// Requests one client IP may send per minute to Retell's routes (webhooks, functions).
    #[arg(
        long,
        env = "SLOTLINE_LIMIT_RETELL_IP_PER_MIN",
        default_value_t = 12_000,
        global = true
    )]
    pub limit_retell_ip_per_min: u32,
    /// Sign-in attempts one client IP may make per minute.
    #[arg(
        long,
        env = "SLOTLINE_LIMIT_LOGIN_PER_CLIENT_MIN",
        default_value_t = 20,
        global = true
    )]
    pub limit_login_per_client_min: u32,
    /// Wrong passwords for one account per minute (all clients together) before clients that
    /// never signed in to it are slowed down.
    #[arg(
        long,
        env = "SLOTLINE_LIMIT_LOGIN_PER_ACCOUNT_MIN",
        default_value_t = 30,
        global = true
    )]
    pub limit_login_per_account_min: u32,
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
    /// How long one request to Retell's API may take, in milliseconds.
    #[arg(
        long,
        env = "SLOTLINE_RETELL_API_TIMEOUT_MS",
        default_value_t = 10_000,
        value_parser = clap::value_parser!(u64).range(100..=120_000),
        global = true
    )]
    pub retell_api_timeout_ms: u64,
    /// When the session cookie is marked Secure: auto (https public URL, or a trusted proxy's
    /// X-Forwarded-Proto: https), always or never.
    #[arg(
        long,
        env = "SLOTLINE_COOKIE_SECURE",
        value_enum,
        default_value_t = CookieSecure::Auto,
        global = true
    )]
    pub cookie_secure: CookieSecure,
    /// Believe a reverse proxy's X-Forwarded-Proto header (true/false).
    #[arg(
        long,
        env = "SLOTLINE_TRUST_PROXY",
        value_parser = clap::builder::BoolishValueParser::new(),
        global = true
    )]
    pub trust_proxy: bool,
    /// Bearer token for /metrics and the full gateway health report (default: /metrics open,
    /// health shows only its status word).
    #[arg(
        long,
        env = "SLOTLINE_METRICS_TOKEN",
        hide_env_values = true,
        global = true
    )]
    pub metrics_token: Option<String>,
    /// Days raw webhook payloads, call transcripts and stored custom-function answers are kept.
    #[arg(
        long,
        env = "SLOTLINE_RETENTION_DAYS",
        default_value_t = 90,
        value_parser = clap::value_parser!(u32).range(1..),
        global = true
    )]
    pub retention_days: u32,
    /// Test/dev only: the instant (RFC 3339) the server's clock stands at, refused unless
    /// --unsafe-test-clock is given too.
    #[arg(long, env = "SLOTLINE_CLOCK_AT", global = true)]
    pub clock_at: Option<String>,
    /// Test/dev only: run on a clock standing at --clock-at that `slotline simulate` may set
    /// over HTTP (POST /api/test/clock). Never in production; loopback listen addresses only.
    #[arg(
        long,
        env = "SLOTLINE_UNSAFE_TEST_CLOCK",
        value_parser = clap::builder::BoolishValueParser::new(),
        global = true
    )]
    pub unsafe_test_clock: bool,
}

/// `SLOTLINE_COOKIE_SECURE`: when the session cookie gets the `Secure` flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum CookieSecure {
    /// When the public URL is https, or (with `SLOTLINE_TRUST_PROXY`) the proxy says https.
    #[default]
    Auto,
    /// Always (Slotline is reached only over https).
    Always,
    /// Never (plain-http set-ups).
    Never,
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
    /// Timeouts, retries and paths of the Retell API client.
    pub retell_api: crate::retell_api::ApiSettings,
    /// When the session cookie gets the `Secure` flag.
    pub cookie_secure: CookieSecure,
    /// Whether a reverse proxy's `X-Forwarded-Proto` is believed.
    pub trust_proxy: bool,
    /// Token guarding `/metrics` and the full gateway health report, if configured.
    pub metrics_token: Option<crate::http::ops_token::OpsToken>,
    /// Days personal data (webhook payloads, transcripts, function answers) is kept.
    pub retention_days: u32,
    /// The clock the domain reads (the system clock; tests set an instant).
    pub clock: crate::clock::Clock,
}

impl Config {
    /// The session cookie policy handed to the UI's server functions.
    pub fn cookie_security(&self) -> app::gateway::CookieSecurity {
        use app::gateway::CookieSecurity;
        match self.cookie_secure {
            CookieSecure::Always => CookieSecurity::Always,
            CookieSecure::Never => CookieSecurity::Never,
            CookieSecure::Auto if self.public_url.starts_with("https://") => CookieSecurity::Always,
            CookieSecure::Auto if self.trust_proxy => CookieSecurity::WhenForwardedHttps,
            CookieSecure::Auto => CookieSecurity::Never,
        }
    }
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
                retell_ip_per_min: self.limit_retell_ip_per_min,
                login_per_client_min: self.limit_login_per_client_min,
                login_per_account_min: self.limit_login_per_account_min,
                ..Default::default()
            },
            breakers: crate::breaker::BreakerSettings {
                threshold: self.breaker_threshold,
                window: std::time::Duration::from_secs(self.breaker_window_secs),
                reset: std::time::Duration::from_secs(self.breaker_reset_secs),
            },
            retell_api_url: parse_url("SLOTLINE_RETELL_API_URL", &self.retell_api_url)?,
            retell_api: crate::retell_api::ApiSettings {
                timeout: std::time::Duration::from_millis(self.retell_api_timeout_ms),
                ..Default::default()
            },
            cookie_secure: self.cookie_secure,
            trust_proxy: self.trust_proxy,
            metrics_token: match &self.metrics_token {
                Some(token) if !token.trim().is_empty() => {
                    Some(crate::http::ops_token::OpsToken::new(token).map_err(|e| {
                        StartupError::Config {
                            name: "SLOTLINE_METRICS_TOKEN",
                            reason: e.to_string(),
                        }
                    })?)
                }
                _ => None,
            },
            retention_days: self.retention_days,
            clock: crate::test_clock::resolve(
                self.clock_at.as_deref(),
                self.unsafe_test_clock,
                listen_addr,
            )?,
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
    fn auto_cookie_security_follows_the_public_url_then_the_proxy() {
        use app::gateway::CookieSecurity;
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config {
            database_url: "sqlite://x.db".into(),
            data_dir: dir.path().to_path_buf(),
            listen_addr: "127.0.0.1:0".parse().unwrap(),
            public_url: "https://x.example".into(),
            secret_key: [0; 32],
            site_root: PathBuf::from("target/site"),
            limits: Default::default(),
            breakers: Default::default(),
            retell_api_url: "http://127.0.0.1:9".into(),
            retell_api: Default::default(),
            cookie_secure: CookieSecure::Auto,
            trust_proxy: false,
            metrics_token: None,
            retention_days: 90,
            clock: crate::clock::Clock::system(),
        };
        assert_eq!(config.cookie_security(), CookieSecurity::Always);
        config.public_url = "http://x.example".into();
        assert_eq!(config.cookie_security(), CookieSecurity::Never);
        config.trust_proxy = true;
        assert_eq!(config.cookie_security(), CookieSecurity::WhenForwardedHttps);
        config.cookie_secure = CookieSecure::Always;
        assert_eq!(config.cookie_security(), CookieSecurity::Always);
        config.cookie_secure = CookieSecure::Never;
        config.public_url = "https://x.example".into();
        assert_eq!(config.cookie_security(), CookieSecurity::Never);
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
