//! Portal → Referrals: the workspaces attributed to this partner, searchable by workspace
//! or code, filtered by source and state, sorted and paginated through the URL.
use leptos::prelude::*;

use crate::api::portal::my_referral_page;
use crate::domain::roles::{ReferralSource, ReferralState, TextEnum};
use crate::ui::list::{ListFilters, PagedList, use_list_query};
use crate::ui::tables::ReferralsTable;

const PATH: &str = "/partners/referrals";

/// The sorts offered (the db's whitelist, by key).
const REFERRAL_SORTS: &[(&str, &str)] = &[
    ("newest", "Newest first"),
    ("oldest", "Oldest first"),
    ("name", "Workspace"),
    ("converted", "Latest conversions"),
];

#[component]
pub fn PortalReferralsPage() -> impl IntoView {
    let query = use_list_query();
    let referrals = Resource::new(move || query.get(), my_referral_page);
    view! {
        <h1>"Referrals"</h1>
        <p class="muted">"A referral converts when its workspace's subscription first becomes active."</p>
        <section class="card">
            {move || {
                view! {
                    <ListFilters
                        path=PATH
                        query=query.get()
                        search_label="Search workspace or code"
                        statuses=ReferralState::options()
                        kinds=ReferralSource::options()
                        kind_label="Source"
                        sorts=REFERRAL_SORTS
                    />
                }
            }}
            <PagedList path=PATH query page=referrals table=|rows| view! { <ReferralsTable rows /> }.into_any() />
        </section>
    }
}
