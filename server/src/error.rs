//! Start-up and command errors: each one renders as a single sentence that says what to fix.

use std::path::PathBuf;

/// Everything that can stop `slotline` from starting or a CLI command from finishing.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The database URL cannot be parsed or names an unsupported engine.
    #[error("SLOTLINE_DATABASE_URL {url:?} is not usable: {reason} (expected sqlite://path/to/file.db or postgres://user:password@host:5432/database)")]
    BadDatabaseUrl {
        /// The URL with any password masked.
        url: String,
        /// Why it is not usable.
        reason: String,
    },
    /// The database server cannot be reached or refused the login.
    #[error("cannot connect to the database at {url}: {reason} — is the server running and is SLOTLINE_DATABASE_URL right?")]
    DatabaseUnreachable {
        /// The URL with any password masked.
        url: String,
        /// The driver's reason.
        reason: String,
    },
    /// Applying migrations failed.
    #[error("cannot apply database migrations: {0}")]
    Migration(String),
    /// A directory could not be created or written.
    #[error("cannot write to the data directory {path}: {reason} — set SLOTLINE_DATA_DIR to a writable directory")]
    DataDir {
        /// The directory.
        path: PathBuf,
        /// The OS reason.
        reason: String,
    },
    /// The listen address cannot be bound.
    #[error("cannot listen on {addr}: {reason} — stop the other process or set SLOTLINE_LISTEN_ADDR to a free address")]
    Bind {
        /// The address.
        addr: String,
        /// The OS reason.
        reason: String,
    },
    /// A configuration value is invalid.
    #[error("{name} is invalid: {reason}")]
    Config {
        /// The environment variable.
        name: &'static str,
        /// What is wrong and what to set instead.
        reason: String,
    },
    /// A CLI command was given wrong arguments.
    #[error("{0}")]
    Usage(String),
    /// A database operation failed after start.
    #[error("database error: {0}")]
    Database(String),
    /// Serving failed.
    #[error("server stopped with an error: {0}")]
    Serve(String),
}

impl From<sqlx::Error> for StartupError {
    fn from(e: sqlx::Error) -> Self {
        StartupError::Database(e.to_string())
    }
}
