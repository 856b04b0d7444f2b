use sqlx::{Any, Executor};

use super::users::UserRow;

pub async fn insert<'e>(
    ex: impl Executor<'e, Database = Any>,
    token_hash: &str,
    user_id: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("insert into sessions (token_hash, user_id, created_at, expires_at) values ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(user_id)
        .bind(now)
        .bind(expires_at)
        .execute(ex)
        .await?;
    Ok(())
}

/// The user behind a live session, if the session exists and has not expired.
pub async fn user_for<'e>(
    ex: impl Executor<'e, Database = Any>,
    token_hash: &str,
    now: i64,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(
        "select u.id, u.email, u.is_platform_admin, u.created_at from sessions s \
         join users u on u.id = s.user_id where s.token_hash = $1 and s.expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(ex)
    .await
}

pub async fn delete<'e>(ex: impl Executor<'e, Database = Any>, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("delete from sessions where token_hash = $1").bind(token_hash).execute(ex).await?;
    Ok(())
}

pub async fn delete_expired<'e>(ex: impl Executor<'e, Database = Any>, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("delete from sessions where expires_at <= $1").bind(now).execute(ex).await?;
    Ok(done.rows_affected())
}
