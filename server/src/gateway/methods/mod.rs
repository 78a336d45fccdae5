//! Gateway methods by namespace.

mod admin;
mod calls;
mod tenant;

use super::Registry;

/// Registers every method the server offers.
pub fn register_all(registry: &mut Registry) {
    admin::register(registry);
    calls::register(registry);
    tenant::register(registry);
}
