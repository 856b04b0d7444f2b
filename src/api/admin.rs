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
