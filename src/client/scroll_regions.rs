//! Keyboard access to scrolling regions: a wide table scrolls inside its card at a phone's
//! width, and a region that scrolls must be reachable by keyboard to scroll (WCAG 2.1.1;
//! axe `scrollable-region-focusable`). Twice a second, every card, table wrapper or table
//! whose content is wider than itself gets `tabindex="0"` (and a visible focus ring from
//! the stylesheet). Only the browser knows widths, so this runs in the hydrate build.
use std::cell::Cell;
use std::time::Duration;

const CANDIDATES: &str = ":is(.card, .table-scroll, table, section)";

pub fn keep_scroll_regions_focusable() {
    let round = Cell::new(0u32);
    leptos::prelude::set_interval(
        move || {
            round.set(round.get().wrapping_add(1));
            mark(round.get());
        },
        Duration::from_millis(400),
    );
    mark(0);
}

/// Visits every candidate once (each gets this round's number, so `query_selector` finds
/// the next unvisited one without a NodeList).
fn mark(round: u32) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let selector = format!("{CANDIDATES}:not([data-scroll-round='{round}'])");
    for _ in 0..2_000 {
        let Ok(Some(el)) = document.query_selector(&selector) else { return };
        let _ = el.set_attribute("data-scroll-round", &round.to_string());
        if el.scroll_width() > el.client_width() + 1 && !el.has_attribute("tabindex") {
            let _ = el.set_attribute("tabindex", "0");
        }
    }
}
