-- Volume (issue #14). Each partner's open set in one row: its cash and its first and last
-- release times (server/db/rollups.rs). A partner whose open entries are all released, or
-- all on hold, has its available or held cash here without summing its entries; only a
-- partner with entries on both sides of now sums its released ones (after a run, the few
-- released since), and its held cash is the rest. Admin → Payouts summed every listed
-- partner's entries: the volume bench's busiest partner has 5,000 open ones. Kept by the
-- open set's writers in their transactions: an entry opens, a payout batch gathers a
-- partner's released entries (its row is recounted from what stays open), a failed
-- payout's entries come back.
create table partner_open_cash (
  partner_id text primary key,
  cents bigint not null,
  first_release_at bigint not null,
  last_release_at bigint not null
);

insert into partner_open_cash (partner_id, cents, first_release_at, last_release_at)
select o.partner_id, cast(sum(o.amount_cents) as bigint), min(o.available_at), max(o.available_at)
from open_entries o group by o.partner_id;
