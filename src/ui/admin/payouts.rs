//! Admin → Payouts: who is due, upcoming, held or negative; Run now with a preview and
//! per-partner exclusion; payouts (paginated) marked paid or failed; runs and CSV exports.
use crate::domain::roles::PayoutStatus;
use leptos::prelude::*;

use crate::api::payouts::{
    MarkPayoutFailed, MarkPayoutPaid, RunPayouts, admin_payout_page, payouts_overview, preview_payout_run,
};
use crate::api::types::{PartnerPayoutLine, PayoutView, PreviewLine, RunView};
use crate::domain::dates::format_datetime;
use crate::domain::roles::TextEnum;
use crate::ui::forms::{FieldError, FormError};
use crate::ui::list::{ListFilters, NEWEST_OR_OLDEST, PagedList, use_list_query};
use crate::ui::widgets::{Empty, EnumPill, Loading, date_or_dash, money, or_error};

#[component]
pub fn AdminPayoutsPage() -> impl IntoView {
    let run = ServerAction::<RunPayouts>::new();
    let paid = ServerAction::<MarkPayoutPaid>::new();
    let failed = ServerAction::<MarkPayoutFailed>::new();
    let overview = Resource::new(
        move || (run.version().get(), paid.version().get(), failed.version().get()),
        |_| payouts_overview(),
    );
    let query = use_list_query();
    let history = Resource::new(
        move || (run.version().get(), paid.version().get(), failed.version().get(), query.get()),
        |(_, _, _, q)| admin_payout_page(q),
    );
    view! {
        <h1>"Payouts"</h1>
        <RunNow run />
        <Transition fallback=Loading>
            {move || {
                overview
                    .get()
                    .map(|r| {
                        or_error(
                            r,
                            |o| {
                                view! {
                                    <Lines title="Due now" testid="due-now" rows=o.due empty="Nobody is due now." />
                                    <Lines title="Upcoming" testid="upcoming" rows=o.upcoming empty="Nothing upcoming." />
                                    <Lines title="Held" testid="held" rows=o.held empty="Nothing on hold." />
                                    <Lines
                                        title="Negative balances"
                                        testid="negative"
                                        rows=o.negative
                                        empty="No negative balances."
                                    />
                                    <section class="card">
                                        <h2>"Runs"</h2>
                                        <RunsTable rows=o.runs />
                                    </section>
                                }
                                    .into_any()
                            },
                        )
                    })
            }}
        </Transition>
        <section class="card">
            <div class="card-head">
                <h2>"Payouts"</h2>
                <span class="exports">
                    <a href="/api/v1/admin/payouts.csv" rel="external" download>"Payouts CSV"</a>
                    " · "
                    <a href="/api/v1/admin/commissions.csv" rel="external" download>"Commissions CSV"</a>
                </span>
            </div>
            {move || {
                view! {
                    <ListFilters
                        path=PATH
                        query=query.get()
                        search_label="Search partner"
                        statuses=PayoutStatus::options()
                        sorts=NEWEST_OR_OLDEST
                    />
                }
            }}
            <PagedList
                path=PATH
                query
                page=history
                table=move |rows| view! { <PayoutsTable rows paid failed /> }.into_any()
            />
        </section>
    }
}

const PATH: &str = "/admin/payouts";

/// Preview, untick partners to leave out (tick manual ones to include), run.
#[component]
fn RunNow(run: ServerAction<RunPayouts>) -> impl IntoView {
    let shown = RwSignal::new(0u32);
    let preview = Resource::new(
        move || (shown.get(), run.version().get()),
        |(n, _)| async move { if n == 0 { Ok(Vec::new()) } else { preview_payout_run().await } },
    );
    // Partner ids whose box differs from its default (due → ticked, else unticked).
    let flipped = RwSignal::new(Vec::<String>::new());
    let lines = RwSignal::new(Vec::<PreviewLine>::new());
    Effect::new(move |_| {
        if let Some(Ok(l)) = preview.get() {
            lines.set(l);
            flipped.set(Vec::new());
        }
    });
    let start = move |_| {
        let flips = flipped.get_untracked();
        let all = lines.get_untracked();
        let exclude = all
            .iter()
            .filter(|l| l.due && flips.contains(&l.partner_id))
            .map(|l| l.partner_id.clone())
            .collect();
        let include = all
            .iter()
            .filter(|l| !l.due && flips.contains(&l.partner_id))
            .map(|l| l.partner_id.clone())
            .collect();
        run.dispatch(RunPayouts { exclude, include });
    };
    let result = Signal::derive(move || run.value().get());
    view! {
        <section class="card">
            <div class="card-head">
                <h2>"Run now"</h2>
                <span>
                    <button type="button" class="small secondary" data-testid="preview-run" on:click=move |_| shown.update(|n| *n += 1)>
                        "Preview"
                    </button>
                    " "
                    <button type="button" data-testid="run-now" disabled=move || run.pending().get() on:click=start>
                        "Run now"
                    </button>
                </span>
            </div>
            <p class="muted">
                "A run pays each due partner whose available balance reaches its threshold, once per period. The scheduler also runs every few minutes."
            </p>
            <FormError result />
            {move || {
                result
                    .get()
                    .and_then(Result::ok)
                    .map(|s| {
                        let text = if s.busy {
                            "Another run is under way; try again in a moment.".to_string()
                        } else {
                            format!("Run finished: {} payouts, {}.", s.payouts_created, money(s.total_cents))
                        };
                        view! { <p class="success" data-testid="run-outcome">{text}</p> }
                    })
            }}
            {move || {
                let rows = lines.get();
                (!rows.is_empty()).then(|| view! { <PreviewTable rows flipped /> })
            }}
        </section>
    }
}

#[component]
fn PreviewTable(rows: Vec<PreviewLine>, flipped: RwSignal<Vec<String>>) -> impl IntoView {
    view! {
        <table data-testid="run-preview">
            <thead>
                <tr>
                    <th>"Pay"</th>
                    <th>"Partner"</th>
                    <th class="num">"Available"</th>
                    <th>"Method"</th>
                    <th>"Why not"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|l| {
                        let id = l.partner_id.clone();
                        let id_check = l.partner_id.clone();
                        let due = l.due;
                        view! {
                            <tr data-testid="preview-row" data-partner-id=l.partner_id.clone()>
                                <td>
                                    <input
                                        type="checkbox"
                                        aria-label="Pay in this run"
                                        data-testid="preview-include"
                                        prop:checked=move || due != flipped.with(|f| f.contains(&id_check))
                                        on:change=move |_| {
                                            flipped.update(|f| {
                                                if let Some(i) = f.iter().position(|x| x == &id) {
                                                    f.remove(i);
                                                } else {
                                                    f.push(id.clone());
                                                }
                                            })
                                        }
                                    />
                                </td>
                                <td>{l.partner_name}</td>
                                <td class="num">{money(l.amount_cents)}</td>
                                <td>{l.method}</td>
                                <td class="muted">{l.blocker.unwrap_or_default()}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn Lines(
    title: &'static str,
    testid: &'static str,
    rows: Vec<PartnerPayoutLine>,
    empty: &'static str,
) -> impl IntoView {
    view! {
        <section class="card">
            <h2>{title}</h2>
            {if rows.is_empty() {
                view! { <Empty text=empty /> }.into_any()
            } else {
                view! {
                    <table data-testid=testid>
                        <thead>
                            <tr>
                                <th>"Partner"</th>
                                <th class="num">"On hold"</th>
                                <th class="num">"Available"</th>
                                <th class="num">"Threshold"</th>
                                <th>"Schedule"</th>
                                <th>"Next"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows
                                .into_iter()
                                .map(|l| {
                                    view! {
                                        <tr data-testid="line-row">
                                            <td>
                                                <a href=format!("/admin/partners/{}", l.partner_id)>{l.partner_name}</a>
                                            </td>
                                            <td class="num">{money(l.on_hold_cents)}</td>
                                            <td class="num">{money(l.available_cents)}</td>
                                            <td class="num">{money(l.threshold_cents)}</td>
                                            <td>{format!("{} · {}", l.frequency, l.method)}</td>
                                            <td class="muted">
                                                {l.next.blocker.unwrap_or_else(|| l.next.date.unwrap_or_default())}
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn PayoutsTable(
    rows: Vec<PayoutView>,
    paid: ServerAction<MarkPayoutPaid>,
    failed: ServerAction<MarkPayoutFailed>,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <Empty text="No payouts yet. Run payouts to create them." /> }.into_any();
    }
    let paid_result = Signal::derive(move || paid.value().get());
    let failed_result = Signal::derive(move || failed.value().get());
    view! {
        <FieldError result=paid_result field="reference" />
        <FormError result=paid_result fields=&["reference"] />
        <FieldError result=failed_result field="reason" />
        <FormError result=failed_result fields=&["reason"] />
        <AlreadyDecided paid=paid_result failed=failed_result />
        <table data-testid="payouts-table">
            <thead>
                <tr>
                    <th>"Created"</th>
                    <th>"Partner"</th>
                    <th class="num">"Amount"</th>
                    <th>"Method"</th>
                    <th>"Status"</th>
                    <th>"Reference / reason"</th>
                    <th>"Actions"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|p| {
                        let open = matches!(p.status, PayoutStatus::Pending | PayoutStatus::Processing);
                        let note = p.external_reference.clone().or(p.failure_reason.clone()).unwrap_or_default();
                        let statement = format!("/api/v1/payouts/{}/statement.csv", p.id);
                        let statement_name = format!("statement-{}.csv", p.id);
                        let (id_paid, id_failed) = (p.id.clone(), p.id.clone());
                        let rail = p.rail.clone();
                        view! {
                            <tr data-testid="payout-row" data-payout-id=p.id.clone()>
                                <td>{format_datetime(p.created_at)}</td>
                                <td>{p.partner_name}</td>
                                <td class="num" data-testid="payout-amount">{money(p.amount_cents)}</td>
                                <td>{p.method}</td>
                                <td><EnumPill value=p.status /></td>
                                <td>{note}<super::payout_rail::PayoutRail rail /></td>
                                <td>
                                    <a href=statement rel="external" download=statement_name>"Statement"</a>
                                    {open
                                        .then(move || {
                                            view! {
                                                <ActionForm action=paid attr:class="form inline">
                                                    <input type="hidden" name="payout_id" value=id_paid />
                                                    <input name="reference" placeholder="Reference" data-testid="paid-reference" />
                                                    <button type="submit" class="small" data-testid="mark-paid">"Mark paid"</button>
                                                </ActionForm>
                                                <ActionForm action=failed attr:class="form inline">
                                                    <input type="hidden" name="payout_id" value=id_failed />
                                                    <input name="reason" placeholder="Why it failed" data-testid="failed-reason" />
                                                    <button type="submit" class="small secondary" data-testid="mark-failed">"Mark failed"</button>
                                                </ActionForm>
                                            }
                                        })}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn RunsTable(rows: Vec<RunView>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <Empty text="No runs yet." /> }.into_any();
    }
    view! {
        <table data-testid="runs-table">
            <thead>
                <tr>
                    <th>"Started"</th>
                    <th>"From"</th>
                    <th>"Status"</th>
                    <th class="num">"Payouts"</th>
                    <th class="num">"Total"</th>
                    <th class="num">"Failed"</th>
                    <th>"Bank file"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|r| {
                        view! {
                            <tr data-testid="run-row">
                                <td>{format_datetime(r.started_at)}</td>
                                <td>{r.started_from}</td>
                                <td>{format!("{} {}", r.status, date_or_dash(r.finished_at))}</td>
                                <td class="num">{r.payouts_created}</td>
                                <td class="num">{money(r.total_cents)}</td>
                                <td class="num">{r.failed}</td>
                                <td>
                                    <a href=format!("/api/v1/admin/payout-runs/{}/bank.csv", r.id) rel="external" download>
                                        "CSV"
                                    </a>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// Marking a payout that another admin (or a second click) already decided changes
/// nothing; say so instead of staying silent.
#[component]
fn AlreadyDecided(
    paid: Signal<Option<Result<bool, crate::api::AppError>>>,
    failed: Signal<Option<Result<bool, crate::api::AppError>>>,
) -> impl IntoView {
    move || {
        let paid_again = matches!(paid.get(), Some(Ok(false)));
        let failed_again = matches!(failed.get(), Some(Ok(false)));
        (paid_again || failed_again).then(|| {
            view! {
                <p class="notice" role="status" data-testid="payout-already-decided">
                    "This payout was already marked paid or failed, so nothing changed. Its row shows what was recorded."
                </p>
            }
        })
    }
}
