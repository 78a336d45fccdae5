//! Writing the outbox: the messages a booking change announces, inside the change's own
//! transaction (see [`super::outbox`]).

use super::outbox::Snapshot;
use app::contract::{Channel, NotificationKind};
use sqlx::{Any, Row, Transaction};

/// Writes the messages a booking change announces (inside the change's transaction).
/// `action` is the history action; `history_id` the entry that records it (one change, one
/// message). Only booked/moved/cancelled announce anything, only for an appointment the
/// customer was told is booked, only on enabled channels and only to an address given with
/// the booking that has not opted out. A move or cancellation supersedes pending reminders.
pub(crate) async fn announce(
    tx: &mut Transaction<'static, Any>,
    now: i64,
    tenant_id: i64,
    appointment_id: i64,
    action: &str,
    history_id: i64,
) -> Result<(), sqlx::Error> {
    let Some(kind) = NotificationKind::parse(action).filter(|k| *k != NotificationKind::Reminder)
    else {
        return Ok(());
    };
    if kind != NotificationKind::Booked {
        sqlx::query(
            "UPDATE notification_outbox SET status = 'cancelled', last_error = $1 \
             WHERE tenant_id = $2 AND appointment_id = $3 AND kind = 'reminder' \
             AND status = 'pending'",
        )
        .bind(format!("superseded: appointment {action}"))
        .bind(tenant_id)
        .bind(appointment_id)
        .execute(&mut **tx)
        .await?;
    }
    let Some(settings) = sqlx::query(
        "SELECT email_enabled, sms_enabled, reminder_hours FROM notification_settings \
         WHERE tenant_id = $1",
    )
    .bind(tenant_id)
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Ok(());
    };
    let email_on: i64 = settings.try_get("email_enabled")?;
    let sms_on: i64 = settings.try_get("sms_enabled")?;
    let reminder_hours: i64 = settings.try_get("reminder_hours")?;
    let Some(a) = sqlx::query(
        "SELECT a.status, a.starts_at, a.ends_at, a.email, a.contact_phone, c.phone_e164, \
         c.name AS customer, sv.name AS service, st.name AS staff, t.name AS business, \
         t.time_zone, t.locale FROM appointments a \
         JOIN customers c ON c.id = a.customer_id JOIN services sv ON sv.id = a.service_id \
         JOIN staff st ON st.id = a.staff_id JOIN tenants t ON t.id = a.tenant_id \
         WHERE a.id = $1 AND a.tenant_id = $2",
    )
    .bind(appointment_id)
    .bind(tenant_id)
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Ok(());
    };
    let status: String = a.try_get("status")?;
    let wanted = match kind {
        NotificationKind::Cancelled => status == "cancelled",
        _ => status == "booked",
    };
    if !wanted {
        return Ok(());
    }
    if kind != NotificationKind::Booked {
        // Only what the customer was told is booked gets a change or a cancellation.
        let told = sqlx::query(
            "SELECT 1 AS one FROM appointment_history WHERE tenant_id = $1 \
             AND appointment_id = $2 AND action = 'booked' AND id < $3",
        )
        .bind(tenant_id)
        .bind(appointment_id)
        .bind(history_id)
        .fetch_optional(&mut **tx)
        .await?;
        if told.is_none() {
            return Ok(());
        }
    }
    let snapshot = Snapshot {
        starts_at: a.try_get("starts_at")?,
        ends_at: a.try_get("ends_at")?,
        service: a.try_get("service")?,
        staff: a.try_get("staff")?,
        customer: a.try_get("customer")?,
        business: a.try_get("business")?,
        time_zone: a.try_get("time_zone")?,
    };
    let payload = serde_json::to_string(&snapshot).map_err(|e| sqlx::Error::Encode(e.into()))?;
    let language: String = a.try_get("locale")?;
    let mut targets: Vec<(Channel, String)> = Vec::new();
    if email_on != 0 {
        let email: Option<String> = a.try_get("email")?;
        if let Some(email) = email.filter(|e| !e.trim().is_empty()) {
            targets.push((Channel::Email, email.trim().to_owned()));
        }
    }
    if sms_on != 0 {
        let contact: Option<String> = a.try_get("contact_phone")?;
        let phone: String = a.try_get("phone_e164")?;
        targets.push((Channel::Sms, contact.unwrap_or(phone)));
    }
    for (channel, recipient) in targets {
        if opted_out(tx, tenant_id, channel, &recipient).await? {
            continue;
        }
        let mut rows = vec![(
            kind,
            format!("{}:{}:{history_id}", kind.as_str(), channel.as_str()),
            now,
        )];
        let reminder_at = snapshot.starts_at - reminder_hours * 3_600_000;
        if kind != NotificationKind::Cancelled && reminder_hours > 0 && reminder_at > now {
            rows.push((
                NotificationKind::Reminder,
                format!("reminder:{}:{history_id}", channel.as_str()),
                reminder_at,
            ));
        }
        for (kind, key, due) in rows {
            sqlx::query(
                "INSERT INTO notification_outbox (tenant_id, appointment_id, kind, channel, \
                 recipient, language, dedupe_key, payload, status, attempts, next_attempt_at, \
                 created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 0, $9, $10) \
                 ON CONFLICT (tenant_id, dedupe_key) DO NOTHING",
            )
            .bind(tenant_id)
            .bind(appointment_id)
            .bind(kind.as_str())
            .bind(channel.as_str())
            .bind(&recipient)
            .bind(&language)
            .bind(key)
            .bind(&payload)
            .bind(due)
            .bind(now)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

async fn opted_out(
    tx: &mut Transaction<'static, Any>,
    tenant_id: i64,
    channel: Channel,
    recipient: &str,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT 1 AS one FROM notification_optouts \
         WHERE tenant_id = $1 AND channel = $2 AND recipient = $3",
    )
    .bind(tenant_id)
    .bind(channel.as_str())
    .bind(recipient.to_lowercase())
    .fetch_optional(&mut **tx)
    .await?
    .is_some())
}
