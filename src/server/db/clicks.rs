//! The click log and the attribution stats built from it.
use std::sync::OnceLock;

use sqlx::{Any, AnyConnection, Executor};

use super::Backend;
use crate::model::types::StatsRow;

/// Serialized into the click journal (`server/click_journal.rs`) as one JSON line.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Click {
    pub id: String,
    pub partner_id: String,
    pub code_id: Option<String>,
    pub listing_id: Option<String>,
    pub share_token: Option<String>,
    pub referrer: Option<String>,
    pub landing_path: String,
    pub ip_hash: String,
    pub user_agent_hash: String,
    pub created_at: i64,
}

const COLUMNS: usize = 10;
/// Statement sizes are powers of two up to `2^MAX_ROWS_LOG2` = 256 rows (2,560
/// parameters): a batch of n clicks takes n / 256 full statements and at most eight more,
/// and each connection's statement cache holds at most nine of them. SQLite binds its
/// anonymous `?` by position, so a long statement binds in linear time (with `$N` it scans
/// every name per parameter: at 1,000 rows that took a third of the server's CPU).
const MAX_ROWS_LOG2: u32 = 8;

/// The clicks in statement-sized chunks: the largest power of two that fits, repeatedly.
fn chunks(mut clicks: &[Click]) -> impl Iterator<Item = &[Click]> {
    std::iter::from_fn(move || {
        if clicks.is_empty() {
            return None;
        }
        let size = 1usize << clicks.len().ilog2().min(MAX_ROWS_LOG2);
        let (chunk, rest) = clicks.split_at(size);
        clicks = rest;
        Some(chunk)
    })
}

/// The insert statement for `rows` clicks (a power of two), built once per size and
/// backend. Postgres numbers its parameters (`$1`); SQLite gets anonymous `?`. Only
/// placeholders are generated; every value is bound.
fn insert_sql(backend: Backend, rows: usize, returning: bool) -> &'static str {
    static STATEMENTS: OnceLock<[Vec<String>; 4]> = OnceLock::new();
    let all = STATEMENTS.get_or_init(|| {
        [
            (Backend::Sqlite, false),
            (Backend::Sqlite, true),
            (Backend::Postgres, false),
            (Backend::Postgres, true),
        ]
        .map(|(b, r)| (0..=MAX_ROWS_LOG2).map(|log2| insert_statement(b, 1 << log2, r)).collect())
    });
    let which = 2 * usize::from(backend == Backend::Postgres) + usize::from(returning);
    debug_assert!(rows.is_power_of_two() && rows <= 1 << MAX_ROWS_LOG2);
    &all[which][rows.ilog2() as usize]
}

fn insert_statement(backend: Backend, rows: usize, returning: bool) -> String {
    let row = |r: usize| format!("({})", super::placeholders(backend, r * COLUMNS + 1, COLUMNS));
    let values: Vec<String> = (0..rows).map(row).collect();
    format!(
        "insert into clicks (id, partner_id, code_id, listing_id, share_token, referrer, landing_path, \
         ip_hash, user_agent_hash, created_at) values {} on conflict (id) do nothing{}",
        values.join(", "),
        if returning { " returning created_at, partner_id, code_id, listing_id" } else { "" }
    )
}

/// Writes the clicks up to 256 to a statement (one round trip per statement instead of
/// per click: the click log's cost was the per-statement overhead, not SQL),
/// then adds the ones written to their hours (`rollups`). A click already stored (a
/// journal replayed after a crash) is skipped and not counted again.
pub async fn insert_many(
    conn: &mut AnyConnection,
    backend: Backend,
    clicks: &[Click],
) -> Result<(), sqlx::Error> {
    let mut written = Vec::with_capacity(clicks.len());
    for chunk in chunks(clicks) {
        let sql = sqlx::query(sqlx::AssertSqlSafe(insert_sql(backend, chunk.len(), true)));
        for row in bind(sql, chunk).fetch_all(&mut *conn).await? {
            use sqlx::Row;
            written.push(super::rollups::WrittenClick {
                created_at: row.try_get(0)?,
                partner_id: row.try_get(1)?,
                code_id: row.try_get(2)?,
                listing_id: row.try_get(3)?,
            });
        }
    }
    super::rollups::add_clicks(conn, &written).await
}

/// [`insert_many`] for clicks that should all be new (the landings' own): no row comes
/// back, each statement only says how many it wrote. False when a click was already
/// stored: the rollups can't tell which, so the caller rolls back and uses
/// [`insert_many`] (decoding every written row back cost as much as writing it).
pub async fn insert_new(
    conn: &mut AnyConnection,
    backend: Backend,
    clicks: &[Click],
) -> Result<bool, sqlx::Error> {
    for chunk in chunks(clicks) {
        let sql = sqlx::query(sqlx::AssertSqlSafe(insert_sql(backend, chunk.len(), false)));
        let done = bind(sql, chunk).execute(&mut *conn).await?;
        if done.rows_affected() != chunk.len() as u64 {
            return Ok(false);
        }
    }
    let written: Vec<_> = clicks.iter().map(super::rollups::WrittenClick::of).collect();
    super::rollups::add_clicks(conn, &written).await?;
    Ok(true)
}

type Insert<'q> = sqlx::query::Query<'q, Any, sqlx::any::AnyArguments>;

/// Binds the chunk's cells in the statement's column order.
fn bind<'q>(mut query: Insert<'q>, clicks: &'q [Click]) -> Insert<'q> {
    for c in clicks {
        query = query
            .bind(&c.id)
            .bind(&c.partner_id)
            .bind(&c.code_id)
            .bind(&c.listing_id)
            .bind(&c.share_token)
            .bind(&c.referrer)
            .bind(&c.landing_path)
            .bind(&c.ip_hash)
            .bind(&c.user_agent_hash)
            .bind(c.created_at);
    }
    query
}

/// Per-code figures (`$1` partner).
pub const STATS_BY_CODE_SQL: &str = "select c.code as label, \
     coalesce((select k.clicks from code_clicks k where k.code_id = c.id), 0) as clicks, \
     (select count(*) from referrals r where r.code_id = c.id) as signups, \
     (select count(*) from referrals r where r.code_id = c.id and r.converted_at is not null) as conversions \
     from referral_codes c where c.partner_id = $1 order by c.is_default desc, c.created_at";

/// Clicks, signups and conversions per referral code of one partner.
pub async fn stats_by_code<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
) -> Result<Vec<StatsRecord>, sqlx::Error> {
    sqlx::query_as(STATS_BY_CODE_SQL).bind(partner_id).fetch_all(ex).await
}

/// The same per listing.
pub async fn stats_by_listing<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
) -> Result<Vec<StatsRecord>, sqlx::Error> {
    sqlx::query_as(
        "select l.title as label, \
         coalesce((select k.clicks from listing_clicks k where k.listing_id = l.id), 0) as clicks, \
         (select count(*) from referrals r where r.listing_id = l.id) as signups, \
         (select count(*) from referrals r where r.listing_id = l.id and r.converted_at is not null) as conversions \
         from listings l where l.partner_id = $1 order by l.created_at",
    )
    .bind(partner_id)
    .fetch_all(ex)
    .await
}

/// The chart's counts (`$1` partner, `$2` since, a UTC midnight): a row per kind and day;
/// clicks from the partner's daily rollup (`rollups`), so the page reads one row a day
/// however many clicks there were.
pub const DAILY_SINCE_SQL: &str = "select 'click' as kind, cast((day_ms - $2) / 86400000 as bigint) as day, \
     clicks as n from partner_click_days where partner_id = $1 and day_ms >= $2 \
     union all select 'signup', cast((created_at - $2) / 86400000 as bigint), count(*) from referrals \
       where partner_id = $1 and created_at >= $2 group by 2 \
     union all select 'conversion', cast((converted_at - $2) / 86400000 as bigint), count(*) from referrals \
       where partner_id = $1 and converted_at is not null and converted_at >= $2 group by 2";

/// This partner's clicks, signups and conversions per day since `since` (day 0 starts at
/// `since`), for the daily chart: counted in SQL by integer division, which both databases
/// do alike.
pub async fn daily_since<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    since: i64,
) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    sqlx::query_as(DAILY_SINCE_SQL).bind(partner_id).bind(since).fetch_all(ex).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_batch_goes_out_in_power_of_two_statements_of_at_most_256_rows() {
        let click = |i: usize| super::Click {
            id: i.to_string(),
            partner_id: String::new(),
            code_id: None,
            listing_id: None,
            share_token: None,
            referrer: None,
            landing_path: String::new(),
            ip_hash: String::new(),
            user_agent_hash: String::new(),
            created_at: 0,
        };
        let clicks: Vec<_> = (0..700).map(click).collect();
        let sizes: Vec<usize> = super::chunks(&clicks).map(<[_]>::len).collect();
        assert_eq!(sizes, [256, 256, 128, 32, 16, 8, 4]);
        let ids: Vec<&str> = super::chunks(&clicks).flatten().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, clicks.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), "all, in order");
        assert_eq!(super::chunks(&clicks[..1]).count(), 1);
        assert_eq!(super::chunks(&[]).count(), 0);
    }

    #[test]
    fn postgres_numbers_every_cell_once_and_sqlite_binds_by_position() {
        use super::{Backend, insert_sql};
        let two = insert_sql(Backend::Postgres, 2, true);
        assert!(two.ends_with("returning created_at, partner_id, code_id, listing_id"));
        assert!(!insert_sql(Backend::Postgres, 2, false).contains("returning"));
        assert!(two.contains("values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10), ($11, $12, $13, $14, $15, $16, $17, $18, $19, $20) on"));
        let sqlite = insert_sql(Backend::Sqlite, 4, false);
        assert_eq!(sqlite.matches('?').count(), 40);
        assert!(!sqlite.contains('$'));
    }
}

record! {
    /// A row of the query, turned into the shared [`StatsRow`] by the service.
    #[derive(Debug)]
    pub struct StatsRecord => StatsRow {
        pub label: String,
        pub clicks: i64,
        pub signups: i64,
        pub conversions: i64,
    }
}
