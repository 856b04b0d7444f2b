//! Browser-only code (the `hydrate` build).
pub mod attribution;
pub mod cookies;
