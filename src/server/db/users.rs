use sqlx::{Any, Executor};

/// A user row with its password hash: never leaves the server.
#[derive(sqlx::FromRow)]
pub struct UserCredentials {
    pub id: String,
    pub password_hash: String,
}

#[derive(sqlx::FromRow, Clone, Debug)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub is_platform_admin: i64,
    pub created_at: i64,
}

pub async fn insert<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    email: &str,
    password_hash: &str,
    is_platform_admin: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into users (id, email, password_hash, is_platform_admin, created_at) \
         values ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(email)
    .bind(password_hash)
    .bind(is_platform_admin as i64)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn credentials_by_email<'e>(
    ex: impl Executor<'e, Database = Any>,
    email: &str,
) -> Result<Option<UserCredentials>, sqlx::Error> {
    sqlx::query_as("select id, password_hash from users where email = $1")
        .bind(email)
        .fetch_optional(ex)
        .await
}

pub async fn by_email<'e>(
    ex: impl Executor<'e, Database = Any>,
    email: &str,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as("select id, email, is_platform_admin, created_at from users where email = $1")
        .bind(email)
        .fetch_optional(ex)
        .await
}

pub async fn count<'e>(ex: impl Executor<'e, Database = Any>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("select count(*) from users").fetch_one(ex).await
}

pub async fn set_password_and_admin<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("update users set password_hash = $1, is_platform_admin = 1 where id = $2")
        .bind(password_hash)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(())
}

pub async fn by_id<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as("select id, email, is_platform_admin, created_at from users where id = $1")
        .bind(id)
        .fetch_optional(ex)
        .await
}
