use leptos::prelude::*;

use super::AppError;

/// Onboarding: the signed-in user creates their workspace and lands on its dashboard, or
/// on `next` (a same-site path: the marketplace listing they signed up from).
#[server(prefix = "/api", endpoint = "create_workspace")]
pub async fn create_workspace(
    name: String,
    #[server(default)] next: Option<String>,
) -> Result<String, AppError> {
    use crate::domain::names::DisplayName;
    use crate::server::auth::redirect::local_target;
    use crate::server::{request::request, services::workspaces};
    let req = request()?;
    let viewer = req.require_viewer().await?;
    let name = DisplayName::parse("name", &name, 80)?;
    let next = local_target(next.as_deref())?;
    let carried = req.carried_attribution();
    let (id, _) = workspaces::create(&req.state.db, &viewer.user_id, &name, &carried, &req.windows()).await?;
    // The invite code carried from an /invite/ landing, granted now; a bad one never
    // blocks the workspace (the outcome is logged, the cookie forgotten either way).
    if let Some(code) = req.invite_code() {
        let _ = crate::server::services::invites::redeem_carried(&req.state.db, &viewer.user_id, &id, &code)
            .await;
        req.forget_invite();
    }
    // Bound or not, the referral has done its job: this visitor now has a workspace.
    req.forget_attribution();
    req.redirect(next.as_deref().unwrap_or("/dashboard"));
    Ok(id)
}
