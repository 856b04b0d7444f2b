//! Business operations: each takes parsed domain values and runs in one transaction.
pub mod accounts;
pub mod overview;
pub mod partners;
pub mod sessions;
pub mod workspaces;
