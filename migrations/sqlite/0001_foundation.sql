-- Foundation schema: tenants, their phone numbers, Retell configuration, admin users and sessions.
-- Times are UTC milliseconds since the Unix epoch.

CREATE TABLE tenants (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    slug        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    time_zone   TEXT    NOT NULL DEFAULT 'Europe/Berlin',
    locale      TEXT    NOT NULL DEFAULT 'de' CHECK (locale IN ('de', 'en')),
    country     TEXT    NOT NULL DEFAULT 'DE',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE tenant_phone_numbers (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id       INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    e164            TEXT    NOT NULL UNIQUE,
    retell_agent_id TEXT,
    label           TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL
);
CREATE INDEX tenant_phone_numbers_tenant ON tenant_phone_numbers(tenant_id);
CREATE INDEX tenant_phone_numbers_agent ON tenant_phone_numbers(retell_agent_id);

CREATE TABLE retell_configurations (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id             INTEGER NOT NULL UNIQUE REFERENCES tenants(id) ON DELETE CASCADE,
    retell_api_key_sealed TEXT,
    webhook_events        TEXT    NOT NULL DEFAULT '["call_started","call_ended","call_analyzed"]',
    custom_functions      TEXT    NOT NULL DEFAULT '{}',
    last_test_result      TEXT,
    updated_at            INTEGER NOT NULL
);

CREATE TABLE admin_users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id     INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    email         TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('owner', 'staff')),
    created_at    INTEGER NOT NULL
);

CREATE TABLE admin_sessions (
    token_hash    TEXT    PRIMARY KEY,
    admin_user_id INTEGER NOT NULL REFERENCES admin_users(id) ON DELETE CASCADE,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX admin_sessions_user ON admin_sessions(admin_user_id);
