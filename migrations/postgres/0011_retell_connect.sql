-- Connecting a business to Retell from the browser (issue #11): each Retell agent belongs to at
-- most one tenant, a phone number's agent must be one of its own tenant's agents, the per-tenant
-- function token (hash for checking, sealed copy for deploys, the previous hash for 24 h), when
-- Retell last accepted the key, the API token a deploy attaches as MCP, and what was deployed
-- to each agent (per-field hashes, to notice edits made in Retell afterwards).

CREATE TABLE tenant_agents (
    agent_id   TEXT   PRIMARY KEY,
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    agent_name TEXT   NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
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

ALTER TABLE tenant_phone_numbers ADD CONSTRAINT tenant_phone_numbers_agent_owner
    FOREIGN KEY (retell_agent_id, tenant_id) REFERENCES tenant_agents(agent_id, tenant_id);

ALTER TABLE retell_configurations ADD COLUMN key_verified_at BIGINT;
ALTER TABLE retell_configurations ADD COLUMN function_token_hash TEXT;
ALTER TABLE retell_configurations ADD COLUMN function_token_sealed TEXT;
ALTER TABLE retell_configurations ADD COLUMN function_token_created_at BIGINT;
ALTER TABLE retell_configurations ADD COLUMN function_token_prev_hash TEXT;
ALTER TABLE retell_configurations ADD COLUMN function_token_prev_until BIGINT;
ALTER TABLE retell_configurations ADD COLUMN mcp_token_id BIGINT;
ALTER TABLE retell_configurations ADD COLUMN mcp_token_sealed TEXT;

CREATE TABLE retell_deployments (
    tenant_id   BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    agent_id    TEXT   NOT NULL,
    llm_id      TEXT,
    fingerprint TEXT   NOT NULL,
    deployed_at BIGINT NOT NULL,
    deployed_by BIGINT,
    PRIMARY KEY (tenant_id, agent_id)
);
