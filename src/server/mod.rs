//! Server-only code: configuration, state, auth, SQL, services and plain routes.
pub mod assets;
pub mod auth;
pub mod billing_webhook;
pub mod capture;
pub mod cli;
pub mod click_journal;
pub mod click_log;
pub mod clock;
pub mod compress;
pub mod config;
pub mod db;
pub mod dns;
pub mod error_status;
pub mod headers;
pub mod logged;
pub mod mail;
pub mod page_cache;
pub mod payout_exports;
pub mod payout_jobs;
pub mod rails;
pub mod referrals_api;
pub mod request;
pub mod request_body;
pub mod same_origin;
pub mod seed;
pub mod seed_rich;
pub mod services;
pub mod startup;
pub mod state;
pub mod stripe_webhook;
pub mod ttl_cache;
pub mod tz;

// One allocator for everything that runs the server (the binary, `bench_server`, the
// tests), so the benchmark measures what deploys. glibc malloc showed up as ~15 % of the
// server's CPU under load (perf, `make bench`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
