//! SQL of the payout rails: attempts, connected Stripe accounts and Stripe webhook events
//! (the dispatcher's lease is `db::payouts::Lease::Dispatch`).
use sqlx::{Any, Executor, FromRow};

/// A payout a rail still has to move, with its latest attempt.
#[derive(Debug, Clone, FromRow)]
pub struct RailWorkRow {
    pub id: String,
    pub partner_id: String,
    pub amount_cents: i64,
    pub currency: String,
    pub status: crate::domain::roles::PayoutStatus,
    pub account_id: Option<String>,
    pub attempt: Option<i64>,
    pub outcome: Option<String>,
    pub attempt_at: Option<i64>,
}

pub async fn open_payouts<'e>(
    ex: impl Executor<'e, Database = Any>,
    method: &str,
) -> Result<Vec<RailWorkRow>, sqlx::Error> {
    sqlx::query_as(
        "select p.id, p.partner_id, p.amount_cents, p.currency, p.status, s.account_id, \
         a.attempt, a.outcome, coalesce(a.decided_at, a.created_at) as attempt_at \
         from payouts p \
         left join stripe_accounts s on s.partner_id = p.partner_id \
         left join payout_attempts a on a.payout_id = p.id \
           and a.attempt = (select max(x.attempt) from payout_attempts x where x.payout_id = p.id) \
         where p.method = $1 and p.status in ('pending', 'processing') \
         order by p.created_at, p.id limit 1000",
    )
    .bind(method)
    .fetch_all(ex)
    .await
}

/// pending → processing; false when another dispatcher (or an admin) moved it first.
pub async fn start_processing<'e>(
    ex: impl Executor<'e, Database = Any>,
    payout_id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("update payouts set status = 'processing' where id = $1 and status = 'pending'")
        .bind(payout_id)
        .execute(ex)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A new attempt, recorded before its call. False when that number already exists.
pub async fn insert_attempt<'e>(
    ex: impl Executor<'e, Database = Any>,
    payout_id: &str,
    attempt: i64,
    key: &str,
    rail: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "insert into payout_attempts (payout_id, attempt, idempotency_key, rail, outcome, created_at) \
         values ($1, $2, $3, $4, 'sending', $5) on conflict do nothing",
    )
    .bind(payout_id)
    .bind(attempt)
    .bind(key)
    .bind(rail)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Decides an open (sending or unknown) attempt, or one the rail has accepted and not
/// settled yet (submitted). False when it was already decided.
pub async fn decide_attempt<'e>(
    ex: impl Executor<'e, Database = Any>,
    payout_id: &str,
    attempt: i64,
    outcome: &str,
    transfer_id: Option<&str>,
    detail: Option<&str>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update payout_attempts set outcome = $1, transfer_id = $2, detail = $3, decided_at = $4 \
         where payout_id = $5 and attempt = $6 and outcome in ('sending', 'unknown', 'submitted')",
    )
    .bind(outcome)
    .bind(transfer_id)
    .bind(detail)
    .bind(now)
    .bind(payout_id)
    .bind(attempt)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// processing → paid with the rail's reference.
pub async fn pay<'e>(
    ex: impl Executor<'e, Database = Any>,
    payout_id: &str,
    reference: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update payouts set status = 'paid', external_reference = $1, paid_at = $2 \
         where id = $3 and status = 'processing'",
    )
    .bind(reference)
    .bind(now)
    .bind(payout_id)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// pending/processing → failed (before anything was sent) or, for a reversal, paid →
/// failed. The caller releases the items in the same transaction.
pub async fn fail<'e>(
    ex: impl Executor<'e, Database = Any>,
    payout_id: &str,
    from_status: &str,
    reason: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update payouts set status = 'failed', failure_reason = $1, failed_at = $2 \
         where id = $3 and status = $4",
    )
    .bind(reason)
    .bind(now)
    .bind(payout_id)
    .bind(from_status)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The payout a transfer paid, if any.
pub async fn payout_of_transfer<'e>(
    ex: impl Executor<'e, Database = Any>,
    transfer_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "select payout_id from payout_attempts where transfer_id = $1 and outcome = 'succeeded' limit 1",
    )
    .bind(transfer_id)
    .fetch_optional(ex)
    .await?;
    Ok(row.map(|r| r.0))
}

#[derive(Debug, Clone, FromRow)]
pub struct AttemptRow {
    pub attempt: i64,
    pub idempotency_key: String,
    pub outcome: String,
    pub transfer_id: Option<String>,
    pub detail: Option<String>,
    pub created_at: i64,
}

pub async fn attempts<'e>(
    ex: impl Executor<'e, Database = Any>,
    payout_id: &str,
) -> Result<Vec<AttemptRow>, sqlx::Error> {
    sqlx::query_as(
        "select attempt, idempotency_key, outcome, transfer_id, detail, created_at \
         from payout_attempts where payout_id = $1 order by attempt",
    )
    .bind(payout_id)
    .fetch_all(ex)
    .await
}

#[derive(Debug, Clone, FromRow)]
pub struct StripeAccountRow {
    pub partner_id: String,
    pub account_id: String,
    pub details_submitted: i64,
    pub payouts_enabled: i64,
    pub transfers: String,
    pub requirements_due: String,
    pub updated_at: i64,
}

pub async fn stripe_account<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
) -> Result<Option<StripeAccountRow>, sqlx::Error> {
    sqlx::query_as(
        "select partner_id, account_id, details_submitted, payouts_enabled, transfers, requirements_due, \
         updated_at from stripe_accounts where partner_id = $1",
    )
    .bind(partner_id)
    .fetch_optional(ex)
    .await
}

pub async fn stripe_account_by_id<'e>(
    ex: impl Executor<'e, Database = Any>,
    account_id: &str,
) -> Result<Option<StripeAccountRow>, sqlx::Error> {
    sqlx::query_as(
        "select partner_id, account_id, details_submitted, payouts_enabled, transfers, requirements_due, \
         updated_at from stripe_accounts where account_id = $1",
    )
    .bind(account_id)
    .fetch_optional(ex)
    .await
}

/// Records a partner's connected account (first time) or its latest status.
pub async fn upsert_stripe_account<'e>(
    ex: impl Executor<'e, Database = Any>,
    r: &StripeAccountRow,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into stripe_accounts (partner_id, account_id, details_submitted, payouts_enabled, transfers, \
         requirements_due, updated_at) values ($1, $2, $3, $4, $5, $6, $7) \
         on conflict (partner_id) do update set account_id = excluded.account_id, \
         details_submitted = excluded.details_submitted, payouts_enabled = excluded.payouts_enabled, \
         transfers = excluded.transfers, requirements_due = excluded.requirements_due, \
         updated_at = excluded.updated_at",
    )
    .bind(&r.partner_id)
    .bind(&r.account_id)
    .bind(r.details_submitted)
    .bind(r.payouts_enabled)
    .bind(&r.transfers)
    .bind(&r.requirements_due)
    .bind(r.updated_at)
    .execute(ex)
    .await?;
    Ok(())
}

/// The partner is paid by Stripe; the details say whether the account takes transfers
/// (what the run's readiness check reads).
pub async fn set_stripe_method<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    details: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("update partners set payout_method = 'stripe', payout_details = $1 where id = $2")
        .bind(details)
        .bind(partner_id)
        .execute(ex)
        .await?;
    Ok(())
}

pub async fn payout_details<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(Option<String>,)> = sqlx::query_as("select payout_details from partners where id = $1")
        .bind(partner_id)
        .fetch_optional(ex)
        .await?;
    Ok(row.and_then(|r| r.0))
}

/// New payout details, the method unchanged.
pub async fn set_payout_details<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    details: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("update partners set payout_details = $1 where id = $2")
        .bind(details)
        .bind(partner_id)
        .execute(ex)
        .await?;
    Ok(())
}

/// Stores a webhook event once. False when its id was already stored.
pub async fn insert_stripe_event<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    kind: &str,
    account_id: Option<&str>,
    outcome: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "insert into stripe_events (id, type, account_id, outcome, received_at) values ($1, $2, $3, $4, $5) \
         on conflict (id) do nothing",
    )
    .bind(id)
    .bind(kind)
    .bind(account_id)
    .bind(outcome)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_stripe_event_outcome<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    outcome: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("update stripe_events set outcome = $1 where id = $2")
        .bind(outcome)
        .bind(id)
        .execute(ex)
        .await?;
    Ok(())
}

// ---- PayPal batches ----

/// A PayPal payout still to move, with its latest attempt and that attempt's batch.
#[derive(Debug, Clone, FromRow)]
pub struct PaypalWorkRow {
    pub id: String,
    pub run_id: String,
    pub amount_cents: i64,
    pub currency: String,
    pub status: crate::domain::roles::PayoutStatus,
    pub payout_details: Option<String>,
    pub attempt: Option<i64>,
    pub outcome: Option<String>,
    pub attempt_at: Option<i64>,
    pub batch_id: Option<String>,
    pub payout_batch_id: Option<String>,
}

pub async fn paypal_open<'e>(
    ex: impl Executor<'e, Database = Any>,
) -> Result<Vec<PaypalWorkRow>, sqlx::Error> {
    sqlx::query_as(
        "select p.id, coalesce(p.run_id, 'none') as run_id, p.amount_cents, p.currency, p.status, \
         pa.payout_details, a.attempt, a.outcome, coalesce(a.decided_at, a.created_at) as attempt_at, \
         a.batch_id, b.payout_batch_id \
         from payouts p join partners pa on pa.id = p.partner_id \
         left join payout_attempts a on a.payout_id = p.id \
           and a.attempt = (select max(x.attempt) from payout_attempts x where x.payout_id = p.id) \
         left join paypal_batches b on b.sender_batch_id = a.batch_id \
         where p.method = 'paypal' and p.status in ('pending', 'processing') \
         order by p.created_at, p.id limit 30000",
    )
    .fetch_all(ex)
    .await
}

/// Records a batch before it is sent. False when that `sender_batch_id` is taken.
pub async fn insert_paypal_batch<'e>(
    ex: impl Executor<'e, Database = Any>,
    sender_batch_id: &str,
    run_id: &str,
    attempt: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "insert into paypal_batches (sender_batch_id, run_id, attempt, created_at) values ($1, $2, $3, $4) \
         on conflict do nothing",
    )
    .bind(sender_batch_id)
    .bind(run_id)
    .bind(attempt)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// PayPal's id of a batch, once an answer named it.
pub async fn set_payout_batch_id<'e>(
    ex: impl Executor<'e, Database = Any>,
    sender_batch_id: &str,
    payout_batch_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("update paypal_batches set payout_batch_id = $1 where sender_batch_id = $2")
        .bind(payout_batch_id)
        .bind(sender_batch_id)
        .execute(ex)
        .await?;
    Ok(())
}

/// Puts a just-inserted attempt into its batch, with the receiver it is sent to.
pub async fn attach_to_batch<'e>(
    ex: impl Executor<'e, Database = Any>,
    payout_id: &str,
    attempt: i64,
    sender_batch_id: &str,
    receiver: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update payout_attempts set batch_id = $1, receiver = $2 where payout_id = $3 and attempt = $4",
    )
    .bind(sender_batch_id)
    .bind(receiver)
    .bind(payout_id)
    .bind(attempt)
    .execute(ex)
    .await?;
    Ok(())
}

/// One attempt of a batch, as it was sent.
#[derive(Debug, Clone, FromRow)]
pub struct BatchMemberRow {
    pub payout_id: String,
    pub attempt: i64,
    pub outcome: String,
    pub receiver: String,
    pub amount_cents: i64,
    pub currency: String,
    pub batch_created_at: i64,
}

/// Every attempt in a batch (decided or not), in the order it was sent.
pub async fn batch_members<'e>(
    ex: impl Executor<'e, Database = Any>,
    sender_batch_id: &str,
) -> Result<Vec<BatchMemberRow>, sqlx::Error> {
    sqlx::query_as(
        "select a.payout_id, a.attempt, a.outcome, coalesce(a.receiver, '') as receiver, p.amount_cents, \
         p.currency, b.created_at as batch_created_at from payout_attempts a \
         join payouts p on p.id = a.payout_id join paypal_batches b on b.sender_batch_id = a.batch_id \
         where a.batch_id = $1 order by a.payout_id",
    )
    .bind(sender_batch_id)
    .fetch_all(ex)
    .await
}

/// The latest attempt of each payout, with its PayPal batch if any (admin payouts list).
#[derive(Debug, Clone, FromRow)]
pub struct LatestAttemptRow {
    pub payout_id: String,
    pub outcome: String,
    pub transfer_id: Option<String>,
    pub batch_id: Option<String>,
    pub payout_batch_id: Option<String>,
}

pub async fn latest_attempts<'e>(
    ex: impl Executor<'e, Database = Any>,
    payout_ids: &[String],
) -> Result<Vec<LatestAttemptRow>, sqlx::Error> {
    if payout_ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=payout_ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "select a.payout_id, a.outcome, a.transfer_id, a.batch_id, b.payout_batch_id \
         from payout_attempts a left join paypal_batches b on b.sender_batch_id = a.batch_id \
         where a.payout_id in ({}) \
         and a.attempt = (select max(x.attempt) from payout_attempts x where x.payout_id = a.payout_id)",
        marks.join(", ")
    );
    let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    for id in payout_ids {
        q = q.bind(id);
    }
    q.fetch_all(ex).await
}
