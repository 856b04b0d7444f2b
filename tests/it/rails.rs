//! Payout rails (issue #12) through the real app against the fake Stripe
//! (`tributary::fake_rails::stripe`): transfers that are never sent twice whatever the
//! server does, connected-account onboarding, and signed webhooks.
use crate::common;

use std::sync::Arc;
use std::time::Duration;

use common::{TestApp, spawn_app_with};
use reqwest::StatusCode;
use serde_json::Value;
use tokio::sync::Barrier;
use tributary::fake_rails::stripe::{Call, FakeStripe, Fault};
use tributary::model::rails::StripeConnection;
use tributary::server::rails::stripe::StripeSettings;
use tributary::server::services::payouts;
use tributary::server::services::rail_dispatch::DispatchSummary;
use tributary::server::services::stripe_connect;

const SECRET_KEY: &str = "sk_test_fake_secret_key_123";
const WEBHOOK_SECRET: &str = "whsec_fake_webhook_secret";

struct Rig {
    app: TestApp,
    fake: FakeStripe,
    partner_id: String,
    account_id: String,
}

async fn fake(key_ttl: Duration) -> FakeStripe {
    FakeStripe::start(SECRET_KEY, WEBHOOK_SECRET, key_ttl, 0).await.expect("fake stripe")
}

/// An app wired to a fake Stripe with one partner earning $20.00 (not connected yet).
struct Bare {
    app: TestApp,
    fake: FakeStripe,
    partner_id: String,
    partner: reqwest::Client,
    admin: reqwest::Client,
}

async fn bare() -> Bare {
    let fake = fake(Duration::from_secs(24 * 3600)).await;
    let base = fake.base().to_string();
    let app = spawn_app_with(|c| {
        c.session_ttl_days = 3_650;
        c.stripe = StripeSettings {
            secret_key: Some(SECRET_KEY.into()),
            webhook_secret: Some(WEBHOOK_SECRET.into()),
            api_base: base,
            timeout: Duration::from_millis(700),
            reconcile_after_ms: 0,
        };
    })
    .await;
    let db = app.state.db.clone();
    fake.set_clock(Arc::new(move || db.now_ms()));
    fake.set_webhook_url(&app.url("/api/v1/stripe/webhook"));
    let admin = app.signed_in_admin("admin@example.com").await;
    let plan = app.plan(&admin, "Pro", "100.00").await;
    let partner_id = app.partner(&admin, "Railer", "percent", "20").await;
    let partner = app.partner_user(&admin, &partner_id, "p@railer.example").await;
    let (_, workspace) = app.referred_customer("railer", "c@railer.example", "Railer Customer").await;
    assert_eq!(app.activate(&admin, &workspace, &plan).await.status(), StatusCode::OK);
    Bare { app, fake, partner_id, partner, admin }
}

/// [`bare`] whose partner has connected Stripe (`complete` = finished onboarding on
/// the fake's page).
async fn rig(complete: bool) -> Rig {
    let Bare { app, fake, partner_id, .. } = bare().await;
    let link = stripe_connect::start_onboarding(
        &app.state.db,
        &app.state.rails,
        &partner_id,
        None,
        "http://back.example/r",
    )
    .await
    .expect("account link");
    let account_id = link.rsplit('/').next().unwrap().to_string();
    assert!(account_id.starts_with("acct_"), "{link}");
    if complete {
        // The partner presses "Complete onboarding": the fake delivers account.updated
        // (signed) to the app and redirects back.
        let r = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .post(format!("{link}/complete"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(r.headers()["location"], "http://back.example/r");
        let c = stripe_connect::connection(&app.state.db, &app.state.rails, &partner_id).await.unwrap();
        assert!(c.account.expect("recorded").ready, "the webhook recorded the enabled account");
    }
    Rig { app, fake, partner_id, account_id }
}

/// (status, external reference) of every payout, oldest first.
async fn payouts_of(app: &TestApp) -> Vec<(String, Option<String>)> {
    sqlx::query_as("select status, external_reference from payouts order by created_at, id")
        .fetch_all(&app.state.db.pool)
        .await
        .unwrap()
}

/// (attempt, outcome, idempotency key) of every attempt.
async fn attempts(app: &TestApp) -> Vec<(i64, String, String)> {
    sqlx::query_as(
        "select attempt, outcome, idempotency_key from payout_attempts order by payout_id, attempt",
    )
    .fetch_all(&app.state.db.pool)
    .await
    .unwrap()
}

fn transfer_ids(fake: &FakeStripe) -> Vec<String> {
    fake.transfers().iter().map(|t| t["id"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn a_dropped_response_then_a_rerun_makes_exactly_one_transfer_and_pays_the_payout() {
    let r = rig(true).await;
    r.fake.inject(Call::CreateTransfer, Fault::DropResponse);
    assert_eq!(r.app.run_payouts().await.payouts_created, 1);
    let first = r.app.dispatch_rails().await;
    assert_eq!((first.paid, first.unknown), (0, 1));
    assert_eq!(payouts_of(&r.app).await[0].0, "processing", "an unknown outcome stays processing");
    assert_eq!(attempts(&r.app).await[0].1, "unknown");
    assert_eq!(r.fake.transfers().len(), 1, "the fake committed the transfer");

    let second = r.app.dispatch_rails().await;
    assert_eq!(second.paid, 1);
    let ids = transfer_ids(&r.fake);
    assert_eq!(ids.len(), 1, "the reconcile lookup found it; nothing was sent again");
    assert_eq!(payouts_of(&r.app).await, vec![("paid".to_string(), Some(ids[0].clone()))]);
    assert_eq!(r.fake.transfers()[0]["amount"], 2_000);
    assert_eq!(r.fake.transfers()[0]["destination"], r.account_id.as_str());
    assert_eq!(attempts(&r.app).await.len(), 1, "no second attempt was opened");
    assert_eq!(r.fake.transfer_requests(), 1);
    // Nothing left to do: more dispatches and runs send nothing.
    assert_eq!(r.app.dispatch_rails().await, DispatchSummary::default());
    assert_eq!(r.app.run_payouts().await.payouts_created, 0);
    assert_eq!(r.fake.transfers().len(), 1);
}

#[tokio::test]
async fn a_500_after_commit_is_reconciled_to_the_one_transfer_it_made() {
    let r = rig(true).await;
    r.fake.inject(Call::CreateTransfer, Fault::ErrorAfterCommit);
    r.app.run_payouts().await;
    assert_eq!(r.app.dispatch_rails().await.unknown, 1);
    assert_eq!(payouts_of(&r.app).await[0].0, "processing");
    assert_eq!(r.app.dispatch_rails().await.paid, 1);
    assert_eq!(r.fake.transfers().len(), 1);
    assert_eq!(payouts_of(&r.app).await[0].1.as_deref(), Some(transfer_ids(&r.fake)[0].as_str()));
}

#[tokio::test]
async fn keys_expiring_between_attempts_still_leave_one_transfer() {
    let r = rig(true).await;
    r.fake.inject(Call::CreateTransfer, Fault::ErrorAfterCommit);
    r.app.run_payouts().await;
    assert_eq!(r.app.dispatch_rails().await.unknown, 1);
    // Stripe forgets keys after about a day: a retry under the old key would now make a
    // second transfer. The lookup by transfer group does not depend on the key.
    r.fake.expire_keys();
    assert_eq!(r.app.dispatch_rails().await.paid, 1);
    assert_eq!(r.fake.transfers().len(), 1);
    assert_eq!(r.fake.transfer_requests(), 1, "no call was repeated");
}

#[tokio::test]
async fn a_hang_that_made_nothing_is_proved_absent_and_the_next_attempt_pays_once_under_a_new_key() {
    let r = rig(true).await;
    r.fake.inject(Call::CreateTransfer, Fault::Hang);
    r.app.run_payouts().await;
    assert_eq!(r.app.dispatch_rails().await.unknown, 1);
    assert!(r.fake.transfers().is_empty());
    // The lookup itself fails first: still unknown, nothing sent.
    r.fake.inject(Call::ListTransfers, Fault::ErrorBeforeCommit);
    assert_eq!(r.app.dispatch_rails().await.unknown, 1);
    assert_eq!(r.fake.transfer_requests(), 1);
    assert_eq!(payouts_of(&r.app).await[0].0, "processing");

    assert_eq!(r.app.dispatch_rails().await.paid, 1);
    assert_eq!(r.fake.transfers().len(), 1);
    let a = attempts(&r.app).await;
    assert_eq!(
        a.iter().map(|(n, o, _)| (*n, o.as_str())).collect::<Vec<_>>(),
        [(1, "absent"), (2, "succeeded")]
    );
    assert_ne!(a[0].2, a[1].2, "the second attempt carries its own key");
    assert_eq!(r.fake.transfers()[0]["metadata"]["attempt"], "2");
}

#[tokio::test]
async fn a_refused_transfer_fails_the_payout_and_returns_its_items() {
    let r = rig(true).await;
    // Stripe restricts the account but the app has not heard yet.
    r.fake.set_enabled(&r.account_id, false).unwrap();
    r.app.run_payouts().await;
    assert_eq!(r.app.available_cents(&r.partner_id).await, 0);
    assert_eq!(r.app.dispatch_rails().await.failed, 1);
    assert_eq!(payouts_of(&r.app).await[0].0, "failed");
    assert!(r.fake.transfers().is_empty());
    assert_eq!(r.app.available_cents(&r.partner_id).await, 2_000);
}

#[tokio::test]
async fn a_partner_whose_account_cannot_receive_transfers_is_skipped_with_the_reason() {
    let r = rig(false).await;
    let preview = payouts::preview(&r.app.state.db).await.unwrap();
    let line = preview.iter().find(|l| l.partner_id == r.partner_id).expect("listed");
    assert!(!line.due);
    assert!(line.blocker.as_deref().unwrap().contains("finish Stripe onboarding"), "{:?}", line.blocker);
    assert_eq!(r.app.run_payouts().await.payouts_created, 0);
    assert_eq!(r.app.dispatch_rails().await, DispatchSummary::default());
    assert!(r.fake.transfers().is_empty());
    // Enabled later (account.updated): the next run pays.
    let event = r.fake.set_enabled(&r.account_id, true).unwrap();
    assert_eq!(r.fake.deliver(&event).await, Some(200));
    assert_eq!(r.app.run_payouts().await.payouts_created, 1);
    assert_eq!(r.app.dispatch_rails().await.paid, 1);
}

#[tokio::test]
async fn a_reversed_transfer_returns_the_items_and_the_next_run_pays_them_once() {
    let r = rig(true).await;
    r.app.run_payouts().await;
    assert_eq!(r.app.dispatch_rails().await.paid, 1);
    assert_eq!(r.app.available_cents(&r.partner_id).await, 0);
    let transfer = transfer_ids(&r.fake)[0].clone();
    let event = r.fake.reverse(&transfer).unwrap();
    assert_eq!(r.fake.deliver(&event).await, Some(200));
    assert_eq!(payouts_of(&r.app).await[0].0, "failed");
    assert_eq!(r.app.available_cents(&r.partner_id).await, 2_000);
    // Stripe retries the event: nothing more happens.
    assert_eq!(r.fake.deliver(&event).await, Some(200));
    assert_eq!(r.app.available_cents(&r.partner_id).await, 2_000);

    r.app.state.db.clock.advance_days(31);
    assert_eq!(r.app.run_payouts().await.payouts_created, 1);
    assert_eq!(r.app.dispatch_rails().await.paid, 1);
    assert_eq!(r.app.run_payouts().await.payouts_created, 0);
    assert_eq!(r.app.dispatch_rails().await, DispatchSummary::default());
    let transfers = r.fake.transfers();
    assert_eq!(transfers.len(), 2);
    assert_eq!(
        (transfers[0]["reversed"].clone(), transfers[1]["reversed"].clone()),
        (Value::Bool(true), Value::Bool(false))
    );
    assert_eq!(transfers[1]["amount"], 2_000);
    assert_eq!(r.app.available_cents(&r.partner_id).await, 0);
}

#[tokio::test]
async fn one_webhook_event_delivered_100_times_at_once_has_one_effect() {
    let r = rig(true).await;
    r.app.run_payouts().await;
    r.app.dispatch_rails().await;
    let event = r.fake.reverse(&transfer_ids(&r.fake)[0]).unwrap();
    let fake = Arc::new(r.fake.clone());
    let barrier = Arc::new(Barrier::new(100));
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let (fake, barrier, event) = (fake.clone(), barrier.clone(), event.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                fake.deliver(&event).await
            })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap(), Some(200));
    }
    assert_eq!(r.app.count("select count(*) from stripe_events where type = 'transfer.reversed'").await, 1);
    r.app.assert_open_set_exact().await;
    assert_eq!(
        r.app
            .count(
                "select count(*) from stripe_events where outcome = 'applied' and type = 'transfer.reversed'"
            )
            .await,
        1
    );
    assert_eq!(r.app.count("select count(*) from payouts where status = 'failed'").await, 1);
    assert_eq!(r.app.available_cents(&r.partner_id).await, 2_000, "the items came back once");
}

#[tokio::test]
async fn forged_missing_and_stale_signatures_are_refused_and_store_nothing() {
    let r = rig(true).await;
    r.app.run_payouts().await;
    r.app.dispatch_rails().await;
    let events_before = r.app.count("select count(*) from stripe_events").await;
    let event = r.fake.reverse(&transfer_ids(&r.fake)[0]).unwrap().to_string();
    let url = r.app.url("/api/v1/stripe/webhook");
    let now = r.app.state.db.now_ms() / 1000;
    let forged = tributary::server::billing_webhook::sign("whsec_someone_else", now, event.as_bytes());
    let stale = tributary::server::billing_webhook::sign(WEBHOOK_SECRET, now - 301, event.as_bytes());
    let other_body = tributary::server::billing_webhook::sign(WEBHOOK_SECRET, now, b"{}");
    for signature in [Some(forged), Some(stale), Some(other_body), Some("t=1,v1=zz".to_string()), None] {
        let mut req =
            common::browser().post(&url).header("content-type", "application/json").body(event.clone());
        if let Some(s) = signature {
            req = req.header("stripe-signature", s);
        }
        assert_eq!(req.send().await.unwrap().status(), StatusCode::BAD_REQUEST);
    }
    assert_eq!(r.app.count("select count(*) from stripe_events").await, events_before);
    assert_eq!(payouts_of(&r.app).await[0].0, "paid");
    // Two v1 signatures (a rotating secret), one right: accepted.
    let good = r.fake.signature(&event);
    let both = format!("{good},v1={}", "00".repeat(32));
    let ok = common::browser()
        .post(&url)
        .header("stripe-signature", both)
        .body(event.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(payouts_of(&r.app).await[0].0, "failed");
}

#[tokio::test]
async fn unknown_event_types_and_accounts_are_acknowledged_and_recorded_only() {
    let r = rig(true).await;
    let unknown_type =
        serde_json::json!({"id": "evt_x1", "type": "charge.dispute.created", "data": {"object": {}}});
    let unknown_account = serde_json::json!({"id": "evt_x2", "type": "account.updated", "account": "acct_nobody",
        "data": {"object": {"id": "acct_nobody", "payouts_enabled": true, "capabilities": {"transfers": "active"}}}});
    assert_eq!(r.fake.deliver(&unknown_type).await, Some(200));
    assert_eq!(r.fake.deliver(&unknown_account).await, Some(200));
    assert_eq!(
        r.app
            .count("select count(*) from stripe_events where outcome in ('ignored', 'unknown account')")
            .await,
        2
    );
    assert_eq!(r.app.count("select count(*) from stripe_accounts").await, 1);
}

#[tokio::test]
async fn a_partner_connects_stripe_from_the_portal_and_only_ever_sees_its_own_account() {
    let b = bare().await;
    let before: StripeConnection = b.app.call_ok(&b.partner, "my_stripe", &[("refresh", "false")]).await;
    assert!(before.available && before.account.is_none());
    // The portal's button is a plain form post: the answer sends the browser to Stripe.
    let post = |client: &reqwest::Client, endpoint: &str| {
        client
            .post(b.app.url(&format!("/api/{endpoint}")))
            .header("origin", b.app.base.clone())
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html,application/xhtml+xml")
            .body("")
            .send()
    };
    let page = b.partner.get(b.app.url("/partners/payouts")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Stripe Connect") && html.contains("Connect Stripe"),
        "the portal offers to connect"
    );
    let r = post(&b.partner, "connect_stripe").await.unwrap();
    assert!(r.status().is_redirection(), "{}", r.status());
    let link = r.headers()["location"].to_str().unwrap().to_string();
    assert!(link.starts_with(b.fake.base()) && link.contains("/onboard/acct_"), "{link}");
    // Connecting again reuses the account.
    let again = post(&b.partner, "connect_stripe").await.unwrap();
    assert_eq!(again.headers()["location"].to_str().unwrap(), link);
    assert_eq!(b.app.count("select count(*) from stripe_accounts").await, 1);

    let page = reqwest::get(&link).await.unwrap().text().await.unwrap();
    assert!(page.contains("Complete onboarding"));
    let account_id = link.rsplit('/').next().unwrap().to_string();
    // Stripe enables the account; the return URL refreshes without waiting for a webhook.
    b.fake.set_enabled(&account_id, true).unwrap();
    let after: StripeConnection = b.app.call_ok(&b.partner, "my_stripe", &[("refresh", "true")]).await;
    let a = after.account.clone().expect("account");
    assert!(a.ready && a.details_submitted && a.payouts_enabled && a.transfers == "active");
    assert_eq!(a.account_id, account_id);
    let html = b
        .partner
        .get(b.app.url("/partners/payouts?stripe=return"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Ready for payouts") && html.contains(&account_id), "the status is shown");
    let dash = post(&b.partner, "stripe_dashboard").await.unwrap();
    assert!(dash.headers()["location"].to_str().unwrap().contains("/express/"));

    // The admin sees it; the partner may not ask about partners (its own or others').
    let seen: StripeConnection =
        b.app.call_ok(&b.admin, "partner_stripe", &[("partner_id", b.partner_id.as_str())]).await;
    assert_eq!(seen.account.unwrap().account_id, account_id);
    let admin_page =
        b.admin.get(b.app.url(&format!("/admin/partners/{}", b.partner_id))).send().await.unwrap();
    let admin_html = admin_page.text().await.unwrap();
    assert!(admin_html.contains(&account_id) && admin_html.contains("Ready for payouts"));
    assert!(!admin_html.contains(SECRET_KEY));
    let r = b.app.call(&b.partner, "partner_stripe", &[("partner_id", b.partner_id.as_str())]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // No page or answer carries a secret.
    for body in [page, serde_json::to_string(&after).unwrap()] {
        assert!(!body.contains(SECRET_KEY) && !body.contains(WEBHOOK_SECRET));
    }
    assert!(!format!("{:?}", b.app.state.config).contains(SECRET_KEY));
    assert!(!format!("{:?}", b.app.state.rails).contains(SECRET_KEY));
}

#[tokio::test]
async fn concurrent_dispatchers_send_one_transfer_and_an_admin_cannot_decide_a_stripe_payout_by_hand() {
    let b = bare().await;
    let link = stripe_connect::start_onboarding(
        &b.app.state.db,
        &b.app.state.rails,
        &b.partner_id,
        None,
        "http://x/",
    )
    .await
    .unwrap();
    let event = b.fake.set_enabled(link.rsplit('/').next().unwrap(), true).unwrap();
    assert_eq!(b.fake.deliver(&event).await, Some(200));
    b.fake.inject(Call::CreateTransfer, Fault::ErrorAfterCommit);
    assert_eq!(b.app.run_payouts().await.payouts_created, 1);
    let id: String =
        sqlx::query_scalar("select id from payouts").fetch_one(&b.app.state.db.pool).await.unwrap();
    let app = Arc::new(b.app);
    for _ in 0..3 {
        let barrier = Arc::new(Barrier::new(8));
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (app, barrier) = (app.clone(), barrier.clone());
                tokio::spawn(async move {
                    barrier.wait().await;
                    app.dispatch_rails().await
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
    }
    assert_eq!(b.fake.transfers().len(), 1);
    assert_eq!(payouts_of(&app).await[0].0, "paid");
    for (endpoint, field) in [("mark_payout_failed", "reason"), ("mark_payout_paid", "reference")] {
        let r = app.call(&b.admin, endpoint, &[("payout_id", id.as_str()), (field, "by hand")]).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{endpoint}");
    }
    assert_eq!(payouts_of(&app).await[0].0, "paid");
}
