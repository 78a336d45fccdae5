//! `slotline create-admin`: an owner or staff account of a tenant, or (`--platform`) a platform
//! admin without one.

use crate::error::StartupError;
use crate::store::Store;

/// Checks an e-mail and a password for a new account; returns the normalised e-mail and the
/// argon2id hash.
fn new_account(email: &str, password: &str) -> Result<(String, String), StartupError> {
    let email = crate::auth::normalize_email(email).ok_or_else(|| {
        StartupError::Usage(format!("--email {email:?} is not an e-mail address"))
    })?;
    if password.chars().count() < crate::auth::MIN_PASSWORD_LEN {
        return Err(StartupError::Usage(format!(
            "the password must have at least {} characters",
            crate::auth::MIN_PASSWORD_LEN
        )));
    }
    let hash = crate::auth::hash_password(password)
        .map_err(|e| StartupError::Usage(format!("cannot hash the password: {e}")))?;
    Ok((email, hash))
}

/// Validates input and creates a platform admin (no tenant); returns the e-mail.
pub async fn create_platform_admin(
    store: &Store,
    email: &str,
    password: &str,
) -> Result<String, StartupError> {
    let (email, hash) = new_account(email, password)?;
    store
        .create_platform_admin(&email, &hash)
        .await
        .map_err(|e| StartupError::Usage(e.to_string()))?;
    Ok(email)
}

/// Validates input and creates an admin; returns (email, tenant slug).
pub async fn create_admin(
    store: &Store,
    email: &str,
    password: &str,
    tenant: Option<&str>,
    role: &str,
) -> Result<(String, String), StartupError> {
    let email = crate::auth::normalize_email(email).ok_or_else(|| {
        StartupError::Usage(format!("--email {email:?} is not an e-mail address"))
    })?;
    if password.chars().count() < crate::auth::MIN_PASSWORD_LEN {
        return Err(StartupError::Usage(format!(
            "the password must have at least {} characters",
            crate::auth::MIN_PASSWORD_LEN
        )));
    }
    let role = app::contract::AdminRole::parse(role)
        .ok_or_else(|| StartupError::Usage(format!("--role {role:?} must be owner or staff")))?;
    let tenant = match tenant {
        Some(slug) => store
            .tenant_by_slug(slug)
            .await
            .map_err(|e| StartupError::Database(e.to_string()))?
            .ok_or_else(|| {
                StartupError::Usage(format!(
                    "no tenant with slug {slug:?}; run `slotline demo` or pick one that exists"
                ))
            })?,
        None => {
            let mut all = store
                .list_tenants()
                .await
                .map_err(|e| StartupError::Database(e.to_string()))?;
            match all.len() {
                1 => all.remove(0),
                0 => {
                    return Err(StartupError::Usage(
                        "no tenant exists yet; run `slotline demo` first or pass --tenant".into(),
                    ))
                }
                _ => {
                    let slugs: Vec<_> = all.iter().map(|t| t.slug.as_str()).collect();
                    return Err(StartupError::Usage(format!(
                        "several tenants exist ({}); pass --tenant <slug>",
                        slugs.join(", ")
                    )));
                }
            }
        }
    };
    let hash = crate::auth::hash_password(password)
        .map_err(|e| StartupError::Usage(format!("cannot hash the password: {e}")))?;
    store
        .create_admin(tenant.id, &email, &hash, role.as_str())
        .await
        .map_err(|e| StartupError::Usage(e.to_string()))?;
    Ok((email, tenant.slug))
}
