//! Admin → Partners: every partner with running totals, and creating new ones.
use leptos::prelude::*;

use crate::api::partners::{CreatePartner, admin_partners};
use crate::api::types::PartnerRow;
use crate::domain::names::PARTNER_NAME_MAX;
use crate::ui::forms::{FieldError, FormError};
use crate::ui::widgets::{CommissionFields, Empty, Loading, money, or_error, reset_on_success};

#[component]
pub fn AdminPartnersPage() -> impl IntoView {
    let create = ServerAction::<CreatePartner>::new();
    let partners = Resource::new(move || create.version().get(), |_| admin_partners());
    view! {
        <h1>"Partners"</h1>
        <super::partner_queue::ReviewQueue />
        <section class="card">
            <h2>"All partners"</h2>
            <Transition fallback=Loading>
                {move || {
                    partners.get().map(|r| or_error(r, |rows| view! { <PartnersTable rows /> }.into_any()))
                }}
            </Transition>
        </section>
        <CreatePartnerForm action=create />
    }
}

#[component]
fn PartnersTable(rows: Vec<PartnerRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <Empty text="No partners yet. Create the first one below." /> }.into_any();
    }
    view! {
        <table data-testid="partners-table">
            <thead>
                <tr>
                    <th>"Partner"</th>
                    <th>"Contact"</th>
                    <th>"Default commission"</th>
                    <th class="num">"Referrals"</th>
                    <th class="num">"Converted"</th>
                    <th class="num">"Pending"</th>
                    <th class="num">"Paid"</th>
                    <th></th>
                </tr>
            </thead>
            <tbody>{rows.into_iter().map(partner_row).collect_view()}</tbody>
        </table>
    }
    .into_any()
}

fn partner_row(p: PartnerRow) -> impl IntoView {
    let href = format!("/admin/partners/{}", p.id);
    let commission = p.commission().map(|c| c.to_string()).unwrap_or_else(|| "—".to_string());
    view! {
        <tr data-testid="partner-row" data-partner-id=p.id.clone()>
            <td><a href=href.clone() data-testid="partner-name">{p.name}</a></td>
            <td>{p.contact_email}</td>
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
    let form = NodeRef::new();
    reset_on_success(result, form);
    view! {
        <section class="card">
            <h2>"Create partner"</h2>
            <p class="muted">
                "Creates the partner's portal workspace and a default referral code. Attach their users on the partner's page."
            </p>
            <ActionForm action node_ref=form attr:class="form" attr:data-testid="create-partner-form">
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
                <FormError result fields=&["name", "contact_email", "commission_value"] />
                {move || {
                    action
                        .value()
                        .get()
                        .and_then(Result::ok)
                        .map(|id| {
                            view! {
                                <p class="success" data-testid="partner-created">
                                    "Partner created. "
                                    <a href=format!("/admin/partners/{id}")>"Open their page"</a>
                                    " to attach users and set commission rules."
                                </p>
                            }
                        })
                }}
                <div>
                    <button type="submit" disabled=move || action.pending().get()>"Create partner"</button>
                </div>
            </ActionForm>
        </section>
    }
}
