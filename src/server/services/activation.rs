//! Activation by partner invite (DOMAIN decision 9): the redeeming user's existing
//! workspace becomes a reselling agency in one transaction — tier `partner`, referral
//! earning on, a new approved partner record (approved by the admin who minted the
//! invite), a default referral code, no sub-account cap. Doing it again, or twenty
//! times at once, changes nothing: the unique partner-per-workspace insert decides.
use crate::domain::commission::Commission;
use crate::model::AppError;
use crate::model::lifecycle::Activation;
use crate::server::db::lifecycle::{self, NewActivated};
use crate::server::db::{Db, Tx, new_id, platform_settings, users};

/// Runs inside the caller's transaction (the invite redemption's, which also counts the
/// use). `commission`: the invite's rate from its metadata, else the platform default.
pub async fn activate_in_tx(
    tx: &mut Tx,
    now: i64,
    workspace_id: &str,
    user_id: &str,
    approved_by: &str,
    commission: Option<Commission>,
) -> Result<Activation, AppError> {
    if let Some(existing) = lifecycle::for_workspace(&mut **tx, workspace_id).await? {
        return Ok(Activation::AlreadyPartner { partner_id: existing.id });
    }
    let workspace = lifecycle::workspace(&mut **tx, workspace_id).await?.ok_or(AppError::NotFound)?;
    let user = users::by_id(&mut **tx, user_id).await?.ok_or(AppError::NotFound)?;
    let commission = match commission {
        Some(c) => c,
        None => {
            let s = platform_settings::get(&mut **tx).await?;
            Commission::from_parts(&s.default_commission_kind, s.default_commission_value)
                .ok_or(AppError::Internal)?
        }
    };
    let partner_id = new_id();
    let new = NewActivated {
        id: &partner_id,
        workspace_id,
        name: &workspace.name,
        contact_email: &user.email,
        commission_kind: commission.kind(),
        commission_value: commission.value(),
        approved_by,
        now,
    };
    let created = lifecycle::insert_activated(tx, &new).await?;
    if !created {
        let existing = lifecycle::for_workspace(&mut **tx, workspace_id).await?.ok_or(AppError::Internal)?;
        return Ok(Activation::AlreadyPartner { partner_id: existing.id });
    }
    lifecycle::upgrade_to_agency(&mut **tx, workspace_id).await?;
    super::partners::add_default_code(tx, &partner_id, &workspace.name, now).await?;
    super::lifecycle::record_created_approved(
        tx,
        &partner_id,
        approved_by,
        "Activated by partner invite",
        now,
    )
    .await?;
    Ok(Activation::Activated { partner_id })
}

/// The same in its own transaction (tests; a caller without one).
pub async fn activate(
    db: &Db,
    workspace_id: &str,
    user_id: &str,
    approved_by: &str,
    commission: Option<Commission>,
) -> Result<Activation, AppError> {
    let now = db.now_ms();
    let mut tx = db.begin_write().await?;
    let outcome = activate_in_tx(&mut tx, now, workspace_id, user_id, approved_by, commission).await?;
    tx.commit().await?;
    Ok(outcome)
}
