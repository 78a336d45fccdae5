//! Retention of personal data: raw webhook payloads, call transcripts (with recordings,
//! summaries and analysis) and stored custom-function answers are emptied once older than a
//! cut-off, and the log of custom-function calls and finished notifications are deleted.
//! The other rows themselves stay: their unique keys are what make webhooks and custom
//! functions exactly-once.

use super::{Store, StoreError};

/// What a stored custom-function answer becomes: an identical retry still hears that its
/// request was handled, without the booking details.
pub const PURGED_ANSWER: &str =
    r#"{"success":true,"purged":true,"message":"This request was already handled."}"#;

/// The inbox error of an event that was still pending when its payload was removed.
const PURGED_PENDING: &str = "payload removed after the retention period before it was applied";

/// The inbox error text that replaces an older error message (it may quote the payload).
const PURGED_ERROR: &str = "error details removed after the retention period";

/// How many rows one purge emptied.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PurgeReport {
    /// Inbox rows whose raw payload was removed.
    pub webhook_payloads: u64,
    /// Calls whose transcript, recording link, summary and analysis were removed.
    pub call_transcripts: u64,
    /// Stored custom-function answers replaced by [`PURGED_ANSWER`].
    pub function_answers: u64,
    /// Logged custom-function calls (arguments and replies) deleted.
    pub function_calls: u64,
    /// Finished notifications (sent, failed, withdrawn) deleted with their recipient.
    pub notifications: u64,
}

impl PurgeReport {
    /// Whether anything was removed.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

impl Store {
    /// Removes personal data recorded before `older_than_ms` (UTC ms) and keeps the rows that
    /// guard exactly-once processing: inbox rows keep (tenant, call, event) with an empty
    /// payload (an event still pending is parked as failed), calls keep their metadata,
    /// function results keep their key with [`PURGED_ANSWER`]. Idempotent.
    pub async fn purge_personal_data(&self, older_than_ms: i64) -> Result<PurgeReport, StoreError> {
        let mut tx = self.pool().begin().await?;
        let inbox = sqlx::query(
            "UPDATE webhook_inbox SET payload = '', \
             last_error = CASE WHEN status = 'pending' THEN $2 \
                 WHEN last_error IS NULL THEN NULL ELSE $3 END, \
             status = CASE WHEN status = 'pending' THEN 'failed' ELSE status END \
             WHERE received_at < $1 AND payload <> ''",
        )
        .bind(older_than_ms)
        .bind(PURGED_PENDING)
        .bind(PURGED_ERROR)
        .execute(&mut *tx)
        .await?;
        let calls = sqlx::query(
            "UPDATE calls SET transcript = NULL, recording_url = NULL, summary = NULL, \
             custom_analysis = NULL \
             WHERE updated_at < $1 AND (transcript IS NOT NULL OR recording_url IS NOT NULL \
                 OR summary IS NOT NULL OR custom_analysis IS NOT NULL)",
        )
        .bind(older_than_ms)
        .execute(&mut *tx)
        .await?;
        let answers = sqlx::query(
            "UPDATE function_results SET response = $2 WHERE created_at < $1 AND response <> $2",
        )
        .bind(older_than_ms)
        .bind(PURGED_ANSWER)
        .execute(&mut *tx)
        .await?;
        // The log of custom-function calls guards nothing: old entries simply go.
        let logged = sqlx::query("DELETE FROM function_calls WHERE created_at < $1")
            .bind(older_than_ms)
            .execute(&mut *tx)
            .await?;
        // Finished notifications hold an address and guard nothing (their dedupe keys name
        // history entries, which never come again); waiting ones stay until they are done.
        let notifications = sqlx::query(
            "DELETE FROM notification_outbox WHERE created_at < $1 \
             AND status IN ('sent', 'failed', 'cancelled')",
        )
        .bind(older_than_ms)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(PurgeReport {
            webhook_payloads: inbox.rows_affected(),
            call_transcripts: calls.rows_affected(),
            function_answers: answers.rows_affected(),
            function_calls: logged.rows_affected(),
            notifications: notifications.rows_affected(),
        })
    }
}
