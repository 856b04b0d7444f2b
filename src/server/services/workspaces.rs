use crate::api::AppError;
use crate::domain::codes::ReferralCode;
use crate::domain::names::DisplayName;
use crate::server::db::{Db, codes, new_id, now_ms, referrals, workspaces};

/// A new customer workspace owned by `user_id`; returns its id. A referral code the
/// visitor carries binds the workspace to its partner now, once (first touch).
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn create(
    db: &Db,
    user_id: &str,
    name: &DisplayName,
    referral_code: Option<&str>,
) -> Result<String, AppError> {
    let (id, now) = (new_id(), now_ms());
    let mut tx = db.begin_write().await?;
    workspaces::insert(&mut *tx, &id, name.as_str(), "customer", now).await?;
    workspaces::add_member(&mut *tx, &id, user_id, "owner", now).await?;
    if let Some(code) = referral_code.and_then(|c| ReferralCode::parse(c).ok()) {
        bind_referral(&mut tx, &id, user_id, &code, now).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Binds only codes of approved, active partners, and never a partner's own users.
async fn bind_referral(
    tx: &mut crate::server::db::Tx,
    workspace_id: &str,
    user_id: &str,
    code: &ReferralCode,
    now: i64,
) -> Result<(), AppError> {
    let Some(owner) = codes::resolve_active(&mut **tx, &code.key()).await? else {
        return Ok(());
    };
    if workspaces::is_member(&mut **tx, &owner.partner_workspace_id, user_id).await? {
        return Ok(());
    }
    let referral = referrals::NewReferral {
        workspace_id,
        partner_id: &owner.partner_id,
        code_id: Some(&owner.code_id),
        source: "link",
    };
    referrals::insert(&mut **tx, &new_id(), &referral, now).await?;
    Ok(())
}
