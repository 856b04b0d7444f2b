//! The dashboard's personal invite codes: make one (within the platform's limits), copy
//! its code or link, see uses left and how far each invited friend got.
use leptos::prelude::*;

use crate::api::invites::{CreatePersonalCode, DisablePersonalCode, my_invites};
use crate::api::types::{InviteCodeView, InviteeProgress, PersonalInvites};
use crate::domain::credits::format_credits;
use crate::domain::dates::format_date;
use crate::ui::copy::{CopyButton, CopyField};
use crate::ui::data_table::{DataTable, col};
use crate::ui::forms::{FieldError, FormError, RowButton};
use crate::ui::widgets::{Empty, EnumPill, Loading, or_error};

#[component]
pub fn PersonalInvitesPanel() -> impl IntoView {
    let create = ServerAction::<CreatePersonalCode>::new();
    let disable = ServerAction::<DisablePersonalCode>::new();
    let invites = Resource::new(move || (create.version().get(), disable.version().get()), |_| my_invites());
    provide_context(disable);
    view! {
        <Transition fallback=Loading>
            {move || {
                invites.get().map(|r| match r {
                    Ok(data) => view! { <Invites data create /> }.into_any(),
                    // No workspace to invite from yet: nothing to show.
                    Err(crate::api::AppError::Refused(_)) => ().into_any(),
                    Err(e) => or_error(Err::<(), _>(e), |_| ().into_any()),
                })
            }}
        </Transition>
    }
}

#[component]
fn Invites(data: PersonalInvites, create: ServerAction<CreatePersonalCode>) -> impl IntoView {
    let result = Signal::derive(move || create.value().get());
    let full = data.active >= data.cap;
    view! {
        <section class="card" data-testid="personal-invites">
            <h2>"Invite friends"</h2>
            <p class="muted">
                {format!(
                    "Each friend who redeems your code gets the credits you choose; you get {} per friend. {} of {} codes active.",
                    format_credits(data.inviter_credits), data.active, data.cap
                )}
            </p>
            <ActionForm action=create attr:class="form inline" attr:data-testid="personal-code-form">
                <label>
                    {format!("Uses (1–{})", data.max_uses_cap)}
                    <input name="max_uses" required inputmode="numeric" value="5" size="6" />
                </label>
                <label>
                    {format!("Credits per friend (up to {})", format_credits(data.max_credits_cap).trim_end_matches(" credits"))}
                    <input name="credits" required inputmode="numeric" value=data.default_invitee_credits.to_string() size="8" />
                </label>
                <button type="submit" disabled=move || full || create.pending().get()>"Create code"</button>
            </ActionForm>
            <FieldError result field="max_uses" />
            <FieldError result field="credits" />
            <FormError result fields=&["max_uses", "credits"] />
            {move || result.get().and_then(Result::ok).map(|code| view! { <p class="success" data-testid="personal-code-created">{format!("Code {code} created.")}</p> })}
            <PersonalCodes codes=data.codes />
            <h3>"Your invitees"</h3>
            <Invitees rows=data.invitees />
        </section>
    }
}

#[component]
fn PersonalCodes(codes: Vec<InviteCodeView>) -> impl IntoView {
    if codes.is_empty() {
        return view! { <Empty text="No personal codes yet." /> }.into_any();
    }
    view! {
        <ul class="invite-codes">
            {codes.into_iter().map(|c| view! { <PersonalCode code=c /> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn PersonalCode(code: InviteCodeView) -> impl IntoView {
    let disable = expect_context::<ServerAction<DisablePersonalCode>>();
    let active = code.status == crate::domain::invite_codes::CodeStatus::Active;
    let uses = match code.remaining {
        Some(left) => format!("{} used, {left} left", code.uses),
        None => format!("{} used", code.uses),
    };
    view! {
        <li class="invite-code" data-testid="personal-code" data-code=code.code.clone()>
            <div class="invite-code-head">
                <code class="code-big" data-testid="personal-code-value">{code.code.clone()}</code>
                <CopyButton text=code.code.clone() />
                <EnumPill value=code.status />
                <span class="muted" data-testid="personal-code-uses">{uses}</span>
                {active.then(|| view! {
                    <RowButton
                        action=disable
                        fields=vec![("code_id", code.id.clone())]
                        label="Disable"
                        class="ghost"
                    />
                })}
            </div>
            <CopyField text=code.link label="Invite link" testid="personal-code-link" />
        </li>
    }
}

#[component]
fn Invitees(rows: Vec<InviteeProgress>) -> impl IntoView {
    view! {
        <DataTable
            rows=rows
            empty="Nobody has used your codes yet."
            testid="invitees"
            cols=[col("Friend"), col("Code"), col("Progress"), col("Since")]
            row=move |r: InviteeProgress| {
                let steps = r.stage.steps();
                view! {
                    <tr data-testid="invitee" data-stage=r.stage.as_str()>
                        <td>{r.who}{r.workspace_name.map(|w| format!(" · {w}"))}</td>
                        <td><code>{r.code}</code></td>
                        <td>
                            <span class="progress-steps" aria-hidden="true">
                                {(1..=3)
                                    .map(|i| {
                                        let class = if i <= steps { "step done" } else { "step" };
                                        view! { <span class=class></span> }
                                    })
                                    .collect_view()}
                            </span>
                            " " {r.stage.label()}
                        </td>
                        <td>{format_date(r.since)}</td>
                    </tr>
                }
            }
        />
    }
}
