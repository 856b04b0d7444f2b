-- Each partner's referred workspaces whose subscription is ACTIVE: how many and their
-- monthly price, kept like the ledger totals (server/db/rollups.rs) by the one writer of
-- subscriptions and of referrals. The overview's MRR passed over every active subscription
-- (33,000 in the volume bench) and a partner's stats looked up each of its referrals'
-- subscriptions (5,000 for the busiest partner).
create table partner_subscription_totals (
  partner_id text primary key,
  active bigint not null,
  mrr_cents bigint not null
);

insert into partner_subscription_totals (partner_id, active, mrr_cents)
select r.partner_id, count(*), cast(sum(pl.price_monthly_cents) as bigint)
from referrals r
join subscriptions s on s.workspace_id = r.workspace_id
join plans pl on pl.id = s.plan_id
where s.status = 'ACTIVE'
group by r.partner_id;
