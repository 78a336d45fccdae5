//! Slotline server: configuration, storage, the gateway and its methods, HTTP routes, CLI.
#![warn(missing_docs)]
// The admin UI's view types are deep; their layouts are computed in this crate too.
#![recursion_limit = "256"]

pub mod auth;
pub mod booking;
pub mod breaker;
pub mod cli;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod demo;
pub mod error;
pub mod functions;
pub mod gateway;
pub mod http;
pub mod input;
pub mod limits;
pub mod live;
pub mod lockout;
pub mod mcp;
pub mod metrics;
pub mod notifications;
pub mod replay;
pub mod reseal;
pub mod retell_api;
pub mod retell_setup;
pub mod retention;
pub mod scheduling;
pub mod simulate;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod test_clock;
pub mod webhooks;
