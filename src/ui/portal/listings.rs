//! Portal → Listings: a creator's marketplace listings, publishing, and share links.
use leptos::prelude::*;

use super::listing_row::ListingRow;
use super::share_links::ShareLinksSection;
use crate::api::AppError;
use crate::api::listings::{
    CreateListing, CreateShareLink, SetListingPublished, my_listing_page, my_share_link_page,
};
use crate::api::types::ListingView;
use crate::domain::money::Cents;
use crate::domain::roles::{ListingState, TextEnum};
use crate::ui::forms::{CreateForm, FieldError, FormError};
use crate::ui::list::{ListFilters, PagedList, use_list_query};
use crate::ui::widgets::Empty;

const PATH: &str = "/partners/listings";
const LISTING_SORTS: &[(&str, &str)] =
    &[("newest", "Newest first"), ("oldest", "Oldest first"), ("title", "Title A–Z")];

/// What every listing row acts through; provided by the page.
#[derive(Clone, Copy)]
pub(super) struct ListingActions {
    pub publish: ServerAction<SetListingPublished>,
    pub share: ServerAction<CreateShareLink>,
    /// Bumped after a row saves an edit, so the list reloads.
    pub edited: RwSignal<u32>,
}

#[component]
pub fn PortalListingsPage() -> impl IntoView {
    let create = ServerAction::<CreateListing>::new();
    let actions =
        ListingActions { publish: ServerAction::new(), share: ServerAction::new(), edited: RwSignal::new(0) };
    provide_context(actions);
    let query = use_list_query();
    let listings = Resource::new(
        move || (create.version().get(), actions.publish.version().get(), actions.edited.get(), query.get()),
        |(_, _, _, q)| my_listing_page(q),
    );
    // The share links page through their own `links` parameter, beside the listings' `page`.
    let params = leptos_router::hooks::use_query_map();
    let links_page =
        Memo::new(move |_| params.with(|p| p.get("links").and_then(|v| v.parse::<i64>().ok()).unwrap_or(1)));
    let share_links = Resource::new(
        move || (actions.share.version().get(), links_page.get()),
        |(_, n)| my_share_link_page(n),
    );
    let published = Signal::derive(move || actions.publish.value().get());
    view! {
        <h1>"Listings"</h1>
        <p class="muted">
            "Sell on the marketplace: visitors who open your listing or one of its share links are attributed to you."
        </p>
        <CreateListingForm action=create />
        <section class="card">
            <h2>"Your listings"</h2>
            <FormError result=published />
            {move || {
                view! {
                    <ListFilters
                        path=PATH
                        query=query.get()
                        search_label="Search titles"
                        statuses=ListingState::options()
                        sorts=LISTING_SORTS
                    />
                }
            }}
            <PagedList path=PATH query page=listings table=|rows| view! { <ListingsTable rows /> }.into_any() />
        </section>
        <ShareLinksSection share_links query />
    }
}

#[component]
fn CreateListingForm(action: ServerAction<CreateListing>) -> impl IntoView {
    let result = Signal::derive(move || action.value().get());
    view! {
        <section class="card">
            <h2>"Create a listing"</h2>
            <CreateForm
                action
                testid="create-listing-form"
                submit="Create listing"
                fields=LISTING_FIELDS
                success=|l: ListingView| {
                    view! {
                        <p class="success" data-testid="listing-created">
                            "Created “" {l.title} "”. Publish it to show it on the marketplace."
                        </p>
                    }
                }
            >
                <ListingFields result />
            </CreateForm>
        </section>
    }
}

/// The inputs a listing form submits, with their field errors.
pub(super) const LISTING_FIELDS: &[&str] = &["title", "description", "price"];

/// Title, description and price inputs, pre-filled from `current` when editing.
#[component]
pub(super) fn ListingFields<T: Clone + Send + Sync + 'static>(
    result: Signal<Option<Result<T, AppError>>>,
    #[prop(optional)] current: Option<ListingView>,
) -> impl IntoView {
    let (title, description, price) = match current {
        Some(l) => (l.title, l.description, Cents(l.price_cents).dollars_input()),
        None => Default::default(),
    };
    view! {
        <label>
            "Title"
            <input name="title" required maxlength="120" value=title placeholder="Launch checklist template" />
            <FieldError result field="title" />
        </label>
        <label>
            "Description"
            <textarea name="description" rows="4">{description}</textarea>
            <FieldError result field="description" />
        </label>
        <label>
            "Price ($)"
            <input name="price" required inputmode="decimal" value=price placeholder="19.00" />
            <FieldError result field="price" />
        </label>
    }
}

#[component]
fn ListingsTable(rows: Vec<ListingView>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <Empty text="No listings yet. Create one above." /> }.into_any();
    }
    view! {
        <table data-testid="listings-table">
            <thead>
                <tr>
                    <th>"Title"</th>
                    <th class="num">"Price"</th>
                    <th>"Status"</th>
                    <th>"Public page"</th>
                    <th>"Actions"</th>
                </tr>
            </thead>
            <tbody>{rows.into_iter().map(|listing| view! { <ListingRow listing /> }).collect_view()}</tbody>
        </table>
    }
    .into_any()
}
