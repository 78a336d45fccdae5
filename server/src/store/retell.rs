//! A tenant's Retell connection: its configuration row (events, custom functions, test result,
//! function token, key verification, the deploy's MCP token), the agents and numbers bound to
//! it (an agent or a number belongs to at most one tenant), and what was deployed to each agent.

use super::{Store, StoreError};
use sqlx::Row;

/// The `retell_configurations` row.
#[derive(Debug, Clone, Default)]
pub struct RetellConfigRow {
    /// Sealed Retell API key.
    pub key_sealed: Option<String>,
    /// When Retell last accepted the key (UTC ms).
    pub key_verified_at: Option<i64>,
    /// Webhook events as a JSON list.
    pub webhook_events: String,
    /// Custom function edits as JSON.
    pub custom_functions: String,
    /// The last test result as JSON.
    pub last_test_result: Option<String>,
    /// Hash of the current function token.
    pub function_token_hash: Option<String>,
    /// The current function token, sealed (for deploys).
    pub function_token_sealed: Option<String>,
    /// When it was made (UTC ms).
    pub function_token_created_at: Option<i64>,
    /// Hash of the previous function token.
    pub function_token_prev_hash: Option<String>,
    /// Until when the previous one is accepted (UTC ms).
    pub function_token_prev_until: Option<i64>,
    /// The API token a deploy attached as MCP, if any.
    pub mcp_token_id: Option<i64>,
    /// That token, sealed (so later deploys send the same one).
    pub mcp_token_sealed: Option<String>,
}

/// A new function token: hash, sealed copy, and the previous one's hash and grace end.
#[derive(Debug, Clone)]
pub struct TokenRotation<'a> {
    /// Hash of the new token.
    pub hash: &'a str,
    /// The new token, sealed.
    pub sealed: &'a str,
    /// Hash of the token it replaces, if any.
    pub previous_hash: Option<&'a str>,
    /// Until when the replaced one is accepted.
    pub previous_until: Option<i64>,
}

/// What was deployed to one agent.
#[derive(Debug, Clone)]
pub struct DeploymentRow {
    /// Agent id.
    pub agent_id: String,
    /// Its Retell LLM.
    pub llm_id: Option<String>,
    /// Per-field hashes (JSON object).
    pub fingerprint: String,
    /// When (UTC ms).
    pub deployed_at: i64,
}

/// Why a binding was refused.
#[derive(Debug, thiserror::Error)]
pub enum BindError {
    /// The agent is bound to another tenant (which one is not said).
    #[error("this Retell agent is already connected to another business on this Slotline")]
    AgentTaken,
    /// The number is bound to another tenant (which one is not said).
    #[error("the number {0} is already connected to another business on this Slotline")]
    NumberTaken(String),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for BindError {
    fn from(e: sqlx::Error) -> Self {
        BindError::Store(StoreError::Database(e))
    }
}

impl Store {
    /// The tenant's Retell configuration (defaults if the row is missing).
    pub async fn retell_config(&self, tenant_id: i64) -> Result<RetellConfigRow, StoreError> {
        let row = sqlx::query(
            "SELECT retell_api_key_sealed, key_verified_at, webhook_events, custom_functions, \
             last_test_result, function_token_hash, function_token_sealed, \
             function_token_created_at, function_token_prev_hash, function_token_prev_until, \
             mcp_token_id, mcp_token_sealed FROM retell_configurations WHERE tenant_id = $1",
        )
        .bind(tenant_id)
        .fetch_optional(self.pool())
        .await?;
        let Some(r) = row else {
            return Ok(RetellConfigRow {
                webhook_events: "[]".into(),
                custom_functions: "{}".into(),
                ..Default::default()
            });
        };
        Ok(RetellConfigRow {
            key_sealed: r.try_get("retell_api_key_sealed")?,
            key_verified_at: r.try_get("key_verified_at")?,
            webhook_events: r.try_get("webhook_events")?,
            custom_functions: r.try_get("custom_functions")?,
            last_test_result: r.try_get("last_test_result")?,
            function_token_hash: r.try_get("function_token_hash")?,
            function_token_sealed: r.try_get("function_token_sealed")?,
            function_token_created_at: r.try_get("function_token_created_at")?,
            function_token_prev_hash: r.try_get("function_token_prev_hash")?,
            function_token_prev_until: r.try_get("function_token_prev_until")?,
            mcp_token_id: r.try_get("mcp_token_id")?,
            mcp_token_sealed: r.try_get("mcp_token_sealed")?,
        })
    }

    /// Runs an update of the tenant's configuration row with `$1` = tenant, `$2` = now.
    async fn update_config(
        &self,
        set: &str,
        tenant_id: i64,
        binds: &[Option<&str>],
    ) -> Result<(), StoreError> {
        // `set` is a fixed column list written in this file, never input.
        let sql =
            format!("UPDATE retell_configurations SET {set}, updated_at = $2 WHERE tenant_id = $1");
        let mut q = sqlx::query(&sql).bind(tenant_id).bind(self.now_ms());
        for b in binds {
            q = q.bind(*b);
        }
        q.execute(self.pool()).await?;
        Ok(())
    }

    /// Stores a key Retell just accepted (sealed) and when it did.
    pub async fn set_verified_retell_key(
        &self,
        tenant_id: i64,
        sealed: &str,
    ) -> Result<(), StoreError> {
        self.update_config(
            "retell_api_key_sealed = $3, key_verified_at = $2",
            tenant_id,
            &[Some(sealed)],
        )
        .await
    }

    /// Notes that Retell accepted the stored key now.
    pub async fn mark_retell_key_verified(&self, tenant_id: i64) -> Result<(), StoreError> {
        self.update_config("key_verified_at = $2", tenant_id, &[])
            .await
    }

    /// Stores the webhook events (a JSON list).
    pub async fn set_webhook_events(&self, tenant_id: i64, json: &str) -> Result<(), StoreError> {
        self.update_config("webhook_events = $3", tenant_id, &[Some(json)])
            .await
    }

    /// Stores the custom function edits (JSON).
    pub async fn set_custom_functions(&self, tenant_id: i64, json: &str) -> Result<(), StoreError> {
        self.update_config("custom_functions = $3", tenant_id, &[Some(json)])
            .await
    }

    /// Stores the last test result (JSON).
    pub async fn set_last_test_result(&self, tenant_id: i64, json: &str) -> Result<(), StoreError> {
        self.update_config("last_test_result = $3", tenant_id, &[Some(json)])
            .await
    }

    /// Replaces the function token (the previous one's hash kept for its grace period).
    pub async fn rotate_function_token(
        &self,
        tenant_id: i64,
        t: &TokenRotation<'_>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE retell_configurations SET function_token_hash = $2, function_token_sealed = $3, \
             function_token_created_at = $4, function_token_prev_hash = $5, \
             function_token_prev_until = $6, updated_at = $4 WHERE tenant_id = $1",
        )
        .bind(tenant_id)
        .bind(t.hash)
        .bind(t.sealed)
        .bind(self.now_ms())
        .bind(t.previous_hash)
        .bind(t.previous_until)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Remembers the API token a deploy attached as MCP.
    pub async fn set_mcp_token(
        &self,
        tenant_id: i64,
        token_id: i64,
        sealed: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE retell_configurations SET mcp_token_id = $2, mcp_token_sealed = $3 \
             WHERE tenant_id = $1",
        )
        .bind(tenant_id)
        .bind(token_id)
        .bind(sealed)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The agents bound to the tenant.
    pub async fn tenant_agents(&self, tenant_id: i64) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT agent_id FROM tenant_agents WHERE tenant_id = $1 ORDER BY agent_id",
        )
        .bind(tenant_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .iter()
            .map(|r| r.try_get("agent_id"))
            .collect::<Result<_, _>>()?)
    }

    /// Binds an agent and its numbers to the tenant in one transaction. A number the tenant
    /// has already moves to this agent; an agent or number of another tenant is refused.
    pub async fn bind_agent(
        &self,
        tenant_id: i64,
        agent_id: &str,
        agent_name: &str,
        numbers: &[String],
    ) -> Result<(), BindError> {
        let now = self.now_ms();
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "INSERT INTO tenant_agents (agent_id, tenant_id, agent_name, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (agent_id) DO NOTHING",
        )
        .bind(agent_id)
        .bind(tenant_id)
        .bind(agent_name)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let owner: i64 = sqlx::query("SELECT tenant_id FROM tenant_agents WHERE agent_id = $1")
            .bind(agent_id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("tenant_id")?;
        if owner != tenant_id {
            tx.rollback().await?;
            return Err(BindError::AgentTaken);
        }
        for e164 in numbers {
            let holder: Option<i64> =
                sqlx::query("SELECT tenant_id FROM tenant_phone_numbers WHERE e164 = $1")
                    .bind(e164)
                    .fetch_optional(&mut *tx)
                    .await?
                    .map(|r| r.try_get("tenant_id"))
                    .transpose()?;
            match holder {
                Some(t) if t != tenant_id => {
                    tx.rollback().await?;
                    return Err(BindError::NumberTaken(e164.clone()));
                }
                Some(_) => {
                    sqlx::query(
                        "UPDATE tenant_phone_numbers SET retell_agent_id = $1 \
                         WHERE e164 = $2 AND tenant_id = $3",
                    )
                    .bind(agent_id)
                    .bind(e164)
                    .bind(tenant_id)
                    .execute(&mut *tx)
                    .await?;
                }
                None => {
                    let inserted = sqlx::query(
                        "INSERT INTO tenant_phone_numbers (tenant_id, e164, retell_agent_id, label, created_at) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(tenant_id)
                    .bind(e164)
                    .bind(agent_id)
                    .bind(agent_name)
                    .bind(now)
                    .execute(&mut *tx)
                    .await;
                    if let Err(e) = inserted {
                        return Err(match &e {
                            sqlx::Error::Database(db) if db.is_unique_violation() => {
                                BindError::NumberTaken(e164.clone())
                            }
                            _ => BindError::from(e),
                        });
                    }
                }
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Removes one of the tenant's numbers; false if it has no such number.
    pub async fn unbind_number(&self, tenant_id: i64, e164: &str) -> Result<bool, StoreError> {
        let done =
            sqlx::query("DELETE FROM tenant_phone_numbers WHERE tenant_id = $1 AND e164 = $2")
                .bind(tenant_id)
                .bind(e164)
                .execute(self.pool())
                .await?;
        Ok(done.rows_affected() == 1)
    }

    /// What was deployed to each of the tenant's agents.
    pub async fn deployments(&self, tenant_id: i64) -> Result<Vec<DeploymentRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT agent_id, llm_id, fingerprint, deployed_at FROM retell_deployments \
             WHERE tenant_id = $1 ORDER BY agent_id",
        )
        .bind(tenant_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DeploymentRow {
                    agent_id: r.try_get("agent_id")?,
                    llm_id: r.try_get("llm_id")?,
                    fingerprint: r.try_get("fingerprint")?,
                    deployed_at: r.try_get("deployed_at")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Records a deploy to an agent (replacing the earlier record).
    pub async fn save_deployment(
        &self,
        tenant_id: i64,
        d: &DeploymentRow,
        admin_id: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO retell_deployments (tenant_id, agent_id, llm_id, fingerprint, deployed_at, deployed_by) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id, agent_id) DO UPDATE SET \
             llm_id = excluded.llm_id, fingerprint = excluded.fingerprint, \
             deployed_at = excluded.deployed_at, deployed_by = excluded.deployed_by",
        )
        .bind(tenant_id)
        .bind(&d.agent_id)
        .bind(d.llm_id.as_deref())
        .bind(&d.fingerprint)
        .bind(d.deployed_at)
        .bind(admin_id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The last real event of each type the tenant received (tests left out), newest first.
    pub async fn last_events(&self, tenant_id: i64) -> Result<Vec<(String, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT event, MAX(received_at) AS at FROM webhook_inbox WHERE tenant_id = $1 \
             AND substr(call_id, 1, 14) <> 'slotline_test_' GROUP BY event ORDER BY at DESC",
        )
        .bind(tenant_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("event")?, r.try_get("at")?)))
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// The inbox row of one call and event: (status, attempts, last error).
    pub async fn inbox_event_state(
        &self,
        tenant_id: i64,
        call_id: &str,
        event: &str,
    ) -> Result<Option<(String, i64, Option<String>)>, StoreError> {
        let row = sqlx::query(
            "SELECT status, attempts, last_error FROM webhook_inbox \
             WHERE tenant_id = $1 AND call_id = $2 AND event = $3",
        )
        .bind(tenant_id)
        .bind(call_id)
        .bind(event)
        .fetch_optional(self.pool())
        .await?;
        match row {
            Some(r) => Ok(Some((
                r.try_get("status")?,
                r.try_get("attempts")?,
                r.try_get("last_error")?,
            ))),
            None => Ok(None),
        }
    }
}
