-- Platform-wide program settings (one row, id = 1), edited by platform admins, and the
-- partner columns the payout engine and the partner settings record share.
create table platform_settings (
  id bigint primary key,
  default_commission_kind text not null default 'percent',
  default_commission_value bigint not null default 2000,
  default_credit_bps bigint not null default 0,
  default_recurring bigint not null default 1,
  default_recurring_months bigint default 12,
  default_payout_frequency text not null default 'monthly',
  default_payout_threshold_cents bigint not null default 0,
  default_hold_days bigint not null default 0,
  time_zone text not null default 'UTC',
  reapply_wait_days bigint not null default 30,
  standard_sub_account_cap bigint not null default 0,
  updated_by text references users(id),
  updated_at bigint not null default 0
);
insert into platform_settings (id) values (1);

-- NULL = the platform's default hold.
alter table partners add column hold_days bigint;
-- The payout method's details as JSON (PayPal email, bank holder/account/routing).
alter table partners add column payout_details text;
