//! The platform admin dashboard under /admin.
use leptos::prelude::*;

mod invoices;
mod partner_detail;
mod partner_rules;
mod partner_stats;
mod partner_stripe;
mod partners;
mod payouts;
mod plans;
mod workspaces;

pub use partner_detail::AdminPartnerDetailPage;
pub use partner_stats::PartnerStats;
pub use partners::AdminPartnersPage;
pub use payouts::AdminPayoutsPage;
pub use plans::AdminPlansPage;
pub use workspaces::AdminWorkspacesPage;

use crate::api::admin::admin_overview;
use crate::ui::gate::{AreaShell, Gate, NavItem};

const NAV: &[NavItem] = &[
    NavItem { href: "/admin", label: "Overview" },
    NavItem { href: "/admin/partners", label: "Partners" },
    NavItem { href: "/admin/plans", label: "Plans" },
    NavItem { href: "/admin/workspaces", label: "Workspaces" },
    NavItem { href: "/admin/payouts", label: "Payouts" },
];

#[component]
pub fn AdminLayout() -> impl IntoView {
    view! {
        <Gate admits=|v| v.is_platform_admin>
            <AreaShell title="Platform admin" nav=NAV />
        </Gate>
    }
}

#[component]
pub fn AdminOverviewPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| admin_overview());
    view! {
        <h1>"Overview"</h1>
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || {
                overview
                    .get()
                    .map(|r| match r {
                        Ok(o) => {
                            view! {
                                <div class="stats" data-testid="admin-overview">
                                    <Stat label="Users" value=o.users.to_string() />
                                    <Stat label="Workspaces" value=o.workspaces.to_string() />
                                    <Stat label="Partners" value=o.partners.to_string() />
                                </div>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <p class="form-error">{e.to_string()}</p> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

#[component]
pub fn Stat(
    label: &'static str,
    #[prop(into)] value: String,
    /// `data-testid` of the value, so a test reads just the number.
    #[prop(optional)]
    testid: Option<&'static str>,
) -> impl IntoView {
    view! {
        <div class="stat">
            <span class="stat-value" data-testid=testid>{value}</span>
            <span class="stat-label">{label}</span>
        </div>
    }
}
