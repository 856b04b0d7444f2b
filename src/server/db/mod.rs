//! The only place SQL lives: one file per area, portable across SQLite and Postgres.
pub mod api_tokens;
pub mod billing;
pub mod claims;
pub mod clicks;
pub mod codes;
pub mod domains;
pub mod ledger;
pub mod listings;
pub mod partners;
pub mod referrals;
pub mod sessions;
pub mod users;
pub mod workspaces;

use sqlx::any::AnyPoolOptions;
use sqlx::{Any, AnyPool, Transaction};

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
}

pub type Tx = Transaction<'static, Any>;

impl Db {
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres") { Backend::Postgres } else { Backend::Sqlite };
        let options = match backend {
            Backend::Postgres => AnyPoolOptions::new().max_connections(16),
            Backend::Sqlite => AnyPoolOptions::new().max_connections(8).after_connect(|conn, _| {
                Box::pin(async move {
                    // WAL lets readers run beside the one writer; the busy timeout makes
                    // concurrent writers queue instead of failing with SQLITE_BUSY.
                    sqlx::raw_sql(
                        "pragma journal_mode = wal; pragma busy_timeout = 15000; \
                         pragma foreign_keys = on; pragma synchronous = normal;",
                    )
                    .execute(conn)
                    .await?;
                    Ok(())
                })
            }),
        };
        let pool = options.connect(url).await?;
        Ok(Self { pool, backend })
    }

    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        sqlx::migrate!("./migrations").run(&self.pool).await
    }

    /// Starts a write transaction. On SQLite it takes the write lock up front
    /// (`BEGIN IMMEDIATE`) so two writers never deadlock upgrading a read lock.
    pub async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("begin immediate").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }
}

/// A new time-ordered id.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Now, in unix milliseconds.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

pub const DAY_MS: i64 = 24 * 60 * 60 * 1000;

pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    err.as_database_error().is_some_and(|e| e.is_unique_violation())
}
