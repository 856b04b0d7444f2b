//! The platform admin dashboard under /admin.
use leptos::prelude::*;

mod credits;
mod invite_codes;
mod invoices;
mod outbox;
mod overview;
mod partner_detail;
mod partner_lifecycle;
mod partner_queue;
mod partner_rules;
mod partner_stats;
mod partner_stripe;
mod partners;
mod payout_rail;
mod payouts;
mod plans;
mod platform_settings;
mod reports;
mod workspaces;

pub use credits::AdminCreditsPage;
pub use invite_codes::AdminInviteCodesPage;
pub use outbox::AdminOutboxPage;
pub use partner_detail::AdminPartnerDetailPage;
pub use partner_lifecycle::PayoutDetailsFields;
pub use partner_stats::PartnerStats;
pub use partners::AdminPartnersPage;
pub use payouts::AdminPayoutsPage;
pub use plans::AdminPlansPage;
pub use platform_settings::AdminSettingsPage;
pub use reports::{AdminClicksPage, AdminCommissionsPage};
pub use workspaces::AdminWorkspacesPage;

use crate::ui::gate::{AreaShell, Gate, NavItem};
// Shared with the portal and the reports; defined with the other widgets.
pub use crate::ui::widgets::Stat;

crate::ui::split::lazy_area! {
    /// The admin dashboard's views, rendered from its own wasm module.
    AdminView, module admin_area, preload preload_admin_area, render render_admin;
    AdminLayoutRoute => Layout(AdminLayout),
    AdminOverviewRoute => Overview(AdminOverviewPage),
    AdminPartnersRoute => Partners(AdminPartnersPage),
    AdminPartnerDetailRoute => PartnerDetail(AdminPartnerDetailPage),
    AdminPlansRoute => Plans(AdminPlansPage),
    AdminWorkspacesRoute => Workspaces(AdminWorkspacesPage),
    AdminPayoutsRoute => Payouts(AdminPayoutsPage),
    AdminCommissionsRoute => Commissions(AdminCommissionsPage),
    AdminClicksRoute => Clicks(AdminClicksPage),
    AdminSettingsRoute => Settings(AdminSettingsPage),
    AdminInviteCodesRoute => InviteCodes(AdminInviteCodesPage),
    AdminCreditsRoute => Credits(AdminCreditsPage),
    AdminOutboxRoute => Outbox(AdminOutboxPage),
}

const NAV: &[NavItem] = &[
    NavItem { href: "/admin", label: "Overview" },
    NavItem { href: "/admin/partners", label: "Partners" },
    NavItem { href: "/admin/plans", label: "Plans" },
    NavItem { href: "/admin/workspaces", label: "Workspaces" },
    NavItem { href: "/admin/payouts", label: "Payouts" },
    NavItem { href: "/admin/commissions", label: "Commissions" },
    NavItem { href: "/admin/clicks", label: "Clicks" },
    NavItem { href: "/admin/settings", label: "Settings" },
    NavItem { href: "/admin/invite-codes", label: "Invite codes" },
    NavItem { href: "/admin/credits", label: "Credits" },
    NavItem { href: "/admin/outbox", label: "Outbox" },
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
    view! { <overview::Overview /> }
}
