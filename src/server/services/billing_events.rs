//! Billing events (DOMAIN decisions 5, 14, 15): paid invoices earn each period's
//! commissions, refunds reverse them in proportion, subscription changes convert. The
//! signed webhook and the admin's "Record a paid invoice" / "Refund" buttons both land
//! here, so the demo and a real billing system take the same path. Each event is stored
//! once by its id in the transaction that applies it: a replay changes nothing.
use super::billing as billing_service;
use super::conversion;
use crate::domain::commission::{Commission, payout_cents};
use crate::domain::money::Cents;
use crate::domain::payouts::{BillingEventOutcome, Recurring, available_at, next_reversal};
use crate::domain::roles::SubscriptionStatus;
use crate::model::AppError;
use crate::model::types::BillingOutcome;
use crate::server::db::ledger::{EntryRow, NewCommission};
use crate::server::db::{Backend, Db, Tx, billing, billing_events, ledger, referrals, workspaces};

/// What a billing event asks for, parsed and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BillingEvent {
    InvoicePaid {
        workspace_id: String,
        invoice_id: String,
        period_start: i64,
        period_end: i64,
        amount: Cents,
    },
    /// `refunded_total` is cumulative for the invoice (Stripe's `amount_refunded`), so a
    /// replayed or reordered refund can never reverse twice. `None` = refunded in full.
    InvoiceRefunded {
        invoice_id: String,
        refunded_total: Option<Cents>,
    },
    SubscriptionChanged {
        workspace_id: String,
        status: SubscriptionStatus,
        plan_id: Option<String>,
    },
    /// A type we accept but do not act on: stored as ignored.
    Other,
}

#[derive(Debug, Clone)]
pub struct Event {
    pub id: String,
    pub kind: String,
    pub body: BillingEvent,
}

/// Parses the JSON body `{"id", "type", "data": {...}}`. Errors say what is wrong.
pub fn parse(body: &[u8]) -> Result<Event, String> {
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("body is not JSON: {e}"))?;
    let text = |v: &serde_json::Value, name: &str| -> Result<String, String> {
        v.get(name)
            .and_then(|x| x.as_str())
            .map(str::trim)
            .filter(|s| !s.is_empty() && s.len() <= 200)
            .map(str::to_string)
            .ok_or_else(|| format!("`{name}` is missing or not a short string"))
    };
    let number = |v: &serde_json::Value, name: &str| -> Result<i64, String> {
        v.get(name)
            .and_then(|x| x.as_i64())
            .ok_or_else(|| format!("`data.{name}` is missing or not an integer"))
    };
    let id = text(&value, "id")?;
    let kind = text(&value, "type")?;
    let data = value.get("data").filter(|d| d.is_object()).ok_or("`data` is missing or not an object")?;
    let body = match kind.as_str() {
        "invoice.paid" => {
            let amount = number(data, "amount_paid")?;
            if !(0..=Cents::MAX_INPUT.get() * 100).contains(&amount) {
                return Err("`data.amount_paid` is out of range".into());
            }
            let (period_start, period_end) = (number(data, "period_start")?, number(data, "period_end")?);
            if period_end < period_start {
                return Err("`data.period_end` is before `data.period_start`".into());
            }
            BillingEvent::InvoicePaid {
                workspace_id: text(data, "workspace_id")?,
                invoice_id: text(data, "invoice_id")?,
                period_start,
                period_end,
                amount: Cents(amount),
            }
        }
        "invoice.refunded" | "charge.refunded" => {
            let full = data.get("full").and_then(|f| f.as_bool()).unwrap_or(false);
            let refunded_total = match (full, data.get("amount_refunded")) {
                (true, _) => None,
                (false, Some(v)) => match v.as_i64() {
                    Some(n) if n > 0 => Some(Cents(n)),
                    _ => return Err("`data.amount_refunded` must be a positive integer (cents)".into()),
                },
                (false, None) => return Err("give `data.amount_refunded` or `data.full: true`".into()),
            };
            BillingEvent::InvoiceRefunded { invoice_id: text(data, "invoice_id")?, refunded_total }
        }
        "customer.subscription.created"
        | "customer.subscription.updated"
        | "customer.subscription.deleted" => {
            let status = if kind.ends_with("deleted") {
                SubscriptionStatus::Canceled
            } else {
                SubscriptionStatus::parse(&text(data, "status")?)
                    .ok_or("`data.status` is not a subscription status")?
            };
            BillingEvent::SubscriptionChanged {
                workspace_id: text(data, "workspace_id")?,
                status,
                plan_id: data.get("plan_id").and_then(|p| p.as_str()).map(str::to_string),
            }
        }
        _ => BillingEvent::Other,
    };
    Ok(Event { id, kind, body })
}

/// Applies one event in one write transaction, or recognises it as already stored.
#[tracing::instrument(skip_all, fields(event = %event.id), err(level = "debug"))]
pub async fn apply(db: &Db, event: &Event) -> Result<BillingOutcome, AppError> {
    let now = db.now_ms();
    let mut tx = db.begin_write().await?;
    if !billing_events::insert(&mut *tx, &event.id, &event.kind, now).await? {
        return Ok(BillingOutcome {
            event_id: event.id.clone(),
            outcome: "duplicate".into(),
            reason: Some("This event was received before; nothing changed.".into()),
            entries_created: 0,
        });
    }
    let result = match &event.body {
        BillingEvent::InvoicePaid { workspace_id, invoice_id, period_start, period_end, amount } => {
            let invoice = NewInvoice {
                workspace_id,
                invoice_id,
                period_start: *period_start,
                period_end: *period_end,
                amount: *amount,
            };
            invoice_paid(&mut tx, &event.id, &invoice, now).await?
        }
        BillingEvent::InvoiceRefunded { invoice_id, refunded_total } => {
            let postgres = db.backend == Backend::Postgres;
            invoice_refunded(&mut tx, &event.id, invoice_id, *refunded_total, postgres, now).await?
        }
        BillingEvent::SubscriptionChanged { workspace_id, status, plan_id } => {
            subscription_changed(&mut tx, db.backend, workspace_id, *status, plan_id.as_deref(), now).await?
        }
        BillingEvent::Other => Done::ignored(format!("Events of type {} are not used.", event.kind)),
    };
    let outcome =
        if result.ignored.is_some() { BillingEventOutcome::Ignored } else { BillingEventOutcome::Applied };
    billing_events::set_outcome(&mut *tx, &event.id, outcome.as_str(), result.ignored.as_deref(), now)
        .await?;
    tx.commit().await?;
    Ok(BillingOutcome {
        event_id: event.id.clone(),
        outcome: outcome.as_str().into(),
        reason: result.ignored,
        entries_created: result.created,
    })
}

struct Done {
    created: u32,
    ignored: Option<String>,
}

impl Done {
    fn applied(created: u32) -> Done {
        Done { created, ignored: None }
    }
    fn ignored(reason: impl Into<String>) -> Done {
        Done { created: 0, ignored: Some(reason.into()) }
    }
}

struct NewInvoice<'a> {
    workspace_id: &'a str,
    invoice_id: &'a str,
    period_start: i64,
    period_end: i64,
    amount: Cents,
}

/// Records the invoice as the workspace's next billing period and earns that period's
/// commissions. Period 1 is the conversion's: its entries (keyed by period) already
/// exist or are created now by converting, never twice.
async fn invoice_paid(tx: &mut Tx, event_id: &str, inv: &NewInvoice<'_>, now: i64) -> Result<Done, AppError> {
    if !workspaces::exists(&mut **tx, inv.workspace_id).await? {
        return Ok(Done::ignored("Unknown workspace."));
    }
    if billing_events::invoice(&mut **tx, inv.invoice_id).await?.is_some() {
        return Ok(Done::ignored("This invoice was recorded before."));
    }
    let Some(sub) = billing_events::subscription(&mut **tx, inv.workspace_id).await? else {
        return Ok(Done::ignored("The workspace has no subscription (no plan to price the commission)."));
    };
    let referral = referrals::for_workspace(&mut **tx, inv.workspace_id).await?;
    let period = billing_events::next_period(&mut **tx, inv.workspace_id).await?;
    let row = billing_events::InvoiceInsert {
        id: inv.invoice_id,
        workspace_id: inv.workspace_id,
        referral_id: referral.as_ref().map(|r| r.id.as_str()),
        period,
        period_start: inv.period_start,
        period_end: inv.period_end,
        amount_cents: inv.amount.get(),
    };
    billing_events::insert_invoice(&mut **tx, &row, now).await.map_err(|e| {
        if crate::server::db::is_unique_violation(&e) {
            AppError::Conflict("Another invoice for this workspace is being recorded; send it again.".into())
        } else {
            e.into()
        }
    })?;
    let Some(referral) = referral else {
        return Ok(Done::ignored("The workspace was not referred: no commission."));
    };
    let plan = billing::plan(&mut **tx, &sub.plan_id).await?.ok_or(AppError::Internal)?;
    if period == 1 {
        // An invoice paid means the subscription is active: convert if that has not happened.
        if billing::mark_first_activation(&mut **tx, inv.workspace_id, now).await? {
            let change = conversion::convert(tx, inv.workspace_id, &plan, now).await?;
            return Ok(Done::applied(if change.converted { 1 } else { 0 }));
        }
        return Ok(Done::applied(0));
    }
    let terms = billing_events::recurring_terms(&mut **tx, &referral.partner_id).await?;
    if !Recurring::from_settings(terms.recurring != 0, terms.recurring_months).pays_period(period) {
        return Ok(Done::ignored(format!("Period {period} is past the partner's recurring months.")));
    }
    let snapshot = ledger::period_entries(&mut **tx, &referral.id, 1).await?;
    let hold = ledger::hold_days(&mut **tx, &referral.partner_id).await?;
    let price = Cents(plan.price_monthly_cents);
    let mut created = 0;
    for first in &snapshot {
        let Some(rule) = Commission::from_parts(&first.rule_kind, first.rule_value) else { continue };
        let amount = payout_cents(price, rule);
        let key = format!("referral:{}:period:{period}:{}", referral.id, first.kind);
        let entry = NewCommission {
            partner_id: &first.partner_id,
            referral_id: &referral.id,
            workspace_id: inv.workspace_id,
            plan_id: &plan.id,
            kind: &first.kind,
            amount_cents: amount.get(),
            rule_source: &first.rule_source,
            rule_kind: rule.kind(),
            rule_value: rule.value(),
            period,
            idempotency_key: &key,
            available_at: available_at(now, hold),
            invoice_id: Some(inv.invoice_id),
            event_id: Some(event_id),
            reverses_id: None,
        };
        created += super::commissions::record(tx, now, &entry).await? as u32;
    }
    Ok(Done::applied(created))
}

/// Reverses the invoice's period entries by the refunded share (half up); each entry's
/// reversals never sum past it. Unpaid entries net out; paid ones become a clawback that
/// the next payout deducts.
async fn invoice_refunded(
    tx: &mut Tx,
    event_id: &str,
    invoice_id: &str,
    refunded_total: Option<Cents>,
    postgres: bool,
    now: i64,
) -> Result<Done, AppError> {
    let Some(invoice) = billing_events::invoice_locked(&mut **tx, invoice_id, postgres).await? else {
        return Err(AppError::NotFound);
    };
    let total = refunded_total.unwrap_or(Cents(invoice.amount_cents));
    if total.get() > invoice.amount_cents {
        return Err(AppError::invalid("amount_refunded", "The refund is larger than the invoice."));
    }
    billing_events::record_refund(&mut **tx, invoice_id, total.get()).await?;
    let Some(referral_id) = invoice.referral_id.as_deref() else {
        return Ok(Done::ignored("The workspace was not referred: no commission to reverse."));
    };
    let mut created = 0;
    for entry in ledger::period_entries(&mut **tx, referral_id, invoice.period).await? {
        created += reverse(tx, event_id, &invoice, &entry, total, now).await? as u32;
    }
    Ok(Done::applied(created))
}

async fn reverse(
    tx: &mut Tx,
    event_id: &str,
    invoice: &billing_events::InvoiceRow,
    entry: &EntryRow,
    total: Cents,
    now: i64,
) -> Result<bool, AppError> {
    let amount = next_reversal(
        Cents(entry.amount_cents),
        Cents(invoice.amount_cents),
        total,
        Cents(entry.reversed_cents),
    );
    if amount.get() == 0 {
        return Ok(false);
    }
    let key = format!("reversal:{}:{}", entry.id, total.get());
    let reversal = NewCommission {
        partner_id: &entry.partner_id,
        referral_id: &entry.referral_id,
        workspace_id: &entry.workspace_id,
        plan_id: &entry.plan_id,
        kind: &entry.kind,
        amount_cents: -amount.get(),
        rule_source: "reversal",
        rule_kind: &entry.rule_kind,
        rule_value: entry.rule_value,
        period: entry.period,
        idempotency_key: &key,
        // A reversal of a held entry is held with it, so the two net out on hold.
        available_at: entry.available_at.max(now),
        invoice_id: Some(&invoice.id),
        event_id: Some(event_id),
        reverses_id: Some(&entry.id),
    };
    Ok(super::commissions::record(tx, now, &reversal).await?)
}

async fn subscription_changed(
    tx: &mut Tx,
    backend: Backend,
    workspace_id: &str,
    status: SubscriptionStatus,
    plan_id: Option<&str>,
    now: i64,
) -> Result<Done, AppError> {
    if !workspaces::exists(&mut **tx, workspace_id).await? {
        return Ok(Done::ignored("Unknown workspace."));
    }
    let plan_id = match plan_id {
        Some(p) => p.to_string(),
        None => match billing_events::subscription(&mut **tx, workspace_id).await? {
            Some(sub) => sub.plan_id,
            None => return Ok(Done::ignored("No plan given and the workspace has no subscription.")),
        },
    };
    if billing::plan(&mut **tx, &plan_id).await?.is_none() {
        return Ok(Done::ignored("Unknown plan."));
    }
    let change =
        billing_service::set_subscription_in(tx, backend, workspace_id, &plan_id, status, now).await?;
    Ok(Done::applied(u32::from(change.converted)))
}

/// Admin → Workspaces → "Record a paid invoice": the same event a billing system sends.
pub async fn record_paid_invoice(
    db: &Db,
    workspace_id: &str,
    amount: Cents,
) -> Result<BillingOutcome, AppError> {
    let now = db.now_ms();
    let event = Event {
        id: format!("admin:{}", crate::server::db::new_id()),
        kind: "invoice.paid".into(),
        body: BillingEvent::InvoicePaid {
            workspace_id: workspace_id.to_string(),
            invoice_id: format!("inv_{}", crate::server::db::new_id()),
            period_start: now,
            period_end: now + 30 * crate::server::db::DAY_MS,
            amount,
        },
    };
    let outcome = apply(db, &event).await?;
    if outcome.reason.as_deref() == Some("Unknown workspace.") {
        return Err(AppError::NotFound);
    }
    Ok(outcome)
}

/// Admin → Workspaces → "Refund": refunds `amount` more of the invoice.
pub async fn refund_invoice(db: &Db, invoice_id: &str, amount: Cents) -> Result<BillingOutcome, AppError> {
    let invoice = billing_events::invoice(&db.pool, invoice_id).await?.ok_or(AppError::NotFound)?;
    let total = invoice.refunded_cents.saturating_add(amount.get());
    if amount.get() <= 0 || total > invoice.amount_cents {
        let left = Cents(invoice.amount_cents - invoice.refunded_cents);
        return Err(AppError::invalid("amount", format!("Refund between $0.01 and {left}.")));
    }
    let event = Event {
        id: format!("admin:{}", crate::server::db::new_id()),
        kind: "invoice.refunded".into(),
        body: BillingEvent::InvoiceRefunded {
            invoice_id: invoice_id.to_string(),
            refunded_total: Some(Cents(total)),
        },
    };
    apply(db, &event).await
}

/// A workspace's recorded invoices, newest period first.
pub async fn invoices(
    db: &Db,
    workspace_id: &str,
) -> Result<Vec<crate::model::types::InvoiceView>, AppError> {
    Ok(billing_events::for_workspace(&db.pool, workspace_id)
        .await?
        .into_iter()
        .map(|i| crate::model::types::InvoiceView {
            id: i.id,
            period: i.period,
            amount_cents: i.amount_cents,
            refunded_cents: i.refunded_cents,
            created_at: i.created_at,
        })
        .collect())
}
