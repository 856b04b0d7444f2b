//! PayPal Payouts over plain HTTP(S) with `reqwest`: an OAuth client-credentials token
//! (cached until shortly before it expires), batches (`POST /v1/payments/payouts`) and
//! their items (`GET /v1/payments/payouts/{payout_batch_id}`), and how each answer is
//! classified. The client secret is only ever put in the token request's Basic
//! authorization; neither `PaypalSettings` nor `PaypalClient` prints it.
//!
//! PayPal refuses a `sender_batch_id` used in the last 30 days (an error naming the
//! duplicate, with a HATEOAS link to the original batch) and says a 5xx may be retried
//! with the same `sender_batch_id`; a repeated `PayPal-Request-Id` replays the stored
//! answer. So resending the very same batch is how an unknown outcome is looked up:
//! the answer is either the batch (made now or before) or the refusal naming it.
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Answer, describe};
use crate::server::config::Secret;

/// At most this many items in one `POST /v1/payments/payouts` (PayPal answers 400 above).
pub const MAX_ITEMS_PER_BATCH: usize = 15_000;
/// Items per page when reading a batch back.
const PAGE_SIZE: usize = 1_000;

/// `TRIBUTARY_PAYPAL_*` settings.
#[derive(Clone, Debug)]
pub struct PaypalSettings {
    /// `TRIBUTARY_PAYPAL_CLIENT_ID`; unset → the PayPal rail is off.
    pub client_id: Option<String>,
    /// `TRIBUTARY_PAYPAL_CLIENT_SECRET` (redacted in `Debug`).
    pub client_secret: Option<Secret>,
    /// `TRIBUTARY_PAYPAL_API_BASE` (default `https://api-m.paypal.com`; the sandbox is
    /// `https://api-m.sandbox.paypal.com`).
    pub api_base: String,
    /// `TRIBUTARY_PAYPAL_TIMEOUT_MS` (default 20 000): past it an answer is "unknown".
    pub timeout: Duration,
    /// `TRIBUTARY_PAYPAL_RECONCILE_AFTER_SECONDS` (default 60): how long an unknown
    /// outcome settles before the batch is sent again to learn what became of it.
    pub reconcile_after_ms: i64,
}

impl Default for PaypalSettings {
    fn default() -> Self {
        PaypalSettings {
            client_id: None,
            client_secret: None,
            api_base: "https://api-m.paypal.com".into(),
            timeout: Duration::from_secs(20),
            reconcile_after_ms: 60_000,
        }
    }
}

impl PaypalSettings {
    pub fn from_env() -> Self {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let d = PaypalSettings::default();
        PaypalSettings {
            client_id: var("TRIBUTARY_PAYPAL_CLIENT_ID"),
            client_secret: var("TRIBUTARY_PAYPAL_CLIENT_SECRET").map(Secret),
            api_base: var("TRIBUTARY_PAYPAL_API_BASE")
                .map(|b| b.trim_end_matches('/').to_string())
                .unwrap_or(d.api_base),
            timeout: var("TRIBUTARY_PAYPAL_TIMEOUT_MS")
                .and_then(|v| v.parse().ok())
                .map(Duration::from_millis)
                .unwrap_or(d.timeout),
            reconcile_after_ms: var("TRIBUTARY_PAYPAL_RECONCILE_AFTER_SECONDS")
                .and_then(|v| v.parse::<i64>().ok())
                .map(|s| s * 1000)
                .unwrap_or(d.reconcile_after_ms),
        }
    }
}

#[derive(Clone)]
pub struct PaypalClient {
    http: reqwest::Client,
    base: String,
    client_id: String,
    secret: Secret,
    /// The access token and when to stop using it.
    token: Arc<Mutex<Option<(String, Instant)>>>,
    pub reconcile_after_ms: i64,
}

impl std::fmt::Debug for PaypalClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PaypalClient").field("base", &self.base).finish_non_exhaustive()
    }
}

/// One payout in a batch.
#[derive(Debug, Clone)]
pub struct BatchItem {
    /// The payout id (`sender_item_id`).
    pub payout_id: String,
    pub receiver: String,
    pub amount_cents: i64,
    pub currency: String,
}

/// A batch as PayPal knows it: its id, whether this answer made it or only named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    pub payout_batch_id: String,
    /// PayPal refused the `sender_batch_id` as already used and named the batch.
    pub duplicate: bool,
}

#[derive(Debug, Clone)]
pub struct Item {
    pub payout_item_id: String,
    pub sender_item_id: String,
    pub transaction_status: String,
    /// PayPal's error name and message for a failed item.
    pub error: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Batch {
    pub payout_batch_id: String,
    pub batch_status: String,
    pub items: Vec<Item>,
}

/// What an item's status decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemState {
    Paid,
    Failed,
    /// Still on its way (PENDING, UNCLAIMED, ONHOLD, NEW …): ask again later.
    Waiting,
}

/// PayPal's `transaction_status` of an item: SUCCESS is paid; FAILED, RETURNED,
/// BLOCKED, REFUNDED, REVERSED and DENIED mean the money did not (or no longer) reach
/// the partner; anything else is still on its way.
pub fn item_state(status: &str) -> ItemState {
    match status.to_ascii_uppercase().as_str() {
        "SUCCESS" => ItemState::Paid,
        "FAILED" | "RETURNED" | "BLOCKED" | "REFUNDED" | "REVERSED" | "DENIED" => ItemState::Failed,
        _ => ItemState::Waiting,
    }
}

#[derive(Deserialize)]
struct Token {
    access_token: String,
    #[serde(default)]
    expires_in: u64,
}

/// `1234` → `"12.34"`: PayPal takes amounts as decimal strings.
pub fn decimal(cents: i64) -> String {
    crate::domain::money::Cents(cents).dollars_input()
}

impl PaypalClient {
    /// `None` unless both the client id and the secret are configured.
    pub fn new(settings: &PaypalSettings) -> Option<PaypalClient> {
        let client_id = settings.client_id.clone()?;
        let secret = settings.client_secret.clone()?;
        let http = reqwest::Client::builder().timeout(settings.timeout).build().ok()?;
        Some(PaypalClient {
            http,
            base: settings.api_base.clone(),
            client_id,
            secret,
            token: Arc::new(Mutex::new(None)),
            reconcile_after_ms: settings.reconcile_after_ms,
        })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A valid access token: the cached one, or a new one (client credentials), kept
    /// until a minute before PayPal says it expires.
    pub async fn token(&self) -> Answer<String> {
        if let Some((token, until)) = self.token.lock().unwrap().clone()
            && Instant::now() < until
        {
            return Answer::Done(token);
        }
        let req = self
            .http
            .post(self.url("/v1/oauth2/token"))
            .basic_auth(&self.client_id, Some(self.secret.expose()))
            .form(&[("grant_type", "client_credentials")]);
        let response = match req.send().await {
            Ok(r) => r,
            Err(e) => return Answer::Unknown(format!("PayPal token: {}", describe(&e))),
        };
        let status = response.status();
        let body = response.bytes().await.unwrap_or_default();
        if !status.is_success() {
            return Answer::Refused(format!("PayPal token refused ({})", status.as_u16()));
        }
        match serde_json::from_slice::<Token>(&body) {
            Ok(t) => {
                let keep = Duration::from_secs(t.expires_in.saturating_sub(60));
                *self.token.lock().unwrap() = Some((t.access_token.clone(), Instant::now() + keep));
                Answer::Done(t.access_token)
            }
            Err(_) => Answer::Unknown("PayPal token: unreadable answer".into()),
        }
    }

    /// Sends a request with the token; a 401 drops the cached token and sends once
    /// more with a fresh one (nothing is done under a refused token).
    async fn send(&self, build: impl Fn() -> reqwest::RequestBuilder) -> Result<(StatusCode, Value), String> {
        for round in 0..2 {
            let token = match self.token().await {
                Answer::Done(t) => t,
                Answer::Refused(m) | Answer::Unknown(m) => return Err(m),
            };
            let response = match build().bearer_auth(&token).send().await {
                Ok(r) => r,
                Err(e) => return Err(describe(&e)),
            };
            let status = response.status();
            if status == StatusCode::UNAUTHORIZED && round == 0 {
                *self.token.lock().unwrap() = None;
                continue;
            }
            let body = match response.bytes().await {
                Ok(b) => b,
                Err(e) => return Err(describe(&e)),
            };
            let value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            return Ok((status, value));
        }
        Err("PayPal refused the access token twice".into())
    }

    /// `POST /v1/payments/payouts` for one batch, `PayPal-Request-Id` = the
    /// `sender_batch_id`. Sending the same batch again is safe: PayPal makes it once.
    pub async fn create_batch(&self, sender_batch_id: &str, items: &[BatchItem]) -> Answer<Created> {
        if items.len() > MAX_ITEMS_PER_BATCH {
            return Answer::Refused(format!("at most {MAX_ITEMS_PER_BATCH} items per PayPal batch"));
        }
        let body = json!({
            "sender_batch_header": {
                "sender_batch_id": sender_batch_id,
                "recipient_type": "EMAIL",
                "email_subject": "You have a payout",
                "email_message": "Your partner commissions have been paid to this PayPal account.",
            },
            "items": items.iter().map(|i| json!({
                "recipient_type": "EMAIL",
                "amount": {"value": decimal(i.amount_cents), "currency": i.currency.to_uppercase()},
                "receiver": i.receiver,
                "sender_item_id": i.payout_id,
                "note": "Partner commissions",
            })).collect::<Vec<_>>(),
        });
        let sent = self
            .send(|| {
                self.http
                    .post(self.url("/v1/payments/payouts"))
                    .header("PayPal-Request-Id", sender_batch_id)
                    .json(&body)
            })
            .await;
        let (status, value) = match sent {
            Ok(v) => v,
            Err(m) => return Answer::Unknown(m),
        };
        if status.is_success() {
            return match value["batch_header"]["payout_batch_id"].as_str() {
                Some(id) => Answer::Done(Created { payout_batch_id: id.to_string(), duplicate: false }),
                None => Answer::Unknown(format!("unreadable {status} answer")),
            };
        }
        if let Some(id) = duplicate_of(&value) {
            return Answer::Done(Created { payout_batch_id: id, duplicate: true });
        }
        let message = error_text(status, &value);
        if status.is_server_error()
            || status == StatusCode::CONFLICT
            || status == StatusCode::TOO_MANY_REQUESTS
            || status == StatusCode::UNAUTHORIZED
            || is_duplicate(&value)
        {
            // A duplicate without a link proves the batch exists but not where: unknown,
            // and never a new batch.
            Answer::Unknown(message)
        } else {
            Answer::Refused(message)
        }
    }

    /// `GET /v1/payments/payouts/{id}`, every page.
    pub async fn batch(&self, payout_batch_id: &str) -> Answer<Batch> {
        let mut batch = Batch {
            payout_batch_id: payout_batch_id.to_string(),
            batch_status: String::new(),
            items: Vec::new(),
        };
        for page in 1.. {
            let url = self.url(&format!("/v1/payments/payouts/{payout_batch_id}"));
            let query = [("page", page.to_string()), ("page_size", PAGE_SIZE.to_string())];
            let (status, value) = match self.send(|| self.http.get(&url).query(&query)).await {
                Ok(v) => v,
                Err(m) => return Answer::Unknown(m),
            };
            if !status.is_success() {
                // Even a 404 is no proof here: the batch id came from PayPal itself.
                return Answer::Unknown(error_text(status, &value));
            }
            batch.batch_status =
                value["batch_header"]["batch_status"].as_str().unwrap_or_default().to_string();
            let items = value["items"].as_array().cloned().unwrap_or_default();
            let count = items.len();
            batch.items.extend(items.iter().map(|i| Item {
                payout_item_id: i["payout_item_id"].as_str().unwrap_or_default().to_string(),
                sender_item_id: i["payout_item"]["sender_item_id"].as_str().unwrap_or_default().to_string(),
                transaction_status: i["transaction_status"].as_str().unwrap_or_default().to_string(),
                error: i.get("errors").filter(|e| !e.is_null()).map(|e| {
                    format!(
                        "{}: {}",
                        e["name"].as_str().unwrap_or("ERROR"),
                        e["message"].as_str().unwrap_or("no message")
                    )
                }),
            }));
            if count < PAGE_SIZE {
                break;
            }
        }
        Answer::Done(batch)
    }
}

/// PayPal's refusal of a reused `sender_batch_id` (or request id).
fn is_duplicate(value: &Value) -> bool {
    let name = value["name"].as_str().unwrap_or_default();
    let detail = value["details"].as_array().cloned().unwrap_or_default();
    matches!(name, "DUPLICATE_REQUEST_ID" | "SENDER_BATCH_ID_ALREADY_USED")
        || (name == "USER_BUSINESS_ERROR"
            && detail.iter().any(|d| {
                d["field"].as_str().is_some_and(|f| f.eq_ignore_ascii_case("sender_batch_id"))
                    || d["issue"].as_str().is_some_and(|i| i.to_ascii_lowercase().contains("sender_batch_id"))
            }))
}

/// The original batch's id, from the duplicate refusal's HATEOAS link.
fn duplicate_of(value: &Value) -> Option<String> {
    if !is_duplicate(value) {
        return None;
    }
    value["links"].as_array()?.iter().find_map(|l| {
        let href = l["href"].as_str()?;
        let (_, tail) = href.split_once("/v1/payments/payouts/")?;
        let id = tail.split(['?', '/']).next()?;
        (!id.is_empty()).then(|| id.to_string())
    })
}

fn error_text(status: StatusCode, value: &Value) -> String {
    let name = value["name"].as_str().unwrap_or("ERROR");
    let message = value["message"].as_str().unwrap_or("no message");
    format!("PayPal {} {name}: {message}", status.as_u16()).chars().take(300).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_statuses_map_to_paid_failed_or_waiting() {
        assert_eq!(item_state("SUCCESS"), ItemState::Paid);
        for s in ["FAILED", "RETURNED", "BLOCKED", "REFUNDED", "REVERSED", "DENIED"] {
            assert_eq!(item_state(s), ItemState::Failed, "{s}");
        }
        for s in ["PENDING", "UNCLAIMED", "ONHOLD", "NEW", ""] {
            assert_eq!(item_state(s), ItemState::Waiting, "{s}");
        }
        assert_eq!(decimal(2_000), "20.00");
        assert_eq!(decimal(5), "0.05");
    }

    #[test]
    fn a_reused_sender_batch_id_names_the_original_batch() {
        let refusal = json!({"name": "USER_BUSINESS_ERROR", "message": "User business error.",
            "details": [{"field": "SENDER_BATCH_ID", "location": "body", "issue": "Batch with given sender_batch_id already exists"}],
            "links": [{"href": "https://api-m.sandbox.paypal.com/v1/payments/payouts/PB123", "rel": "self", "method": "GET"}]});
        assert_eq!(duplicate_of(&refusal).as_deref(), Some("PB123"));
        let other = json!({"name": "VALIDATION_ERROR", "links": refusal["links"].clone()});
        assert_eq!(duplicate_of(&other), None);
        assert!(!is_duplicate(&other));
    }

    #[test]
    fn the_settings_never_print_the_secret() {
        let s = PaypalSettings {
            client_id: Some("id".into()),
            client_secret: Some(Secret("paypal-secret-xyz".into())),
            ..PaypalSettings::default()
        };
        assert!(!format!("{s:?}").contains("paypal-secret-xyz"));
        assert!(!format!("{:?}", PaypalClient::new(&s).unwrap()).contains("paypal-secret-xyz"));
    }
}
