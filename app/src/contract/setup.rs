//! Set-up of a business from the browser (`scheduling.setup`, `scheduling.services.*`,
//! `scheduling.staff.*`, `scheduling.exceptions.*`, `scheduling.closures.*`,
//! `scheduling.rules.update`). Times of day are local `HH:MM` in the tenant's zone.

use super::AppointmentInfo;
use serde::{Deserialize, Serialize};

/// The tenant's whole set-up as the set-up pages edit it (`scheduling.setup`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SetupState {
    /// IANA zone of all local times.
    pub time_zone: String,
    /// Today in that zone, `YYYY-MM-DD`.
    pub today: String,
    /// Booking rules.
    pub rules: BookingRulesInfo,
    /// Services, archived ones included (`active: false`).
    pub services: Vec<ServiceSetup>,
    /// Staff, archived ones included (`active: false`).
    pub staff: Vec<StaffSetup>,
    /// Closures that have not ended, soonest first.
    pub closures: Vec<ClosureInfo>,
}

/// Booking rules; also the params of `scheduling.rules.update`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BookingRulesInfo {
    /// Minutes between offered starts (5–240, a multiple of 5).
    pub step_min: i64,
    /// Minimum notice for a booking, minutes (0–43200).
    pub notice_book_min: i64,
    /// Minimum notice for a caller's change, minutes (0–43200).
    pub notice_change_min: i64,
    /// Minimum notice for a caller's cancellation, minutes (0–43200).
    pub notice_cancel_min: i64,
    /// How many days ahead can be booked (1–730).
    pub horizon_days: i64,
    /// Minutes kept free after every appointment on top of the service's own buffer (0–240,
    /// a multiple of 5).
    pub buffer_min: i64,
    /// How long a phone hold lives when the call's end is never reported, minutes (5–1440);
    /// then it is booked (or queued under "Needs attention") as if the call had ended.
    pub hold_min: i64,
}

/// A service as the set-up page edits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ServiceSetup {
    /// Id.
    pub id: i64,
    /// Name as callers say it.
    pub name: String,
    /// Minutes.
    pub duration_min: i64,
    /// Minutes kept free before.
    pub buffer_before_min: i64,
    /// Minutes kept free after.
    pub buffer_after_min: i64,
    /// Whether callers may book it by phone.
    pub phone_bookable: bool,
    /// Price in cents the agent may read out.
    pub price_cents: Option<i64>,
    /// A description the agent may read out.
    pub description: String,
    /// Staff who offer it.
    pub staff_ids: Vec<i64>,
    /// False once archived (no longer offered).
    pub active: bool,
}

/// Params of `scheduling.services.save`: creates a service (no `id`) or edits one.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SaveServiceParams {
    /// The service to edit; left out to create one.
    #[serde(default)]
    pub id: Option<i64>,
    /// Name (unique within the business).
    pub name: String,
    /// Minutes (5–720, a multiple of 5).
    pub duration_min: i64,
    /// Minutes kept free before (0–240, a multiple of 5).
    #[serde(default)]
    pub buffer_before_min: i64,
    /// Minutes kept free after (0–240, a multiple of 5).
    #[serde(default)]
    pub buffer_after_min: i64,
    /// Whether callers may book it by phone (default yes).
    #[serde(default = "yes")]
    pub phone_bookable: bool,
    /// Price in cents, if the agent may say it.
    #[serde(default)]
    pub price_cents: Option<i64>,
    /// Description the agent may read out (at most 500 characters).
    #[serde(default)]
    pub description: String,
    /// Staff who offer it.
    #[serde(default)]
    pub staff_ids: Vec<i64>,
    /// Apply even though future appointments would no longer fit; they are queued under
    /// "Needs attention".
    #[serde(default)]
    pub confirm: bool,
}

fn yes() -> bool {
    true
}

/// Params of `scheduling.services.archive` and `scheduling.staff.archive`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ArchiveParams {
    /// Id of the service or staff member.
    pub id: i64,
    /// Bring an archived one back instead.
    #[serde(default)]
    pub restore: bool,
    /// Apply even though future appointments would be stranded; they are queued under
    /// "Needs attention".
    #[serde(default)]
    pub confirm: bool,
}

/// A local time range `HH:MM`–`HH:MM` (`24:00` allowed as an end).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TimeRange {
    /// Start, `HH:MM`.
    pub start: String,
    /// End, `HH:MM`.
    pub end: String,
}

/// One weekday's working time: from start to end, minus the breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DayHours {
    /// ISO weekday: 1 = Monday … 7 = Sunday.
    pub weekday: i64,
    /// First minute of work, `HH:MM`.
    pub start: String,
    /// End of work, `HH:MM`.
    pub end: String,
    /// Breaks inside the day.
    #[serde(default)]
    pub breaks: Vec<TimeRange>,
}

/// A staff member as the set-up page edits them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StaffSetup {
    /// Id.
    pub id: i64,
    /// Name as callers say it.
    pub name: String,
    /// False once archived (takes no appointments).
    pub active: bool,
    /// Services offered.
    pub service_ids: Vec<i64>,
    /// Weekly hours, Monday first.
    pub hours: Vec<DayHours>,
    /// Days off and extra shifts from yesterday on.
    pub exceptions: Vec<ExceptionInfo>,
}

/// Params of `scheduling.staff.save`: creates a staff member (no `id`) or edits one.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SaveStaffParams {
    /// The staff member to edit; left out to create one.
    #[serde(default)]
    pub id: Option<i64>,
    /// Name (unique within the business).
    pub name: String,
    /// Services offered.
    #[serde(default)]
    pub service_ids: Vec<i64>,
    /// Weekly hours; at most one entry per weekday (breaks split a day).
    #[serde(default)]
    pub hours: Vec<DayHours>,
    /// Apply even though future appointments would no longer fit; they are queued under
    /// "Needs attention".
    #[serde(default)]
    pub confirm: bool,
}

/// What a single-date exception does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExceptionKind {
    /// The staff member does not work that day.
    Off,
    /// An extra shift on that day, besides the weekly hours.
    Extra,
}

impl ExceptionKind {
    /// The stored / wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Off => "off",
            Self::Extra => "extra",
        }
    }

    /// Parses a stored name.
    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Off, Self::Extra]
            .into_iter()
            .find(|k| k.as_str() == raw)
    }
}

/// A day off or extra shift of one staff member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ExceptionInfo {
    /// Id.
    pub id: i64,
    /// Staff member.
    pub staff_id: i64,
    /// Local date, `YYYY-MM-DD`.
    pub date: String,
    /// Day off or extra shift.
    pub kind: ExceptionKind,
    /// The extra shift's time (None for a day off).
    pub time: Option<TimeRange>,
    /// Why.
    pub reason: String,
}

/// Params of `scheduling.exceptions.add`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AddExceptionParams {
    /// Staff member.
    pub staff_id: i64,
    /// Local date, `YYYY-MM-DD` (today or later).
    pub date: String,
    /// Day off or extra shift.
    pub kind: ExceptionKind,
    /// The extra shift's time (needed for `extra`, ignored for `off`).
    #[serde(default)]
    pub time: Option<TimeRange>,
    /// Why (at most 200 characters).
    #[serde(default)]
    pub reason: String,
    /// Apply even though appointments that day would be stranded.
    #[serde(default)]
    pub confirm: bool,
}

/// Params of `scheduling.exceptions.remove` and `scheduling.closures.remove`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RemoveParams {
    /// Id of the exception or closure.
    pub id: i64,
    /// Apply even though appointments would be stranded (removing an extra shift).
    #[serde(default)]
    pub confirm: bool,
}

/// A closure of the business or of one staff member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ClosureInfo {
    /// Id.
    pub id: i64,
    /// Staff member, or None for the whole business.
    pub staff_id: Option<i64>,
    /// That staff member's name, or None for everyone.
    pub staff: Option<String>,
    /// Start, tenant-local `YYYY-MM-DD HH:MM`.
    pub starts_local: String,
    /// End (exclusive), tenant-local `YYYY-MM-DD HH:MM`.
    pub ends_local: String,
    /// Why ("Betriebsferien", "Urlaub").
    pub reason: String,
}

/// Params of `scheduling.closures.add`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AddClosureParams {
    /// A staff member, or left out for the whole business.
    #[serde(default)]
    pub staff_id: Option<i64>,
    /// First local day `YYYY-MM-DD`, or a start `YYYY-MM-DDTHH:MM`.
    pub from: String,
    /// Last local day `YYYY-MM-DD` (included), or an end `YYYY-MM-DDTHH:MM` (excluded).
    pub to: String,
    /// Why (1–200 characters).
    pub reason: String,
    /// Apply even though appointments in that time would be stranded; they are queued under
    /// "Needs attention".
    #[serde(default)]
    pub confirm: bool,
}

/// What a set-up change did, or — when it would strand appointments and was not confirmed —
/// which appointments it would strand (nothing is changed then).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SetupResult {
    /// Whether the change was made.
    pub applied: bool,
    /// Id of the created or changed record.
    pub id: Option<i64>,
    /// Future appointments that no longer fit: to be confirmed (not applied) or now queued
    /// under "Needs attention" (applied).
    pub affected: Vec<AffectedAppointment>,
    /// One sentence saying what happened or what to confirm.
    pub message: String,
}

/// An appointment a set-up change strands, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AffectedAppointment {
    /// The appointment.
    pub appointment: AppointmentInfo,
    /// Why it would no longer fit.
    pub reason: String,
}
