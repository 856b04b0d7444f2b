//! The partner portal under /partners.
use leptos::prelude::*;

use crate::api::portal::portal_overview;
use crate::ui::gate::{AreaShell, Gate, NavItem};

const NAV: &[NavItem] = &[NavItem { href: "/partners", label: "Overview" }];

#[component]
pub fn PortalLayout() -> impl IntoView {
    view! {
        <Gate admits=|v| v.partner.is_some()>
            <AreaShell title="Partner portal" nav=NAV />
        </Gate>
    }
}

#[component]
pub fn PortalOverviewPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| portal_overview());
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || {
                overview
                    .get()
                    .map(|r| match r {
                        Ok(p) => view! { <h1 data-testid="partner-name">{p.name}</h1> }.into_any(),
                        Err(e) => view! { <p class="form-error">{e.to_string()}</p> }.into_any(),
                    })
            }}
        </Suspense>
    }
}
