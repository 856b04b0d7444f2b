-- Attribution across the funnel: marketplace listings and share links, the click log,
-- API tokens for white-label clients, and custom domains with branding.

create table listings (
  id text primary key,
  partner_id text not null references partners(id) on delete cascade,
  slug text not null unique,
  title text not null,
  description text not null,
  price_cents bigint not null,
  published_at bigint,
  created_at bigint not null,
  updated_at bigint not null
);
create index listings_by_partner on listings (partner_id);

-- Share tokens are public link ids (like referral codes), not secrets: kept as they are
-- so the creator can copy a link again.
create table share_links (
  token text primary key,
  listing_id text not null references listings(id) on delete cascade,
  created_at bigint not null
);
create index share_links_by_listing on share_links (listing_id);

create table clicks (
  id text primary key,
  partner_id text not null references partners(id) on delete cascade,
  code_id text,
  listing_id text,
  share_token text,
  referrer text,
  landing_path text not null,
  ip_hash text not null,
  user_agent_hash text not null,
  created_at bigint not null
);
create index clicks_by_partner on clicks (partner_id, created_at);

alter table referrals add column listing_id text;
alter table referrals add column click_id text;

create table api_tokens (
  id text primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  name text not null,
  token_hash text not null unique,
  created_by text not null references users(id),
  last_used_at bigint,
  revoked_at bigint,
  created_at bigint not null
);
create index api_tokens_by_workspace on api_tokens (workspace_id);

create table custom_domains (
  host text primary key,
  workspace_id text not null references workspaces(id) on delete cascade,
  brand_name text not null,
  brand_color text not null,
  created_at bigint not null
);
