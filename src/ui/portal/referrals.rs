//! Portal → Referrals: the workspaces attributed to this partner, searchable by workspace
//! or code, filtered by source and state, sorted and paginated through the URL.
use leptos::prelude::*;

use crate::api::links::my_code_page;
use crate::api::portal::my_referral_page;
use crate::api::types::ReferralRow;
use crate::domain::roles::{LinkState, ReferralSource, ReferralState, TextEnum};
use crate::model::list::ListQuery;
use crate::ui::copy::CopyField;
use crate::ui::list::{ListFilters, PagedList, use_list_query};
use crate::ui::tables::ReferralsTable;
use crate::ui::widgets::Loading;

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
            <PagedList path=PATH query page=referrals table=referrals_or_share />
        </section>
    }
}

/// The page's referrals, or (a partner with none yet) how to get the first.
fn referrals_or_share(rows: Vec<ReferralRow>) -> AnyView {
    if rows.is_empty() {
        view! { <ShareFirst /> }.into_any()
    } else {
        view! { <ReferralsTable rows /> }.into_any()
    }
}

/// What a partner without referrals does next: share the default link (the first active
/// code of the links list), right here.
#[component]
fn ShareFirst() -> impl IntoView {
    let active = ListQuery { status: LinkState::Active.as_str().into(), ..Default::default() };
    let codes = Resource::new(move || active.clone(), my_code_page);
    view! {
        <div class="empty" data-testid="empty">
            <p>"No referrals yet — share your link: whoever signs up through it and creates a workspace appears here."</p>
            <Transition fallback=Loading>
                {move || {
                    codes
                        .get()
                        .and_then(Result::ok)
                        .and_then(|page| page.rows.into_iter().next())
                        .map(|code| view! { <CopyField text=code.link label="Your referral link" testid="share-first-link" /> })
                }}
            </Transition>
            <p><a href="/partners/links">"All your referral links"</a></p>
        </div>
    }
}
