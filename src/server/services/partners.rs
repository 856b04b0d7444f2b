use rand::Rng;

use crate::api::AppError;
use crate::domain::codes::suggest_default_code;
use crate::domain::commission::Commission;
use crate::domain::email::Email;
use crate::domain::names::DisplayName;
use crate::server::db::partners::NewPartnerRow;
use crate::server::db::{Db, Tx, codes, new_id, now_ms, partners, workspaces};

pub struct NewPartner {
    pub name: DisplayName,
    pub contact_email: Email,
    pub commission: Commission,
}

/// Creates a partner with its portal workspace and default referral code, approved
/// by `admin_id`. Returns the partner id.
#[tracing::instrument(skip_all, err)]
pub async fn create(db: &Db, admin_id: &str, new: &NewPartner) -> Result<String, AppError> {
    let (partner_id, workspace_id, now) = (new_id(), new_id(), now_ms());
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
    partners::insert(&mut *tx, &row).await?;
    add_default_code(&mut tx, &partner_id, new.name.as_str(), now).await?;
    tx.commit().await?;
    Ok(partner_id)
}

/// The default code is the partner's name as a code; when taken, a short suffix is added.
async fn add_default_code(tx: &mut Tx, partner_id: &str, name: &str, now: i64) -> Result<(), AppError> {
    let base = suggest_default_code(name);
    for attempt in 0..8 {
        let code = if attempt == 0 {
            base.clone()
        } else {
            let suffix: u32 = rand::rng().random_range(100..10_000);
            format!("{}-{suffix}", &base[..base.len().min(26)])
        };
        if codes::insert_if_free(&mut **tx, &new_id(), partner_id, &code, true, now).await? {
            return Ok(());
        }
    }
    Err(AppError::Conflict("Could not find a free referral code for this partner.".into()))
}
