//! Agency sub-accounts: a workspace owns sub-account workspaces (`parent_id`). The cap
//! (partner tier: unlimited; standard: the platform's) is enforced by one conditional
//! update, so concurrent creations never pass it. A sub-account created by an agency
//! partner is attributed to it (source `agency`), and its creator owns it.
use super::Shared;
use crate::domain::names::DisplayName;
use crate::domain::partner::ReferralSource;
use crate::model::AppError;
use crate::model::lifecycle::SubAccountRow;
use crate::server::db::referrals::NewReferral;
use crate::server::db::{Db, lifecycle, new_id, referrals, workspaces};

#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn create(
    db: &Db,
    user_id: &str,
    partner_id: &str,
    parent_workspace_id: &str,
    name: &DisplayName,
) -> Result<String, AppError> {
    let now = db.now_ms();
    let mut tx = db.begin_write().await?;
    if !lifecycle::take_sub_account_slot(&mut *tx, parent_workspace_id).await? {
        return Err(AppError::Refused(
            "This workspace has reached its sub-account limit. Partner agencies have no limit.".into(),
        ));
    }
    let id = new_id();
    lifecycle::insert_sub_account(&mut *tx, &id, name.as_str(), parent_workspace_id, now).await?;
    workspaces::add_member(&mut *tx, &id, user_id, "owner", now).await?;
    let referral =
        NewReferral { workspace_id: &id, partner_id, code_id: None, source: ReferralSource::Agency };
    referrals::insert(&mut tx, &new_id(), &referral, now).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn list(db: &Db, parent_workspace_id: &str) -> Result<Vec<SubAccountRow>, AppError> {
    Ok(lifecycle::sub_accounts(&db.pool, parent_workspace_id).await?.shared())
}
