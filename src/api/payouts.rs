//! Admin → Payouts (runs, preview, marking payouts paid or failed) and the admin's
//! billing actions on a workspace (record a paid invoice, refund).
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::AppError;
use super::types::{
    AdminPayouts, BillingOutcome, InvoiceView, PayoutQueue, PayoutView, PayoutWithItems, PreviewLine,
    RunSummary,
};

/// Cash entries not yet in a payout, and totals per partner.
#[server(prefix = "/api", endpoint = "pending_payouts")]
pub async fn pending_payouts() -> Result<PayoutQueue, AppError> {
    let req = crate::server::request::request()?;
    req.require_admin().await?;
    crate::server::services::ledger::pending(&req.state.db).await
}

/// Due now, upcoming, held, negative balances and recent runs.
#[server(prefix = "/api", endpoint = "payouts_overview")]
pub async fn payouts_overview() -> Result<AdminPayouts, AppError> {
    let req = crate::server::request::request()?;
    req.require_admin().await?;
    crate::server::services::payouts::admin_overview(&req.state.db).await
}

/// One page of Admin → Payouts' history: `status` = a payout status, `q` = partner name,
/// `partner` = one partner's id, newest first; each payout with what its rail says.
#[server(prefix = "/api", endpoint = "admin_payout_page")]
pub async fn admin_payout_page(
    query: crate::model::list::ListQuery,
) -> Result<crate::model::list::Page<PayoutView>, AppError> {
    let req = crate::server::request::request()?;
    req.require_admin().await?;
    let status = query.status_as()?;
    let rails = Some(&req.state.config.stripe);
    let partner = Some(query.partner.as_str()).filter(|p| !p.is_empty());
    crate::server::services::ledger::payouts_page(&req.state.db, rails, partner, &query, status).await
}

/// What "Run now" would pay, partner by partner.
#[server(prefix = "/api", endpoint = "preview_payout_run")]
pub async fn preview_payout_run() -> Result<Vec<PreviewLine>, AppError> {
    let req = crate::server::request::request()?;
    req.require_admin().await?;
    crate::server::services::payouts::preview(&req.state.db).await
}

/// Runs payouts now, leaving out `exclude` and including the manual-schedule partners in
/// `include`.
#[server(prefix = "/api", endpoint = "run_payouts", input = Json)]
pub async fn run_payouts(exclude: Vec<String>, include: Vec<String>) -> Result<RunSummary, AppError> {
    use crate::server::services::payouts::{RunRequest, StartedFrom};
    let req = crate::server::request::request()?;
    let admin = req.require_admin().await?;
    if exclude.len() > 10_000 || include.len() > 10_000 {
        return Err(AppError::invalid("exclude", "Too many partners listed."));
    }
    let run =
        RunRequest { started_from: StartedFrom::Admin, started_by: Some(admin.user_id), exclude, include };
    let summary = crate::server::services::payouts::run(&req.state.db, &run).await?;
    // Stripe payouts made now are sent now; a failure here leaves them for the scheduler.
    if let Err(e) = crate::server::services::rail_dispatch::dispatch(&req.state.db, &req.state.rails).await {
        tracing::warn!(error = %e, "rail dispatch after run");
    }
    Ok(summary)
}

/// Records that a manual or bank payout was paid. True when this call changed it.
#[server(prefix = "/api", endpoint = "mark_payout_paid")]
pub async fn mark_payout_paid(payout_id: String, reference: String) -> Result<bool, AppError> {
    let req = crate::server::request::request()?;
    let admin = req.require_admin().await?;
    let reference = one_line("reference", &reference, "Enter the transfer's reference.")?;
    crate::server::services::payouts::mark_paid(&req.state.db, &admin.user_id, &payout_id, &reference).await
}

/// Records that a payout failed; its entries return to the partner's balance.
#[server(prefix = "/api", endpoint = "mark_payout_failed")]
pub async fn mark_payout_failed(payout_id: String, reason: String) -> Result<bool, AppError> {
    let req = crate::server::request::request()?;
    let admin = req.require_admin().await?;
    let reason = one_line("reason", &reason, "Say why the payout failed.")?;
    crate::server::services::payouts::mark_failed(&req.state.db, &admin.user_id, &payout_id, &reason).await
}

#[cfg(feature = "ssr")]
fn one_line(field: &str, input: &str, empty: &str) -> Result<String, AppError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(AppError::invalid(field, empty));
    }
    if s.chars().count() > 200 || s.chars().any(char::is_control) {
        return Err(AppError::invalid(field, "Use one line of at most 200 characters."));
    }
    Ok(s.to_string())
}

/// One payout with its entries (admin: any; partner: their own).
#[server(prefix = "/api", endpoint = "payout_detail")]
pub async fn payout_detail(payout_id: String) -> Result<PayoutWithItems, AppError> {
    let req = crate::server::request::request()?;
    let viewer = req.require_viewer().await?;
    let own = match (viewer.is_platform_admin, viewer.partner) {
        (true, _) => None,
        (false, Some(p)) => Some(p.id),
        (false, None) => return Err(AppError::Forbidden),
    };
    crate::server::services::payouts::with_items(&req.state.db, &payout_id, own.as_deref()).await
}

/// Admin → Workspaces → "Record a paid invoice": the `invoice.paid` event of a billing system.
#[server(prefix = "/api", endpoint = "record_paid_invoice")]
pub async fn record_paid_invoice(workspace_id: String, amount: String) -> Result<BillingOutcome, AppError> {
    use crate::domain::money::Cents;
    let req = crate::server::request::request()?;
    req.require_admin().await?;
    let amount = Cents::parse_dollars(&amount)?;
    crate::server::services::billing_events::record_paid_invoice(&req.state.db, &workspace_id, amount).await
}

/// Admin → Workspaces → "Refund": refunds `amount` more of one invoice.
#[server(prefix = "/api", endpoint = "refund_invoice")]
pub async fn refund_invoice(invoice_id: String, amount: String) -> Result<BillingOutcome, AppError> {
    use crate::domain::money::Cents;
    let req = crate::server::request::request()?;
    req.require_admin().await?;
    let amount = Cents::parse_dollars(&amount)?;
    crate::server::services::billing_events::refund_invoice(&req.state.db, &invoice_id, amount).await
}

#[server(prefix = "/api", endpoint = "workspace_invoices")]
pub async fn workspace_invoices(workspace_id: String) -> Result<Vec<InvoiceView>, AppError> {
    let req = crate::server::request::request()?;
    req.require_admin().await?;
    crate::server::services::billing_events::invoices(&req.state.db, &workspace_id).await
}
