//! Copy-to-clipboard: a button, and a read-only field with that button beside it.
use leptos::prelude::*;

/// What the button says after a click.
#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))] // only the browser changes it
enum CopyState {
    Idle,
    Copied,
    Failed,
}

/// Writes `text` to the clipboard on click and says "Copied!" for two seconds; a path
/// starting with `/` is copied with this site's origin in front.
/// It only works once the page has hydrated; the server renders a plain button.
#[component]
pub fn CopyButton(#[prop(into)] text: String) -> impl IntoView {
    let state = RwSignal::new(CopyState::Idle);
    let on_click = move |_| copy_to_clipboard(text.clone(), state);
    view! {
        <button type="button" class="small ghost" data-testid="copy-button" on:click=on_click>
            {move || match state.get() {
                CopyState::Idle => "Copy",
                CopyState::Copied => "Copied!",
                CopyState::Failed => "Copy failed — select the text and copy it",
            }}
        </button>
    }
}

/// A read-only input holding `text` (selectable by hand), with a Copy button.
#[component]
pub fn CopyField(
    #[prop(into)] text: String,
    /// `data-testid` of the input.
    #[prop(optional)]
    testid: Option<&'static str>,
    /// Accessible name of the input.
    #[prop(default = "Link")]
    label: &'static str,
) -> impl IntoView {
    view! {
        <div class="copy-row">
            <input readonly value=text.clone() aria-label=label data-testid=testid />
            <CopyButton text />
        </div>
    }
}

#[cfg(feature = "hydrate")]
fn copy_to_clipboard(text: String, state: RwSignal<CopyState>) {
    use std::time::Duration;

    let Some(window) = web_sys::window() else {
        return;
    };
    // A site path ("/marketplace/x") is copied as the full address someone else can open.
    let text = match window.location().origin() {
        Ok(origin) if text.starts_with('/') => format!("{origin}{text}"),
        _ => text,
    };
    let clipboard = window.navigator().clipboard();
    // `navigator.clipboard` is missing outside secure contexts (plain http on a LAN address).
    if clipboard.is_undefined() {
        state.set(CopyState::Failed);
        return;
    }
    let promise = clipboard.write_text(&text);
    leptos::task::spawn_local(async move {
        let outcome = wasm_bindgen_futures::JsFuture::from(promise).await;
        let shown = if outcome.is_ok() { CopyState::Copied } else { CopyState::Failed };
        state.set(shown);
        // Back to "Copy" after two seconds, unless a later click changed it meanwhile.
        set_timeout(
            move || {
                if state.get_untracked() == shown {
                    state.set(CopyState::Idle);
                }
            },
            Duration::from_secs(2),
        );
    });
}

#[cfg(not(feature = "hydrate"))]
fn copy_to_clipboard(_text: String, _state: RwSignal<CopyState>) {}
