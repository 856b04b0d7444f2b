//! Admin → one partner: users, referral codes, commission rules, referrals, ledger.
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::Stat;
use super::partner_rules::RulesSection;
use crate::api::AppError;
use crate::api::billing::list_plans;
use crate::api::partners::{
    AttachPartnerUser, RemoveCommissionRule, SetCommissionRule, partner_detail, partner_ledger,
};
use crate::api::types::{CodeRow, PartnerProfile, PartnerUserRow, ReferralRow};
use crate::domain::dates::format_date;
use crate::model::list::Page;
use crate::ui::copy::CopyButton;
use crate::ui::data_table::{DataTable, col};
use crate::ui::forms::CreateForm;
use crate::ui::list::use_list_query;
use crate::ui::tables::{LedgerList, ReferralsTable};
use crate::ui::widgets::{Empty, Loading, StatusPill, money, or_error};

pub(super) type Detail = Resource<Result<PartnerProfile, AppError>>;

/// Renders one part of the loaded partner, keeping the previous one while it reloads.
/// A failed load shows nothing here: the header reports it once.
pub(super) fn part(detail: Detail, show: fn(PartnerProfile) -> AnyView) -> impl IntoView {
    view! {
        <Transition fallback=Loading>
            {move || detail.get().and_then(Result::ok).map(show)}
        </Transition>
    }
}

#[component]
pub fn AdminPartnerDetailPage() -> impl IntoView {
    let params = use_params_map();
    let partner_id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let attach = ServerAction::<AttachPartnerUser>::new();
    let set_rule = ServerAction::<SetCommissionRule>::new();
    let remove_rule = ServerAction::<RemoveCommissionRule>::new();
    let detail: Detail = Resource::new(
        move || {
            let versions = (attach.version().get(), set_rule.version().get(), remove_rule.version().get());
            (partner_id.get(), versions)
        },
        |(id, _)| partner_detail(id),
    );
    let plans = Resource::new(|| (), |_| list_plans());
    view! {
        <p><a href="/admin/partners">"← All partners"</a></p>
        <Transition fallback=Loading>
            {move || detail.get().map(|r| or_error(r, |d| view! { <Header profile=d /> }.into_any()))}
        </Transition>
        <section class="card" data-testid="partner-users">
            <h2>"Users"</h2>
            {part(detail, |d| view! { <UsersList users=d.users /> }.into_any())}
            <AttachUserForm partner_id action=attach />
        </section>
        <section class="card" data-testid="partner-codes">
            <h2>"Referral codes"</h2>
            {part(detail, |d| view! { <CodesTable codes=d.codes /> }.into_any())}
        </section>
        <super::partner_lifecycle::LifecycleSection partner_id />
        <RulesSection detail plans partner_id set_rule remove_rule />
        <super::PartnerStats partner_id />
        <super::partner_stripe::PartnerStripe partner_id />
        <section class="card" data-testid="partner-referrals">
            <h2>"Latest referrals"</h2>
            {part(detail, |d| view! { <LatestReferrals id=d.partner.id referrals=d.referrals /> }.into_any())}
        </section>
        <section class="card" data-testid="partner-ledger">
            <h2>"Commission ledger"</h2>
            <p>
                <a href=move || format!("/admin/payouts?partner={}", partner_id.get()) data-testid="partner-payouts">
                    "This partner's payouts"
                </a>
            </p>
            <PartnerLedger partner_id />
        </section>
    }
}

/// The first page of the partner's referrals, and a link to all of them in Admin →
/// Workspaces (filtered to this partner) when there are more.
#[component]
fn LatestReferrals(id: String, referrals: Page<ReferralRow>) -> impl IntoView {
    let more = referrals.total > referrals.rows.len() as i64;
    view! {
        <ReferralsTable
            rows=referrals.rows
            empty="No referrals yet. They appear when someone signs up through one of the codes above."
        />
        {more
            .then(|| {
                view! {
                    <p>
                        <a href=format!("/admin/workspaces?partner={id}") data-testid="all-referrals">
                            {format!("All {} referred workspaces", referrals.total)}
                        </a>
                    </p>
                }
            })}
    }
}

/// The partner's ledger, a page at a time; its filters and page are this page's URL.
#[component]
fn PartnerLedger(partner_id: Memo<String>) -> impl IntoView {
    let query = use_list_query();
    let entries = Resource::new(move || (partner_id.get(), query.get()), |(id, q)| partner_ledger(id, q));
    move || {
        view! { <LedgerList path=format!("/admin/partners/{}", partner_id.get()) query page=entries /> }
    }
}

#[component]
fn Header(profile: PartnerProfile) -> impl IntoView {
    let p = profile.partner;
    let commission = p.commission().map(|c| c.to_string()).unwrap_or_else(|| "—".to_string());
    let approved = match p.approved_at {
        Some(ms) => format!("Approved {}", format_date(ms)),
        None => "Not approved".to_string(),
    };
    view! {
        <header data-testid="partner-header">
            <h1 data-testid="partner-name">{p.name}</h1>
            <p class="muted">
                {p.contact_email} " · Default commission "
                <strong data-testid="partner-commission">{commission}</strong> " · " {approved}
            </p>
        </header>
        <div class="stats">
            <Stat label="Referrals" value=p.referrals.to_string() />
            <Stat label="Converted" value=p.converted.to_string() />
            <Stat label="Pending payouts" value=money(p.pending_cents) testid="partner-pending" />
            <Stat label="Paid out" value=money(p.paid_cents) testid="partner-paid" />
        </div>
    }
}

#[component]
fn UsersList(users: Vec<PartnerUserRow>) -> impl IntoView {
    if users.is_empty() {
        return view! { <Empty text="No users yet. Attach one by email so they can use the partner portal." /> }
            .into_any();
    }
    view! {
        <ul class="list">
            {users
                .into_iter()
                .map(|u| {
                    view! {
                        <li data-testid="partner-user">
                            <span>{u.email}</span>
                            <StatusPill status=u.state />
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn AttachUserForm(partner_id: Memo<String>, action: ServerAction<AttachPartnerUser>) -> impl IntoView {
    let outcome = |what: String| {
        let message = if what == "added" {
            "Added — they can log in to the partner portal now."
        } else {
            "Invitation saved — it applies when they register with this email."
        };
        view! { <p class="success" data-testid="attach-outcome">{message}</p> }
    };
    view! {
        <CreateForm
            action
            testid="attach-user-form"
            submit="Attach user"
            inline=true
            fields=&["email"]
            success=outcome
        >
            <input type="hidden" name="partner_id" value=partner_id />
            <label>
                "Attach user by email"
                <input type="email" name="email" required placeholder="someone@partner.example" />
            </label>
        </CreateForm>
    }
}

#[component]
fn CodesTable(codes: Vec<CodeRow>) -> impl IntoView {
    view! {
        <DataTable
            rows=codes
            empty="No referral codes."
            testid="codes-table"
            cols=[col("Code"), col("Link"), col("Status")]
            row=move |c: CodeRow| {
                let status = if c.disabled_at.is_some() { "disabled" } else { "active" };
                view! {
                    <tr data-testid="code-row">
                        <td>
                            <code>{c.code}</code>
                            {(c.is_default != 0).then(|| view! { " " <span class="pill">"default"</span> })}
                        </td>
                        <td class="mono">{c.link.clone()} " " <CopyButton text=c.link /></td>
                        <td><StatusPill status /></td>
                    </tr>
                }
            }
        />
    }
}
