//! Admin → Workspaces → one workspace's billing: "Record a paid invoice" and "Refund",
//! which send the same events a billing system would (so the demo runs without one).
use leptos::prelude::*;

use crate::api::payouts::{RecordPaidInvoice, RefundInvoice, workspace_invoices};
use crate::api::types::{BillingOutcome, InvoiceView};
use crate::ui::forms::{FieldError, FormError};
use crate::ui::widgets::{Loading, money, or_error};

#[component]
pub fn InvoiceActions(workspace_id: String) -> impl IntoView {
    let record = ServerAction::<RecordPaidInvoice>::new();
    let refund = ServerAction::<RefundInvoice>::new();
    let open = RwSignal::new(false);
    let id = workspace_id.clone();
    let invoices = Resource::new(
        move || (open.get(), record.version().get(), refund.version().get()),
        move |(open, _, _)| {
            let id = id.clone();
            async move { if open { workspace_invoices(id).await } else { Ok(Vec::new()) } }
        },
    );
    let recorded = Signal::derive(move || record.value().get());
    let refunded = Signal::derive(move || refund.value().get());
    // Recording opens the list, so the new invoice (and its Refund button) shows.
    Effect::new(move |_| {
        if matches!(record.value().get(), Some(Ok(_))) {
            open.set(true);
        }
    });
    view! {
        <div class="invoice-actions" data-testid="invoice-actions">
            <ActionForm action=record attr:class="form inline">
                <input type="hidden" name="workspace_id" value=workspace_id />
                <label>"Invoice $" <input name="amount" inputmode="decimal" size="8" data-testid="invoice-amount" /></label>
                <button type="submit" class="small" data-testid="record-invoice" disabled=move || record.pending().get()>
                    "Record a paid invoice"
                </button>
            </ActionForm>
            <FieldError result=recorded field="amount" />
            <FormError result=recorded fields=&["amount"] />
            {move || recorded.get().and_then(Result::ok).map(|o| outcome(o, "invoice-outcome"))}
            <button type="button" class="link small" data-testid="show-invoices" on:click=move |_| open.update(|o| *o = !*o)>
                {move || if open.get() { "Hide invoices" } else { "Invoices" }}
            </button>
            <FieldError result=refunded field="amount" />
            <FormError result=refunded fields=&["amount"] />
            {move || refunded.get().and_then(Result::ok).map(|o| outcome(o, "refund-outcome"))}
            <Transition fallback=Loading>
                {move || {
                    invoices.get().map(|r| or_error(r, |rows| view! { <Invoices rows refund /> }.into_any()))
                }}
            </Transition>
        </div>
    }
}

fn outcome(o: BillingOutcome, testid: &'static str) -> impl IntoView {
    let text = match o.reason {
        Some(reason) => format!("Recorded ({}): {reason}", o.outcome),
        None => format!("Recorded: {} ledger entries created.", o.entries_created),
    };
    view! { <p class="success" data-testid=testid>{text}</p> }
}

#[component]
fn Invoices(rows: Vec<InvoiceView>, refund: ServerAction<RefundInvoice>) -> impl IntoView {
    rows.into_iter()
        .map(|i| {
            let left = i.amount_cents - i.refunded_cents;
            view! {
                <div class="invoice-line" data-testid="invoice-row" data-period=i.period>
                    <span>
                        {format!("Period {} · {}", i.period, money(i.amount_cents))}
                        {(i.refunded_cents > 0).then(|| format!(" · refunded {}", money(i.refunded_cents)))}
                    </span>
                    {(left > 0)
                        .then(|| {
                            view! {
                                <ActionForm action=refund attr:class="form inline">
                                    <input type="hidden" name="invoice_id" value=i.id.clone() />
                                    <input name="amount" inputmode="decimal" size="8" placeholder="Amount" data-testid="refund-amount" />
                                    <button type="submit" class="small secondary" data-testid="refund">"Refund"</button>
                                </ActionForm>
                            }
                        })}
                </div>
            }
        })
        .collect_view()
}
