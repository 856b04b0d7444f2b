use leptos::prelude::*;

use super::AppError;

/// Onboarding: the signed-in user creates their workspace and lands on its dashboard.
#[server(prefix = "/api", endpoint = "create_workspace")]
pub async fn create_workspace(name: String) -> Result<String, AppError> {
    use crate::domain::names::DisplayName;
    use crate::server::{request::request, services::workspaces};
    let req = request()?;
    let viewer = req.require_viewer().await?;
    let name = DisplayName::parse("name", &name, 80)?;
    let referral = req.referral_code();
    let id = workspaces::create(&req.state.db, &viewer.user_id, &name, referral.as_deref()).await?;
    if referral.is_some() {
        req.forget_referral_code();
    }
    req.redirect("/dashboard");
    Ok(id)
}
