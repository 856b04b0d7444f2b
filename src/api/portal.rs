use leptos::prelude::*;

use super::AppError;
use super::types::{LedgerRow, PartnerBadge, PayoutView, ReferralRow};
use crate::model::list::{ListQuery, Page};

/// The portal's home: which partner this user works for.
#[server(prefix = "/api", endpoint = "portal_overview")]
pub async fn portal_overview() -> Result<PartnerBadge, AppError> {
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    Ok(partner)
}

/// The partner's latest referrals (the first page of `my_referral_page`).
#[server(prefix = "/api", endpoint = "my_referrals")]
pub async fn my_referrals() -> Result<Vec<ReferralRow>, AppError> {
    Ok(my_referral_page(ListQuery::default()).await?.rows)
}

/// One page of Portal → Referrals: search (workspace, code), `kind` = source, `status` =
/// registered or converted, `sort` = newest, oldest, name or converted.
#[server(prefix = "/api", endpoint = "my_referral_page")]
pub async fn my_referral_page(query: ListQuery) -> Result<Page<ReferralRow>, AppError> {
    use crate::server::services::referrals::ReferralFilter;
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    let filter = ReferralFilter { source: query.kind_as()?, state: query.status_as()? };
    crate::server::services::referrals::page(&req.state.db, &partner.id, &query, filter).await
}

/// One page of Portal → Earnings: the partner's ledger entries, `status` = where an entry
/// stands (on_hold, available, in_payout, paid, reversed), `kind` = cash or credit.
#[server(prefix = "/api", endpoint = "my_earnings")]
pub async fn my_earnings(query: ListQuery) -> Result<Page<LedgerRow>, AppError> {
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    let filter = entry_filter(&query)?;
    use crate::server::services::ledger::Whose;
    crate::server::services::ledger::earnings_page(&req.state.db, Whose::Partner(&partner.id), &query, filter)
        .await
}

/// One page of the partner's payout history, newest first, `status` = a payout status.
#[server(prefix = "/api", endpoint = "my_payout_page")]
pub async fn my_payout_page(query: ListQuery) -> Result<Page<PayoutView>, AppError> {
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    let status = query.status_as()?;
    crate::server::services::ledger::payouts_page(&req.state.db, None, Some(&partner.id), &query, status)
        .await
}

/// The ledger list's filters (shared with the admin's partner page).
#[cfg(feature = "ssr")]
pub(crate) fn entry_filter(
    query: &ListQuery,
) -> Result<crate::server::services::ledger::EntryFilter, AppError> {
    Ok(crate::server::services::ledger::EntryFilter { state: query.status_as()?, kind: query.kind_as()? })
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
