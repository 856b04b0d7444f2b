//! Business operations: each takes parsed domain values and runs in one transaction.
pub mod accounts;
pub mod api_tokens;
pub mod attribution;
pub mod billing;
pub mod claims;
pub mod conversion;
pub mod domains;
pub mod ledger;
pub mod links;
pub mod listings;
pub mod overview;
pub mod partners;
pub mod referrals;
pub mod restore;
pub mod sessions;
pub mod stats;
pub mod workspaces;
