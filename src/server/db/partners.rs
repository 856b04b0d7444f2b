use sqlx::{Any, Executor};

use crate::domain::partner::PartnerState;
use crate::model::types::PartnerBadge;

/// The partner whose portal workspace this user belongs to, if any.
pub async fn badge_for_user<'e>(
    ex: impl Executor<'e, Database = Any>,
    user_id: &str,
) -> Result<Option<PartnerBadgeRecord>, sqlx::Error> {
    sqlx::query_as(
        "select p.id, p.name, p.workspace_id, p.status from partners p \
         join members m on m.workspace_id = p.workspace_id \
         where m.user_id = $1 order by p.created_at limit 1",
    )
    .bind(user_id)
    .fetch_optional(ex)
    .await
}

pub async fn count<'e>(ex: impl Executor<'e, Database = Any>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("select count(*) from partners").fetch_one(ex).await
}

/// Turns pending partner-user invitations for `email` into memberships.
pub async fn accept_invitations(
    conn: &mut sqlx::AnyConnection,
    email: &str,
    user_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into members (workspace_id, user_id, role, created_at) \
         select p.workspace_id, $1, 'member', $2 from partner_invitations i \
         join partners p on p.id = i.partner_id where i.email = $3 and i.accepted_at is null \
         on conflict (workspace_id, user_id) do nothing",
    )
    .bind(user_id)
    .bind(now)
    .bind(email)
    .execute(&mut *conn)
    .await?;
    sqlx::query("update partner_invitations set accepted_at = $1 where email = $2 and accepted_at is null")
        .bind(now)
        .bind(email)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub struct NewPartnerRow<'a> {
    pub id: &'a str,
    pub workspace_id: &'a str,
    pub name: &'a str,
    pub contact_email: &'a str,
    pub commission_kind: &'a str,
    pub commission_value: i64,
    pub approved_by: &'a str,
    pub now: i64,
}

/// Admin-created partners are approved by the creating admin at once; the settings the
/// admin didn't give come from the platform's defaults.
pub async fn insert(tx: &mut super::Tx, p: &NewPartnerRow<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into partners (id, workspace_id, name, contact_email, commission_kind, \
         commission_value, credit_bps, recurring, recurring_months, payout_frequency, \
         payout_threshold_cents, status, approved_by, approved_at, status_changed_at, created_at) \
         select $1, $2, $3, $4, $5, $6, s.default_credit_bps, s.default_recurring, \
         s.default_recurring_months, s.default_payout_frequency, s.default_payout_threshold_cents, \
         'approved', $7, $8, $8, $8 from platform_settings s where s.id = 1",
    )
    .bind(p.id)
    .bind(p.workspace_id)
    .bind(p.name)
    .bind(p.contact_email)
    .bind(p.commission_kind)
    .bind(p.commission_value)
    .bind(p.approved_by)
    .bind(p.now)
    .execute(&mut **tx)
    .await?;
    super::rollups::refresh_paid_period(tx, p.id).await?;
    Ok(())
}

pub async fn workspace_of<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("select workspace_id from partners where id = $1").bind(partner_id).fetch_one(ex).await
}

use crate::model::types::{PartnerRow, PartnerUserRow, RuleRow};

/// Partner columns plus running totals: referrals, and the payout engine's unpaid and paid
/// cash (`unpaid_and_paid!`; an entry's own stored status is what it was written with and
/// never says whether it was paid).
macro_rules! partner_rows {
    ($where:literal) => {
        concat!(
            "select p.id, p.name, p.contact_email, p.commission_kind, p.commission_value, p.approved_at, \
             p.status, (select count(*) from referrals r where r.partner_id = p.id) as referrals, \
             (select count(*) from referrals r where r.partner_id = p.id and r.converted_at is not null) as converted, ",
            crate::unpaid_and_paid!("pending_cents", "paid_cents"),
            ", p.created_at from partners p ",
            $where
        )
    };
}

/// One partner with its totals (`$1` id).
pub const BY_ID_SQL: &str = partner_rows!("where p.id = $1");

pub async fn by_id<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
) -> Result<Option<PartnerRecord>, sqlx::Error> {
    sqlx::query_as(BY_ID_SQL).bind(id).fetch_optional(ex).await
}

/// Members of the partner's workspace, then invitations not yet accepted.
pub async fn users<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
) -> Result<Vec<PartnerUserRecord>, sqlx::Error> {
    sqlx::query_as(
        "select u.email, 'member' as state from partners p join members m on m.workspace_id = p.workspace_id \
         join users u on u.id = m.user_id where p.id = $1 \
         union all \
         select i.email, 'invited' as state from partner_invitations i \
         where i.partner_id = $1 and i.accepted_at is null order by 2, 1",
    )
    .bind(partner_id)
    .fetch_all(ex)
    .await
}

pub async fn invite<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    email: &str,
    invited_by: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into partner_invitations (id, partner_id, email, invited_by, created_at) \
         values ($1, $2, $3, $4, $5) on conflict (partner_id, email) do nothing",
    )
    .bind(super::new_id())
    .bind(partner_id)
    .bind(email)
    .bind(invited_by)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn rules<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
) -> Result<Vec<RuleRecord>, sqlx::Error> {
    sqlx::query_as(
        "select r.plan_id, pl.name as plan_name, r.kind, r.value from commission_rules r \
         join plans pl on pl.id = r.plan_id where r.partner_id = $1 order by pl.price_monthly_cents",
    )
    .bind(partner_id)
    .fetch_all(ex)
    .await
}

pub async fn upsert_rule<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    plan_id: &str,
    kind: &str,
    value: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into commission_rules (partner_id, plan_id, kind, value, updated_at) \
         values ($1, $2, $3, $4, $5) on conflict (partner_id, plan_id) do update \
         set kind = excluded.kind, value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(partner_id)
    .bind(plan_id)
    .bind(kind)
    .bind(value)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn delete_rule<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    plan_id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("delete from commission_rules where partner_id = $1 and plan_id = $2")
        .bind(partner_id)
        .bind(plan_id)
        .execute(ex)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// What a conversion needs to know about the partner and its rule for a plan.
#[derive(sqlx::FromRow)]
pub struct CommissionTerms {
    pub commission_kind: String,
    pub commission_value: i64,
    pub credit_bps: i64,
    pub rule_kind: Option<String>,
    pub rule_value: Option<i64>,
}

pub async fn terms_for_plan<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    plan_id: &str,
) -> Result<Option<CommissionTerms>, sqlx::Error> {
    sqlx::query_as(
        "select p.commission_kind, p.commission_value, p.credit_bps, r.kind as rule_kind, r.value as rule_value \
         from partners p left join commission_rules r on r.partner_id = p.id and r.plan_id = $2 \
         where p.id = $1",
    )
    .bind(partner_id)
    .bind(plan_id)
    .fetch_optional(ex)
    .await
}

/// Where mail about a partner goes: its contact address and every user of its workspace.
pub async fn notification_emails<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "select p.contact_email from partners p where p.id = $1 \
         union select u.email from partners p join members m on m.workspace_id = p.workspace_id \
         join users u on u.id = m.user_id where p.id = $1",
    )
    .bind(partner_id)
    .fetch_all(ex)
    .await
}

record! {
    /// The partner a user's portal belongs to.
    pub struct PartnerBadgeRecord => PartnerBadge {
        pub id: String,
        pub name: String,
        pub workspace_id: String,
        pub status: PartnerState,
    }
}

record! {
    /// One partner with its running totals (`partner_rows!`).
    pub struct PartnerRecord => PartnerRow {
        pub id: String,
        pub name: String,
        pub contact_email: String,
        pub commission_kind: String,
        pub commission_value: i64,
        pub approved_at: Option<i64>,
        pub status: PartnerState,
        pub referrals: i64,
        pub converted: i64,
        pub pending_cents: i64,
        pub paid_cents: i64,
        pub created_at: i64,
    }
}

record! {
    /// A member of the partner's workspace or an invitation not yet accepted.
    pub struct PartnerUserRecord => PartnerUserRow {
        pub email: String,
        pub state: String,
    }
}

record! {
    /// A per-plan commission rule of the partner.
    pub struct RuleRecord => RuleRow {
        pub plan_id: String,
        pub plan_name: String,
        pub kind: String,
        pub value: i64,
    }
}
