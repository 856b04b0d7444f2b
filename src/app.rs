use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{Lazy, path};

use crate::ui::admin::{
    AdminClicksRoute, AdminCommissionsRoute, AdminCreditsRoute, AdminInviteCodesRoute, AdminLayoutRoute,
    AdminOutboxRoute, AdminOverviewRoute, AdminPartnerDetailRoute, AdminPartnersRoute, AdminPayoutsRoute,
    AdminPlansRoute, AdminSettingsRoute, AdminWorkspacesRoute,
};
use crate::ui::brand::{BrandStyle, provide_branding};
use crate::ui::portal::{
    PortalAnalyticsRoute, PortalDomainsRoute, PortalEarningsRoute, PortalLayoutRoute, PortalLinksRoute,
    PortalListingsRoute, PortalOverviewRoute, PortalPayoutsRoute, PortalReferralsRoute, PortalSettingsRoute,
    PortalSubAccountsRoute, PortalTenantsRoute,
};
use crate::ui::public::{
    ClaimRoute, DashboardRoute, HomeRoute, InviteLandingRoute, LoginRoute, MarketplaceListingRoute,
    MarketplaceRoute, NotFound, OnboardingRoute, PartnerApplyRoute, RegisterRoute, WorkspaceSettingsRoute,
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
    view! {
        <BrandStyle />
        <Title text="Tributary" />
        <Router>
            <ProvideViewer>
            <Routes fallback=NotFound>
                <Route path=path!("/") view={Lazy::<HomeRoute>::new()} />
                <Route path=path!("/login") view={Lazy::<LoginRoute>::new()} />
                <Route path=path!("/register") view={Lazy::<RegisterRoute>::new()} />
                <Route path=path!("/onboarding/workspace") view={Lazy::<OnboardingRoute>::new()} />
                <Route path=path!("/dashboard") view={Lazy::<DashboardRoute>::new()} />
                <Route path=path!("/dashboard/settings") view={Lazy::<WorkspaceSettingsRoute>::new()} />
                <Route path=path!("/marketplace") view={Lazy::<MarketplaceRoute>::new()} />
                <Route path=path!("/marketplace/:slug") view={Lazy::<MarketplaceListingRoute>::new()} />
                <Route path=path!("/claim") view={Lazy::<ClaimRoute>::new()} />
                <Route path=path!("/partners/apply") view={Lazy::<PartnerApplyRoute>::new()} />
                <Route path=path!("/invite/:code") view={Lazy::<InviteLandingRoute>::new()} />
                <ParentRoute path=path!("/admin") view={Lazy::<AdminLayoutRoute>::new()}>
                    <Route path=path!("") view={Lazy::<AdminOverviewRoute>::new()} />
                    <Route path=path!("partners") view={Lazy::<AdminPartnersRoute>::new()} />
                    <Route path=path!("partners/:id") view={Lazy::<AdminPartnerDetailRoute>::new()} />
                    <Route path=path!("plans") view={Lazy::<AdminPlansRoute>::new()} />
                    <Route path=path!("workspaces") view={Lazy::<AdminWorkspacesRoute>::new()} />
                    <Route path=path!("payouts") view={Lazy::<AdminPayoutsRoute>::new()} />
                    <Route path=path!("commissions") view={Lazy::<AdminCommissionsRoute>::new()} />
                    <Route path=path!("clicks") view={Lazy::<AdminClicksRoute>::new()} />
                    <Route path=path!("settings") view={Lazy::<AdminSettingsRoute>::new()} />
                    <Route path=path!("invite-codes") view={Lazy::<AdminInviteCodesRoute>::new()} />
                    <Route path=path!("credits") view={Lazy::<AdminCreditsRoute>::new()} />
                    <Route path=path!("outbox") view={Lazy::<AdminOutboxRoute>::new()} />
                </ParentRoute>
                <ParentRoute path=path!("/partners") view={Lazy::<PortalLayoutRoute>::new()}>
                    <Route path=path!("") view={Lazy::<PortalOverviewRoute>::new()} />
                    <Route path=path!("links") view={Lazy::<PortalLinksRoute>::new()} />
                    <Route path=path!("tenants") view={Lazy::<PortalTenantsRoute>::new()} />
                    <Route path=path!("referrals") view={Lazy::<PortalReferralsRoute>::new()} />
                    <Route path=path!("earnings") view={Lazy::<PortalEarningsRoute>::new()} />
                    <Route path=path!("payouts") view={Lazy::<PortalPayoutsRoute>::new()} />
                    <Route path=path!("listings") view={Lazy::<PortalListingsRoute>::new()} />
                    <Route path=path!("analytics") view={Lazy::<PortalAnalyticsRoute>::new()} />
                    <Route path=path!("domains") view={Lazy::<PortalDomainsRoute>::new()} />
                    <Route path=path!("settings") view={Lazy::<PortalSettingsRoute>::new()} />
                    <Route path=path!("sub-accounts") view={Lazy::<PortalSubAccountsRoute>::new()} />
                </ParentRoute>
            </Routes>
            </ProvideViewer>
        </Router>
    }
}
