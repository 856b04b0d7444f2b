//! Admin → Invite codes: mint codes of a flavor (and email them), the per-flavor default
//! grants, and the codes with their uses, status and redemptions.
use leptos::prelude::*;

use crate::api::invites::{
    DisableInviteCode, MintInviteCodes, SetInviteFlavorDefaults, SetPersonalCodeLimits, admin_invite_codes,
    invite_code_redemptions, invite_flavor_defaults, personal_code_limits,
};
use crate::api::types::{FlavorDefaults, InviteCodeView, InviteRedemptionView, MintResult, PersonalLimits};
use crate::domain::credits::format_credits;
use crate::domain::dates::format_date;
use crate::domain::invite_codes::{CodeStatus, InviteFlavor};
use crate::domain::roles::TextEnum;
use crate::ui::copy::CopyButton;
use crate::ui::data_table::{DataTable, col};
use crate::ui::forms::{FieldError, FormError, RowButton};
use crate::ui::list::{ListFilters, PagedList, use_list_query};
use crate::ui::widgets::{Empty, EnumPill, Loading, date_or_dash, or_error};

const CODE_SORTS: &[(&str, &str)] =
    &[("newest", "Newest first"), ("oldest", "Oldest first"), ("most_used", "Most used")];

#[component]
pub fn AdminInviteCodesPage() -> impl IntoView {
    let mint = ServerAction::<MintInviteCodes>::new();
    let disable = ServerAction::<DisableInviteCode>::new();
    provide_context(disable);
    // The code whose redemptions are shown, kept by the page so a table refresh (a filter,
    // a disable) never drops the panel or a request in flight.
    let selected = RwSignal::new(None::<(String, String)>);
    provide_context(Selected(selected));
    let query = use_list_query();
    let codes = Resource::new(
        move || (mint.version().get(), disable.version().get(), query.get()),
        |(_, _, q)| admin_invite_codes(q),
    );
    view! {
        <h1>"Invite codes"</h1>
        <MintForm action=mint />
        <Defaults />
        <section class="card">
            <h2>"Codes"</h2>
            {move || {
                view! {
                    <ListFilters
                        path=PATH
                        query=query.get()
                        search_label="Search codes"
                        statuses=CodeStatus::options()
                        kinds=InviteFlavor::options()
                        kind_label="Flavor"
                        sorts=CODE_SORTS
                    />
                }
            }}
            {move || disable.value().get().and_then(Result::err).map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
            <PagedList path=PATH query page=codes table=|rows| view! { <CodesTable rows /> }.into_any() />
        </section>
        <Redemptions selected />
    }
}

#[derive(Clone, Copy)]
struct Selected(RwSignal<Option<(String, String)>>);

#[component]
fn MintForm(action: ServerAction<MintInviteCodes>) -> impl IntoView {
    let result = Signal::derive(move || action.value().get());
    view! {
        <section class="card">
            <h2>"Mint codes"</h2>
            <ActionForm action attr:class="form mint-form" attr:data-testid="mint-form">
                <div class="form-grid">
                    <label>
                        "Flavor"
                        <select name="flavor" data-testid="mint-flavor">
                            {InviteFlavor::all()
                                .iter()
                                .filter(|f| **f != InviteFlavor::Personal)
                                .map(|f| view! { <option value=f.as_str()>{format!("{} ({}-)", f.label(), f.prefix())}</option> })
                                .collect_view()}
                        </select>
                    </label>
                    <label>
                        "How many codes"
                        <input name="count" value="1" inputmode="numeric" data-testid="mint-count" />
                    </label>
                    <label>
                        "Max uses per code (empty = unlimited)"
                        <input name="max_uses" value="1" inputmode="numeric" data-testid="mint-max-uses" />
                    </label>
                    <label>
                        "Credits for the invitee (empty = flavor default)"
                        <input name="credits" inputmode="numeric" data-testid="mint-credits" />
                    </label>
                    <label>
                        "Expires on (optional)"
                        <input name="expires_on" type="date" data-testid="mint-expiry" />
                    </label>
                </div>
                <FieldError result field="flavor" />
                <FieldError result field="count" />
                <FieldError result field="max_uses" />
                <FieldError result field="credits" />
                <FieldError result field="expires_on" />
                <label>
                    "Metadata (one key = value per line)"
                    <textarea name="metadata" rows="2" placeholder="campaign = launch" data-testid="mint-metadata"></textarea>
                </label>
                <FieldError result field="metadata" />
                <label>
                    "Email the codes to (optional: one address per line; each gets its own code)"
                    <textarea name="emails" rows="3" placeholder="ann@example.com" data-testid="mint-emails"></textarea>
                </label>
                <label class="check">
                    <input type="checkbox" name="shared" value="on" data-testid="mint-shared" />
                    "Send everyone the same code"
                </label>
                <FieldError result field="emails" />
                <FormError result fields=&["flavor", "count", "max_uses", "credits", "expires_on", "metadata", "emails"] />
                <button type="submit" data-testid="mint-submit" disabled=move || action.pending().get()>"Mint"</button>
            </ActionForm>
            {move || result.get().and_then(Result::ok).map(|minted| view! { <Minted minted /> })}
        </section>
    }
}

#[component]
fn Minted(minted: MintResult) -> impl IntoView {
    let all = minted.codes.join("\n");
    let summary = match minted.emailed {
        0 => format!("{} code(s) minted.", minted.codes.len()),
        n => format!("{} code(s) minted; {n} message(s) queued — see the Outbox.", minted.codes.len()),
    };
    view! {
        <div class="success-box" data-testid="minted">
            <p class="success" data-testid="minted-summary">{summary}</p>
            <ul class="minted-codes">
                {minted.codes.into_iter().map(|c| view! { <li><code data-testid="minted-code">{c}</code></li> }).collect_view()}
            </ul>
            <CopyButton text=all />
        </div>
    }
}

#[component]
fn Defaults() -> impl IntoView {
    let save = ServerAction::<SetInviteFlavorDefaults>::new();
    let defaults = Resource::new(move || save.version().get(), |_| invite_flavor_defaults());
    let result = Signal::derive(move || save.value().get());
    view! {
        <section class="card">
            <h2>"Default grants per flavor"</h2>
            <p class="muted">"New codes of a flavor grant these credits unless the minting form says otherwise. Existing codes keep theirs."</p>
            <FormError result />
            <Transition fallback=Loading>
                {move || defaults.get().map(|r| or_error(r, |rows| view! { <DefaultsTable rows save /> }.into_any()))}
            </Transition>
            <Limits />
        </section>
    }
}

/// What workspace owners may choose for their personal codes.
#[component]
fn Limits() -> impl IntoView {
    let save = ServerAction::<SetPersonalCodeLimits>::new();
    let limits = Resource::new(move || save.version().get(), |_| personal_code_limits());
    let result = Signal::derive(move || save.value().get());
    view! {
        <h3>"Personal code limits"</h3>
        <Transition fallback=Loading>
            {move || limits.get().map(|r| or_error(r, |l| view! { <LimitsForm limits=l save /> }.into_any()))}
        </Transition>
        <FieldError result field="max_uses_cap" />
        <FieldError result field="max_credits_cap" />
        <FieldError result field="active_per_workspace" />
        <FormError result fields=&["max_uses_cap", "max_credits_cap", "active_per_workspace"] />
    }
}

#[component]
fn LimitsForm(limits: PersonalLimits, save: ServerAction<SetPersonalCodeLimits>) -> impl IntoView {
    view! {
        <ActionForm action=save attr:class="form inline" attr:data-testid="personal-limits-form">
            <label>"Uses per code, at most" <input name="max_uses_cap" value=limits.max_uses_cap.to_string() size="8" /></label>
            <label>"Credits per friend, at most" <input name="max_credits_cap" value=limits.max_credits_cap.to_string() size="8" /></label>
            <label>"Active codes per workspace" <input name="active_per_workspace" value=limits.active_per_workspace.to_string() size="5" /></label>
            <button type="submit" class="small" disabled=move || save.pending().get()>"Save limits"</button>
        </ActionForm>
    }
}

#[component]
fn DefaultsTable(rows: Vec<FlavorDefaults>, save: ServerAction<SetInviteFlavorDefaults>) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table data-testid="flavor-defaults">
                <thead>
                    <tr><th>"Flavor"</th><th>"Prefix"</th><th>"Invitee / inviter credits"</th></tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|d| {
                        let flavor = d.flavor.as_str();
                        view! {
                        <tr data-testid="flavor-default" data-flavor=flavor>
                            <td>{d.label}</td>
                            <td><code>{format!("{}-", d.prefix)}</code></td>
                            <td>
                                <ActionForm action=save attr:class="form inline">
                                    <input type="hidden" name="flavor" value=d.flavor.as_str() />
                                    <input name="invitee_credits" value=d.invitee_credits.to_string() size="8" aria-label="Invitee credits" />
                                    <input name="inviter_credits" value=d.inviter_credits.to_string() size="8" aria-label="Inviter credits" />
                                    <button type="submit" class="small">"Save"</button>
                                </ActionForm>
                            </td>
                        </tr>
                    }}).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

const PATH: &str = "/admin/invite-codes";

#[component]
fn CodesTable(rows: Vec<InviteCodeView>) -> impl IntoView {
    view! {
        <DataTable
            rows
            empty="No invite codes yet. Mint some above: each flavor has its own prefix and grant."
            testid="codes-table"
            cols=vec![
                col("Code"),
                col("Flavor"),
                col("Uses"),
                col("Credits"),
                col("Expires"),
                col("Referrer"),
                col("Status"),
                col(""),
            ]
            row=|code| view! { <CodeRow code /> }
        />
    }
}

#[component]
fn CodeRow(code: InviteCodeView) -> impl IntoView {
    let disable = expect_context::<ServerAction<DisableInviteCode>>();
    let Selected(selected) = expect_context::<Selected>();
    let (id, text) = (code.id.clone(), code.code.clone());
    let is_open = {
        let id = id.clone();
        move || selected.with(|s| s.as_ref().is_some_and(|(open, _)| *open == id))
    };
    let open_is_open = is_open.clone();
    let toggle = move |_| {
        let next = if open_is_open() { None } else { Some((id.clone(), text.clone())) };
        selected.set(next);
    };
    let uses = match code.max_uses {
        Some(max) => format!("{} / {max}", code.uses),
        None => format!("{} / ∞", code.uses),
    };
    let remaining = code.remaining.map(|r| format!("{r} left")).unwrap_or_else(|| "unlimited".into());
    let can_disable = code.disabled_at.is_none();
    let metadata = (!code.metadata.is_empty()).then(|| {
        view! {
            // An explicit <tbody>: the browser's parser adds one to a bare <tr>, and the
            // hydrated page must find exactly the nodes the server rendered.
            <table class="metadata" data-testid="code-metadata">
                <tbody>
                    {code.metadata.iter().map(|(k, v)| view! { <tr><th>{k.clone()}</th><td>{v.clone()}</td></tr> }).collect_view()}
                </tbody>
            </table>
        }
    });
    view! {
        <tr data-testid="code-row" data-code=code.code.clone()>
            <td class="nowrap"><code>{code.code.clone()}</code> " " <CopyButton text=code.link.clone() /></td>
            <td>{code.flavor.label()}</td>
            <td class="nowrap" data-testid="code-uses">{uses} <br /> <span class="muted small-note">{remaining}</span></td>
            <td>{format_credits(code.invitee_credits)}</td>
            <td class="nowrap">{date_or_dash(code.expires_at.map(|e| e - 1))}</td>
            <td>{code.referrer.clone()} {metadata}</td>
            <td><EnumPill value=code.status /></td>
            <td class="actions">
                <button type="button" class="small ghost" data-testid="show-redemptions" on:click=toggle>
                    {move || if is_open() { "Hide" } else { "Redemptions" }}
                </button>
                {can_disable.then(|| view! {
                    <RowButton
                        action=disable
                        fields=vec![("code_id", code.id.clone())]
                        label="Disable"
                        class="danger"
                        testid="disable-code"
                    />
                })}
            </td>
        </tr>
    }
}

/// The selected code's redemptions, below the table.
#[component]
fn Redemptions(selected: RwSignal<Option<(String, String)>>) -> impl IntoView {
    let rows = Resource::new(
        move || selected.get().map(|(id, _)| id),
        |id| async move {
            match id {
                Some(id) => invite_code_redemptions(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        {move || {
            selected.get().map(|(_, code)| {
                view! {
                    <section class="card" data-testid="redemptions-panel">
                        <h2>{format!("Redemptions of {code}")}</h2>
                        <Transition fallback=Loading>
                            {move || {
                                rows.get().map(|r| or_error(r, |rows| match rows {
                                    Some(rows) => view! { <RedemptionsTable rows /> }.into_any(),
                                    None => ().into_any(),
                                }))
                            }}
                        </Transition>
                    </section>
                }
            })
        }}
    }
}

#[component]
fn RedemptionsTable(rows: Vec<InviteRedemptionView>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <Empty text="Not redeemed yet." /> }.into_any();
    }
    view! {
        <table data-testid="redemptions">
            <thead><tr><th>"Workspace"</th><th>"By"</th><th>"Credits"</th><th>"Redeemed"</th><th>"First paid"</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|r| view! {
                    <tr data-testid="redemption">
                        <td>{r.workspace_name}</td>
                        <td>{r.user_email}</td>
                        <td>{format!("{} / {}", r.invitee_credits, r.inviter_credits)}</td>
                        <td>{format_date(r.created_at)}</td>
                        <td>{date_or_dash(r.first_paid_at)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
