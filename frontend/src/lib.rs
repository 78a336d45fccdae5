//! WASM entry point: hydrates the server-rendered admin pages so they become interactive.
// The admin UI's view types are deep; their layouts are computed in this crate too.
#![recursion_limit = "256"]

/// Called by the generated JS loader once the WASM module is instantiated.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_lazy(app::App);
}
