//! Admin → Partners as a list: search (name, contact email, any of the partner's codes),
//! a state filter, three sorts, a page and its count over the same condition. The running
//! totals are the admin list's (`partners::partner_rows!`); 25 partners a page bound them.
use super::AnyQueryAs;
use sqlx::{Any, Executor, FromRow};

use crate::domain::partner::PartnerState;
use crate::model::list::ListQuery;
use crate::model::types::PartnerRow;

/// `$1` = the search pattern (or ''), `$2` = the state (or '').
macro_rules! partners_where {
    () => {
        " from partners p \
         where ($1 = '' or lower(p.name) like $1 escape '\\' or lower(p.contact_email) like $1 escape '\\' \
           or exists (select 1 from referral_codes rc where rc.partner_id = p.id \
             and lower(rc.code) like $1 escape '\\')) \
         and ($2 = '' or p.status = $2) "
    };
}

macro_rules! partners_page {
    ($order:literal) => {
        concat!(
            "select p.id, p.name, p.contact_email, p.commission_kind, p.commission_value, p.approved_at, \
             p.status, p.created_at, \
             (select count(*) from referrals r where r.partner_id = p.id) as referrals, \
             (select count(*) from referrals r where r.partner_id = p.id and r.converted_at is not null) as converted, ",
            crate::unpaid_and_paid!("pending_cents", "paid_cents"),
            ", ",
            crate::net_cash_earned!(),
            " as earned_cents",
            partners_where!(),
            "order by ",
            $order,
            " limit $3 offset $4"
        )
    };
}

/// The default page, newest first (`$1` search, `$2` state, `$3` limit, `$4` offset).
pub const PAGE_SQL: &str = partners_page!("p.created_at desc, p.id desc");
/// The count behind the pages (`$1` search, `$2` state).
pub const COUNT_SQL: &str = concat!("select count(*)", partners_where!());
/// The same without a search, from an index: every partner, or one state's (`$1` state).
pub const COUNT_ALL_SQL: &str = "select count(*) from partners";
pub const COUNT_IN_STATE_SQL: &str = "select count(*) from partners where status = $1";

/// The partners of one page. Sorts: `name`, `earnings` (cash earned, most first); anything
/// else is the default, newest first.
pub async fn page<'e>(
    ex: impl Executor<'e, Database = Any>,
    q: &ListQuery,
    state: Option<PartnerState>,
) -> Result<Vec<PartnerListRecord>, sqlx::Error> {
    let sql = match q.sort.as_str() {
        "name" => partners_page!("lower(p.name), p.id"),
        "earnings" => partners_page!("earned_cents desc, p.id"),
        _ => PAGE_SQL,
    };
    let (limit, offset) = q.limit_offset();
    bind(sqlx::query_as(sql), q, state).bind(limit).bind(offset).fetch_all(ex).await
}

pub async fn count<'e>(
    ex: impl Executor<'e, Database = Any>,
    q: &ListQuery,
    state: Option<PartnerState>,
) -> Result<i64, sqlx::Error> {
    let query = match (q.like_pattern().is_empty(), state) {
        (true, None) => sqlx::query_as(COUNT_ALL_SQL),
        (true, Some(state)) => sqlx::query_as(COUNT_IN_STATE_SQL).bind(state.as_str()),
        (false, _) => bind(sqlx::query_as(COUNT_SQL), q, state),
    };
    let (count,): (i64,) = query.fetch_one(ex).await?;
    Ok(count)
}

fn bind<'q, O>(query: AnyQueryAs<'q, O>, q: &ListQuery, state: Option<PartnerState>) -> AnyQueryAs<'q, O> {
    query.bind(q.like_pattern()).bind(state.map(PartnerState::as_str).unwrap_or(""))
}

/// A row of the list as the query reads it; `.into()` gives the shared [`PartnerRow`].
#[derive(Debug, Clone, FromRow)]
pub struct PartnerListRecord {
    pub id: String,
    pub name: String,
    pub contact_email: String,
    pub commission_kind: String,
    pub commission_value: i64,
    pub approved_at: Option<i64>,
    pub status: PartnerState,
    pub created_at: i64,
    pub referrals: i64,
    pub converted: i64,
    pub pending_cents: i64,
    pub paid_cents: i64,
    /// The sort key of `earnings`; the row shows pending and paid.
    pub earned_cents: i64,
}

impl From<PartnerListRecord> for PartnerRow {
    fn from(r: PartnerListRecord) -> Self {
        PartnerRow {
            id: r.id,
            name: r.name,
            contact_email: r.contact_email,
            commission_kind: r.commission_kind,
            commission_value: r.commission_value,
            approved_at: r.approved_at,
            status: r.status,
            referrals: r.referrals,
            converted: r.converted,
            pending_cents: r.pending_cents,
            paid_cents: r.paid_cents,
            created_at: r.created_at,
        }
    }
}
