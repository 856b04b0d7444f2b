use leptos::prelude::*;

use super::AppError;
use super::types::Viewer;

/// Creates an account, signs it in and sends it on (to `next`, or onboarding).
#[server(prefix = "/api", endpoint = "register")]
pub async fn register(email: String, password: String, next: Option<String>) -> Result<String, AppError> {
    use crate::domain::{email::Email, password::Password};
    use crate::server::auth::redirect::local_target;
    use crate::server::{request::request, services::accounts};
    let req = request()?;
    // Every argument is checked before anything is written.
    let next = local_target(next.as_deref())?;
    let email = Email::parse(&email)?;
    let password = Password::parse(&password)?;
    let user_id = accounts::register(&req.state.db, &req.state.gate, &req.ip, &email, &password).await?;
    req.sign_in(&user_id).await?;
    // An invitee's first step, for the inviter's progress view; never blocks registration.
    if let Some(code) = req.invite_code()
        && let Err(e) = crate::server::services::invites::note_signup(&req.state.db, &user_id, &code).await
    {
        tracing::warn!(error = %e, "invite sign-up not recorded");
    }
    land(&req, &user_id, next).await
}

#[server(prefix = "/api", endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<String, AppError> {
    use crate::server::auth::redirect::local_target;
    use crate::server::{request::request, services::accounts};
    let req = request()?;
    let next = local_target(next.as_deref())?;
    let user_id = accounts::login(&req.state.db, &req.state.gate, &req.ip, &email, password).await?;
    req.sign_in(&user_id).await?;
    land(&req, &user_id, next).await
}

#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    let req = crate::server::request::request()?;
    req.sign_out().await?;
    req.redirect("/");
    Ok(())
}

/// Who is signed in (None for visitors).
#[server(prefix = "/api", endpoint = "me")]
pub async fn me() -> Result<Option<Viewer>, AppError> {
    crate::server::request::request()?.viewer().await
}

#[cfg(feature = "ssr")]
async fn land(
    req: &crate::server::request::RequestCtx,
    user_id: &str,
    next: Option<String>,
) -> Result<String, AppError> {
    use crate::server::services::{accounts, sessions};
    // The session cookie is only in the response, so look the viewer up by id.
    let viewer = sessions::viewer_by_id(&req.state.db, user_id).await?;
    // `next` is already a checked same-site path (auth::redirect::local_target).
    let next = next.or_else(|| req.claim_token().map(|_| "/claim".to_string()));
    let target = accounts::landing_for(&viewer, next.as_deref());
    req.redirect(&target);
    Ok(target)
}
