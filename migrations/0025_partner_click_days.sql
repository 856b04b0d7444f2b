-- Clicks per partner and UTC day, kept like click_hours (server/db/rollups.rs): the daily
-- chart of a partner (portal home, Portal -> Analytics, the admin partner page) counted the
-- partner's clicks of the last 30 days one by one (20,000 for the volume bench's busiest
-- partner at its large scale).
create table partner_click_days (
  partner_id text not null,
  day_ms bigint not null,
  clicks bigint not null,
  primary key (partner_id, day_ms)
);

insert into partner_click_days (partner_id, day_ms, clicks)
select partner_id, created_at / 86400000 * 86400000, count(*) from clicks group by 1, 2;
