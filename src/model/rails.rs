//! Views of the payout rails shared by the browser and the server.
use serde::{Deserialize, Serialize};

/// A partner's connected Stripe account as last reported by Stripe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StripeAccountView {
    pub account_id: String,
    pub details_submitted: bool,
    pub payouts_enabled: bool,
    /// The `transfers` capability: `active`, `pending` or `inactive`.
    pub transfers: String,
    /// Requirements Stripe says are currently due, comma separated.
    pub requirements_due: String,
    /// Whether a payout run can send this account transfers.
    pub ready: bool,
    pub updated_at: i64,
}

/// The partner's Stripe connection on the Payouts page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StripeConnection {
    /// Whether this server has Stripe configured at all.
    pub available: bool,
    pub account: Option<StripeAccountView>,
}
