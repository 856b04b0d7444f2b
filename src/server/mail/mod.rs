//! Outgoing mail. A feature that decides to send a message records it in the `outbox`
//! table in its own transaction (`enqueue_in_tx`, one idempotency key per message); the
//! background sender (`sender.rs`) delivers it after the commit through SMTP
//! (`TRIBUTARY_SMTP_URL`) or, without one, lettre's file transport into `./data/outbox/`.
//! Nothing is ever sent inside a database transaction.
pub mod sender;
pub mod transport;

use std::sync::OnceLock;

use tokio::sync::Notify;

use crate::server::db::{Tx, new_id, outbox};

pub use sender::{MailSender, start};

/// Queues one message to `to`. False when a message with `key` was queued before (the
/// same cause never mails twice).
pub async fn enqueue_in_tx(
    tx: &mut Tx,
    now: i64,
    to: &str,
    subject: &str,
    body: &str,
    key: &str,
) -> Result<bool, sqlx::Error> {
    let message = outbox::NewMessage { id: &new_id(), key, to, subject, body };
    outbox::insert(tx, &message, now).await
}

fn wake_signal() -> &'static Notify {
    static WAKE: OnceLock<Notify> = OnceLock::new();
    WAKE.get_or_init(Notify::new)
}

/// Tells the senders of this process that new mail is waiting (call after the commit), so
/// it goes out now rather than at the next poll.
pub fn wake() {
    wake_signal().notify_waiters();
}
