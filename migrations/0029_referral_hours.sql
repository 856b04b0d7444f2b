-- Signups and conversions per hour, kept like click_hours (server/db/rollups.rs): the
-- overview's window figures and daily chart counted the window's referrals one by one
-- (8,000 signups and 2,700 conversions a month at the volume bench's large scale).
create table referral_hours (
  hour_ms bigint primary key,
  signups bigint not null,
  conversions bigint not null
);

insert into referral_hours (hour_ms, signups, conversions)
select hour_ms, sum(signups), sum(conversions) from (
  select created_at / 3600000 * 3600000 as hour_ms, 1 as signups, 0 as conversions from referrals
  union all
  select converted_at / 3600000 * 3600000, 0, 1 from referrals where converted_at is not null
) r group by hour_ms;
