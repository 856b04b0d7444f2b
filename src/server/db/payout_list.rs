//! Payouts as a list (Admin → Payouts history, Portal → Payouts history): a status filter,
//! a search over the partner's name, newest first, a page and its count. A partner's list
//! binds its own id as `$1`; the admin's binds '' (every partner).
use super::AnyQueryAs;
use sqlx::{Any, Executor};

use crate::domain::roles::PayoutStatus;
use crate::model::list::ListQuery;
use crate::server::db::payouts::PayoutRow;

/// `$1` = the partner (`$whose`: `all_partners!` binds '' for every partner, `one_partner!`
/// the partner's id), `$2` = the status, `$3` = the search pattern (each '' for all). A partner's list
/// names its column outright: behind `($1 = '' or po.partner_id = $1)` neither database
/// uses the partner's index, and the portal's history walked every payout in date order
/// to find the partner's few. Partners are read only for a search: a join would make the
/// count (and the page's id pick) visit a partner per payout even when nothing filters by
/// name, and then per payout (`exists`): as an `in` list, SQLite built the list of every
/// partner's name even without a search.
macro_rules! payouts_where {
    ($whose:expr) => {
        concat!(
            " from payouts po where ",
            $whose,
            " and ($2 = '' or po.status = $2) \
             and ($3 = '' or exists (select 1 from partners p where p.id = po.partner_id \
               and lower(p.name) like $3 escape '\\')) "
        )
    };
}

/// Every partner's payouts (`$1` is '').
macro_rules! all_partners {
    () => {
        "$1 = ''"
    };
}

/// One partner's payouts (`$1` is its id).
macro_rules! one_partner {
    () => {
        "po.partner_id = $1"
    };
}

/// The page's ids are picked first (filter, order, limit), then their rows and item counts
/// are read: SQLite computes the select list for every row it sorts.
macro_rules! payouts_page {
    ($whose:expr, $order:literal) => {
        concat!(
            "select ",
            crate::payout_columns!(),
            "from payouts po join partners p on p.id = po.partner_id where po.id in (select po.id",
            payouts_where!($whose),
            "order by ",
            $order,
            " limit $4 offset $5) order by ",
            $order
        )
    };
}

/// The default page of every partner, newest first (`$1` '', `$2` status, `$3` search,
/// `$4` limit, `$5` offset).
pub const PAGE_SQL: &str = payouts_page!(all_partners!(), "po.created_at desc, po.id desc");
/// One partner's default page (`$1` the partner, the rest as [`PAGE_SQL`]).
pub const PARTNER_PAGE_SQL: &str = payouts_page!(one_partner!(), "po.created_at desc, po.id desc");
/// The count behind the pages (`$1` '', `$2` status, `$3` search).
pub const COUNT_SQL: &str = concat!("select count(*)", payouts_where!(all_partners!()));
/// One partner's count (`$1` the partner).
pub const PARTNER_COUNT_SQL: &str = concat!("select count(*)", payouts_where!(one_partner!()));

/// Newest first (`oldest` reverses it).
pub async fn page<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: Option<&str>,
    q: &ListQuery,
    status: Option<PayoutStatus>,
) -> Result<Vec<PayoutRow>, sqlx::Error> {
    let oldest = q.sort == "oldest";
    let sql = match (partner_id.is_some(), oldest) {
        (false, false) => PAGE_SQL,
        (true, false) => PARTNER_PAGE_SQL,
        (false, true) => payouts_page!(all_partners!(), "po.created_at, po.id"),
        (true, true) => payouts_page!(one_partner!(), "po.created_at, po.id"),
    };
    let (limit, offset) = q.limit_offset();
    bind(sqlx::query_as(sql), partner_id, q, status).bind(limit).bind(offset).fetch_all(ex).await
}

pub async fn count<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: Option<&str>,
    q: &ListQuery,
    status: Option<PayoutStatus>,
) -> Result<i64, sqlx::Error> {
    let sql = if partner_id.is_some() { PARTNER_COUNT_SQL } else { COUNT_SQL };
    let (count,): (i64,) = bind(sqlx::query_as(sql), partner_id, q, status).fetch_one(ex).await?;
    Ok(count)
}

fn bind<'q, O>(
    query: AnyQueryAs<'q, O>,
    partner_id: Option<&str>,
    q: &ListQuery,
    status: Option<PayoutStatus>,
) -> AnyQueryAs<'q, O> {
    query
        .bind(partner_id.unwrap_or("").to_string())
        .bind(status.map(PayoutStatus::as_str).unwrap_or(""))
        .bind(q.like_pattern())
}
