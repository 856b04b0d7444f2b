use super::Shared;
use crate::domain::codes::{code_with_suffix, suggest_default_code};
use crate::domain::money::Cents;
use crate::domain::names::{DisplayName, parse_long_text};
use crate::domain::roles::ListingState;
use crate::model::AppError;
use crate::model::list::{ListQuery, Page};
use crate::model::types::{ListingView, ShareLinkRow};
use crate::server::auth::tokens::new_token;
use crate::server::db::listings::{self, ListingFields};
use crate::server::db::{Db, new_id};

/// A listing form, parsed.
pub struct ListingInput {
    pub title: DisplayName,
    pub description: String,
    pub price: Cents,
}

const DESCRIPTION_MAX: usize = 4_000;

impl ListingInput {
    pub fn parse(title: &str, description: &str, price: &str) -> Result<Self, AppError> {
        Ok(Self {
            title: DisplayName::parse("title", title, 120)?,
            description: parse_long_text("description", description, DESCRIPTION_MAX)?,
            price: Cents::parse_dollars(price).map_err(|e| e.in_field("price"))?,
        })
    }

    fn fields(&self) -> ListingFields<'_> {
        ListingFields {
            title: self.title.as_str(),
            description: &self.description,
            price_cents: self.price.get(),
        }
    }
}

/// One page of the public marketplace: `q` searches titles and creators.
pub async fn published(db: &Db, q: &ListQuery) -> Result<Page<ListingView>, AppError> {
    let rows = listings::published_page(&db.pool, q).await?.shared();
    Ok(Page::new(rows, listings::published_count(&db.pool, q).await?, q))
}

pub async fn by_slug(db: &Db, slug: &str) -> Result<Option<ListingView>, AppError> {
    Ok(listings::published_by_slug(&db.pool, slug).await?.shared())
}

/// One page of Portal → Listings: `q` searches titles, `state` published or draft.
pub async fn page(
    db: &Db,
    partner_id: &str,
    q: &ListQuery,
    state: Option<ListingState>,
) -> Result<Page<ListingView>, AppError> {
    let rows = listings::page_for_partner(&db.pool, partner_id, q, state).await?.shared();
    Ok(Page::new(rows, listings::count_for_partner(&db.pool, partner_id, q, state).await?, q))
}

/// The slug comes from the title; a short suffix is added when it is taken.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn create(db: &Db, partner_id: &str, input: &ListingInput) -> Result<ListingView, AppError> {
    let base = suggest_default_code(input.title.as_str());
    let id = new_id();
    for attempt in 0..8 {
        let slug = if attempt == 0 { base.clone() } else { code_with_suffix(&base, &new_token()[..6]) };
        if listings::insert(&db.pool, &id, partner_id, &slug, &input.fields(), db.now_ms()).await? {
            return listings::by_id(&db.pool, &id).await?.map(Into::into).ok_or(AppError::Internal);
        }
    }
    Err(AppError::Conflict("Could not find a free address for this listing; try another title.".into()))
}

pub async fn update(db: &Db, partner_id: &str, id: &str, input: &ListingInput) -> Result<(), AppError> {
    if listings::update(&db.pool, partner_id, id, &input.fields(), db.now_ms()).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

pub async fn set_published(db: &Db, partner_id: &str, id: &str, publish: bool) -> Result<(), AppError> {
    let at = publish.then(|| db.now_ms());
    if listings::set_published(&db.pool, partner_id, id, at).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

fn with_link(base_url: &str, mut row: ShareLinkRow) -> ShareLinkRow {
    row.link = format!("{base_url}/marketplace/{}?share={}", row.listing_slug, row.token);
    row
}

pub async fn create_share_link(
    db: &Db,
    base_url: &str,
    partner_id: &str,
    listing_id: &str,
) -> Result<ShareLinkRow, AppError> {
    if !listings::owned(&db.pool, partner_id, listing_id).await? {
        return Err(AppError::NotFound);
    }
    // 96 random bits: unguessable enough for a public link id, short enough to share.
    let token = new_token()[..24].to_string();
    let now = db.now_ms();
    listings::insert_share_link(&db.pool, &token, listing_id, now).await?;
    let row = listings::share_link(&db.pool, &token).await?.ok_or(AppError::Internal)?;
    Ok(with_link(base_url, row.into()))
}

/// One page (1-based) of the partner's share links, newest first, each with its link.
pub async fn share_link_page(
    db: &Db,
    base_url: &str,
    partner_id: &str,
    page: i64,
) -> Result<Page<ShareLinkRow>, AppError> {
    let q = ListQuery { page, ..ListQuery::default() };
    let (limit, offset) = q.limit_offset();
    let rows = listings::share_link_page(&db.pool, partner_id, limit, offset).await?;
    let rows = rows.into_iter().map(|r| with_link(base_url, r.into())).collect();
    Ok(Page::new(rows, listings::share_link_count(&db.pool, partner_id).await?, &q))
}
