//! One partner's referral codes as a list (Portal → Referral Links): a search over the
//! code, an active/disabled filter, the default first then newest (or oldest, or A–Z), a
//! page and its count.
//! `$1` is always the partner.
use super::AnyQueryAs;
use sqlx::{Any, Executor, FromRow};

use crate::domain::roles::LinkState;
use crate::model::list::ListQuery;
use crate::model::types::CodeRow;

/// `$2` = the search pattern, `$3` = the state (each '' for all).
macro_rules! codes_where {
    () => {
        " from referral_codes where partner_id = $1 \
         and ($2 = '' or lower(code) like $2 escape '\\') \
         and ($3 <> 'active' or disabled_at is null) and ($3 <> 'disabled' or disabled_at is not null) "
    };
}

macro_rules! codes_page {
    ($order:literal) => {
        concat!(
            "select id, code, is_default, disabled_at, created_at",
            codes_where!(),
            "order by ",
            $order,
            " limit $4 offset $5"
        )
    };
}

/// A page in the order `q.sort` asks for: the default link first then newest (the
/// default), `oldest`, or `code` (A–Z).
pub async fn page<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    q: &ListQuery,
    state: Option<LinkState>,
) -> Result<Vec<CodeRecord>, sqlx::Error> {
    let (limit, offset) = q.limit_offset();
    let sql = match q.sort.as_str() {
        "oldest" => codes_page!("created_at, id"),
        "code" => codes_page!("code, id"),
        _ => codes_page!("is_default desc, created_at desc, id"),
    };
    bind(sqlx::query_as(sql), partner_id, q, state).bind(limit).bind(offset).fetch_all(ex).await
}

pub async fn count<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    q: &ListQuery,
    state: Option<LinkState>,
) -> Result<i64, sqlx::Error> {
    let (count,): (i64,) =
        bind(sqlx::query_as(concat!("select count(*)", codes_where!())), partner_id, q, state)
            .fetch_one(ex)
            .await?;
    Ok(count)
}

fn bind<'q, O>(
    query: AnyQueryAs<'q, O>,
    partner_id: &str,
    q: &ListQuery,
    state: Option<LinkState>,
) -> AnyQueryAs<'q, O> {
    query.bind(partner_id.to_string()).bind(q.like_pattern()).bind(state.map(LinkState::as_str).unwrap_or(""))
}

/// A code as the query reads it; `.into()` gives the shared [`CodeRow`] (its link is
/// filled by the service, which knows the base URL).
#[derive(Debug, Clone, FromRow)]
pub struct CodeRecord {
    pub id: String,
    pub code: String,
    pub is_default: i64,
    pub disabled_at: Option<i64>,
    pub created_at: i64,
}

impl From<CodeRecord> for CodeRow {
    fn from(r: CodeRecord) -> Self {
        CodeRow {
            id: r.id,
            code: r.code,
            is_default: r.is_default,
            disabled_at: r.disabled_at,
            created_at: r.created_at,
            link: String::new(),
        }
    }
}
