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

use super::code_list::CodeRecord;

/// Who owns an active code of an approved, active partner.
#[derive(sqlx::FromRow, Clone, Debug)]
pub struct CodeOwner {
    pub code_id: String,
    pub partner_id: String,
    pub partner_workspace_id: String,
}

/// The landing's code lookup (`$1` code key).
pub const RESOLVE_ACTIVE_SQL: &str = concat!(
    "select c.id as code_id, p.id as partner_id, p.workspace_id as partner_workspace_id \
     from referral_codes c join partners p on p.id = c.partner_id \
     where c.code_key = $1 and c.disabled_at is null and ",
    crate::eligible_partner!()
);

pub async fn resolve_active<'e>(
    ex: impl Executor<'e, Database = Any>,
    code_key: &str,
) -> Result<Option<CodeOwner>, sqlx::Error> {
    sqlx::query_as(RESOLVE_ACTIVE_SQL).bind(code_key).fetch_optional(ex).await
}

pub async fn for_partner<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
) -> Result<Vec<CodeRecord>, sqlx::Error> {
    sqlx::query_as(
        "select id, code, is_default, disabled_at, created_at from referral_codes \
         where partner_id = $1 order by is_default desc, created_at",
    )
    .bind(partner_id)
    .fetch_all(ex)
    .await
}

pub async fn by_id<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    code_id: &str,
) -> Result<Option<CodeRecord>, sqlx::Error> {
    sqlx::query_as(
        "select id, code, is_default, disabled_at, created_at from referral_codes \
         where partner_id = $1 and id = $2",
    )
    .bind(partner_id)
    .bind(code_id)
    .fetch_optional(ex)
    .await
}

/// Disables a partner's own code; false when it isn't theirs or is already off.
pub async fn disable<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    code_id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update referral_codes set disabled_at = $1 \
         where id = $2 and partner_id = $3 and disabled_at is null",
    )
    .bind(now)
    .bind(code_id)
    .bind(partner_id)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The default code of an approved, active partner (a creator's handle).
pub async fn default_of_active_partner<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
) -> Result<Option<CodeOwner>, sqlx::Error> {
    sqlx::query_as(concat!(
        "select c.id as code_id, p.id as partner_id, p.workspace_id as partner_workspace_id \
         from referral_codes c join partners p on p.id = c.partner_id \
         where p.id = $1 and c.is_default = 1 and c.disabled_at is null and ",
        crate::eligible_partner!()
    ))
    .bind(partner_id)
    .fetch_optional(ex)
    .await
}
