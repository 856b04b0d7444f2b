//! The marketplace (public) and a creator's listings and share links (portal).
use leptos::prelude::*;

use super::AppError;
use super::types::{ListingView, ShareLinkRow};
use crate::model::list::{ListQuery, Page};

/// One page of the marketplace, newest first; `q` searches titles and creators.
#[server(prefix = "/api", endpoint = "marketplace_listings")]
pub async fn marketplace_listings(query: ListQuery) -> Result<Page<ListingView>, AppError> {
    let req = crate::server::request::request()?;
    crate::server::services::listings::published(&req.state.db, &query).await
}

/// A published listing by slug (None when unknown or unpublished).
#[server(prefix = "/api", endpoint = "listing_by_slug")]
pub async fn listing_by_slug(slug: String) -> Result<Option<ListingView>, AppError> {
    let req = crate::server::request::request()?;
    crate::server::services::listings::by_slug(&req.state.db, &slug).await
}

/// One page of Portal → Listings: `q` searches titles, `status` = published or draft.
#[server(prefix = "/api", endpoint = "my_listing_page")]
pub async fn my_listing_page(query: ListQuery) -> Result<Page<ListingView>, AppError> {
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    let state = query.status_as()?;
    crate::server::services::listings::page(&req.state.db, &partner.id, &query, state).await
}

#[server(prefix = "/api", endpoint = "create_listing")]
pub async fn create_listing(
    title: String,
    description: String,
    price: String,
) -> Result<ListingView, AppError> {
    use crate::server::services::listings::{self, ListingInput};
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    let input = ListingInput::parse(&title, &description, &price)?;
    let created = listings::create(&req.state.db, &partner.id, &input).await?;
    req.state.page_cache.clear();
    Ok(created)
}

#[server(prefix = "/api", endpoint = "update_listing")]
pub async fn update_listing(
    listing_id: String,
    title: String,
    description: String,
    price: String,
) -> Result<(), AppError> {
    use crate::server::services::listings::{self, ListingInput};
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    let input = ListingInput::parse(&title, &description, &price)?;
    listings::update(&req.state.db, &partner.id, &listing_id, &input).await?;
    req.state.page_cache.clear();
    Ok(())
}

/// `published`: "true" to publish, anything else to unpublish.
#[server(prefix = "/api", endpoint = "set_listing_published")]
pub async fn set_listing_published(listing_id: String, published: String) -> Result<(), AppError> {
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    let publish = published == "true";
    crate::server::services::listings::set_published(&req.state.db, &partner.id, &listing_id, publish)
        .await?;
    req.state.page_cache.clear();
    Ok(())
}

#[server(prefix = "/api", endpoint = "create_share_link")]
pub async fn create_share_link(listing_id: String) -> Result<ShareLinkRow, AppError> {
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    crate::server::services::listings::create_share_link(
        &req.state.db,
        &req.base_url(),
        &partner.id,
        &listing_id,
    )
    .await
}

/// One page (`page`, 1-based) of the partner's share links, newest first.
#[server(prefix = "/api", endpoint = "my_share_link_page")]
pub async fn my_share_link_page(page: i64) -> Result<Page<ShareLinkRow>, AppError> {
    let req = crate::server::request::request()?;
    let (_, partner) = req.require_partner().await?;
    crate::server::services::listings::share_link_page(&req.state.db, &req.base_url(), &partner.id, page)
        .await
}
