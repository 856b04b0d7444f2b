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
use crate::server::rails::Answer;
use crate::server::rails::Rails;
use crate::server::rails::stripe::{StripeClient, TransferRequest};

/// How long a dispatcher may hold its lease (every call has a timeout well below it).
pub const LEASE_MS: i64 = 5 * 60 * 1000;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DispatchSummary {
    pub paid: u32,
    pub failed: u32,
    /// Left `processing` with an unknown outcome (needs reconcile).
    pub unknown: u32,
    /// Accepted by the rail, not settled yet (a PayPal item PENDING or UNCLAIMED).
    pub waiting: u32,
    /// Another dispatcher held the lease; nothing was done.
    pub busy: bool,
}

/// Works every open payout of every configured rail once.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn dispatch(db: &Db, rails: &Rails) -> Result<DispatchSummary, AppError> {
    let mut summary = DispatchSummary::default();
    if rails.stripe.is_none() && rails.paypal.is_none() {
        return Ok(summary);
    }
    let holder = new_id();
    let now = db.now_ms();
    if !crate::server::db::payouts::claim_lease(&db.pool, Lease::Dispatch, &holder, now, now + LEASE_MS)
        .await?
    {
        summary.busy = true;
        return Ok(summary);
    }
    let mut result = Ok(());
    if let Some(stripe) = rails.stripe.as_ref() {
        result = stripe_pass(db, stripe, &holder, &mut summary).await;
    }
    if result.is_ok()
        && let Some(paypal) = rails.paypal.as_ref()
    {
        result = paypal_pass(db, paypal, &holder, &mut summary).await;
    }
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
        if !keep_lease(db, holder).await? {
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

/// A long pass keeps its lease; one that lost it (stalled past LEASE_MS) stops before
/// touching another payout or batch.
async fn keep_lease(db: &Db, holder: &str) -> Result<bool, AppError> {
    let kept =
        crate::server::db::payouts::renew_lease(&db.pool, Lease::Dispatch, holder, db.now_ms() + LEASE_MS)
            .await?;
    if !kept {
        tracing::warn!("rail dispatcher lost its lease; stopping this pass");
    }
    Ok(kept)
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

/// What a transfer call's answer (or a PayPal item's status) decides, recorded in one
/// transaction.
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

// ---- PayPal Payouts ----
//
// PayPal payouts travel in batches: the payouts of one run that are due their attempt n
// go out together under `sender_batch_id` = `tributary-{run}-{n}` (a suffix when that
// id is taken: a second chunk of 15,000, or payouts of the run sent in a later pass),
// with `PayPal-Request-Id` = the same id and `sender_item_id` = the payout id. The batch
// row and every member's attempt (with the receiver) are committed before the call.
//
// PayPal makes a `sender_batch_id` once (for 30 days): sending the same batch again
// answers with the batch (a replay, or made now if the first never arrived) or with a
// refusal naming it. So an unknown outcome is looked up by resending the batch exactly
// as it was, never by a new batch; an attempt number only moves on when PayPal shows
// the batch without the payout's item (proved absent). Items are then read back:
// SUCCESS → paid; FAILED / RETURNED / BLOCKED / … → failed, items back to the balance;
// PENDING / UNCLAIMED → stays processing (`submitted`) until a later pass.

use crate::domain::partner::PayoutDetails;
use crate::server::rails::paypal::{self, BatchItem, Created, ItemState, PaypalClient};

const NO_PAYPAL_EMAIL: &str =
    "No PayPal email: add the PayPal email you want to be paid at on the Payouts page.";
/// Past this age a batch is not sent again (PayPal remembers a `sender_batch_id` for 30
/// days): it stays "needs reconcile" for a person to look at.
const RESEND_WITHIN_MS: i64 = 25 * 24 * 3600 * 1000;

async fn paypal_pass(
    db: &Db,
    paypal: &PaypalClient,
    holder: &str,
    summary: &mut DispatchSummary,
) -> Result<(), AppError> {
    let rows = db_rails::paypal_open(&db.pool).await?;
    if rows.is_empty() {
        return Ok(());
    }
    if let Answer::Refused(m) | Answer::Unknown(m) = paypal.token().await {
        // Nothing is sent without a token, so nothing is left unknown by this.
        tracing::warn!(message = %m, "PayPal: no access token; no batch sent this pass");
        return Ok(());
    }
    let now = db.now_ms();
    let mut resend: std::collections::BTreeMap<String, (i64, u32)> = Default::default();
    let mut poll: std::collections::BTreeMap<String, String> = Default::default();
    let mut fresh: std::collections::BTreeMap<(String, i64), Vec<db_rails::PaypalWorkRow>> =
        Default::default();
    for row in rows {
        let latest = match (row.attempt, row.outcome.as_deref()) {
            (Some(n), Some(o)) => Some((n, AttemptOutcome::parse(o).ok_or(AppError::Internal)?)),
            _ => None,
        };
        match (latest, row.batch_id.clone()) {
            (Some((_, o)), Some(batch)) if o.open() => {
                let entry = resend.entry(batch).or_insert((0, 0));
                entry.0 = entry.0.max(row.attempt_at.unwrap_or(0));
                entry.1 += 1;
            }
            (Some((_, AttemptOutcome::Submitted)), Some(batch)) => match row.payout_batch_id.clone() {
                Some(pb) => {
                    poll.insert(batch, pb);
                }
                None => summary.unknown += 1,
            },
            _ => match next_attempt(latest) {
                Some(n) => fresh.entry((row.run_id.clone(), n)).or_default().push(row),
                None => summary.unknown += 1,
            },
        }
    }
    for (batch, (at, count)) in resend {
        if !keep_lease(db, holder).await? {
            return Ok(());
        }
        if now - at < paypal.reconcile_after_ms {
            summary.unknown += count;
            continue;
        }
        resend_batch(db, paypal, &batch, summary).await?;
    }
    for (batch, payout_batch_id) in poll {
        if !keep_lease(db, holder).await? {
            return Ok(());
        }
        poll_batch(db, paypal, &batch, &payout_batch_id, summary).await?;
    }
    for ((run, attempt), rows) in fresh {
        for chunk in rows.chunks(paypal::MAX_ITEMS_PER_BATCH) {
            if !keep_lease(db, holder).await? {
                return Ok(());
            }
            send_new_batch(db, paypal, &run, attempt, chunk, summary).await?;
        }
    }
    Ok(())
}

fn paypal_email(details: Option<&str>) -> Option<String> {
    PayoutDetails::from_json(details).paypal_email.filter(|e| crate::domain::email::Email::parse(e).is_ok())
}

/// Records a new batch with its members' attempts, commits, sends it.
async fn send_new_batch(
    db: &Db,
    paypal: &PaypalClient,
    run: &str,
    attempt: i64,
    rows: &[db_rails::PaypalWorkRow],
    summary: &mut DispatchSummary,
) -> Result<(), AppError> {
    use crate::domain::roles::PayoutStatus;
    let now = db.now_ms();
    let mut tx = db.begin_write().await?;
    let mut sendable = Vec::new();
    for row in rows {
        match paypal_email(row.payout_details.as_deref()) {
            Some(email) => sendable.push((row, email)),
            None => {
                // Nothing was ever sent for it: it fails before any call.
                if row.status == PayoutStatus::Pending
                    && db_rails::fail(&mut *tx, &row.id, "pending", NO_PAYPAL_EMAIL, now).await?
                {
                    db_payouts::release_items(&mut tx, &row.id).await?;
                    summary.failed += 1;
                }
            }
        }
    }
    let mut items = Vec::new();
    let mut sender = None;
    if !sendable.is_empty() {
        let base = format!("tributary-{run}-{attempt}");
        for k in 1..=1_000 {
            let id = if k == 1 { base.clone() } else { format!("{base}-{k}") };
            if db_rails::insert_paypal_batch(&mut *tx, &id, run, attempt, now).await? {
                sender = Some(id);
                break;
            }
        }
        let id = sender.as_deref().ok_or(AppError::Internal)?;
        for (row, email) in sendable {
            if row.status == PayoutStatus::Pending && !db_rails::start_processing(&mut *tx, &row.id).await? {
                continue;
            }
            let key = attempt_key(&row.id, attempt);
            if !db_rails::insert_attempt(&mut *tx, &row.id, attempt, &key, PayoutMethod::Paypal.as_str(), now)
                .await?
            {
                continue;
            }
            db_rails::attach_to_batch(&mut *tx, &row.id, attempt, id, &email).await?;
            items.push(BatchItem {
                payout_id: row.id.clone(),
                receiver: email,
                amount_cents: row.amount_cents,
                currency: row.currency.clone(),
            });
        }
    }
    tx.commit().await?;
    let Some(sender) = sender.filter(|_| !items.is_empty()) else { return Ok(()) };
    let answer = paypal.create_batch(&sender, &items).await;
    settle_batch(db, paypal, &sender, answer, summary).await
}

/// Sends an open batch again exactly as it was first sent.
async fn resend_batch(
    db: &Db,
    paypal: &PaypalClient,
    sender: &str,
    summary: &mut DispatchSummary,
) -> Result<(), AppError> {
    let members = db_rails::batch_members(&db.pool, sender).await?;
    let Some(first) = members.first() else { return Ok(()) };
    if db.now_ms() - first.batch_created_at > RESEND_WITHIN_MS {
        tracing::error!(sender_batch_id = sender, "PayPal batch too old to resend safely; needs a person");
        summary.unknown += members.len() as u32;
        return Ok(());
    }
    let items: Vec<BatchItem> = members
        .iter()
        .map(|m| BatchItem {
            payout_id: m.payout_id.clone(),
            receiver: m.receiver.clone(),
            amount_cents: m.amount_cents,
            currency: m.currency.clone(),
        })
        .collect();
    let answer = paypal.create_batch(sender, &items).await;
    settle_batch(db, paypal, sender, answer, summary).await
}

/// What a batch call's answer decides for the batch's open attempts.
async fn settle_batch(
    db: &Db,
    paypal: &PaypalClient,
    sender: &str,
    answer: Answer<Created>,
    summary: &mut DispatchSummary,
) -> Result<(), AppError> {
    let members = db_rails::batch_members(&db.pool, sender).await?;
    let open = members.iter().filter(|m| AttemptOutcome::parse(&m.outcome).is_some_and(|o| o.open()));
    match answer {
        Answer::Done(created) => {
            let now = db.now_ms();
            let detail = format!("in PayPal batch {}", created.payout_batch_id);
            let mut tx = db.begin_write().await?;
            db_rails::set_payout_batch_id(&mut *tx, sender, &created.payout_batch_id).await?;
            for m in open {
                db_rails::decide_attempt(
                    &mut *tx,
                    &m.payout_id,
                    m.attempt,
                    AttemptOutcome::Submitted.as_str(),
                    None,
                    Some(&detail),
                    now,
                )
                .await?;
            }
            tx.commit().await?;
            if created.duplicate {
                tracing::info!(sender_batch_id = sender, "PayPal named the batch already made for this id");
            }
            poll_batch(db, paypal, sender, &created.payout_batch_id, summary).await
        }
        Answer::Refused(message) => {
            for m in open {
                count(summary, record(db, &m.payout_id, m.attempt, Decided::Refused(message.clone())).await?);
            }
            Ok(())
        }
        Answer::Unknown(message) => {
            for m in open {
                count(summary, record(db, &m.payout_id, m.attempt, Decided::Unknown(message.clone())).await?);
            }
            Ok(())
        }
    }
}

fn count(summary: &mut DispatchSummary, outcome: Option<AttemptOutcome>) {
    match outcome {
        Some(AttemptOutcome::Succeeded) => summary.paid += 1,
        Some(AttemptOutcome::Refused) => summary.failed += 1,
        Some(AttemptOutcome::Unknown | AttemptOutcome::Sending) => summary.unknown += 1,
        Some(AttemptOutcome::Submitted | AttemptOutcome::Absent) => summary.waiting += 1,
        None => {}
    }
}

/// Reads a known batch back and decides each undecided member by its item.
async fn poll_batch(
    db: &Db,
    paypal: &PaypalClient,
    sender: &str,
    payout_batch_id: &str,
    summary: &mut DispatchSummary,
) -> Result<(), AppError> {
    let members = db_rails::batch_members(&db.pool, sender).await?;
    let undecided: Vec<_> = members
        .iter()
        .filter(|m| {
            AttemptOutcome::parse(&m.outcome).is_some_and(|o| o.open() || o == AttemptOutcome::Submitted)
        })
        .collect();
    if undecided.is_empty() {
        return Ok(());
    }
    let batch = match paypal.batch(payout_batch_id).await {
        Answer::Done(b) => b,
        Answer::Refused(m) | Answer::Unknown(m) => {
            tracing::warn!(payout_batch_id, message = %m, "PayPal batch status unavailable; asking again later");
            summary.waiting += undecided.len() as u32;
            return Ok(());
        }
    };
    for m in undecided {
        let item = batch.items.iter().find(|i| i.sender_item_id == m.payout_id);
        let decided = match item {
            Some(item) => match paypal::item_state(&item.transaction_status) {
                ItemState::Paid => Decided::Paid(item.payout_item_id.clone()),
                ItemState::Failed => Decided::Refused(format!(
                    "PayPal {}: {}",
                    item.transaction_status,
                    item.error.clone().unwrap_or_else(|| "the payout item did not reach the partner".into())
                )),
                ItemState::Waiting => {
                    summary.waiting += 1;
                    continue;
                }
            },
            None => {
                // The batch exists and this payout is not in it: proved absent, so the
                // next pass sends attempt n + 1 in a new batch.
                let mut tx = db.begin_write().await?;
                db_rails::decide_attempt(
                    &mut *tx,
                    &m.payout_id,
                    m.attempt,
                    AttemptOutcome::Absent.as_str(),
                    None,
                    Some(&format!("not in PayPal batch {payout_batch_id}")),
                    db.now_ms(),
                )
                .await?;
                tx.commit().await?;
                summary.waiting += 1;
                continue;
            }
        };
        count(summary, record(db, &m.payout_id, m.attempt, decided).await?);
    }
    Ok(())
}

// ---- what the admin sees ----

/// Adds each payout's latest rail attempt (transfer or item id, Stripe dashboard link,
/// PayPal batch, "needs reconcile") to a page of payouts. Read-only.
pub async fn annotate(
    db: &Db,
    stripe: &crate::server::rails::stripe::StripeSettings,
    payouts: &mut [crate::model::types::PayoutView],
) -> Result<(), AppError> {
    let ids: Vec<String> = payouts
        .iter()
        .filter(|p| {
            matches!(PayoutMethod::parse(&p.method), Some(PayoutMethod::Stripe | PayoutMethod::Paypal))
        })
        .map(|p| p.id.clone())
        .collect();
    let test_mode = stripe.secret_key.as_deref().is_some_and(|k| k.starts_with("sk_test_"));
    for row in db_rails::latest_attempts(&db.pool, &ids).await? {
        let Some(p) = payouts.iter_mut().find(|p| p.id == row.payout_id) else { continue };
        let outcome = AttemptOutcome::parse(&row.outcome);
        let stripe_transfer = p.method == PayoutMethod::Stripe.as_str();
        p.rail = Some(crate::model::rails::RailReference {
            transfer_url: row
                .transfer_id
                .as_deref()
                .filter(|_| stripe_transfer)
                .map(|t| stripe_transfer_url(t, test_mode)),
            transfer_id: row.transfer_id,
            batch_id: row.payout_batch_id.or(row.batch_id),
            needs_reconcile: outcome.is_some_and(|o| o.open()),
            awaiting_rail: outcome == Some(AttemptOutcome::Submitted),
        });
    }
    Ok(())
}

/// The Stripe dashboard page of a transfer (the test-mode path for a test key).
pub fn stripe_transfer_url(transfer_id: &str, test_mode: bool) -> String {
    let mode = if test_mode { "test/" } else { "" };
    format!("https://dashboard.stripe.com/{mode}connect/transfers/{transfer_id}")
}
