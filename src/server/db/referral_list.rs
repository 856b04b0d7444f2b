//! One partner's referrals as a list (Portal → Referrals, the admin partner page's latest
//! referrals): search (workspace name, code), source and state filters, four sorts, a page
//! and its count over the same condition. `$1` is always the partner: a partner's list
//! can never hold another partner's rows.
use super::AnyQueryAs;
use sqlx::{Any, Executor};

use crate::domain::roles::{ReferralSource, ReferralState, SubscriptionStatus};
use crate::model::list::ListQuery;
use crate::model::types::ReferralRow;

/// `$2` = the search pattern, `$3` = the source, `$4` = the state (each '' for all).
macro_rules! referrals_where {
    () => {
        " from referrals r join workspaces w on w.id = r.workspace_id \
         left join subscriptions s on s.workspace_id = r.workspace_id \
         left join plans pl on pl.id = s.plan_id \
         left join referral_codes c on c.id = r.code_id \
         where r.partner_id = $1 \
         and ($2 = '' or lower(w.name) like $2 escape '\\' or lower(coalesce(c.code, '')) like $2 escape '\\') \
         and ($3 = '' or r.source = $3) \
         and ($4 <> 'converted' or r.converted_at is not null) \
         and ($4 <> 'registered' or r.converted_at is null) "
    };
}

macro_rules! referrals_page {
    ($order:literal) => {
        concat!(
            "select r.id, w.name as workspace_name, pl.name as plan_name, s.status as subscription_status, \
             r.source, c.code, r.created_at, r.converted_at",
            referrals_where!(),
            "order by ",
            $order,
            " limit $5 offset $6"
        )
    };
}

/// The default page, newest first (`$1` partner, `$2` search, `$3` source, `$4` state,
/// `$5` limit, `$6` offset).
pub const PAGE_SQL: &str = referrals_page!("r.created_at desc, r.id desc");
/// The count behind the pages (`$1`–`$4` as the page).
pub const COUNT_SQL: &str = concat!("select count(*)", referrals_where!());
/// The count without a search (`$1` partner, `$2` '', `$3` source, `$4` state): only the
/// search reads the joined rows, and each referral joins at most one row of each, so the
/// referrals alone are counted.
pub const PLAIN_COUNT_SQL: &str = "select count(*) from referrals r where r.partner_id = $1 and $2 = '' \
     and ($3 = '' or r.source = $3) \
     and ($4 <> 'converted' or r.converted_at is not null) \
     and ($4 <> 'registered' or r.converted_at is null)";

/// The filters of the list, parsed.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReferralFilter {
    pub source: Option<ReferralSource>,
    pub state: Option<ReferralState>,
}

/// Sorts: `oldest`, `name` (workspace), `converted` (latest conversions first, then the
/// rest); anything else is the default, newest first.
pub async fn page<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    q: &ListQuery,
    f: ReferralFilter,
) -> Result<Vec<ReferralRecord>, sqlx::Error> {
    let sql = match q.sort.as_str() {
        "oldest" => referrals_page!("r.created_at, r.id"),
        "name" => referrals_page!("lower(w.name), r.id"),
        "converted" => referrals_page!("(r.converted_at is null), r.converted_at desc, r.id"),
        _ => PAGE_SQL,
    };
    let (limit, offset) = q.limit_offset();
    bind(sqlx::query_as(sql), partner_id, q, f).bind(limit).bind(offset).fetch_all(ex).await
}

pub async fn count<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    q: &ListQuery,
    f: ReferralFilter,
) -> Result<i64, sqlx::Error> {
    let sql = if q.like_pattern().is_empty() { PLAIN_COUNT_SQL } else { COUNT_SQL };
    let (count,): (i64,) = bind(sqlx::query_as(sql), partner_id, q, f).fetch_one(ex).await?;
    Ok(count)
}

fn bind<'q, O>(
    query: AnyQueryAs<'q, O>,
    partner_id: &str,
    q: &ListQuery,
    f: ReferralFilter,
) -> AnyQueryAs<'q, O> {
    query
        .bind(partner_id.to_string())
        .bind(q.like_pattern())
        .bind(f.source.map(ReferralSource::as_str).unwrap_or(""))
        .bind(f.state.map(ReferralState::as_str).unwrap_or(""))
}

record! {
    /// A row of the list as the query reads it; `.into()` gives the shared [`ReferralRow`].
    #[derive(Debug, Clone)]
    pub struct ReferralRecord => ReferralRow {
        pub id: String,
        pub workspace_name: String,
        pub plan_name: Option<String>,
        pub subscription_status: Option<SubscriptionStatus>,
        pub source: ReferralSource,
        pub code: Option<String>,
        pub created_at: i64,
        pub converted_at: Option<i64>,
    }
}
