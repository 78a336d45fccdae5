//! A tenant's notification settings (secrets stay sealed here), its edited templates and the
//! recipients who opted out.

use super::{Store, StoreError};
use app::contract::{Channel, Language, NotificationKind, SmtpTls};
use sqlx::Row;

/// Stored settings; the password and token are sealed with the tenant's AAD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSettings {
    /// E-mails on.
    pub email_enabled: bool,
    /// SMTP host.
    pub smtp_host: String,
    /// SMTP port.
    pub smtp_port: u16,
    /// Connection security.
    pub smtp_tls: SmtpTls,
    /// SMTP user.
    pub smtp_user: String,
    /// Sealed SMTP password.
    pub smtp_password_sealed: Option<String>,
    /// Sender.
    pub from_address: String,
    /// Hours before an appointment its reminder goes out (0: none).
    pub reminder_hours: i64,
    /// SMS on.
    pub sms_enabled: bool,
    /// SMS provider endpoint.
    pub sms_url: String,
    /// Sealed SMS token.
    pub sms_token_sealed: Option<String>,
}

impl Default for StoredSettings {
    fn default() -> Self {
        Self {
            email_enabled: false,
            smtp_host: String::new(),
            smtp_port: 587,
            smtp_tls: SmtpTls::Starttls,
            smtp_user: String::new(),
            smtp_password_sealed: None,
            from_address: String::new(),
            reminder_hours: 24,
            sms_enabled: false,
            sms_url: String::new(),
            sms_token_sealed: None,
        }
    }
}

/// An edited template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTemplate {
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

impl Store {
    /// A tenant's settings (the defaults, everything off, when never saved).
    pub async fn notification_settings(
        &self,
        tenant_id: i64,
    ) -> Result<StoredSettings, StoreError> {
        let Some(r) = sqlx::query(
            "SELECT email_enabled, smtp_host, smtp_port, smtp_tls, smtp_user, \
             smtp_password_sealed, from_address, reminder_hours, sms_enabled, sms_url, \
             sms_token_sealed FROM notification_settings WHERE tenant_id = $1",
        )
        .bind(tenant_id)
        .fetch_optional(self.pool())
        .await?
        else {
            return Ok(StoredSettings::default());
        };
        let tls: String = r.try_get("smtp_tls")?;
        let port: i64 = r.try_get("smtp_port")?;
        Ok(StoredSettings {
            email_enabled: r.try_get::<i64, _>("email_enabled")? != 0,
            smtp_host: r.try_get("smtp_host")?,
            smtp_port: u16::try_from(port).unwrap_or(587),
            smtp_tls: SmtpTls::parse(&tls).unwrap_or_default(),
            smtp_user: r.try_get("smtp_user")?,
            smtp_password_sealed: r.try_get("smtp_password_sealed")?,
            from_address: r.try_get("from_address")?,
            reminder_hours: r.try_get("reminder_hours")?,
            sms_enabled: r.try_get::<i64, _>("sms_enabled")? != 0,
            sms_url: r.try_get("sms_url")?,
            sms_token_sealed: r.try_get("sms_token_sealed")?,
        })
    }

    /// Saves a tenant's settings (sealed values as given).
    pub async fn save_notification_settings(
        &self,
        tenant_id: i64,
        s: &StoredSettings,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO notification_settings (tenant_id, email_enabled, smtp_host, smtp_port, \
             smtp_tls, smtp_user, smtp_password_sealed, from_address, reminder_hours, \
             sms_enabled, sms_url, sms_token_sealed, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
             ON CONFLICT (tenant_id) DO UPDATE SET email_enabled = excluded.email_enabled, \
             smtp_host = excluded.smtp_host, smtp_port = excluded.smtp_port, \
             smtp_tls = excluded.smtp_tls, smtp_user = excluded.smtp_user, \
             smtp_password_sealed = excluded.smtp_password_sealed, \
             from_address = excluded.from_address, reminder_hours = excluded.reminder_hours, \
             sms_enabled = excluded.sms_enabled, sms_url = excluded.sms_url, \
             sms_token_sealed = excluded.sms_token_sealed, updated_at = excluded.updated_at",
        )
        .bind(tenant_id)
        .bind(i64::from(s.email_enabled))
        .bind(&s.smtp_host)
        .bind(i64::from(s.smtp_port))
        .bind(s.smtp_tls.as_str())
        .bind(&s.smtp_user)
        .bind(&s.smtp_password_sealed)
        .bind(&s.from_address)
        .bind(s.reminder_hours)
        .bind(i64::from(s.sms_enabled))
        .bind(&s.sms_url)
        .bind(&s.sms_token_sealed)
        .bind(self.now_ms())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// A tenant's edited template, if any.
    pub async fn notification_template(
        &self,
        tenant_id: i64,
        kind: NotificationKind,
        language: Language,
    ) -> Result<Option<StoredTemplate>, StoreError> {
        let row = sqlx::query(
            "SELECT subject, body FROM notification_templates \
             WHERE tenant_id = $1 AND kind = $2 AND language = $3",
        )
        .bind(tenant_id)
        .bind(kind.as_str())
        .bind(language.code())
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            Ok(StoredTemplate {
                subject: r.try_get("subject")?,
                body: r.try_get("body")?,
            })
        })
        .transpose()
        .map_err(|e: sqlx::Error| e.into())
    }

    /// Saves an edited template, or with `None` goes back to the default.
    pub async fn save_notification_template(
        &self,
        tenant_id: i64,
        kind: NotificationKind,
        language: Language,
        template: Option<&StoredTemplate>,
    ) -> Result<(), StoreError> {
        match template {
            None => {
                sqlx::query(
                    "DELETE FROM notification_templates \
                     WHERE tenant_id = $1 AND kind = $2 AND language = $3",
                )
                .bind(tenant_id)
                .bind(kind.as_str())
                .bind(language.code())
                .execute(self.pool())
                .await?;
            }
            Some(t) => {
                sqlx::query(
                    "INSERT INTO notification_templates (tenant_id, kind, language, subject, \
                     body, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (tenant_id, kind, language) DO UPDATE SET \
                     subject = excluded.subject, body = excluded.body, \
                     updated_at = excluded.updated_at",
                )
                .bind(tenant_id)
                .bind(kind.as_str())
                .bind(language.code())
                .bind(&t.subject)
                .bind(&t.body)
                .bind(self.now_ms())
                .execute(self.pool())
                .await?;
            }
        }
        Ok(())
    }

    /// Records that a recipient wants no more messages on a channel from a tenant, and
    /// withdraws what is still waiting for them.
    pub async fn opt_out(
        &self,
        tenant_id: i64,
        channel: Channel,
        recipient: &str,
    ) -> Result<(), StoreError> {
        let recipient = recipient.to_lowercase();
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "INSERT INTO notification_optouts (tenant_id, channel, recipient, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, channel, recipient) DO NOTHING",
        )
        .bind(tenant_id)
        .bind(channel.as_str())
        .bind(&recipient)
        .bind(self.now_ms())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE notification_outbox SET status = 'cancelled', \
             last_error = 'recipient opted out' WHERE tenant_id = $1 AND channel = $2 \
             AND LOWER(recipient) = $3 AND status = 'pending'",
        )
        .bind(tenant_id)
        .bind(channel.as_str())
        .bind(&recipient)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether a recipient opted out of a tenant's messages on a channel.
    pub async fn is_opted_out(
        &self,
        tenant_id: i64,
        channel: Channel,
        recipient: &str,
    ) -> Result<bool, StoreError> {
        Ok(sqlx::query(
            "SELECT 1 AS one FROM notification_optouts \
             WHERE tenant_id = $1 AND channel = $2 AND recipient = $3",
        )
        .bind(tenant_id)
        .bind(channel.as_str())
        .bind(recipient.to_lowercase())
        .fetch_optional(self.pool())
        .await?
        .is_some())
    }
}
