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
    // What leptos::mount::hydrate_lazy does (not hydrate_body: a first visit to a split
    // route waits for its area's module), plus a step once the whole page is live.
    // hydrate_from_async starts leptos' executor itself.
    wasm_bindgen_futures::spawn_local(async {
        let body = leptos::prelude::document().body().expect("a page has a <body>");
        leptos::mount::hydrate_from_async(body, app::App).await.forget();
        client::on_hydrated();
    });
}
