//! `POST /api/v1/stripe/webhook`: Stripe's events for the platform and its connected
//! accounts. `Stripe-Signature: t=…,v1=…` is HMAC-SHA256 over `"<t>.<raw body>"` with
//! `TRIBUTARY_STRIPE_WEBHOOK_SECRET` (the same scheme as billing events, so the same
//! constant-time verifier: five minutes' tolerance, several `v1` allowed). A bad, missing
//! or stale signature → 400 and nothing stored; each event id is stored once and its
//! effect applied in that transaction; unknown types are acknowledged and ignored.
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::billing_webhook::verify;
use super::services::stripe_connect;
use super::state::AppState;
use crate::model::AppError;

pub const SIGNATURE_HEADER: &str = "stripe-signature";

pub async fn receive(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(secret) = state.config.stripe.webhook_secret.as_deref() else {
        return error(StatusCode::SERVICE_UNAVAILABLE, "Stripe webhooks are not configured on this server.");
    };
    let header = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
    if verify(secret, header, &body, state.db.now_ms().div_euclid(1000)).is_err() {
        return error(StatusCode::BAD_REQUEST, "Bad or missing Stripe-Signature.");
    }
    let event = match stripe_connect::parse_event(&body) {
        Ok(e) => e,
        Err(message) => return error(StatusCode::BAD_REQUEST, &message),
    };
    match stripe_connect::receive(&state.db, &event).await {
        Ok(outcome) => Json(json!({ "received": true, "outcome": outcome })).into_response(),
        Err(AppError::Invalid { message, .. }) => error(StatusCode::BAD_REQUEST, &message),
        Err(e) => {
            tracing::error!(error = %e, "stripe webhook");
            error(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side; Stripe will retry.")
        }
    }
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}
