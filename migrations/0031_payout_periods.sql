-- Volume (issue #14). Admin → Payouts' "due now" list probed every partner's current
-- period key, in name order, until it had a page: after a run nobody is due, so it probed
-- all of them (10,000 at the volume bench's large scale). Each partner's latest paid
-- period under its current schedule is kept here (server/db/rollups.rs), so the partners
-- not yet paid this period come from an index: for each schedule, the suffixes before and
-- after the current one ('' = never paid). Rewritten from the payouts by the writers that
-- change it, in their transactions: a partner is created, its schedule changes, a payout
-- batch creates payouts. The schedule is normalised as the runs read it: an unknown one is
-- monthly.
create table payout_periods (
  partner_id text primary key,
  frequency text not null,
  paid_suffix text not null
);

insert into payout_periods (partner_id, frequency, paid_suffix)
select p.id,
  (case when p.payout_frequency in ('weekly', 'quarterly', 'manual') then p.payout_frequency else 'monthly' end),
  coalesce((select ':' || (case when p.payout_frequency in ('weekly', 'quarterly', 'manual') then p.payout_frequency else 'monthly' end)
      || ':' || max(x.period) from payouts x where x.partner_id = p.id
      and x.idempotency_key = 'payout:' || p.id || ':'
        || (case when p.payout_frequency in ('weekly', 'quarterly', 'manual') then p.payout_frequency else 'monthly' end)
        || ':' || x.period), '')
from partners p;

create index payout_periods_by_suffix on payout_periods (frequency, paid_suffix);
