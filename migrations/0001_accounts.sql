-- Portable schema: runs unchanged on SQLite and Postgres.
-- Ids are text generated in Rust (UUIDv7), timestamps are unix milliseconds (bigint),
-- flags are bigint 0/1 (sqlx's Any driver decodes booleans differently per backend).

create table users (
  id text primary key,
  email text not null unique,
  password_hash text not null,
  is_platform_admin bigint not null default 0,
  created_at bigint not null
);

create table sessions (
  token_hash text primary key,
  user_id text not null references users(id) on delete cascade,
  created_at bigint not null,
  expires_at bigint not null
);
create index sessions_by_user on sessions (user_id);

create table workspaces (
  id text primary key,
  name text not null,
  kind text not null,
  tier text not null default 'standard',
  sub_account_cap bigint,
  parent_id text references workspaces(id),
  created_at bigint not null
);

create table members (
  workspace_id text not null references workspaces(id) on delete cascade,
  user_id text not null references users(id) on delete cascade,
  role text not null,
  created_at bigint not null,
  primary key (workspace_id, user_id)
);
create index members_by_user on members (user_id);
