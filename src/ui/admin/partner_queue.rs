//! Admin → Partners: the review queue (pending applications first) with each partner's
//! state and running stats.
use leptos::prelude::*;

use crate::api::lifecycle::{ChangePartnerState, admin_partner_queue};
use crate::model::lifecycle::PartnerQueueEntry;
use crate::model::list::Page;
use crate::ui::data_table::{DataTable, col, num};
use crate::ui::forms::RowButton;
use crate::ui::list::param_pager;
use crate::ui::widgets::{EnumPill, Loading, money, or_error};

#[component]
pub fn ReviewQueue() -> impl IntoView {
    let approve = ServerAction::<ChangePartnerState>::new();
    let query = leptos_router::hooks::use_query_map();
    let page = move || query.read().get("queue").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1);
    let rows =
        Resource::new(move || (approve.version().get(), page()), |(_, p)| admin_partner_queue(Some(p)));
    view! {
        <section class="card" data-testid="review-queue">
            <h2>"Review queue and running stats"</h2>
            <p class="muted">"Applications waiting for review come first. Reject, suspend or reinstate with a reason on the partner's page."</p>
            <Transition fallback=Loading>
                {move || {
                    rows.get()
                        .map(|r| {
                            or_error(
                                r,
                                move |page| {
                                    if page.rows.is_empty() && page.total > 0 {
                                        return view! {
                                            <p class="empty" data-testid="empty">
                                                "No partners on this page of the queue. "
                                                <a href="/admin/partners">"Back to the first page"</a>
                                            </p>
                                        }
                                            .into_any();
                                    }
                                    view! {
                                        <QueueTable rows=page.rows.clone() approve />
                                        <QueuePager page />
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

/// "1–25 of 10,000" with links to the queue's neighbouring pages (`?queue=`, so the
/// partner list's own view below is not disturbed).
#[component]
fn QueuePager(page: Page<PartnerQueueEntry>) -> impl IntoView {
    param_pager(page, |to| format!("/admin/partners?queue={to}"), "Review queue pages", "queue-pager")
}

#[component]
fn QueueTable(rows: Vec<PartnerQueueEntry>, approve: ServerAction<ChangePartnerState>) -> impl IntoView {
    view! {
        <DataTable
            rows=rows
            empty="No partners or applications yet."
            testid="queue-table"
            cols=[
                col("Partner"),
                col("State"),
                num("Referrals"),
                num("Active"),
                num("Earned"),
                num("Pending payout"),
                num("Paid out"),
                col(""),
            ]
            row=move |e: PartnerQueueEntry| {
                let (p, s) = (e.partner, e.stats);
                let href = format!("/admin/partners/{}", p.id);
                let pending = p.status == crate::domain::partner::PartnerState::Pending;
                let id = p.id.clone();
                view! {
                    <tr data-testid="queue-row" data-partner-id=p.id.clone() data-state=p.status.as_str()>
                        <td>
                            <a href=href.clone() data-testid="queue-name">{p.name}</a>
                            <br />
                            <span class="muted">{p.contact_email}</span>
                        </td>
                        <td><EnumPill value=p.status /></td>
                        <td class="num">{s.total_referrals}</td>
                        <td class="num">{s.active_referrals}</td>
                        <td class="num">{money(s.total_earnings_cents)}</td>
                        <td class="num">{money(s.pending_payout_cents)}</td>
                        <td class="num">{money(s.lifetime_payout_cents)}</td>
                        <td>
                            {pending.then(|| view! {
                                <RowButton
                                    action=approve
                                    fields=vec![("partner_id", id.clone()), ("action", "approve".into())]
                                    label="Approve"
                                    testid="queue-approve"
                                />
                            })}
                            <a class="button small ghost" href=href>"Review"</a>
                        </td>
                    </tr>
                }
            }
        />
    }
}
