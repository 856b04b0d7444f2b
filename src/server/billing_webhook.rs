//! `POST /api/v1/billing/events`: the billing system's event feed.
//!
//! Signed like Stripe's webhooks: `Tributary-Signature: t=<unix seconds>,v1=<hex>` where
//! the hex is HMAC-SHA256 over `"<t>.<raw body>"` with `TRIBUTARY_BILLING_WEBHOOK_SECRET`
//! (several `v1=` may be sent while a secret rotates). A signature older or newer than
//! five minutes is refused (a captured request can't be replayed later), and an event
//! already stored by id answers 200 without changing anything (a replay inside the
//! window, or the sender's own retry). Bad signatures → 401, malformed → 400: nothing is
//! stored either way.
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;

use super::services::billing_events;
use super::state::AppState;
use crate::model::AppError;

pub const SIGNATURE_HEADER: &str = "tributary-signature";
/// How far a signature's timestamp may be from now.
pub const TOLERANCE_SECONDS: i64 = 300;

#[derive(Debug, PartialEq, Eq)]
pub enum SignatureError {
    Missing,
    Malformed,
    Stale,
    Mismatch,
}

impl SignatureError {
    fn answer(&self) -> (StatusCode, &'static str) {
        match self {
            SignatureError::Missing => {
                (StatusCode::UNAUTHORIZED, "The Tributary-Signature header is missing.")
            }
            SignatureError::Malformed => (
                StatusCode::BAD_REQUEST,
                "The Tributary-Signature header must look like t=<seconds>,v1=<hex>.",
            ),
            SignatureError::Stale => (
                StatusCode::UNAUTHORIZED,
                "The signature's timestamp is more than five minutes away from now; send a fresh one.",
            ),
            SignatureError::Mismatch => (StatusCode::UNAUTHORIZED, "The signature does not match the body."),
        }
    }
}

/// The header value for `body` signed at `t` (seconds): what a sender computes.
pub fn sign(secret: &str, t: i64, body: &[u8]) -> String {
    format!("t={t},v1={}", hex::encode(mac(secret, t, body).finalize().into_bytes()))
}

fn mac(secret: &str, t: i64, body: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// Checks a header against the body at `now_seconds`. Constant-time comparison.
pub fn verify(
    secret: &str,
    header: Option<&str>,
    body: &[u8],
    now_seconds: i64,
) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?;
    let mut t = None;
    let mut candidates = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = Some(v.parse::<i64>().map_err(|_| SignatureError::Malformed)?),
            Some(("v1", v)) => candidates.push(hex::decode(v).map_err(|_| SignatureError::Malformed)?),
            Some(_) => {}
            None => return Err(SignatureError::Malformed),
        }
    }
    let t = t.ok_or(SignatureError::Malformed)?;
    if candidates.is_empty() {
        return Err(SignatureError::Malformed);
    }
    if (now_seconds - t).abs() > TOLERANCE_SECONDS {
        return Err(SignatureError::Stale);
    }
    let expected = mac(secret, t, body);
    if candidates.iter().any(|c| expected.clone().verify_slice(c).is_ok()) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

pub async fn receive(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(secret) = state.config.billing_webhook_secret.as_ref().map(super::config::Secret::expose) else {
        return error(StatusCode::SERVICE_UNAVAILABLE, "Billing events are not configured on this server.");
    };
    let header = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
    if let Err(e) = verify(secret, header, &body, state.db.now_ms().div_euclid(1000)) {
        let (status, message) = e.answer();
        return error(status, message);
    }
    let event = match billing_events::parse(&body) {
        Ok(event) => event,
        Err(message) => return error(StatusCode::BAD_REQUEST, &message),
    };
    match billing_events::apply(&state.db, &event).await {
        Ok(outcome) => Json(outcome).into_response(),
        Err(AppError::NotFound) => {
            error(StatusCode::NOT_FOUND, "Unknown invoice: send its invoice.paid first.")
        }
        Err(AppError::Invalid { message, .. }) => error(StatusCode::BAD_REQUEST, &message),
        Err(AppError::Conflict(message)) => error(StatusCode::CONFLICT, &message),
        Err(e) => {
            tracing::error!(error = %e, "billing event");
            error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on our side; send the event again.",
            )
        }
    }
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_made_with_the_secret_verifies_and_any_change_does_not() {
        let header = sign("s3cret", 1_000, b"{\"id\":1}");
        assert_eq!(verify("s3cret", Some(&header), b"{\"id\":1}", 1_000), Ok(()));
        assert_eq!(verify("s3cret", Some(&header), b"{\"id\":2}", 1_000), Err(SignatureError::Mismatch));
        assert_eq!(verify("other", Some(&header), b"{\"id\":1}", 1_000), Err(SignatureError::Mismatch));
    }

    #[test]
    fn stale_missing_and_malformed_signatures_are_refused() {
        let header = sign("k", 1_000, b"x");
        assert_eq!(verify("k", Some(&header), b"x", 1_301), Err(SignatureError::Stale));
        assert_eq!(verify("k", Some(&header), b"x", 699), Err(SignatureError::Stale));
        assert_eq!(verify("k", Some(&header), b"x", 1_300), Ok(()));
        assert_eq!(verify("k", None, b"x", 1_000), Err(SignatureError::Missing));
        assert_eq!(verify("k", Some("v1=abcd"), b"x", 1_000), Err(SignatureError::Malformed));
        assert_eq!(verify("k", Some("t=1000,v1=zz"), b"x", 1_000), Err(SignatureError::Malformed));
        assert_eq!(verify("k", Some("t=1000"), b"x", 1_000), Err(SignatureError::Malformed));
        assert_eq!(verify("k", Some("garbage"), b"x", 1_000), Err(SignatureError::Malformed));
    }

    #[test]
    fn a_rotating_sender_may_send_two_signatures() {
        let old = sign("old", 5, b"b");
        let new = sign("new", 5, b"b");
        let both = format!("{old},{}", new.split_once(',').unwrap().1);
        assert_eq!(verify("new", Some(&both), b"b", 5), Ok(()));
    }
}
