-- Balances at volume (issues #11, #14). Which cash entries no live payout holds — the
-- "open" ones, on hold or available — was an anti-join over every entry ever written, so
-- Admin → Payouts and each payout run read the whole ledger. This table is that set, kept
-- in the same transactions that change it (an entry is written: in; a payout gathers it:
-- out; a payout fails or is reversed: back in). Amounts are copies of immutable entry
-- fields; a test compares the set with the anti-join after every kind of change.
create table open_entries (
  commission_id text primary key references commissions(id),
  partner_id text not null,
  amount_cents bigint not null,
  available_at bigint not null
);
-- Covering: the balance sums read only the index.
create index open_entries_by_partner on open_entries (partner_id, available_at, amount_cents);

insert into open_entries (commission_id, partner_id, amount_cents, available_at)
select c.id, c.partner_id, c.amount_cents, c.available_at from commissions c
where c.kind = 'cash'
  and not exists (select 1 from payout_items i where i.commission_id = c.id and i.released = 0);

-- Paid and in-payout totals are sums of payout amounts (each the exact sum of its items).
create index payouts_by_partner_status on payouts (partner_id, status);
