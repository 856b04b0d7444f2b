//! A fake Stripe (Connect) API on a local port.
//!
//! Implements `POST /v1/accounts`, `GET /v1/accounts/:id`, `POST /v1/account_links`,
//! `POST /v1/accounts/:id/login_links`, `POST /v1/transfers` and
//! `GET /v1/transfers?transfer_group=`, plus `GET /onboard/:id` (the account link: a page
//! with a "Complete onboarding" button that enables the account, delivers a signed
//! `account.updated` and redirects to the return URL).
//!
//! Stripe's idempotency: a POST with an `Idempotency-Key` stores its first answer (even
//! a 500); the same key with the same parameters replays it, with other parameters
//! answers 400 `idempotency_error`; keys expire after `key_ttl` (or `expire_keys()`).
//!
//! Faults (queued per call, consumed in order): [`Fault::DropResponse`] commits the
//! transfer and never answers, [`Fault::ErrorAfterCommit`] commits and answers 500,
//! [`Fault::Hang`] never answers and commits nothing, [`Fault::ErrorBeforeCommit`]
//! answers 500 having done nothing.
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

pub use super::{Clock, Fault};
use super::{Outcome, finish, system_ms};

/// Which call a fault applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Call {
    CreateTransfer,
    ListTransfers,
}

struct Stored {
    fingerprint: String,
    status: u16,
    body: Value,
    at_ms: i64,
}

#[derive(Default)]
struct Ledger {
    accounts: HashMap<String, Value>,
    return_urls: HashMap<String, String>,
    transfers: Vec<Value>,
    keys: HashMap<String, Stored>,
    faults: HashMap<Call, VecDeque<Fault>>,
    next: u64,
    webhook_url: Option<String>,
    /// Requests to `POST /v1/transfers`, replays included.
    transfer_requests: u64,
}

struct Inner {
    secret_key: String,
    webhook_secret: String,
    key_ttl_ms: i64,
    base: String,
    clock: Mutex<Clock>,
    ledger: Mutex<Ledger>,
    http: reqwest::Client,
}

/// A running fake; dropped with the runtime.
#[derive(Clone)]
pub struct FakeStripe {
    inner: Arc<Inner>,
}

impl FakeStripe {
    /// Starts on 127.0.0.1 (`port` 0 = any free port).
    pub async fn start(
        secret_key: &str,
        webhook_secret: &str,
        key_ttl: Duration,
        port: u16,
    ) -> std::io::Result<FakeStripe> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let base = format!("http://{}", listener.local_addr()?);
        let inner = Arc::new(Inner {
            secret_key: secret_key.to_string(),
            webhook_secret: webhook_secret.to_string(),
            key_ttl_ms: key_ttl.as_millis() as i64,
            base,
            clock: Mutex::new(Arc::new(system_ms)),
            ledger: Mutex::new(Ledger::default()),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .map_err(std::io::Error::other)?,
        });
        let app = Router::new()
            .route("/v1/accounts", post(create_account))
            .route("/v1/accounts/{id}", get(get_account))
            .route("/v1/accounts/{id}/login_links", post(login_link))
            .route("/v1/account_links", post(account_link))
            .route("/v1/transfers", post(create_transfer).get(list_transfers))
            .route("/onboard/{id}", get(onboard_page))
            .route("/onboard/{id}/complete", post(onboard_complete))
            .route("/express/{id}", get(express_page))
            .with_state(inner.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(FakeStripe { inner })
    }

    pub fn base(&self) -> &str {
        &self.inner.base
    }

    /// The clock used for key expiry and webhook signatures (tests pass the app's).
    pub fn set_clock(&self, clock: Clock) {
        *self.inner.clock.lock().unwrap() = clock;
    }

    /// Where signed events are delivered (`…/api/v1/stripe/webhook`).
    pub fn set_webhook_url(&self, url: &str) {
        self.inner.ledger.lock().unwrap().webhook_url = Some(url.to_string());
    }

    pub fn inject(&self, call: Call, fault: Fault) {
        self.inner.ledger.lock().unwrap().faults.entry(call).or_default().push_back(fault);
    }

    /// Every transfer made (the ledger the tests count).
    pub fn transfers(&self) -> Vec<Value> {
        self.inner.ledger.lock().unwrap().transfers.clone()
    }

    pub fn transfer_requests(&self) -> u64 {
        self.inner.ledger.lock().unwrap().transfer_requests
    }

    /// Forgets every idempotency key now (as Stripe does after about a day).
    pub fn expire_keys(&self) {
        self.inner.ledger.lock().unwrap().keys.clear();
    }

    pub fn account(&self, id: &str) -> Option<Value> {
        self.inner.ledger.lock().unwrap().accounts.get(id).cloned()
    }

    /// Flips an account between fully enabled and restricted; returns the
    /// `account.updated` event (not delivered).
    pub fn set_enabled(&self, id: &str, enabled: bool) -> Option<Value> {
        let mut ledger = self.inner.ledger.lock().unwrap();
        let account = ledger.accounts.get_mut(id)?;
        set_state(account, enabled);
        let object = account.clone();
        Some(event(&mut ledger, "account.updated", Some(id), object))
    }

    /// Reverses a transfer; returns the `transfer.reversed` event (not delivered).
    pub fn reverse(&self, transfer_id: &str) -> Option<Value> {
        let mut ledger = self.inner.ledger.lock().unwrap();
        let t = ledger.transfers.iter_mut().find(|t| t["id"] == transfer_id)?;
        t["reversed"] = json!(true);
        let object = t.clone();
        Some(event(&mut ledger, "transfer.reversed", None, object))
    }

    /// The `Stripe-Signature` header for `body` signed now by this fake's clock.
    pub fn signature(&self, body: &str) -> String {
        let t = (self.inner.clock.lock().unwrap())() / 1000;
        crate::server::billing_webhook::sign(&self.inner.webhook_secret, t, body.as_bytes())
    }

    /// Delivers an event to the webhook URL, signed; the status code.
    pub async fn deliver(&self, event: &Value) -> Option<u16> {
        deliver(&self.inner, event).await
    }
}

async fn deliver(inner: &Inner, event: &Value) -> Option<u16> {
    let url = inner.ledger.lock().unwrap().webhook_url.clone()?;
    let body = event.to_string();
    let t = (inner.clock.lock().unwrap())() / 1000;
    let signature = crate::server::billing_webhook::sign(&inner.webhook_secret, t, body.as_bytes());
    let r = inner
        .http
        .post(url)
        .header("content-type", "application/json")
        .header("stripe-signature", signature)
        .body(body)
        .send()
        .await
        .ok()?;
    Some(r.status().as_u16())
}

fn event(ledger: &mut Ledger, kind: &str, account: Option<&str>, object: Value) -> Value {
    ledger.next += 1;
    let mut e = json!({"id": format!("evt_{:06}", ledger.next), "object": "event", "type": kind, "data": {"object": object}});
    if let Some(a) = account {
        e["account"] = json!(a);
    }
    e
}

fn set_state(account: &mut Value, enabled: bool) {
    account["details_submitted"] = json!(enabled);
    account["payouts_enabled"] = json!(enabled);
    account["charges_enabled"] = json!(enabled);
    account["capabilities"] = json!({"transfers": if enabled { "active" } else { "inactive" }});
    account["requirements"] = if enabled {
        json!({"currently_due": []})
    } else {
        json!({"currently_due": ["external_account", "tos_acceptance.date"]})
    };
}

fn error(status: StatusCode, kind: &str, message: &str) -> Response {
    (status, axum::Json(json!({"error": {"type": kind, "message": message}}))).into_response()
}

fn authorized(inner: &Inner, headers: &HeaderMap) -> bool {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|k| k == inner.secret_key)
}

fn form(body: &Bytes) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = url::form_urlencoded::parse(body).into_owned().collect();
    pairs.sort();
    pairs
}

fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Looks the key up: `Some(response)` when it decides the answer (a replay or a
/// mismatch).
fn replay(inner: &Inner, ledger: &mut Ledger, key: Option<&str>, fingerprint: &str) -> Option<Response> {
    let key = key?;
    let now = (inner.clock.lock().unwrap())();
    ledger.keys.retain(|_, s| now - s.at_ms < inner.key_ttl_ms);
    let stored = ledger.keys.get(key)?;
    if stored.fingerprint != fingerprint {
        return Some(error(
            StatusCode::BAD_REQUEST,
            "idempotency_error",
            "Keys for idempotent requests can only be used with the same parameters they were first used with.",
        ));
    }
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, axum::Json(stored.body.clone())).into_response();
    response.headers_mut().insert("idempotent-replayed", "true".parse().unwrap());
    Some(response)
}

fn store(
    inner: &Inner,
    ledger: &mut Ledger,
    key: Option<&str>,
    fingerprint: &str,
    status: StatusCode,
    body: &Value,
) {
    if let Some(key) = key {
        let at_ms = (inner.clock.lock().unwrap())();
        ledger.keys.insert(
            key.to_string(),
            Stored {
                fingerprint: fingerprint.to_string(),
                status: status.as_u16(),
                body: body.clone(),
                at_ms,
            },
        );
    }
}

async fn create_account(State(inner): State<Arc<Inner>>, headers: HeaderMap, body: Bytes) -> Response {
    if !authorized(&inner, &headers) {
        return error(StatusCode::UNAUTHORIZED, "invalid_request_error", "Invalid API Key provided.");
    }
    let pairs = form(&body);
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok());
    let fingerprint = format!("POST /v1/accounts {pairs:?}");
    let outcome = {
        let mut ledger = inner.ledger.lock().unwrap();
        if let Some(r) = replay(&inner, &mut ledger, key, &fingerprint) {
            return r;
        }
        if param(&pairs, "type") != Some("express") {
            return error(StatusCode::BAD_REQUEST, "invalid_request_error", "type must be express here.");
        }
        ledger.next += 1;
        let id = format!("acct_{:06}", ledger.next);
        let mut account = json!({"id": id, "object": "account", "type": "express",
            "email": param(&pairs, "email"), "metadata": {"partner_id": param(&pairs, "metadata[partner_id]")}});
        set_state(&mut account, false);
        account["capabilities"] = json!({"transfers": if param(&pairs, "capabilities[transfers][requested]") == Some("true") { "inactive" } else { "unrequested" }});
        ledger.accounts.insert(id, account.clone());
        store(&inner, &mut ledger, key, &fingerprint, StatusCode::OK, &account);
        Outcome::Answer(StatusCode::OK, account)
    };
    finish(outcome).await
}

async fn get_account(
    State(inner): State<Arc<Inner>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if !authorized(&inner, &headers) {
        return error(StatusCode::UNAUTHORIZED, "invalid_request_error", "Invalid API Key provided.");
    }
    match inner.ledger.lock().unwrap().accounts.get(&id) {
        Some(a) => axum::Json(a.clone()).into_response(),
        None => error(StatusCode::NOT_FOUND, "invalid_request_error", "No such account."),
    }
}

async fn account_link(State(inner): State<Arc<Inner>>, headers: HeaderMap, body: Bytes) -> Response {
    if !authorized(&inner, &headers) {
        return error(StatusCode::UNAUTHORIZED, "invalid_request_error", "Invalid API Key provided.");
    }
    let pairs = form(&body);
    let (Some(account), Some(return_url)) = (param(&pairs, "account"), param(&pairs, "return_url")) else {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            "account and return_url are required.",
        );
    };
    let mut ledger = inner.ledger.lock().unwrap();
    if !ledger.accounts.contains_key(account) {
        return error(StatusCode::BAD_REQUEST, "invalid_request_error", "No such account.");
    }
    ledger.return_urls.insert(account.to_string(), return_url.to_string());
    axum::Json(json!({"object": "account_link", "url": format!("{}/onboard/{account}", inner.base)}))
        .into_response()
}

async fn login_link(State(inner): State<Arc<Inner>>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if !authorized(&inner, &headers) {
        return error(StatusCode::UNAUTHORIZED, "invalid_request_error", "Invalid API Key provided.");
    }
    let ledger = inner.ledger.lock().unwrap();
    match ledger.accounts.get(&id) {
        Some(a) if a["details_submitted"] == json!(true) => {
            axum::Json(json!({"object": "login_link", "url": format!("{}/express/{id}", inner.base)}))
                .into_response()
        }
        Some(_) => error(StatusCode::BAD_REQUEST, "invalid_request_error", "Onboarding is not complete."),
        None => error(StatusCode::NOT_FOUND, "invalid_request_error", "No such account."),
    }
}

async fn onboard_page(State(inner): State<Arc<Inner>>, Path(id): Path<String>) -> Response {
    if !inner.ledger.lock().unwrap().accounts.contains_key(&id) {
        return (StatusCode::NOT_FOUND, "No such account link.").into_response();
    }
    Html(format!(
        "<!doctype html><html><head><meta name=viewport content=\"width=device-width\"><title>Fake Stripe onboarding</title></head>\
         <body style=\"font-family:sans-serif;max-width:30rem;margin:2rem auto;padding:0 1rem\">\
         <h1>Fake Stripe onboarding</h1><p>Account <code>{id}</code> (local test server, no real money).</p>\
         <form method=post action=\"/onboard/{id}/complete\"><button type=submit>Complete onboarding</button></form>\
         </body></html>"
    ))
    .into_response()
}

async fn onboard_complete(State(inner): State<Arc<Inner>>, Path(id): Path<String>) -> Response {
    let (event, back) = {
        let mut ledger = inner.ledger.lock().unwrap();
        let Some(account) = ledger.accounts.get_mut(&id) else {
            return (StatusCode::NOT_FOUND, "No such account.").into_response();
        };
        set_state(account, true);
        let object = account.clone();
        let back = ledger.return_urls.get(&id).cloned();
        (event(&mut ledger, "account.updated", Some(&id), object), back)
    };
    deliver(&inner, &event).await;
    match back {
        Some(url) => Redirect::to(&url).into_response(),
        None => Html("Onboarding complete.").into_response(),
    }
}

async fn express_page(Path(id): Path<String>) -> Html<String> {
    Html(format!("<!doctype html><title>Fake Express dashboard</title><h1>Express dashboard</h1><p>{id}</p>"))
}

async fn create_transfer(State(inner): State<Arc<Inner>>, headers: HeaderMap, body: Bytes) -> Response {
    if !authorized(&inner, &headers) {
        return error(StatusCode::UNAUTHORIZED, "invalid_request_error", "Invalid API Key provided.");
    }
    let pairs = form(&body);
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok());
    let fingerprint = format!("POST /v1/transfers {pairs:?}");
    let outcome = {
        let mut ledger = inner.ledger.lock().unwrap();
        ledger.transfer_requests += 1;
        if let Some(r) = replay(&inner, &mut ledger, key, &fingerprint) {
            return r;
        }
        let fault = ledger.faults.get_mut(&Call::CreateTransfer).and_then(|q| q.pop_front());
        match fault {
            Some(Fault::Hang) => Outcome::Hang,
            Some(Fault::ErrorBeforeCommit) => {
                let body = json!({"error": {"type": "api_error", "message": "Something went wrong."}});
                store(&inner, &mut ledger, key, &fingerprint, StatusCode::INTERNAL_SERVER_ERROR, &body);
                Outcome::Answer(StatusCode::INTERNAL_SERVER_ERROR, body)
            }
            _ => {
                let amount = param(&pairs, "amount").and_then(|a| a.parse::<i64>().ok()).filter(|a| *a > 0);
                let destination = param(&pairs, "destination").unwrap_or_default().to_string();
                let usable = ledger
                    .accounts
                    .get(&destination)
                    .is_some_and(|a| a["capabilities"]["transfers"] == "active");
                let (status, body) = match amount {
                    None => (
                        StatusCode::BAD_REQUEST,
                        json!({"error": {"type": "invalid_request_error", "message": "Invalid amount."}}),
                    ),
                    Some(_) if !usable => (
                        StatusCode::BAD_REQUEST,
                        json!({"error": {"type": "invalid_request_error", "message": "Your destination account needs to have the transfers capability enabled."}}),
                    ),
                    Some(amount) => {
                        ledger.next += 1;
                        let t = json!({"id": format!("tr_{:06}", ledger.next), "object": "transfer",
                            "amount": amount, "currency": param(&pairs, "currency"), "destination": destination,
                            "transfer_group": param(&pairs, "transfer_group"), "reversed": false,
                            "metadata": {"payout_id": param(&pairs, "metadata[payout_id]"), "attempt": param(&pairs, "metadata[attempt]")}});
                        ledger.transfers.push(t.clone());
                        (StatusCode::OK, t)
                    }
                };
                match fault {
                    Some(Fault::ErrorAfterCommit) => {
                        let body =
                            json!({"error": {"type": "api_error", "message": "Something went wrong."}});
                        store(
                            &inner,
                            &mut ledger,
                            key,
                            &fingerprint,
                            StatusCode::INTERNAL_SERVER_ERROR,
                            &body,
                        );
                        Outcome::Answer(StatusCode::INTERNAL_SERVER_ERROR, body)
                    }
                    Some(Fault::DropResponse) => {
                        store(&inner, &mut ledger, key, &fingerprint, status, &body);
                        Outcome::Hang
                    }
                    _ => {
                        store(&inner, &mut ledger, key, &fingerprint, status, &body);
                        Outcome::Answer(status, body)
                    }
                }
            }
        }
    };
    finish(outcome).await
}

async fn list_transfers(
    State(inner): State<Arc<Inner>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if !authorized(&inner, &headers) {
        return error(StatusCode::UNAUTHORIZED, "invalid_request_error", "Invalid API Key provided.");
    }
    let outcome = {
        let mut ledger = inner.ledger.lock().unwrap();
        match ledger.faults.get_mut(&Call::ListTransfers).and_then(|q| q.pop_front()) {
            Some(Fault::Hang | Fault::DropResponse) => Outcome::Hang,
            Some(_) => Outcome::Answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"error": {"type": "api_error", "message": "Something went wrong."}}),
            ),
            None => {
                let data: Vec<Value> = ledger
                    .transfers
                    .iter()
                    .filter(|t| q.get("transfer_group").is_none_or(|g| t["transfer_group"] == json!(g)))
                    .cloned()
                    .collect();
                Outcome::Answer(StatusCode::OK, json!({"object": "list", "data": data, "has_more": false}))
            }
        }
    };
    finish(outcome).await
}

/// `make run` without Stripe: when no `TRIBUTARY_STRIPE_SECRET_KEY` is set, demo data is
/// seeded (`TRIBUTARY_SEED_DEMO`, default on) and `TRIBUTARY_STRIPE_DEMO` is not `0`, a
/// fake Stripe starts on a free local port and the app is pointed at it, with its
/// webhooks delivered to the app at `app_addr`. Real Stripe: set the three
/// `TRIBUTARY_STRIPE_*` variables (test-mode keys) and this does nothing.
pub async fn start_demo_if_unconfigured(
    config: &mut crate::server::config::Config,
    app_addr: std::net::SocketAddr,
) -> Option<FakeStripe> {
    let off = std::env::var("TRIBUTARY_STRIPE_DEMO").is_ok_and(|v| v == "0");
    if off || !config.seed_demo || config.stripe.secret_key.is_some() {
        return None;
    }
    let secret = format!("sk_test_local_{}", uuid::Uuid::now_v7().simple());
    let webhook = format!("whsec_local_{}", uuid::Uuid::now_v7().simple());
    let fake = match FakeStripe::start(&secret, &webhook, Duration::from_secs(24 * 3600), 0).await {
        Ok(f) => f,
        Err(e) => {
            tracing::warn!(error = %e, "could not start the local fake Stripe");
            return None;
        }
    };
    fake.set_webhook_url(&format!("http://{app_addr}/api/v1/stripe/webhook"));
    config.stripe.secret_key = Some(secret);
    config.stripe.webhook_secret = Some(webhook);
    config.stripe.api_base = fake.base().to_string();
    config.stripe.reconcile_after_ms = 5_000;
    tracing::info!(base = fake.base(), "Stripe: the built-in local fake (no real money)");
    Some(fake)
}
