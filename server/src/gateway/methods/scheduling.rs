//! `scheduling.overview`: the tenant's staff, services, hours, closures, rules and each staff
//! member's secret calendar-feed URL, for the admin UI.

use crate::gateway::{store_failure, Access, Ctx, Registry, Services};
use app::contract::{NoParams, RpcError, SchedulingOverview, ServiceInfo, StaffInfo};

pub(super) fn register(r: &mut Registry) {
    r.register(
        "scheduling.overview",
        "The tenant's booking rules, services, staff with weekly hours and calendar links, and closures.",
        Access::Admin,
        overview,
    );
}

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

fn hhmm(min: i64) -> String {
    format!("{:02}:{:02}", min / 60, min % 60)
}

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
