//! The mail outbox: queued messages and their delivery state.
use sqlx::{Any, Executor, FromRow};

use super::Tx;
use crate::domain::mail::MailStatus;
use crate::model::list::ListQuery;

pub struct NewMessage<'a> {
    pub id: &'a str,
    pub key: &'a str,
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

pub async fn insert(tx: &mut Tx, m: &NewMessage<'_>, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "insert into outbox (id, idempotency_key, to_address, subject, body, status, attempts, \
         next_attempt_at, created_at) values ($1, $2, $3, $4, $5, 'pending', 0, $6, $6) \
         on conflict (idempotency_key) do nothing",
    )
    .bind(m.id)
    .bind(m.key)
    .bind(m.to)
    .bind(m.subject)
    .bind(m.body)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone, FromRow)]
pub struct OutboxMessage {
    pub id: String,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub status: MailStatus,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub delivered_at: Option<i64>,
    pub created_at: i64,
}

/// The columns of an [`OutboxMessage`] (a macro, so each query is one literal).
macro_rules! outbox_select {
    () => {
        "select id, to_address, subject, body, status, attempts, next_attempt_at, last_error, \
         delivered_at, created_at from outbox "
    };
}

pub async fn due<'e>(
    ex: impl Executor<'e, Database = Any>,
    now: i64,
    limit: i64,
) -> Result<Vec<OutboxMessage>, sqlx::Error> {
    sqlx::query_as(concat!(
        outbox_select!(),
        "where status = 'pending' and next_attempt_at <= $1 order by next_attempt_at, id limit $2"
    ))
    .bind(now)
    .bind(limit)
    .fetch_all(ex)
    .await
}

/// Takes a due message for this sender; false when another sender took it first.
pub async fn claim<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    now: i64,
    until: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update outbox set status = 'sending', attempts = attempts + 1, claimed_until = $3 \
         where id = $1 and status = 'pending' and next_attempt_at <= $2",
    )
    .bind(id)
    .bind(now)
    .bind(until)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records how a claimed message's attempt ended: delivered, failed, or pending again at
/// `retry_at`.
pub async fn finish<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    status: MailStatus,
    error: Option<&str>,
    now: i64,
    retry_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update outbox set status = $2, last_error = $3, claimed_until = null, \
         delivered_at = case when $2 = 'delivered' then $4 else delivered_at end, \
         next_attempt_at = coalesce($5, next_attempt_at) where id = $1 and status = 'sending'",
    )
    .bind(id)
    .bind(status.as_str())
    .bind(error)
    .bind(now)
    .bind(retry_at)
    .execute(ex)
    .await?;
    Ok(())
}

/// Claims whose time ran out belong to a sender that stopped mid-send: the message may
/// have gone out, so it is marked failed rather than sent again.
pub async fn abandon_stale_claims<'e>(
    ex: impl Executor<'e, Database = Any>,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "update outbox set status = 'failed', claimed_until = null, last_error = $2 \
         where status = 'sending' and claimed_until < $1",
    )
    .bind(now)
    .bind(STALE_CLAIM)
    .execute(ex)
    .await?;
    Ok(done.rows_affected())
}

pub const STALE_CLAIM: &str =
    "The sender stopped while sending this message, so it may have arrived; it was not sent again.";

/// Admin → Outbox as a list: `$1` = a status ('' for all), `$2` = a search pattern over
/// the recipient and the subject ('' for all).
macro_rules! outbox_where {
    () => {
        "where ($1 = '' or status = $1) \
         and ($2 = '' or lower(to_address) like $2 escape '\\' or lower(subject) like $2 escape '\\') "
    };
}

macro_rules! outbox_page {
    ($order:literal) => {
        concat!(outbox_select!(), outbox_where!(), "order by ", $order, " limit $3 offset $4")
    };
}

/// One page, newest first (`oldest` reverses it).
pub async fn page<'e>(
    ex: impl Executor<'e, Database = Any>,
    q: &ListQuery,
    status: Option<MailStatus>,
) -> Result<Vec<OutboxMessage>, sqlx::Error> {
    let sql = match q.sort.as_str() {
        "oldest" => outbox_page!("created_at, id"),
        _ => outbox_page!("created_at desc, id desc"),
    };
    let (limit, offset) = q.limit_offset();
    sqlx::query_as(sql)
        .bind(status.map(MailStatus::as_str).unwrap_or(""))
        .bind(q.like_pattern())
        .bind(limit)
        .bind(offset)
        .fetch_all(ex)
        .await
}

pub async fn count<'e>(
    ex: impl Executor<'e, Database = Any>,
    q: &ListQuery,
    status: Option<MailStatus>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(concat!("select count(*) from outbox ", outbox_where!()))
        .bind(status.map(MailStatus::as_str).unwrap_or(""))
        .bind(q.like_pattern())
        .fetch_one(ex)
        .await
}
