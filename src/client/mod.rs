//! Browser-only code (the `hydrate` build).
pub mod attribution;
pub mod cookies;
pub mod scroll_regions;
