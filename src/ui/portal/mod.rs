//! The partner portal under /partners.
use leptos::prelude::*;

mod analytics;
mod domains;
mod earnings;
mod home;
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
pub use earnings::PortalEarningsPage;
pub use lifecycle::{PortalSettingsPage, PortalSubAccountsPage};
pub use links::PortalLinksPage;
pub use listings::PortalListingsPage;
pub use payouts::PortalPayoutsPage;
pub use referrals::PortalReferralsPage;
pub use stripe_connect::AccountStatus as AccountStatusView;
pub use tenants::PortalTenantsPage;

use crate::ui::gate::{AreaShell, Gate, NavItem};

crate::ui::split::lazy_area! {
    /// The partner portal's views, rendered from its own wasm module.
    PortalView, module portal_area, preload preload_portal_area, render render_portal;
    PortalLayoutRoute => Layout(PortalLayout),
    PortalOverviewRoute => Overview(PortalOverviewPage),
    PortalLinksRoute => Links(PortalLinksPage),
    PortalTenantsRoute => Tenants(PortalTenantsPage),
    PortalReferralsRoute => Referrals(PortalReferralsPage),
    PortalEarningsRoute => Earnings(PortalEarningsPage),
    PortalPayoutsRoute => Payouts(PortalPayoutsPage),
    PortalListingsRoute => Listings(PortalListingsPage),
    PortalAnalyticsRoute => Analytics(PortalAnalyticsPage),
    PortalDomainsRoute => Domains(PortalDomainsPage),
    PortalSettingsRoute => Settings(PortalSettingsPage),
    PortalSubAccountsRoute => SubAccounts(PortalSubAccountsPage),
}

const NAV: &[NavItem] = &[
    NavItem { href: "/partners", label: "Overview" },
    NavItem { href: "/partners/links", label: "Referral Links" },
    NavItem { href: "/partners/tenants", label: "Tenant registrations" },
    NavItem { href: "/partners/referrals", label: "Referrals" },
    NavItem { href: "/partners/earnings", label: "Earnings" },
    NavItem { href: "/partners/payouts", label: "Payouts" },
    NavItem { href: "/partners/listings", label: "Listings" },
    NavItem { href: "/partners/analytics", label: "Analytics" },
    NavItem { href: "/partners/domains", label: "Domains" },
    NavItem { href: "/partners/sub-accounts", label: "Sub-accounts" },
    NavItem { href: "/partners/settings", label: "Settings" },
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
    view! {
        <home::PartnerHomePage />
        <h2>"Running totals"</h2>
        <lifecycle::PortalRunningStats />
    }
}
