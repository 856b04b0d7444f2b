//! Platform credits: the owner's balance and history, and the admin's adjustments.
use leptos::prelude::*;

use super::AppError;
use super::types::{CreditSummary, OutboxRow, WorkspaceCredits};

/// The balance and history of the workspace this viewer manages (None without one).
#[server(prefix = "/api", endpoint = "my_credits")]
pub async fn my_credits() -> Result<Option<CreditSummary>, AppError> {
    use crate::server::{request::request, services::credits};
    let req = request()?;
    let viewer = req.require_viewer().await?;
    let Some(w) = viewer.managed_workspace() else {
        return Ok(None);
    };
    credits::summary(&req.state.db, &w.id, &w.name).await.map(Some)
}

#[server(prefix = "/api", endpoint = "admin_credit_balances")]
pub async fn admin_credit_balances(
    query: crate::model::list::ListQuery,
) -> Result<crate::model::list::Page<WorkspaceCredits>, AppError> {
    use crate::server::{request::request, services::credits};
    let req = request()?;
    req.require_admin().await?;
    credits::balances(&req.state.db, &query).await
}

#[server(prefix = "/api", endpoint = "admin_workspace_credits")]
pub async fn admin_workspace_credits(workspace_id: String) -> Result<CreditSummary, AppError> {
    use crate::server::{request::request, services::credits};
    let req = request()?;
    req.require_admin().await?;
    credits::for_admin(&req.state.db, &workspace_id).await
}

/// Grants (positive) or deducts (negative) credits; the reason is required and recorded
/// with the admin and the time. Returns the new balance.
#[server(prefix = "/api", endpoint = "adjust_credits")]
pub async fn adjust_credits(
    workspace_id: String,
    amount: String,
    reason: String,
    allow_negative: Option<String>,
) -> Result<i64, AppError> {
    use crate::domain::credits::parse_credits;
    use crate::domain::names::DisplayName;
    use crate::server::{request::request, services::credits};
    let req = request()?;
    let admin = req.require_admin().await?;
    let adjustment = credits::Adjustment {
        workspace_id,
        amount: parse_credits("amount", &amount)?,
        reason: DisplayName::parse("reason", &reason, 200)?.as_str().to_string(),
        allow_negative: allow_negative.is_some_and(|v| !v.is_empty() && v != "false"),
    };
    credits::adjust(&req.state.db, &admin.user_id, &adjustment).await
}

/// One page of Admin → Outbox: `status` = queued, sending, delivered or failed (as stored),
/// `q` = part of the recipient or the subject, `sort=oldest` reverses newest first.
#[server(prefix = "/api", endpoint = "admin_outbox")]
pub async fn admin_outbox(
    query: crate::model::list::ListQuery,
) -> Result<crate::model::list::Page<OutboxRow>, AppError> {
    use crate::server::{request::request, services::outbox};
    let req = request()?;
    req.require_admin().await?;
    let status = query.status_as()?;
    outbox::page(&req.state.db, &query, status).await
}
