use crate::domain::codes::ReferralCode;
use crate::domain::roles::LinkState;
use crate::model::AppError;
use crate::model::list::{ListQuery, Page};
use crate::model::types::CodeRow;
use crate::server::db::{Db, code_list, codes, new_id};

fn with_link(base_url: &str, mut row: CodeRow) -> CodeRow {
    row.link = format!("{base_url}/register?ref={}", row.code);
    row
}

pub async fn list(db: &Db, base_url: &str, partner_id: &str) -> Result<Vec<CodeRow>, AppError> {
    let rows = codes::for_partner(&db.pool, partner_id).await?;
    Ok(rows.into_iter().map(|r| with_link(base_url, r.into())).collect())
}

/// One page of Portal → Referral Links, each code with its link.
pub async fn page(
    db: &Db,
    base_url: &str,
    partner_id: &str,
    q: &ListQuery,
    state: Option<LinkState>,
) -> Result<Page<CodeRow>, AppError> {
    let rows = code_list::page(&db.pool, partner_id, q, state).await?;
    let rows = rows.into_iter().map(|r| with_link(base_url, r.into())).collect();
    Ok(Page::new(rows, code_list::count(&db.pool, partner_id, q, state).await?, q))
}

/// Codes are unique ignoring case across all partners.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn create(
    db: &Db,
    base_url: &str,
    partner_id: &str,
    code: &ReferralCode,
) -> Result<CodeRow, AppError> {
    let id = new_id();
    if !codes::insert_if_free(&db.pool, &id, partner_id, code.as_str(), false, db.now_ms()).await? {
        return Err(AppError::invalid("code", format!("“{code}” is already taken. Try another code.")));
    }
    let row = codes::by_id(&db.pool, partner_id, &id).await?.ok_or(AppError::Internal)?;
    Ok(with_link(base_url, row.into()))
}

pub async fn disable(db: &Db, partner_id: &str, code_id: &str) -> Result<(), AppError> {
    if codes::disable(&db.pool, partner_id, code_id, db.now_ms()).await? {
        return Ok(());
    }
    match codes::by_id(&db.pool, partner_id, code_id).await? {
        Some(_) => Ok(()), // already disabled: nothing to do
        None => Err(AppError::NotFound),
    }
}
