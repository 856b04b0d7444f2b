-- A partner's totals (Admin → partner detail, the review queue's stats, Portal → home and
-- payouts) sum its ledger and count its referrals. With the amounts, statuses and the
-- converted time in the index those sums read the index alone instead of looking up every
-- row (at 50,000 entries for one partner, most of the page's time). The two indexes are
-- widened rather than joined by new ones: SQLite, without statistics, kept choosing the
-- older, narrower index on the same leading columns.
drop index commissions_by_partner_kind;
create index commissions_by_partner_kind on commissions (partner_id, kind, available_at, status, amount_cents);
drop index referrals_by_partner;
create index referrals_by_partner on referrals (partner_id, converted_at, workspace_id);
