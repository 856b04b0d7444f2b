//! Workspaces and memberships.
use sqlx::{Any, Executor};

use crate::domain::roles::{WorkspaceKind, WorkspaceRole, WorkspaceTier};
use crate::model::types::WorkspaceSummary;

pub async fn insert<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    name: &str,
    kind: WorkspaceKind,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into workspaces (id, name, kind, tier, created_at) values ($1, $2, $3, 'standard', $4)",
    )
    .bind(id)
    .bind(name)
    .bind(kind)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}

/// Adds a member; an existing membership is left as it is.
pub async fn add_member<'e>(
    ex: impl Executor<'e, Database = Any>,
    workspace_id: &str,
    user_id: &str,
    role: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "insert into members (workspace_id, user_id, role, created_at) values ($1, $2, $3, $4) \
         on conflict (workspace_id, user_id) do nothing",
    )
    .bind(workspace_id)
    .bind(user_id)
    .bind(role)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn for_user<'e>(
    ex: impl Executor<'e, Database = Any>,
    user_id: &str,
) -> Result<Vec<WorkspaceSummaryRecord>, sqlx::Error> {
    sqlx::query_as(
        "select w.id, w.name, w.kind, w.tier, m.role from members m \
         join workspaces w on w.id = m.workspace_id where m.user_id = $1 order by w.created_at",
    )
    .bind(user_id)
    .fetch_all(ex)
    .await
}

pub async fn count<'e>(ex: impl Executor<'e, Database = Any>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("select count(*) from workspaces").fetch_one(ex).await
}

/// A partner's portal workspace: partner tier, no sub-account cap.
pub async fn insert_partner_workspace<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    name: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into workspaces (id, name, kind, tier, sub_account_cap, created_at) \
         values ($1, $2, 'partner', 'partner', null, $3)",
    )
    .bind(id)
    .bind(name)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn is_member<'e>(
    ex: impl Executor<'e, Database = Any>,
    workspace_id: &str,
    user_id: &str,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        sqlx::query_scalar("select 1 from members where workspace_id = $1 and user_id = $2")
            .bind(workspace_id)
            .bind(user_id)
            .fetch_optional(ex)
            .await?;
    Ok(found.is_some())
}

pub async fn exists<'e>(ex: impl Executor<'e, Database = Any>, id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        sqlx::query_scalar("select 1 from workspaces where id = $1").bind(id).fetch_optional(ex).await?;
    Ok(found.is_some())
}

/// Serializes the writes of one workspace that read before they decide (its credit
/// balance, its subscription's part in the rollups). SQLite's `BEGIN IMMEDIATE`
/// already holds the only write lock; on Postgres the workspace row is locked until the
/// transaction ends, so a read and the write that depends on it can't interleave with
/// another such pair. False when there is no such workspace.
pub async fn lock(
    tx: &mut super::Tx,
    backend: super::Backend,
    workspace_id: &str,
) -> Result<bool, sqlx::Error> {
    let sql = match backend {
        super::Backend::Postgres => "select 1 from workspaces where id = $1 for update",
        super::Backend::Sqlite => "select 1 from workspaces where id = $1",
    };
    let found: Option<i64> = sqlx::query_scalar(sql).bind(workspace_id).fetch_optional(&mut **tx).await?;
    Ok(found.is_some())
}

record! {
    /// A row of the query, turned into the shared [`WorkspaceSummary`] by the service.
    #[derive(Debug)]
    pub struct WorkspaceSummaryRecord => WorkspaceSummary {
        pub id: String,
        pub name: String,
        pub kind: WorkspaceKind,
        pub tier: WorkspaceTier,
        pub role: WorkspaceRole,
    }
}
