-- Volume (issue #14). A payout's item count was counted from its items on every list and
-- detail read: the volume bench's busiest partner has one payout of 50,000 items. Items
-- are written once, when a payout gathers its entries (`payouts::gather`), and never
-- removed (a failed payout's items are marked released, and still listed), so the count
-- is written then, beside them.
alter table payouts add column item_count bigint not null default 0;
update payouts set item_count = (select count(*) from payout_items i where i.payout_id = payouts.id);

-- The activity feed's newest paid payouts: read newest first and stop, instead of every
-- paid payout sorted.
create index payouts_by_status_paid on payouts (status, paid_at);

-- The window's conversions per partner (the overview's top partners) from the index alone.
drop index referrals_by_converted;
create index referrals_by_converted on referrals (converted_at, partner_id);
