//! server_fn answers every error with 500. Our errors know their status (a user's
//! mistake is a 4xx), so this layer reads the error and sets the right one. It also
//! covers errors raised before a function body runs, such as malformed arguments.
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;

use crate::model::AppError;

const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn server_fn_error_status(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(error.status()).unwrap_or(parts.status);
        // The limits are per minute; a busy hash queue clears within a second or two.
        let retry_after = match error {
            AppError::RateLimited => Some("60"),
            AppError::Busy => Some("2"),
            _ => None,
        };
        if let Some(seconds) = retry_after {
            parts.headers.insert(RETRY_AFTER, HeaderValue::from_static(seconds));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}
