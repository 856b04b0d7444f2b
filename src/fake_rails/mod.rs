//! Local stand-ins for the payout rails' APIs (issue #12), for the integration tests and
//! the `make run` demo: they behave like the real APIs where it matters (idempotency,
//! account states, signed webhooks) and misbehave on request (faults).
pub mod stripe;
