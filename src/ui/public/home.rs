use leptos::prelude::*;

use super::PublicHeader;
use super::calculator::PayoutCalculator;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <PublicHeader />
        <main class="page">
            <section class="hero">
                <h1>"Grow through the people who already love your product."</h1>
                <p class="lead">
                    "Tributary runs your partner and affiliate program: referral links, partner-provisioned tenants, exact commissions and payouts paid exactly once."
                </p>
                <p>
                    <a class="button" href="/register">"Create your account"</a>
                    " "
                    <a class="button ghost" href="/login">"Log in"</a>
                </p>
            </section>
            <PayoutCalculator />
        </main>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <PublicHeader />
        <main class="page">
            <section class="card narrow center">
                <h1>"Page not found"</h1>
                <p><a href="/">"Back to the home page"</a></p>
            </section>
        </main>
    }
}
