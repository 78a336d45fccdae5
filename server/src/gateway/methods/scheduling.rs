//! `scheduling.overview`: the tenant's staff, services, hours, closures, rules and each staff
//! member's secret calendar-feed URL, for the admin UI; `scheduling.setup`: the same set-up
//! with ids, archived records, exceptions and closure reasons, as the set-up pages edit it.

use crate::booking::hours::{day_hours, hhmm};
use crate::gateway::{store_failure, Access, Ctx, Registry, Services};
use app::contract::{
    BookingRulesInfo, ClosureInfo, ExceptionInfo, ExceptionKind, NoParams, RpcError,
    SchedulingOverview, ServiceInfo, ServiceSetup, SetupState, StaffInfo, StaffSetup, TimeRange,
};

pub(super) fn register(r: &mut Registry) {
    r.register(
        "scheduling.overview",
        "The tenant's booking rules, services, staff with weekly hours and calendar links, and closures.",
        Access::Admin,
        overview,
    );
    r.register(
        "scheduling.setup",
        "The tenant's set-up as the set-up pages edit it: booking rules, services and staff with ids (archived ones too), weekly hours with breaks, days off and extra shifts, closures with reasons.",
        Access::Admin,
        setup,
    );
}

async fn setup(s: Services, ctx: Ctx, _p: NoParams) -> Result<SetupState, RpcError> {
    let tenant_id = ctx.admin()?.tenant_id;
    let view = s.scheduler.view(tenant_id).await.map_err(|e| e.rpc())?;
    let now = s.store.now_ms();
    let services = s
        .store
        .service_records(tenant_id)
        .await
        .map_err(store_failure)?;
    let staff = s
        .store
        .staff_records(tenant_id)
        .await
        .map_err(store_failure)?;
    let exceptions = s
        .store
        .exceptions(tenant_id, now)
        .await
        .map_err(store_failure)?;
    let closures = s
        .store
        .closure_records(tenant_id, now)
        .await
        .map_err(store_failure)?;
    let r = view.setup.rules;
    let local = |ms: i64| super::local(ms, &view.tz).unwrap_or_default();
    Ok(SetupState {
        time_zone: view.tz.iana_name().unwrap_or("UTC").to_owned(),
        today: s
            .store
            .clock()
            .now()
            .to_zoned(view.tz.clone())
            .date()
            .to_string(),
        rules: BookingRulesInfo {
            step_min: r.step_min,
            notice_book_min: r.notice_book_min,
            notice_change_min: r.notice_change_min,
            notice_cancel_min: r.notice_cancel_min,
            horizon_days: r.horizon_days,
            buffer_min: r.buffer_min,
            hold_min: r.hold_min,
        },
        services: services
            .iter()
            .map(|v| ServiceSetup {
                id: v.id,
                name: v.name.clone(),
                duration_min: v.duration_min,
                buffer_before_min: v.buffer_before_min,
                buffer_after_min: v.buffer_after_min,
                phone_bookable: v.phone_bookable,
                price_cents: v.price_cents,
                description: v.description.clone(),
                staff_ids: staff
                    .iter()
                    .filter(|m| m.service_ids.contains(&v.id))
                    .map(|m| m.id)
                    .collect(),
                active: v.active,
            })
            .collect(),
        staff: staff
            .iter()
            .map(|m| StaffSetup {
                id: m.id,
                name: m.name.clone(),
                active: m.active,
                service_ids: m.service_ids.clone(),
                hours: day_hours(&m.hours),
                exceptions: exceptions
                    .iter()
                    .filter(|e| e.staff_id == m.id)
                    .map(|e| ExceptionInfo {
                        id: e.id,
                        staff_id: e.staff_id,
                        date: e.day.to_string(),
                        kind: ExceptionKind::parse(&e.kind).unwrap_or(ExceptionKind::Off),
                        time: (e.kind == "extra").then(|| TimeRange {
                            start: hhmm(e.start_min),
                            end: hhmm(e.end_min),
                        }),
                        reason: e.reason.clone(),
                    })
                    .collect(),
            })
            .collect(),
        closures: closures
            .iter()
            .map(|c| ClosureInfo {
                id: c.id,
                staff_id: c.staff_id,
                staff: c
                    .staff_id
                    .and_then(|id| staff.iter().find(|m| m.id == id).map(|m| m.name.clone())),
                starts_local: local(c.starts_at),
                ends_local: local(c.ends_at),
                reason: c.reason.clone(),
            })
            .collect(),
    })
}

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

async fn overview(s: Services, ctx: Ctx, _p: NoParams) -> Result<SchedulingOverview, RpcError> {
    let tenant_id = ctx.admin()?.tenant_id;
    let view = s.scheduler.view(tenant_id).await.map_err(|e| e.rpc())?;
    let setup = &view.setup;
    let feeds = s
        .store
        .staff_feeds(tenant_id)
        .await
        .map_err(store_failure)?;
    let service_name = |id: i64| {
        setup
            .services
            .iter()
            .find(|x| x.id == id)
            .map(|x| x.name.clone())
            .unwrap_or_default()
    };
    let staff = setup
        .staff
        .iter()
        .map(|st| {
            let mut hours = Vec::new();
            for (i, day) in DAYS.iter().enumerate() {
                let spans: Vec<String> = st
                    .hours
                    .iter()
                    .filter(|h| h.0 == i as i64 + 1)
                    .map(|h| format!("{}–{}", hhmm(h.1), hhmm(h.2)))
                    .collect();
                if !spans.is_empty() {
                    hours.push(format!("{day} {}", spans.join(", ")));
                }
            }
            let calendar_url = feeds
                .iter()
                .find(|f| f.0 == st.id)
                .and_then(|f| s.secrets.open_for(tenant_id, &f.2).ok())
                .map(|token| format!("{}/calendar/{token}.ics", s.public_url))
                .unwrap_or_default();
            StaffInfo {
                name: st.name.clone(),
                services: st.service_ids.iter().map(|id| service_name(*id)).collect(),
                hours,
                calendar_url,
            }
        })
        .collect();
    let local = |ms: i64| {
        super::local_at(
            jiff::Timestamp::from_millisecond(ms).unwrap_or_default(),
            &view.tz,
        )
    };
    let closures = setup
        .closures
        .iter()
        .map(|c| {
            let who = c
                .staff_id
                .map(|id| view.staff_name(id))
                .unwrap_or_else(|| "everyone".into());
            format!("{} – {} ({who})", local(c.starts_at), local(c.ends_at))
        })
        .collect();
    let r = setup.rules;
    Ok(SchedulingOverview {
        time_zone: view.tz.iana_name().unwrap_or("UTC").to_owned(),
        step_min: r.step_min,
        notice_book_min: r.notice_book_min,
        notice_change_min: r.notice_change_min,
        notice_cancel_min: r.notice_cancel_min,
        horizon_days: r.horizon_days,
        services: setup
            .services
            .iter()
            .map(|x| ServiceInfo {
                name: x.name.clone(),
                duration_min: x.duration_min,
                buffer_before_min: x.buffer_before_min,
                buffer_after_min: x.buffer_after_min,
                phone_bookable: x.phone_bookable,
            })
            .collect(),
        staff,
        closures,
    })
}
