-- The stats pages count clicks and referrals per code and per listing; without these
-- indexes each count scanned the whole click log.
create index clicks_by_code on clicks (code_id);
create index clicks_by_listing on clicks (listing_id);
create index referrals_by_code on referrals (code_id);
create index referrals_by_listing on referrals (listing_id);
