//! The partner lifecycle's SQL: state changes (conditional on the state left), the
//! application, the settings record and its audit log, activation and sub-accounts.
use sqlx::{Any, Executor, FromRow};

use crate::domain::partner::PartnerState;
use crate::model::lifecycle::{AuditRow, PartnerQueueRow, StateChangeRow, SubAccountRow};

/// The lifecycle columns of one partner.
#[derive(Debug, Clone, FromRow)]
pub struct LifecycleRow {
    pub id: String,
    pub name: String,
    pub workspace_id: String,
    pub status: PartnerState,
    pub status_reason: Option<String>,
    pub status_note: Option<String>,
    pub status_changed_at: Option<i64>,
}

const LIFECYCLE_COLUMNS: &str =
    "select id, name, workspace_id, status, status_reason, status_note, status_changed_at from partners ";

pub async fn by_id<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
) -> Result<Option<LifecycleRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{LIFECYCLE_COLUMNS} where id = $1")))
        .bind(partner_id)
        .fetch_optional(ex)
        .await
}

/// The partner this user applied for or belongs to (its oldest).
pub async fn for_user<'e>(
    ex: impl Executor<'e, Database = Any>,
    user_id: &str,
) -> Result<Option<LifecycleRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{LIFECYCLE_COLUMNS} where workspace_id in (select workspace_id from members where user_id = $1) \
         or applied_by = $1 order by created_at limit 1"
    )))
    .bind(user_id)
    .fetch_optional(ex)
    .await
}

pub async fn for_workspace<'e>(
    ex: impl Executor<'e, Database = Any>,
    workspace_id: &str,
) -> Result<Option<LifecycleRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{LIFECYCLE_COLUMNS} where workspace_id = $1")))
        .bind(workspace_id)
        .fetch_optional(ex)
        .await
}

pub struct StateChange<'a> {
    pub partner_id: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub actor_id: Option<&'a str>,
    pub reason_code: Option<&'a str>,
    pub note: Option<&'a str>,
    pub now: i64,
}

/// Moves the partner from `from` to `to` if it is still in `from`: the row count
/// decides, so two admins approving at once change (and record) it once. Approval
/// records the approver and the time.
pub async fn change_state<'e>(
    ex: impl Executor<'e, Database = Any>,
    c: &StateChange<'_>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update partners set status = $1, status_reason = $2, status_note = $3, status_changed_at = $4, \
         approved_by = case when $1 = 'approved' and approved_at is null then $5 else approved_by end, \
         approved_at = case when $1 = 'approved' and approved_at is null then $4 else approved_at end \
         where id = $6 and status = $7",
    )
    .bind(c.to)
    .bind(c.reason_code)
    .bind(c.note)
    .bind(c.now)
    .bind(c.actor_id)
    .bind(c.partner_id)
    .bind(c.from)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn record_state_change<'e>(
    ex: impl Executor<'e, Database = Any>,
    c: &StateChange<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into partner_state_changes (id, partner_id, from_state, to_state, actor_id, reason_code, note, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(super::new_id())
    .bind(c.partner_id)
    .bind((!c.from.is_empty()).then_some(c.from))
    .bind(c.to)
    .bind(c.actor_id)
    .bind(c.reason_code)
    .bind(c.note)
    .bind(c.now)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn state_changes<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
) -> Result<Vec<StateChangeRecord>, sqlx::Error> {
    sqlx::query_as(
        "select u.email as actor_email, s.from_state, s.to_state, s.reason_code, s.note, s.created_at \
         from partner_state_changes s left join users u on u.id = s.actor_id \
         where s.partner_id = $1 order by s.created_at desc, s.id desc",
    )
    .bind(partner_id)
    .fetch_all(ex)
    .await
}

/// The review queue's order and page over `partners` (unaliased; `$1` limit, `$2` offset):
/// pending applications first, then suspended, approved, rejected; newest first within
/// each. The expression is the one of the `partners_by_review` index (migration 0016), so
/// a page reads 25 index entries instead of sorting every partner. The running stats of
/// the same page (`partner_stats::QUEUE_SQL`) select their ids with it.
#[macro_export]
macro_rules! review_queue_page {
    () => {
        "order by case status when 'pending' then 0 when 'suspended' then 1 when 'approved' then 2 \
         else 3 end, created_at desc, id limit $1 offset $2"
    };
}

/// One page of the applications and partners an admin reviews (`$1` limit, `$2` offset).
pub const QUEUE_SQL: &str = concat!(
    "select id, name, contact_email, status, website, promotion, payout_country, created_at \
     from partners ",
    crate::review_queue_page!()
);

pub async fn queue<'e>(
    ex: impl Executor<'e, Database = Any>,
    limit: i64,
    offset: i64,
) -> Result<Vec<PartnerQueueRecord>, sqlx::Error> {
    sqlx::query_as(QUEUE_SQL).bind(limit).bind(offset).fetch_all(ex).await
}

pub async fn count_all<'e>(ex: impl Executor<'e, Database = Any>) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("select count(*) from partners").fetch_one(ex).await?;
    Ok(n)
}

pub struct Application<'a> {
    pub website: Option<&'a str>,
    pub promotion: &'a str,
    pub payout_country: &'a str,
}

/// A new partner in state `pending` (no approval), with the platform's defaults.
pub struct NewApplicant<'a> {
    pub id: &'a str,
    pub workspace_id: &'a str,
    pub name: &'a str,
    pub contact_email: &'a str,
    pub user_id: &'a str,
    pub application: Application<'a>,
    pub now: i64,
}

pub async fn insert_applicant(tx: &mut super::Tx, a: &NewApplicant<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into partners (id, workspace_id, name, contact_email, commission_kind, commission_value, \
         credit_bps, recurring, recurring_months, payout_frequency, payout_threshold_cents, status, \
         website, promotion, payout_country, applied_by, status_changed_at, created_at) \
         select $1, $2, $3, $4, s.default_commission_kind, s.default_commission_value, s.default_credit_bps, \
         s.default_recurring, s.default_recurring_months, s.default_payout_frequency, \
         s.default_payout_threshold_cents, 'pending', $5, $6, $7, $8, $9, $9 \
         from platform_settings s where s.id = 1",
    )
    .bind(a.id)
    .bind(a.workspace_id)
    .bind(a.name)
    .bind(a.contact_email)
    .bind(a.application.website)
    .bind(a.application.promotion)
    .bind(a.application.payout_country)
    .bind(a.user_id)
    .bind(a.now)
    .execute(&mut **tx)
    .await?;
    super::rollups::refresh_paid_period(tx, a.id).await?;
    Ok(())
}

/// A rejected applicant applies again: back to `pending` with the new answers, only
/// if still rejected and rejected at or before `rejected_before` (the wait is over).
pub async fn reapply<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    name: &str,
    application: &Application<'_>,
    rejected_before: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update partners set status = 'pending', name = $1, website = $2, promotion = $3, payout_country = $4, \
         status_reason = null, status_note = null, status_changed_at = $5 \
         where id = $6 and status = 'rejected' and status_changed_at <= $7",
    )
    .bind(name)
    .bind(application.website)
    .bind(application.promotion)
    .bind(application.payout_country)
    .bind(now)
    .bind(partner_id)
    .bind(rejected_before)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Settings as stored.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SettingsRow {
    pub commission_kind: String,
    pub commission_value: i64,
    pub credit_bps: i64,
    pub recurring: i64,
    pub recurring_months: Option<i64>,
    pub payout_method: String,
    pub payout_details: Option<String>,
    pub payout_threshold_cents: i64,
    pub payout_frequency: String,
    pub hold_days: Option<i64>,
}

#[derive(Debug, Clone, FromRow)]
pub struct ApplicationRow {
    pub status: PartnerState,
    pub workspace_id: String,
    pub website: Option<String>,
    pub promotion: Option<String>,
    pub payout_country: Option<String>,
}

pub async fn settings<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
) -> Result<Option<SettingsRow>, sqlx::Error> {
    sqlx::query_as(
        "select commission_kind, commission_value, credit_bps, recurring, recurring_months, payout_method, \
         payout_details, payout_threshold_cents, payout_frequency, hold_days from partners where id = $1",
    )
    .bind(partner_id)
    .fetch_optional(ex)
    .await
}

pub async fn application<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
) -> Result<Option<ApplicationRow>, sqlx::Error> {
    sqlx::query_as(
        "select status, workspace_id, website, promotion, payout_country from partners where id = $1",
    )
    .bind(partner_id)
    .fetch_optional(ex)
    .await
}

pub async fn update_settings(
    tx: &mut super::Tx,
    partner_id: &str,
    s: &SettingsRow,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update partners set commission_kind = $1, commission_value = $2, credit_bps = $3, recurring = $4, \
         recurring_months = $5, payout_method = $6, payout_details = $7, payout_threshold_cents = $8, \
         payout_frequency = $9, hold_days = $10 where id = $11",
    )
    .bind(&s.commission_kind)
    .bind(s.commission_value)
    .bind(s.credit_bps)
    .bind(s.recurring)
    .bind(s.recurring_months)
    .bind(&s.payout_method)
    .bind(&s.payout_details)
    .bind(s.payout_threshold_cents)
    .bind(&s.payout_frequency)
    .bind(s.hold_days)
    .bind(partner_id)
    .execute(&mut **tx)
    .await?;
    super::rollups::refresh_paid_period(tx, partner_id).await?;
    Ok(())
}

pub async fn insert_audit<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    actor_id: &str,
    field: &str,
    before: &str,
    after: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into partner_audit (id, partner_id, actor_id, field, before_value, after_value, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(super::new_id())
    .bind(partner_id)
    .bind(actor_id)
    .bind(field)
    .bind(before)
    .bind(after)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn audit<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
) -> Result<Vec<AuditRecord>, sqlx::Error> {
    sqlx::query_as(
        "select u.email as actor_email, a.field, a.before_value, a.after_value, a.created_at \
         from partner_audit a left join users u on u.id = a.actor_id \
         where a.partner_id = $1 order by a.created_at desc, a.id desc",
    )
    .bind(partner_id)
    .fetch_all(ex)
    .await
}

#[derive(Debug, Clone, FromRow)]
pub struct CodeChoice {
    pub id: String,
    pub code: String,
    pub is_default: i64,
}

pub async fn enabled_codes<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
) -> Result<Vec<CodeChoice>, sqlx::Error> {
    sqlx::query_as(
        "select id, code, is_default from referral_codes where partner_id = $1 and disabled_at is null \
         order by is_default desc, created_at",
    )
    .bind(partner_id)
    .fetch_all(ex)
    .await
}

/// Makes `code_id` the partner's one default code, if it is one of its enabled codes.
pub async fn set_default_code<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    code_id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update referral_codes set is_default = case when id = $2 then 1 else 0 end \
         where partner_id = $1 and exists (select 1 from referral_codes c \
           where c.id = $2 and c.partner_id = $1 and c.disabled_at is null)",
    )
    .bind(partner_id)
    .bind(code_id)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The verified custom domain of a workspace, if any (for the affiliate link).
pub async fn verified_domain<'e>(
    ex: impl Executor<'e, Database = Any>,
    workspace_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "select host from custom_domains where workspace_id = $1 and verified_at is not null \
         order by verified_at limit 1",
    )
    .bind(workspace_id)
    .fetch_optional(ex)
    .await
}

// ---- activation and agencies ----

/// A partner record for an existing workspace, approved by `approved_by` now, unless the
/// workspace has one already (the unique workspace_id decides): true when created.
pub struct NewActivated<'a> {
    pub id: &'a str,
    pub workspace_id: &'a str,
    pub name: &'a str,
    pub contact_email: &'a str,
    pub commission_kind: &'a str,
    pub commission_value: i64,
    pub approved_by: &'a str,
    pub now: i64,
}

pub async fn insert_activated(tx: &mut super::Tx, a: &NewActivated<'_>) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "insert into partners (id, workspace_id, name, contact_email, commission_kind, commission_value, \
         credit_bps, recurring, recurring_months, payout_frequency, payout_threshold_cents, status, \
         approved_by, approved_at, status_changed_at, created_at) \
         select $1, $2, $3, $4, $5, $6, s.default_credit_bps, s.default_recurring, s.default_recurring_months, \
         s.default_payout_frequency, s.default_payout_threshold_cents, 'approved', $7, $8, $8, $8 \
         from platform_settings s where s.id = 1 \
         on conflict (workspace_id) do nothing",
    )
    .bind(a.id)
    .bind(a.workspace_id)
    .bind(a.name)
    .bind(a.contact_email)
    .bind(a.commission_kind)
    .bind(a.commission_value)
    .bind(a.approved_by)
    .bind(a.now)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    super::rollups::refresh_paid_period(tx, a.id).await?;
    Ok(true)
}

#[derive(Debug, Clone, FromRow)]
pub struct WorkspaceRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub tier: String,
}

pub async fn workspace<'e>(
    ex: impl Executor<'e, Database = Any>,
    workspace_id: &str,
) -> Result<Option<WorkspaceRow>, sqlx::Error> {
    sqlx::query_as("select id, name, kind, tier from workspaces where id = $1")
        .bind(workspace_id)
        .fetch_optional(ex)
        .await
}

/// Tier partner, referral earning on, no sub-account cap.
pub async fn upgrade_to_agency<'e>(
    ex: impl Executor<'e, Database = Any>,
    workspace_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update workspaces set tier = 'partner', referral_earning = 1, sub_account_cap = null where id = $1",
    )
    .bind(workspace_id)
    .execute(ex)
    .await?;
    Ok(())
}

/// Takes one sub-account slot of `parent_id` if its cap allows: partner tier without a
/// cap is unlimited, otherwise the workspace's cap or the platform's standard cap. One
/// conditional statement: concurrent creations can never pass the cap.
pub async fn take_sub_account_slot<'e>(
    ex: impl Executor<'e, Database = Any>,
    parent_id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update workspaces set sub_account_count = sub_account_count + 1 where id = $1 and \
         ((tier = 'partner' and sub_account_cap is null) or sub_account_count < \
          coalesce(sub_account_cap, (select s.standard_sub_account_cap from platform_settings s where s.id = 1)))",
    )
    .bind(parent_id)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn insert_sub_account<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    name: &str,
    parent_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into workspaces (id, name, kind, tier, parent_id, created_at) \
         values ($1, $2, 'customer', 'standard', $3, $4)",
    )
    .bind(id)
    .bind(name)
    .bind(parent_id)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn sub_accounts<'e>(
    ex: impl Executor<'e, Database = Any>,
    parent_id: &str,
) -> Result<Vec<SubAccountRecord>, sqlx::Error> {
    sqlx::query_as(
        "select id, name, created_at from workspaces where parent_id = $1 order by created_at desc, id",
    )
    .bind(parent_id)
    .fetch_all(ex)
    .await
}

/// Whether the partner passes the approval gate now (`eligible_partner!()`).
pub async fn is_eligible<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(concat!(
        "select 1 from partners p where p.id = $1 and ",
        crate::eligible_partner!()
    ))
    .bind(partner_id)
    .fetch_optional(ex)
    .await?;
    Ok(found.is_some())
}

record! {
    /// A row as the query reads it.
    #[derive(Debug, Clone)]
    pub struct AuditRecord => AuditRow {
        pub actor_email: Option<String>,
        pub field: String,
        pub before_value: Option<String>,
        pub after_value: Option<String>,
        pub created_at: i64,
    }
}

record! {
    /// A row as the query reads it.
    #[derive(Debug, Clone)]
    pub struct PartnerQueueRecord => PartnerQueueRow {
        pub id: String,
        pub name: String,
        pub contact_email: String,
        pub status: PartnerState,
        pub website: Option<String>,
        pub promotion: Option<String>,
        pub payout_country: Option<String>,
        pub created_at: i64,
    }
}

record! {
    /// A row as the query reads it.
    #[derive(Debug, Clone)]
    pub struct StateChangeRecord => StateChangeRow {
        pub actor_email: Option<String>,
        pub from_state: Option<PartnerState>,
        pub to_state: PartnerState,
        pub reason_code: Option<String>,
        pub note: Option<String>,
        pub created_at: i64,
    }
}

record! {
    /// A row as the query reads it.
    #[derive(Debug, Clone)]
    pub struct SubAccountRecord => SubAccountRow {
        pub id: String,
        pub name: String,
        pub created_at: i64,
    }
}
