//! The method registry: name → typed handler, with params decoded before the handler runs.

use super::{Ctx, Services};
use app::contract::{codes, RpcError, Scope};
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
    /// A signed-in admin of any role (owner or staff); scoped to the admin's tenant.
    Admin,
    /// A signed-in admin with the owner role: changes to set-up, tokens, Retell settings and
    /// users. Staff get -32002 with a sentence.
    Owner,
    /// An admin or a tenant API token; scoped to that tenant.
    Tenant,
    /// Any signed-in person, tenant admin or platform admin (switched into a tenant or not):
    /// their own account (who am I, sign out, password).
    Account,
    /// A platform admin: every tenant, their users, suspension, switching. Tenant admins and
    /// API tokens get -32002.
    Platform,
}

/// What calling a method has for effect, and so whether a client may simply retry it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Reads only; always safe to retry.
    Read,
    /// Changes state, but a repeated identical call changes nothing more.
    Idempotent,
    /// Idempotent when the named parameter (e.g. `call_id`) is sent; a retry must repeat it.
    IdempotentWith(&'static str),
    /// Changes state; a blind retry may act twice or fail.
    Write,
}

impl Effect {
    /// True when a client may resend the same call after a timeout.
    pub fn safe_to_retry(self) -> bool {
        matches!(self, Effect::Read | Effect::Idempotent)
    }
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
    /// Effect of a call (read, idempotent or not); [`Registry::mark`] sets it, default write.
    pub effect: Effect,
    /// JSON Schema of the params object.
    pub params_schema: serde_json::Value,
    /// JSON Schema of the result.
    pub result_schema: serde_json::Value,
    pub(super) handler: Handler,
}

/// Methods whose API-token scope is not simply read for reads and manage for writes (or that
/// must keep theirs whatever their effect becomes).
const SCOPE_OVERRIDES: [(&str, Scope); 7] = [
    ("retell.functions.check_availability", Scope::Read),
    // A new booking; the caller an API client names is not verified, so it never renames a
    // customer record.
    ("retell.functions.collect_appointment", Scope::Book),
    // Over the gateway the client names the caller: moving or cancelling acts on any phone
    // number's appointment.
    ("retell.functions.change_appointment", Scope::Manage),
    ("retell.functions.cancel_appointment", Scope::Manage),
    // These act on any phone number's appointment.
    ("appointment.management.change", Scope::Manage),
    ("appointment.management.cancel", Scope::Manage),
    ("appointment.management.confirm", Scope::Manage),
];

impl MethodSpec {
    /// The scope an API token needs to call this method: its override if it has one, else
    /// read for [`Effect::Read`] and manage for every other effect. The only place scopes of
    /// methods are decided.
    pub fn scope(&self) -> Scope {
        SCOPE_OVERRIDES
            .iter()
            .find(|(name, _)| *name == self.name)
            .map(|(_, scope)| *scope)
            .unwrap_or(match self.effect {
                Effect::Read => Scope::Read,
                Effect::Idempotent | Effect::IdempotentWith(_) | Effect::Write => Scope::Manage,
            })
    }
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
                let params: P = decode(name, raw)?;
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
                effect: Effect::Write,
                params_schema: schemars::schema_for!(P).to_value(),
                result_schema: schemars::schema_for!(R).to_value(),
                handler: erased,
            },
        );
        assert!(previous.is_none(), "gateway method {name} registered twice");
    }

    /// Declares the effect of registered methods; an unknown name is a programming error.
    pub fn mark(&mut self, effect: Effect, names: &[&str]) {
        for name in names {
            match self.methods.get_mut(*name) {
                Some(spec) => spec.effect = effect,
                None => panic!("cannot mark unknown gateway method {name}"),
            }
        }
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

/// Decodes params, naming the offending field (e.g. `phone` or `slots[2].start`) in the
/// message and in `data.field`.
fn decode<P: DeserializeOwned>(method: &str, raw: serde_json::Value) -> Result<P, RpcError> {
    serde_path_to_error::deserialize(raw).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        match path.as_str() {
            "." | "" => RpcError {
                code: codes::INVALID_PARAMS,
                message: format!("invalid params for {method}: {inner}"),
                // A missing top-level field is named too, so forms can show it beside the input.
                data: missing_field(&inner.to_string())
                    .map(|field| serde_json::json!({ "field": field })),
            },
            field => RpcError {
                code: codes::INVALID_PARAMS,
                message: format!("invalid params for {method}: field `{field}`: {inner}"),
                data: Some(serde_json::json!({ "field": field })),
            },
        }
    })
}

/// The field of serde's "missing field `x`" message.
fn missing_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("missing field `")?;
    rest.split_once('`').map(|(field, _)| field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Params {
        phone: String,
        slots: Vec<Slot>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Slot {
        start: String,
    }

    #[test]
    fn scopes_follow_the_effect_with_the_overrides() {
        let mut r = Registry::default();
        crate::gateway::methods::register_all(&mut r);
        for (name, _) in SCOPE_OVERRIDES {
            assert!(r.get(name).is_some(), "override for unknown method {name}");
        }
        let scope = |name: &str| r.get(name).map(MethodSpec::scope);
        for (name, expected) in [
            ("appointment.management.find", Scope::Read),
            ("appointments.list", Scope::Read),
            ("calls.list", Scope::Read),
            ("tenant.get", Scope::Read),
            ("retell.functions.check_availability", Scope::Read),
            ("retell.functions.collect_appointment", Scope::Book),
            ("retell.functions.change_appointment", Scope::Manage),
            ("retell.functions.cancel_appointment", Scope::Manage),
            ("appointment.management.change", Scope::Manage),
            ("appointment.management.cancel", Scope::Manage),
            ("appointment.management.confirm", Scope::Manage),
            ("tenant.update", Scope::Manage),
        ] {
            assert_eq!(scope(name), Some(expected), "{name}");
        }
    }

    #[test]
    fn invalid_params_name_the_field() {
        let e = decode::<Params>("m", serde_json::json!({ "phone": 42, "slots": [] })).unwrap_err();
        assert_eq!(e.code, codes::INVALID_PARAMS);
        assert_eq!(e.field(), Some("phone"));
        assert!(
            e.message.contains("field `phone`: invalid type"),
            "{}",
            e.message
        );
        let e = decode::<Params>(
            "m",
            serde_json::json!({ "phone": "x", "slots": [{ "start": "a" }, {}] }),
        )
        .unwrap_err();
        assert_eq!(e.field(), Some("slots[1]"));
        assert!(e.message.contains("missing field `start`"), "{}", e.message);
        let e = decode::<Params>("m", serde_json::json!({ "slots": [] })).unwrap_err();
        assert!(e.message.contains("missing field `phone`"), "{}", e.message);
        assert_eq!(e.field(), Some("phone"));
    }
}
