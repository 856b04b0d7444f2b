use super::Shared;
use rand::Rng;

use crate::domain::codes::{code_with_suffix, suggest_default_code};
use crate::domain::commission::Commission;
use crate::domain::email::Email;
use crate::domain::names::DisplayName;
use crate::domain::partner::PartnerState;
use crate::model::AppError;
use crate::model::list::{ListQuery, Page};
use crate::server::db::partners::NewPartnerRow;
use crate::server::db::{Db, Tx, codes, new_id, partner_list, partners, workspaces};

pub struct NewPartner {
    pub name: DisplayName,
    pub contact_email: Email,
    pub commission: Commission,
}

/// Creates a partner with its portal workspace and default referral code, approved
/// by `admin_id`. Returns the partner id.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn create(db: &Db, admin_id: &str, new: &NewPartner) -> Result<String, AppError> {
    let (partner_id, workspace_id, now) = (new_id(), new_id(), db.now_ms());
    let mut tx = db.begin_write().await?;
    workspaces::insert_partner_workspace(&mut *tx, &workspace_id, new.name.as_str(), now).await?;
    let row = NewPartnerRow {
        id: &partner_id,
        workspace_id: &workspace_id,
        name: new.name.as_str(),
        contact_email: new.contact_email.as_str(),
        commission_kind: new.commission.kind(),
        commission_value: new.commission.value(),
        approved_by: admin_id,
        now,
    };
    partners::insert(&mut tx, &row).await?;
    add_default_code(&mut tx, &partner_id, new.name.as_str(), now).await?;
    super::lifecycle::record_created_approved(&mut tx, &partner_id, admin_id, "Created by an admin", now)
        .await?;
    tx.commit().await?;
    Ok(partner_id)
}

/// The default code is the partner's name as a code; when taken, a short suffix is added.
pub(crate) async fn add_default_code(
    tx: &mut Tx,
    partner_id: &str,
    name: &str,
    now: i64,
) -> Result<(), AppError> {
    let base = suggest_default_code(name);
    for attempt in 0..8 {
        let code = if attempt == 0 {
            base.clone()
        } else {
            let suffix: u32 = rand::rng().random_range(100..10_000);
            code_with_suffix(&base, &suffix.to_string())
        };
        if codes::insert_if_free(&mut **tx, &new_id(), partner_id, &code, true, now).await? {
            return Ok(());
        }
    }
    Err(AppError::Conflict("Could not find a free referral code for this partner.".into()))
}

/// One page of Admin → Partners.
pub async fn page(
    db: &Db,
    q: &ListQuery,
    state: Option<PartnerState>,
) -> Result<Page<crate::model::types::PartnerRow>, AppError> {
    let rows = partner_list::page(&db.pool, q, state).await?.shared();
    Ok(Page::new(rows, partner_list::count(&db.pool, q, state).await?, q))
}

pub async fn detail(
    db: &Db,
    base_url: &str,
    partner_id: &str,
) -> Result<crate::model::types::PartnerProfile, AppError> {
    let partner = partners::by_id(&db.pool, partner_id).await?.ok_or(AppError::NotFound)?;
    Ok(crate::model::types::PartnerProfile {
        users: partners::users(&db.pool, partner_id).await?.shared(),
        codes: super::links::list(db, base_url, partner_id).await?,
        rules: partners::rules(&db.pool, partner_id).await?.shared(),
        referrals: super::referrals::page(db, partner_id, &ListQuery::default(), Default::default()).await?,
        partner: partner.into(),
    })
}

/// "added" when the user exists (member now), "invited" when the email is new.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn attach_user(
    db: &Db,
    admin_id: &str,
    partner_id: &str,
    email: &Email,
) -> Result<String, AppError> {
    let now = db.now_ms();
    let mut tx = db.begin_write().await?;
    // Without it, on Postgres, someone registering with this email at this moment would
    // not see the invitation and we would not see their account: never a member.
    db.lock_key(&mut tx, &super::accounts::email_lock_key(email.as_str())).await?;
    let partner = partners::by_id(&mut *tx, partner_id).await?.ok_or(AppError::NotFound)?;
    let workspace_id = partners::workspace_of(&mut *tx, &partner.id).await?;
    let outcome = match crate::server::db::users::by_email(&mut *tx, email.as_str()).await? {
        Some(user) => {
            workspaces::add_member(&mut *tx, &workspace_id, &user.id, "member", now).await?;
            "added"
        }
        None => {
            partners::invite(&mut *tx, partner_id, email.as_str(), admin_id, now).await?;
            "invited"
        }
    };
    tx.commit().await?;
    Ok(outcome.into())
}

pub async fn set_rule(db: &Db, partner_id: &str, plan_id: &str, rule: Commission) -> Result<(), AppError> {
    let mut tx = db.begin_write().await?;
    if partners::by_id(&mut *tx, partner_id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    if crate::server::db::billing::plan(&mut *tx, plan_id).await?.is_none() {
        return Err(AppError::invalid("plan_id", "Choose an existing plan."));
    }
    partners::upsert_rule(&mut *tx, partner_id, plan_id, rule.kind(), rule.value(), db.now_ms()).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_rule(db: &Db, partner_id: &str, plan_id: &str) -> Result<(), AppError> {
    if partners::delete_rule(&db.pool, partner_id, plan_id).await? { Ok(()) } else { Err(AppError::NotFound) }
}
