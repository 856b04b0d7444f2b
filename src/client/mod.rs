//! Browser-only code (the `hydrate` build).
pub mod attribution;
pub mod cookies;
pub mod scroll_regions;

/// Runs once the page has hydrated, its area's module included: keeps the referral
/// attribution and the scroll regions, and sets `data-hydrated` on <body> so tests (and
/// people debugging) can tell a live page from server HTML that cannot react yet.
pub fn on_hydrated() {
    attribution::keep_attribution();
    scroll_regions::keep_scroll_regions_focusable();
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
