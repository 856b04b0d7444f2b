use leptos::prelude::*;

use super::AppError;
use super::types::AdminStats;

#[server(prefix = "/api", endpoint = "admin_overview")]
pub async fn admin_overview() -> Result<AdminStats, AppError> {
    use crate::server::{request::request, services::overview};
    let req = request()?;
    req.require_admin().await?;
    overview::admin(&req.state.db).await
}

/// The admin overview for a period (`period` 7, 30 or 90 days, or `custom` with the `from`
/// and `to` dates, see `domain::period`) against as many days before.
#[server(prefix = "/api", endpoint = "admin_dashboard")]
pub async fn admin_dashboard(
    period: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<crate::model::types::AdminOverview, AppError> {
    use crate::domain::period::Period;
    use crate::server::{request::request, services::overview_admin};
    let req = request()?;
    req.require_admin().await?;
    let period = Period::parse(&period, &from, &to)?;
    overview_admin::admin(&req.state.db, period).await
}
