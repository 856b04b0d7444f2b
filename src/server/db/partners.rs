use sqlx::{Any, Executor};

use crate::api::types::PartnerBadge;

/// The partner whose portal workspace this user belongs to, if any.
pub async fn badge_for_user<'e>(
    ex: impl Executor<'e, Database = Any>,
    user_id: &str,
) -> Result<Option<PartnerBadge>, sqlx::Error> {
    sqlx::query_as(
        "select p.id, p.name, p.workspace_id from partners p \
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

/// Admin-created partners are approved by the creating admin at once.
pub async fn insert<'e>(
    ex: impl Executor<'e, Database = Any>,
    p: &NewPartnerRow<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into partners (id, workspace_id, name, contact_email, commission_kind, \
         commission_value, status, approved_by, approved_at, created_at) \
         values ($1, $2, $3, $4, $5, $6, 'active', $7, $8, $8)",
    )
    .bind(p.id)
    .bind(p.workspace_id)
    .bind(p.name)
    .bind(p.contact_email)
    .bind(p.commission_kind)
    .bind(p.commission_value)
    .bind(p.approved_by)
    .bind(p.now)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn workspace_of<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("select workspace_id from partners where id = $1")
        .bind(partner_id)
        .fetch_one(ex)
        .await
}
