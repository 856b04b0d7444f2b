-- The partner lifecycle (DOMAIN decision 17): states pending → approved | rejected,
-- approved ↔ suspended; the application; every state change and settings change
-- recorded; agencies (tier, sub-accounts) and referral earning on workspaces.

-- Yesterday's one state, 'active', is today's 'approved'.
update partners set status = 'approved' where status = 'active';

-- The application (public /partners/apply) and the latest decision, shown to the partner.
alter table partners add column website text;
alter table partners add column promotion text;
alter table partners add column payout_country text;
alter table partners add column applied_by text references users(id);
alter table partners add column status_reason text;
alter table partners add column status_note text;
alter table partners add column status_changed_at bigint;
-- One application per person, even from two tabs at once (NULLs — partners made by an
-- admin or by activation — don't collide, on SQLite and Postgres alike).
create unique index partners_one_application_per_user on partners (applied_by);

-- Every state change: who, when, why. Approving twice records one row (the update that
-- changes the state is conditional on the state it leaves).
create table partner_state_changes (
  id text primary key,
  partner_id text not null references partners(id) on delete cascade,
  from_state text,
  to_state text not null,
  actor_id text references users(id),
  reason_code text,
  note text,
  created_at bigint not null
);
create index partner_state_changes_by_partner on partner_state_changes (partner_id, created_at);

-- Every settings change: who, when, field, before → after (text as shown to people).
create table partner_audit (
  id text primary key,
  partner_id text not null references partners(id) on delete cascade,
  actor_id text references users(id),
  field text not null,
  before_value text,
  after_value text,
  created_at bigint not null
);
create index partner_audit_by_partner on partner_audit (partner_id, created_at);

-- Agencies: referral earning (decision 9) and the sub-accounts a workspace owns. The
-- count is what the cap is checked against in one conditional update.
alter table workspaces add column referral_earning bigint not null default 0;
alter table workspaces add column sub_account_count bigint not null default 0;
create index workspaces_by_parent on workspaces (parent_id);
update workspaces set referral_earning = 1 where id in (select workspace_id from partners);
