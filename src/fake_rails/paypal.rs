//! A fake PayPal Payouts API on a local port.
//!
//! Implements `POST /v1/oauth2/token` (client credentials, Basic auth; tokens expire
//! after `token_ttl`), `POST /v1/payments/payouts` and `GET /v1/payments/payouts/:id`
//! (paged with `page` / `page_size`), with PayPal's duplicate rules:
//! - a repeated `PayPal-Request-Id` replays the first stored answer (2xx and 4xx; a 5xx
//!   is not stored, so a retry after one meets the next rule);
//! - a `sender_batch_id` already used is refused: 400 `USER_BUSINESS_ERROR` whose detail
//!   names the field and whose `links` point at the original batch;
//! - more than 15,000 items → 400 `VALIDATION_ERROR`; a `sender_item_id` twice in one
//!   batch → 400 `DUPLICATE_ITEM`; a receiver that is not an email → 400.
//!
//! Items succeed at once unless a receiver's outcome was set
//! ([`FakePaypal::set_receiver_status`]: FAILED, UNCLAIMED, PENDING, …); an item's status
//! can be changed later ([`FakePaypal::set_item_status`]). Faults per call as the fake
//! Stripe's ([`Fault`]).
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

pub use super::Fault;
use super::{Outcome, finish};

/// Which call a fault applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Call {
    CreateBatch,
    GetBatch,
    Token,
}

#[derive(Default)]
struct Ledger {
    tokens: HashMap<String, Instant>,
    /// sender_batch_id → payout_batch_id.
    sender_ids: HashMap<String, String>,
    /// payout_batch_id → (sender batch header, item ids in order).
    batches: HashMap<String, (Value, Vec<String>)>,
    /// payout_item_id → item.
    items: HashMap<String, Value>,
    item_order: Vec<String>,
    /// PayPal-Request-Id → (status, body).
    requests: HashMap<String, (u16, Value)>,
    receiver_status: HashMap<String, String>,
    faults: HashMap<Call, VecDeque<Fault>>,
    next: u64,
    token_requests: u64,
    batch_requests: u64,
}

struct Inner {
    client_id: String,
    client_secret: String,
    token_ttl: Duration,
    base: String,
    ledger: Mutex<Ledger>,
}

/// A running fake; dropped with the runtime.
#[derive(Clone)]
pub struct FakePaypal {
    inner: Arc<Inner>,
}

impl FakePaypal {
    /// Starts on 127.0.0.1 (`port` 0 = any free port).
    pub async fn start(
        client_id: &str,
        client_secret: &str,
        token_ttl: Duration,
        port: u16,
    ) -> std::io::Result<FakePaypal> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let base = format!("http://{}", listener.local_addr()?);
        let inner = Arc::new(Inner {
            client_id: client_id.to_string(),
            client_secret: client_secret.to_string(),
            token_ttl,
            base,
            ledger: Mutex::new(Ledger::default()),
        });
        let app = Router::new()
            .route("/v1/oauth2/token", post(token))
            .route("/v1/payments/payouts", post(create_batch))
            .route("/v1/payments/payouts/{id}", get(get_batch))
            .with_state(inner.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(FakePaypal { inner })
    }

    pub fn base(&self) -> &str {
        &self.inner.base
    }

    pub fn inject(&self, call: Call, fault: Fault) {
        self.inner.ledger.lock().unwrap().faults.entry(call).or_default().push_back(fault);
    }

    /// Every item ever made, in order (the ledger the tests count).
    pub fn items(&self) -> Vec<Value> {
        let ledger = self.inner.ledger.lock().unwrap();
        ledger.item_order.iter().filter_map(|id| ledger.items.get(id).cloned()).collect()
    }

    /// Items made for one payout (`sender_item_id`).
    pub fn items_for(&self, payout_id: &str) -> Vec<Value> {
        self.items().into_iter().filter(|i| i["payout_item"]["sender_item_id"] == payout_id).collect()
    }

    /// How many batches were made.
    pub fn batch_count(&self) -> usize {
        self.inner.ledger.lock().unwrap().batches.len()
    }

    /// Requests to `POST /v1/payments/payouts`, replays and refusals included.
    pub fn batch_requests(&self) -> u64 {
        self.inner.ledger.lock().unwrap().batch_requests
    }

    pub fn token_requests(&self) -> u64 {
        self.inner.ledger.lock().unwrap().token_requests
    }

    /// Forgets every stored `PayPal-Request-Id` (the `sender_batch_id` rule still holds).
    pub fn forget_request_ids(&self) {
        self.inner.ledger.lock().unwrap().requests.clear();
    }

    /// Invalidates every access token (as if they expired).
    pub fn expire_tokens(&self) {
        self.inner.ledger.lock().unwrap().tokens.clear();
    }

    /// New items to this receiver get `status` (`FAILED` items carry an error).
    pub fn set_receiver_status(&self, receiver: &str, status: &str) {
        self.inner.ledger.lock().unwrap().receiver_status.insert(receiver.to_lowercase(), status.to_string());
    }

    /// Changes the status of every item of a payout (`sender_item_id`).
    pub fn set_item_status(&self, payout_id: &str, status: &str) {
        let mut ledger = self.inner.ledger.lock().unwrap();
        for item in ledger.items.values_mut() {
            if item["payout_item"]["sender_item_id"] == payout_id {
                set_status(item, status);
            }
        }
    }
}

fn set_status(item: &mut Value, status: &str) {
    item["transaction_status"] = json!(status);
    item["errors"] = match status {
        "FAILED" => json!({"name": "RECEIVER_UNREGISTERED", "message": "Receiver is unregistered."}),
        "BLOCKED" => json!({"name": "RECEIVER_ACCOUNT_LOCKED", "message": "Receiver's account is locked."}),
        "RETURNED" => {
            json!({"name": "RECEIVER_UNCONFIRMED", "message": "The unclaimed payment was returned."})
        }
        _ => Value::Null,
    };
}

fn error(status: StatusCode, name: &str, message: &str) -> Response {
    (status, axum::Json(json!({"name": name, "message": message, "debug_id": "fake"}))).into_response()
}

fn fault(inner: &Inner, call: Call) -> Option<Fault> {
    inner.ledger.lock().unwrap().faults.get_mut(&call).and_then(|q| q.pop_front())
}

fn authorized(inner: &Inner, headers: &HeaderMap) -> bool {
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    inner.ledger.lock().unwrap().tokens.get(token).is_some_and(|until| Instant::now() < *until)
}

async fn token(State(inner): State<Arc<Inner>>, headers: HeaderMap, body: String) -> Response {
    match fault(&inner, Call::Token) {
        Some(Fault::Hang | Fault::DropResponse) => return finish(Outcome::Hang).await,
        Some(_) => return error(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_SERVICE_ERROR", "Try again."),
        None => {}
    }
    let expected = base64(format!("{}:{}", inner.client_id, inner.client_secret).as_bytes());
    let basic =
        headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Basic "));
    let mut ledger = inner.ledger.lock().unwrap();
    ledger.token_requests += 1;
    if basic != Some(expected.as_str()) {
        return (
            StatusCode::UNAUTHORIZED,
            axum::Json(
                json!({"error": "invalid_client", "error_description": "Client Authentication failed"}),
            ),
        )
            .into_response();
    }
    if !body.contains("grant_type=client_credentials") {
        return (StatusCode::BAD_REQUEST, axum::Json(json!({"error": "unsupported_grant_type"})))
            .into_response();
    }
    ledger.next += 1;
    let token = format!("A21AA{:08}fake", ledger.next);
    ledger.tokens.insert(token.clone(), Instant::now() + inner.token_ttl);
    axum::Json(json!({"scope": "https://uri.paypal.com/payments/payouts", "access_token": token,
        "token_type": "Bearer", "app_id": "APP-FAKE", "expires_in": inner.token_ttl.as_secs(), "nonce": "fake"}))
    .into_response()
}

/// Standard base64 with padding (what HTTP Basic authorization carries).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn is_email(s: &str) -> bool {
    crate::domain::email::Email::parse(s).is_ok()
}

fn amount_ok(v: &Value) -> bool {
    let value = v["value"].as_str().unwrap_or_default();
    let (whole, frac) = value.split_once('.').unwrap_or((value, "00"));
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.len() == 2
        && frac.bytes().all(|b| b.is_ascii_digit())
        && value != "0.00"
        && v["currency"].as_str().is_some_and(|c| c.len() == 3)
}

async fn create_batch(State(inner): State<Arc<Inner>>, headers: HeaderMap, body: String) -> Response {
    if !authorized(&inner, &headers) {
        return error(
            StatusCode::UNAUTHORIZED,
            "AUTHENTICATION_FAILURE",
            "Authentication failed due to invalid authentication credentials or a missing Authorization header.",
        );
    }
    let request_id = headers.get("paypal-request-id").and_then(|v| v.to_str().ok()).map(str::to_string);
    let outcome = {
        let mut ledger = inner.ledger.lock().unwrap();
        ledger.batch_requests += 1;
        if let Some((status, body)) = request_id.as_ref().and_then(|r| ledger.requests.get(r)) {
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return (status, axum::Json(body.clone())).into_response();
        }
        let fault = ledger.faults.get_mut(&Call::CreateBatch).and_then(|q| q.pop_front());
        match fault {
            Some(Fault::Hang) => Outcome::Hang,
            Some(Fault::ErrorBeforeCommit) => Outcome::Answer(
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"name": "INTERNAL_SERVICE_ERROR", "message": "An internal service error occurred."}),
            ),
            _ => {
                let (status, answer) = make_batch(&inner, &mut ledger, &body);
                if let Some(r) = &request_id {
                    ledger.requests.insert(r.clone(), (status.as_u16(), answer.clone()));
                }
                match fault {
                    Some(Fault::DropResponse) => Outcome::Hang,
                    Some(Fault::ErrorAfterCommit) => {
                        // A 5xx is not kept against the request id.
                        if let Some(r) = &request_id {
                            ledger.requests.remove(r);
                        }
                        Outcome::Answer(
                            StatusCode::INTERNAL_SERVER_ERROR,
                            json!({"name": "INTERNAL_SERVICE_ERROR", "message": "An internal service error occurred."}),
                        )
                    }
                    _ => Outcome::Answer(status, answer),
                }
            }
        }
    };
    finish(outcome).await
}

/// Validates and commits a batch: (status, answer).
fn make_batch(inner: &Inner, ledger: &mut Ledger, body: &str) -> (StatusCode, Value) {
    let invalid = |m: &str| {
        (
            StatusCode::BAD_REQUEST,
            json!({"name": "VALIDATION_ERROR", "message": "Invalid request - see details.", "details": [{"issue": m}]}),
        )
    };
    let Ok(request) = serde_json::from_str::<Value>(body) else { return invalid("MALFORMED_REQUEST_JSON") };
    let header = request["sender_batch_header"].clone();
    let Some(sender_batch_id) = header["sender_batch_id"].as_str().map(str::to_string) else {
        return invalid("sender_batch_id is required");
    };
    if let Some(existing) = ledger.sender_ids.get(&sender_batch_id) {
        return (
            StatusCode::BAD_REQUEST,
            json!({"name": "USER_BUSINESS_ERROR", "message": "User business error.", "debug_id": "fake",
                "information_link": "https://developer.paypal.com/docs/api/payments.payouts-batch/#errors",
                "details": [{"field": "SENDER_BATCH_ID", "location": "body", "issue": "Batch with given sender_batch_id already exists"}],
                "links": [{"href": format!("{}/v1/payments/payouts/{existing}", inner.base), "rel": "self", "method": "GET", "encType": "application/json"}]}),
        );
    }
    let items = request["items"].as_array().cloned().unwrap_or_default();
    if items.is_empty() {
        return invalid("items are required");
    }
    if items.len() > 15_000 {
        return invalid("Exceeded the maximum of 15000 items per batch");
    }
    let mut seen = std::collections::HashSet::new();
    for item in &items {
        if !is_email(item["receiver"].as_str().unwrap_or_default()) {
            return invalid("receiver must be a valid email for recipient_type EMAIL");
        }
        if !amount_ok(&item["amount"]) {
            return invalid("amount value must be a positive decimal with two places");
        }
        if let Some(id) = item["sender_item_id"].as_str()
            && !seen.insert(id.to_string())
        {
            return (
                StatusCode::BAD_REQUEST,
                json!({"name": "DUPLICATE_ITEM", "message": "This transaction is duplicated in this batch. Please check the Ref_ID / Sender_Item_ID."}),
            );
        }
    }
    ledger.next += 1;
    let batch_id = format!("PB{:08}", ledger.next);
    let mut ids = Vec::new();
    for item in items {
        ledger.next += 1;
        let item_id = format!("PI{:08}", ledger.next);
        let receiver = item["receiver"].as_str().unwrap_or_default().to_lowercase();
        let status = ledger.receiver_status.get(&receiver).cloned().unwrap_or_else(|| "SUCCESS".into());
        let mut stored = json!({"payout_item_id": item_id, "transaction_id": format!("TX{:08}", ledger.next),
            "payout_batch_id": batch_id, "payout_item_fee": {"currency": item["amount"]["currency"], "value": "0.00"},
            "payout_item": {"recipient_type": "EMAIL", "amount": item["amount"], "receiver": item["receiver"],
                "sender_item_id": item["sender_item_id"], "note": item["note"]}});
        set_status(&mut stored, &status);
        ledger.items.insert(item_id.clone(), stored);
        ledger.item_order.push(item_id.clone());
        ids.push(item_id);
    }
    ledger.sender_ids.insert(sender_batch_id, batch_id.clone());
    ledger.batches.insert(batch_id.clone(), (header.clone(), ids));
    (
        StatusCode::CREATED,
        json!({"batch_header": {"payout_batch_id": batch_id, "batch_status": "PENDING", "sender_batch_header": header},
            "links": [{"href": format!("{}/v1/payments/payouts/{batch_id}", inner.base), "rel": "self", "method": "GET"}]}),
    )
}

async fn get_batch(
    State(inner): State<Arc<Inner>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if !authorized(&inner, &headers) {
        return error(StatusCode::UNAUTHORIZED, "AUTHENTICATION_FAILURE", "Authentication failed.");
    }
    match fault(&inner, Call::GetBatch) {
        Some(Fault::Hang | Fault::DropResponse) => return finish(Outcome::Hang).await,
        Some(_) => {
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_SERVICE_ERROR",
                "An internal service error occurred.",
            );
        }
        None => {}
    }
    let ledger = inner.ledger.lock().unwrap();
    let Some((header, ids)) = ledger.batches.get(&id) else {
        return error(StatusCode::NOT_FOUND, "INVALID_RESOURCE_ID", "Requested resource ID was not found.");
    };
    let page: usize = q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1).max(1);
    let size: usize = q.get("page_size").and_then(|p| p.parse().ok()).unwrap_or(1000).clamp(1, 1000);
    let all: Vec<&Value> = ids.iter().filter_map(|i| ledger.items.get(i)).collect();
    let done =
        all.iter().all(|i| i["transaction_status"] != "PENDING" && i["transaction_status"] != "UNCLAIMED");
    let items: Vec<Value> = all.iter().skip((page - 1) * size).take(size).map(|v| (*v).clone()).collect();
    axum::Json(json!({"total_items": all.len(), "total_pages": all.len().div_ceil(size),
        "batch_header": {"payout_batch_id": id, "batch_status": if done { "SUCCESS" } else { "PROCESSING" },
            "sender_batch_header": header},
        "items": items}))
    .into_response()
}

/// `make run` without PayPal: when no `TRIBUTARY_PAYPAL_CLIENT_ID` is set, demo data is
/// seeded and `TRIBUTARY_PAYPAL_DEMO` is not `0`, a fake PayPal starts on a free local
/// port and the app is pointed at it. Real PayPal: set the `TRIBUTARY_PAYPAL_*`
/// variables (sandbox credentials and base) and this does nothing.
pub async fn start_demo_if_unconfigured(config: &mut crate::server::config::Config) -> Option<FakePaypal> {
    let off = std::env::var("TRIBUTARY_PAYPAL_DEMO").is_ok_and(|v| v == "0");
    if off || !config.seed_demo || config.paypal.client_id.is_some() {
        return None;
    }
    let id = format!("local-client-{}", uuid::Uuid::now_v7().simple());
    let secret = format!("local-secret-{}", uuid::Uuid::now_v7().simple());
    let fake = match FakePaypal::start(&id, &secret, Duration::from_secs(9 * 3600), 0).await {
        Ok(f) => f,
        Err(e) => {
            tracing::warn!(error = %e, "could not start the local fake PayPal");
            return None;
        }
    };
    config.paypal.client_id = Some(id);
    config.paypal.client_secret = Some(crate::server::config::Secret(secret));
    config.paypal.api_base = fake.base().to_string();
    config.paypal.reconcile_after_ms = 5_000;
    tracing::info!(base = fake.base(), "PayPal: the built-in local fake (no real money)");
    Some(fake)
}

#[cfg(test)]
mod tests {
    #[test]
    fn basic_authorization_is_standard_base64() {
        assert_eq!(super::base64(b"id:secret"), "aWQ6c2VjcmV0");
        assert_eq!(super::base64(b"ab"), "YWI=");
        assert_eq!(super::base64(b"a"), "YQ==");
    }
}
