//! `/claim`: the customer admin takes over the workspace a partner provisioned.
//! `/register?tenantClaim=…` keeps the token in this browser and leads here.
use leptos::prelude::*;

use super::PublicHeader;
use crate::api::claims::{ClaimTenant, claim_preview};
use crate::api::types::ClaimInfo;
use crate::ui::forms::FormError;
use crate::ui::gate::Gate;
use crate::ui::widgets::{Loading, or_error};

#[component]
pub fn ClaimPage() -> impl IntoView {
    view! {
        <PublicHeader />
        <main class="page">
            <Gate admits=|_| true>
                <ClaimPanel />
            </Gate>
        </main>
    }
}

#[component]
fn ClaimPanel() -> impl IntoView {
    let preview = Resource::new(|| (), |_| claim_preview());
    view! {
        <section class="card narrow" data-testid="claim">
            <Suspense fallback=Loading>
                {move || {
                    preview
                        .get()
                        .map(|r| {
                            or_error(
                                r,
                                |found| match found {
                                    None => view! { <NoClaim /> }.into_any(),
                                    Some(info) if info.problem.is_some() => {
                                        view! { <ClaimProblem info /> }.into_any()
                                    }
                                    Some(info) if info.reserved_for_other.is_some() => {
                                        view! { <WrongAccount info /> }.into_any()
                                    }
                                    Some(info) => view! { <ClaimOffer info /> }.into_any(),
                                },
                            )
                        })
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn NoClaim() -> impl IntoView {
    view! {
        <h1>"No claim link in this browser"</h1>
        <p class="muted" data-testid="claim-none">
            "Open the claim link your partner sent you, then come back here to claim your workspace."
        </p>
        <p><a href="/dashboard">"Go to your dashboard"</a></p>
    }
}

#[component]
fn ClaimProblem(info: ClaimInfo) -> impl IntoView {
    view! {
        <h1>"This claim link can't be used"</h1>
        <p class="form-error" role="alert" data-testid="claim-problem">{info.problem}</p>
        <p class="muted">
            {format!("It was for the workspace “{}” from {}. Ask them for a new link.", info.workspace_name, info.partner_name)}
        </p>
    }
}

#[component]
fn ClaimOffer(info: ClaimInfo) -> impl IntoView {
    let action = ServerAction::<ClaimTenant>::new();
    let result = Signal::derive(move || action.value().get());
    view! {
        <h1>"Claim your workspace"</h1>
        <p data-testid="claim-offer">
            "Claim " <strong data-testid="claim-workspace">{info.workspace_name}</strong> " provisioned by "
            <strong data-testid="claim-partner">{info.partner_name}</strong> " on the "
            <strong data-testid="claim-plan">{info.plan_name}</strong> " plan."
        </p>
        <p class="muted">"You become the workspace's owner."</p>
        <ActionForm action attr:class="form">
            <FormError result />
            <button type="submit" data-testid="claim-submit" disabled=move || action.pending().get()>
                "Claim workspace"
            </button>
        </ActionForm>
    }
}

/// The link is reserved for another address than the signed-in account's: said up front,
/// with a way to switch account (log in again; the claim cookie stays and leads back here).
#[component]
fn WrongAccount(info: ClaimInfo) -> impl IntoView {
    let viewer = crate::ui::viewer::use_viewer().get_untracked().and_then(Result::ok).flatten();
    let who = viewer.map(|v| v.email).unwrap_or_default();
    view! {
        <h1>"This workspace is reserved for someone else"</h1>
        <p data-testid="claim-wrong-account">
            {format!(
                "{} provisioned “{}” for {}. You are signed in as {}.",
                info.partner_name,
                info.workspace_name,
                info.reserved_for_other.clone().unwrap_or_default(),
                who,
            )}
        </p>
        <p class="muted">"Log in with the invited address to claim it."</p>
        <p>
            <a class="button" href="/login?next=%2Fclaim" rel="external" data-testid="claim-switch-account">
                "Switch account"
            </a>
        </p>
    }
}
