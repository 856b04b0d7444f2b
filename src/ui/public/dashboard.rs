use leptos::prelude::*;

use super::PublicHeader;
use crate::api::types::Viewer;
use crate::ui::gate::Gate;

/// A customer's home: their workspaces.
#[component]
pub fn DashboardPage() -> impl IntoView {
    view! {
        <PublicHeader />
        <main class="page">
            <Gate admits=|_| true>
                <Workspaces />
                <super::CreditsPanel />
                <super::PersonalInvitesPanel />
            </Gate>
        </main>
    }
}

#[component]
fn Workspaces() -> impl IntoView {
    let viewer = expect_context::<Viewer>();
    let workspaces: Vec<_> = viewer.customer_workspaces().cloned().collect();
    let logout = ServerAction::<crate::api::auth::Logout>::new();
    view! {
        <section class="card" data-testid="dashboard">
            <div class="card-head">
                <h1>"Dashboard"</h1>
                <ActionForm action=logout>
                    <button class="ghost" type="submit">"Log out"</button>
                </ActionForm>
            </div>
            <p class="muted">"Signed in as " <strong data-testid="whoami">{viewer.email.clone()}</strong></p>
            <p><a href="/dashboard/settings" data-testid="settings-link">"Settings — API tokens"</a></p>
            {if workspaces.is_empty() {
                view! {
                    <p>"You have no workspace yet. " <a href="/onboarding/workspace">"Create one"</a></p>
                }
                    .into_any()
            } else {
                view! {
                    <ul class="list">
                        {workspaces
                            .into_iter()
                            .map(|w| view! { <li data-testid="workspace-name">{w.name} <span class="pill">{w.role.label()}</span></li> })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}
