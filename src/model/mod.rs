//! The shared model: the types the browser and the server both use (view rows, inputs,
//! `AppError`). `api`, `server` and `ui` import it; it imports none of them (only `domain`).
pub mod error;
pub mod lifecycle;
pub mod list;
pub mod rails;
pub mod types;

pub use error::AppError;
