//! Stripe Connect onboarding and webhook effects (issue #12).
//!
//! A partner connects from the Payouts page: an Express account is created once (its id
//! recorded before the partner leaves), then an account link sends the partner to
//! Stripe; the return URL refreshes the status. The status (details submitted, payouts
//! enabled, the `transfers` capability, requirements due) is stored on the partner and
//! the payout run only pays an account with payouts enabled and transfers active.
use serde::Deserialize;

use crate::model::AppError;
use crate::model::rails::{StripeAccountView, StripeConnection};
use crate::server::db::payouts as db_payouts;
use crate::server::db::rails::{self as db_rails, StripeAccountRow};
use crate::server::db::{Db, Tx};
use crate::server::rails::Rails;
use crate::server::rails::stripe::{Account, Answer, StripeClient};

fn client(rails: &Rails) -> Result<&StripeClient, AppError> {
    rails
        .stripe
        .as_ref()
        .ok_or_else(|| AppError::Refused("Stripe payouts are not configured on this server.".into()))
}

fn unavailable(message: String) -> AppError {
    tracing::warn!(%message, "stripe call");
    AppError::Conflict("Stripe did not answer as expected; try again in a minute.".into())
}

/// Stripe's word for a capability the account may use now (`capabilities.transfers`).
const CAPABILITY_ACTIVE: &str = "active";

pub fn ready(r: &StripeAccountRow) -> bool {
    r.payouts_enabled == 1 && r.transfers == CAPABILITY_ACTIVE
}

pub fn view(r: &StripeAccountRow) -> StripeAccountView {
    StripeAccountView {
        account_id: r.account_id.clone(),
        details_submitted: r.details_submitted == 1,
        payouts_enabled: r.payouts_enabled == 1,
        transfers: r.transfers.clone(),
        requirements_due: r.requirements_due.clone(),
        ready: ready(r),
        updated_at: r.updated_at,
    }
}

/// Stores an account's status on its partner (the account and its readiness merged into
/// the payout details, other details kept) and, when the partner itself is connecting
/// (`choose`), makes Stripe the partner's method. A webhook never changes the method: a
/// partner who chose PayPal since stays on PayPal.
async fn record(
    tx: &mut Tx,
    partner_id: &str,
    a: &Account,
    now: i64,
    choose: bool,
) -> Result<StripeAccountRow, AppError> {
    let row = StripeAccountRow {
        partner_id: partner_id.to_string(),
        account_id: a.id.clone(),
        details_submitted: a.details_submitted as i64,
        payouts_enabled: a.payouts_enabled as i64,
        transfers: a.transfers(),
        requirements_due: a.requirements_due(),
        updated_at: now,
    };
    db_rails::upsert_stripe_account(&mut **tx, &row).await?;
    let current = db_rails::payout_details(&mut **tx, partner_id).await?;
    let mut details = crate::domain::partner::PayoutDetails::from_json(current.as_deref());
    details.stripe_account = Some(row.account_id.clone());
    details.transfers_ready = Some(ready(&row));
    if choose {
        db_rails::set_stripe_method(&mut **tx, partner_id, &details.to_json()).await?;
    } else {
        db_rails::set_payout_details(&mut **tx, partner_id, &details.to_json()).await?;
    }
    Ok(row)
}

pub async fn connection(db: &Db, rails: &Rails, partner_id: &str) -> Result<StripeConnection, AppError> {
    let account = db_rails::stripe_account(&db.pool, partner_id).await?;
    Ok(StripeConnection { available: rails.stripe.is_some(), account: account.as_ref().map(view) })
}

/// The account link to send the partner to (creating the account the first time).
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn start_onboarding(
    db: &Db,
    rails: &Rails,
    partner_id: &str,
    email: Option<&str>,
    return_url: &str,
) -> Result<String, AppError> {
    let stripe = client(rails)?;
    let account_id = match db_rails::stripe_account(&db.pool, partner_id).await? {
        Some(a) => a.account_id,
        None => {
            let account = match stripe.create_account(partner_id, email).await {
                Answer::Done(a) => a,
                Answer::Refused(m) | Answer::Unknown(m) => return Err(unavailable(m)),
            };
            let mut tx = db.begin_write().await?;
            record(&mut tx, partner_id, &account, db.now_ms(), true).await?;
            tx.commit().await?;
            account.id
        }
    };
    match stripe.account_link(&account_id, return_url, return_url).await {
        Answer::Done(link) => Ok(link.url),
        Answer::Refused(m) | Answer::Unknown(m) => Err(unavailable(m)),
    }
}

/// Asks Stripe for the account's status and records it.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn refresh(db: &Db, rails: &Rails, partner_id: &str) -> Result<StripeConnection, AppError> {
    let stripe = client(rails)?;
    let Some(current) = db_rails::stripe_account(&db.pool, partner_id).await? else {
        return Ok(StripeConnection { available: true, account: None });
    };
    let account = match stripe.account(&current.account_id).await {
        Answer::Done(a) => a,
        Answer::Refused(m) | Answer::Unknown(m) => return Err(unavailable(m)),
    };
    let mut tx = db.begin_write().await?;
    let row = record(&mut tx, partner_id, &account, db.now_ms(), true).await?;
    tx.commit().await?;
    Ok(StripeConnection { available: true, account: Some(view(&row)) })
}

/// A login link to the partner's Express dashboard (once details are submitted).
pub async fn login_link(db: &Db, rails: &Rails, partner_id: &str) -> Result<String, AppError> {
    let stripe = client(rails)?;
    let account = db_rails::stripe_account(&db.pool, partner_id).await?.ok_or(AppError::NotFound)?;
    if account.details_submitted == 0 {
        return Err(AppError::Refused("Finish Stripe onboarding first.".into()));
    }
    match stripe.login_link(&account.account_id).await {
        Answer::Done(link) => Ok(link.url),
        Answer::Refused(m) | Answer::Unknown(m) => Err(unavailable(m)),
    }
}

/// A Stripe event as delivered to the webhook.
#[derive(Debug, Deserialize)]
pub struct StripeEvent {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub account: Option<String>,
    pub data: EventData,
}

#[derive(Debug, Deserialize)]
pub struct EventData {
    pub object: serde_json::Value,
}

pub fn parse_event(body: &[u8]) -> Result<StripeEvent, String> {
    let e: StripeEvent = serde_json::from_slice(body).map_err(|_| "Not a Stripe event.".to_string())?;
    if e.id.is_empty() || e.id.len() > 255 || e.kind.len() > 255 {
        return Err("Not a Stripe event.".into());
    }
    Ok(e)
}

/// Stores the event once and applies it in the same transaction. The outcome in words;
/// a repeated id changes nothing and says so.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn receive(db: &Db, event: &StripeEvent) -> Result<&'static str, AppError> {
    let now = db.now_ms();
    let account = event.account.clone().or_else(|| {
        event
            .data
            .object
            .get("id")
            .and_then(|v| v.as_str())
            .filter(|_| event.kind == "account.updated")
            .map(String::from)
    });
    let mut tx = db.begin_write().await?;
    if !db_rails::insert_stripe_event(&mut *tx, &event.id, &event.kind, account.as_deref(), "received", now)
        .await?
    {
        return Ok("duplicate");
    }
    let outcome = match event.kind.as_str() {
        "account.updated" => {
            let a: Account = serde_json::from_value(event.data.object.clone())
                .map_err(|_| AppError::invalid("data", "account.updated without an account."))?;
            match db_rails::stripe_account_by_id(&mut *tx, &a.id).await? {
                Some(known) => {
                    record(&mut tx, &known.partner_id, &a, now, false).await?;
                    "applied"
                }
                None => "unknown account",
            }
        }
        "transfer.reversed" => {
            let transfer = event.data.object.get("id").and_then(|v| v.as_str()).unwrap_or_default();
            match db_rails::payout_of_transfer(&mut *tx, transfer).await? {
                Some(payout_id) => {
                    if db_rails::fail(&mut *tx, &payout_id, "paid", "The Stripe transfer was reversed.", now)
                        .await?
                    {
                        db_payouts::release_items(&mut tx, &payout_id).await?;
                        "applied"
                    } else {
                        "already failed"
                    }
                }
                None => "unknown transfer",
            }
        }
        "payout.paid" | "payout.failed" => "recorded",
        _ => "ignored",
    };
    db_rails::set_stripe_event_outcome(&mut *tx, &event.id, outcome).await?;
    tx.commit().await?;
    Ok(outcome)
}
