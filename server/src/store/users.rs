//! A tenant's admin users and invitations (owner or staff), their removal and roles, and
//! password changes. Every query is scoped by the tenant id the gateway decided on; every
//! change writes its audit line in the same transaction.

use super::platform::{insert_audit, AuditEntry};
use super::{duplicate_as, Store, StoreError};
use sqlx::Row;

/// An admin user of a tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantUser {
    /// Id.
    pub id: i64,
    /// Login e-mail.
    pub email: String,
    /// `owner` or `staff`.
    pub role: String,
    /// Created (UTC ms).
    pub created_at: i64,
}

/// A pending invitation of a tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationRow {
    /// Id.
    pub id: i64,
    /// Tenant.
    pub tenant_id: i64,
    /// The tenant's name.
    pub tenant_name: String,
    /// Whether the tenant is suspended.
    pub suspended: bool,
    /// Invited e-mail.
    pub email: String,
    /// `owner` or `staff`.
    pub role: String,
    /// Expires (UTC ms).
    pub expires_at: i64,
    /// Accepted (UTC ms), if it was.
    pub accepted_at: Option<i64>,
}

/// A new user or invitation: who and with which role.
#[derive(Debug, Clone, Copy)]
pub struct NewUser<'a> {
    /// Tenant.
    pub tenant_id: i64,
    /// Lower-case e-mail.
    pub email: &'a str,
    /// `owner` or `staff`.
    pub role: &'a str,
}

/// How a change of a user went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserChange {
    /// Done.
    Done,
    /// The tenant has no user with this id.
    NotFound,
    /// It would leave the tenant without an owner.
    LastOwner,
}

const INVITATION_SELECT: &str = "SELECT i.id, i.tenant_id, t.name AS tenant_name, \
     t.suspended_at, i.email, i.role, i.expires_at, i.accepted_at \
     FROM admin_invitations i JOIN tenants t ON t.id = i.tenant_id";

fn invitation_from(r: &sqlx::any::AnyRow) -> Result<InvitationRow, sqlx::Error> {
    Ok(InvitationRow {
        id: r.try_get("id")?,
        tenant_id: r.try_get("tenant_id")?,
        tenant_name: r.try_get("tenant_name")?,
        suspended: r.try_get::<Option<i64>, _>("suspended_at")?.is_some(),
        email: r.try_get("email")?,
        role: r.try_get("role")?,
        expires_at: r.try_get("expires_at")?,
        accepted_at: r.try_get("accepted_at")?,
    })
}

/// True when the tenant keeps another owner besides `user_id`.
async fn other_owner(
    conn: &mut sqlx::AnyConnection,
    tenant_id: i64,
    user_id: i64,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM admin_users \
         WHERE tenant_id = $1 AND role = 'owner' AND id <> $2",
    )
    .bind(tenant_id)
    .bind(user_id)
    .fetch_one(conn)
    .await?
    .try_get("n")?;
    Ok(n > 0)
}

impl Store {
    /// The tenant's users, owners first, then by e-mail.
    pub async fn tenant_users(&self, tenant_id: i64) -> Result<Vec<TenantUser>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, email, role, created_at FROM admin_users WHERE tenant_id = $1 \
             ORDER BY CASE role WHEN 'owner' THEN 0 ELSE 1 END, email",
        )
        .bind(tenant_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(TenantUser {
                    id: r.try_get("id")?,
                    email: r.try_get("email")?,
                    role: r.try_get("role")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// The tenant's invitations not yet accepted (expired ones too), newest first.
    pub async fn pending_invitations(
        &self,
        tenant_id: i64,
    ) -> Result<Vec<InvitationRow>, StoreError> {
        let rows = sqlx::query(&format!(
            "{INVITATION_SELECT} WHERE i.tenant_id = $1 AND i.accepted_at IS NULL \
             ORDER BY i.id DESC"
        ))
        .bind(tenant_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.iter().map(invitation_from).collect::<Result<_, _>>()?)
    }

    /// Creates a user of the tenant with a password hash, and its audit line.
    pub async fn create_tenant_user(
        &self,
        user: &NewUser<'_>,
        password_hash: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<i64, StoreError> {
        let now = self.now_ms();
        let mut tx = self.pool().begin().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO admin_users (tenant_id, email, password_hash, role, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(user.tenant_id)
        .bind(user.email)
        .bind(password_hash)
        .bind(user.role)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(duplicate_as("an admin with this e-mail"))?
        .try_get("id")?;
        insert_audit(&mut tx, audit, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Stores an invitation (only the token's hash), replacing the tenant's earlier pending
    /// invitations of the same e-mail, and its audit line; returns its id.
    pub async fn create_invitation(
        &self,
        user: &NewUser<'_>,
        token_hash: &str,
        expires_at: i64,
        audit: &AuditEntry<'_>,
    ) -> Result<i64, StoreError> {
        let now = self.now_ms();
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "DELETE FROM admin_invitations \
             WHERE tenant_id = $1 AND email = $2 AND accepted_at IS NULL",
        )
        .bind(user.tenant_id)
        .bind(user.email)
        .execute(&mut *tx)
        .await?;
        let id: i64 = sqlx::query(
            "INSERT INTO admin_invitations \
             (tenant_id, email, role, token_hash, created_by, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(user.tenant_id)
        .bind(user.email)
        .bind(user.role)
        .bind(token_hash)
        .bind(audit.actor)
        .bind(now)
        .bind(expires_at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        insert_audit(&mut tx, audit, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The invitation a token belongs to (accepted or expired ones too).
    pub async fn invitation_by_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<InvitationRow>, StoreError> {
        let row = sqlx::query(&format!("{INVITATION_SELECT} WHERE i.token_hash = $1"))
            .bind(token_hash)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.as_ref().map(invitation_from).transpose()?)
    }

    /// Uses an invitation once: marks it accepted and creates its user in one transaction.
    /// `None` when it was already used or has expired.
    pub async fn accept_invitation(
        &self,
        invitation: &InvitationRow,
        password_hash: &str,
    ) -> Result<Option<i64>, StoreError> {
        let now = self.now_ms();
        let mut tx = self.pool().begin().await?;
        let used = sqlx::query(
            "UPDATE admin_invitations SET accepted_at = $1 \
             WHERE id = $2 AND accepted_at IS NULL AND expires_at > $1",
        )
        .bind(now)
        .bind(invitation.id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if used == 0 {
            return Ok(None);
        }
        let id: i64 = sqlx::query(
            "INSERT INTO admin_users (tenant_id, email, password_hash, role, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(invitation.tenant_id)
        .bind(&invitation.email)
        .bind(password_hash)
        .bind(&invitation.role)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(duplicate_as("an admin with this e-mail"))?
        .try_get("id")?;
        let audit = AuditEntry {
            tenant_id: Some(invitation.tenant_id),
            actor: &invitation.email,
            action: "admin.invitation.accept",
            detail: &format!("{} joined as {}", invitation.email, invitation.role),
        };
        insert_audit(&mut tx, &audit, now).await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    /// Removes a user of the tenant (their sessions end with them), unless they are its last
    /// owner.
    pub async fn remove_tenant_user(
        &self,
        tenant_id: i64,
        user_id: i64,
        audit: &AuditEntry<'_>,
    ) -> Result<UserChange, StoreError> {
        let mut tx = self.pool().begin().await?;
        let role: Option<String> =
            sqlx::query("SELECT role FROM admin_users WHERE id = $1 AND tenant_id = $2")
                .bind(user_id)
                .bind(tenant_id)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.try_get("role"))
                .transpose()?;
        match role.as_deref() {
            None => return Ok(UserChange::NotFound),
            Some("owner") if !other_owner(&mut tx, tenant_id, user_id).await? => {
                return Ok(UserChange::LastOwner)
            }
            Some(_) => {}
        }
        sqlx::query("DELETE FROM admin_sessions WHERE admin_user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM admin_users WHERE id = $1 AND tenant_id = $2")
            .bind(user_id)
            .bind(tenant_id)
            .execute(&mut *tx)
            .await?;
        insert_audit(&mut tx, audit, self.now_ms()).await?;
        tx.commit().await?;
        Ok(UserChange::Done)
    }

    /// Gives a user of the tenant another role, unless that leaves it without an owner.
    pub async fn set_tenant_user_role(
        &self,
        tenant_id: i64,
        user_id: i64,
        role: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<UserChange, StoreError> {
        let mut tx = self.pool().begin().await?;
        let current: Option<String> =
            sqlx::query("SELECT role FROM admin_users WHERE id = $1 AND tenant_id = $2")
                .bind(user_id)
                .bind(tenant_id)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.try_get("role"))
                .transpose()?;
        match current.as_deref() {
            None => return Ok(UserChange::NotFound),
            Some("owner")
                if role != "owner" && !other_owner(&mut tx, tenant_id, user_id).await? =>
            {
                return Ok(UserChange::LastOwner)
            }
            Some(_) => {}
        }
        sqlx::query("UPDATE admin_users SET role = $1 WHERE id = $2 AND tenant_id = $3")
            .bind(role)
            .bind(user_id)
            .bind(tenant_id)
            .execute(&mut *tx)
            .await?;
        insert_audit(&mut tx, audit, self.now_ms()).await?;
        tx.commit().await?;
        Ok(UserChange::Done)
    }

    /// Replaces an admin's password hash and ends their other sessions, with the audit line.
    pub async fn change_password(
        &self,
        admin_id: i64,
        hash: &str,
        keep_session: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool().begin().await?;
        sqlx::query("UPDATE admin_users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(admin_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM admin_sessions WHERE admin_user_id = $1 AND token_hash <> $2")
            .bind(admin_id)
            .bind(keep_session)
            .execute(&mut *tx)
            .await?;
        insert_audit(&mut tx, audit, self.now_ms()).await?;
        tx.commit().await?;
        Ok(())
    }
}
