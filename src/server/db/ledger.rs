//! The commission ledger. Each entry is created once, guarded by its idempotency key.
use sqlx::{Any, Executor};

use crate::model::types::{LedgerRow, PayoutTotals};

pub struct NewCommission<'a> {
    pub partner_id: &'a str,
    pub referral_id: &'a str,
    pub workspace_id: &'a str,
    pub plan_id: &'a str,
    pub kind: &'a str,
    pub amount_cents: i64,
    pub rule_source: &'a str,
    pub rule_kind: &'a str,
    pub rule_value: i64,
    pub period: i64,
    pub idempotency_key: &'a str,
}

/// True when created; false when an entry with this key already exists.
pub async fn insert<'e>(
    ex: impl Executor<'e, Database = Any>,
    c: &NewCommission<'_>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "insert into commissions (id, partner_id, referral_id, workspace_id, plan_id, kind, amount_cents, \
         currency, rule_source, rule_kind, rule_value, period, status, idempotency_key, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, 'USD', $8, $9, $10, $11, 'pending', $12, $13) \
         on conflict (idempotency_key) do nothing",
    )
    .bind(super::new_id())
    .bind(c.partner_id)
    .bind(c.referral_id)
    .bind(c.workspace_id)
    .bind(c.plan_id)
    .bind(c.kind)
    .bind(c.amount_cents)
    .bind(c.rule_source)
    .bind(c.rule_kind)
    .bind(c.rule_value)
    .bind(c.period)
    .bind(c.idempotency_key)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

macro_rules! ledger_rows {
    ($where:literal) => {
        concat!(
            "select c.id, c.partner_id, p.name as partner_name, w.name as workspace_name, \
             pl.name as plan_name, c.kind, c.amount_cents, c.rule_source, c.rule_kind, c.rule_value, \
             c.status, c.created_at, c.paid_at from commissions c \
             join partners p on p.id = c.partner_id join workspaces w on w.id = c.workspace_id \
             join plans pl on pl.id = c.plan_id ",
            $where
        )
    };
}

/// Cash entries waiting to be paid, oldest first.
pub async fn pending<'e>(ex: impl Executor<'e, Database = Any>) -> Result<Vec<LedgerRow>, sqlx::Error> {
    sqlx::query_as(ledger_rows!(
        "where c.kind = 'cash' and c.status in ('pending', 'approved') order by c.created_at, c.id"
    ))
    .fetch_all(ex)
    .await
}

pub async fn for_partner<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
) -> Result<Vec<LedgerRow>, sqlx::Error> {
    sqlx::query_as(ledger_rows!("where c.partner_id = $1 order by c.created_at desc, c.id"))
        .bind(partner_id)
        .fetch_all(ex)
        .await
}

pub async fn totals<'e>(ex: impl Executor<'e, Database = Any>) -> Result<Vec<PayoutTotals>, sqlx::Error> {
    sqlx::query_as(
        "select p.id as partner_id, p.name as partner_name, \
         cast(coalesce(sum(case when c.status in ('pending', 'approved') then c.amount_cents else 0 end), 0) as bigint) as pending_cents, \
         cast(coalesce(sum(case when c.status = 'paid' then c.amount_cents else 0 end), 0) as bigint) as paid_cents \
         from partners p join commissions c on c.partner_id = p.id and c.kind = 'cash' \
         group by p.id, p.name order by p.name",
    )
    .fetch_all(ex)
    .await
}

/// Pays one cash entry if it is still unpaid. True for the one call that paid it.
pub async fn mark_paid<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    paid_by: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update commissions set status = 'paid', paid_at = $1, paid_by = $2 \
         where id = $3 and kind = 'cash' and status in ('pending', 'approved')",
    )
    .bind(now)
    .bind(paid_by)
    .bind(id)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}
