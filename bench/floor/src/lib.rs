use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text="Floor" />
        <Router>
            <main>
                <Routes fallback=|| "Not found.">
                    <Route path=path!("") view=HomePage />
                </Routes>
            </main>
        </Router>
    }
}

#[server]
pub async fn double(n: i64) -> Result<i64, ServerFnError> {
    Ok(n * 2)
}

#[component]
fn HomePage() -> impl IntoView {
    let count = RwSignal::new(0_i64);
    let doubled = Action::new(|n: &i64| double(*n));
    view! {
        <h1>"Welcome to Leptos!"</h1>
        <button on:click=move |_| {
            *count.write() += 1;
            doubled.dispatch(count.get_untracked());
        }>"Click Me: " {count}</button>
        <p>{move || doubled.value().get().and_then(Result::ok)}</p>
    }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
