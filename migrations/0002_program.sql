-- The partner referral program: plans, subscriptions, partners, codes, claims,
-- referrals and the commission ledger. Money is integer cents, percent is basis points.

create table plans (
  id text primary key,
  name text not null,
  price_monthly_cents bigint not null,
  currency text not null default 'USD',
  created_at bigint not null
);

create table subscriptions (
  workspace_id text primary key references workspaces(id) on delete cascade,
  plan_id text not null references plans(id),
  status text not null,
  first_activated_at bigint,
  updated_at bigint not null,
  created_at bigint not null
);

create table partners (
  id text primary key,
  workspace_id text not null unique references workspaces(id),
  name text not null,
  contact_email text not null,
  commission_kind text not null,
  commission_value bigint not null,
  credit_bps bigint not null default 0,
  recurring bigint not null default 0,
  recurring_months bigint,
  status text not null default 'active',
  approved_by text references users(id),
  approved_at bigint,
  payout_method text not null default 'manual',
  payout_threshold_cents bigint not null default 0,
  payout_frequency text not null default 'monthly',
  created_at bigint not null
);

create table partner_invitations (
  id text primary key,
  partner_id text not null references partners(id) on delete cascade,
  email text not null,
  invited_by text not null references users(id),
  accepted_at bigint,
  created_at bigint not null,
  unique (partner_id, email)
);
create index partner_invitations_by_email on partner_invitations (email);

create table commission_rules (
  partner_id text not null references partners(id) on delete cascade,
  plan_id text not null references plans(id),
  kind text not null,
  value bigint not null,
  updated_at bigint not null,
  primary key (partner_id, plan_id)
);

create table referral_codes (
  id text primary key,
  partner_id text not null references partners(id) on delete cascade,
  code text not null,
  code_key text not null unique,
  is_default bigint not null default 0,
  disabled_at bigint,
  created_at bigint not null
);
create index referral_codes_by_partner on referral_codes (partner_id);

create table tenant_registrations (
  id text primary key,
  partner_id text not null references partners(id),
  workspace_name text not null,
  plan_id text not null references plans(id),
  intended_email text,
  token_hash text not null unique,
  status text not null,
  expires_at bigint not null,
  workspace_id text references workspaces(id),
  claimed_by text references users(id),
  claimed_at bigint,
  revoked_at bigint,
  created_at bigint not null
);
create index tenant_registrations_by_partner on tenant_registrations (partner_id);

create table referrals (
  id text primary key,
  workspace_id text not null unique references workspaces(id),
  partner_id text not null references partners(id),
  code_id text references referral_codes(id),
  source text not null,
  converted_at bigint,
  created_at bigint not null
);
create index referrals_by_partner on referrals (partner_id);

create table commissions (
  id text primary key,
  partner_id text not null references partners(id),
  referral_id text not null references referrals(id),
  workspace_id text not null references workspaces(id),
  plan_id text not null references plans(id),
  kind text not null,
  amount_cents bigint not null,
  currency text not null,
  rule_source text not null,
  rule_kind text not null,
  rule_value bigint not null,
  period bigint not null,
  status text not null,
  idempotency_key text not null unique,
  paid_at bigint,
  paid_by text references users(id),
  created_at bigint not null
);
create index commissions_by_partner on commissions (partner_id, status);
