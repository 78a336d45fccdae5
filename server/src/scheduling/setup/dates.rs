//! Set-up on the calendar: a staff member's day off or extra shift on one date, and closures
//! of the business or of one staff member. A day off or a closure strands the appointments it
//! covers; removing an extra shift strands those booked in it.

use super::{check, Plan, SetupError, SetupOutcome};
use crate::booking::hours::{closure_span, hhmm, parse_date, parse_time, refuse};
use crate::scheduling::Scheduler;
use crate::store::scheduling::{ClosureRow, ScheduleSetup};
use crate::store::setup_write::{ExceptionFields, SetupChange};
use app::contract::{AddClosureParams, AddExceptionParams, ExceptionKind, RemoveParams};

impl Scheduler {
    /// Adds a day off (strands that day's appointments) or an extra shift (must not overlap
    /// the weekly hours or another shift that day) for a staff member.
    pub async fn add_exception(
        &self,
        tenant_id: i64,
        p: &AddExceptionParams,
        actor: &str,
    ) -> Result<SetupOutcome, SetupError> {
        let view = self.view(tenant_id).await?;
        let staff = self.store.staff_records(tenant_id).await?;
        let Some(member) = staff.iter().find(|s| s.id == p.staff_id) else {
            return Err(
                refuse("staff_id", "there is no such staff member in this business").into(),
            );
        };
        let day = parse_date("date", &p.date)?;
        let today = self.store.clock().now().to_zoned(view.tz.clone()).date();
        if day < today {
            return Err(refuse("date", "that date has passed; choose today or later").into());
        }
        let reason = check::text("reason", &p.reason, check::MAX_REASON, "")?;
        let existing = self
            .store
            .exceptions(tenant_id, self.store.now_ms())
            .await?;
        let same_day: Vec<_> = existing
            .iter()
            .filter(|e| e.staff_id == member.id && e.day == day)
            .collect();
        if same_day.iter().any(|e| e.kind == "off") {
            return Err(refuse("date", format!("{} already has that day off", member.name)).into());
        }
        let (kind, start, end) = match p.kind {
            ExceptionKind::Off => ("off", 0, 1440),
            ExceptionKind::Extra => {
                let Some(t) = &p.time else {
                    return Err(refuse("time", "give the extra shift's start and end").into());
                };
                let start = parse_time("time.start", &t.start, false)?;
                let end = parse_time("time.end", &t.end, true)?;
                if end <= start {
                    let msg = format!("{} must be after {}", hhmm(end), hhmm(start));
                    return Err(refuse("time.end", msg).into());
                }
                let weekday = i64::from(day.weekday().to_monday_one_offset());
                let weekly = member
                    .hours
                    .iter()
                    .filter(|h| h.0 == weekday)
                    .map(|h| (h.1, h.2));
                let extra = same_day.iter().map(|e| (e.start_min, e.end_min));
                if let Some((a, b)) = weekly.chain(extra).find(|(a, b)| *a < end && start < *b) {
                    let msg = format!(
                        "{}–{} overlaps {}'s time {}–{} that day",
                        hhmm(start),
                        hhmm(end),
                        member.name,
                        hhmm(a),
                        hhmm(b)
                    );
                    return Err(refuse("time", msg).into());
                }
                ("extra", start, end)
            }
        };
        let staff_id = member.id;
        let fields = ExceptionFields {
            staff_id,
            day,
            kind,
            start_min: start,
            end_min: end,
            reason,
        };
        let plan = Plan {
            change: SetupChange::AddException(fields),
            after: (kind == "off").then(|| {
                Box::new(move |s: &mut ScheduleSetup| {
                    if let Some(st) = s.staff.iter_mut().find(|x| x.id == staff_id) {
                        st.off.push(day);
                    }
                }) as _
            }),
            label: "staff exception added",
            missing: "there is no such staff member in this business".into(),
        };
        self.apply(tenant_id, plan, p.confirm, actor).await
    }

    /// Removes a day off or extra shift (removing a shift strands what was booked in it).
    pub async fn remove_exception(
        &self,
        tenant_id: i64,
        p: &RemoveParams,
        actor: &str,
    ) -> Result<SetupOutcome, SetupError> {
        let existing = self
            .store
            .exceptions(tenant_id, self.store.now_ms())
            .await?;
        let missing = format!("there is no upcoming day off or extra shift #{}", p.id);
        let Some(e) = existing.into_iter().find(|e| e.id == p.id) else {
            return Err(SetupError::NotFound(missing));
        };
        let plan = Plan {
            change: SetupChange::RemoveException(e.id),
            after: (e.kind == "extra").then(|| {
                Box::new(move |s: &mut ScheduleSetup| {
                    if let Some(st) = s.staff.iter_mut().find(|x| x.id == e.staff_id) {
                        st.extra.retain(|x| *x != (e.day, e.start_min, e.end_min));
                    }
                }) as _
            }),
            label: "staff exception removed",
            missing,
        };
        self.apply(tenant_id, plan, p.confirm, actor).await
    }

    /// Adds a closure of the business or of one staff member, with a reason.
    pub async fn add_closure(
        &self,
        tenant_id: i64,
        p: &AddClosureParams,
        actor: &str,
    ) -> Result<SetupOutcome, SetupError> {
        let view = self.view(tenant_id).await?;
        if let Some(id) = p.staff_id {
            let staff = self.store.staff_records(tenant_id).await?;
            if !staff.iter().any(|s| s.id == id) {
                return Err(
                    refuse("staff_id", "there is no such staff member in this business").into(),
                );
            }
        }
        let (starts_at, ends_at) = closure_span(&view.tz, &p.from, &p.to)?;
        if ends_at <= self.store.now_ms() {
            return Err(refuse("to", "that time is over already; choose a future closure").into());
        }
        let reason = check::text(
            "reason",
            &p.reason,
            check::MAX_REASON,
            "say why, e.g. \"holiday\" or \"training\"",
        )?;
        let row = ClosureRow {
            staff_id: p.staff_id,
            starts_at,
            ends_at,
        };
        self.closure(tenant_id, row, reason, p.confirm, actor).await
    }

    /// Removes a closure (strands nothing).
    pub async fn remove_closure(
        &self,
        tenant_id: i64,
        p: &RemoveParams,
        actor: &str,
    ) -> Result<SetupOutcome, SetupError> {
        let plan = Plan {
            change: SetupChange::RemoveClosure(p.id),
            after: None,
            label: "closure removed",
            missing: format!("there is no closure #{}", p.id),
        };
        self.apply(tenant_id, plan, false, actor).await
    }
}
