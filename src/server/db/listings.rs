//! Marketplace listings and their share links.
use sqlx::{Any, Executor};

use super::AnyQueryAs;
use crate::domain::roles::ListingState;
use crate::model::list::ListQuery;
use crate::model::types::{ListingView, ShareLinkRow};

/// Listing columns plus the creator's name and handle (their default referral code).
macro_rules! listing_rows {
    ($($where:expr),+) => {
        concat!(
            "select l.id, l.slug, l.title, l.description, l.price_cents, l.published_at, \
             p.name as creator_name, c.code as creator_handle from listings l \
             join partners p on p.id = l.partner_id \
             join referral_codes c on c.partner_id = p.id and c.is_default = 1 ",
            $($where),+
        )
    };
}

/// The public marketplace: published listings of eligible partners; `$1` searches the
/// title and the creator's name.
macro_rules! published_where {
    () => {
        concat!(
            "where l.published_at is not null and ",
            crate::eligible_partner!(),
            " and ($1 = '' or lower(l.title) like $1 escape '\\' or lower(p.name) like $1 escape '\\') "
        )
    };
}

macro_rules! published_page {
    ($order:literal) => {
        listing_rows!(published_where!(), "order by ", $order, " limit $2 offset $3")
    };
}

/// One page of the marketplace (`$2` limit, `$3` offset), in the order `q.sort` asks for:
/// `newest` (the default), `price_low`, `price_high`, `title`.
pub async fn published_page<'e>(
    ex: impl Executor<'e, Database = Any>,
    q: &ListQuery,
) -> Result<Vec<ListingRecord>, sqlx::Error> {
    let (limit, offset) = q.limit_offset();
    let sql = match q.sort.as_str() {
        "price_low" => published_page!("l.price_cents, l.published_at desc, l.id desc"),
        "price_high" => published_page!("l.price_cents desc, l.published_at desc, l.id desc"),
        "title" => published_page!("lower(l.title), l.id"),
        _ => published_page!("l.published_at desc, l.id desc"),
    };
    sqlx::query_as(sql).bind(q.like_pattern()).bind(limit).bind(offset).fetch_all(ex).await
}

pub async fn published_count<'e>(
    ex: impl Executor<'e, Database = Any>,
    q: &ListQuery,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(concat!(
        "select count(*) from listings l join partners p on p.id = l.partner_id ",
        published_where!()
    ))
    .bind(q.like_pattern())
    .fetch_one(ex)
    .await
}

pub async fn published_by_slug<'e>(
    ex: impl Executor<'e, Database = Any>,
    slug: &str,
) -> Result<Option<ListingRecord>, sqlx::Error> {
    sqlx::query_as(listing_rows!(
        "where l.slug = $1 and l.published_at is not null and ",
        crate::eligible_partner!()
    ))
    .bind(slug)
    .fetch_optional(ex)
    .await
}

/// One listing by id, published or not (its creator's view).
pub async fn by_id<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
) -> Result<Option<ListingRecord>, sqlx::Error> {
    sqlx::query_as(listing_rows!("where l.id = $1")).bind(id).fetch_optional(ex).await
}

/// Portal → Listings as a list: `$1` partner, `$2` title search pattern, `$3` state
/// ('published', 'draft'; '' = all).
macro_rules! mine_where {
    () => {
        "where l.partner_id = $1 and ($2 = '' or lower(l.title) like $2 escape '\\') \
         and ($3 <> 'published' or l.published_at is not null) \
         and ($3 <> 'draft' or l.published_at is null) "
    };
}

macro_rules! mine_page {
    ($order:literal) => {
        listing_rows!(mine_where!(), "order by ", $order, " limit $4 offset $5")
    };
}

/// One page of a partner's listings: `newest` (the default), `oldest` or `title`.
pub async fn page_for_partner<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    q: &ListQuery,
    state: Option<ListingState>,
) -> Result<Vec<ListingRecord>, sqlx::Error> {
    let (limit, offset) = q.limit_offset();
    let sql = match q.sort.as_str() {
        "oldest" => mine_page!("l.created_at, l.id"),
        "title" => mine_page!("lower(l.title), l.id"),
        _ => mine_page!("l.created_at desc, l.id desc"),
    };
    bind_mine(sqlx::query_as(sql), partner_id, q, state).bind(limit).bind(offset).fetch_all(ex).await
}

pub async fn count_for_partner<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    q: &ListQuery,
    state: Option<ListingState>,
) -> Result<i64, sqlx::Error> {
    let sql = concat!("select count(*) from listings l ", mine_where!());
    let (count,): (i64,) = bind_mine(sqlx::query_as(sql), partner_id, q, state).fetch_one(ex).await?;
    Ok(count)
}

fn bind_mine<'q, O>(
    query: AnyQueryAs<'q, O>,
    partner_id: &str,
    q: &ListQuery,
    state: Option<ListingState>,
) -> AnyQueryAs<'q, O> {
    query
        .bind(partner_id.to_string())
        .bind(q.like_pattern())
        .bind(state.map(ListingState::as_str).unwrap_or(""))
}

pub struct ListingFields<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub price_cents: i64,
}

/// Inserts unless the slug is taken; true when inserted.
pub async fn insert<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    partner_id: &str,
    slug: &str,
    f: &ListingFields<'_>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "insert into listings (id, partner_id, slug, title, description, price_cents, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $7) on conflict (slug) do nothing",
    )
    .bind(id)
    .bind(partner_id)
    .bind(slug)
    .bind(f.title)
    .bind(f.description)
    .bind(f.price_cents)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn update<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    id: &str,
    f: &ListingFields<'_>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update listings set title = $1, description = $2, price_cents = $3, updated_at = $4 \
         where id = $5 and partner_id = $6",
    )
    .bind(f.title)
    .bind(f.description)
    .bind(f.price_cents)
    .bind(now)
    .bind(id)
    .bind(partner_id)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Publishes (Some(now)) or unpublishes (None) a partner's own listing.
pub async fn set_published<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    id: &str,
    published_at: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("update listings set published_at = $1 where id = $2 and partner_id = $3")
        .bind(published_at)
        .bind(id)
        .bind(partner_id)
        .execute(ex)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn owned<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    id: &str,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("select 1 from listings where id = $1 and partner_id = $2")
        .bind(id)
        .bind(partner_id)
        .fetch_optional(ex)
        .await?;
    Ok(found.is_some())
}

pub async fn insert_share_link<'e>(
    ex: impl Executor<'e, Database = Any>,
    token: &str,
    listing_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("insert into share_links (token, listing_id, created_at) values ($1, $2, $3)")
        .bind(token)
        .bind(listing_id)
        .bind(now)
        .execute(ex)
        .await?;
    Ok(())
}

/// A share link with its listing's title and slug (`{where}` binds `$1`).
macro_rules! share_link_rows {
    ($where:literal) => {
        concat!(
            "select s.token, s.listing_id, l.title as listing_title, l.slug as listing_slug, s.created_at \
             from share_links s join listings l on l.id = s.listing_id ",
            $where
        )
    };
}

/// One page of a partner's share links, newest first (`limit`, `offset`).
pub async fn share_link_page<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<ShareLinkRecord>, sqlx::Error> {
    sqlx::query_as(share_link_rows!(
        "where l.partner_id = $1 order by s.created_at desc, s.token desc limit $2 offset $3"
    ))
    .bind(partner_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(ex)
    .await
}

pub async fn share_link_count<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "select count(*) from share_links s join listings l on l.id = s.listing_id where l.partner_id = $1",
    )
    .bind(partner_id)
    .fetch_one(ex)
    .await
}

pub async fn share_link<'e>(
    ex: impl Executor<'e, Database = Any>,
    token: &str,
) -> Result<Option<ShareLinkRecord>, sqlx::Error> {
    sqlx::query_as(share_link_rows!("where s.token = $1")).bind(token).fetch_optional(ex).await
}

#[derive(sqlx::FromRow)]
pub struct SharedListing {
    pub listing_id: String,
    pub partner_id: String,
    pub slug: String,
}

pub async fn by_share_token<'e>(
    ex: impl Executor<'e, Database = Any>,
    token: &str,
) -> Result<Option<SharedListing>, sqlx::Error> {
    sqlx::query_as(
        "select l.id as listing_id, l.partner_id, l.slug from share_links s \
         join listings l on l.id = s.listing_id where s.token = $1",
    )
    .bind(token)
    .fetch_optional(ex)
    .await
}

record! {
    /// A listing as the queries read it.
    #[derive(Debug, Clone)]
    pub struct ListingRecord => ListingView {
        pub id: String,
        pub slug: String,
        pub title: String,
        pub description: String,
        pub price_cents: i64,
        pub published_at: Option<i64>,
        pub creator_name: String,
        pub creator_handle: String,
    }
}

record! {
    /// A share link as the queries read it.
    #[derive(Debug, Clone)]
    pub struct ShareLinkRecord => ShareLinkRow {
        pub token: String,
        pub listing_id: String,
        pub listing_title: String,
        pub listing_slug: String,
        pub created_at: i64,
        // Filled in by the service (the public URL), not by the query.
        #[sqlx(default)]
        pub link: String,
    }
}
