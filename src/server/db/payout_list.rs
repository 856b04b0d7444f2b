//! Payouts as a list (Admin → Payouts history, Portal → Payouts history): a status filter,
//! a search over the partner's name, newest first, a page and its count. A partner's list
//! binds its own id as `$1`; the admin's binds '' (every partner).
use super::AnyQueryAs;
use sqlx::{Any, Executor};

use crate::domain::roles::PayoutStatus;
use crate::model::list::ListQuery;
use crate::server::db::payouts::PayoutRow;

/// `$1` = the partner, `$2` = the status, `$3` = the search pattern (each '' for all).
/// Partners are read only for a search: a join would make the count (and the page's id
/// pick) visit a partner per payout even when nothing filters by name.
macro_rules! payouts_where {
    () => {
        " from payouts po \
         where ($1 = '' or po.partner_id = $1) and ($2 = '' or po.status = $2) \
         and ($3 = '' or po.partner_id in (select p.id from partners p where lower(p.name) like $3 escape '\\')) "
    };
}

/// The page's ids are picked first (filter, order, limit), then their rows and item counts
/// are read: SQLite computes the select list for every row it sorts.
macro_rules! payouts_page {
    ($order:literal) => {
        concat!(
            "select po.id, po.partner_id, p.name as partner_name, po.run_id, po.amount_cents, po.currency, \
             po.method, po.status, po.period, po.external_reference, po.failure_reason, po.created_at, \
             po.paid_at, (select count(*) from payout_items i where i.payout_id = po.id) as items \
             from payouts po join partners p on p.id = po.partner_id where po.id in (select po.id",
            payouts_where!(),
            "order by ",
            $order,
            " limit $4 offset $5) order by ",
            $order
        )
    };
}

/// The default page, newest first (`$1` partner, `$2` status, `$3` search, `$4` limit,
/// `$5` offset).
pub const PAGE_SQL: &str = payouts_page!("po.created_at desc, po.id desc");
/// The count behind the pages (`$1` partner, `$2` status, `$3` search).
pub const COUNT_SQL: &str = concat!("select count(*)", payouts_where!());

/// Newest first (`oldest` reverses it).
pub async fn page<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: Option<&str>,
    q: &ListQuery,
    status: Option<PayoutStatus>,
) -> Result<Vec<PayoutRow>, sqlx::Error> {
    let sql = match q.sort.as_str() {
        "oldest" => payouts_page!("po.created_at, po.id"),
        _ => PAGE_SQL,
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
    let (count,): (i64,) = bind(sqlx::query_as(COUNT_SQL), partner_id, q, status).fetch_one(ex).await?;
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
