//! `/notifications/opt-out/{token}`: the link under every message. GET shows a page with one
//! button (link scanners that prefetch GET change nothing); POST records the opt-out (also
//! what mail programs send for `List-Unsubscribe-Post: List-Unsubscribe=One-Click`). The page
//! speaks German and English at once: the recipient has no session and no language cookie.

use crate::notifications::{templates::escape_html, Notifier};
use crate::store::outbox::OutboxRow;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

fn page_html(status: StatusCode, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"de\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\"><title>Slotline</title></head>\
         <body style=\"font-family:sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem\">\
         {body}</body></html>"
    );
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response()
}

fn invalid() -> Response {
    page_html(
        StatusCode::NOT_FOUND,
        "<h1>Link ungültig</h1><p>Dieser Abmeldelink ist nicht gültig. Bitte verwenden Sie den \
         vollständigen Link aus der Nachricht.</p><h1 lang=\"en\">Invalid link</h1>\
         <p lang=\"en\">This opt-out link is not valid. Please use the complete link from the \
         message.</p>",
    )
}

/// The message a valid token names (`Err` when the database fails).
async fn check(n: &Notifier, token: &str) -> Result<Option<OutboxRow>, Response> {
    let Some(id) = (token.len() <= 200)
        .then(|| n.optout.verify(token))
        .flatten()
    else {
        return Ok(None);
    };
    n.store.outbox_message(id).await.map_err(|e| {
        tracing::error!(error = %e, "reading an opt-out's message failed");
        unavailable()
    })
}

fn unavailable() -> Response {
    page_html(
        StatusCode::SERVICE_UNAVAILABLE,
        "<h1>Bitte später erneut versuchen</h1><p lang=\"en\">Please try again later.</p>",
    )
}

/// Shows what the link does and a button to confirm.
pub async fn page(State(n): State<Notifier>, Path(token): Path<String>) -> Response {
    let o = match check(&n, &token).await {
        Ok(Some(o)) => o,
        Ok(None) => return invalid(),
        Err(r) => return r,
    };
    let who = escape_html(&crate::notifications::mask(&o.recipient));
    page_html(
        StatusCode::OK,
        &format!(
            "<h1>Keine Nachrichten mehr</h1><p>{who} erhält dann keine Terminnachrichten mehr \
             von diesem Betrieb.</p><p lang=\"en\">{who} will no longer receive appointment \
             messages from this business.</p><form method=\"post\">\
             <button type=\"submit\">Abmelden / Opt out</button></form>"
        ),
    )
}

/// Records the opt-out.
pub async fn confirm(State(n): State<Notifier>, Path(token): Path<String>) -> Response {
    let o = match check(&n, &token).await {
        Ok(Some(o)) => o,
        Ok(None) => return invalid(),
        Err(r) => return r,
    };
    match n.store.opt_out(o.tenant_id, o.channel, &o.recipient).await {
        Ok(()) => page_html(
            StatusCode::OK,
            "<h1>Abgemeldet</h1><p>Sie erhalten keine Terminnachrichten mehr von diesem \
             Betrieb.</p><p lang=\"en\">You are opted out: no more appointment messages from \
             this business.</p>",
        ),
        Err(e) => {
            tracing::error!(error = %e, "recording an opt-out failed");
            unavailable()
        }
    }
}
