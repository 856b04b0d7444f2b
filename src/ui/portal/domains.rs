//! Portal → Domains: white-label hosts that show the agency's name and colour once a DNS
//! TXT record proves the agency controls them.
use leptos::prelude::*;

use crate::api::settings::{AddDomain, CheckDomain, RemoveDomain, my_domains};
use crate::api::types::CustomDomainRow;
use crate::domain::dates::{format_date, format_datetime};
use crate::ui::brand::is_hex_color;
use crate::ui::copy::CopyField;
use crate::ui::forms::{CreateForm, FieldError, FormError, RowButton};
use crate::ui::widgets::{Empty, Loading, or_error};

const DEFAULT_COLOR: &str = "#2158d0";
const DOMAIN_FIELDS: &[&str] = &["host", "brand_name", "brand_color"];

#[component]
pub fn PortalDomainsPage() -> impl IntoView {
    let add = ServerAction::<AddDomain>::new();
    let remove = ServerAction::<RemoveDomain>::new();
    let check = ServerAction::<CheckDomain>::new();
    let domains = Resource::new(
        move || (add.version().get(), remove.version().get(), check.version().get()),
        |_| my_domains(),
    );
    provide_context(remove);
    provide_context(check);
    let removed = Signal::derive(move || remove.value().get());
    let checked = Signal::derive(move || check.value().get());
    view! {
        <h1>"Custom domains"</h1>
        <p class="notice" data-testid="dns-note">
            "Point the domain's DNS at this server, then publish the TXT record we show for it. "
            "Once we find the record the domain is verified and its pages show your name and colour; "
            "we check every few minutes, or press Check now."
        </p>
        <AddDomainForm action=add />
        <section class="card">
            <h2>"Your domains"</h2>
            <FormError result=removed />
            <FormError result=checked />
            <Transition fallback=Loading>
                {move || domains.get().map(|r| or_error(r, |rows| view! { <DomainsTable rows /> }.into_any()))}
            </Transition>
        </section>
    }
}

#[component]
fn AddDomainForm(action: ServerAction<AddDomain>) -> impl IntoView {
    let result = Signal::derive(move || action.value().get());
    view! {
        <section class="card">
            <h2>"Add a domain"</h2>
            <CreateForm
                action
                testid="add-domain-form"
                submit="Add domain"
                fields=DOMAIN_FIELDS
                success=|d: CustomDomainRow| {
                    view! {
                        <p class="success" data-testid="domain-added">
                            "Added " <code>{d.host}</code> ". Publish its TXT record (below) to verify it."
                        </p>
                    }
                }
            >
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
            </CreateForm>
        </section>
    }
}

#[component]
fn DomainsTable(rows: Vec<CustomDomainRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <Empty text="No custom domains yet." /> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="domains-table" data-testid="domains-table">
                <thead>
                    <tr>
                        <th>"Host"</th>
                        <th>"Brand"</th>
                        <th>"Status"</th>
                        <th>"Added"</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>{rows.into_iter().map(|domain| view! { <DomainRow domain /> }).collect_view()}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn DomainRow(domain: CustomDomainRow) -> impl IntoView {
    let remove = expect_context::<ServerAction<RemoveDomain>>();
    let check = expect_context::<ServerAction<CheckDomain>>();
    let verified = domain.verified_at.is_some();
    let host = domain.host.clone();
    let status = if verified { "verified" } else { "pending" };
    // The record to publish gets a full-width row of its own under a pending domain, so
    // the long name and value fit on a phone too.
    // The last check's finding goes there too, next to what to fix.
    let dns_row = (!verified).then(|| {
        let (name, value) = (domain.txt_name.clone(), domain.txt_value.clone());
        let error = domain.last_error.clone().map(|e| {
            view! {
                <p class="domain-error" role="status" data-testid="domain-error">
                    <strong>"Last check: "</strong>
                    {e}
                </p>
            }
        });
        view! {
            <tr class="dns-row" data-testid="dns-record" data-host=host.clone()>
                <td colspan="5">
                    {error}
                    <p class="muted">
                        "Add this TXT record at your DNS provider. If it adds your domain to names by "
                        "itself, enter only the part of the name before your domain."
                    </p>
                    <div class="dns-record">
                        <div>
                            <span class="dns-label">"Name"</span>
                            <CopyField text=name testid="txt-name" label="TXT record name" />
                        </div>
                        <div>
                            <span class="dns-label">"Value"</span>
                            <CopyField text=value testid="txt-value" label="TXT record value" />
                        </div>
                    </div>
                </td>
            </tr>
        }
    });
    let check_form = (!verified).then(|| {
        let host = host.clone();
        view! {
            <ActionForm action=check>
                <input type="hidden" name="host" value=host />
                <button type="submit" class="small" data-testid="check-domain" disabled=move || check.pending().get()>
                    {move || if check.pending().get() { "Checking…" } else { "Check now" }}
                </button>
            </ActionForm>
        }
    });
    let row_host = host.clone();
    view! {
        <tr data-testid="domain-row" data-host=row_host data-status=status>
            <td><code>{domain.host.clone()}</code></td>
            <td>
                <span class="brand-cell">
                    <ColorSwatch color=domain.brand_color />
                    <span>{domain.brand_name}</span>
                </span>
            </td>
            <td>
                <VerificationStatus verified_at=domain.verified_at last_checked_at=domain.last_checked_at />
            </td>
            <td class="nowrap">{format_date(domain.created_at)}</td>
            <td class="actions">
                {check_form}
                <RowButton
                    action=remove
                    fields=vec![("host", host)]
                    label="Remove"
                    class="danger"
                    testid="remove-domain"
                />
            </td>
        </tr>
        {dns_row}
    }
}

/// "Verified" (since when) or "Pending verification" (and when we last looked; what we
/// found is shown with the TXT record below the row).
#[component]
fn VerificationStatus(verified_at: Option<i64>, last_checked_at: Option<i64>) -> impl IntoView {
    if let Some(at) = verified_at {
        return view! {
            <span class="pill ok" data-testid="domain-status">"Verified"</span>
            <p class="small-note muted">{format!("since {}", format_datetime(at))}</p>
        }
        .into_any();
    }
    let checked = match last_checked_at {
        Some(at) => format!("Last checked {}", format_datetime(at)),
        None => "Not checked yet".to_string(),
    };
    view! {
        <span class="pill warn" data-testid="domain-status">"Pending verification"</span>
        <p class="small-note muted" data-testid="domain-checked">{checked}</p>
    }
    .into_any()
}

/// A square of the colour (only a plain `#rrggbb` goes into the style), its code on hover.
#[component]
fn ColorSwatch(color: String) -> impl IntoView {
    let fill = if is_hex_color(&color) { color.as_str() } else { "transparent" };
    let style = format!(
        "display:inline-block;width:1.1rem;height:1.1rem;border-radius:4px;border:1px solid var(--line);vertical-align:middle;background:{fill}"
    );
    view! { <span role="img" style=style title=color.clone() aria-label=format!("Colour {color}") data-testid="domain-swatch"></span> }
}
