//! The portal's share links: one per "Create share link" click, each attributing the
//! visitors who open it to this partner and its listing.
use leptos::prelude::*;

use super::listings::{ListingActions, Listings};
use crate::api::AppError;
use crate::api::types::{ListingView, ShareLinkRow};
use crate::domain::dates::format_date;
use crate::ui::copy::CopyField;
use crate::ui::forms::FormError;
use crate::ui::widgets::{Empty, Loading, or_error};

pub(super) type ShareLinks = Resource<Result<Vec<ShareLinkRow>, AppError>>;

#[component]
pub(super) fn ShareLinksSection(listings: Listings, share_links: ShareLinks) -> impl IntoView {
    let shared = expect_context::<ListingActions>().share;
    let result = Signal::derive(move || shared.value().get());
    // Both lists, once both have loaded: rows name their listing.
    let both = move || {
        let links = share_links.get()?;
        let listings = listings.get()?;
        Some(links.and_then(|links| Ok((links, listings?))))
    };
    view! {
        <section class="card" data-testid="share-links">
            <h2>"Share links"</h2>
            <p class="muted">
                "Each link opens the listing and attributes the visitor to you, even if they sign up days later."
            </p>
            <FormError result />
            <Transition fallback=Loading>
                {move || {
                    both()
                        .map(|r| {
                            or_error(r, |(links, listings)| view! { <ShareLinksTable links listings /> }.into_any())
                        })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn ShareLinksTable(mut links: Vec<ShareLinkRow>, listings: Vec<ListingView>) -> impl IntoView {
    // Oldest first, so a new link appears at the bottom (the server sends newest first).
    links.reverse();
    links.sort_by_key(|s| s.created_at);
    if links.is_empty() {
        return view! { <Empty text="No share links yet. Use “Create share link” on a listing." /> }
            .into_any();
    }
    let title_of = move |listing_id: &str| {
        listings
            .iter()
            .find(|l| l.id == listing_id)
            .map(|l| l.title.clone())
            .unwrap_or_else(|| "—".to_string())
    };
    view! {
        <table data-testid="share-links-table">
            <thead>
                <tr>
                    <th>"Listing"</th>
                    <th>"Link"</th>
                    <th>"Created"</th>
                </tr>
            </thead>
            <tbody>
                {links
                    .into_iter()
                    .map(|s| {
                        view! {
                            <tr data-testid="share-link-row" data-listing-id=s.listing_id.clone()>
                                <td>{title_of(&s.listing_id)}</td>
                                <td><CopyField text=s.link label="Share link" testid="share-link" /></td>
                                <td>{format_date(s.created_at)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
