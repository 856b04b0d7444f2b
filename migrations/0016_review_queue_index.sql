-- The review queue on Admin → Partners (db/lifecycle.rs `review_queue_page!`): pending
-- applications first, then suspended, approved, rejected, newest first within each. The
-- index holds that order, so a page of 25 reads 25 entries instead of sorting every partner.
create index partners_by_review on partners (
  (case status when 'pending' then 0 when 'suspended' then 1 when 'approved' then 2 else 3 end),
  created_at desc,
  id
);
