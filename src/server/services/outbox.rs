//! What the admin's Outbox page shows.
use crate::model::AppError;
use crate::model::types::OutboxRow;
use crate::server::db::{Db, outbox};

pub async fn recent(db: &Db) -> Result<Vec<OutboxRow>, AppError> {
    let rows = outbox::recent(&db.pool, 300).await?;
    Ok(rows
        .into_iter()
        .map(|m| OutboxRow {
            id: m.id,
            to_address: m.to_address,
            subject: m.subject,
            body: m.body,
            status: m.status,
            attempts: m.attempts,
            last_error: m.last_error,
            delivered_at: m.delivered_at,
            next_attempt_at: m.next_attempt_at,
            created_at: m.created_at,
        })
        .collect())
}
