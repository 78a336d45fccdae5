-- Platform and users (issue #13; after 0015, whose `language` column the rebuild keeps): platform admins (an admin without a tenant), suspended
-- tenants, the tenant a platform admin's session acts in, invitations to a tenant, and an
-- audit log of platform and user changes.

-- admin_users: tenant_id may be NULL (platform admins only) and the role `platform` exists.
-- SQLite cannot change a column's constraints in place, so the table is rebuilt; the sessions
-- (which cascade from it) are kept aside and put back.
CREATE TABLE admin_sessions_keep AS
    SELECT token_hash, admin_user_id, created_at, expires_at FROM admin_sessions;
DELETE FROM admin_sessions;

CREATE TABLE admin_users_new (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id     INTEGER REFERENCES tenants(id) ON DELETE CASCADE,
    email         TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('owner', 'staff', 'platform')),
    created_at    INTEGER NOT NULL,
    language      TEXT    NOT NULL DEFAULT 'de' CHECK (language IN ('de', 'en')),
    CHECK ((role = 'platform') = (tenant_id IS NULL))
);
INSERT INTO admin_users_new (id, tenant_id, email, password_hash, role, created_at, language)
    SELECT id, tenant_id, email, password_hash, role, created_at, language FROM admin_users;
DROP TABLE admin_users;
ALTER TABLE admin_users_new RENAME TO admin_users;
CREATE INDEX admin_users_tenant ON admin_users(tenant_id);

INSERT INTO admin_sessions (token_hash, admin_user_id, created_at, expires_at)
    SELECT token_hash, admin_user_id, created_at, expires_at FROM admin_sessions_keep;
DROP TABLE admin_sessions_keep;

-- The tenant a platform admin acts in (NULL: none, or a tenant admin's own session).
ALTER TABLE admin_sessions ADD COLUMN acting_tenant_id INTEGER
    REFERENCES tenants(id) ON DELETE SET NULL;

-- A suspended tenant (UTC ms since when; NULL: active).
ALTER TABLE tenants ADD COLUMN suspended_at INTEGER;

-- An invitation link: a one-time token (only its SHA-256 is stored) that expires.
CREATE TABLE admin_invitations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    email       TEXT    NOT NULL,
    role        TEXT    NOT NULL CHECK (role IN ('owner', 'staff')),
    token_hash  TEXT    NOT NULL UNIQUE,
    created_by  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    accepted_at INTEGER
);
CREATE INDEX admin_invitations_tenant ON admin_invitations(tenant_id, email);

-- Who did what to which tenant (platform changes, switches, users, passwords; never a secret).
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  INTEGER REFERENCES tenants(id) ON DELETE SET NULL,
    actor      TEXT    NOT NULL,
    action     TEXT    NOT NULL,
    detail     TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX audit_log_tenant ON audit_log(tenant_id, created_at);
CREATE INDEX audit_log_created ON audit_log(created_at);
