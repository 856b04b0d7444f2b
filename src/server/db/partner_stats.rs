//! A partner's running stats, in ONE query from the referrals and the ledger. Total
//! earnings come from the ledger's per-partner rollup (kept with every entry); pending and
//! lifetime payouts are the payout engine's `unpaid_and_paid!`: pending = every cash entry
//! (reversals included) not in a paid payout; lifetime = those in a paid payout.
use sqlx::{Any, Executor};

use crate::model::lifecycle::PartnerRunningStats;

macro_rules! stats_sql {
    ($($where:tt)*) => {
        concat!(
            "select p.id as partner_id, \
             (select count(*) from referrals r where r.partner_id = p.id) as total_referrals, \
             coalesce((select t.active from partner_subscription_totals t where t.partner_id = p.id), 0) \
               as active_referrals, \
             ",
            crate::net_cash_earned!(),
            " as total_earnings_cents, ",
            crate::unpaid_and_paid!("pending_payout_cents", "lifetime_payout_cents"),
            " from partners p ",
            $($where)*
        )
    };
}

/// One partner's running stats (`$1` partner).
pub const FOR_PARTNER_SQL: &str = stats_sql!("where p.id = $1");

pub async fn for_partner<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
) -> Result<Option<RunningStatsRecord>, sqlx::Error> {
    sqlx::query_as(FOR_PARTNER_SQL).bind(partner_id).fetch_optional(ex).await
}

/// The running stats of one page of the review queue (`$1` limit, `$2` offset), in no
/// particular order: the ids come first (an index range), then each one's sums.
pub const QUEUE_SQL: &str =
    stats_sql!("where p.id in (select id from partners ", crate::review_queue_page!(), ")");

pub async fn queue_page<'e>(
    ex: impl Executor<'e, Database = Any>,
    limit: i64,
    offset: i64,
) -> Result<Vec<RunningStatsRecord>, sqlx::Error> {
    sqlx::query_as(QUEUE_SQL).bind(limit).bind(offset).fetch_all(ex).await
}

/// Every partner's running stats.
pub const ALL_SQL: &str = stats_sql!("order by p.created_at desc");

pub async fn all<'e>(ex: impl Executor<'e, Database = Any>) -> Result<Vec<RunningStatsRecord>, sqlx::Error> {
    sqlx::query_as(ALL_SQL).fetch_all(ex).await
}

record! {
    /// A row as the query reads it.
    #[derive(Debug, Clone)]
    pub struct RunningStatsRecord => PartnerRunningStats {
        pub partner_id: String,
        pub total_referrals: i64,
        pub active_referrals: i64,
        pub total_earnings_cents: i64,
        pub pending_payout_cents: i64,
        pub lifetime_payout_cents: i64,
    }
}
