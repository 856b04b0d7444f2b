//! The partner portal under /partners.
use leptos::prelude::*;

mod analytics;
mod domains;
mod links;
mod listing_row;
mod listings;
mod payouts;
mod referrals;
mod share_links;
mod stripe_connect;
mod tenants;

pub use analytics::PortalAnalyticsPage;
pub use domains::PortalDomainsPage;
pub use links::PortalLinksPage;
pub use listings::PortalListingsPage;
pub use payouts::PortalPayoutsPage;
pub use referrals::PortalReferralsPage;
pub use stripe_connect::AccountStatus as AccountStatusView;
pub use tenants::PortalTenantsPage;

use crate::api::portal::portal_overview;
use crate::ui::gate::{AreaShell, Gate, NavItem};

const NAV: &[NavItem] = &[
    NavItem { href: "/partners", label: "Overview" },
    NavItem { href: "/partners/links", label: "Referral Links" },
    NavItem { href: "/partners/tenants", label: "Tenant registrations" },
    NavItem { href: "/partners/referrals", label: "Referrals" },
    NavItem { href: "/partners/payouts", label: "Payouts" },
    NavItem { href: "/partners/listings", label: "Listings" },
    NavItem { href: "/partners/analytics", label: "Analytics" },
    NavItem { href: "/partners/domains", label: "Domains" },
];

/// The portal's sections, as the overview introduces them.
const SECTIONS: &[(&str, &str, &str)] = &[
    ("/partners/links", "Referral Links", "Create referral codes and copy the links you share."),
    (
        "/partners/tenants",
        "Tenant registrations",
        "Provision a workspace for a customer and send them a one-time claim link.",
    ),
    ("/partners/referrals", "Referrals", "See who registered through you and who converted."),
    ("/partners/payouts", "Payouts", "Your commissions: pending and paid."),
];

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
                        Ok(p) => {
                            view! {
                                <h1 data-testid="partner-name">{p.name}</h1>
                                <p class="muted">"Welcome to your partner portal."</p>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <p class="form-error">{e.to_string()}</p> }.into_any(),
                    })
            }}
        </Suspense>
        <div class="stats">
            {SECTIONS
                .iter()
                .map(|(href, title, blurb)| {
                    view! {
                        <a class="card" style="display:block;color:inherit;margin:0" href=*href data-testid="portal-section">
                            <h2 style="color:var(--accent)">{*title}</h2>
                            <p class="muted">{*blurb}</p>
                        </a>
                    }
                })
                .collect_view()}
        </div>
    }
}
