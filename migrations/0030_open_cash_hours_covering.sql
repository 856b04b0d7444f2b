-- The overview's sum of the open cash per release hour from the index alone.
create index open_cash_hours_cents on open_cash_hours (hour_ms, cents);
