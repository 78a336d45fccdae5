-- Held appointments by age: the sweeper finds holds whose call_ended never arrived.
CREATE INDEX appointments_held_since ON appointments(created_at) WHERE status = 'held';
