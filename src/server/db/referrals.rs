//! Referrals: one per workspace, bound once.
use crate::domain::roles::ReferralSource;
use sqlx::{Any, Executor};

pub struct NewReferral<'a> {
    pub workspace_id: &'a str,
    pub partner_id: &'a str,
    pub code_id: Option<&'a str>,
    pub source: ReferralSource,
}

/// First touch: a workspace that already has a referral keeps it. True when bound now;
/// then the workspace's subscription, if ACTIVE, joins its partner's totals, and the signup
/// its hour (`rollups`).
pub async fn insert(
    tx: &mut super::Tx,
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
    .execute(&mut **tx)
    .await?;
    let bound = done.rows_affected() == 1;
    if bound {
        super::rollups::move_subscription(tx, r.workspace_id, super::rollups::Part::In).await?;
        super::rollups::count_referral(tx, super::rollups::ReferralEvent::Signup, now).await?;
    }
    Ok(bound)
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

/// Converts a referral once (and counts it in its hour, `rollups`); false when it had
/// already converted.
pub async fn mark_converted(tx: &mut super::Tx, referral_id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("update referrals set converted_at = $1 where id = $2 and converted_at is null")
        .bind(now)
        .bind(referral_id)
        .execute(&mut **tx)
        .await?;
    let converted = done.rows_affected() == 1;
    if converted {
        super::rollups::count_referral(tx, super::rollups::ReferralEvent::Conversion, now).await?;
    }
    Ok(converted)
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
