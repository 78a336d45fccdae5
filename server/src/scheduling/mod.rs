//! Scheduling with I/O: loads a tenant's set-up (cached, dropped on every change and after
//! 30 s), reads appointments fresh on every request (so a taken slot is never offered), runs
//! the pure availability engine and writes through the store's race-free transactions.

pub mod error;
mod offers;
mod ops;

pub use error::BookingError;
pub use offers::Offer;
pub use ops::{
    spoken_appointment, Availability, AvailabilityQuery, BookingRequest, ChangeRequest, Receipt,
    Render,
};

use crate::store::scheduling::{ScheduleSetup, ServiceRow, StaffRow};
use crate::store::Store;
use app::contract::Locale;
use jiff::tz::TimeZone;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How long a tenant's set-up stays cached when nothing invalidates it (other processes).
const SETUP_TTL: Duration = Duration::from_secs(30);

/// A tenant as scheduling needs it.
#[derive(Debug)]
pub struct TenantView {
    /// Tenant id.
    pub id: i64,
    /// Business name.
    pub name: String,
    /// IANA zone all local times are read in.
    pub tz: TimeZone,
    /// Language of spoken replies.
    pub locale: Locale,
    /// Default region for national phone numbers.
    pub country: String,
    /// Staff, services, hours, closures, rules.
    pub setup: ScheduleSetup,
}

type SetupCache = HashMap<i64, (Instant, Arc<TenantView>)>;

/// The scheduling service shared by the Retell functions and the gateway methods.
#[derive(Clone)]
pub struct Scheduler {
    store: Store,
    cache: Arc<RwLock<SetupCache>>,
}

impl Scheduler {
    /// Creates the service.
    pub fn new(store: Store) -> Self {
        Self {
            store,
            cache: Arc::default(),
        }
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Drops the cached set-up of a tenant (after hours, closures, staff or services change).
    pub fn invalidate(&self, tenant_id: i64) {
        if let Ok(mut cache) = self.cache.write() {
            cache.remove(&tenant_id);
        }
    }

    /// The tenant's view, from the cache when fresh.
    pub async fn view(&self, tenant_id: i64) -> Result<Arc<TenantView>, BookingError> {
        if let Ok(cache) = self.cache.read() {
            if let Some((at, view)) = cache.get(&tenant_id) {
                if at.elapsed() < SETUP_TTL {
                    return Ok(view.clone());
                }
            }
        }
        let tenant = self
            .store
            .tenant_by_id(tenant_id)
            .await?
            .ok_or(BookingError::UnknownTenant)?;
        let setup = self
            .store
            .schedule_setup(tenant_id, crate::store::now_ms())
            .await?;
        let view = Arc::new(TenantView {
            id: tenant.id,
            name: tenant.name,
            tz: TimeZone::get(&tenant.time_zone).unwrap_or(TimeZone::UTC),
            locale: Locale::parse(&tenant.locale).unwrap_or(Locale::De),
            country: tenant.country,
            setup,
        });
        if let Ok(mut cache) = self.cache.write() {
            cache.insert(tenant_id, (Instant::now(), view.clone()));
        }
        Ok(view)
    }
}

/// Lower-case words without umlauts, for matching spoken names.
fn fold(s: &str) -> Vec<String> {
    crate::booking::words::tokens(&s.replace(['-', '_'], " "))
}

/// How well a spoken name matches a stored one (0 = not at all).
fn score(asked: &[String], name: &str) -> usize {
    let name_words = fold(name);
    let joined_name = name_words.concat();
    let joined_asked = asked.concat();
    if joined_asked == joined_name {
        return 100;
    }
    let mut s = 0;
    if joined_name.contains(&joined_asked) || joined_asked.contains(&joined_name) {
        s += 10;
    }
    for a in asked.iter().filter(|a| a.len() >= 4) {
        if name_words.iter().any(|n| n == a) {
            s += 3;
        } else if joined_name.contains(a.as_str()) {
            s += 2;
        }
    }
    s
}

/// The single best match of a spoken name among candidates, if it is unambiguous.
fn best<'a, T>(asked: &str, items: &'a [T], name: impl Fn(&T) -> &str) -> Option<&'a T> {
    let asked = fold(asked);
    if asked.is_empty() {
        return None;
    }
    let mut scored: Vec<(usize, &T)> = items.iter().map(|i| (score(&asked, name(i)), i)).collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0));
    match scored.as_slice() {
        [(top, item), rest @ ..] if *top > 0 && rest.first().is_none_or(|(s, _)| s < top) => {
            Some(*item)
        }
        _ => None,
    }
}

impl TenantView {
    /// The service a caller named.
    pub fn service(&self, asked: &str) -> Result<&ServiceRow, BookingError> {
        best(asked, &self.setup.services, |s| &s.name).ok_or_else(|| BookingError::UnknownService {
            asked: asked.trim().to_owned(),
            known: self
                .setup
                .services
                .iter()
                .filter(|s| s.phone_bookable)
                .map(|s| s.name.clone())
                .collect(),
        })
    }

    /// Staff offering a service; one named member if `asked` is given.
    pub fn staff_for(
        &self,
        service: &ServiceRow,
        asked: Option<&str>,
    ) -> Result<Vec<&StaffRow>, BookingError> {
        let offering: Vec<&StaffRow> = self
            .setup
            .staff
            .iter()
            .filter(|s| s.service_ids.contains(&service.id))
            .collect();
        let Some(asked) = asked.map(str::trim).filter(|a| !a.is_empty()) else {
            return Ok(offering);
        };
        let names: Vec<&StaffRow> = offering.clone();
        match best(asked, &names, |s| &s.name) {
            Some(one) => Ok(vec![*one]),
            None => Err(BookingError::UnknownStaff {
                asked: asked.to_owned(),
                known: offering.iter().map(|s| s.name.clone()).collect(),
            }),
        }
    }

    /// Name of a staff member by id.
    pub fn staff_name(&self, id: i64) -> String {
        self.setup
            .staff
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.clone())
            .unwrap_or_default()
    }

    /// A phone number in E.164, read in the tenant's country when national.
    pub fn e164(&self, raw: &str) -> Result<String, BookingError> {
        let bad = || BookingError::BadPhone(crate::telemetry::mask_phone(raw));
        let country = self.country.parse::<phonenumber::country::Id>().ok();
        let parsed = phonenumber::parse(country, raw.trim()).map_err(|_| bad())?;
        if !phonenumber::is_valid(&parsed) {
            return Err(bad());
        }
        Ok(parsed.format().mode(phonenumber::Mode::E164).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spoken_names_find_the_one_meant() {
        let names = [
            "Damenhaarschnitt",
            "Herrenhaarschnitt",
            "Färben",
            "Kinderhaarschnitt",
        ];
        let find = |a: &str| best(a, &names, |s| s).copied();
        assert_eq!(find("Damenhaarschnitt"), Some("Damenhaarschnitt"));
        assert_eq!(find("damen haarschnitt"), Some("Damenhaarschnitt"));
        assert_eq!(find("Haarschnitt für Herren"), Some("Herrenhaarschnitt"));
        assert_eq!(find("faerben"), Some("Färben"));
        assert_eq!(find("Haarschnitt"), None, "ambiguous");
        assert_eq!(find("Massage"), None);
    }
}
