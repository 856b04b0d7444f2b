-- The admin overview's MRR and active-referred figures read the active subscriptions only.
-- A partial index, not one on status: with a status index SQLite (without statistics)
-- drove every partner's active-referral count from it; a partial index offers no
-- equality search to be tempted by, only a scan of the active rows.
create index subscriptions_active on subscriptions (workspace_id, plan_id) where status = 'ACTIVE';
