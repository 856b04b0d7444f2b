//! Payouts, their items, runs and the run lease; the partner balances (one query each).
use sqlx::{Any, Executor, FromRow};

use super::{Backend, placeholders};

/// The ONE definition of a partner's balances, for the partner `p` (`$1` is now). Every
/// cash entry stands in exactly one place: open (in `open_entries`: on hold until its
/// `available_at`, then available) or held by a live payout (pending/processing = in a
/// payout, paid = paid), so the open part is summed from the open set and the rest from the
/// payouts' amounts (each the exact sum of its items). Earned, reversed and credit are sums
/// of the entries themselves, kept per partner (`rollups`). No part reads the whole ledger.
#[macro_export]
macro_rules! balance_sums {
    () => {
        concat!(
            $crate::open_sum!("o.available_at > $1"),
            " as on_hold_cents, ",
            $crate::open_sum!("o.available_at <= $1"),
            " as available_cents, ",
            $crate::payout_sum!("po.status in ('pending', 'processing')"),
            " as in_payout_cents, ",
            $crate::payout_sum!("po.status = 'paid'"),
            " as paid_cents, ",
            $crate::ledger_total!("reversed_cents"),
            " as reversed_cents, ",
            $crate::ledger_total!("earned_cents"),
            " as earned_cents, ",
            $crate::ledger_total!("credit_cents"),
            " as credit_cents "
        )
    };
}

/// Partner `p`'s cash not yet paid (open, clawbacks netted, plus in a live payout) as
/// `$unpaid` and its paid cash as `$paid`: the admin pages' two figures, from the same parts
/// as [`balance_sums!`].
#[macro_export]
macro_rules! unpaid_and_paid {
    ($unpaid:literal, $paid:literal) => {
        concat!(
            $crate::open_sum!("1 = 1"),
            " + ",
            $crate::payout_sum!("po.status in ('pending', 'processing')"),
            " as ",
            $unpaid,
            ", ",
            $crate::payout_sum!("po.status = 'paid'"),
            " as ",
            $paid
        )
    };
}

/// The sum of partner `p`'s open cash entries matching `$cond` (alias `o`).
#[macro_export]
macro_rules! open_sum {
    ($cond:literal) => {
        concat!(
            "cast(coalesce((select sum(o.amount_cents) from open_entries o where o.partner_id = p.id and ",
            $cond,
            "), 0) as bigint)"
        )
    };
}

/// The sum of partner `p`'s payouts matching `$cond` (alias `po`).
#[macro_export]
macro_rules! payout_sum {
    ($cond:literal) => {
        concat!(
            "cast(coalesce((select sum(po.amount_cents) from payouts po where po.partner_id = p.id and ",
            $cond,
            "), 0) as bigint)"
        )
    };
}

/// The joins that say where one entry (`c`) stands: the live payout item holding it (`i`,
/// at most one by a unique index) and that payout (`po`). For lists of entries; balances
/// use [`balance_sums!`].
#[macro_export]
macro_rules! balance_joins {
    () => {
        "left join payout_items i on i.commission_id = c.id and i.released = 0 \
         left join payouts po on po.id = i.payout_id "
    };
}

#[derive(Debug, Clone, Default, FromRow)]
pub struct BalanceRow {
    pub on_hold_cents: i64,
    pub available_cents: i64,
    pub in_payout_cents: i64,
    pub paid_cents: i64,
    pub reversed_cents: i64,
    pub earned_cents: i64,
    pub credit_cents: i64,
}

/// One partner's balances (`$1` now, `$2` partner).
pub const BALANCES_SQL: &str = concat!("select ", balance_sums!(), "from partners p where p.id = $2");

pub async fn balances<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    now: i64,
) -> Result<BalanceRow, sqlx::Error> {
    let row = sqlx::query_as(BALANCES_SQL).bind(now).bind(partner_id).fetch_optional(ex).await?;
    Ok(row.unwrap_or_default())
}

/// A partner's payout settings and its open balance (on hold, available after clawbacks):
/// what a run and the payout lists decide on.
#[derive(Debug, Clone, FromRow)]
pub struct PartnerBalanceRow {
    pub partner_id: String,
    pub partner_name: String,
    pub partner_status: crate::domain::partner::PartnerState,
    pub eligible: i64,
    pub payout_method: String,
    pub payout_details: Option<String>,
    pub payout_frequency: String,
    pub payout_threshold_cents: i64,
    pub on_hold_cents: i64,
    pub available_cents: i64,
}

/// Grouped over the open set only (`$1` is now), so its cost follows what is unpaid, not
/// the ledger's history. The open entries are summed per partner first (one pass over the
/// covering index, in its order) and then joined to their partners: grouping the join by
/// the partner's columns sorted every open entry (2.0 s against 0.25 s at a million).
macro_rules! partner_balances {
    ($join:literal, $open_where:literal, $having:literal, $where:literal) => {
        concat!(
            "select p.id as partner_id, p.name as partner_name, p.status as partner_status, \
             (case when ",
            crate::eligible_partner!(),
            " then 1 else 0 end) as eligible, \
             p.payout_method, p.payout_details, p.payout_frequency, p.payout_threshold_cents, \
             coalesce(b.on_hold_cents, 0) as on_hold_cents, coalesce(b.available_cents, 0) as available_cents \
             from partners p ",
            $join,
            " (select o.partner_id, \
               cast(sum(case when o.available_at > $1 then o.amount_cents else 0 end) as bigint) as on_hold_cents, \
               cast(sum(case when o.available_at <= $1 then o.amount_cents else 0 end) as bigint) \
                 as available_cents \
               from open_entries o ",
            $open_where,
            " group by o.partner_id ",
            $having,
            ") b on b.partner_id = p.id ",
            $where,
            " order by p.name, p.id"
        )
    };
}

/// One partner's open balance (`$1` now, `$2` partner).
pub const PARTNER_BALANCE_SQL: &str =
    partner_balances!("left join", "where o.partner_id = $2", "", "where p.id = $2");

/// One partner's settings and open balance (zeros without entries).
pub async fn partner_balance<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    now: i64,
) -> Result<Option<PartnerBalanceRow>, sqlx::Error> {
    sqlx::query_as(PARTNER_BALANCE_SQL).bind(now).bind(partner_id).fetch_optional(ex).await
}

/// Admin → Payouts' four lists. Each reads partners in name order with the list's own
/// filter and a limit, so a page costs what it shows (and, at worst, one index probe per
/// partner), never a pass over every open entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverviewList {
    /// Eligible, on a schedule, not paid this period, available at its threshold.
    Due,
    /// Something available that is not due now.
    Upcoming,
    /// Something still on hold.
    Held,
    /// Clawbacks beyond what is available.
    Negative,
}

/// The suffix of each frequency's current period key (see `PayoutFrequency::period_key`).
pub struct PeriodKeys {
    pub weekly: String,
    pub monthly: String,
    pub quarterly: String,
    pub manual: String,
}

/// A partner's balance row and whether its current period already has a payout.
#[derive(Debug, Clone, FromRow)]
pub struct OverviewRow {
    #[sqlx(flatten)]
    pub balance: PartnerBalanceRow,
    pub taken: i64,
}

/// The per-partner columns of the overview (`$1` now, `$2` key prefix, `$3`–`$6` the
/// weekly, monthly, quarterly and manual key suffixes; an unknown frequency counts as
/// monthly, as in the runs). Sums are correlated subqueries over the covering index, so a
/// limited read computes them only for the partners it passes. "Taken" is a scalar probe
/// of the key's unique index, not an `exists`: Postgres may answer an `exists` from a hash
/// of every payout's key, built by reading the whole table.
macro_rules! overview_select {
    ($inner_where:expr, $outer_where:expr) => {
        overview_select!("partners p", $inner_where, $outer_where)
    };
    ($from:expr, $inner_where:expr, $outer_where:expr) => {
        concat!(
            "select * from (select p.id as partner_id, p.name as partner_name, p.status as partner_status, \
             (case when ",
            crate::eligible_partner!(),
            " then 1 else 0 end) as eligible, \
             p.payout_method, p.payout_details, p.payout_frequency, p.payout_threshold_cents, ",
            open_sum!("o.available_at > $1"),
            " as on_hold_cents, ",
            open_sum!("o.available_at <= $1"),
            " as available_cents, \
             coalesce((select 1 from payouts x where x.idempotency_key = ",
            overview_key!(),
            " limit 1), 0) as taken from ",
            $from,
            " where ",
            $inner_where,
            ") t where ",
            $outer_where,
            " and (t.partner_name > $7 or (t.partner_name = $7 and t.partner_id > $8)) \
             order by t.partner_name, t.partner_id limit $9"
        )
    };
}

/// The partner's current period key, built in SQL from the bound prefix and suffixes.
macro_rules! overview_key {
    () => {
        "$2 || p.id || (case p.payout_frequency when 'weekly' then $3 when 'quarterly' then $5 \
         when 'manual' then $6 else $4 end)"
    };
}

/// The partners whose paid period under their schedule is not the current one (`$w`, `$m`,
/// `$q`: the current weekly, monthly and quarterly suffixes): each schedule's suffixes
/// before and after the current one, six ranges of `payout_periods`' index.
macro_rules! unpaid_this_period {
    ($w:literal, $m:literal, $q:literal) => {
        concat!(
            "select s.partner_id from payout_periods s where s.frequency = 'weekly' and s.paid_suffix < ", $w,
            " union all select s.partner_id from payout_periods s where s.frequency = 'weekly' and s.paid_suffix > ", $w,
            " union all select s.partner_id from payout_periods s where s.frequency = 'monthly' and s.paid_suffix < ", $m,
            " union all select s.partner_id from payout_periods s where s.frequency = 'monthly' and s.paid_suffix > ", $m,
            " union all select s.partner_id from payout_periods s where s.frequency = 'quarterly' and s.paid_suffix < ", $q,
            " union all select s.partner_id from payout_periods s where s.frequency = 'quarterly' and s.paid_suffix > ", $q
        )
    };
}

/// The due list's outer filter (the service applies the runs' exact rule).
macro_rules! due_filter {
    () => {
        "t.taken = 0 and t.eligible = 1 and t.available_cents > 0 and t.available_cents >= t.payout_threshold_cents"
    };
}

/// Due: the paid-this-period probe comes before the sums, so a program paid this period
/// costs one key lookup per partner. Both tests are on the computed columns: eligibility
/// not on `p.status` (SQLite would walk the status index and sort), and "paid" not as a
/// `not exists` (Postgres turned it into an anti-join that, misestimating the partners
/// left, compared every partner with every payout: 14 s at 10,000 of each).
pub const OVERVIEW_DUE_SQL: &str = overview_select!("p.payout_frequency <> 'manual'", due_filter!());
/// Due, read from the partners not yet paid this period (`$3`–`$5` the current weekly,
/// monthly and quarterly suffixes; manual schedules are never due): each schedule's paid
/// periods before and after the current one, from the index of `payout_periods`. After a
/// run that is nobody but the partners never paid; the few are sorted by name. Before its
/// key is built and its cash summed, a candidate must be in the payout gate and have an
/// entry available (the bench's never-paid partners are applications and partners without
/// entries).
pub const OVERVIEW_DUE_FEW_SQL: &str = overview_select!(
    concat!("(", unpaid_this_period!("$3", "$4", "$5"), ") c cross join partners p"),
    concat!(
        "p.id = c.partner_id and ",
        crate::eligible_partner!(),
        " and (select 1 from open_entries h where h.partner_id = p.id and h.available_at <= $1 limit 1) is not null"
    ),
    due_filter!()
);
/// Upcoming: leaves out only the partners certainly due (manual method, always ready);
/// the service drops the other due ones.
pub const OVERVIEW_UPCOMING_SQL: &str = overview_select!(
    "1 = 1",
    "t.available_cents > 0 and not (t.eligible = 1 and t.payout_method = 'manual' \
     and t.payout_frequency <> 'manual' and t.taken = 0 and t.available_cents >= t.payout_threshold_cents)"
);
/// Held: a partner with something on hold has a held entry, so the inner filter is a probe
/// of the partner's first held entry (the service drops the rare partner whose held entries
/// cancel out). As an outer filter on the sum, SQLite copied the sum into the filter and
/// summed every listed partner's held entries twice (the busiest partner has 5,500). The
/// probe is `is not null`, not `= 1`: Postgres guesses that an expression equals a constant
/// for one row in 200, and then sorted every partner instead of reading them in name order.
pub const OVERVIEW_HELD_SQL: &str = overview_select!(
    "(select 1 from open_entries h where h.partner_id = p.id and h.available_at > $1 limit 1) is not null",
    "1 = 1"
);
/// Held, read from the held entries themselves (by release time), when they are few. The
/// inner limit is one no set reaches: it keeps SQLite from merging the entries' read into
/// the `distinct`, which it then answered by reading every open entry in partner order.
pub const OVERVIEW_HELD_FEW_SQL: &str = overview_select!(
    "(select distinct e.partner_id from (select h.partner_id from open_entries h where h.available_at > $1 \
     limit 9223372036854775807) e) c cross join partners p",
    "p.id = c.partner_id",
    "1 = 1"
);
/// Negative: only a partner with a clawback entry can be below zero. The partners with one
/// are read from the partial index of clawbacks (rare entries, so a small set) before any
/// partner: as a per-partner `exists` probe, SQLite 3.51 summed every partner's available
/// entries first (17 ms at 10,000 partners, against 1–2 ms).
pub const OVERVIEW_NEGATIVE_SQL: &str = overview_select!(
    "p.id in (select n.partner_id from open_entries n where n.amount_cents < 0)",
    "t.available_cents < 0"
);

/// How many partners are not paid this period (`$1`–`$3` the weekly, monthly and
/// quarterly suffixes), counted up to `$4`.
pub const UNPAID_THIS_PERIOD_COUNT_SQL: &str = concat!(
    "select count(*) from (select 1 from (",
    unpaid_this_period!("$1", "$2", "$3"),
    ") c limit $4) x"
);
/// How many open entries are still on hold (`$1` now), counted up to `$2`.
pub const HELD_ENTRIES_COUNT_SQL: &str =
    "select count(*) from (select 1 from open_entries h where h.available_at > $1 limit $2) x";

/// How a list is read: partners in name order, each tested (cheap per partner, and a page
/// fills fast when many belong), or its few candidates first, sorted by name (cheap when
/// few belong, where the walk in name order would test every partner to fill no page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    ByName,
    FewFirst,
}

/// How to read `list` now: its candidates first when there are at most `few` of them (the
/// partners not paid this period for Due, the held entries for Held), else by name.
pub async fn reading<'e>(
    ex: impl Executor<'e, Database = Any>,
    list: OverviewList,
    now: i64,
    keys: &PeriodKeys,
    few: i64,
) -> Result<Reading, sqlx::Error> {
    let counted = match list {
        OverviewList::Due => sqlx::query_scalar(UNPAID_THIS_PERIOD_COUNT_SQL)
            .bind(&keys.weekly)
            .bind(&keys.monthly)
            .bind(&keys.quarterly)
            .bind(few + 1),
        OverviewList::Held => sqlx::query_scalar(HELD_ENTRIES_COUNT_SQL).bind(now).bind(few + 1),
        OverviewList::Upcoming | OverviewList::Negative => return Ok(Reading::ByName),
    };
    let candidates: i64 = counted.fetch_one(ex).await?;
    Ok(if candidates <= few { Reading::FewFirst } else { Reading::ByName })
}

/// Up to `limit` partners of `list` after (`name`, `id`) in name order.
pub async fn overview_window<'e>(
    ex: impl Executor<'e, Database = Any>,
    (list, reading): (OverviewList, Reading),
    now: i64,
    keys: &PeriodKeys,
    after: (&str, &str),
    limit: i64,
) -> Result<Vec<OverviewRow>, sqlx::Error> {
    let sql = match (list, reading) {
        (OverviewList::Due, Reading::ByName) => OVERVIEW_DUE_SQL,
        (OverviewList::Due, Reading::FewFirst) => OVERVIEW_DUE_FEW_SQL,
        (OverviewList::Upcoming, _) => OVERVIEW_UPCOMING_SQL,
        (OverviewList::Held, Reading::ByName) => OVERVIEW_HELD_SQL,
        (OverviewList::Held, Reading::FewFirst) => OVERVIEW_HELD_FEW_SQL,
        (OverviewList::Negative, _) => OVERVIEW_NEGATIVE_SQL,
    };
    sqlx::query_as(sql)
        .bind(now)
        .bind(crate::domain::payouts::PERIOD_KEY_PREFIX)
        .bind(&keys.weekly)
        .bind(&keys.monthly)
        .bind(&keys.quarterly)
        .bind(&keys.manual)
        .bind(after.0)
        .bind(after.1)
        .bind(limit)
        .fetch_all(ex)
        .await
}

/// Partners with something available (after clawbacks) above zero (`$1` now).
pub const PAYABLE_SQL: &str = partner_balances!(
    "join",
    "",
    "having sum(case when o.available_at <= $1 then o.amount_cents else 0 end) > 0",
    ""
);

/// Partners with something available (after clawbacks) above zero: the run's candidates.
pub async fn payable<'e>(
    ex: impl Executor<'e, Database = Any>,
    now: i64,
) -> Result<Vec<PartnerBalanceRow>, sqlx::Error> {
    sqlx::query_as(PAYABLE_SQL).bind(now).fetch_all(ex).await
}

/// A new cash entry joins the open set (called by the ledger's one writer).
pub async fn open_entry(
    tx: &mut super::Tx,
    commission_id: &str,
    partner_id: &str,
    amount_cents: i64,
    available_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into open_entries (commission_id, partner_id, amount_cents, available_at) \
         values ($1, $2, $3, $4)",
    )
    .bind(commission_id)
    .bind(partner_id)
    .bind(amount_cents)
    .bind(available_at)
    .execute(&mut **tx)
    .await?;
    super::rollups::open_cash(tx, available_at, amount_cents).await
}

/// Keys of the payouts created since `since` (the current periods' payouts).
pub async fn keys_since<'e>(
    ex: impl Executor<'e, Database = Any>,
    since: i64,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("select idempotency_key from payouts where created_at >= $1")
        .bind(since)
        .fetch_all(ex)
        .await
}

/// Whether a payout with this key exists (one partner's current period).
pub async fn key_taken<'e>(ex: impl Executor<'e, Database = Any>, key: &str) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("select 1 from payouts where idempotency_key = $1")
        .bind(key)
        .fetch_optional(ex)
        .await?;
    Ok(found.is_some())
}

pub struct NewPayout<'a> {
    pub id: &'a str,
    pub partner_id: &'a str,
    pub run_id: Option<&'a str>,
    pub method: &'a str,
    pub status: &'a str,
    pub period: &'a str,
    pub key: &'a str,
}

/// Inserts each payout with its amount: the sum of its partner's open entries available at
/// `now`, read in the batch's one snapshot (`Db::begin_snapshot`), so it is exactly what
/// [`gather`] moves. A period whose key is taken inserts nothing. Returns (id, amount) of
/// the payouts inserted.
pub async fn create(
    tx: &mut super::Tx,
    backend: Backend,
    payouts: &[NewPayout<'_>],
    now: i64,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    if payouts.is_empty() {
        return Ok(Vec::new());
    }
    // `now` comes first in the text (SQLite's `?` bind in order), then 8 values a row:
    // id, partner, run, method, status, period, key, created_at.
    let rows: Vec<String> =
        (0..payouts.len()).map(|r| format!("({})", placeholders(backend, r * 8 + 2, 8))).collect();
    let sql = format!(
        "insert into payouts (id, partner_id, run_id, amount_cents, currency, method, status, period, \
         idempotency_key, created_at) \
         select v.column1, v.column2, v.column3, \
         (select cast(coalesce(sum(o.amount_cents), 0) as bigint) from open_entries o \
          where o.partner_id = v.column2 and o.available_at <= {}), \
         'USD', v.column4, v.column5, v.column6, v.column7, v.column8 \
         from (values {}) v where true on conflict (idempotency_key) do nothing returning id, amount_cents",
        placeholders(backend, 1, 1),
        rows.join(", ")
    );
    let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(now);
    for p in payouts {
        query = query
            .bind(p.id)
            .bind(p.partner_id)
            .bind(p.run_id)
            .bind(p.method)
            .bind(p.status)
            .bind(p.period)
            .bind(p.key)
            .bind(now);
    }
    query.fetch_all(&mut **tx).await
}

/// Puts every open entry available at `now` of each payout's partner into that payout
/// (positive entries and clawbacks alike), counts each payout's items onto it, and takes
/// them out of the open set (and their cash out of its hours, `rollups`); then rewrites the
/// partners' paid periods, which their new payouts changed. A few statements for the whole
/// batch, reading the snapshot [`create`] summed.
pub async fn gather(
    tx: &mut super::Tx,
    backend: Backend,
    payouts: &[(&str, &str)],
    now: i64,
) -> Result<(), sqlx::Error> {
    if payouts.is_empty() {
        return Ok(());
    }
    let insert = format!(
        "insert into payout_items (payout_id, commission_id, amount_cents) \
         select p.id, o.commission_id, o.amount_cents from payouts p \
         join open_entries o on o.partner_id = p.partner_id and o.available_at <= {} \
         where p.id in ({})",
        placeholders(backend, 1, 1),
        placeholders(backend, 2, payouts.len())
    );
    let payout_ids: Vec<&str> = payouts.iter().map(|(payout_id, _)| *payout_id).collect();
    let query = sqlx::query(sqlx::AssertSqlSafe(insert)).bind(now);
    super::bind_each(query, &payout_ids).execute(&mut **tx).await?;
    let count = format!(
        "update payouts set item_count = (select count(*) from payout_items i where i.payout_id = payouts.id) \
         where id in ({})",
        placeholders(backend, 1, payouts.len())
    );
    super::bind_each(sqlx::query(sqlx::AssertSqlSafe(count)), &payout_ids).execute(&mut **tx).await?;
    let partner_ids: Vec<&str> = payouts.iter().map(|(_, partner_id)| *partner_id).collect();
    super::rollups::gather_open_cash(tx, backend, &partner_ids, now).await?;
    let delete = format!(
        "delete from open_entries where available_at <= {} and partner_id in ({})",
        placeholders(backend, 1, 1),
        placeholders(backend, 2, payouts.len())
    );
    let query = sqlx::query(sqlx::AssertSqlSafe(delete)).bind(now);
    super::bind_each(query, &partner_ids).execute(&mut **tx).await?;
    super::rollups::refresh_paid_periods(tx, backend, &partner_ids).await
}

/// The rows of `payout_lease`: one holder at a time per kind of work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lease {
    /// Creating payouts (a run).
    Run = 1,
    /// Sending payouts through their rails (the dispatcher).
    Dispatch = 2,
}

/// Takes `lease` for `holder` until `until`, only if it is free or expired.
pub async fn claim_lease<'e>(
    ex: impl Executor<'e, Database = Any>,
    lease: Lease,
    holder: &str,
    now: i64,
    until: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update payout_lease set holder = $1, expires_at = $2 \
         where id = $3 and (holder is null or expires_at <= $4)",
    )
    .bind(holder)
    .bind(until)
    .bind(lease as i64)
    .bind(now)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Extends `lease` while `holder` still has it; false when it has lost it.
pub async fn renew_lease<'e>(
    ex: impl Executor<'e, Database = Any>,
    lease: Lease,
    holder: &str,
    until: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("update payout_lease set expires_at = $1 where id = $2 and holder = $3")
        .bind(until)
        .bind(lease as i64)
        .bind(holder)
        .execute(ex)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn release_lease<'e>(
    ex: impl Executor<'e, Database = Any>,
    lease: Lease,
    holder: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("update payout_lease set holder = null, expires_at = 0 where id = $1 and holder = $2")
        .bind(lease as i64)
        .bind(holder)
        .execute(ex)
        .await?;
    Ok(())
}

/// Records a new run; runs left `running` by a crashed runner (whose lease this runner
/// now holds) are marked abandoned.
pub async fn start_run(
    tx: &sqlx::AnyPool,
    id: &str,
    started_from: &str,
    started_by: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("update payout_runs set status = 'abandoned' where status = 'running'").execute(tx).await?;
    sqlx::query(
        "insert into payout_runs (id, started_from, started_by, status, started_at) \
         values ($1, $2, $3, 'running', $4)",
    )
    .bind(id)
    .bind(started_from)
    .bind(started_by)
    .bind(now)
    .execute(tx)
    .await?;
    Ok(())
}

/// Closes the run with figures counted from its payouts (not from the runner's memory).
pub async fn finish_run<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    skipped: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update payout_runs set status = 'finished', finished_at = $1, skipped = $2, \
         payouts_created = (select count(*) from payouts where run_id = $3), \
         total_cents = (select cast(coalesce(sum(amount_cents), 0) as bigint) from payouts where run_id = $3) \
         where id = $3",
    )
    .bind(now)
    .bind(skipped)
    .bind(id)
    .execute(ex)
    .await?;
    Ok(())
}

/// Marks a pending or processing payout paid. False when it was not (already paid, failed).
pub async fn mark_paid<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    reference: &str,
    admin_id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update payouts set status = 'paid', external_reference = $1, decided_by = $2, paid_at = $3 \
         where id = $4 and status in ('pending', 'processing')",
    )
    .bind(reference)
    .bind(admin_id)
    .bind(now)
    .bind(id)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks a pending or processing payout failed; the caller releases its items.
pub async fn mark_failed<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    reason: &str,
    admin_id: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update payouts set status = 'failed', failure_reason = $1, decided_by = $2, failed_at = $3 \
         where id = $4 and status in ('pending', 'processing')",
    )
    .bind(reason)
    .bind(admin_id)
    .bind(now)
    .bind(id)
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A failed payout's entries go back to the balance (the open set). Releasing twice
/// changes nothing: only live items move.
pub async fn release_items(tx: &mut super::Tx, payout_id: &str) -> Result<(), sqlx::Error> {
    super::rollups::release_open_cash(tx, payout_id).await?;
    sqlx::query(
        "insert into open_entries (commission_id, partner_id, amount_cents, available_at) \
         select c.id, c.partner_id, c.amount_cents, c.available_at from payout_items i \
         join commissions c on c.id = i.commission_id where i.payout_id = $1 and i.released = 0",
    )
    .bind(payout_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("update payout_items set released = 1 where payout_id = $1 and released = 0")
        .bind(payout_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct PayoutRow {
    pub id: String,
    pub partner_id: String,
    pub partner_name: String,
    pub run_id: Option<String>,
    pub amount_cents: i64,
    pub currency: String,
    pub method: String,
    pub status: crate::domain::roles::PayoutStatus,
    pub period: String,
    pub external_reference: Option<String>,
    pub failure_reason: Option<String>,
    pub created_at: i64,
    pub paid_at: Option<i64>,
    pub items: i64,
}

/// The columns of a [`PayoutRow`], of the payout `po` and its partner `p`.
#[macro_export]
macro_rules! payout_columns {
    () => {
        "po.id, po.partner_id, p.name as partner_name, po.run_id, po.amount_cents, po.currency, \
         po.method, po.status, po.period, po.external_reference, po.failure_reason, po.created_at, \
         po.paid_at, po.item_count as items "
    };
}

macro_rules! payout_rows {
    ($where:literal) => {
        concat!(
            "select ",
            payout_columns!(),
            "from payouts po join partners p on p.id = po.partner_id ",
            $where
        )
    };
}

pub async fn payout<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
) -> Result<Option<PayoutRow>, sqlx::Error> {
    sqlx::query_as(payout_rows!("where po.id = $1")).bind(id).fetch_optional(ex).await
}

/// A page of payouts (`$1` status, `$2` run, `$3` limit, `$4` offset), read newest first
/// from the index by creation and stopped at the page (each row's item count is stored on
/// it, so nothing is computed for rows the page skips).
pub const PAGE_SQL: &str = payout_rows!(
    "where ($1 is null or po.status = $1) and ($2 is null or po.run_id = $2) \
     order by po.created_at desc, po.id desc limit $3 offset $4"
);

/// A page of payouts, newest first, optionally one status or one run.
pub async fn page<'e>(
    ex: impl Executor<'e, Database = Any>,
    status: Option<&str>,
    run_id: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<Vec<PayoutRow>, sqlx::Error> {
    sqlx::query_as(PAGE_SQL).bind(status).bind(run_id).bind(limit).bind(offset).fetch_all(ex).await
}

#[derive(Debug, Clone, FromRow)]
pub struct ItemRow {
    pub commission_id: String,
    pub amount_cents: i64,
    pub workspace_name: String,
    pub plan_name: String,
    pub period: i64,
    pub reverses_id: Option<String>,
    pub created_at: i64,
}

pub async fn items<'e>(
    ex: impl Executor<'e, Database = Any>,
    payout_id: &str,
) -> Result<Vec<ItemRow>, sqlx::Error> {
    sqlx::query_as(
        "select c.id as commission_id, i.amount_cents, w.name as workspace_name, pl.name as plan_name, \
         c.period, c.reverses_id, c.created_at from payout_items i \
         join commissions c on c.id = i.commission_id join workspaces w on w.id = c.workspace_id \
         join plans pl on pl.id = c.plan_id where i.payout_id = $1 order by c.created_at, c.id",
    )
    .bind(payout_id)
    .fetch_all(ex)
    .await
}

#[derive(Debug, Clone, FromRow)]
pub struct RunRow {
    pub id: String,
    pub started_from: String,
    pub status: String,
    pub payouts_created: i64,
    pub total_cents: i64,
    pub skipped: i64,
    pub failed: i64,
    pub started_at: i64,
    pub finished_at: Option<i64>,
}

const RUN_COLUMNS: &str = "select r.id, r.started_from, r.status, r.payouts_created, r.total_cents, r.skipped, \
     (select count(*) from payouts po where po.run_id = r.id and po.status = 'failed') as failed, \
     r.started_at, r.finished_at from payout_runs r ";

pub async fn run<'e>(ex: impl Executor<'e, Database = Any>, id: &str) -> Result<Option<RunRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{RUN_COLUMNS} where r.id = $1")))
        .bind(id)
        .fetch_optional(ex)
        .await
}

pub async fn runs<'e>(
    ex: impl Executor<'e, Database = Any>,
    limit: i64,
    offset: i64,
) -> Result<Vec<RunRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{RUN_COLUMNS} order by r.started_at desc, r.id desc limit $1 offset $2"
    )))
    .bind(limit)
    .bind(offset)
    .fetch_all(ex)
    .await
}

/// Bank transfer lines of one run: partner, amount and the partner's bank details.
#[derive(Debug, Clone, FromRow)]
pub struct BankLine {
    pub payout_id: String,
    pub partner_name: String,
    pub amount_cents: i64,
    pub currency: String,
    pub payout_details: Option<String>,
    pub status: String,
}

pub async fn bank_lines<'e>(
    ex: impl Executor<'e, Database = Any>,
    run_id: &str,
) -> Result<Vec<BankLine>, sqlx::Error> {
    sqlx::query_as(
        "select po.id as payout_id, p.name as partner_name, po.amount_cents, po.currency, p.payout_details, po.status \
         from payouts po join partners p on p.id = po.partner_id \
         where po.run_id = $1 and po.method = 'bank' order by p.name, po.id",
    )
    .bind(run_id)
    .fetch_all(ex)
    .await
}

/// Demo data only (seed.rs): a partner's threshold and hold, recurring for 12 months, until
/// the partner settings pages edit them.
pub async fn set_demo_terms<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner_id: &str,
    threshold_cents: i64,
    hold_days: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update partners set payout_threshold_cents = $1, hold_days = $2, recurring = 1, \
         recurring_months = 12 where id = $3",
    )
    .bind(threshold_cents)
    .bind(hold_days)
    .bind(partner_id)
    .execute(ex)
    .await?;
    Ok(())
}
