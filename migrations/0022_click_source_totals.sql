-- Clicks per referral code and per listing, kept like click_hours (server/db/rollups.rs):
-- the analytics tables of a partner (Portal → Analytics, the admin partner page) counted
-- every click of each code through an index, 250,000 for the bench's busiest partner.
create table code_clicks (
  code_id text primary key,
  clicks bigint not null
);

create table listing_clicks (
  listing_id text primary key,
  clicks bigint not null
);

insert into code_clicks (code_id, clicks)
select code_id, count(*) from clicks where code_id is not null group by code_id;

insert into listing_clicks (listing_id, clicks)
select listing_id, count(*) from clicks where listing_id is not null group by listing_id;
