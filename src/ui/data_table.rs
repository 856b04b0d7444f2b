//! The one skeleton of a list's table: what an empty list says instead, the scrolling
//! wrapper that keeps a wide table inside its card on a phone, the headings, one row per
//! item. Pages give only the columns and how an item becomes a row.
use leptos::prelude::*;

use crate::ui::widgets::Empty;

/// A column heading; numeric columns are right-aligned.
#[derive(Debug, Clone, Copy)]
pub struct Col {
    label: &'static str,
    numeric: bool,
}

/// A text column.
pub const fn col(label: &'static str) -> Col {
    Col { label, numeric: false }
}

/// A numeric (right-aligned) column.
pub const fn num(label: &'static str) -> Col {
    Col { label, numeric: true }
}

/// `rows` as a table with `cols`, or `empty` (which says what to do next) when there are none.
#[component]
pub fn DataTable<T, R, F>(
    rows: Vec<T>,
    empty: &'static str,
    testid: &'static str,
    #[prop(into)] cols: Vec<Col>,
    row: F,
) -> impl IntoView
where
    T: 'static,
    R: IntoView + Send + 'static,
    F: Fn(T) -> R + 'static,
{
    if rows.is_empty() {
        return view! { <Empty text=empty /> }.into_any();
    }
    let head = cols
        .into_iter()
        .map(|c| view! { <th class=c.numeric.then_some("num")>{c.label}</th> })
        .collect_view();
    let body = rows.into_iter().map(row).collect_view();
    view! {
        <div class="table-scroll">
            <table data-testid=testid>
                <thead>
                    <tr>{head}</tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
    .into_any()
}
