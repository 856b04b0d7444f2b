//! Portal → Tenant registrations: provision a workspace for a customer and hand
//! them a one-time claim link.
use leptos::prelude::*;

use crate::api::billing::list_plans;
use crate::api::tenants::{ProvisionTenant, RevokeTenant, my_tenants};
use crate::api::types::{ProvisionedTenant, TenantRow};
use crate::domain::dates::format_date;
use crate::domain::names::WORKSPACE_NAME_MAX;
use crate::domain::roles::ClaimState;
use crate::domain::roles::TextEnum;
use crate::ui::copy::CopyField;
use crate::ui::forms::{CreateForm, FieldError, FormError, RowButton};
use crate::ui::list::{ListFilters, NEWEST_OR_OLDEST, PagedList, use_list_query};
use crate::ui::widgets::{Empty, EnumPill, PlanSelect};

const PATH: &str = "/partners/tenants";

#[component]
pub fn PortalTenantsPage() -> impl IntoView {
    let provision = ServerAction::<ProvisionTenant>::new();
    let revoke = ServerAction::<RevokeTenant>::new();
    let query = use_list_query();
    let tenants = Resource::new(
        move || (provision.version().get(), revoke.version().get(), query.get()),
        |(_, _, q)| my_tenants(q),
    );
    provide_context(revoke);
    let revoked = Signal::derive(move || revoke.value().get());
    view! {
        <h1>"Tenant registrations"</h1>
        <p class="muted">
            "Set up a workspace for a customer on a plan, then send its admin the claim link. Each link works once."
        </p>
        <ProvisionForm action=provision />
        <section class="card">
            <h2>"Registrations"</h2>
            {move || {
                view! {
                    <ListFilters
                        path=PATH
                        query=query.get()
                        search_label="Search workspace or email"
                        statuses=ClaimState::options()
                        sorts=NEWEST_OR_OLDEST
                    />
                }
            }}
            // Below the filters: directly above them (as on Portal → Links) this page's
            // hydration stopped with "expected a marker node" (leptos 0.8.23).
            <FormError result=revoked />
            <PagedList path=PATH query page=tenants table=|rows| view! { <TenantsTable rows /> }.into_any() />
        </section>
    }
}

#[component]
fn ProvisionForm(action: ServerAction<ProvisionTenant>) -> impl IntoView {
    let plans = Resource::new(|| (), |_| list_plans());
    let result = Signal::derive(move || action.value().get());
    view! {
        <section class="card">
            <h2>"Provision a tenant"</h2>
            <CreateForm
                action
                testid="provision-form"
                submit="Provision tenant"
                fields=&["workspace_name", "plan_id", "intended_email"]
                success=|t: ProvisionedTenant| view! { <ClaimLinkBox tenant=t /> }
            >
                <div class="row">
                    <label>
                        "Workspace name"
                        <input name="workspace_name" required maxlength=WORKSPACE_NAME_MAX placeholder="Acme Inc." />
                        <FieldError result field="workspace_name" />
                    </label>
                    <label>
                        "Plan"
                        <PlanSelect plans />
                        <FieldError result field="plan_id" />
                    </label>
                    <label>
                        "Admin email (optional)"
                        <input type="email" name="intended_email" placeholder="Only this person may claim it" />
                        <FieldError result field="intended_email" />
                    </label>
                </div>
            </CreateForm>
        </section>
    }
}

/// The claim link, shown this once: the server keeps only a hash of its token.
#[component]
fn ClaimLinkBox(tenant: ProvisionedTenant) -> impl IntoView {
    view! {
        <div class="success" data-testid="claim-box">
            <p><strong>"Tenant provisioned. Send this claim link to the customer's admin:"</strong></p>
            <CopyField text=tenant.claim_link label="Claim link" testid="claim-link" />
            <p class="notice" role="status">"Copy this link now — you won't see it again."</p>
        </div>
    }
}

#[component]
fn TenantsTable(rows: Vec<TenantRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <Empty text="No tenant registrations yet." /> }.into_any();
    }
    view! {
        <table data-testid="tenants-table">
            <thead>
                <tr>
                    <th>"Workspace"</th>
                    <th>"Plan"</th>
                    <th>"Intended email"</th>
                    <th>"Status"</th>
                    <th>"Created"</th>
                    <th>"Expires"</th>
                    <th></th>
                </tr>
            </thead>
            <tbody>{rows.into_iter().map(tenant_row).collect_view()}</tbody>
        </table>
    }
    .into_any()
}

fn tenant_row(t: TenantRow) -> impl IntoView {
    let revoke = expect_context::<ServerAction<RevokeTenant>>();
    let waiting = t.status == ClaimState::Waiting;
    let id = t.id.clone();
    view! {
        <tr data-testid="tenant-row" data-tenant-id=id>
            <td>{t.workspace_name}</td>
            <td>{t.plan_name}</td>
            <td>{t.intended_email.unwrap_or_else(|| "Anyone with the link".to_string())}</td>
            <td><EnumPill value=t.status /></td>
            <td>{format_date(t.created_at)}</td>
            <td>{format_date(t.expires_at)}</td>
            <td>
                {waiting.then(|| {
                    view! {
                        <RowButton
                            action=revoke
                            fields=vec![("tenant_id", t.id)]
                            label="Revoke"
                            class="danger"
                            testid="revoke-tenant"
                        />
                    }
                })}
            </td>
        </tr>
    }
}
