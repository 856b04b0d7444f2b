//! The only place SQL lives: one file per area, portable across SQLite and Postgres.

/// The one definition of a partner whose codes validate, record clicks, bind referrals
/// and earn (DOMAIN decision 8), as a condition on the partner aliased `p`. A macro so it
/// can be `concat!`ed into query literals.
#[macro_export]
macro_rules! eligible_partner {
    () => {
        "p.status = 'approved' and p.approved_at is not null"
    };
}

/// A db record: the row struct a query reads (`FromRow`) and its field-for-field move into
/// the shared type the browser gets, so services write `.into()` / `.shared()` and the
/// db layer never hands out a shared type. Records whose mapping computes something write
/// their own `From`.
macro_rules! record {
    ($(#[$meta:meta])* pub struct $record:ident => $shared:path {
        $($(#[$field_meta:meta])* pub $field:ident: $ty:ty),* $(,)?
    }) => {
        $(#[$meta])*
        #[derive(sqlx::FromRow)]
        pub struct $record {
            $($(#[$field_meta])* pub $field: $ty),*
        }

        impl From<$record> for $shared {
            fn from(r: $record) -> Self {
                Self { $($field: r.$field),* }
            }
        }
    };
}

pub mod admin_lists;
pub mod api_tokens;
pub mod billing;
pub mod billing_events;
pub mod claims;
pub mod click_list;
pub mod clicks;
pub mod code_list;
pub mod codes;
pub mod credits;
pub mod demo_seed;
pub mod domains;
pub mod earnings_list;
pub mod invite_code_list;
pub mod invites;
pub mod ledger;
pub mod lifecycle;
pub mod listings;
pub mod outbox;
pub mod overview;
pub mod partner_home;
pub mod partner_list;
pub mod partner_stats;
pub mod partners;
pub mod payout_list;
pub mod payouts;
pub mod platform_settings;
pub mod rails;
pub mod referral_list;
pub mod referrals;
pub mod rollups;
pub mod sessions;
pub mod text_enum;
pub mod users;
pub mod workspaces;

/// A typed query being bound: the lists bind their shared parameters in one function for
/// the page and its count.
pub type AnyQueryAs<'q, O> = sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments>;

use sqlx::any::AnyPoolOptions;
use sqlx::{Any, AnyPool, Transaction};

use super::clock::Clock;

/// `count` bind placeholders numbered from `first` (1-based), comma-separated: `$3, $4`
/// on Postgres, `?, ?` on SQLite, which binds anonymous parameters by position (its `$N`
/// lookup scans every name, so binding a long list costs O(parameters²)). A statement
/// that uses these uses them for all of its parameters: SQLite numbers `?` by position.
pub fn placeholders(backend: Backend, first: usize, count: usize) -> String {
    let one = |n: usize| match backend {
        Backend::Sqlite => "?".to_string(),
        Backend::Postgres => format!("${n}"),
    };
    (first..first + count).map(one).collect::<Vec<_>>().join(", ")
}

/// A statement as `sqlx::query` makes it.
pub type Statement<'q> = sqlx::query::Query<'q, Any, <Any as sqlx::Database>::Arguments>;

/// `query` with each of `ids` bound in turn: the list that [`placeholders`] spelled.
pub fn bind_each<'q>(query: Statement<'q>, ids: &[&'q str]) -> Statement<'q> {
    ids.iter().fold(query, |query, id| query.bind(*id))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A pool plus the backend it talks to (the Any driver hides it, transactions need it).
#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// The app's time (see clock.rs): services ask `db.now_ms()`, never the system.
    pub clock: Clock,
}

pub type Tx = Transaction<'static, Any>;

impl Db {
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres") { Backend::Postgres } else { Backend::Sqlite };
        let options = match backend {
            // No JIT: it compiles any query the planner thinks costly, and for the app's
            // short queries that compile is the cost (Admin → Payouts' lists took 40–100 ms
            // each with it, 10–24 ms without, at 10,000 partners). The Postgres docs advise
            // JIT for long analytical queries, which the app does not run.
            // Custom plans only: from a prepared statement's sixth run Postgres may switch to
            // a generic plan, made without the binds, and the data is skewed (the busiest
            // partner has 5 % of all rows). With it allowed, the volume bench at 10,000
            // partners saw the busiest partner's Portal → Payouts stall (p95 496 ms, p50
            // 12.5 ms) and 64 connections over the pages take 118 s; with custom plans only,
            // p95 14.6 ms and 14 s.
            // Planning every run moved the pages' p50 by −0.9 to +2.5 ms there.
            Backend::Postgres => AnyPoolOptions::new().max_connections(16).after_connect(|conn, _| {
                Box::pin(async move {
                    sqlx::raw_sql("set jit = off; set plan_cache_mode = force_custom_plan")
                        .execute(conn)
                        .await?;
                    Ok(())
                })
            }),
            Backend::Sqlite => AnyPoolOptions::new().max_connections(8).after_connect(|conn, _| {
                Box::pin(async move {
                    // WAL lets readers run beside the one writer; the busy timeout makes
                    // concurrent writers queue instead of failing with SQLITE_BUSY. No
                    // automatic checkpoints: they run (with an fsync) inside the commit
                    // that crosses the threshold, and a landing waits for its click's
                    // commit; `checkpoint_wal` does them beside the writers instead.
                    // A 32 MiB page cache per connection (SQLite's default is 2 MiB): a
                    // payout run's foreign-key probes into a million-row ledger missed it
                    // on nearly every row (sqlite3 on the bench data: ~10 s → ~7–8 s).
                    sqlx::raw_sql(
                        "pragma journal_mode = wal; pragma busy_timeout = 15000; \
                         pragma foreign_keys = on; pragma synchronous = normal; \
                         pragma wal_autocheckpoint = 0; pragma cache_size = -32768;",
                    )
                    .execute(conn)
                    .await?;
                    Ok(())
                })
            }),
        };
        let pool = options.connect(url).await?;
        if backend == Backend::Sqlite {
            tokio::spawn(checkpoint_wal(pool.clone()));
        }
        Ok(Self { pool, backend, clock: Clock::default() })
    }

    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        sqlx::migrate!("./migrations").run(&self.pool).await
    }

    /// Now, in unix milliseconds, by the app's clock.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Serializes the write transactions that decide something about the same `key`
    /// (e.g. an email that is being invited and registered at once), until `tx` ends.
    /// Postgres runs transactions side by side, so each could miss the other's row:
    /// a transaction-scoped advisory lock makes the second wait. SQLite's
    /// `BEGIN IMMEDIATE` already lets one writer in at a time.
    pub async fn lock_key(&self, tx: &mut Tx, key: &str) -> Result<(), sqlx::Error> {
        if self.backend == Backend::Postgres {
            sqlx::query("select pg_advisory_xact_lock(hashtext($1))").bind(key).execute(&mut **tx).await?;
        }
        Ok(())
    }

    /// Starts a write transaction. On SQLite it takes the write lock up front
    /// (`BEGIN IMMEDIATE`) so two writers never deadlock upgrading a read lock.
    pub async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("begin immediate").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// A write transaction whose statements all read one snapshot: SQLite's write lock
    /// (`BEGIN IMMEDIATE`) already gives that; on Postgres `REPEATABLE READ`, so a later
    /// statement never sees a row another transaction committed after the first one read.
    pub async fn begin_snapshot(&self) -> Result<Tx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("begin immediate").await,
            Backend::Postgres => self.pool.begin_with("begin isolation level repeatable read").await,
        }
    }
}

/// SQLite's WAL checkpoints, off the commit path: a passive checkpoint copies committed
/// pages into the database file (and fsyncs it) while writers go on appending to the WAL,
/// so that fsync never holds up a commit. Every 250 ms until the pool closes. Under a
/// steady stream of writes a passive checkpoint never catches the WAL's end, so the file
/// is never reset and keeps growing: past [`WAL_RESTART_PAGES`] a restart checkpoint
/// resets it, holding writers only for what the passive one just left (milliseconds).
async fn checkpoint_wal(pool: AnyPool) {
    let mut every = tokio::time::interval(std::time::Duration::from_millis(250));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while !pool.is_closed() {
        every.tick().await;
        // (busy, pages in the WAL, pages copied)
        let passive: Result<(i64, i64, i64), _> =
            sqlx::query_as("pragma wal_checkpoint(passive)").fetch_one(&pool).await;
        let result = match passive {
            Ok((_, pages, _)) if pages > WAL_RESTART_PAGES => {
                sqlx::raw_sql("pragma wal_checkpoint(restart)").execute(&pool).await.map(|_| ())
            }
            other => other.map(|_| ()),
        };
        if let Err(e) = result
            && !pool.is_closed()
        {
            tracing::warn!(error = %e, "WAL checkpoint failed");
        }
    }
}

/// 64 MB of 4 KiB pages.
const WAL_RESTART_PAGES: i64 = 16_384;

/// A new time-ordered id.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

pub const DAY_MS: i64 = 24 * 60 * 60 * 1000;

pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    err.as_database_error().is_some_and(|e| e.is_unique_violation())
}
