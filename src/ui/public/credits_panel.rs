//! The dashboard's credits: balance (the sum of the ledger) and history, and a box to
//! redeem an invite code for this workspace.
use leptos::prelude::*;

use crate::api::credits::my_credits;
use crate::api::invites::RedeemInvite;
use crate::api::types::{CreditEntryView, CreditSummary, RedeemOutcome};
use crate::domain::credits::format_credits;
use crate::domain::dates::format_datetime;
use crate::ui::data_table::{DataTable, col, num};
use crate::ui::forms::CreateForm;
use crate::ui::widgets::{Loading, or_error};

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
    view! {
        <CreateForm
            action
            testid="redeem-form"
            submit="Redeem"
            inline=true
            fields=&["code"]
            success=|o: RedeemOutcome| view! { <p class="success" data-testid="redeem-outcome">{o.message}</p> }
        >
            <label>
                "Redeem an invite code"
                <input name="code" required maxlength="40" placeholder="BETA-7KQ4-M2X9" autocomplete="off" data-testid="redeem-code" />
            </label>
        </CreateForm>
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
