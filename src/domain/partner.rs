//! The partner lifecycle (DOMAIN decision 17) and the partner settings record: states and
//! their one transition function, reason codes, payout method/details/frequency and the
//! validation of every settings field. Pure: no I/O, no clock.
use serde::{Deserialize, Serialize};

use super::error::FieldError;
use super::roles::text_enum;
// Defined with the other stored enums; re-exported where the lifecycle code reads them.
pub use super::payouts::{PayoutFrequency, PayoutMethod};
pub use super::roles::{ReferralSource, WorkspaceTier};

text_enum! {
    /// Where a partner stands in the program. Only `Approved` passes the gate of
    /// DOMAIN decision 8 (see `eligible_partner!`).
    PartnerState, "lowercase" {
        Pending => "pending", "Pending review";
        Approved => "approved", "Approved";
        Rejected => "rejected", "Rejected";
        Suspended => "suspended", "Suspended";
    }
}

text_enum! {
    /// What an admin (or, for `Reapply`, the applicant) does to a partner's state.
    PartnerAction, "lowercase" {
        Approve => "approve", "Approve";
        Reject => "reject", "Reject";
        Suspend => "suspend", "Suspend";
        Reinstate => "reinstate", "Reinstate";
        Reapply => "reapply", "Reapply";
    }
}

text_enum! {
    /// Why a partner was rejected or suspended; shown to the partner with the note.
    ReasonCode, "snake_case" {
        IncompleteApplication => "incomplete_application", "The application is incomplete";
        AudienceMismatch => "audience_mismatch", "The audience doesn't fit the program";
        LowQuality => "low_quality", "The promotion plan doesn't meet our quality bar";
        Fraud => "fraud", "Suspected fraud or abuse";
        TermsViolation => "terms_violation", "A violation of the program terms";
        Other => "other", "Other";
    }
}

/// An action that the current state does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefusedTransition {
    pub from: PartnerState,
    pub action: PartnerAction,
}

impl std::fmt::Display for RefusedTransition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "A partner that is {} can't be {}.", self.from.label().to_lowercase(), past(self.action))
    }
}

fn past(action: PartnerAction) -> &'static str {
    match action {
        PartnerAction::Approve => "approved",
        PartnerAction::Reject => "rejected",
        PartnerAction::Suspend => "suspended",
        PartnerAction::Reinstate => "reinstated",
        PartnerAction::Reapply => "sent back for review",
    }
}

/// The one state machine: `pending → approved | rejected`, `approved ↔ suspended`,
/// `rejected → pending` (a reapplication, once the wait is over — see [`may_reapply`]).
pub fn transition(from: PartnerState, action: PartnerAction) -> Result<PartnerState, RefusedTransition> {
    use PartnerAction as A;
    use PartnerState as S;
    match (from, action) {
        (S::Pending, A::Approve) => Ok(S::Approved),
        (S::Pending, A::Reject) => Ok(S::Rejected),
        (S::Approved, A::Suspend) => Ok(S::Suspended),
        (S::Suspended, A::Reinstate) => Ok(S::Approved),
        (S::Rejected, A::Reapply) => Ok(S::Pending),
        _ => Err(RefusedTransition { from, action }),
    }
}

impl PartnerAction {
    /// Rejecting and suspending must say why (a reason code the partner sees).
    pub fn needs_reason(self) -> bool {
        matches!(self, PartnerAction::Reject | PartnerAction::Suspend)
    }
}

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// When a rejected applicant may apply again.
pub fn reapply_at(rejected_at: i64, wait_days: i64) -> i64 {
    rejected_at.saturating_add(wait_days.max(0).saturating_mul(DAY_MS))
}

pub fn may_reapply(rejected_at: i64, wait_days: i64, now: i64) -> bool {
    now >= reapply_at(rejected_at, wait_days)
}

/// What a partner in this state sees in its portal instead of the portal.
pub fn what_to_do(state: PartnerState) -> &'static str {
    match state {
        PartnerState::Pending => {
            "Your application is being reviewed. We'll email you as soon as a decision is made."
        }
        PartnerState::Approved => "Your partner account is active.",
        PartnerState::Rejected => {
            "Your application was not accepted. You can apply again once the waiting period is over."
        }
        PartnerState::Suspended => {
            "Your partner account is suspended: your links don't attribute and you earn nothing until it is reinstated. Contact support to resolve it."
        }
    }
}

// ---- the application ----

/// An optional website: `https://…` or `http://…`, at most 200 characters.
pub fn parse_website(input: &str) -> Result<Option<String>, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"));
    let ok = rest.is_some_and(|r| {
        let host = r.split('/').next().unwrap_or("");
        host.contains('.') && !host.starts_with('.') && !host.ends_with('.')
    }) && s.chars().count() <= 200
        && !s.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(Some(s.to_string()))
    } else {
        Err(FieldError::new("website", "Enter the full address of your site, like https://example.com"))
    }
}

/// How they will promote us: required, up to 2,000 characters.
pub fn parse_promotion(input: &str) -> Result<String, FieldError> {
    let text = super::names::parse_long_text("promotion", input, 2_000)?;
    if text.is_empty() {
        return Err(FieldError::new("promotion", "Tell us how you will promote us"));
    }
    Ok(text)
}

/// A payout country as its two-letter ISO code (`US`, `de` → `DE`).
pub fn parse_country(input: &str) -> Result<String, FieldError> {
    let s = input.trim().to_ascii_uppercase();
    if s.len() == 2 && s.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(s)
    } else {
        Err(FieldError::new(
            "payout_country",
            "Choose the country you'll be paid in (two-letter code, like US)",
        ))
    }
}

/// A whole number from 0 to `max` (days, caps).
pub fn parse_small_count(field: &'static str, input: &str, max: i64) -> Result<i64, FieldError> {
    match input.trim().parse::<i64>() {
        Ok(n) if (0..=max).contains(&n) => Ok(n),
        _ => Err(FieldError::new(field, format!("Enter a whole number from 0 to {max}"))),
    }
}

// ---- settings fields ----

pub const MAX_RECURRING_MONTHS: i64 = 120;
pub const MAX_BPS: i64 = 10_000;

/// Recurring months: empty = for as long as the subscription pays, else 0–120.
pub fn parse_recurring_months(input: &str) -> Result<Option<i64>, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<i64>() {
        Ok(n) if (0..=MAX_RECURRING_MONTHS).contains(&n) => Ok(Some(n)),
        _ => Err(FieldError::new(
            "recurring_months",
            "Months must be a whole number from 0 to 120 (0 = first period only, empty = lifetime)",
        )),
    }
}

/// A basis-points number typed as digits: 0–10,000.
pub fn parse_bps(field: &'static str, input: &str) -> Result<i64, FieldError> {
    match input.trim().parse::<i64>() {
        Ok(n) if (0..=MAX_BPS).contains(&n) => Ok(n),
        _ => Err(FieldError::new(field, "Enter basis points from 0 to 10000 (10000 = 100%)")),
    }
}

/// The days a new commission is held; empty = the platform default.
pub fn parse_hold_days(input: &str) -> Result<Option<i64>, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    match s.parse::<i64>() {
        Ok(n) if (0..=365).contains(&n) => Ok(Some(n)),
        _ => Err(FieldError::new("hold_days", "Hold days must be a whole number from 0 to 365, or empty")),
    }
}

/// The method's details, as stored (JSON in `partners.payout_details`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PayoutDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paypal_email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_holder: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_routing: Option<String>,
    /// Read-only here: set by Stripe Connect onboarding (the payout-engine issue).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stripe_account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stripe_status: Option<String>,
    /// Read-only here: the connected account the Stripe rail records (`stripe_connect`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stripe_account: Option<String>,
    /// Read-only here: whether that account can receive transfers (the run's readiness).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfers_ready: Option<bool>,
}

/// What a form sends for the payout details of one method.
#[derive(Debug, Clone, Default)]
pub struct PayoutDetailsInput {
    pub paypal_email: String,
    pub bank_holder: String,
    pub bank_account: String,
    pub bank_routing: String,
}

impl PayoutDetails {
    /// Validates the input for `method`. The Stripe fields are never taken from a
    /// form: they are kept from `current`.
    pub fn parse(
        method: PayoutMethod,
        input: &PayoutDetailsInput,
        current: &PayoutDetails,
    ) -> Result<PayoutDetails, FieldError> {
        let stripe = PayoutDetails {
            stripe_account_id: current.stripe_account_id.clone(),
            stripe_status: current.stripe_status.clone(),
            stripe_account: current.stripe_account.clone(),
            transfers_ready: current.transfers_ready,
            ..PayoutDetails::default()
        };
        match method {
            PayoutMethod::Manual | PayoutMethod::Stripe => Ok(stripe),
            PayoutMethod::Paypal => {
                if input.paypal_email.trim().is_empty() {
                    return Err(FieldError::new(
                        "paypal_email",
                        "Enter the PayPal email you want to be paid at",
                    ));
                }
                let email = super::email::Email::parse(&input.paypal_email)
                    .map_err(|e| e.in_field("paypal_email"))?;
                Ok(PayoutDetails { paypal_email: Some(email.into_string()), ..stripe })
            }
            PayoutMethod::Bank => {
                let holder = super::names::DisplayName::parse("bank_holder", &input.bank_holder, 120)?;
                let account = parse_account(&input.bank_account)?;
                let routing = parse_routing(&input.bank_routing)?;
                Ok(PayoutDetails {
                    bank_holder: Some(holder.into_string()),
                    bank_account: Some(account),
                    bank_routing: routing,
                    ..stripe
                })
            }
        }
    }

    #[cfg(feature = "ssr")]
    pub fn from_json(json: Option<&str>) -> PayoutDetails {
        json.and_then(|j| serde_json::from_str(j).ok()).unwrap_or_default()
    }

    #[cfg(feature = "ssr")]
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    /// One line for the audit log and read-only views (account numbers masked).
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if let Some(e) = &self.paypal_email {
            parts.push(format!("PayPal {e}"));
        }
        if let Some(h) = &self.bank_holder {
            parts.push(format!("Bank holder {h}"));
        }
        if let Some(a) = &self.bank_account {
            parts.push(format!("account {}", mask(a)));
        }
        if let Some(r) = &self.bank_routing {
            parts.push(format!("routing {r}"));
        }
        if let Some(s) = &self.stripe_account_id {
            parts.push(format!("Stripe {s}"));
        }
        if parts.is_empty() { "—".into() } else { parts.join(", ") }
    }
}

/// `••••1234`
pub fn mask(account: &str) -> String {
    let tail: String = account.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    format!("••••{tail}")
}

/// An IBAN (2 letters, 2 digits, 11–30 alphanumerics, checksum) or a plain account
/// number (4–34 digits). Spaces are dropped, letters upper-cased.
fn parse_account(input: &str) -> Result<String, FieldError> {
    let s: String =
        input.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_uppercase();
    let err = |m: &str| Err(FieldError::new("bank_account", m));
    if s.is_empty() {
        return err("Enter the IBAN or the account number");
    }
    if s.chars().all(|c| c.is_ascii_digit()) {
        return if (4..=34).contains(&s.len()) { Ok(s) } else { err("An account number has 4 to 34 digits") };
    }
    let shaped = (15..=34).contains(&s.len())
        && s[..2].chars().all(|c| c.is_ascii_uppercase())
        && s[2..4].chars().all(|c| c.is_ascii_digit())
        && s.chars().all(|c| c.is_ascii_alphanumeric());
    if !shaped {
        return err("Enter a valid IBAN (like DE89 3704 0044 0532 0130 00) or an account number of digits");
    }
    if iban_checksum_ok(&s) { Ok(s) } else { err("This IBAN's check digits are wrong: check for a typo") }
}

fn iban_checksum_ok(iban: &str) -> bool {
    let rearranged = format!("{}{}", &iban[4..], &iban[..4]);
    let mut rem: u32 = 0;
    for c in rearranged.chars() {
        let v = if c.is_ascii_digit() { c as u32 - '0' as u32 } else { c as u32 - 'A' as u32 + 10 };
        rem = if v >= 10 { (rem * 100 + v) % 97 } else { (rem * 10 + v) % 97 };
    }
    rem == 1
}

/// Routing / sort code / BIC: optional, letters and digits, 4–11 characters.
fn parse_routing(input: &str) -> Result<Option<String>, FieldError> {
    let s: String =
        input.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_uppercase();
    if s.is_empty() {
        return Ok(None);
    }
    if (4..=11).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric()) {
        Ok(Some(s))
    } else {
        Err(FieldError::new("bank_routing", "Routing, sort code or BIC: 4 to 11 letters and digits"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PartnerAction as A;
    use PartnerState as S;

    #[test]
    fn every_allowed_transition_and_only_those() {
        let allowed = [
            (S::Pending, A::Approve, S::Approved),
            (S::Pending, A::Reject, S::Rejected),
            (S::Approved, A::Suspend, S::Suspended),
            (S::Suspended, A::Reinstate, S::Approved),
            (S::Rejected, A::Reapply, S::Pending),
        ];
        for from in S::all() {
            for action in A::all() {
                let expected =
                    allowed.iter().find(|(f, a, _)| f == from && a == action).map(|(_, _, to)| *to);
                assert_eq!(transition(*from, *action).ok(), expected, "{from} + {action}");
            }
        }
    }

    #[test]
    fn a_refused_transition_says_what_was_refused() {
        let refused = transition(S::Approved, A::Approve).unwrap_err();
        assert_eq!(refused.to_string(), "A partner that is approved can't be approved.");
    }

    #[test]
    fn only_reject_and_suspend_need_a_reason() {
        let needing: Vec<_> = A::all().iter().filter(|a| a.needs_reason()).copied().collect();
        assert_eq!(needing, [A::Reject, A::Suspend]);
    }

    #[test]
    fn reapplying_waits_the_configured_days() {
        let rejected = 1_000;
        assert!(!may_reapply(rejected, 30, rejected + 29 * DAY_MS));
        assert!(may_reapply(rejected, 30, rejected + 30 * DAY_MS));
        assert!(may_reapply(rejected, 0, rejected));
    }

    #[test]
    fn states_and_enums_round_trip_their_text() {
        for s in S::all() {
            assert_eq!(S::parse(s.as_str()), Some(*s));
        }
        assert_eq!(S::parse("active"), None);
        assert_eq!(ReasonCode::parse("terms_violation"), Some(ReasonCode::TermsViolation));
        assert_eq!(ReferralSource::Agency.as_str(), "agency");
        assert_eq!(PayoutFrequency::parse("Quarterly"), Some(PayoutFrequency::Quarterly));
        assert_eq!(PayoutMethod::parse("wire"), None);
    }

    #[test]
    fn an_application_needs_a_real_website_a_plan_and_a_country() {
        assert_eq!(parse_website(""), Ok(None));
        assert_eq!(
            parse_website(" https://creator.example/blog "),
            Ok(Some("https://creator.example/blog".into()))
        );
        assert_eq!(parse_website("creator.example").unwrap_err().field, "website");
        assert!(parse_website("https://nodot").is_err());
        assert_eq!(parse_promotion("  ").unwrap_err().field, "promotion");
        assert_eq!(parse_country("de"), Ok("DE".into()));
        assert_eq!(parse_country("Germany").unwrap_err().field, "payout_country");
        assert_eq!(parse_small_count("cap", "1001", 1000).unwrap_err().field, "cap");
    }

    #[test]
    fn months_are_empty_or_0_to_120() {
        assert_eq!(parse_recurring_months(""), Ok(None));
        assert_eq!(parse_recurring_months("0"), Ok(Some(0)));
        assert_eq!(parse_recurring_months(" 120 "), Ok(Some(120)));
        assert_eq!(parse_recurring_months("121").unwrap_err().field, "recurring_months");
        assert!(parse_recurring_months("-1").is_err());
        assert!(parse_recurring_months("1.5").is_err());
    }

    #[test]
    fn bps_are_0_to_10000() {
        assert_eq!(parse_bps("credit_bps", "10000"), Ok(10_000));
        assert_eq!(parse_bps("credit_bps", "0"), Ok(0));
        assert_eq!(parse_bps("credit_bps", "10001").unwrap_err().field, "credit_bps");
        assert!(parse_bps("credit_bps", "-5").is_err());
        assert!(parse_bps("credit_bps", "").is_err());
    }

    #[test]
    fn paypal_needs_an_email_and_bank_a_holder_and_valid_account() {
        let none = PayoutDetails::default();
        let input = PayoutDetailsInput { paypal_email: "not-an-email".into(), ..Default::default() };
        assert_eq!(
            PayoutDetails::parse(PayoutMethod::Paypal, &input, &none).unwrap_err().field,
            "paypal_email"
        );
        let input = PayoutDetailsInput { paypal_email: "Pay@Example.com".into(), ..Default::default() };
        let ok = PayoutDetails::parse(PayoutMethod::Paypal, &input, &none).unwrap();
        assert!(ok.paypal_email.is_some());
        let bank = |holder: &str, account: &str, routing: &str| PayoutDetailsInput {
            bank_holder: holder.into(),
            bank_account: account.into(),
            bank_routing: routing.into(),
            ..Default::default()
        };
        let parse = |i: &PayoutDetailsInput| PayoutDetails::parse(PayoutMethod::Bank, i, &none);
        assert_eq!(parse(&bank("", "12345678", "")).unwrap_err().field, "bank_holder");
        assert_eq!(parse(&bank("Ann", "", "")).unwrap_err().field, "bank_account");
        assert_eq!(parse(&bank("Ann", "DE89 3704 0044 0532 0130 01", "")).unwrap_err().field, "bank_account");
        assert_eq!(parse(&bank("Ann", "12345678", "!!")).unwrap_err().field, "bank_routing");
        let ok = parse(&bank("Ann", "DE89 3704 0044 0532 0130 00", "COBADEFFXXX")).unwrap();
        assert_eq!(ok.bank_account.as_deref(), Some("DE89370400440532013000"));
        assert!(ok.summary().contains("••••3000"));
    }

    #[test]
    fn stripe_details_are_kept_never_taken_from_the_form() {
        let current = PayoutDetails {
            stripe_account_id: Some("acct_1".into()),
            stripe_account: Some("acct_2".into()),
            transfers_ready: Some(true),
            ..Default::default()
        };
        let input = PayoutDetailsInput { paypal_email: "x@example.com".into(), ..Default::default() };
        let kept = PayoutDetails::parse(PayoutMethod::Stripe, &input, &current).unwrap();
        assert_eq!(kept, current);
        assert_eq!(PayoutDetails::from_json(Some(&kept.to_json())), current);
        assert_eq!(PayoutDetails::from_json(Some("not json")), PayoutDetails::default());
        // Choosing PayPal keeps the recorded Stripe account (switching back needs no new
        // onboarding) and the email is taken.
        let paypal = PayoutDetails::parse(PayoutMethod::Paypal, &input, &current).unwrap();
        assert_eq!(paypal.stripe_account.as_deref(), Some("acct_2"));
        assert_eq!(paypal.transfers_ready, Some(true));
        assert_eq!(paypal.paypal_email.as_deref(), Some("x@example.com"));
    }
}
