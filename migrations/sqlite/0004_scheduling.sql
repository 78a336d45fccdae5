-- Scheduling: locations, staff, services, hours, closures, rules, customers, appointments.
-- Times are UTC milliseconds; working hours are local minutes after midnight (tenant zone).
-- No double booking: every held/booked appointment claims one row per 5-minute bucket of its
-- buffered span in staff_occupancy, whose primary key makes an overlap impossible.

CREATE TABLE locations (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    address    TEXT    NOT NULL DEFAULT '',
    UNIQUE (tenant_id, name)
);

CREATE TABLE staff (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id      INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    location_id    INTEGER REFERENCES locations(id) ON DELETE SET NULL,
    name           TEXT    NOT NULL,
    active         INTEGER NOT NULL DEFAULT 1,
    ics_token_hash TEXT    NOT NULL UNIQUE,
    ics_token_sealed TEXT  NOT NULL,
    UNIQUE (tenant_id, name)
);

CREATE TABLE services (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id         INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name              TEXT    NOT NULL,
    duration_min      INTEGER NOT NULL CHECK (duration_min > 0 AND duration_min % 5 = 0),
    buffer_before_min INTEGER NOT NULL DEFAULT 0 CHECK (buffer_before_min >= 0 AND buffer_before_min % 5 = 0),
    buffer_after_min  INTEGER NOT NULL DEFAULT 0 CHECK (buffer_after_min >= 0 AND buffer_after_min % 5 = 0),
    phone_bookable    INTEGER NOT NULL DEFAULT 1,
    price_cents       INTEGER,
    active            INTEGER NOT NULL DEFAULT 1,
    UNIQUE (tenant_id, name)
);

CREATE TABLE staff_services (
    staff_id   INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    service_id INTEGER NOT NULL REFERENCES services(id) ON DELETE CASCADE,
    PRIMARY KEY (staff_id, service_id)
);

CREATE TABLE working_hours (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    staff_id   INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    weekday    INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_min  INTEGER NOT NULL CHECK (start_min >= 0),
    end_min    INTEGER NOT NULL CHECK (end_min <= 1440 AND end_min > start_min)
);
CREATE INDEX working_hours_tenant ON working_hours(tenant_id, staff_id);

CREATE TABLE closures (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    staff_id   INTEGER REFERENCES staff(id) ON DELETE CASCADE,
    starts_at  INTEGER NOT NULL,
    ends_at    INTEGER NOT NULL CHECK (ends_at > starts_at),
    reason     TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX closures_tenant ON closures(tenant_id, ends_at);

CREATE TABLE booking_rules (
    tenant_id          INTEGER PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
    step_min           INTEGER NOT NULL DEFAULT 15 CHECK (step_min > 0 AND step_min % 5 = 0),
    notice_book_min    INTEGER NOT NULL DEFAULT 60 CHECK (notice_book_min >= 0),
    notice_change_min  INTEGER NOT NULL DEFAULT 1440 CHECK (notice_change_min >= 0),
    notice_cancel_min  INTEGER NOT NULL DEFAULT 1440 CHECK (notice_cancel_min >= 0),
    horizon_days       INTEGER NOT NULL DEFAULT 60 CHECK (horizon_days > 0)
);

CREATE TABLE customers (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    phone_e164  TEXT    NOT NULL,
    email       TEXT,
    created_at  INTEGER NOT NULL,
    UNIQUE (tenant_id, phone_e164)
);

CREATE TABLE appointments (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id     INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    staff_id      INTEGER NOT NULL REFERENCES staff(id),
    service_id    INTEGER NOT NULL REFERENCES services(id),
    customer_id   INTEGER NOT NULL REFERENCES customers(id),
    starts_at     INTEGER NOT NULL,
    ends_at       INTEGER NOT NULL CHECK (ends_at > starts_at),
    block_start   INTEGER NOT NULL,
    block_end     INTEGER NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('held', 'booked', 'cancelled', 'completed', 'no_show')),
    source        TEXT    NOT NULL CHECK (source IN ('phone', 'admin')),
    call_id       TEXT,
    notes         TEXT    NOT NULL DEFAULT '',
    cancel_reason TEXT,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX appointments_time ON appointments(tenant_id, block_start);
CREATE INDEX appointments_customer ON appointments(tenant_id, customer_id);
CREATE INDEX appointments_call ON appointments(tenant_id, call_id);

CREATE TABLE staff_occupancy (
    staff_id       INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    bucket         INTEGER NOT NULL,
    appointment_id INTEGER NOT NULL REFERENCES appointments(id) ON DELETE CASCADE,
    PRIMARY KEY (staff_id, bucket)
);
CREATE INDEX staff_occupancy_appointment ON staff_occupancy(appointment_id);

CREATE TABLE appointment_history (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id      INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    appointment_id INTEGER NOT NULL REFERENCES appointments(id) ON DELETE CASCADE,
    at             INTEGER NOT NULL,
    action         TEXT    NOT NULL,
    actor          TEXT    NOT NULL,
    details        TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX appointment_history_appointment ON appointment_history(appointment_id);

-- Answers of mutating custom functions, keyed by call + function + arguments, so a Retell
-- retry gets the first answer instead of a second booking.
CREATE TABLE function_results (
    tenant_id  INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    call_id    TEXT    NOT NULL,
    function   TEXT    NOT NULL,
    args_hash  TEXT    NOT NULL,
    response   TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, call_id, function, args_hash)
);
