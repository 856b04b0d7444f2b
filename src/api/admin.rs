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

/// The admin overview for the last `period` days (7, 30 or 90) against the days before.
#[server(prefix = "/api", endpoint = "admin_dashboard")]
pub async fn admin_dashboard(period: i64) -> Result<crate::model::types::AdminOverview, AppError> {
    use crate::server::{request::request, services::overview_admin};
    let req = request()?;
    req.require_admin().await?;
    overview_admin::admin(&req.state.db, period).await
}
