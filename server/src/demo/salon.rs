//! The demo salon's schedule: 4 staff, 6 services, hours with a lunch break, a closure day,
//! a staff holiday and appointments over the coming weeks. Seeded once per tenant.

use crate::crypto::SecretBox;
use crate::scheduling::{BookingRequest, Scheduler};
use crate::store::scheduling::{BookingRules, NewService};
use crate::store::{Store, StoreError};
use jiff::civil::Date;
use jiff::ToSpan;

/// (name, minutes, buffer before, buffer after, bookable by phone)
pub const SERVICES: [(&str, i64, i64, i64, bool); 6] = [
    ("Damenhaarschnitt", 45, 0, 15, true),
    ("Herrenhaarschnitt", 30, 0, 10, true),
    ("Kinderhaarschnitt", 30, 0, 10, true),
    ("Färben", 90, 0, 15, true),
    ("Föhnen", 30, 0, 5, true),
    ("Dauerwelle", 120, 0, 15, false),
];

/// (name, services offered by index into [`SERVICES`], weekdays worked 1 = Monday)
const STAFF: [(&str, &[usize], &[i64]); 4] = [
    ("Anna", &[0, 3, 4, 5], &[2, 3, 4, 5, 6]),
    ("Ben", &[1, 2, 4], &[2, 3, 4, 5, 6]),
    ("Clara", &[0, 1, 2, 3], &[2, 3, 4, 5, 6]),
    ("David", &[0, 1, 2], &[3, 4, 5, 6]),
];

/// A new secret calendar-feed token of a tenant's staff member: (token, token sealed for the
/// tenant, token hash).
pub fn feed_token(secrets: &SecretBox, tenant_id: i64) -> (String, String, String) {
    let token = hex::encode(rand::random::<[u8; 20]>());
    let sealed = secrets.seal_for(tenant_id, &token);
    (token.clone(), sealed, crate::auth::token_hash(&token))
}

/// Adds a staff member with a fresh feed token; returns the id.
pub async fn add_staff(
    store: &Store,
    secrets: &SecretBox,
    tenant_id: i64,
    name: &str,
) -> Result<i64, StoreError> {
    let (_, sealed, hash) = feed_token(secrets, tenant_id);
    store.create_staff(tenant_id, name, &sealed, &hash).await
}

/// Seeds the schedule unless the tenant already has staff; `today` is the local date.
pub async fn seed(
    store: &Store,
    secrets: &SecretBox,
    tenant_id: i64,
    today: Date,
    tz: &jiff::tz::TimeZone,
) -> Result<bool, StoreError> {
    if store.has_staff(tenant_id).await? {
        return Ok(false);
    }
    store
        .set_booking_rules(tenant_id, &BookingRules::default())
        .await?;
    let mut service_ids = Vec::new();
    for (name, minutes, before, after, phone) in SERVICES {
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
            .await?;
        service_ids.push(id);
    }
    let mut staff_ids = Vec::new();
    for (name, offers, days) in STAFF {
        let id = add_staff(store, secrets, tenant_id, name).await?;
        for &s in offers {
            store.offer_service(tenant_id, id, service_ids[s]).await?;
        }
        for &day in days {
            let (morning, afternoon) = if day == 6 {
                ((9 * 60, 14 * 60), None)
            } else {
                ((9 * 60, 13 * 60), Some((14 * 60, 18 * 60)))
            };
            store
                .add_working_hours(tenant_id, id, day, morning.0, morning.1)
                .await?;
            if let Some((a, b)) = afternoon {
                store.add_working_hours(tenant_id, id, day, a, b).await?;
            }
        }
        staff_ids.push(id);
    }
    let day_ms = |d: Date| {
        d.to_zoned(tz.clone())
            .map(|z| z.timestamp().as_millisecond())
            .unwrap_or(0)
    };
    let closure = today.checked_add(16.days()).unwrap_or(today);
    let after = closure.tomorrow().unwrap_or(closure);
    store
        .add_closure(
            tenant_id,
            None,
            day_ms(closure),
            day_ms(after),
            "Betriebsausflug",
        )
        .await?;
    let holiday = today.checked_add(7.days()).unwrap_or(today);
    let back = holiday.checked_add(3.days()).unwrap_or(holiday);
    store
        .add_closure(
            tenant_id,
            Some(staff_ids[2]),
            day_ms(holiday),
            day_ms(back),
            "Urlaub",
        )
        .await?;
    book_examples(store, tenant_id, today).await?;
    Ok(true)
}

/// Books a spread of appointments over the next three weeks through the real booking path.
async fn book_examples(store: &Store, tenant_id: i64, today: Date) -> Result<(), StoreError> {
    let scheduler = Scheduler::new(store.clone());
    let customers = [
        ("Maria Becker", "+4915112340001"),
        ("Jonas Wagner", "+4915112340002"),
        ("Lea Hoffmann", "+4915112340003"),
        ("Paul Schulz", "+4915112340004"),
        ("Emma Koch", "+4915112340005"),
    ];
    let times = ["09:00", "10:30", "11:15", "14:00", "15:30", "16:45"];
    let mut n = 0usize;
    for offset in 1..=21 {
        let day = today.checked_add(offset.days()).unwrap_or(today);
        for k in 0..3 {
            n += 1;
            let (name, phone) = customers[n % customers.len()];
            let service = SERVICES[n % 5].0;
            let when = format!(
                "{} {}",
                day.strftime("%Y-%m-%d"),
                times[(n * 7 + k) % times.len()]
            );
            let req = BookingRequest {
                service,
                service_id: None,
                when: &when,
                staff: None,
                staff_id: None,
                customer_name: name,
                customer_phone: phone,
                phone_is_callers: true,
                contact_phone: None,
                customer_email: None,
                notes: "",
                call_id: None,
                said_at: store.clock().now(),
                actor: "demo",
            };
            match scheduler.book(tenant_id, &req, None).await {
                Ok(_) => {}
                Err(crate::scheduling::BookingError::Store(e)) => return Err(e),
                Err(_) => {} // closed or full at that time: simply no example there
            }
        }
    }
    Ok(())
}
