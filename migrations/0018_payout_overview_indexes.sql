-- Admin → Payouts reads its lists in partner-name order with a limit (no sort of every
-- partner), and finds partners that can be below zero from their clawback entries alone.
create index partners_by_name on partners (name, id);
create index open_entries_clawbacks on open_entries (partner_id) where amount_cents < 0;
