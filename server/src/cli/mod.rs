//! The command line: `serve` (default), `migrate`, `create-admin`, `tenant create`, `token
//! create`, `demo`, `simulate`.

mod admin;
mod replay;
mod simulate;
mod tenant;

pub use simulate::SimulateArgs;

pub use admin::{create_admin, create_platform_admin};
pub use tenant::{create_tenant, TenantArgs};

use crate::config::ConfigArgs;
use crate::error::StartupError;
use crate::store::Store;
use app::contract::Scope;
use clap::{Parser, Subcommand};

/// Slotline: the MCP gateway between Retell phone agents and your appointment book.
#[derive(Debug, Parser)]
#[command(name = "slotline", version, about)]
pub struct Cli {
    /// Shared configuration.
    #[command(flatten)]
    pub config: ConfigArgs,
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Sub-commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply migrations and serve HTTP (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create an admin user for a tenant, or with --platform a platform admin (no tenant).
    CreateAdmin {
        /// Login e-mail.
        #[arg(long)]
        email: String,
        /// Password (at least 10 characters). Better left out: it is then asked for without
        /// echo on a terminal, or read as one line from standard input (`… < file`, a pipe).
        #[arg(long, env = "SLOTLINE_ADMIN_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        /// Tenant slug; may be left out when exactly one tenant exists.
        #[arg(long)]
        tenant: Option<String>,
        /// Role: owner or staff.
        #[arg(long, default_value = "owner")]
        role: String,
        /// A platform admin: belongs to no tenant, creates and suspends tenants, adds their
        /// users and switches into any of them (not with --tenant or --role).
        #[arg(long, conflicts_with_all = ["tenant", "role"])]
        platform: bool,
    },
    /// Manage tenants (businesses).
    Tenant {
        /// What to do with tenants.
        #[command(subcommand)]
        action: TenantAction,
    },
    /// Manage per-tenant API tokens for external gateway clients.
    Token {
        /// What to do with tokens.
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Seed the demo tenant (idempotent) and print how to use it.
    Demo {
        /// Retell API key to store for the demo tenant (default: keep or generate one).
        #[arg(long, env = "SLOTLINE_DEMO_RETELL_API_KEY", hide_env_values = true)]
        retell_api_key: Option<String>,
    },
    /// Play scenario files (whole Retell calls) against a running server and check every
    /// step; the server must run with --unsafe-test-clock so each scenario sets its instant.
    Simulate(SimulateArgs),
    /// Re-send a stored call's function calls and webhooks against a scratch copy of the
    /// schedule as it was when the call started, and show where today's replies differ.
    Replay {
        /// Retell call id.
        call_id: String,
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// Print the comparison as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `slotline tenant …`.
#[derive(Debug, Subcommand)]
pub enum TenantAction {
    /// Create a business with nothing set up (services, staff and hours are made on the
    /// Set-up page by its owner).
    Create {
        /// URL-safe short name (lower-case letters, digits, dashes).
        #[arg(long)]
        slug: String,
        /// Business name.
        #[arg(long)]
        name: String,
        /// IANA time zone.
        #[arg(long, default_value = "Europe/Berlin")]
        time_zone: String,
        /// Language the agent speaks: de or en.
        #[arg(long, default_value = "de")]
        locale: String,
        /// Region for national phone numbers.
        #[arg(long, default_value = "DE")]
        country: String,
        /// Phone number the Retell agent answers, E.164.
        #[arg(long)]
        phone: Option<String>,
        /// Retell agent id answering that number.
        #[arg(long)]
        agent_id: Option<String>,
        /// Retell API key (signs the agent's webhooks and custom-function calls).
        #[arg(long, env = "SLOTLINE_TENANT_RETELL_API_KEY", hide_env_values = true)]
        retell_api_key: Option<String>,
    },
}

/// `slotline token …`.
#[derive(Debug, Subcommand)]
pub enum TokenAction {
    /// Create a token and print it once (only its hash is stored).
    Create {
        /// Tenant slug.
        #[arg(long)]
        tenant: String,
        /// A label to recognise the token by.
        #[arg(long, default_value = "api")]
        name: String,
        /// What the token may do: read, book or manage; repeat for several (default: all three).
        #[arg(long = "scope", value_name = "SCOPE", value_parser = parse_scope)]
        scopes: Vec<Scope>,
        /// Days until the token stops working, 1 to 3650 (default: it never expires).
        #[arg(long, value_name = "N")]
        expires_days: Option<u32>,
    },
}

/// Reads a `--scope` value.
fn parse_scope(raw: &str) -> Result<Scope, String> {
    Scope::parse(raw.trim())
        .ok_or_else(|| format!("{raw:?} is not a scope; use read, book or manage"))
}

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> Result<(), StartupError> {
    crate::telemetry::init();
    let config = cli.config.resolve()?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = crate::startup::Application::build(&config).await?;
            tracing::info!(
                addr = %app.local_addr(),
                engine = ?crate::store::engine_of(&config.database_url)?,
                "Slotline is serving: open {}/admin",
                config.public_url
            );
            app.serve(crate::startup::shutdown_signal()).await
        }
        Command::Migrate => {
            let store = Store::connect_and_migrate(&config.database_url)
                .await?
                .with_clock(config.clock.clone());
            let state = store.migration_state().await?;
            say(&format!(
                "migrations applied: schema version {}",
                state.applied
            ));
            store.close().await;
            Ok(())
        }
        Command::CreateAdmin {
            email,
            password,
            tenant,
            role,
            platform,
        } => {
            let password = match password {
                Some(given) => given,
                None => read_password()?,
            };
            let store = Store::connect_and_migrate(&config.database_url)
                .await?
                .with_clock(config.clock.clone());
            if platform {
                let result = create_platform_admin(&store, &email, &password).await;
                store.close().await;
                let email = result?;
                say(&format!(
                    "platform admin {email} created; sign in at {}/admin to manage tenants",
                    config.public_url
                ));
                return Ok(());
            }
            let result = create_admin(&store, &email, &password, tenant.as_deref(), &role).await;
            store.close().await;
            let (email, slug) = result?;
            say(&format!("admin {email} created for tenant {slug}"));
            Ok(())
        }
        Command::Tenant {
            action:
                TenantAction::Create {
                    slug,
                    name,
                    time_zone,
                    locale,
                    country,
                    phone,
                    agent_id,
                    retell_api_key,
                },
        } => {
            let args = TenantArgs {
                slug,
                name,
                time_zone,
                locale,
                country,
                phone,
                agent_id,
                retell_api_key,
            };
            let store = Store::connect_and_migrate(&config.database_url)
                .await?
                .with_clock(config.clock.clone());
            let result = create_tenant(&store, &config, &args).await;
            store.close().await;
            say(&result?);
            Ok(())
        }
        Command::Token {
            action:
                TokenAction::Create {
                    tenant,
                    name,
                    scopes,
                    expires_days,
                },
        } => {
            let store = Store::connect_and_migrate(&config.database_url)
                .await?
                .with_clock(config.clock.clone());
            let result = create_token(&store, &tenant, &name, &scopes, expires_days).await;
            store.close().await;
            say(&result?);
            Ok(())
        }
        Command::Simulate(args) => simulate::simulate(&config, args).await,
        Command::Replay {
            call_id,
            tenant,
            json,
        } => {
            let store = Store::connect(&config.database_url).await?;
            let result = replay::replay(&store, &tenant, &call_id, json).await;
            store.close().await;
            let (report, _) = result?;
            say(&report);
            Ok(())
        }
        Command::Demo { retell_api_key } => {
            let store = Store::connect_and_migrate(&config.database_url)
                .await?
                .with_clock(config.clock.clone());
            let result = crate::demo::seed(&store, &config, retell_api_key.as_deref()).await;
            store.close().await;
            say(&result?);
            Ok(())
        }
    }
}

/// Longest password line read from standard input, in bytes.
const MAX_PASSWORD_BYTES: u64 = 4096;

/// Reads the new admin's password: on a terminal asked twice without echo, otherwise one line
/// of standard input (without its line ending).
fn read_password() -> Result<String, StartupError> {
    use std::io::{BufRead, IsTerminal, Read};
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        let ask = |prompt: &str| {
            rpassword::prompt_password(prompt).map_err(|e| {
                StartupError::Usage(format!("cannot read the password from the terminal: {e}"))
            })
        };
        let first = ask("Password for the new admin: ")?;
        let second = ask("The same password again: ")?;
        if first != second {
            return Err(StartupError::Usage(
                "the two passwords differ; nothing was created".into(),
            ));
        }
        return Ok(first);
    }
    let mut line = String::new();
    stdin
        .lock()
        .take(MAX_PASSWORD_BYTES)
        .read_line(&mut line)
        .map_err(|e| {
            StartupError::Usage(format!("cannot read the password from standard input: {e}"))
        })?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// Prints a line to stdout; a closed pipe (e.g. `| head`) is not an error.
fn say(text: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}

/// Creates an API token for a tenant with `scopes` (none given: all three, as before scopes
/// existed) that expires after `expires_days` days (none: never); returns the token (shown
/// once).
pub async fn create_token(
    store: &Store,
    slug: &str,
    name: &str,
    scopes: &[Scope],
    expires_days: Option<u32>,
) -> Result<String, StartupError> {
    let name = crate::auth::api_token_name(name)
        .ok_or_else(|| StartupError::Usage("--name must be 1 to 80 characters".into()))?;
    let scopes = if scopes.is_empty() {
        Scope::ALL.to_vec()
    } else {
        Scope::normalize(scopes)
    };
    let expires_at = expires_days
        .map(|days| {
            crate::auth::api_token_expiry(days, store.now_ms()).ok_or_else(|| {
                StartupError::Usage(format!(
                    "--expires-days must be 1 to {}",
                    crate::auth::MAX_API_TOKEN_DAYS
                ))
            })
        })
        .transpose()?;
    let tenant = store
        .tenant_by_slug(slug)
        .await
        .map_err(|e| StartupError::Database(e.to_string()))?
        .ok_or_else(|| StartupError::Usage(format!("no tenant with slug {slug:?}")))?;
    let token = crate::auth::new_api_token();
    store
        .create_api_token(
            tenant.id,
            name,
            &crate::auth::token_hash(&token),
            &scopes,
            expires_at,
        )
        .await
        .map_err(|e| StartupError::Database(e.to_string()))?;
    Ok(token)
}
