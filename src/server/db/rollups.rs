//! Rollups: sums over the immutable ledger and click log, each partner's active referred
//! subscriptions, the open set's cash by release hour, the referrals' signups and
//! conversions by hour and each partner's latest paid period, kept beside them (migrations
//! 0020, 0022, 0023, 0025, 0027, 0029, 0031) so a partner's lifetime figures, the overview's
//! windows and the payout lists read a few rows, not a partner's whole history, a month of
//! clicks or every partner. Each is written in the transaction that writes the rows it
//! derives from (`ledger::insert`, `clicks::insert_many`, `billing::upsert_subscription`,
//! `referrals::insert`, the partner and payout writers); `derived` reads what each should
//! hold from the raw rows by the same definitions (tests compare it with what is kept after
//! every kind of write), and `rebuild` writes that, for bulk loads that bypass the writers.
use sqlx::{Any, Executor};

/// Rollup buckets are UTC hours (and, for a partner's clicks, UTC days); SQL spells the
/// buckets with [`hour_of!`] and [`day_of!`].
pub use crate::domain::attribution::{DAY_MS, HOUR_MS};

/// The first millisecond of the hour holding `$col` (an integer expression of unix ms).
#[macro_export]
macro_rules! hour_of {
    ($col:literal) => {
        concat!("(", $col, " / 3600000 * 3600000)")
    };
}

/// The first millisecond of the UTC day holding `$col` (an integer expression of unix ms).
#[macro_export]
macro_rules! day_of {
    ($col:literal) => {
        concat!("(", $col, " / 86400000 * 86400000)")
    };
}

/// Partner `p`'s ledger total `$col` (a column of `partner_ledger_totals`), 0 before its
/// first entry.
#[macro_export]
macro_rules! ledger_total {
    ($col:literal) => {
        concat!("coalesce((select t.", $col, " from partner_ledger_totals t where t.partner_id = p.id), 0)")
    };
}

/// Partner `p`'s cash earned net of reversals (every cash entry's amount, summed).
#[macro_export]
macro_rules! net_cash_earned {
    () => {
        concat!(
            "(",
            $crate::ledger_total!("earned_cents"),
            " - ",
            $crate::ledger_total!("reversed_cents"),
            ")"
        )
    };
}

/// The ONE definition of how an entry (`c`) counts toward its partner's totals.
macro_rules! entry_parts {
    () => {
        "c.partner_id, \
         case when c.kind = 'cash' and c.reverses_id is null then c.amount_cents else 0 end as earned_cents, \
         case when c.kind = 'cash' and c.reverses_id is not null then -c.amount_cents else 0 end as reversed_cents, \
         case when c.kind = 'credit' then c.amount_cents else 0 end as credit_cents, \
         1 as entries from commissions c "
    };
}

const ADD_ENTRY_SQL: &str = concat!(
    "insert into partner_ledger_totals (partner_id, earned_cents, reversed_cents, credit_cents, entries) \
     select ",
    entry_parts!(),
    "where c.id = $1 \
     on conflict (partner_id) do update set \
       earned_cents = partner_ledger_totals.earned_cents + excluded.earned_cents, \
       reversed_cents = partner_ledger_totals.reversed_cents + excluded.reversed_cents, \
       credit_cents = partner_ledger_totals.credit_cents + excluded.credit_cents, \
       entries = partner_ledger_totals.entries + excluded.entries"
);

const ADD_CASH_HOUR_SQL: &str = concat!(
    "insert into cash_entry_hours (hour_ms, cents) select ",
    hour_of!("c.created_at"),
    ", c.amount_cents from commissions c where c.id = $1 and c.kind = 'cash' \
     on conflict (hour_ms) do update set cents = cash_entry_hours.cents + excluded.cents"
);

/// Adds the entry just written (`id`) to its partner's totals and, if cash, to its hour.
pub async fn add_entry(tx: &mut super::Tx, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(ADD_ENTRY_SQL).bind(id).execute(&mut **tx).await?;
    sqlx::query(ADD_CASH_HOUR_SQL).bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// The ONE definition of a referred workspace's part in its partner's subscription totals
/// (`s` its subscription, `pl` the plan, `r` the referral): one ACTIVE subscription and
/// its monthly price.
macro_rules! active_subscription {
    () => {
        "from referrals r join subscriptions s on s.workspace_id = r.workspace_id \
         join plans pl on pl.id = s.plan_id where s.status = 'ACTIVE'"
    };
}

/// Adds `$2` (1 or -1) times workspace `$1`'s part to its partner's subscription totals.
const ADD_SUBSCRIPTION_SQL: &str = concat!(
    "insert into partner_subscription_totals (partner_id, active, mrr_cents) \
     select r.partner_id, $2, $2 * pl.price_monthly_cents ",
    active_subscription!(),
    " and r.workspace_id = $1 \
     on conflict (partner_id) do update set \
       active = partner_subscription_totals.active + excluded.active, \
       mrr_cents = partner_subscription_totals.mrr_cents + excluded.mrr_cents"
);

/// Which way a workspace's part moves: out before its subscription or referral changes,
/// back in after (so any change of status, plan or referral is a subtraction and an
/// addition of the same definition).
#[derive(Clone, Copy)]
pub enum Part {
    Out = -1,
    In = 1,
}

/// Moves workspace `workspace_id`'s part in its partner's subscription totals (nothing
/// when it has no referral or no ACTIVE subscription). The caller holds the workspace
/// (`workspaces::lock`) so no other writer changes it between `Out` and `In`.
pub async fn move_subscription(
    tx: &mut super::Tx,
    workspace_id: &str,
    part: Part,
) -> Result<(), sqlx::Error> {
    sqlx::query(ADD_SUBSCRIPTION_SQL).bind(workspace_id).bind(part as i64).execute(&mut **tx).await?;
    Ok(())
}

/// Adds rows of (`hour_ms`, `cents`) that `$select` gives (one per hour, in hour order so
/// concurrent writers lock rows in one order) to the open cash per release hour.
macro_rules! add_open_cash {
    ($select:expr) => {
        concat!(
            "insert into open_cash_hours (hour_ms, cents) ",
            $select,
            " on conflict (hour_ms) do update set cents = open_cash_hours.cents + excluded.cents"
        )
    };
}

/// The ONE definition of the open cash per release hour: the amounts of the entries `o`
/// that `$from_where` picks, `$sign`ed, by the hour they become available (in hour order).
macro_rules! open_cash_rows {
    ($sign:literal, $from_where:literal) => {
        concat!(
            "select ",
            hour_of!("o.available_at"),
            " as hour_ms, cast(",
            $sign,
            "sum(o.amount_cents) as bigint) as cents ",
            $from_where,
            " group by 1 order by 1"
        )
    };
}

/// A cash entry just opened (`ledger::insert`): its amount joins its release hour.
pub async fn open_cash(tx: &mut super::Tx, available_at: i64, cents: i64) -> Result<(), sqlx::Error> {
    sqlx::query(add_open_cash!("values ($1, $2)"))
        .bind(available_at.div_euclid(HOUR_MS) * HOUR_MS)
        .bind(cents)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The open entries of `partner_ids` available at `now` are about to leave the open set
/// (`payouts::gather`, before it deletes them): their amounts leave their hours, and hours
/// up to now left at zero are dropped, so the table stays about as long as the open set's
/// span of hours.
pub async fn gather_open_cash(
    tx: &mut super::Tx,
    backend: super::Backend,
    partner_ids: &[&str],
    now: i64,
) -> Result<(), sqlx::Error> {
    let take = format!(
        add_open_cash!(open_cash_rows!(
            "-",
            "from open_entries o where o.available_at <= {} and o.partner_id in ({})"
        )),
        super::placeholders(backend, 1, 1),
        super::placeholders(backend, 2, partner_ids.len()),
    );
    let query = sqlx::query(sqlx::AssertSqlSafe(take)).bind(now);
    super::bind_each(query, partner_ids).execute(&mut **tx).await?;
    sqlx::query("delete from open_cash_hours where cents = 0 and hour_ms <= $1")
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Before a payout batch's snapshot (Postgres, `REPEATABLE READ`): no other writer may
/// change the open cash per release hour or the paid periods until the batch ends. The
/// batch takes cash out of past hours that a new entry released at once (or a failed
/// payout) may be adding to, and rewrites its partners' paid periods, which a partner's
/// schedule change rewrites too; under its snapshot Postgres would refuse those updates as
/// concurrent ones, or (for a period row rewritten after the snapshot) write a stale one.
/// Taken before the first query, the lock makes the snapshot include every change committed
/// before it. SQLite's `BEGIN IMMEDIATE` already lets one writer in.
pub async fn hold_open_cash(tx: &mut super::Tx, backend: super::Backend) -> Result<(), sqlx::Error> {
    if backend == super::Backend::Postgres {
        sqlx::query("lock table open_cash_hours, payout_periods in share row exclusive mode")
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// A failed payout's live items are about to go back to the open set
/// (`payouts::release_items`, before it marks them released): their amounts rejoin their
/// hours (the entries `o` read from the ledger, which holds the same amounts and times).
pub async fn release_open_cash(tx: &mut super::Tx, payout_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(add_open_cash!(open_cash_rows!(
        "",
        "from payout_items i join commissions o on o.id = i.commission_id \
         where i.payout_id = $1 and i.released = 0"
    )))
    .bind(payout_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Partner `p`'s payout schedule as the runs read it: an unknown one is monthly.
macro_rules! schedule_of_p {
    () => {
        "(case when p.payout_frequency in ('weekly', 'quarterly', 'manual') then p.payout_frequency \
         else 'monthly' end)"
    };
}

/// The ONE definition of a partner's paid period (migration 0031): its schedule, and the
/// suffix (`:monthly:2026-12-01`) of its latest payout key under that schedule ('' before
/// its first). A period key exists for every payout, failed ones included, and payouts are
/// never deleted, so a suffix here is always a period that is taken.
macro_rules! payout_period_rows {
    ($partners_where:literal) => {
        concat!(
            "select p.id as partner_id, ",
            schedule_of_p!(),
            " as frequency, coalesce((select ':' || ",
            schedule_of_p!(),
            " || ':' || max(x.period) from payouts x where x.partner_id = p.id and x.idempotency_key = '",
            crate::period_key_prefix!(),
            "' || p.id || ':' || ",
            schedule_of_p!(),
            " || ':' || x.period), '') as paid_suffix from partners p",
            $partners_where
        )
    };
}

/// Writes the paid periods of the partners `p` that `$partners_where` picks, by their
/// definition, over what the table held for them.
macro_rules! rewrite_paid_periods {
    ($partners_where:literal) => {
        concat!(
            "insert into payout_periods (partner_id, frequency, paid_suffix) ",
            payout_period_rows!($partners_where),
            " on conflict (partner_id) do update set frequency = excluded.frequency, \
             paid_suffix = excluded.paid_suffix"
        )
    };
}

/// Rewrites one partner's paid period from its payouts, in the transaction that just
/// created the partner or changed its schedule.
pub async fn refresh_paid_period(tx: &mut super::Tx, partner_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query(rewrite_paid_periods!(" where p.id = $1")).bind(partner_id).execute(&mut **tx).await?;
    Ok(())
}

/// Rewrites the paid periods of `partner_ids` from their payouts, in the payout batch that
/// just created their payouts (`payouts::gather`).
pub async fn refresh_paid_periods(
    tx: &mut super::Tx,
    backend: super::Backend,
    partner_ids: &[&str],
) -> Result<(), sqlx::Error> {
    if partner_ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        rewrite_paid_periods!(" where p.id in ({})"),
        super::placeholders(backend, 1, partner_ids.len())
    );
    super::bind_each(sqlx::query(sqlx::AssertSqlSafe(sql)), partner_ids).execute(&mut **tx).await?;
    Ok(())
}

const ADD_REFERRAL_HOUR_SQL: &str = "insert into referral_hours (hour_ms, signups, conversions) \
     values ($1, $2, $3) on conflict (hour_ms) do update set \
       signups = referral_hours.signups + excluded.signups, \
       conversions = referral_hours.conversions + excluded.conversions";

/// What happened to a referral, for its hour's counts.
#[derive(Clone, Copy)]
pub enum ReferralEvent {
    /// Bound to its partner (`referrals::insert`): a signup.
    Signup,
    /// Its first paid period (`referrals::mark_converted`): a conversion.
    Conversion,
}

/// Counts a referral's signup or conversion at `at` in its hour.
pub async fn count_referral(tx: &mut super::Tx, event: ReferralEvent, at: i64) -> Result<(), sqlx::Error> {
    let (signups, conversions) = match event {
        ReferralEvent::Signup => (1, 0),
        ReferralEvent::Conversion => (0, 1),
    };
    sqlx::query(ADD_REFERRAL_HOUR_SQL)
        .bind(at.div_euclid(HOUR_MS) * HOUR_MS)
        .bind(signups)
        .bind(conversions)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A click as its insert returned it: when, whose, and through which code and listing.
pub struct WrittenClick {
    pub created_at: i64,
    pub partner_id: String,
    pub code_id: Option<String>,
    pub listing_id: Option<String>,
}

impl WrittenClick {
    pub fn of(c: &super::clicks::Click) -> Self {
        Self {
            created_at: c.created_at,
            partner_id: c.partner_id.clone(),
            code_id: c.code_id.clone(),
            listing_id: c.listing_id.clone(),
        }
    }
}

const ADD_HOUR_SQL: &str = "insert into click_hours (hour_ms, clicks) values ($1, $2) \
     on conflict (hour_ms) do update set clicks = click_hours.clicks + excluded.clicks";
const ADD_CODE_SQL: &str = "insert into code_clicks (code_id, clicks) values ($1, $2) \
     on conflict (code_id) do update set clicks = code_clicks.clicks + excluded.clicks";
const ADD_PARTNER_DAY_SQL: &str = "insert into partner_click_days (partner_id, day_ms, clicks) values ($1, $2, $3) \
     on conflict (partner_id, day_ms) do update set clicks = partner_click_days.clicks + excluded.clicks";
const ADD_LISTING_SQL: &str = "insert into listing_clicks (listing_id, clicks) values ($1, $2) \
     on conflict (listing_id) do update set clicks = listing_clicks.clicks + excluded.clicks";

/// Adds clicks just written to their hours, partners' days, codes and listings: one upsert per distinct
/// key, in key order (so concurrent writers lock rows in the same order).
pub async fn add_clicks(conn: &mut sqlx::AnyConnection, written: &[WrittenClick]) -> Result<(), sqlx::Error> {
    for (hour, clicks) in tally(written.iter().map(|c| c.created_at.div_euclid(HOUR_MS) * HOUR_MS)) {
        sqlx::query(ADD_HOUR_SQL).bind(hour).bind(clicks).execute(&mut *conn).await?;
    }
    let days = written.iter().map(|c| (c.partner_id.as_str(), c.created_at.div_euclid(DAY_MS) * DAY_MS));
    for ((partner, day), clicks) in tally(days) {
        sqlx::query(ADD_PARTNER_DAY_SQL).bind(partner).bind(day).bind(clicks).execute(&mut *conn).await?;
    }
    for (code, clicks) in tally(written.iter().filter_map(|c| c.code_id.as_deref())) {
        sqlx::query(ADD_CODE_SQL).bind(code).bind(clicks).execute(&mut *conn).await?;
    }
    for (listing, clicks) in tally(written.iter().filter_map(|c| c.listing_id.as_deref())) {
        sqlx::query(ADD_LISTING_SQL).bind(listing).bind(clicks).execute(&mut *conn).await?;
    }
    Ok(())
}

/// (key, how many times it occurs), in key order.
fn tally<K: Ord>(keys: impl Iterator<Item = K>) -> Vec<(K, i64)> {
    let mut counts = std::collections::BTreeMap::new();
    for k in keys {
        *counts.entry(k).or_insert(0) += 1;
    }
    counts.into_iter().collect()
}

/// A rollup: its table, its columns, and the query that derives its whole content from
/// the raw rows (the reference for `rebuild` and for the consistency test).
struct Rollup {
    table: &'static str,
    columns: &'static str,
    derive: &'static str,
    /// Which kept rows the derivation accounts for: a row whose part went back to zero
    /// stays in the table (an upsert never deletes), and no derivation groups it.
    kept_where: &'static str,
}

const ROLLUPS: [Rollup; 10] = [
    Rollup {
        table: "partner_ledger_totals",
        columns: "partner_id, earned_cents, reversed_cents, credit_cents, entries",
        derive: concat!(
            "select partner_id, cast(sum(earned_cents) as bigint), cast(sum(reversed_cents) as bigint), \
             cast(sum(credit_cents) as bigint), cast(sum(entries) as bigint) from (select ",
            entry_parts!(),
            ") e group by partner_id"
        ),
        kept_where: "",
    },
    Rollup {
        table: "click_hours",
        columns: "hour_ms, clicks",
        derive: concat!("select ", hour_of!("created_at"), ", count(*) from clicks group by 1"),
        kept_where: "",
    },
    Rollup {
        table: "partner_click_days",
        columns: "partner_id, day_ms, clicks",
        derive: concat!("select partner_id, ", day_of!("created_at"), ", count(*) from clicks group by 1, 2"),
        kept_where: "",
    },
    Rollup {
        table: "code_clicks",
        columns: "code_id, clicks",
        derive: "select code_id, count(*) from clicks where code_id is not null group by code_id",
        kept_where: "",
    },
    Rollup {
        table: "listing_clicks",
        columns: "listing_id, clicks",
        derive: "select listing_id, count(*) from clicks where listing_id is not null group by listing_id",
        kept_where: "",
    },
    Rollup {
        table: "cash_entry_hours",
        columns: "hour_ms, cents",
        derive: concat!(
            "select ",
            hour_of!("created_at"),
            ", cast(sum(amount_cents) as bigint) from commissions where kind = 'cash' group by 1"
        ),
        kept_where: "",
    },
    Rollup {
        table: "partner_subscription_totals",
        columns: "partner_id, active, mrr_cents",
        derive: concat!(
            "select r.partner_id, count(*), cast(sum(pl.price_monthly_cents) as bigint) ",
            active_subscription!(),
            " group by r.partner_id"
        ),
        kept_where: " where active <> 0 or mrr_cents <> 0",
    },
    Rollup {
        table: "open_cash_hours",
        columns: "hour_ms, cents",
        derive: concat!(
            "select * from (",
            open_cash_rows!("", "from open_entries o"),
            ") d where d.cents <> 0"
        ),
        kept_where: " where cents <> 0",
    },
    Rollup {
        table: "referral_hours",
        columns: "hour_ms, signups, conversions",
        derive: concat!(
            "select hour_ms, cast(sum(signups) as bigint), cast(sum(conversions) as bigint) from (select ",
            hour_of!("created_at"),
            " as hour_ms, 1 as signups, 0 as conversions from referrals union all select ",
            hour_of!("converted_at"),
            ", 0, 1 from referrals where converted_at is not null) r group by hour_ms"
        ),
        kept_where: "",
    },
    Rollup {
        table: "payout_periods",
        columns: "partner_id, frequency, paid_suffix",
        derive: payout_period_rows!(""),
        kept_where: "",
    },
];

impl Rollup {
    /// "1, 2, …" for each of its columns: the order [`kept`] and [`derived`] list rows in.
    fn every_column(&self) -> String {
        (1..=self.columns.split(',').count()).map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
    }
}

/// Replaces every rollup with its derivation from the raw rows, in one transaction: for
/// bulk loads that write entries or clicks with plain SQL (the demo seed, benches, tests).
pub async fn rebuild(db: &super::Db) -> Result<(), sqlx::Error> {
    let mut tx = db.begin_write().await?;
    rebuild_in(&mut tx).await?;
    tx.commit().await
}

/// [`rebuild`] inside a transaction that bulk-loaded rows (the demo seed).
pub async fn rebuild_in(tx: &mut super::Tx) -> Result<(), sqlx::Error> {
    for r in &ROLLUPS {
        let replace = [
            format!("delete from {}", r.table),
            format!("insert into {} ({}) {}", r.table, r.columns, r.derive),
        ];
        for sql in replace {
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut **tx).await?;
        }
    }
    Ok(())
}

/// Every kept rollup row, as text in a fixed order.
pub async fn kept<'e>(ex: impl Executor<'e, Database = Any> + Copy) -> Result<Vec<String>, sqlx::Error> {
    rows(ex, |r| {
        format!("select {} from {}{} order by {}", r.columns, r.table, r.kept_where, r.every_column())
    })
    .await
}

/// What every rollup row should be, derived from the raw rows, as [`kept`] shows it.
pub async fn derived<'e>(ex: impl Executor<'e, Database = Any> + Copy) -> Result<Vec<String>, sqlx::Error> {
    rows(ex, |r| format!("select * from ({}) d order by {}", r.derive, r.every_column())).await
}

async fn rows<'e>(
    ex: impl Executor<'e, Database = Any> + Copy,
    sql: impl Fn(&Rollup) -> String,
) -> Result<Vec<String>, sqlx::Error> {
    use sqlx::Row;
    let mut out = Vec::new();
    for r in &ROLLUPS {
        for row in sqlx::query(sqlx::AssertSqlSafe(sql(r))).fetch_all(ex).await? {
            let cells: Vec<String> = (0..row.len())
                .map(|i| {
                    row.try_get::<i64, _>(i).map(|n| n.to_string()).or_else(|_| row.try_get::<String, _>(i))
                })
                .collect::<Result<_, _>>()?;
            out.push(format!("{} {}", r.table, cells.join(" ")));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sql_buckets_are_the_hour_and_the_day() {
        assert_eq!(hour_of!("t"), format!("(t / {HOUR_MS} * {HOUR_MS})"));
        assert_eq!(day_of!("t"), format!("(t / {DAY_MS} * {DAY_MS})"));
        let hours = [0, HOUR_MS - 1, HOUR_MS, 5 * HOUR_MS + 7].map(|t| t.div_euclid(HOUR_MS) * HOUR_MS);
        assert_eq!(tally(hours.into_iter()), [(0, 2), (HOUR_MS, 1), (5 * HOUR_MS, 1)]);
        assert_eq!(tally(["b", "a", "b"].into_iter()), [("a", 1), ("b", 2)]);
    }
}
