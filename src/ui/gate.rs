use leptos::prelude::*;
use leptos_router::components::{A, Outlet};
use leptos_router::hooks::use_location;

use crate::api::auth::Logout;
use crate::api::types::Viewer;
use crate::domain::paths::with_next;

/// Shows `children` only to a viewer `admits` accepts; others see a 403 or a login
/// prompt. The server enforces the same rule on every page load and server function.
///
/// When the server's page guard already found the viewer for this request, the gate
/// decides at once, and the hydrating browser reads that same viewer back from the page
/// (`SharedValue`), so both build the page once. Behind a `<Suspense>` the server would
/// build it again each time the Suspense re-walks its children to look for more resource
/// reads, fetching every resource of the page twice. Otherwise (a client-side navigation,
/// a page the guard does not cover) the gate waits for the viewer resource.
#[component]
pub fn Gate(admits: fn(&Viewer) -> bool, children: ChildrenFn) -> impl IntoView {
    if let Some(known) = SharedValue::new(guarded_viewer).into_inner() {
        return decide(Some(known), admits, &children);
    }
    let viewer = crate::ui::viewer::use_viewer();
    view! {
        <Suspense fallback=|| view! { <p class="muted pad">"Loading…"</p> }>
            {move || {
                let children = children.clone();
                viewer.get().map(move |found| decide(found.ok().flatten(), admits, &children))
            }}
        </Suspense>
    }
    .into_any()
}

fn decide(viewer: Option<Viewer>, admits: fn(&Viewer) -> bool, children: &ChildrenFn) -> AnyView {
    match viewer {
        Some(v) if admits(&v) => {
            provide_context(v);
            children().into_any()
        }
        Some(v) => view! { <Forbidden email=v.email /> }.into_any(),
        None => view! { <SignedOut /> }.into_any(),
    }
}

/// The viewer the page guard recorded for this request (server only).
fn guarded_viewer() -> Option<Viewer> {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<crate::server::auth::guard::GuardedViewer>().cloned())
            .map(|guarded| guarded.0)
    }
    #[cfg(not(feature = "ssr"))]
    None
}

#[component]
pub fn Forbidden(
    /// Who is signed in (the 403 names the account that has no access).
    #[prop(into)]
    email: String,
) -> impl IntoView {
    let here = use_location().pathname.get_untracked();
    let whose = if here.starts_with("/admin") {
        "This is the platform admins' area."
    } else if here.starts_with("/partners") {
        "This is the partner portal, for the users of an approved partner."
    } else {
        "This page belongs to another account."
    };
    let who = format!("You are signed in as {email}, which has no access to it.");
    let switch = with_next("/login", &here);
    view! {
        <section class="card narrow center denied" data-testid="forbidden">
            <p><a class="brand" href="/" rel="external">"Tributary"</a></p>
            <h1>"403 — not for you"</h1>
            <p data-testid="forbidden-area">{whose}</p>
            <p>{who}</p>
            <p class="state-actions" style="justify-content:center">
                <a class="button" href=switch rel="external" data-testid="switch-account">"Switch account"</a>
                <a class="button ghost" href="/" rel="external">"Go home"</a>
            </p>
        </section>
    }
}

#[component]
fn SignedOut() -> impl IntoView {
    // Come back to this page after logging in.
    let here = use_location().pathname.get_untracked();
    let login = with_next("/login", &here);
    view! {
        <section class="card narrow center">
            <h1>"Please log in"</h1>
            <p><a class="button" href=login rel="external">"Log in"</a></p>
        </section>
    }
}

/// One navigation entry of a sidebar.
#[derive(Clone, Copy)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
}

/// The signed-in frame shared by the admin dashboard and the partner portal.
#[component]
pub fn AreaShell(title: &'static str, nav: &'static [NavItem]) -> impl IntoView {
    let viewer = expect_context::<Viewer>();
    let logout = ServerAction::<Logout>::new();
    // The phone-width menu (≤ 640 px): the nav collapses behind this button.
    let open = RwSignal::new(false);
    let pathname = use_location().pathname;
    Effect::new(move |_| {
        pathname.track();
        open.set(false);
    });
    view! {
        <div class="area">
            <aside class="sidebar" class:menu-open=move || open.get()>
                <div class="sidebar-top">
                    <a class="brand" href="/" rel="external"><crate::ui::brand::BrandName /></a>
                    <button
                        type="button"
                        class="menu-button"
                        aria-controls="area-nav"
                        aria-expanded=move || if open.get() { "true" } else { "false" }
                        data-testid="menu-button"
                        on:click=move |_| open.update(|o| *o = !*o)
                    >
                        <span aria-hidden="true">"☰"</span>
                        " Menu"
                    </button>
                </div>
                <p class="area-title">{title}</p>
                <nav id="area-nav" aria-label=title>
                    {nav
                        .iter()
                        .map(|item| {
                            // Section entries stay highlighted on their sub-pages; the area's
                            // overview (`/admin`, `/partners`) only on itself.
                            let exact = item.href.matches('/').count() == 1;
                            view! { <A href=item.href exact>{item.label}</A> }
                        })
                        .collect_view()}
                </nav>
                <div class="whoami">
                    <span data-testid="whoami">{viewer.email}</span>
                    <ActionForm action=logout>
                        <button class="link" type="submit">"Log out"</button>
                    </ActionForm>
                </div>
            </aside>
            <main class="content">
                <Outlet />
            </main>
        </div>
    }
}
