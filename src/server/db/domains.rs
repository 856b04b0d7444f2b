//! Custom domains of agencies (white-label hosts) and their branding.
use sqlx::{Any, Executor};

use crate::api::types::CustomDomainRow;

pub async fn insert<'e>(
    ex: impl Executor<'e, Database = Any>,
    host: &str,
    workspace_id: &str,
    brand_name: &str,
    brand_color: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "insert into custom_domains (host, workspace_id, brand_name, brand_color, created_at) \
         values ($1, $2, $3, $4, $5) on conflict (host) do nothing",
    )
    .bind(host)
    .bind(workspace_id)
    .bind(brand_name)
    .bind(brand_color)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn for_workspace<'e>(
    ex: impl Executor<'e, Database = Any>,
    workspace_id: &str,
) -> Result<Vec<CustomDomainRow>, sqlx::Error> {
    sqlx::query_as(
        "select host, brand_name, brand_color, created_at from custom_domains where workspace_id = $1 order by host",
    )
    .bind(workspace_id)
    .fetch_all(ex)
    .await
}

pub async fn by_host<'e>(
    ex: impl Executor<'e, Database = Any>,
    host: &str,
) -> Result<Option<CustomDomainRow>, sqlx::Error> {
    sqlx::query_as("select host, brand_name, brand_color, created_at from custom_domains where host = $1")
        .bind(host)
        .fetch_optional(ex)
        .await
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
