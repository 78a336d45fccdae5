//! `slotline demo`: seeds the demo tenant (a hair salon in Berlin) idempotently and reports
//! how to sign in and how to point a Retell agent at it.

use crate::auth;
use crate::config::{write_private_file, Config};
use crate::crypto::SecretBox;
use crate::error::StartupError;
use crate::store::tenants::{NewTenant, PhoneNumber};
use crate::store::Store;

pub mod salon;

/// Slug of the demo tenant.
pub const DEMO_SLUG: &str = "demo";
/// Login of the demo admin.
pub const DEMO_ADMIN_EMAIL: &str = "demo@slotline.local";
/// The demo salon's phone number (E.164), as in the Retell samples.
pub const DEMO_PHONE: &str = "+493012345670";
/// The demo Retell agent id, as in the Retell samples.
pub const DEMO_AGENT_ID: &str = "agent_3f9c2a7b1d4e5f60718293a4";

fn db(e: impl std::fmt::Display) -> StartupError {
    StartupError::Database(e.to_string())
}

/// Seeds (or finds) the demo tenant, its admin and Retell key; returns the report to print.
pub async fn seed(
    store: &Store,
    config: &Config,
    retell_api_key: Option<&str>,
) -> Result<String, StartupError> {
    let secrets = SecretBox::new(&config.secret_key);
    let tenant_id = match store.tenant_by_slug(DEMO_SLUG).await.map_err(db)? {
        Some(t) => t.id,
        None => {
            let id = store
                .create_tenant(&NewTenant {
                    slug: DEMO_SLUG,
                    name: "Salon Sonnenschein",
                    time_zone: "Europe/Berlin",
                    locale: "de",
                    country: "DE",
                })
                .await
                .map_err(db)?;
            store
                .add_phone_number(
                    id,
                    &PhoneNumber {
                        e164: DEMO_PHONE.into(),
                        retell_agent_id: Some(DEMO_AGENT_ID.into()),
                        label: "Rezeption".into(),
                    },
                )
                .await
                .map_err(db)?;
            id
        }
    };

    let stored_key = match store.retell_api_key_sealed(tenant_id).await.map_err(db)? {
        Some(sealed) => Some(secrets.open_for(tenant_id, &sealed).map_err(db)?),
        None => None,
    };
    let api_key = match (retell_api_key, stored_key) {
        (Some(given), Some(stored)) if given == stored => stored,
        (Some(given), _) => {
            let given = given.trim();
            if given.is_empty() {
                return Err(StartupError::Usage(
                    "--retell-api-key must not be empty".into(),
                ));
            }
            store
                .set_retell_api_key_sealed(tenant_id, &secrets.seal_for(tenant_id, given))
                .await
                .map_err(db)?;
            given.to_owned()
        }
        (None, Some(stored)) => stored,
        (None, None) => {
            let generated = format!("key_{}", hex::encode(rand::random::<[u8; 16]>()));
            store
                .set_retell_api_key_sealed(tenant_id, &secrets.seal_for(tenant_id, &generated))
                .await
                .map_err(db)?;
            generated
        }
    };

    let password = ensure_demo_admin(store, config, tenant_id).await?;
    let tz = jiff::tz::TimeZone::get("Europe/Berlin").map_err(db)?;
    let today = store.clock().now().to_zoned(tz.clone()).date();
    salon::seed(store, &secrets, tenant_id, today, &tz)
        .await
        .map_err(db)?;
    let services: Vec<&str> = salon::SERVICES
        .iter()
        .filter(|s| s.4)
        .map(|s| s.0)
        .collect();
    let mut feeds = String::new();
    for (_, name, sealed) in store.staff_feeds(tenant_id).await.map_err(db)? {
        let token = secrets.open_for(tenant_id, &sealed).map_err(db)?;
        feeds.push_str(&format!(
            "\n\x20   {name}: {url}/calendar/{token}.ics",
            url = config.public_url
        ));
    }
    Ok(format!(
        "Demo tenant \"Salon Sonnenschein\" (slug {DEMO_SLUG}, Europe/Berlin) is ready.\n\
         \x20 Admin login:     {DEMO_ADMIN_EMAIL} / {password}\n\
         \x20 Dashboard:       {url}/admin\n\
         \x20 Phone number:    {DEMO_PHONE}\n\
         \x20 Retell agent id: {DEMO_AGENT_ID}\n\
         \x20 Retell API key:  {api_key}\n\
         \x20 Webhook URL:     {url}/api/webhooks/retell\n\
         \x20 Functions URL:   {url}/api/mcp/gateway/retell/functions/<check_availability|collect_appointment|change_appointment|cancel_appointment>\n\
         \x20 Services (phone): {services}\n\
         \x20 Staff calendars (secret .ics links):{feeds}",
        services = services.join(", "),
        url = config.public_url
    ))
}

/// Creates the demo admin with a random password kept in the data directory (mode 0600);
/// returns the password.
async fn ensure_demo_admin(
    store: &Store,
    config: &Config,
    tenant_id: i64,
) -> Result<String, StartupError> {
    let path = config.data_dir.join("demo-admin-password");
    let remembered = std::fs::read_to_string(&path)
        .ok()
        .map(|s| s.trim().to_owned());
    let existing = store.admin_by_email(DEMO_ADMIN_EMAIL).await.map_err(db)?;
    match (existing, remembered) {
        (Some(admin), Some(pw)) if auth::verify_password(&pw, &admin.password_hash) => Ok(pw),
        (Some(admin), _) => {
            let pw = auth::random_password();
            let hash = auth::hash_password(&pw).map_err(db)?;
            store
                .set_admin_password(admin.id, &hash)
                .await
                .map_err(db)?;
            write_private_file(&path, pw.as_bytes())?;
            Ok(pw)
        }
        (None, _) => {
            let pw = auth::random_password();
            let hash = auth::hash_password(&pw).map_err(db)?;
            store
                .create_admin(tenant_id, DEMO_ADMIN_EMAIL, &hash, "owner")
                .await
                .map_err(db)?;
            write_private_file(&path, pw.as_bytes())?;
            Ok(pw)
        }
    }
}
