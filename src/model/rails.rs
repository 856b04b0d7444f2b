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

/// A payout's latest attempt on an external rail, for the admin's payouts list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RailReference {
    /// The Stripe transfer id or the PayPal payout item id, once known.
    pub transfer_id: Option<String>,
    /// The Stripe dashboard page of the transfer (test-mode path for an `sk_test_` key).
    pub transfer_url: Option<String>,
    /// PayPal's `payout_batch_id` (else our `sender_batch_id` until PayPal names it).
    pub batch_id: Option<String>,
    /// The attempt may have moved money nobody has seen yet: the rail will be asked.
    pub needs_reconcile: bool,
    /// Accepted by the rail, not settled (a PayPal item pending or unclaimed).
    pub awaiting_rail: bool,
}
