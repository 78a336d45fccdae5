//! `slotline tenant create`: a business with nothing set up (its owner then adds services,
//! staff, hours and closures on the Set-up page), optionally with the phone number its Retell
//! agent answers and the Retell API key that signs the agent's requests.

use crate::config::Config;
use crate::crypto::SecretBox;
use crate::error::StartupError;
use crate::store::tenants::{NewTenant, PhoneNumber};
use crate::store::Store;

/// What `tenant create` was given.
#[derive(Debug, Clone, Default)]
pub struct TenantArgs {
    /// URL-safe short name (lower-case letters, digits, `-`).
    pub slug: String,
    /// Business name.
    pub name: String,
    /// IANA time zone.
    pub time_zone: String,
    /// `de` or `en`.
    pub locale: String,
    /// ISO 3166 region for national phone numbers.
    pub country: String,
    /// Number the agent answers, E.164.
    pub phone: Option<String>,
    /// Retell agent id answering it.
    pub agent_id: Option<String>,
    /// Retell API key.
    pub retell_api_key: Option<String>,
}

fn usage(message: impl Into<String>) -> StartupError {
    StartupError::Usage(message.into())
}

/// Checks the arguments and creates the tenant; returns the line to print.
pub async fn create_tenant(
    store: &Store,
    config: &Config,
    a: &TenantArgs,
) -> Result<String, StartupError> {
    let slug = a.slug.trim();
    let slug_ok = (1..=40).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !slug_ok {
        return Err(usage(
            "--slug must be 1 to 40 lower-case letters, digits or dashes",
        ));
    }
    let name = a.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(usage("--name must be 1 to 200 characters"));
    }
    if jiff::tz::TimeZone::get(&a.time_zone).is_err() {
        return Err(usage(format!(
            "--time-zone {:?} is not an IANA time zone like Europe/Berlin",
            a.time_zone
        )));
    }
    if app::contract::Locale::parse(&a.locale).is_none() {
        return Err(usage("--locale must be de or en"));
    }
    let country = a.country.trim().to_ascii_uppercase();
    if country.parse::<phonenumber::country::Id>().is_err() {
        return Err(usage(format!(
            "--country {country:?} is not a region like DE"
        )));
    }
    if let Some(phone) = &a.phone {
        crate::input::e164("--phone", phone).map_err(|e| usage(e.to_string()))?;
    }
    if let Some(agent) = &a.agent_id {
        crate::input::agent_id("--agent-id", agent).map_err(|e| usage(e.to_string()))?;
        if a.phone.is_none() {
            return Err(usage("--agent-id needs the --phone number it answers"));
        }
    }
    let db = |e: crate::store::StoreError| match e {
        crate::store::StoreError::Duplicate(what) => usage(format!("{what} already exists")),
        other => StartupError::Database(other.to_string()),
    };
    let id = store
        .create_tenant(&NewTenant {
            slug,
            name,
            time_zone: &a.time_zone,
            locale: &a.locale,
            country: &country,
        })
        .await
        .map_err(db)?;
    if let Some(phone) = &a.phone {
        let number = PhoneNumber {
            e164: phone.clone(),
            retell_agent_id: a.agent_id.clone(),
            label: "main".into(),
        };
        store.add_phone_number(id, &number).await.map_err(db)?;
    }
    if let Some(key) = a.retell_api_key.as_deref().map(str::trim) {
        if key.is_empty() {
            return Err(usage("--retell-api-key must not be empty"));
        }
        let sealed = SecretBox::new(&config.secret_key).seal_for(id, key);
        store
            .set_retell_api_key_sealed(id, &sealed)
            .await
            .map_err(db)?;
    }
    Ok(format!(
        "tenant {slug} created; add an owner with `slotline create-admin --tenant {slug} --email …`, \
         then set up services, staff and hours at {}/admin/setup",
        config.public_url
    ))
}
