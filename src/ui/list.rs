//! The list pieces every searchable, paginated table uses: the view from the URL
//! (`use_list_query`), the search-and-filter form (a GET form, so the URL is the state and
//! the back button works) and the pager.
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::model::list::{ListQuery, Page};

/// The list view the URL describes, re-read when the URL changes.
pub fn use_list_query() -> Memo<ListQuery> {
    let params = use_query_map();
    Memo::new(move |_| params.with(|p| ListQuery::from_params(|k| p.get(k))))
}

/// Search box, an optional status filter and a sort, submitted as the page's own URL.
/// Window and `referred` filters the view came with are kept (and shown, with a way to
/// drop them).
#[component]
pub fn ListFilters(
    /// The page's path, e.g. `/admin/workspaces`.
    path: &'static str,
    query: ListQuery,
    search_label: &'static str,
    /// (value, label) of the status filter; empty = none.
    #[prop(optional)]
    statuses: Vec<(String, String)>,
    #[prop(optional)] sorts: &'static [(&'static str, &'static str)],
) -> impl IntoView {
    let kept =
        ListQuery { q: String::new(), status: String::new(), sort: String::new(), page: 1, ..query.clone() };
    let window = kept.on.clone();
    let has_window = !window.is_empty() || kept.referred;
    view! {
        <form method="get" action=path class="list-filters" role="search" data-testid="list-filters">
            <label>
                <span>{search_label}</span>
                <input type="search" name="q" value=query.q.clone() data-testid="list-search" />
            </label>
            {(!statuses.is_empty())
                .then(|| {
                    let current = query.status.clone();
                    view! {
                        <label>
                            <span>"Status"</span>
                            <select name="status" data-testid="list-status">
                                <option value="">"All"</option>
                                {statuses
                                    .into_iter()
                                    .map(|(v, l)| {
                                        let selected = v == current;
                                        view! { <option value=v selected=selected>{l}</option> }
                                    })
                                    .collect_view()}
                            </select>
                        </label>
                    }
                })}
            {(!sorts.is_empty())
                .then(|| {
                    let current = query.sort.clone();
                    view! {
                        <label>
                            <span>"Sort"</span>
                            <select name="sort" data-testid="list-sort">
                                {sorts
                                    .iter()
                                    .map(|(v, l)| {
                                        let selected = *v == current;
                                        view! { <option value=*v selected=selected>{*l}</option> }
                                    })
                                    .collect_view()}
                            </select>
                        </label>
                    }
                })}
            {kept.referred.then(|| view! { <input type="hidden" name="referred" value="1" /> })}
            {(!window.is_empty())
                .then(|| {
                    view! {
                        <input type="hidden" name="on" value=window.clone() />
                        <input type="hidden" name="from" value=kept.from.map(|v| v.to_string()).unwrap_or_default() />
                        <input type="hidden" name="to" value=kept.to.map(|v| v.to_string()).unwrap_or_default() />
                    }
                })}
            <button type="submit">"Apply"</button>
        </form>
        {has_window
            .then(|| {
                let what = match (window.as_str(), kept.referred) {
                    ("signup", _) => format!("Referred signups from {}", span(&kept)),
                    ("conversion", _) => format!("Conversions from {}", span(&kept)),
                    _ => "Referred workspaces only".to_string(),
                };
                view! {
                    <p class="muted small" data-testid="list-window">
                        {what} " · " <a href=path>"Show all"</a>
                    </p>
                }
            })}
    }
}

fn span(q: &ListQuery) -> String {
    let date = |v: Option<i64>| v.map(crate::domain::dates::format_datetime).unwrap_or_else(|| "…".into());
    format!("{} to {}", date(q.from), date(q.to))
}

/// "1–25 of 339" with previous/next links that keep the rest of the view.
#[component]
pub fn Pager<T: 'static>(path: &'static str, query: ListQuery, page: Page<T>) -> impl IntoView {
    let (n, pages) = (page.page, page.pages());
    let first = if page.total == 0 { 0 } else { (n - 1) * page.per_page + 1 };
    let last = ((n - 1) * page.per_page + page.rows.len() as i64).max(0);
    let link = move |to: i64| {
        let qs = query.to_query_string(to);
        if qs.is_empty() { path.to_string() } else { format!("{path}?{qs}") }
    };
    view! {
        <nav class="pager" aria-label="Pages" data-testid="pager">
            <span data-testid="pager-count">{format!("{first}–{last} of {}", page.total)}</span>
            {(n > 1).then(|| view! { <a href=link(n - 1) rel="prev">"← Previous"</a> })}
            {(n < pages).then(|| view! { <a href=link(n + 1) rel="next" data-testid="pager-next">"Next →"</a> })}
        </nav>
    }
}
