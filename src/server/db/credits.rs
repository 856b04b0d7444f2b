//! The credits ledger: append-only entries per workspace; balances are sums.
use sqlx::{Any, Executor, FromRow};

use super::Tx;
use crate::domain::credits::CreditKind;
use crate::model::list::ListQuery;

/// One entry to append. `idempotency_key` names its cause, so a cause grants once.
#[derive(Debug, Clone)]
pub struct NewCreditEntry {
    pub id: String,
    pub workspace_id: String,
    /// `domain::credits::CreditKind::as_str()`.
    pub kind: &'static str,
    pub amount: i64,
    pub cause_type: &'static str,
    pub cause_id: Option<String>,
    pub reason: Option<String>,
    pub created_by: Option<String>,
    pub idempotency_key: String,
}

/// Appends `entry` unless an entry with its key exists; true when this call appended it.
pub async fn insert(tx: &mut Tx, now: i64, entry: &NewCreditEntry) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "insert into credit_entries (id, workspace_id, kind, amount, cause_type, cause_id, reason, \
         created_by, idempotency_key, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         on conflict (idempotency_key) do nothing",
    )
    .bind(&entry.id)
    .bind(&entry.workspace_id)
    .bind(entry.kind)
    .bind(entry.amount)
    .bind(entry.cause_type)
    .bind(entry.cause_id.as_deref())
    .bind(entry.reason.as_deref())
    .bind(entry.created_by.as_deref())
    .bind(&entry.idempotency_key)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn balance<'e>(
    ex: impl Executor<'e, Database = Any>,
    workspace_id: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "select cast(coalesce(sum(amount), 0) as bigint) from credit_entries where workspace_id = $1",
    )
    .bind(workspace_id)
    .fetch_one(ex)
    .await
}

#[derive(Debug, Clone, FromRow)]
pub struct CreditEntryRow {
    pub id: String,
    pub kind: CreditKind,
    pub amount: i64,
    pub cause_type: String,
    pub cause_id: Option<String>,
    pub reason: Option<String>,
    pub created_by_email: Option<String>,
    pub created_at: i64,
}

/// Newest first, at most `limit`.
pub async fn history<'e>(
    ex: impl Executor<'e, Database = Any>,
    workspace_id: &str,
    limit: i64,
) -> Result<Vec<CreditEntryRow>, sqlx::Error> {
    sqlx::query_as(
        "select c.id, c.kind, c.amount, c.cause_type, c.cause_id, c.reason, u.email as created_by_email, \
         c.created_at from credit_entries c left join users u on u.id = c.created_by \
         where c.workspace_id = $1 order by c.created_at desc, c.id desc limit $2",
    )
    .bind(workspace_id)
    .bind(limit)
    .fetch_all(ex)
    .await
}

#[derive(Debug, Clone, FromRow)]
pub struct WorkspaceBalanceRow {
    pub workspace_id: String,
    pub workspace_name: String,
    pub balance: i64,
    pub entries: i64,
}

/// Admin → Credits: customer workspaces, `$1` = a name pattern ('' for all).
macro_rules! balances_where {
    () => {
        " from workspaces w where w.kind = 'customer' and ($1 = '' or lower(w.name) like $1 escape '\\') "
    };
}

/// The page's workspaces first, then each one's balance from its own entries (an index
/// range per row), so a page never sums the whole credits ledger.
macro_rules! balances_page {
    ($order:literal) => {
        concat!(
            "select w.id as workspace_id, w.name as workspace_name, \
             (select cast(coalesce(sum(c.amount), 0) as bigint) from credit_entries c where c.workspace_id = w.id) as balance, \
             (select count(*) from credit_entries c where c.workspace_id = w.id) as entries",
            balances_where!(),
            "order by ",
            $order,
            " limit $2 offset $3"
        )
    };
}

/// One page of customer workspaces with their balances: `newest` (the default), `oldest`
/// or `balance` (highest first).
pub async fn balances_page<'e>(
    ex: impl Executor<'e, Database = Any>,
    q: &ListQuery,
) -> Result<Vec<WorkspaceBalanceRow>, sqlx::Error> {
    let sql = match q.sort.as_str() {
        "oldest" => balances_page!("w.created_at, w.id"),
        "balance" => balances_page!("balance desc, w.created_at desc, w.id desc"),
        _ => balances_page!("w.created_at desc, w.id desc"),
    };
    let (limit, offset) = q.limit_offset();
    sqlx::query_as(sql).bind(q.like_pattern()).bind(limit).bind(offset).fetch_all(ex).await
}

pub async fn balances_count<'e>(
    ex: impl Executor<'e, Database = Any>,
    q: &ListQuery,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(concat!("select count(*)", balances_where!()))
        .bind(q.like_pattern())
        .fetch_one(ex)
        .await
}

pub async fn workspace_name<'e>(
    ex: impl Executor<'e, Database = Any>,
    workspace_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("select name from workspaces where id = $1")
        .bind(workspace_id)
        .fetch_optional(ex)
        .await
}
