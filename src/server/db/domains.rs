//! Custom domains of agencies (white-label hosts), their DNS verification and branding.
use sqlx::{Any, Executor};

/// A `custom_domains` row. `verify_token` is `None` only on rows from before
/// verification existed, until the service gives them one.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DomainRecord {
    pub host: String,
    pub workspace_id: String,
    pub brand_name: String,
    pub brand_color: String,
    pub created_at: i64,
    pub verify_token: Option<String>,
    pub verified_at: Option<i64>,
    pub last_checked_at: Option<i64>,
    pub last_error: Option<String>,
}

const COLUMNS: &str = "host, workspace_id, brand_name, brand_color, created_at, verify_token, verified_at, \
                       last_checked_at, last_error";

/// A new pending domain. `false` when the host is already taken (by anyone).
pub async fn insert<'e>(
    ex: impl Executor<'e, Database = Any>,
    host: &str,
    workspace_id: &str,
    brand_name: &str,
    brand_color: &str,
    verify_token: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "insert into custom_domains (host, workspace_id, brand_name, brand_color, created_at, verify_token) \
         values ($1, $2, $3, $4, $5, $6) on conflict (host) do nothing",
    )
    .bind(host)
    .bind(workspace_id)
    .bind(brand_name)
    .bind(brand_color)
    .bind(now)
    .bind(verify_token)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The workspace that holds `host`, verified or not.
pub async fn owner_of<'e>(
    ex: impl Executor<'e, Database = Any>,
    host: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("select workspace_id from custom_domains where host = $1")
        .bind(host)
        .fetch_optional(ex)
        .await
}

pub async fn for_workspace<'e>(
    ex: impl Executor<'e, Database = Any>,
    workspace_id: &str,
) -> Result<Vec<DomainRecord>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from custom_domains where workspace_id = $1 order by host"
    )))
    .bind(workspace_id)
    .fetch_all(ex)
    .await
}

pub async fn of_workspace<'e>(
    ex: impl Executor<'e, Database = Any>,
    workspace_id: &str,
    host: &str,
) -> Result<Option<DomainRecord>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from custom_domains where host = $1 and workspace_id = $2"
    )))
    .bind(host)
    .bind(workspace_id)
    .fetch_optional(ex)
    .await
}

/// The domain on `host` only if its DNS check passed: the one lookup that branding and
/// CORS may trust.
pub async fn verified_by_host<'e>(
    ex: impl Executor<'e, Database = Any>,
    host: &str,
) -> Result<Option<DomainRecord>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from custom_domains where host = $1 and verified_at is not null"
    )))
    .bind(host)
    .fetch_optional(ex)
    .await
}

/// Gives a row from before verification its token; a row that has one keeps it (two
/// requests racing agree on the first).
pub async fn set_token_if_missing<'e>(
    ex: impl Executor<'e, Database = Any>,
    host: &str,
    verify_token: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("update custom_domains set verify_token = $1 where host = $2 and verify_token is null")
        .bind(verify_token)
        .bind(host)
        .execute(ex)
        .await?;
    Ok(())
}

/// Pending domains with a token whose last check is older than `checked_before` (or that
/// were never checked), least recently checked first.
pub async fn due_for_check<'e>(
    ex: impl Executor<'e, Database = Any>,
    checked_before: i64,
    limit: i64,
) -> Result<Vec<DomainRecord>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from custom_domains \
         where verified_at is null and verify_token is not null \
           and (last_checked_at is null or last_checked_at <= $1) \
         order by coalesce(last_checked_at, 0), host limit $2"
    )))
    .bind(checked_before)
    .bind(limit)
    .fetch_all(ex)
    .await
}

/// The check found the record for this token. Only the token that was checked counts, so
/// a row removed and added again meanwhile (new token) stays pending.
pub async fn mark_verified<'e>(
    ex: impl Executor<'e, Database = Any>,
    host: &str,
    verify_token: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update custom_domains set verified_at = $1, last_checked_at = $1, last_error = null \
         where host = $2 and verify_token = $3 and verified_at is null",
    )
    .bind(now)
    .bind(host)
    .bind(verify_token)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn mark_failed<'e>(
    ex: impl Executor<'e, Database = Any>,
    host: &str,
    error: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update custom_domains set last_checked_at = $1, last_error = $2 where host = $3 and verified_at is null",
    )
    .bind(now)
    .bind(error)
    .bind(host)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn delete<'e>(
    ex: impl Executor<'e, Database = Any>,
    workspace_id: &str,
    host: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("delete from custom_domains where host = $1 and workspace_id = $2")
        .bind(host)
        .bind(workspace_id)
        .execute(ex)
        .await?;
    Ok(done.rows_affected() == 1)
}
