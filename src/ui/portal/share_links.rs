//! The portal's share links: one per "Create share link" click, each attributing the
//! visitors who open it to this partner and its listing.
use leptos::prelude::*;

use super::listings::ListingActions;
use crate::api::AppError;
use crate::api::types::ShareLinkRow;
use crate::domain::dates::format_date;
use crate::model::list::{ListQuery, Page};
use crate::ui::copy::CopyField;
use crate::ui::forms::FormError;
use crate::ui::list::param_pager;
use crate::ui::widgets::{Empty, Loading, or_error};

pub(super) type ShareLinks = Resource<Result<Page<ShareLinkRow>, AppError>>;

#[component]
pub(super) fn ShareLinksSection(share_links: ShareLinks, query: Memo<ListQuery>) -> impl IntoView {
    let shared = expect_context::<ListingActions>().share;
    let result = Signal::derive(move || shared.value().get());
    view! {
        <section class="card" data-testid="share-links">
            <h2>"Share links"</h2>
            <p class="muted">
                "Each link opens the listing and attributes the visitor to you, even if they sign up days later."
            </p>
            <FormError result />
            <Transition fallback=Loading>
                {move || {
                    share_links
                        .get()
                        .map(|r| {
                            or_error(
                                r,
                                |page| {
                                    let listings = query.get_untracked();
                                    view! {
                                        <ShareLinksTable links=page.rows.clone() />
                                        <LinksPager page listings />
                                    }
                                        .into_any()
                                },
                            )
                        })
                }}
            </Transition>
        </section>
    }
}

/// Previous/next through the share links (`?links=`), keeping the listings' view.
#[component]
fn LinksPager(page: Page<ShareLinkRow>, listings: ListQuery) -> impl IntoView {
    let href = move |to: i64| {
        let rest = listings.to_query_string(listings.page());
        let sep = if rest.is_empty() { "" } else { "&" };
        format!("/partners/listings?{rest}{sep}links={to}")
    };
    param_pager(page, href, "Share link pages", "share-links-pager")
}

/// Newest first: a link just created is the first row.
#[component]
fn ShareLinksTable(links: Vec<ShareLinkRow>) -> impl IntoView {
    if links.is_empty() {
        return view! { <Empty text="No share links yet. Use “Create share link” on a listing." /> }
            .into_any();
    }
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
                                <td>{s.listing_title}</td>
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
