//! The customer side of a claim link (`/register?tenantClaim=…` → `/claim`).
use leptos::prelude::*;

use super::AppError;
use super::types::ClaimInfo;

/// What the claim link in this browser would give (None when there is none).
#[server(prefix = "/api", endpoint = "claim_preview")]
pub async fn claim_preview() -> Result<Option<ClaimInfo>, AppError> {
    let req = crate::server::request::request()?;
    match req.claim_token() {
        Some(token) => {
            let viewer = req.viewer().await?;
            let email = viewer.as_ref().map(|v| v.email.as_str());
            crate::server::services::claims::preview(&req.state.db, &token, email).await
        }
        None => Ok(None),
    }
}

/// The signed-in user claims the provisioned tenant and becomes its owner.
#[server(prefix = "/api", endpoint = "claim_tenant")]
pub async fn claim_tenant() -> Result<String, AppError> {
    let req = crate::server::request::request()?;
    let viewer = req.require_viewer().await?;
    let token = req.claim_token().ok_or(AppError::NotFound)?;
    let workspace_id = crate::server::services::claims::claim(&req.state.db, &viewer, &token).await?;
    req.forget_claim_token();
    req.redirect("/dashboard");
    Ok(workspace_id)
}
