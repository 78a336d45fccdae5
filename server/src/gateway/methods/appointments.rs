//! `appointment.management.*` (find, change, cancel, confirm by the caller's phone, same
//! rules as the Retell functions) and `appointments.list` for the admin UI.

use crate::gateway::{store_failure, Access, Ctx, Registry, Services};
use crate::scheduling::{BookingError, ChangeRequest, TenantView};
use crate::store::appointments::{AppointmentRecord, WriteError, Written};
use app::contract::{
    codes, AppointmentInfo, AppointmentListParams, CancelAppointmentParams,
    ChangeAppointmentParams, ConfirmAppointmentParams, FindAppointmentsParams, RpcError,
};
use jiff::{Timestamp, ToSpan};

pub(super) fn register(r: &mut Registry) {
    r.register(
        "appointment.management.find",
        "Upcoming appointments booked under a phone number (all of them with include_past).",
        Access::Tenant,
        find,
    );
    r.register(
        "appointment.management.change",
        "Moves an appointment to a new start after an availability check; only for the phone it was booked under.",
        Access::Tenant,
        change,
    );
    r.register(
        "appointment.management.cancel",
        "Cancels an appointment with a reason; only for its own phone, minimum notice respected.",
        Access::Tenant,
        cancel,
    );
    r.register(
        "appointment.management.confirm",
        "Confirms a held appointment (held → booked).",
        Access::Tenant,
        confirm,
    );
    r.register(
        "appointments.list",
        "The tenant's appointments starting in a range of local days (default: 14 days from today), optionally of one staff member or whose customer's name or phone contains a search text.",
        Access::Tenant,
        list,
    );
}

/// An appointment as the gateway returns it.
pub fn info(view: &TenantView, a: &AppointmentRecord) -> AppointmentInfo {
    let local = |ms: i64| {
        super::local_at(
            Timestamp::from_millisecond(ms).unwrap_or_default(),
            &view.tz,
        )
    };
    AppointmentInfo {
        id: a.id,
        service: a.service_name.clone(),
        service_id: a.service_id,
        staff: a.staff_name.clone(),
        staff_id: a.staff_id,
        customer_name: a.customer_name.clone(),
        customer_phone: a.customer_phone.clone(),
        starts_at: Timestamp::from_millisecond(a.starts_at)
            .unwrap_or_default()
            .to_string(),
        starts_local: local(a.starts_at),
        ends_local: local(a.ends_at),
        status: a.status,
        source: a.source.clone(),
        call_id: a.call_id.clone(),
        notes: a.notes.clone(),
    }
}

/// Who acts, for appointment histories: `admin:<e-mail>`, `token:<id>`.
pub(super) fn actor(ctx: &Ctx) -> String {
    match &ctx.principal {
        crate::gateway::Principal::Admin(a) => format!("admin:{}", a.email),
        crate::gateway::Principal::Platform(p) => format!("platform:{}", p.email),
        crate::gateway::Principal::Token { token_id, .. } => format!("token:{token_id}"),
        crate::gateway::Principal::Anonymous => "anonymous".into(),
    }
}

/// An appointment as it is now.
pub(super) async fn reload(
    s: &Services,
    view: &TenantView,
    id: i64,
) -> Result<AppointmentInfo, RpcError> {
    Ok(info(view, &record(s, view.id, id).await?))
}

/// A tenant's appointment, or not-found.
pub(super) async fn record(
    s: &Services,
    tenant_id: i64,
    id: i64,
) -> Result<AppointmentRecord, RpcError> {
    s.store
        .appointment(tenant_id, id)
        .await
        .map_err(store_failure)?
        .ok_or_else(|| RpcError::new(codes::NOT_FOUND, "the appointment no longer exists"))
}

async fn find(
    s: Services,
    ctx: Ctx,
    p: FindAppointmentsParams,
) -> Result<Vec<AppointmentInfo>, RpcError> {
    let tenant_id = ctx.tenant_id()?;
    let (view, list) = s
        .scheduler
        .find(tenant_id, &p.phone, p.include_past)
        .await
        .map_err(|e| e.rpc())?;
    Ok(list.iter().map(|a| info(&view, a)).collect())
}

async fn change(
    s: Services,
    ctx: Ctx,
    p: ChangeAppointmentParams,
) -> Result<AppointmentInfo, RpcError> {
    let tenant_id = ctx.tenant_id()?;
    let actor = actor(&ctx);
    let req = ChangeRequest {
        appointment_id: Some(p.appointment_id),
        phone: &p.phone,
        when: &p.new_time,
        staff: p.staff.as_deref(),
        said_at: s.store.clock().now(),
        actor: &actor,
    };
    let (view, done) = s
        .scheduler
        .change(tenant_id, &req, None)
        .await
        .map_err(|e| e.rpc())?;
    let id = match done {
        Written::Done(r) => r.appointment_id,
        Written::Replayed(_) => p.appointment_id,
    };
    reload(&s, &view, id).await
}

async fn cancel(
    s: Services,
    ctx: Ctx,
    p: CancelAppointmentParams,
) -> Result<AppointmentInfo, RpcError> {
    let tenant_id = ctx.tenant_id()?;
    let actor = actor(&ctx);
    let reason = p.reason.unwrap_or_default();
    let (view, _) = s
        .scheduler
        .cancel(
            tenant_id,
            &p.phone,
            Some(p.appointment_id),
            &reason,
            &actor,
            None,
        )
        .await
        .map_err(|e| e.rpc())?;
    reload(&s, &view, p.appointment_id).await
}

async fn confirm(
    s: Services,
    ctx: Ctx,
    p: ConfirmAppointmentParams,
) -> Result<AppointmentInfo, RpcError> {
    let tenant_id = ctx.tenant_id()?;
    let view = s.scheduler.view(tenant_id).await.map_err(|e| e.rpc())?;
    match s
        .store
        .confirm_appointment(tenant_id, p.appointment_id, &actor(&ctx))
        .await
    {
        Ok(()) => {}
        Err(WriteError::NotFound) => {
            let current = s
                .store
                .appointment(tenant_id, p.appointment_id)
                .await
                .map_err(store_failure)?;
            return match current {
                Some(a) if a.status == app::contract::AppointmentStatus::Booked => {
                    Ok(info(&view, &a))
                }
                Some(a) => Err(RpcError::new(
                    codes::WRONG_STATE,
                    format!(
                        "only held appointments can be confirmed; this one is {}",
                        a.status.as_str()
                    ),
                )),
                None => Err(BookingError::NoAppointment.rpc()),
            };
        }
        Err(e) => return Err(BookingError::from(e).rpc()),
    }
    reload(&s, &view, p.appointment_id).await
}

async fn list(
    s: Services,
    ctx: Ctx,
    p: AppointmentListParams,
) -> Result<Vec<AppointmentInfo>, RpcError> {
    let tenant_id = ctx.tenant_id()?;
    let view = s.scheduler.view(tenant_id).await.map_err(|e| e.rpc())?;
    let days = p.days.unwrap_or(14);
    if !(1..=62).contains(&days) {
        return Err(RpcError::invalid_field(
            "days",
            "days must be between 1 and 62",
        ));
    }
    let from = match p.from.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
        Some(raw) => raw.parse::<jiff::civil::Date>().map_err(|_| {
            RpcError::invalid_field("from", format!("{raw:?} is not a date like 2026-12-01"))
        })?,
        None => s.store.clock().now().to_zoned(view.tz.clone()).date(),
    };
    let to = from.checked_add(days.days()).unwrap_or(from);
    let search = p.search.as_deref().unwrap_or_default();
    crate::input::line("search", search, 100).map_err(crate::gateway::invalid_input)?;
    let list = s
        .store
        .appointments_search(
            tenant_id,
            view.day_start_ms(from),
            view.day_start_ms(to),
            p.staff_id,
            search,
        )
        .await
        .map_err(store_failure)?;
    Ok(list.iter().map(|a| info(&view, a)).collect())
}
