-- Set-up from the browser (issue #12): service descriptions, rules for a gap between
-- appointments and how long a phone hold lives, single-date exceptions to staff hours, a log
-- of every custom-function call, and an index to find what a call did to appointments.

ALTER TABLE services ADD COLUMN description TEXT NOT NULL DEFAULT '';

ALTER TABLE booking_rules ADD COLUMN buffer_min INTEGER NOT NULL DEFAULT 0
    CHECK (buffer_min >= 0 AND buffer_min % 5 = 0);
ALTER TABLE booking_rules ADD COLUMN hold_min INTEGER NOT NULL DEFAULT 120
    CHECK (hold_min >= 5);

-- A day off (the whole local day) or an extra shift on one local date of one staff member.
CREATE TABLE staff_exceptions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    staff_id   INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    day        TEXT    NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('off', 'extra')),
    start_min  INTEGER NOT NULL CHECK (start_min >= 0),
    end_min    INTEGER NOT NULL CHECK (end_min <= 1440 AND end_min > start_min),
    reason     TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX staff_exceptions_tenant ON staff_exceptions(tenant_id, day);

-- Every custom-function call Retell made, with its (redacted, bounded) arguments and the reply.
CREATE TABLE function_calls (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    call_id    TEXT    NOT NULL,
    function   TEXT    NOT NULL,
    arguments  TEXT    NOT NULL,
    reply      TEXT    NOT NULL,
    outcome    TEXT    NOT NULL,
    http_status INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX function_calls_call ON function_calls(tenant_id, call_id);
CREATE INDEX function_calls_created ON function_calls(created_at);

-- Moves and cancellations made during a call are found by their history actor.
CREATE INDEX appointment_history_actor ON appointment_history(tenant_id, actor);
CREATE INDEX booking_recovery_call ON booking_recovery(tenant_id, call_id);
