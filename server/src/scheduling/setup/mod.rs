//! Set-up changes from the browser: services, staff with weekly hours, days off and extra
//! shifts, closures and booking rules. Each change is checked ([`check`]), then planned
//! against the current schedule version: the future appointments it would strand are listed
//! and, unless the admin confirmed, nothing changes. A confirmed change is written in one
//! transaction with the version bump and the stranded appointments queued for recovery
//! ("Needs attention"); if the schedule moved meanwhile, it is planned again.

pub mod check;
mod dates;

use super::{collected, BookingError, Scheduler, TenantView};
use crate::booking::hours::FieldError;
use crate::store::appointments::AppointmentRecord;
use crate::store::recovery::FailedHold;
use crate::store::scheduling::{ClosureRow, ScheduleSetup};
use crate::store::setup_write::{SetupApplied, SetupChange, Stranded};
use crate::store::StoreError;
use app::contract::{
    codes, ArchiveParams, BookingRulesInfo, RpcError, SaveServiceParams, SaveStaffParams,
};
use std::sync::Arc;

/// How often a change is planned again when the schedule moved while it was written.
const ATTEMPTS: usize = 5;

/// Why a set-up change was not made; mapped to a gateway error in [`SetupError::rpc`].
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// A field is wrong; the sentence says what to fix.
    #[error(transparent)]
    Invalid(#[from] FieldError),
    /// The record does not exist in this business.
    #[error("{0}")]
    NotFound(String),
    /// The schedule kept changing while the change was written.
    #[error("the schedule kept changing while this was saved; please try again")]
    Busy,
    /// Reading the schedule failed.
    #[error(transparent)]
    Booking(#[from] BookingError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SetupError {
    /// The gateway error: a field sentence (-32004 with `data.field`), not found (-32003), or
    /// a store failure.
    pub fn rpc(&self) -> RpcError {
        match self {
            Self::Invalid(e) => RpcError::invalid_field(&e.field, e.message.clone()),
            Self::NotFound(what) => RpcError::new(codes::NOT_FOUND, what.clone()),
            Self::Busy => RpcError::new(codes::WRONG_STATE, self.to_string()),
            Self::Booking(e) => e.rpc(),
            Self::Store(StoreError::Duplicate(what)) => RpcError::invalid_field(
                "name",
                format!("{what} already exists; choose another name"),
            ),
            Self::Store(e) => super::error::store_rpc(e),
        }
    }
}

/// What a change did (or, not applied, what it would strand).
#[derive(Debug)]
pub struct SetupOutcome {
    /// Whether it was written.
    pub applied: bool,
    /// The created or changed record.
    pub id: Option<i64>,
    /// Future appointments it strands (queued for recovery when applied).
    pub affected: Vec<(AppointmentRecord, String)>,
    /// The tenant as of the plan (for local times).
    pub view: Arc<TenantView>,
}

/// How a change alters the set-up the availability engine sees.
type Alter = Box<dyn Fn(&mut ScheduleSetup) + Send + Sync>;

/// A change and how it alters the set-up (None: it cannot strand anything).
struct Plan {
    change: SetupChange,
    after: Option<Alter>,
    label: &'static str,
    missing: String,
}

impl Scheduler {
    /// Plans and, if nothing is stranded or the admin confirmed, writes a change.
    async fn apply(
        &self,
        tenant_id: i64,
        plan: Plan,
        confirm: bool,
        actor: &str,
    ) -> Result<SetupOutcome, SetupError> {
        for _ in 0..ATTEMPTS {
            let view = self.view(tenant_id).await?;
            let affected = match &plan.after {
                Some(alter) => {
                    let mut after = view.setup.clone();
                    alter(&mut after);
                    self.stranded_by(&view, after).await?
                }
                None => Vec::new(),
            };
            if !affected.is_empty() && !confirm {
                return Ok(SetupOutcome {
                    applied: false,
                    id: None,
                    affected,
                    view,
                });
            }
            let stranded: Vec<Stranded> = affected
                .iter()
                .map(|(a, reason)| Stranded {
                    call_id: a.call_id.clone().unwrap_or_default(),
                    hold: FailedHold {
                        appointment_id: a.id,
                        reason: reason.clone(),
                        collected: collected(&view, a),
                    },
                })
                .collect();
            let applied = self
                .store
                .apply_setup(tenant_id, view.version, &plan.change, &stranded, actor)
                .await?;
            match applied {
                SetupApplied::Done(id) => {
                    tracing::info!(
                        tenant_id,
                        actor,
                        change = plan.label,
                        record = id,
                        stranded = stranded.len(),
                        "set-up changed"
                    );
                    return Ok(SetupOutcome {
                        applied: true,
                        id: Some(id),
                        affected,
                        view,
                    });
                }
                SetupApplied::VersionMoved => continue,
                SetupApplied::NotFound => return Err(SetupError::NotFound(plan.missing)),
            }
        }
        Err(SetupError::Busy)
    }

    /// Creates (no id) or edits a service; staff who stop offering it strand their future
    /// appointments of it.
    pub async fn save_service(
        &self,
        tenant_id: i64,
        p: &SaveServiceParams,
        actor: &str,
    ) -> Result<SetupOutcome, SetupError> {
        let services = self.store.service_records(tenant_id).await?;
        let staff = self.store.staff_records(tenant_id).await?;
        let fields = check::service(p, &services, &staff)?;
        let plan = match p.id {
            None => Plan {
                change: SetupChange::CreateService(fields),
                after: None,
                label: "service created",
                missing: String::new(),
            },
            Some(id) => {
                if !services.iter().any(|s| s.id == id) {
                    return Err(SetupError::NotFound(format!("there is no service #{id}")));
                }
                let f = fields.clone();
                Plan {
                    change: SetupChange::UpdateService(id, fields),
                    after: Some(Box::new(move |s: &mut ScheduleSetup| {
                        for st in &mut s.staff {
                            st.service_ids.retain(|x| *x != id);
                            if f.staff_ids.contains(&st.id) {
                                st.service_ids.push(id);
                            }
                        }
                        if let Some(sv) = s.services.iter_mut().find(|x| x.id == id) {
                            sv.buffer_before_min = f.buffer_before_min;
                            sv.buffer_after_min = f.buffer_after_min;
                        }
                    })),
                    label: "service edited",
                    missing: format!("there is no service #{id}"),
                }
            }
        };
        self.apply(tenant_id, plan, p.confirm, actor).await
    }

    /// Archives (strands its future appointments) or restores a service.
    pub async fn archive_service(
        &self,
        tenant_id: i64,
        p: &ArchiveParams,
        actor: &str,
    ) -> Result<SetupOutcome, SetupError> {
        let id = p.id;
        let plan = Plan {
            change: SetupChange::ArchiveService(id, p.restore),
            after: (!p.restore).then(|| {
                Box::new(move |s: &mut ScheduleSetup| s.services.retain(|x| x.id != id)) as _
            }),
            label: if p.restore {
                "service restored"
            } else {
                "service archived"
            },
            missing: format!("there is no service #{id}"),
        };
        self.apply(tenant_id, plan, p.confirm, actor).await
    }

    /// Creates (no id; `feed` is the new calendar-feed token, sealed and hashed) or edits a
    /// staff member; shorter hours or dropped services strand what no longer fits.
    pub async fn save_staff(
        &self,
        tenant_id: i64,
        p: &SaveStaffParams,
        feed: (String, String),
        actor: &str,
    ) -> Result<SetupOutcome, SetupError> {
        let services = self.store.service_records(tenant_id).await?;
        let staff = self.store.staff_records(tenant_id).await?;
        let fields = check::staff(p, &services, &staff)?;
        let plan = match p.id {
            None => Plan {
                change: SetupChange::CreateStaff(fields, feed.0, feed.1),
                after: None,
                label: "staff member created",
                missing: String::new(),
            },
            Some(id) => {
                if !staff.iter().any(|s| s.id == id) {
                    return Err(SetupError::NotFound(format!(
                        "there is no staff member #{id}"
                    )));
                }
                let f = fields.clone();
                Plan {
                    change: SetupChange::UpdateStaff(id, fields),
                    after: Some(Box::new(move |s: &mut ScheduleSetup| {
                        if let Some(st) = s.staff.iter_mut().find(|x| x.id == id) {
                            st.service_ids = f.service_ids.clone();
                            st.hours = f.hours.clone();
                        }
                    })),
                    label: "staff member edited",
                    missing: format!("there is no staff member #{id}"),
                }
            }
        };
        self.apply(tenant_id, plan, p.confirm, actor).await
    }

    /// Archives (strands their future appointments) or restores a staff member.
    pub async fn archive_staff(
        &self,
        tenant_id: i64,
        p: &ArchiveParams,
        actor: &str,
    ) -> Result<SetupOutcome, SetupError> {
        let id = p.id;
        let plan = Plan {
            change: SetupChange::ArchiveStaff(id, p.restore),
            after: (!p.restore).then(|| {
                Box::new(move |s: &mut ScheduleSetup| s.staff.retain(|x| x.id != id)) as _
            }),
            label: if p.restore {
                "staff member restored"
            } else {
                "staff member archived"
            },
            missing: format!("there is no staff member #{id}"),
        };
        self.apply(tenant_id, plan, p.confirm, actor).await
    }

    /// Stores booking rules (they strand nothing: booked times stay as they are).
    pub async fn update_rules(
        &self,
        tenant_id: i64,
        r: &BookingRulesInfo,
        actor: &str,
    ) -> Result<SetupOutcome, SetupError> {
        let plan = Plan {
            change: SetupChange::Rules(check::rules(r)?),
            after: None,
            label: "booking rules changed",
            missing: String::new(),
        };
        self.apply(tenant_id, plan, false, actor).await
    }

    /// Adds a closure `[starts_at, ends_at)` of the business or one staff member.
    async fn closure(
        &self,
        tenant_id: i64,
        closure: ClosureRow,
        reason: String,
        confirm: bool,
        actor: &str,
    ) -> Result<SetupOutcome, SetupError> {
        let fields = crate::store::setup_write::ClosureFields {
            staff_id: closure.staff_id,
            starts_at: closure.starts_at,
            ends_at: closure.ends_at,
            reason,
        };
        let plan = Plan {
            change: SetupChange::AddClosure(fields),
            after: Some(Box::new(move |s: &mut ScheduleSetup| {
                s.closures.push(closure)
            })),
            label: "closure added",
            missing: "there is no such staff member".into(),
        };
        self.apply(tenant_id, plan, confirm, actor).await
    }
}
