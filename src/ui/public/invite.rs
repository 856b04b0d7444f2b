//! `/invite/<code>`: the landing of an invite code, in its flavor's words. The server
//! keeps the code in a cookie on this visit (first code wins), so it survives registering
//! or logging in and is redeemed when the visitor creates their workspace.
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::PublicHeader;
use crate::api::auth::me;
use crate::api::invites::{RedeemInvite, preview_invite};
use crate::api::types::{InvitePreview, Viewer};
use crate::domain::credits::format_credits;
use crate::domain::dates::format_date;
use crate::domain::invite_codes::InviteFlavor;
use crate::ui::forms::FormError;
use crate::ui::widgets::Loading;

#[component]
pub fn InviteLandingPage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.with(|p| p.get("code").unwrap_or_default());
    let preview = Resource::new(code, preview_invite);
    let viewer = Resource::new(|| (), |_| me());
    view! {
        <PublicHeader />
        <main class="page">
            <section class="card narrow invite-landing" data-testid="invite-landing">
                <Suspense fallback=Loading>
                    {move || {
                        let viewer = viewer.get()?.ok().flatten();
                        Some(match preview.get()? {
                            Ok(p) => view! { <Offer preview=p viewer /> }.into_any(),
                            Err(e) => view! { <Problem message=e.to_string() /> }.into_any(),
                        })
                    }}
                </Suspense>
            </section>
        </main>
    }
}

#[component]
fn Problem(message: String) -> impl IntoView {
    view! {
        <h1>"This invite can't be used"</h1>
        <p class="form-error" role="alert" data-testid="invite-problem">{message}</p>
        <p class="muted">"You can still " <a href="/register">"create an account"</a> " without a code."</p>
    }
}

/// The headline and the paragraph of each flavor.
fn wording(p: &InvitePreview) -> (String, String) {
    let flavor = p.flavor;
    match flavor {
        InviteFlavor::Beta => (
            "You're invited to the Tributary beta".into(),
            "Tributary is in beta: you get the whole platform before everyone else, and your feedback shapes what we build next.".into(),
        ),
        InviteFlavor::Og => (
            "Thank you for being here early".into(),
            "You supported Tributary when it was just starting. This OG code is our thank-you.".into(),
        ),
        InviteFlavor::Free => (
            "Free credits for Tributary".into(),
            "Start your workspace with platform credits on us.".into(),
        ),
        InviteFlavor::Partner => (
            "Join the Tributary partner program".into(),
            "Partners earn commission on the customers they bring, in cash and platform credits, and can run agency sub-accounts. Create your workspace with this code to apply it.".into(),
        ),
        InviteFlavor::Personal => (
            match &p.referrer {
                Some(friend) => format!("{friend} invited you to Tributary"),
                None => "A friend invited you to Tributary".into(),
            },
            "Your friend uses Tributary to run their partner program and thinks you'd like it too.".into(),
        ),
    }
}

#[component]
fn Offer(preview: InvitePreview, viewer: Option<Viewer>) -> impl IntoView {
    let (headline, text) = wording(&preview);
    let gift = (preview.invitee_credits > 0).then(|| {
        view! {
            <p class="invite-gift" data-testid="invite-gift">
                "You get " <strong>{format_credits(preview.invitee_credits)}</strong> " (1 credit = 1 cent of platform value)."
            </p>
        }
    });
    let expiry = preview
        .expires_at
        .map(|e| view! { <p class="muted">{format!("Valid until {}.", format_date(e - 1))}</p> });
    let next = next_step(&preview, viewer);
    view! {
        <p class="eyebrow" data-testid="invite-flavor" data-flavor=preview.flavor.as_str()>
            {preview.flavor.label()} " invite"
        </p>
        <h1 data-testid="invite-headline">{headline}</h1>
        <p>{text}</p>
        {gift}
        <p class="muted">"Code " <code data-testid="invite-code">{preview.code.clone()}</code></p>
        {expiry}
        {next}
    }
}

/// Register (visitors), create a workspace (signed in without one), or redeem now.
fn next_step(preview: &InvitePreview, viewer: Option<Viewer>) -> AnyView {
    let Some(viewer) = viewer else {
        return view! {
            <div class="invite-actions">
                <a class="button" href="/register" rel="external" data-testid="invite-register">"Create your account"</a>
                <a href="/login" rel="external">"I already have an account"</a>
            </div>
            <p class="muted small-note">"The code is kept in this browser and applied when you create your workspace."</p>
        }
        .into_any();
    };
    let workspace = viewer.managed_workspace().cloned();
    match workspace {
        None => view! {
            <div class="invite-actions">
                <a class="button" href="/onboarding/workspace" rel="external" data-testid="invite-onboarding">"Create your workspace"</a>
            </div>
        }
        .into_any(),
        Some(_) if preview.redeemed_already => view! {
            <p class="notice" data-testid="invite-already">"Your workspace has already redeemed this invite."</p>
        }
        .into_any(),
        Some(w) => view! { <RedeemHere code=preview.code.clone() workspace=w.name /> }.into_any(),
    }
}

#[component]
fn RedeemHere(code: String, workspace: String) -> impl IntoView {
    let action = ServerAction::<RedeemInvite>::new();
    let result = Signal::derive(move || action.value().get());
    view! {
        <ActionForm action attr:class="form">
            <input type="hidden" name="code" value=code />
            <FormError result />
            {move || result.get().and_then(Result::ok).map(|o| {
                // A partner invite made this workspace an agency: its next stop is the portal
                // (a full load, so the header and gates see the new partner).
                let (href, label) = if o.flavor == InviteFlavor::Partner {
                    ("/partners", "Open your partner portal")
                } else {
                    ("/dashboard", "See your credits")
                };
                view! {
                    <p class="success" data-testid="invite-redeemed">
                        {o.message} " " <a href=href rel="external" data-testid="invite-next">{label}</a>
                    </p>
                }
            })}
            <button type="submit" data-testid="invite-redeem" disabled=move || action.pending().get()>
                {format!("Redeem for {workspace}")}
            </button>
        </ActionForm>
    }
}

/// On the onboarding page: the invite this browser carries and what it will grant.
#[component]
pub fn CarriedInviteNote() -> impl IntoView {
    let carried = Resource::new(|| (), |_| crate::api::invites::carried_invite());
    view! {
        <Suspense fallback=|| ()>
            {move || {
                carried
                    .get()
                    .and_then(Result::ok)
                    .flatten()
                    .map(|p| {
                        let gift = if p.invitee_credits > 0 {
                            format!(" It adds {} to your new workspace.", format_credits(p.invitee_credits))
                        } else {
                            String::new()
                        };
                        view! {
                            <p class="success" data-testid="carried-invite">
                                {format!("Your invite code {} will be applied.{gift}", p.code)}
                            </p>
                        }
                    })
            }}
        </Suspense>
    }
}
