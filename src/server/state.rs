use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use super::auth::Gatekeeper;
use super::auth::limits::PerIp;
use super::click_log::ClickLog;
use super::config::Config;
use super::db::Db;
use super::db::codes::CodeOwner;
use super::dns::Dns;
use super::page_cache::PageCache;
use super::ttl_cache::TtlCache;
use crate::model::types::Branding;

/// Everything a request may need. One `Arc`: every middleware layer clones the state
/// per request, so a clone must be a single reference-count increment.
#[derive(Clone)]
pub struct AppState(Arc<Services>);

impl AppState {
    pub fn new(services: Services) -> Self {
        Self(Arc::new(services))
    }
}

impl std::ops::Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.0
    }
}

pub struct Services {
    pub leptos_options: LeptosOptions,
    /// Clients of the external payout rails (Stripe Connect).
    pub rails: crate::server::rails::Rails,
    pub db: Db,
    pub config: Arc<Config>,
    /// Login and registration limits and the password-hashing queue.
    pub gate: Gatekeeper,
    pub clicks: ClickLog,
    /// Per-IP limit of the public validate endpoint.
    pub api_limits: PerIp,
    /// Referral code → owner, for landing capture (10 s).
    pub code_cache: Arc<TtlCache<Option<CodeOwner>>>,
    /// Host → branding (30 s; cleared when this instance changes a domain).
    pub brand_cache: Arc<TtlCache<Branding>>,
    /// Rendered anonymous landing pages (5 s), see page_cache.rs.
    pub page_cache: Arc<PageCache>,
    /// Salts the IP and user-agent hashes in the click log (random per process).
    pub click_salt: Arc<str>,
    /// Resolves custom domains' verification TXT records.
    pub dns: Dns,
    /// Delivers the mail outbox in the background (see server/mail).
    pub mail: super::mail::MailSender,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
