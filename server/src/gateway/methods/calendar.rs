//! `appointments.slots|book|move|cancel|history`: the calendar's appointments by hand. An
//! admin (owner or staff) books, moves and cancels by appointment id within the tenant,
//! through the same scheduling code and no-double-booking writes as the phone agent; a slot
//! taken meanwhile answers -32010 with `data.alternatives`.

use super::appointments::{actor, info, record, reload};
use crate::gateway::{store_failure, Access, Ctx, Registry, Services};
use crate::scheduling::TenantView;
use crate::store::calendar::HistoryRow;
use app::contract::{
    codes, AdminBookParams, AdminCancelParams, AdminMoveParams, AppointmentDetail, AppointmentInfo,
    AppointmentRef, HistoryEntry, RpcError, SlotInfo, SlotsParams,
};
use serde_json::Value;

pub(super) fn register(r: &mut Registry) {
    r.register(
        "appointments.slots",
        "Every free start of a service on 1–14 local days, for one staff member or anyone, from real availability (the rules the phone agent books by).",
        Access::Admin,
        slots,
    );
    r.register(
        "appointments.book",
        "Books an appointment by hand (booked at once, source admin): service, staff or anyone, a free start, the customer's name and phone in E.164. A start taken meanwhile answers -32010 with alternatives.",
        Access::Admin,
        book,
    );
    r.register(
        "appointments.move",
        "Moves an appointment of the business by id to a free start (and optionally another staff member); -32010 with alternatives when the time is taken.",
        Access::Admin,
        move_to,
    );
    r.register(
        "appointments.cancel",
        "Cancels an appointment of the business by id, with a reason kept in its history.",
        Access::Admin,
        cancel,
    );
    r.register(
        "appointments.history",
        "An appointment with who or what created, moved and cancelled it (phone call, admin, sweeper), in the tenant's time.",
        Access::Tenant,
        history,
    );
}

/// The refusal with the admin's field names (the phone functions' names differ).
fn renamed(mut e: RpcError) -> RpcError {
    let rename = [
        ("phone", "customer_phone"),
        ("service", "service_id"),
        ("staff", "staff_id"),
        ("new_time", "start"),
    ];
    if let Some(Value::Object(data)) = e.data.as_mut() {
        if let Some(Value::String(field)) = data.get_mut("field") {
            if let Some((_, to)) = rename.iter().find(|(from, _)| field == from) {
                *field = (*to).to_owned();
            }
        }
    }
    e
}

async fn slots(s: Services, ctx: Ctx, p: SlotsParams) -> Result<Vec<SlotInfo>, RpcError> {
    let tenant_id = ctx.admin()?.tenant_id;
    let from = crate::booking::hours::parse_date("date", &p.date)
        .map_err(|e| RpcError::invalid_field(&e.field, e.message))?;
    let days = p.days.unwrap_or(1);
    if !(1..=crate::scheduling::MAX_SLOT_DAYS).contains(&days) {
        return Err(RpcError::invalid_field(
            "days",
            "days must be between 1 and 14",
        ));
    }
    let (_, offers) = s
        .scheduler
        .slots(tenant_id, p.service_id, p.staff_id, from, days)
        .await
        .map_err(|e| renamed(e.rpc()))?;
    Ok(offers
        .into_iter()
        .map(|o| SlotInfo {
            start: o.start,
            local: o.local,
            staff_id: o.staff_id,
            staff: o.staff,
        })
        .collect())
}

async fn book(s: Services, ctx: Ctx, p: AdminBookParams) -> Result<AppointmentInfo, RpcError> {
    let tenant_id = ctx.admin()?.tenant_id;
    let actor = actor(&ctx);
    let (view, receipt) = s
        .scheduler
        .book_by_admin(tenant_id, &p, &actor)
        .await
        .map_err(|e| renamed(e.rpc()))?;
    tracing::info!(
        tenant_id,
        actor,
        appointment_id = receipt.appointment_id,
        "appointment booked by hand"
    );
    reload(&s, &view, receipt.appointment_id).await
}

/// The tenant's appointment if it can still be moved or cancelled.
async fn active(s: &Services, tenant_id: i64, id: i64) -> Result<(), RpcError> {
    let a = record(s, tenant_id, id).await?;
    if !a.status.occupies() {
        return Err(RpcError::new(
            codes::WRONG_STATE,
            format!(
                "this appointment is {}; only held or booked ones can change",
                a.status.as_str()
            ),
        ));
    }
    Ok(())
}

async fn move_to(s: Services, ctx: Ctx, p: AdminMoveParams) -> Result<AppointmentInfo, RpcError> {
    let tenant_id = ctx.admin()?.tenant_id;
    let actor = actor(&ctx);
    active(&s, tenant_id, p.appointment_id).await?;
    let view = s
        .scheduler
        .move_by_admin(tenant_id, &p, &actor)
        .await
        .map_err(|e| renamed(e.rpc()))?;
    tracing::info!(
        tenant_id,
        actor,
        appointment_id = p.appointment_id,
        "appointment moved by hand"
    );
    reload(&s, &view, p.appointment_id).await
}

async fn cancel(s: Services, ctx: Ctx, p: AdminCancelParams) -> Result<AppointmentInfo, RpcError> {
    let tenant_id = ctx.admin()?.tenant_id;
    let actor = actor(&ctx);
    active(&s, tenant_id, p.appointment_id).await?;
    let view = s
        .scheduler
        .cancel_by_id(tenant_id, p.appointment_id, &p.reason, &actor)
        .await
        .map_err(|e| e.rpc())?;
    tracing::info!(
        tenant_id,
        actor,
        appointment_id = p.appointment_id,
        "appointment cancelled by hand"
    );
    reload(&s, &view, p.appointment_id).await
}

async fn history(s: Services, ctx: Ctx, p: AppointmentRef) -> Result<AppointmentDetail, RpcError> {
    let tenant_id = ctx.tenant_id()?;
    let view = s.scheduler.view(tenant_id).await.map_err(|e| e.rpc())?;
    let a = record(&s, tenant_id, p.appointment_id).await?;
    let (contact_phone, cancel_reason) = s
        .store
        .appointment_extras(tenant_id, a.id)
        .await
        .map_err(store_failure)?;
    let staff = s
        .store
        .staff_records(tenant_id)
        .await
        .map_err(store_failure)?;
    let name = |id: &Value| {
        id.as_i64()
            .and_then(|id| staff.iter().find(|m| m.id == id))
            .map(|m| m.name.clone())
            .unwrap_or_default()
    };
    let rows = s
        .store
        .appointment_log(tenant_id, a.id)
        .await
        .map_err(store_failure)?;
    let history = rows
        .into_iter()
        .map(|h| entry(&view, h, a.call_id.as_deref(), &name))
        .collect();
    Ok(AppointmentDetail {
        appointment: info(&view, &a),
        contact_phone,
        cancel_reason,
        history,
    })
}

/// One history row in words.
fn entry(
    view: &TenantView,
    h: HistoryRow,
    own_call: Option<&str>,
    staff: &dyn Fn(&Value) -> String,
) -> HistoryEntry {
    let details: Value = serde_json::from_str(&h.details).unwrap_or(Value::Null);
    let when = |v: &Value| {
        v.as_i64()
            .and_then(|ms| super::local(ms, &view.tz))
            .unwrap_or_default()
    };
    let (by, call_id) = match h.actor.split_once(':') {
        Some(("retell", id)) => (format!("phone call {id}"), Some(id.to_owned())),
        Some(("admin", email)) => (format!("admin {email}"), None),
        Some(("token", id)) => (format!("API token {id}"), None),
        Some(("webhook", _)) => (
            "the end of the phone call".to_owned(),
            own_call.map(str::to_owned),
        ),
        Some(("sweeper", _)) => (
            "the hold sweeper (the call's end never arrived)".to_owned(),
            own_call.map(str::to_owned),
        ),
        _ => (h.actor.clone(), None),
    };
    let summary = match h.action.as_str() {
        "moved" => format!(
            "from {} ({}) to {} ({})",
            when(&details["from"]["starts_at"]),
            staff(&details["from"]["staff_id"]),
            when(&details["to"]["starts_at"]),
            staff(&details["to"]["staff_id"])
        ),
        "cancelled" | "needs_recovery" | "recovery_retry_failed" => {
            details["reason"].as_str().unwrap_or_default().to_owned()
        }
        "recovery_dismissed" => details["note"].as_str().unwrap_or_default().to_owned(),
        _ if details["starts_at"].is_i64() => format!(
            "for {} with {}",
            when(&details["starts_at"]),
            staff(&details["staff_id"])
        ),
        _ => String::new(),
    };
    HistoryEntry {
        at_local: super::local(h.at, &view.tz).unwrap_or_default(),
        action: h.action,
        actor: h.actor,
        by,
        call_id,
        summary,
        details,
    }
}
