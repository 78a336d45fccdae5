//! E-mail over SMTP with lettre: the message (plain text + HTML alternative + .ics
//! attachment, a stable Message-ID per outbox row, List-Unsubscribe) and its delivery with
//! the tenant's server, port, TLS mode and credentials.

use app::contract::SmtpTls;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// How long one SMTP conversation may take.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(15);

/// Where and how to deliver.
#[derive(Clone)]
pub struct SmtpServer {
    /// Host.
    pub host: String,
    /// Port.
    pub port: u16,
    /// Connection security.
    pub tls: SmtpTls,
    /// User (empty: no authentication).
    pub user: String,
    /// Password (opened from its sealed form just for this delivery).
    pub password: String,
}

impl std::fmt::Debug for SmtpServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpServer")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .finish_non_exhaustive()
    }
}

/// The parts of one e-mail.
#[derive(Debug, Clone)]
pub struct Email {
    /// Sender.
    pub from: String,
    /// Recipient.
    pub to: String,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// HTML body.
    pub html: String,
    /// The appointment as iCalendar text.
    pub ics: String,
    /// Whether the .ics cancels the event.
    pub cancels: bool,
    /// The Message-ID (without angle brackets).
    pub message_id: String,
    /// The opt-out URL.
    pub unsubscribe: String,
    /// The Date header, UTC ms (from the injected clock).
    pub date_ms: i64,
}

#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_owned()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

#[derive(Debug, Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_owned())
    }
}

/// Builds the MIME message; an error names what is wrong (e.g. the sender address).
pub fn build(e: &Email) -> Result<Message, String> {
    let from: Mailbox = e
        .from
        .parse()
        .map_err(|err| format!("the sender address is not valid: {err}"))?;
    let to: Mailbox =
        e.to.parse()
            .map_err(|_| "the recipient address is not valid".to_owned())?;
    let method = if e.cancels { "CANCEL" } else { "PUBLISH" };
    let calendar = ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}"))
        .map_err(|err| err.to_string())?;
    let date = std::time::UNIX_EPOCH + Duration::from_millis(u64::try_from(e.date_ms).unwrap_or(0));
    Message::builder()
        .from(from)
        .to(to)
        .subject(e.subject.clone())
        .date(date)
        .message_id(Some(format!("<{}>", e.message_id)))
        .header(ListUnsubscribe(format!("<{}>", e.unsubscribe)))
        .header(ListUnsubscribePost)
        .multipart(
            MultiPart::mixed()
                .multipart(MultiPart::alternative_plain_html(
                    e.text.clone(),
                    e.html.clone(),
                ))
                .singlepart(
                    Attachment::new("appointment.ics".into()).body(e.ics.clone(), calendar),
                ),
        )
        .map_err(|err| format!("the message could not be built: {err}"))
}

/// Delivers one message; the error says what failed (connection, TLS, authentication, the
/// server's answer).
pub async fn send(server: &SmtpServer, message: Message) -> Result<(), String> {
    type Transport = AsyncSmtpTransport<Tokio1Executor>;
    let builder = match server.tls {
        SmtpTls::None => Transport::builder_dangerous(&server.host),
        SmtpTls::Starttls => Transport::starttls_relay(&server.host)
            .map_err(|e| format!("TLS set-up for {} failed: {e}", server.host))?,
        SmtpTls::Tls => Transport::relay(&server.host)
            .map_err(|e| format!("TLS set-up for {} failed: {e}", server.host))?,
    };
    let mut builder = builder.port(server.port).timeout(Some(SMTP_TIMEOUT));
    if !server.user.is_empty() {
        builder = builder.credentials(Credentials::new(
            server.user.clone(),
            server.password.clone(),
        ));
    }
    let transport = builder.build();
    transport
        .send(message)
        .await
        .map(|_| ())
        .map_err(|e| format!("SMTP {}:{}: {e}", server.host, server.port))
}
