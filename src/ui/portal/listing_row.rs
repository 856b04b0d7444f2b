//! One row of the portal's listings table: status, public link, publish, edit, share.
use leptos::prelude::*;

use super::listings::{LISTING_FIELDS, ListingActions, ListingFields};
use crate::api::listings::UpdateListing;
use crate::api::types::ListingView;
use crate::ui::copy::CopyButton;
use crate::ui::forms::{FormError, RowButton};
use crate::ui::widgets::money;

/// The listing's public page.
pub(super) fn public_path(slug: &str) -> String {
    format!("/marketplace/{slug}")
}

#[component]
pub(super) fn ListingRow(listing: ListingView) -> impl IntoView {
    let editing = RwSignal::new(false);
    let is_published = listing.published_at.is_some();
    let editor = listing.clone();
    view! {
        <tr data-testid="listing-row" data-slug=listing.slug.clone()>
            <td>{listing.title}</td>
            <td class="num">{money(listing.price_cents)}</td>
            <td><PublishedPill is_published /></td>
            <td>
                {if is_published {
                    let path = public_path(&listing.slug);
                    let href = path.clone();
                    view! {
                        <a href=href rel="external" target="_blank" data-testid="listing-public-link">{path.clone()}</a>
                        " "
                        <CopyButton text=path />
                    }
                        .into_any()
                } else {
                    view! { <span class="muted">"—"</span> }.into_any()
                }}
            </td>
            <td>
                <div style="display:flex;gap:0.4rem;flex-wrap:wrap">
                    <PublishButton listing_id=listing.id.clone() is_published />
                    <button
                        type="button"
                        class="small ghost"
                        data-testid="edit-listing"
                        on:click=move |_| editing.update(|open| *open = !*open)
                    >
                        {move || if editing.get() { "Cancel" } else { "Edit" }}
                    </button>
                    <ShareButton listing_id=listing.id />
                </div>
            </td>
        </tr>
        <Show when=move || editing.get()>
            <tr data-testid="listing-edit-row">
                <td colspan="5">
                    <EditListingForm listing=editor.clone() />
                </td>
            </tr>
        </Show>
    }
}

#[component]
fn PublishedPill(is_published: bool) -> impl IntoView {
    let (tone, text) = if is_published { ("ok", "published") } else { ("off", "draft") };
    view! { <span class=format!("pill {tone}") data-testid="listing-status">{text}</span> }
}

#[component]
fn PublishButton(listing_id: String, is_published: bool) -> impl IntoView {
    let publish = expect_context::<ListingActions>().publish;
    let (next, text) = if is_published { ("false", "Unpublish") } else { ("true", "Publish") };
    view! {
        <RowButton
            action=publish
            fields=vec![("listing_id", listing_id), ("published", next.to_string())]
            label=text
            testid="toggle-published"
        />
    }
}

#[component]
fn ShareButton(listing_id: String) -> impl IntoView {
    let share = expect_context::<ListingActions>().share;
    view! {
        <RowButton
            action=share
            fields=vec![("listing_id", listing_id)]
            label="Create share link"
            class="ghost"
            testid="create-share-link"
        />
    }
}

/// Saves through its own action so its errors stay with this row; a successful save
/// reloads the list (which closes the form).
#[component]
fn EditListingForm(listing: ListingView) -> impl IntoView {
    let update = ServerAction::<UpdateListing>::new();
    let result = Signal::derive(move || update.value().get());
    let edited = expect_context::<ListingActions>().edited;
    Effect::new(move |_| {
        if matches!(result.get(), Some(Ok(()))) {
            edited.update(|n| *n += 1);
        }
    });
    let listing_id = listing.id.clone();
    view! {
        <ActionForm action=update attr:class="form" attr:data-testid="edit-listing-form">
            <input type="hidden" name="listing_id" value=listing_id />
            <ListingFields result current=listing />
            <FormError result fields=LISTING_FIELDS />
            <button type="submit" disabled=move || update.pending().get()>"Save changes"</button>
        </ActionForm>
    }
}
