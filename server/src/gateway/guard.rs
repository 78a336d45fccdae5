//! The circuit breakers around one gateway call: the method's server and the database.
//! A call passes only when both admit it; its outcome is reported back to both.

use crate::breaker::{Breaker, Breakers, Permit, Refused};
use app::contract::{codes, RpcError};
use std::collections::HashMap;
use std::sync::Arc;

pub use crate::breaker::DATABASE;

/// Name of a gateway server's breaker, e.g. `server:AppointmentManagement`.
pub fn server_breaker(server: &str) -> String {
    format!("server:{server}")
}

/// The breakers of a set of servers and of the database, looked up once at start.
#[derive(Clone)]
pub struct Circuits {
    breakers: Breakers,
    database: Arc<Breaker>,
    servers: Arc<HashMap<&'static str, Arc<Breaker>>>,
}

/// The gateway's own server (`ping`): it does not use the database.
const GATEWAY_ITSELF: &str = "Gateway";

impl Circuits {
    /// The breakers of `servers` and the database.
    pub fn new(breakers: &Breakers, servers: impl IntoIterator<Item = &'static str>) -> Self {
        let servers = servers
            .into_iter()
            .map(|name| (name, breakers.get(&server_breaker(name))))
            .collect();
        Self {
            breakers: breakers.clone(),
            database: breakers.get(DATABASE),
            servers: Arc::new(servers),
        }
    }

    /// Refuses at once (-32021) while the server's or the database's breaker is open,
    /// without taking a half-open probe slot: for checks that come before admission.
    pub fn peek(&self, server_name: &str) -> Result<(), RpcError> {
        if let Some(server) = self.servers.get(server_name) {
            if let Some(r) = server.refusing() {
                return Err(open(server.name(), r));
            }
        }
        match self.database.refusing() {
            Some(r) if server_name != GATEWAY_ITSELF => Err(open(self.database.name(), r)),
            _ => Ok(()),
        }
    }

    /// Counts a database outage met before a call was admitted (e.g. looking up a key).
    pub fn note_database_outage(&self, reason: &str) {
        self.database.note_failure(reason);
    }

    /// Asks the server's and the database's breakers; an open one refuses at once (-32021).
    pub fn admit(&self, server_name: &str) -> Result<Guard, RpcError> {
        let server = match self.servers.get(server_name) {
            Some(b) => b.clone(),
            None => self.breakers.get(&server_breaker(server_name)),
        };
        let server_permit = server.admit().map_err(|r| open(server.name(), r))?;
        if server_name == GATEWAY_ITSELF {
            return Ok(Guard {
                server: (server, server_permit),
                database: None,
            });
        }
        let database_permit = match self.database.admit() {
            Ok(p) => p,
            Err(r) => {
                // The call is not made: the server's permit goes back unused.
                server.release(server_permit);
                return Err(open(self.database.name(), r));
            }
        };
        Ok(Guard {
            server: (server, server_permit),
            database: Some((self.database.clone(), database_permit)),
        })
    }
}

/// Admission to one call, held until its outcome is known.
pub struct Guard {
    server: (Arc<Breaker>, Permit),
    database: Option<(Arc<Breaker>, Permit)>,
}

impl Guard {
    /// Reports a call outside the gateway (the custom-function route): `database_outage`
    /// counts against the server and the database.
    pub fn settle_route(self, database_outage: Option<&str>) {
        let outcome = database_outage.map_or(Ok(()), Err);
        let (server, permit) = self.server;
        server.record(permit, outcome);
        if let Some((database, permit)) = self.database {
            database.record(permit, outcome);
        }
    }

    /// Reports the outcome. Only real faults of a downstream count: errors marked
    /// `data.downstream` (a database outage, Retell's API failing) count against the server,
    /// database outages also against the database. A caller's bad input, a refusal or an
    /// internal error caused by one request never does, so no client can open a breaker that
    /// all tenants share.
    pub fn settle(self, result: &Result<serde_json::Value, RpcError>) {
        let failure = result.as_ref().err().filter(|e| {
            matches!(e.code, codes::INTERNAL | codes::UPSTREAM_FAILED) && e.downstream().is_some()
        });
        let server_outcome = failure.map_or(Ok(()), |e| Err(e.message.as_str()));
        let database_outcome = match failure {
            Some(e) if e.downstream() == Some(DATABASE) => Err(e.message.as_str()),
            _ => Ok(()),
        };
        let (server, permit) = self.server;
        server.record(permit, server_outcome);
        if let Some((database, permit)) = self.database {
            database.record(permit, database_outcome);
        }
    }
}

/// The error of an open breaker, saying when to retry.
pub fn open(name: &str, refused: Refused) -> RpcError {
    let secs = refused.retry_after.as_secs_f64().ceil().max(1.0) as u64;
    RpcError {
        code: codes::CIRCUIT_OPEN,
        message: format!(
            "{name} is failing and its circuit breaker is open; try again in {secs} s"
        ),
        data: Some(serde_json::json!({ "circuit": name, "retry_after_secs": secs })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::breaker::BreakerSettings;
    use app::contract::CircuitState;

    fn circuits() -> (Breakers, Circuits) {
        let breakers = Breakers::new(BreakerSettings {
            threshold: 2,
            ..BreakerSettings::default()
        });
        let circuits = Circuits::new(&breakers, ["AppointmentManagement"]);
        (breakers, circuits)
    }

    fn call(c: &Circuits, result: Result<serde_json::Value, RpcError>) {
        let guard = c.admit("AppointmentManagement").expect("admitted");
        guard.settle(&result);
    }

    #[test]
    fn one_requests_bad_input_or_internal_error_never_opens_a_shared_breaker() {
        let (breakers, c) = circuits();
        for _ in 0..10 {
            call(&c, Err(RpcError::internal("a statement failed")));
            call(&c, Err(RpcError::new(codes::INVALID_PARAMS, "bad input")));
        }
        assert_eq!(breakers.get(DATABASE).state(), CircuitState::Closed);
        assert_eq!(
            breakers
                .get(&server_breaker("AppointmentManagement"))
                .state(),
            CircuitState::Closed
        );
    }

    #[test]
    fn database_outages_open_the_database_breaker() {
        let (breakers, c) = circuits();
        let outage = || {
            Err(RpcError::downstream_failed(
                DATABASE,
                codes::INTERNAL,
                "the database failed",
            ))
        };
        call(&c, outage());
        call(&c, outage());
        assert_eq!(breakers.get(DATABASE).state(), CircuitState::Open);
        assert!(c.admit("AppointmentManagement").is_err());
    }
}
