//! The background sender: claims due messages one at a time by a conditional update,
//! sends each on its own (one refused address never holds up the others), and records
//! delivered, failed (with the error) or a retry after a backoff. A message is claimed
//! before it is sent and marked after, so two senders (or a restarted one) never send it
//! twice; a claim left behind by a sender that died mid-send is not retried (it may have
//! gone out) but marked failed with that explanation.
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::task::JoinHandle;

use super::transport::Transport;
use crate::domain::mail::{MailStatus, retry_delay_ms};
use crate::server::db::{Db, outbox};

/// How long a claim holds: far longer than one send may take (the SMTP timeout is 30 s).
const CLAIM_MS: i64 = 5 * 60 * 1000;
/// Idle poll, besides the wake-up that `mail::wake` sends after an enqueue.
const POLL: Duration = Duration::from_millis(1000);
const BATCH: i64 = 50;

/// The running sender; `stop` ends it after the message in hand.
pub struct MailSender {
    stopped: Arc<AtomicBool>,
    task: Mutex<Option<JoinHandle<()>>>,
    pub transport: &'static str,
}

impl MailSender {
    pub async fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        super::wake();
        if let Some(task) = self.task.lock().await.take() {
            let _ = task.await;
        }
    }
}

pub fn start(
    db: Db,
    smtp_url: Option<&str>,
    outbox_dir: &std::path::PathBuf,
    from: String,
) -> Result<MailSender, String> {
    let transport = Transport::new(smtp_url, outbox_dir)?;
    let kind = transport.describe();
    let stopped = Arc::new(AtomicBool::new(false));
    let flag = stopped.clone();
    let task = tokio::spawn(async move {
        while !flag.load(Ordering::SeqCst) {
            let wake = super::wake_signal().notified();
            match deliver_due(&db, &transport, &from, &flag).await {
                Ok(0) => {}
                Ok(_) => continue,
                Err(e) => tracing::warn!(error = %e, "mail sender pass failed"),
            }
            tokio::select! {
                _ = wake => {}
                _ = tokio::time::sleep(POLL) => {}
            }
        }
    });
    Ok(MailSender { stopped, task: Mutex::new(Some(task)), transport: kind })
}

/// One pass: gives up on stale claims, then sends what is due. Returns how many messages
/// it handled.
pub async fn deliver_due(
    db: &Db,
    transport: &Transport,
    from: &str,
    stop: &AtomicBool,
) -> Result<usize, sqlx::Error> {
    let now = db.now_ms();
    let abandoned = outbox::abandon_stale_claims(&db.pool, now).await?;
    if abandoned > 0 {
        tracing::warn!(abandoned, "mail claims left by a stopped sender marked failed (not resent)");
    }
    let due = outbox::due(&db.pool, now, BATCH).await?;
    let mut handled = 0;
    for message in due {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let now = db.now_ms();
        if !outbox::claim(&db.pool, &message.id, now, now + CLAIM_MS).await? {
            continue; // another sender has it
        }
        handled += 1;
        let attempts = message.attempts + 1;
        match transport.send(from, &message.to_address, &message.subject, &message.body).await {
            Ok(()) => {
                outbox::finish(&db.pool, &message.id, MailStatus::Delivered, None, db.now_ms(), None).await?
            }
            Err(failure) => {
                let retry = (!failure.permanent).then(|| retry_delay_ms(attempts)).flatten();
                tracing::info!(to = %message.to_address, error = %failure.message, retry = retry.is_some(), "mail not delivered");
                let at = db.now_ms();
                match retry {
                    Some(delay) => {
                        outbox::finish(
                            &db.pool,
                            &message.id,
                            MailStatus::Pending,
                            Some(&failure.message),
                            at,
                            Some(at + delay),
                        )
                        .await?
                    }
                    None => {
                        outbox::finish(
                            &db.pool,
                            &message.id,
                            MailStatus::Failed,
                            Some(&failure.message),
                            at,
                            None,
                        )
                        .await?
                    }
                }
            }
        }
    }
    Ok(handled)
}
