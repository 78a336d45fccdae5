-- The live dashboard (issue 13): how long each custom-function call took, the circuit
-- breakers' state changes of every instance, indexes for the per-day series, and one row of
-- change counters per tenant that the live updates (server-sent events) poll.

ALTER TABLE function_calls ADD COLUMN duration_ms INTEGER;
CREATE INDEX function_calls_tenant_created ON function_calls(tenant_id, created_at);

CREATE INDEX calls_tenant_start ON calls(tenant_id, start_ms);
CREATE INDEX webhook_inbox_tenant_received ON webhook_inbox(tenant_id, received_at);
CREATE INDEX appointments_tenant_created ON appointments(tenant_id, created_at);

-- Every state change of a circuit breaker, written by a background task of the instance whose
-- breaker changed; the retention job deletes old rows.
CREATE TABLE breaker_transitions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    instance   TEXT    NOT NULL,
    circuit    TEXT    NOT NULL,
    from_state TEXT    NOT NULL,
    to_state   TEXT    NOT NULL,
    reason     TEXT,
    at         INTEGER NOT NULL
);
CREATE INDEX breaker_transitions_at ON breaker_transitions(at);

-- Change counters per tenant: triggers bump them whenever calls, appointments, failed
-- bookings or parked webhooks change, so every instance sees every other instance's writes.
CREATE TABLE tenant_changes (
    tenant_id    INTEGER PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
    calls        INTEGER NOT NULL DEFAULT 0,
    appointments INTEGER NOT NULL DEFAULT 0,
    health       INTEGER NOT NULL DEFAULT 0
);

CREATE TRIGGER calls_inserted_change AFTER INSERT ON calls BEGIN
    INSERT INTO tenant_changes (tenant_id, calls) VALUES (NEW.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET calls = calls + 1;
END;
CREATE TRIGGER calls_updated_change AFTER UPDATE ON calls BEGIN
    INSERT INTO tenant_changes (tenant_id, calls) VALUES (NEW.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET calls = calls + 1;
END;
CREATE TRIGGER appointments_inserted_change AFTER INSERT ON appointments BEGIN
    INSERT INTO tenant_changes (tenant_id, appointments) VALUES (NEW.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET appointments = appointments + 1;
END;
CREATE TRIGGER appointments_updated_change AFTER UPDATE ON appointments BEGIN
    INSERT INTO tenant_changes (tenant_id, appointments) VALUES (NEW.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET appointments = appointments + 1;
END;
CREATE TRIGGER booking_recovery_inserted_change AFTER INSERT ON booking_recovery BEGIN
    INSERT INTO tenant_changes (tenant_id, appointments) VALUES (NEW.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET appointments = appointments + 1;
END;
CREATE TRIGGER booking_recovery_updated_change AFTER UPDATE ON booking_recovery BEGIN
    INSERT INTO tenant_changes (tenant_id, appointments) VALUES (NEW.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET appointments = appointments + 1;
END;
CREATE TRIGGER webhook_inbox_failed_change AFTER UPDATE OF status ON webhook_inbox
WHEN NEW.status = 'failed' AND OLD.status <> 'failed' BEGIN
    INSERT INTO tenant_changes (tenant_id, health) VALUES (NEW.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET health = health + 1;
END;
