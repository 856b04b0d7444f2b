//! Billing events (stored once by id) and the invoices they record.
use sqlx::{Any, Executor, FromRow};

/// True for the first delivery of this event id; false for a replay.
pub async fn insert<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    kind: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "insert into billing_events (id, type, outcome, received_at) values ($1, $2, 'applied', $3) \
         on conflict (id) do nothing",
    )
    .bind(id)
    .bind(kind)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_outcome<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    outcome: &str,
    reason: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("update billing_events set outcome = $1, reason = $2, applied_at = $3 where id = $4")
        .bind(outcome)
        .bind(reason)
        .bind(now)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct InvoiceRow {
    pub id: String,
    pub workspace_id: String,
    pub referral_id: Option<String>,
    pub period: i64,
    pub period_start: i64,
    pub period_end: i64,
    pub amount_cents: i64,
    pub refunded_cents: i64,
    pub created_at: i64,
}

const INVOICE_COLUMNS: &str = "select id, workspace_id, referral_id, period, period_start, period_end, amount_cents, refunded_cents, \
     created_at from invoices ";

pub async fn invoice<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
) -> Result<Option<InvoiceRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{INVOICE_COLUMNS} where id = $1")))
        .bind(id)
        .fetch_optional(ex)
        .await
}

/// The invoice, locked for this transaction on Postgres (SQLite's BEGIN IMMEDIATE already
/// serializes writers): two refunds of one invoice must see each other's reversals.
pub async fn invoice_locked<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    postgres: bool,
) -> Result<Option<InvoiceRow>, sqlx::Error> {
    let lock = if postgres { " for update" } else { "" };
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{INVOICE_COLUMNS} where id = $1{lock}")))
        .bind(id)
        .fetch_optional(ex)
        .await
}

pub async fn for_workspace<'e>(
    ex: impl Executor<'e, Database = Any>,
    workspace_id: &str,
) -> Result<Vec<InvoiceRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{INVOICE_COLUMNS} where workspace_id = $1 order by period desc"
    )))
    .bind(workspace_id)
    .fetch_all(ex)
    .await
}

/// The billing period the workspace's next paid invoice is: 1 + those recorded.
pub async fn next_period<'e>(
    ex: impl Executor<'e, Database = Any>,
    workspace_id: &str,
) -> Result<i64, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("select count(*) from invoices where workspace_id = $1")
        .bind(workspace_id)
        .fetch_one(ex)
        .await?;
    Ok(n + 1)
}

pub struct InvoiceInsert<'a> {
    pub id: &'a str,
    pub workspace_id: &'a str,
    pub referral_id: Option<&'a str>,
    pub period: i64,
    pub period_start: i64,
    pub period_end: i64,
    pub amount_cents: i64,
}

/// Fails with a unique violation when another invoice took this period meanwhile.
pub async fn insert_invoice<'e>(
    ex: impl Executor<'e, Database = Any>,
    i: &InvoiceInsert<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into invoices (id, workspace_id, referral_id, period, period_start, period_end, amount_cents, \
         refunded_cents, currency, created_at) values ($1, $2, $3, $4, $5, $6, $7, 0, 'USD', $8)",
    )
    .bind(i.id)
    .bind(i.workspace_id)
    .bind(i.referral_id)
    .bind(i.period)
    .bind(i.period_start)
    .bind(i.period_end)
    .bind(i.amount_cents)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}

/// Refunds are cumulative: the recorded total only grows.
pub async fn record_refund<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    total: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("update invoices set refunded_cents = $1 where id = $2 and refunded_cents < $1")
        .bind(total)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct SubscriptionRow {
    pub plan_id: String,
    pub status: String,
}

pub async fn subscription<'e>(
    ex: impl Executor<'e, Database = Any>,
    workspace_id: &str,
) -> Result<Option<SubscriptionRow>, sqlx::Error> {
    sqlx::query_as("select plan_id, status from subscriptions where workspace_id = $1")
        .bind(workspace_id)
        .fetch_optional(ex)
        .await
}

#[derive(Debug, Clone, FromRow)]
pub struct RecurringTerms {
    pub recurring: i64,
    pub recurring_months: Option<i64>,
}

pub async fn recurring_terms<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
) -> Result<RecurringTerms, sqlx::Error> {
    sqlx::query_as("select recurring, recurring_months from partners where id = $1")
        .bind(partner_id)
        .fetch_one(ex)
        .await
}
