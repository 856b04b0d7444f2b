//! Admin → Outbox: every message the platform queued, and what became of it. Without
//! `TRIBUTARY_SMTP_URL` messages are written to `./data/outbox/` instead of sent.
use leptos::prelude::*;

use crate::api::credits::admin_outbox;
use crate::api::types::OutboxRow;
use crate::domain::dates::format_datetime;
use crate::domain::mail::MailStatus;
use crate::domain::roles::TextEnum;
use crate::ui::data_table::{DataTable, col};
use crate::ui::list::{ListFilters, NEWEST_OR_OLDEST, PagedList, use_list_query};
use crate::ui::widgets::EnumPill;

const PATH: &str = "/admin/outbox";

#[component]
pub fn AdminOutboxPage() -> impl IntoView {
    let refresh = RwSignal::new(0);
    let query = use_list_query();
    let rows = Resource::new(move || (refresh.get(), query.get()), |(_, q)| admin_outbox(q));
    view! {
        <h1>"Outbox"</h1>
        <p class="muted">
            "Messages are queued with the change that sends them and delivered in the background. Without "
            <code>"TRIBUTARY_SMTP_URL"</code> " they are written to " <code>"./data/outbox/"</code> "."
        </p>
        <section class="card">
            {move || {
                view! {
                    <ListFilters
                        path=PATH
                        query=query.get()
                        search_label="Search recipient or subject"
                        statuses=MailStatus::options()
                        sorts=NEWEST_OR_OLDEST
                    />
                }
            }}
            <button type="button" class="small ghost" data-testid="outbox-refresh" on:click=move |_| refresh.update(|n| *n += 1)>"Refresh"</button>
            <PagedList path=PATH query page=rows table=|rows| view! { <OutboxTable rows /> }.into_any() />
        </section>
    }
}

#[component]
fn OutboxTable(rows: Vec<OutboxRow>) -> impl IntoView {
    view! {
        <DataTable
            rows
            empty="No messages yet. Mail appears here as the app sends it."
            testid="outbox-table"
            cols=[col("To"), col("Subject"), col("Status"), col("Attempts"), col("When")]
            row=|m: OutboxRow| {
                let when = m.delivered_at.unwrap_or(m.created_at);
                let to = m.to_address.clone();
                let status = m.status.as_str();
                view! {
                    <tr data-testid="outbox-row" data-to=to data-status=status>
                        <td>{m.to_address}</td>
                        <td>
                            <details>
                                <summary>{m.subject}</summary>
                                <pre class="mail-body" data-testid="outbox-body">{m.body}</pre>
                            </details>
                            {m.last_error.map(|e| view! { <p class="domain-error">{e}</p> })}
                        </td>
                        <td><EnumPill value=m.status /></td>
                        <td>{m.attempts}</td>
                        <td class="nowrap">{format_datetime(when)}</td>
                    </tr>
                }
            }
        />
    }
}
