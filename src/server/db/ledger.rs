//! The commission ledger. Entries are immutable: each is created once, guarded by its
//! idempotency key; corrections are new negative entries pointing at what they reverse.
//! Where an entry stands (on hold, available, in a payout, paid) is derived, never stored.
use sqlx::{Any, Executor, FromRow};

use crate::domain::payouts::{CommissionKind, EntryState};
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
    /// created + the partner's hold.
    pub available_at: i64,
    /// The invoice that earned (or refunded) it, if it came from billing.
    pub invoice_id: Option<&'a str>,
    /// The billing event that caused it.
    pub event_id: Option<&'a str>,
    /// For a reversal: the entry it reverses (its amount is negative).
    pub reverses_id: Option<&'a str>,
}

/// True when created; false when an entry with this key already exists. A new cash entry
/// is open (no payout holds it) from the start; every new entry joins the rollups.
pub async fn insert(tx: &mut super::Tx, c: &NewCommission<'_>, now: i64) -> Result<bool, sqlx::Error> {
    let status = if c.reverses_id.is_some() { "reversed" } else { "pending" };
    let id = super::new_id();
    let done = sqlx::query(
        "insert into commissions (id, partner_id, referral_id, workspace_id, plan_id, kind, amount_cents, \
         currency, rule_source, rule_kind, rule_value, period, status, idempotency_key, created_at, \
         available_at, invoice_id, event_id, reverses_id) \
         values ($1, $2, $3, $4, $5, $6, $7, 'USD', $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) \
         on conflict (idempotency_key) do nothing",
    )
    .bind(&id)
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
    .bind(status)
    .bind(c.idempotency_key)
    .bind(now)
    .bind(c.available_at)
    .bind(c.invoice_id)
    .bind(c.event_id)
    .bind(c.reverses_id)
    .execute(&mut **tx)
    .await?;
    let created = done.rows_affected() == 1;
    if created {
        super::rollups::add_entry(tx, &id).await?;
    }
    if created && c.kind == crate::domain::payouts::CommissionKind::Cash.as_str() {
        super::payouts::open_entry(tx, &id, c.partner_id, c.amount_cents, c.available_at).await?;
    }
    Ok(created)
}

/// The hold in days for a partner's new entries: its own, else the platform default.
pub async fn hold_days<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "select coalesce(p.hold_days, s.default_hold_days) from partners p \
         join platform_settings s on s.id = 1 where p.id = $1",
    )
    .bind(partner_id)
    .fetch_one(ex)
    .await
}

/// The entry of one referral's period and kind that is not a reversal (period 1 holds the
/// rule snapshot every later period reuses).
#[derive(Debug, Clone, FromRow)]
pub struct EntryRow {
    pub id: String,
    pub partner_id: String,
    pub referral_id: String,
    pub workspace_id: String,
    pub plan_id: String,
    pub kind: String,
    pub amount_cents: i64,
    pub rule_source: String,
    pub rule_kind: String,
    pub rule_value: i64,
    pub period: i64,
    pub available_at: i64,
    /// What earlier reversals of this entry took back (positive).
    pub reversed_cents: i64,
}

macro_rules! entry_rows {
    ($where:literal) => {
        concat!(
            "select c.id, c.partner_id, c.referral_id, c.workspace_id, c.plan_id, c.kind, c.amount_cents, \
             c.rule_source, c.rule_kind, c.rule_value, c.period, c.available_at, \
             cast(coalesce((select -sum(r.amount_cents) from commissions r where r.reverses_id = c.id), 0) as bigint) \
             as reversed_cents from commissions c where c.reverses_id is null and ",
            $where,
            " order by c.kind, c.id"
        )
    };
}

/// The earning entries of one referral's billing period.
pub async fn period_entries<'e>(
    ex: impl Executor<'e, Database = Any>,
    referral_id: &str,
    period: i64,
) -> Result<Vec<EntryRow>, sqlx::Error> {
    sqlx::query_as(entry_rows!("c.referral_id = $1 and c.period = $2"))
        .bind(referral_id)
        .bind(period)
        .fetch_all(ex)
        .await
}

macro_rules! ledger_rows {
    ($status:expr, $where:literal) => {
        concat!(
            "select c.id, c.partner_id, p.name as partner_name, w.name as workspace_name, \
             pl.name as plan_name, c.kind, c.amount_cents, c.rule_source, c.rule_kind, c.rule_value, ",
            $status,
            " as status, c.created_at, po.paid_at, c.available_at, c.period, c.reverses_id, \
             po.id as payout_id from commissions c \
             join partners p on p.id = c.partner_id join workspaces w on w.id = c.workspace_id \
             join plans pl on pl.id = c.plan_id ",
            crate::balance_joins!(),
            $where
        )
    };
}

/// Where an entry stands, from its payout and (with `$1` = now) its hold.
macro_rules! state_at_now {
    () => {
        "(case when po.status = 'paid' then 'paid' when po.status in ('pending', 'processing') \
         then 'in_payout' when c.available_at > $1 then 'on_hold' else 'available' end)"
    };
}

/// Cash entries not yet in a payout, oldest first (all of them, held or not).
pub async fn pending<'e>(
    ex: impl Executor<'e, Database = Any>,
    now: i64,
) -> Result<Vec<LedgerRecord>, sqlx::Error> {
    sqlx::query_as(ledger_rows!(
        state_at_now!(),
        "where c.id in (select o.commission_id from open_entries o) order by c.created_at, c.id"
    ))
    .bind(now)
    .fetch_all(ex)
    .await
}

/// Per partner with entries: cash not yet paid (held, available or in a payout) and paid.
pub async fn totals<'e>(
    ex: impl Executor<'e, Database = Any>,
) -> Result<Vec<PayoutTotalsRecord>, sqlx::Error> {
    sqlx::query_as(concat!(
        "select t.partner_id, t.partner_name, t.pending_cents, t.paid_cents from (select p.id as partner_id, \
         p.name as partner_name, ",
        crate::unpaid_and_paid!("pending_cents", "paid_cents"),
        " from partners p \
         where exists (select 1 from commissions c where c.partner_id = p.id and c.kind = 'cash')) t \
         order by t.partner_name"
    ))
    .fetch_all(ex)
    .await
}

/// Commissions for the CSV export: optionally one partner, one kind, a created-at range.
#[derive(Debug, Clone, FromRow)]
pub struct ExportRow {
    pub id: String,
    pub partner_name: String,
    pub workspace_name: String,
    pub plan_name: String,
    pub kind: String,
    pub amount_cents: i64,
    pub currency: String,
    pub period: i64,
    pub rule_source: String,
    pub rule_kind: String,
    pub rule_value: i64,
    pub invoice_id: Option<String>,
    pub reverses_id: Option<String>,
    pub payout_id: Option<String>,
    pub status: String,
    pub created_at: i64,
    pub available_at: i64,
}

pub async fn export<'e>(
    ex: impl Executor<'e, Database = Any>,
    now: i64,
    partner_id: Option<&str>,
    kind: Option<&str>,
    from: Option<i64>,
    to: Option<i64>,
) -> Result<Vec<ExportRow>, sqlx::Error> {
    sqlx::query_as(concat!(
        "select c.id, p.name as partner_name, w.name as workspace_name, pl.name as plan_name, c.kind, \
         c.amount_cents, c.currency, c.period, c.rule_source, c.rule_kind, c.rule_value, c.invoice_id, \
         c.reverses_id, po.id as payout_id, ",
        state_at_now!(),
        " as status, c.created_at, c.available_at from commissions c \
         join partners p on p.id = c.partner_id join workspaces w on w.id = c.workspace_id \
         join plans pl on pl.id = c.plan_id ",
        crate::balance_joins!(),
        "where ($2 is null or c.partner_id = $2) and ($3 is null or c.kind = $3) \
         and ($4 is null or c.created_at >= $4) and ($5 is null or c.created_at < $5) \
         order by c.created_at, c.id"
    ))
    .bind(now)
    .bind(partner_id)
    .bind(kind)
    .bind(from)
    .bind(to)
    .fetch_all(ex)
    .await
}

record! {
    /// A row as the query reads it.
    #[derive(Debug, Clone)]
    pub struct LedgerRecord => LedgerRow {
        pub id: String,
        pub partner_id: String,
        pub partner_name: String,
        pub workspace_name: String,
        pub plan_name: String,
        pub kind: CommissionKind,
        pub amount_cents: i64,
        pub rule_source: String,
        pub rule_kind: String,
        pub rule_value: i64,
        pub status: EntryState,
        pub created_at: i64,
        pub paid_at: Option<i64>,
        pub available_at: i64,
        pub period: i64,
        pub reverses_id: Option<String>,
        pub payout_id: Option<String>,
    }
}

record! {
    /// A row as the query reads it.
    #[derive(Debug, Clone)]
    pub struct PayoutTotalsRecord => PayoutTotals {
        pub partner_id: String,
        pub partner_name: String,
        pub pending_cents: i64,
        pub paid_cents: i64,
    }
}
