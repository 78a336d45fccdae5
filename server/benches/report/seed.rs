//! The data a benchmark runs on, written before `slotline serve` starts: one tenant with the
//! demo salon's services scaled to 50 staff, working hours, optionally 60 days of
//! appointments, a Retell API key (webhook and function signatures) and a read API token.

use app::contract::Scope;
use slotline::store::appointments::{NewAppointment, Placement};
use slotline::store::scheduling::{BookingRules, NewService};
use slotline::store::Store;

/// The Retell API key of the bench tenant (signs webhooks and custom-function calls).
pub const API_KEY: &str = "key_bench_retell";
/// The agent and number of the bench tenant: those of the recorded Retell call.
pub const AGENT: &str = "agent_3f9c2a7b1d4e5f60718293a4";
/// The business number Retell calls.
pub const NUMBER: &str = "+493012345670";
/// Staff members.
pub const STAFF: usize = 50;
/// Days of appointments ahead (the booking horizon).
pub const DAYS: i64 = 60;

/// What was seeded.
pub struct Seeded {
    /// A read-scoped API token of the tenant (bearer).
    pub token: String,
    /// Service names, as callers say them.
    pub services: Vec<&'static str>,
    /// Today in the tenant's time zone.
    pub today: jiff::civil::Date,
    /// Appointments written.
    pub appointments: usize,
}

/// Working days of every staff member (1 = Monday): Tuesday to Saturday.
pub fn works(day: jiff::civil::Date) -> bool {
    !matches!(
        day.weekday(),
        jiff::civil::Weekday::Sunday | jiff::civil::Weekday::Monday
    )
}

/// Migrates `url` and seeds the bench tenant; `appointments` fills 4 a day per staff member.
pub async fn tenant(url: &str, appointments: bool) -> Result<Seeded, String> {
    let fail = |what: &str, e: &dyn std::fmt::Display| format!("seeding {what}: {e}");
    let store = Store::connect_and_migrate(url)
        .await
        .map_err(|e| fail("the database", &e))?;
    let secrets = slotline::crypto::SecretBox::new(&crate::procs::SECRET_KEY);
    let tenant_id = store
        .create_tenant(&slotline::store::tenants::NewTenant {
            slug: "bench",
            name: "Salon Bench",
            time_zone: "Europe/Berlin",
            locale: "de",
            country: "DE",
        })
        .await
        .map_err(|e| fail("the tenant", &e))?;
    store
        .add_phone_number(
            tenant_id,
            &slotline::store::tenants::PhoneNumber {
                e164: NUMBER.into(),
                retell_agent_id: Some(AGENT.into()),
                label: "bench".into(),
            },
        )
        .await
        .map_err(|e| fail("the number", &e))?;
    store
        .set_retell_api_key_sealed(tenant_id, &secrets.seal_for(tenant_id, API_KEY))
        .await
        .map_err(|e| fail("the API key", &e))?;
    let token = slotline::auth::new_api_token();
    store
        .create_api_token(
            tenant_id,
            "bench",
            &slotline::auth::token_hash(&token),
            &[Scope::Read],
            None,
        )
        .await
        .map_err(|e| fail("the API token", &e))?;
    store
        .set_booking_rules(tenant_id, &BookingRules::default())
        .await
        .map_err(|e| fail("the booking rules", &e))?;

    let mut services = Vec::new();
    for (name, minutes, before, after, phone) in slotline::demo::salon::SERVICES {
        let id = store
            .create_service(
                tenant_id,
                &NewService {
                    name,
                    duration_min: minutes,
                    buffer_before_min: before,
                    buffer_after_min: after,
                    phone_bookable: phone,
                    price_cents: None,
                },
            )
            .await
            .map_err(|e| fail("a service", &e))?;
        if phone {
            services.push((name, id, minutes, after));
        }
    }
    let tz = jiff::tz::TimeZone::get("Europe/Berlin").map_err(|e| fail("the zone", &e))?;
    let today = jiff::Timestamp::now().to_zoned(tz.clone()).date();
    let mut written = 0;
    for n in 0..STAFF {
        let staff = slotline::demo::salon::add_staff(&store, &secrets, tenant_id, &staff_name(n))
            .await
            .map_err(|e| fail("a staff member", &e))?;
        for (_, id, _, _) in &services {
            store
                .offer_service(tenant_id, staff, *id)
                .await
                .map_err(|e| fail("an offer", &e))?;
        }
        for day in 2..=6 {
            for (from, to) in [(9 * 60, 13 * 60), (14 * 60, 18 * 60)] {
                store
                    .add_working_hours(tenant_id, staff, day, from, to)
                    .await
                    .map_err(|e| fail("working hours", &e))?;
            }
        }
        if !appointments {
            continue;
        }
        let phone = format!("+49151{:08}", 10_000_000 + n);
        for offset in 1..=DAYS {
            let day = today
                .checked_add(jiff::Span::new().days(offset))
                .map_err(|e| fail("a date", &e))?;
            if !works(day) {
                continue;
            }
            for (k, hour) in [9, 11, 14, 16].into_iter().enumerate() {
                let (_, service_id, minutes, after) = services[(n + k) % services.len()];
                let start = day
                    .at(hour, 0, 0, 0)
                    .to_zoned(tz.clone())
                    .map_err(|e| fail("a time", &e))?
                    .timestamp()
                    .as_millisecond();
                let end = start + minutes * 60_000;
                let new = NewAppointment {
                    tenant_id,
                    service_id,
                    placement: Placement {
                        staff_id: staff,
                        starts_at: start,
                        ends_at: end,
                        block_start: start,
                        block_end: end + after * 60_000,
                    },
                    customer_name: "Bench Kunde",
                    customer_phone: &phone,
                    update_customer: true,
                    contact_phone: None,
                    customer_email: None,
                    status: app::contract::AppointmentStatus::Booked,
                    source: "admin",
                    call_id: None,
                    notes: "",
                    actor: "bench",
                };
                store
                    .book(&new, None)
                    .await
                    .map_err(|e| fail("an appointment", &e))?;
                written += 1;
            }
        }
    }
    store.close().await;
    Ok(Seeded {
        token,
        services: services.iter().map(|s| s.0).collect(),
        today,
        appointments: written,
    })
}

/// The name of staff member `n`.
pub fn staff_name(n: usize) -> String {
    format!("Staff {n}")
}

/// A signed Retell custom-function call: (body, `X-Retell-Signature`).
pub fn function_call(
    function: &str,
    call_id: &str,
    from: &str,
    args: serde_json::Value,
) -> (String, String) {
    let now = slotline::store::now_ms();
    let body = serde_json::json!({
        "name": function,
        "call": {
            "call_id": call_id, "agent_id": AGENT, "call_type": "phone_call",
            "direction": "inbound", "from_number": from, "to_number": NUMBER,
            "call_status": "ongoing", "start_timestamp": now,
        },
        "args": args,
    })
    .to_string();
    let signature = slotline::webhooks::signature::sign(body.as_bytes(), API_KEY, now);
    (body, signature)
}
