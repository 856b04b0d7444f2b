//! Writing a commission entry: the one way every feature (conversion, paid invoices,
//! refunds) adds to the ledger. A `credit` entry is also the partner workspace's platform
//! credits (DOMAIN decision 6: 1 credit = 1 cent), granted in the same transaction under a
//! key derived from the commission's own, so one commission can never credit twice; a
//! reversed credit commission takes its credits back the same way.
use crate::domain::credits::CreditKind;
use crate::server::db::credits::NewCreditEntry;
use crate::server::db::ledger::{self, NewCommission};
use crate::server::db::{Tx, new_id, partners};

/// True when this call created the entry (false: its key existed, nothing changed).
pub async fn record(tx: &mut Tx, now: i64, entry: &NewCommission<'_>) -> Result<bool, sqlx::Error> {
    let created = ledger::insert(tx, entry, now).await?;
    if created && entry.kind == crate::domain::payouts::CommissionKind::Credit.as_str() {
        let workspace_id = partners::workspace_of(&mut **tx, entry.partner_id).await?;
        let (kind, reason) = match entry.reverses_id {
            None => (CreditKind::CreditCommission, "Credit commission"),
            Some(_) => (CreditKind::Void, "Credit commission reversed (refund)"),
        };
        let credit = NewCreditEntry {
            id: new_id(),
            workspace_id,
            kind: kind.as_str(),
            amount: entry.amount_cents,
            cause_type: "commission",
            cause_id: Some(entry.idempotency_key.to_string()),
            reason: Some(reason.to_string()),
            created_by: None,
            idempotency_key: format!("commission:{}", entry.idempotency_key),
        };
        super::credits::grant_in_tx(tx, now, &credit).await?;
    }
    Ok(created)
}
