//! The partner home's own reads: its newest referrals and the getting-started checklist.
use sqlx::{Any, Executor, FromRow};

use super::referral_list::ReferralRecord;

/// The newest referrals (`$1` partner, `$2` limit).
pub const RECENT_REFERRALS_SQL: &str = "select r.id, w.name as workspace_name, pl.name as plan_name, s.status as subscription_status, \
     r.source, c.code, r.created_at, r.converted_at \
     from referrals r join workspaces w on w.id = r.workspace_id \
     left join subscriptions s on s.workspace_id = r.workspace_id \
     left join plans pl on pl.id = s.plan_id \
     left join referral_codes c on c.id = r.code_id \
     where r.partner_id = $1 order by r.created_at desc, r.id desc limit $2";

/// The partner's newest `limit` referrals (the Referrals page's columns).
pub async fn recent_referrals<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    limit: i64,
) -> Result<Vec<ReferralRecord>, sqlx::Error> {
    sqlx::query_as(RECENT_REFERRALS_SQL).bind(partner_id).bind(limit).fetch_all(ex).await
}

/// What a new partner has done so far (each 0/1).
#[derive(Debug, Clone, Default, FromRow)]
pub struct ChecklistRow {
    /// A code of its own besides the default one it got.
    pub own_link: i64,
    /// Anyone clicked one of its links.
    pub shared: i64,
    /// Payout details saved, or a Stripe account connected.
    pub payout_method: i64,
    pub first_referral: i64,
}

/// The getting-started checklist (`$1` partner).
pub const CHECKLIST_SQL: &str = "select \
     (case when exists (select 1 from referral_codes where partner_id = $1 and is_default = 0) \
       then 1 else 0 end) as own_link, \
     (case when exists (select 1 from partner_click_days where partner_id = $1) then 1 else 0 end) as shared, \
     (case when exists (select 1 from partners where id = $1 and payout_details is not null \
         and payout_details <> '' and payout_details <> '{}') \
       or exists (select 1 from stripe_accounts where partner_id = $1) then 1 else 0 end) as payout_method, \
     (case when exists (select 1 from referrals where partner_id = $1) then 1 else 0 end) as first_referral";

pub async fn checklist<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
) -> Result<ChecklistRow, sqlx::Error> {
    sqlx::query_as(CHECKLIST_SQL).bind(partner_id).fetch_one(ex).await
}

/// The name of the approved partner whose enabled code this is (the register page names
/// the referrer).
pub async fn referrer_name<'e>(
    ex: impl Executor<'e, Database = Any>,
    code_key: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(concat!(
        "select p.name from referral_codes c join partners p on p.id = c.partner_id \
         where c.code_key = $1 and c.disabled_at is null and ",
        crate::eligible_partner!()
    ))
    .bind(code_key)
    .fetch_optional(ex)
    .await
}
