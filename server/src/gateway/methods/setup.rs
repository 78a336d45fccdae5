//! `scheduling.services.*`, `scheduling.staff.*`, `scheduling.exceptions.*`,
//! `scheduling.closures.*`, `scheduling.rules.update`: the owner changes the set-up. The
//! rules are checked in `scheduling::setup`; a change that would strand future appointments
//! answers with them (`applied: false`) until it is sent again with `confirm: true`, which
//! queues them under "Needs attention". Every change is logged with the admin.

use super::appointments::info;
use crate::gateway::{Access, Ctx, Registry, Services};
use crate::scheduling::setup::{SetupError, SetupOutcome};
use app::contract::{
    AddClosureParams, AddExceptionParams, AffectedAppointment, ArchiveParams, BookingRulesInfo,
    RemoveParams, RpcError, SaveServiceParams, SaveStaffParams, SetupResult,
};

/// What every set-up description adds.
macro_rules! strands {
    ($what:literal) => {
        concat!(
            $what,
            " When future appointments would no longer fit, nothing changes and they are \
             listed (applied: false); send it again with confirm: true to apply it and queue \
             them under \"Needs attention\". Owner only."
        )
    };
}

pub(super) fn register(r: &mut Registry) {
    r.register(
        "scheduling.services.save",
        strands!("Creates (no id) or edits a service: name, duration, buffers, phone-bookable, price, description and the staff who offer it."),
        Access::Owner,
        save_service,
    );
    r.register(
        "scheduling.services.archive",
        strands!("Archives a service (no longer offered) or restores it (restore: true)."),
        Access::Owner,
        archive_service,
    );
    r.register(
        "scheduling.staff.save",
        strands!("Creates (no id) or edits a staff member: name, services and weekly hours with breaks (HH:MM, tenant time)."),
        Access::Owner,
        save_staff,
    );
    r.register(
        "scheduling.staff.archive",
        strands!(
            "Archives a staff member (takes no appointments) or restores them (restore: true)."
        ),
        Access::Owner,
        archive_staff,
    );
    r.register(
        "scheduling.exceptions.add",
        strands!("Adds a staff member's day off or extra shift on one local date."),
        Access::Owner,
        add_exception,
    );
    r.register(
        "scheduling.exceptions.remove",
        strands!("Removes a day off or extra shift."),
        Access::Owner,
        remove_exception,
    );
    r.register(
        "scheduling.closures.add",
        strands!("Closes the business or one staff member for whole local days (YYYY-MM-DD) or between local times (YYYY-MM-DDTHH:MM), with a reason."),
        Access::Owner,
        add_closure,
    );
    r.register(
        "scheduling.closures.remove",
        "Removes a closure. Owner only.",
        Access::Owner,
        remove_closure,
    );
    r.register(
        "scheduling.rules.update",
        "Sets the booking rules: slot step, notice for booking, changes and cancellations, horizon, gap between appointments, and how long a phone hold lives. Owner only.",
        Access::Owner,
        update_rules,
    );
}

/// The owner's tenant and the actor written to histories and the log.
fn owner(ctx: &Ctx) -> Result<(i64, String), RpcError> {
    let a = ctx.admin()?;
    Ok((a.tenant_id, format!("admin:{}", a.email)))
}

/// "1 appointment" / "3 appointments".
fn appointments(n: usize) -> String {
    match n {
        1 => "1 future appointment".into(),
        n => format!("{n} future appointments"),
    }
}

/// The gateway's answer to a set-up change.
fn answer(outcome: Result<SetupOutcome, SetupError>) -> Result<SetupResult, RpcError> {
    let o = outcome.map_err(|e| e.rpc())?;
    let n = o.affected.len();
    let message = match (o.applied, n) {
        (true, 0) => "Saved.".to_owned(),
        (true, n) => format!(
            "Saved. {} no longer fit and wait under \"Needs attention\" on the Appointments page.",
            appointments(n)
        ),
        (false, n) => format!(
            "Nothing was changed: {} would no longer fit. Confirm to apply the change and queue them under \"Needs attention\".",
            appointments(n)
        ),
    };
    Ok(SetupResult {
        applied: o.applied,
        id: o.id,
        affected: o
            .affected
            .iter()
            .map(|(a, reason)| AffectedAppointment {
                appointment: info(&o.view, a),
                reason: reason.clone(),
            })
            .collect(),
        message,
    })
}

async fn save_service(
    s: Services,
    ctx: Ctx,
    p: SaveServiceParams,
) -> Result<SetupResult, RpcError> {
    let (tenant_id, actor) = owner(&ctx)?;
    answer(s.scheduler.save_service(tenant_id, &p, &actor).await)
}

async fn archive_service(s: Services, ctx: Ctx, p: ArchiveParams) -> Result<SetupResult, RpcError> {
    let (tenant_id, actor) = owner(&ctx)?;
    answer(s.scheduler.archive_service(tenant_id, &p, &actor).await)
}

async fn save_staff(s: Services, ctx: Ctx, p: SaveStaffParams) -> Result<SetupResult, RpcError> {
    let (tenant_id, actor) = owner(&ctx)?;
    let (_, sealed, hash) = crate::demo::salon::feed_token(&s.secrets, tenant_id);
    answer(
        s.scheduler
            .save_staff(tenant_id, &p, (sealed, hash), &actor)
            .await,
    )
}

async fn archive_staff(s: Services, ctx: Ctx, p: ArchiveParams) -> Result<SetupResult, RpcError> {
    let (tenant_id, actor) = owner(&ctx)?;
    answer(s.scheduler.archive_staff(tenant_id, &p, &actor).await)
}

async fn add_exception(
    s: Services,
    ctx: Ctx,
    p: AddExceptionParams,
) -> Result<SetupResult, RpcError> {
    let (tenant_id, actor) = owner(&ctx)?;
    answer(s.scheduler.add_exception(tenant_id, &p, &actor).await)
}

async fn remove_exception(s: Services, ctx: Ctx, p: RemoveParams) -> Result<SetupResult, RpcError> {
    let (tenant_id, actor) = owner(&ctx)?;
    answer(s.scheduler.remove_exception(tenant_id, &p, &actor).await)
}

async fn add_closure(s: Services, ctx: Ctx, p: AddClosureParams) -> Result<SetupResult, RpcError> {
    let (tenant_id, actor) = owner(&ctx)?;
    answer(s.scheduler.add_closure(tenant_id, &p, &actor).await)
}

async fn remove_closure(s: Services, ctx: Ctx, p: RemoveParams) -> Result<SetupResult, RpcError> {
    let (tenant_id, actor) = owner(&ctx)?;
    answer(s.scheduler.remove_closure(tenant_id, &p, &actor).await)
}

async fn update_rules(s: Services, ctx: Ctx, p: BookingRulesInfo) -> Result<SetupResult, RpcError> {
    let (tenant_id, actor) = owner(&ctx)?;
    answer(s.scheduler.update_rules(tenant_id, &p, &actor).await)
}
