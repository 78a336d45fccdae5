//! `webhooks.recovery.*`: bookings that could not be finalized on call_ended. An admin can
//! retry (book it once it fits again), rebook it to another time, or dismiss it (cancel);
//! every action is written to the appointment's history.

use super::appointments::{info, record};
use crate::gateway::{store_failure, Access, Ctx, Registry, Services};
use crate::scheduling::{Moving, TenantView};
use crate::store::recovery::{Outcome, RecoveryRow};
use app::contract::{
    codes, RecoveryDismissParams, RecoveryItem, RecoveryListParams, RecoveryRebookParams,
    RecoveryRetryParams, RpcError,
};

pub(super) fn register(r: &mut Registry) {
    r.register(
        "webhooks.recovery.list",
        "Bookings that could not be finalized when their call ended (open ones, or all).",
        Access::Admin,
        list,
    );
    r.register(
        "webhooks.recovery.retry",
        "Books a queued hold if it fits the schedule again; otherwise says why not.",
        Access::Admin,
        retry,
    );
    r.register(
        "webhooks.recovery.rebook",
        "Moves a queued hold to another free time and books it.",
        Access::Admin,
        rebook,
    );
    r.register(
        "webhooks.recovery.dismiss",
        "Gives up on a queued hold: cancels it and closes the item, with a reason.",
        Access::Admin,
        dismiss,
    );
}

async fn item(s: &Services, view: &TenantView, r: RecoveryRow) -> Result<RecoveryItem, RpcError> {
    let a = record(s, view.id, r.appointment_id).await?;
    Ok(RecoveryItem {
        id: r.id,
        appointment: info(view, &a),
        call_id: r.call_id,
        reason: r.reason,
        collected: serde_json::from_str(&r.collected).unwrap_or_default(),
        status: r.status,
        attempts: r.attempts,
        resolution: r.resolution,
        resolved_by: r.resolved_by,
        queued_local: super::local_at(
            jiff::Timestamp::from_millisecond(r.created_at).unwrap_or_default(),
            &view.tz,
        ),
    })
}

/// The open item, or a not-found / wrong-state error.
async fn open_item(s: &Services, tenant_id: i64, id: i64) -> Result<RecoveryRow, RpcError> {
    let r = s
        .store
        .recovery_item(tenant_id, id)
        .await
        .map_err(store_failure)?
        .ok_or_else(|| RpcError::new(codes::NOT_FOUND, format!("no recovery item {id}")))?;
    if r.status != "open" {
        return Err(RpcError::new(
            codes::WRONG_STATE,
            format!("recovery item {id} is already {}", r.status),
        ));
    }
    Ok(r)
}

async fn close(
    s: &Services,
    view: &TenantView,
    id: i64,
    outcome: Outcome,
    note: &str,
    actor: &str,
) -> Result<RecoveryItem, RpcError> {
    if !s
        .store
        .resolve_recovery(view.id, id, outcome, note, actor)
        .await
        .map_err(store_failure)?
    {
        return Err(RpcError::new(
            codes::WRONG_STATE,
            format!("recovery item {id} is no longer open"),
        ));
    }
    let r = open_or_closed(s, view.id, id).await?;
    item(s, view, r).await
}

async fn open_or_closed(s: &Services, tenant_id: i64, id: i64) -> Result<RecoveryRow, RpcError> {
    s.store
        .recovery_item(tenant_id, id)
        .await
        .map_err(store_failure)?
        .ok_or_else(|| RpcError::new(codes::NOT_FOUND, format!("no recovery item {id}")))
}

async fn list(s: Services, ctx: Ctx, p: RecoveryListParams) -> Result<Vec<RecoveryItem>, RpcError> {
    let tenant_id = ctx.admin()?.tenant_id;
    let view = s.scheduler.view(tenant_id).await.map_err(|e| e.rpc())?;
    let rows = s
        .store
        .recovery_items(tenant_id, p.include_closed)
        .await
        .map_err(store_failure)?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(item(&s, &view, r).await?);
    }
    Ok(out)
}

async fn retry(s: Services, ctx: Ctx, p: RecoveryRetryParams) -> Result<RecoveryItem, RpcError> {
    let admin = ctx.admin()?;
    let actor = format!("admin:{}", admin.email);
    let r = open_item(&s, admin.tenant_id, p.id).await?;
    let view = s
        .scheduler
        .view(admin.tenant_id)
        .await
        .map_err(|e| e.rpc())?;
    let a = record(&s, admin.tenant_id, r.appointment_id).await?;
    if let Some(reason) = view.misfit(&a) {
        s.store
            .recovery_retry_failed(admin.tenant_id, p.id, &reason, &actor)
            .await
            .map_err(store_failure)?;
        return Err(RpcError {
            code: codes::VALIDATION,
            message: format!(
                "still cannot be booked: {reason}; rebook it to another time or dismiss it"
            ),
            data: Some(serde_json::json!({ "reason": reason })),
        });
    }
    close(&s, &view, p.id, Outcome::Booked, "retried", &actor).await
}

async fn rebook(s: Services, ctx: Ctx, p: RecoveryRebookParams) -> Result<RecoveryItem, RpcError> {
    let admin = ctx.admin()?;
    let actor = format!("admin:{}", admin.email);
    let r = open_item(&s, admin.tenant_id, p.id).await?;
    let moving = Moving {
        when: &p.new_time,
        staff: p.staff.as_deref(),
        staff_id: None,
        said_at: s.store.clock().now(),
        actor: &actor,
    };
    let (view, _) = s
        .scheduler
        .rebook(admin.tenant_id, r.appointment_id, &moving)
        .await
        .map_err(|e| e.rpc())?;
    let view = s.scheduler.view(view.id).await.map_err(|e| e.rpc())?;
    close(
        &s,
        &view,
        p.id,
        Outcome::Booked,
        &format!("rebooked to {}", p.new_time),
        &actor,
    )
    .await
}

async fn dismiss(
    s: Services,
    ctx: Ctx,
    p: RecoveryDismissParams,
) -> Result<RecoveryItem, RpcError> {
    let admin = ctx.admin()?;
    let actor = format!("admin:{}", admin.email);
    let reason = p.reason.trim();
    if reason.is_empty() {
        return Err(RpcError::invalid_field(
            "reason",
            "say why the booking is dismissed",
        ));
    }
    let r = open_item(&s, admin.tenant_id, p.id).await?;
    let view = s
        .scheduler
        .view(admin.tenant_id)
        .await
        .map_err(|e| e.rpc())?;
    match s
        .store
        .cancel_appointment(admin.tenant_id, r.appointment_id, reason, &actor, None)
        .await
    {
        Ok(_) | Err(crate::store::appointments::WriteError::NotFound) => {}
        Err(e) => return Err(crate::scheduling::BookingError::from(e).rpc()),
    }
    close(&s, &view, p.id, Outcome::Dismissed, reason, &actor).await
}
