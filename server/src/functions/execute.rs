//! Runs one custom function for a tenant — from Retell's HTTP route or from the gateway's
//! `retell.functions.*` methods — and builds the reply. Mutating functions with a call id are
//! idempotent per (call, function, caller, arguments).

use super::args::Args;
use super::replies;
use super::FUNCTIONS;
use crate::scheduling::{
    AvailabilityQuery, BookingError, BookingRequest, ChangeRequest, Receipt, Render, Scheduler,
    TenantView,
};
use crate::store::appointments::{IdemKey, Written};
use axum::http::StatusCode;
use jiff::Timestamp;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// Who asks, within which call.
#[derive(Debug, Clone)]
pub struct Invocation {
    /// Retell call id (holds are finalized when it ends; retries are keyed by it).
    pub call_id: Option<String>,
    /// The caller's number (identity for change/cancel; default customer phone).
    pub caller: String,
    /// Whether `caller` is verified: Retell's signed `call.from_number`, not a number an API
    /// client names. Only a verified caller's booking may update their customer record.
    pub caller_verified: bool,
    /// When the caller spoke (relative phrases are read from here).
    pub said_at: Timestamp,
}

/// The reply: built now, or the stored text of an earlier identical call.
pub enum Outcome {
    /// A JSON reply with its HTTP status.
    Json(StatusCode, Value),
    /// The stored reply of an identical earlier call.
    Stored(String),
    /// The reply of the write this call made (also stored for retries).
    Written(String),
    /// The store failed; `outage` when the database itself is down (a breaker failure).
    Unavailable {
        /// Whether the database as a whole failed (not just this statement).
        outage: bool,
        /// The reply (HTTP 503).
        body: Value,
    },
}

fn unavailable(outage: bool) -> Outcome {
    Outcome::Unavailable {
        outage,
        body: json!({ "success": false, "error": "temporary_failure",
            "message": "the request could not be processed; please retry" }),
    }
}

/// Runs `function` (one of [`super::FUNCTIONS`]) with `args`.
pub async fn execute(
    s: &Scheduler,
    tenant_id: i64,
    function: &str,
    inv: &Invocation,
    args: &Args,
) -> Outcome {
    let said_at = inv.said_at;
    let caller = inv.caller.clone();
    let key = inv.call_id.as_ref().map(|call_id| IdemKey {
        call_id: call_id.clone(),
        function: FUNCTIONS
            .iter()
            .find(|n| **n == function)
            .copied()
            .unwrap_or("unknown"),
        args_hash: hex::encode(Sha256::digest(format!("{caller}|{}", args.canonical()))),
    });
    if let Some(key) = key.as_ref().filter(|_| function != "check_availability") {
        match s.store().function_result(tenant_id, key).await {
            Ok(Some(stored)) => return Outcome::Stored(stored),
            Ok(None) => {}
            Err(e) => {
                tracing::error!(error = %e, "reading a stored function result failed");
                return unavailable(e.is_outage());
            }
        }
    }
    let staff = args.text(&["staff", "staff_name", "employee"]);
    let email = args.text(&["email", "customer_email"]);
    let actor = match &inv.call_id {
        Some(id) => format!("retell:{id}"),
        None => "gateway".to_owned(),
    };
    let outcome: Result<(std::sync::Arc<TenantView>, Reply), BookingError> = match function {
        "check_availability" => {
            let query = AvailabilityQuery {
                service: &args.text(&["service", "service_name"]).unwrap_or_default(),
                when: &args.when(""),
                staff: staff.as_deref(),
                said_at,
                by_phone: true,
            };
            s.availability(tenant_id, &query)
                .await
                .map(|(v, a)| (v.clone(), Reply::Json(replies::availability(&v, &a))))
        }
        "collect_appointment" => {
            // The appointment belongs to the calling number; a number said in the call is
            // only a contact number (it never renames or books for another customer). Only
            // a call without a caller id books under the number said, without renaming it.
            let said = args.text(&["phone", "customer_phone", "phone_number"]);
            let (phone, is_callers, contact) = if inv.caller.is_empty() {
                (said.clone().unwrap_or_default(), false, None)
            } else {
                (inv.caller.clone(), inv.caller_verified, said.clone())
            };
            let req = BookingRequest {
                service: &args.text(&["service", "service_name"]).unwrap_or_default(),
                service_id: None,
                when: &args.when(""),
                staff: staff.as_deref(),
                staff_id: None,
                customer_name: &args.text(&["customer_name", "name"]).unwrap_or_default(),
                customer_phone: &phone,
                phone_is_callers: is_callers,
                contact_phone: contact.as_deref(),
                customer_email: email.as_deref(),
                notes: &args.text(&["notes", "note"]).unwrap_or_default(),
                call_id: inv.call_id.as_deref(),
                said_at,
                actor: &actor,
            };
            s.book(
                tenant_id,
                &req,
                key.as_ref().map(|k| (k, &replies::booked as Render)),
            )
            .await
            .map(|(v, w)| (v.clone(), Reply::written(&v, w, replies::booked)))
        }
        "change_appointment" => {
            let when = match args.when("new_") {
                w if w.is_empty() => args.when(""),
                w => w,
            };
            let req = ChangeRequest {
                appointment_id: args.integer(&["appointment_id", "id"]),
                phone: &inv.caller,
                when: &when,
                staff: staff.as_deref(),
                said_at,
                actor: &actor,
            };
            s.change(
                tenant_id,
                &req,
                key.as_ref().map(|k| (k, &replies::moved as Render)),
            )
            .await
            .map(|(v, w)| (v.clone(), Reply::written(&v, w, replies::moved)))
        }
        _ => {
            let reason = args.text(&["reason", "cancel_reason"]).unwrap_or_default();
            let id = args.integer(&["appointment_id", "id"]);
            s.cancel(
                tenant_id,
                &inv.caller,
                id,
                &reason,
                &actor,
                key.as_ref().map(|k| (k, &replies::cancelled as Render)),
            )
            .await
            .map(|(v, w)| (v.clone(), Reply::written(&v, w, replies::cancelled)))
        }
    };
    match outcome {
        Ok((_, Reply::Json(v))) => Outcome::Json(StatusCode::OK, v),
        Ok((_, Reply::Text(t))) => Outcome::Stored(t),
        Ok((_, Reply::Fresh(t))) => Outcome::Written(t),
        Err(e) => {
            // An identical request that ran at the same time may have succeeded meanwhile:
            // its answer wins, so Retell's retries all hear the same thing.
            if let Some(key) = key.as_ref().filter(|_| function != "check_availability") {
                if let Ok(Some(stored)) = s.store().function_result(tenant_id, key).await {
                    return Outcome::Stored(stored);
                }
            }
            failure(s, tenant_id, function, &inv.caller, e).await
        }
    }
}

/// A reply: built now, the text of this call's write, or the stored text of an earlier
/// identical call.
enum Reply {
    Json(Value),
    Text(String),
    Fresh(String),
}

impl Reply {
    fn written(
        view: &TenantView,
        w: Written<Receipt>,
        render: fn(&TenantView, &Receipt) -> String,
    ) -> Self {
        match w {
            Written::Done(r) => Reply::Fresh(render(view, &r)),
            Written::Replayed(t) => Reply::Text(t),
        }
    }
}

async fn failure(
    s: &Scheduler,
    tenant_id: i64,
    function: &str,
    caller: &str,
    e: BookingError,
) -> Outcome {
    let locale = match s.view(tenant_id).await {
        Ok(v) => v.locale,
        Err(_) => app::contract::Locale::De,
    };
    match &e {
        BookingError::Store(store) => {
            tracing::error!(function, error = %e, "custom function failed");
            Outcome::Unavailable {
                outage: store.is_outage(),
                body: replies::failure(locale, &e),
            }
        }
        BookingError::UnknownTenant => {
            tracing::error!(function, error = %e, "custom function failed");
            Outcome::Json(
                StatusCode::SERVICE_UNAVAILABLE,
                replies::failure(locale, &e),
            )
        }
        _ => {
            tracing::info!(function, outcome = e.code(), caller = %crate::telemetry::mask_phone(caller), "custom function declined");
            Outcome::Json(StatusCode::OK, replies::failure(locale, &e))
        }
    }
}
