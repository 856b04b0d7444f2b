use crate::model::AppError;
use crate::model::types::{PayoutQueue, PortalPayouts};
use crate::server::db::{Db, ledger};

pub async fn pending(db: &Db) -> Result<PayoutQueue, AppError> {
    Ok(PayoutQueue { entries: ledger::pending(&db.pool).await?, totals: ledger::totals(&db.pool).await? })
}

/// Marks entries paid in one transaction; entries already paid are left alone, so a
/// double click or two admins at once pay each entry exactly once.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn mark_paid(db: &Db, admin_id: &str, ids: &[String]) -> Result<u64, AppError> {
    let now = db.now_ms();
    let mut tx = db.begin_write().await?;
    let mut changed = 0;
    for id in ids {
        changed += ledger::mark_paid(&mut *tx, id, admin_id, now).await? as u64;
    }
    tx.commit().await?;
    Ok(changed)
}

pub async fn for_partner(db: &Db, partner_id: &str) -> Result<PortalPayouts, AppError> {
    let entries = ledger::for_partner(&db.pool, partner_id).await?;
    let sum = |paid: bool| {
        entries
            .iter()
            .filter(|e| e.kind == "cash" && (e.status == "paid") == paid && e.status != "reversed")
            .map(|e| e.amount_cents)
            .sum::<i64>()
    };
    Ok(PortalPayouts { pending_cents: sum(false), paid_cents: sum(true), entries })
}
