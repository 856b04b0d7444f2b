//! Referrals: one per workspace, bound once.
use crate::domain::roles::ReferralSource;
use sqlx::{Any, Executor};

use crate::model::types::ReferralRow;

pub struct NewReferral<'a> {
    pub workspace_id: &'a str,
    pub partner_id: &'a str,
    pub code_id: Option<&'a str>,
    pub source: ReferralSource,
}

/// First touch: a workspace that already has a referral keeps it. True when bound now.
pub async fn insert<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    r: &NewReferral<'_>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "insert into referrals (id, workspace_id, partner_id, code_id, source, created_at) \
         values ($1, $2, $3, $4, $5, $6) on conflict (workspace_id) do nothing",
    )
    .bind(id)
    .bind(r.workspace_id)
    .bind(r.partner_id)
    .bind(r.code_id)
    .bind(r.source)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(sqlx::FromRow)]
pub struct WorkspaceReferral {
    pub id: String,
    pub partner_id: String,
}

pub async fn for_workspace<'e>(
    ex: impl Executor<'e, Database = Any>,
    workspace_id: &str,
) -> Result<Option<WorkspaceReferral>, sqlx::Error> {
    sqlx::query_as("select id, partner_id from referrals where workspace_id = $1")
        .bind(workspace_id)
        .fetch_optional(ex)
        .await
}

/// Converts a referral once; false when it had already converted.
pub async fn mark_converted<'e>(
    ex: impl Executor<'e, Database = Any>,
    referral_id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("update referrals set converted_at = $1 where id = $2 and converted_at is null")
        .bind(now)
        .bind(referral_id)
        .execute(ex)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A partner's (`$1`) referrals with the Referrals page's columns, then `$tail` (the order
/// and limit).
#[macro_export]
macro_rules! partner_referrals {
    ($tail:literal) => {
        concat!(
            "select r.id, w.name as workspace_name, pl.name as plan_name, \
             s.status as subscription_status, r.source, c.code, r.created_at, r.converted_at \
             from referrals r join workspaces w on w.id = r.workspace_id \
             left join subscriptions s on s.workspace_id = r.workspace_id \
             left join plans pl on pl.id = s.plan_id \
             left join referral_codes c on c.id = r.code_id \
             where r.partner_id = $1 ",
            $tail
        )
    };
}

/// A partner's referrals, newest first (`$1` partner).
pub const FOR_PARTNER_SQL: &str = partner_referrals!("order by r.created_at desc");

pub async fn for_partner<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
) -> Result<Vec<ReferralRow>, sqlx::Error> {
    sqlx::query_as(FOR_PARTNER_SQL).bind(partner_id).fetch_all(ex).await
}

/// Which listing and click brought this referral (set right after binding).
pub async fn set_origin<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    listing_id: Option<&str>,
    click_id: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("update referrals set listing_id = $1, click_id = $2 where id = $3")
        .bind(listing_id)
        .bind(click_id)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(())
}
