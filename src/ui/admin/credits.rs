//! Admin → Credits: balances per workspace, a workspace's ledger, and grants or
//! deductions with a required reason.
use leptos::prelude::*;

use crate::api::credits::{AdjustCredits, admin_credit_balances, admin_workspace_credits};
use crate::api::types::WorkspaceCredits;
use crate::domain::credits::format_credits;
use crate::ui::forms::{FieldError, FormError};
use crate::ui::public::CreditHistory;
use crate::ui::widgets::{Empty, Loading, or_error};

#[component]
pub fn AdminCreditsPage() -> impl IntoView {
    let adjust = ServerAction::<AdjustCredits>::new();
    provide_context(adjust);
    let search = RwSignal::new(String::new());
    let rows = Resource::new(
        move || (adjust.version().get(), search.get()),
        |(_, q)| admin_credit_balances(Some(q)),
    );
    view! {
        <h1>"Credits"</h1>
        <p class="muted">"1 credit = 1 cent of platform value. A deduction never takes a balance below zero unless you allow it."</p>
        <section class="card">
            <label class="form inline">
                "Find a workspace"
                <input type="search" data-testid="credits-search" on:input=move |ev| search.set(event_target_value(&ev)) />
            </label>
            <Transition fallback=Loading>
                {move || rows.get().map(|r| or_error(r, |rows| view! { <Balances rows /> }.into_any()))}
            </Transition>
        </section>
    }
}

#[component]
fn Balances(rows: Vec<WorkspaceCredits>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <Empty text="No workspaces match." /> }.into_any();
    }
    view! {
        <ul class="credit-rows">
            {rows.into_iter().map(|w| view! { <BalanceRow w /> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn BalanceRow(w: WorkspaceCredits) -> impl IntoView {
    let adjust = expect_context::<ServerAction<AdjustCredits>>();
    let open = RwSignal::new(false);
    let id = w.workspace_id.clone();
    let name = w.workspace_name.clone();
    view! {
        <li class="credit-row" data-testid="credit-workspace" data-name=name>
            <div class="credit-row-head">
                <strong>{w.workspace_name}</strong>
                <span data-testid="admin-balance">{format_credits(w.balance)}</span>
                <button type="button" class="small ghost" on:click=move |_| open.update(|o| *o = !*o)>
                    {move || if open.get() { "Close" } else { "Adjust / history" }}
                </button>
            </div>
            {move || open.get().then(|| view! { <AdjustPanel workspace_id=id.clone() adjust /> })}
        </li>
    }
}

#[component]
fn AdjustPanel(workspace_id: String, adjust: ServerAction<AdjustCredits>) -> impl IntoView {
    let result = Signal::derive(move || adjust.value().get());
    let id = workspace_id.clone();
    let ledger =
        Resource::new(move || (adjust.version().get(), id.clone()), |(_, id)| admin_workspace_credits(id));
    view! {
        <ActionForm action=adjust attr:class="form inline" attr:data-testid="adjust-form">
            <input type="hidden" name="workspace_id" value=workspace_id />
            <label>"Credits (+ grant, − deduct)" <input name="amount" required inputmode="numeric" placeholder="-250" size="8" /></label>
            <label>"Reason" <input name="reason" required maxlength="200" placeholder="Goodwill for the outage" /></label>
            <label class="check"><input type="checkbox" name="allow_negative" value="on" /> "allow a negative balance"</label>
            <button type="submit" disabled=move || adjust.pending().get()>"Apply"</button>
        </ActionForm>
        <FieldError result field="amount" />
        <FieldError result field="reason" />
        <FormError result fields=&["amount", "reason"] />
        <Suspense fallback=Loading>
            {move || ledger.get().map(|r| or_error(r, |s| view! { <CreditHistory entries=s.entries /> }.into_any()))}
        </Suspense>
    }
}
