//! Server functions of the calendar, the appointment panel and the call detail: free slots,
//! booking, moving and cancelling by hand (a slot taken meanwhile comes back with
//! alternatives), an appointment's history, a call with its function calls.

use super::ApiError;
use crate::contract::{
    AdminBookParams, AdminCancelParams, AdminMoveParams, AppointmentDetail, AppointmentInfo,
    CallDetail, SlotInfo, SlotsParams,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// A free time offered instead of a taken one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alternative {
    /// Tenant-local start, `YYYY-MM-DDTHH:MM`.
    pub local: String,
    /// Staff member's name.
    pub staff: String,
}

/// The result of booking or moving by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum WriteOutcome {
    /// Done; the appointment now.
    Done(Box<AppointmentInfo>),
    /// The time is not (or no longer) free; the sentence and free times nearby.
    Taken {
        /// What happened.
        message: String,
        /// Free times near the wish.
        alternatives: Vec<Alternative>,
    },
}

/// A booking or move as the UI shows it: a taken slot is an outcome, not an error.
#[cfg(feature = "ssr")]
fn outcome(
    r: Result<AppointmentInfo, crate::contract::RpcError>,
) -> Result<WriteOutcome, ApiError> {
    match r {
        Ok(a) => Ok(WriteOutcome::Done(Box::new(a))),
        Err(e) if e.code == crate::contract::codes::SLOT_TAKEN => {
            let alternatives = e
                .data
                .as_ref()
                .and_then(|d| d.get("alternatives"))
                .and_then(|a| a.as_array())
                .map(|list| {
                    list.iter()
                        .map(|o| Alternative {
                            local: o["local"].as_str().unwrap_or_default().to_owned(),
                            staff: o["staff"].as_str().unwrap_or_default().to_owned(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            Ok(WriteOutcome::Taken {
                message: e.message,
                alternatives,
            })
        }
        Err(e) => Err(e.into()),
    }
}

/// Every free start of a service.
#[server(prefix = "/api/ui", endpoint = "appointments_slots", input = Json)]
pub async fn list_slots(params: SlotsParams) -> Result<Vec<SlotInfo>, ApiError> {
    super::backend::call("appointments.slots", &params).await
}

/// Books an appointment by hand.
#[server(prefix = "/api/ui", endpoint = "appointments_book", input = Json)]
pub async fn book_appointment(params: AdminBookParams) -> Result<WriteOutcome, ApiError> {
    outcome(super::backend::call_rpc("appointments.book", &params).await)
}

/// Moves an appointment by hand.
#[server(prefix = "/api/ui", endpoint = "appointments_move", input = Json)]
pub async fn move_appointment(params: AdminMoveParams) -> Result<WriteOutcome, ApiError> {
    outcome(super::backend::call_rpc("appointments.move", &params).await)
}

/// Cancels an appointment with a reason.
#[server(prefix = "/api/ui", endpoint = "appointments_cancel", input = Json)]
pub async fn cancel_appointment(params: AdminCancelParams) -> Result<AppointmentInfo, ApiError> {
    super::backend::call("appointments.cancel", &params).await
}

/// An appointment with its history.
#[server(prefix = "/api/ui", endpoint = "appointments_history")]
pub async fn get_appointment_detail(appointment_id: i64) -> Result<AppointmentDetail, ApiError> {
    super::backend::call(
        "appointments.history",
        &crate::contract::AppointmentRef { appointment_id },
    )
    .await
}

/// A call replayed against a scratch copy of the schedule: original and today's replies.
#[server(prefix = "/api/ui", endpoint = "calls_replay")]
pub async fn replay_call(call_id: String) -> Result<crate::contract::ReplayResult, ApiError> {
    super::backend::call("calls.replay", &crate::contract::CallRef { call_id }).await
}

/// A call with its transcript, function calls and appointments.
#[server(prefix = "/api/ui", endpoint = "calls_get")]
pub async fn get_call_detail(call_id: String) -> Result<CallDetail, ApiError> {
    super::backend::call("calls.get", &crate::contract::CallRef { call_id }).await
}
