//! Workspace settings (API tokens) and an agency's custom domains; the branding of the
//! host the page is served on.
use leptos::prelude::*;

use super::AppError;
use super::types::{ApiTokenRow, Branding, CustomDomainRow, NewApiToken};

#[server(prefix = "/api", endpoint = "site_branding")]
pub async fn site_branding() -> Result<Branding, AppError> {
    let req = crate::server::request::request()?;
    crate::server::services::domains::branding_for(
        &req.state.db,
        &req.state.brand_cache,
        req.host().as_deref(),
    )
    .await
}

#[server(prefix = "/api", endpoint = "my_api_tokens")]
pub async fn my_api_tokens() -> Result<Vec<ApiTokenRow>, AppError> {
    let req = crate::server::request::request()?;
    let workspace = req.require_managed_workspace().await?;
    crate::server::services::api_tokens::list(&req.state.db, &workspace).await
}

/// Returns the token once; only its hash is kept.
#[server(prefix = "/api", endpoint = "create_api_token")]
pub async fn create_api_token(name: String) -> Result<NewApiToken, AppError> {
    use crate::domain::names::DisplayName;
    let req = crate::server::request::request()?;
    let viewer = req.require_viewer().await?;
    let workspace = req.require_managed_workspace().await?;
    let name = DisplayName::parse("name", &name, 60)?;
    crate::server::services::api_tokens::create(&req.state.db, &workspace, &viewer.user_id, &name).await
}

#[server(prefix = "/api", endpoint = "revoke_api_token")]
pub async fn revoke_api_token(token_id: String) -> Result<(), AppError> {
    let req = crate::server::request::request()?;
    let workspace = req.require_managed_workspace().await?;
    crate::server::services::api_tokens::revoke(&req.state.db, &workspace, &token_id).await
}

#[server(prefix = "/api", endpoint = "my_domains")]
pub async fn my_domains() -> Result<Vec<CustomDomainRow>, AppError> {
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    crate::server::services::domains::list(&req.state.db, &partner.workspace_id).await
}

/// Adds the host as pending; it brands nothing until its DNS record checks out.
#[server(prefix = "/api", endpoint = "add_domain")]
pub async fn add_domain(
    host: String,
    brand_name: String,
    brand_color: String,
) -> Result<CustomDomainRow, AppError> {
    use crate::server::services::domains::{self, DomainInput, PlatformHosts};
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    let input = DomainInput::parse(&host, &brand_name, &brand_color)?;
    let platform = PlatformHosts::new(&req.state.config, req.host().as_deref());
    domains::add(&req.state.db, &platform, &partner.workspace_id, &input).await
}

/// "Check now": looks up the domain's TXT record and answers the domain as it is after.
#[server(prefix = "/api", endpoint = "check_domain")]
pub async fn check_domain(host: String) -> Result<CustomDomainRow, AppError> {
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    let state = &req.state;
    let checked = crate::server::services::domains::check(
        &state.db,
        &state.dns,
        &state.brand_cache,
        &partner.workspace_id,
        &host,
    )
    .await?;
    state.page_cache.clear();
    Ok(checked)
}

#[server(prefix = "/api", endpoint = "remove_domain")]
pub async fn remove_domain(host: String) -> Result<(), AppError> {
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    crate::server::services::domains::remove(
        &req.state.db,
        &req.state.brand_cache,
        &partner.workspace_id,
        &host,
    )
    .await?;
    req.state.page_cache.clear();
    Ok(())
}

/// The browser restores the referrer (and share token) it kept in storage when the
/// server cookie has gone missing. The server re-checks the code and the window.
#[server(prefix = "/api", endpoint = "restore_attribution")]
pub async fn restore_attribution(touch: String, share: Option<String>) -> Result<bool, AppError> {
    let req = crate::server::request::request()?;
    crate::server::services::restore::restore(&req, &touch, share.as_deref()).await
}
