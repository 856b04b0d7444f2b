//! What a server function knows about the request it serves: state, headers, client
//! address, and who is signed in. Identity always comes from the session cookie,
//! never from arguments.
use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::header::{HOST, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

use super::auth::cookies::{self, SESSION_COOKIE};
use super::auth::guard::GuardedViewer;
use super::services::attribution::{Carried, Windows};
use super::services::sessions;
use super::state::AppState;
use crate::domain::attribution::{ShareTouch, Touch};
use crate::model::AppError;
use crate::model::error::internal;
use crate::model::types::{PartnerBadge, Viewer};

pub struct RequestCtx {
    pub state: AppState,
    pub headers: HeaderMap,
    pub ip: String,
    /// Who the page guard found signed in, when this runs inside a page it let through.
    guarded: Option<Viewer>,
}

/// The current request, from the context leptos_axum provides.
pub fn request() -> Result<RequestCtx, AppError> {
    let state = use_context::<AppState>().ok_or_else(|| internal("context", "no AppState"))?;
    let parts = use_context::<Parts>().ok_or_else(|| internal("context", "no request parts"))?;
    let ip = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    let guarded = parts.extensions.get::<GuardedViewer>().map(|g| g.0.clone());
    Ok(RequestCtx { state, headers: parts.headers, ip, guarded })
}

impl RequestCtx {
    /// The session cookie, unless the request carries an API token: a bearer request
    /// authenticates by its token or not at all, never by the browser's cookie.
    pub fn session_token(&self) -> Option<String> {
        if super::same_origin::uses_bearer_token(&self.headers) {
            return None;
        }
        cookies::read(&self.headers, SESSION_COOKIE)
    }

    pub async fn viewer(&self) -> Result<Option<Viewer>, AppError> {
        match self.session_token() {
            Some(_) if self.guarded.is_some() => Ok(self.guarded.clone()),
            Some(token) => sessions::viewer(&self.state.db, &token).await,
            None => Ok(None),
        }
    }

    pub async fn require_viewer(&self) -> Result<Viewer, AppError> {
        self.viewer().await?.ok_or(AppError::Unauthorized)
    }

    pub async fn require_admin(&self) -> Result<Viewer, AppError> {
        let viewer = self.require_viewer().await?;
        if viewer.is_platform_admin { Ok(viewer) } else { Err(AppError::Forbidden) }
    }

    /// The signed-in partner user and their partner. Partner ids are never taken
    /// from the client: this is the only partner a portal call can touch.
    pub async fn require_partner(&self) -> Result<(Viewer, PartnerBadge), AppError> {
        let viewer = self.require_viewer().await?;
        let partner = viewer.partner.clone().ok_or(AppError::Forbidden)?;
        // The approval gate (DOMAIN decisions 8, 17): a pending, rejected or suspended
        // partner sees its state (`my_partner_state`), never the portal's functions.
        if partner.status != crate::domain::partner::PartnerState::Approved {
            return Err(AppError::Forbidden);
        }
        Ok((viewer, partner))
    }

    /// Starts a fresh session (rotating any old one) and sets its cookie.
    pub async fn sign_in(&self, user_id: &str) -> Result<(), AppError> {
        let config = &self.state.config;
        let previous = self.session_token();
        let token =
            sessions::start(&self.state.db, user_id, config.session_ttl_days, previous.as_deref()).await?;
        let max_age = config.session_ttl_days * 24 * 60 * 60;
        self.set_cookie(&cookies::set(SESSION_COOKIE, &token, max_age, config.secure_cookies));
        Ok(())
    }

    pub async fn sign_out(&self) -> Result<(), AppError> {
        if let Some(token) = self.session_token() {
            sessions::end(&self.state.db, &token).await?;
        }
        self.set_cookie(&cookies::clear(SESSION_COOKIE, self.state.config.secure_cookies));
        Ok(())
    }

    /// The Host the browser asked for (a custom domain or ours).
    pub fn host(&self) -> Option<String> {
        self.headers.get(HOST).and_then(|h| h.to_str().ok()).map(str::to_string)
    }

    /// The customer workspace this user manages (owner or admin): where API tokens live.
    pub async fn require_managed_workspace(&self) -> Result<String, AppError> {
        let viewer = self.require_viewer().await?;
        viewer
            .managed_workspace()
            .map(|w| w.id.clone())
            .ok_or_else(|| AppError::Refused("Create a workspace first.".into()))
    }

    /// Base URL for links we show (`https://app.example.com`), without a trailing slash.
    pub fn base_url(&self) -> String {
        if let Some(url) = &self.state.config.public_url {
            return url.clone();
        }
        let host = self.headers.get(HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
        format!("http://{host}")
    }

    /// The referrer and share token this browser carries (set at landing).
    pub fn carried_attribution(&self) -> Carried {
        Carried {
            touch: cookies::read(&self.headers, cookies::REFERRAL_COOKIE).and_then(|v| Touch::decode(&v)),
            share: cookies::read(&self.headers, cookies::SHARE_COOKIE).and_then(|v| ShareTouch::decode(&v)),
        }
    }

    pub fn windows(&self) -> Windows {
        let config = &self.state.config;
        Windows { referral_days: config.attribution_days, share_days: config.share_days }
    }

    pub fn forget_attribution(&self) {
        let secure = self.state.config.secure_cookies;
        self.set_cookie(&cookies::clear(cookies::REFERRAL_COOKIE, secure));
        self.set_cookie(&cookies::clear(cookies::SHARE_COOKIE, secure));
        // Tells the page's script to drop its copies too (see client/attribution.rs).
        self.set_cookie(&cookies::set_readable(cookies::BOUND_COOKIE, "1", 400 * 24 * 60 * 60, secure));
    }

    /// The claim token this browser carries from a `?tenantClaim=` link.
    pub fn claim_token(&self) -> Option<String> {
        cookies::read(&self.headers, cookies::CLAIM_COOKIE)
    }

    pub fn forget_claim_token(&self) {
        self.set_cookie(&cookies::clear(cookies::CLAIM_COOKIE, self.state.config.secure_cookies));
    }

    /// The invite code this browser carries from an `/invite/<code>` landing.
    pub fn invite_code(&self) -> Option<String> {
        cookies::read(&self.headers, cookies::INVITE_COOKIE)
    }

    pub fn forget_invite(&self) {
        self.set_cookie(&cookies::clear(cookies::INVITE_COOKIE, self.state.config.secure_cookies));
    }

    pub fn set_cookie(&self, value: &str) {
        if let (Some(response), Ok(value)) = (use_context::<ResponseOptions>(), HeaderValue::from_str(value))
        {
            response.append_header(SET_COOKIE, value);
        }
    }

    /// Sends the browser to `path`: a 302 for plain form posts, a client-side
    /// navigation for hydrated calls.
    pub fn redirect(&self, path: &str) {
        leptos_axum::redirect(path);
    }
}
