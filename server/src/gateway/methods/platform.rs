//! `platform.*`: a platform admin lists, creates, renames, suspends and resumes tenants,
//! switches into one to help it (every switch is written to the audit log with their e-mail)
//! and reads the audit log. Only [`Access::Platform`] reaches these methods.

use super::admin::info;
use super::users::invalid;
use super::{local, local_at};
use crate::gateway::{invalid_input, store_failure, Access, Ctx, Registry, Services};
use crate::store::platform::{AuditEntry, PlatformTenantRow};
use crate::store::tenants::NewTenant;
use crate::store::StoreError;
use app::contract::{
    codes, AdminInfo, AuditEntryInfo, AuditListParams, Locale, NoParams, PlatformTenant,
    PlatformTenantCreate, PlatformTenantRename, RpcError, TenantRef,
};

pub(super) fn register(r: &mut Registry) {
    r.register(
        "platform.tenants.list",
        "Every tenant with its time zone, language, number of users and whether it is suspended.",
        Access::Platform,
        list,
    );
    r.register(
        "platform.tenants.create",
        "Creates a tenant (business) with a name, an optional slug, an IANA time zone and a \
         language (de by default); it has no users until some are added.",
        Access::Platform,
        create,
    );
    r.register(
        "platform.tenants.rename",
        "Renames a tenant.",
        Access::Platform,
        rename,
    );
    r.register(
        "platform.tenants.suspend",
        "Suspends a tenant: its users cannot sign in and their sessions end, its API tokens are \
         refused, its phone functions answer with a polite refusal; webhooks are still stored.",
        Access::Platform,
        suspend,
    );
    r.register(
        "platform.tenants.resume",
        "Ends a tenant's suspension.",
        Access::Platform,
        resume,
    );
    r.register(
        "platform.tenants.switch",
        "Acts in a tenant as its owner with this session until platform.tenants.leave; audited.",
        Access::Platform,
        switch,
    );
    r.register(
        "platform.tenants.leave",
        "Stops acting in a tenant (back to the platform view); audited.",
        Access::Platform,
        leave,
    );
    r.register(
        "platform.audit.list",
        "The newest lines of the audit log (platform changes, switches, users, passwords), of \
         one tenant or all.",
        Access::Platform,
        audit_list,
    );
}

/// The platform's view of a stored tenant.
fn tenant_info(row: PlatformTenantRow) -> PlatformTenant {
    let tz = jiff::tz::TimeZone::get(&row.tenant.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    PlatformTenant {
        id: row.tenant.id,
        slug: row.tenant.slug,
        name: row.tenant.name,
        time_zone: row.tenant.time_zone,
        locale: Locale::parse(&row.tenant.locale).unwrap_or(Locale::De),
        suspended: row.suspended_at.is_some(),
        suspended_local: row.suspended_at.and_then(|ms| local(ms, &tz)),
        users: row.users,
        created_local: local(row.created_at, &tz).unwrap_or_default(),
    }
}

/// -32003 for a tenant id that does not exist.
fn no_tenant() -> RpcError {
    RpcError {
        code: codes::NOT_FOUND,
        message: "there is no tenant with this id".into(),
        data: Some(serde_json::json!({ "field": "tenant_id" })),
    }
}

/// One tenant as the platform sees it, or -32003.
async fn load(s: &Services, id: i64) -> Result<PlatformTenant, RpcError> {
    s.store
        .platform_tenant(id)
        .await
        .map_err(store_failure)?
        .map(tenant_info)
        .ok_or_else(no_tenant)
}

/// A business name: trimmed, 1–120 characters of plain text.
fn business_name(method: &str, raw: &str) -> Result<String, RpcError> {
    crate::input::text("name", raw, 1_000).map_err(invalid_input)?;
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(invalid(
            method,
            "name",
            "enter a business name of 1 to 120 characters",
        ));
    }
    Ok(name.to_owned())
}

/// A slug from a name: lower-case ASCII letters and digits, other runs become one dash.
pub fn slug_from(name: &str) -> String {
    let mut slug = String::new();
    for c in name.to_lowercase().chars() {
        let c = match c {
            'ä' => "ae".to_owned(),
            'ö' => "oe".to_owned(),
            'ü' => "ue".to_owned(),
            'ß' => "ss".to_owned(),
            c if c.is_ascii_alphanumeric() => c.to_string(),
            _ => "-".to_owned(),
        };
        if c == "-" && (slug.is_empty() || slug.ends_with('-')) {
            continue;
        }
        slug.push_str(&c);
    }
    slug.truncate(40);
    slug.trim_end_matches('-').to_owned()
}

/// Whether a slug has the allowed form.
fn slug_ok(slug: &str) -> bool {
    (1..=40).contains(&slug.len())
        && !slug.starts_with('-')
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

async fn list(s: Services, _ctx: Ctx, _p: NoParams) -> Result<Vec<PlatformTenant>, RpcError> {
    let rows = s.store.platform_tenants().await.map_err(store_failure)?;
    Ok(rows.into_iter().map(tenant_info).collect())
}

async fn create(
    s: Services,
    ctx: Ctx,
    p: PlatformTenantCreate,
) -> Result<PlatformTenant, RpcError> {
    const METHOD: &str = "platform.tenants.create";
    let actor = ctx.account()?.email.to_owned();
    let name = business_name(METHOD, &p.name)?;
    let slug = match p.slug.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(given) => given.to_owned(),
        None => slug_from(&name),
    };
    if !slug_ok(&slug) {
        return Err(invalid(
            METHOD,
            "slug",
            "use 1 to 40 lower-case letters, digits or dashes, e.g. friseur-mueller",
        ));
    }
    let zone = p.time_zone.trim();
    if zone.is_empty() || jiff::tz::TimeZone::get(zone).is_err() {
        let shown: String = zone.chars().take(64).collect();
        return Err(invalid(
            METHOD,
            "time_zone",
            &format!("{shown:?} is not an IANA time zone; use a name like Europe/Berlin"),
        ));
    }
    let id = s
        .store
        .create_tenant(&NewTenant {
            slug: &slug,
            name: &name,
            time_zone: zone,
            locale: p.locale.as_str(),
            country: "DE",
        })
        .await
        .map_err(|e| match e {
            StoreError::Duplicate(_) => invalid(
                METHOD,
                "slug",
                &format!("a tenant with the slug {slug:?} exists already; choose another"),
            ),
            other => store_failure(other),
        })?;
    let detail = format!(
        "tenant {slug} created ({name}, {zone}, {})",
        p.locale.as_str()
    );
    s.store
        .record_audit(&AuditEntry {
            tenant_id: Some(id),
            actor: &actor,
            action: METHOD,
            detail: &detail,
        })
        .await
        .map_err(store_failure)?;
    tracing::info!(tenant_id = id, %actor, %detail, "audit: tenant created");
    load(&s, id).await
}

async fn rename(
    s: Services,
    ctx: Ctx,
    p: PlatformTenantRename,
) -> Result<PlatformTenant, RpcError> {
    const METHOD: &str = "platform.tenants.rename";
    let actor = ctx.account()?.email;
    let name = business_name(METHOD, &p.name)?;
    let detail = format!("renamed to {name}");
    let audit = AuditEntry {
        tenant_id: Some(p.tenant_id),
        actor,
        action: METHOD,
        detail: &detail,
    };
    if !s
        .store
        .rename_tenant(p.tenant_id, &name, &audit)
        .await
        .map_err(store_failure)?
    {
        return Err(no_tenant());
    }
    tracing::info!(tenant_id = p.tenant_id, %actor, %detail, "audit: tenant renamed");
    load(&s, p.tenant_id).await
}

/// Suspends or resumes a tenant; the Retell routes see it with their next request.
async fn set_suspended(
    s: &Services,
    ctx: &Ctx,
    tenant_id: i64,
    suspended: bool,
) -> Result<PlatformTenant, RpcError> {
    let (action, detail) = if suspended {
        ("platform.tenants.suspend", "suspended")
    } else {
        ("platform.tenants.resume", "resumed")
    };
    let actor = ctx.account()?.email;
    let audit = AuditEntry {
        tenant_id: Some(tenant_id),
        actor,
        action,
        detail,
    };
    if !s
        .store
        .set_tenant_suspended(tenant_id, suspended, &audit)
        .await
        .map_err(store_failure)?
    {
        return Err(no_tenant());
    }
    s.hooks.forget_cached_keys();
    tracing::info!(tenant_id, %actor, action, "audit: tenant {detail}");
    load(s, tenant_id).await
}

async fn suspend(s: Services, ctx: Ctx, p: TenantRef) -> Result<PlatformTenant, RpcError> {
    set_suspended(&s, &ctx, p.tenant_id, true).await
}

async fn resume(s: Services, ctx: Ctx, p: TenantRef) -> Result<PlatformTenant, RpcError> {
    set_suspended(&s, &ctx, p.tenant_id, false).await
}

/// Sets the tenant the session acts in (None: none) and writes the audit line with it.
async fn act_in(
    s: &Services,
    ctx: &Ctx,
    tenant: Option<&PlatformTenant>,
) -> Result<AdminInfo, RpcError> {
    let account = ctx.account()?;
    let (action, detail) = match tenant {
        Some(t) => (
            "platform.tenants.switch",
            format!("switched into {} ({})", t.slug, t.name),
        ),
        None => ("platform.tenants.leave", "back to the platform view".into()),
    };
    let audit = AuditEntry {
        tenant_id: tenant.map(|t| t.id).or(account.tenant_id),
        actor: account.email,
        action,
        detail: &detail,
    };
    if !s
        .store
        .set_session_tenant(account.session_hash, tenant.map(|t| t.id), &audit)
        .await
        .map_err(store_failure)?
    {
        return Err(RpcError::unauthorized(
            "your session has expired; sign in again",
        ));
    }
    tracing::info!(admin_id = account.admin_id, actor = account.email, %detail, "audit: platform admin {action}");
    let mut me = info(ctx)?;
    me.tenant_id = tenant.map(|t| t.id);
    me.tenant_name = tenant.map(|t| t.name.clone());
    me.role = app::contract::AdminRole::Owner;
    Ok(me)
}

async fn switch(s: Services, ctx: Ctx, p: TenantRef) -> Result<AdminInfo, RpcError> {
    let tenant = load(&s, p.tenant_id).await?;
    act_in(&s, &ctx, Some(&tenant)).await
}

async fn leave(s: Services, ctx: Ctx, _p: NoParams) -> Result<AdminInfo, RpcError> {
    act_in(&s, &ctx, None).await
}

async fn audit_list(
    s: Services,
    _ctx: Ctx,
    p: AuditListParams,
) -> Result<Vec<AuditEntryInfo>, RpcError> {
    let limit = p.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(invalid("platform.audit.list", "limit", "must be 1 to 500"));
    }
    let rows = s
        .store
        .audit_entries(p.tenant_id, i64::from(limit))
        .await
        .map_err(store_failure)?;
    Ok(rows
        .into_iter()
        .map(|r| AuditEntryInfo {
            id: r.id,
            tenant_id: r.tenant_id,
            actor: r.actor,
            action: r.action,
            detail: r.detail,
            at_utc: jiff::Timestamp::from_millisecond(r.created_at)
                .map(|ts| local_at(ts, &jiff::tz::TimeZone::UTC))
                .unwrap_or_default(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_made_from_names() {
        assert_eq!(slug_from("Friseur Müller"), "friseur-mueller");
        assert_eq!(slug_from("  Praxis Dr. Weiß & Co. "), "praxis-dr-weiss-co");
        assert_eq!(slug_from("!!!"), "");
        assert!(slug_ok("a-1"));
        assert!(!slug_ok("-a"));
        assert!(!slug_ok("A"));
        assert!(!slug_ok(""));
    }
}
