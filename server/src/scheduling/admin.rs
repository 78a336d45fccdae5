//! What an admin does in the calendar: every free start of a service (real availability,
//! by the same rules the phone agent books by), and booking, moving and cancelling by
//! appointment id within the tenant — through the same race-free writes as the phone.

use super::ops::Moving;
use super::{BookingError, BookingRequest, Offer, Receipt, Scheduler, TenantView};
use crate::store::appointments::Written;
use app::contract::{AdminBookParams, AdminMoveParams};
use jiff::civil::Date;
use jiff::ToSpan;
use std::sync::Arc;

/// Most days one slot search covers.
pub const MAX_SLOT_DAYS: i64 = 14;

impl Scheduler {
    /// Every free start of a service on `days` local days from `from` (1–14), for one staff
    /// member or anyone offering it, respecting notice and horizon.
    pub async fn slots(
        &self,
        tenant_id: i64,
        service_id: i64,
        staff_id: Option<i64>,
        from: Date,
        days: i64,
    ) -> Result<(Arc<TenantView>, Vec<Offer>), BookingError> {
        let view = self.view(tenant_id).await?;
        let service = view.service_by_id(service_id)?;
        let staff = view.staff_pick(service, None, staff_id)?;
        let days = days.clamp(1, MAX_SLOT_DAYS);
        let to = from.checked_add((days - 1).days()).unwrap_or(from);
        let busy = self.busy(&view, from, days, None).await?;
        let notice = view.setup.rules.notice_book_min;
        let slots = view.free_slots(
            service,
            &staff,
            &busy,
            from,
            to,
            self.store.clock().now(),
            notice,
        );
        let offers = slots.iter().map(|s| view.offer(s)).collect();
        Ok((view, offers))
    }

    /// Books an appointment an admin entered (booked at once, source `admin`): the service
    /// and staff by id, the start as the slot's local time, the customer's phone in E.164.
    /// A start taken meanwhile is refused with alternatives.
    pub async fn book_by_admin(
        &self,
        tenant_id: i64,
        p: &AdminBookParams,
        actor: &str,
    ) -> Result<(Arc<TenantView>, Receipt), BookingError> {
        let phone = p.customer_phone.trim();
        if !crate::input::is_e164_form(phone) {
            return Err(BookingError::NotE164);
        }
        let req = BookingRequest {
            service: "",
            service_id: Some(p.service_id),
            when: &p.start,
            staff: None,
            staff_id: p.staff_id,
            customer_name: &p.customer_name,
            customer_phone: phone,
            phone_is_callers: true,
            contact_phone: None,
            customer_email: p.customer_email.as_deref(),
            notes: &p.notes,
            call_id: None,
            said_at: self.store.clock().now(),
            actor,
        };
        match self.book(tenant_id, &req, None).await? {
            (view, Written::Done(receipt)) => Ok((view, receipt)),
            // Only idempotent writes replay, and this one has no key.
            (_, Written::Replayed(_)) => Err(BookingError::NoAppointment),
        }
    }

    /// Moves an appointment of the tenant by id for an admin.
    pub async fn move_by_admin(
        &self,
        tenant_id: i64,
        p: &AdminMoveParams,
        actor: &str,
    ) -> Result<Arc<TenantView>, BookingError> {
        let moving = Moving {
            when: &p.start,
            staff: None,
            staff_id: p.staff_id,
            said_at: self.store.clock().now(),
            actor,
        };
        let (view, _) = self.rebook(tenant_id, p.appointment_id, &moving).await?;
        Ok(view)
    }
}
