-- Availability reads only the time that is taken: a covering, partial index answers that
-- range query without touching the table.
CREATE INDEX appointments_busy ON appointments(tenant_id, block_start, block_end, staff_id, id)
    WHERE status IN ('held', 'booked');

-- Bumped in the same transaction as every change to appointments, hours, closures, staff,
-- services, rules or tenant settings: caches of availability data compare it on every read.
ALTER TABLE tenants ADD COLUMN schedule_version BIGINT NOT NULL DEFAULT 0;
