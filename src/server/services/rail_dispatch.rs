//! Moving payouts through external rails (issue #12): `pending → processing → paid |
//! failed`, never twice.
//!
//! Each outbound call is an attempt row recorded (as `sending`) and committed before the
//! call, carrying the key `attempt_key(payout, n)`. Its answer is recorded in the
//! transaction that decides the payout: a transfer → paid; a definite refusal → failed
//! and the items back to the balance; anything else (timeout, reset, 5xx, 409, 429) →
//! `unknown`, the payout stays `processing` and needs a reconcile. A reconcile asks the
//! rail for the payout's transfers (its transfer group); only a successful lookup that
//! finds none marks the attempt `absent` and opens attempt n + 1 with a new key. So a
//! retry never depends on the rail still remembering an old key (Stripe prunes them
//! after about a day, and replays a cached 500 for as long as it keeps one).
//!
//! One dispatcher works at a time (lease row 2), so no two calls for one payout overlap.
use crate::domain::payouts::PayoutMethod;
use crate::domain::rails::{AttemptOutcome, attempt_key, next_attempt};
use crate::model::AppError;
use crate::server::db::payouts as db_payouts;
use crate::server::db::payouts::Lease;
use crate::server::db::rails::{self as db_rails, RailWorkRow};
use crate::server::db::{Db, new_id};
use crate::server::rails::Rails;
use crate::server::rails::stripe::{Answer, StripeClient, TransferRequest};

/// How long a dispatcher may hold its lease (every call has a timeout well below it).
pub const LEASE_MS: i64 = 5 * 60 * 1000;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DispatchSummary {
    pub paid: u32,
    pub failed: u32,
    /// Left `processing` with an unknown outcome (needs reconcile).
    pub unknown: u32,
    /// Another dispatcher held the lease; nothing was done.
    pub busy: bool,
}

/// Works every open payout of every configured rail once.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn dispatch(db: &Db, rails: &Rails) -> Result<DispatchSummary, AppError> {
    let mut summary = DispatchSummary::default();
    let Some(stripe) = rails.stripe.as_ref() else { return Ok(summary) };
    let holder = new_id();
    let now = db.now_ms();
    if !crate::server::db::payouts::claim_lease(&db.pool, Lease::Dispatch, &holder, now, now + LEASE_MS)
        .await?
    {
        summary.busy = true;
        return Ok(summary);
    }
    let result = stripe_pass(db, stripe, &holder, &mut summary).await;
    crate::server::db::payouts::release_lease(&db.pool, Lease::Dispatch, &holder).await?;
    result.map(|_| summary)
}

async fn stripe_pass(
    db: &Db,
    stripe: &StripeClient,
    holder: &str,
    summary: &mut DispatchSummary,
) -> Result<(), AppError> {
    for row in db_rails::open_payouts(&db.pool, PayoutMethod::Stripe.as_str()).await? {
        // A long pass keeps its lease; one that lost it (stalled past LEASE_MS) stops
        // before touching another payout.
        if !crate::server::db::payouts::renew_lease(&db.pool, Lease::Dispatch, holder, db.now_ms() + LEASE_MS)
            .await?
        {
            tracing::warn!("rail dispatcher lost its lease; stopping this pass");
            break;
        }
        let outcome = stripe_one(db, stripe, &row).await?;
        match outcome {
            Some(AttemptOutcome::Succeeded) => summary.paid += 1,
            Some(AttemptOutcome::Refused) => summary.failed += 1,
            Some(AttemptOutcome::Unknown | AttemptOutcome::Sending) => summary.unknown += 1,
            _ => {}
        }
    }
    Ok(())
}

/// One payout's step; the outcome of the call made, if any.
async fn stripe_one(
    db: &Db,
    stripe: &StripeClient,
    row: &RailWorkRow,
) -> Result<Option<AttemptOutcome>, AppError> {
    let latest = match (row.attempt, row.outcome.as_deref()) {
        (Some(n), Some(o)) => Some((n, AttemptOutcome::parse(o).ok_or(AppError::Internal)?)),
        _ => None,
    };
    let now = db.now_ms();
    if let Some((n, outcome)) = latest
        && outcome.open()
    {
        if now - row.attempt_at.unwrap_or(0) < stripe.reconcile_after_ms {
            return Ok(Some(AttemptOutcome::Unknown));
        }
        return reconcile(db, stripe, row, n).await;
    }
    let Some(attempt) = next_attempt(latest) else { return Ok(None) };
    let Some(destination) = row.account_id.as_deref() else {
        let mut tx = db.begin_write().await?;
        if row.status == crate::domain::roles::PayoutStatus::Pending
            && db_rails::fail(&mut *tx, &row.id, "pending", NO_ACCOUNT, now).await?
        {
            db_payouts::release_items(&mut tx, &row.id).await?;
        }
        tx.commit().await?;
        return Ok(Some(AttemptOutcome::Refused));
    };
    let key = attempt_key(&row.id, attempt);
    let mut tx = db.begin_write().await?;
    if row.status == crate::domain::roles::PayoutStatus::Pending
        && !db_rails::start_processing(&mut *tx, &row.id).await?
    {
        return Ok(None);
    }
    if !db_rails::insert_attempt(&mut *tx, &row.id, attempt, &key, PayoutMethod::Stripe.as_str(), now).await?
    {
        return Ok(None);
    }
    tx.commit().await?;
    let request = TransferRequest {
        amount_cents: row.amount_cents,
        currency: &row.currency,
        destination,
        payout_id: &row.id,
        attempt,
        idempotency_key: &key,
    };
    let answer = stripe.create_transfer(&request).await;
    record(db, &row.id, attempt, answer.map_transfer()).await
}

const NO_ACCOUNT: &str = "No connected Stripe account: connect Stripe on the Payouts page.";

/// Asks Stripe for the payout's transfers: one found → paid with it; none → the open
/// attempt is proved absent and the next one is sent; no answer → still unknown.
async fn reconcile(
    db: &Db,
    stripe: &StripeClient,
    row: &RailWorkRow,
    attempt: i64,
) -> Result<Option<AttemptOutcome>, AppError> {
    match stripe.transfers_for(&row.id).await {
        Answer::Done(transfers) => {
            let now = db.now_ms();
            if let Some(t) = transfers.iter().find(|t| t.transfer_group.as_deref() == Some(row.id.as_str())) {
                if transfers.len() > 1 {
                    tracing::error!(payout_id = %row.id, count = transfers.len(), "several transfers for one payout");
                }
                let mut tx = db.begin_write().await?;
                db_rails::decide_attempt(
                    &mut *tx,
                    &row.id,
                    attempt,
                    AttemptOutcome::Succeeded.as_str(),
                    Some(&t.id),
                    Some("found by reconcile lookup"),
                    now,
                )
                .await?;
                db_rails::pay(&mut *tx, &row.id, &t.id, now).await?;
                tx.commit().await?;
                return Ok(Some(AttemptOutcome::Succeeded));
            }
            let mut tx = db.begin_write().await?;
            let proved = db_rails::decide_attempt(
                &mut *tx,
                &row.id,
                attempt,
                AttemptOutcome::Absent.as_str(),
                None,
                Some("lookup by transfer group found no transfer"),
                now,
            )
            .await?;
            tx.commit().await?;
            if !proved {
                return Ok(None);
            }
            let next = RailWorkRow {
                status: crate::domain::roles::PayoutStatus::Processing,
                attempt: Some(attempt),
                outcome: Some(AttemptOutcome::Absent.as_str().into()),
                ..row.clone()
            };
            Box::pin(stripe_one(db, stripe, &next)).await
        }
        Answer::Refused(message) | Answer::Unknown(message) => {
            tracing::warn!(payout_id = %row.id, %message, "reconcile lookup gave no answer; still needs reconcile");
            Ok(Some(AttemptOutcome::Unknown))
        }
    }
}

/// What a transfer call's answer decides, recorded in one transaction.
enum Decided {
    Paid(String),
    Refused(String),
    Unknown(String),
}

trait MapTransfer {
    fn map_transfer(self) -> Decided;
}

impl MapTransfer for Answer<crate::server::rails::stripe::Transfer> {
    fn map_transfer(self) -> Decided {
        match self {
            Answer::Done(t) => Decided::Paid(t.id),
            Answer::Refused(m) => Decided::Refused(m),
            Answer::Unknown(m) => Decided::Unknown(m),
        }
    }
}

async fn record(
    db: &Db,
    payout_id: &str,
    attempt: i64,
    decided: Decided,
) -> Result<Option<AttemptOutcome>, AppError> {
    let now = db.now_ms();
    let mut tx = db.begin_write().await?;
    let outcome = match &decided {
        Decided::Paid(transfer) => {
            db_rails::decide_attempt(&mut *tx, payout_id, attempt, "succeeded", Some(transfer), None, now)
                .await?;
            db_rails::pay(&mut *tx, payout_id, transfer, now).await?;
            AttemptOutcome::Succeeded
        }
        Decided::Refused(message) => {
            db_rails::decide_attempt(&mut *tx, payout_id, attempt, "refused", None, Some(message), now)
                .await?;
            if db_rails::fail(&mut *tx, payout_id, "processing", message, now).await? {
                db_payouts::release_items(&mut tx, payout_id).await?;
            }
            AttemptOutcome::Refused
        }
        Decided::Unknown(message) => {
            tracing::warn!(payout_id, attempt, %message, "transfer outcome unknown; needs reconcile");
            db_rails::decide_attempt(&mut *tx, payout_id, attempt, "unknown", None, Some(message), now)
                .await?;
            AttemptOutcome::Unknown
        }
    };
    tx.commit().await?;
    Ok(Some(outcome))
}
