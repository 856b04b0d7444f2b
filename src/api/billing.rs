//! Plans and subscriptions (admin), the plan list (anyone signed in).
use leptos::prelude::*;

use super::AppError;
use super::types::{PlanView, SubscriptionChange, WorkspaceAdminRow};

#[server(prefix = "/api", endpoint = "list_plans")]
pub async fn list_plans() -> Result<Vec<PlanView>, AppError> {
    let req = crate::server::request::request()?;
    req.require_viewer().await?;
    crate::server::services::billing::plans(&req.state.db).await
}

#[server(prefix = "/api", endpoint = "create_plan")]
pub async fn create_plan(name: String, price: String) -> Result<PlanView, AppError> {
    use crate::domain::{money::Cents, names::DisplayName};
    let req = crate::server::request::request()?;
    req.require_admin().await?;
    let name = DisplayName::parse("name", &name, crate::domain::names::PLAN_NAME_MAX)?;
    let price = Cents::parse_dollars(&price).map_err(|e| e.in_field("price"))?;
    crate::server::services::billing::create_plan(&req.state.db, &name, price).await
}

/// Sets a workspace's plan and status. The first time a referred workspace becomes
/// ACTIVE, its referral converts and the commission is created (exactly once).
#[server(prefix = "/api", endpoint = "set_subscription")]
pub async fn set_subscription(
    workspace_id: String,
    plan_id: String,
    status: String,
) -> Result<SubscriptionChange, AppError> {
    use crate::domain::roles::SubscriptionStatus;
    let req = crate::server::request::request()?;
    req.require_admin().await?;
    let status = SubscriptionStatus::parse(&status)
        .ok_or_else(|| AppError::invalid("status", "Choose a subscription status."))?;
    crate::server::services::billing::set_subscription(&req.state.db, &workspace_id, &plan_id, status).await
}

/// One page of Admin → Workspaces: `query` is the list's URL (search, status, referred,
/// signup/conversion window, sort, page).
#[server(prefix = "/api", endpoint = "admin_workspace_page")]
pub async fn admin_workspace_page(
    query: crate::model::list::ListQuery,
) -> Result<crate::model::list::Page<WorkspaceAdminRow>, AppError> {
    let req = crate::server::request::request()?;
    req.require_admin().await?;
    // Checked here so an unknown status is a 400, not an empty list.
    query.status_as::<crate::domain::roles::SubscriptionStatus>()?;
    crate::server::services::billing::workspace_page(&req.state.db, &query).await
}
