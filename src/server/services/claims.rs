//! Partner-provisioned tenants: provision → one-time claim link → claim.
use super::Shared;
use crate::domain::email::Email;
use crate::domain::names::DisplayName;
use crate::domain::roles::{ClaimState, ReferralSource, WorkspaceKind};
use crate::model::AppError;
use crate::model::list::{ListQuery, Page};
use crate::model::types::{ClaimInfo, ProvisionedTenant, TenantRow, Viewer};
use crate::server::auth::tokens::{hash_token, new_token};
use crate::server::db::claims::{NewRegistration, Registration};
use crate::server::db::referrals::NewReferral;
use crate::server::db::{DAY_MS, Db, billing, claims, new_id, referrals, workspaces};

pub struct NewTenant {
    pub workspace_name: DisplayName,
    pub plan_id: String,
    pub intended_email: Option<Email>,
}

/// One page of Portal → Tenant registrations.
pub async fn page(
    db: &Db,
    partner_id: &str,
    q: &ListQuery,
    state: Option<ClaimState>,
) -> Result<Page<TenantRow>, AppError> {
    let now = db.now_ms();
    let rows = claims::page_for_partner(&db.pool, partner_id, now, q, state).await?.shared();
    let total = claims::count_for_partner(&db.pool, partner_id, now, q, state).await?;
    Ok(Page::new(rows, total, q))
}

/// Stores only the token's hash; the link returned here is the one copy there is.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn provision(
    db: &Db,
    base_url: &str,
    partner_id: &str,
    new: &NewTenant,
    ttl_days: i64,
) -> Result<ProvisionedTenant, AppError> {
    if billing::plan(&db.pool, &new.plan_id).await?.is_none() {
        return Err(AppError::invalid("plan_id", "Choose an existing plan."));
    }
    let (id, token, now) = (new_id(), new_token(), db.now_ms());
    let registration = NewRegistration {
        id: &id,
        partner_id,
        workspace_name: new.workspace_name.as_str(),
        plan_id: &new.plan_id,
        intended_email: new.intended_email.as_ref().map(Email::as_str),
        token_hash: &hash_token(&token),
        expires_at: now + ttl_days * DAY_MS,
    };
    claims::insert(&db.pool, &registration, now).await?;
    Ok(ProvisionedTenant { id, claim_link: format!("{base_url}/register?tenantClaim={token}") })
}

pub async fn revoke(db: &Db, partner_id: &str, id: &str) -> Result<(), AppError> {
    if claims::revoke(&db.pool, partner_id, id, db.now_ms()).await? {
        Ok(())
    } else if claims::belongs_to(&db.pool, partner_id, id).await? {
        Err(AppError::Conflict("Only a registration that is still waiting can be revoked.".into()))
    } else {
        // Another partner's link answers like one that does not exist.
        Err(AppError::NotFound)
    }
}

/// Why a link can't be claimed any more, in words for the person holding it.
fn problem(reg: &Registration, now: i64) -> Option<String> {
    match reg.status {
        ClaimState::Claimed => Some("This claim link has already been used.".into()),
        ClaimState::Revoked => Some("This claim link was revoked by the partner who sent it.".into()),
        _ if reg.expires_at <= now => {
            Some("This claim link has expired. Ask your partner for a new one.".into())
        }
        _ => None,
    }
}

pub async fn preview(
    db: &Db,
    token: &str,
    viewer_email: Option<&str>,
) -> Result<Option<ClaimInfo>, AppError> {
    let Some(reg) = claims::by_token_hash(&db.pool, &hash_token(token)).await? else {
        return Ok(None);
    };
    let reserved_for_other = match (reg.intended_email.as_deref(), viewer_email) {
        (Some(intended), Some(viewer)) if intended != viewer => Some(mask_email(intended)),
        _ => None,
    };
    Ok(Some(ClaimInfo {
        reserved_for_other,
        problem: problem(&reg, db.now_ms()),
        workspace_name: reg.workspace_name,
        partner_name: reg.partner_name,
        plan_name: reg.plan_name,
    }))
}

/// The signed-in user becomes the owner of the provisioned tenant, which is attributed
/// to the partner (source: claim) on the partner's chosen plan. Works once per token.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn claim(db: &Db, viewer: &Viewer, token: &str) -> Result<String, AppError> {
    let now = db.now_ms();
    let mut tx = db.begin_write().await?;
    let reg = claims::by_token_hash(&mut *tx, &hash_token(token))
        .await?
        .ok_or_else(|| AppError::Conflict("This claim link is not valid.".into()))?;
    if let Some(problem) = problem(&reg, now) {
        return Err(AppError::Conflict(problem));
    }
    if reg.intended_email.as_deref().is_some_and(|e| e != viewer.email) {
        return Err(AppError::Refused(format!(
            "This workspace is reserved for another email address. You are logged in as {}; log in with the invited email to claim it.",
            viewer.email
        )));
    }
    if workspaces::is_member(&mut *tx, &reg.partner_workspace_id, &viewer.user_id).await? {
        return Err(AppError::Refused("Partner users can't claim their own partner's tenants.".into()));
    }
    let workspace_id = new_id();
    workspaces::insert(&mut *tx, &workspace_id, &reg.workspace_name, WorkspaceKind::Customer, now).await?;
    if !claims::mark_claimed(&mut *tx, &reg.id, &viewer.user_id, &workspace_id, now).await? {
        return Err(AppError::Conflict("This claim link has already been used.".into()));
    }
    workspaces::add_member(&mut *tx, &workspace_id, &viewer.user_id, "owner", now).await?;
    billing::upsert_subscription(&mut tx, &workspace_id, &reg.plan_id, "TRIALING", now).await?;
    let referral = NewReferral {
        workspace_id: &workspace_id,
        partner_id: &reg.partner_id,
        code_id: None,
        source: ReferralSource::Claim,
    };
    // The approval gate: a claim link of a partner that isn't approved now still hands
    // over the workspace, but binds no referral.
    if crate::server::db::lifecycle::is_eligible(&mut *tx, &reg.partner_id).await? {
        referrals::insert(&mut tx, &new_id(), &referral, now).await?;
    }
    tx.commit().await?;
    Ok(workspace_id)
}

/// `jane@example.com` → `j•••@example.com`: enough to recognise one's own address.
fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}•••@{domain}")
        }
        None => "•••".to_string(),
    }
}

#[cfg(test)]
mod mask_tests {
    #[test]
    fn masks_keep_the_first_letter_and_the_domain() {
        assert_eq!(super::mask_email("jane@example.com"), "j•••@example.com");
        assert_eq!(super::mask_email("x"), "•••");
    }
}
