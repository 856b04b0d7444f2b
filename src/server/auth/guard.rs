//! Page access, enforced before any page renders: no session → the login page (with
//! `next=` to come back); signed in but not allowed → the page renders its 403 view
//! and the response carries 403.
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use super::access::Area;
use super::cookies::{self, SESSION_COOKIE};
use crate::server::services::sessions;
use crate::server::state::AppState;

pub async fn page_guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(area) = Area::of_path(req.uri().path()).filter(|_| req.method() == Method::GET) else {
        return next.run(req).await;
    };
    let viewer = match cookies::read(req.headers(), SESSION_COOKIE) {
        Some(token) => match sessions::viewer(&state.db, &token).await {
            Ok(viewer) => viewer,
            // An outage is not "signed out": a login form would only fail as well.
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed; page answered 500");
                return (StatusCode::INTERNAL_SERVER_ERROR, OUTAGE).into_response();
            }
        },
        None => None,
    };
    let Some(viewer) = viewer else {
        let here = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
        return Redirect::to(&format!("/login?next={}", encode_component(here))).into_response();
    };
    let admitted = area.admits(&viewer);
    let missing = admitted && names_a_missing_record(&state, req.uri().path()).await;
    let mut response = next.run(req).await;
    if response.status() == StatusCode::OK {
        if !admitted {
            *response.status_mut() = StatusCode::FORBIDDEN;
        } else if missing {
            // The page shows its own "not found"; the status says so too.
            *response.status_mut() = StatusCode::NOT_FOUND;
        }
    }
    response
}

const OUTAGE: &str = "Tributary cannot reach its database right now. Please try again in a minute.";

/// Pages addressed by a record's id whose record does not exist.
async fn names_a_missing_record(state: &AppState, path: &str) -> bool {
    let Some(id) = path.strip_prefix("/admin/partners/").filter(|id| !id.is_empty() && !id.contains('/'))
    else {
        return false;
    };
    matches!(crate::server::db::partners::by_id(&state.db.pool, id).await, Ok(None))
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn encode_component(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_paths_are_encoded_whole() {
        assert_eq!(super::encode_component("/admin?x=1&y"), "%2Fadmin%3Fx%3D1%26y");
    }
}
