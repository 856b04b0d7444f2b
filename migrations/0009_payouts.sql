-- The earnings and payout engine (issue #11): commission entries gain their hold, their
-- cause and, for a reversal, the entry they reverse; billing events are stored once by
-- id with the invoices they record; payouts gather entries through payout_items, are
-- made by runs, and one runner at a time works under the lease row.
alter table commissions add column available_at bigint not null default 0;
alter table commissions add column invoice_id text;
alter table commissions add column event_id text;
alter table commissions add column reverses_id text;
update commissions set available_at = created_at;
create index commissions_by_partner_kind on commissions (partner_id, kind, available_at);
create index commissions_by_reverses on commissions (reverses_id);
create index commissions_by_referral_period on commissions (referral_id, period);

create table billing_events (
  id text primary key,
  type text not null,
  outcome text not null,
  reason text,
  received_at bigint not null,
  applied_at bigint
);

create table invoices (
  id text primary key,
  workspace_id text not null references workspaces(id),
  referral_id text references referrals(id),
  period bigint not null,
  period_start bigint not null,
  period_end bigint not null,
  amount_cents bigint not null,
  refunded_cents bigint not null default 0,
  currency text not null,
  created_at bigint not null,
  unique (workspace_id, period)
);

create table payout_runs (
  id text primary key,
  started_from text not null,
  started_by text references users(id),
  status text not null,
  payouts_created bigint not null default 0,
  total_cents bigint not null default 0,
  skipped bigint not null default 0,
  started_at bigint not null,
  finished_at bigint
);
create index payout_runs_by_start on payout_runs (started_at);

create table payouts (
  id text primary key,
  partner_id text not null references partners(id),
  run_id text references payout_runs(id),
  amount_cents bigint not null,
  currency text not null,
  method text not null,
  status text not null,
  period text not null,
  idempotency_key text not null unique,
  external_reference text,
  failure_reason text,
  decided_by text references users(id),
  created_at bigint not null,
  paid_at bigint,
  failed_at bigint
);
create index payouts_by_partner on payouts (partner_id, created_at);
create index payouts_by_run on payouts (run_id);
create index payouts_by_created on payouts (created_at);

create table payout_items (
  payout_id text not null references payouts(id),
  commission_id text not null references commissions(id),
  amount_cents bigint not null,
  released bigint not null default 0,
  primary key (payout_id, commission_id)
);
-- An entry is in at most one live (not failed) payout: the database says so.
create unique index payout_items_live on payout_items (commission_id) where released = 0;

create table payout_lease (
  id bigint primary key,
  holder text,
  expires_at bigint not null default 0
);
insert into payout_lease (id, expires_at) values (1, 0);

-- Entries paid by the old tick-box flow become one paid payout each, so balances derived
-- from payouts agree with what was marked paid before.
insert into payouts (id, partner_id, amount_cents, currency, method, status, period, idempotency_key,
  decided_by, created_at, paid_at)
select 'legacy-' || c.id, c.partner_id, c.amount_cents, c.currency, 'manual', 'paid', 'legacy',
  'legacy:' || c.id, c.paid_by, coalesce(c.paid_at, c.created_at), coalesce(c.paid_at, c.created_at)
from commissions c where c.status = 'paid' and c.kind = 'cash';
insert into payout_items (payout_id, commission_id, amount_cents)
select 'legacy-' || c.id, c.id, c.amount_cents from commissions c where c.status = 'paid' and c.kind = 'cash';
