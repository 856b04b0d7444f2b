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

/// The viewer the page guard looked up, kept in the request for the page it lets through:
/// the page's gate and its server functions (called in-process while rendering) read it
/// instead of looking the session up again.
#[derive(Clone)]
pub struct GuardedViewer(pub crate::model::types::Viewer);

pub async fn page_guard(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
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
        return Redirect::to(&crate::domain::paths::with_next("/login", here)).into_response();
    };
    let admitted = area.admits(&viewer);
    let missing = admitted && names_a_missing_record(&state, req.uri().path()).await;
    req.extensions_mut().insert(GuardedViewer(viewer));
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
