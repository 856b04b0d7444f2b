-- Each partner's open cash per release day (server/db/rollups.rs), kept by the open set's
-- writers like open_cash_hours: a partner's on-hold and available balances summed every
-- open entry of the partner (5,500 for the volume bench's busiest partner at its large
-- scale, three times on Admin -> Payouts' held list). Now they read the partner's days
-- before and after today from here and only today's entries from the open set.
create table partner_open_days (
  partner_id text not null,
  day_ms bigint not null,
  cents bigint not null,
  primary key (partner_id, day_ms)
);

insert into partner_open_days (partner_id, day_ms, cents)
select partner_id, available_at / 86400000 * 86400000, sum(amount_cents) from open_entries
group by 1, 2 having sum(amount_cents) <> 0;

-- Covering, so a partner's sums (and the overview's hours) read only the index.
create index partner_open_days_cents on partner_open_days (partner_id, day_ms, cents);
create index open_cash_hours_cents on open_cash_hours (hour_ms, cents);
