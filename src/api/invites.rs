//! Invite codes: the landing, redemption, personal codes and the admin's codes screen.
// The minting form has eight fields; `#[server]` generates a function (and, in the browser
// build, a client stub) per argument list, where an item-level allow does not reach.
#![allow(clippy::too_many_arguments)]
use leptos::prelude::*;

use super::AppError;
use super::types::{
    FlavorDefaults, InviteCodeView, InvitePreview, InviteRedemptionView, MintResult, PersonalInvites,
    PersonalLimits, RedeemOutcome,
};

/// What `/invite/<code>` offers this visitor; a bad code is a 4xx with the sentence to show.
#[server(prefix = "/api", endpoint = "preview_invite")]
pub async fn preview_invite(code: String) -> Result<InvitePreview, AppError> {
    use crate::server::{request::request, services::invites};
    let req = request()?;
    let viewer = req.viewer().await?;
    let workspace = viewer.as_ref().and_then(managed_workspace);
    let who = viewer.as_ref().map(|v| (v.user_id.as_str(), workspace.as_deref()));
    invites::preview(&req.state.db, &code, who).await
}

/// The workspace this viewer owns or administers (the first, as everywhere else).
#[cfg(feature = "ssr")]
fn managed_workspace(v: &super::types::Viewer) -> Option<String> {
    v.managed_workspace().map(|w| w.id.clone())
}

/// The signed-in viewer and their managed workspace, from one session lookup.
#[cfg(feature = "ssr")]
async fn viewer_and_workspace(
    req: &crate::server::request::RequestCtx,
) -> Result<(super::types::Viewer, String), AppError> {
    let viewer = req.require_viewer().await?;
    let workspace =
        managed_workspace(&viewer).ok_or_else(|| AppError::Refused("Create a workspace first.".into()))?;
    Ok((viewer, workspace))
}

/// An existing workspace redeems a code (from the landing or the dashboard).
#[server(prefix = "/api", endpoint = "redeem_invite")]
pub async fn redeem_invite(code: String) -> Result<RedeemOutcome, AppError> {
    use crate::server::{request::request, services::invites};
    let req = request()?;
    let (viewer, workspace) = viewer_and_workspace(&req).await?;
    let code = invites::parse_code(&code)?;
    let outcome = invites::redeem(&req.state.db, &viewer.user_id, &workspace, &code).await?;
    req.forget_invite();
    Ok(outcome)
}

/// The invite code this browser carries from an `/invite/<code>` landing, if any.
#[server(prefix = "/api", endpoint = "carried_invite")]
pub async fn carried_invite() -> Result<Option<InvitePreview>, AppError> {
    use crate::server::{request::request, services::invites};
    let req = request()?;
    let Some(code) = req.invite_code() else { return Ok(None) };
    Ok(invites::preview(&req.state.db, &code, None).await.ok())
}

/// The signed-in owner's personal codes, limits and invitees.
#[server(prefix = "/api", endpoint = "my_invites")]
pub async fn my_invites() -> Result<PersonalInvites, AppError> {
    use crate::server::{request::request, services::invite_codes};
    let req = request()?;
    let workspace = req.require_managed_workspace().await?;
    invite_codes::personal(&req.state.db, &req.base_url(), &workspace).await
}

#[server(prefix = "/api", endpoint = "create_personal_code")]
pub async fn create_personal_code(max_uses: String, credits: String) -> Result<String, AppError> {
    use crate::domain::credits::parse_grant;
    use crate::domain::invite_input::parse_count;
    use crate::server::{request::request, services::invite_codes};
    let req = request()?;
    let (viewer, workspace) = viewer_and_workspace(&req).await?;
    let max_uses = parse_count("max_uses", &max_uses, 1, 1_000_000)?;
    let credits = parse_grant("credits", &credits, i64::MAX)?;
    invite_codes::create_personal(&req.state.db, &viewer.user_id, &workspace, max_uses, credits).await
}

#[server(prefix = "/api", endpoint = "disable_personal_code")]
pub async fn disable_personal_code(code_id: String) -> Result<(), AppError> {
    use crate::server::{request::request, services::invite_codes};
    let req = request()?;
    let (viewer, workspace) = viewer_and_workspace(&req).await?;
    invite_codes::disable(&req.state.db, &viewer.user_id, &code_id, Some(&workspace)).await
}

// ---- Admin ----

/// One page of Admin → Invite codes: `kind` = a flavor, `status` = active, disabled,
/// expired or used_up, `q` = part of a code (any case, dashes ignored).
#[server(prefix = "/api", endpoint = "admin_invite_codes")]
pub async fn admin_invite_codes(
    query: crate::model::list::ListQuery,
) -> Result<crate::model::list::Page<InviteCodeView>, AppError> {
    use crate::server::services::invite_codes::CodeFilter;
    let req = crate::server::request::request()?;
    req.require_admin().await?;
    let filter = CodeFilter { flavor: query.kind_as()?, status: query.status_as()? };
    crate::server::services::invite_codes::page(&req.state.db, &req.base_url(), &query, filter).await
}

#[server(prefix = "/api", endpoint = "mint_invite_codes")]
pub async fn mint_invite_codes(
    flavor: String,
    count: String,
    max_uses: String,
    credits: String,
    expires_on: String,
    metadata: String,
    emails: String,
    shared: Option<String>,
) -> Result<MintResult, AppError> {
    use crate::domain::credits::parse_grant;
    use crate::domain::invite_codes::InviteFlavor;
    use crate::domain::invite_input::{
        MAX_MINT, parse_count, parse_emails, parse_expiry, parse_max_uses, parse_metadata,
    };
    use crate::server::{request::request, services::invite_codes};
    let req = request()?;
    let admin = req.require_admin().await?;
    let emails = parse_emails(&emails)?;
    let mint = invite_codes::Mint {
        flavor: InviteFlavor::parse(&flavor)
            .ok_or_else(|| AppError::invalid("flavor", "Choose one of the flavors."))?,
        count: if emails.is_empty() { parse_count("count", &count, 1, MAX_MINT)? } else { 0 },
        max_uses: parse_max_uses(&max_uses, 1_000_000)?,
        invitee_credits: match credits.trim() {
            "" => None,
            c => Some(parse_grant("credits", c, crate::domain::credits::MAX_ADJUSTMENT)?),
        },
        expires_at: parse_expiry(&expires_on, req.state.db.now_ms())?,
        metadata: parse_metadata(&metadata)?,
        shared: shared.is_some_and(|s| !s.is_empty() && s != "false"),
        emails,
    };
    invite_codes::mint(&req.state.db, &admin.user_id, &req.base_url(), &mint).await
}

#[server(prefix = "/api", endpoint = "disable_invite_code")]
pub async fn disable_invite_code(code_id: String) -> Result<(), AppError> {
    use crate::server::{request::request, services::invite_codes};
    let req = request()?;
    let admin = req.require_admin().await?;
    invite_codes::disable(&req.state.db, &admin.user_id, &code_id, None).await
}

#[server(prefix = "/api", endpoint = "invite_code_redemptions")]
pub async fn invite_code_redemptions(code_id: String) -> Result<Vec<InviteRedemptionView>, AppError> {
    use crate::server::{request::request, services::invite_codes};
    let req = request()?;
    req.require_admin().await?;
    invite_codes::redemptions(&req.state.db, &code_id).await
}

#[server(prefix = "/api", endpoint = "invite_flavor_defaults")]
pub async fn invite_flavor_defaults() -> Result<Vec<FlavorDefaults>, AppError> {
    use crate::server::{request::request, services::invite_codes};
    let req = request()?;
    req.require_admin().await?;
    invite_codes::flavor_defaults(&req.state.db).await
}

#[server(prefix = "/api", endpoint = "set_invite_flavor_defaults")]
pub async fn set_invite_flavor_defaults(
    flavor: String,
    invitee_credits: String,
    inviter_credits: String,
) -> Result<(), AppError> {
    use crate::domain::credits::{MAX_ADJUSTMENT, parse_grant};
    use crate::domain::invite_codes::InviteFlavor;
    use crate::server::{request::request, services::invite_codes};
    let req = request()?;
    let admin = req.require_admin().await?;
    let flavor = InviteFlavor::parse(&flavor)
        .ok_or_else(|| AppError::invalid("flavor", "Choose one of the flavors."))?;
    let invitee = parse_grant("invitee_credits", &invitee_credits, MAX_ADJUSTMENT)?;
    let inviter = parse_grant("inviter_credits", &inviter_credits, MAX_ADJUSTMENT)?;
    invite_codes::set_flavor_defaults(&req.state.db, &admin.user_id, flavor, invitee, inviter).await
}

#[server(prefix = "/api", endpoint = "personal_code_limits")]
pub async fn personal_code_limits() -> Result<PersonalLimits, AppError> {
    use crate::server::{request::request, services::invite_codes};
    let req = request()?;
    req.require_admin().await?;
    invite_codes::limits(&req.state.db).await
}

/// The bounds workspace owners' personal codes stay within.
#[server(prefix = "/api", endpoint = "set_personal_code_limits")]
pub async fn set_personal_code_limits(
    max_uses_cap: String,
    max_credits_cap: String,
    active_per_workspace: String,
) -> Result<(), AppError> {
    use crate::domain::credits::MAX_ADJUSTMENT;
    use crate::domain::invite_input::parse_count;
    use crate::server::{request::request, services::invite_codes};
    let req = request()?;
    let admin = req.require_admin().await?;
    let uses = parse_count("max_uses_cap", &max_uses_cap, 1, 1_000_000)?;
    let credits = parse_count("max_credits_cap", &max_credits_cap, 0, MAX_ADJUSTMENT)?;
    let active = parse_count("active_per_workspace", &active_per_workspace, 0, 100)?;
    invite_codes::set_personal_limits(&req.state.db, &admin.user_id, uses, credits, active).await
}
