//! Reading the commission ledger: the admin's unpaid queue and the partner's Payouts page.
use super::Shared;
use super::payouts as payout_service;
use crate::model::AppError;
use crate::model::types::{PayoutQueue, PortalPayouts};
use crate::server::db::{Db, ledger, payouts};

pub async fn pending(db: &Db) -> Result<PayoutQueue, AppError> {
    let now = db.now_ms();
    Ok(PayoutQueue {
        entries: ledger::pending(&db.pool, now).await?.shared(),
        totals: ledger::totals(&db.pool).await?.shared(),
    })
}

/// Portal → Payouts: balances, the next payout or what blocks it, entries and payouts.
pub async fn for_partner(db: &Db, partner_id: &str) -> Result<PortalPayouts, AppError> {
    let now = db.now_ms();
    let entries = ledger::for_partner_at(&db.pool, partner_id, now).await?.shared();
    let next = payout_service::next_for_partner(db, partner_id, now).await?;
    let balances = payout_service::balances(db, partner_id).await?;
    let history = payouts::for_partner(&db.pool, partner_id).await?;
    Ok(PortalPayouts {
        pending_cents: balances.on_hold_cents
            + balances.available_cents
            + balances.carry_over_cents
            + balances.in_payout_cents,
        paid_cents: balances.paid_cents,
        entries,
        balances,
        next,
        payouts: history.into_iter().map(payout_service::payout_view).collect(),
    })
}
