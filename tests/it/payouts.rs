//! The earnings and payout engine (issue #11) through the real app: signed billing
//! events, recurring and credit commissions, holds, refunds and clawbacks, and payout
//! runs that pay exactly once under concurrency and crashes.
use crate::common;

use std::sync::Arc;

use common::{TestApp, spawn_app_with};
use reqwest::{Client, StatusCode};
use serde_json::json;
use tokio::sync::Barrier;
use tributary::api::types::{PortalPayouts, RunSummary};
use tributary::server::billing_webhook::sign;
use tributary::server::services::payouts::{self, Faults, LEASE_MS, RunRequest, StartedFrom};

const SECRET: &str = "test-billing-secret";

/// An app whose sessions outlive the months these tests move the clock through.
async fn app() -> TestApp {
    spawn_app_with(|c| c.session_ttl_days = 3_650).await
}

/// A referred, ACTIVE workspace of a partner paid 20 % of a $100.00 plan ($20.00 cash per
/// period), with `credit` basis points of credits and the given recurring months.
struct Setup {
    app: TestApp,
    admin: Client,
    partner_id: String,
    partner: Client,
    workspace: String,
}

async fn setup(name: &str, credit_bps: i64, recurring_months: Option<i64>) -> Setup {
    let app = app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let plan = app.plan(&admin, "Pro", "100.00").await;
    let partner_id = app.partner(&admin, name, "percent", "20").await;
    let partner = app.partner_user(&admin, &partner_id, &format!("p@{}.example", name.to_lowercase())).await;
    terms(&app, &partner_id, credit_bps, recurring_months).await;
    let code = name.to_lowercase();
    let (_, workspace) =
        app.referred_customer(&code, &format!("c@{code}.example"), &format!("{name} Customer")).await;
    assert_eq!(app.activate(&admin, &workspace, &plan).await.status(), StatusCode::OK);
    Setup { app, admin, partner_id, partner, workspace }
}

/// Partner settings the partner-settings pages will edit (another branch): set directly.
async fn terms(app: &TestApp, partner_id: &str, credit_bps: i64, recurring_months: Option<i64>) {
    sqlx::query("update partners set credit_bps = $1, recurring = 1, recurring_months = $2 where id = $3")
        .bind(credit_bps)
        .bind(recurring_months)
        .bind(partner_id)
        .execute(&app.state.db.pool)
        .await
        .unwrap();
}

async fn set_partner(app: &TestApp, partner_id: &str, column_sql: &'static str, value: i64) {
    let sql = format!("update partners set {column_sql} = $1 where id = $2");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(value)
        .bind(partner_id)
        .execute(&app.state.db.pool)
        .await
        .unwrap();
}

/// Posts a billing event signed now (by the app's clock) with the test secret.
async fn send(app: &TestApp, body: &serde_json::Value) -> reqwest::Response {
    signed(app, body).send().await.unwrap()
}

/// The request [`send`] makes, to send later.
fn signed(app: &TestApp, body: &serde_json::Value) -> reqwest::RequestBuilder {
    let raw = body.to_string();
    let t = app.state.db.now_ms() / 1000;
    common::browser()
        .post(app.url("/api/v1/billing/events"))
        .header("content-type", "application/json")
        .header("tributary-signature", sign(SECRET, t, raw.as_bytes()))
        .body(raw)
}

fn invoice_paid(event: &str, workspace: &str, invoice: &str, amount: i64) -> serde_json::Value {
    json!({
        "id": event,
        "type": "invoice.paid",
        "data": {"workspace_id": workspace, "invoice_id": invoice, "period_start": 1, "period_end": 2, "amount_paid": amount}
    })
}

fn refund(event: &str, invoice: &str, total: i64) -> serde_json::Value {
    json!({"id": event, "type": "invoice.refunded", "data": {"invoice_id": invoice, "amount_refunded": total}})
}

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    app.count(sql).await
}

async fn portal(s: &Setup) -> PortalPayouts {
    s.app.assert_open_set_exact().await;
    s.app.call_ok(&s.partner, "my_payouts", &[]).await
}

async fn run(app: &TestApp) -> RunSummary {
    app.assert_open_set_exact().await;
    let summary = app.run_payouts().await;
    app.assert_open_set_exact().await;
    summary
}

/// The app's clock moved to the same time on the 1st of the next month (a new period).
fn next_month(app: &TestApp) {
    app.state.db.clock.advance_days(31);
}

#[tokio::test]
async fn an_invoice_paid_replayed_100_times_and_20_at_once_creates_one_commission_per_kind() {
    let s = setup("Replay", 1_000, None).await;
    // Invoice 1 is period 1: the conversion already paid it.
    assert_eq!(
        send(&s.app, &invoice_paid("evt_1", &s.workspace, "in_1", 10_000)).await.status(),
        StatusCode::OK
    );
    assert_eq!(count(&s.app, "select count(*) from commissions").await, 2);
    for _ in 0..100 {
        let r = send(&s.app, &invoice_paid("evt_2", &s.workspace, "in_2", 10_000)).await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    assert_eq!(count(&s.app, "select count(*) from commissions where period = 2 and kind = 'cash'").await, 1);
    assert_eq!(
        count(&s.app, "select count(*) from commissions where period = 2 and kind = 'credit'").await,
        1
    );

    let app = Arc::new(s.app);
    let barrier = Arc::new(Barrier::new(20));
    let workspace = s.workspace.clone();
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (app, barrier, workspace) = (app.clone(), barrier.clone(), workspace.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                send(&app, &invoice_paid("evt_3", &workspace, "in_3", 10_000)).await.status()
            })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::OK);
    }
    assert_eq!(count(&app, "select count(*) from commissions where period = 3 and kind = 'cash'").await, 1);
    assert_eq!(count(&app, "select count(*) from commissions where period = 3 and kind = 'credit'").await, 1);
    assert_eq!(count(&app, "select count(*) from invoices").await, 3);
    assert_eq!(count(&app, "select count(*) from billing_events").await, 3);
    // $20.00 cash and 10 % of $100.00 = 1,000 credits per period.
    assert_eq!(
        count(&app, "select cast(sum(amount_cents) as bigint) from commissions where kind = 'cash'").await,
        6_000
    );
    assert_eq!(
        count(&app, "select cast(sum(amount_cents) as bigint) from commissions where kind = 'credit'").await,
        3_000
    );
}

#[tokio::test]
async fn twelve_monthly_invoices_with_six_recurring_months_earn_six_cash_and_six_credit_entries() {
    let s = setup("Sixer", 500, Some(6)).await;
    for month in 1..=12 {
        let r =
            send(&s.app, &invoice_paid(&format!("e{month}"), &s.workspace, &format!("in{month}"), 10_000))
                .await;
        assert_eq!(r.status(), StatusCode::OK);
        next_month(&s.app);
    }
    assert_eq!(count(&s.app, "select count(*) from commissions where kind = 'cash'").await, 6);
    assert_eq!(count(&s.app, "select count(*) from commissions where kind = 'credit'").await, 6);
    assert_eq!(count(&s.app, "select max(period) from commissions").await, 6);
    assert_eq!(count(&s.app, "select count(*) from invoices").await, 12);
    let p = portal(&s).await;
    assert_eq!(p.balances.earned_cents, 12_000);
    assert_eq!(p.balances.credit_cents, 6 * 500);
    // The credit commissions are the partner workspace's platform credits, once each.
    let credited = "select cast(coalesce(sum(e.amount), 0) as bigint) from credit_entries e \
        join partners p on p.workspace_id = e.workspace_id where e.kind = 'credit_commission'";
    assert_eq!(count(&s.app, credited).await, 6 * 500);
    for month in 1..=3 {
        let replay = invoice_paid(&format!("e{month}"), &s.workspace, &format!("in{month}"), 10_000);
        assert_eq!(send(&s.app, &replay).await.status(), StatusCode::OK);
    }
    assert_eq!(count(&s.app, credited).await, 6 * 500);
    // A full refund of a credited period takes those credits back.
    let refund = json!({"id": "r1", "type": "charge.refunded", "data": {"invoice_id": "in1", "full": true}});
    assert_eq!(send(&s.app, &refund).await.status(), StatusCode::OK);
    let balance = "select cast(coalesce(sum(e.amount), 0) as bigint) from credit_entries e \
        join partners p on p.workspace_id = e.workspace_id";
    assert_eq!(count(&s.app, balance).await, 5 * 500);
}

#[tokio::test]
async fn a_held_commission_becomes_payable_on_its_release_date_and_not_before() {
    let app = app().await;
    sqlx::query("update platform_settings set default_hold_days = 30")
        .execute(&app.state.db.pool)
        .await
        .unwrap();
    let admin = app.signed_in_admin("admin@example.com").await;
    let plan = app.plan(&admin, "Pro", "100.00").await;
    let partner_id = app.partner(&admin, "Holder", "percent", "20").await;
    let partner = app.partner_user(&admin, &partner_id, "p@holder.example").await;
    let (_, workspace) = app.referred_customer("holder", "c@holder.example", "Held Co").await;
    app.activate(&admin, &workspace, &plan).await;
    let p: PortalPayouts = app.call_ok(&partner, "my_payouts", &[]).await;
    assert_eq!((p.balances.on_hold_cents, p.balances.available_cents), (2_000, 0));
    let held = p.entries.iter().find(|e| e.status.as_str() == "on_hold").expect("a held entry");
    assert_eq!(held.available_at - held.created_at, 30 * 86_400_000);
    assert_eq!(run(&app).await.payouts_created, 0);
    app.state.db.clock.advance_days(29);
    assert_eq!(run(&app).await.payouts_created, 0);
    app.state.db.clock.advance_days(1);
    let p: PortalPayouts = app.call_ok(&partner, "my_payouts", &[]).await;
    assert_eq!((p.balances.on_hold_cents, p.balances.available_cents), (0, 2_000));
    let done = run(&app).await;
    assert_eq!((done.payouts_created, done.total_cents), (1, 2_000));
}

/// The Earnings list's "on hold" filter holds the credit entries on hold too, not only the
/// cash ones (the cash list reads the open set, which holds cash only).
#[tokio::test]
async fn held_credit_entries_are_listed_on_hold_beside_the_cash_ones() {
    let s = setup("Credited", 1_000, None).await;
    set_partner(&s.app, &s.partner_id, "hold_days", 30).await;
    // Invoice 1 is the conversion's period; invoice 2 earns cash and credit, both held.
    send(&s.app, &invoice_paid("e1", &s.workspace, "in_1", 10_000)).await;
    send(&s.app, &invoice_paid("e2", &s.workspace, "in_2", 10_000)).await;
    let held = |kind: &'static str| {
        let (app, partner) = (&s.app, &s.partner);
        async move {
            let mut form = vec![("query[page]", "1"), ("query[status]", "on_hold")];
            if !kind.is_empty() {
                form.push(("query[kind]", kind));
            }
            let page: tributary::model::list::Page<tributary::api::types::LedgerRow> =
                app.call_ok(partner, "my_earnings", &form).await;
            let mut kinds: Vec<String> = page.rows.iter().map(|r| r.kind.as_str().to_string()).collect();
            kinds.sort();
            (page.total, kinds)
        }
    };
    assert_eq!(held("").await, (2, vec!["cash".to_string(), "credit".to_string()]));
    assert_eq!(held("cash").await, (1, vec!["cash".to_string()]));
    assert_eq!(held("credit").await, (1, vec!["credit".to_string()]));
}

#[tokio::test]
async fn a_balance_below_the_threshold_rolls_forward_and_is_paid_once_it_crosses() {
    let s = setup("Roller", 0, None).await;
    set_partner(&s.app, &s.partner_id, "payout_threshold_cents", 5_000).await;
    let p = portal(&s).await;
    assert_eq!(p.next.blocker.as_deref(), Some("Your balance $20.00 is below your $50.00 threshold."));
    assert_eq!(run(&s.app).await.payouts_created, 0);
    for n in 1..=3 {
        send(&s.app, &invoice_paid(&format!("e{n}"), &s.workspace, &format!("in{n}"), 10_000)).await;
    }
    // Periods 1 (the conversion), 2 and 3: $60.00 ≥ $50.00.
    let p = portal(&s).await;
    assert_eq!(p.balances.available_cents, 6_000);
    assert_eq!(p.next.blocker, None);
    let done = run(&s.app).await;
    assert_eq!((done.payouts_created, done.total_cents), (1, 6_000));
    // The same period never pays twice, whatever comes in meanwhile.
    send(&s.app, &invoice_paid("e4", &s.workspace, "in4", 10_000)).await;
    send(&s.app, &invoice_paid("e5", &s.workspace, "in5", 10_000)).await;
    send(&s.app, &invoice_paid("e6", &s.workspace, "in6", 10_000)).await;
    assert_eq!(run(&s.app).await.payouts_created, 0);
    next_month(&s.app);
    assert_eq!(run(&s.app).await.total_cents, 6_000);
}

#[tokio::test]
async fn a_refund_after_payout_is_a_clawback_netted_from_the_next_payout() {
    let s = setup("Clawed", 0, None).await;
    send(&s.app, &invoice_paid("e1", &s.workspace, "in_1", 10_000)).await;
    let first = run(&s.app).await;
    assert_eq!(first.total_cents, 2_000);
    let p = portal(&s).await;
    let payout_id = p.payouts[0].id.clone();
    let form = [("payout_id", payout_id.as_str()), ("reference", "TX-1")];
    assert!(s.app.call_ok::<bool>(&s.admin, "mark_payout_paid", &form).await);
    assert!(
        !s.app.call_ok::<bool>(&s.admin, "mark_payout_paid", &form).await,
        "paying twice changes nothing"
    );

    // 30 % of the $100.00 invoice refunded: 30 % of $20.00 = $6.00 comes back.
    assert_eq!(send(&s.app, &refund("r1", "in_1", 3_000)).await.status(), StatusCode::OK);
    assert_eq!(send(&s.app, &refund("r1", "in_1", 3_000)).await.status(), StatusCode::OK);
    let p = portal(&s).await;
    assert_eq!(p.balances.paid_cents, 2_000);
    assert_eq!(p.balances.reversed_cents, 600);
    assert_eq!(p.balances.carry_over_cents, -600);
    assert_eq!(p.balances.available_cents, 0);
    assert!(p.next.blocker.unwrap().contains("clawback of $6.00"));
    // A payout is never negative: the run leaves the partner alone.
    next_month(&s.app);
    assert_eq!(run(&s.app).await.payouts_created, 0);

    send(&s.app, &invoice_paid("e2", &s.workspace, "in_2", 10_000)).await;
    let second = run(&s.app).await;
    assert_eq!((second.payouts_created, second.total_cents), (1, 2_000 - 600));
    let p = portal(&s).await;
    let detail: tributary::api::types::PayoutWithItems =
        s.app.call_ok(&s.partner, "payout_detail", &[("payout_id", &p.payouts[0].id)]).await;
    assert_eq!(detail.items.iter().filter(|i| i.is_clawback).map(|i| i.amount_cents).sum::<i64>(), -600);
    assert_eq!(
        (p.payouts[0].items, detail.payout.items, detail.items.len()),
        (2, 2, 2),
        "the entry and its clawback"
    );
    // The rest of the refund: the entry is reversed to exactly its amount, never past it.
    send(&s.app, &refund("r2", "in_1", 10_000)).await;
    send(&s.app, &refund("r3", "in_1", 10_000)).await;
    assert_eq!(portal(&s).await.balances.reversed_cents, 2_000);
}

#[tokio::test]
async fn a_refund_before_payout_nets_out_and_a_failed_payout_returns_its_entries() {
    let s = setup("Netter", 0, None).await;
    send(&s.app, &invoice_paid("e1", &s.workspace, "in_1", 10_000)).await;
    send(
        &s.app,
        &json!({"id": "r1", "type": "charge.refunded", "data": {"invoice_id": "in_1", "full": true}}),
    )
    .await;
    assert_eq!(portal(&s).await.balances.available_cents, 0);
    assert_eq!(run(&s.app).await.payouts_created, 0);

    send(&s.app, &invoice_paid("e2", &s.workspace, "in_2", 10_000)).await;
    assert_eq!(run(&s.app).await.total_cents, 2_000);
    let id = portal(&s).await.payouts[0].id.clone();
    let form = [("payout_id", id.as_str()), ("reason", "Account closed")];
    assert!(s.app.call_ok::<bool>(&s.admin, "mark_payout_failed", &form).await);
    let p = portal(&s).await;
    assert_eq!((p.balances.available_cents, p.balances.in_payout_cents), (2_000, 0));
    assert_eq!(p.payouts[0].failure_reason.as_deref(), Some("Account closed"));
    let paid = [("payout_id", id.as_str()), ("reference", "late")];
    assert!(
        !s.app.call_ok::<bool>(&s.admin, "mark_payout_paid", &paid).await,
        "a failed payout stays failed"
    );
    next_month(&s.app);
    assert_eq!(run(&s.app).await.total_cents, 2_000);
}

#[tokio::test]
async fn bad_signatures_and_malformed_events_are_refused_and_store_nothing() {
    let s = setup("Guard", 0, None).await;
    let before = count(&s.app, "select count(*) from commissions").await;
    let body = invoice_paid("evt_x", &s.workspace, "in_x", 10_000).to_string();
    let now = s.app.state.db.now_ms() / 1000;
    let post = |sig: Option<String>, body: String| {
        let url = s.app.url("/api/v1/billing/events");
        async move {
            let mut req = common::browser().post(url).body(body);
            if let Some(sig) = sig {
                req = req.header("tributary-signature", sig);
            }
            req.send().await.unwrap().status()
        }
    };
    assert_eq!(post(None, body.clone()).await, StatusCode::UNAUTHORIZED);
    assert_eq!(post(Some(sign("wrong", now, body.as_bytes())), body.clone()).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        post(Some(sign(SECRET, now - 301, body.as_bytes())), body.clone()).await,
        StatusCode::UNAUTHORIZED
    );
    let tampered = body.replace("10000", "99999");
    assert_eq!(post(Some(sign(SECRET, now, body.as_bytes())), tampered).await, StatusCode::UNAUTHORIZED);
    assert_eq!(post(Some("t=abc,v1=00".into()), body.clone()).await, StatusCode::BAD_REQUEST);
    for bad in ["not json", "{\"id\": \"e\"}", "{\"id\": \"e\", \"type\": \"invoice.paid\", \"data\": {}}"] {
        assert_eq!(
            post(Some(sign(SECRET, now, bad.as_bytes())), bad.to_string()).await,
            StatusCode::BAD_REQUEST
        );
    }
    assert_eq!(count(&s.app, "select count(*) from billing_events").await, 0);
    assert_eq!(count(&s.app, "select count(*) from commissions").await, before);

    // Unknown workspace: stored as ignored, never a 500. Unknown invoice: 404, not stored.
    let r = send(&s.app, &invoice_paid("evt_u", "no-such-workspace", "in_u", 100)).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<serde_json::Value>().await.unwrap()["outcome"], "ignored");
    assert_eq!(send(&s.app, &refund("evt_r", "no-such-invoice", 100)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(count(&s.app, "select count(*) from billing_events").await, 1);
    // A refund above the invoice is a 400.
    send(&s.app, &invoice_paid("evt_ok", &s.workspace, "in_ok", 10_000)).await;
    assert_eq!(send(&s.app, &refund("evt_big", "in_ok", 10_001)).await.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_admin_actions_record_invoices_and_refunds_through_the_same_events() {
    let s = setup("Demo", 0, None).await;
    let outcome: tributary::api::types::BillingOutcome = s
        .app
        .call_ok(&s.admin, "record_paid_invoice", &[("workspace_id", &s.workspace), ("amount", "100")])
        .await;
    assert_eq!(outcome.outcome, "applied");
    let outcome: tributary::api::types::BillingOutcome = s
        .app
        .call_ok(&s.admin, "record_paid_invoice", &[("workspace_id", &s.workspace), ("amount", "100")])
        .await;
    assert_eq!(outcome.entries_created, 1, "period 2 earns");
    let invoices: Vec<tributary::api::types::InvoiceView> =
        s.app.call_ok(&s.admin, "workspace_invoices", &[("workspace_id", &s.workspace)]).await;
    assert_eq!(invoices.len(), 2);
    let latest = &invoices[0];
    assert_eq!(latest.period, 2);
    let _: tributary::api::types::BillingOutcome =
        s.app.call_ok(&s.admin, "refund_invoice", &[("invoice_id", &latest.id), ("amount", "50")]).await;
    assert_eq!(portal(&s).await.balances.reversed_cents, 1_000);
    let too_much =
        s.app.call(&s.admin, "refund_invoice", &[("invoice_id", &latest.id), ("amount", "51")]).await;
    assert_eq!(too_much.status(), StatusCode::BAD_REQUEST);
    let unknown = s.app.call(&s.admin, "refund_invoice", &[("invoice_id", "nope"), ("amount", "1")]).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let missing =
        s.app.call(&s.admin, "record_paid_invoice", &[("workspace_id", "nope"), ("amount", "1")]).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let refused = s
        .app
        .call(&s.partner, "record_paid_invoice", &[("workspace_id", &s.workspace), ("amount", "1")])
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

/// Three partners with $20.00 available each.
async fn three_partners() -> (TestApp, Client, Vec<String>) {
    let app = app().await;
    let admin = app.signed_in_admin("admin@example.com").await;
    let plan = app.plan(&admin, "Pro", "100.00").await;
    let mut ids = Vec::new();
    for name in ["Alpha", "Beta", "Gamma"] {
        let id = app.partner(&admin, name, "percent", "20").await;
        terms(&app, &id, 0, None).await;
        let code = name.to_lowercase();
        let (_, ws) = app.referred_customer(&code, &format!("c@{code}.example"), &format!("{name} Co")).await;
        app.activate(&admin, &ws, &plan).await;
        ids.push(id);
    }
    (app, admin, ids)
}

#[tokio::test]
async fn three_runners_started_at_once_make_one_payout_per_due_partner() {
    let (app, _, _) = three_partners().await;
    let app = Arc::new(app);
    let barrier = Arc::new(Barrier::new(3));
    let tasks: Vec<_> = (0..3)
        .map(|_| {
            let (app, barrier) = (app.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                // Not `run`: its open-set check reads two tables one after the other, which
                // another runner's commit can fall between; the check runs once all are done.
                app.run_payouts().await
            })
        })
        .collect();
    let mut created = 0;
    for t in tasks {
        created += t.await.unwrap().payouts_created;
    }
    app.assert_open_set_exact().await;
    assert_eq!(created, 3);
    assert_eq!(count(&app, "select count(*) from payouts").await, 3);
    assert_eq!(count(&app, "select count(distinct partner_id) from payouts").await, 3);
    assert_eq!(count(&app, "select cast(sum(amount_cents) as bigint) from payouts").await, 6_000);
    // Even with the lease out of the way (expired), the keys allow no second payout.
    app.state.db.clock.advance(LEASE_MS + 1);
    assert_eq!(run(&app).await.payouts_created, 0);
}

#[tokio::test]
async fn a_run_killed_between_any_two_statements_then_rerun_pays_exactly_what_a_clean_run_pays() {
    let (app, admin, ids) = three_partners().await;
    let plan_price_cut = 2_000;
    let workspaces: Vec<String> =
        sqlx::query_scalar("select workspace_id from referrals order by workspace_id")
            .fetch_all(&app.state.db.pool)
            .await
            .unwrap();
    let _ = admin;
    let (mut crashed, mut clean_steps) = (0, None);
    for fail_at in 0..24u32 {
        next_month(&app);
        // New earnings for every partner this period: one more paid invoice each.
        for (n, ws) in workspaces.iter().enumerate() {
            let r = send(
                &app,
                &invoice_paid(&format!("e{fail_at}-{n}"), ws, &format!("in{fail_at}-{n}"), 10_000),
            )
            .await;
            assert_eq!(r.status(), StatusCode::OK);
        }
        let owed: i64 = sqlx::query_scalar(
            "select cast(coalesce(sum(c.amount_cents), 0) as bigint) from commissions c where c.kind = 'cash' \
             and not exists (select 1 from payout_items i where i.commission_id = c.id and i.released = 0)",
        )
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
        let before: i64 = count(&app, "select count(*) from payouts").await;
        let faults = Faults::fail_at(fail_at);
        let first =
            payouts::run_with_faults(&app.state.db, &RunRequest::scheduled(StartedFrom::Cli), &faults).await;
        if faults.fired() {
            crashed += 1;
            assert!(first.is_err());
            // The crashed runner never released its lease: the rerun waits it out.
            if fail_at > 0 {
                assert!(run(&app).await.busy);
            }
            app.state.db.clock.advance(LEASE_MS + 1);
        } else {
            clean_steps.get_or_insert(faults.steps_taken());
        }
        run(&app).await;
        let new_payouts = count(&app, "select count(*) from payouts").await - before;
        assert_eq!(new_payouts, 3, "step {fail_at}: one payout per partner");
        let paid_now: i64 = sqlx::query_scalar(
            "select cast(coalesce(sum(amount_cents), 0) as bigint) from payouts where created_at >= $1",
        )
        .bind(app.state.db.now_ms() - LEASE_MS - 1_000)
        .fetch_one(&app.state.db.pool)
        .await
        .unwrap();
        assert_eq!(paid_now, owed, "step {fail_at}: the rerun pays exactly what was owed");
        // Period 1 was the conversion's, so each step's invoices earn $20.00 per partner.
        assert_eq!(owed, 3 * plan_price_cut);
        for id in &ids {
            let b = payouts::balances(&app.state.db, id).await.unwrap();
            assert_eq!(b.available_cents, 0, "step {fail_at}");
        }
    }
    // Lease, run row, candidates, then per batch: batch, begin, create, gather, commit.
    let clean_steps = clean_steps.expect("a run past its last crash point");
    assert!(clean_steps >= 8, "a run passes a crash point between its statements ({clean_steps})");
    assert_eq!(crashed, clean_steps, "a crash was injected at every point");
}

#[tokio::test]
async fn a_run_pays_hundreds_of_partners_in_batches_and_a_second_run_pays_nobody() {
    let app = app().await;
    // 450 partners over three batches; the last has two entries ($39.60), below its $50.00
    // threshold, so it rolls forward while every other partner's three entries are paid.
    crate::payouts_bench::seed(&app, 450, 3 * 450 - 1).await;
    let first = run(&app).await;
    assert_eq!(first.payouts_created, 449);
    assert_eq!(first.total_cents, 449 * 3 * 1_980);
    app.assert_open_set_exact().await;
    assert_eq!(count(&app, "select count(*) from payout_items").await, 449 * 3);
    let unpaid = payouts::balances(&app.state.db, "bp-449").await.unwrap();
    assert_eq!((unpaid.available_cents, unpaid.in_payout_cents), (2 * 1_980, 0));
    let paid = payouts::balances(&app.state.db, "bp-0").await.unwrap();
    assert_eq!((paid.available_cents, paid.in_payout_cents), (0, 3 * 1_980));
    assert_eq!(
        count(&app, "select count(*) from payouts where amount_cents <> 3 * 1980").await,
        0,
        "each payout is the sum of exactly its partner's entries"
    );
    app.state.db.clock.advance(LEASE_MS + 1);
    assert_eq!(run(&app).await.payouts_created, 0);
}

#[tokio::test]
async fn statements_and_exports_are_csv_files_for_the_right_people() {
    let s = setup("Exporter", 0, None).await;
    send(&s.app, &invoice_paid("e1", &s.workspace, "in_1", 10_000)).await;
    let summary = run(&s.app).await;
    let id = portal(&s).await.payouts[0].id.clone();
    let statement =
        s.partner.get(s.app.url(&format!("/api/v1/payouts/{id}/statement.csv"))).send().await.unwrap();
    assert_eq!(statement.status(), StatusCode::OK);
    let text = statement.text().await.unwrap();
    assert!(text.contains("20.00") && text.contains("Exporter Customer"), "{text}");
    let other = s.app.signed_in_user("other@example.com").await;
    let refused = other.get(s.app.url(&format!("/api/v1/payouts/{id}/statement.csv"))).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    for path in [
        "/api/v1/admin/payouts.csv?status=pending".to_string(),
        "/api/v1/admin/commissions.csv?kind=cash".to_string(),
        format!("/api/v1/admin/payout-runs/{}/bank.csv", summary.run_id.unwrap()),
    ] {
        let r = s.admin.get(s.app.url(&path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert!(r.text().await.unwrap().lines().count() >= 1, "{path}");
        let partner = s.partner.get(s.app.url(&path)).send().await.unwrap();
        assert_eq!(partner.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let payouts =
        s.admin.get(s.app.url("/api/v1/admin/payouts.csv")).send().await.unwrap().text().await.unwrap();
    assert_eq!(payouts.lines().count(), 2, "{payouts}");
}

/// Admin → Payouts reads each list with its own bounded query; what it shows must equal
/// the exact classification (the run preview's) in name order, across query windows:
/// 210 bank partners are due but pass the upcoming query's filter, and the partners that
/// are upcoming sort after them ("Bench partner 95" > "Bench partner 229"), so the list is
/// only right if it reads past its first windows.
#[tokio::test]
async fn the_admin_payout_lists_match_the_run_preview_across_windows_and_after_a_run() {
    let app = app().await;
    crate::payouts_bench::seed(&app, 240, 3 * 240 - 1).await;
    let db = &app.state.db;
    let pool = &db.pool;
    let exec = |sql: &'static str| async move {
        sqlx::query(sql).execute(pool).await.expect(sql);
    };
    exec("update partners set payout_method = 'bank', payout_details = '{\"holder\": \"A\", \"account\": \"DE89\"}' \
          where cast(substr(id, 4) as integer) between 20 and 229")
        .await;
    exec(
        "update partners set payout_method = 'stripe', \
          payout_details = '{\"stripe_account\": \"acct_1\", \"transfers_ready\": false}' where id = 'bp-95'",
    )
    .await;
    exec("update partners set payout_frequency = 'manual' where id = 'bp-96'").await;
    exec("update partners set status = 'suspended' where id = 'bp-98'").await;
    let later = db.now_ms() + 10 * tributary::server::db::DAY_MS;
    for table in ["commissions", "open_entries"] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "update {table} set available_at = $1 where partner_id = 'bp-97'"
        )))
        .bind(later)
        .execute(pool)
        .await
        .unwrap();
    }
    exec("insert into commissions (id, partner_id, referral_id, workspace_id, plan_id, kind, amount_cents, currency, \
          rule_source, rule_kind, rule_value, period, status, idempotency_key, created_at, available_at) \
          values ('claw-99', 'bp-99', 'br-99', 'bw-c-99', 'bench-plan', 'cash', -10000, 'USD', 'default', 'percent', \
          2000, 9, 'reversed', 'claw:99', 0, 0)")
        .await;
    exec(
        "insert into open_entries (commission_id, partner_id, amount_cents, available_at) \
          values ('claw-99', 'bp-99', -10000, 0)",
    )
    .await;
    // bp-90's held entries cancel out: nothing on hold, so not in the held list.
    let held_entry = [
        "insert into commissions (id, partner_id, referral_id, workspace_id, plan_id, kind, amount_cents, \
         currency, rule_source, rule_kind, rule_value, period, status, idempotency_key, created_at, \
         available_at) values ($1, 'bp-90', 'br-90', 'bw-c-90', 'bench-plan', 'cash', $2, 'USD', 'default', \
         'percent', 2000, 9, 'pending', $1, 0, $3)",
        "insert into open_entries (commission_id, partner_id, amount_cents, available_at) \
         values ($1, 'bp-90', $2, $3)",
    ];
    for (id, cents) in [("held-90a", 500), ("held-90b", -500)] {
        for sql in held_entry {
            sqlx::query(sql).bind(id).bind(cents).bind(later).execute(pool).await.unwrap();
        }
    }
    tributary::server::db::rollups::rebuild(db).await.unwrap();
    app.assert_open_set_exact().await;

    let ids = |lines: &[tributary::api::types::PartnerPayoutLine]| {
        lines.iter().map(|l| l.partner_id.clone()).collect::<Vec<_>>()
    };
    let check = || async {
        same_either_way(db).await;
        let preview = payouts::preview(db).await.unwrap();
        let overview = payouts::admin_overview(db).await.unwrap();
        let expect = |due: bool| {
            preview.iter().filter(|l| l.due == due).take(50).map(|l| l.partner_id.clone()).collect::<Vec<_>>()
        };
        assert_eq!(ids(&overview.due), expect(true), "due now");
        assert_eq!(ids(&overview.upcoming), expect(false), "upcoming");
        overview
    };
    let before = check().await;
    assert_eq!(before.due.len(), 50);
    for special in ["bp-95", "bp-96", "bp-98", "bp-239"] {
        assert!(ids(&before.upcoming).contains(&special.to_string()), "{special} is upcoming");
    }
    assert_eq!(ids(&before.held), ["bp-97"]);
    assert_eq!(ids(&before.negative), ["bp-99"]);
    assert_eq!(before.negative[0].available_cents, 3 * 1_980 - 10_000);

    let summary = run(&app).await;
    assert_eq!(summary.payouts_created, 240 - 6, "all but the five held back and the clawed-back one");
    let after = check().await;
    assert!(after.due.is_empty(), "everyone due was paid this period");
    assert_eq!(ids(&after.held), ["bp-97"]);
    assert_eq!(ids(&after.negative), ["bp-99"]);

    // Cash again for two partners paid this month: not due until the period turns...
    for (n, partner) in
        [(0, "bp-100"), (1, "bp-100"), (2, "bp-100"), (3, "bp-101"), (4, "bp-101"), (5, "bp-101")]
    {
        sqlx::query(
            "insert into commissions (id, partner_id, referral_id, workspace_id, plan_id, kind, amount_cents, \
             currency, rule_source, rule_kind, rule_value, period, status, idempotency_key, created_at, \
             available_at) values ($1, $2, 'br-1', 'bw-c-1', 'bench-plan', 'cash', 1980, 'USD', 'default', \
             'percent', 2000, 99, 'pending', $1, 0, 0)",
        )
        .bind(format!("again-{n}"))
        .bind(partner)
        .execute(pool)
        .await
        .unwrap();
    }
    exec(
        "insert into open_entries (commission_id, partner_id, amount_cents, available_at) \
          select id, partner_id, amount_cents, available_at from commissions where id like 'again-%'",
    )
    .await;
    tributary::server::db::rollups::rebuild(db).await.unwrap();
    assert!(check().await.due.is_empty(), "both were paid this month");
    // ...or, for one of them, its schedule: on a weekly one it has no payout this week yet.
    let admin = app.signed_in_admin("admin@example.com").await;
    let weekly = common::settings_form("bp-100", &[("payout_frequency", "weekly")]);
    assert_eq!(app.call(&admin, "update_partner_settings", &weekly).await.status(), StatusCode::OK);
    app.assert_rollups_exact().await;
    assert_eq!(ids(&check().await.due), ["bp-100"]);
    assert_eq!(run(&app).await.payouts_created, 1);
    app.assert_rollups_exact().await;
    assert!(check().await.due.is_empty(), "bp-100 was paid this week");
    // A month on, the other one's period has turned (and bp-97's held entries are released).
    db.clock.advance(35 * tributary::server::db::DAY_MS);
    assert_eq!(ids(&check().await.due), ["bp-101", "bp-97"]);
}

/// Admin → Payouts reads the due and held lists either by walking partners in name order or
/// from their few candidates first (`payouts::Reading`), whichever is cheaper now: both must
/// list the same partners with the same figures.
async fn same_either_way(db: &tributary::server::db::Db) {
    use tributary::domain::payouts::PayoutFrequency as F;
    use tributary::server::db::payouts::{OverviewList, PeriodKeys, Reading, overview_window};
    let now = db.now_ms();
    let today = tributary::server::tz::local_date(now, "UTC");
    let keys = PeriodKeys {
        weekly: F::Weekly.period_key_suffix(today),
        monthly: F::Monthly.period_key_suffix(today),
        quarterly: F::Quarterly.period_key_suffix(today),
        manual: F::Manual.period_key_suffix(today),
    };
    for list in [OverviewList::Due, OverviewList::Held] {
        let read = |reading| {
            let keys = &keys;
            async move {
                let rows =
                    overview_window(&db.pool, (list, reading), now, keys, ("", ""), 100_000).await.unwrap();
                let lines: Vec<_> = rows
                    .into_iter()
                    .map(|r| {
                        (r.balance.partner_id, r.taken, r.balance.available_cents, r.balance.on_hold_cents)
                    })
                    .collect();
                lines
            }
        };
        assert_eq!(read(Reading::FewFirst).await, read(Reading::ByName).await, "{list:?}");
    }
}

/// A partner whose balance drops below its threshold between the run reading the
/// candidates and paying their batch (a refund's clawback lands in between) is left out,
/// and the batch is paid again without it: no payout below a threshold is ever kept.
#[tokio::test]
async fn a_clawback_landing_mid_run_drops_that_partner_from_its_batch_and_pays_the_rest() {
    let app = app().await;
    crate::payouts_bench::seed(&app, 3, 9).await;
    let db = &app.state.db;
    let barrier = Arc::new(Barrier::new(2));
    // Lease, run row, candidates; step 3 comes before the batch's first statement.
    let faults = Faults::pause_at(3, barrier.clone());
    let req = RunRequest::scheduled(StartedFrom::Cli);
    let clawback = async {
        barrier.wait().await;
        for sql in [
            "insert into commissions (id, partner_id, referral_id, workspace_id, plan_id, kind, amount_cents, \
             currency, rule_source, rule_kind, rule_value, period, status, idempotency_key, created_at, available_at) \
             values ('claw-1', 'bp-1', 'br-1', 'bw-c-1', 'bench-plan', 'cash', -2000, 'USD', 'default', 'percent', \
             2000, 9, 'reversed', 'claw:1', 0, 0)",
            "insert into open_entries (commission_id, partner_id, amount_cents, available_at) \
             values ('claw-1', 'bp-1', -2000, 0)",
        ] {
            sqlx::query(sql).execute(&db.pool).await.expect(sql);
        }
        barrier.wait().await;
    };
    let (summary, ()) = tokio::join!(payouts::run_with_faults(db, &req, &faults), clawback);
    let summary = summary.unwrap();
    assert_eq!((summary.payouts_created, summary.total_cents), (2, 2 * 3 * 1_980));
    tributary::server::db::rollups::rebuild(db).await.unwrap();
    app.assert_open_set_exact().await;
    assert_eq!(count(&app, "select count(*) from payouts where partner_id = 'bp-1'").await, 0);
    let left = payouts::balances(db, "bp-1").await.unwrap();
    assert_eq!((left.available_cents, left.in_payout_cents), (3 * 1_980 - 2_000, 0));
    for paid in ["bp-0", "bp-2"] {
        assert_eq!(payouts::balances(db, paid).await.unwrap().in_payout_cents, 3 * 1_980);
    }
}

/// The overview's "at the next run" — the open cash available now of the partners past the
/// payout gate, read from the open cash per release hour, this hour's entries and the
/// partners outside the gate — equals the same sum over the raw open set: through an entry
/// released within the current hour, a suspended partner's cash, a run and a failed payout.
#[tokio::test]
async fn the_overviews_next_run_equals_the_raw_open_set_through_holds_suspension_runs_and_failures() {
    let s = setup("Nexter", 0, None).await;
    let (app, db) = (&s.app, &s.app.state.db);
    let check = |label: &'static str| async move {
        let now = db.now_ms();
        let kept = tributary::server::db::overview::now(&db.pool, now).await.unwrap().next_run_cents;
        let raw: i64 = sqlx::query_scalar(
            "select cast(coalesce(sum(o.amount_cents), 0) as bigint) from open_entries o \
             join partners p on p.id = o.partner_id \
             where o.available_at <= $1 and p.status = 'approved' and p.approved_at is not null",
        )
        .bind(now)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(kept, raw, "{label}");
        app.assert_open_set_exact().await;
        kept
    };
    assert_eq!(check("the conversion's entry, available at once").await, 2_000);
    set_partner(&s.app, &s.partner_id, "hold_days", 30).await;
    // Invoice 1 is the conversion's period; invoice 2 earns an entry, on hold.
    send(&s.app, &invoice_paid("e1", &s.workspace, "in_1", 10_000)).await;
    send(&s.app, &invoice_paid("e2", &s.workspace, "in_2", 10_000)).await;
    assert_eq!(check("an entry on hold is not in the next run").await, 2_000);

    let plan: String = sqlx::query_scalar("select id from plans").fetch_one(&db.pool).await.unwrap();
    let paused = s.app.partner(&s.admin, "Paused", "percent", "10").await;
    let (_, paused_ws) = s.app.referred_customer("paused", "c@paused.example", "Paused Co").await;
    assert_eq!(s.app.activate(&s.admin, &paused_ws, &plan).await.status(), StatusCode::OK);
    assert_eq!(check("a second partner's entry").await, 3_000);
    let set_state = |state: &'static str| {
        let paused = paused.clone();
        async move {
            sqlx::query("update partners set status = $1 where id = $2")
                .bind(state)
                .bind(paused)
                .execute(&db.pool)
                .await
                .unwrap();
        }
    };
    set_state("suspended").await;
    assert_eq!(check("a suspended partner's cash is not paid").await, 2_000);

    // The held entry comes free partway through an hour.
    let release: i64 = sqlx::query_scalar("select max(available_at) from open_entries where partner_id = $1")
        .bind(&s.partner_id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let held_and_available = || async {
        let b = payouts::balances(db, &s.partner_id).await.unwrap();
        (b.on_hold_cents, b.available_cents)
    };
    // The clock is the wall clock moved forward, so "before" is a minute before (the
    // checks take far less) and "at" is the release or a few milliseconds after.
    db.clock.advance(release - db.now_ms() - 60_000);
    assert_eq!(check("a minute before its release").await, 2_000);
    assert_eq!(held_and_available().await, (2_000, 2_000), "the partner's balances agree");
    db.clock.advance(release - db.now_ms());
    assert_eq!(check("at its release, within the hour").await, 4_000);
    assert_eq!(held_and_available().await, (0, 4_000));
    db.clock.advance(3_600_000);
    assert_eq!(check("an hour later").await, 4_000);

    assert_eq!(run(&s.app).await.total_cents, 4_000);
    assert_eq!(check("the run took the available cash").await, 0);
    let id = portal(&s).await.payouts[0].id.clone();
    let form = [("payout_id", id.as_str()), ("reason", "Account closed")];
    assert!(s.app.call_ok::<bool>(&s.admin, "mark_payout_failed", &form).await);
    assert_eq!(check("a failed payout's entries are back").await, 4_000);
    set_state("approved").await;
    assert_eq!(check("the reinstated partner's cash is back in").await, 5_000);
}

/// A new entry released at once lands in the hour a payout batch is taking cash out of,
/// while the batch is between its snapshot and its gathering: the run still pays (on
/// Postgres the batch holds the open cash per release hour from before its snapshot, so
/// the entry waits instead of making the batch's update a concurrent one it must refuse),
/// the entry stays open, and every figure equals the raw rows.
#[tokio::test]
async fn an_entry_landing_in_the_hour_a_run_is_gathering_waits_and_both_count_once() {
    let s = setup("Gatherer", 0, None).await;
    let (app, db) = (&s.app, &s.app.state.db);
    send(app, &invoice_paid("e1", &s.workspace, "in_1", 10_000)).await;
    let request = signed(app, &invoice_paid("e2", &s.workspace, "in_2", 10_000));
    let (summary, status) = while_a_batch_gathers(&s, request).await;
    assert_eq!(summary.expect("the run pays").total_cents, 2_000, "the conversion's entry");
    assert_eq!(status, StatusCode::OK, "the invoice's entry is written");
    assert_eq!(app.available_cents(&s.partner_id).await, 2_000, "the new entry stays open");
    let now = db.now_ms();
    let next = tributary::server::db::overview::now(&db.pool, now).await.unwrap().next_run_cents;
    assert_eq!(next, 2_000);
    app.assert_open_set_exact().await;
}

/// An admin moves a partner to a weekly schedule while a payout batch paying it monthly is
/// between its snapshot and its gathering: the change waits for the batch (on Postgres the
/// batch holds the paid periods from before its snapshot; without that, the schedule change
/// commits in between and the batch must refuse its own rewrite of the partner's period as
/// a concurrent update), and the partner's paid period ends up as its payouts say: no
/// weekly payout yet.
#[tokio::test]
async fn a_schedule_change_during_a_payout_batch_waits_and_the_paid_period_is_exact() {
    let s = setup("Rescheduled", 0, None).await;
    let form = common::settings_form(&s.partner_id, &[("payout_frequency", "weekly")]);
    let request = s.app.call_request(&s.admin, "update_partner_settings", &form);
    let (summary, status) = while_a_batch_gathers(&s, request).await;
    assert_eq!(summary.expect("the run pays").total_cents, 2_000, "the conversion's entry");
    assert_eq!(status, StatusCode::OK, "the schedule is changed");
    s.app.assert_rollups_exact().await;
    let suffix: String = sqlx::query_scalar("select paid_suffix from payout_periods where partner_id = $1")
        .bind(&s.partner_id)
        .fetch_one(&s.app.state.db.pool)
        .await
        .unwrap();
    assert_eq!(suffix, "", "paid monthly, never weekly");
}

/// Runs a payout run that pauses between its batch's snapshot and its gathering, sends
/// `request` there, and lets the batch go on once the request has finished or waits for it
/// (a lock not granted on Postgres; on SQLite the batch holds the only write lock).
async fn while_a_batch_gathers(
    s: &Setup,
    request: reqwest::RequestBuilder,
) -> (Result<RunSummary, tributary::model::AppError>, StatusCode) {
    let db = &s.app.state.db;
    let barrier = Arc::new(Barrier::new(2));
    // Lease, run row, candidates, the batch, its transaction; step 5 comes after its
    // payouts are created (the snapshot is taken) and before their entries are gathered.
    let faults = Faults::pause_at(5, barrier.clone());
    let req = RunRequest::scheduled(StartedFrom::Cli);
    let sent = async {
        barrier.wait().await;
        let sending = tokio::spawn(async move { request.send().await.unwrap().status() });
        if db.backend == tributary::server::db::Backend::Postgres {
            loop {
                let waiting: i64 = sqlx::query_scalar("select count(*) from pg_locks where not granted")
                    .fetch_one(&db.pool)
                    .await
                    .unwrap();
                if waiting > 0 || sending.is_finished() {
                    break;
                }
                tokio::task::yield_now().await;
            }
        }
        barrier.wait().await;
        sending.await.unwrap()
    };
    tokio::join!(payouts::run_with_faults(db, &req, &faults), sent)
}
