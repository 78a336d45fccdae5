//! Scheduling with I/O: a tenant's set-up and occupied time (cached per schedule version),
//! the pure availability engine, and writes through the store's race-free transactions.

mod admin;
pub mod error;
mod holds;
mod offers;
mod ops;
pub mod setup;
mod stranding;

pub use admin::MAX_SLOT_DAYS;
pub use error::BookingError;
pub use holds::collected;
pub use offers::Offer;
pub use ops::{
    spoken_appointment, Availability, AvailabilityQuery, BookingRequest, ChangeRequest, Moving,
    Receipt, Render,
};

use crate::store::scheduling::{ScheduleSetup, ServiceRow, StaffRow};
use crate::store::Store;
use app::contract::Locale;
use jiff::tz::TimeZone;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// A tenant as scheduling needs it.
#[derive(Debug)]
pub struct TenantView {
    /// Tenant id.
    pub id: i64,
    /// Schedule version this view was read at.
    pub version: i64,
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

/// Occupied blocks `(staff, start ms, end ms)` of a tenant, sorted by start, covering
/// `[from, to)`.
#[derive(Debug)]
struct BusyIndex {
    from: i64,
    to: i64,
    blocks: Vec<(i64, i64, i64)>,
}

/// What is cached per tenant, valid while the tenant's schedule version is unchanged.
struct Cached {
    view: Arc<TenantView>,
    busy: Option<Arc<BusyIndex>>,
}

/// The scheduling service shared by the Retell functions and the gateway methods.
///
/// Caching: a tenant's set-up and its occupied time are kept in memory and used only while
/// the tenant's `schedule_version` (one indexed read per request) is the one they were read
/// at. Every booking, move, cancellation and set-up change increases that version in its own
/// transaction, in this process or any other, so a taken slot is never offered from cache.
#[derive(Clone)]
pub struct Scheduler {
    store: Store,
    cache: Arc<RwLock<HashMap<i64, Cached>>>,
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

    /// The tenant's view at its current schedule version.
    pub async fn view(&self, tenant_id: i64) -> Result<Arc<TenantView>, BookingError> {
        let version = self
            .store
            .schedule_version(tenant_id)
            .await?
            .ok_or(BookingError::UnknownTenant)?;
        if let Ok(cache) = self.cache.read() {
            if let Some(c) = cache.get(&tenant_id).filter(|c| c.view.version == version) {
                return Ok(c.view.clone());
            }
        }
        let tenant = self
            .store
            .tenant_by_id(tenant_id)
            .await?
            .ok_or(BookingError::UnknownTenant)?;
        let setup = self
            .store
            .schedule_setup(tenant_id, self.store.now_ms())
            .await?;
        let view = Arc::new(TenantView {
            id: tenant.id,
            version,
            name: tenant.name,
            tz: TimeZone::get(&tenant.time_zone).unwrap_or(TimeZone::UTC),
            locale: Locale::parse(&tenant.locale).unwrap_or(Locale::De),
            country: tenant.country,
            setup,
        });
        if let Ok(mut cache) = self.cache.write() {
            cache.insert(
                tenant_id,
                Cached {
                    view: view.clone(),
                    busy: None,
                },
            );
        }
        Ok(view)
    }

    /// Occupied blocks overlapping `[start, end)` as of the view's version; from memory when
    /// the whole bookable range is cached, else from the database (and then cached).
    async fn busy_between(
        &self,
        view: &TenantView,
        start: i64,
        end: i64,
    ) -> Result<Vec<(i64, i64, i64)>, BookingError> {
        let cached = self.cache.read().ok().and_then(|c| {
            c.get(&view.id)
                .filter(|c| c.view.version == view.version)
                .and_then(|c| c.busy.clone())
        });
        let index = match cached {
            Some(i) if i.from <= start && end <= i.to => i,
            _ => {
                let day = 86_400_000;
                let now = self.store.now_ms();
                let from = now - 2 * day;
                let to = now + (view.setup.rules.horizon_days + 3) * day;
                if start < from || end > to {
                    return Ok(self.store.busy_blocks(view.id, start, end, None).await?);
                }
                let mut blocks = self.store.busy_blocks(view.id, from, to, None).await?;
                blocks.sort_by_key(|b| b.1);
                let index = Arc::new(BusyIndex { from, to, blocks });
                if let Ok(mut cache) = self.cache.write() {
                    if let Some(c) = cache
                        .get_mut(&view.id)
                        .filter(|c| c.view.version == view.version)
                    {
                        c.busy = Some(index.clone());
                    }
                }
                index
            }
        };
        // Blocks are shorter than a day: only those starting from a day earlier can overlap.
        let first = index.blocks.partition_point(|b| b.1 < start - 86_400_000);
        Ok(index.blocks[first..]
            .iter()
            .take_while(|b| b.1 < end)
            .filter(|b| b.2 > start)
            .copied()
            .collect())
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
    scored.sort_by_key(|s| std::cmp::Reverse(s.0));
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

    /// The minutes kept free before and after an appointment of `service`: its own buffers,
    /// and after it also the business's gap between appointments.
    pub fn buffers(&self, service: &ServiceRow) -> (i64, i64) {
        (
            service.buffer_before_min,
            service.buffer_after_min + self.setup.rules.buffer_min,
        )
    }

    /// An offered (active) service by id.
    pub fn service_by_id(&self, id: i64) -> Result<&ServiceRow, BookingError> {
        self.setup
            .services
            .iter()
            .find(|s| s.id == id)
            .ok_or_else(|| BookingError::UnknownService {
                asked: format!("#{id}"),
                known: self.setup.services.iter().map(|s| s.name.clone()).collect(),
            })
    }

    /// Staff offering a service: the one with `id` if given, else as [`Self::staff_for`].
    pub fn staff_pick(
        &self,
        service: &ServiceRow,
        name: Option<&str>,
        id: Option<i64>,
    ) -> Result<Vec<&StaffRow>, BookingError> {
        let Some(id) = id else {
            return self.staff_for(service, name);
        };
        let offering = self.staff_for(service, None)?;
        match offering.iter().find(|s| s.id == id) {
            Some(one) => Ok(vec![*one]),
            None => Err(BookingError::UnknownStaff {
                asked: self
                    .setup
                    .staff
                    .iter()
                    .find(|s| s.id == id)
                    .map(|s| s.name.clone())
                    .unwrap_or_else(|| format!("#{id}")),
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
