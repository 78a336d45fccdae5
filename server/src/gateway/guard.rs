//! The circuit breakers around one gateway call: the method's server and the database.
//! A call passes only when both admit it; its outcome is reported back to both.

use crate::breaker::{Breaker, Breakers, Permit, Refused};
use app::contract::{codes, RpcError};
use std::sync::Arc;

/// Name of the database's breaker (and `data.downstream` of database failures).
pub const DATABASE: &str = "database";

/// Name of a gateway server's breaker, e.g. `server:AppointmentManagement`.
pub fn server_breaker(server: &str) -> String {
    format!("server:{server}")
}

/// Admission to one call, held until its outcome is known.
pub struct Guard {
    server: (Arc<Breaker>, Permit),
    database: (Arc<Breaker>, Permit),
}

impl Guard {
    /// Asks the server's and the database's breakers; an open one refuses at once (-32021).
    pub fn admit(breakers: &Breakers, server: &str) -> Result<Self, RpcError> {
        let server = breakers.get(&server_breaker(server));
        let database = breakers.get(DATABASE);
        let server_permit = server.admit().map_err(|r| open(server.name(), r))?;
        let database_permit = match database.admit() {
            Ok(p) => p,
            Err(r) => {
                // The call is not made: the server's permit goes back unused.
                server.release(server_permit);
                return Err(open(database.name(), r));
            }
        };
        Ok(Self {
            server: (server, server_permit),
            database: (database, database_permit),
        })
    }

    /// Reports a call outside the gateway (the custom-function route): `database_failure`
    /// counts against the server and the database.
    pub fn settle_route(self, database_failure: Option<&str>) {
        let outcome = database_failure.map_or(Ok(()), Err);
        let (server, permit) = self.server;
        server.record(permit, outcome);
        let (database, permit) = self.database;
        database.record(permit, outcome);
    }

    /// Reports the outcome: internal and upstream failures count against the server,
    /// failures marked `downstream: database` also against the database.
    pub fn settle(self, result: &Result<serde_json::Value, RpcError>) {
        let failure = result
            .as_ref()
            .err()
            .filter(|e| matches!(e.code, codes::INTERNAL | codes::UPSTREAM_FAILED));
        let server_outcome = failure.map_or(Ok(()), |e| Err(e.message.as_str()));
        let database_outcome = match failure {
            Some(e) if e.downstream() == Some(DATABASE) => Err(e.message.as_str()),
            _ => Ok(()),
        };
        let (server, permit) = self.server;
        server.record(permit, server_outcome);
        let (database, permit) = self.database;
        database.record(permit, database_outcome);
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
