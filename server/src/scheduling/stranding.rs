//! Which future appointments a set-up change would strand: those that fit the set-up now but
//! would not fit it after the change (the same test call_ended applies to holds), with why.

use super::{Scheduler, TenantView};
use crate::store::appointments::AppointmentRecord;
use crate::store::scheduling::ScheduleSetup;
use crate::store::StoreError;

/// How far ahead appointments are checked (longer than any horizon).
const AHEAD_MS: i64 = 3 * 366 * 86_400_000;

impl TenantView {
    /// The same tenant with another set-up (what a change would make of it).
    pub fn with_setup(&self, setup: ScheduleSetup) -> TenantView {
        TenantView {
            id: self.id,
            version: self.version,
            name: self.name.clone(),
            tz: self.tz.clone(),
            locale: self.locale,
            country: self.country.clone(),
            setup,
        }
    }
}

impl Scheduler {
    /// Future held or booked appointments that fit `view` but not `after`, with the reason.
    pub(super) async fn stranded_by(
        &self,
        view: &TenantView,
        after: ScheduleSetup,
    ) -> Result<Vec<(AppointmentRecord, String)>, StoreError> {
        let now = self.store.now_ms();
        let upcoming = self
            .store
            .appointments_between(view.id, now, now + AHEAD_MS, None)
            .await?;
        let next = view.with_setup(after);
        Ok(upcoming
            .into_iter()
            .filter(|a| a.status.occupies() && view.misfit(a).is_none())
            .filter_map(|a| next.misfit(&a).map(|why| (a, why)))
            .collect())
    }
}
