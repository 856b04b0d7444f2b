//! Typed server functions: the doors the admin screens and the partner portal both use.
//! Each one authorizes, parses into domain types, calls one service and maps the result.
pub mod admin;
pub mod auth;
pub mod billing;
pub mod claims;
pub mod clock;
pub mod credits;
pub mod invites;
pub mod lifecycle;
pub mod links;
pub mod listings;
pub mod partners;
pub mod payouts;
pub mod portal;
pub mod settings;
pub mod stats;
pub mod stripe;
pub mod tenants;
pub mod workspaces;

// The shared model, re-exported so `api::types::X` reads naturally beside the server functions.
pub use crate::model::{AppError, error, types};
