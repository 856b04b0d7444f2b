-- The admin overview reads time windows of these tables (server/db/overview.rs) and the
-- admin lists filter by them: each window is an index range, not a table scan.
create index clicks_by_created on clicks (created_at);
create index referrals_by_created on referrals (created_at);
create index referrals_by_converted on referrals (converted_at);
create index commissions_by_created on commissions (created_at);
create index invoices_by_created on invoices (created_at);
create index payouts_by_paid on payouts (paid_at);
create index partner_state_changes_by_created on partner_state_changes (created_at);
create index partners_by_status on partners (status);
create index workspaces_by_created on workspaces (created_at);
