//! The public referral endpoints (stable paths, JSON):
//!   GET  /api/v1/referrals/validate?code=…  → {"valid": bool, "code": "…"}
//!   POST /api/v1/referrals/track {"code", "share_token"?} → binds the caller's workspace
//! Track accepts the session cookie or `Authorization: Bearer <api token>`, so
//! white-label clients on an agency's domain can call it.
use super::logged::OrLog;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN, AUTHORIZATION,
    ORIGIN, VARY,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use std::net::SocketAddr;

use super::auth::cookies::{self, SESSION_COOKIE};
use super::db::codes;
use super::services::attribution::{self, Bound, Carried, Windows};
use super::services::{api_tokens, domains as domain_service, sessions};
use super::state::AppState;
use crate::domain::attribution::{ShareTouch, Touch};
use crate::domain::codes::ReferralCode;

#[derive(Deserialize)]
pub struct ValidateQuery {
    code: Option<String>,
}

pub async fn validate(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Query(query): Query<ValidateQuery>,
) -> Response {
    if !state.api_limits.allow(&addr.ip().to_string()) {
        return error(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many requests. Please wait a minute and try again.",
        );
    }
    let input = query.code.unwrap_or_default();
    // Every code, well-formed or not, costs the same lookup: the answer's timing says
    // nothing about whether a code exists.
    let key = ReferralCode::parse(&input).map(|c| c.key()).unwrap_or_else(|_| input.to_lowercase());
    match codes::resolve_active(&state.db.pool, &key).await {
        Ok(found) => Json(json!({ "valid": found.is_some(), "code": input })).into_response(),
        Err(e) => internal(e),
    }
}

#[derive(Deserialize)]
struct TrackBody {
    code: String,
    share_token: Option<String>,
}

/// Who is calling: (workspace to bind, user for the self-referral check).
async fn caller(state: &AppState, headers: &HeaderMap) -> Option<(String, String)> {
    let bearer =
        headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if let Some(token) = bearer {
        return api_tokens::authenticate(&state.db, token.trim()).await.or_log("api token lookup");
    }
    let session = cookies::read(headers, SESSION_COOKIE)?;
    let viewer = sessions::viewer(&state.db, &session).await.or_log("session lookup")?;
    let workspace = viewer.managed_workspace()?.id.clone();
    Some((workspace, viewer.user_id))
}

pub async fn track(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let cors = cors_headers(&state, &headers).await;
    let mut response = track_inner(&state, &headers, &body).await;
    response.headers_mut().extend(cors);
    response
}

async fn track_inner(state: &AppState, headers: &HeaderMap, body: &[u8]) -> Response {
    let Some((workspace_id, user_id)) = caller(state, headers).await else {
        return error(StatusCode::UNAUTHORIZED, "Sign in, or send Authorization: Bearer <api token>.");
    };
    let Ok(request) = serde_json::from_slice::<TrackBody>(body) else {
        return error(StatusCode::BAD_REQUEST, r#"The body must be JSON like {"code": "partner-code"}."#);
    };
    let Ok(code) = ReferralCode::parse(&request.code) else {
        return error(StatusCode::BAD_REQUEST, "That is not a referral code.");
    };
    match codes::resolve_active(&state.db.pool, &code.key()).await {
        Ok(Some(_)) => {}
        Ok(None) => {
            return error(StatusCode::BAD_REQUEST, "Unknown or inactive referral code.");
        }
        Err(e) => return internal(e),
    }
    let now = state.db.now_ms();
    let carried = Carried {
        touch: Some(Touch {
            code: code.as_str().to_string(),
            captured_at: now,
            click_id: None,
            listing_id: None,
        }),
        share: request.share_token.map(|token| ShareTouch { token, captured_at: now }),
    };
    let windows =
        Windows { referral_days: state.config.attribution_days, share_days: state.config.share_days };
    let bound = async {
        let mut tx = state.db.begin_write().await?;
        let bound = attribution::bind(&mut tx, &workspace_id, &user_id, &carried, &windows, now).await?;
        tx.commit().await?;
        Ok::<_, crate::model::AppError>(bound)
    }
    .await;
    match bound {
        Ok(Bound::Now) => {
            Json(json!({ "tracked": true, "status": "bound", "workspace_id": workspace_id })).into_response()
        }
        Ok(Bound::Already) => Json(json!({
            "tracked": false, "status": "already_attributed",
            "message": "This workspace is already attributed to a partner; nothing changed."
        }))
        .into_response(),
        Ok(Bound::Nothing) => Json(json!({
            "tracked": false, "status": "not_eligible",
            "message": "A partner's own workspace can't be attributed to that partner."
        }))
        .into_response(),
        Err(e) => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            Json(json!({ "error": e.to_string() })),
        )
            .into_response(),
    }
}

/// CORS preflight: answered for the custom domains our agencies connected.
pub async fn preflight(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().extend(cors_headers(&state, &headers).await);
    response
}

async fn cors_headers(state: &AppState, headers: &HeaderMap) -> HeaderMap {
    let mut out = HeaderMap::new();
    out.insert(VARY, HeaderValue::from_static("Origin"));
    let Some(origin) = headers.get(ORIGIN).and_then(|v| v.to_str().ok()) else {
        return out;
    };
    let host = origin.split_once("://").map(|(_, h)| h).and_then(domain_service::normalize_host);
    // Only a verified custom domain: a pending one proved nothing yet.
    let known = match host {
        Some(host) => domain_service::branding_for(&state.db, &state.brand_cache, Some(&host))
            .await
            .is_ok_and(|branding| branding.custom),
        None => false,
    };
    if let (true, Ok(value)) = (known, HeaderValue::from_str(origin)) {
        out.insert(ACCESS_CONTROL_ALLOW_ORIGIN, value);
        out.insert(ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("POST, OPTIONS"));
        out.insert(ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("authorization, content-type"));
    }
    out
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

fn internal(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "referral api");
    error(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side.")
}
