//! Admin → pending payouts: review the ledger and mark entries paid.
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::AppError;
use super::types::PayoutQueue;

#[server(prefix = "/api", endpoint = "pending_payouts")]
pub async fn pending_payouts() -> Result<PayoutQueue, AppError> {
    let req = crate::server::request::request()?;
    req.require_admin().await?;
    crate::server::services::ledger::pending(&req.state.db).await
}

/// Marks the given cash entries paid, each at most once. Returns how many changed.
#[server(prefix = "/api", endpoint = "mark_paid", input = Json)]
pub async fn mark_paid(ids: Vec<String>) -> Result<u64, AppError> {
    let req = crate::server::request::request()?;
    let admin = req.require_admin().await?;
    if ids.is_empty() || ids.len() > 500 {
        return Err(AppError::invalid("ids", "Select between 1 and 500 entries."));
    }
    crate::server::services::ledger::mark_paid(&req.state.db, &admin.user_id, &ids).await
}
