//! Tenant registrations and their one-time claim tokens (stored as hashes only).
use sqlx::{Any, Executor};

use crate::domain::roles::ClaimState;
use crate::model::list::ListQuery;
use crate::model::types::TenantRow;

pub struct NewRegistration<'a> {
    pub id: &'a str,
    pub partner_id: &'a str,
    pub workspace_name: &'a str,
    pub plan_id: &'a str,
    pub intended_email: Option<&'a str>,
    pub token_hash: &'a str,
    pub expires_at: i64,
}

pub async fn insert<'e>(
    ex: impl Executor<'e, Database = Any>,
    r: &NewRegistration<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into tenant_registrations (id, partner_id, workspace_name, plan_id, intended_email, \
         token_hash, status, expires_at, created_at) values ($1, $2, $3, $4, $5, $6, 'waiting', $7, $8)",
    )
    .bind(r.id)
    .bind(r.partner_id)
    .bind(r.workspace_name)
    .bind(r.plan_id)
    .bind(r.intended_email)
    .bind(r.token_hash)
    .bind(r.expires_at)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}

/// A partner's provisioned tenants as a list: `$1` = the partner, `$2` = now, `$3` = a
/// state ('' for all; `expired` is derived from the time as in the rows), `$4` = a search
/// over the workspace name and the intended email.
macro_rules! tenants_where {
    () => {
        concat!(
            " from tenant_registrations t join plans pl on pl.id = t.plan_id where t.partner_id = $1 \
             and ($3 = '' or ",
            tenant_state!(),
            " = $3) \
             and ($4 = '' or lower(t.workspace_name) like $4 escape '\\' \
               or lower(coalesce(t.intended_email, '')) like $4 escape '\\') "
        )
    };
}

/// A registration's state as the partner sees it: a waiting one past `$2` (now) is expired.
macro_rules! tenant_state {
    () => {
        "(case when t.status = 'waiting' and t.expires_at <= $2 then 'expired' else t.status end)"
    };
}

macro_rules! tenants_page {
    ($order:literal) => {
        concat!(
            "select t.id, t.workspace_name, pl.name as plan_name, t.intended_email, ",
            tenant_state!(),
            " as status, t.created_at, t.expires_at, t.claimed_at",
            tenants_where!(),
            "order by ",
            $order,
            " limit $5 offset $6"
        )
    };
}

/// One page of a partner's tenants, newest first (`oldest` reverses it).
pub async fn page_for_partner<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    now: i64,
    q: &ListQuery,
    state: Option<ClaimState>,
) -> Result<Vec<TenantRecord>, sqlx::Error> {
    let sql = match q.sort.as_str() {
        "oldest" => tenants_page!("t.created_at, t.id"),
        _ => tenants_page!("t.created_at desc, t.id desc"),
    };
    let (limit, offset) = q.limit_offset();
    bind_tenants(sqlx::query_as(sql), partner_id, now, q, state).bind(limit).bind(offset).fetch_all(ex).await
}

pub async fn count_for_partner<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    now: i64,
    q: &ListQuery,
    state: Option<ClaimState>,
) -> Result<i64, sqlx::Error> {
    let sql = concat!("select count(*)", tenants_where!());
    let (count,): (i64,) = bind_tenants(sqlx::query_as(sql), partner_id, now, q, state).fetch_one(ex).await?;
    Ok(count)
}

fn bind_tenants<'q, O>(
    query: super::AnyQueryAs<'q, O>,
    partner_id: &str,
    now: i64,
    q: &ListQuery,
    state: Option<ClaimState>,
) -> super::AnyQueryAs<'q, O> {
    query
        .bind(partner_id.to_string())
        .bind(now)
        .bind(state.map(ClaimState::as_str).unwrap_or(""))
        .bind(q.like_pattern())
}

#[derive(sqlx::FromRow)]
pub struct Registration {
    pub id: String,
    pub partner_id: String,
    pub partner_name: String,
    pub partner_workspace_id: String,
    pub workspace_name: String,
    pub plan_id: String,
    pub plan_name: String,
    pub intended_email: Option<String>,
    pub status: ClaimState,
    pub expires_at: i64,
}

pub async fn by_token_hash<'e>(
    ex: impl Executor<'e, Database = Any>,
    token_hash: &str,
) -> Result<Option<Registration>, sqlx::Error> {
    sqlx::query_as(
        "select t.id, t.partner_id, p.name as partner_name, p.workspace_id as partner_workspace_id, \
         t.workspace_name, t.plan_id, pl.name as plan_name, t.intended_email, t.status, t.expires_at \
         from tenant_registrations t join partners p on p.id = t.partner_id \
         join plans pl on pl.id = t.plan_id where t.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(ex)
    .await
}

/// The one-time step: only a waiting registration flips to claimed. True for the
/// single caller that did it.
pub async fn mark_claimed<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    user_id: &str,
    workspace_id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update tenant_registrations set status = 'claimed', claimed_by = $1, claimed_at = $2, \
         workspace_id = $3 where id = $4 and status = 'waiting' and expires_at > $2",
    )
    .bind(user_id)
    .bind(now)
    .bind(workspace_id)
    .bind(id)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether the registration `id` is this partner's.
pub async fn belongs_to<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    id: &str,
) -> Result<bool, sqlx::Error> {
    let n: i64 =
        sqlx::query_scalar("select count(*) from tenant_registrations where id = $1 and partner_id = $2")
            .bind(id)
            .bind(partner_id)
            .fetch_one(ex)
            .await?;
    Ok(n > 0)
}

/// Revokes a partner's own waiting registration; false otherwise.
pub async fn revoke<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update tenant_registrations set status = 'revoked', revoked_at = $1 \
         where id = $2 and partner_id = $3 and status = 'waiting'",
    )
    .bind(now)
    .bind(id)
    .bind(partner_id)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

record! {
    /// A row as the query reads it.
    #[derive(Debug, Clone)]
    pub struct TenantRecord => TenantRow {
        pub id: String,
        pub workspace_name: String,
        pub plan_name: String,
        pub intended_email: Option<String>,
        pub status: ClaimState,
        pub created_at: i64,
        pub expires_at: i64,
        pub claimed_at: Option<i64>,
    }
}
