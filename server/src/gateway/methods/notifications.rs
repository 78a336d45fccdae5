//! `notifications.*`: the outbox (staff read it, owners resend), the delivery settings
//! (secrets only as set / not set) and the templates with a live preview.

use super::calls::tenant_zone;
use super::local;
use crate::gateway::{store_failure, Access, Ctx, Registry, Services};
use crate::notifications::{mask, render_with, sample_snapshot, templates};
use crate::store::notify_config::{StoredSettings, StoredTemplate};
use app::contract::{
    codes, NoParams, NotificationKind, NotificationSettings, NotificationSettingsInput,
    NotificationTemplate, OutboxEntry, OutboxListParams, OutboxResendParams, RpcError,
    TemplateInput, TemplatePreview,
};

/// The methods this module registers, all reads first.
pub(super) const READS: [&str; 4] = [
    "notifications.outbox.list",
    "notifications.settings.get",
    "notifications.templates.get",
    "notifications.templates.preview",
];
/// Methods whose repetition changes nothing more.
pub(super) const IDEMPOTENT: [&str; 2] =
    ["notifications.settings.set", "notifications.templates.set"];

pub(super) fn register(r: &mut Registry) {
    r.register(
        "notifications.outbox.list",
        "The tenant's outgoing messages (confirmation, change, cancellation, reminder), newest \
         first, with status, attempts and the reason of the last failure; recipients masked.",
        Access::Admin,
        list,
    );
    r.register(
        "notifications.outbox.resend",
        "Queues a sent, failed or withdrawn message again; the worker delivers it shortly.",
        Access::Owner,
        resend,
    );
    r.register(
        "notifications.settings.get",
        "The tenant's delivery settings: SMTP server, sender, reminder hours, SMS provider \
         (password and token only as set or not set).",
        Access::Admin,
        settings_get,
    );
    r.register(
        "notifications.settings.set",
        "Saves the delivery settings; a password or token is replaced only when given (empty \
         removes it) and stored encrypted.",
        Access::Owner,
        settings_set,
    );
    r.register(
        "notifications.templates.get",
        "Subject and text of every message kind in German and English (the built-in default \
         where the business has not edited one).",
        Access::Admin,
        templates_get,
    );
    r.register(
        "notifications.templates.set",
        "Saves one template (kind + language); an empty subject and text restore the default.",
        Access::Owner,
        templates_set,
    );
    r.register(
        "notifications.templates.preview",
        "Renders a subject and text (not saved) with a sample appointment tomorrow at 10:00 in \
         the business's time zone: subject, plain text and HTML.",
        Access::Admin,
        preview,
    );
}

async fn list(s: Services, ctx: Ctx, p: OutboxListParams) -> Result<Vec<OutboxEntry>, RpcError> {
    let tenant_id = ctx.admin()?.tenant_id;
    let limit = p.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(RpcError::invalid_field(
            "limit",
            "limit must be between 1 and 500",
        ));
    }
    let tz = tenant_zone(&s, tenant_id).await?;
    let rows = s
        .store
        .outbox(tenant_id, p.status, limit)
        .await
        .map_err(store_failure)?;
    Ok(rows
        .into_iter()
        .map(|r| OutboxEntry {
            id: r.id,
            appointment_id: r.appointment_id,
            kind: r.kind,
            channel: r.channel,
            recipient: mask(&r.recipient),
            language: r.language,
            status: r.status,
            attempts: r.attempts,
            next_attempt_at: local(r.next_attempt_at, &tz).unwrap_or_default(),
            last_error: r.last_error,
            sent_at: r.sent_at.and_then(|ms| local(ms, &tz)),
            created_at: local(r.created_at, &tz).unwrap_or_default(),
        })
        .collect())
}

async fn resend(s: Services, ctx: Ctx, p: OutboxResendParams) -> Result<bool, RpcError> {
    let tenant_id = ctx.admin()?.tenant_id;
    if s.store
        .resend_message(tenant_id, p.id)
        .await
        .map_err(store_failure)?
    {
        Ok(true)
    } else {
        Err(RpcError::new(
            codes::WRONG_STATE,
            "no sent, failed or withdrawn message with this id: a waiting message is sent \
             anyway",
        ))
    }
}

fn shown(st: &StoredSettings) -> NotificationSettings {
    NotificationSettings {
        email_enabled: st.email_enabled,
        smtp_host: st.smtp_host.clone(),
        smtp_port: st.smtp_port,
        smtp_tls: st.smtp_tls,
        smtp_user: st.smtp_user.clone(),
        smtp_password_set: st.smtp_password_sealed.is_some(),
        from_address: st.from_address.clone(),
        reminder_hours: st.reminder_hours,
        sms_enabled: st.sms_enabled,
        sms_url: st.sms_url.clone(),
        sms_token_set: st.sms_token_sealed.is_some(),
    }
}

async fn settings_get(
    s: Services,
    ctx: Ctx,
    _p: NoParams,
) -> Result<NotificationSettings, RpcError> {
    let tenant_id = ctx.admin()?.tenant_id;
    let st = s
        .store
        .notification_settings(tenant_id)
        .await
        .map_err(store_failure)?;
    Ok(shown(&st))
}

/// Checks the settings; the error names the field and what to fix.
fn validate(p: &NotificationSettingsInput) -> Result<(), RpcError> {
    let host = p.smtp_host.trim();
    if host.len() > 253 || host.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(RpcError::invalid_field(
            "smtp_host",
            "the SMTP server must be a host name like smtp.example.com",
        ));
    }
    if p.email_enabled && host.is_empty() {
        return Err(RpcError::invalid_field(
            "smtp_host",
            "enter the SMTP server before switching e-mails on",
        ));
    }
    if p.smtp_port == 0 {
        return Err(RpcError::invalid_field(
            "smtp_port",
            "the SMTP port must be between 1 and 65535 (587 for STARTTLS, 465 for TLS)",
        ));
    }
    if p.smtp_user.len() > 320 {
        return Err(RpcError::invalid_field(
            "smtp_user",
            "the user name is too long",
        ));
    }
    let from = p.from_address.trim();
    if (p.email_enabled || !from.is_empty()) && from.parse::<lettre::message::Mailbox>().is_err() {
        return Err(RpcError::invalid_field(
            "from_address",
            "the sender must be an e-mail address like termine@example.com or \
             \"Salon <termine@example.com>\"",
        ));
    }
    if !(0..=336).contains(&p.reminder_hours) {
        return Err(RpcError::invalid_field(
            "reminder_hours",
            "reminders go out 0 to 336 hours (14 days) before; 0 sends none",
        ));
    }
    let url = p.sms_url.trim();
    if !url.is_empty() || p.sms_enabled {
        let ok = url::Url::parse(url).ok().is_some_and(|u| {
            u.scheme() == "https"
                || (u.scheme() == "http"
                    && matches!(u.host_str(), Some("127.0.0.1" | "localhost" | "[::1]")))
        });
        if !ok {
            return Err(RpcError::invalid_field(
                "sms_url",
                "the SMS provider URL must start with https:// (http only on this machine)",
            ));
        }
    }
    for (field, v) in [
        ("smtp_password", &p.smtp_password),
        ("sms_token", &p.sms_token),
    ] {
        if v.as_ref().is_some_and(|v| v.len() > 1000) {
            return Err(RpcError::invalid_field(field, "at most 1000 characters"));
        }
    }
    Ok(())
}

async fn settings_set(
    s: Services,
    ctx: Ctx,
    p: NotificationSettingsInput,
) -> Result<NotificationSettings, RpcError> {
    let tenant_id = ctx.admin()?.tenant_id;
    validate(&p)?;
    let old = s
        .store
        .notification_settings(tenant_id)
        .await
        .map_err(store_failure)?;
    let seal = |given: &Option<String>, kept: Option<String>| match given.as_deref() {
        None => kept,
        Some("") => None,
        Some(v) => Some(s.secrets.seal_for(tenant_id, v)),
    };
    let new = StoredSettings {
        email_enabled: p.email_enabled,
        smtp_host: p.smtp_host.trim().to_owned(),
        smtp_port: p.smtp_port,
        smtp_tls: p.smtp_tls,
        smtp_user: p.smtp_user.trim().to_owned(),
        smtp_password_sealed: seal(&p.smtp_password, old.smtp_password_sealed),
        from_address: p.from_address.trim().to_owned(),
        reminder_hours: p.reminder_hours,
        sms_enabled: p.sms_enabled,
        sms_url: p.sms_url.trim().to_owned(),
        sms_token_sealed: seal(&p.sms_token, old.sms_token_sealed),
    };
    s.store
        .save_notification_settings(tenant_id, &new)
        .await
        .map_err(store_failure)?;
    Ok(shown(&new))
}

async fn templates_get(
    s: Services,
    ctx: Ctx,
    _p: NoParams,
) -> Result<Vec<NotificationTemplate>, RpcError> {
    let tenant_id = ctx.admin()?.tenant_id;
    let mut out = Vec::new();
    for kind in NotificationKind::ALL {
        for language in app::contract::Language::ALL {
            out.push(template(&s, tenant_id, kind, language).await?);
        }
    }
    Ok(out)
}

async fn template(
    s: &Services,
    tenant_id: i64,
    kind: NotificationKind,
    language: app::contract::Language,
) -> Result<NotificationTemplate, RpcError> {
    let stored = s
        .store
        .notification_template(tenant_id, kind, language)
        .await
        .map_err(store_failure)?;
    Ok(match stored {
        Some(t) => NotificationTemplate {
            kind,
            language,
            subject: t.subject,
            body: t.body,
            is_default: false,
        },
        None => {
            let (subject, body) = templates::default_template(kind, language);
            NotificationTemplate {
                kind,
                language,
                subject: subject.into(),
                body: body.into(),
                is_default: true,
            }
        }
    })
}

/// Checks a template's length and placeholders.
fn check_template(p: &TemplateInput) -> Result<(), RpcError> {
    if p.subject.trim().is_empty() != p.body.trim().is_empty() {
        return Err(RpcError::invalid_field(
            if p.subject.trim().is_empty() {
                "subject"
            } else {
                "body"
            },
            "give both a subject and a text (or leave both empty for the default)",
        ));
    }
    if p.subject.chars().count() > templates::MAX_SUBJECT {
        return Err(RpcError::invalid_field(
            "subject",
            format!(
                "the subject may have at most {} characters",
                templates::MAX_SUBJECT
            ),
        ));
    }
    if p.body.chars().count() > templates::MAX_BODY {
        return Err(RpcError::invalid_field(
            "body",
            format!(
                "the text may have at most {} characters",
                templates::MAX_BODY
            ),
        ));
    }
    for (field, text) in [("subject", &p.subject), ("body", &p.body)] {
        if let Some(name) = templates::unknown_placeholder(text) {
            return Err(RpcError::invalid_field(
                field,
                format!(
                    "unknown placeholder {{{name}}}; use {}",
                    templates::PLACEHOLDERS
                        .iter()
                        .map(|p| format!("{{{p}}}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    Ok(())
}

async fn templates_set(
    s: Services,
    ctx: Ctx,
    p: TemplateInput,
) -> Result<NotificationTemplate, RpcError> {
    let tenant_id = ctx.admin()?.tenant_id;
    check_template(&p)?;
    let stored = (!p.subject.trim().is_empty()).then(|| StoredTemplate {
        subject: p.subject.trim().to_owned(),
        body: p.body.trim_end().to_owned(),
    });
    s.store
        .save_notification_template(tenant_id, p.kind, p.language, stored.as_ref())
        .await
        .map_err(store_failure)?;
    template(&s, tenant_id, p.kind, p.language).await
}

async fn preview(s: Services, ctx: Ctx, p: TemplateInput) -> Result<TemplatePreview, RpcError> {
    let tenant_id = ctx.admin()?.tenant_id;
    check_template(&p)?;
    let tenant = s
        .store
        .tenant_by_id(tenant_id)
        .await
        .map_err(store_failure)?
        .ok_or_else(|| RpcError::new(codes::NOT_FOUND, "your tenant no longer exists"))?;
    let sample = sample_snapshot(&tenant.name, &tenant.time_zone, s.store.now_ms());
    let (subject, body) = if p.subject.trim().is_empty() {
        let (s, b) = templates::default_template(p.kind, p.language);
        (s.to_owned(), b.to_owned())
    } else {
        (p.subject, p.body)
    };
    let url = format!("{}/notifications/opt-out/…", s.public_url);
    Ok(render_with(
        &subject,
        &body,
        p.language,
        &sample,
        Some(&url),
    ))
}
