//! Server-function bodies are read here first, so that the two ways a body can be
//! unusable get their own honest answers instead of a parser's 400: too large is 413,
//! and a form whose text is not valid UTF-8 is 400 (the form decoder would otherwise
//! replace the bytes with U+FFFD and store a name nobody typed).
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;

use crate::model::AppError;

/// The largest body a server function accepts (a listing description is at most
/// 4,000 characters; nothing we take comes close).
pub const MAX_BODY: usize = 256 * 1024;

pub async fn check_request_body(req: Request, next: Next) -> Response {
    let is_call = req.method() == Method::POST && req.uri().path().starts_with("/api/");
    if !is_call {
        return next.run(req).await;
    }
    let path = req.uri().path().to_string();
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        let limit = MAX_BODY / 1024;
        let error = AppError::invalid("request", format!("The request is too large (at most {limit} KB)."));
        return refuse(&path, StatusCode::PAYLOAD_TOO_LARGE, &error);
    };
    let is_form = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if is_form && !form_is_utf8(&bytes) {
        let error = AppError::invalid("request", "The form contains text that is not valid UTF-8.");
        return refuse(&path, StatusCode::BAD_REQUEST, &error);
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// Every name and value of an `application/x-www-form-urlencoded` body, once
/// percent-decoded, is UTF-8.
fn form_is_utf8(body: &Bytes) -> bool {
    std::str::from_utf8(body).is_ok()
        && body.split(|b| *b == b'&').flat_map(|pair| pair.split(|b| *b == b'=')).all(|part| {
            let decoded: Vec<u8> = percent_encoding::percent_decode(part).collect();
            std::str::from_utf8(&decoded).is_ok()
        })
}

/// An answer shaped like a server function's own error, so the page shows the message.
fn refuse(path: &str, status: StatusCode, error: &AppError) -> Response {
    let body = serde_json::to_vec(error).unwrap_or_default();
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Ok(path) = HeaderValue::from_str(path) {
        headers.insert(SERVER_FN_ERROR_HEADER, path);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_with_invalid_utf8_are_found() {
        assert!(form_is_utf8(&Bytes::from_static(b"name=Caf%C3%A9&x=1")));
        assert!(!form_is_utf8(&Bytes::from_static(b"name=Caf%E9")));
        assert!(!form_is_utf8(&Bytes::from_static(b"name=\xff")));
        assert!(form_is_utf8(&Bytes::from_static(b"")));
    }
}
