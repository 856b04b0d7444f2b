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
    let carried = req.carried_attribution();
    let (id, _) = workspaces::create(&req.state.db, &viewer.user_id, &name, &carried, &req.windows()).await?;
    // Bound or not, the referral has done its job: this visitor now has a workspace.
    req.forget_attribution();
    req.redirect("/dashboard");
    Ok(id)
}
