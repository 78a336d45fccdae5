-- Retell webhooks: the durable inbox (one row per tenant, call and event) and the calls it builds.

CREATE TABLE webhook_inbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    call_id     TEXT    NOT NULL,
    event       TEXT    NOT NULL,
    payload     TEXT    NOT NULL,
    received_at INTEGER NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applied', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    applied_at  INTEGER,
    UNIQUE (tenant_id, call_id, event)
);
CREATE INDEX webhook_inbox_pending ON webhook_inbox(status, id);

CREATE TABLE calls (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id            INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    call_id              TEXT    NOT NULL,
    agent_id             TEXT,
    call_type            TEXT,
    direction            TEXT,
    from_number          TEXT,
    to_number            TEXT,
    call_status          TEXT,
    start_ms             INTEGER,
    end_ms               INTEGER,
    duration_ms          INTEGER,
    disconnection_reason TEXT,
    transcript           TEXT,
    recording_url        TEXT,
    summary              TEXT,
    sentiment            TEXT,
    successful           INTEGER,
    in_voicemail         INTEGER,
    custom_analysis      TEXT,
    events_applied       INTEGER NOT NULL DEFAULT 0,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    UNIQUE (tenant_id, call_id)
);
