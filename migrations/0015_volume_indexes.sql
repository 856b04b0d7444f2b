-- Indexes the volume bench (tests/it/volume_bench.rs) asked for: each names the query whose
-- plan scanned a large table without one.

-- Admin overview's payouts due (pending or processing) and Admin → Payouts by status: the
-- live payouts, not every payout ever made.
create index payouts_by_status on payouts (status, amount_cents);

-- (A partner's newest referrals read `referrals_by_partner_created` of 0014.)
