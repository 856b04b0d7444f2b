-- Payout rails (issue #12): every outbound call a rail makes for a payout is one attempt
-- row, keyed by (payout, attempt number) and decided in the transaction that records it;
-- connected Stripe accounts and their status; Stripe webhook events stored once by id;
-- a second lease row (id 2) lets one dispatcher at a time talk to the rails.
create table payout_attempts (
  payout_id text not null references payouts(id),
  attempt bigint not null,
  idempotency_key text not null unique,
  rail text not null,
  outcome text not null,
  transfer_id text,
  detail text,
  created_at bigint not null,
  decided_at bigint,
  primary key (payout_id, attempt)
);
create index payout_attempts_by_transfer on payout_attempts (transfer_id);

create table stripe_accounts (
  partner_id text primary key references partners(id),
  account_id text not null unique,
  details_submitted bigint not null default 0,
  payouts_enabled bigint not null default 0,
  transfers text not null default 'inactive',
  requirements_due text not null default '',
  updated_at bigint not null
);

create table stripe_events (
  id text primary key,
  type text not null,
  account_id text,
  outcome text not null,
  received_at bigint not null
);

insert into payout_lease (id, expires_at) values (2, 0);
