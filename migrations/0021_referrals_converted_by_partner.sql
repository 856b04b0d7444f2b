-- A partner's converted count (the admin partner page) reads the index alone: with only
-- `referrals_by_partner`, each of the busiest partner's 5,000 referrals was a row read.
create index referrals_by_partner_converted on referrals (partner_id, converted_at);
