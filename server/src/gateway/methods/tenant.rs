//! `tenant.*` and `dashboard.*`: the signed-in admin's own tenant (never another one).

use crate::gateway::{store_failure, Access, Ctx, Registry, Services};
use app::contract::{
    codes, DashboardOverview, Locale, NoParams, PhoneNumberInfo, RpcError, TenantSettings,
    TenantUpdate,
};

pub(super) fn register(r: &mut Registry) {
    r.register(
        "tenant.get",
        "Settings and phone numbers of the caller's tenant.",
        Access::Tenant,
        get,
    );
    r.register(
        "tenant.update",
        "Changes name, IANA time zone and language of the caller's tenant.",
        Access::Owner,
        update,
    );
    r.register(
        "dashboard.overview",
        "Figures the dashboard shows for the caller's tenant.",
        Access::Admin,
        overview,
    );
}

async fn get(s: Services, ctx: Ctx, _p: NoParams) -> Result<TenantSettings, RpcError> {
    load(&s, ctx.tenant_id()?).await
}

async fn load(s: &Services, tenant_id: i64) -> Result<TenantSettings, RpcError> {
    let t = s
        .store
        .tenant_by_id(tenant_id)
        .await
        .map_err(store_failure)?
        .ok_or_else(|| RpcError::new(codes::NOT_FOUND, "your tenant no longer exists"))?;
    let phones = s
        .store
        .phone_numbers(tenant_id)
        .await
        .map_err(store_failure)?;
    Ok(TenantSettings {
        id: t.id,
        slug: t.slug,
        name: t.name,
        time_zone: t.time_zone,
        locale: Locale::parse(&t.locale).unwrap_or(Locale::De),
        country: t.country,
        phone_numbers: phones
            .into_iter()
            .map(|p| PhoneNumberInfo {
                e164: p.e164,
                retell_agent_id: p.retell_agent_id,
                label: p.label,
            })
            .collect(),
    })
}

/// Checks that a name is a time zone in the IANA database.
pub fn validate_time_zone(raw: &str) -> Result<String, RpcError> {
    let tz = raw.trim();
    match jiff::tz::TimeZone::get(tz) {
        Ok(_) if !tz.is_empty() => Ok(tz.to_owned()),
        _ => Err(RpcError::invalid_field(
            "time_zone",
            format!("{tz:?} is not an IANA time zone; use a name like Europe/Berlin"),
        )),
    }
}

async fn update(s: Services, ctx: Ctx, p: TenantUpdate) -> Result<TenantSettings, RpcError> {
    let tenant_id = ctx.admin()?.tenant_id;
    let name = p.name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(RpcError::invalid_field(
            "name",
            "enter a business name of 1 to 120 characters",
        ));
    }
    let tz = validate_time_zone(&p.time_zone)?;
    let updated = s
        .store
        .update_tenant_settings(tenant_id, name, &tz, p.locale.as_str())
        .await
        .map_err(store_failure)?;
    if !updated {
        return Err(RpcError::new(
            codes::NOT_FOUND,
            "your tenant no longer exists",
        ));
    }
    load(&s, tenant_id).await
}

async fn overview(s: Services, ctx: Ctx, _p: NoParams) -> Result<DashboardOverview, RpcError> {
    let settings = load(&s, ctx.admin()?.tenant_id).await?;
    let key = s
        .store
        .retell_api_key_sealed(settings.id)
        .await
        .map_err(store_failure)?;
    let local_now = jiff::tz::TimeZone::get(&settings.time_zone)
        .map(|tz| {
            s.store
                .clock()
                .now()
                .to_zoned(tz)
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| "unknown time zone".into());
    Ok(DashboardOverview {
        tenant_name: settings.name,
        time_zone: settings.time_zone,
        local_now,
        phone_numbers: settings.phone_numbers.len() as i64,
        retell_api_key_set: key.is_some(),
        webhook_url: format!("{}/api/webhooks/retell", s.public_url),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_zones_are_checked_against_iana() {
        assert_eq!(
            validate_time_zone(" Europe/Berlin ").unwrap(),
            "Europe/Berlin"
        );
        let err = validate_time_zone("Mars/Olympus").unwrap_err();
        assert_eq!(err.field(), Some("time_zone"));
        assert!(validate_time_zone("").is_err());
    }
}
