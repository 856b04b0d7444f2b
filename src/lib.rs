// Leptos view types nest deeply; release builds (without erase_components) need more room.
#![recursion_limit = "512"]

pub mod api;
pub mod app;
pub mod domain;
pub mod model;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod server;

#[cfg(feature = "ssr")]
pub mod fake_rails;

#[cfg(feature = "hydrate")]
pub mod client;

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
