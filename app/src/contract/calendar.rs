//! Appointments by hand and their history (`appointments.slots|book|move|cancel|history`),
//! and the call detail with its custom-function calls (`calls.get`).

use super::{AppointmentInfo, CallSummary};
use serde::{Deserialize, Serialize};

/// Params of `appointments.slots`: every free start of a service, from real availability.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SlotsParams {
    /// Service.
    pub service_id: i64,
    /// One staff member, or left out for anyone who offers the service.
    #[serde(default)]
    pub staff_id: Option<i64>,
    /// First local day, `YYYY-MM-DD`.
    pub date: String,
    /// Number of days (1–14, default 1).
    #[serde(default)]
    pub days: Option<i64>,
}

/// A free start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SlotInfo {
    /// Start, RFC 3339 UTC.
    pub start: String,
    /// Start in the tenant's zone, `YYYY-MM-DDTHH:MM` (what `appointments.book` takes).
    pub local: String,
    /// Staff member.
    pub staff_id: i64,
    /// Staff member's name.
    pub staff: String,
}

/// Params of `appointments.book`: an appointment entered by an admin.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AdminBookParams {
    /// Service.
    pub service_id: i64,
    /// A staff member, or left out for anyone free at that time.
    #[serde(default)]
    pub staff_id: Option<i64>,
    /// Start: tenant-local `YYYY-MM-DDTHH:MM` (a slot's `local`).
    pub start: String,
    /// Customer's name.
    pub customer_name: String,
    /// Customer's phone in E.164 (`+4915112345678`).
    pub customer_phone: String,
    /// Customer's e-mail.
    #[serde(default)]
    pub customer_email: Option<String>,
    /// Notes for the business.
    #[serde(default)]
    pub notes: String,
}

/// Params of `appointments.move`: moves an appointment of the tenant by id.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AdminMoveParams {
    /// Appointment id.
    pub appointment_id: i64,
    /// New start, tenant-local `YYYY-MM-DDTHH:MM`.
    pub start: String,
    /// Another staff member (default: the same one if free, else anyone).
    #[serde(default)]
    pub staff_id: Option<i64>,
}

/// Params of `appointments.cancel`: cancels an appointment of the tenant by id.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AdminCancelParams {
    /// Appointment id.
    pub appointment_id: i64,
    /// Why (1–500 characters; kept in the history).
    pub reason: String,
}

/// Params of `appointments.history`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AppointmentRef {
    /// Appointment id.
    pub appointment_id: i64,
}

/// An appointment with everything that happened to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AppointmentDetail {
    /// The appointment now.
    pub appointment: AppointmentInfo,
    /// Another number the caller gave to be reached at.
    pub contact_phone: Option<String>,
    /// Why it was cancelled.
    pub cancel_reason: Option<String>,
    /// Its history, oldest first.
    pub history: Vec<HistoryEntry>,
}

/// One entry of an appointment's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HistoryEntry {
    /// When, tenant-local `YYYY-MM-DD HH:MM`.
    pub at_local: String,
    /// held | booked | moved | cancelled | needs_recovery | recovery_dismissed | ….
    pub action: String,
    /// The raw actor: `retell:<call id>`, `admin:<e-mail>`, `token:<id>`, `sweeper:…`, ….
    pub actor: String,
    /// Who, in words: "phone call …", "admin a@b.de", "API token 4", "the hold sweeper".
    pub by: String,
    /// The call that did it, if a phone call did.
    pub call_id: Option<String>,
    /// One line of what changed, times in the tenant's zone.
    pub summary: String,
    /// The stored details.
    pub details: serde_json::Value,
}

/// What a call did, for filtering the calls list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallOutcome {
    /// It booked (or holds) an appointment.
    Booked,
    /// It moved an appointment.
    Changed,
    /// It cancelled an appointment.
    Cancelled,
    /// None of these.
    Nothing,
    /// Something failed: the call errored, a booking needs attention, or a function failed.
    Failed,
}

impl CallOutcome {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Booked => "booked",
            Self::Changed => "changed",
            Self::Cancelled => "cancelled",
            Self::Nothing => "nothing",
            Self::Failed => "failed",
        }
    }

    /// Parses a wire name.
    pub fn parse(raw: &str) -> Option<Self> {
        [
            Self::Booked,
            Self::Changed,
            Self::Cancelled,
            Self::Nothing,
            Self::Failed,
        ]
        .into_iter()
        .find(|o| o.as_str() == raw)
    }
}

/// Params of `calls.get`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CallRef {
    /// Retell call id.
    pub call_id: String,
}

/// A call with its transcript, custom-function calls and appointments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CallDetail {
    /// What the list shows.
    pub call: CallSummary,
    /// The number called.
    pub to_number: Option<String>,
    /// The transcript (removed after the retention period).
    pub transcript: Option<String>,
    /// Link to the recording.
    pub recording_url: Option<String>,
    /// Whether the analysis called the call successful.
    pub successful: Option<bool>,
    /// Every custom-function call made during the call, in order.
    pub function_calls: Vec<FunctionCallInfo>,
    /// Appointments the call created, moved or cancelled.
    pub appointments: Vec<CallAppointment>,
}

/// One custom-function call and Slotline's reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FunctionCallInfo {
    /// When, tenant-local `YYYY-MM-DD HH:MM:SS`.
    pub at_local: String,
    /// check_availability | collect_appointment | change_appointment | cancel_appointment.
    pub function: String,
    /// The arguments (phone numbers masked, long text cut).
    pub arguments: serde_json::Value,
    /// Slotline's reply.
    pub reply: serde_json::Value,
    /// `ok`, `replayed`, an error code such as `not_available`, or `temporary_failure`.
    pub outcome: String,
    /// HTTP status of the reply.
    pub http_status: i64,
}

/// An appointment a call touched, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CallAppointment {
    /// The appointment now.
    pub appointment: AppointmentInfo,
    /// What the call did: held, booked, moved, cancelled.
    pub actions: Vec<String>,
}

/// Result of `calls.replay`: the call's custom-function calls and webhooks re-sent in order
/// against a scratch copy of the schedule as it was when the call started, beside the
/// original replies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ReplayResult {
    /// Retell call id.
    pub call_id: String,
    /// The instant the replay's clock started at, tenant-local `YYYY-MM-DD HH:MM`.
    pub started_local: String,
    /// Every step, in the order it happened.
    pub steps: Vec<ReplayStep>,
    /// How many steps answer differently today.
    pub differing: usize,
}

/// One re-sent request and both answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ReplayStep {
    /// `function` or `webhook`.
    pub kind: String,
    /// Function or event name.
    pub name: String,
    /// The stored arguments (phone numbers masked); null for a webhook.
    pub arguments: serde_json::Value,
    /// What Slotline answered or did then.
    pub original: serde_json::Value,
    /// What it answers or does today.
    pub replayed: serde_json::Value,
    /// Whether the two differ.
    pub differs: bool,
}
