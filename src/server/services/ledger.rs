//! Reading the commission ledger: the admin's unpaid queue and the partner's Payouts page.
use super::Shared;
use super::payouts as payout_service;
use crate::domain::roles::PayoutStatus;
use crate::model::AppError;
use crate::model::list::{ListQuery, Page};
use crate::model::types::{LedgerRow, PayoutQueue, PayoutView, PortalPayouts};
use crate::server::db::earnings_list;
/// The filters Earnings lists take (the server functions parse them from the query).
pub use crate::server::db::earnings_list::{EntryFilter, Whose};
use crate::server::db::{Db, ledger, payout_list};

/// One page of ledger entries, each where it stands now: a partner's (Portal → Earnings,
/// the admin partner page) or the program's (Admin → Commissions).
pub async fn earnings_page(
    db: &Db,
    whose: Whose<'_>,
    q: &ListQuery,
    f: EntryFilter,
) -> Result<Page<LedgerRow>, AppError> {
    let now = db.now_ms();
    let rows = earnings_list::page(&db.pool, now, whose, q, f).await?.shared();
    Ok(Page::new(rows, earnings_list::count(&db.pool, now, whose, q, f).await?, q))
}

/// One page of payouts, newest first: one partner's (the portal) or everyone's (the admin,
/// with what the rails say about each).
pub async fn payouts_page(
    db: &Db,
    rails: Option<&crate::server::rails::stripe::StripeSettings>,
    partner_id: Option<&str>,
    q: &ListQuery,
    status: Option<PayoutStatus>,
) -> Result<Page<PayoutView>, AppError> {
    let rows = payout_list::page(&db.pool, partner_id, q, status).await?;
    let mut rows: Vec<PayoutView> = rows.into_iter().map(payout_service::payout_view).collect();
    if let Some(stripe) = rails {
        super::rail_dispatch::annotate(db, stripe, &mut rows).await?;
    }
    Ok(Page::new(rows, payout_list::count(&db.pool, partner_id, q, status).await?, q))
}

pub async fn pending(db: &Db) -> Result<PayoutQueue, AppError> {
    let now = db.now_ms();
    Ok(PayoutQueue {
        entries: ledger::pending(&db.pool, now).await?.shared(),
        totals: ledger::totals(&db.pool).await?.shared(),
    })
}

/// Portal → Payouts: balances, the next payout or what blocks it, and the latest entries
/// and payouts (a page of each: the full lists are Earnings and the payout history).
pub async fn for_partner(db: &Db, partner_id: &str) -> Result<PortalPayouts, AppError> {
    let now = db.now_ms();
    let first = ListQuery::default();
    let entries =
        earnings_list::page(&db.pool, now, Whose::Partner(partner_id), &first, EntryFilter::default())
            .await?
            .shared();
    let next = payout_service::next_for_partner(db, partner_id, now).await?;
    let balances = payout_service::balances(db, partner_id).await?;
    let history = payout_list::page(&db.pool, Some(partner_id), &first, None).await?;
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
