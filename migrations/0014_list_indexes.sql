-- The lists (issue #13) read a page in their default order: each order below is an index
-- range, so a page costs its 25 rows and not a sort of the whole partner's history.
create index referrals_by_partner_created on referrals (partner_id, created_at);
create index commissions_by_partner_created on commissions (partner_id, created_at);
create index payouts_by_status_created on payouts (status, created_at);
create index partners_by_created on partners (created_at);
