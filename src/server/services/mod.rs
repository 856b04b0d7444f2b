//! Business operations: each takes parsed domain values and runs in one transaction.
pub mod accounts;
pub mod attribution;
pub mod billing;
pub mod claims;
pub mod conversion;
pub mod ledger;
pub mod links;
pub mod overview;
pub mod partners;
pub mod referrals;
pub mod sessions;
pub mod workspaces;
