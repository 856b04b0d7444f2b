//! Clicks, signups and conversions per code and per listing, with a daily series.
use leptos::prelude::*;

use super::AppError;
use super::types::AttributionStats;

#[server(prefix = "/api", endpoint = "my_stats")]
pub async fn my_stats() -> Result<AttributionStats, AppError> {
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    crate::server::services::stats::for_partner(&req.state.db, &partner.id).await
}

#[server(prefix = "/api", endpoint = "partner_stats")]
pub async fn partner_stats(partner_id: String) -> Result<AttributionStats, AppError> {
    let req = crate::server::request::request()?;
    req.require_admin().await?;
    crate::server::services::stats::for_partner(&req.state.db, &partner_id).await
}
