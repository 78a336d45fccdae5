//! Gateway methods by namespace.

mod account;
mod admin;
mod appointments;
mod calendar;
mod calls;
mod dashboard;
mod notifications;
mod platform;
mod recovery;
mod retell_config;
mod retell_functions;
mod scheduling;
mod setup;
mod tenant;
mod tokens;
mod users;

use super::registry::Effect;
use super::Registry;
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// Registers every method the server offers.
pub fn register_all(registry: &mut Registry) {
    registry.register(
        "ping",
        "Answers {\"pong\": true}; checks the gateway is reachable.",
        super::Access::Public,
        |_s, _ctx, _p: app::contract::NoParams| async { Ok(serde_json::json!({ "pong": true })) },
    );
    registry.register(
        "gateway.health",
        "Health of the database, the webhook inbox, Retell's API and every server, with circuit \
         states, recent latency, error rates and last errors (the Monitoring page).",
        super::Access::Admin,
        |s, ctx, _p: app::contract::NoParams| async move {
            ctx.admin()?;
            Ok(super::health::report_from(&s).await)
        },
    );
    account::register(registry);
    admin::register(registry);
    appointments::register(registry);
    calendar::register(registry);
    calls::register(registry);
    platform::register(registry);
    dashboard::register(registry);
    notifications::register(registry);
    recovery::register(registry);
    retell_config::register(registry);
    retell_functions::register(registry);
    scheduling::register(registry);
    setup::register(registry);
    tenant::register(registry);
    tokens::register(registry);
    users::register(registry);
    registry.mark(
        Effect::Read,
        &[
            "ping",
            "admin.whoami",
            "appointment.management.find",
            "appointments.history",
            "appointments.list",
            "appointments.slots",
            "calls.get",
            "calls.list",
            "dashboard.overview",
            "gateway.health",
            "admin.invitation.get",
            "platform.audit.list",
            "platform.tenants.list",
            "platform.users.list",
            "users.list",
            "retell.config.checkAgents",
            "retell.config.getAgentPromptTemplate",
            "retell.config.getCustomFunctions",
            "retell.config.getWebhook",
            "retell.config.listAgents",
            "retell.config.status",
            "retell.functions.check_availability",
            "scheduling.overview",
            "scheduling.setup",
            "tenant.get",
            "tokens.list",
            "webhooks.activity",
            "webhooks.recovery.list",
        ],
    );
    registry.mark(Effect::Read, &dashboard::METHODS);
    registry.mark(Effect::Read, &notifications::READS);
    registry.mark(Effect::Idempotent, &notifications::IDEMPOTENT);
    registry.mark(
        Effect::Idempotent,
        &[
            "admin.logout",
            "tenant.update",
            "platform.tenants.rename",
            "platform.tenants.resume",
            "platform.tenants.suspend",
            "users.role",
            "retell.config.bindAgent",
            "retell.config.deployCustomFunctions",
            "retell.config.unbindNumber",
            "retell.config.updateCustomFunction",
            "scheduling.rules.update",
            "scheduling.services.archive",
            "scheduling.staff.archive",
        ],
    );
    registry.mark(
        Effect::IdempotentWith("call_id"),
        &[
            "retell.functions.collect_appointment",
            "retell.functions.change_appointment",
            "retell.functions.cancel_appointment",
        ],
    );
}

/// `YYYY-MM-DD HH:MM` of an instant in a zone: how every method shows times to admins.
fn local_at(ts: Timestamp, tz: &TimeZone) -> String {
    ts.to_zoned(tz.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// The same for UTC milliseconds; `None` when out of jiff's range.
fn local(ms: i64, tz: &TimeZone) -> Option<String> {
    Timestamp::from_millisecond(ms)
        .ok()
        .map(|ts| local_at(ts, tz))
}
