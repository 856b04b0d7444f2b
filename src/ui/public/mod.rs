//! Pages anyone can open: home, login, register, onboarding, the customer dashboard.
mod apply;
mod auth_pages;
mod calculator;
mod claim;
mod credits_panel;
mod dashboard;
mod home;
mod invite;
mod marketplace;
mod onboarding;
mod personal_invites;
mod settings;

pub use apply::{PartnerApplyPage, StateNotice};
pub use auth_pages::{LoginPage, RegisterPage};
pub use claim::ClaimPage;
pub use credits_panel::{CreditHistory, CreditsPanel};
pub use dashboard::DashboardPage;
pub use home::{HomePage, NotFound};
pub use invite::InviteLandingPage;
pub use marketplace::{MarketplaceListingPage, MarketplacePage};
pub use onboarding::OnboardingPage;
pub use personal_invites::PersonalInvitesPanel;
pub use settings::WorkspaceSettingsPage;

use leptos::prelude::*;

use crate::ui::brand::BrandName;

crate::ui::split::lazy_area! {
    /// The public pages' views (all but the not-found page), rendered from their own wasm
    /// module, so that the main module holds only the app's frame.
    PublicView, module public_area, preload preload_public_area, render render_public;
    HomeRoute => Home(HomePage),
    LoginRoute => Login(LoginPage),
    RegisterRoute => Register(RegisterPage),
    OnboardingRoute => Onboarding(OnboardingPage),
    DashboardRoute => Dashboard(DashboardPage),
    WorkspaceSettingsRoute => WorkspaceSettings(WorkspaceSettingsPage),
    MarketplaceRoute => Marketplace(MarketplacePage),
    MarketplaceListingRoute => MarketplaceListing(MarketplaceListingPage),
    ClaimRoute => Claim(ClaimPage),
    PartnerApplyRoute => PartnerApply(PartnerApplyPage),
    InviteLandingRoute => InviteLanding(InviteLandingPage),
}

/// The header of public pages: visitors get Log in / Get started, signed-in people a
/// way back to their own area.
#[component]
pub fn PublicHeader() -> impl IntoView {
    let viewer = crate::ui::viewer::use_viewer();
    let visitor = || {
        view! {
            <a href="/login">"Log in"</a>
            <a class="button small" href="/register">"Get started"</a>
        }
    };
    view! {
        <header class="topbar">
            <a class="brand" href="/"><BrandName /></a>
            <nav>
                <a href="/marketplace">"Marketplace"</a>
                <Transition fallback=visitor>
                    {move || {
                        viewer
                            .get()
                            .map(|found| match found {
                                Ok(Some(v)) => {
                                    view! {
                                        <a class="button small" href=v.home() rel="external" data-testid="my-account">
                                            "My account"
                                        </a>
                                    }
                                        .into_any()
                                }
                                _ => visitor().into_any(),
                            })
                    }}
                </Transition>
            </nav>
        </header>
    }
}
