//! `slotline replay CALL_ID --tenant SLUG`: a stored call re-sent against a scratch copy of
//! the schedule, today's replies beside the original ones.

use crate::error::StartupError;
use crate::store::Store;

/// Replays the call and returns the report to print (JSON with `json`).
pub async fn replay(
    store: &Store,
    slug: &str,
    call_id: &str,
    json: bool,
) -> Result<(String, usize), StartupError> {
    crate::input::call_id("CALL_ID", call_id).map_err(|e| StartupError::Usage(e.to_string()))?;
    let tenant = store
        .tenant_by_slug(slug)
        .await
        .map_err(|e| StartupError::Database(e.to_string()))?
        .ok_or_else(|| StartupError::Usage(format!("no tenant with slug {slug:?}")))?;
    let tz = jiff::tz::TimeZone::get(&tenant.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let result = crate::replay::replay(store, tenant.id, call_id, &tz)
        .await
        .map_err(|e| match e {
            crate::replay::ReplayError::NotFound(_) => StartupError::Usage(e.to_string()),
            other => StartupError::Database(other.to_string()),
        })?;
    if json {
        let text = serde_json::to_string_pretty(&result).unwrap_or_default();
        return Ok((text, result.differing));
    }
    let mut out = format!(
        "call {} replayed from {} ({}): {} of {} steps differ\n",
        result.call_id,
        result.started_local,
        tenant.time_zone,
        result.differing,
        result.steps.len()
    );
    for (i, step) in result.steps.iter().enumerate() {
        let mark = if step.differs { "DIFFERS" } else { "same" };
        out.push_str(&format!(
            "\n{}. {} {} — {mark}\n",
            i + 1,
            step.kind,
            step.name
        ));
        if !step.arguments.is_null() {
            out.push_str(&format!("   arguments: {}\n", step.arguments));
        }
        out.push_str(&format!("   then:  {}\n", step.original));
        out.push_str(&format!("   today: {}\n", step.replayed));
    }
    Ok((out, result.differing))
}
