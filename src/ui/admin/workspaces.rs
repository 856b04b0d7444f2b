//! Admin → Workspaces: every workspace, and its subscription (plan and status).
//! Making a referred workspace ACTIVE converts its referral and creates the commission.
use leptos::prelude::*;

use crate::api::billing::{SetSubscription, admin_workspace_page, list_plans};
use crate::api::types::{PlanView, WorkspaceAdminRow};
use crate::domain::roles::SubscriptionStatus;
use crate::model::types::SubscriptionChange;
use crate::ui::forms::{FieldError, FormError};
use crate::ui::list::{ListFilters, Pager, use_list_query};
use crate::ui::widgets::{Empty, Loading, money, or_error, plan_options};

#[component]
pub fn AdminWorkspacesPage() -> impl IntoView {
    let query = use_list_query();
    let workspaces = Resource::new(move || query.get(), admin_workspace_page);
    let plans = Resource::new(|| (), |_| list_plans());
    let statuses: Vec<(String, String)> =
        SubscriptionStatus::all().iter().map(|s| (s.as_str().to_string(), s.label().to_string())).collect();
    view! {
        <h1>"Workspaces"</h1>
        <p class="muted">
            "Setting a referred workspace to Active converts its referral and creates the partner's commission (once)."
        </p>
        {move || {
            view! {
                <ListFilters
                    path="/admin/workspaces"
                    query=query.get()
                    search_label="Search workspaces or partners"
                    statuses=statuses.clone()
                    sorts=WORKSPACE_SORTS
                />
            }
        }}
        <section class="card">
            <Transition fallback=Loading>
                {move || {
                    let plans = plans.get()?;
                    let page = workspaces.get()?;
                    Some(
                        or_error(
                            plans,
                            |plans| {
                                or_error(
                                    page,
                                    |page| {
                                        let rows = page.rows.clone();
                                        view! {
                                            <div class="table-scroll">
                                                <WorkspacesTable rows plans />
                                            </div>
                                            <Pager path="/admin/workspaces" query=query.get_untracked() page />
                                        }
                                            .into_any()
                                    },
                                )
                            },
                        ),
                    )
                }}
            </Transition>
        </section>
    }
}

/// The sorts offered (the db's whitelist, by key).
const WORKSPACE_SORTS: &[(&str, &str)] =
    &[("newest", "Newest first"), ("oldest", "Oldest first"), ("name", "Name")];

#[component]
fn WorkspacesTable(rows: Vec<WorkspaceAdminRow>, plans: Vec<PlanView>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <Empty text="No workspace matches. Clear the search or the filters to see them all." /> }
            .into_any();
    }
    view! {
        <table data-testid="workspaces-table">
            <thead>
                <tr>
                    <th>"Workspace"</th>
                    <th>"Kind"</th>
                    <th>"Partner"</th>
                    <th>"Subscription (plan · status)"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|row| view! { <WorkspaceRow row plans=plans.clone() /> })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// One workspace with its own subscription editor and save outcome.
#[component]
fn WorkspaceRow(row: WorkspaceAdminRow, plans: Vec<PlanView>) -> impl IntoView {
    let action = ServerAction::<SetSubscription>::new();
    let result = Signal::derive(move || action.value().get());
    let current_status = row.status;
    let id = row.id.clone();
    let billing_id = row.id.clone();
    let is_partner = row.kind == crate::domain::roles::WorkspaceKind::Partner;
    // A referred workspace that was never Active converts on its first Active: said before saving.
    let will_convert = row.partner_name.is_some() && row.status != Some(SubscriptionStatus::Active);
    let partner = row.partner_name.clone().unwrap_or_default();
    let chosen = RwSignal::new(row.status.map(|s| s.as_str().to_string()).unwrap_or_default());
    view! {
        <tr data-testid="workspace-row" data-workspace-id=id>
            <td data-testid="workspace-name">{row.name}</td>
            <td>{row.kind.label()}</td>
            <td data-testid="workspace-partner">{row.partner_name.unwrap_or_else(|| "—".to_string())}</td>
            <td>
                {if is_partner {
                    view! {
                        <p class="muted" data-testid="partner-workspace-note">
                            "A partner's portal workspace: no customer subscription."
                        </p>
                    }
                        .into_any()
                } else {
                    view! {
                <ActionForm action attr:class="form inline">
                    <input type="hidden" name="workspace_id" value=row.id />
                    <label>"Plan" {plan_options(plans, "plan_id", row.plan_id)}</label>
                    <label>
                        "Status"
                        <select
                            name="status"
                            required
                            data-testid="status-select"
                            on:change=move |ev| chosen.set(event_target_value(&ev))
                        >
                            <option value="" disabled selected=current_status.is_none()>"Choose"</option>
                            {SubscriptionStatus::all()
                                .iter()
                                .map(|s| {
                                    let selected = current_status == Some(*s);
                                    view! { <option value=s.as_str() selected=selected>{s.label()}</option> }
                                })
                                .collect_view()}
                        </select>
                    </label>
                    <button type="submit" class="small" disabled=move || action.pending().get()>"Save"</button>
                </ActionForm>
                <FieldError result field="status" />
                <FieldError result field="plan_id" />
                <FormError result fields=&["status", "plan_id"] />
                {move || {
                    (chosen.get() == SubscriptionStatus::Active.as_str() && will_convert)
                        .then(|| {
                            view! {
                                <p class="small-note" data-testid="commission-warning">
                                    {format!(
                                        "Saving Active converts this referral if it never was Active: {} earns a commission.",
                                        partner.clone(),
                                    )}
                                </p>
                            }
                        })
                }}
                {move || result.get().and_then(Result::ok).map(outcome)}
                <super::invoices::InvoiceActions workspace_id=billing_id.clone() />
                    }
                        .into_any()
                }}
            </td>
        </tr>
    }
}

fn outcome(change: SubscriptionChange) -> impl IntoView {
    let message = match (change.converted, change.commission_cents) {
        (true, Some(cents)) => format!("Saved. Referral converted: {} commission created.", money(cents)),
        (true, None) => "Saved. Referral converted.".to_string(),
        (false, _) => "Saved.".to_string(),
    };
    view! { <p class="success" data-testid="subscription-outcome">{message}</p> }
}
