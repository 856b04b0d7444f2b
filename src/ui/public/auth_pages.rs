use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::PublicHeader;
use crate::api::auth::{Login, Register};
use crate::ui::forms::{FieldError, FormError};

fn query(name: &'static str) -> String {
    use_query_map().with_untracked(|q| q.get(name)).unwrap_or_default()
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<Login>::new();
    let result = Signal::derive(move || action.value().get());
    let next = query("next");
    let register_href = crate::domain::paths::with_next("/register", &next);
    view! {
        <PublicHeader />
        <main class="page">
            <ActionForm action attr:class="card narrow form">
                <h1>"Log in"</h1>
                <label>
                    "Email"
                    <input type="email" name="email" required autocomplete="email" />
                </label>
                <label>
                    "Password"
                    <input type="password" name="password" required autocomplete="current-password" />
                </label>
                <input type="hidden" name="next" value=next />
                <FormError result />
                <button type="submit" disabled=move || action.pending().get()>"Log in"</button>
                <p class="muted">"New here? " <a href=register_href>"Create an account"</a></p>
            </ActionForm>
        </main>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let action = ServerAction::<Register>::new();
    let result = Signal::derive(move || action.value().get());
    let next = query("next");
    let referrer = Resource::new(|| query("ref"), crate::api::portal::referrer_name);
    view! {
        <PublicHeader />
        <main class="page">
            <ActionForm action attr:class="card narrow form">
                <h1>"Create your account"</h1>
                <Suspense>
                    {move || {
                        referrer
                            .get()
                            .and_then(Result::ok)
                            .flatten()
                            .map(|name| {
                                view! {
                                    <p class="invite-gift" data-testid="register-referrer">
                                        {format!("{name} invited you to Tributary.")}
                                    </p>
                                }
                            })
                    }}
                </Suspense>
                <label>
                    "Email"
                    <input type="email" name="email" required autocomplete="email" />
                </label>
                <FieldError result field="email" />
                <label>
                    "Password (at least 8 characters)"
                    <input type="password" name="password" required autocomplete="new-password" />
                </label>
                <FieldError result field="password" />
                <input type="hidden" name="next" value=next />
                <FormError result fields=&["email", "password"] />
                <button type="submit" disabled=move || action.pending().get()>"Create account"</button>
                <p class="muted">"Already have an account? " <a href="/login">"Log in"</a></p>
            </ActionForm>
        </main>
    }
}
