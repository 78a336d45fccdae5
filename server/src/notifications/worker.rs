//! Delivers due outbox messages. A message is claimed with a lease (see
//! [`crate::store::outbox`]), sent, and marked sent by the worker holding the claim; a
//! failure stores its reason and retries with exponential backoff. A worker that dies holding
//! a claim loses it when the lease runs out, and another worker sends the message then.

use super::{mail, mask, sms::HttpSms, sms::SmsProvider, Notifier};
use crate::store::outbox::OutboxRow;
use app::contract::{Channel, NotificationKind};
use std::time::Duration;
use tokio::sync::watch;

/// How long a claim lasts (longer than one SMTP conversation may take).
pub const LEASE_MS: i64 = 120_000;
/// Attempts before a message is given up as `failed`.
pub const MAX_ATTEMPTS: i64 = 10;
/// First retry delay; it doubles with each attempt.
pub const FIRST_RETRY_MS: i64 = 30_000;
/// Longest retry delay.
pub const MAX_RETRY_MS: i64 = 6 * 3_600_000;
const BATCH: i64 = 20;

/// The delay before attempt `attempts + 1` after `attempts` failures (30 s, 60 s, 2 min, …,
/// at most 6 h).
pub fn backoff_ms(attempts: i64) -> i64 {
    let shift = attempts.clamp(0, 20) as u32;
    FIRST_RETRY_MS
        .saturating_mul(1_i64 << shift)
        .min(MAX_RETRY_MS)
}

/// Runs until `shutdown` turns true; finishes the message in hand first.
pub async fn run(notifier: Notifier, mut shutdown: watch::Receiver<bool>) {
    loop {
        if *shutdown.borrow() {
            return;
        }
        match run_once(&notifier).await {
            Ok(0) => {
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                    _ = shutdown.changed() => return,
                }
            }
            Ok(_) => {}
            Err(e) => {
                tracing::error!(error = %e, "reading the notification outbox failed");
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_secs(2)) => {}
                    _ = shutdown.changed() => return,
                }
            }
        }
    }
}

/// Claims one batch of due messages and delivers them; returns how many it claimed.
pub async fn run_once(n: &Notifier) -> Result<usize, crate::store::StoreError> {
    let now = n.store.now_ms();
    let batch = n
        .store
        .claim_due_messages(&n.name, now + LEASE_MS, BATCH)
        .await?;
    let count = batch.len();
    for row in batch {
        deliver(n, &row).await;
    }
    Ok(count)
}

/// Delivers one claimed message and records the outcome.
async fn deliver(n: &Notifier, row: &OutboxRow) {
    let outcome = attempt(n, row).await;
    let store = &n.store;
    let recorded = match outcome {
        Outcome::Sent => store.mark_message_sent(row.id, &n.name).await,
        Outcome::Skip(reason) => store.mark_message_skipped(row.id, &n.name, reason).await,
        Outcome::Failed(reason) => {
            // Never store or log the full address: a server may echo it back.
            let reason = reason.replace(&row.recipient, &mask(&row.recipient));
            let retry = (row.attempts + 1 < MAX_ATTEMPTS)
                .then(|| store.now_ms() + backoff_ms(row.attempts));
            tracing::warn!(id = row.id, tenant_id = row.tenant_id, attempt = row.attempts + 1,
                to = %mask(&row.recipient), error = %reason, "notification not delivered");
            store
                .mark_message_failed(row.id, &n.name, &reason, retry)
                .await
        }
    };
    match recorded {
        Ok(true) => {}
        Ok(false) => {
            tracing::warn!(
                id = row.id,
                "notification claim was lost before it was recorded"
            )
        }
        Err(e) => tracing::error!(id = row.id, error = %e, "recording a notification failed"),
    }
}

enum Outcome {
    Sent,
    Skip(&'static str),
    Failed(String),
}

async fn attempt(n: &Notifier, row: &OutboxRow) -> Outcome {
    let store = &n.store;
    match store
        .is_opted_out(row.tenant_id, row.channel, &row.recipient)
        .await
    {
        Ok(true) => return Outcome::Skip("recipient opted out"),
        Ok(false) => {}
        Err(e) => return Outcome::Failed(format!("database: {e}")),
    }
    if row.kind == NotificationKind::Reminder {
        match store
            .appointment_still_booked(row.tenant_id, row.appointment_id)
            .await
        {
            Ok(true) => {}
            Ok(false) => return Outcome::Skip("appointment no longer booked"),
            Err(e) => return Outcome::Failed(format!("database: {e}")),
        }
    }
    let settings = match store.notification_settings(row.tenant_id).await {
        Ok(s) => s,
        Err(e) => return Outcome::Failed(format!("database: {e}")),
    };
    let url = n.optout_url(row);
    let msg = match n
        .render(
            row.tenant_id,
            row.kind,
            row.language,
            &row.snapshot,
            Some(&url),
        )
        .await
    {
        Ok(m) => m,
        Err(e) => return Outcome::Failed(format!("database: {e}")),
    };
    let open = |sealed: &Option<String>| match sealed {
        None => Ok(String::new()),
        Some(s) => n
            .secrets
            .open_for(row.tenant_id, s)
            .map_err(|_| "a stored secret cannot be opened (was the secret key changed?)"),
    };
    match row.channel {
        Channel::Email => {
            if settings.smtp_host.is_empty() || settings.from_address.is_empty() {
                return Outcome::Failed("no SMTP server or sender address is set".into());
            }
            let password = match open(&settings.smtp_password_sealed) {
                Ok(p) => p,
                Err(e) => return Outcome::Failed(e.into()),
            };
            let domain = settings
                .from_address
                .rsplit_once('@')
                .map(|(_, d)| d.trim_end_matches('>').to_owned())
                .unwrap_or_else(|| "slotline.local".into());
            let email = mail::Email {
                from: settings.from_address.clone(),
                to: row.recipient.clone(),
                subject: msg.subject,
                text: msg.text,
                html: msg.html,
                ics: super::ics::event(
                    row.appointment_id,
                    &row.snapshot,
                    row.kind == NotificationKind::Cancelled,
                    store.now_ms(),
                ),
                cancels: row.kind == NotificationKind::Cancelled,
                message_id: format!("outbox-{}.{}@{domain}", row.id, row.tenant_id),
                unsubscribe: url,
                date_ms: store.now_ms(),
            };
            let message = match mail::build(&email) {
                Ok(m) => m,
                Err(e) => return Outcome::Failed(e),
            };
            let server = mail::SmtpServer {
                host: settings.smtp_host.clone(),
                port: settings.smtp_port,
                tls: settings.smtp_tls,
                user: settings.smtp_user.clone(),
                password,
            };
            match mail::send(&server, message).await {
                Ok(()) => Outcome::Sent,
                Err(e) => Outcome::Failed(e),
            }
        }
        Channel::Sms => {
            if settings.sms_url.is_empty() {
                return Outcome::Failed("no SMS provider URL is set".into());
            }
            let token = match open(&settings.sms_token_sealed) {
                Ok(t) => t,
                Err(e) => return Outcome::Failed(e.into()),
            };
            let provider = HttpSms::new(n.http.clone(), &settings.sms_url, &token);
            let text = format!("{}\n{}", msg.subject, url);
            match provider.send(&row.recipient, &text).await {
                Ok(()) => Outcome::Sent,
                Err(e) => Outcome::Failed(e),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(super::backoff_ms(0), 30_000);
        assert_eq!(super::backoff_ms(1), 60_000);
        assert_eq!(super::backoff_ms(3), 240_000);
        assert_eq!(super::backoff_ms(50), super::MAX_RETRY_MS);
    }
}
