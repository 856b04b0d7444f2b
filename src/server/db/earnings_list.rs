//! One partner's ledger entries as a list (Portal → Earnings, the admin partner page's
//! ledger): where each entry stands now, a state and a kind filter, a search over the
//! tenant's name, newest first, a page and its count. `$2` is always the partner.
use super::AnyQueryAs;
use sqlx::{Any, Executor};

use crate::domain::payouts::{CommissionKind, EntryState};
use crate::model::list::ListQuery;
use crate::server::db::ledger::LedgerRecord;

/// Where an entry stands at `$1` (now): a reversal reads `reversed`; an earning is paid,
/// in a payout, on hold until its release date, or available (as `ledger::state_at_now!`).
macro_rules! entry_state {
    () => {
        "(case when c.reverses_id is not null then 'reversed' when po.status = 'paid' then 'paid' \
         when po.status in ('pending', 'processing') then 'in_payout' \
         when c.available_at > $1 then 'on_hold' else 'available' end)"
    };
}

/// `$3` = the state, `$4` = the kind, `$5` = the search pattern (each '' for all), `$6`..`$7`
/// = the window on the entry's creation. `$partner` is how `$2` applies: one partner's
/// list always binds it (its index leads); the admin's list binds '' for every partner.
macro_rules! entries_where {
    ($partner:expr) => {
        concat!(
            " from commissions c join partners p on p.id = c.partner_id \
             join workspaces w on w.id = c.workspace_id join plans pl on pl.id = c.plan_id ",
            crate::balance_joins!(),
            "where ",
            $partner,
            " and c.created_at >= $6 and c.created_at < $7 and ($3 = '' or ",
            entry_state!(),
            " = $3) and ($4 = '' or c.kind = $4) \
             and ($5 = '' or lower(w.name) like $5 escape '\\' or lower(p.name) like $5 escape '\\') "
        )
    };
}

macro_rules! entries_page {
    ($partner:expr, $order:literal) => {
        concat!(
            "select c.id, c.partner_id, p.name as partner_name, w.name as workspace_name, \
             pl.name as plan_name, c.kind, c.amount_cents, c.rule_source, c.rule_kind, c.rule_value, ",
            entry_state!(),
            " as status, c.created_at, po.paid_at, c.available_at, c.period, c.reverses_id, \
             po.id as payout_id",
            entries_where!($partner),
            "order by ",
            $order,
            " limit $8 offset $9"
        )
    };
}

/// How `$2` (the partner, or '' for every partner) picks the rows. A cash entry on hold or
/// available is an open one (no live payout holds it) on either side of its release date,
/// so with those state filters and the cash kind the rows come from the open set's index
/// (what is unpaid), not from the state of every entry the partner ever had; the state
/// condition still applies, and excludes reversals. Credit entries are never in the open
/// set, so without the cash filter the list reads the partner's entries.
macro_rules! lead {
    (partner) => {
        "c.partner_id = $2"
    };
    (program) => {
        "($2 = '' or c.partner_id = $2)"
    };
    (partner, on_hold) => {
        "c.id in (select o.commission_id from open_entries o where o.partner_id = $2 and o.available_at > $1)"
    };
    (partner, available) => {
        "c.id in (select o.commission_id from open_entries o where o.partner_id = $2 and o.available_at <= $1)"
    };
    (program, on_hold) => {
        "c.id in (select o.commission_id from open_entries o where ($2 = '' or o.partner_id = $2) \
         and o.available_at > $1)"
    };
    (program, available) => {
        "c.id in (select o.commission_id from open_entries o where ($2 = '' or o.partner_id = $2) \
         and o.available_at <= $1)"
    };
}

/// The page and count SQL for each way of picking rows.
macro_rules! page_and_count {
    ($($lead:tt)+) => {
        (
            entries_page!(lead!($($lead)+), "c.created_at desc, c.id desc"),
            entries_page!(lead!($($lead)+), "c.created_at, c.id"),
            concat!("select count(*)", entries_where!(lead!($($lead)+))),
        )
    };
}

/// (newest first, oldest first, count) for a list and its filters.
fn statements(whose: Whose<'_>, f: EntryFilter) -> (&'static str, &'static str, &'static str) {
    let state = f.state.filter(|_| f.kind == Some(CommissionKind::Cash));
    match (whose, state) {
        (Whose::Partner(_), Some(EntryState::OnHold)) => page_and_count!(partner, on_hold),
        (Whose::Partner(_), Some(EntryState::Available)) => page_and_count!(partner, available),
        (Whose::Partner(_), _) => (PAGE_SQL, entries_page!(lead!(partner), "c.created_at, c.id"), COUNT_SQL),
        (Whose::Program, Some(EntryState::OnHold)) => page_and_count!(program, on_hold),
        (Whose::Program, Some(EntryState::Available)) => page_and_count!(program, available),
        (Whose::Program, _) => {
            (ALL_PAGE_SQL, entries_page!(lead!(program), "c.created_at, c.id"), ALL_COUNT_SQL)
        }
    }
}

/// One partner's default page, newest first (`$1` now, `$2` partner, `$3` state, `$4` kind,
/// `$5` search, `$6`–`$7` window, `$8` limit, `$9` offset).
pub const PAGE_SQL: &str = entries_page!(lead!(partner), "c.created_at desc, c.id desc");
/// The count behind the pages (`$1`–`$7` as the page).
pub const COUNT_SQL: &str = concat!("select count(*)", entries_where!(lead!(partner)));
/// Every partner's entries (Admin → Commissions), `$2` one partner or ''.
pub const ALL_PAGE_SQL: &str = entries_page!(lead!(program), "c.created_at desc, c.id desc");
pub const ALL_COUNT_SQL: &str = concat!("select count(*)", entries_where!(lead!(program)));
/// Portal → Payouts' held list (`$3` = 'on_hold'), from the open set.
pub const HELD_PAGE_SQL: &str = page_and_count!(partner, on_hold).0;

/// The filters of the list, parsed.
#[derive(Debug, Clone, Copy, Default)]
pub struct EntryFilter {
    pub state: Option<EntryState>,
    pub kind: Option<CommissionKind>,
}

/// Whose entries a list reads.
#[derive(Debug, Clone, Copy)]
pub enum Whose<'a> {
    /// One partner's own list (the portal, the admin partner page).
    Partner(&'a str),
    /// Every partner's, or the one the admin's `partner` filter names.
    Program,
}

/// Newest first (`oldest` reverses it).
pub async fn page<'e>(
    ex: impl Executor<'e, Database = Any>,
    now: i64,
    whose: Whose<'_>,
    q: &ListQuery,
    f: EntryFilter,
) -> Result<Vec<LedgerRecord>, sqlx::Error> {
    let (newest, oldest, _) = statements(whose, f);
    let sql = if q.sort == "oldest" { oldest } else { newest };
    let (limit, offset) = q.limit_offset();
    bind(sqlx::query_as(sql), now, whose, q, f).bind(limit).bind(offset).fetch_all(ex).await
}

/// The count behind the pages. Without a state filter or a search nothing needs the
/// joins: the entries alone are counted (one index range), and over all time without a
/// kind filter the ledger's per-partner rollup already holds the count.
pub async fn count<'e>(
    ex: impl Executor<'e, Database = Any>,
    now: i64,
    whose: Whose<'_>,
    q: &ListQuery,
    f: EntryFilter,
) -> Result<i64, sqlx::Error> {
    if f.state.is_none() && q.like_pattern().is_empty() {
        return plain_count(ex, &partner_of(whose, q), q, f.kind).await;
    }
    let (_, _, sql) = statements(whose, f);
    let (count,): (i64,) = bind(sqlx::query_as(sql), now, whose, q, f).fetch_one(ex).await?;
    Ok(count)
}

/// Entries of one partner (`$1`; '' for every partner) in all time, from the rollup.
pub const TOTAL_COUNT_SQL: &str = "select cast(coalesce(sum(entries), 0) as bigint) from partner_ledger_totals \
     where partner_id = $1";
pub const ALL_TOTAL_COUNT_SQL: &str =
    "select cast(coalesce(sum(entries), 0) as bigint) from partner_ledger_totals where $1 = ''";
/// Entries of one partner (`$1`) created in `$2`..`$3` of kind `$4` ('' for any).
pub const WINDOW_COUNT_SQL: &str = "select count(*) from commissions c where c.partner_id = $1 \
     and c.created_at >= $2 and c.created_at < $3 and ($4 = '' or c.kind = $4)";
/// The same for every partner (`$1` = '').
pub const ALL_WINDOW_COUNT_SQL: &str = "select count(*) from commissions c where $1 = '' \
     and c.created_at >= $2 and c.created_at < $3 and ($4 = '' or c.kind = $4)";

async fn plain_count<'e>(
    ex: impl Executor<'e, Database = Any>,
    partner: &str,
    q: &ListQuery,
    kind: Option<CommissionKind>,
) -> Result<i64, sqlx::Error> {
    let every = partner.is_empty();
    if q.from.is_none() && q.to.is_none() && kind.is_none() {
        let sql = if every { ALL_TOTAL_COUNT_SQL } else { TOTAL_COUNT_SQL };
        return sqlx::query_scalar(sql).bind(partner).fetch_one(ex).await;
    }
    sqlx::query_scalar(if every { ALL_WINDOW_COUNT_SQL } else { WINDOW_COUNT_SQL })
        .bind(partner)
        .bind(q.from.unwrap_or(0))
        .bind(q.to.unwrap_or(i64::MAX))
        .bind(kind.map(CommissionKind::as_str).unwrap_or(""))
        .fetch_one(ex)
        .await
}

/// The partner a list reads: its own, or the admin's `partner` filter ('' for all).
fn partner_of(whose: Whose<'_>, q: &ListQuery) -> String {
    match whose {
        Whose::Partner(id) => id.to_string(),
        Whose::Program => q.partner.clone(),
    }
}

fn bind<'q, O>(
    query: AnyQueryAs<'q, O>,
    now: i64,
    whose: Whose<'_>,
    q: &ListQuery,
    f: EntryFilter,
) -> AnyQueryAs<'q, O> {
    query
        .bind(now)
        .bind(partner_of(whose, q))
        .bind(f.state.map(EntryState::as_str).unwrap_or(""))
        .bind(f.kind.map(CommissionKind::as_str).unwrap_or(""))
        .bind(q.like_pattern())
        .bind(q.from.unwrap_or(0))
        .bind(q.to.unwrap_or(i64::MAX))
}
