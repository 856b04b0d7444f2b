use leptos::prelude::*;
use leptos_router::components::Outlet;

use crate::api::auth::{Logout, me};
use crate::api::types::Viewer;

/// Shows `children` only to a viewer `admits` accepts; others see a 403 or a login
/// prompt. The server enforces the same rule on every page load and server function.
#[component]
pub fn Gate(admits: fn(&Viewer) -> bool, children: ChildrenFn) -> impl IntoView {
    let viewer = Resource::new(|| (), |_| me());
    view! {
        <Suspense fallback=|| view! { <p class="muted pad">"Loading…"</p> }>
            {move || {
                let children = children.clone();
                viewer
                    .get()
                    .map(move |found| match found {
                        Ok(Some(v)) if admits(&v) => {
                            provide_context(v);
                            children().into_any()
                        }
                        Ok(Some(_)) => view! { <Forbidden /> }.into_any(),
                        _ => view! { <SignedOut /> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

#[component]
pub fn Forbidden() -> impl IntoView {
    view! {
        <section class="card narrow center" data-testid="forbidden">
            <h1>"403 — not for you"</h1>
            <p>"Your account doesn't have access to this page."</p>
            <p><a href="/" rel="external">"Go home"</a></p>
        </section>
    }
}

#[component]
fn SignedOut() -> impl IntoView {
    view! {
        <section class="card narrow center">
            <h1>"Please log in"</h1>
            <p><a class="button" href="/login" rel="external">"Log in"</a></p>
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
    view! {
        <div class="area">
            <aside class="sidebar">
                <a class="brand" href="/" rel="external">"Tributary"</a>
                <p class="area-title">{title}</p>
                <nav>
                    {nav
                        .iter()
                        .map(|item| view! { <a href=item.href>{item.label}</a> })
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
