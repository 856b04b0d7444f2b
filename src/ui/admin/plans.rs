//! Admin → Plans: the subscription plans commissions are computed from.
use leptos::prelude::*;

use crate::api::billing::{CreatePlan, list_plans};
use crate::api::types::PlanView;
use crate::domain::names::PLAN_NAME_MAX;
use crate::ui::data_table::{DataTable, col, num};
use crate::ui::forms::{CreateForm, FieldError};
use crate::ui::widgets::{Loading, money, or_error};

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
    view! {
        <section class="card">
            <h2>"Create plan"</h2>
            <CreateForm
                action
                testid="create-plan-form"
                submit="Create plan"
                fields=&["name", "price"]
                success=|plan: PlanView| {
                    view! {
                        <p class="success" data-testid="plan-created">
                            {format!("Created {} at {}/month.", plan.name, money(plan.price_monthly_cents))}
                        </p>
                    }
                }
            >
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
            </CreateForm>
        </section>
    }
}
