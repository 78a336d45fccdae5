-- Failed-booking recovery: holds that could not be finalized on call_ended wait here for an
-- admin (retry, rebook, dismiss). Transient apply errors back off via next_attempt_at.

CREATE TABLE booking_recovery (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id      INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    appointment_id INTEGER NOT NULL REFERENCES appointments(id) ON DELETE CASCADE,
    call_id        TEXT    NOT NULL,
    reason         TEXT    NOT NULL,
    collected      TEXT    NOT NULL DEFAULT '{}',
    status         TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'dismissed')),
    attempts       INTEGER NOT NULL DEFAULT 0,
    resolution     TEXT,
    resolved_by    TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    UNIQUE (appointment_id)
);
CREATE INDEX booking_recovery_open ON booking_recovery(tenant_id, status);

ALTER TABLE webhook_inbox ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
