//! `/partners/apply`: a signed-in person applies to the partner program (name, website,
//! how they'll promote, payout country), sees the state of their application, and
//! after a rejection the reason and when they may apply again.
use leptos::prelude::*;

use super::PublicHeader;
use crate::api::lifecycle::{ApplyPartner, my_partner_state};
use crate::domain::dates::format_date;
use crate::domain::names::PARTNER_NAME_MAX;
use crate::model::lifecycle::PartnerStateView;
use crate::ui::forms::{FieldError, FormError};
use crate::ui::gate::Gate;
use crate::ui::widgets::{Loading, or_error};

#[component]
pub fn PartnerApplyPage() -> impl IntoView {
    view! {
        <PublicHeader />
        <main class="page">
            <Gate admits=|_| true>
                <ApplyPanel />
            </Gate>
        </main>
    }
}

#[component]
fn ApplyPanel() -> impl IntoView {
    let action = ServerAction::<ApplyPartner>::new();
    let state = Resource::new(move || action.version().get(), |_| my_partner_state());
    view! {
        <section class="card narrow" data-testid="apply">
            <Suspense fallback=Loading>
                {move || state.get().map(|r| or_error(r, move |found| match found {
                    None => view! { <h1>"Become a partner"</h1> <ApplyForm action /> }.into_any(),
                    Some(s) if s.may_reapply => view! {
                        <StateNotice state=s />
                        <h2>"Apply again"</h2>
                        <ApplyForm action />
                    }.into_any(),
                    Some(s) => view! { <StateNotice state=s /> }.into_any(),
                }))}
            </Suspense>
        </section>
    }
}

/// A partner's state in words, with the reason and note of the latest decision.
#[component]
pub fn StateNotice(state: PartnerStateView) -> impl IntoView {
    let reason = state
        .reason_label
        .clone()
        .map(|r| view! { <p data-testid="state-reason"><strong>"Reason: "</strong>{r}</p> });
    let note =
        state.note.clone().filter(|n| !n.is_empty()).map(|n| view! { <p data-testid="state-note">{n}</p> });
    let wait = state
        .reapply_at
        .filter(|_| !state.may_reapply)
        .map(|at| view! { <p class="muted" data-testid="reapply-at">{format!("You can apply again from {}.", format_date(at))}</p> });
    let portal = (state.state == crate::domain::partner::PartnerState::Approved).then(
        || view! { <p><a class="button" href="/partners" rel="external">"Open the partner portal"</a></p> },
    );
    view! {
        <h1 data-testid="state-title">{format!("{} — {}", state.name, state.state_label)}</h1>
        <p data-testid="state-what-to-do" data-state=state.state.as_str()>{state.what_to_do.clone()}</p>
        {reason}
        {note}
        {wait}
        {portal}
    }
}

#[component]
fn ApplyForm(action: ServerAction<ApplyPartner>) -> impl IntoView {
    let result = Signal::derive(move || action.value().get());
    view! {
        <p class="muted">"Tell us who you are and how you'll promote us. We review every application."</p>
        <ActionForm action attr:class="form" attr:data-testid="apply-form">
            <label>
                "Your name or company"
                <input name="name" required maxlength=PARTNER_NAME_MAX data-testid="apply-name" />
                <FieldError result field="name" />
            </label>
            <label>
                "Website (optional)"
                <input name="website" type="url" placeholder="https://example.com" data-testid="apply-website" />
                <FieldError result field="website" />
            </label>
            <label>
                "How will you promote us?"
                <textarea name="promotion" required maxlength=2000 rows=4 data-testid="apply-promotion"></textarea>
                <FieldError result field="promotion" />
            </label>
            <label>
                "Payout country (two-letter code)"
                <input name="payout_country" required maxlength=2 placeholder="US" data-testid="apply-country" />
                <FieldError result field="payout_country" />
            </label>
            <FormError result fields=&["name", "website", "promotion", "payout_country"] />
            <div><button type="submit" data-testid="apply-submit" disabled=move || action.pending().get()>"Apply"</button></div>
        </ActionForm>
    }
}
