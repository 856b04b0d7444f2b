//! Payout rails: how a payout reaches a partner. `manual` (an admin pays by hand and
//! records the reference) and `bank` (the run's CSV goes to the bank; an admin records
//! the outcome) are complete; Stripe Connect and PayPal Payouts implement the same trait
//! and are moved by `rail_dispatch`.
use crate::domain::payouts::PayoutMethod;
use crate::domain::roles::PayoutStatus;

pub trait PayoutRail: Send + Sync {
    fn method(&self) -> PayoutMethod;
    /// Whether a partner with these payout details can be paid on this rail; the reason
    /// (in the partner's words) when not.
    fn ready(&self, details: Option<&str>) -> Result<(), String>;
    /// The status a new payout starts in on this rail.
    fn initial_status(&self) -> PayoutStatus;
}

pub struct Manual;

impl PayoutRail for Manual {
    fn method(&self) -> PayoutMethod {
        PayoutMethod::Manual
    }
    fn ready(&self, _details: Option<&str>) -> Result<(), String> {
        Ok(())
    }
    fn initial_status(&self) -> PayoutStatus {
        PayoutStatus::Pending
    }
}

pub struct Bank;

impl PayoutRail for Bank {
    fn method(&self) -> PayoutMethod {
        PayoutMethod::Bank
    }
    fn ready(&self, details: Option<&str>) -> Result<(), String> {
        let account = details
            .and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok())
            .and_then(|v| v.get("account").and_then(|a| a.as_str()).map(|a| !a.trim().is_empty()));
        match account {
            Some(true) => Ok(()),
            _ => Err("No payout method: add your bank account details to be paid.".into()),
        }
    }
    /// In the run's bank file as soon as it exists.
    fn initial_status(&self) -> PayoutStatus {
        PayoutStatus::Processing
    }
}

/// Stripe Connect: paid by `rail_dispatch` (transfer to the connected account). Ready
/// only when the recorded account has payouts enabled and the `transfers` capability
/// active (`stripe_connect` writes that into the details on every status change).
pub struct Stripe;

impl PayoutRail for Stripe {
    fn method(&self) -> PayoutMethod {
        PayoutMethod::Stripe
    }
    fn ready(&self, details: Option<&str>) -> Result<(), String> {
        let v = details.and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok()).unwrap_or_default();
        match (v.get("stripe_account").and_then(|a| a.as_str()), v.get("transfers_ready")) {
            (Some(_), Some(serde_json::Value::Bool(true))) => Ok(()),
            (Some(_), _) => {
                Err("Stripe can't send you transfers yet: finish Stripe onboarding on the Payouts page."
                    .into())
            }
            (None, _) => Err("No payout method: connect Stripe on the Payouts page to be paid.".into()),
        }
    }
    /// Sent by the rail dispatcher right after the run.
    fn initial_status(&self) -> PayoutStatus {
        PayoutStatus::Pending
    }
}

/// PayPal Payouts: paid by `rail_dispatch` in batches. Ready when the partner has
/// given the PayPal email it wants to be paid at.
pub struct Paypal;

impl PayoutRail for Paypal {
    fn method(&self) -> PayoutMethod {
        PayoutMethod::Paypal
    }
    fn ready(&self, details: Option<&str>) -> Result<(), String> {
        let v = details.and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok()).unwrap_or_default();
        match v.get("paypal_email").and_then(|e| e.as_str()) {
            Some(e) if crate::domain::email::Email::parse(e).is_ok() => Ok(()),
            _ => {
                Err("No payout method: add the PayPal email you want to be paid at on the Payouts page."
                    .into())
            }
        }
    }
    /// Sent by the rail dispatcher right after the run.
    fn initial_status(&self) -> PayoutStatus {
        PayoutStatus::Pending
    }
}

/// The rail for a method; `None` for rails that are not built yet.
pub fn rail(method: PayoutMethod) -> Option<&'static dyn PayoutRail> {
    match method {
        PayoutMethod::Manual => Some(&Manual),
        PayoutMethod::Bank => Some(&Bank),
        PayoutMethod::Stripe => Some(&Stripe),
        PayoutMethod::Paypal => Some(&Paypal),
    }
}

/// Whether an admin may mark a payout of this method paid or failed by hand: not one an
/// external rail moves (a transfer may exist that the rail has not reported yet, so a
/// hand-made "failed" could return money that was sent).
pub fn admin_may_decide(method: &str) -> Result<(), crate::model::AppError> {
    match PayoutMethod::parse(method) {
        Some(PayoutMethod::Stripe) => Err(crate::model::AppError::Refused(
            "Stripe decides this payout: it is paid or failed by the transfer (or its reversal), not by hand."
                .into(),
        )),
        Some(PayoutMethod::Paypal) => Err(crate::model::AppError::Refused(
            "PayPal decides this payout: it is paid or failed by its PayPal batch item, not by hand.".into(),
        )),
        _ => Ok(()),
    }
}

/// Whether a partner's stored method can be paid now.
pub fn ready(method: &str, details: Option<&str>) -> Result<(), String> {
    match PayoutMethod::parse(method) {
        Some(m) => match rail(m) {
            Some(r) => r.ready(details),
            None => Err(format!(
                "No payout method: {} payouts are not available yet; choose manual or bank.",
                m.label()
            )),
        },
        None => Err("No payout method: choose how you want to be paid.".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_is_always_ready_and_bank_needs_an_account() {
        assert!(ready("manual", None).is_ok());
        assert!(ready("bank", None).unwrap_err().starts_with("No payout method"));
        assert!(ready("bank", Some(r#"{"account": " "}"#)).is_err());
        assert!(ready("bank", Some(r#"{"holder": "A", "account": "DE89"}"#)).is_ok());
        assert!(ready("stripe", None).is_err());
        assert!(ready("stripe", Some(r#"{"stripe_account": "acct_1", "transfers_ready": false}"#)).is_err());
        assert!(ready("stripe", Some(r#"{"stripe_account": "acct_1", "transfers_ready": true}"#)).is_ok());
        assert!(ready("", None).is_err());
        assert!(ready("paypal", None).unwrap_err().contains("PayPal email"));
        assert!(ready("paypal", Some(r#"{"paypal_email": "not-an-email"}"#)).is_err());
        assert!(ready("paypal", Some(r#"{"paypal_email": "p@example.com"}"#)).is_ok());
        assert_eq!(rail(PayoutMethod::Bank).unwrap().initial_status(), PayoutStatus::Processing);
    }
}
