//! API tokens (stored as hashes only).
use sqlx::{Any, Executor};

use crate::model::types::ApiTokenRow;

pub async fn insert<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    workspace_id: &str,
    name: &str,
    token_hash: &str,
    created_by: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into api_tokens (id, workspace_id, name, token_hash, created_by, created_at) \
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(workspace_id)
    .bind(name)
    .bind(token_hash)
    .bind(created_by)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn for_workspace<'e>(
    ex: impl Executor<'e, Database = Any>,
    workspace_id: &str,
) -> Result<Vec<ApiTokenRecord>, sqlx::Error> {
    sqlx::query_as(
        "select id, name, created_at, last_used_at, revoked_at from api_tokens \
         where workspace_id = $1 order by created_at desc",
    )
    .bind(workspace_id)
    .fetch_all(ex)
    .await
}

pub async fn revoke<'e>(
    ex: impl Executor<'e, Database = Any>,
    workspace_id: &str,
    id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update api_tokens set revoked_at = $1 where id = $2 and workspace_id = $3 and revoked_at is null",
    )
    .bind(now)
    .bind(id)
    .bind(workspace_id)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(sqlx::FromRow)]
pub struct ActiveToken {
    pub id: String,
    pub workspace_id: String,
    pub created_by: String,
}

pub async fn active_by_hash<'e>(
    ex: impl Executor<'e, Database = Any>,
    token_hash: &str,
) -> Result<Option<ActiveToken>, sqlx::Error> {
    sqlx::query_as(
        "select id, workspace_id, created_by from api_tokens where token_hash = $1 and revoked_at is null",
    )
    .bind(token_hash)
    .fetch_optional(ex)
    .await
}

pub async fn touch<'e>(ex: impl Executor<'e, Database = Any>, id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("update api_tokens set last_used_at = $1 where id = $2")
        .bind(now)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(())
}

record! {
    /// A row as the query reads it.
    #[derive(Debug, Clone)]
    pub struct ApiTokenRecord => ApiTokenRow {
        pub id: String,
        pub name: String,
        pub created_at: i64,
        pub last_used_at: Option<i64>,
        pub revoked_at: Option<i64>,
    }
}
