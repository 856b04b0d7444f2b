use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use std::time::Duration;
use tokio::net::TcpListener;

use super::auth::limits::PerIp;
use super::auth::{Gatekeeper, guard::page_guard};
use super::capture::capture_landing;
use super::click_log::{ClickLog, ClickWriter};
use super::config::Config;
use super::db::Db;
use super::dns::Dns;
use super::error_status::server_fn_error_status;
use super::page_cache::{FrontDoor, serve_cached};
use super::referrals_api;
use super::request_body::check_request_body;
use super::same_origin::same_origin;
use super::services::domains;
use super::state::{AppState, Services};
use super::ttl_cache::TtlCache;
use super::{assets, headers};
use crate::app::{App, shell};

/// Connects, migrates, starts the click writer and assembles the state. Call
/// `ClickWriter::shutdown` after serving so queued clicks reach the database.
pub async fn prepare(
    config: Config,
    leptos_options: LeptosOptions,
) -> Result<(AppState, ClickWriter), String> {
    let db = Db::connect(&config.database_url).await.map_err(|e| format!("database: {e}"))?;
    db.migrate().await.map_err(|e| format!("migrations: {e}"))?;
    let gate = Gatekeeper::new(&config);
    let journal = match &config.click_journal {
        Some(path) => Some(
            super::click_journal::Journal::open(path)
                .map_err(|e| format!("click journal {}: {e}", path.display()))?,
        ),
        None => None,
    };
    let (clicks, writer) = ClickLog::start(db.clone(), journal);
    let validate_per_minute = config.validate_per_ip_per_minute;
    let dns = Dns::new(config.dns_server.as_deref()).map_err(|e| format!("dns: {e}"))?;
    let mail = super::mail::start(
        db.clone(),
        config.smtp_url.as_deref(),
        &config.outbox_dir,
        config.mail_from.clone(),
    )
    .map_err(|e| format!("mail: {e}"))?;
    let rails = crate::server::rails::Rails {
        stripe: crate::server::rails::stripe::StripeClient::new(&config.stripe),
        paypal: crate::server::rails::paypal::PaypalClient::new(&config.paypal),
    };
    let state = AppState::new(Services {
        leptos_options,
        rails,
        db,
        config: Arc::new(config),
        gate,
        clicks,
        api_limits: PerIp::per_minute(validate_per_minute),
        code_cache: Arc::new(TtlCache::new(Duration::from_secs(10), 10_000)),
        brand_cache: Arc::new(TtlCache::new(Duration::from_secs(30), 1_000)),
        page_cache: Arc::new(TtlCache::new(super::page_cache::PAGE_TTL, 1_000)),
        click_salt: super::auth::tokens::new_token().into(),
        dns,
        mail,
    });
    start_domain_checks(&state);
    super::payout_jobs::start_scheduler(&state);
    Ok((state, writer))
}

/// Re-checks pending custom domains every `TRIBUTARY_DOMAIN_CHECK_SECONDS`, so a domain
/// turns verified without anyone pressing "Check now". Each pass is one indexed query and
/// at most a few dozen lookups, one at a time. The task holds no `AppState` (only what it
/// uses) and ends with the runtime, so neither shutdown nor a test waits for it.
fn start_domain_checks(state: &AppState) {
    let interval = state.config.domain_check_interval;
    let (db, dns) = (state.db.clone(), state.dns.clone());
    let (brand_cache, page_cache) = (state.brand_cache.clone(), state.page_cache.clone());
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(interval).await;
            match domains::check_pending(&db, &dns, &brand_cache, interval).await {
                Ok(0) => {}
                Ok(verified) => {
                    tracing::info!(verified, "custom domains verified");
                    page_cache.clear();
                }
                Err(e) => tracing::warn!(error = %e, "background custom domain check"),
            }
        }
    });
}

pub fn router(state: AppState) -> Router {
    let routes = route_list().to_vec();
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            provide_page_nonce();
        }
    };
    let options = state.leptos_options.clone();
    let app = Router::new()
        .nest_service("/pkg", assets::router(&options))
        .route("/api/v1/referrals/validate", get(referrals_api::validate))
        .route("/api/v1/referrals/track", post(referrals_api::track).options(referrals_api::preflight))
        .route("/api/v1/billing/events", post(super::billing_webhook::receive))
        .route("/api/v1/stripe/webhook", post(super::stripe_webhook::receive))
        .route("/api/v1/payouts/{id}/statement.csv", get(super::payout_exports::statement))
        .route("/api/v1/admin/payouts.csv", get(super::payout_exports::payouts))
        .route("/api/v1/admin/commissions.csv", get(super::payout_exports::commissions))
        .route("/api/v1/admin/payout-runs/{id}/bank.csv", get(super::payout_exports::bank_file))
        .leptos_routes_with_context(&state, routes, context.clone(), move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell))
        .layer(from_fn_with_state(state.clone(), page_guard))
        .with_state(state.clone());
    // The edge layers wrap the finished router as a single service. A layer clones what
    // it wraps on every request: here that is one router handle (an Arc), where layers
    // on the routes themselves would clone each route's handler and captured options.
    let mut edge = Router::new()
        .fallback_service(app)
        // Inside the page cache: a cached page keeps the policy of the nonce it carries.
        .layer(from_fn(headers::content_security_policy))
        // Inside capture: a cached page still records its click and sets its cookies.
        .layer(from_fn_with_state(state.clone(), serve_cached))
        .layer(from_fn_with_state(state.clone(), capture_landing))
        .layer(from_fn(server_fn_error_status))
        .layer(from_fn(check_request_body))
        .layer(from_fn(same_origin))
        .layer(from_fn(headers::no_store_when_personal));
    for layer in headers::hardening(state.config.secure_cookies) {
        edge = edge.layer(layer);
    }
    let edge = edge.layer(headers::compression());
    Router::new().fallback_service(FrontDoor::new(state, edge))
}

/// Hands the nonce that `headers::content_security_policy` put on the request to the
/// hydration scripts, which render it into their `<script nonce>` tags.
fn provide_page_nonce() {
    let nonce = leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<headers::CspNonce>().cloned());
    if let Some(nonce) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

/// The app's routes, generated once per process. Generating renders the app with
/// leptos_server's resource loading switched off through a process-wide flag, so a
/// page rendering on another thread at that moment would wait forever for its data.
/// Generating once, before any router exists, leaves no page to catch it (tests build
/// one router per test, many at a time).
fn route_list() -> &'static [AxumRouteListing] {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App))
}

/// Serves until `shutdown` resolves (the binary passes [`shutdown_signal`]), then lets
/// in-flight requests finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // SSR streams a page in more than one write; without TCP_NODELAY the second small
    // write waits ~40 ms for the client's delayed ACK (Nagle), on every page.
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}

/// Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}
