//! Portal → Domains: white-label hosts that show the agency's name and colour.
use leptos::prelude::*;

use crate::api::settings::{AddDomain, RemoveDomain, my_domains};
use crate::api::types::CustomDomainRow;
use crate::domain::dates::format_date;
use crate::ui::brand::is_hex_color;
use crate::ui::forms::{FieldError, FormError};
use crate::ui::widgets::{Empty, Loading, or_error, reset_on_success};

const DEFAULT_COLOR: &str = "#2f6fed";
const DOMAIN_FIELDS: &[&str] = &["host", "brand_name", "brand_color"];

#[component]
pub fn PortalDomainsPage() -> impl IntoView {
    let add = ServerAction::<AddDomain>::new();
    let remove = ServerAction::<RemoveDomain>::new();
    let domains = Resource::new(move || (add.version().get(), remove.version().get()), |_| my_domains());
    provide_context(remove);
    let removed = Signal::derive(move || remove.value().get());
    view! {
        <h1>"Custom domains"</h1>
        <p class="notice" data-testid="dns-note">
            "Point the domain's DNS at this server; pages served on it show your name and colour."
        </p>
        <AddDomainForm action=add />
        <section class="card">
            <h2>"Your domains"</h2>
            <FormError result=removed />
            <Transition fallback=Loading>
                {move || domains.get().map(|r| or_error(r, |rows| view! { <DomainsTable rows /> }.into_any()))}
            </Transition>
        </section>
    }
}

#[component]
fn AddDomainForm(action: ServerAction<AddDomain>) -> impl IntoView {
    let result = Signal::derive(move || action.value().get());
    let form = NodeRef::new();
    reset_on_success(result, form);
    view! {
        <section class="card">
            <h2>"Add a domain"</h2>
            <ActionForm action node_ref=form attr:class="form" attr:data-testid="add-domain-form">
                <div class="row">
                    <label>
                        "Host"
                        <input name="host" required autocomplete="off" placeholder="partners.agency.example" />
                        <FieldError result field="host" />
                    </label>
                    <label>
                        "Brand name"
                        <input name="brand_name" required maxlength="60" placeholder="Agency Partners" />
                        <FieldError result field="brand_name" />
                    </label>
                    <label style="flex:0 0 auto">
                        "Brand colour"
                        <input type="color" name="brand_color" value=DEFAULT_COLOR style="height:2.6rem;padding:0.2rem" />
                        <FieldError result field="brand_color" />
                    </label>
                </div>
                <FormError result fields=DOMAIN_FIELDS />
                <button type="submit" disabled=move || action.pending().get()>"Add domain"</button>
            </ActionForm>
            {move || {
                result
                    .get()
                    .and_then(Result::ok)
                    .map(|d| view! { <p class="success" data-testid="domain-added">"Added " <code>{d.host}</code> "."</p> })
            }}
        </section>
    }
}

#[component]
fn DomainsTable(rows: Vec<CustomDomainRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <Empty text="No custom domains yet." /> }.into_any();
    }
    view! {
        <table data-testid="domains-table">
            <thead>
                <tr>
                    <th>"Host"</th>
                    <th>"Brand name"</th>
                    <th>"Colour"</th>
                    <th>"Added"</th>
                    <th></th>
                </tr>
            </thead>
            <tbody>{rows.into_iter().map(|domain| view! { <DomainRow domain /> }).collect_view()}</tbody>
        </table>
    }
    .into_any()
}

#[component]
fn DomainRow(domain: CustomDomainRow) -> impl IntoView {
    let remove = expect_context::<ServerAction<RemoveDomain>>();
    let host = domain.host.clone();
    view! {
        <tr data-testid="domain-row" data-host=host>
            <td><code>{domain.host.clone()}</code></td>
            <td>{domain.brand_name}</td>
            <td><ColorSwatch color=domain.brand_color /></td>
            <td>{format_date(domain.created_at)}</td>
            <td>
                <ActionForm action=remove>
                    <input type="hidden" name="host" value=domain.host />
                    <button
                        type="submit"
                        class="small danger"
                        data-testid="remove-domain"
                        disabled=move || remove.pending().get()
                    >
                        "Remove"
                    </button>
                </ActionForm>
            </td>
        </tr>
    }
}

/// A square of the colour (only a plain `#rrggbb` goes into the style) and its code.
#[component]
fn ColorSwatch(color: String) -> impl IntoView {
    let fill = if is_hex_color(&color) { color.as_str() } else { "transparent" };
    let style = format!(
        "display:inline-block;width:1.1rem;height:1.1rem;border-radius:4px;border:1px solid var(--line);vertical-align:middle;background:{fill}"
    );
    view! {
        <span style=style data-testid="domain-swatch"></span>
        " "
        <code>{color}</code>
    }
}
