use leptos::prelude::*;

use super::AppError;
use super::types::PartnerBadge;

/// The portal's home: which partner this user works for.
#[server(prefix = "/api", endpoint = "portal_overview")]
pub async fn portal_overview() -> Result<PartnerBadge, AppError> {
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    Ok(partner)
}

#[server(prefix = "/api", endpoint = "my_referrals")]
pub async fn my_referrals() -> Result<Vec<super::types::ReferralRow>, AppError> {
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    crate::server::services::referrals::for_partner(&req.state.db, &partner.id).await
}

#[server(prefix = "/api", endpoint = "my_payouts")]
pub async fn my_payouts() -> Result<super::types::PortalPayouts, AppError> {
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    crate::server::services::ledger::for_partner(&req.state.db, &partner.id).await
}

/// The portal's home page: earnings, the primary link, 30 days of results, the next
/// payout, the newest referrals and (for a new partner) what to do first.
#[server(prefix = "/api", endpoint = "partner_home")]
pub async fn partner_home() -> Result<super::types::PartnerHome, AppError> {
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    crate::server::services::partner_home::for_partner(&req.state.db, &req.base_url(), &partner).await
}

/// The partner who referred this visitor, for the register page ("Invited by …"): from the
/// page's `?ref=` code, else from the referral cookie. None for unknown or disabled codes.
#[server(prefix = "/api", endpoint = "referrer_name")]
pub async fn referrer_name(code: String) -> Result<Option<String>, AppError> {
    let req = crate::server::request::request()?;
    let carried = req.carried_attribution().touch.map(|t| t.code);
    crate::server::services::partner_home::referrer(&req.state.db, &code, carried.as_deref()).await
}
