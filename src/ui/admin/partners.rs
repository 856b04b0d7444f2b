//! Admin → Partners: every partner with running totals, and creating new ones.
use leptos::prelude::*;

use crate::api::partners::{CreatePartner, admin_partners};
use crate::api::types::PartnerRow;
use crate::domain::names::PARTNER_NAME_MAX;
use crate::domain::partner::PartnerState;
use crate::domain::roles::TextEnum;
use crate::ui::data_table::{DataTable, col, num};
use crate::ui::forms::{CreateForm, FieldError};
use crate::ui::list::{ListFilters, PagedList, use_list_query};
use crate::ui::widgets::{CommissionFields, EnumPill, money};

const PATH: &str = "/admin/partners";

/// The sorts offered (the db's whitelist, by key).
const PARTNER_SORTS: &[(&str, &str)] =
    &[("newest", "Newest first"), ("name", "Name"), ("earnings", "Earnings")];

#[component]
pub fn AdminPartnersPage() -> impl IntoView {
    let create = ServerAction::<CreatePartner>::new();
    let query = use_list_query();
    let partners = Resource::new(move || (create.version().get(), query.get()), |(_, q)| admin_partners(q));
    view! {
        <h1>"Partners"</h1>
        <super::partner_queue::ReviewQueue />
        <section class="card">
            <h2>"All partners"</h2>
            {move || {
                view! {
                    <ListFilters
                        path=PATH
                        query=query.get()
                        search_label="Search name, email or code"
                        statuses=PartnerState::options()
                        sorts=PARTNER_SORTS
                    />
                }
            }}
            <PagedList path=PATH query page=partners table=|rows| view! { <PartnersTable rows /> }.into_any() />
        </section>
        <CreatePartnerForm action=create />
    }
}

#[component]
fn PartnersTable(rows: Vec<PartnerRow>) -> impl IntoView {
    view! {
        <DataTable
            rows
            empty="No partners yet. Create the first one below, or share the application page /partners/apply."
            testid="partners-table"
            cols=vec![
                col("Partner"),
                col("Contact"),
                col("State"),
                col("Default commission"),
                num("Referrals"),
                num("Converted"),
                num("Pending"),
                num("Paid"),
                col(""),
            ]
            row=partner_row
        />
    }
}

fn partner_row(p: PartnerRow) -> impl IntoView {
    let href = format!("/admin/partners/{}", p.id);
    let commission = p.commission().map(|c| c.to_string()).unwrap_or_else(|| "—".to_string());
    view! {
        <tr data-testid="partner-row" data-partner-id=p.id.clone()>
            <td><a href=href.clone() data-testid="partner-name">{p.name}</a></td>
            <td>{p.contact_email}</td>
            <td><EnumPill value=p.status /></td>
            <td data-testid="partner-commission">{commission}</td>
            <td class="num">{p.referrals}</td>
            <td class="num">{p.converted}</td>
            <td class="num" data-testid="partner-pending">{money(p.pending_cents)}</td>
            <td class="num" data-testid="partner-paid">{money(p.paid_cents)}</td>
            <td><a class="button small ghost" href=href>"Details"</a></td>
        </tr>
    }
}

#[component]
fn CreatePartnerForm(action: ServerAction<CreatePartner>) -> impl IntoView {
    let result = Signal::derive(move || action.value().get());
    view! {
        <section class="card">
            <h2>"Create partner"</h2>
            <p class="muted">
                "Creates the partner's portal workspace and a default referral code. Attach their users on the partner's page."
            </p>
            <CreateForm
                action
                testid="create-partner-form"
                submit="Create partner"
                fields=&["name", "contact_email", "commission_value"]
                success=|id: String| {
                    view! {
                        <p class="success" data-testid="partner-created">
                            "Partner created. "
                            <a href=format!("/admin/partners/{id}")>"Open their page"</a>
                            " to attach users and set commission rules."
                        </p>
                    }
                }
            >
                <div class="row">
                    <label>
                        "Name"
                        <input name="name" required maxlength=PARTNER_NAME_MAX placeholder="Acme Consulting" />
                        <FieldError result field="name" />
                    </label>
                    <label>
                        "Contact email"
                        <input type="email" name="contact_email" required placeholder="partners@acme.example" />
                        <FieldError result field="contact_email" />
                    </label>
                </div>
                <div class="row">
                    <CommissionFields result kind_name="commission_kind" value_name="commission_value" kind_label="Default commission" />
                </div>
                <FieldError result field="commission_value" />
            </CreateForm>
        </section>
    }
}
