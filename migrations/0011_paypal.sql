-- PayPal Payouts (issue #12): a payout's attempts on PayPal travel in batches. Each batch
-- is recorded (with its sender_batch_id, unique, and the request id it is always sent
-- with) before it is sent; PayPal's payout_batch_id is added once an answer names it.
-- An attempt row names its batch; its transfer_id is then the PayPal payout item id.
create table paypal_batches (
  sender_batch_id text primary key,
  run_id text not null,
  attempt bigint not null,
  payout_batch_id text,
  created_at bigint not null
);
alter table payout_attempts add column batch_id text;
create index payout_attempts_by_batch on payout_attempts (batch_id);
-- The receiver an attempt was sent to: a batch is always resent exactly as first sent.
alter table payout_attempts add column receiver text;
