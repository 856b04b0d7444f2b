//! Portal → Referral Links: codes to share as `/register?ref=<code>`.
use leptos::prelude::*;

use crate::api::links::{CreateCode, DisableCode, my_code_page};
use crate::api::types::CodeRow;
use crate::domain::codes::{CODE_MAX_LEN, CODE_MIN_LEN};
use crate::domain::dates::format_date;
use crate::domain::roles::{LinkState, TextEnum};
use crate::ui::copy::CopyField;
use crate::ui::data_table::{DataTable, col};
use crate::ui::forms::{CreateForm, FormError, RowButton};
use crate::ui::list::{ListFilters, PagedList, use_list_query};
use crate::ui::widgets::StatusPill;

const LINK_SORTS: &[(&str, &str)] =
    &[("default", "Default link first"), ("oldest", "Oldest first"), ("code", "Code A–Z")];

#[component]
pub fn PortalLinksPage() -> impl IntoView {
    let create = ServerAction::<CreateCode>::new();
    let disable = ServerAction::<DisableCode>::new();
    let query = use_list_query();
    let codes = Resource::new(
        move || (create.version().get(), disable.version().get(), query.get()),
        |(_, _, q)| my_code_page(q),
    );
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
            {move || {
                view! {
                    <ListFilters path=PATH query=query.get() search_label="Search codes" statuses=LinkState::options() sorts=LINK_SORTS />
                }
            }}
            <PagedList path=PATH query page=codes table=|rows| view! { <CodesTable rows /> }.into_any() />
        </section>
    }
}

#[component]
fn CreateCodeForm(action: ServerAction<CreateCode>) -> impl IntoView {
    view! {
        <section class="card">
            <h2>"Create a link"</h2>
            <p class="muted">
                {format!("Letters, digits, - and _; {CODE_MIN_LEN}–{CODE_MAX_LEN} characters.")}
            </p>
            <CreateForm
                action
                testid="create-code-form"
                submit="Create link"
                inline=true
                fields=&["code"]
                success=|c: CodeRow| view! { <p class="success" data-testid="code-created">"Created " <code>{c.code}</code> "."</p> }
            >
                <label>
                    "Code"
                    <input name="code" required placeholder="spring-promo" autocomplete="off" />
                </label>
            </CreateForm>
        </section>
    }
}

const PATH: &str = "/partners/links";

#[component]
fn CodesTable(rows: Vec<CodeRow>) -> impl IntoView {
    view! {
        <DataTable
            rows
            empty="No referral links yet. Create one above and share it: signups through it are yours."
            testid="codes-table"
            cols=vec![col("Code"), col("Link"), col("Created"), col("Status")]
            row=code_row
        />
    }
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
                        <RowButton
                            action=disable
                            fields=vec![("code_id", c.id)]
                            label="Disable"
                            class="ghost"
                            testid="disable-code"
                        />
                    }
                        .into_any()
                } else {
                    view! { <StatusPill status="disabled" /> }.into_any()
                }}
            </td>
        </tr>
    }
}
