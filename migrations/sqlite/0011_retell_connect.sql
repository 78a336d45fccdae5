-- Connecting a business to Retell from the browser (issue #11): each Retell agent belongs to at
-- most one tenant, a phone number's agent must be one of its own tenant's agents, the per-tenant
-- function token (hash for checking, sealed copy for deploys, the previous hash for 24 h), when
-- Retell last accepted the key, the API token a deploy attaches as MCP, and what was deployed
-- to each agent (per-field hashes, to notice edits made in Retell afterwards).

CREATE TABLE tenant_agents (
    agent_id   TEXT    PRIMARY KEY,
    tenant_id  INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    agent_name TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    UNIQUE (agent_id, tenant_id)
);
CREATE INDEX tenant_agents_tenant ON tenant_agents(tenant_id);

-- Agents already linked to numbers; an agent found under two tenants stays with the first.
INSERT INTO tenant_agents (agent_id, tenant_id, created_at)
    SELECT retell_agent_id, MIN(tenant_id), MIN(created_at) FROM tenant_phone_numbers
    WHERE retell_agent_id IS NOT NULL GROUP BY retell_agent_id;
UPDATE tenant_phone_numbers SET retell_agent_id = NULL
    WHERE retell_agent_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM tenant_agents a
        WHERE a.agent_id = tenant_phone_numbers.retell_agent_id
          AND a.tenant_id = tenant_phone_numbers.tenant_id);

-- SQLite adds foreign keys only by rebuilding the table (nothing references it).
CREATE TABLE tenant_phone_numbers_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id       INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    e164            TEXT    NOT NULL UNIQUE,
    retell_agent_id TEXT,
    label           TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    FOREIGN KEY (retell_agent_id, tenant_id) REFERENCES tenant_agents(agent_id, tenant_id)
);
INSERT INTO tenant_phone_numbers_new (id, tenant_id, e164, retell_agent_id, label, created_at)
    SELECT id, tenant_id, e164, retell_agent_id, label, created_at FROM tenant_phone_numbers;
DROP TABLE tenant_phone_numbers;
ALTER TABLE tenant_phone_numbers_new RENAME TO tenant_phone_numbers;
CREATE INDEX tenant_phone_numbers_tenant ON tenant_phone_numbers(tenant_id);
CREATE INDEX tenant_phone_numbers_agent ON tenant_phone_numbers(retell_agent_id);

ALTER TABLE retell_configurations ADD COLUMN key_verified_at INTEGER;
ALTER TABLE retell_configurations ADD COLUMN function_token_hash TEXT;
ALTER TABLE retell_configurations ADD COLUMN function_token_sealed TEXT;
ALTER TABLE retell_configurations ADD COLUMN function_token_created_at INTEGER;
ALTER TABLE retell_configurations ADD COLUMN function_token_prev_hash TEXT;
ALTER TABLE retell_configurations ADD COLUMN function_token_prev_until INTEGER;
ALTER TABLE retell_configurations ADD COLUMN mcp_token_id INTEGER;
ALTER TABLE retell_configurations ADD COLUMN mcp_token_sealed TEXT;

CREATE TABLE retell_deployments (
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    agent_id    TEXT    NOT NULL,
    llm_id      TEXT,
    fingerprint TEXT    NOT NULL,
    deployed_at INTEGER NOT NULL,
    deployed_by INTEGER,
    PRIMARY KEY (tenant_id, agent_id)
);
