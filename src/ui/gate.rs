use leptos::prelude::*;
use leptos_router::components::{A, Outlet};
use leptos_router::hooks::use_location;

use crate::api::auth::Logout;
use crate::api::types::Viewer;

/// Shows `children` only to a viewer `admits` accepts; others see a 403 or a login
/// prompt. The server enforces the same rule on every page load and server function.
#[component]
pub fn Gate(admits: fn(&Viewer) -> bool, children: ChildrenFn) -> impl IntoView {
    let viewer = crate::ui::viewer::use_viewer();
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
        <section class="card narrow center denied" data-testid="forbidden">
            <p><a class="brand" href="/" rel="external">"Tributary"</a></p>
            <h1>"403 — not for you"</h1>
            <p>"Your account doesn't have access to this page."</p>
            <p><a href="/" rel="external">"Go home"</a></p>
        </section>
    }
}

#[component]
fn SignedOut() -> impl IntoView {
    // Come back to this page after logging in.
    let here = use_location().pathname.get_untracked();
    let login = format!("/login?next={}", encode_path(&here));
    view! {
        <section class="card narrow center">
            <h1>"Please log in"</h1>
            <p><a class="button" href=login rel="external">"Log in"</a></p>
        </section>
    }
}

/// Percent-encodes a path for a query value, keeping `/` readable.
fn encode_path(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
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
                <a class="brand" href="/" rel="external"><crate::ui::brand::BrandName /></a>
                <p class="area-title">{title}</p>
                <nav>
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
