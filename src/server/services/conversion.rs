//! Conversion: the first ACTIVE subscription of a referred workspace earns its partner
//! a commission, computed by the domain rule and copied onto the ledger entry.
use crate::domain::commission::{BasisPoints, Commission, payout_cents};
use crate::domain::money::Cents;
use crate::model::AppError;
use crate::model::types::SubscriptionChange;
use crate::server::db::billing::PlanRecord;
use crate::server::db::ledger::NewCommission;
use crate::server::db::{Tx, ledger, partners, referrals};

/// The first paid period. Recurring periods get their own numbers and keys.
const FIRST_PERIOD: i64 = 1;

pub async fn convert(
    tx: &mut Tx,
    workspace_id: &str,
    plan: &PlanRecord,
    now: i64,
) -> Result<SubscriptionChange, AppError> {
    let unconverted = SubscriptionChange { converted: false, commission_cents: None };
    let Some(referral) = referrals::for_workspace(&mut **tx, workspace_id).await? else {
        return Ok(unconverted);
    };
    // The approval gate: a partner that isn't approved now earns nothing (the referral
    // stays unconverted, so it converts if the partner is reinstated and it pays again).
    if !crate::server::db::lifecycle::is_eligible(&mut **tx, &referral.partner_id).await? {
        return Ok(unconverted);
    }
    if !referrals::mark_converted(tx, &referral.id, now).await? {
        return Ok(unconverted);
    }
    let terms = partners::terms_for_plan(&mut **tx, &referral.partner_id, &plan.id)
        .await?
        .ok_or(AppError::Internal)?;
    let (source, rule) = applicable_rule(&terms).ok_or(AppError::Internal)?;
    let price = Cents(plan.price_monthly_cents);
    let amount = payout_cents(price, rule);
    let hold = ledger::hold_days(&mut **tx, &referral.partner_id).await?;
    let available_at = crate::domain::payouts::available_at(now, hold);
    let conversion = Conversion { referral: &referral, workspace_id, plan, available_at };
    let cash_key = format!("referral:{}:period:{FIRST_PERIOD}:cash", referral.id);
    super::commissions::record(tx, now, &conversion.entry("cash", amount, rule, source, &cash_key)).await?;
    if let Some(credit_rate) = BasisPoints::new(terms.credit_bps as u32).filter(|b| b.get() > 0) {
        let credit_rule = Commission::Percent(credit_rate);
        let credit_key = format!("referral:{}:period:{FIRST_PERIOD}:credit", referral.id);
        let credits = payout_cents(price, credit_rule);
        let credit = conversion.entry("credit", credits, credit_rule, "credit", &credit_key);
        super::commissions::record(tx, now, &credit).await?;
    }
    Ok(SubscriptionChange { converted: true, commission_cents: Some(amount.get()) })
}

struct Conversion<'a> {
    referral: &'a referrals::WorkspaceReferral,
    workspace_id: &'a str,
    plan: &'a PlanRecord,
    available_at: i64,
}

impl<'a> Conversion<'a> {
    /// A ledger entry for this conversion, with the rule it was computed from.
    fn entry(
        &self,
        kind: &'static str,
        amount: Cents,
        rule: Commission,
        source: &'static str,
        key: &'a str,
    ) -> NewCommission<'a> {
        NewCommission {
            partner_id: &self.referral.partner_id,
            referral_id: &self.referral.id,
            workspace_id: self.workspace_id,
            plan_id: &self.plan.id,
            kind,
            amount_cents: amount.get(),
            rule_source: source,
            rule_kind: rule.kind(),
            rule_value: rule.value(),
            period: FIRST_PERIOD,
            idempotency_key: key,
            available_at: self.available_at,
            invoice_id: None,
            event_id: None,
            reverses_id: None,
        }
    }
}

/// The plan's rule wins over the partner's default.
fn applicable_rule(terms: &partners::CommissionTerms) -> Option<(&'static str, Commission)> {
    let plan_rule = match (&terms.rule_kind, terms.rule_value) {
        (Some(kind), Some(value)) => Commission::from_parts(kind, value),
        _ => None,
    };
    match plan_rule {
        Some(rule) => Some(("plan", rule)),
        None => {
            Commission::from_parts(&terms.commission_kind, terms.commission_value).map(|c| ("default", c))
        }
    }
}
