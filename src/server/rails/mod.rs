//! Clients for the external payout rails (issue #12). The payout engine's rail trait and
//! dispatch live in `services::rails` and `services::rail_dispatch`; this module only
//! speaks HTTP.
pub mod stripe;

use stripe::StripeClient;

/// The configured rail clients, shared by the app.
#[derive(Clone, Debug, Default)]
pub struct Rails {
    pub stripe: Option<StripeClient>,
}
