//! The admin overview's figures: every one aggregated in SQL over an indexed time range
//! (`$1` start inclusive, `$2` end exclusive), never a load of rows; clicks, signups,
//! conversions and commission amounts from their hourly rollups (`rollups`) when the
//! window is whole hours. The definitions are in README's design notes ("Admin overview").
use sqlx::{Any, Executor, FromRow};

use crate::domain::attribution::HOUR_MS;

/// The program's figures for one window.
#[derive(Debug, Clone, Default, FromRow)]
pub struct WindowRow {
    pub clicks: i64,
    pub signups: i64,
    pub conversions: i64,
    /// Invoices of referred workspaces, net of refunds.
    pub billed_cents: i64,
    /// Cash commissions created (reversals included, negative).
    pub commission_cents: i64,
}

/// The window's figures with `$clicks`, `$signups`, `$conversions` and `$commissions` as
/// the sums that differ between the rollups and the raw reading.
macro_rules! window_sql {
    ($clicks:literal, $signups:literal, $conversions:literal, $commissions:literal) => {
        concat!(
            "select ",
            $clicks,
            " as clicks, ",
            $signups,
            " as signups, ",
            $conversions,
            " as conversions, \
             (select cast(coalesce(sum(amount_cents - refunded_cents), 0) as bigint) from invoices \
               where referral_id is not null and created_at >= $1 and created_at < $2) as billed_cents, ",
            $commissions,
            " as commission_cents"
        )
    };
}

/// The window's figures (`$1` from, `$2` to, both whole hours): clicks, signups,
/// conversions and commissions from the hourly rollups; also explained by the volume bench.
pub const WINDOW_SQL: &str = window_sql!(
    "(select cast(coalesce(sum(clicks), 0) as bigint) from click_hours where hour_ms >= $1 and hour_ms < $2)",
    "(select cast(coalesce(sum(signups), 0) as bigint) from referral_hours where hour_ms >= $1 and hour_ms < $2)",
    "(select cast(coalesce(sum(conversions), 0) as bigint) from referral_hours \
       where hour_ms >= $1 and hour_ms < $2)",
    "(select cast(coalesce(sum(cents), 0) as bigint) from cash_entry_hours where hour_ms >= $1 and hour_ms < $2)"
);

/// The same from the raw rows, for a window that is not whole hours.
pub const WINDOW_RAW_SQL: &str = window_sql!(
    "(select count(*) from clicks where created_at >= $1 and created_at < $2)",
    "(select count(*) from referrals where created_at >= $1 and created_at < $2)",
    "(select count(*) from referrals where converted_at >= $1 and converted_at < $2)",
    "(select cast(coalesce(sum(amount_cents), 0) as bigint) from commissions \
       where kind = 'cash' and created_at >= $1 and created_at < $2)"
);

/// True when `from` and `to` are whole hours, so the hourly rollups sum it exactly.
fn whole_hours(from: i64, to: i64) -> bool {
    from.rem_euclid(HOUR_MS) == 0 && to.rem_euclid(HOUR_MS) == 0
}

pub async fn window<'e>(
    ex: impl Executor<'e, Database = Any>,
    from: i64,
    to: i64,
) -> Result<WindowRow, sqlx::Error> {
    let sql = if whole_hours(from, to) { WINDOW_SQL } else { WINDOW_RAW_SQL };
    sqlx::query_as(sql).bind(from).bind(to).fetch_one(ex).await
}

/// Figures that are a state now, not a window.
#[derive(Debug, Clone, Default, FromRow)]
pub struct NowRow {
    /// Monthly price of referred workspaces whose subscription is ACTIVE.
    pub mrr_cents: i64,
    pub active_referred: i64,
    /// Payouts created and not yet paid or failed.
    pub payouts_due_cents: i64,
    pub payouts_due: i64,
    /// Available cash of eligible partners that no payout holds (the open set): the next
    /// run's material.
    pub next_run_cents: i64,
    pub awaiting_approval: i64,
}

/// The figures of now (`$1` now, `$2` the first millisecond of its hour). MRR and the
/// active count read the partners' subscription totals (`rollups`), one row per partner,
/// in one pass.
/// The next run's cash is the open set's cash available now — the hours before this one
/// from the open cash per release hour (`rollups`), this hour's entries from the index by
/// release time — less what partners outside the payout gate hold (a few partners, from
/// their partial index, each summed from its own entries: as a join, SQLite without
/// statistics walked every available entry instead): no pass over the open set or over
/// every partner.
pub const NOW_SQL: &str = concat!(
    "select s.mrr_cents, s.active_referred, \
     (select cast(coalesce(sum(amount_cents), 0) as bigint) from payouts \
       where status in ('pending', 'processing')) as payouts_due_cents, \
     (select count(*) from payouts where status in ('pending', 'processing')) as payouts_due, \
     (select cast(coalesce(sum(h.cents), 0) as bigint) from open_cash_hours h where h.hour_ms < $2) \
     + (select cast(coalesce(sum(o.amount_cents), 0) as bigint) from open_entries o \
        where o.available_at >= $2 and o.available_at <= $1) \
     - (select cast(coalesce(sum(x.cents), 0) as bigint) from (select ",
    crate::open_sum!("o.available_at <= $1"),
    " as cents from partners p where not (",
    crate::eligible_partner!(),
    ")) x) as next_run_cents, \
     (select count(*) from partners where status = 'pending') as awaiting_approval \
     from (select cast(coalesce(sum(mrr_cents), 0) as bigint) as mrr_cents, \
       cast(coalesce(sum(active), 0) as bigint) as active_referred from partner_subscription_totals) s"
);

pub async fn now<'e>(ex: impl Executor<'e, Database = Any>, now: i64) -> Result<NowRow, sqlx::Error> {
    let hour = now.div_euclid(super::rollups::HOUR_MS) * super::rollups::HOUR_MS;
    sqlx::query_as(NOW_SQL).bind(now).bind(hour).fetch_one(ex).await
}

/// One day of the chart: `day` counts days from the window's start.
#[derive(Debug, Clone, FromRow)]
pub struct DayRow {
    pub day: i64,
    pub kind: String,
    pub n: i64,
}

/// Per-day counts with `$clicks`, `$referrals` (signups and conversions) and
/// `$commissions` as the branches that differ between the rollups and the raw reading.
macro_rules! daily_sql {
    ($clicks:literal, $referrals:literal, $commissions:literal) => {
        concat!($clicks, " union all ", $referrals, " union all ", $commissions)
    };
}

/// Per-day counts (`$1` from, `$2` to, both whole hours, so every hour lies in one day).
pub const DAILY_SQL: &str = daily_sql!(
    "select cast((hour_ms - $1) / 86400000 as bigint) as day, 'click' as kind, \
       cast(sum(clicks) as bigint) as n from click_hours where hour_ms >= $1 and hour_ms < $2 group by 1",
    "select cast((hour_ms - $1) / 86400000 as bigint), 'signup', cast(sum(signups) as bigint) \
       from referral_hours where hour_ms >= $1 and hour_ms < $2 group by 1 \
     union all select cast((hour_ms - $1) / 86400000 as bigint), 'conversion', cast(sum(conversions) as bigint) \
       from referral_hours where hour_ms >= $1 and hour_ms < $2 group by 1",
    "select cast((hour_ms - $1) / 86400000 as bigint), 'commission', cast(sum(cents) as bigint) \
       from cash_entry_hours where hour_ms >= $1 and hour_ms < $2 group by 1"
);

/// The same from the raw rows, for a window that is not whole hours.
pub const DAILY_RAW_SQL: &str = daily_sql!(
    "select cast((created_at - $1) / 86400000 as bigint) as day, 'click' as kind, count(*) as n \
       from clicks where created_at >= $1 and created_at < $2 group by 1",
    "select cast((created_at - $1) / 86400000 as bigint), 'signup', count(*) \
       from referrals where created_at >= $1 and created_at < $2 group by 1 \
     union all select cast((converted_at - $1) / 86400000 as bigint), 'conversion', count(*) \
       from referrals where converted_at >= $1 and converted_at < $2 group by 1",
    "select cast((created_at - $1) / 86400000 as bigint), 'commission', \
       cast(coalesce(sum(amount_cents), 0) as bigint) \
       from commissions where kind = 'cash' and created_at >= $1 and created_at < $2 group by 1"
);

/// Per-day counts (and commission cents) in the window, grouped in SQL.
pub async fn daily<'e>(
    ex: impl Executor<'e, Database = Any>,
    from: i64,
    to: i64,
) -> Result<Vec<DayRow>, sqlx::Error> {
    let sql = if whole_hours(from, to) { DAILY_SQL } else { DAILY_RAW_SQL };
    sqlx::query_as(sql).bind(from).bind(to).fetch_all(ex).await
}

/// A partner's figures in the window, for the top lists.
#[derive(Debug, Clone, FromRow)]
pub struct TopRow {
    pub partner_id: String,
    pub partner_name: String,
    pub value: i64,
}

/// Top partners by billing (`$1` from, `$2` to, `$3` limit).
pub const TOP_BY_REVENUE_SQL: &str = "select p.id as partner_id, p.name as partner_name, \
     cast(sum(i.amount_cents - i.refunded_cents) as bigint) as value \
     from invoices i join referrals r on r.id = i.referral_id join partners p on p.id = r.partner_id \
     where i.created_at >= $1 and i.created_at < $2 \
     group by p.id, p.name order by value desc, p.name limit $3";

/// The partners whose referred customers were billed most in the window.
pub async fn top_by_revenue<'e>(
    ex: impl Executor<'e, Database = Any>,
    from: i64,
    to: i64,
    limit: i64,
) -> Result<Vec<TopRow>, sqlx::Error> {
    sqlx::query_as(TOP_BY_REVENUE_SQL).bind(from).bind(to).bind(limit).fetch_all(ex).await
}

/// Top partners by conversions, first step (`$1` from, `$2` to, `$3` limit, `$4` the most
/// ties looked up by name here). The window's conversions are counted per partner; the
/// `$3`-th count is the edge. Every row carries the edge and how many partners sit on it
/// (`tied`); the partners above the edge follow with their names, and so do the tied ones
/// when no more than `$4` tie. Names are looked up by key for those partners only: joining
/// every converting partner made Postgres read the whole partners table, and when most
/// converting partners tie on the edge (a long tail of ones), looking up thousands of names
/// to keep five was most of the query. Each step is `materialized`, because the planners
/// undid the order otherwise: SQLite 3.51 moved the tie count into the loop over `g`
/// (summing every count once per count), Postgres computed the edge twice and looked up
/// every converting partner's name before filtering (`k` keeps the filter first). The tie
/// count is a sum over the counts: as a `count(*) … where`, SQLite built an index on them
/// first. The left join keeps one row when none qualifies.
pub const TOP_BY_CONVERSIONS_SQL: &str = "with g as materialized (select r.partner_id, count(*) as n \
       from referrals r where r.converted_at >= $1 and r.converted_at < $2 group by r.partner_id), \
     e as materialized (select coalesce((select n from g order by n desc limit 1 offset $3 - 1), 0) as edge), \
     t as materialized (select e.edge, \
       (select coalesce(sum(case when g.n = e.edge then 1 else 0 end), 0) from g) as tied from e), \
     k as materialized (select g.partner_id, g.n from g, t \
       where g.n > t.edge or (g.n = t.edge and t.tied <= $4)) \
     select t.edge, t.tied, x.partner_id, x.partner_name, x.value from t left join (select k.partner_id, \
       (select p.name from partners p where p.id = k.partner_id) as partner_name, k.n as value from k) x \
       on 1 = 1 \
     order by x.value desc, x.partner_name, x.partner_id limit $3";

/// Top partners by conversions, second step when more than the first step's `$4` partners
/// tie on the edge: the first `$4` partners by name with exactly `$3` conversions in the
/// window (`$1`, `$2`). It walks partners in name order and counts each one's conversions
/// from its own index, stopping at `$4` found; when many tie (the case that asks for it),
/// few partners are walked.
pub const TIED_BY_NAME_SQL: &str = "select p.id as partner_id, p.name as partner_name, \
       cast($3 as bigint) as value from partners p \
     where (select count(*) from referrals r where r.partner_id = p.id \
       and r.converted_at >= $1 and r.converted_at < $2) = $3 \
     order by p.name, p.id limit $4";

/// More partners than this tied on the edge are found by walking partners by name
/// ([`TIED_BY_NAME_SQL`]) rather than by looking up every tied partner's name.
pub const TIES_BY_NAME: i64 = 200;

/// One row of the first step: the edge, the tie count, and a partner when one qualifies.
#[derive(Debug, Clone, FromRow)]
struct TopStepRow {
    edge: i64,
    tied: i64,
    partner_id: Option<String>,
    partner_name: Option<String>,
    value: Option<i64>,
}

/// The partners with the most conversions in the window, most first, ties by name; when
/// more than `ties_by_name` partners tie on the edge, the tied ones come from the walk by
/// name (the service passes [`TIES_BY_NAME`]; tests pass others to compare both ways).
pub async fn top_by_conversions(
    pool: &sqlx::AnyPool,
    (from, to): (i64, i64),
    limit: i64,
    ties_by_name: i64,
) -> Result<Vec<TopRow>, sqlx::Error> {
    let rows: Vec<TopStepRow> = sqlx::query_as(TOP_BY_CONVERSIONS_SQL)
        .bind(from)
        .bind(to)
        .bind(limit)
        .bind(ties_by_name)
        .fetch_all(pool)
        .await?;
    let (edge, tied) = rows.first().map_or((0, 0), |r| (r.edge, r.tied));
    let mut top: Vec<TopRow> = rows
        .into_iter()
        .filter_map(|r| {
            Some(TopRow { partner_id: r.partner_id?, partner_name: r.partner_name?, value: r.value? })
        })
        .collect();
    let missing = limit - i64::try_from(top.len()).unwrap_or(limit);
    if tied > ties_by_name && missing > 0 {
        let tied: Vec<TopRow> = sqlx::query_as(TIED_BY_NAME_SQL)
            .bind(from)
            .bind(to)
            .bind(edge)
            .bind(missing)
            .fetch_all(pool)
            .await?;
        top.extend(tied);
    }
    Ok(top)
}

/// One line of the activity feed.
#[derive(Debug, Clone, FromRow)]
pub struct ActivityRow {
    pub kind: crate::domain::roles::ActivityKind,
    pub at: i64,
    pub partner_id: String,
    pub partner_name: String,
    /// The workspace's name, or the payout's amount in cents as text.
    pub subject: Option<String>,
    pub amount_cents: Option<i64>,
}

/// The activity feed (`$1` limit).
pub const ACTIVITY_SQL: &str = "select * from ( \
       select * from (select case when sc.to_state = 'pending' then 'applied' else 'approved' end as kind, \
         sc.created_at as at, p.id as partner_id, p.name as partner_name, \
         cast(null as text) as subject, cast(null as bigint) as amount_cents \
         from partner_state_changes sc join partners p on p.id = sc.partner_id \
         where sc.to_state in ('pending', 'approved') order by sc.created_at desc limit $1) a \
       union all select * from (select 'signup', r.created_at, p.id, p.name, w.name, cast(null as bigint) \
         from referrals r join partners p on p.id = r.partner_id join workspaces w on w.id = r.workspace_id \
         order by r.created_at desc limit $1) b \
       union all select * from (select 'conversion', r.converted_at, p.id, p.name, w.name, cast(null as bigint) \
         from referrals r join partners p on p.id = r.partner_id join workspaces w on w.id = r.workspace_id \
         where r.converted_at is not null order by r.converted_at desc limit $1) c \
       union all select * from (select 'payout', po.paid_at, p.id, p.name, cast(null as text), po.amount_cents \
         from payouts po join partners p on p.id = po.partner_id \
         where po.status = 'paid' order by po.paid_at desc limit $1) d \
     ) feed order by at desc, kind limit $1";

/// The newest events of every kind, newest first: each branch reads its own index newest
/// first and stops at `$1` rows, so the union never grows with the program.
pub async fn activity<'e>(
    ex: impl Executor<'e, Database = Any>,
    limit: i64,
) -> Result<Vec<ActivityRow>, sqlx::Error> {
    sqlx::query_as(ACTIVITY_SQL).bind(limit).fetch_all(ex).await
}
