//! Tracing set-up, once per process (RUST_LOG, default `info`), and the per-request log
//! context. A request's id and its gateway method and tenant are kept in task-locals and
//! written only into lines that are actually logged: a span per request cost the gateway
//! ~15 % of its throughput, formatting fields for lines never written (docs/decisions.md).

use tracing::{Event, Subscriber};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, FormattedFields};
use tracing_subscriber::registry::LookupSpan;

/// The gateway call a task is serving, for its log lines.
#[derive(Debug, Clone, Copy)]
pub struct CallContext {
    /// The gateway method.
    pub method: &'static str,
    /// The tenant the call is scoped to, once known.
    pub tenant: Option<i64>,
}

tokio::task_local! {
    static CALL: CallContext;
}

/// Runs `work` with `call` named in every line it logs.
pub async fn in_call<F: std::future::Future>(call: CallContext, work: F) -> F::Output {
    CALL.scope(call, work).await
}

/// Installs the fmt subscriber; safe to call more than once.
pub fn init() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,rmcp=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .event_format(Line)
        .try_init();
}

/// One plain log line: time (UTC), level, open spans, the event's fields, then the request
/// id, gateway method and tenant of the task that logged it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Line;

impl<S, N> FormatEvent<S, N> for Line
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut w: Writer<'_>,
        event: &Event<'_>,
    ) -> std::fmt::Result {
        let now = jiff::Timestamp::now();
        write!(w, "{now:.6} {:>5} ", event.metadata().level())?;
        if let Some(scope) = ctx.event_scope() {
            for span in scope.from_root() {
                w.write_str(span.name())?;
                let ext = span.extensions();
                if let Some(fields) = ext.get::<FormattedFields<N>>() {
                    if !fields.is_empty() {
                        write!(w, "{{{fields}}}")?;
                    }
                }
                w.write_str(": ")?;
            }
        }
        ctx.format_fields(w.by_ref(), event)?;
        if let Some(id) = crate::http::request_id::current() {
            write!(w, " request_id={id}")?;
        }
        if let Ok(call) = CALL.try_with(|c| *c) {
            write!(w, " method={}", call.method)?;
            if let Some(tenant) = call.tenant {
                write!(w, " tenant={tenant}")?;
            }
        }
        writeln!(w)
    }
}

/// A phone number safe for logs and error messages: only the last three digits stay
/// (`+49151•••••678`-style, never the full number).
pub fn mask_phone(raw: &str) -> String {
    let digits: Vec<char> = raw.chars().filter(|c| c.is_ascii_digit()).collect();
    if digits.len() <= 4 {
        return "•••".into();
    }
    let tail: String = digits[digits.len() - 3..].iter().collect();
    format!("•••{tail}")
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    /// Collects what the subscriber writes.
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn lines_name_the_request_and_gateway_call_that_logged_them() {
        let buffer = Buffer::default();
        let sink = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .event_format(super::Line)
            .with_writer(move || sink.clone())
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        let call = super::CallContext {
            method: "appointment.management.find",
            tenant: Some(7),
        };
        crate::http::request_id::scope(axum::http::HeaderValue::from_static("req-42"), async {
            super::in_call(call, async { tracing::warn!(slot = 3, "slot taken") }).await;
            tracing::info!("outside the call");
        })
        .await;
        tracing::info!("no request");
        let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[0].contains(" WARN slot taken slot=3 request_id=req-42 method=appointment.management.find tenant=7"), "{text}");
        assert!(
            lines[1].ends_with(" INFO outside the call request_id=req-42"),
            "{text}"
        );
        assert!(lines[2].ends_with(" INFO no request"), "{text}");
        assert!(
            !text.contains('\x1b'),
            "no terminal colours in log lines: {text}"
        );
    }

    #[test]
    fn phones_are_masked_to_their_last_digits() {
        assert_eq!(super::mask_phone("+49 151 12345678"), "•••678");
        assert_eq!(super::mask_phone("12"), "•••");
    }
}
