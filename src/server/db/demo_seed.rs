//! The SQL of the rich demo seed (`server::seed_rich`): multi-row inserts of generated
//! history in the seed's one transaction, and the few reads it needs.
use sqlx::{Any, Executor};

use super::Tx;

/// One value of a generated row. Nulls carry their column's type (Postgres refuses a text
/// null in a bigint column).
#[derive(Debug, Clone)]
pub enum Val {
    T(String),
    I(i64),
    NullText,
    NullInt,
}

impl From<&str> for Val {
    fn from(s: &str) -> Self {
        Val::T(s.to_string())
    }
}
impl From<String> for Val {
    fn from(s: String) -> Self {
        Val::T(s)
    }
}
impl From<&String> for Val {
    fn from(s: &String) -> Self {
        Val::T(s.clone())
    }
}
impl From<i64> for Val {
    fn from(i: i64) -> Self {
        Val::I(i)
    }
}
impl From<Option<String>> for Val {
    fn from(s: Option<String>) -> Self {
        s.map(Val::T).unwrap_or(Val::NullText)
    }
}
impl From<Option<i64>> for Val {
    fn from(i: Option<i64>) -> Self {
        i.map(Val::I).unwrap_or(Val::NullInt)
    }
}

/// Tables the seed may fill in bulk (never a name from outside).
#[derive(Debug, Clone, Copy)]
pub enum Table {
    Users,
    Workspaces,
    Members,
    Clicks,
    Subscriptions,
    Referrals,
    TenantRegistrations,
    Invoices,
    InviteRedemptions,
}

impl Table {
    fn sql(self) -> (&'static str, &'static [&'static str]) {
        match self {
            Table::Users => ("users", &["id", "email", "password_hash", "is_platform_admin", "created_at"]),
            Table::Workspaces => ("workspaces", &["id", "name", "kind", "created_at"]),
            Table::Members => ("members", &["workspace_id", "user_id", "role", "created_at"]),
            Table::Clicks => (
                "clicks",
                &[
                    "id",
                    "partner_id",
                    "code_id",
                    "listing_id",
                    "referrer",
                    "landing_path",
                    "ip_hash",
                    "user_agent_hash",
                    "created_at",
                ],
            ),
            Table::Subscriptions => (
                "subscriptions",
                &["workspace_id", "plan_id", "status", "first_activated_at", "updated_at", "created_at"],
            ),
            Table::Referrals => (
                "referrals",
                &[
                    "id",
                    "workspace_id",
                    "partner_id",
                    "code_id",
                    "source",
                    "converted_at",
                    "created_at",
                    "listing_id",
                    "click_id",
                ],
            ),
            Table::TenantRegistrations => (
                "tenant_registrations",
                &[
                    "id",
                    "partner_id",
                    "workspace_name",
                    "plan_id",
                    "intended_email",
                    "token_hash",
                    "status",
                    "expires_at",
                    "workspace_id",
                    "claimed_by",
                    "claimed_at",
                    "revoked_at",
                    "created_at",
                ],
            ),
            Table::Invoices => (
                "invoices",
                &[
                    "id",
                    "workspace_id",
                    "referral_id",
                    "period",
                    "period_start",
                    "period_end",
                    "amount_cents",
                    "refunded_cents",
                    "currency",
                    "created_at",
                ],
            ),
            Table::InviteRedemptions => (
                "invite_redemptions",
                &[
                    "id",
                    "code_id",
                    "workspace_id",
                    "user_id",
                    "flavor",
                    "invitee_credits",
                    "inviter_credits",
                    "created_at",
                ],
            ),
        }
    }
}

/// Inserts `rows` (each in the table's column order) with multi-row statements.
pub async fn insert_rows(tx: &mut Tx, table: Table, rows: &[Vec<Val>]) -> Result<(), sqlx::Error> {
    let (name, columns) = table.sql();
    let per_statement = (2_000 / columns.len()).max(1);
    for chunk in rows.chunks(per_statement) {
        let mut sql = format!("insert into {name} ({}) values ", columns.join(", "));
        let mut n = 0;
        for (r, row) in chunk.iter().enumerate() {
            debug_assert_eq!(row.len(), columns.len());
            if r > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for c in 0..row.len() {
                n += 1;
                if c > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!("${n}"));
            }
            sql.push(')');
        }
        // Table and column names come from `Table::sql`; values are all bound.
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for row in chunk {
            for v in row {
                q = match v {
                    Val::T(s) => q.bind(s.clone()),
                    Val::I(i) => q.bind(*i),
                    Val::NullText => q.bind(None::<String>),
                    Val::NullInt => q.bind(None::<i64>),
                };
            }
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// A partner's default referral code.
pub async fn default_code<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("select id from referral_codes where partner_id = $1 and is_default = 1")
        .bind(partner_id)
        .fetch_optional(ex)
        .await
}

/// The published listings, oldest first, with their partners.
pub async fn listings<'e>(
    ex: impl Executor<'e, Database = Any>,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("select id, partner_id from listings order by created_at, id").fetch_all(ex).await
}

/// A partner's state and the settings the seed reads and sets.
pub async fn set_partner_state(
    tx: &mut Tx,
    partner_id: &str,
    state: &str,
    reason: Option<&str>,
    changed_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update partners set status = $1, status_reason = $2, status_changed_at = $3, \
         approved_at = case when $1 = 'approved' or $1 = 'suspended' then approved_at else null end, \
         approved_by = case when $1 = 'approved' or $1 = 'suspended' then approved_by else null end \
         where id = $4",
    )
    .bind(state)
    .bind(reason)
    .bind(changed_at)
    .bind(partner_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub struct PartnerTerms<'a> {
    pub credit_bps: i64,
    pub recurring_months: Option<i64>,
    pub website: &'a str,
    pub promotion: &'a str,
    pub applied_by: Option<&'a str>,
    pub created_at: i64,
}

pub async fn set_partner_terms(
    tx: &mut Tx,
    partner_id: &str,
    t: &PartnerTerms<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update partners set credit_bps = $1, recurring = $2, recurring_months = $3, website = $4, \
         promotion = $5, applied_by = $6, created_at = $7, approved_at = $7, status_changed_at = $7 \
         where id = $8",
    )
    .bind(t.credit_bps)
    .bind(i64::from(t.recurring_months.is_some()))
    .bind(t.recurring_months)
    .bind(t.website)
    .bind(t.promotion)
    .bind(t.applied_by)
    .bind(t.created_at)
    .bind(partner_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "update workspaces set created_at = $1 where id = (select workspace_id from partners where id = $2)",
    )
    .bind(t.created_at)
    .bind(partner_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("update referral_codes set created_at = $1 where partner_id = $2")
        .bind(t.created_at)
        .bind(partner_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("update partner_state_changes set created_at = $1 where partner_id = $2")
        .bind(t.created_at)
        .bind(partner_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// What a payout gathered at `at` would hold: the partner's available cash entries that no
/// live payout holds (the same condition as `payouts::gather`).
pub async fn available_at(tx: &mut Tx, partner_id: &str, at: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "select cast(coalesce(sum(c.amount_cents), 0) as bigint) from commissions c \
         where c.partner_id = $1 and c.kind = 'cash' and c.available_at <= $2 \
         and not exists (select 1 from payout_items i where i.commission_id = c.id and i.released = 0)",
    )
    .bind(partner_id)
    .bind(at)
    .fetch_one(&mut **tx)
    .await
}

/// A finished scheduler run at `at` (the history behind the demo's payouts).
pub async fn insert_run(tx: &mut Tx, id: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into payout_runs (id, started_from, status, started_at, finished_at) \
         values ($1, 'scheduler', 'finished', $2, $2)",
    )
    .bind(id)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn close_run(tx: &mut Tx, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update payout_runs set payouts_created = (select count(*) from payouts where run_id = $1), \
         total_cents = (select cast(coalesce(sum(amount_cents), 0) as bigint) from payouts where run_id = $1) \
         where id = $1",
    )
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The code's use count from its redemptions.
pub async fn count_invite_uses(tx: &mut Tx, code_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("update invite_codes set uses = (select count(*) from invite_redemptions where code_id = $1) where id = $1")
        .bind(code_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Counts and sums that describe a seeded database (the determinism test compares two).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Fingerprint {
    pub partners: i64,
    pub workspaces: i64,
    pub users: i64,
    pub clicks: i64,
    pub referrals: i64,
    pub converted: i64,
    pub commissions: i64,
    pub commission_cents: i64,
    pub payouts: i64,
    pub paid_payouts: i64,
    pub payout_cents: i64,
    pub invoices: i64,
    pub credit_entries: i64,
    pub credit_sum: i64,
    pub invite_redemptions: i64,
}

pub async fn fingerprint<'e>(ex: impl Executor<'e, Database = Any>) -> Result<Fingerprint, sqlx::Error> {
    sqlx::query_as(
        "select (select count(*) from partners) as partners, \
         (select count(*) from workspaces) as workspaces, \
         (select count(*) from users) as users, \
         (select count(*) from clicks) as clicks, \
         (select count(*) from referrals) as referrals, \
         (select count(*) from referrals where converted_at is not null) as converted, \
         (select count(*) from commissions) as commissions, \
         (select cast(coalesce(sum(amount_cents), 0) as bigint) from commissions) as commission_cents, \
         (select count(*) from payouts) as payouts, \
         (select count(*) from payouts where status = 'paid') as paid_payouts, \
         (select cast(coalesce(sum(amount_cents), 0) as bigint) from payouts) as payout_cents, \
         (select count(*) from invoices) as invoices, \
         (select count(*) from credit_entries) as credit_entries, \
         (select cast(coalesce(sum(amount), 0) as bigint) from credit_entries) as credit_sum, \
         (select count(*) from invite_redemptions) as invite_redemptions",
    )
    .fetch_one(ex)
    .await
}

/// Referrals created in `[from, to)` (tests compare the overview's previous window).
pub async fn count_referrals_between<'e>(
    ex: impl Executor<'e, Database = Any>,
    from: i64,
    to: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("select count(*) from referrals where created_at >= $1 and created_at < $2")
        .bind(from)
        .bind(to)
        .fetch_one(ex)
        .await
}
