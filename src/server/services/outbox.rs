//! What the admin's Outbox page shows.
use crate::domain::mail::MailStatus;
use crate::model::AppError;
use crate::model::list::{ListQuery, Page};
use crate::model::types::OutboxRow;
use crate::server::db::{Db, outbox};

/// One page of Admin → Outbox.
pub async fn page(db: &Db, q: &ListQuery, status: Option<MailStatus>) -> Result<Page<OutboxRow>, AppError> {
    let rows = outbox::page(&db.pool, q, status).await?;
    let total = outbox::count(&db.pool, q, status).await?;
    let rows = rows
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
        .collect();
    Ok(Page::new(rows, total, q))
}
