//! The admin lists that take a `ListQuery` (search, filters, sort, page), each as two
//! static statements (a page and its count) over the same condition. Absent filters are
//! sentinels (`''`, `0`), so the SQL never changes shape; the sort is a whitelisted clause.
use sqlx::{Any, Executor};

use super::billing::WorkspaceAdminRecord;
use crate::domain::roles::SubscriptionStatus;
use crate::model::list::ListQuery;

/// What a list needs bound besides its own parameters.
pub struct Bounds {
    pub like: String,
    pub status: String,
    pub referred: i64,
    pub on: String,
    pub from: i64,
    pub to: i64,
    pub partner: String,
    pub limit: i64,
    pub offset: i64,
}

impl Bounds {
    /// The query's values with sentinels for what is absent.
    pub fn of(q: &ListQuery) -> Bounds {
        let (limit, offset) = q.limit_offset();
        Bounds {
            like: q.like_pattern(),
            // Spelled as stored (the server function has refused unknown values).
            status: SubscriptionStatus::parse(&q.status).map(|s| s.as_str().to_string()).unwrap_or_default(),
            referred: i64::from(q.referred),
            on: q.on.clone(),
            from: q.from.unwrap_or(i64::MIN / 2),
            to: q.to.unwrap_or(i64::MAX / 2),
            partner: q.partner.clone(),
            limit,
            offset,
        }
    }
}

macro_rules! workspaces_from {
    () => {
        " from workspaces w \
         left join subscriptions s on s.workspace_id = w.id \
         left join plans pl on pl.id = s.plan_id \
         left join referrals r on r.workspace_id = w.id \
         left join partners p on p.id = r.partner_id \
         where ($1 = '' or lower(w.name) like $1 escape '\\' or lower(coalesce(p.name, '')) like $1 escape '\\') \
         and ($2 = '' or s.status = $2) \
         and ($3 = 0 or r.id is not null) \
         and ($4 <> 'signup' or (r.created_at >= $5 and r.created_at < $6)) \
         and ($4 <> 'conversion' or (r.converted_at >= $5 and r.converted_at < $6)) \
         and ($7 = '' or r.partner_id = $7) "
    };
}

pub async fn workspaces<'e>(
    ex: impl Executor<'e, Database = Any>,
    q: &ListQuery,
) -> Result<Vec<WorkspaceAdminRecord>, sqlx::Error> {
    let b = Bounds::of(q);
    // The sorts Admin → Workspaces offers; anything else is the default, newest first.
    let sql = match q.sort.as_str() {
        "oldest" => concat!(
            "select w.id, w.name, w.kind, w.created_at, s.plan_id, pl.name as plan_name, s.status, \
             p.name as partner_name",
            workspaces_from!(),
            "order by w.created_at, w.id limit $8 offset $9"
        ),
        "name" => concat!(
            "select w.id, w.name, w.kind, w.created_at, s.plan_id, pl.name as plan_name, s.status, \
             p.name as partner_name",
            workspaces_from!(),
            "order by lower(w.name), w.id limit $8 offset $9"
        ),
        _ => concat!(
            "select w.id, w.name, w.kind, w.created_at, s.plan_id, pl.name as plan_name, s.status, \
             p.name as partner_name",
            workspaces_from!(),
            "order by w.created_at desc, w.id desc limit $8 offset $9"
        ),
    };
    sqlx::query_as(sql)
        .bind(b.like)
        .bind(b.status)
        .bind(b.referred)
        .bind(b.on)
        .bind(b.from)
        .bind(b.to)
        .bind(b.partner)
        .bind(b.limit)
        .bind(b.offset)
        .fetch_all(ex)
        .await
}

pub async fn workspaces_count<'e>(
    ex: impl Executor<'e, Database = Any>,
    q: &ListQuery,
) -> Result<i64, sqlx::Error> {
    let b = Bounds::of(q);
    sqlx::query_scalar(concat!("select count(*)", workspaces_from!()))
        .bind(b.like)
        .bind(b.status)
        .bind(b.referred)
        .bind(b.on)
        .bind(b.from)
        .bind(b.to)
        .bind(b.partner)
        .fetch_one(ex)
        .await
}

/// True when the workspace is a partner's portal workspace (never a customer's).
pub async fn is_partner_workspace<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        sqlx::query_scalar("select 1 from workspaces where id = $1 and kind = 'partner'")
            .bind(id)
            .fetch_optional(ex)
            .await?;
    Ok(found.is_some())
}
