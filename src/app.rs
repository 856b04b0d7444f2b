use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

use crate::ui::admin::AdminSettingsPage;
use crate::ui::admin::{AdminClicksPage, AdminCommissionsPage};
use crate::ui::admin::{AdminCreditsPage, AdminInviteCodesPage, AdminOutboxPage};
use crate::ui::admin::{
    AdminLayout, AdminOverviewPage, AdminPartnerDetailPage, AdminPartnersPage, AdminPayoutsPage,
    AdminPlansPage, AdminWorkspacesPage,
};
use crate::ui::brand::{BrandStyle, provide_branding};
use crate::ui::portal::{
    PortalAnalyticsPage, PortalDomainsPage, PortalEarningsPage, PortalLayout, PortalLinksPage,
    PortalListingsPage, PortalOverviewPage, PortalPayoutsPage, PortalReferralsPage, PortalTenantsPage,
};
use crate::ui::portal::{PortalSettingsPage, PortalSubAccountsPage};
use crate::ui::public::InviteLandingPage;
use crate::ui::public::PartnerApplyPage;
use crate::ui::public::{
    ClaimPage, DashboardPage, HomePage, LoginPage, MarketplaceListingPage, MarketplacePage, NotFound,
    OnboardingPage, RegisterPage, WorkspaceSettingsPage,
};
use crate::ui::viewer::ProvideViewer;

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <AutoReload options=options.clone() />
                // The stylesheet under its content-hashed name when the build hashes
                // files (release: LEPTOS_HASH_FILES=true), so /pkg can be cached for a year.
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_branding();
    mark_hydrated();
    view! {
        <BrandStyle />
        <Title text="Tributary" />
        <Router>
            <ProvideViewer>
            <Routes fallback=NotFound>
                <Route path=path!("/") view=HomePage />
                <Route path=path!("/login") view=LoginPage />
                <Route path=path!("/register") view=RegisterPage />
                <Route path=path!("/onboarding/workspace") view=OnboardingPage />
                <Route path=path!("/dashboard") view=DashboardPage />
                <Route path=path!("/dashboard/settings") view=WorkspaceSettingsPage />
                <Route path=path!("/marketplace") view=MarketplacePage />
                <Route path=path!("/marketplace/:slug") view=MarketplaceListingPage />
                <Route path=path!("/claim") view=ClaimPage />
                <Route path=path!("/partners/apply") view=PartnerApplyPage />
                <Route path=path!("/invite/:code") view=InviteLandingPage />
                <ParentRoute path=path!("/admin") view=AdminLayout>
                    <Route path=path!("") view=AdminOverviewPage />
                    <Route path=path!("partners") view=AdminPartnersPage />
                    <Route path=path!("partners/:id") view=AdminPartnerDetailPage />
                    <Route path=path!("plans") view=AdminPlansPage />
                    <Route path=path!("workspaces") view=AdminWorkspacesPage />
                    <Route path=path!("payouts") view=AdminPayoutsPage />
                    <Route path=path!("commissions") view=AdminCommissionsPage />
                    <Route path=path!("clicks") view=AdminClicksPage />
                    <Route path=path!("settings") view=AdminSettingsPage />
                    <Route path=path!("invite-codes") view=AdminInviteCodesPage />
                    <Route path=path!("credits") view=AdminCreditsPage />
                    <Route path=path!("outbox") view=AdminOutboxPage />
                </ParentRoute>
                <ParentRoute path=path!("/partners") view=PortalLayout>
                    <Route path=path!("") view=PortalOverviewPage />
                    <Route path=path!("links") view=PortalLinksPage />
                    <Route path=path!("tenants") view=PortalTenantsPage />
                    <Route path=path!("referrals") view=PortalReferralsPage />
                    <Route path=path!("earnings") view=PortalEarningsPage />
                    <Route path=path!("payouts") view=PortalPayoutsPage />
                    <Route path=path!("listings") view=PortalListingsPage />
                    <Route path=path!("analytics") view=PortalAnalyticsPage />
                    <Route path=path!("domains") view=PortalDomainsPage />
                    <Route path=path!("settings") view=PortalSettingsPage />
                    <Route path=path!("sub-accounts") view=PortalSubAccountsPage />
                </ParentRoute>
            </Routes>
            </ProvideViewer>
        </Router>
    }
}

/// Sets `data-hydrated` on <body> once the wasm app runs, so tests (and people
/// debugging) can tell a live page from server HTML that can't react yet.
fn mark_hydrated() {
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        crate::client::attribution::keep_attribution();
        #[cfg(feature = "hydrate")]
        crate::client::scroll_regions::keep_scroll_regions_focusable();
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}
