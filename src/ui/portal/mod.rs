//! The partner portal under /partners.
use leptos::prelude::*;

mod analytics;
mod domains;
mod lifecycle;
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
pub use lifecycle::{PortalSettingsPage, PortalSubAccountsPage};
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
    NavItem { href: "/partners/sub-accounts", label: "Sub-accounts" },
    NavItem { href: "/partners/settings", label: "Settings" },
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
            <PortalArea />
        </Gate>
    }
}

/// Only an approved partner gets the portal; any other state sees what it is and what
/// to do, and nothing else (the server refuses the portal's functions as well).
#[component]
fn PortalArea() -> impl IntoView {
    let viewer = expect_context::<crate::api::types::Viewer>();
    let approved =
        viewer.partner.as_ref().is_some_and(|p| p.status == crate::domain::partner::PartnerState::Approved);
    if approved {
        view! { <AreaShell title="Partner portal" nav=NAV /> }.into_any()
    } else {
        view! { <lifecycle::PartnerStatePanel /> }.into_any()
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
        <lifecycle::PortalRunningStats />
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
