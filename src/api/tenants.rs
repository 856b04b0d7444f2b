//! Partner portal → Tenant registrations.
use leptos::prelude::*;

use super::AppError;
use super::types::{ProvisionedTenant, TenantRow};

#[server(prefix = "/api", endpoint = "my_tenants")]
pub async fn my_tenants(
    query: crate::model::list::ListQuery,
) -> Result<crate::model::list::Page<TenantRow>, AppError> {
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    let state = query.status_as()?;
    crate::server::services::claims::page(&req.state.db, &partner.id, &query, state).await
}

/// Provisions a tenant and returns its claim link: the only time the token is shown.
#[server(prefix = "/api", endpoint = "provision_tenant")]
pub async fn provision_tenant(
    workspace_name: String,
    plan_id: String,
    intended_email: String,
) -> Result<ProvisionedTenant, AppError> {
    use crate::domain::{email::Email, names::DisplayName};
    use crate::server::services::claims::{self, NewTenant};
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    let intended = intended_email.trim();
    let new = NewTenant {
        workspace_name: DisplayName::parse("workspace_name", &workspace_name, 80)?,
        plan_id,
        intended_email: match intended {
            "" => None,
            email => Some(Email::parse(email).map_err(|e| e.in_field("intended_email"))?),
        },
    };
    let ttl = req.state.config.claim_ttl_days;
    claims::provision(&req.state.db, &req.base_url(), &partner.id, &new, ttl).await
}

#[server(prefix = "/api", endpoint = "revoke_tenant")]
pub async fn revoke_tenant(tenant_id: String) -> Result<(), AppError> {
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    crate::server::services::claims::revoke(&req.state.db, &partner.id, &tenant_id).await
}
