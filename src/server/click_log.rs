//! The click log. A landing's click is durable before the landing answers: the request
//! hands the click to a bounded channel together with a oneshot, and one background task
//! group-commits: it takes everything queued at that moment (no linger: what arrives
//! while a transaction commits is the next transaction), writes it in one write
//! transaction, commits, and only then completes each click's oneshot. The landing
//! renders its page while the commit is in flight and awaits the ack before it answers
//! (`server/capture.rs`), so the commit's latency overlaps the render.
//!
//! Durability: on Postgres a commit is durable. SQLite runs WAL with `synchronous =
//! normal`: a committed transaction is in the WAL file (the OS page cache), so it survives
//! a process crash or `kill -9`, though not a power loss or OS crash.
//!
//! Failure policy: a click is not worth a failed page. If its transaction fails (after one
//! retry), the landing still answers and the writer logs the lost clicks (`click batch
//! lost`); if no ack arrives within [`ACK_TIMEOUT`] the landing answers and logs that.
//! A full queue applies backpressure: the landing waits for a slot (while it renders), so
//! under overload landings slow down to what the database can commit instead of answering
//! for clicks that were never stored. On a clean shutdown the channel is drained.
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use super::click_journal::Journal;
use super::db::Db;
use super::db::clicks::{self, Click};

mod journaled;

/// Most clicks per transaction.
const BATCH: usize = 5_000;
/// Queued clicks before a landing waits for a slot (each waiting landing holds one).
const CAPACITY: usize = 65_536;
/// How long a landing waits for its click's commit before answering without it.
pub const ACK_TIMEOUT: Duration = Duration::from_secs(10);

/// What became of a click handed to [`ClickLog::store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// Committed.
    Yes,
    /// Its transaction failed (the writer logged it).
    Failed,
    /// The log is closed (shutting down) or no answer within [`ACK_TIMEOUT`].
    Unknown,
}

// A click travels inline through the channel's buffer; boxing it to shrink `Flush` would
// cost an allocation per click.
#[allow(clippy::large_enum_variant)]
enum Message {
    Click(Click, Option<oneshot::Sender<bool>>),
    Flush(oneshot::Sender<()>),
}

#[derive(Clone)]
pub struct ClickLog {
    tx: mpsc::Sender<Message>,
}

pub struct ClickWriter {
    handle: JoinHandle<()>,
    log: ClickLog,
}

impl ClickLog {
    /// Starts the writer: with a journal, clicks are acknowledged once appended to it and
    /// moved into the database behind (`replay` are the clicks it still held at start);
    /// without one, once committed.
    pub fn start(db: Db, journal: Option<(Journal, Vec<Click>)>) -> (Self, ClickWriter) {
        let (tx, rx) = mpsc::channel(CAPACITY);
        let handle = match journal {
            Some((journal, replay)) => tokio::spawn(journaled::run(db, rx, journal, replay)),
            None => tokio::spawn(write_batches(db, rx)),
        };
        let log = Self { tx };
        (log.clone(), ClickWriter { handle, log })
    }

    /// Queues the click for the next commit; `PendingClick::stored` resolves once it is
    /// committed (or known not to be). A full queue leaves it to `stored` to wait for a
    /// slot (backpressure), so the landing waits while it renders, not before.
    pub fn store(&self, click: Click) -> PendingClick {
        let (done, ack) = oneshot::channel();
        let queued = match self.tx.try_send(Message::Click(click, Some(done))) {
            Ok(()) => None,
            Err(mpsc::error::TrySendError::Full(message)) => Some((self.tx.clone(), message)),
            Err(mpsc::error::TrySendError::Closed(_)) => {
                tracing::warn!("click log closed; click not stored");
                return PendingClick { waiting: None, ack: None };
            }
        };
        PendingClick { waiting: queued, ack: Some(ack) }
    }

    /// Queues the click without waiting for its commit (nothing answers on its behalf; for
    /// bulk and test use). A full queue drops the click and says so.
    pub fn record(&self, click: Click) {
        if self.tx.try_send(Message::Click(click, None)).is_err() {
            tracing::warn!("click queue full or closed; click dropped");
        }
    }

    /// Waits until every click recorded before this call is in the database.
    pub async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.tx.send(Message::Flush(done)).await.is_ok() {
            let _ = wait.await;
        }
    }
}

/// A click handed to [`ClickLog::store`] whose commit the landing has yet to await.
pub struct PendingClick {
    /// Set when the queue was full: the click still has to be sent.
    waiting: Option<(mpsc::Sender<Message>, Message)>,
    ack: Option<oneshot::Receiver<bool>>,
}

impl PendingClick {
    /// Resolves once the click is committed, or known not to be, or after [`ACK_TIMEOUT`].
    pub async fn stored(self) -> Stored {
        let Some(ack) = self.ack else {
            return Stored::Unknown;
        };
        let wait = async {
            if let Some((tx, message)) = self.waiting {
                tx.send(message).await.map_err(|_| ())?;
            }
            ack.await.map_err(|_| ())
        };
        match tokio::time::timeout(ACK_TIMEOUT, wait).await {
            Ok(Ok(true)) => Stored::Yes,
            Ok(Ok(false)) => Stored::Failed,
            Ok(Err(())) => {
                tracing::warn!("click log closed; click not stored");
                Stored::Unknown
            }
            Err(_) => {
                tracing::warn!(timeout = ?ACK_TIMEOUT, "click not confirmed in time; answering without it");
                Stored::Unknown
            }
        }
    }
}

impl ClickWriter {
    /// Writes whatever is queued, then stops the writer.
    pub async fn shutdown(self) {
        self.log.flush().await;
        self.handle.abort();
        let _ = self.handle.await;
    }
}

/// One round's messages, split.
#[derive(Default)]
struct Round {
    clicks: Vec<Click>,
    acks: Vec<oneshot::Sender<bool>>,
    flushes: Vec<oneshot::Sender<()>>,
}

impl Round {
    fn take(&mut self, messages: &mut Vec<Message>) {
        for message in messages.drain(..) {
            match message {
                Message::Click(click, ack) => {
                    self.clicks.push(click);
                    self.acks.extend(ack);
                }
                Message::Flush(done) => self.flushes.push(done),
            }
        }
    }

    fn acknowledge(&mut self, stored: bool) {
        for ack in self.acks.drain(..) {
            let _ = ack.send(stored);
        }
    }
}

/// Group commit: each round takes what is queued (at least one message, at most `BATCH`
/// clicks), commits it, then acknowledges it.
async fn write_batches(db: Db, mut rx: mpsc::Receiver<Message>) {
    let mut messages = Vec::with_capacity(BATCH);
    let mut round = Round::default();
    while rx.recv_many(&mut messages, BATCH).await > 0 {
        round.take(&mut messages);
        let stored = write(&db, &mut round.clicks).await;
        round.acknowledge(stored);
        for done in round.flushes.drain(..) {
            let _ = done.send(());
        }
    }
}

/// One transaction per batch; on failure the batch is retried once, then logged.
/// True when the batch is committed (or empty).
async fn write(db: &Db, batch: &mut Vec<Click>) -> bool {
    if batch.is_empty() {
        return true;
    }
    let mut stored = false;
    for attempt in 0..2 {
        match write_once(db, batch).await {
            Ok(()) => {
                stored = true;
                break;
            }
            Err(e) if attempt == 0 => tracing::warn!(error = %e, "click batch failed; retrying"),
            Err(e) => tracing::error!(error = %e, lost = batch.len(), "click batch lost"),
        }
    }
    batch.clear();
    stored
}

/// One transaction. Landings' clicks are new, so the cheap insert nearly always does; a
/// batch holding clicks already stored (a journal replayed after a crash) is rolled back
/// and written again by the insert that skips them.
async fn write_once(db: &Db, batch: &[Click]) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    if clicks::insert_new(&mut tx, db.backend, batch).await? {
        return tx.commit().await;
    }
    tx.rollback().await?;
    let mut tx = db.begin_write().await?;
    clicks::insert_many(&mut tx, db.backend, batch).await?;
    tx.commit().await
}
