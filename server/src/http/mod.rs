//! HTTP routes and middleware outside the Leptos app and the gateway.

pub mod assets;
pub mod calendar;
pub mod front;
pub mod health;
pub mod ics;
pub mod limit;
pub mod metrics;
pub mod ops_token;
pub mod optout;
pub mod origin;
pub mod request_id;
