//! Admin → Plans: the subscription plans commissions are computed from.
use leptos::prelude::*;

use crate::api::billing::{CreatePlan, list_plans};
use crate::api::types::PlanView;
use crate::domain::names::PLAN_NAME_MAX;
use crate::ui::data_table::{DataTable, col, num};
use crate::ui::forms::{FieldError, FormError};
use crate::ui::widgets::{Loading, money, or_error, reset_on_success};

#[component]
pub fn AdminPlansPage() -> impl IntoView {
    let create = ServerAction::<CreatePlan>::new();
    let plans = Resource::new(move || create.version().get(), |_| list_plans());
    view! {
        <h1>"Plans"</h1>
        <section class="card">
            <Transition fallback=Loading>
                {move || plans.get().map(|r| or_error(r, |rows| view! { <PlansTable rows /> }.into_any()))}
            </Transition>
        </section>
        <CreatePlanForm action=create />
    }
}

#[component]
fn PlansTable(rows: Vec<PlanView>) -> impl IntoView {
    view! {
        <DataTable
            rows
            empty="No plans yet. Create one below."
            testid="plans-table"
            cols=[col("Plan"), num("Monthly price")]
            row=|p: PlanView| {
                view! {
                    <tr data-testid="plan-row">
                        <td>{p.name}</td>
                        <td class="num">{money(p.price_monthly_cents)}</td>
                    </tr>
                }
            }
        />
    }
}

#[component]
fn CreatePlanForm(action: ServerAction<CreatePlan>) -> impl IntoView {
    let result = Signal::derive(move || action.value().get());
    let form = NodeRef::new();
    reset_on_success(result, form);
    view! {
        <section class="card">
            <h2>"Create plan"</h2>
            <ActionForm action node_ref=form attr:class="form" attr:data-testid="create-plan-form">
                <div class="row">
                    <label>
                        "Name"
                        <input name="name" required maxlength=PLAN_NAME_MAX placeholder="Pro" />
                        <FieldError result field="name" />
                    </label>
                    <label>
                        "Monthly price ($)"
                        <input name="price" required inputmode="decimal" placeholder="99.00" />
                        <FieldError result field="price" />
                    </label>
                </div>
                <FormError result fields=&["name", "price"] />
                {move || {
                    action
                        .value()
                        .get()
                        .and_then(Result::ok)
                        .map(|plan| {
                            view! {
                                <p class="success" data-testid="plan-created">
                                    {format!("Created {} at {}/month.", plan.name, money(plan.price_monthly_cents))}
                                </p>
                            }
                        })
                }}
                <div>
                    <button type="submit" disabled=move || action.pending().get()>"Create plan"</button>
                </div>
            </ActionForm>
        </section>
    }
}
