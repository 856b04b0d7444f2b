-- Custom domains prove control through DNS before they brand or attribute anything: the
-- partner publishes TXT `_tributary.<host>` = `tributary-verify=<verify_token>` and the host
-- turns active when a check finds it (`verified_at`, unix ms). Until then it is pending.
--
-- Rows from before this migration are unverified (verified_at stays null) and have no token:
-- a random token can't be made portably in SQL, so the service gives each such row one the
-- first time its owner lists domains (`update … where verify_token is null`, so two requests
-- agree on one token). A row without a token is never checked in the background.
alter table custom_domains add column verify_token text;
alter table custom_domains add column verified_at bigint;
alter table custom_domains add column last_checked_at bigint;
alter table custom_domains add column last_error text;
create index custom_domains_pending on custom_domains (verified_at, last_checked_at);
