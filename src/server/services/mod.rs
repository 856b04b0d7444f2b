//! Business operations: each takes parsed domain values and runs in one transaction.
pub mod accounts;
pub mod activation;
pub mod api_tokens;
pub mod attribution;
pub mod billing;
pub mod billing_events;
pub mod claims;
pub mod commissions;
pub mod conversion;
pub mod credits;
pub mod domains;
pub mod invite_codes;
pub mod invites;
pub mod ledger;
pub mod lifecycle;
pub mod links;
pub mod listings;
pub mod outbox;
pub mod overview;
pub mod overview_admin;
pub mod partner_home;
pub mod partner_settings;
pub mod partner_stats;
pub mod partners;
pub mod payouts;
pub mod rail_dispatch;
pub mod rails;
pub mod referrals;
pub mod restore;
pub mod sessions;
pub mod stats;
pub mod stripe_connect;
pub mod subaccounts;
pub mod workspaces;

/// Database records (`server/db` row structs) into the shared types the api answers with:
/// `records.shared()` for a `Vec` or an `Option` of anything with a `From` impl.
pub trait Shared<U> {
    fn shared(self) -> U;
}

impl<T, U: From<T>> Shared<Vec<U>> for Vec<T> {
    fn shared(self) -> Vec<U> {
        self.into_iter().map(U::from).collect()
    }
}

impl<T, U: From<T>> Shared<Option<U>> for Option<T> {
    fn shared(self) -> Option<U> {
        self.map(U::from)
    }
}
