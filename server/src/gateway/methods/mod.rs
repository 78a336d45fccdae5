//! Gateway methods by namespace.

mod admin;
mod tenant;

use super::Registry;

/// Registers every method the server offers.
pub fn register_all(registry: &mut Registry) {
    admin::register(registry);
    tenant::register(registry);
}
