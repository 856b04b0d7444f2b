//! Admin → Invite codes as a list: a flavor (`kind`) and a status filter, a search over
//! the code (letters and digits, dashes ignored, as people copy codes), newest first (or
//! oldest, or most used), a page and its count. The status is derived in SQL exactly as `CodeStatus::of` derives it.
use super::AnyQueryAs;
use sqlx::{Any, Executor};

use crate::domain::invite_codes::{CodeStatus, InviteFlavor};
use crate::model::list::ListQuery;
use crate::server::db::invites::CodeRecord;

/// `$1` = the flavor, `$2` = the code pattern, `$3` = the status (each '' for all), `$4` = now.
/// Disabled wins over expired, which wins over used up (`CodeStatus::of`).
macro_rules! codes_where {
    () => {
        "where ($1 = '' or c.flavor = $1) and ($2 = '' or replace(c.code_key, '-', '') like $2) \
         and ($3 = '' or (case when c.disabled_at is not null then 'disabled' \
           when c.expires_at is not null and c.expires_at <= $4 then 'expired' \
           when c.max_uses is not null and c.uses >= c.max_uses then 'used_up' else 'active' end) = $3) "
    };
}

/// The filters of the list, parsed.
#[derive(Debug, Clone, Copy, Default)]
pub struct CodeFilter {
    pub flavor: Option<InviteFlavor>,
    pub status: Option<CodeStatus>,
}

macro_rules! codes_page {
    ($order:literal) => {
        concat!(crate::invite_code_select!(), codes_where!(), "order by ", $order, " limit $5 offset $6")
    };
}

/// A page in the order `q.sort` asks for: `newest` (the default), `oldest`, `most_used`.
pub async fn page<'e>(
    ex: impl Executor<'e, Database = Any>,
    now: i64,
    q: &ListQuery,
    f: CodeFilter,
) -> Result<Vec<CodeRecord>, sqlx::Error> {
    let (limit, offset) = q.limit_offset();
    let sql = match q.sort.as_str() {
        "oldest" => codes_page!("c.created_at, c.id"),
        "most_used" => codes_page!("c.uses desc, c.created_at desc, c.id desc"),
        _ => codes_page!("c.created_at desc, c.id desc"),
    };
    bind(sqlx::query_as(sql), now, q, f).bind(limit).bind(offset).fetch_all(ex).await
}

pub async fn count<'e>(
    ex: impl Executor<'e, Database = Any>,
    now: i64,
    q: &ListQuery,
    f: CodeFilter,
) -> Result<i64, sqlx::Error> {
    let sql = concat!("select count(*) from invite_codes c ", codes_where!());
    let (count,): (i64,) = bind(sqlx::query_as(sql), now, q, f).fetch_one(ex).await?;
    Ok(count)
}

fn bind<'q, O>(query: AnyQueryAs<'q, O>, now: i64, q: &ListQuery, f: CodeFilter) -> AnyQueryAs<'q, O> {
    query
        .bind(f.flavor.map(InviteFlavor::as_str).unwrap_or(""))
        .bind(code_pattern(&q.q))
        .bind(f.status.map(CodeStatus::as_str).unwrap_or(""))
        .bind(now)
}

/// Codes are stored upper case (`code_key`); people type them in any case, with or
/// without dashes. Only letters and digits are kept, so no `like` wildcard survives.
fn code_pattern(q: &str) -> String {
    let kept: String =
        q.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    if kept.is_empty() { String::new() } else { format!("%{kept}%") }
}
