//! SQLite's WAL checkpoints, taken off the write path. By default SQLite copies the WAL back
//! into the database file inside the COMMIT that fills it (every 1 000 pages), with two
//! fsyncs, while the committing writer still holds the process's write turn: under a burst
//! of webhooks that stalled every writer behind it several times a second. Here a
//! background task checkpoints in PASSIVE mode (beside the writers, never blocking them),
//! and a writer checkpoints itself only past [`WRITER_CHECKPOINT_PAGES`], the safety net for
//! when no checkpointer runs (tests, one-shot CLI commands) or it falls behind.

use super::{Engine, Store, StoreError};
use sqlx::Row;
use std::time::Duration;
use tokio::sync::watch;

/// How often the background task checkpoints.
pub const EVERY: Duration = Duration::from_millis(100);

/// WAL pages (4 KiB each) past which a committing writer checkpoints itself, as SQLite does
/// by default at 1 000.
pub(super) const WRITER_CHECKPOINT_PAGES: u32 = 16_384;

/// Largest WAL file kept on disk once it has been checkpointed and starts over (bytes).
pub(super) const WAL_SIZE_LIMIT: u64 = 64 * 1024 * 1024;

/// What one checkpoint found and did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpointed {
    /// Frames in the WAL.
    pub wal_frames: i64,
    /// Of those, frames now copied into the database file.
    pub copied_frames: i64,
}

impl Store {
    /// Copies what it can of the WAL into the database file without waiting for any reader
    /// or writer (SQLite's PASSIVE checkpoint). `None` on PostgreSQL, which has no WAL file.
    pub async fn checkpoint(&self) -> Result<Option<Checkpointed>, StoreError> {
        if self.engine != Engine::Sqlite {
            return Ok(None);
        }
        let row = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .fetch_one(self.pool())
            .await?;
        Ok(Some(Checkpointed {
            wal_frames: row.try_get(1)?,
            copied_frames: row.try_get(2)?,
        }))
    }
}

/// Checkpoints every [`EVERY`] until `shutdown` turns true; ends at once on PostgreSQL.
pub async fn run(store: Store, mut shutdown: watch::Receiver<bool>) {
    if store.engine() != Engine::Sqlite {
        return;
    }
    loop {
        tokio::select! {
            _ = tokio::time::sleep(EVERY) => {}
            _ = shutdown.changed() => return,
        }
        if *shutdown.borrow() {
            return;
        }
        if let Err(e) = store.checkpoint().await {
            // The writers' own checkpoints still bound the WAL.
            tracing::warn!(error = %e, "a WAL checkpoint failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn writers_leave_the_wal_to_the_checkpointer_which_copies_all_of_it() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/wal.db", dir.path().display());
        let store = Store::connect_and_migrate(&url).await.unwrap();
        sqlx::query("CREATE TABLE filler (body TEXT NOT NULL)")
            .execute(store.pool())
            .await
            .unwrap();
        let body = "x".repeat(8_000);
        // ~1 200 pages: past SQLite's default of 1 000, so a writer would have checkpointed.
        for _ in 0..600 {
            sqlx::query("INSERT INTO filler (body) VALUES ($1)")
                .bind(&body)
                .execute(store.pool())
                .await
                .unwrap();
        }
        let before = store.checkpoint().await.unwrap().unwrap();
        assert!(before.wal_frames > 1_000, "{before:?}");
        assert_eq!(before.copied_frames, before.wal_frames);
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM filler")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(rows, 600);
    }

    #[tokio::test]
    async fn the_task_ends_when_told() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/stop.db", dir.path().display());
        let store = Store::connect_and_migrate(&url).await.unwrap();
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(run(store, stopped));
        stop.send(true).unwrap();
        tokio::time::timeout(Duration::from_secs(5), task)
            .await
            .unwrap()
            .unwrap();
    }
}
