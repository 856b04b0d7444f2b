use super::{Shared, conversion};
use crate::domain::money::Cents;
use crate::domain::names::DisplayName;
use crate::domain::roles::SubscriptionStatus;
use crate::model::AppError;
use crate::model::types::SubscriptionChange;
use crate::model::types::{PlanView, WorkspaceAdminRow};
use crate::server::db::{Backend, Db, Tx, billing, new_id, workspaces};

pub async fn plans(db: &Db) -> Result<Vec<PlanView>, AppError> {
    Ok(billing::plans(&db.pool).await?.shared())
}

#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn create_plan(db: &Db, name: &DisplayName, price: Cents) -> Result<PlanView, AppError> {
    let id = new_id();
    billing::insert_plan(&db.pool, &id, name.as_str(), price.get(), db.now_ms()).await?;
    Ok(billing::plan(&db.pool, &id).await?.ok_or(AppError::Internal)?.into())
}

/// Saves the subscription; the first ACTIVE converts the workspace's referral.
/// One write transaction, so the subscription and its commission land together.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn set_subscription(
    db: &Db,
    workspace_id: &str,
    plan_id: &str,
    status: SubscriptionStatus,
) -> Result<SubscriptionChange, AppError> {
    let now = db.now_ms();
    let mut tx = db.begin_write().await?;
    let change = set_subscription_in(&mut tx, db.backend, workspace_id, plan_id, status, now).await?;
    tx.commit().await?;
    Ok(change)
}

/// The same inside a caller's transaction (billing events use it).
pub async fn set_subscription_in(
    tx: &mut Tx,
    backend: Backend,
    workspace_id: &str,
    plan_id: &str,
    status: SubscriptionStatus,
    now: i64,
) -> Result<SubscriptionChange, AppError> {
    let plan = billing::plan(&mut **tx, plan_id)
        .await?
        .ok_or_else(|| AppError::invalid("plan_id", "Choose an existing plan."))?;
    if !workspaces::lock(tx, backend, workspace_id).await? {
        return Err(AppError::NotFound);
    }
    if crate::server::db::admin_lists::is_partner_workspace(&mut **tx, workspace_id).await? {
        return Err(AppError::Refused("A partner's portal workspace has no customer subscription.".into()));
    }
    billing::upsert_subscription(tx, workspace_id, &plan.id, status.as_str(), now).await?;
    let mut change = SubscriptionChange { converted: false, commission_cents: None };
    if status == SubscriptionStatus::Active
        && billing::mark_first_activation(&mut **tx, workspace_id, now).await?
    {
        change = conversion::convert(tx, workspace_id, &plan, now).await?;
    }
    Ok(change)
}

/// One page of Admin → Workspaces for a list view (search, status, referred, window).
pub async fn workspace_page(
    db: &Db,
    q: &crate::model::list::ListQuery,
) -> Result<crate::model::list::Page<WorkspaceAdminRow>, AppError> {
    use crate::server::db::admin_lists;
    Ok(crate::model::list::Page {
        rows: admin_lists::workspaces(&db.pool, q).await?.shared(),
        total: admin_lists::workspaces_count(&db.pool, q).await?,
        page: q.page(),
        per_page: crate::model::list::PER_PAGE,
    })
}
