//! The integration tests: one binary (one link instead of one per area), each area a
//! module. Every test starts the real app through `common::spawn_app()` on the database
//! `TEST_DATABASE_URL` names (SQLite when unset).
#![cfg(feature = "ssr")]

mod common;

mod accounts;
mod attribution;
mod claims;
mod crash;
mod dashboard;
mod domains;
mod hardening;
mod invites;
mod isolation;
mod lifecycle;
mod lists;
mod mail;
mod payouts;
mod payouts_bench;
mod paypal;
mod program;
mod rails;
mod rendering;
mod volume_bench;
