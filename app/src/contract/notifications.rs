//! Notifications to callers: the outbox, delivery settings and templates.

use serde::{Deserialize, Serialize};

/// What a message announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// The appointment was booked.
    Booked,
    /// The appointment moved to another time or staff member.
    Moved,
    /// The appointment was cancelled.
    Cancelled,
    /// The appointment is coming up.
    Reminder,
}

impl NotificationKind {
    /// All kinds, in the order the UI lists them.
    pub const ALL: [NotificationKind; 4] = [
        NotificationKind::Booked,
        NotificationKind::Moved,
        NotificationKind::Cancelled,
        NotificationKind::Reminder,
    ];

    /// The stored / wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::Moved => "moved",
            Self::Cancelled => "cancelled",
            Self::Reminder => "reminder",
        }
    }

    /// Parses a stored name.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

/// How a message travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// E-mail over SMTP.
    Email,
    /// Text message through the configured SMS provider.
    Sms,
}

impl Channel {
    /// The stored / wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Sms => "sms",
        }
    }

    /// Parses a stored name.
    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Email, Self::Sms]
            .into_iter()
            .find(|c| c.as_str() == raw)
    }
}

/// Where an outbox message is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    /// Waiting for its time or its next attempt.
    Pending,
    /// Claimed by a worker that is delivering it.
    Sending,
    /// Delivered to the mail server / SMS provider.
    Sent,
    /// Given up after too many attempts.
    Failed,
    /// Not sent: superseded (a cancelled or moved appointment's reminder) or opted out.
    Cancelled,
}

impl OutboxStatus {
    /// The stored / wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }

    /// Parses a stored name.
    pub fn parse(raw: &str) -> Option<Self> {
        [
            Self::Pending,
            Self::Sending,
            Self::Sent,
            Self::Failed,
            Self::Cancelled,
        ]
        .into_iter()
        .find(|s| s.as_str() == raw)
    }
}

/// One outbox message as the admin sees it (the recipient masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OutboxEntry {
    /// Id.
    pub id: i64,
    /// Appointment it is about.
    pub appointment_id: i64,
    /// What it announces.
    pub kind: NotificationKind,
    /// How it travels.
    pub channel: Channel,
    /// Recipient, masked (`a…@example.com`, `+49…89`).
    pub recipient: String,
    /// Language of the message.
    pub language: super::Language,
    /// Status.
    pub status: OutboxStatus,
    /// Delivery attempts so far.
    pub attempts: i64,
    /// When it is (next) due, `YYYY-MM-DD HH:MM` in the business's zone.
    pub next_attempt_at: String,
    /// Why the last attempt failed (or why it was not sent).
    pub last_error: Option<String>,
    /// When it was delivered, in the business's zone.
    pub sent_at: Option<String>,
    /// When it was written, in the business's zone.
    pub created_at: String,
}

/// Params of `notifications.outbox.list`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OutboxListParams {
    /// Only this status.
    #[serde(default)]
    pub status: Option<OutboxStatus>,
    /// At most this many, newest first (default 100, at most 500).
    #[serde(default)]
    pub limit: Option<i64>,
}

/// Params of `notifications.outbox.resend`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OutboxResendParams {
    /// The message to send again (a failed, sent or cancelled one; queued as a new attempt).
    pub id: i64,
}

/// How the SMTP connection is secured.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SmtpTls {
    /// Plain connection (only for a relay on the same machine or a test sink).
    None,
    /// Plain connection upgraded with STARTTLS (port 587).
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
}

impl SmtpTls {
    /// The stored / wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Starttls => "starttls",
            Self::Tls => "tls",
        }
    }

    /// Parses a stored name.
    pub fn parse(raw: &str) -> Option<Self> {
        [Self::None, Self::Starttls, Self::Tls]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }
}

/// A tenant's delivery settings as shown (secrets only as whether they are set).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NotificationSettings {
    /// Whether e-mails are written to the outbox.
    pub email_enabled: bool,
    /// SMTP server host.
    pub smtp_host: String,
    /// SMTP port.
    pub smtp_port: u16,
    /// Connection security.
    pub smtp_tls: SmtpTls,
    /// SMTP user name (empty: no authentication).
    pub smtp_user: String,
    /// Whether an SMTP password is stored.
    pub smtp_password_set: bool,
    /// Sender address (`Salon <termine@example.com>` or a bare address).
    pub from_address: String,
    /// Hours before the appointment a reminder goes out (0: no reminders).
    pub reminder_hours: i64,
    /// Whether text messages are written to the outbox.
    pub sms_enabled: bool,
    /// The SMS provider's endpoint (POST, JSON, bearer token).
    pub sms_url: String,
    /// Whether an SMS provider token is stored.
    pub sms_token_set: bool,
}

/// Params of `notifications.settings.set`: secrets are replaced only when given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NotificationSettingsInput {
    /// Whether e-mails are written to the outbox.
    pub email_enabled: bool,
    /// SMTP server host.
    pub smtp_host: String,
    /// SMTP port (1–65535).
    pub smtp_port: u16,
    /// Connection security.
    pub smtp_tls: SmtpTls,
    /// SMTP user name (empty: no authentication).
    pub smtp_user: String,
    /// New SMTP password; absent keeps the stored one, empty removes it.
    #[serde(default)]
    pub smtp_password: Option<String>,
    /// Sender address.
    pub from_address: String,
    /// Hours before the appointment a reminder goes out (0–336; 0: none).
    pub reminder_hours: i64,
    /// Whether text messages are written to the outbox.
    pub sms_enabled: bool,
    /// The SMS provider's endpoint (https, or http on loopback).
    pub sms_url: String,
    /// New SMS token; absent keeps the stored one, empty removes it.
    #[serde(default)]
    pub sms_token: Option<String>,
}

/// One template: subject and plain-text body with `{placeholders}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NotificationTemplate {
    /// What it announces.
    pub kind: NotificationKind,
    /// Its language.
    pub language: super::Language,
    /// Subject line.
    pub subject: String,
    /// Plain-text body (the HTML part is made from it).
    pub body: String,
    /// Whether this is the built-in default (never edited).
    pub is_default: bool,
}

/// Params of `notifications.templates.set`: empty subject and body restore the default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TemplateInput {
    /// What it announces.
    pub kind: NotificationKind,
    /// Its language.
    pub language: super::Language,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

/// A rendered message for the preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TemplatePreview {
    /// Subject with the sample appointment filled in.
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// HTML body.
    pub html: String,
}
