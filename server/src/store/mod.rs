//! Storage with sqlx: SQLite (embedded default) or PostgreSQL, chosen by the database URL.
//! Repositories live in the submodules; every query on tenant data is scoped by tenant id.

pub mod admins;
pub mod appointments;
pub mod breaker_log;
pub mod calendar;
pub mod calls;
pub mod checkpoint;
pub mod dashboard;
pub mod function_log;
pub mod grant_cache;
pub mod notify_config;
pub mod outbox;
pub mod outbox_announce;
pub mod platform;
pub mod recovery;
pub mod replay;
pub mod retell;
pub mod retention;
pub mod scheduling;
pub mod secrets;
pub mod seeding;
pub mod setup;
pub mod setup_write;
pub mod sqlite_url;
pub mod tenants;
pub mod tokens;
pub mod users;
pub mod webhooks;

use crate::error::StartupError;
use sqlite_url::{sqlite_url, SqliteSync};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Connection, Executor, Row};
use std::time::Duration;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// Which database engine a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// Embedded SQLite file.
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

/// Connection pool plus the engine it talks to.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    engine: Engine,
    clock: crate::clock::Clock,
    /// Verified API-token grants, shared by every clone of this store.
    grants: std::sync::Arc<grant_cache::GrantCache>,
    /// The custom-function call log's writer, shared by every clone of this store.
    function_log: std::sync::Arc<function_log::FunctionLog>,
    /// Taken around the busiest write transactions on SQLite (see [`Store::write_turn`]).
    write_gate: std::sync::Arc<tokio::sync::Mutex<()>>,
}

/// Store failures seen by the domain; details are logged, not shown to callers.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule was violated (e.g. e-mail already used).
    #[error("{0} already exists")]
    Duplicate(&'static str),
    /// Any other database failure.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

impl StoreError {
    /// Whether the database itself is failing (unreachable, pool exhausted, shut down, disk
    /// full) rather than refusing this one statement. Only outages count against the shared
    /// `database` circuit breaker: no request's content can open it.
    pub fn is_outage(&self) -> bool {
        match self {
            StoreError::Duplicate(_) => false,
            StoreError::Database(e) => is_outage(e),
        }
    }

    /// Whether the database refused a value of this statement (PostgreSQL's data exceptions,
    /// SQLSTATE class 22: a NUL character, a number out of range, bad encoding).
    pub fn is_bad_value(&self) -> bool {
        match self {
            StoreError::Database(sqlx::Error::Database(db)) => db
                .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
                .is_some_and(|pg| pg.code().starts_with("22")),
            _ => false,
        }
    }
}

/// Whether a driver error means the database is down or failing as a whole.
pub fn is_outage(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Configuration(_) => true,
        sqlx::Error::Database(db) => {
            if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                // Connection exceptions, insufficient resources, operator intervention,
                // system errors.
                return matches!(pg.code().get(..2), Some("08" | "53" | "57" | "58" | "XX"));
            }
            // SQLite: busy/locked past the timeout, read-only, I/O error, corrupt, full,
            // cannot open, not a database (primary result codes).
            db.code()
                .and_then(|c| c.parse::<i32>().ok())
                .is_some_and(|c| matches!(c & 0xff, 5 | 6 | 8 | 10 | 11 | 13 | 14 | 26))
        }
        _ => false,
    }
}

/// State of the schema as `/readyz` reports it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MigrationState {
    /// Highest migration version applied successfully.
    pub applied: i64,
    /// Highest migration version this binary ships.
    pub expected: i64,
}

/// Milliseconds since the Unix epoch by the wall clock: for transport checks (the freshness of
/// Retell's signatures) only. Everything else reads [`Store::now_ms`], the injected clock.
pub fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// Replaces a password in a URL by `***` for messages.
pub fn mask_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        Ok(u) => u.to_string(),
        Err(_) => raw.split('@').next_back().unwrap_or(raw).to_owned(),
    }
}

/// Reads the engine from the URL scheme.
pub fn engine_of(url: &str) -> Result<Engine, StartupError> {
    let bad = |reason: &str| StartupError::BadDatabaseUrl {
        url: mask_url(url),
        reason: reason.to_owned(),
    };
    let scheme = url
        .split_once(':')
        .map(|(s, _)| s)
        .ok_or_else(|| bad("it has no scheme"))?;
    match scheme {
        "sqlite" => Ok(Engine::Sqlite),
        "postgres" | "postgresql" => {
            let parsed = url::Url::parse(url).map_err(|e| bad(&e.to_string()))?;
            if parsed.host().is_none() {
                return Err(bad("it names no host"));
            }
            Ok(Engine::Postgres)
        }
        other => Err(bad(&format!("the engine {other:?} is not supported"))),
    }
}

impl Store {
    /// Connects (creating the SQLite file if needed) without migrating.
    pub async fn connect(url: &str) -> Result<Self, StartupError> {
        sqlx::any::install_default_drivers();
        let engine = engine_of(url)?;
        let (connect_url, max, sync) = match engine {
            Engine::Sqlite => {
                let (connect_url, sync) = sqlite_url(url)?;
                (connect_url, 8, sync)
            }
            Engine::Postgres => (url.to_owned(), 16, SqliteSync::Normal),
        };
        // Checkpoints are the background task's job ([`checkpoint`]); a writer takes one
        // only when the WAL has grown far past SQLite's default.
        let pragmas = format!(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = {}; \
             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
             PRAGMA wal_autocheckpoint = {}; PRAGMA journal_size_limit = {};",
            sync.pragma(),
            checkpoint::WRITER_CHECKPOINT_PAGES,
            checkpoint::WAL_SIZE_LIMIT,
        );
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(Duration::from_secs(5))
            // A ping before every use guards against a server that hung up; a SQLite file
            // cannot, and on SQLite the ping was one more hop to the connection's thread in
            // front of every query.
            .test_before_acquire(engine != Engine::Sqlite)
            // Checked when a connection comes back, not when it is taken: the check then costs
            // no caller any latency, and no connection re-enters the pool unchecked.
            .after_release(move |conn, _meta| {
                Box::pin(async move {
                    if engine != Engine::Sqlite {
                        return Ok(true);
                    }
                    // A SQLite connection whose COMMIT failed (a full disk) can be left inside
                    // a transaction that nothing will ever commit: later "commits" only release
                    // savepoints, their writes are acknowledged and then lost. sqlx still counts
                    // that transaction as open (it lowers its depth only after a COMMIT or
                    // ROLLBACK succeeded), so such a connection is known here without a round
                    // trip to its thread; it is closed, never reused. A transaction dropped
                    // without COMMIT only queued its ROLLBACK: a ping, answered after what is
                    // queued, lets that finish before the depth is read again.
                    let clean = !conn.is_in_transaction() || {
                        conn.ping().await?;
                        !conn.is_in_transaction()
                    };
                    if !clean {
                        tracing::error!("a database connection was left inside a failed transaction; closing it");
                    }
                    Ok(clean)
                })
            })
            .after_connect(move |conn, _meta| {
                let pragmas = pragmas.clone();
                Box::pin(async move {
                    if engine == Engine::Sqlite {
                        conn.execute(pragmas.as_str()).await?;
                    }
                    Ok(())
                })
            })
            .connect(&connect_url)
            .await
            .map_err(|e| connect_error(url, e))?;
        Ok(Self {
            pool,
            engine,
            clock: crate::clock::Clock::system(),
            grants: Default::default(),
            function_log: Default::default(),
            write_gate: Default::default(),
        })
    }

    /// Connects and applies all pending migrations.
    pub async fn connect_and_migrate(url: &str) -> Result<Self, StartupError> {
        let store = Self::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Applies pending migrations of this engine.
    pub async fn migrate(&self) -> Result<(), StartupError> {
        self.migrator()
            .run(&self.pool)
            .await
            .map_err(|e| StartupError::Migration(e.to_string()))
    }

    fn migrator(&self) -> &'static Migrator {
        match self.engine {
            Engine::Sqlite => &SQLITE_MIGRATIONS,
            Engine::Postgres => &POSTGRES_MIGRATIONS,
        }
    }

    /// The same store reading time from `clock` (tests name their instant).
    pub fn with_clock(mut self, clock: crate::clock::Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The clock every time decision reads.
    pub fn clock(&self) -> &crate::clock::Clock {
        &self.clock
    }

    /// Now, by the injected clock, in milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// On SQLite, a turn to write: the webhook inbox, the webhook worker and the function
    /// log queue here in the process instead of meeting at SQLite's write lock, whose busy
    /// handler sleeps for milliseconds at a time (the CPU sat idle while the writers slept).
    /// `None` on PostgreSQL, which takes concurrent writers.
    pub(crate) async fn write_turn(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match self.engine {
            Engine::Sqlite => Some(self.write_gate.lock().await),
            Engine::Postgres => None,
        }
    }

    /// The cache of verified API-token grants.
    pub fn grants(&self) -> &grant_cache::GrantCache {
        &self.grants
    }

    /// The pool, for repositories.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The engine in use.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Checks the database answers and reports the schema version.
    pub async fn migration_state(&self) -> Result<MigrationState, sqlx::Error> {
        let expected = self.migrator().iter().map(|m| m.version).max().unwrap_or(0);
        let row: AnyRow = sqlx::query(
            "SELECT COALESCE(MAX(version), 0) AS v FROM _sqlx_migrations WHERE success",
        )
        .fetch_one(&self.pool)
        .await?;
        let applied: i64 = row.try_get("v")?;
        Ok(MigrationState { applied, expected })
    }

    /// Writes what is still queued, then closes all connections.
    pub async fn close(&self) {
        self.flush_function_log().await;
        self.pool.close().await;
    }
}

/// Makes sure the SQLite file's directory exists and asks for create-if-missing mode.
/// Classifies a connection failure into a one-line, actionable error.
fn connect_error(url: &str, e: sqlx::Error) -> StartupError {
    let masked = mask_url(url);
    match e {
        sqlx::Error::Configuration(reason) => StartupError::BadDatabaseUrl {
            url: masked,
            reason: reason.to_string(),
        },
        sqlx::Error::PoolTimedOut => StartupError::DatabaseUnreachable {
            url: masked,
            reason: "no answer within 5 seconds".into(),
        },
        sqlx::Error::Io(io) => StartupError::DatabaseUnreachable {
            url: masked,
            reason: io.to_string(),
        },
        other => StartupError::DatabaseUnreachable {
            url: masked,
            reason: other.to_string(),
        },
    }
}

/// Maps a unique-constraint violation to [`StoreError::Duplicate`].
pub(crate) fn duplicate_as(what: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |e| match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Duplicate(what),
        _ => StoreError::Database(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_is_read_from_the_scheme() {
        assert_eq!(engine_of("sqlite://data/x.db").unwrap(), Engine::Sqlite);
        assert_eq!(engine_of("postgres://u@h/db").unwrap(), Engine::Postgres);
        assert!(engine_of("mysql://h/db").is_err());
        assert!(engine_of("nonsense").is_err());
        assert!(engine_of("postgres://").is_err());
    }

    /// A transaction dropped without COMMIT (a handler that returned early with an error)
    /// hands its connection back to the pool; only a connection stuck inside a failed
    /// transaction is closed.
    #[tokio::test]
    async fn a_connection_whose_transaction_was_dropped_goes_back_to_the_pool() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/drop.db", dir.path().display());
        let store = Store::connect_and_migrate(&url).await.unwrap();
        // Until the pool has taken back (or closed) every connection it handed out.
        let settled = || async {
            for _ in 0..5_000 {
                if store.pool().num_idle() == store.pool().size() as usize {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            panic!("a connection never came back to the pool");
        };
        // TEMP tables live on one connection: every connection the pool holds gets a marker,
        // which a connection opened later lacks.
        settled().await;
        let open = store.pool().size();
        let mut held = Vec::new();
        for _ in 0..open {
            let mut conn = store.pool().acquire().await.unwrap();
            sqlx::query("CREATE TEMP TABLE marker (x INTEGER)")
                .execute(&mut *conn)
                .await
                .unwrap();
            held.push(conn);
        }
        drop(held);
        for round in 0..40 {
            settled().await;
            assert_eq!(store.pool().size(), open, "round {round}: none was closed");
            let mut tx = store.pool().begin().await.unwrap();
            let marked: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_temp_master WHERE name = 'marker'")
                    .fetch_one(&mut *tx)
                    .await
                    .unwrap();
            assert_eq!(
                marked, 1,
                "round {round}: a connection of the pool came back"
            );
            let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM marker")
                .fetch_one(&mut *tx)
                .await
                .unwrap();
            assert_eq!(
                kept, 0,
                "round {round}: earlier dropped writes were rolled back"
            );
            sqlx::query("INSERT INTO marker (x) VALUES (1)")
                .execute(&mut *tx)
                .await
                .unwrap();
            drop(tx);
        }
    }

    #[test]
    fn passwords_are_masked() {
        assert_eq!(
            mask_url("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
    }
}
