//! The click log and the attribution stats built from it.
use sqlx::{Any, Executor};

use crate::api::types::StatsRow;

#[derive(Debug, Clone)]
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
/// Rows per statement: 10,000 parameters, below both databases' limits (SQLite 32,766, Postgres 65,535).
pub const ROWS_PER_INSERT: usize = 1_000;

/// `($1, …, $10), ($11, …, $20), …` for `rows` rows. Only placeholders are generated;
/// every value is bound.
fn placeholders(rows: usize) -> String {
    (0..rows)
        .map(|r| {
            let cells: Vec<String> = (1..=COLUMNS).map(|c| format!("${}", r * COLUMNS + c)).collect();
            format!("({})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes up to `ROWS_PER_INSERT` clicks in one statement (one round trip instead of
/// one per click: the click log's cost was the per-statement overhead, not SQL).
pub async fn insert_many<'e>(ex: impl Executor<'e, Database = Any>, clicks: &[Click]) -> Result<(), sqlx::Error> {
    if clicks.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "insert into clicks (id, partner_id, code_id, listing_id, share_token, referrer, landing_path, \
         ip_hash, user_agent_hash, created_at) values {} on conflict (id) do nothing",
        placeholders(clicks.len())
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
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
    query.execute(ex).await?;
    Ok(())
}

/// Clicks, signups and conversions per referral code of one partner.
pub async fn stats_by_code<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
) -> Result<Vec<StatsRow>, sqlx::Error> {
    sqlx::query_as(
        "select c.code as label, \
         (select count(*) from clicks k where k.code_id = c.id) as clicks, \
         (select count(*) from referrals r where r.code_id = c.id) as signups, \
         (select count(*) from referrals r where r.code_id = c.id and r.converted_at is not null) as conversions \
         from referral_codes c where c.partner_id = $1 order by c.is_default desc, c.created_at",
    )
    .bind(partner_id)
    .fetch_all(ex)
    .await
}

/// The same per listing.
pub async fn stats_by_listing<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
) -> Result<Vec<StatsRow>, sqlx::Error> {
    sqlx::query_as(
        "select l.title as label, \
         (select count(*) from clicks k where k.listing_id = l.id) as clicks, \
         (select count(*) from referrals r where r.listing_id = l.id) as signups, \
         (select count(*) from referrals r where r.listing_id = l.id and r.converted_at is not null) as conversions \
         from listings l where l.partner_id = $1 order by l.created_at",
    )
    .bind(partner_id)
    .fetch_all(ex)
    .await
}

/// Timestamps of this partner's clicks, signups and conversions since `since`, for the
/// daily chart (bucketed in Rust: date functions differ between the two databases).
pub async fn events_since<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    since: i64,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "select 'click' as kind, created_at from clicks where partner_id = $1 and created_at >= $2 \
         union all select 'signup', created_at from referrals where partner_id = $1 and created_at >= $2 \
         union all select 'conversion', converted_at from referrals \
           where partner_id = $1 and converted_at is not null and converted_at >= $2",
    )
    .bind(partner_id)
    .bind(since)
    .fetch_all(ex)
    .await
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_number_every_cell_once() {
        assert_eq!(super::placeholders(1), "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
        assert!(super::placeholders(2).ends_with("($11, $12, $13, $14, $15, $16, $17, $18, $19, $20)"));
    }
}
