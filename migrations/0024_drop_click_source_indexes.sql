-- Clicks per code and per listing are read from their rollups (0022): no query reads the
-- click log by code or by listing any more, and every landing paid for two more index
-- inserts.
drop index clicks_by_code;
drop index clicks_by_listing;
