//! The method registry: name → typed handler, with params decoded before the handler runs.

use super::{Ctx, Services};
use app::contract::{codes, RpcError};
use serde::{de::DeserializeOwned, Serialize};
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// Who may call a method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone (e.g. login).
    Public,
    /// A signed-in admin; the call is scoped to the admin's tenant.
    Admin,
    /// An admin or a tenant API token; scoped to that tenant.
    Tenant,
}

type BoxedFuture = Pin<Box<dyn Future<Output = Result<serde_json::Value, RpcError>> + Send>>;
type Handler = Arc<dyn Fn(Services, Ctx, serde_json::Value) -> BoxedFuture + Send + Sync>;

/// One registered method.
pub struct MethodSpec {
    /// Method name, e.g. `tenant.get`.
    pub name: &'static str,
    /// One-sentence description.
    pub description: &'static str,
    /// Required access.
    pub access: Access,
    /// JSON Schema of the params object.
    pub params_schema: serde_json::Value,
    /// JSON Schema of the result.
    pub result_schema: serde_json::Value,
    pub(super) handler: Handler,
}

/// All methods by name.
#[derive(Default)]
pub struct Registry {
    methods: BTreeMap<&'static str, MethodSpec>,
}

impl Registry {
    /// Registers a typed handler; params that do not decode into `P` are rejected with -32602.
    pub fn register<P, R, F, Fut>(
        &mut self,
        name: &'static str,
        description: &'static str,
        access: Access,
        handler: F,
    ) where
        P: DeserializeOwned + schemars::JsonSchema + Send + 'static,
        R: Serialize + schemars::JsonSchema + 'static,
        F: Fn(Services, Ctx, P) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<R, RpcError>> + Send + 'static,
    {
        let handler = Arc::new(handler);
        let erased: Handler = Arc::new(move |services, ctx, raw| {
            let handler = handler.clone();
            Box::pin(async move {
                let raw = if raw.is_null() {
                    serde_json::json!({})
                } else {
                    raw
                };
                let params: P = serde_json::from_value(raw).map_err(|e| {
                    RpcError::new(
                        codes::INVALID_PARAMS,
                        format!("invalid params for {name}: {e}"),
                    )
                })?;
                let result = handler(services, ctx, params).await?;
                serde_json::to_value(result)
                    .map_err(|e| RpcError::internal(format!("could not encode the result: {e}")))
            })
        });
        let previous = self.methods.insert(
            name,
            MethodSpec {
                name,
                description,
                access,
                params_schema: schemars::schema_for!(P).to_value(),
                result_schema: schemars::schema_for!(R).to_value(),
                handler: erased,
            },
        );
        assert!(previous.is_none(), "gateway method {name} registered twice");
    }

    /// Looks a method up.
    pub fn get(&self, name: &str) -> Option<&MethodSpec> {
        self.methods.get(name)
    }

    /// All methods, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = &MethodSpec> {
        self.methods.values()
    }
}
