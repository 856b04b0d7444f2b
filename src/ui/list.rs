//! The list pieces every searchable, paginated table uses: the view from the URL
//! (`use_list_query`), the search-and-filter form (a GET form, so the URL is the state and
//! the back button works) and the pager.
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::model::AppError;
use crate::model::list::{ListQuery, Page};
use crate::ui::widgets::{Loading, or_error};

/// The list view the URL describes, re-read when the URL changes.
pub fn use_list_query() -> Memo<ListQuery> {
    let params = use_query_map();
    Memo::new(move |_| params.with(|p| ListQuery::from_params(|k| p.get(k))))
}

/// The sort every dated list offers (the db lists' whitelist: `oldest`, else newest).
pub const NEWEST_OR_OLDEST: &[(&str, &str)] = &[("newest", "Newest first"), ("oldest", "Oldest first")];

/// Search box, an optional status filter and a sort, submitted as the page's own URL.
/// Window and `referred` filters the view came with are kept (and shown, with a way to
/// drop them).
#[component]
pub fn ListFilters(
    /// The page's path, e.g. `/admin/workspaces`.
    #[prop(into)]
    path: String,
    query: ListQuery,
    /// The search box's label; empty = the list has no search.
    search_label: &'static str,
    /// (value, label) of the status filter; empty = none.
    #[prop(optional)]
    statuses: Vec<(String, String)>,
    #[prop(optional)] sorts: &'static [(&'static str, &'static str)],
    /// (value, label) of a second filter (`kind`: source, flavor…); empty = none.
    #[prop(optional)]
    kinds: Vec<(String, String)>,
    #[prop(optional)] kind_label: &'static str,
) -> impl IntoView {
    let kept = ListQuery {
        q: String::new(),
        status: String::new(),
        kind: String::new(),
        sort: String::new(),
        page: 1,
        ..query.clone()
    };
    let window = kept.on.clone();
    let has_window = !window.is_empty() || kept.referred || !kept.partner.is_empty();
    let sorts: Vec<(String, String)> = sorts.iter().map(|(v, l)| (v.to_string(), l.to_string())).collect();
    view! {
        <form method="get" action=path.clone() class="list-filters" role="search" data-testid="list-filters">
            {(!search_label.is_empty())
                .then(|| {
                    view! {
                        <label>
                            <span>{search_label}</span>
                            <input type="search" name="q" value=query.q.clone() data-testid="list-search" />
                        </label>
                    }
                })}
            <FilterSelect name="status" label="Status" all=Some("All") options=statuses current=query.status.clone() />
            <FilterSelect name="kind" label=kind_label all=Some("All") options=kinds current=query.kind.clone() />
            <FilterSelect name="sort" label="Sort" all=None options=sorts current=query.sort.clone() />
            {kept.referred.then(|| view! { <input type="hidden" name="referred" value="1" /> })}
            {(!kept.partner.is_empty()).then(|| view! { <input type="hidden" name="partner" value=kept.partner.clone() /> })}
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
                    ("signup", _) => format!("Referred signups{}", span(&kept)),
                    ("conversion", _) => format!("Conversions{}", span(&kept)),
                    ("click", _) => format!("Clicks{}", span(&kept)),
                    ("earned", _) => format!("Commissions earned{}", span(&kept)),
                    _ if kept.referred => "Referred workspaces only".to_string(),
                    _ => "One partner's rows only".to_string(),
                };
                view! {
                    <p class="muted small" data-testid="list-window">
                        {what} " · " <a href=path>"Show all"</a>
                    </p>
                }
            })}
    }
}

/// One filter's select (nothing when the list has no such filter); `all` is the option
/// meaning "no filter", if the filter has one.
#[component]
fn FilterSelect(
    name: &'static str,
    label: &'static str,
    all: Option<&'static str>,
    options: Vec<(String, String)>,
    current: String,
) -> impl IntoView {
    (!options.is_empty()).then(|| {
        view! {
            <label>
                <span>{label}</span>
                <select name=name data-testid=format!("list-{name}")>
                    {all.map(|all| view! { <option value="">{all}</option> })}
                    {options
                        .into_iter()
                        .map(|(v, l)| {
                            let selected = v == current;
                            view! { <option value=v selected=selected>{l}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
        }
    })
}

/// The window in words: " from … to …", " since …", " before …", or ", any date".
fn span(q: &ListQuery) -> String {
    let date = crate::domain::dates::format_datetime;
    match (q.from, q.to) {
        (Some(from), Some(to)) => format!(" from {} to {}", date(from), date(to)),
        (Some(from), None) => format!(" since {}", date(from)),
        (None, Some(to)) => format!(" before {}", date(to)),
        (None, None) => ", any date".to_string(),
    }
}

/// "1–25 of 339" with previous/next links that keep the rest of the view.
#[component]
pub fn Pager<T: 'static>(#[prop(into)] path: String, query: ListQuery, page: Page<T>) -> impl IntoView {
    let (n, pages) = (page.page, page.pages());
    let (first, last) = page.shown_range();
    let link = move |to: i64| {
        let qs = query.to_query_string(to);
        if qs.is_empty() { path.clone() } else { format!("{path}?{qs}") }
    };
    view! {
        <nav class="pager" aria-label="Pages" data-testid="pager">
            <span data-testid="pager-count">{format!("{first}–{last} of {}", page.total)}</span>
            {(n > 1).then(|| view! { <a href=link(n - 1) rel="prev">"← Previous"</a> })}
            {(n < pages).then(|| view! { <a href=link(n + 1) rel="next" data-testid="pager-next">"Next →"</a> })}
        </nav>
    }
}

/// The pager of a second list on a page, paged by its own URL parameter (`href(n)` is the
/// URL of its page n) beside the main list's `page`; nothing when it fits on one page.
pub fn param_pager<T>(
    page: Page<T>,
    href: impl Fn(i64) -> String,
    label: &'static str,
    testid: &'static str,
) -> impl IntoView {
    let (n, pages) = (page.page, page.pages());
    let (first, last) = page.shown_range();
    let count = format!("{first}–{last} of {}", page.total);
    let prev = (n > 1).then(|| view! { <a href=href(n - 1) rel="prev">"← Previous"</a> });
    let next = (n < pages).then(|| view! { <a href=href(n + 1) rel="next">"Next →"</a> });
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label=label data-testid=testid>
                <span>{count}</span>
                {prev}
                {next}
            </nav>
        }
    })
}

/// One page of a list as `table` draws its rows, then the pager. The previous page stays
/// on screen while the next one loads. A filtered view that matches nothing says how to
/// get back to everything (`table`'s own empty state is for a list that has nothing yet).
#[component]
pub fn PagedList<T, F>(
    #[prop(into)] path: String,
    query: Memo<ListQuery>,
    page: Resource<Result<Page<T>, AppError>>,
    table: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    F: Fn(Vec<T>) -> AnyView + Copy + Send + Sync + 'static,
{
    view! {
        <Transition fallback=Loading>
            {move || {
                let path = path.clone();
                page.get()
                    .map(|r| {
                        or_error(
                            r,
                            |p| {
                                let q = query.get_untracked();
                                if p.total == 0 && q.is_filtered() {
                                    return view! {
                                        <p class="empty" data-testid="empty">
                                            "Nothing matches this search or filter. "
                                            <a href=path>"Show everything"</a>
                                        </p>
                                    }
                                        .into_any();
                                }
                                view! {
                                    {table(p.rows.clone())}
                                    <Pager path query=q page=p />
                                }
                                    .into_any()
                            },
                        )
                    })
            }}
        </Transition>
    }
}
