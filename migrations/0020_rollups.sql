-- Volume (issue #14): sums the busiest partner's pages and the admin overview read, kept
-- beside the rows they sum and written in the same transaction as those rows
-- (server/db/rollups.rs). Ledger entries and clicks are never updated or deleted, so each
-- sum only grows by the rows written; a test compares every rollup with the same sum over
-- the raw rows after every kind of write. The backfill below is that sum, once.

-- One partner's ledger: cash earned (not reversals), cash reversed (as a positive
-- amount), credit granted, and how many entries of any kind.
create table partner_ledger_totals (
  partner_id text primary key,
  earned_cents bigint not null,
  reversed_cents bigint not null,
  credit_cents bigint not null,
  entries bigint not null
);

-- Clicks per hour (the hour's first millisecond, UTC): the overview's windows are whole
-- hours, so its click counts read at most 24 rows a day instead of every click.
create table click_hours (
  hour_ms bigint primary key,
  clicks bigint not null
);

-- Cash entries' amounts per hour (reversals included, negative): the overview's
-- commission figures.
create table cash_entry_hours (
  hour_ms bigint primary key,
  cents bigint not null
);

insert into partner_ledger_totals (partner_id, earned_cents, reversed_cents, credit_cents, entries)
select partner_id,
  sum(case when kind = 'cash' and reverses_id is null then amount_cents else 0 end),
  sum(case when kind = 'cash' and reverses_id is not null then -amount_cents else 0 end),
  sum(case when kind = 'credit' then amount_cents else 0 end),
  count(*)
from commissions group by partner_id;

insert into click_hours (hour_ms, clicks)
select created_at / 3600000 * 3600000, count(*) from clicks group by created_at / 3600000 * 3600000;

insert into cash_entry_hours (hour_ms, cents)
select created_at / 3600000 * 3600000, sum(amount_cents) from commissions where kind = 'cash'
group by created_at / 3600000 * 3600000;
