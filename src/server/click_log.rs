//! Clicks are recorded without a database write on the response path: the request
//! hands the click to a channel and a background task writes batches. On a clean
//! shutdown the channel is closed and drained, so no accepted click is lost.
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use super::db::Db;
use super::db::clicks::{self, Click};

const BATCH: usize = 5_000;
const LINGER: Duration = Duration::from_millis(200);
const CAPACITY: usize = 500_000;

enum Message {
    Click(Click),
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
    pub fn start(db: Db) -> (Self, ClickWriter) {
        let (tx, rx) = mpsc::channel(CAPACITY);
        let handle = tokio::spawn(write_batches(db, rx));
        let log = Self { tx };
        (log.clone(), ClickWriter { handle, log })
    }

    /// Never waits: a full queue (500 000 clicks behind) drops the click and says so.
    pub fn record(&self, click: Click) {
        if self.tx.try_send(Message::Click(click)).is_err() {
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

impl ClickWriter {
    /// Writes whatever is queued, then stops the writer.
    pub async fn shutdown(self) {
        self.log.flush().await;
        self.handle.abort();
        let _ = self.handle.await;
    }
}

async fn write_batches(db: Db, mut rx: mpsc::Receiver<Message>) {
    let mut batch = Vec::with_capacity(BATCH);
    while let Some(first) = rx.recv().await {
        let mut flushes = Vec::new();
        take(first, &mut batch, &mut flushes);
        let deadline = tokio::time::Instant::now() + LINGER;
        while batch.len() < BATCH && flushes.is_empty() {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some(message)) => take(message, &mut batch, &mut flushes),
                _ => break,
            }
        }
        write(&db, &mut batch).await;
        for done in flushes {
            let _ = done.send(());
        }
    }
    write(&db, &mut batch).await;
}

fn take(message: Message, batch: &mut Vec<Click>, flushes: &mut Vec<oneshot::Sender<()>>) {
    match message {
        Message::Click(click) => batch.push(click),
        Message::Flush(done) => flushes.push(done),
    }
}

/// One transaction per batch; on failure the batch is retried once, then logged.
async fn write(db: &Db, batch: &mut Vec<Click>) {
    if batch.is_empty() {
        return;
    }
    for attempt in 0..2 {
        match write_once(db, batch).await {
            Ok(()) => break,
            Err(e) if attempt == 0 => tracing::warn!(error = %e, "click batch failed; retrying"),
            Err(e) => tracing::error!(error = %e, lost = batch.len(), "click batch lost"),
        }
    }
    batch.clear();
}

async fn write_once(db: &Db, batch: &[Click]) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    clicks::insert_many(&mut tx, db.backend, batch).await?;
    tx.commit().await
}
