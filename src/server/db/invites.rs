//! Invite codes, their redemptions and sign-ups, and the per-flavor defaults.
use sqlx::{Any, Executor, FromRow};

use super::Tx;
use crate::domain::invite_codes::InviteFlavor;

#[derive(Debug, Clone, FromRow)]
pub struct FlavorSettingsRow {
    pub flavor: InviteFlavor,
    pub invitee_credits: i64,
    pub inviter_credits: i64,
    pub max_uses_cap: i64,
    pub max_credits_cap: i64,
    pub active_per_workspace: i64,
    pub updated_at: i64,
}

const FLAVOR_COLUMNS: &str = "flavor, invitee_credits, inviter_credits, max_uses_cap, max_credits_cap, active_per_workspace, updated_at";

pub async fn flavor_settings<'e>(
    ex: impl Executor<'e, Database = Any>,
) -> Result<Vec<FlavorSettingsRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {FLAVOR_COLUMNS} from invite_flavor_settings order by flavor"
    )))
    .fetch_all(ex)
    .await
}

pub async fn flavor_setting<'e>(
    ex: impl Executor<'e, Database = Any>,
    flavor: &str,
) -> Result<Option<FlavorSettingsRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {FLAVOR_COLUMNS} from invite_flavor_settings where flavor = $1"
    )))
    .bind(flavor)
    .fetch_optional(ex)
    .await
}

pub async fn set_flavor_defaults<'e>(
    ex: impl Executor<'e, Database = Any>,
    flavor: &str,
    invitee_credits: i64,
    inviter_credits: i64,
    admin_id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update invite_flavor_settings set invitee_credits = $2, inviter_credits = $3, updated_by = $4, \
         updated_at = $5 where flavor = $1",
    )
    .bind(flavor)
    .bind(invitee_credits)
    .bind(inviter_credits)
    .bind(admin_id)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The bounds a workspace owner's personal codes must stay within.
pub async fn set_personal_limits<'e>(
    ex: impl Executor<'e, Database = Any>,
    max_uses_cap: i64,
    max_credits_cap: i64,
    active_per_workspace: i64,
    admin_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update invite_flavor_settings set max_uses_cap = $1, max_credits_cap = $2, \
         active_per_workspace = $3, updated_by = $4, updated_at = $5 where flavor = 'personal'",
    )
    .bind(max_uses_cap)
    .bind(max_credits_cap)
    .bind(active_per_workspace)
    .bind(admin_id)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}

pub struct NewCode<'a> {
    pub id: &'a str,
    pub code: &'a str,
    pub code_key: &'a str,
    pub flavor: &'a str,
    pub max_uses: Option<i64>,
    pub invitee_credits: i64,
    pub inviter_credits: i64,
    pub expires_at: Option<i64>,
    pub metadata: &'a str,
    pub owner_user_id: Option<&'a str>,
    pub owner_workspace_id: Option<&'a str>,
    pub minted_by: Option<&'a str>,
}

/// False when the normalised code exists already (the caller draws another).
pub async fn insert_code(tx: &mut Tx, c: &NewCode<'_>, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "insert into invite_codes (id, code, code_key, flavor, max_uses, uses, invitee_credits, \
         inviter_credits, expires_at, metadata, owner_user_id, owner_workspace_id, minted_by, created_at) \
         values ($1, $2, $3, $4, $5, 0, $6, $7, $8, $9, $10, $11, $12, $13) \
         on conflict (code_key) do nothing",
    )
    .bind(c.id)
    .bind(c.code)
    .bind(c.code_key)
    .bind(c.flavor)
    .bind(c.max_uses)
    .bind(c.invitee_credits)
    .bind(c.inviter_credits)
    .bind(c.expires_at)
    .bind(c.metadata)
    .bind(c.owner_user_id)
    .bind(c.owner_workspace_id)
    .bind(c.minted_by)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone, FromRow)]
pub struct CodeRecord {
    pub id: String,
    pub code: String,
    pub flavor: InviteFlavor,
    pub max_uses: Option<i64>,
    pub uses: i64,
    pub invitee_credits: i64,
    pub inviter_credits: i64,
    pub expires_at: Option<i64>,
    pub metadata: String,
    pub owner_user_id: Option<String>,
    pub owner_workspace_id: Option<String>,
    pub owner_workspace_name: Option<String>,
    pub owner_email: Option<String>,
    pub minted_by_email: Option<String>,
    pub minted_by: Option<String>,
    pub disabled_at: Option<i64>,
    pub created_at: i64,
}

/// The columns of a [`CodeRecord`] and their joins; `where …` follows.
#[macro_export]
macro_rules! invite_code_select {
    () => {
        "select c.id, c.code, c.flavor, c.max_uses, c.uses, c.invitee_credits, \
         c.inviter_credits, c.expires_at, c.metadata, c.owner_user_id, c.owner_workspace_id, \
         w.name as owner_workspace_name, ou.email as owner_email, mu.email as minted_by_email, \
         c.minted_by, c.disabled_at, c.created_at from invite_codes c \
         left join workspaces w on w.id = c.owner_workspace_id \
         left join users ou on ou.id = c.owner_user_id \
         left join users mu on mu.id = c.minted_by "
    };
}

pub async fn by_key<'e>(
    ex: impl Executor<'e, Database = Any>,
    code_key: &str,
) -> Result<Option<CodeRecord>, sqlx::Error> {
    sqlx::query_as(concat!(crate::invite_code_select!(), "where c.code_key = $1"))
        .bind(code_key)
        .fetch_optional(ex)
        .await
}

pub async fn by_id<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
) -> Result<Option<CodeRecord>, sqlx::Error> {
    sqlx::query_as(concat!(crate::invite_code_select!(), "where c.id = $1")).bind(id).fetch_optional(ex).await
}

/// Codes a workspace owns (its personal codes), newest first.
pub async fn owned_by<'e>(
    ex: impl Executor<'e, Database = Any>,
    workspace_id: &str,
) -> Result<Vec<CodeRecord>, sqlx::Error> {
    sqlx::query_as(concat!(
        crate::invite_code_select!(),
        "where c.owner_workspace_id = $1 order by c.created_at desc"
    ))
    .bind(workspace_id)
    .fetch_all(ex)
    .await
}

/// Active personal codes of a workspace: not disabled, not expired, not used up.
pub async fn count_active_owned<'e>(
    ex: impl Executor<'e, Database = Any>,
    workspace_id: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "select count(*) from invite_codes where owner_workspace_id = $1 and disabled_at is null \
         and (expires_at is null or expires_at > $2) and (max_uses is null or uses < max_uses)",
    )
    .bind(workspace_id)
    .bind(now)
    .fetch_one(ex)
    .await
}

/// Takes one use of the code if it has one left and is live. The row count decides:
/// concurrent redemptions of the last use can't both get it.
pub async fn take_use(tx: &mut Tx, code_id: &str, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update invite_codes set uses = uses + 1 where id = $1 and (max_uses is null or uses < max_uses) \
         and disabled_at is null and (expires_at is null or expires_at > $2)",
    )
    .bind(code_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub struct NewRedemption<'a> {
    pub id: &'a str,
    pub code_id: &'a str,
    pub workspace_id: &'a str,
    pub user_id: &'a str,
    pub flavor: &'a str,
    pub invitee_credits: i64,
    pub inviter_credits: i64,
}

/// False when this workspace already redeemed this code (or, for beta/free/OG, a code of
/// this flavor): the unique indexes decide.
pub async fn insert_redemption(tx: &mut Tx, r: &NewRedemption<'_>, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "insert into invite_redemptions (id, code_id, workspace_id, user_id, flavor, invitee_credits, \
         inviter_credits, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict do nothing",
    )
    .bind(r.id)
    .bind(r.code_id)
    .bind(r.workspace_id)
    .bind(r.user_id)
    .bind(r.flavor)
    .bind(r.invitee_credits)
    .bind(r.inviter_credits)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether `workspace_id` already redeemed this code, or one of `flavor` when `once`.
pub async fn already_redeemed<'e>(
    ex: impl Executor<'e, Database = Any>,
    code_id: &str,
    workspace_id: &str,
    flavor: &str,
    once: bool,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "select code_id from invite_redemptions where workspace_id = $1 and (code_id = $2 or ($3 = 1 and flavor = $4)) \
         order by created_at limit 1",
    )
    .bind(workspace_id)
    .bind(code_id)
    .bind(i64::from(once))
    .bind(flavor)
    .fetch_optional(ex)
    .await
}

pub async fn disable<'e>(
    ex: impl Executor<'e, Database = Any>,
    code_id: &str,
    by: &str,
    now: i64,
    owner_workspace_id: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update invite_codes set disabled_at = $2, disabled_by = $3 where id = $1 and disabled_at is null \
         and ($4 = '' or owner_workspace_id = $4)",
    )
    .bind(code_id)
    .bind(now)
    .bind(by)
    .bind(owner_workspace_id.unwrap_or(""))
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone, FromRow)]
pub struct RedemptionRecord {
    pub id: String,
    pub code: String,
    pub workspace_id: String,
    pub workspace_name: String,
    pub user_email: String,
    pub invitee_credits: i64,
    pub inviter_credits: i64,
    pub created_at: i64,
    pub first_paid_at: Option<i64>,
}

const REDEMPTION_SELECT: &str = "select r.id, c.code, r.workspace_id, w.name as workspace_name, \
     u.email as user_email, r.invitee_credits, r.inviter_credits, r.created_at, \
     s.first_activated_at as first_paid_at from invite_redemptions r \
     join invite_codes c on c.id = r.code_id join workspaces w on w.id = r.workspace_id \
     join users u on u.id = r.user_id left join subscriptions s on s.workspace_id = r.workspace_id";

pub async fn redemptions_of_code<'e>(
    ex: impl Executor<'e, Database = Any>,
    code_id: &str,
) -> Result<Vec<RedemptionRecord>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{REDEMPTION_SELECT} where r.code_id = $1 order by r.created_at desc"
    )))
    .bind(code_id)
    .fetch_all(ex)
    .await
}

/// Everyone who redeemed one of this workspace's personal codes.
pub async fn redemptions_of_owner<'e>(
    ex: impl Executor<'e, Database = Any>,
    workspace_id: &str,
) -> Result<Vec<RedemptionRecord>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{REDEMPTION_SELECT} where c.owner_workspace_id = $1 order by r.created_at desc"
    )))
    .bind(workspace_id)
    .fetch_all(ex)
    .await
}

#[derive(Debug, Clone, FromRow)]
pub struct SignupRecord {
    pub code: String,
    pub user_email: String,
    pub created_at: i64,
}

/// People who registered with one of this workspace's codes but haven't redeemed it yet.
pub async fn waiting_signups_of_owner<'e>(
    ex: impl Executor<'e, Database = Any>,
    workspace_id: &str,
) -> Result<Vec<SignupRecord>, sqlx::Error> {
    sqlx::query_as(
        "select c.code, u.email as user_email, s.created_at from invite_signups s \
         join invite_codes c on c.id = s.code_id join users u on u.id = s.user_id \
         where c.owner_workspace_id = $1 and not exists (select 1 from invite_redemptions r \
         where r.code_id = s.code_id and r.user_id = s.user_id) order by s.created_at desc",
    )
    .bind(workspace_id)
    .fetch_all(ex)
    .await
}

pub async fn insert_signup<'e>(
    ex: impl Executor<'e, Database = Any>,
    code_id: &str,
    user_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into invite_signups (code_id, user_id, created_at) values ($1, $2, $3) on conflict do nothing",
    )
    .bind(code_id)
    .bind(user_id)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(())
}
