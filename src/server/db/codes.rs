//! Referral codes.
use sqlx::{Any, Executor};

/// Inserts a code unless its case-folded key is taken; true when inserted.
pub async fn insert_if_free<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    partner_id: &str,
    code: &str,
    is_default: bool,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "insert into referral_codes (id, partner_id, code, code_key, is_default, created_at) \
         values ($1, $2, $3, $4, $5, $6) on conflict (code_key) do nothing",
    )
    .bind(id)
    .bind(partner_id)
    .bind(code)
    .bind(code.to_lowercase())
    .bind(is_default as i64)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}
