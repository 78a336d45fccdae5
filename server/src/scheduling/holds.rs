//! Holds at call end: a held appointment is booked only if it still fits the set-up (staff
//! still there and offering the service, inside working hours, no closure over it). What no
//! longer fits goes to the recovery queue for an admin to retry, rebook or dismiss.

use super::ops::Moving;
use super::{BookingError, Receipt, Scheduler, TenantView};
use crate::store::appointments::{AppointmentRecord, Written};
use crate::store::recovery::FailedHold;
use app::contract::AppointmentStatus;
use jiff::Timestamp;
use std::sync::Arc;

impl TenantView {
    /// Why an appointment no longer fits the set-up, or None when it does.
    pub fn misfit(&self, a: &AppointmentRecord) -> Option<String> {
        let Some(staff) = self.setup.staff.iter().find(|s| s.id == a.staff_id) else {
            return Some(format!("{} no longer takes appointments", a.staff_name));
        };
        let Some(service) = self.setup.services.iter().find(|s| s.id == a.service_id) else {
            return Some(format!("{} is no longer offered", a.service_name));
        };
        if !staff.service_ids.contains(&service.id) {
            return Some(format!("{} no longer offers {}", staff.name, service.name));
        }
        let (before, after) = self.buffers(service);
        let block = (a.starts_at - before * 60_000, a.ends_at + after * 60_000);
        if self.setup.closures.iter().any(|c| {
            c.staff_id.is_none_or(|id| id == staff.id)
                && c.starts_at < block.1
                && block.0 < c.ends_at
        }) {
            return Some("a closure now covers this time".into());
        }
        if staff.off.iter().any(|d| {
            let (from, to) = self.day_span_ms(*d);
            from < block.1 && block.0 < to
        }) {
            return Some(format!("{} has the day off", staff.name));
        }
        if !self.within_hours(staff, a.starts_at, a.ends_at) {
            return Some("the time is outside the working hours now".into());
        }
        None
    }

    /// Whether `[start, end)` lies inside one working interval of the staff member.
    fn within_hours(
        &self,
        staff: &crate::store::scheduling::StaffRow,
        start: i64,
        end: i64,
    ) -> bool {
        let (Ok(s), Ok(e)) = (
            Timestamp::from_millisecond(start),
            Timestamp::from_millisecond(end),
        ) else {
            return false;
        };
        let local_start = s.to_zoned(self.tz.clone());
        let local_end = e.to_zoned(self.tz.clone());
        if local_start.date() != local_end.date()
            && local_end.time() != jiff::civil::Time::midnight()
        {
            return false;
        }
        let weekday = i64::from(local_start.weekday().to_monday_one_offset());
        let minute = |z: &jiff::Zoned| i64::from(z.hour()) * 60 + i64::from(z.minute());
        let from = minute(&local_start);
        // An end at midnight is minute 1440 of the start's day.
        let to = match minute(&local_end) {
            0 if local_end.date() != local_start.date() => 1440,
            m => m.max(from),
        };
        let date = local_start.date();
        staff
            .hours
            .iter()
            .any(|&(d, a, b)| d == weekday && a <= from && to <= b)
            || staff
                .extra
                .iter()
                .any(|&(d, a, b)| d == date && a <= from && to <= b)
    }
}

/// A snapshot of what the caller gave, kept with a recovery item.
pub fn collected(view: &TenantView, a: &AppointmentRecord) -> String {
    serde_json::json!({
        "customer_name": a.customer_name,
        "customer_phone": a.customer_phone,
        "service": a.service_name,
        "staff": a.staff_name,
        "starts_local": Timestamp::from_millisecond(a.starts_at)
            .unwrap_or_default()
            .to_zoned(view.tz.clone())
            .strftime("%Y-%m-%d %H:%M")
            .to_string(),
        "notes": a.notes,
    })
    .to_string()
}

impl Scheduler {
    /// The call's holds that cannot be booked, with the reason and the collected data.
    pub async fn failed_holds(
        &self,
        tenant_id: i64,
        call_id: &str,
    ) -> Result<Vec<FailedHold>, BookingError> {
        let holds: Vec<AppointmentRecord> = self
            .store
            .appointments_of_call(tenant_id, call_id)
            .await?
            .into_iter()
            .filter(|a| a.status == AppointmentStatus::Held)
            .collect();
        if holds.is_empty() {
            return Ok(Vec::new());
        }
        let view = self.view(tenant_id).await?;
        Ok(holds
            .iter()
            .filter_map(|a| {
                view.misfit(a).map(|reason| FailedHold {
                    appointment_id: a.id,
                    reason,
                    collected: collected(&view, a),
                })
            })
            .collect())
    }

    /// Moves an active appointment of the tenant by id for an admin (availability checked;
    /// no phone identity or notice rules: the admin acts for the business).
    pub async fn rebook(
        &self,
        tenant_id: i64,
        appointment_id: i64,
        moving: &Moving<'_>,
    ) -> Result<(Arc<TenantView>, Written<Receipt>), BookingError> {
        let view = self.view(tenant_id).await?;
        let current = self
            .store
            .appointment(tenant_id, appointment_id)
            .await?
            .filter(|a| a.status.occupies())
            .ok_or(BookingError::NoAppointment)?;
        self.move_record(view, current, moving, None).await
    }

    /// Cancels an active appointment of the tenant by id for an admin (no phone identity or
    /// notice rules: the admin acts for the business); the reason goes into the history.
    pub async fn cancel_by_id(
        &self,
        tenant_id: i64,
        appointment_id: i64,
        reason: &str,
        actor: &str,
    ) -> Result<Arc<TenantView>, BookingError> {
        let view = self.view(tenant_id).await?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(BookingError::MissingReason);
        }
        super::ops::limit("reason", reason, super::ops::MAX_REASON)?;
        self.store
            .cancel_appointment(tenant_id, appointment_id, reason, actor, None)
            .await?;
        Ok(view)
    }
}
