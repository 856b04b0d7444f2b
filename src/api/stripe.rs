//! Stripe Connect from the partner portal (onboarding, status, Express dashboard) and
//! the admin's view of connected accounts (issue #12). A partner only ever reaches its
//! own account: the partner id comes from the session, never from the request.
use leptos::prelude::*;

use super::AppError;
use crate::model::rails::StripeConnection;

/// The partner's Stripe connection; `refresh` asks Stripe first (the return URL does).
#[server(prefix = "/api", endpoint = "my_stripe")]
pub async fn my_stripe(refresh: bool) -> Result<StripeConnection, AppError> {
    use crate::server::services::stripe_connect;
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    if refresh {
        stripe_connect::refresh(&req.state.db, &req.state.rails, &partner.id).await
    } else {
        stripe_connect::connection(&req.state.db, &req.state.rails, &partner.id).await
    }
}

/// Creates the partner's connected account (once) and sends the browser to Stripe's
/// onboarding; Stripe sends it back to Payouts, which refreshes the status.
#[server(prefix = "/api", endpoint = "connect_stripe")]
pub async fn connect_stripe() -> Result<(), AppError> {
    let req = crate::server::request::request()?;
    let (viewer, partner) = req.require_partner().await?;
    let back = format!("{}/partners/payouts?stripe=return", req.base_url());
    let url = crate::server::services::stripe_connect::start_onboarding(
        &req.state.db,
        &req.state.rails,
        &partner.id,
        Some(&viewer.email),
        &back,
    )
    .await?;
    req.redirect(&url);
    Ok(())
}

/// Sends the browser to the partner's Express dashboard (after onboarding).
#[server(prefix = "/api", endpoint = "stripe_dashboard")]
pub async fn stripe_dashboard() -> Result<(), AppError> {
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    let url =
        crate::server::services::stripe_connect::login_link(&req.state.db, &req.state.rails, &partner.id)
            .await?;
    req.redirect(&url);
    Ok(())
}

/// A partner's Stripe connection, for the admin.
#[server(prefix = "/api", endpoint = "partner_stripe")]
pub async fn partner_stripe(partner_id: String) -> Result<StripeConnection, AppError> {
    let req = crate::server::request::request()?;
    req.require_admin().await?;
    crate::server::services::stripe_connect::connection(&req.state.db, &req.state.rails, &partner_id).await
}
