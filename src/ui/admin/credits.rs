//! Admin → Credits: balances per workspace, a workspace's ledger, and grants or
//! deductions with a required reason.
use leptos::prelude::*;

use crate::api::credits::{AdjustCredits, admin_credit_balances, admin_workspace_credits};
use crate::api::types::WorkspaceCredits;
use crate::domain::credits::format_credits;
use crate::ui::forms::{FieldError, FormError};
use crate::ui::list::{ListFilters, PagedList, use_list_query};
use crate::ui::public::CreditHistory;
use crate::ui::widgets::{Empty, Loading, or_error};

const PATH: &str = "/admin/credits";
const CREDIT_SORTS: &[(&str, &str)] =
    &[("newest", "Newest first"), ("oldest", "Oldest first"), ("balance", "Highest balance")];

#[component]
pub fn AdminCreditsPage() -> impl IntoView {
    let adjust = ServerAction::<AdjustCredits>::new();
    // The workspace being adjusted, kept by the page: the balances refresh after every
    // adjustment and must not close the panel (or drop its ledger request).
    let selected = RwSignal::new(None::<(String, String)>);
    provide_context(selected);
    let query = use_list_query();
    let rows =
        Resource::new(move || (adjust.version().get(), query.get()), |(_, q)| admin_credit_balances(q));
    view! {
        <h1>"Credits"</h1>
        <p class="muted">"1 credit = 1 cent of platform value. A deduction never takes a balance below zero unless you allow it."</p>
        <section class="card">
            {move || view! { <ListFilters path=PATH query=query.get() search_label="Find a workspace" sorts=CREDIT_SORTS /> }}
            <PagedList path=PATH query page=rows table=|rows| view! { <Balances rows /> }.into_any() />
        </section>
        {move || selected.get().map(|(id, name)| view! { <AdjustPanel workspace_id=id name adjust /> })}
    }
}

#[component]
fn Balances(rows: Vec<WorkspaceCredits>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <Empty text="No customer workspaces yet: balances appear here once customers sign up." /> }.into_any();
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
    let selected = expect_context::<RwSignal<Option<(String, String)>>>();
    let (id, name) = (w.workspace_id.clone(), w.workspace_name.clone());
    let is_open = {
        let id = id.clone();
        move || selected.with(|s| s.as_ref().is_some_and(|(open, _)| *open == id))
    };
    let open_is_open = is_open.clone();
    let (pick_id, pick_name) = (id.clone(), name.clone());
    let toggle = move |_| {
        let next = if open_is_open() { None } else { Some((pick_id.clone(), pick_name.clone())) };
        selected.set(next);
    };
    view! {
        <li class="credit-row" data-testid="credit-workspace" data-name=name>
            <div class="credit-row-head">
                <strong>{w.workspace_name}</strong>
                <span data-testid="admin-balance">{format_credits(w.balance)}</span>
                <button type="button" class="small ghost" data-testid="adjust-open" on:click=toggle>
                    {move || if is_open() { "Close" } else { "Adjust / history" }}
                </button>
            </div>
        </li>
    }
}

/// The selected workspace's ledger and the grant/deduct form (outside the list, so the
/// list's refresh after an adjustment leaves it open).
#[component]
fn AdjustPanel(workspace_id: String, name: String, adjust: ServerAction<AdjustCredits>) -> impl IntoView {
    let result = Signal::derive(move || adjust.value().get());
    let id = workspace_id.clone();
    let ledger =
        Resource::new(move || (adjust.version().get(), id.clone()), |(_, id)| admin_workspace_credits(id));
    view! {
        <section class="card" data-testid="adjust-panel">
            <h2>{format!("Credits of {name}")}</h2>
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
            <Transition fallback=Loading>
                {move || ledger.get().map(|r| or_error(r, |s| view! { <CreditHistory entries=s.entries /> }.into_any()))}
            </Transition>
        </section>
    }
}
