-- Payout lists are newest first with the id as the tie-breaker (`created_at desc, id desc`),
-- and every payout of one run shares its `created_at`: with an index on `created_at` alone
-- a page sorted the whole run's payouts (10,000 in the payout bench) to find 25. This index
-- holds the full order, so a page reads its 25 entries.
create index payouts_by_created_id on payouts (created_at, id);
drop index payouts_by_created;
