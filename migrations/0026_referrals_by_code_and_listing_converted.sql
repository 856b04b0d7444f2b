-- A code's (and a listing's) conversions are counted from the index alone: the analytics
-- table per code read every referral of the code to look at its converted_at (5.9 ms for
-- the volume bench's busiest partner at its large scale). The old single-column indexes
-- are prefixes of these.
create index referrals_by_code_converted on referrals (code_id, converted_at);
create index referrals_by_listing_converted on referrals (listing_id, converted_at);
drop index referrals_by_code;
drop index referrals_by_listing;
