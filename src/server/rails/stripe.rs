//! Stripe Connect over plain HTTP(S) with `reqwest`: the handful of calls Tributary
//! makes (accounts, account links, login links, transfers) and how each answer is
//! classified. The secret key is only ever put in the `Authorization` header; neither
//! `StripeSettings` nor `StripeClient` prints it (`Debug` is redacted).
use std::time::Duration;

use reqwest::StatusCode;
use serde::Deserialize;

/// `TRIBUTARY_STRIPE_*` settings.
#[derive(Clone)]
pub struct StripeSettings {
    /// `TRIBUTARY_STRIPE_SECRET_KEY`; unset → the Stripe rail is off.
    pub secret_key: Option<String>,
    /// `TRIBUTARY_STRIPE_WEBHOOK_SECRET`; unset → the webhook endpoint answers 503.
    pub webhook_secret: Option<String>,
    /// `TRIBUTARY_STRIPE_API_BASE` (default `https://api.stripe.com`).
    pub api_base: String,
    /// `TRIBUTARY_STRIPE_TIMEOUT_MS` (default 20 000): past it an answer is "unknown".
    pub timeout: Duration,
    /// `TRIBUTARY_STRIPE_RECONCILE_AFTER_SECONDS` (default 60): how long an unknown
    /// outcome settles before the lookup may prove there is no transfer.
    pub reconcile_after_ms: i64,
}

impl std::fmt::Debug for StripeSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StripeSettings")
            .field("secret_key", &self.secret_key.as_ref().map(|_| "[redacted]"))
            .field("webhook_secret", &self.webhook_secret.as_ref().map(|_| "[redacted]"))
            .field("api_base", &self.api_base)
            .field("timeout", &self.timeout)
            .field("reconcile_after_ms", &self.reconcile_after_ms)
            .finish()
    }
}

impl Default for StripeSettings {
    fn default() -> Self {
        StripeSettings {
            secret_key: None,
            webhook_secret: None,
            api_base: "https://api.stripe.com".into(),
            timeout: Duration::from_secs(20),
            reconcile_after_ms: 60_000,
        }
    }
}

impl StripeSettings {
    pub fn from_env() -> Self {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let d = StripeSettings::default();
        StripeSettings {
            secret_key: var("TRIBUTARY_STRIPE_SECRET_KEY"),
            webhook_secret: var("TRIBUTARY_STRIPE_WEBHOOK_SECRET"),
            api_base: var("TRIBUTARY_STRIPE_API_BASE")
                .map(|b| b.trim_end_matches('/').to_string())
                .unwrap_or(d.api_base),
            timeout: var("TRIBUTARY_STRIPE_TIMEOUT_MS")
                .and_then(|v| v.parse().ok())
                .map(Duration::from_millis)
                .unwrap_or(d.timeout),
            reconcile_after_ms: var("TRIBUTARY_STRIPE_RECONCILE_AFTER_SECONDS")
                .and_then(|v| v.parse::<i64>().ok())
                .map(|s| s * 1000)
                .unwrap_or(d.reconcile_after_ms),
        }
    }
}

#[derive(Clone)]
pub struct StripeClient {
    http: reqwest::Client,
    base: String,
    key: String,
    pub reconcile_after_ms: i64,
}

impl std::fmt::Debug for StripeClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StripeClient").field("base", &self.base).finish_non_exhaustive()
    }
}

pub use super::Answer;
use super::describe;

#[derive(Debug, Clone, Deserialize)]
pub struct Transfer {
    pub id: String,
    pub amount: i64,
    #[serde(default)]
    pub destination: Option<String>,
    #[serde(default)]
    pub transfer_group: Option<String>,
    #[serde(default)]
    pub reversed: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Account {
    pub id: String,
    #[serde(default)]
    pub details_submitted: bool,
    #[serde(default)]
    pub payouts_enabled: bool,
    #[serde(default)]
    pub capabilities: serde_json::Value,
    #[serde(default)]
    pub requirements: serde_json::Value,
}

impl Account {
    pub fn transfers(&self) -> String {
        self.capabilities.get("transfers").and_then(|v| v.as_str()).unwrap_or("inactive").to_string()
    }
    pub fn requirements_due(&self) -> String {
        self.requirements
            .get("currently_due")
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join(", "))
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Link {
    pub url: String,
}

#[derive(Deserialize)]
struct List<T> {
    data: Vec<T>,
}

/// One transfer to send.
pub struct TransferRequest<'a> {
    pub amount_cents: i64,
    pub currency: &'a str,
    pub destination: &'a str,
    pub payout_id: &'a str,
    pub attempt: i64,
    pub idempotency_key: &'a str,
}

impl StripeClient {
    /// `None` when no secret key is configured.
    pub fn new(settings: &StripeSettings) -> Option<StripeClient> {
        let key = settings.secret_key.clone()?;
        let http = reqwest::Client::builder().timeout(settings.timeout).build().ok()?;
        Some(StripeClient {
            http,
            base: settings.api_base.clone(),
            key,
            reconcile_after_ms: settings.reconcile_after_ms,
        })
    }

    async fn send<T: for<'de> Deserialize<'de>>(&self, req: reqwest::RequestBuilder) -> Answer<T> {
        let response = match req.bearer_auth(&self.key).send().await {
            Ok(r) => r,
            Err(e) => return Answer::Unknown(describe(&e)),
        };
        let status = response.status();
        let body = match response.bytes().await {
            Ok(b) => b,
            Err(e) => return Answer::Unknown(describe(&e)),
        };
        if status.is_success() {
            return match serde_json::from_slice(&body) {
                Ok(v) => Answer::Done(v),
                Err(_) => Answer::Unknown(format!("unreadable {status} answer")),
            };
        }
        let error: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        let kind = error["error"]["type"].as_str().unwrap_or_default();
        let message = error["error"]["message"].as_str().unwrap_or("no message").to_string();
        let message: String = format!("Stripe {}: {}", status.as_u16(), message).chars().take(300).collect();
        if status.is_server_error()
            || status == StatusCode::CONFLICT
            || status == StatusCode::TOO_MANY_REQUESTS
            || kind == "idempotency_error"
        {
            Answer::Unknown(message)
        } else {
            Answer::Refused(message)
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn create_transfer(&self, t: &TransferRequest<'_>) -> Answer<Transfer> {
        let form = [
            ("amount", t.amount_cents.to_string()),
            ("currency", t.currency.to_lowercase()),
            ("destination", t.destination.to_string()),
            ("transfer_group", t.payout_id.to_string()),
            ("metadata[payout_id]", t.payout_id.to_string()),
            ("metadata[attempt]", t.attempt.to_string()),
        ];
        let req = self
            .http
            .post(self.url("/v1/transfers"))
            .header("Idempotency-Key", t.idempotency_key)
            .form(&form);
        self.send(req).await
    }

    /// Transfers made for a payout (its transfer group). Only a 2xx proves anything.
    pub async fn transfers_for(&self, payout_id: &str) -> Answer<Vec<Transfer>> {
        let req = self
            .http
            .get(self.url("/v1/transfers"))
            .query(&[("transfer_group", payout_id), ("limit", "100")]);
        match self.send::<List<Transfer>>(req).await {
            Answer::Done(list) => Answer::Done(list.data),
            Answer::Refused(m) => Answer::Refused(m),
            Answer::Unknown(m) => Answer::Unknown(m),
        }
    }

    pub async fn create_account(&self, partner_id: &str, email: Option<&str>) -> Answer<Account> {
        let mut form = vec![
            ("type", "express".to_string()),
            ("capabilities[transfers][requested]", "true".to_string()),
            ("metadata[partner_id]", partner_id.to_string()),
        ];
        if let Some(email) = email {
            form.push(("email", email.to_string()));
        }
        let key = format!("tributary-account-{partner_id}");
        let req = self.http.post(self.url("/v1/accounts")).header("Idempotency-Key", key).form(&form);
        self.send(req).await
    }

    pub async fn account(&self, account_id: &str) -> Answer<Account> {
        self.send(self.http.get(self.url(&format!("/v1/accounts/{account_id}")))).await
    }

    pub async fn account_link(&self, account_id: &str, refresh_url: &str, return_url: &str) -> Answer<Link> {
        let form = [
            ("account", account_id),
            ("refresh_url", refresh_url),
            ("return_url", return_url),
            ("type", "account_onboarding"),
        ];
        self.send(self.http.post(self.url("/v1/account_links")).form(&form)).await
    }

    pub async fn login_link(&self, account_id: &str) -> Answer<Link> {
        self.send(self.http.post(self.url(&format!("/v1/accounts/{account_id}/login_links")))).await
    }
}
