//! The click log's writer with a journal (`server/click_journal.rs`): each round's clicks
//! are appended to the journal in one `write()` and acknowledged at once; behind them, one
//! database transaction at a time moves everything not yet committed, in batches of up to
//! [`DB_BATCH`]. The landing therefore waits for a page-cache write instead of a database
//! commit, and the database gets fewer, larger transactions.
//!
//! Backpressure: while [`MAX_BEHIND`] clicks are waiting for the database, no new round is
//! taken, so a database that cannot keep up slows the landings instead of filling memory.
//! If the journal cannot be written (disk full), the round falls back to committing before
//! it acknowledges, as without a journal.
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use super::{BATCH, Message, Round, write, write_once};
use crate::server::click_journal::Journal;
use crate::server::db::Db;
use crate::server::db::clicks::Click;

/// Most times a round waits for more landings before its `write()` ([`gather`]).
const GATHER_YIELDS: usize = 4;
/// Most clicks per database transaction.
const DB_BATCH: usize = 20_000;
/// How long journaled clicks may wait for the database when fewer than [`DB_GATHER`] are
/// waiting: a transaction has costs of its own (its rollup upserts, its commit), and
/// committing back to back under load made batches small and paid them for every few
/// clicks. The clicks are durable in the journal meanwhile; a flush commits at once.
const DB_LINGER: Duration = Duration::from_millis(50);
/// Clicks that make a transaction worth starting at once.
const DB_GATHER: usize = 4_096;
/// Clicks waiting for the database before landings wait too.
const MAX_BEHIND: usize = 200_000;
/// Pause before a failed database batch is tried again (the clicks stay journaled).
const RETRY_AFTER: Duration = Duration::from_secs(1);

/// A database transaction in flight: the clicks it carries come back with its outcome.
type Commit = JoinHandle<(Vec<Click>, bool)>;

pub(super) async fn run(db: Db, mut rx: mpsc::Receiver<Message>, mut journal: Journal, replay: Vec<Click>) {
    if !replay.is_empty() {
        tracing::info!(clicks = replay.len(), path = %journal.path().display(), "click journal: replaying");
    }
    let mut behind: Vec<Click> = replay;
    let mut commit: Option<Commit> = None;
    let mut waiting_flushes: Vec<oneshot::Sender<()>> = Vec::new();
    let mut messages = Vec::with_capacity(BATCH);
    let mut round = Round::default();
    let mut open = true;
    // When the oldest click still waiting for the database was journaled.
    let mut waiting_since: Option<Instant> = None;
    while open || commit.is_some() || !behind.is_empty() {
        if behind.is_empty() {
            waiting_since = None;
        } else if waiting_since.is_none() {
            waiting_since = Some(Instant::now());
        }
        let due = waiting_since.map_or(Instant::now(), |since| since + DB_LINGER);
        // Shutting down, a flush waiting, enough gathered, or the oldest waited long enough.
        let commit_now =
            !open || !waiting_flushes.is_empty() || behind.len() >= DB_GATHER || Instant::now() >= due;
        if commit.is_none() && !behind.is_empty() && commit_now {
            let take = behind.len().min(DB_BATCH);
            let batch: Vec<Click> = behind.drain(..take).collect();
            commit = Some(tokio::spawn(commit_batch(db.clone(), batch)));
            waiting_since = (!behind.is_empty()).then(Instant::now);
        }
        tokio::select! {
            () = tokio::time::sleep_until(due), if commit.is_none() && !behind.is_empty() => {}
            n = rx.recv_many(&mut messages, BATCH), if open && behind.len() < MAX_BEHIND => {
                if n == 0 {
                    open = false;
                    continue;
                }
                gather(&mut rx, &mut messages).await;
                round.take(&mut messages);
                journal_round(&db, &mut journal, &mut round, &mut behind).await;
                waiting_flushes.append(&mut round.flushes);
            }
            Some(done) = wait(&mut commit) => {
                commit = None;
                match done {
                    Ok((_, true)) => {}
                    Ok((mut batch, false)) => {
                        tokio::time::sleep(RETRY_AFTER).await;
                        batch.append(&mut behind);
                        behind = batch;
                    }
                    Err(e) => tracing::error!(error = %e, "click journal: commit task failed"),
                }
            }
        }
        if commit.is_none() && behind.is_empty() {
            // Everything journaled so far is in the database. A flush (shutdown, tests) empties
            // the journal whatever its size, so a clean restart replays nothing.
            let emptied = if waiting_flushes.is_empty() { journal.committed() } else { journal.clear() };
            if let Err(e) = emptied {
                tracing::warn!(error = %e, "click journal: could not empty it");
            }
            for done in waiting_flushes.drain(..) {
                let _ = done.send(());
            }
        }
    }
    // The loop ends only once everything is committed; `ClickWriter::shutdown` does not wait
    // for that (the app state keeps senders alive) but flushes, which empties the journal.
}

/// Appends the round to the journal and acknowledges it; if the journal fails, commits the
/// round first (as without a journal).
async fn journal_round(db: &Db, journal: &mut Journal, round: &mut Round, behind: &mut Vec<Click>) {
    if round.clicks.is_empty() {
        return;
    }
    match journal.append(&round.clicks) {
        Ok(()) => {
            round.acknowledge(true);
            behind.append(&mut round.clicks);
        }
        Err(e) => {
            tracing::error!(error = %e, "click journal: append failed; committing directly");
            let stored = write(db, &mut round.clicks).await;
            round.acknowledge(stored);
        }
    }
}

/// Lets the landings that are ready run before the round is written, so one `write()`
/// carries many clicks under load: each yield puts the writer behind the tasks already
/// runnable (tokio defers a yielded task until the I/O driver has been polled), and what
/// they queued joins the round. Idle, the first yield finds nothing new and the round is
/// written at once.
async fn gather(rx: &mut mpsc::Receiver<Message>, messages: &mut Vec<Message>) {
    for _ in 0..GATHER_YIELDS {
        if messages.len() >= BATCH {
            return;
        }
        tokio::task::yield_now().await;
        let before = messages.len();
        while messages.len() < BATCH {
            match rx.try_recv() {
                Ok(message) => messages.push(message),
                Err(_) => break,
            }
        }
        if messages.len() == before {
            return;
        }
    }
}

async fn commit_batch(db: Db, batch: Vec<Click>) -> (Vec<Click>, bool) {
    match write_once(&db, &batch).await {
        Ok(()) => (batch, true),
        Err(e) => {
            tracing::warn!(error = %e, clicks = batch.len(), "click journal: commit failed; will retry");
            (batch, false)
        }
    }
}

/// The outcome of the commit in flight, or never when there is none.
async fn wait(commit: &mut Option<Commit>) -> Option<Result<(Vec<Click>, bool), tokio::task::JoinError>> {
    match commit {
        Some(handle) => Some(handle.await),
        None => std::future::pending().await,
    }
}
