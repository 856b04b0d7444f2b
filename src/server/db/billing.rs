//! Plans and subscriptions.
use sqlx::{Any, Executor};

use crate::api::types::PlanView;

pub async fn insert_plan<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    name: &str,
    price_monthly_cents: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into plans (id, name, price_monthly_cents, currency, created_at) values ($1, $2, $3, 'USD', $4)",
    )
    .bind(id)
    .bind(name)
    .bind(price_monthly_cents)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn plans<'e>(ex: impl Executor<'e, Database = Any>) -> Result<Vec<PlanView>, sqlx::Error> {
    sqlx::query_as(
        "select id, name, price_monthly_cents, currency from plans order by price_monthly_cents, name",
    )
    .fetch_all(ex)
    .await
}

pub async fn plan<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
) -> Result<Option<PlanView>, sqlx::Error> {
    sqlx::query_as("select id, name, price_monthly_cents, currency from plans where id = $1")
        .bind(id)
        .fetch_optional(ex)
        .await
}
