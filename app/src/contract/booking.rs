//! Appointment types shared by the gateway's `appointment.management.*` methods and the UI.

use serde::{Deserialize, Serialize};

/// Where an appointment is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AppointmentStatus {
    /// Taken during a call; becomes booked when the call ends.
    Held,
    /// Confirmed.
    Booked,
    /// Cancelled by the caller or an admin.
    Cancelled,
    /// Took place.
    Completed,
    /// The customer did not come.
    NoShow,
}

impl AppointmentStatus {
    /// The stored / wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Held => "held",
            Self::Booked => "booked",
            Self::Cancelled => "cancelled",
            Self::Completed => "completed",
            Self::NoShow => "no_show",
        }
    }

    /// Parses a stored name.
    pub fn parse(raw: &str) -> Option<Self> {
        [
            Self::Held,
            Self::Booked,
            Self::Cancelled,
            Self::Completed,
            Self::NoShow,
        ]
        .into_iter()
        .find(|s| s.as_str() == raw)
    }

    /// Whether the appointment still occupies its staff member's time.
    pub fn occupies(self) -> bool {
        matches!(self, Self::Held | Self::Booked)
    }
}

/// One appointment as callers of the gateway see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AppointmentInfo {
    /// Id.
    pub id: i64,
    /// Service name.
    pub service: String,
    /// Service id.
    pub service_id: i64,
    /// Staff member's name.
    pub staff: String,
    /// Staff id.
    pub staff_id: i64,
    /// Customer's name.
    pub customer_name: String,
    /// Customer's phone, E.164.
    pub customer_phone: String,
    /// Start, RFC 3339 UTC.
    pub starts_at: String,
    /// Start in the tenant's zone, `YYYY-MM-DD HH:MM`.
    pub starts_local: String,
    /// End in the tenant's zone, `YYYY-MM-DD HH:MM`.
    pub ends_local: String,
    /// Status.
    pub status: AppointmentStatus,
    /// `phone` or `admin`.
    pub source: String,
    /// Retell call that booked it.
    pub call_id: Option<String>,
    /// Notes.
    pub notes: String,
}

/// Params of `appointment.management.find`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FindAppointmentsParams {
    /// Customer phone in any usual notation; read in the tenant's country.
    pub phone: String,
    /// Also list past and cancelled appointments.
    #[serde(default)]
    pub include_past: bool,
}

/// Params of `appointment.management.change`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ChangeAppointmentParams {
    /// Appointment id.
    pub appointment_id: i64,
    /// Phone the appointment was booked under (identity check).
    pub phone: String,
    /// New start: ISO 8601 local time (`2026-12-03T14:30`) or a phrase ("morgen 15 Uhr").
    pub new_time: String,
    /// Another staff member by name (optional).
    #[serde(default)]
    pub staff: Option<String>,
}

/// Params of `appointment.management.cancel`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CancelAppointmentParams {
    /// Appointment id.
    pub appointment_id: i64,
    /// Phone the appointment was booked under (identity check).
    pub phone: String,
    /// Why it is cancelled.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Params of `appointment.management.confirm`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ConfirmAppointmentParams {
    /// Appointment id (held → booked).
    pub appointment_id: i64,
}

/// Params of `appointments.list`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AppointmentListParams {
    /// First local day, `YYYY-MM-DD` (default today).
    #[serde(default)]
    pub from: Option<String>,
    /// Number of days (1–62, default 14).
    #[serde(default)]
    pub days: Option<i64>,
    /// Only appointments whose customer's name or phone contains this text.
    #[serde(default)]
    pub search: Option<String>,
    /// Only this staff member's appointments.
    #[serde(default)]
    pub staff_id: Option<i64>,
}

/// Result of `scheduling.overview`: the set-up as the admin UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SchedulingOverview {
    /// IANA zone of all local times.
    pub time_zone: String,
    /// Minutes between offered starts.
    pub step_min: i64,
    /// Minimum notice for booking, minutes.
    pub notice_book_min: i64,
    /// Minimum notice for changes, minutes.
    pub notice_change_min: i64,
    /// Minimum notice for cancellations, minutes.
    pub notice_cancel_min: i64,
    /// Days ahead that can be booked.
    pub horizon_days: i64,
    /// Services.
    pub services: Vec<ServiceInfo>,
    /// Staff.
    pub staff: Vec<StaffInfo>,
    /// Closures that have not ended, e.g. "2026-12-11 00:00 – 2026-12-12 00:00 (all): Inventur".
    pub closures: Vec<String>,
}

/// A service in the overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ServiceInfo {
    /// Name.
    pub name: String,
    /// Minutes.
    pub duration_min: i64,
    /// Buffer before, minutes.
    pub buffer_before_min: i64,
    /// Buffer after, minutes.
    pub buffer_after_min: i64,
    /// Bookable by phone.
    pub phone_bookable: bool,
}

/// A staff member in the overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StaffInfo {
    /// Name.
    pub name: String,
    /// Services offered.
    pub services: Vec<String>,
    /// Weekly hours, e.g. "Tue 09:00–13:00, 14:00–18:00".
    pub hours: Vec<String>,
    /// Secret iCalendar feed URL.
    pub calendar_url: String,
}

/// A booking that could not be finalized when its call ended, waiting for an admin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RecoveryItem {
    /// Item id.
    pub id: i64,
    /// The appointment (held while the item is open).
    pub appointment: AppointmentInfo,
    /// The call that made it.
    pub call_id: String,
    /// Why it could not be booked.
    pub reason: String,
    /// What the caller gave.
    pub collected: serde_json::Value,
    /// open | resolved | dismissed.
    pub status: String,
    /// Admin actions so far.
    pub attempts: i64,
    /// How it was closed.
    pub resolution: Option<String>,
    /// Who closed it.
    pub resolved_by: Option<String>,
    /// When it was queued, tenant-local `YYYY-MM-DD HH:MM`.
    pub queued_local: String,
}

/// Params of `webhooks.recovery.list`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RecoveryListParams {
    /// Also list resolved and dismissed items.
    #[serde(default)]
    pub include_closed: bool,
}

/// Params of `webhooks.recovery.retry`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RecoveryRetryParams {
    /// Item id.
    pub id: i64,
}

/// Params of `webhooks.recovery.rebook`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RecoveryRebookParams {
    /// Item id.
    pub id: i64,
    /// New start: ISO 8601 local time or a phrase.
    pub new_time: String,
    /// Another staff member by name.
    #[serde(default)]
    pub staff: Option<String>,
}

/// Params of `webhooks.recovery.dismiss`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RecoveryDismissParams {
    /// Item id.
    pub id: i64,
    /// Why (kept in the audit trail).
    pub reason: String,
}

/// Params of `retell.functions.*`: the function's own arguments (as in Retell's `args`) plus
/// the call they belong to.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RetellFunctionCall {
    /// Retell call id: holds are finalized when it ends and retries are answered once.
    /// Without it, collect_appointment books directly.
    #[serde(default)]
    pub call_id: Option<String>,
    /// The caller's number (identity for change/cancel, default customer phone).
    #[serde(default)]
    pub caller: Option<String>,
    /// The function's arguments, e.g. `service`, `date`, `time`, `customer_name`.
    #[serde(flatten)]
    pub args: serde_json::Map<String, serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_know_what_occupies() {
        for s in [
            AppointmentStatus::Held,
            AppointmentStatus::Booked,
            AppointmentStatus::Cancelled,
            AppointmentStatus::Completed,
            AppointmentStatus::NoShow,
        ] {
            assert_eq!(AppointmentStatus::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        assert!(AppointmentStatus::Held.occupies());
        assert!(!AppointmentStatus::Cancelled.occupies());
        assert_eq!(AppointmentStatus::parse("gone"), None);
    }
}
