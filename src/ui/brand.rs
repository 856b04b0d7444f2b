//! White-label branding: the name and accent colour of the host the page is served on
//! (an agency's custom domain, or Tributary's own).
use leptos::prelude::*;

use crate::api::AppError;
use crate::api::settings::site_branding;
use crate::api::types::Branding;

const DEFAULT_NAME: &str = "Tributary";

type BrandingResource = Resource<Result<Branding, AppError>>;

/// Loads the branding once for the whole app; `BrandStyle` and `BrandName` below
/// read it. Call it at the top of `App`.
pub fn provide_branding() {
    let resource: BrandingResource = Resource::new(|| (), |_| site_branding());
    provide_context(resource);
}

/// The app-wide branding, or a fresh load where nobody provided it.
fn use_branding() -> BrandingResource {
    use_context::<BrandingResource>().unwrap_or_else(|| Resource::new(|| (), |_| site_branding()))
}

/// `#1a2b3c` and nothing else: the only shape allowed into a `<style>` element.
pub fn is_hex_color(color: &str) -> bool {
    color.len() == 7 && color.starts_with('#') && color[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// The CSS overriding the accent colour, when the host has a valid one of its own.
fn accent_css(brand: &Branding) -> Option<String> {
    is_hex_color(&brand.color).then(|| format!(":root {{ --accent: {}; }}", brand.color))
}

/// A `<style>` that sets the host's accent colour; nothing while loading, on error or
/// when the colour isn't a plain `#rrggbb`.
#[component]
pub fn BrandStyle() -> impl IntoView {
    let brand = use_branding();
    view! {
        <Suspense>
            {move || {
                brand
                    .get()
                    .and_then(Result::ok)
                    .and_then(|b| accent_css(&b))
                    .map(|css| view! { <style data-testid="brand-style">{css}</style> })
            }}
        </Suspense>
    }
}

/// The host's brand name ("Tributary" on our own domain or when it can't be loaded).
#[component]
pub fn BrandName() -> impl IntoView {
    let brand = use_branding();
    let name = move || {
        brand
            .get()
            .and_then(Result::ok)
            .map(|b| b.name)
            .filter(|name| !name.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_NAME.to_string())
    };
    view! {
        <span data-testid="brand-name">
            <Suspense fallback=|| DEFAULT_NAME>{name}</Suspense>
        </span>
    }
}
