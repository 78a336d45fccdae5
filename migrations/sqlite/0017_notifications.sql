-- Notifications (issue #18): a durable outbox written in the same transaction as the booking
-- change it announces, per-tenant delivery settings (secrets sealed), editable templates,
-- and the addresses that opted out.

-- The address given with this booking (by the caller or staff): messages go only there.
ALTER TABLE appointments ADD COLUMN email TEXT;

CREATE TABLE notification_outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id       INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    appointment_id  INTEGER NOT NULL REFERENCES appointments(id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL CHECK (kind IN ('booked', 'moved', 'cancelled', 'reminder')),
    channel         TEXT    NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient       TEXT    NOT NULL,
    language        TEXT    NOT NULL CHECK (language IN ('de', 'en')),
    -- One change gives one message: the history entry (or, for reminders, the start) it is for.
    dedupe_key      TEXT    NOT NULL,
    -- The appointment as the change left it (JSON): what the message says.
    payload         TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    claimed_by      TEXT,
    claim_until     INTEGER,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    UNIQUE (tenant_id, dedupe_key)
);
CREATE INDEX notification_outbox_due ON notification_outbox(status, next_attempt_at);
CREATE INDEX notification_outbox_tenant ON notification_outbox(tenant_id, id);
CREATE INDEX notification_outbox_appointment ON notification_outbox(appointment_id);

CREATE TABLE notification_settings (
    tenant_id            INTEGER PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
    email_enabled        INTEGER NOT NULL DEFAULT 0,
    smtp_host            TEXT    NOT NULL DEFAULT '',
    smtp_port            INTEGER NOT NULL DEFAULT 587,
    smtp_tls             TEXT    NOT NULL DEFAULT 'starttls'
                         CHECK (smtp_tls IN ('none', 'starttls', 'tls')),
    smtp_user            TEXT    NOT NULL DEFAULT '',
    smtp_password_sealed TEXT,
    from_address         TEXT    NOT NULL DEFAULT '',
    reminder_hours       INTEGER NOT NULL DEFAULT 24,
    sms_enabled          INTEGER NOT NULL DEFAULT 0,
    sms_url              TEXT    NOT NULL DEFAULT '',
    sms_token_sealed     TEXT,
    updated_at           INTEGER NOT NULL
);

CREATE TABLE notification_templates (
    tenant_id  INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('booked', 'moved', 'cancelled', 'reminder')),
    language   TEXT    NOT NULL CHECK (language IN ('de', 'en')),
    subject    TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, kind, language)
);

CREATE TABLE notification_optouts (
    tenant_id  INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    channel    TEXT    NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient  TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, channel, recipient)
);
