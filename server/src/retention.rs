//! The retention job: every hour, personal data older than the configured number of days
//! (`SLOTLINE_RETENTION_DAYS`) is removed from the webhook inbox, the calls, the stored
//! custom-function answers and the custom-function log ([`Store::purge_personal_data`]), and
//! the circuit breakers' recorded state changes of the same age.

use crate::store::retention::PurgeReport;
use crate::store::{Store, StoreError};
use std::time::Duration;
use tokio::sync::watch;

/// How often the job runs.
pub const PURGE_EVERY: Duration = Duration::from_secs(3600);

/// Milliseconds in a day.
const DAY_MS: i64 = 86_400_000;

/// The cut-off for `days` of retention as of `now_ms`: data recorded before it is purged.
pub fn cutoff_ms(now_ms: i64, days: u32) -> i64 {
    now_ms.saturating_sub(i64::from(days).saturating_mul(DAY_MS))
}

/// One purge as of `now_ms` (the injected clock), keeping `days` of personal data.
pub async fn run_once(store: &Store, now_ms: i64, days: u32) -> Result<PurgeReport, StoreError> {
    store.purge_personal_data(cutoff_ms(now_ms, days)).await
}

/// Purges at start and then every [`PURGE_EVERY`] until `shutdown` turns true.
pub async fn run(store: Store, days: u32, mut shutdown: watch::Receiver<bool>) {
    loop {
        if *shutdown.borrow() {
            return;
        }
        match run_once(&store, store.now_ms(), days).await {
            Ok(report) if !report.is_empty() => tracing::info!(
                days,
                webhook_payloads = report.webhook_payloads,
                call_transcripts = report.call_transcripts,
                function_answers = report.function_answers,
                function_calls = report.function_calls,
                notifications = report.notifications,
                "personal data past the retention period removed"
            ),
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "the retention purge failed; retrying later"),
        }
        // The breakers' state changes are not personal, but they are bounded by the same age.
        match store
            .purge_breaker_transitions(cutoff_ms(store.now_ms(), days))
            .await
        {
            Ok(0) => {}
            Ok(n) => tracing::info!(days, breaker_transitions = n, "old breaker changes removed"),
            Err(e) => tracing::error!(error = %e, "removing old breaker changes failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(PURGE_EVERY) => {}
            _ = shutdown.changed() => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cutoff_is_whole_days_before_now() {
        assert_eq!(cutoff_ms(10 * DAY_MS, 3), 7 * DAY_MS);
        assert_eq!(cutoff_ms(0, 90), -90 * DAY_MS);
        assert_eq!(cutoff_ms(i64::MIN + 1, u32::MAX), i64::MIN);
    }
}
