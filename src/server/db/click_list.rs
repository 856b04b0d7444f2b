//! Clicks as a list (Admin → Clicks, behind the overview's Clicks figure): a window on the
//! click's time, one partner or all, a search over the partner's name and the code, newest
//! or oldest first, a page and its count over the same condition.
use super::AnyQueryAs;
use sqlx::{Any, Executor};

use crate::model::list::ListQuery;
use crate::model::types::ClickRow;

/// `$1` = the partner ('' for all), `$2` = the search pattern ('' for none), `$3`..`$4` =
/// the window (`from` included, `to` excluded). The window leads, so the time index serves
/// both the order and the range.
macro_rules! clicks_where {
    () => {
        " from clicks k join partners p on p.id = k.partner_id \
         left join referral_codes c on c.id = k.code_id \
         left join listings l on l.id = k.listing_id \
         where k.created_at >= $3 and k.created_at < $4 and ($1 = '' or k.partner_id = $1) \
         and ($2 = '' or lower(p.name) like $2 escape '\\' or lower(coalesce(c.code, '')) like $2 escape '\\') "
    };
}

macro_rules! clicks_page {
    ($order:literal) => {
        concat!(
            "select k.id, k.partner_id, p.name as partner_name, \
             coalesce('Code ' || c.code, 'Listing ' || l.title, \
             case when k.share_token is not null then 'Share link' end, 'Link') as via, \
             k.landing_path, k.referrer, k.created_at",
            clicks_where!(),
            "order by ",
            $order,
            " limit $5 offset $6"
        )
    };
}

/// The default page, newest first (`$1`–`$4` as above, `$5` limit, `$6` offset).
pub const PAGE_SQL: &str = clicks_page!("k.created_at desc, k.id desc");
/// The count behind the pages (`$1`–`$4` as the page).
pub const COUNT_SQL: &str = concat!("select count(*)", clicks_where!());

/// `oldest` reverses the default, newest first.
pub async fn page<'e>(
    ex: impl Executor<'e, Database = Any>,
    q: &ListQuery,
) -> Result<Vec<ClickRecord>, sqlx::Error> {
    let sql = match q.sort.as_str() {
        "oldest" => clicks_page!("k.created_at, k.id"),
        _ => PAGE_SQL,
    };
    let (limit, offset) = q.limit_offset();
    bind(sqlx::query_as(sql), q).bind(limit).bind(offset).fetch_all(ex).await
}

pub async fn count<'e>(ex: impl Executor<'e, Database = Any>, q: &ListQuery) -> Result<i64, sqlx::Error> {
    let (count,): (i64,) = bind(sqlx::query_as(COUNT_SQL), q).fetch_one(ex).await?;
    Ok(count)
}

fn bind<'q, O>(query: AnyQueryAs<'q, O>, q: &ListQuery) -> AnyQueryAs<'q, O> {
    query
        .bind(q.partner.clone())
        .bind(q.like_pattern())
        .bind(q.from.unwrap_or(0))
        .bind(q.to.unwrap_or(i64::MAX))
}

record! {
    /// A row of the list as the query reads it; `.into()` gives the shared [`ClickRow`].
    #[derive(Debug, Clone)]
    pub struct ClickRecord => ClickRow {
        pub id: String,
        pub partner_id: String,
        pub partner_name: String,
        /// What the visitor came through: "Code …", "Listing …", "Share link".
        pub via: String,
        pub landing_path: String,
        pub referrer: Option<String>,
        pub created_at: i64,
    }
}
