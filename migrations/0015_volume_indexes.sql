-- Indexes the volume bench (tests/it/volume_bench.rs) asked for: each names the query whose
-- plan scanned a large table without one.

-- Admin overview's payouts due (pending or processing) and Admin → Payouts by status: the
-- live payouts, not every payout ever made.
create index payouts_by_status on payouts (status, amount_cents);

-- A partner's newest referrals (portal home, Referrals) and its chart's signups since a day:
-- read in order from the index instead of sorting all of the partner's referrals.
create index referrals_by_partner_created on referrals (partner_id, created_at);
