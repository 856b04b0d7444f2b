//! Local stand-ins for the payout rails' APIs (issue #12), for the integration tests and
//! the `make run` demo: they behave like the real APIs where it matters (idempotency,
//! account states, signed webhooks) and misbehave on request (faults).
pub mod paypal;
pub mod stripe;

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// A misbehaviour queued for one call (consumed in order): [`Fault::DropResponse`]
/// commits and never answers, [`Fault::ErrorAfterCommit`] commits and answers 500,
/// [`Fault::Hang`] never answers and commits nothing, [`Fault::ErrorBeforeCommit`]
/// answers 500 having done nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    DropResponse,
    ErrorAfterCommit,
    Hang,
    ErrorBeforeCommit,
}

pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

pub(crate) fn system_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// What a fake call does: answer, or (having committed or not) never answer.
pub(crate) enum Outcome {
    Answer(StatusCode, Value),
    /// Commit happened (or not), then never answer.
    Hang,
}

pub(crate) async fn finish(outcome: Outcome) -> Response {
    match outcome {
        Outcome::Answer(status, body) => (status, axum::Json(body)).into_response(),
        Outcome::Hang => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            StatusCode::GATEWAY_TIMEOUT.into_response()
        }
    }
}
