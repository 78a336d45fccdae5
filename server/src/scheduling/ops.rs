//! The four things a caller can do — check, book, move, cancel — plus finding a caller's
//! appointments. Shared by the Retell custom functions and `appointment.management.*`.

use super::{BookingError, Offer, Scheduler, TenantView};
use crate::booking::availability::Slot;
use crate::booking::speech;
use crate::booking::when::{self, TimeWish, Wish};
use crate::store::appointments::{
    AppointmentRecord, IdemKey, NewAppointment, Placement, WriteError, Written,
};
use crate::store::scheduling::{ServiceRow, StaffRow};
use app::contract::AppointmentStatus;
use jiff::{Timestamp, ToSpan};
use std::sync::Arc;

/// How many days after the wished ones are searched for the next free slots.
const LOOKAHEAD_DAYS: i64 = 14;

/// Renders the stored answer of an idempotent booking action.
pub type Render<'a> = &'a (dyn Fn(&TenantView, &Receipt) -> String + Sync);

/// "Is there something free?"
#[derive(Debug, Clone)]
pub struct AvailabilityQuery<'a> {
    /// Service as the caller named it.
    pub service: &'a str,
    /// Day/time phrase or ISO 8601 (empty: from now on).
    pub when: &'a str,
    /// Staff member by name.
    pub staff: Option<&'a str>,
    /// When the caller said it (call start), for "morgen".
    pub said_at: Timestamp,
    /// Whether the request comes from a phone call (phone-bookable services only).
    pub by_phone: bool,
}

/// The answer to an availability question.
#[derive(Debug, Clone)]
pub struct Availability {
    /// Service name as stored.
    pub service: String,
    /// The understood wish.
    pub wish: Wish,
    /// The wished slot, if it is free.
    pub requested: Option<Offer>,
    /// Free slots near the wish (or on the next free days).
    pub offers: Vec<Offer>,
}

/// A booking request.
#[derive(Debug, Clone)]
pub struct BookingRequest<'a> {
    /// Service as named.
    pub service: &'a str,
    /// Service by id (an admin's choice); wins over the name.
    pub service_id: Option<i64>,
    /// Exact start (phrase or ISO 8601).
    pub when: &'a str,
    /// Staff member by name.
    pub staff: Option<&'a str>,
    /// Staff member by id (an admin's choice); wins over the name.
    pub staff_id: Option<i64>,
    /// Customer's name.
    pub customer_name: &'a str,
    /// Customer's phone in any usual notation: who the appointment belongs to (for a phone
    /// booking the number that is calling, never a number the caller merely said).
    pub customer_phone: &'a str,
    /// Whether `customer_phone` is the booker's own number (the call's caller id, an API
    /// client naming its caller, an admin's entry): only then may the booking update that
    /// customer's stored name and e-mail.
    pub phone_is_callers: bool,
    /// Another number to reach the customer at, as said in the call (stored on the
    /// appointment only).
    pub contact_phone: Option<&'a str>,
    /// Customer's e-mail.
    pub customer_email: Option<&'a str>,
    /// Notes for the business.
    pub notes: &'a str,
    /// Retell call id (phone bookings are held until the call ends).
    pub call_id: Option<&'a str>,
    /// When the caller said it.
    pub said_at: Timestamp,
    /// Who books, for the history.
    pub actor: &'a str,
}

/// Longest customer name accepted.
pub const MAX_NAME: usize = 200;
/// Longest note accepted.
pub const MAX_NOTES: usize = 1_000;
/// Longest cancellation reason accepted.
pub const MAX_REASON: usize = 500;
/// Longest e-mail address accepted.
pub const MAX_EMAIL: usize = 254;

/// Refuses free text over `max` characters.
pub(super) fn limit(field: &'static str, text: &str, max: usize) -> Result<(), BookingError> {
    if text.trim().chars().count() > max {
        return Err(BookingError::TooLong { field, max });
    }
    Ok(())
}

/// A request to move a caller's appointment.
#[derive(Debug, Clone)]
pub struct ChangeRequest<'a> {
    /// Which appointment (needed when the caller has several).
    pub appointment_id: Option<i64>,
    /// Caller's phone (identity).
    pub phone: &'a str,
    /// New start.
    pub when: &'a str,
    /// Another staff member by name.
    pub staff: Option<&'a str>,
    /// When the caller said it.
    pub said_at: Timestamp,
    /// Who changes it.
    pub actor: &'a str,
}

/// Where to move an appointment to, and who does it.
#[derive(Debug, Clone)]
pub struct Moving<'a> {
    /// New start (phrase or ISO 8601).
    pub when: &'a str,
    /// Another staff member by name.
    pub staff: Option<&'a str>,
    /// Another staff member by id (an admin's choice); wins over the name.
    pub staff_id: Option<i64>,
    /// When it was said.
    pub said_at: Timestamp,
    /// Who moves it.
    pub actor: &'a str,
}

/// What a booking action did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    /// Appointment id.
    pub appointment_id: i64,
    /// Service name.
    pub service: String,
    /// Time and staff.
    pub offer: Offer,
    /// Status after the action.
    pub status: AppointmentStatus,
}

fn placement(view: &TenantView, service: &ServiceRow, slot: &Slot) -> Placement {
    let (start, end) = (slot.start.as_millisecond(), slot.end.as_millisecond());
    let (before, after) = view.buffers(service);
    Placement {
        staff_id: slot.staff_id,
        starts_at: start,
        ends_at: end,
        block_start: start - before * 60_000,
        block_end: end + after * 60_000,
    }
}

impl Scheduler {
    /// Free slots near a wish.
    pub async fn availability(
        &self,
        tenant_id: i64,
        q: &AvailabilityQuery<'_>,
    ) -> Result<(Arc<TenantView>, Availability), BookingError> {
        let view = self.view(tenant_id).await?;
        let service = view.service(q.service)?;
        if q.by_phone && !service.phone_bookable {
            return Err(BookingError::NotBookableByPhone(service.name.clone()));
        }
        let staff = view.staff_for(service, q.staff)?;
        let wish = self.wish(&view, q.when, q.said_at)?;
        let (exact, near) = self.search(&view, service, &staff, &wish, None).await?;
        let availability = Availability {
            service: service.name.clone(),
            requested: exact.map(|s| view.offer(&s)),
            offers: near.iter().map(|s| view.offer(s)).collect(),
            wish,
        };
        Ok((view, availability))
    }

    /// Books (by phone: holds until the call ends) the exact wished start.
    pub async fn book(
        &self,
        tenant_id: i64,
        req: &BookingRequest<'_>,
        idem: Option<(&IdemKey, Render<'_>)>,
    ) -> Result<(Arc<TenantView>, Written<Receipt>), BookingError> {
        let view = self.view(tenant_id).await?;
        let name = req.customer_name.trim();
        if name.is_empty() {
            return Err(BookingError::MissingName);
        }
        limit("customer_name", name, MAX_NAME)?;
        limit("notes", req.notes, MAX_NOTES)?;
        let email = req.customer_email.map(str::trim).filter(|e| !e.is_empty());
        limit("email", email.unwrap_or_default(), MAX_EMAIL)?;
        let phone = view.e164(req.customer_phone)?;
        let contact = match req.contact_phone.map(str::trim).filter(|p| !p.is_empty()) {
            Some(raw) => Some(view.e164(raw)?).filter(|c| *c != phone),
            None => None,
        };
        let service = match req.service_id {
            Some(id) => view.service_by_id(id)?,
            None => view.service(req.service)?,
        };
        if req.call_id.is_some() && !service.phone_bookable {
            return Err(BookingError::NotBookableByPhone(service.name.clone()));
        }
        let staff = view.staff_pick(service, req.staff, req.staff_id)?;
        let wish = self.exact_wish(&view, req.when, req.said_at)?;
        let status = if req.call_id.is_some() {
            AppointmentStatus::Held
        } else {
            AppointmentStatus::Booked
        };
        let candidates = self.free_at(&view, service, &staff, &wish, None).await?;
        for slot in &candidates {
            let receipt = |id| Receipt {
                appointment_id: id,
                service: service.name.clone(),
                offer: view.offer(slot),
                status,
            };
            let new = NewAppointment {
                tenant_id,
                service_id: service.id,
                placement: placement(&view, service, slot),
                customer_name: name,
                customer_phone: &phone,
                update_customer: req.phone_is_callers,
                contact_phone: contact.as_deref(),
                customer_email: email,
                status,
                source: if req.call_id.is_some() {
                    "phone"
                } else {
                    "admin"
                },
                call_id: req.call_id,
                notes: req.notes.trim(),
                actor: req.actor,
            };
            let idem = respond_with(idem, &view, &receipt);
            match self.store.book(&new, idem).await {
                Ok(Written::Done(id)) => {
                    tracing::info!(
                        tenant_id,
                        appointment_id = id,
                        "appointment {}",
                        status.as_str()
                    );
                    return Ok((view.clone(), Written::Done(receipt(id))));
                }
                Ok(Written::Replayed(stored)) => {
                    return Ok((view.clone(), Written::Replayed(stored)))
                }
                Err(WriteError::SlotTaken) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(self
            .not_booked(&view, service, &staff, &wish, None, candidates.is_empty())
            .await)
    }

    /// Moves the caller's appointment to a new start (same service), atomically.
    pub async fn change(
        &self,
        tenant_id: i64,
        req: &ChangeRequest<'_>,
        idem: Option<(&IdemKey, Render<'_>)>,
    ) -> Result<(Arc<TenantView>, Written<Receipt>), BookingError> {
        let view = self.view(tenant_id).await?;
        let phone = view.e164(req.phone)?;
        let current = self
            .callers_appointment(&view, &phone, req.appointment_id)
            .await?;
        self.check_notice(current.starts_at, view.setup.rules.notice_change_min)?;
        let when = Moving {
            when: req.when,
            staff: req.staff,
            staff_id: None,
            said_at: req.said_at,
            actor: req.actor,
        };
        self.move_record(view, current, &when, idem).await
    }

    /// Moves an active appointment (already identified and allowed) to the wished start.
    pub(super) async fn move_record(
        &self,
        view: Arc<TenantView>,
        current: AppointmentRecord,
        req: &Moving<'_>,
        idem: Option<(&IdemKey, Render<'_>)>,
    ) -> Result<(Arc<TenantView>, Written<Receipt>), BookingError> {
        let tenant_id = view.id;
        let service = view
            .setup
            .services
            .iter()
            .find(|s| s.id == current.service_id)
            .ok_or_else(|| BookingError::UnknownService {
                asked: current.service_name.clone(),
                known: Vec::new(),
            })?;
        let mut staff = view.staff_pick(service, req.staff, req.staff_id)?;
        staff.sort_by_key(|s| s.id != current.staff_id);
        let wish = self.exact_wish(&view, req.when, req.said_at)?;
        let own = Some(current.id);
        let mut candidates = self.free_at(&view, service, &staff, &wish, own).await?;
        candidates.sort_by_key(|s| s.staff_id != current.staff_id);
        for slot in &candidates {
            let receipt = |id| Receipt {
                appointment_id: id,
                service: service.name.clone(),
                offer: view.offer(slot),
                status: current.status,
            };
            let idem = respond_with(idem, &view, &receipt);
            let to = placement(&view, service, slot);
            match self
                .store
                .move_appointment(tenant_id, current.id, &to, req.actor, idem)
                .await
            {
                Ok(Written::Done(id)) => return Ok((view.clone(), Written::Done(receipt(id)))),
                Ok(Written::Replayed(s)) => return Ok((view.clone(), Written::Replayed(s))),
                Err(WriteError::SlotTaken) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(self
            .not_booked(&view, service, &staff, &wish, own, candidates.is_empty())
            .await)
    }

    /// The refusal when no candidate slot could be written: `Unavailable` when the wished
    /// start was not free at all, `SlotTaken` when it was lost to a concurrent booking; both
    /// with fresh alternatives near the wish.
    async fn not_booked(
        &self,
        view: &TenantView,
        service: &ServiceRow,
        staff: &[&StaffRow],
        wish: &Wish,
        without: Option<i64>,
        nothing_was_free: bool,
    ) -> BookingError {
        let alternatives = match self.search(view, service, staff, wish, without).await {
            Ok((_, near)) => near.iter().map(|s| view.offer(s)).collect(),
            Err(e) => return e,
        };
        if nothing_was_free {
            BookingError::Unavailable { alternatives }
        } else {
            BookingError::SlotTaken { alternatives }
        }
    }

    /// Cancels the caller's appointment, respecting the cancellation notice.
    pub async fn cancel(
        &self,
        tenant_id: i64,
        phone: &str,
        appointment_id: Option<i64>,
        reason: &str,
        actor: &str,
        idem: Option<(&IdemKey, Render<'_>)>,
    ) -> Result<(Arc<TenantView>, Written<Receipt>), BookingError> {
        let view = self.view(tenant_id).await?;
        limit("reason", reason, MAX_REASON)?;
        let phone = view.e164(phone)?;
        let current = self
            .callers_appointment(&view, &phone, appointment_id)
            .await?;
        self.check_notice(current.starts_at, view.setup.rules.notice_cancel_min)?;
        let slot = Slot {
            start: Timestamp::from_millisecond(current.starts_at).unwrap_or_default(),
            end: Timestamp::from_millisecond(current.ends_at).unwrap_or_default(),
            staff_id: current.staff_id,
        };
        let receipt = |id| Receipt {
            appointment_id: id,
            service: current.service_name.clone(),
            offer: view.offer(&slot),
            status: AppointmentStatus::Cancelled,
        };
        let idem = respond_with(idem, &view, &receipt);
        let reason = reason.trim();
        match self
            .store
            .cancel_appointment(tenant_id, current.id, reason, actor, idem)
            .await?
        {
            Written::Done(id) => Ok((view.clone(), Written::Done(receipt(id)))),
            Written::Replayed(s) => Ok((view.clone(), Written::Replayed(s))),
        }
    }

    /// A caller's appointments: upcoming active ones, or all.
    pub async fn find(
        &self,
        tenant_id: i64,
        phone: &str,
        include_past: bool,
    ) -> Result<(Arc<TenantView>, Vec<AppointmentRecord>), BookingError> {
        let view = self.view(tenant_id).await?;
        let phone = view.e164(phone)?;
        let from = (!include_past).then(crate::store::now_ms);
        let list = self
            .store
            .appointments_by_phone(tenant_id, &phone, from)
            .await?;
        Ok((view, list))
    }

    /// The upcoming appointment the caller means (the only one, or the one named by id).
    async fn callers_appointment(
        &self,
        view: &TenantView,
        phone: &str,
        id: Option<i64>,
    ) -> Result<AppointmentRecord, BookingError> {
        let mut upcoming = self
            .store
            .appointments_by_phone(view.id, phone, Some(self.store.now_ms()))
            .await?;
        match id {
            Some(id) => upcoming
                .into_iter()
                .find(|a| a.id == id)
                .ok_or(BookingError::NoAppointment),
            None if upcoming.len() == 1 => Ok(upcoming.remove(0)),
            None if upcoming.is_empty() => Err(BookingError::NoAppointment),
            None => Err(BookingError::WhichOne {
                candidates: upcoming
                    .iter()
                    .map(|a| (a.id, spoken_appointment(view, a)))
                    .collect(),
            }),
        }
    }

    fn check_notice(&self, starts_at: i64, notice_min: i64) -> Result<(), BookingError> {
        if starts_at - self.store.now_ms() < notice_min * 60_000 {
            return Err(BookingError::TooLate {
                minutes: notice_min,
            });
        }
        Ok(())
    }

    fn wish(
        &self,
        view: &TenantView,
        text: &str,
        said_at: Timestamp,
    ) -> Result<Wish, BookingError> {
        let now = said_at.to_zoned(view.tz.clone());
        if text.trim().is_empty() {
            return Ok(Wish {
                day: now.date(),
                day_given: false,
                whole_week: false,
                time: TimeWish::Any,
                assumptions: Vec::new(),
            });
        }
        Ok(when::parse(text, &now)?)
    }

    fn exact_wish(
        &self,
        view: &TenantView,
        text: &str,
        said_at: Timestamp,
    ) -> Result<Wish, BookingError> {
        let wish = self.wish(view, text, said_at)?;
        match wish.time {
            TimeWish::At(_) => Ok(wish),
            _ => Err(BookingError::NeedExactTime),
        }
    }

    /// Occupied blocks from the local day `from` for `days` days, without one appointment.
    pub(super) async fn busy(
        &self,
        view: &TenantView,
        from: jiff::civil::Date,
        days: i64,
        without: Option<i64>,
    ) -> Result<Vec<(i64, i64, i64)>, BookingError> {
        // Buffers reach a few hours at most; six hours either side is plenty.
        let pad = 6 * 3_600_000;
        let start = view.day_start_ms(from) - pad;
        let end = view.day_start_ms(from.checked_add(days.days()).unwrap_or(from)) + pad;
        match without {
            Some(_) => Ok(self.store.busy_blocks(view.id, start, end, without).await?),
            None => self.busy_between(view, start, end).await,
        }
    }

    /// Slots at exactly the wished start, one per free staff member.
    async fn free_at(
        &self,
        view: &TenantView,
        service: &ServiceRow,
        staff: &[&StaffRow],
        wish: &Wish,
        without: Option<i64>,
    ) -> Result<Vec<Slot>, BookingError> {
        let TimeWish::At(t) = wish.time else {
            return Ok(Vec::new());
        };
        let Some(target) = view.instant(wish.day, t) else {
            return Ok(Vec::new());
        };
        let busy = self.busy(view, wish.day, 1, without).await?;
        let notice = view.setup.rules.notice_book_min;
        let slots = view.free_slots(
            service,
            staff,
            &busy,
            wish.day,
            wish.day,
            self.store.clock().now(),
            notice,
        );
        Ok(slots.into_iter().filter(|s| s.start == target).collect())
    }

    /// The wished slot if free and offers near it; when the wished days are full, the first
    /// slots of the next free days.
    async fn search(
        &self,
        view: &TenantView,
        service: &ServiceRow,
        staff: &[&StaffRow],
        wish: &Wish,
        without: Option<i64>,
    ) -> Result<(Option<Slot>, Vec<Slot>), BookingError> {
        let span = if wish.whole_week { 6 } else { 0 };
        let last = wish.day.checked_add(span.days()).unwrap_or(wish.day);
        let busy = self.busy(view, wish.day, span + 1, without).await?;
        let now = self.store.clock().now();
        let notice = view.setup.rules.notice_book_min;
        let slots = view.free_slots(service, staff, &busy, wish.day, last, now, notice);
        let (exact, near) = view.pick(&slots, wish);
        if !near.is_empty() {
            return Ok((exact, near));
        }
        let from = last.tomorrow().unwrap_or(last);
        let horizon = view.local_day(now, view.setup.rules.horizon_days);
        let to = last
            .checked_add(LOOKAHEAD_DAYS.days())
            .unwrap_or(last)
            .min(horizon);
        if from > to {
            return Ok((None, Vec::new()));
        }
        let days = (to - from).get_days() as i64 + 1;
        let busy = self.busy(view, from, days, without).await?;
        let mut offers: Vec<Slot> = Vec::new();
        let mut day = from;
        while day <= to && offers.len() < super::offers::MAX_OFFERS {
            // Day by day: usually the next open day already fills the offers.
            let on_day = view.free_slots(service, staff, &busy, day, day, now, notice);
            let (_, near) = view.pick(
                &on_day,
                &Wish {
                    day,
                    ..wish.clone()
                },
            );
            let closest = match wish.time {
                TimeWish::At(t) => view.instant(day, t).and_then(|target| {
                    near.iter()
                        .min_by_key(|s| (s.start.as_second() - target.as_second()).abs())
                        .copied()
                }),
                _ => near.first().copied(),
            };
            if let Some(slot) = closest.or(on_day.first().copied()) {
                offers.push(slot);
            }
            day = match day.tomorrow() {
                Ok(d) => d,
                Err(_) => break,
            };
        }
        Ok((None, offers))
    }
}

/// The stored-answer builder of an idempotent write: renders the receipt for the new id.
fn respond_with<'a>(
    idem: Option<(&'a IdemKey, Render<'a>)>,
    view: &Arc<TenantView>,
    receipt: &'a (dyn Fn(i64) -> Receipt + Sync),
) -> Option<(&'a IdemKey, crate::store::appointments::Respond<'a>)> {
    idem.map(|(key, render)| {
        let v = view.clone();
        (key, Box::new(move |id| render(&v, &receipt(id))) as _)
    })
}

/// "Damenhaarschnitt am Dienstag, 1. Dezember um 14:30 Uhr".
pub fn spoken_appointment(view: &TenantView, a: &AppointmentRecord) -> String {
    let local = Timestamp::from_millisecond(a.starts_at)
        .unwrap_or_default()
        .to_zoned(view.tz.clone())
        .datetime();
    let joiner = match view.locale {
        app::contract::Locale::De => "am",
        app::contract::Locale::En => "on",
    };
    format!(
        "{} {joiner} {}",
        a.service_name,
        speech::moment(view.locale, local)
    )
}
