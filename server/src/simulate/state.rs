//! What the simulator reads from Slotline's database to check a step: the business and its
//! Retell key, the caller's appointments, recovery entries, whether a webhook was applied,
//! and that no staff member is double-booked. Reads only; every write goes over HTTP.

use crate::crypto::SecretBox;
use crate::store::appointments::AppointmentRecord;
use crate::store::Store;
use app::contract::AppointmentStatus;
use std::time::Duration;

/// The business a scenario calls.
#[derive(Debug, Clone)]
pub struct Business {
    /// Tenant id.
    pub tenant_id: i64,
    /// Its Retell API key (signs every request).
    pub key: String,
    /// Its IANA time zone.
    pub tz: jiff::tz::TimeZone,
}

/// Finds the business of an agent id / called number and opens its Retell key.
pub async fn business(
    store: &Store,
    secrets: &SecretBox,
    agent_id: Option<&str>,
    phone: Option<&str>,
) -> Result<Business, String> {
    let row = store
        .retell_key_for(agent_id, phone)
        .await
        .map_err(|e| format!("reading the business failed: {e}"))?
        .ok_or_else(|| {
            format!(
                "no business answers agent {agent_id:?} / number {phone:?}; seed the demo \
                 with `slotline demo`"
            )
        })?;
    let sealed = row
        .key_sealed
        .ok_or("the business has no Retell API key; set one (slotline demo does)")?;
    let key = secrets
        .open_for(row.tenant_id, &sealed)
        .map_err(|e| format!("cannot open the business's Retell key ({e}); is SLOTLINE_SECRET_KEY / the data directory the server's?"))?;
    let tenant = store
        .tenant_by_id(row.tenant_id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("the business vanished")?;
    let tz = jiff::tz::TimeZone::get(&tenant.time_zone).map_err(|e| e.to_string())?;
    Ok(Business {
        tenant_id: row.tenant_id,
        key,
        tz,
    })
}

/// A local start `YYYY-MM-DDTHH:MM` of a UTC millisecond instant.
pub fn local(tz: &jiff::tz::TimeZone, ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| {
            t.to_zoned(tz.clone())
                .strftime("%Y-%m-%dT%H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

/// The caller's appointments made from this run's calls, in start order.
pub async fn appointments_of_calls(
    store: &Store,
    tenant_id: i64,
    call_ids: &[String],
) -> Result<Vec<AppointmentRecord>, String> {
    let mut all = Vec::new();
    for id in call_ids {
        all.extend(
            store
                .appointments_of_call(tenant_id, id)
                .await
                .map_err(|e| e.to_string())?,
        );
    }
    all.sort_by_key(|a| (a.starts_at, a.id));
    all.dedup_by_key(|a| a.id);
    Ok(all)
}

/// The caller's appointments (all statuses), in start order.
pub async fn appointments_of_caller(
    store: &Store,
    tenant_id: i64,
    phone: &str,
) -> Result<Vec<AppointmentRecord>, String> {
    store
        .appointments_by_phone(tenant_id, phone, None)
        .await
        .map_err(|e| e.to_string())
}

/// Open recovery entries of a call.
pub async fn open_recovery(store: &Store, tenant_id: i64, call_id: &str) -> Result<usize, String> {
    Ok(store
        .recovery_items(tenant_id, false)
        .await
        .map_err(|e| e.to_string())?
        .iter()
        .filter(|r| r.call_id == call_id)
        .count())
}

/// Waits until the webhook inbox has applied `event` of `call_id` (10 s at most).
pub async fn wait_applied(
    store: &Store,
    tenant_id: i64,
    call_id: &str,
    event: &str,
) -> Result<(), String> {
    for _ in 0..200 {
        match store
            .inbox_event_state(tenant_id, call_id, event)
            .await
            .map_err(|e| e.to_string())?
        {
            Some((status, _, _)) if status == "applied" => return Ok(()),
            Some((status, attempts, error)) if status == "failed" => {
                return Err(format!(
                    "{event} failed after {attempts} attempts: {}",
                    error.unwrap_or_default()
                ))
            }
            _ => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
    Err(format!("{event} was not applied within 10 s"))
}

/// Overlapping active (held or booked) appointments of one staff member between `from_ms` and
/// `to_ms`, as lines for a report; empty when nobody is double-booked.
pub async fn double_bookings(
    store: &Store,
    business: &Business,
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<String>, String> {
    let all = store
        .appointments_between(business.tenant_id, from_ms, to_ms, None)
        .await
        .map_err(|e| e.to_string())?;
    let active: Vec<&AppointmentRecord> = all
        .iter()
        .filter(|a| {
            matches!(
                a.status,
                AppointmentStatus::Held | AppointmentStatus::Booked
            )
        })
        .collect();
    let mut clashes = Vec::new();
    for (i, a) in active.iter().enumerate() {
        for b in &active[i + 1..] {
            if a.staff_id == b.staff_id && a.starts_at < b.ends_at && b.starts_at < a.ends_at {
                clashes.push(format!(
                    "{} has appointments {} ({}) and {} ({}) at once",
                    a.staff_name,
                    a.id,
                    local(&business.tz, a.starts_at),
                    b.id,
                    local(&business.tz, b.starts_at)
                ));
            }
        }
    }
    Ok(clashes)
}
