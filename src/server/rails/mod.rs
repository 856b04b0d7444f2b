//! Clients for the external payout rails (issue #12). The payout engine's rail trait and
//! dispatch live in `services::rails` and `services::rail_dispatch`; this module only
//! speaks HTTP.
pub mod paypal;
pub mod stripe;

use paypal::PaypalClient;
use stripe::StripeClient;

/// The configured rail clients, shared by the app.
#[derive(Clone, Debug, Default)]
pub struct Rails {
    pub stripe: Option<StripeClient>,
    pub paypal: Option<PaypalClient>,
}

/// What a call's answer proves.
#[derive(Debug)]
pub enum Answer<T> {
    /// 2xx with the parsed object.
    Done(T),
    /// A definite refusal (4xx other than 409/429 or an idempotency error): nothing was
    /// made. The message is the rail's, safe to show an admin.
    Refused(String),
    /// Timeout, connection reset, 5xx, 409, 429, an unreadable body: it may or may not
    /// have happened.
    Unknown(String),
}

/// A transport error in words, without the URL (it could carry query parameters).
pub(crate) fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "no answer before the timeout".into()
    } else if e.is_connect() {
        "could not connect".into()
    } else {
        "the connection broke before a full answer".into()
    }
}
