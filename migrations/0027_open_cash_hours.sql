-- The open set's cash per release hour, every partner's (server/db/rollups.rs): the admin
-- overview's "next run" figure summed every available open entry of every eligible
-- partner (100,000 at the volume bench's large scale; a sequential scan on Postgres). Now
-- it reads the hours before the current one from here, the current hour's entries from
-- the index below, and takes off what partners outside the payout gate hold (a small set,
-- from the partial index below). Kept by the open set's writers in their transactions:
-- an entry opens (+), a payout gathers entries (-), a failed payout releases them (+).
create table open_cash_hours (
  hour_ms bigint primary key,
  cents bigint not null
);

insert into open_cash_hours (hour_ms, cents)
select available_at / 3600000 * 3600000, sum(amount_cents) from open_entries group by 1
having sum(amount_cents) <> 0;

-- The current hour's open entries, by release time (covering).
create index open_entries_by_release on open_entries (available_at, amount_cents);

-- Partners outside the payout gate (the negation of `eligible_partner!`, term for term).
create index partners_outside_gate on partners (id)
where not (status = 'approved' and approved_at is not null);
