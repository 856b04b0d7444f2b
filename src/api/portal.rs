use leptos::prelude::*;

use super::AppError;
use super::types::PartnerBadge;

/// The portal's home: which partner this user works for.
#[server(prefix = "/api", endpoint = "portal_overview")]
pub async fn portal_overview() -> Result<PartnerBadge, AppError> {
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    Ok(partner)
}
