-- Invite codes, platform credits and the mail outbox (issue 9).

-- Per-workspace platform credits (1 credit = 1 cent of platform value). Append-only: the
-- balance is the sum of the entries, never a stored counter. One cause grants once: its
-- idempotency key is unique.
create table credit_entries (
  id text primary key,
  workspace_id text not null references workspaces(id),
  kind text not null,
  amount bigint not null,
  cause_type text not null,
  cause_id text,
  reason text,
  created_by text references users(id),
  idempotency_key text not null unique,
  created_at bigint not null
);
create index credit_entries_by_workspace on credit_entries (workspace_id, created_at);

-- What each flavor grants by default (admin-editable). For personal codes the caps bound
-- what a workspace owner may choose.
create table invite_flavor_settings (
  flavor text primary key,
  invitee_credits bigint not null,
  inviter_credits bigint not null,
  max_uses_cap bigint not null,
  max_credits_cap bigint not null,
  active_per_workspace bigint not null,
  updated_by text references users(id),
  updated_at bigint not null default 0
);
insert into invite_flavor_settings (flavor, invitee_credits, inviter_credits, max_uses_cap, max_credits_cap, active_per_workspace)
values ('personal', 500, 500, 25, 2000, 5),
       ('beta', 2000, 0, 1000000, 1000000, 0),
       ('free', 1000, 0, 1000000, 1000000, 0),
       ('og', 5000, 0, 1000000, 1000000, 0),
       ('partner', 0, 0, 1000000, 1000000, 0);

-- `code_key` is the normalised form (`BETA-7KQ4M2X9`), the only unique one. `uses` only
-- changes through one conditional update in the redemption's transaction.
create table invite_codes (
  id text primary key,
  code text not null,
  code_key text not null unique,
  flavor text not null,
  max_uses bigint,
  uses bigint not null default 0,
  invitee_credits bigint not null,
  inviter_credits bigint not null,
  expires_at bigint,
  metadata text not null default '{}',
  owner_user_id text references users(id),
  owner_workspace_id text references workspaces(id),
  minted_by text references users(id),
  disabled_at bigint,
  disabled_by text references users(id),
  created_at bigint not null
);
create index invite_codes_by_owner on invite_codes (owner_workspace_id);
create index invite_codes_by_flavor on invite_codes (flavor, created_at);

create table invite_redemptions (
  id text primary key,
  code_id text not null references invite_codes(id),
  workspace_id text not null references workspaces(id),
  user_id text not null references users(id),
  flavor text not null,
  invitee_credits bigint not null,
  inviter_credits bigint not null,
  created_at bigint not null,
  unique (code_id, workspace_id)
);
-- One beta, one free and one OG redemption per workspace, whichever codes.
create unique index invite_redemptions_once_per_flavor on invite_redemptions (workspace_id, flavor)
  where flavor in ('beta', 'free', 'og');
create index invite_redemptions_by_workspace on invite_redemptions (workspace_id);

-- Who registered carrying a code (the first step of an invitee's progress).
create table invite_signups (
  code_id text not null references invite_codes(id),
  user_id text not null references users(id),
  created_at bigint not null,
  primary key (code_id, user_id)
);

-- Outgoing mail, written in the transaction that decides to send it and delivered by the
-- background sender (claimed by a conditional update). One row per message and address.
create table outbox (
  id text primary key,
  idempotency_key text not null unique,
  to_address text not null,
  subject text not null,
  body text not null,
  status text not null,
  attempts bigint not null default 0,
  next_attempt_at bigint not null,
  claimed_until bigint,
  last_error text,
  delivered_at bigint,
  created_at bigint not null
);
create index outbox_due on outbox (status, next_attempt_at);
