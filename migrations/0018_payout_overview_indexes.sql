-- Admin → Payouts reads its lists in partner-name order with a limit (no sort of every
-- partner), and finds partners that can be below zero from their clawback entries alone.
create index partners_by_name on partners (name, id);
create index open_entries_clawbacks on open_entries (partner_id, amount_cents) where amount_cents < 0;
-- (amount_cents is in the key so SQLite, without statistics, prefers this index over
-- open_entries_by_partner for "has a clawback" probes.)
