//! The public marketplace: published listings, and one listing's page.
//!
//! Links to a listing are full page loads (`rel="external"`): the server records the
//! visit (and sets the referrer cookies) when it serves `/marketplace/<slug>`.
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::PublicHeader;
use crate::api::listings::{listing_by_slug, marketplace_listings};
use crate::api::types::{ListingView, Viewer};
use crate::domain::paths::{encode_component, with_next};
use crate::ui::list::{ListFilters, PagedList, use_list_query};
use crate::ui::widgets::{Empty, Loading, money, or_error};

const MARKET_SORTS: &[(&str, &str)] = &[
    ("newest", "Newest first"),
    ("price_low", "Price: low to high"),
    ("price_high", "Price: high to low"),
    ("title", "Title A–Z"),
];

/// `/marketplace/<slug>`, with the slug percent-encoded.
fn listing_path(slug: &str) -> String {
    format!("/marketplace/{}", encode_component(slug))
}

#[component]
pub fn MarketplacePage() -> impl IntoView {
    let query = use_list_query();
    let listings = Resource::new(move || query.get(), marketplace_listings);
    view! {
        <PublicHeader />
        <main class="page">
            <h1>"Marketplace"</h1>
            <p class="muted">"Templates, courses and tools from our creators."</p>
            {move || {
                view! { <ListFilters path="/marketplace" query=query.get() search_label="Search the marketplace" sorts=MARKET_SORTS /> }
            }}
            <PagedList path="/marketplace" query page=listings table=|rows| view! { <ListingGrid rows /> }.into_any() />
        </main>
    }
}

#[component]
fn ListingGrid(rows: Vec<ListingView>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <Empty text="Nothing on the marketplace yet. Check back soon." /> }.into_any();
    }
    view! {
        <div
            data-testid="marketplace-grid"
            style="display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:1rem"
        >
            {rows.into_iter().map(|listing| view! { <ListingCard listing /> }).collect_view()}
        </div>
    }
    .into_any()
}

#[component]
fn ListingCard(listing: ListingView) -> impl IntoView {
    view! {
        <a
            class="card"
            style="display:block;color:inherit;margin:0"
            href=listing_path(&listing.slug)
            rel="external"
            data-testid="marketplace-listing"
            data-slug=listing.slug.clone()
        >
            <h2 style="color:var(--accent)">{listing.title}</h2>
            <p class="stat-value">{money(listing.price_cents)}</p>
            <p class="muted">"by " {listing.creator_name}</p>
        </a>
    }
}

#[component]
pub fn MarketplaceListingPage() -> impl IntoView {
    let params = use_params_map();
    let slug = Memo::new(move |_| params.read().get("slug").unwrap_or_default());
    let listing = Resource::new(move || slug.get(), listing_by_slug);
    view! {
        <PublicHeader />
        <main class="page">
            <p><a href="/marketplace">"← All listings"</a></p>
            <Suspense fallback=Loading>
                {move || {
                    listing
                        .get()
                        .map(|r| {
                            or_error(
                                r,
                                |found| match found {
                                    Some(listing) => view! { <ListingDetail listing /> }.into_any(),
                                    None => view! { <ListingNotFound /> }.into_any(),
                                },
                            )
                        })
                }}
            </Suspense>
        </main>
    }
}

#[component]
fn ListingDetail(listing: ListingView) -> impl IntoView {
    let here = listing_path(&listing.slug);
    view! {
        <article class="card" data-testid="listing">
            <h1 data-testid="listing-title">{listing.title}</h1>
            <p class="muted" data-testid="listing-creator">
                {format!("by {} (@{})", listing.creator_name, listing.creator_handle)}
            </p>
            <p class="stat-value" data-testid="listing-price">{money(listing.price_cents)}</p>
            <p data-testid="listing-description" style="white-space:pre-line">{listing.description}</p>
            <GetIt here />
        </article>
    }
}

/// What the visitor does next: sign up (then create the workspace the referral binds to,
/// then back here), create that workspace when signed in without one, or open it. The
/// referral is already recorded, so no `share`/`ref` query is passed along.
#[component]
fn GetIt(here: String) -> impl IntoView {
    let viewer = crate::ui::viewer::use_viewer();
    let onboarding = with_next("/onboarding/workspace", &here);
    let signed_out = {
        let onboarding = onboarding.clone();
        move || signed_out(&here, &onboarding)
    };
    let fallback = signed_out.clone();
    view! {
        <Suspense fallback=fallback>
            {move || match viewer.get() {
                Some(Ok(Some(v))) => signed_in(&v, &onboarding).into_any(),
                _ => signed_out().into_any(),
            }}
        </Suspense>
    }
}

fn signed_out(here: &str, onboarding: &str) -> impl IntoView + use<> {
    view! {
        <p class="cta-row">
            <a class="button" href=with_next("/register", onboarding) data-testid="signup-cta">
                "Sign up to get it"
            </a>
            <span class="muted">
                "Already have an account? " <a href=with_next("/login", here) data-testid="login-link">"Log in"</a>
            </span>
        </p>
    }
}

fn signed_in(viewer: &Viewer, onboarding: &str) -> impl IntoView + use<> {
    match viewer.customer_workspaces().next() {
        Some(w) => view! {
            <p class="cta-row" data-testid="listing-in-workspace">
                <span>{format!("Signed in with your workspace {}.", w.name)}</span>
                <a class="button" href="/dashboard">"Open your dashboard"</a>
            </p>
        }
        .into_any(),
        None => view! {
            <p class="cta-row">
                <a class="button" href=onboarding.to_string() data-testid="create-workspace-cta">
                    "Create your workspace to get it"
                </a>
            </p>
        }
        .into_any(),
    }
}

#[component]
fn ListingNotFound() -> impl IntoView {
    view! {
        <section class="card narrow center" data-testid="listing-not-found">
            <h1>"Listing not found"</h1>
            <p class="muted">"It may have been unpublished, or the link is mistyped."</p>
            <p><a href="/marketplace">"Browse the marketplace"</a></p>
        </section>
    }
}
