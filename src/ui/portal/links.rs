//! Portal → Referral Links: codes to share as `/register?ref=<code>`.
use leptos::prelude::*;

use crate::api::links::{CreateCode, DisableCode, my_codes};
use crate::api::types::CodeRow;
use crate::domain::codes::{CODE_MAX_LEN, CODE_MIN_LEN};
use crate::domain::dates::format_date;
use crate::ui::copy::CopyField;
use crate::ui::forms::{FieldError, FormError};
use crate::ui::widgets::{Empty, Loading, StatusPill, or_error, reset_on_success};

#[component]
pub fn PortalLinksPage() -> impl IntoView {
    let create = ServerAction::<CreateCode>::new();
    let disable = ServerAction::<DisableCode>::new();
    let codes = Resource::new(move || (create.version().get(), disable.version().get()), |_| my_codes());
    provide_context(disable);
    let disabled = Signal::derive(move || disable.value().get());
    view! {
        <h1>"Referral links"</h1>
        <p class="muted">
            "Share a link: whoever registers through it and creates a workspace is attributed to you."
        </p>
        <CreateCodeForm action=create />
        <section class="card">
            <h2>"Your links"</h2>
            <FormError result=disabled />
            <Transition fallback=Loading>
                {move || codes.get().map(|r| or_error(r, |rows| view! { <CodesTable rows /> }.into_any()))}
            </Transition>
        </section>
    }
}

#[component]
fn CreateCodeForm(action: ServerAction<CreateCode>) -> impl IntoView {
    let result = Signal::derive(move || action.value().get());
    let form = NodeRef::new();
    reset_on_success(result, form);
    view! {
        <section class="card">
            <h2>"Create a link"</h2>
            <ActionForm action node_ref=form attr:class="form inline" attr:data-testid="create-code-form">
                <label>
                    "Code"
                    <input
                        name="code"
                        required
                        placeholder="spring-promo"
                        autocomplete="off"
                    />
                </label>
                <button type="submit" disabled=move || action.pending().get()>"Create link"</button>
            </ActionForm>
            <p class="muted">
                {format!("Letters, digits, - and _; {CODE_MIN_LEN}–{CODE_MAX_LEN} characters.")}
            </p>
            <FieldError result field="code" />
            <FormError result fields=&["code"] />
            {move || {
                result
                    .get()
                    .and_then(Result::ok)
                    .map(|c| view! { <p class="success" data-testid="code-created">"Created " <code>{c.code}</code> "."</p> })
            }}
        </section>
    }
}

#[component]
fn CodesTable(rows: Vec<CodeRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <Empty text="No referral links yet. Create one above." /> }.into_any();
    }
    view! {
        <table data-testid="codes-table">
            <thead>
                <tr>
                    <th>"Code"</th>
                    <th>"Link"</th>
                    <th>"Created"</th>
                    <th>"Status"</th>
                </tr>
            </thead>
            <tbody>{rows.into_iter().map(code_row).collect_view()}</tbody>
        </table>
    }
    .into_any()
}

fn code_row(c: CodeRow) -> impl IntoView {
    let disable = expect_context::<ServerAction<DisableCode>>();
    let active = c.disabled_at.is_none();
    let code = c.code.clone();
    view! {
        <tr data-testid="code-row" data-code=code>
            <td>
                <code data-testid="code">{c.code}</code>
                {(c.is_default != 0).then(|| view! { " " <span class="pill">"default"</span> })}
            </td>
            <td>
                {if active {
                    view! { <CopyField text=c.link label="Referral link" testid="code-link" /> }.into_any()
                } else {
                    view! { <span class="muted mono">{c.link}</span> }.into_any()
                }}
            </td>
            <td>{format_date(c.created_at)}</td>
            <td>
                {if active {
                    view! {
                        <ActionForm action=disable>
                            <input type="hidden" name="code_id" value=c.id />
                            <button
                                type="submit"
                                class="small ghost"
                                data-testid="disable-code"
                                disabled=move || disable.pending().get()
                            >
                                "Disable"
                            </button>
                        </ActionForm>
                    }
                        .into_any()
                } else {
                    view! { <StatusPill status="disabled" /> }.into_any()
                }}
            </td>
        </tr>
    }
}
