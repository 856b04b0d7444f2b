//! Plans and subscriptions.
use sqlx::{Any, Executor};

use crate::domain::roles::{SubscriptionStatus, WorkspaceKind};
use crate::model::types::{PlanView, WorkspaceAdminRow};

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

pub async fn plans<'e>(ex: impl Executor<'e, Database = Any>) -> Result<Vec<PlanRecord>, sqlx::Error> {
    sqlx::query_as(
        "select id, name, price_monthly_cents, currency from plans order by price_monthly_cents, name",
    )
    .fetch_all(ex)
    .await
}

pub async fn plan<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
) -> Result<Option<PlanRecord>, sqlx::Error> {
    sqlx::query_as("select id, name, price_monthly_cents, currency from plans where id = $1")
        .bind(id)
        .fetch_optional(ex)
        .await
}

/// Creates or changes a workspace's subscription, and moves its part in its partner's
/// subscription totals (`rollups`) with it. The caller holds the workspace
/// (`workspaces::lock`) or has just created it.
pub async fn upsert_subscription(
    tx: &mut super::Tx,
    workspace_id: &str,
    plan_id: &str,
    status: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    use super::rollups::{Part, move_subscription};
    move_subscription(tx, workspace_id, Part::Out).await?;
    sqlx::query(
        "insert into subscriptions (workspace_id, plan_id, status, updated_at, created_at) \
         values ($1, $2, $3, $4, $4) on conflict (workspace_id) do update \
         set plan_id = excluded.plan_id, status = excluded.status, updated_at = excluded.updated_at",
    )
    .bind(workspace_id)
    .bind(plan_id)
    .bind(status)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    move_subscription(tx, workspace_id, Part::In).await
}

/// Records the first ACTIVE. True only for the one call that did it: concurrent or
/// repeated activations see the column already set and change nothing.
pub async fn mark_first_activation<'e>(
    ex: impl Executor<'e, Database = Any>,
    workspace_id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update subscriptions set first_activated_at = $1 \
         where workspace_id = $2 and first_activated_at is null",
    )
    .bind(now)
    .bind(workspace_id)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

record! {
    /// A plan as the table holds it.
    pub struct PlanRecord => PlanView {
        pub id: String,
        pub name: String,
        pub price_monthly_cents: i64,
        pub currency: String,
    }
}

record! {
    /// A row of Admin → Workspaces (`db::admin_lists`).
    pub struct WorkspaceAdminRecord => WorkspaceAdminRow {
        pub id: String,
        pub name: String,
        pub kind: WorkspaceKind,
        pub created_at: i64,
        pub plan_id: Option<String>,
        pub plan_name: Option<String>,
        pub status: Option<SubscriptionStatus>,
        pub partner_name: Option<String>,
    }
}
