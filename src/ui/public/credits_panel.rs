//! The dashboard's credits: balance (the sum of the ledger) and history, and a box to
//! redeem an invite code for this workspace.
use leptos::prelude::*;

use crate::api::credits::my_credits;
use crate::api::invites::RedeemInvite;
use crate::api::types::{CreditEntryView, CreditSummary};
use crate::domain::credits::format_credits;
use crate::domain::dates::format_datetime;
use crate::ui::data_table::{DataTable, col, num};
use crate::ui::forms::{FieldError, FormError};
use crate::ui::widgets::{Loading, or_error, reset_on_success};

#[component]
pub fn CreditsPanel() -> impl IntoView {
    let redeem = ServerAction::<RedeemInvite>::new();
    let credits = Resource::new(move || redeem.version().get(), |_| my_credits());
    view! {
        <Transition fallback=Loading>
            {move || {
                credits
                    .get()
                    .map(|r| {
                        or_error(
                            r,
                            |found| match found {
                                Some(summary) => view! { <Credits summary redeem /> }.into_any(),
                                None => ().into_any(),
                            },
                        )
                    })
            }}
        </Transition>
    }
}

#[component]
fn Credits(summary: CreditSummary, redeem: ServerAction<RedeemInvite>) -> impl IntoView {
    view! {
        <section class="card" data-testid="credits">
            <div class="card-head">
                <h2>"Credits"</h2>
                <span class="credit-balance" data-testid="credit-balance" data-balance=summary.balance.to_string()>
                    {format_credits(summary.balance)}
                </span>
            </div>
            <p class="muted">
                {format!("Platform credits of {}: 1 credit = 1 cent of platform value.", summary.workspace_name)}
            </p>
            <RedeemForm action=redeem />
            <CreditHistory entries=summary.entries />
        </section>
    }
}

#[component]
fn RedeemForm(action: ServerAction<RedeemInvite>) -> impl IntoView {
    let result = Signal::derive(move || action.value().get());
    let form = NodeRef::new();
    reset_on_success(result, form);
    view! {
        <ActionForm action node_ref=form attr:class="form inline" attr:data-testid="redeem-form">
            <label>
                "Redeem an invite code"
                <input name="code" required maxlength="40" placeholder="BETA-7KQ4-M2X9" autocomplete="off" data-testid="redeem-code" />
            </label>
            <button type="submit" disabled=move || action.pending().get()>"Redeem"</button>
        </ActionForm>
        <FieldError result field="code" />
        <FormError result fields=&["code"] />
        {move || result.get().and_then(Result::ok).map(|o| view! { <p class="success" data-testid="redeem-outcome">{o.message}</p> })}
    }
}

#[component]
pub fn CreditHistory(entries: Vec<CreditEntryView>) -> impl IntoView {
    view! {
        <DataTable
            rows=entries
            empty="No credits yet. Invite codes and your friends' sign-ups add them here."
            testid="credit-history"
            cols=[col("Date"), col("What"), col("Details"), num("Credits")]
            row=move |e: CreditEntryView| {
                let sign = if e.amount > 0 { "+" } else { "" };
                view! {
                    <tr data-testid="credit-entry" data-kind=e.kind.as_str()>
                        <td class="nowrap">{format_datetime(e.created_at)}</td>
                        <td>{e.label}</td>
                        <td>{e.reason.unwrap_or_default()}</td>
                        <td class="num" data-testid="credit-amount">{format!("{sign}{}", e.amount)}</td>
                    </tr>
                }
            }
        />
    }
}
