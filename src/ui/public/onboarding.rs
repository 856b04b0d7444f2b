use leptos::prelude::*;

use super::PublicHeader;
use crate::api::workspaces::CreateWorkspace;
use crate::ui::forms::{FieldError, FormError};
use crate::ui::gate::Gate;

#[component]
pub fn OnboardingPage() -> impl IntoView {
    let action = ServerAction::<CreateWorkspace>::new();
    let result = Signal::derive(move || action.value().get());
    view! {
        <PublicHeader />
        <main class="page">
            <Gate admits=|_| true>
                <ActionForm action attr:class="card narrow form">
                    <h1>"Create your workspace"</h1>
                    <p class="muted">"A workspace is where your team and your subscription live."</p>
                    <super::invite::CarriedInviteNote />
                    <label>
                        "Workspace name"
                        <input name="name" required maxlength="80" placeholder="Acme Inc." />
                    </label>
                    <CarriedNext />
                    <FieldError result field="name" />
                    <FormError result fields=&["name"] />
                    <button type="submit" disabled=move || action.pending().get()>"Create workspace"</button>
                </ActionForm>
            </Gate>
        </main>
    }
}

/// Where to continue after creating the workspace (the listing this person signed up
/// from), as the page was opened with it.
#[component]
fn CarriedNext() -> impl IntoView {
    let next = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("next")).unwrap_or_default();
    view! { <input type="hidden" name="next" value=next /> }
}
