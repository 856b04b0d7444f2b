//! Route-level code splitting. The public pages, the partner portal and the admin
//! dashboard are three wasm modules besides the main one (`cargo leptos … --split`), so a
//! partner on a phone never downloads the admin dashboard, and a visitor neither.
//!
//! Each area is declared once with [`lazy_area!`]: an enum of its views, one function that
//! renders any of them (the only way from the main module into the area's code, so the
//! splitter moves all of it out) and one `LazyRoute` type per route. We write
//! `wasm_split` directly instead of `#[lazy]` for one reason: its `fallible` option. In
//! leptos 0.8 a `#[lazy]` chunk that fails to download panics, and a panic aborts the
//! whole app; here a failed download is retried with backoff and then shows a message
//! with a reload button (leptos 0.9 adds the same option to `#[lazy]`).
//!
//! On the server nothing is split: the render function runs directly and names its
//! module, so the page's head preloads the area's wasm next to the main one (hydration
//! waits for it).
use leptos::prelude::*;

/// An area's code did not arrive: the download failed, also after the retries.
#[derive(Debug, Clone, Copy)]
pub struct AreaLoadFailed;

#[cfg(feature = "hydrate")]
impl From<leptos::wasm_split::SplitLoaderError> for AreaLoadFailed {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        AreaLoadFailed
    }
}

/// Shown where a page would be when its code could not be downloaded.
#[component]
pub fn AreaLoadFailedNotice() -> impl IntoView {
    let reload = move |_| {
        #[cfg(feature = "hydrate")]
        let _ = window().location().reload();
    };
    // It stands in for a whole page (the failed module may hold the page's header), so it
    // brings its own margins and a way home that loads the site afresh.
    view! {
        <main class="page">
            <div class="card notice" role="alert" data-testid="area-load-failed">
                <p>"This page could not be downloaded. Check your connection and try again."</p>
                <p class="actions">
                    <button type="button" on:click=reload>"Reload"</button>
                    " "
                    <a href="/" rel="external">"Go to the home page"</a>
                </p>
            </div>
        </main>
    }
}

/// Waits between download attempts: quick first, then longer (a flaky network, a
/// server restarting behind a deploy).
#[cfg(feature = "hydrate")]
const RETRY_AFTER_MS: [i32; 3] = [300, 1_000, 3_000];

/// Loads an area's module through `load` (its generated preload function), retrying a
/// failed download with backoff. A loaded module answers at once, without yielding, so
/// hydration sees the page ready.
#[cfg(feature = "hydrate")]
pub async fn load_with_retries<F>(load: impl Fn() -> F) -> Result<(), AreaLoadFailed>
where
    F: Future<Output = Result<(), leptos::wasm_split::SplitLoaderError>>,
{
    let mut outcome = load().await;
    for wait in RETRY_AFTER_MS {
        if outcome.is_ok() {
            break;
        }
        sleep_ms(wait).await;
        outcome = load().await;
    }
    outcome.map_err(AreaLoadFailed::from)
}

#[cfg(feature = "hydrate")]
async fn sleep_ms(ms: i32) {
    use wasm_bindgen_futures::{JsFuture, js_sys::Promise};
    let timer = Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(timer).await;
}

/// Declares a split area: `lazy_area!(Enum, module name, preload fn, render fn; Route =>
/// Variant(Page), …)`. Each `Route` is a `LazyRoute` for `view={Lazy::<Route>::new()}`.
macro_rules! lazy_area {
    (
        $(#[$attr:meta])*
        $area:ident, module $module:ident, preload $preload:ident, render $render:ident;
        $( $route:ident => $variant:ident($page:path) ),* $(,)?
    ) => {
        $(#[$attr])*
        #[derive(Clone, Copy)]
        #[repr(u8)] // crosses into the split module as an extern "C" argument
        pub enum $area { $($variant),* }

        #[cfg_attr(feature = "hydrate", ::leptos::wasm_split::wasm_split(
            $module, wasm_split_path = ::leptos::wasm_split, preload($preload), fallible
        ))]
        fn $render(which: $area) -> Result<AnyView, $crate::ui::split::AreaLoadFailed> {
            #[cfg(not(feature = "hydrate"))]
            ::leptos::prefetch_lazy_fn_on_server(stringify!($module));
            Ok(match which { $( $area::$variant => $page().into_any(), )* })
        }

        $(
            pub struct $route;
            impl ::leptos_router::LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_: Self) -> AnyView {
                    // `preload` has already tried (with retries); this is one more attempt.
                    #[cfg(feature = "hydrate")]
                    let rendered = $render($area::$variant).await;
                    #[cfg(not(feature = "hydrate"))]
                    let rendered = $render($area::$variant);
                    rendered.unwrap_or_else(|_| {
                        view! { <$crate::ui::split::AreaLoadFailedNotice /> }.into_any()
                    })
                }

                // Fetches the module while the route's data loads (and, on a first visit,
                // before hydration). A failure here is retried and reported by `view`.
                async fn preload() {
                    #[cfg(feature = "hydrate")]
                    let _ = $crate::ui::split::load_with_retries($preload).await;
                }
            }
        )*
    };
}
pub(crate) use lazy_area;
