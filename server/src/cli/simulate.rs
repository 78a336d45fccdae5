//! `slotline simulate SCENARIO…`: plays scenario files against a running server.

use crate::config::Config;
use crate::error::StartupError;
use crate::simulate::{suite, Options, Simulator};
use crate::store::Store;
use std::path::PathBuf;

/// `slotline simulate` options.
#[derive(Debug, Clone, clap::Args)]
pub struct SimulateArgs {
    /// Scenario files (JSON) or directories of them.
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Only the scenarios with this tag (e.g. race).
    #[arg(long)]
    pub tag: Option<String>,
    /// The running server (default: http://<SLOTLINE_LISTEN_ADDR>).
    #[arg(long, env = "SLOTLINE_SIMULATE_URL")]
    pub url: Option<String>,
    /// Retell API key to sign with (default: the business's stored key).
    #[arg(long, env = "SLOTLINE_SIMULATE_RETELL_API_KEY", hide_env_values = true)]
    pub retell_api_key: Option<String>,
    /// Function token to send in X-Slotline-Function-Token (when the business has one).
    #[arg(long, env = "SLOTLINE_SIMULATE_FUNCTION_TOKEN", hide_env_values = true)]
    pub function_token: Option<String>,
    /// Admin for scenario steps that change the set-up.
    #[arg(long, default_value = crate::demo::DEMO_ADMIN_EMAIL)]
    pub admin_email: String,
    /// That admin's password (default: the demo's, from the data directory).
    #[arg(long, env = "SLOTLINE_SIMULATE_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<String>,
}

/// Runs the scenarios; an error when any fails.
pub async fn simulate(config: &Config, args: SimulateArgs) -> Result<(), StartupError> {
    let files = suite::files(&args.scenarios).map_err(StartupError::Usage)?;
    let scenarios = suite::load_all(&files, args.tag.as_deref()).map_err(StartupError::Usage)?;
    let store = Store::connect(&config.database_url).await?;
    let admin_password = args.admin_password.or_else(|| {
        std::fs::read_to_string(config.data_dir.join("demo-admin-password"))
            .ok()
            .map(|s| s.trim().to_owned())
    });
    let options = Options {
        base: args
            .url
            .unwrap_or_else(|| format!("http://{}", config.listen_addr)),
        retell_api_key: args.retell_api_key,
        function_token: args.function_token,
        admin_email: args.admin_email,
        admin_password,
    };
    let sim = Simulator::new(store.clone(), &config.secret_key, options);
    let outcome = suite::run(&sim, &scenarios, |s, failure| match failure {
        None => super::say(&format!("ok      {} ({})", s.name, s.file)),
        Some(f) => super::say(&f.to_string()),
    })
    .await;
    store.close().await;
    let total = outcome.passed.len() + outcome.failed.len();
    if outcome.failed.is_empty() {
        super::say(&format!("simulate: all {total} scenarios passed"));
        Ok(())
    } else {
        Err(StartupError::Usage(format!(
            "{} of {total} scenarios failed",
            outcome.failed.len()
        )))
    }
}
