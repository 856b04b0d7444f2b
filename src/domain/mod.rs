//! Pure domain rules shared by the server and the browser build.
//!
//! Nothing here touches I/O, time sources or randomness, and the only
//! dependency is `serde`, so the same validation runs in forms (wasm) and in
//! server functions, and the payout math can be tested exhaustively.

pub mod attribution;
pub mod codes;
pub mod commission;
pub mod credits;
pub mod dates;
pub mod email;
pub mod error;
pub mod invite_codes;
pub mod invite_input;
pub mod mail;
pub mod money;
pub mod names;
pub mod partner;
pub mod password;
pub mod paths;
pub mod payouts;
pub mod period;
pub mod rails;
pub mod roles;

pub use codes::{ReferralCode, code_with_suffix, suggest_default_code};
pub use commission::{BasisPoints, Commission, payout_cents};
pub use dates::{format_date, format_datetime};
pub use email::Email;
pub use error::FieldError;
pub use money::Cents;
pub use names::DisplayName;
pub use password::Password;
pub use roles::{CommissionStatus, PayoutStatus, SubscriptionStatus, WorkspaceRole};
