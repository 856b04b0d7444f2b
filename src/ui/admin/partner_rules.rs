//! Admin → one partner → commission rules per plan (they beat the default).
use leptos::prelude::*;

use super::partner_detail::{Detail, part};
use crate::api::AppError;
use crate::api::partners::{RemoveCommissionRule, SetCommissionRule};
use crate::api::types::{PlanView, RuleRow};
use crate::ui::data_table::{DataTable, col};
use crate::ui::forms::{CreateForm, FormError, RowButton};
use crate::ui::widgets::{CommissionFields, PlanSelect};

#[component]
pub fn RulesSection(
    detail: Detail,
    plans: Resource<Result<Vec<PlanView>, AppError>>,
    partner_id: Memo<String>,
    set_rule: ServerAction<SetCommissionRule>,
    remove_rule: ServerAction<RemoveCommissionRule>,
) -> impl IntoView {
    // The Remove forms live inside the reloading table, so the action travels by context.
    provide_context(remove_rule);
    let removed = Signal::derive(move || remove_rule.value().get());
    view! {
        <section class="card" data-testid="partner-rules">
            <h2>"Commission rules per plan"</h2>
            <p class="muted">"A plan's rule replaces the partner's default commission for that plan."</p>
            {part(detail, |d| {
                let partner_id = d.partner.id;
                view! { <RulesTable rules=d.rules partner_id /> }.into_any()
            })}
            <FormError result=removed />
            <RuleForm plans partner_id action=set_rule />
        </section>
    }
}

#[component]
fn RulesTable(rules: Vec<RuleRow>, partner_id: String) -> impl IntoView {
    let remove = expect_context::<ServerAction<RemoveCommissionRule>>();
    view! {
        <DataTable
            rows=rules
            empty="No plan rules: the default commission applies to every plan."
            testid="rules-table"
            cols=[col("Plan"), col("Commission"), col("")]
            row=move |r: RuleRow| {
                let partner_id = partner_id.clone();
                let commission = r.commission().map(|c| c.to_string()).unwrap_or_else(|| "—".to_string());
                view! {
                    <tr data-testid="rule-row">
                        <td>{r.plan_name}</td>
                        <td data-testid="rule-commission">{commission}</td>
                        <td>
                            <RowButton
                                action=remove
                                fields=vec![("partner_id", partner_id), ("plan_id", r.plan_id)]
                                label="Remove"
                                class="danger"
                            />
                        </td>
                    </tr>
                }
            }
        />
    }
}

#[component]
fn RuleForm(
    plans: Resource<Result<Vec<PlanView>, AppError>>,
    partner_id: Memo<String>,
    action: ServerAction<SetCommissionRule>,
) -> impl IntoView {
    let result = Signal::derive(move || action.value().get());
    view! {
        <h3>"Set a rule"</h3>
        <CreateForm
            action
            testid="rule-form"
            submit="Save rule"
            inline=true
            fields=&["value", "plan_id"]
            success=|()| view! { <p class="success" data-testid="rule-saved">"Rule saved."</p> }
        >
            <input type="hidden" name="partner_id" value=partner_id />
            <label>"Plan" <PlanSelect plans /></label>
            <CommissionFields result kind_name="kind" value_name="value" kind_label="Kind" />
        </CreateForm>
    }
}
