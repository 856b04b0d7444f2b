//! Partner portal → Referral Links.
use leptos::prelude::*;

use super::AppError;
use super::types::CodeRow;

#[server(prefix = "/api", endpoint = "my_codes")]
pub async fn my_codes() -> Result<Vec<CodeRow>, AppError> {
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    crate::server::services::links::list(&req.state.db, &req.base_url(), &partner.id).await
}

/// One page of Portal → Referral Links: `q` = part of a code, `status` = active or disabled.
#[server(prefix = "/api", endpoint = "my_code_page")]
pub async fn my_code_page(
    query: crate::model::list::ListQuery,
) -> Result<crate::model::list::Page<CodeRow>, AppError> {
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    let state = query.status_as()?;
    crate::server::services::links::page(&req.state.db, &req.base_url(), &partner.id, &query, state).await
}

#[server(prefix = "/api", endpoint = "create_code")]
pub async fn create_code(code: String) -> Result<CodeRow, AppError> {
    use crate::domain::codes::ReferralCode;
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    let code = ReferralCode::parse(&code)?;
    crate::server::services::links::create(&req.state.db, &req.base_url(), &partner.id, &code).await
}

#[server(prefix = "/api", endpoint = "disable_code")]
pub async fn disable_code(code_id: String) -> Result<(), AppError> {
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    crate::server::services::links::disable(&req.state.db, &partner.id, &code_id).await
}
